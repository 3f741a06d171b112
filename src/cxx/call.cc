// Call (ITCallInfo, ITBasicCallControl) and CallHub (ITCallHub).
#include <strings.h>

#include "cxx/core.h"
#include "cxx/mapping.h"

namespace tapir {

using detail::CallImpl;
using detail::Core;
using detail::Op;
using Operation = OperationEvent::Operation;
using service::Api;

namespace {

Status noCall() {
  return Status(Fault::kBadCallHandle, "an empty Call object");
}
Status stale() {
  return Status(Fault::kUninitialized, "the Telephony object was shut down");
}

Result<std::shared_ptr<Core>> coreOf(const std::weak_ptr<Core>& weak) {
  auto core = weak.lock();
  if (!core || !core->alive()) return stale();
  return core;
}

std::shared_ptr<Op> newOp(Operation kind, std::shared_ptr<CallImpl> call, bool waiter = true) {
  auto op = std::make_shared<Op>();
  op->kind = kind;
  op->call = std::move(call);
  op->waiter = waiter;
  return op;
}

// A request on the call's own handle, waited for.
Status simple(const std::shared_ptr<CallImpl>& impl, Operation kind,
              const std::function<Result<std::int32_t>(Api&, service::CallHandle)>& issue) {
  if (!impl) return noCall();
  auto core = coreOf(impl->core);
  if (!core) return core.status();
  auto h = (*core)->handleOf(*impl);
  if (!h) return h.status();
  return (*core)->run(newOp(kind, impl), [&](Api& api) { return issue(api, *h); });
}

// A call of the same Telephony, to act together with `impl`.
Result<std::shared_ptr<CallImpl>> partner(const std::shared_ptr<CallImpl>& impl,
                                          const Call& other) {
  const auto& o = Core::implOf(other);
  if (!o) return Status(Fault::kBadParam, "an empty Call object");
  if (o == impl) return Status(Fault::kBadParam, "a call cannot act with itself");
  if (o->core.lock() != impl->core.lock())
    return Status(Fault::kBadParam, "the calls belong to different Telephony objects");
  return o;
}

}  // namespace

bool operator==(const Call& a, const Call& b) noexcept {
  return a.impl_ == b.impl_;
}
bool operator==(const CallHub& a, const CallHub& b) noexcept {
  return a.impl_ == b.impl_;
}

// ---- call information ---------------------------------------------------------------

Address Call::address() const {
  return impl_ ? Core::makeAddress(impl_->address) : Address();
}

std::string Call::destination() const {
  return impl_ ? impl_->destination : std::string();
}

namespace {
template <class T>
T readField(const std::shared_ptr<CallImpl>& impl, T CallImpl::*field, T fallback) {
  if (!impl) return fallback;
  if (auto core = impl->core.lock()) {
    std::lock_guard lock(core->mutex());
    return (*impl).*field;
  }
  return (*impl).*field;
}
}  // namespace

Call::State Call::state() const {
  return readField(impl_, &CallImpl::state, State::kIdle);
}
Call::Cause Call::cause() const {
  return readField(impl_, &CallImpl::cause, Cause::kNone);
}
Call::Privilege Call::privilege() const {
  return readField(impl_, &CallImpl::privilege, Privilege::kOwner);
}

CallHub Call::callHub() const {
  return CallHub(readField(impl_, &CallImpl::hub, std::shared_ptr<detail::HubImpl>()));
}

Result<Call::Info> Call::info() const {
  if (!impl_) return noCall();
  auto core = coreOf(impl_->core);
  if (!core) return core.status();
  Info out;
  {
    std::lock_guard lock((*core)->mutex());
    out.state = impl_->state;
    out.cause = impl_->cause;
    out.privilege = impl_->privilege;
    out.detailedState = impl_->detailed;
    out.stateMode = impl_->stateMode;
    out.mediaTypes = impl_->mediaTypes;
    out.called.number = impl_->destination;
    if (impl_->handle == 0) return out;  // CS_IDLE: what createCall was given
  }
  auto h = (*core)->handleOf(*impl_);
  if (!h) return h.status();
  return (*core)->withApi([&](Api& api) -> Result<Info> {
    auto ci = api.callInfo(*h);
    if (!ci) return ci.status();
    auto cs = api.callStatus(*h);
    if (!cs) return cs.status();
    const CallInfo& i = ci->info;
    out.features = cs->status.features;
    out.features2 = cs->status.features2;
    out.secured = cs->status.secured;
    out.caller = i.caller;
    out.called = i.called;
    out.connected = i.connected;
    out.redirecting = i.redirecting;
    out.redirection = i.redirection;
    out.origin = i.origin;
    out.reason = i.reason;
    out.callId = i.callId;
    out.relatedCallId = i.relatedCallId;
    out.completionId = i.completionId;
    out.appSpecific = ci->appSpecific;
    out.numOwners = ci->numOwners;
    out.numMonitors = ci->numMonitors;
    out.mediaTypes = detail::fromMediaModes(i.mediaMode);
    out.trunk = i.trunk;
    out.comment = i.comment;
    out.displayableAddress = i.displayableAddress;
    out.calledPartyFriendlyName = i.calledParty;
    out.userUserInfo = i.userUserInfo;
    return out;
  });
}

Status Call::setAppSpecific(std::uint32_t value) {
  if (!impl_) return noCall();
  auto core = coreOf(impl_->core);
  if (!core) return core.status();
  auto h = (*core)->handleOf(*impl_);
  if (!h) return h.status();
  return (*core)->withApi([&](Api& api) { return api.setAppSpecific(*h, value); });
}

// ---- starting a call: connect, unpark, pickup --------------------------------------------

namespace {

// Marks a CS_IDLE call as started; the reply binds its handle.
Status start(Core& core, CallImpl& impl, const char* what) {
  std::lock_guard lock(core.mutex());
  if (impl.started)
    return Status(Fault::kBadCallState, std::string(what) + " needs a call in CS_IDLE");
  impl.started = true;
  return Status();
}

// After a request that never got going, the call is CS_IDLE again.
void unstart(Core& core, CallImpl& impl, const Status& st) {
  if (st.isOk() || st.code() == Code::kDeadlineExceeded) return;
  std::lock_guard lock(core.mutex());
  if (impl.handle == 0) impl.started = false;
}

// Issues a request that creates the call on the call's address.
Status startOn(const std::shared_ptr<CallImpl>& impl, const std::shared_ptr<Op>& op,
               const char* what,
               const std::function<Result<std::int32_t>(Api&, service::LineHandle)>& issue) {
  auto core = coreOf(impl->core);
  if (!core) return core.status();
  if (Status st = start(**core, *impl, what); !st) return st;
  op->bind = impl;
  Status st = (*core)->run(op, [&](Api& api) -> Result<std::int32_t> {
    auto line = (*core)->lineFor(api, *impl->address);
    if (!line) return line.status();
    return issue(api, *line);
  });
  unstart(**core, *impl, st);
  return st;
}

}  // namespace

Status Call::connect(bool sync) {
  if (!impl_) return noCall();
  auto op = newOp(Operation::kConnect, impl_, sync);
  // With a destination, connect() is done when the call connects or fails;
  // without one the call waits in dial tone for dial().
  if (!impl_->destination.empty()) op->awaitConnect = impl_;
  CallParams params;
  params.mediaMode = detail::callMediaMode(impl_->mediaTypes, impl_->address->lineMediaModes);
  const std::uint32_t address = impl_->address->addressId;
  return startOn(impl_, op, "connect()", [&](Api& api, service::LineHandle line) {
    return api.makeCall(line, address, impl_->destination, params);
  });
}

Status Call::unpark() {
  if (!impl_) return noCall();
  if (impl_->destination.empty())
    return Status(Fault::kBadAddress,
                  "unpark() needs a call created with the park orbit as destination");
  const std::uint32_t address = impl_->address->addressId;
  return startOn(impl_, newOp(Operation::kUnpark, impl_), "unpark()",
                 [&](Api& api, service::LineHandle line) {
                   return api.unpark(line, address, impl_->destination);
                 });
}

Status Call::pickup(std::string_view groupId) {
  if (!impl_) return noCall();
  const std::uint32_t address = impl_->address->addressId;
  const std::string group(groupId);
  return startOn(impl_, newOp(Operation::kPickup, impl_), "pickup()",
                 [&](Api& api, service::LineHandle line) {
                   return api.pickup(line, address, impl_->destination, group);
                 });
}

// ---- basic call control ------------------------------------------------------------------

Status Call::answer() {
  // The switch checks the state (OFFERING or ACCEPTED): the state events may
  // not have reached the application yet when it answers a notification.
  return simple(impl_, Operation::kAnswer,
                [](Api& api, service::CallHandle h) { return api.answer(h); });
}

Status Call::disconnect(DisconnectCode) {
  if (!impl_) return noCall();
  {
    auto core = coreOf(impl_->core);
    if (!core) return core.status();
    std::lock_guard lock((*core)->mutex());
    // S_FALSE in TAPI 3: nothing to disconnect.
    if (impl_->handle == 0 && !impl_->started) return Status();
    if (impl_->handle != 0 && impl_->detailed == CallState::kIdle) return Status();
  }
  return simple(impl_, Operation::kDisconnect,
                [](Api& api, service::CallHandle h) { return api.drop(h); });
}

Status Call::hold(bool onHold) {
  return simple(
      impl_, onHold ? Operation::kHold : Operation::kUnhold,
      [onHold](Api& api, service::CallHandle h) { return onHold ? api.hold(h) : api.unhold(h); });
}

Status Call::swapHold(Call& held) {
  if (!impl_) return noCall();
  auto other = partner(impl_, held);
  if (!other) return other.status();
  auto core = coreOf(impl_->core);
  if (!core) return core.status();
  auto hh = (*core)->handleOf(**other);
  if (!hh) return hh.status();
  return simple(impl_, Operation::kSwapHold,
                [&](Api& api, service::CallHandle h) { return api.swapHold(h, *hh); });
}

Status Call::blindTransfer(std::string_view destination) {
  const std::string dest(destination);
  return simple(impl_, Operation::kBlindTransfer,
                [&](Api& api, service::CallHandle h) { return api.blindTransfer(h, dest); });
}

Status Call::parkDirect(std::string_view orbit) {
  if (orbit.empty()) return Status(Fault::kBadAddress, "parkDirect() needs an orbit");
  const std::string where(orbit);
  return simple(impl_, Operation::kPark, [&](Api& api, service::CallHandle h) {
    return api.park(h, ParkMode::kDirected, where);
  });
}

Result<std::string> Call::parkIndirect() {
  if (!impl_) return noCall();
  auto core = coreOf(impl_->core);
  if (!core) return core.status();
  auto h = (*core)->handleOf(*impl_);
  if (!h) return h.status();
  auto op = newOp(Operation::kPark, impl_);
  Status st = (*core)->run(op, [&](Api& api) { return api.park(*h, ParkMode::kNonDirected, ""); });
  if (!st) return st;
  std::lock_guard lock((*core)->mutex());
  return op->address;
}

Status Call::dial(std::string_view digits) {
  const std::string d(digits);
  return simple(impl_, Operation::kDial,
                [&](Api& api, service::CallHandle h) { return api.dial(h, d); });
}

Status Call::removeFromConference() {
  return simple(impl_, Operation::kRemoveFromConference,
                [](Api& api, service::CallHandle h) { return api.removeFromConference(h); });
}

// ---- handoff ---------------------------------------------------------------------------------

namespace {

// TAPI 3: "If TAPI fails to hand off the call, TAPI will call Disconnect."
// An application that handed a call off keeps watching it as a monitor.
Status afterHandoff(Core& core, CallImpl& call, Api& api, service::CallHandle h, const Status& st,
                    bool toSelf) {
  if (st.fault() == Fault::kTargetNotFound) {
    (void)api.drop(h);
    return st;
  }
  if (st.isOk() && !toSelf && api.setCallPrivilege(h, service::privilege::kMonitor).isOk()) {
    std::lock_guard lock(core.mutex());
    call.privilege = Call::Privilege::kMonitor;
  }
  return st;
}

}  // namespace

Status Call::handoffDirect(std::string_view applicationName) {
  if (!impl_) return noCall();
  if (applicationName.empty())
    return Status(Fault::kBadAppName, "handoffDirect() needs an application name");
  auto core = coreOf(impl_->core);
  if (!core) return core.status();
  auto h = (*core)->handleOf(*impl_);
  if (!h) return h.status();
  const std::string name(applicationName);
  const bool toSelf = strcasecmp(name.c_str(), (*core)->options().moduleName.c_str()) == 0;
  return (*core)->withApi([&](Api& api) {
    return afterHandoff(**core, *impl_, api, *h, api.handoff(*h, name, 0), toSelf);
  });
}

Status Call::handoffIndirect(std::uint32_t mediaType) {
  if (!impl_) return noCall();
  if (std::popcount(mediaType) != 1 || (mediaType & ~detail::kKnownMediaTypes))
    return Status(Fault::kBadMediaMode, "handoffIndirect() needs exactly one media type");
  auto core = coreOf(impl_->core);
  if (!core) return core.status();
  auto h = (*core)->handleOf(*impl_);
  if (!h) return h.status();
  const std::uint32_t modes = detail::toMediaModes(mediaType, ~0u);
  return (*core)->withApi([&](Api& api) {
    // Audio: whoever takes interactive voice first, else automated voice.
    Status st(Fault::kTargetNotFound, "no application handles that media type on this line");
    for (std::uint32_t m : {media_mode::kInteractiveVoice, media_mode::kAutomatedVoice,
                            media_mode::kDataModem, media_mode::kG3Fax, 0x00008000u}) {
      if (!(modes & m)) continue;
      st = api.handoff(*h, "", m);
      if (st.fault() != Fault::kTargetNotFound) break;
    }
    return afterHandoff(**core, *impl_, api, *h, st, false);
  });
}

// ---- consultation: transfer, conference, finish ---------------------------------------------

namespace {

// transfer() and conference(): sets up `consult` for the call and connects it
// to its destination, or uses it as it is when it is already up.
Status consultation(const std::shared_ptr<CallImpl>& impl, Call& consultCall, bool sync,
                    CallImpl::Consult kind) {
  if (!impl) return noCall();
  auto consult = partner(impl, consultCall);
  if (!consult) return consult.status();
  auto core = coreOf(impl->core);
  if (!core) return core.status();
  auto h = (*core)->handleOf(*impl);
  if (!h) return h.status();
  const bool conf = kind == CallImpl::Consult::kConference;
  const Operation opKind = conf ? Operation::kConference : Operation::kTransfer;
  auto c = *consult;
  service::CallHandle root = 0;
  bool fresh;
  {
    std::lock_guard lock((*core)->mutex());
    if (c->address->deviceId != impl->address->deviceId)
      return Status(Fault::kBadParam, "the consultation call must be on the same line");
    if (c->consult != CallImpl::Consult::kNone)
      return Status(Fault::kBadCallState,
                    "the consultation call is already in use for a transfer or conference");
    fresh = !c->started;
    if (fresh && c->destination.empty())
      return Status(Fault::kBadParam, "the consultation call has no destination to connect to");
    if (conf && impl->hub && impl->hub->state == CallHub::State::kActive) root = impl->hub->root;
    c->consult = kind;
    c->primary = impl;
    if (fresh) c->started = true;
  }
  auto op = newOp(opKind, c, sync);
  Status st;
  if (fresh) {
    // The switch makes the consultation call; then it dials the destination.
    op->dialAfter = c->destination;
    op->awaitConnect = c;
    if (!conf) {
      op->bind = c;
      st = (*core)->run(op, [&](Api& api) { return api.setupTransfer(*h, CallParams()); });
    } else if (root) {
      op->bind = c;
      st = (*core)->run(op,
                        [&](Api& api) { return api.prepareAddToConference(root, CallParams()); });
    } else {
      op->newHub = true;
      op->bind2 = c;
      st = (*core)->run(op,
                        [&](Api& api) { return api.setupConference(*h, 0, 0, 3, CallParams()); });
    }
  } else {
    // A call already up: hold what it will join (the conference, or the call),
    // unless it is on hold already.
    const service::CallHandle toHold = root ? root : *h;
    bool held;
    {
      std::lock_guard lock((*core)->mutex());
      const CallState s = root ? impl->hub->rootState : impl->detailed;
      held = s == CallState::kOnHold || s == CallState::kOnHoldPendConf ||
             s == CallState::kOnHoldPendTransfer;
    }
    st =
        held ? (*core)->complete(op) : (*core)->run(op, [&](Api& api) { return api.hold(toHold); });
  }
  if (!st && st.code() != Code::kDeadlineExceeded) {
    std::lock_guard lock((*core)->mutex());
    // Usable again unless the switch already made it.
    if (c->handle == 0 || !fresh) {
      c->consult = CallImpl::Consult::kNone;
      c->primary.reset();
    }
    if (fresh && c->handle == 0) c->started = false;
  }
  return st;
}

}  // namespace

Status Call::transfer(Call& consult, bool sync) {
  return consultation(impl_, consult, sync, CallImpl::Consult::kTransfer);
}

Status Call::conference(Call& consult, bool sync) {
  return consultation(impl_, consult, sync, CallImpl::Consult::kConference);
}

Status Call::finish(FinishMode mode) {
  if (!impl_) return noCall();
  auto core = coreOf(impl_->core);
  if (!core) return core.status();
  auto h = (*core)->handleOf(*impl_);
  if (!h) return h.status();
  std::shared_ptr<CallImpl> primary;
  CallImpl::Consult kind;
  service::CallHandle root = 0;
  {
    std::lock_guard lock((*core)->mutex());
    kind = impl_->consult;
    primary = impl_->primary.lock();
    if (kind == CallImpl::Consult::kNone || !primary)
      return Status(Fault::kBadCallState,
                    "finish() is for a consultation call of transfer() or conference()");
    if (kind == CallImpl::Consult::kConference && mode == FinishMode::kAsTransfer)
      return Status(Fault::kBadCallState, "the call was set up for a conference, not a transfer");
    if (primary->hub && primary->hub->state == CallHub::State::kActive) root = primary->hub->root;
  }
  auto ph = (*core)->handleOf(*primary);
  if (!ph) return ph.status();
  auto op = newOp(Operation::kFinish, impl_);
  Status st;
  if (kind == CallImpl::Consult::kConference && root) {
    st = (*core)->run(op, [&](Api& api) { return api.addToConference(root, *h); });
  } else {
    const bool asConf = mode == FinishMode::kAsConference;
    op->newHub = asConf;
    st = (*core)->run(op, [&](Api& api) {
      return api.completeTransfer(*ph, *h,
                                  asConf ? TransferMode::kConference : TransferMode::kTransfer);
    });
  }
  if (st) {
    std::lock_guard lock((*core)->mutex());
    impl_->consult = CallImpl::Consult::kNone;
    impl_->primary.reset();
  }
  return st;
}

// ---- CallHub ------------------------------------------------------------------------------

CallHub::State CallHub::state() const {
  if (!impl_) return State::kIdle;
  if (auto core = impl_->core.lock()) {
    std::lock_guard lock(core->mutex());
    return impl_->state;
  }
  return impl_->state;
}

std::vector<Call> CallHub::calls() const {
  if (!impl_) return {};
  auto core = impl_->core.lock();
  if (!core) return {};
  return core->hubCalls(*impl_);
}

std::size_t CallHub::numCalls() const {
  return calls().size();
}

Status CallHub::clear() {
  if (!impl_) return Status(Fault::kBadConfCallHandle, "an empty CallHub object");
  auto core = coreOf(impl_->core);
  if (!core) return core.status();
  service::CallHandle root;
  {
    std::lock_guard lock((*core)->mutex());
    if (impl_->state == State::kIdle) return Status();  // nothing left to clear
    root = impl_->root;
  }
  return (*core)->run(newOp(Operation::kClear, nullptr), [&](Api& api) { return api.drop(root); });
}

}  // namespace tapir
