// VirtualPbx: a switch with its simulated world and scripted stations, built
// from a PbxConfig. What the demo, the daemon and the tests start.
#pragma once

#include <memory>
#include <vector>

#include "pbx/config.h"
#include "pbx/core/switch.h"
#include "pbx/virtual/virtual_world.h"

namespace tapir::pbx::sim {

class VirtualPbx {
 public:
  static Result<std::unique_ptr<VirtualPbx>> create(EventLoop& loop, PbxConfig config);
  ~VirtualPbx();

  Switch& sw() { return *switch_; }
  VirtualWorld& world() { return *world_; }

 private:
  VirtualPbx() = default;
  std::unique_ptr<Switch> switch_;
  std::unique_ptr<VirtualWorld> world_;
  std::vector<std::unique_ptr<VirtualStation>> stations_;
};

}  // namespace tapir::pbx::sim
