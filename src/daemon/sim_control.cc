#include "daemon/sim_control.h"

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
  h.incomingCall = [this](const PartyId& from, const std::string& to, const std::string& script) {
    return parties_.call(from, to, script);
  };
  h.farEnd = [this](std::uint32_t leg, const std::string& action) {
    return parties_.act(leg, action);
  };
  return h;
}

}  // namespace tapir::daemon
