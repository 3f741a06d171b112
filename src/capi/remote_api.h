// The service of a tapird, as libtapir's remote mode sees it: service::Api
// over the tapird protocol (docs/protocol.md).
//
// Calls: each Api method is one request/response round trip, blocking the
// caller (who holds the host's big lock, Host::call). Any thread may call;
// request ids come from an atomic counter and a map id -> promise, fulfilled
// by the connection's reader thread, which never takes the big lock.
//
// Events: "message" and "reply" go to the MessageSink the application gave
// initialize(). As in-process, sinks run on the host's loop thread with the
// big lock held: the reader thread posts each event to the ThreadLoop in
// arrival order, and the task finds the sink when it runs (so an event that
// beats initialize()'s answer still reaches the application).
//
// Losing the server (the connection ends, or tapird sends "shutdown"): every
// pending and later call fails with Fault::kReinit (LINEERR_REINIT: TAPI's
// answer while a reinitialization is pending, until every application has
// shut down), except shutdown(), which succeeds (the server already shut the
// applications down). Each application gets LINE_CLOSE for each line it
// still has open, then one LINE_LINEDEVSTATE(LINEDEVSTATE_REINIT) with
// hDevice and dwCallbackInstance 0 and dwParam2 0 (a "real" REINIT: call
// lineShutdown). Requests still outstanding get no LINE_REPLY. The host
// stays in that state until the last application shuts down; the next
// lineInitialize connects again.
#pragma once

#include <atomic>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/thread_loop.h"
#include "capi/host.h"
#include "protocol/codec.h"
#include "service/api.h"

namespace tapir::net {
class Client;
}

namespace tapir::capi {

class RemoteApi final : public service::Api {
 public:
  using Json = protocol::Json;

  // Connects to `server` ("unix:/path", "ws://host:port") and says hello
  // (protocol version, `token` if not empty, this client). Events go to
  // `loop`, which must outlive the RemoteApi's use of it (stop it first).
  static Result<std::unique_ptr<RemoteApi>> connect(const std::string& server,
                                                    const std::string& token, ThreadLoop& loop);
  // Without a connection: frames go to `send`; the owner feeds the server's
  // frames to onText() and the end to onClosed() (tests).
  RemoteApi(ThreadLoop& loop, std::function<Status(std::string)> send);
  ~RemoteApi() override;
  RemoteApi(const RemoteApi&) = delete;
  RemoteApi& operator=(const RemoteApi&) = delete;

  // The reader thread's entry points.
  void onText(std::string text);
  void onFrame(protocol::ServerFrame* frame);
  void onClosed(Status why);

  // One round trip: the result, or the server's error, or kReinit once the
  // connection is lost.
  Result<Json> request(std::string_view method, Json params) const;
  const Json& hello() const { return hello_; }
  bool lost() const;

  // tapird's sim.* methods (tapird --sim-control), each followed by letting
  // the loop deliver what arrived before its answer.
  Status simAdvance(std::uint32_t ms);
  Status simSettle();
  Result<std::uint32_t> simIncomingCall(const PartyId& from, const std::string& to,
                                        const std::string& script);
  Status simFarEnd(std::uint32_t leg, const std::string& action);
  // A SimControl over the four above.
  std::unique_ptr<SimControl> simControl();

  // ---- service::Api ----
  Result<service::AppHandle> initialize(service::AppInfo info, service::MessageSink* sink) override;
  Status shutdown(service::AppHandle app) override;
  std::uint32_t lineCount() const override;
  Result<std::uint32_t> negotiateApiVersion(service::AppHandle app, std::uint32_t deviceId,
                                            std::uint32_t low, std::uint32_t high) const override;
  Result<service::LineHandle> open(service::AppHandle app,
                                   const service::OpenParams& params) override;
  Status close(service::LineHandle line) override;
  Result<LineCaps> devCaps(service::AppHandle app, std::uint32_t deviceId,
                           std::uint32_t apiVersion) const override;
  Result<AddressCaps> addressCaps(service::AppHandle app, std::uint32_t deviceId,
                                  std::uint32_t addressId,
                                  std::uint32_t apiVersion) const override;
  Result<std::uint32_t> addressId(service::LineHandle line,
                                  std::string_view address) const override;
  Result<AddressStatus> addressStatus(service::LineHandle line,
                                      std::uint32_t addressId) const override;
  Result<service::LineDevStatusView> lineDevStatus(service::LineHandle line) const override;
  Status setStatusMessages(service::LineHandle line, std::uint32_t lineStates,
                           std::uint32_t addressStates) override;
  Result<std::pair<std::uint32_t, std::uint32_t>> statusMessages(
      service::LineHandle line) const override;
  Result<std::uint32_t> deviceIdOfLine(service::LineHandle line) const override;
  void broadcastLineState(std::uint32_t state) override;
  service::AppHandle appOf(std::uint32_t handle) const override;
  std::uint32_t apiVersionOf(std::uint32_t handle) const override;
  Result<std::uint32_t> deviceIdOfCall(service::CallHandle call) const override;
  Status setAppPriority(const std::string& module, std::uint32_t mediaMode,
                        std::uint32_t requestMode, std::uint32_t priority) override;
  Result<std::uint32_t> appPriority(const std::string& module, std::uint32_t mediaMode,
                                    std::uint32_t requestMode) const override;

