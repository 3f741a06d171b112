// The C++ object API's engine: one Core per Telephony.
//
// The Core is a service application (service::Api + MessageSink), like a C
// application of libtapir, and turns the TAPI 2.x messages it gets into the
// TAPI 3.x object model: Call objects per call handle, CallHubs per
// conference call, events with TAPI 3 states and causes.
//
// Locks, in the order they may be taken:
//   hostUse_  keeps the host (service, switch, loop) alive while a user thread
//             uses it; shutdown takes it to let go of the host;
//   the host's big lock (Host::call): held by the loop thread whenever it runs
//             the service, hence around deliver() and deliverReply();
//   mu_       the Core's own state: registries, operations, call fields.
// No shared_ptr to a CallImpl or HubImpl is dropped while mu_ is held (their
// destructors take mu_); code that removes them moves them to a local first.
//
// Operations (Op) are service requests and what follows their LINE_REPLY: a
// dial on the new consultation call, then waiting for a call to connect. A
// thread may wait for an Op (the synchronous methods); an Op nobody waits for
// ends with an OperationEvent.
#pragma once

#include <tapir/tapir.h>

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/delivery_queue.h"
#include "capi/host.h"
#include "service/api.h"

namespace tapir::detail {

using service::CallHandle;
using service::LineHandle;
using Operation = OperationEvent::Operation;

struct AddressRef {
  std::weak_ptr<Core> core;
  std::uint32_t deviceId = 0;
  std::uint32_t addressId = 0;
  std::uint32_t numAddresses = 1;  // on its line
  std::uint32_t apiVersion = 0;
  std::uint32_t lineMediaModes = 0;
  std::string name;
  std::string dialable;
};

struct Op;
struct HubImpl;
struct Batch;

struct CallImpl {
  enum class Consult { kNone, kTransfer, kConference };

  CallImpl(std::weak_ptr<Core> c, std::shared_ptr<const AddressRef> a)
      : core(std::move(c)), address(std::move(a)) {}
  ~CallImpl();

  const std::weak_ptr<Core> core;
  const std::shared_ptr<const AddressRef> address;
  std::string destination;
  std::uint32_t mediaTypes = media_type::kAudio;

  // Guarded by Core::mu_.
  CallHandle handle = 0;
  bool started = false;  // connect, unpark or pickup was asked for
  Call::State state = Call::State::kIdle;
  Call::Cause cause = Call::Cause::kNone;
  Call::Privilege privilege = Call::Privilege::kOwner;
  CallState detailed = CallState::kIdle;
  std::uint32_t stateMode = 0;
  std::shared_ptr<HubImpl> hub;
  Consult consult = Consult::kNone;
  std::weak_ptr<CallImpl> primary;  // the call a consultation is for
};

struct HubImpl {
  explicit HubImpl(std::weak_ptr<Core> c) : core(std::move(c)) {}
  ~HubImpl();

  const std::weak_ptr<Core> core;
  // Guarded by Core::mu_.
  CallHandle root = 0;  // the conference call
  CallHub::State state = CallHub::State::kActive;
  CallState rootState = CallState::kUnknown;  // the conference call's TAPI 2 state
  std::vector<std::weak_ptr<CallImpl>> members;
};

struct Op {
  Operation kind = Operation::kConnect;
  bool waiter = true;   // a thread waits; false: the outcome goes out as an event
  bool silent = false;  // the library's own request (a release): no event
  bool done = false;
  Status result;
  std::shared_ptr<CallImpl> call;          // the call the outcome is about
  std::shared_ptr<CallImpl> bind;          // receives the reply's call handle
  std::shared_ptr<CallImpl> bind2;         // receives the reply's second call handle
  bool newHub = false;                     // the reply's call handle is a conference call
  std::string dialAfter;                   // then dial this on `awaitConnect`
  std::shared_ptr<CallImpl> awaitConnect;  // then wait for this call to connect
  std::string address;                     // the reply's address (the park orbit)
};

class Core final : public service::MessageSink, public std::enable_shared_from_this<Core> {
 public:
  static Result<std::shared_ptr<Core>> create(TelephonyOptions options);
  ~Core() override;

  Status shutdown();
  bool alive() const;

  // ---- objects ----
  static Address makeAddress(std::shared_ptr<const AddressRef> ref) {
    return Address(std::move(ref));
  }
  static Call makeCall(std::shared_ptr<CallImpl> impl) { return Call(std::move(impl)); }
  static CallHub makeHub(std::shared_ptr<HubImpl> impl) { return CallHub(std::move(impl)); }
  static const std::shared_ptr<CallImpl>& implOf(const Call& c) { return c.impl_; }
  static const std::shared_ptr<HubImpl>& implOf(const CallHub& h) { return h.impl_; }
  static const std::shared_ptr<const AddressRef>& refOf(const Address& a) { return a.ref_; }

  const std::vector<std::shared_ptr<const AddressRef>>& addresses() const { return addresses_; }
  std::vector<Call> calls(const AddressRef* only) const;
  std::vector<CallHub> hubs() const;
  std::vector<Call> hubCalls(const HubImpl& hub) const;

