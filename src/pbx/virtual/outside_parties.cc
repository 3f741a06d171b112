#include "pbx/virtual/outside_parties.h"

#include <vector>

#include "pbx/virtual/script.h"

namespace tapir::pbx::sim {

Result<std::uint32_t> OutsideParties::call(const PartyId& from, const std::string& to,
                                           std::string_view script) {
  std::vector<std::string> steps;
  while (!script.empty()) {
    const std::size_t nl = script.find('\n');
    const std::string_view line = script.substr(0, nl);
    if (!line.empty()) steps.emplace_back(line);
    script = nl == std::string_view::npos ? std::string_view() : script.substr(nl + 1);
  }
  auto parsed = parseScript(steps);
  if (!parsed) return Status(Fault::kBadParam, "script: " + parsed.status().message());
  auto leg = world_.call(from, to, *parsed);
  if (!leg) return leg.status();
  legs_[++lastLeg_] = *leg;
  return lastLeg_;
}

Status OutsideParties::act(std::uint32_t id, std::string_view action) {
  CallId leg;
  if (id == 0) {
    auto all = world_.legs();
    if (!all.empty()) leg = all.back().leg;
  } else if (auto it = legs_.find(id); it != legs_.end()) {
    leg = it->second;
  }
  if (!leg || world_.find(leg) == nullptr)
    return Status(Fault::kBadCallHandle, "no such outside party");
  const auto space = action.find(' ');
  const std::string_view verb = action.substr(0, space);
  const std::string_view arg = space == std::string_view::npos ? "" : action.substr(space + 1);
  if (verb == "hangup") return world_.hangup(leg);
  if (verb == "hold" || verb == "unhold") return world_.hold(leg, verb == "hold");
  if (verb == "dtmf") return world_.sendDigits(leg, arg);
  if (verb == "transfer") return world_.transfer(leg, arg);
  return Status(Fault::kBadParam, "unknown far-end action '" + std::string(verb.substr(0, 32)) + "'");
}

}  // namespace tapir::pbx::sim
