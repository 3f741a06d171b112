#include "cxx/core.h"

#include <algorithm>
#include <bit>

#include "cxx/mapping.h"
#include "service/messages.h"

namespace tapir::detail {

namespace {

namespace msg = service::msg;

constexpr std::uint32_t kLineStates = 0x00000002 /*RINGING*/ | 0x00000010 /*MSGWAITON*/ |
                                      0x00000020 /*MSGWAITOFF*/ | 0x00000040 /*INSERVICE*/ |
                                      0x00000080 /*OUTOFSERVICE*/ | 0x00040000 /*REINIT*/ |
                                      0x00100000 /*CAPSCHANGE*/ | 0x00200000 /*CONFIGCHANGE*/ |
                                      0x00400000 /*TRANSLATECHANGE*/ | 0x01000000 /*REMOVED*/;
constexpr std::uint32_t kAddressStates = address_event::kForward | address_event::kCapsChange;
constexpr std::uint32_t kApi20 = 0x00020000;

Status stale() {
  return Status(Fault::kUninitialized, "the Telephony object was shut down");
}

}  // namespace

// Events and graves collected under mu_, handed out after it is released.
struct Batch {
  std::uint32_t filter = 0;
  std::vector<Event> events;
  std::vector<std::shared_ptr<void>> grave;
};

CallImpl::~CallImpl() {
  if (handle == 0) return;
  if (auto c = core.lock()) c->release(handle);
}

HubImpl::~HubImpl() {
  if (root == 0) return;
  if (auto c = core.lock()) c->release(root);
}

Core::Core(TelephonyOptions options) : options_(std::move(options)) {
  filter_ = options_.eventFilter;
  if (options_.moduleName.empty()) options_.moduleName = capi::programName();
}

Result<std::shared_ptr<Core>> Core::create(TelephonyOptions options) {
  if (options.syncTimeout.count() < 0)
    return Status(Fault::kBadParam, "syncTimeout must not be negative");
  std::shared_ptr<Core> core(new Core(std::move(options)));
  core->queue_ = std::make_unique<DeliveryQueue<Event>>(
      core->options_.onEvent
          ? DeliveryQueue<Event>::Callback([f = core->options_.onEvent](Event& e) { f(e); })
          : DeliveryQueue<Event>::Callback());
  if (!core->queue_->valid())
    return Status(Fault::kResourceUnavail, "cannot create the event descriptor");
  auto host = capi::Host::acquire();
  if (!host)
    return Status(Fault::kResourceUnavail,
                  "cannot start the telephony service: " + host.status().message());
  core->host_ = *host;
  std::weak_ptr<Core> weak = core;
  Status st = core->host_->call([&](service::Api& api) -> Status {
    auto app = api.initialize({core->options_.appName, core->options_.moduleName}, core.get());
    if (!app) return app.status();
    core->app_ = *app;
    core->api_ = &api;
    for (std::uint32_t dev = 0; dev < api.lineCount(); ++dev) {
      auto version = api.negotiateApiVersion(*app, dev, kApi20, service::kMaxApiVersion);
      if (!version) continue;
      auto caps = api.devCaps(*app, dev, *version);
      if (!caps) continue;
      const auto n = static_cast<std::uint32_t>(caps->addresses.size());
      for (std::uint32_t i = 0; i < n; ++i) {
        auto ref = std::make_shared<AddressRef>();
        ref->core = weak;
        ref->deviceId = dev;
        ref->addressId = i;
        ref->numAddresses = n;
        ref->apiVersion = *version;
        ref->lineMediaModes = caps->mediaModes;
        ref->name = caps->addresses[i].name.empty() ? caps->name : caps->addresses[i].name;
        ref->dialable = caps->addresses[i].address;
        core->addresses_.push_back(std::move(ref));
      }
    }
    std::lock_guard lock(core->mu_);
    core->alive_ = true;
    return Status();
  });
  if (!st) {
    core->host_.reset();
    capi::Host::release();
    return st;
  }
  return core;
}

// Normally shut down by the Telephony already. The last reference may go
// on the loop thread (a task's), which must not take hostUse_ then.
Core::~Core() {
  if (host_) (void)shutdown();
}

bool Core::alive() const {
  std::lock_guard lock(mu_);
  return alive_;
}

Status Core::shutdown() {
  std::vector<std::shared_ptr<void>> grave;
  {
    std::lock_guard use(hostUse_);
    if (!host_) return Status();
    host_->call([&](service::Api& api) {
      (void)api.shutdown(app_);  // closes the lines: calls only we owned are dropped
      std::lock_guard lock(mu_);
      alive_ = false;
      for (auto& [h, c] : keep_)
        grave.push_back(std::move(c));
      for (auto& [h, hub] : keepHubs_)
        grave.push_back(std::move(hub));
      keep_.clear();
      keepHubs_.clear();
      calls_.clear();
      hubs_.clear();
      lines_.clear();
      releasing_.clear();
      auto fail = [&](auto& pending) {
        for (auto& [key, op] : pending) {
          op->done = true;
          op->result = stale();
          grave.push_back(std::move(op));
        }
        pending.clear();
      };
      fail(ops_);
      fail(connecting_);
    });
    cv_.notify_all();
    host_.reset();
    api_ = nullptr;
    capi::Host::release();
  }
  // Handles are gone with the registration: the objects' destructors find the
  // Core dead and release nothing.
  grave.clear();
  queue_->close();  // outside hostUse_: the callback may be inside a method
  return Status();
}

Status Core::withHost(const std::function<Status(capi::Host&)>& f) {
  std::lock_guard use(hostUse_);
  if (!host_) return stale();
  return f(*host_);
}

// ---- lines -----------------------------------------------------------------------------

const Core::LineRec* Core::lineRec(LineHandle h) const {
  auto it = lines_.find(h);
  return it == lines_.end() ? nullptr : &it->second;
}

Result<LineHandle> Core::lineFor(service::Api& api, const AddressRef& a) {
  {
    std::lock_guard lock(mu_);
    if (!alive_) return stale();
    LineHandle lazy = 0;
    for (const auto& [h, rec] : lines_) {
      if (rec.address.get() != &a) continue;
      if (rec.registration) return h;
      lazy = h;
    }
    if (lazy) return lazy;
  }
  service::OpenParams p;
  p.deviceId = a.deviceId;
  p.apiVersion = a.apiVersion;
  p.privileges = service::privilege::kNone;
  if (a.numAddresses > 1) p.singleAddress = a.addressId;
  auto h = api.open(app_, p);
  if (!h) return h.status();
  (void)api.setStatusMessages(*h, kLineStates, kAddressStates);
  std::lock_guard lock(mu_);
  for (const auto& ref : addresses_) {
    if (ref.get() == &a) lines_[*h] = LineRec{*h, ref, 0};
  }
  return *h;
}

Result<std::uint32_t> Core::registerAddress(const AddressRef& a, bool owner, bool monitor,
                                            std::uint32_t mediaTypes) {
  if (!owner && !monitor)
    return Status(Fault::kBadPrivSelect, "register for owner, monitor or both");
  if (mediaTypes == 0 || (mediaTypes & ~kKnownMediaTypes))
    return Status(Fault::kBadMediaMode, "unknown media types");
  const std::uint32_t modes = toMediaModes(mediaTypes, a.lineMediaModes);
  if (owner && modes == 0)
    return Status(Fault::kBadMediaMode, "the address handles none of those media types");
  return withApi([&](service::Api& api) -> Result<std::uint32_t> {
    {
      std::lock_guard lock(mu_);
      for (const auto& [h, rec] : lines_) {
        if (rec.address.get() == &a && rec.registration)
          return Status(Fault::kInUse, "the address is already registered; unregister it first");
      }
    }
    service::OpenParams p;
    p.deviceId = a.deviceId;
    p.apiVersion = a.apiVersion;
    p.privileges =
        (owner ? service::privilege::kOwner : 0) | (monitor ? service::privilege::kMonitor : 0);
    p.mediaModes = modes;
    if (a.numAddresses > 1) p.singleAddress = a.addressId;
    auto h = api.open(app_, p);
    if (!h) return h.status();
    (void)api.setStatusMessages(*h, kLineStates, kAddressStates);
    std::lock_guard lock(mu_);
    const std::uint32_t reg = ++nextRegistration_;
    for (const auto& ref : addresses_) {
      if (ref.get() == &a) lines_[*h] = LineRec{*h, ref, reg};
    }
    return reg;
  });
}

Status Core::unregister(std::uint32_t registration) {
  return withApi([&](service::Api& api) -> Status {
    LineHandle h = 0;
    {
      std::lock_guard lock(mu_);
      for (const auto& [lh, rec] : lines_) {
        if (registration != 0 && rec.registration == registration) h = lh;
      }
      if (h == 0) return Status(Fault::kBadParam, "no such registration");
      lines_.erase(h);
    }
    return api.close(h);
  });
}

// ---- objects -------------------------------------------------------------------------

std::shared_ptr<CallImpl> Core::findCall(CallHandle h) const {
  auto it = calls_.find(h);
  return it == calls_.end() ? nullptr : it->second.lock();
}

std::vector<Call> Core::calls(const AddressRef* only) const {
  std::vector<Call> out;
  std::lock_guard lock(mu_);
  for (const auto& [h, weak] : calls_) {
    auto c = weak.lock();
    if (c && (only == nullptr || c->address.get() == only)) out.push_back(makeCall(std::move(c)));
  }
  return out;
}

std::vector<CallHub> Core::hubs() const {
  std::vector<CallHub> out;
  std::lock_guard lock(mu_);
  for (const auto& [h, weak] : hubs_) {
    if (auto hub = weak.lock()) out.push_back(makeHub(std::move(hub)));
  }
  return out;
}

std::vector<Call> Core::hubCalls(const HubImpl& hub) const {
  std::vector<Call> out;
  std::lock_guard lock(mu_);
  for (const auto& weak : hub.members) {
    if (auto c = weak.lock()) out.push_back(makeCall(std::move(c)));
  }
  return out;
}

void Core::bindCall(const std::shared_ptr<CallImpl>& c, CallHandle h) {
  c->handle = h;
  c->started = true;
  calls_[h] = c;
  keep_[h] = c;
}

std::shared_ptr<HubImpl> Core::hubFor(CallHandle root, bool announce, Batch& b) {
  if (auto it = hubs_.find(root); it != hubs_.end()) {
    if (auto hub = it->second.lock()) return hub;
  }
  auto hub = std::make_shared<HubImpl>(weak_from_this());
  hub->root = root;
  hubs_[root] = hub;
  keepHubs_[root] = hub;
  if (announce) emit(b, CallHubEvent{makeHub(hub), CallHubEvent::Type::kCallHubNew, Call()});
  return hub;
}

Result<CallHandle> Core::handleOf(const CallImpl& call) const {
  std::lock_guard lock(mu_);
  if (!alive_) return stale();
  if (call.handle == 0) {
    return Status(Fault::kBadCallState, call.started
                                            ? "the call is not set up yet"
                                            : "the call is in CS_IDLE: connect() it first");
  }
  return call.handle;
}

// ---- operations ------------------------------------------------------------------------

Status Core::run(std::shared_ptr<Op> op,
                 const std::function<Result<std::int32_t>(service::Api&)>& issue) {
  Status st = withApi([&](service::Api& api) -> Status {
    auto req = issue(api);
    if (!req) return req.status();
    std::lock_guard lock(mu_);
    if (!alive_) return stale();
    ops_[*req] = op;  // before the reply: it comes later, under the lock we hold
    return Status();
  });
  if (!st || !op->waiter) return st;
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, options_.syncTimeout, [&] { return op->done; })) {
    op->waiter = false;  // the outcome now goes out as an OperationEvent
    return Status(
        Code::kDeadlineExceeded,
        "the operation did not complete in time; its outcome will come as an OperationEvent");
  }
  return op->result;
}

