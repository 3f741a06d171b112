// The rest of the line device API. What needs a media path (digits, tones,
// media detection), device configuration or provider extensions is not
// there: those return LINEERR_OPERATIONUNAVAIL after the usual handle
// checks, and the capabilities say so (no generate/gather modes, no
// settable status, no extensions).
#include <algorithm>

#include "capi/common.h"

using namespace tapir;        // NOLINT: implementation file of the C API
using namespace tapir::capi;  // NOLINT

namespace {

LONG unavailableForCall(HCALL hCall) {
  return withService([&](service::Api& api) -> LONG {
    auto st = api.callStatus(hCall);
    if (!st) return toLineErr(st.status());
    if (st->privilege != LINECALLPRIVILEGE_OWNER) return err(LINEERR_NOTOWNER);
    return err(LINEERR_OPERATIONUNAVAIL);
  });
}

// The monitoring functions (lineMonitorMedia, lineMonitorTones) are for any
// handle, owner or monitor, on a call that is not idle.
LONG unavailableMonitoring(HCALL hCall) {
  return withService([&](service::Api& api) -> LONG {
    auto st = api.callStatus(hCall);
    if (!st) return toLineErr(st.status());
    if (st->status.state == CallState::kIdle) return err(LINEERR_INVALCALLSTATE);
    return err(LINEERR_OPERATIONUNAVAIL);
  });
}

LONG unavailableForLine(HLINE hLine) {
  return withService([&](service::Api& api) -> LONG {
    auto st = api.statusMessages(hLine);
    if (!st) return toLineErr(st.status());
    return err(LINEERR_OPERATIONUNAVAIL);
  });
}

}  // namespace

extern "C" {

// lineSetNumRings: per open line and address (kept by the host, so values
// end with the service run); lineGetNumRings answers the smallest any open
// of the line asked for, as TAPI does.
LONG WINAPI lineSetNumRings(HLINE hLine, DWORD dwAddressID, DWORD dwNumRings) {
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  return host->locked([&](Host::Parts& p) -> LONG {
    auto st = p.api.addressStatus(hLine, dwAddressID);
    if (!st) return toLineErr(st.status());
    host->numRings()[{hLine, dwAddressID}] = dwNumRings;
    return 0;
  });
}

LONG WINAPI lineGetNumRings(HLINE hLine, DWORD dwAddressID, LPDWORD lpdwNumRings) {
  if (lpdwNumRings == nullptr) return err(LINEERR_INVALPOINTER);
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  return host->locked([&](Host::Parts& p) -> LONG {
    auto st = p.api.addressStatus(hLine, dwAddressID);
    if (!st) return toLineErr(st.status());
    const std::uint32_t device = *p.api.deviceIdOfLine(hLine);
    DWORD rings = 0xFFFFFFFF;  // nobody asked: "no limit"
    auto& all = host->numRings();
    for (auto it = all.begin(); it != all.end();) {
      auto d = p.api.deviceIdOfLine(it->first.first);
      if (!d) {
        it = all.erase(it);  // that line was closed
        continue;
      }
      if (*d == device && it->first.second == dwAddressID) rings = std::min(rings, it->second);
      ++it;
    }
    *lpdwNumRings = rings;
    return 0;
  });
}

LONG WINAPI lineSetLineDevStatus(HLINE hLine, DWORD, DWORD) {
  return unavailableForLine(hLine);
}

LONG WINAPI lineSetTerminal(HLINE hLine, DWORD, HCALL, DWORD, DWORD, DWORD, DWORD) {
  return unavailableForLine(hLine);
}

LONG WINAPI lineGetDevConfig(DWORD dwDeviceID, LPVARSTRING lpDeviceConfig, LPCSTR lpszDeviceClass) {
  if (lpDeviceConfig == nullptr || lpszDeviceClass == nullptr) return err(LINEERR_INVALPOINTER);
  const LONG rc = withService([&](service::Api& api) -> LONG {
    return dwDeviceID < api.lineCount() ? 0 : err(LINEERR_BADDEVICEID);
  });
  return rc != 0 ? rc : err(LINEERR_INVALDEVICECLASS);  // no configurable device classes
}

LONG WINAPI lineSetDevConfig(DWORD dwDeviceID, LPVOID lpDeviceConfig, DWORD,
                             LPCSTR lpszDeviceClass) {
  if (lpDeviceConfig == nullptr || lpszDeviceClass == nullptr) return err(LINEERR_INVALPOINTER);
  const LONG rc = withService([&](service::Api& api) -> LONG {
    return dwDeviceID < api.lineCount() ? 0 : err(LINEERR_BADDEVICEID);
  });
  return rc != 0 ? rc : err(LINEERR_INVALDEVICECLASS);
}

LONG WINAPI lineDevSpecific(HLINE hLine, DWORD, HCALL, LPVOID, DWORD) {
  return unavailableForLine(hLine);
}
LONG WINAPI lineDevSpecificFeature(HLINE hLine, DWORD, LPVOID, DWORD) {
  return unavailableForLine(hLine);
}

LONG WINAPI lineSetCallData(HCALL hCall, LPVOID, DWORD) {
  return unavailableForCall(hCall);
}
LONG WINAPI lineSetCallParams(HCALL hCall, DWORD, DWORD, DWORD, LPLINEDIALPARAMS) {
  return unavailableForCall(hCall);
}
LONG WINAPI lineSetCallQualityOfService(HCALL hCall, LPVOID, DWORD, LPVOID, DWORD) {
  return unavailableForCall(hCall);
}
LONG WINAPI lineSetCallTreatment(HCALL hCall, DWORD) {
  return unavailableForCall(hCall);
}
LONG WINAPI lineSendUserUserInfo(HCALL hCall, LPCSTR, DWORD) {
  return unavailableForCall(hCall);
}
LONG WINAPI lineReleaseUserUserInfo(HCALL hCall) {
  return unavailableForCall(hCall);
}
LONG WINAPI lineGenerateDigits(HCALL hCall, DWORD, LPCSTR, DWORD) {
  return unavailableForCall(hCall);
}
LONG WINAPI lineGenerateTone(HCALL hCall, DWORD, DWORD, DWORD, LPLINEGENERATETONE) {
  return unavailableForCall(hCall);
}
LONG WINAPI lineGatherDigits(HCALL hCall, DWORD, LPSTR, DWORD, LPCSTR, DWORD, DWORD) {
  return unavailableForCall(hCall);
}
LONG WINAPI lineMonitorTones(HCALL hCall, LPLINEMONITORTONE, DWORD) {
  return unavailableMonitoring(hCall);
}
LONG WINAPI lineMonitorMedia(HCALL hCall, DWORD) {
  return unavailableMonitoring(hCall);
}
LONG WINAPI lineSetMediaMode(HCALL hCall, DWORD) {
  return unavailableForCall(hCall);
}
LONG WINAPI lineSetMediaControl(HLINE hLine, DWORD, HCALL, DWORD, LPLINEMEDIACONTROLDIGIT, DWORD,
                                LPLINEMEDIACONTROLMEDIA, DWORD, LPLINEMEDIACONTROLTONE, DWORD,
                                LPLINEMEDIACONTROLCALLSTATE, DWORD) {
  return unavailableForLine(hLine);
}

}  // extern "C"
