// Service: the TAPISRV analogue. Applications register, open lines with
// privileges and media modes, get their own handles to calls, and drive a
// Provider; the service routes the provider's events to every application
// concerned as TAPI 2.x line messages.
//
// All methods run on the loop thread that owns the provider (callers on
// other threads hold the host's lock; see capi/host.h). Errors are Status
// faults; the C edge turns them into LINEERR_* values.
//
// Handles (HLINEAPP, HLINE, HCALL) are 32-bit values from one counter and are
// never reused while the service runs, so a stale or foreign handle is always
// detected.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/event_loop.h"
#include "service/api.h"
#include "service/messages.h"
#include "tapir/provider.h"

namespace tapir::service {

class Service final : public Api, public ProviderListener {
 public:
  Service(EventLoop& loop, Provider& provider);
  ~Service() override;
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // ---- applications, lines --------------------------------------------------
  Result<AppHandle> initialize(AppInfo info, MessageSink* sink) override;
  Status shutdown(AppHandle app) override;
  // Closes every line of the application as when the service goes away:
  // calls it alone owns are dropped and each line gets LINE_CLOSE (tapird's
  // shutdown). The application stays initialized.
  Status closeLines(AppHandle app);
  std::uint32_t lineCount() const override { return provider_.lineCount(); }
  Result<std::uint32_t> negotiateApiVersion(AppHandle app, std::uint32_t deviceId,
                                            std::uint32_t low, std::uint32_t high) const override;
  Result<LineHandle> open(AppHandle app, const OpenParams& params) override;
  Status close(LineHandle line) override;
  Result<LineCaps> devCaps(AppHandle app, std::uint32_t deviceId,
                           std::uint32_t apiVersion) const override;
  Result<AddressCaps> addressCaps(AppHandle app, std::uint32_t deviceId, std::uint32_t addressId,
                                  std::uint32_t apiVersion) const override;
  Result<std::uint32_t> addressId(LineHandle line, std::string_view address) const override;
  Result<AddressStatus> addressStatus(LineHandle line, std::uint32_t addressId) const override;
  Result<LineDevStatusView> lineDevStatus(LineHandle line) const override;
  Status setStatusMessages(LineHandle line, std::uint32_t lineStates,
                           std::uint32_t addressStates) override;
  Result<std::pair<std::uint32_t, std::uint32_t>> statusMessages(LineHandle line) const override;
  Result<std::uint32_t> deviceIdOfLine(LineHandle line) const override;
  void broadcastLineState(std::uint32_t state) override;
  AppHandle appOf(std::uint32_t handle) const override;
  std::uint32_t apiVersionOf(std::uint32_t handle) const override;
  Result<std::uint32_t> deviceIdOfCall(CallHandle call) const override;
  Status setAppPriority(const std::string& module, std::uint32_t mediaMode,
                        std::uint32_t requestMode, std::uint32_t priority) override;
  Result<std::uint32_t> appPriority(const std::string& module, std::uint32_t mediaMode,
                                    std::uint32_t requestMode) const override;

  // ---- call handles ---------------------------------------------------------
  Result<CallInfoView> callInfo(CallHandle call) const override;
  Result<CallStatusView> callStatus(CallHandle call) const override;
  Status setCallPrivilege(CallHandle call, std::uint32_t priv) override;
  Result<std::vector<CallHandle>> newCalls(LineHandle line, std::uint32_t addressId,
                                           std::uint32_t select) override;
  Result<std::uint32_t> newCallCount(LineHandle line, std::uint32_t addressId,
                                     std::uint32_t select) const override;
  Result<std::vector<CallHandle>> confRelatedCalls(CallHandle call) override;
  // module empty: indirect handoff by media mode.
  Status handoff(CallHandle call, const std::string& module, std::uint32_t mediaMode) override;
  Status deallocateCall(CallHandle call) override;
  Status setAppSpecific(CallHandle call, std::uint32_t value) override;
  Status monitorDigits(CallHandle call, std::uint32_t digitModes) override;

  // ---- session operations: a request id (> 0), then LINE_REPLY --------------
  Result<std::int32_t> makeCall(LineHandle line, std::uint32_t addressId, std::string_view dest,
                                const CallParams& params) override;
  Result<std::int32_t> dial(CallHandle call, std::string_view dest) override;
  Result<std::int32_t> accept(CallHandle call) override;
  Result<std::int32_t> answer(CallHandle call) override;
  Result<std::int32_t> drop(CallHandle call) override;
  Result<std::int32_t> hold(CallHandle call) override;
  Result<std::int32_t> unhold(CallHandle call) override;
  Result<std::int32_t> swapHold(CallHandle active, CallHandle held) override;
  Result<std::int32_t> secureCall(CallHandle call) override;
  Result<std::int32_t> redirect(CallHandle call, std::string_view dest) override;
  Result<std::int32_t> blindTransfer(CallHandle call, std::string_view dest) override;
  Result<std::int32_t> setupTransfer(CallHandle call, const CallParams& params) override;
  Result<std::int32_t> completeTransfer(CallHandle call, CallHandle consult,
                                        TransferMode mode) override;
  // call == 0: the conference starts on `line` at `addressId`.
  Result<std::int32_t> setupConference(CallHandle call, LineHandle line, std::uint32_t addressId,
                                       std::uint32_t numParties, const CallParams& params) override;
  Result<std::int32_t> prepareAddToConference(CallHandle conf, const CallParams& params) override;
  Result<std::int32_t> addToConference(CallHandle conf, CallHandle consult) override;
  Result<std::int32_t> removeFromConference(CallHandle call) override;
  Result<std::int32_t> park(CallHandle call, ParkMode mode, std::string_view orbit,
                            std::size_t maxOrbitLength = kAnyOrbitLength) override;
  Result<std::int32_t> unpark(LineHandle line, std::uint32_t addressId,
                              std::string_view orbit) override;
  Result<std::int32_t> pickup(LineHandle line, std::uint32_t addressId, std::string_view dest,
                              std::string_view group) override;
  Result<std::int32_t> completeCall(CallHandle call, CompletionMode mode,
                                    std::uint32_t messageId) override;
  Result<std::int32_t> uncompleteCall(LineHandle line, std::uint32_t completionId) override;
  Result<std::int32_t> forward(LineHandle line, bool allAddresses, std::uint32_t addressId,
                               std::span<const ForwardEntry> entries,
                               std::uint32_t numRings) override;

