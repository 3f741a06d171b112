#include "capi/common.h"

#include <cstddef>

#include "dialing/countries.h"

namespace tapir::capi {

namespace {

constexpr std::size_t kMinCallParamsSize =
    offsetof(LINECALLPARAMS, dwDevSpecificOffset) + sizeof(DWORD);
constexpr std::size_t kMaxStringPart = 1024;

// The DWORD at `offset` in the application's structure, if it lies within
// the size the application gave.
bool field(const LINECALLPARAMS* p, DWORD total, std::size_t offset, DWORD& out) {
  if (offset + sizeof(DWORD) > total) return false;
  out = readDword(reinterpret_cast<const char*>(p) + offset);
  return true;
}

// A variable part named by a size/offset pair: must lie inside dwTotalSize.
LONG part(const LINECALLPARAMS* p, DWORD total, std::size_t sizeAt, std::size_t offsetAt,
          std::string& out) {
  DWORD size = 0;
  DWORD offset = 0;
  if (!field(p, total, sizeAt, size) || !field(p, total, offsetAt, offset) || size == 0) return 0;
  if (size > kMaxStringPart || offset > total || size > total - offset)
    return err(LINEERR_INVALCALLPARAMS);
  const char* start = reinterpret_cast<const char*>(p) + offset;
  std::size_t len = 0;
  while (len < size && start[len] != '\0')
    ++len;  // stop at the terminating NUL
  out.assign(start, len);
  return 0;
}

}  // namespace

LONG parseCallParams(const LINECALLPARAMS* p, ParsedCallParams& out) {
  out = ParsedCallParams{};
  if (p == nullptr) return 0;
  const DWORD total = readDword(&p->dwTotalSize);
  if (total < kMinCallParamsSize) return err(LINEERR_STRUCTURETOOSMALL);
  DWORD v = 0;
  if (field(p, total, offsetof(LINECALLPARAMS, dwBearerMode), v) && v != 0 &&
      v != LINEBEARERMODE_VOICE && v != LINEBEARERMODE_SPEECH)
    return err(LINEERR_INVALBEARERMODE);
  if (field(p, total, offsetof(LINECALLPARAMS, dwMediaMode), v) && v != 0) {
    if (v &
        ~(LINEMEDIAMODE_INTERACTIVEVOICE | LINEMEDIAMODE_AUTOMATEDVOICE | LINEMEDIAMODE_UNKNOWN))
      return err(LINEERR_INVALMEDIAMODE);
    out.params.mediaMode = v & ~LINEMEDIAMODE_UNKNOWN;
  }
  if (field(p, total, offsetof(LINECALLPARAMS, dwCallParamFlags), v)) {
    constexpr DWORD kKnown = LINECALLPARAMFLAGS_SECURE | LINECALLPARAMFLAGS_IDLE |
                             LINECALLPARAMFLAGS_BLOCKID | LINECALLPARAMFLAGS_ORIGOFFHOOK |
                             LINECALLPARAMFLAGS_DESTOFFHOOK | LINECALLPARAMFLAGS_NOHOLDCONFERENCE |
                             LINECALLPARAMFLAGS_PREDICTIVEDIAL | LINECALLPARAMFLAGS_ONESTEPTRANSFER;
    if (v & ~kKnown) return err(LINEERR_INVALCALLPARAMS);
    out.params.flags = v;
  }
  if (field(p, total, offsetof(LINECALLPARAMS, dwAddressMode), v) && v != 0) {
    if (v != LINEADDRESSMODE_ADDRESSID && v != LINEADDRESSMODE_DIALABLEADDR)
      return err(LINEERR_INVALADDRESSMODE);
    out.addressMode = v;
  }
  (void)field(p, total, offsetof(LINECALLPARAMS, dwAddressID), out.addressId);
  if (LONG e = part(p, total, offsetof(LINECALLPARAMS, dwOrigAddressSize),
                    offsetof(LINECALLPARAMS, dwOrigAddressOffset), out.origAddress))
    return e;
  if (LONG e =
          part(p, total, offsetof(LINECALLPARAMS, dwDisplayableAddressSize),
               offsetof(LINECALLPARAMS, dwDisplayableAddressOffset), out.params.displayableAddress))
    return e;
  if (LONG e = part(p, total, offsetof(LINECALLPARAMS, dwCalledPartySize),
                    offsetof(LINECALLPARAMS, dwCalledPartyOffset), out.params.calledParty))
    return e;
  if (LONG e = part(p, total, offsetof(LINECALLPARAMS, dwCommentSize),
                    offsetof(LINECALLPARAMS, dwCommentOffset), out.params.comment))
    return e;
  std::string uui;
  if (LONG e = part(p, total, offsetof(LINECALLPARAMS, dwUserUserInfoSize),
                    offsetof(LINECALLPARAMS, dwUserUserInfoOffset), uui))
    return e;
  if (!uui.empty()) return err(LINEERR_USERUSERINFOTOOBIG);  // the switch carries none
#if TAPI_CURRENT_VERSION >= 0x00020000
  if (LONG e = part(p, total, offsetof(LINECALLPARAMS, dwTargetAddressSize),
                    offsetof(LINECALLPARAMS, dwTargetAddressOffset), out.params.targetAddress))
    return e;
#endif
  if (out.addressMode == LINEADDRESSMODE_DIALABLEADDR && out.origAddress.empty())
    return err(LINEERR_INVALCALLPARAMS);
  return 0;
}

LONG checkCountryCode(DWORD countryCode) {
  if (countryCode == 0) return 0;
  const auto& table = dialing::CountryTable::builtin();
  for (const auto& c : table.all())
    if (c.callingCode == countryCode) return 0;
  return err(LINEERR_INVALCOUNTRYCODE);
}

}  // namespace tapir::capi
