// tapir/sim.h: scripting the simulated world from C, in-process or on a
// tapird started with --sim-control (Host::sim()).
#include <tapir/sim.h>

#include <chrono>
#include <string>

#include "capi/common.h"

using namespace tapir;        // NOLINT: implementation file of the C API
using namespace tapir::capi;  // NOLINT

extern "C" {

LONG WINAPI tapirSimAdvance(DWORD dwMilliseconds) {
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  return toLineErr(host->sim().advance(std::chrono::milliseconds(dwMilliseconds)));
}

LONG WINAPI tapirSimSettle(void) {
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  return toLineErr(host->sim().settle());
}

LONG WINAPI tapirSimIncomingCall(LPCSTR lpszFrom, LPCSTR lpszFromName, LPCSTR lpszTo,
                                 LPCSTR lpszScript, LPDWORD lpdwLeg) {
  if (lpszFrom == nullptr || lpszTo == nullptr || lpdwLeg == nullptr)
    return err(LINEERR_INVALPOINTER);
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  auto leg = host->sim().incomingCall(PartyId{lpszFrom, str(lpszFromName)}, lpszTo,
                                      str(lpszScript));
  if (!leg) return toLineErr(leg.status());
  *lpdwLeg = *leg;
  return 0;
}

LONG WINAPI tapirSimFarEnd(DWORD dwLeg, LPCSTR lpszAction) {
  if (lpszAction == nullptr) return err(LINEERR_INVALPOINTER);
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  return toLineErr(host->sim().farEnd(dwLeg, lpszAction));
}

}  // extern "C"
