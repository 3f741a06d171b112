// The protocol's sim.* methods (include/tapir/sim.h over the network) for
// tapird --sim-control: switch time, settling, and outside parties of the
// simulated world. Loop thread only.
#pragma once

#include "base/asio_loop.h"
#include "pbx/virtual/outside_parties.h"
#include "protocol/dispatch.h"

namespace tapir::daemon {

class SimControl {
 public:
  // Both must outlive the SimControl and the hooks it makes.
  SimControl(AsioLoop& loop, pbx::sim::VirtualWorld& world) : loop_(loop), parties_(world) {}

  protocol::SimHooks hooks();

 private:
  AsioLoop& loop_;
  pbx::sim::OutsideParties parties_;  // ids handed to clients
};

}  // namespace tapir::daemon