Status Core::complete(std::shared_ptr<Op> op) {
  if (op->waiter) return Status();
  std::lock_guard lock(mu_);
  if (!alive_) return stale();
  post([op](Core& self, service::Api&) {
    Batch b;
    {
      std::lock_guard lock(self.mu_);
      b.filter = self.filter_;
      self.finish(b, op, Status());
    }
    self.flush(b);
  });
  return Status();
}

void Core::finish(Batch& b, const std::shared_ptr<Op>& op, Status st) {
  if (op->done) return;
  b.grave.push_back(op);
  op->done = true;
  op->result = std::move(st);
  if (op->awaitConnect) {
    auto it = connecting_.find(op->awaitConnect->handle);
    if (it != connecting_.end() && it->second == op) connecting_.erase(it);
  }
  if (op->waiter) {
    cv_.notify_all();
  } else if (!op->silent) {
    emit(b, OperationEvent{op->call ? makeCall(op->call) : Call(), op->kind, op->result});
  }
}

void Core::emit(Batch& b, Event e) {
  if (b.filter & eventKind(e)) {
    b.events.push_back(std::move(e));
  } else {
    b.grave.push_back(std::make_shared<Event>(std::move(e)));
  }
}

void Core::flush(Batch& b) {
  for (Event& e : b.events)
    queue_->push(std::move(e));
  b.events.clear();
}

