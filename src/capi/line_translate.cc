// Address translation (lineTranslateAddress and friends) on the dialing-rules
// engine, and assisted telephony (tapiRequestMakeCall).
#include <cstring>
#include <deque>
#include <map>

#include "capi/common.h"
#include "capi/varstruct.h"
#include "dialing/dialing.h"

using namespace tapir;        // NOLINT: implementation file of the C API
using namespace tapir::capi;  // NOLINT

namespace {

constexpr DWORD kApi14 = 0x00010004;

// Runs `f(parts)` with the dialing engine. hLineApp may be 0 (TAPI 2.x
// applications may translate before initializing): the service then starts
// for the call only.
template <class F>
LONG withDialing(HLINEAPP hLineApp, F&& f) {
  if (hLineApp != 0) {
    auto host = Host::current();
    if (!host) return err(LINEERR_UNINITIALIZED);
    if (!Apps::find(hLineApp)) return err(LINEERR_INVALAPPHANDLE);
    return host->locked(f);
  }
  auto host = Host::acquire();
  if (!host) return err(LINEERR_NODRIVER);
  const LONG rc = (*host)->locked(f);
  Host::release();
  return rc;
}

LONG checkVersion(DWORD v) {
  if (v < service::kMinApiVersion || v > service::kMaxApiVersion)
    return err(LINEERR_INCOMPATIBLEAPIVERSION);
  return 0;
}

// Only TAPI 2.x applications may translate before initializing: "TAPI 1.4
// applications must set this parameter to a valid hLineApp handle".
LONG checkAppForVersion(HLINEAPP hLineApp, DWORD v) {
  if (hLineApp == 0 && v < 0x00020000) return err(LINEERR_INVALAPPHANDLE);
  return 0;
}

// Saves the engine's configuration where the host keeps it, and tells the
// applications that asked.
LONG persist(Host::Parts& p) {
  auto host = Host::current();
  if (host && !host->locationsPath().empty()) {
    Status st = dialing::saveDialingConfig(p.dialing.config(), host->locationsPath());
    if (!st) return toLineErr(st);
  }
  p.api.broadcastLineState(LINEDEVSTATE_TRANSLATECHANGE);
  return 0;
}

// ---- assisted telephony: recipients and their queued requests ----------------------

struct Recipient {
  HLINEAPP app;
  DWORD instance;
  std::uint64_t registered;  // registration order: the newest takes requests
  std::deque<LINEREQMAKECALL> requests;
};
std::uint64_t gLastRegistration = 0;
std::mutex gRecipientsMu;
std::map<HLINEAPP, Recipient>& recipients() {
  static auto* map = new std::map<HLINEAPP, Recipient>();  // see Apps: never destroyed
  return *map;
}

}  // namespace

void tapir::capi::forgetRequestRecipient(HLINEAPP app) {
  std::lock_guard lock(gRecipientsMu);
  recipients().erase(app);
}

namespace {

void copyText(char* dst, std::size_t cap, LPCSTR src) {
  std::memset(dst, 0, cap);
  if (src) std::strncpy(dst, src, cap - 1);
}

}  // namespace

