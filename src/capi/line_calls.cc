// The session operations and the call-handle functions.
#include <strings.h>

#include "capi/common.h"

using namespace tapir;        // NOLINT: implementation file of the C API
using namespace tapir::capi;  // NOLINT

namespace {

// The address a call is made from: LINECALLPARAMS' address id, or its
// dialable origination address on the line.
Result<std::uint32_t> originAddress(service::Api& api, HLINE hLine, const ParsedCallParams& cp) {
  if (cp.addressMode == LINEADDRESSMODE_DIALABLEADDR) return api.addressId(hLine, cp.origAddress);
  return cp.addressId;
}

// Priorities need no initialized application (lineSetAppPriority and
// lineGetAppPriority document no LINEERR_UNINITIALIZED): without a running
// service, one runs for the call, starting with the remembered lists.
template <class F>
LONG withPriorities(F&& f) {
  auto host = Host::acquire();
  if (!host) return err(LINEERR_OPERATIONFAILED);
  const LONG rc = (*host)->call([&](service::Api& api) -> LONG { return f(api); });
  Host::release();
  return rc;
}

}  // namespace

extern "C" {

// ---- calls created by the request ---------------------------------------------------

LONG WINAPI lineMakeCall(HLINE hLine, LPHCALL lphCall, LPCSTR lpszDestAddress, DWORD dwCountryCode,
                         LPLINECALLPARAMS lpCallParams) {
  if (lphCall == nullptr) return err(LINEERR_INVALPOINTER);
  ParsedCallParams cp;
  if (LONG e = parseCallParams(lpCallParams, cp)) return e;
  if (LONG e = checkCountryCode(dwCountryCode)) return e;
  const std::string dest = str(lpszDestAddress);
  return asyncRequest(hLine, ReplyTargets{.call = lphCall},
                      [&](service::Api& api) -> Result<std::int32_t> {
                        auto address = originAddress(api, hLine, cp);
                        if (!address) return address.status();
                        return api.makeCall(hLine, *address, dest, cp.params);
                      });
}

LONG WINAPI lineSetupTransfer(HCALL hCall, LPHCALL lphConsultCall, LPLINECALLPARAMS lpCallParams) {
  if (lphConsultCall == nullptr) return err(LINEERR_INVALPOINTER);
  ParsedCallParams cp;
  if (LONG e = parseCallParams(lpCallParams, cp)) return e;
  return asyncRequest(hCall, ReplyTargets{.call = lphConsultCall},
                      [&](service::Api& api) { return api.setupTransfer(hCall, cp.params); });
}

LONG WINAPI lineCompleteTransfer(HCALL hCall, HCALL hConsultCall, LPHCALL lphConfCall,
                                 DWORD dwTransferMode) {
  if (dwTransferMode != LINETRANSFERMODE_TRANSFER && dwTransferMode != LINETRANSFERMODE_CONFERENCE)
    return err(LINEERR_INVALTRANSFERMODE);
  const bool conference = dwTransferMode == LINETRANSFERMODE_CONFERENCE;
  if (conference && lphConfCall == nullptr) return err(LINEERR_INVALPOINTER);
  return asyncRequest(
      hCall, ReplyTargets{.call = conference ? lphConfCall : nullptr}, [&](service::Api& api) {
        return api.completeTransfer(hCall, hConsultCall, static_cast<TransferMode>(dwTransferMode));
      });
}

LONG WINAPI lineSetupConference(HCALL hCall, HLINE hLine, LPHCALL lphConfCall,
                                LPHCALL lphConsultCall, DWORD dwNumParties,
                                LPLINECALLPARAMS lpCallParams) {
  if (lphConfCall == nullptr || lphConsultCall == nullptr) return err(LINEERR_INVALPOINTER);
  ParsedCallParams cp;
  if (LONG e = parseCallParams(lpCallParams, cp)) return e;
  const std::uint32_t owner = hCall != 0 ? hCall : hLine;
  return asyncRequest(owner, ReplyTargets{.call = lphConfCall, .call2 = lphConsultCall},
                      [&](service::Api& api) -> Result<std::int32_t> {
                        std::uint32_t address = 0;
                        if (hCall == 0) {
                          auto a = originAddress(api, hLine, cp);
                          if (!a) return a.status();
                          address = *a;
                        }
                        return api.setupConference(hCall, hLine, address, dwNumParties, cp.params);
                      });
}

LONG WINAPI linePrepareAddToConference(HCALL hConfCall, LPHCALL lphConsultCall,
                                       LPLINECALLPARAMS lpCallParams) {
  if (lphConsultCall == nullptr) return err(LINEERR_INVALPOINTER);
  ParsedCallParams cp;
  if (LONG e = parseCallParams(lpCallParams, cp)) return e;
  return asyncRequest(hConfCall, ReplyTargets{.call = lphConsultCall}, [&](service::Api& api) {
    return api.prepareAddToConference(hConfCall, cp.params);
  });
}

LONG WINAPI lineUnpark(HLINE hLine, DWORD dwAddressID, LPHCALL lphCall, LPCSTR lpszDestAddress) {
  if (lphCall == nullptr || lpszDestAddress == nullptr) return err(LINEERR_INVALPOINTER);
  const std::string orbit = lpszDestAddress;
  return asyncRequest(hLine, ReplyTargets{.call = lphCall},
                      [&](service::Api& api) { return api.unpark(hLine, dwAddressID, orbit); });
}

LONG WINAPI linePickup(HLINE hLine, DWORD dwAddressID, LPHCALL lphCall, LPCSTR lpszDestAddress,
                       LPCSTR lpszGroupID) {
  if (lphCall == nullptr) return err(LINEERR_INVALPOINTER);
  const std::string dest = str(lpszDestAddress);
  const std::string group = str(lpszGroupID);
  return asyncRequest(hLine, ReplyTargets{.call = lphCall}, [&](service::Api& api) {
    return api.pickup(hLine, dwAddressID, dest, group);
  });
}

// ---- operations on calls ---------------------------------------------------------------

LONG WINAPI lineDial(HCALL hCall, LPCSTR lpszDestAddress, DWORD dwCountryCode) {
  if (lpszDestAddress == nullptr) return err(LINEERR_INVALPOINTER);
  if (LONG e = checkCountryCode(dwCountryCode)) return e;
  const std::string dest = lpszDestAddress;
  return asyncRequest(hCall, {}, [&](service::Api& api) { return api.dial(hCall, dest); });
}

LONG WINAPI lineAccept(HCALL hCall, LPCSTR lpsUserUserInfo, DWORD dwSize) {
  if (LONG e = checkUserUserInfo(lpsUserUserInfo, dwSize)) return e;
  return asyncRequest(hCall, {}, [&](service::Api& api) { return api.accept(hCall); });
}

LONG WINAPI lineAnswer(HCALL hCall, LPCSTR lpsUserUserInfo, DWORD dwSize) {
  if (LONG e = checkUserUserInfo(lpsUserUserInfo, dwSize)) return e;
  return asyncRequest(hCall, {}, [&](service::Api& api) { return api.answer(hCall); });
}

LONG WINAPI lineDrop(HCALL hCall, LPCSTR lpsUserUserInfo, DWORD dwSize) {
  if (LONG e = checkUserUserInfo(lpsUserUserInfo, dwSize)) return e;
  return asyncRequest(hCall, {}, [&](service::Api& api) { return api.drop(hCall); });
}

LONG WINAPI lineHold(HCALL hCall) {
  return asyncRequest(hCall, {}, [&](service::Api& api) { return api.hold(hCall); });
}

LONG WINAPI lineUnhold(HCALL hCall) {
  return asyncRequest(hCall, {}, [&](service::Api& api) { return api.unhold(hCall); });
}

LONG WINAPI lineSwapHold(HCALL hActiveCall, HCALL hHeldCall) {
  return asyncRequest(hActiveCall, {},
                      [&](service::Api& api) { return api.swapHold(hActiveCall, hHeldCall); });
}

LONG WINAPI lineSecureCall(HCALL hCall) {
  return asyncRequest(hCall, {}, [&](service::Api& api) { return api.secureCall(hCall); });
}

LONG WINAPI lineRedirect(HCALL hCall, LPCSTR lpszDestAddress, DWORD dwCountryCode) {
  if (lpszDestAddress == nullptr) return err(LINEERR_INVALPOINTER);
  if (LONG e = checkCountryCode(dwCountryCode)) return e;
  const std::string dest = lpszDestAddress;
  return asyncRequest(hCall, {}, [&](service::Api& api) { return api.redirect(hCall, dest); });
}

LONG WINAPI lineBlindTransfer(HCALL hCall, LPCSTR lpszDestAddress, DWORD dwCountryCode) {
  if (lpszDestAddress == nullptr) return err(LINEERR_INVALPOINTER);
  if (LONG e = checkCountryCode(dwCountryCode)) return e;
  const std::string dest = lpszDestAddress;
  return asyncRequest(hCall, {}, [&](service::Api& api) { return api.blindTransfer(hCall, dest); });
}

LONG WINAPI lineAddToConference(HCALL hConfCall, HCALL hConsultCall) {
  return asyncRequest(hConfCall, {}, [&](service::Api& api) {
    return api.addToConference(hConfCall, hConsultCall);
  });
}

LONG WINAPI lineRemoveFromConference(HCALL hCall) {
  return asyncRequest(hCall, {},
                      [&](service::Api& api) { return api.removeFromConference(hCall); });
}

LONG WINAPI linePark(HCALL hCall, DWORD dwParkMode, LPCSTR lpszDirAddress,
                     LPVARSTRING lpNonDirAddress) {
  std::string orbit;
  if (dwParkMode == LINEPARKMODE_DIRECTED) {
    if (lpszDirAddress == nullptr) return err(LINEERR_INVALPOINTER);
    orbit = lpszDirAddress;
  } else if (dwParkMode == LINEPARKMODE_NONDIRECTED) {
    if (lpNonDirAddress == nullptr) return err(LINEERR_INVALPOINTER);
    if (readDword(&lpNonDirAddress->dwTotalSize) < sizeof(VARSTRING))
      return err(LINEERR_STRUCTURETOOSMALL);
  } else {
    return err(LINEERR_INVALPARKMODE);
  }
  ReplyTargets t;
  std::size_t room = kAnyOrbitLength;
  if (dwParkMode == LINEPARKMODE_NONDIRECTED) {
    t.address = lpNonDirAddress;
    // The switch refuses an orbit that would not fit (with its NUL) before
    // parking, so the application can retry with a bigger VARSTRING.
    const std::size_t bytes = readDword(&lpNonDirAddress->dwTotalSize) - sizeof(VARSTRING);
    room = bytes > 0 ? bytes - 1 : 0;
  }
  return asyncRequest(hCall, t, [&](service::Api& api) {
    return api.park(hCall, static_cast<ParkMode>(dwParkMode), orbit, room);
  });
}

LONG WINAPI lineCompleteCall(HCALL hCall, LPDWORD lpdwCompletionID, DWORD dwCompletionMode,
                             DWORD dwMessageID) {
  if (lpdwCompletionID == nullptr) return err(LINEERR_INVALPOINTER);
  if (dwCompletionMode != LINECALLCOMPLMODE_CAMPON &&
      dwCompletionMode != LINECALLCOMPLMODE_CALLBACK &&
      dwCompletionMode != LINECALLCOMPLMODE_INTRUDE &&
      dwCompletionMode != LINECALLCOMPLMODE_MESSAGE)
    return err(LINEERR_INVALCALLCOMPLMODE);
  return asyncRequest(
      hCall, ReplyTargets{.completionId = lpdwCompletionID}, [&](service::Api& api) {
        return api.completeCall(hCall, static_cast<CompletionMode>(dwCompletionMode), dwMessageID);
      });
}

LONG WINAPI lineUncompleteCall(HLINE hLine, DWORD dwCompletionID) {
  return asyncRequest(hLine, {},
                      [&](service::Api& api) { return api.uncompleteCall(hLine, dwCompletionID); });
}

LONG WINAPI lineForward(HLINE hLine, DWORD bAllAddresses, DWORD dwAddressID,
                        LPLINEFORWARDLIST lpForwardList, DWORD dwNumRingsNoAnswer,
                        LPHCALL lphConsultCall, LPLINECALLPARAMS lpCallParams) {
  if (lphConsultCall == nullptr) return err(LINEERR_INVALPOINTER);
  ParsedCallParams cp;
  if (LONG e = parseCallParams(lpCallParams, cp)) return e;
  std::vector<ForwardEntry> entries;
  if (lpForwardList != nullptr) {
    const DWORD total = readDword(&lpForwardList->dwTotalSize);
    if (total < sizeof(LINEFORWARDLIST)) return err(LINEERR_STRUCTURETOOSMALL);
    const DWORD n = readDword(&lpForwardList->dwNumEntries);
    const std::size_t first = offsetof(LINEFORWARDLIST, ForwardList);
    if (n > 64 || first + static_cast<std::size_t>(n) * sizeof(LINEFORWARD) > total)
      return err(LINEERR_INVALPARAM);
    const char* base = reinterpret_cast<const char*>(lpForwardList);
    // Strings are addressed from the start of the list.
    auto text = [&](DWORD size, DWORD offset, std::string& out) -> bool {
      if (size == 0) return true;
      if (offset > total || size > total - offset || size > 256) return false;
      const char* s = base + offset;
      std::size_t len = 0;
      while (len < size && s[len] != '\0')
        ++len;
      out.assign(s, len);
      return true;
    };
    for (DWORD i = 0; i < n; ++i) {
      LINEFORWARD f;
      std::memcpy(&f, base + first + i * sizeof(LINEFORWARD), sizeof f);
      ForwardEntry e;
      e.mode = f.dwForwardMode;
      e.destCountryCode = f.dwDestCountryCode;
      if (!text(f.dwCallerAddressSize, f.dwCallerAddressOffset, e.callerAddress) ||
          !text(f.dwDestAddressSize, f.dwDestAddressOffset, e.destAddress))
        return err(LINEERR_INVALPARAM);
      if (LONG c = checkCountryCode(e.destCountryCode)) return c;
      entries.push_back(std::move(e));
    }
  }
  return asyncRequest(hLine, ReplyTargets{.clearCall = lphConsultCall}, [&](service::Api& api) {
    return api.forward(hLine, bAllAddresses != 0, dwAddressID, entries, dwNumRingsNoAnswer);
  });
}

// ---- call handles -------------------------------------------------------------------------

LONG WINAPI lineSetCallPrivilege(HCALL hCall, DWORD dwCallPrivilege) {
  return withService(
      [&](service::Api& api) { return api.setCallPrivilege(hCall, dwCallPrivilege); });
}

LONG WINAPI lineHandoff(HCALL hCall, LPCSTR lpszFileName, DWORD dwMediaMode) {
  std::string module;
  if (lpszFileName != nullptr) {
    module = lpszFileName;
    if (const auto slash = module.find_last_of("/\\"); slash != std::string::npos)
      module.erase(0, slash + 1);
    // A direct handoff to no file name: no application is called that (an
    // empty name must not turn into a media-mode handoff).
    if (module.empty()) {
      return withService([&](service::Api& api) -> LONG {
        auto st = api.callStatus(hCall);
        if (!st) return toLineErr(st.status());
        if (st->privilege != LINECALLPRIVILEGE_OWNER) return err(LINEERR_NOTOWNER);
        return err(LINEERR_TARGETNOTFOUND);
      });
    }
  }
  return withService([&](service::Api& api) { return api.handoff(hCall, module, dwMediaMode); });
}

LONG WINAPI lineDeallocateCall(HCALL hCall) {
  return withService([&](service::Api& api) { return api.deallocateCall(hCall); });
}

LONG WINAPI lineSetAppSpecific(HCALL hCall, DWORD dwAppSpecific) {
  return withService([&](service::Api& api) { return api.setAppSpecific(hCall, dwAppSpecific); });
}

LONG WINAPI lineMonitorDigits(HCALL hCall, DWORD dwDigitModes) {
  return withService([&](service::Api& api) { return api.monitorDigits(hCall, dwDigitModes); });
}

LONG WINAPI lineSetAppPriority(LPCSTR lpszAppFilename, DWORD dwMediaMode, LPLINEEXTENSIONID,
                               DWORD dwRequestMode, LPCSTR, DWORD dwPriority) {
  if (lpszAppFilename == nullptr) return err(LINEERR_INVALAPPNAME);
  const std::string module = lpszAppFilename;
  return withPriorities([&](service::Api& api) -> LONG {
    if (Status st = api.setAppPriority(module, dwMediaMode, dwRequestMode, dwPriority); !st)
      return toLineErr(st);
    Host::rememberPriority(module, dwMediaMode, dwPriority);
    return 0;
  });
}

LONG WINAPI lineGetAppPriority(LPCSTR lpszAppFilename, DWORD dwMediaMode, LPLINEEXTENSIONID,
                               DWORD dwRequestMode, LPVARSTRING lpExtensionName,
                               LPDWORD lpdwPriority) {
  if (lpszAppFilename == nullptr) return err(LINEERR_INVALAPPNAME);
  if (lpdwPriority == nullptr) return err(LINEERR_INVALPOINTER);
  if (lpExtensionName != nullptr && readDword(&lpExtensionName->dwTotalSize) < sizeof(VARSTRING))
    return err(LINEERR_STRUCTURETOOSMALL);
  return withPriorities([&](service::Api& api) -> LONG {
    auto p = api.appPriority(lpszAppFilename, dwMediaMode, dwRequestMode);
    if (!p) return toLineErr(p.status());
    *lpdwPriority = *p;
    if (lpExtensionName != nullptr) {
      // No extensions: an empty VARSTRING.
      VARSTRING v{};
      v.dwTotalSize = readDword(&lpExtensionName->dwTotalSize);
      v.dwNeededSize = sizeof(VARSTRING);
      v.dwUsedSize = sizeof(VARSTRING);
      v.dwStringFormat = STRINGFORMAT_ASCII;
      std::memcpy(lpExtensionName, &v, sizeof v);
    }
    return 0;
  });
}

}  // extern "C"