void Core::post(std::function<void(Core&, service::Api&)> f) {
  // mu_ is held with alive_ set: the host, hence its loop, is still there.
  std::weak_ptr<Core> weak = weak_from_this();
  host_->loop().post([weak, f = std::move(f)] {
    auto self = weak.lock();
    if (!self) return;
    {
      std::lock_guard lock(self->mu_);
      if (!self->alive_) return;  // shutdown needs the host lock we hold: it cannot start now
    }
    f(*self, *self->api_);
  });
}

void Core::continueOp(service::Api& api, const std::shared_ptr<Op>& op) {
  CallHandle h;
  std::string dest;
  {
    std::lock_guard lock(mu_);
    if (op->done) return;
    h = op->awaitConnect ? op->awaitConnect->handle : 0;  // the new consultation call
    dest = std::move(op->dialAfter);
    op->dialAfter.clear();
  }
  auto req = api.dial(h, dest);
  Batch b;
  {
    std::lock_guard lock(mu_);
    b.filter = filter_;
    if (!alive_) return;
    if (req) {
      ops_[*req] = op;
    } else {
      finish(b, op, req.status());
    }
  }
  flush(b);
}

void Core::release(CallHandle h) {
  std::lock_guard lock(mu_);
  if (auto it = calls_.find(h); it != calls_.end() && it->second.expired()) calls_.erase(it);
  if (auto it = hubs_.find(h); it != hubs_.end() && it->second.expired()) hubs_.erase(it);
  if (!alive_) return;
  post([h](Core& self, service::Api& api) { self.releaseNow(api, h); });
}