  // ---- ProviderListener -----------------------------------------------------
  void onReply(RequestId req, const Status& status, const ReplyData& data) override;
  void onNewCall(CallId call, LineId line, std::uint32_t address) override;
  void onCallState(CallId call, CallState state, std::uint32_t mode) override;
  void onCallInfo(CallId call, std::uint32_t changed) override;
  void onLineEvent(LineId line, std::uint32_t event, std::uint32_t p1, std::uint32_t p2) override;
  void onAddressEvent(LineId line, std::uint32_t address, std::uint32_t events) override;
  void onDigit(CallId call, char digit) override;

  // ---- introspection (tests, daemon) -----------------------------------------
  std::size_t appCount() const { return apps_.size(); }
  std::size_t callHandleCount() const { return handles_.size(); }
  std::size_t trackedCalls() const { return calls_.size(); }

 private:
  struct App {
    AppHandle handle = 0;
    AppInfo info;
    MessageSink* sink = nullptr;
    std::vector<LineHandle> lines;
  };
  struct Line {
    LineHandle handle = 0;
    AppHandle app = 0;
    std::uint32_t deviceId = 0;
    LineId line;
    OpenParams params;
    std::uint32_t lineStates = 0;
    std::uint32_t addressStates = 0;
    std::vector<CallHandle> calls;
  };
  struct Handle {
    CallHandle handle = 0;
    LineHandle line = 0;
    AppHandle app = 0;
    CallId call;
    std::uint32_t privilege = privilege::kMonitor;
    bool pending = false;   // created by a request that has not replied yet
    bool announce = false;  // next LINE_CALLSTATE carries the privilege
    std::uint32_t digitModes = 0;
  };
  struct Call {
    CallId id;
    std::vector<CallHandle> handles;
    std::uint32_t appSpecific = 0;
    std::string appName;  // first application to originate or answer it
    CallState state = CallState::kUnknown;
  };
  enum class Kind : std::uint8_t { kPlain, kNewCall, kConference };
  struct Request {
    AppHandle app = 0;
    LineHandle line = 0;
    // Handles created at request time, valid from the reply on.
    CallHandle call = 0;
    CallHandle call2 = 0;
    bool suppressed = false;  // the line closed: no reply is delivered
  };

  std::uint32_t nextHandle();
  std::int32_t nextRequest();
  App* findApp(AppHandle h);
  const App* findApp(AppHandle h) const;
  Line* findLine(LineHandle h);
  const Line* findLine(LineHandle h) const;
  Handle* findHandle(CallHandle h);
  const Handle* findHandle(CallHandle h) const;
  Result<Handle*> ownerHandle(CallHandle h);
  Result<Handle*> anyHandle(CallHandle h);
  Result<Line*> lineOf(LineHandle h);
  // The calls on a line (or one address) its application has no handle to.
  Result<std::vector<CallId>> unhandledCalls(const Line& line, std::uint32_t addressId,
                                             std::uint32_t select) const;

  Call& track(CallId id);
  CallHandle addHandle(Line& line, CallId call, std::uint32_t priv, bool pending);
  void removeHandle(CallHandle h, bool closeIfUnused);
  void maybeForget(CallId id);
  Handle* handleOf(AppHandle app, LineHandle line, CallId call);
  std::uint32_t owners(const Call& call) const;
  void countsChanged(Call& call, std::uint32_t fields, CallHandle except = 0);
  void giveToMonitors(CallId call, LineId lineId, std::uint32_t address, AppHandle except,
                      bool unknownFirst);
  const Line* ownerFor(LineId line, std::uint32_t address, std::uint32_t mediaMode,
                       const std::string& module) const;
  std::vector<const Line*> opensOf(LineId line) const;
  void send(const Line& line, const Message& m);
  void sendCall(const Handle& h, std::uint32_t msgId, std::uintptr_t p1, std::uintptr_t p2,
                std::uintptr_t p3);
  void closeLine(Line& line, bool notifyApp);
  Result<std::int32_t> begin(AppHandle app, LineHandle line, CallHandle call = 0,
                             CallHandle call2 = 0);
  Result<std::int32_t> finish(std::int32_t req, const Status& sync);
  int priorityRank(const std::string& module, std::uint32_t mediaMode) const;

  EventLoop& loop_;
  Provider& provider_;
  std::unordered_map<AppHandle, App> apps_;
  std::unordered_map<LineHandle, Line> lines_;
  std::unordered_map<LineId, std::vector<LineHandle>> opens_;  // by device, in open order
  std::unordered_map<CallHandle, Handle> handles_;
  std::unordered_map<CallId, Call> calls_;
  std::unordered_map<std::int32_t, Request> requests_;
  // lineSetAppPriority: per media mode (0: assisted telephony), module names,
  // highest priority first.
  std::map<std::uint32_t, std::vector<std::string>> priorities_;
  std::uint32_t lastHandle_ = 0;
  std::int32_t lastRequest_ = 0;
};

}  // namespace tapir::service
