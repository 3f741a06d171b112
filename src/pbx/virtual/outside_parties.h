// Outside callers that scripting tools start (tapirSimIncomingCall in
// libtapir, the sim.* methods of tapird): each gets a number the tool keeps,
// and far-end actions move it afterwards. Not thread-safe: call it where the
// world may be touched (the loop thread, or under the loop's lock).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "pbx/virtual/virtual_world.h"

namespace tapir::pbx::sim {

class OutsideParties {
 public:
  // world must outlive this.
  explicit OutsideParties(VirtualWorld& world) : world_(world) {}

  // An outside party calls `to`. `script` holds its steps, one per line
  // (empty lines skipped). Returns its number for act(), never reused.
  // Errors: kBadParam (a bad step), or the world's.
  Result<std::uint32_t> call(const PartyId& from, const std::string& to, std::string_view script);

  // "hangup", "hold", "unhold", "dtmf DIGITS", "transfer NUMBER" on party
  // `id` (0: the newest outside party). Errors: kBadCallHandle (no such
  // party, or it is gone), kBadParam (unknown action), or the world's.
  Status act(std::uint32_t id, std::string_view action);

 private:
  VirtualWorld& world_;
  std::map<std::uint32_t, CallId> legs_;
  std::uint32_t lastLeg_ = 0;
};

}  // namespace tapir::pbx::sim
