// The service an application reaches from the C API.
//
// In-process (the default, and the only mode until the daemon's protocol
// lands): a switch built from TAPIR_CONFIG (default: the demo switch, built
// into the library), its service, and a ThreadLoop that runs them. C API
// functions call the service under the loop's lock (Host::call), so any
// thread may call any function.
//
// The host starts with the first lineInitialize(Ex) and stops after the last
// lineShutdown, like TAPISRV with no clients: the next application starts
// from a fresh switch.
//
// Environment: TAPIR_CONFIG (switch configuration file), TAPIR_CLOCK
// ("manual": switch time moves only with tapirSimAdvance), TAPIR_SPEED
// (switch time relative to wall time, default 1), TAPIR_LOCATIONS (dialing
// locations file).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "base/thread_loop.h"
#include "pbx/virtual/virtual_pbx.h"
#include "service/service.h"

namespace tapir::dialing {
class Engine;
}

namespace tapir::capi {

// This program's file name (the base name of /proc/self/exe): the module
// name of an application that gives none.
std::string programName();

class Host {
 public:
  // The running host, started if needed; counts one more user.
  static Result<std::shared_ptr<Host>> acquire();
  // One user fewer; the last one stops the host.
  static void release();
  // The running host, or null.
  static std::shared_ptr<Host> current();
  // lineSetAppPriority's lists outlive the service (TAPI keeps them across
  // restarts of TAPISRV): the library remembers each change the service
  // accepted and gives the lists to every service it starts. Call under the
  // running host's lock, right after the service accepted the change.
  static void rememberPriority(const std::string& module, std::uint32_t mediaMode,
                               std::uint32_t priority);

  ~Host();

  // Runs `f(api)` under the loop's lock and returns its result.
  template <class F>
  auto call(F&& f) {
    std::lock_guard lock(loop_->mutex());
    return f(static_cast<service::Api&>(*service_));
  }
  // Everything the host runs, under the loop's lock: the service, the
  // dialing-rules engine (not thread-safe) and the simulated switch.
  struct Parts {
    service::Api& api;
    dialing::Engine& dialing;
    pbx::Switch& sw;
    pbx::sim::VirtualWorld& world;
  };
  template <class F>
  auto locked(F&& f) {
    std::lock_guard lock(loop_->mutex());
    Parts parts{*service_, *dialing_, pbx_->sw(), pbx_->world()};
    return f(parts);
  }
  ThreadLoop& loop() { return *loop_; }
  const std::string& locationsPath() const { return locationsPath_; }
  // lineSetNumRings values by (line handle, address id). They belong to this
  // service run: the next one hands out the same handle values again. Use
  // under the loop's lock (call/locked).
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t>& numRings() { return numRings_; }

 private:
  Host() = default;
  static Result<std::unique_ptr<Host>> start();

  std::unique_ptr<ThreadLoop> loop_;
  std::unique_ptr<pbx::sim::VirtualPbx> pbx_;
  std::unique_ptr<service::Service> service_;
  std::unique_ptr<dialing::Engine> dialing_;
  std::string locationsPath_;  // where lineSetCurrentLocation saves
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> numRings_;
};

}  // namespace tapir::capi