  // ---- the host ----
  // Runs f(api) under the host's lock; kUninitialized after shutdown.
  template <class F>
  auto withApi(F&& f) -> decltype(f(std::declval<service::Api&>()));
  // f(Host&), with the host's lock not taken (for the dialing engine).
  Status withHost(const std::function<Status(capi::Host&)>& f);
  service::AppHandle app() const { return app_; }
  const TelephonyOptions& options() const { return options_; }

  // The line to use for an address (opened with no privilege if the
  // application did not register for it). Under the host's lock.
  Result<LineHandle> lineFor(service::Api& api, const AddressRef& a);
  Result<std::uint32_t> registerAddress(const AddressRef& a, bool owner, bool monitor,
                                        std::uint32_t mediaTypes);
  Status unregister(std::uint32_t registration);

  // ---- operations ----
  // Issues a request (under the host's lock) and, unless `op.waiter` is
  // false, waits for the operation to finish.
  Status run(std::shared_ptr<Op> op,
             const std::function<Result<std::int32_t>(service::Api&)>& issue);
  // An operation that needed nothing from the switch: done now (waited for)
  // or reported by an OperationEvent.
  Status complete(std::shared_ptr<Op> op);
  // The service handle of a call that can be operated on.
  Result<CallHandle> handleOf(const CallImpl& call) const;
  std::mutex& mutex() const { return mu_; }

  // ---- events ----
  std::uint32_t eventFilter() const;
  void setEventFilter(std::uint32_t kinds);
  std::optional<Event> nextEvent(std::chrono::milliseconds timeout);
  int eventFd() const;

  // A call or conference call handle the application no longer references.
  void release(CallHandle h);

  // ---- service::MessageSink (loop thread, host lock held) ----
  void deliver(const service::Message& m) override;
  void deliverReply(std::int32_t request, std::uintptr_t instance, const Status& result,
                    const service::ReplyPayload& payload) override;

 private:
  explicit Core(TelephonyOptions options);

  struct LineRec {
    LineHandle handle = 0;
    std::shared_ptr<const AddressRef> address;
    std::uint32_t registration = 0;  // 0: opened by the library for outgoing work
  };

  // Under mu_ (Batch: events and references to let go of once it is released).
  void emit(Batch& b, Event e);
  void finish(Batch& b, const std::shared_ptr<Op>& op, Status st);
  void bindCall(const std::shared_ptr<CallImpl>& c, CallHandle h);
  std::shared_ptr<HubImpl> hubFor(CallHandle root, bool announce, Batch& b);
  std::shared_ptr<CallImpl> findCall(CallHandle h) const;
  const LineRec* lineRec(LineHandle h) const;
  void onNewCall(Batch& b, const LineRec& line, std::uint32_t addressId, CallHandle h,
                 std::uint32_t privilege);
  void onCallState(Batch& b, CallHandle h, CallState s, std::uint32_t mode, std::uintptr_t p2,
                   std::uintptr_t p3);
  void onLineState(Batch& b, const LineRec& line, std::uint32_t states, std::uintptr_t p3);
  // Runs f on the loop thread under the host's lock, if the Core is still alive.
  void post(std::function<void(Core&, service::Api&)> f);
  // Without mu_: hands the batch's events to the application.
  void flush(Batch& b);
  // On the loop thread, without mu_.
  void releaseNow(service::Api& api, CallHandle h);
  void continueOp(service::Api& api, const std::shared_ptr<Op>& op);

  TelephonyOptions options_;
  std::vector<std::shared_ptr<const AddressRef>> addresses_;

  std::mutex hostUse_;
  std::shared_ptr<capi::Host> host_;  // null after shutdown
  service::Api* api_ = nullptr;       // the host's, for the loop thread's use
  service::AppHandle app_ = 0;

  mutable std::mutex mu_;
  std::condition_variable cv_;  // an Op finished
  bool alive_ = false;
  std::uint32_t filter_ = event_kind::kAll;
  std::map<LineHandle, LineRec> lines_;
  std::uint32_t nextRegistration_ = 0;
  std::unordered_map<CallHandle, std::weak_ptr<CallImpl>> calls_;
  std::unordered_map<CallHandle, std::shared_ptr<CallImpl>> keep_;  // calls not yet disconnected
  std::unordered_map<CallHandle, std::weak_ptr<HubImpl>> hubs_;
  std::unordered_map<CallHandle, std::shared_ptr<HubImpl>> keepHubs_;  // conferences not yet idle
  std::unordered_map<std::int32_t, std::shared_ptr<Op>> ops_;          // by request id
  std::unordered_map<CallHandle, std::shared_ptr<Op>> connecting_;     // by the call awaited
  std::unordered_set<CallHandle> releasing_;  // dropped on release; deallocated when idle

  std::unique_ptr<DeliveryQueue<Event>> queue_;
};

template <class F>
auto Core::withApi(F&& f) -> decltype(f(std::declval<service::Api&>())) {
  std::lock_guard use(hostUse_);
  if (!host_) return Status(Fault::kUninitialized, "the Telephony object was shut down");
  return host_->call(std::forward<F>(f));
}

}  // namespace tapir::detail
