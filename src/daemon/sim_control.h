// The protocol's sim.* methods (include/tapir/sim.h over the network) for
// tapird --sim-control: switch time, settling, and outside parties of the
// simulated world. Loop thread only.
#pragma once

#include <cstdint>
#include <map>

#include "base/asio_loop.h"
#include "pbx/virtual/virtual_world.h"
#include "protocol/dispatch.h"

namespace tapir::daemon {

class SimControl {
 public:
  // Both must outlive the SimControl and the hooks it makes.
  SimControl(AsioLoop& loop, pbx::sim::VirtualWorld& world) : loop_(loop), world_(world) {}

  protocol::SimHooks hooks();

 private:
  Result<std::uint32_t> incomingCall(const PartyId& from, const std::string& to,
                                     const std::vector<std::string>& script);
  Status farEnd(std::uint32_t leg, const std::string& action);

  AsioLoop& loop_;
  pbx::sim::VirtualWorld& world_;
  std::map<std::uint32_t, CallId> legs_;  // ids handed to clients, never reused
  std::uint32_t lastLeg_ = 0;
};

}  // namespace tapir::daemon