extern "C" {

LONG WINAPI lineTranslateAddress(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion,
                                 LPCSTR lpszAddressIn, DWORD dwCard, DWORD dwTranslateOptions,
                                 LPLINETRANSLATEOUTPUT lpTranslateOutput) {
  if (lpszAddressIn == nullptr) return err(LINEERR_INVALPOINTER);
  if (LONG e = checkVersion(dwAPIVersion)) return e;
  if (LONG e = checkAppForVersion(hLineApp, dwAPIVersion)) return e;
  VarWriter<LINETRANSLATEOUTPUT> w(lpTranslateOutput);
  if (LONG e = w.check()) return e;
  const std::string address = lpszAddressIn;
  return withDialing(hLineApp, [&](Host::Parts& p) -> LONG {
    if (dwDeviceID >= p.api.lineCount()) return err(LINEERR_BADDEVICEID);
    auto out = p.dialing.translate(address, dwCard, dwTranslateOptions);
    if (!out) return toLineErr(out.status());
    w.string(&LINETRANSLATEOUTPUT::dwDialableStringSize,
             &LINETRANSLATEOUTPUT::dwDialableStringOffset, out->dialable);
    w.string(&LINETRANSLATEOUTPUT::dwDisplayableStringSize,
             &LINETRANSLATEOUTPUT::dwDisplayableStringOffset, out->displayable);
    w.fixed().dwCurrentCountry = out->currentCountry;
    w.fixed().dwDestCountry = out->destCountry;
    w.fixed().dwTranslateResults = out->results;
    return w.finish();
  });
}

LONG WINAPI lineGetTranslateCaps(HLINEAPP hLineApp, DWORD dwAPIVersion,
                                 LPLINETRANSLATECAPS lpTranslateCaps) {
  if (LONG e = checkVersion(dwAPIVersion)) return e;
  if (LONG e = checkAppForVersion(hLineApp, dwAPIVersion)) return e;
  VarWriter<LINETRANSLATECAPS> w(lpTranslateCaps);
  if (LONG e = w.check()) return e;
  return withDialing(hLineApp, [&](Host::Parts& p) -> LONG {
    auto caps = p.dialing.translateCaps();
    if (!caps) return toLineErr(caps.status());
    // Entries (their 1.3 size for 1.3 applications), then their strings;
    // offsets from the start of LINETRANSLATECAPS.
    const std::size_t locSize = dwAPIVersion < kApi14
                                    ? offsetof(LINELOCATIONENTRY, dwLocalAccessCodeSize)
                                    : sizeof(LINELOCATIONENTRY);
    const std::size_t cardSize =
        dwAPIVersion < kApi14 ? offsetof(LINECARDENTRY, dwCardNumberDigits) : sizeof(LINECARDENTRY);
    const std::size_t locStart = w.nextOffset();
    const std::size_t cardStart = locStart + caps->locations.size() * locSize;
    std::size_t at = cardStart + caps->cards.size() * cardSize;
    std::string strings;
    auto place = [&](const std::string& s, DWORD& size, DWORD& offset) {
      if (s.empty()) return;
      size = static_cast<DWORD>(s.size() + 1);
      offset = static_cast<DWORD>(at);
      strings.append(s);
      strings.push_back('\0');
      at += s.size() + 1;
    };
    std::string locBytes;
    for (const auto& l : caps->locations) {
      LINELOCATIONENTRY e{};
      e.dwPermanentLocationID = l.permanentLocationId;
      place(l.locationName, e.dwLocationNameSize, e.dwLocationNameOffset);
      e.dwCountryCode = l.countryCode;
      place(l.cityCode, e.dwCityCodeSize, e.dwCityCodeOffset);
      e.dwPreferredCardID = l.preferredCardId;
      if (dwAPIVersion >= kApi14) {
        place(l.localAccessCode, e.dwLocalAccessCodeSize, e.dwLocalAccessCodeOffset);
        place(l.longDistanceAccessCode, e.dwLongDistanceAccessCodeSize,
              e.dwLongDistanceAccessCodeOffset);
        place(l.tollPrefixList, e.dwTollPrefixListSize, e.dwTollPrefixListOffset);
        e.dwCountryID = l.countryId;
        e.dwOptions = l.options;
        place(l.cancelCallWaiting, e.dwCancelCallWaitingSize, e.dwCancelCallWaitingOffset);
      }
      locBytes.append(reinterpret_cast<const char*>(&e), locSize);
    }
    std::string cardBytes;
    for (const auto& c : caps->cards) {
      LINECARDENTRY e{};
      e.dwPermanentCardID = c.permanentCardId;
      place(c.cardName, e.dwCardNameSize, e.dwCardNameOffset);
      if (dwAPIVersion >= kApi14) {
        e.dwCardNumberDigits = c.cardNumberDigits;
        place(c.sameAreaRule, e.dwSameAreaRuleSize, e.dwSameAreaRuleOffset);
        place(c.longDistanceRule, e.dwLongDistanceRuleSize, e.dwLongDistanceRuleOffset);
        place(c.internationalRule, e.dwInternationalRuleSize, e.dwInternationalRuleOffset);
        e.dwOptions = c.options;
      }
      cardBytes.append(reinterpret_cast<const char*>(&e), cardSize);
    }
    LINETRANSLATECAPS& f = w.fixed();
    f.dwNumLocations = static_cast<DWORD>(caps->locations.size());
    f.dwCurrentLocationID = caps->currentLocationId;
    f.dwNumCards = static_cast<DWORD>(caps->cards.size());
    f.dwCurrentPreferredCardID = caps->currentPreferredCardId;
    w.bytes(&LINETRANSLATECAPS::dwLocationListSize, &LINETRANSLATECAPS::dwLocationListOffset,
            locBytes.data(), locBytes.size());
    w.bytes(&LINETRANSLATECAPS::dwCardListSize, &LINETRANSLATECAPS::dwCardListOffset,
            cardBytes.data(), cardBytes.size());
    w.raw(strings.data(), strings.size());
    return w.finish();
  });
}

LONG WINAPI lineSetCurrentLocation(HLINEAPP hLineApp, DWORD dwLocation) {
  return withDialing(hLineApp, [&](Host::Parts& p) -> LONG {
    if (Status st = p.dialing.setCurrentLocation(dwLocation); !st) return toLineErr(st);
    return persist(p);
  });
}

LONG WINAPI lineSetTollList(HLINEAPP hLineApp, DWORD dwDeviceID, LPCSTR lpszAddressIn,
                            DWORD dwTollListOption) {
  if (lpszAddressIn == nullptr) return err(LINEERR_INVALPOINTER);
  const std::string address = lpszAddressIn;
  return withDialing(hLineApp, [&](Host::Parts& p) -> LONG {
    if (dwDeviceID >= p.api.lineCount()) return err(LINEERR_BADDEVICEID);
    if (Status st = p.dialing.setTollList(address, dwTollListOption); !st) return toLineErr(st);
    return persist(p);
  });
}

LONG WINAPI lineGetCountry(DWORD dwCountryID, DWORD dwAPIVersion,
                           LPLINECOUNTRYLIST lpLineCountryList) {
  if (LONG e = checkVersion(dwAPIVersion)) return e;
  VarWriter<LINECOUNTRYLIST> w(lpLineCountryList);
  if (LONG e = w.check()) return e;
  // The country table needs no service: it is libphonenumber's, immutable.
  auto rows = dialing::CountryTable::builtin().select(dwCountryID);
  if (!rows) return toLineErr(rows.status());
  const std::size_t start = w.nextOffset();
  std::size_t at = start + rows->size() * sizeof(LINECOUNTRYENTRY);
  std::string strings;
  auto place = [&](const std::string& s, DWORD& size, DWORD& offset) {
    if (s.empty()) return;
    size = static_cast<DWORD>(s.size() + 1);
    offset = static_cast<DWORD>(at);
    strings.append(s);
    strings.push_back('\0');
    at += s.size() + 1;
  };
  std::vector<LINECOUNTRYENTRY> entries;
  for (const dialing::Country* c : *rows) {
    LINECOUNTRYENTRY e{};
    e.dwCountryID = c->id;
    e.dwCountryCode = c->callingCode;
    e.dwNextCountryID = c->nextId;
    place(c->name, e.dwCountryNameSize, e.dwCountryNameOffset);
    place(c->sameAreaRule, e.dwSameAreaRuleSize, e.dwSameAreaRuleOffset);
    place(c->longDistanceRule, e.dwLongDistanceRuleSize, e.dwLongDistanceRuleOffset);
    place(c->internationalRule, e.dwInternationalRuleSize, e.dwInternationalRuleOffset);
    entries.push_back(e);
  }
  w.fixed().dwNumCountries = static_cast<DWORD>(entries.size());
  w.bytes(&LINECOUNTRYLIST::dwCountryListSize, &LINECOUNTRYLIST::dwCountryListOffset,
          entries.data(), entries.size() * sizeof(LINECOUNTRYENTRY));
  w.raw(strings.data(), strings.size());
  return w.finish();
}

LONG WINAPI tapiGetLocationInfo(LPSTR lpszCountryCode, LPSTR lpszCityCode) {
  if (lpszCountryCode == nullptr || lpszCityCode == nullptr) return TAPIERR_INVALPOINTER;
  const LONG rc = withDialing(0, [&](Host::Parts& p) -> LONG {
    auto caps = p.dialing.translateCaps();
    if (!caps) return TAPIERR_REQUESTFAILED;
    for (const auto& l : caps->locations) {
      if (l.permanentLocationId != caps->currentLocationId) continue;
      // Both buffers are 8 bytes in TAPI's assisted-telephony contract.
      copyText(lpszCountryCode, 8, std::to_string(l.countryCode).c_str());
      copyText(lpszCityCode, 8, l.cityCode.c_str());
      return 0;
    }
    return TAPIERR_REQUESTFAILED;
  });
  return rc < 0 && rc != TAPIERR_REQUESTFAILED ? TAPIERR_REQUESTFAILED : rc;
}

LONG WINAPI lineRegisterRequestRecipient(HLINEAPP hLineApp, DWORD dwRegistrationInstance,
                                         DWORD dwRequestMode, DWORD bEnable) {
  if (!Apps::find(hLineApp))
    return err(Host::current() ? LINEERR_INVALAPPHANDLE : LINEERR_UNINITIALIZED);
  if (dwRequestMode != LINEREQUESTMODE_MAKECALL) return err(LINEERR_INVALREQUESTMODE);
  std::lock_guard lock(gRecipientsMu);
  if (bEnable) {
    Recipient& r = recipients()[hLineApp];
    r.app = hLineApp;
    r.instance = dwRegistrationInstance;
    r.registered = ++gLastRegistration;
  } else {
    recipients().erase(hLineApp);
  }
  return 0;
}

LONG WINAPI lineGetRequest(HLINEAPP hLineApp, DWORD dwRequestMode, LPVOID lpRequestBuffer) {
  if (!Apps::find(hLineApp))
    return err(Host::current() ? LINEERR_INVALAPPHANDLE : LINEERR_UNINITIALIZED);
  if (lpRequestBuffer == nullptr) return err(LINEERR_INVALPOINTER);
  if (dwRequestMode != LINEREQUESTMODE_MAKECALL) return err(LINEERR_INVALREQUESTMODE);
  std::lock_guard lock(gRecipientsMu);
  auto it = recipients().find(hLineApp);
  if (it == recipients().end()) return err(LINEERR_NOTREGISTERED);
  if (it->second.requests.empty()) return err(LINEERR_NOREQUEST);
  std::memcpy(lpRequestBuffer, &it->second.requests.front(), sizeof(LINEREQMAKECALL));
  it->second.requests.pop_front();
  return 0;
}

LONG WINAPI tapiRequestMakeCall(LPCSTR lpszDestAddress, LPCSTR lpszAppName, LPCSTR lpszCalledParty,
                                LPCSTR lpszComment) {
  if (lpszDestAddress == nullptr) return TAPIERR_INVALPOINTER;
  const std::size_t len = std::strlen(lpszDestAddress);
  if (len == 0 || len >= TAPIMAXDESTADDRESSSIZE) return TAPIERR_INVALDESTADDRESS;
  LINEREQMAKECALL req;
  copyText(req.szDestAddress, sizeof req.szDestAddress, lpszDestAddress);
  copyText(req.szAppName, sizeof req.szAppName, lpszAppName);
  copyText(req.szCalledParty, sizeof req.szCalledParty, lpszCalledParty);
  copyText(req.szComment, sizeof req.szComment, lpszComment);
  std::shared_ptr<App> target;
  DWORD instance = 0;
  {
    std::lock_guard lock(gRecipientsMu);
    // The most recently registered recipient still running takes it (the
    // map is ordered by handle, not by registration).
    Recipient* newest = nullptr;
    for (auto& [h, r] : recipients()) {
      if ((newest == nullptr || r.registered > newest->registered) && Apps::find(h)) newest = &r;
    }
    if (newest != nullptr) {
      target = Apps::find(newest->app);
      newest->requests.push_back(req);
      instance = newest->instance;
    }
  }
  if (!target) return TAPIERR_NOREQUESTRECIPIENT;
  service::Message m;
  m.id = LINE_REQUEST;
  m.instance = instance;
  m.p1 = LINEREQUESTMODE_MAKECALL;
  target->deliver(m);
  return 0;
}

}  // extern "C"