void Core::releaseNow(service::Api& api, CallHandle h) {
  Status st = api.deallocateCall(h);
  std::lock_guard lock(mu_);
  if (st.isOk() || st.fault() != Fault::kBadCallState) {
    releasing_.erase(h);
    return;
  }
  if (releasing_.count(h)) return;  // already dropped; deallocated when idle
  // The sole owner of a call still up lets go of it: drop it, then deallocate.
  releasing_.insert(h);
  post([h](Core& self, service::Api& a) {
    auto req = a.drop(h);
    std::lock_guard lock(self.mu_);
    if (req) {
      auto op = std::make_shared<Op>();
      op->kind = Operation::kDisconnect;
      op->waiter = false;
      op->silent = true;
      self.ops_[*req] = std::move(op);
    }
  });
}

// ---- messages from the service ---------------------------------------------------------

void Core::deliverReply(std::int32_t request, std::uintptr_t, const Status& result,
                        const service::ReplyPayload& payload) {
  Batch b;
  std::shared_ptr<Op> op;
  {
    std::lock_guard lock(mu_);
    b.filter = filter_;
    auto it = ops_.find(request);
    if (it == ops_.end()) return;
    op = std::move(it->second);
    ops_.erase(it);
    if (!alive_) return;
    if (!result.isOk()) {
      // A call that was to be set up stays in CS_IDLE, free to try again.
      for (const auto& c : {op->bind, op->bind2}) {
        if (c && c->handle == 0) {
          c->started = false;
          c->consult = CallImpl::Consult::kNone;
        }
      }
      finish(b, op, result);
    } else {
      if (op->newHub && payload.call)
        hubFor(payload.call, true, b);
      else if (op->bind && payload.call)
        bindCall(op->bind, payload.call);
      if (op->bind2 && payload.call2) bindCall(op->bind2, payload.call2);
      op->address = payload.address;
      if (!op->dialAfter.empty()) {
        post([op](Core& self, service::Api& api) { self.continueOp(api, op); });
      } else if (const auto& c = op->awaitConnect) {
        if (c->state == Call::State::kConnected) {
          finish(b, op, Status());
        } else if (c->state == Call::State::kDisconnected) {
          finish(b, op, statusForCause(c->cause));
        } else {
          connecting_[c->handle] = op;
        }
      } else {
        finish(b, op, Status());
      }
    }
  }
  flush(b);
}

