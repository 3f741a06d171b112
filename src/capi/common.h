// Helpers shared by the C API functions (src/capi/line_*.cc).
#pragma once

#include <tapi.h>

#include <cstring>
#include <string>

#include "capi/app.h"
#include "capi/host.h"
#include "capi/lineerr.h"
#include "service/api.h"

namespace tapir::capi {

constexpr LONG err(DWORD lineerr) {
  return static_cast<LONG>(lineerr);
}

inline std::string str(LPCSTR s) {
  return s ? std::string(s) : std::string();
}

// Reads a DWORD from a possibly unaligned (packed) place.
inline DWORD readDword(const void* p) {
  DWORD v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Runs `f(api)` under the host's lock. `f` returns Status, Result<T> or LONG;
// Status becomes 0 or a LINEERR_ value.
template <class F>
LONG withService(F&& f) {
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  return host->callInline([&](service::Api& api) -> LONG {
    auto r = f(api);
    if constexpr (std::is_same_v<decltype(r), LONG>) {
      return r;
    } else {
      return toLineErr(r);
    }
  });
}

// An asynchronous request: returns its positive request id, or an error.
// `owner` is the line or call handle the request acts on; the reply's
// results go to `targets` in that application's memory.
template <class F>
LONG asyncRequest(std::uint32_t owner, const ReplyTargets& targets, F&& f) {
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  return host->callInline([&](service::Api& api) -> LONG {
    Result<std::int32_t> r = f(api);
    if (!r) return toLineErr(r.status());
    if (targets.call || targets.call2 || targets.address || targets.completionId ||
        targets.clearCall) {
      if (auto app = Apps::find(api.appOf(owner))) app->expect(*r, targets);
    }
    return *r;
  });
}

// LINECALLPARAMS, as far as the switch uses it.
struct ParsedCallParams {
  CallParams params;
  DWORD addressMode = LINEADDRESSMODE_ADDRESSID;
  DWORD addressId = 0;
  std::string origAddress;  // LINEADDRESSMODE_DIALABLEADDR
};

// Checks and reads a LINECALLPARAMS (null: defaults). Errors: INVALPOINTER,
// STRUCTURETOOSMALL, INVALCALLPARAMS, INVALMEDIAMODE, INVALADDRESSMODE,
// USERUSERINFOTOOBIG.
LONG parseCallParams(const LINECALLPARAMS* p, ParsedCallParams& out);

// Checks a user-user information argument: the switch carries none.
inline LONG checkUserUserInfo(LPCSTR uui, DWORD size) {
  if (uui != nullptr && size > 0) return err(LINEERR_USERUSERINFOTOOBIG);
  return 0;
}

// dwCountryCode: 0 (default) or a known country/region.
LONG checkCountryCode(DWORD countryCode);

// lineShutdown ends the application's assisted-telephony registration
// (line_translate.cc): the next service hands out the same handle values.
void forgetRequestRecipient(HLINEAPP app);

}  // namespace tapir::capi
