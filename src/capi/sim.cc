// tapir/sim.h: scripting the simulated world from C.
#include <tapir/sim.h>

#include <map>
#include <mutex>
#include <sstream>
#include <vector>

#include "capi/common.h"
#include "pbx/virtual/script.h"

using namespace tapir;        // NOLINT: implementation file of the C API
using namespace tapir::capi;  // NOLINT

namespace {
// Outside legs handed to C callers, by a DWORD id (never reused).
std::mutex gLegsMu;
std::map<DWORD, CallId> gLegs;
DWORD gLastLeg = 0;
}  // namespace

extern "C" {

LONG WINAPI tapirSimAdvance(DWORD dwMilliseconds) {
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  if (!host->loop().manualTime()) return err(LINEERR_OPERATIONUNAVAIL);
  host->loop().advance(std::chrono::milliseconds(dwMilliseconds));
  return 0;
}

LONG WINAPI tapirSimSettle(void) {
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  host->loop().sync();
  return 0;
}

LONG WINAPI tapirSimIncomingCall(LPCSTR lpszFrom, LPCSTR lpszFromName, LPCSTR lpszTo,
                                 LPCSTR lpszScript, LPDWORD lpdwLeg) {
  if (lpszFrom == nullptr || lpszTo == nullptr || lpdwLeg == nullptr)
    return err(LINEERR_INVALPOINTER);
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  std::vector<std::string> steps;
  if (lpszScript != nullptr) {
    std::istringstream in(lpszScript);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) steps.push_back(line);
  }
  auto script = pbx::sim::parseScript(steps);
  if (!script) return err(LINEERR_INVALPARAM);
  const PartyId from{lpszFrom, str(lpszFromName)};
  const std::string to = lpszTo;
  return host->locked([&](Host::Parts& p) -> LONG {
    auto leg = p.world.call(from, to, *script);
    if (!leg) return toLineErr(leg.status());
    std::lock_guard lock(gLegsMu);
    gLegs[++gLastLeg] = *leg;
    *lpdwLeg = gLastLeg;
    return 0;
  });
}

LONG WINAPI tapirSimFarEnd(DWORD dwLeg, LPCSTR lpszAction) {
  if (lpszAction == nullptr) return err(LINEERR_INVALPOINTER);
  auto host = Host::current();
  if (!host) return err(LINEERR_UNINITIALIZED);
  const std::string action = lpszAction;
  return host->locked([&](Host::Parts& p) -> LONG {
    CallId leg;
    if (dwLeg == 0) {
      auto legs = p.world.legs();
      if (!legs.empty()) leg = legs.back().leg;
    } else {
      std::lock_guard lock(gLegsMu);
      if (auto it = gLegs.find(dwLeg); it != gLegs.end()) leg = it->second;
    }
    if (!leg || p.world.find(leg) == nullptr) return err(LINEERR_INVALCALLHANDLE);
    const auto space = action.find(' ');
    const std::string verb = action.substr(0, space);
    const std::string arg = space == std::string::npos ? "" : action.substr(space + 1);
    Status st;
    if (verb == "hangup") {
      st = p.world.hangup(leg);
    } else if (verb == "hold" || verb == "unhold") {
      st = p.world.hold(leg, verb == "hold");
    } else if (verb == "dtmf") {
      st = p.world.sendDigits(leg, arg);
    } else if (verb == "transfer") {
      st = p.world.transfer(leg, arg);
    } else {
      return err(LINEERR_INVALPARAM);
    }
    return toLineErr(st);
  });
}

}  // extern "C"