  Result<service::CallInfoView> callInfo(service::CallHandle call) const override;
  Result<service::CallStatusView> callStatus(service::CallHandle call) const override;
  Status setCallPrivilege(service::CallHandle call, std::uint32_t priv) override;
  Result<std::vector<service::CallHandle>> newCalls(service::LineHandle line,
                                                    std::uint32_t addressId,
                                                    std::uint32_t select) override;
  Result<std::uint32_t> newCallCount(service::LineHandle line, std::uint32_t addressId,
                                     std::uint32_t select) const override;
  Result<std::vector<service::CallHandle>> confRelatedCalls(service::CallHandle call) override;
  Status handoff(service::CallHandle call, const std::string& module,
                 std::uint32_t mediaMode) override;
  Status deallocateCall(service::CallHandle call) override;
  Status setAppSpecific(service::CallHandle call, std::uint32_t value) override;
  Status monitorDigits(service::CallHandle call, std::uint32_t digitModes) override;

  Result<std::int32_t> makeCall(service::LineHandle line, std::uint32_t addressId,
                                std::string_view dest, const CallParams& params) override;
  Result<std::int32_t> dial(service::CallHandle call, std::string_view dest) override;
  Result<std::int32_t> accept(service::CallHandle call) override;
  Result<std::int32_t> answer(service::CallHandle call) override;
  Result<std::int32_t> drop(service::CallHandle call) override;
  Result<std::int32_t> hold(service::CallHandle call) override;
  Result<std::int32_t> unhold(service::CallHandle call) override;
  Result<std::int32_t> swapHold(service::CallHandle active, service::CallHandle held) override;
  Result<std::int32_t> secureCall(service::CallHandle call) override;
  Result<std::int32_t> redirect(service::CallHandle call, std::string_view dest) override;
  Result<std::int32_t> blindTransfer(service::CallHandle call, std::string_view dest) override;
  Result<std::int32_t> setupTransfer(service::CallHandle call, const CallParams& params) override;
  Result<std::int32_t> completeTransfer(service::CallHandle call, service::CallHandle consult,
                                        TransferMode mode) override;
  Result<std::int32_t> setupConference(service::CallHandle call, service::LineHandle line,
                                       std::uint32_t addressId, std::uint32_t numParties,
                                       const CallParams& params) override;
  Result<std::int32_t> prepareAddToConference(service::CallHandle conf,
                                              const CallParams& params) override;
  Result<std::int32_t> addToConference(service::CallHandle conf,
                                       service::CallHandle consult) override;
  Result<std::int32_t> removeFromConference(service::CallHandle call) override;
  Result<std::int32_t> park(service::CallHandle call, ParkMode mode, std::string_view orbit,
                            std::size_t maxOrbitLength) override;
  Result<std::int32_t> unpark(service::LineHandle line, std::uint32_t addressId,
                              std::string_view orbit) override;
  Result<std::int32_t> pickup(service::LineHandle line, std::uint32_t addressId,
                              std::string_view dest, std::string_view group) override;
  Result<std::int32_t> completeCall(service::CallHandle call, CompletionMode mode,
                                    std::uint32_t messageId) override;
  Result<std::int32_t> uncompleteCall(service::LineHandle line,
                                      std::uint32_t completionId) override;
  Result<std::int32_t> forward(service::LineHandle line, bool allAddresses,
                               std::uint32_t addressId, std::span<const ForwardEntry> entries,
                               std::uint32_t numRings) override;

 private:
  struct LineRec {
    service::AppHandle app = 0;
    std::uintptr_t instance = 0;
  };
  using Promise = std::promise<Result<Json>>;

  Status lostStatus() const;  // under mu_
  void lose(Status why);      // reader thread
  // Loop thread, big lock held: LINE_CLOSE and LINEDEVSTATE_REINIT.
  void announceLoss();
  service::MessageSink* sinkOf(service::AppHandle app) const;
  Result<std::int32_t> requestId(std::string_view method, Json params);

  ThreadLoop& loop_;
  std::function<Status(std::string)> send_;
  std::unique_ptr<net::Client> client_;
  Json hello_;
  std::atomic<bool> closing_{false};  // our own close: announce nothing

  mutable std::atomic<std::uint64_t> nextId_{0};
  mutable std::mutex mu_;
  mutable std::unordered_map<std::uint64_t, std::shared_ptr<Promise>> pending_;
  bool lost_ = false;
  std::string lostWhy_;
  std::map<service::AppHandle, service::MessageSink*> sinks_;
  std::map<service::LineHandle, LineRec> lines_;  // open lines, for LINE_CLOSE on loss
};

}  // namespace tapir::capi
