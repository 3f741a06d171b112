// The service an application reaches from the C API.
//
// In-process (the default): a switch built from TAPIR_CONFIG (default: the
// demo switch, built into the library), its service, and a ThreadLoop that
// runs them. C API functions call the service under the loop's lock
// (Host::call), so any thread may call any function.
//
// Remote (TAPIR_SERVER=unix:/path or ws://host:port, TAPIR_TOKEN): a
// RemoteApi speaks the tapird protocol instead (docs/protocol.md). The
// ThreadLoop then only delivers the server's messages to the applications,
// on its thread under the loop's lock as in-process; Host::call works the
// same, each service call being a round trip. The dialing rules stay here,
// in the client (per-user settings, as in TAPI). The simulated world is
// reached through sim() in both modes.
//
// The host starts with the first lineInitialize(Ex) and stops after the last
// lineShutdown, like TAPISRV with no clients: the next application starts
// from a fresh switch.
//
// Environment: TAPIR_CONFIG (switch configuration file), TAPIR_CLOCK
// ("manual": switch time moves only with tapirSimAdvance), TAPIR_SPEED
// (switch time relative to wall time, default 1), TAPIR_LOCATIONS (dialing
// locations file), TAPIR_SERVER, TAPIR_TOKEN.
#pragma once

#include <chrono>
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

class RemoteApi;

// The simulated world's controls (include/tapir/sim.h): the in-process
// switch's, or tapird's sim.* methods (tapird --sim-control). Call without
// the host's lock.
class SimControl {
 public:
  virtual ~SimControl() = default;
  // Manual clock only (else kOperationUnavail); returns once everything that
  // fell due ran and its messages are in the applications' queues.
  virtual Status advance(std::chrono::milliseconds d) = 0;
  // Returns once the switch is quiet and its messages are queued.
  virtual Status settle() = 0;
  // An outside caller; `script` holds its steps, one per line. The leg id.
  virtual Result<std::uint32_t> incomingCall(const PartyId& from, const std::string& to,
                                             const std::string& script) = 0;
  // leg 0: the newest outside party.
  virtual Status farEnd(std::uint32_t leg, const std::string& action) = 0;
};

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
    return f(*api_);
  }
  // Like call(), and the work `f` posts runs on this thread before the lock
  // is released (ThreadLoop::Inline): the C API's requests and the
  // messages they cause are handled on the application's thread.
  template <class F>
  auto callInline(F&& f) {
    std::lock_guard lock(loop_->mutex());
    ThreadLoop::Inline here(*loop_);
    return f(*api_);
  }
  // What the host holds for the application, under the loop's lock: the
  // service and the dialing-rules engine (not thread-safe).
  struct Parts {
    service::Api& api;
    dialing::Engine& dialing;
  };
  template <class F>
  auto locked(F&& f) {
    std::lock_guard lock(loop_->mutex());
    Parts parts{*api_, *dialing_};
    return f(parts);
  }
  ThreadLoop& loop() { return *loop_; }
  SimControl& sim() { return *sim_; }
  bool remote() const { return remote_ != nullptr; }
  const std::string& locationsPath() const { return locationsPath_; }
  // lineSetNumRings values by (line handle, address id). They belong to this
  // service run: the next one hands out the same handle values again. Use
  // under the loop's lock (call/locked).
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t>& numRings() { return numRings_; }

 private:
  Host() = default;
  static Result<std::unique_ptr<Host>> start();

  Status startInProcess();
  Status startRemote(const std::string& server);

  std::unique_ptr<ThreadLoop> loop_;
  // In-process mode: the switch and its service.
  std::unique_ptr<pbx::sim::VirtualPbx> pbx_;
  std::unique_ptr<service::Service> service_;
  // Remote mode: the connection to tapird.
  std::unique_ptr<RemoteApi> remote_;
  service::Api* api_ = nullptr;  // service_ or remote_
  std::unique_ptr<SimControl> sim_;
  std::unique_ptr<dialing::Engine> dialing_;
  std::string locationsPath_;  // where lineSetCurrentLocation saves
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> numRings_;
};

}  // namespace tapir::capi
