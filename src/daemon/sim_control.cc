#include "daemon/sim_control.h"

#include "pbx/virtual/script.h"

namespace tapir::daemon {

protocol::SimHooks SimControl::hooks() {
  protocol::SimHooks h;
  h.advance = [this](std::uint64_t ms) {
    if (!loop_.manualTime())
      return Status(Fault::kOperationUnavail, "switch time is real (tapird --clock manual)");
    loop_.advance(std::chrono::milliseconds(ms));
    return Status();
  };
  // Events reach the connections synchronously from the tasks, so once the
  // loop is quiet every event is queued ahead of the response.
  h.settle = [this] {
    loop_.runPending();
    return Status();
  };
  h.incomingCall = [this](const PartyId& from, const std::string& to,
                          const std::vector<std::string>& script) {
    return incomingCall(from, to, script);
  };
  h.farEnd = [this](std::uint32_t leg, const std::string& action) { return farEnd(leg, action); };
  return h;
}

Result<std::uint32_t> SimControl::incomingCall(const PartyId& from, const std::string& to,
                                               const std::vector<std::string>& script) {
  auto parsed = pbx::sim::parseScript(script);
  if (!parsed) return Status(Fault::kBadParam, "script: " + parsed.status().message());
  auto leg = world_.call(from, to, *parsed);
  if (!leg) return leg.status();
  legs_[++lastLeg_] = *leg;
  return lastLeg_;
}

Status SimControl::farEnd(std::uint32_t id, const std::string& action) {
  CallId leg;
  if (id == 0) {
    auto legs = world_.legs();
    if (!legs.empty()) leg = legs.back().leg;
  } else if (auto it = legs_.find(id); it != legs_.end()) {
    leg = it->second;
  }
  if (!leg || world_.find(leg) == nullptr)
    return Status(Fault::kBadCallHandle, "no such outside party");
  const auto space = action.find(' ');
  const std::string verb = action.substr(0, space);
  const std::string arg = space == std::string::npos ? "" : action.substr(space + 1);
  if (verb == "hangup") return world_.hangup(leg);
  if (verb == "hold" || verb == "unhold") return world_.hold(leg, verb == "hold");
  if (verb == "dtmf") return world_.sendDigits(leg, arg);
  if (verb == "transfer") return world_.transfer(leg, arg);
  return Status(Fault::kBadParam, "unknown far-end action '" + verb.substr(0, 32) + "'");
}

}  // namespace tapir::daemon
