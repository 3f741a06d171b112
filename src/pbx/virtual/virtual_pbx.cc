#include "pbx/virtual/virtual_pbx.h"

namespace tapir::pbx::sim {

Result<std::unique_ptr<VirtualPbx>> VirtualPbx::create(EventLoop& loop, PbxConfig config) {
  auto sw = Switch::create(loop, config.sw);
  if (!sw) return sw.status();
  std::unique_ptr<VirtualPbx> pbx(new VirtualPbx());
  pbx->switch_ = std::move(*sw);
  pbx->world_ = std::make_unique<VirtualWorld>(*pbx->switch_, std::move(config.world));
  for (std::uint32_t i = 0; i < config.behaviors.size() && i < pbx->switch_->stationCount(); ++i) {
    if (config.behaviors[i].scripted()) {
      pbx->stations_.push_back(
          std::make_unique<VirtualStation>(*pbx->switch_, i, std::move(config.behaviors[i])));
    }
  }
  return pbx;
}

// Endpoints detach from the switch before it goes.
VirtualPbx::~VirtualPbx() {
  stations_.clear();
  world_.reset();
}

}  // namespace tapir::pbx::sim