void Core::deliver(const service::Message& m) {
  Batch b;
  {
    std::lock_guard lock(mu_);
    if (!alive_) return;
    b.filter = filter_;
    switch (m.id) {
      case msg::kAppNewCall:
        if (const LineRec* line = lineRec(m.device))
          onNewCall(b, *line, static_cast<std::uint32_t>(m.p1), static_cast<CallHandle>(m.p2),
                    static_cast<std::uint32_t>(m.p3));
        break;
      case msg::kCallState:
        onCallState(b, m.device, static_cast<CallState>(m.p1), static_cast<std::uint32_t>(m.p2),
                    m.p2, m.p3);
        break;
      case msg::kCallInfo: {
        auto c = findCall(m.device);
        if (!c) break;
        b.grave.push_back(c);
        for (std::uint32_t bits = static_cast<std::uint32_t>(m.p1); bits; bits &= bits - 1) {
          const std::uint32_t bit = bits & -bits;
          emit(b, CallInfoChangeEvent{makeCall(c), infoChangeCause(bit)});
        }
        break;
      }
      case msg::kLineDevState:
        if (const LineRec* line = lineRec(m.device)) {
          onLineState(b, *line, static_cast<std::uint32_t>(m.p1), m.p3);
        } else if (m.device == 0 && (m.p1 & 0x00040000 /*REINIT*/)) {
          // The service went away (remote mode: tapird stopped or the
          // connection was lost): outstanding requests get no reply.
          emit(b, TapiObjectEvent{TapiObjectEvent::Type::kReinit, Address()});
          std::vector<std::shared_ptr<Op>> stuck;
          for (auto& [request, op] : ops_)
            stuck.push_back(op);
          for (auto& [call, op] : connecting_)
            stuck.push_back(op);
          ops_.clear();
          connecting_.clear();
          for (const auto& op : stuck)
            finish(b, op, Status(Fault::kReinit, "lost the telephony service"));
        }
        break;
      case msg::kAddressState:
        if (const LineRec* line = lineRec(m.device)) {
          const auto bits = static_cast<std::uint32_t>(m.p2);
          const Address a = makeAddress(line->address);
          if (bits & address_event::kForward)
            emit(b, AddressEvent{a, AddressEvent::Type::kForward, 0});
          if (bits & address_event::kCapsChange)
            emit(b, AddressEvent{a, AddressEvent::Type::kCapsChange, 0});
        }
        break;
      case msg::kClose:
        if (auto it = lines_.find(m.device); it != lines_.end()) {
          emit(b, TapiObjectEvent{TapiObjectEvent::Type::kAddressClose,
                                  makeAddress(it->second.address)});
          lines_.erase(it);
        }
        break;
      default:
        break;
    }
  }
  flush(b);
}

void Core::onNewCall(Batch& b, const LineRec& line, std::uint32_t addressId, CallHandle h,
                     std::uint32_t privilege) {
  // A conference call is a CallHub, not a Call (monitors see these).
  auto info = api_->callInfo(h);
  if (info && info->info.origin == CallOrigin::kConference) {
    hubFor(h, true, b);
    return;
  }
  std::shared_ptr<const AddressRef> address = line.address;
  for (const auto& ref : addresses_) {
    if (ref->deviceId == line.address->deviceId && ref->addressId == addressId) address = ref;
  }
  auto c = std::make_shared<CallImpl>(weak_from_this(), address);
  c->privilege = privilege == service::privilege::kMonitor ? Call::Privilege::kMonitor
                                                           : Call::Privilege::kOwner;
  if (info) {
    c->destination = info->info.called.number;
    c->mediaTypes = fromMediaModes(info->info.mediaMode);
  }
  bindCall(c, h);
  emit(b, CallNotificationEvent{makeCall(c),
                                privilege == service::privilege::kMonitor
                                    ? CallNotificationEvent::Type::kMonitor
                                    : CallNotificationEvent::Type::kOwner,
                                makeAddress(address)});
}

void Core::onCallState(Batch& b, CallHandle h, CallState s, std::uint32_t mode, std::uintptr_t p2,
                       std::uintptr_t p3) {
  if (auto it = hubs_.find(h); it != hubs_.end()) {
    auto hub = it->second.lock();
    if (!hub) return;
    b.grave.push_back(hub);
    hub->rootState = s;
    if ((s == CallState::kIdle || s == CallState::kDisconnected) &&
        hub->state != CallHub::State::kIdle) {
      hub->state = CallHub::State::kIdle;
      emit(b, CallHubEvent{makeHub(hub), CallHubEvent::Type::kCallHubIdle, Call()});
      if (auto k = keepHubs_.find(h); k != keepHubs_.end()) {
        b.grave.push_back(std::move(k->second));
        keepHubs_.erase(k);
      }
    }
    return;
  }
  auto c = findCall(h);
  if (!c) {
    if (s == CallState::kIdle && releasing_.count(h))
      post([h](Core& self, service::Api& api) { self.releaseNow(api, h); });
    return;
  }
  b.grave.push_back(c);
  const Call call = makeCall(c);
  if (p3 != 0) {
    const auto priv =
        p3 == service::privilege::kMonitor ? Call::Privilege::kMonitor : Call::Privilege::kOwner;
    if (priv != c->privilege) {
      c->privilege = priv;
      emit(b, CallInfoChangeEvent{call, CallInfoChangeEvent::Cause::kPrivilege});
    }
  }
  const CallState before = c->detailed;
  c->detailed = s;
  c->stateMode = s == CallState::kConferenced ? 0 : mode;
  // Conference membership: CONFERENCED names the conference call in dwParam2.
  if (s == CallState::kConferenced && p2 != 0) {
    auto hub = hubFor(static_cast<CallHandle>(p2), true, b);
    b.grave.push_back(hub);
    if (c->hub != hub) {
      c->hub = hub;
      hub->members.push_back(c);
      emit(b, CallHubEvent{makeHub(hub), CallHubEvent::Type::kCallJoin, call});
    }
  } else if (before == CallState::kConferenced && s != CallState::kConferenced && c->hub) {
    auto hub = std::move(c->hub);
    b.grave.push_back(hub);
    std::erase_if(hub->members,
                  [&](const std::weak_ptr<CallImpl>& w) { return w.lock() == c || w.expired(); });
    emit(b, CallHubEvent{makeHub(hub), CallHubEvent::Type::kCallLeave, call});
  }
  // The TAPI 3 state: an event when it changes; DISCONNECTED is final.
  if (c->state == Call::State::kDisconnected) return;
  auto mapped = mapState(s, mode);
  if (!mapped || mapped->first == c->state) return;
  c->state = mapped->first;
  c->cause = mapped->second;
  emit(b, CallStateEvent{call, c->state, c->cause, s, c->stateMode});
  if (c->state == Call::State::kDisconnected) {
    // No longer kept for events; released when the application lets go.
    if (auto k = keep_.find(h); k != keep_.end()) {
      b.grave.push_back(std::move(k->second));
      keep_.erase(k);
    }
  }
  if (auto it = connecting_.find(h); it != connecting_.end()) {
    const std::shared_ptr<Op> op = it->second;
    if (c->state == Call::State::kConnected) finish(b, op, Status());
    if (c->state == Call::State::kDisconnected) finish(b, op, statusForCause(c->cause));
  }
}

void Core::onLineState(Batch& b, const LineRec& line, std::uint32_t states, std::uintptr_t p3) {
  const Address a = makeAddress(line.address);
  using T = AddressEvent::Type;
  if (states & 0x00000002) emit(b, AddressEvent{a, T::kRinging, static_cast<std::uint32_t>(p3)});
  if (states & (0x00000040 | 0x00000080)) emit(b, AddressEvent{a, T::kState, 0});
  if (states & 0x00000010) emit(b, AddressEvent{a, T::kMsgWaitOn, 0});
  if (states & 0x00000020) emit(b, AddressEvent{a, T::kMsgWaitOff, 0});
  if (states & 0x00100000) emit(b, AddressEvent{a, T::kCapsChange, 0});
  if (states & 0x00200000) emit(b, AddressEvent{a, T::kConfigChange, 0});
  if (states & 0x01000000) emit(b, TapiObjectEvent{TapiObjectEvent::Type::kAddressRemove, a});
  // Sent to every open line: report them once, from the first.
  if (!lines_.empty() && lines_.begin()->first == line.handle) {
    if (states & 0x00040000) emit(b, TapiObjectEvent{TapiObjectEvent::Type::kReinit, Address()});
    if (states & 0x00400000)
      emit(b, TapiObjectEvent{TapiObjectEvent::Type::kTranslateChange, Address()});
  }
}

// ---- events ----------------------------------------------------------------------------

std::uint32_t Core::eventFilter() const {
  std::lock_guard lock(mu_);
  return filter_;
}

void Core::setEventFilter(std::uint32_t kinds) {
  std::lock_guard lock(mu_);
  filter_ = kinds;
}

std::optional<Event> Core::nextEvent(std::chrono::milliseconds timeout) {
  if (queue_->callbackMode()) return std::nullopt;
  return queue_->next(timeout);
}

int Core::eventFd() const {
  return queue_->fd();
}

}  // namespace tapir::detail
