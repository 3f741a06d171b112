// Switch: objects, state changes, routing and the request runner. The session
// operations themselves are in the other switch_*.cc files.
#include "pbx/core/switch.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

namespace tapir::pbx {

std::string_view stationOpName(StationOp op) noexcept {
  switch (op) {
    case StationOp::kAlert:
      return "alert";
    case StationOp::kOffhook:
      return "offhook";
    case StationOp::kAccept:
      return "accept";
    case StationOp::kAnswer:
      return "answer";
    case StationOp::kDial:
      return "dial";
    case StationOp::kDrop:
      return "drop";
    case StationOp::kHold:
      return "hold";
    case StationOp::kRetrieve:
      return "retrieve";
    case StationOp::kSwap:
      return "swap";
    case StationOp::kTransfer:
      return "transfer";
    case StationOp::kConference:
      return "conference";
    case StationOp::kRedirect:
      return "redirect";
    case StationOp::kPark:
      return "park";
    case StationOp::kUnpark:
      return "unpark";
    case StationOp::kPickup:
      return "pickup";
    case StationOp::kComplete:
      return "complete";
    case StationOp::kSecure:
      return "secure";
    case StationOp::kForward:
      return "forward";
  }
  return "?";
}

// The phone a station has when no endpoint is attached: it does as asked, on
// the next loop turn.
class Switch::BuiltinPhone final : public StationEndpoint {
 public:
  explicit BuiltinPhone(Switch& sw) : sw_(sw) {}
  void perform(OpToken token, CallId, StationOp) override {
    sw_.loop_.post([this, token] { sw_.opDone(token, Status()); });
  }

 private:
  Switch& sw_;
};

// ---- construction -------------------------------------------------------------

Switch::Switch(EventLoop& loop, SwitchConfig config)
    : loop_(loop),
      config_(std::move(config)),
      outbox_(loop),
      builtinPhone_(std::make_unique<BuiltinPhone>(*this)) {}

// Timers are cancelled; tasks already posted cannot be, so a switch must not
// be destroyed while its loop will still run (the loop stops first).
Switch::~Switch() {
  legs_.forEach([this](Leg& leg) {
    if (leg.ringTimer) loop_.cancel(leg.ringTimer);
  });
  for (const Orbit& o : orbits_)
    if (o.recallTimer) loop_.cancel(o.recallTimer);
  for (const Completion& c : completions_)
    if (c.expiry) loop_.cancel(c.expiry);
}

Result<std::unique_ptr<Switch>> Switch::create(EventLoop& loop, SwitchConfig config) {
  std::unique_ptr<Switch> sw(new Switch(loop, std::move(config)));
  Status st = sw->build();
  if (!st) return st;
  return sw;
}

namespace {
bool isDirectoryNumber(std::string_view n) {
  if (n.empty() || n.size() > kMaxDigits) return false;
  return std::all_of(n.begin(), n.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '*' || c == '#'; });
}
}  // namespace

Status Switch::build() {
  const SwitchConfig& c = config_;
  if (c.ringPeriod <= Duration::zero())
    return Status(Code::kInvalidArgument, "ring period must be positive");
  if (c.conferenceMax < 3)
    return Status(Code::kInvalidArgument, "conference maximum must be at least 3");
  if (c.maxCallsPerAddress < 2)
    return Status(Code::kInvalidArgument, "an address needs at least 2 call appearances");
  if (c.minNoAnswerRings < 1 || c.maxNoAnswerRings < c.minNoAnswerRings)
    return Status(Code::kInvalidArgument, "no-answer ring range is empty");
  if (c.stations.empty()) return Status(Code::kInvalidArgument, "no stations configured");
  if (!c.outsidePrefix.empty() && !isDirectoryNumber(c.outsidePrefix))
    return Status(Code::kInvalidArgument,
                  "outside prefix '" + c.outsidePrefix + "' is not a number");

  stations_.reserve(c.stations.size());
  for (std::uint32_t i = 0; i < c.stations.size(); ++i) {
    const StationConfig& sc = c.stations[i];
    Station st;
    st.id = LineId(i, lineGeneration_);
    st.name = sc.name.empty() ? "Station " + sc.number : sc.name;
    st.endpoint = builtinPhone_.get();
    std::vector<std::string> numbers{sc.number};
    numbers.insert(numbers.end(), sc.extraAddresses.begin(), sc.extraAddresses.end());
    if (numbers.size() > 255)
      return Status(Code::kInvalidArgument, "station " + sc.number + " has too many addresses");
    if (sc.busyTrigger < 1)
      return Status(Code::kInvalidArgument,
                    "station " + sc.number + ": busy trigger must be at least 1");
    for (std::uint32_t a = 0; a < numbers.size(); ++a) {
      if (!isDirectoryNumber(numbers[a]))
        return Status(Code::kInvalidArgument,
                      "station number '" + numbers[a] + "' is not a number");
      if (!dialplan_.addStation(numbers[a], i, a))
        return Status(Code::kAlreadyExists, "number " + numbers[a] + " is configured twice");
      Address addr;
      addr.number = numbers[a];
      addr.name = st.name;
      addr.pickupGroup = sc.pickupGroup;
      addr.busyTrigger = sc.busyTrigger;
      addr.noAnswerRings =
          std::clamp(c.defaultNoAnswerRings, c.minNoAnswerRings, c.maxNoAnswerRings);
      st.addresses.push_back(std::move(addr));
    }
    stations_.push_back(std::move(st));
  }
  for (std::uint32_t o = 0; o < c.parkOrbits.size(); ++o) {
    if (!isDirectoryNumber(c.parkOrbits[o]))
      return Status(Code::kInvalidArgument, "park orbit '" + c.parkOrbits[o] + "' is not a number");
    if (!dialplan_.addOrbit(c.parkOrbits[o], o))
      return Status(Code::kAlreadyExists, "number " + c.parkOrbits[o] + " is configured twice");
    orbits_.push_back(Orbit{c.parkOrbits[o]});
  }
  dialplan_.setOutside(c.outsidePrefix, c.outsideMinDigits, c.outsideMaxDigits);
  for (Station& st : stations_)
    buildCaps(st);
  return Status();
}

void Switch::setStationEndpoint(std::uint32_t station, StationEndpoint* endpoint) {
  if (station < stations_.size())
    stations_[station].endpoint = endpoint ? endpoint : builtinPhone_.get();
}

// ---- the request runner -------------------------------------------------------

void Switch::reply(RequestId req, Status status, ReplyData data) {
  if (req != kNoRequest) outbox_.reply(req, std::move(status), std::move(data));
}

Status Switch::run(RequestId req, std::uint32_t station, CallId call, StationOp op,
                   std::function<Status(ReplyData&)> check,
                   std::function<void(const ReplyData&)> apply, std::function<void()> abort,
                   bool fromPhone) {
  ReplyData data;
  Status st = check(data);
  if (!st) {
    if (abort) abort();
    return st;
  }
  if (fromPhone) {
    apply(data);
    return Status();
  }
  auto [token, op_] = pending_.emplace();
  op_.req = req;
  op_.check = std::move(check);
  op_.apply = std::move(apply);
  op_.abort = std::move(abort);
  stations_[station].endpoint->perform(token, call, op);
  return Status();
}

void Switch::opDone(OpToken token, const Status& status) {
  PendingOp* p = pending_.find(token);
  if (p == nullptr) return;  // answered twice, or the switch gave up on it
  PendingOp op = std::move(*p);
  pending_.erase(token);
  ReplyData data;
  Status st = status.isOk()
                  ? op.check(data)
                  : Status(Fault::kOperationFailed, "the phone refused: " + status.message());
  if (!status.isOk()) spdlog::info("request {}: {}", op.req, st.message());
  if (!st) {
    reply(op.req, std::move(st));
    if (op.abort) op.abort();
    return;
  }
  reply(op.req, Status(), data);
  op.apply(data);
}

// ---- objects -------------------------------------------------------------------

LineId Switch::lineAt(std::uint32_t index) const {
  return index < stations_.size() ? stations_[index].id : LineId();
}

Station* Switch::findStation(LineId line) {
  if (line.index() >= stations_.size()) return nullptr;
  Station& st = stations_[line.index()];
  return st.id == line ? &st : nullptr;
}

const Station* Switch::findStation(LineId line) const {
  return const_cast<Switch*>(this)->findStation(line);
}

Leg* Switch::stationLeg(CallId id) {
  Leg* leg = legs_.find(id);
  return leg && leg->kind == LegKind::kStation ? leg : nullptr;
}

const Leg* Switch::stationLeg(CallId id) const {
  return const_cast<Switch*>(this)->stationLeg(id);
}

Result<Leg*> Switch::ownLeg(CallId id) {
  Leg* leg = stationLeg(id);
  if (leg == nullptr || !leg->announced) return Status(Fault::kBadCallHandle, "no such call");
  return leg;
}

Result<std::pair<std::uint32_t, std::uint32_t>> Switch::findNumber(std::string_view number) const {
  Route r = dialplan_.resolve(number);
  if (r.kind != Route::Kind::kStation)
    return Status(Fault::kBadAddress, "no station has number " + std::string(number));
  return std::pair{r.station, r.address};
}

Leg& Switch::newStationLeg(std::uint32_t station, std::uint32_t address, CallOrigin origin,
                           CallReason reason) {
  auto [id, leg] = legs_.emplace(LegKind::kStation);
  Station& st = stations_[station];
  leg.station = station;
  leg.address = address;
  leg.since = loop_.now();
  leg.info.line = st.id;
  leg.info.address = address;
  leg.info.origin = origin;
  leg.info.reason = reason;
  st.addresses[address].calls.push_back(id);
  return leg;
}

Leg& Switch::newTrunkLeg(const std::string& number, bool outgoing) {
  auto [id, leg] = legs_.emplace(LegKind::kTrunk);
  leg.outgoing = outgoing;
  leg.announced = true;
  leg.since = loop_.now();
  leg.info.origin = CallOrigin::kExternal;
  leg.info.reason = CallReason::kDirect;
  (outgoing ? leg.info.called : leg.info.caller).number = number;
  return leg;
}

// Makes a leg visible. Spontaneous legs are announced with onNewCall; legs a
// request created were returned by it and only start reporting.
void Switch::announce(Leg& leg, CallState state, std::uint32_t mode) {
  const bool spontaneous = !leg.announced;
  leg.announced = true;
  if (spontaneous) outbox_.newCall(leg.id, leg.info.line, leg.address);
  changeState(leg, state, mode, /*wasInUse=*/false);
}

void Switch::activate(Leg& leg, CallState state, std::uint32_t mode) {
  leg.announced = true;
  changeState(leg, state, mode, /*wasInUse=*/false);
}

void Switch::destroyPending(CallId id) {
  Leg* leg = legs_.find(id);
  if (leg && !leg->announced) freeLeg(*leg);
}

void Switch::freeLeg(Leg& leg) {
  if (leg.ringTimer) loop_.cancel(leg.ringTimer);
  if (leg.kind == LegKind::kStation) {
    auto& calls = addressOf(leg).calls;
    calls.erase(std::remove(calls.begin(), calls.end(), leg.id), calls.end());
  }
  legs_.erase(leg.id);
}

// Legs are freed at the end of a loop turn, never inside a call that may still
// hold a reference to them.
void Switch::reap() {
  reapScheduled_ = false;
  reaping_.swap(graveyard_);  // both keep their capacity: no allocation per call
  for (CallId id : reaping_) {
    Leg* leg = legs_.find(id);
    if (leg && leg->state == CallState::kIdle) freeLeg(*leg);
  }
  reaping_.clear();
}

void Switch::closeCall(CallId call) {
  Leg* leg = stationLeg(call);
  if (leg == nullptr) return;
  leg->closed = true;
  if (!leg->announced) {
    freeLeg(*leg);
    return;
  }
  if (leg->state != CallState::kIdle) applyDrop(*leg);
  if (leg->state == CallState::kIdle) {
    graveyard_.push_back(call);
    if (!reapScheduled_) {
      reapScheduled_ = true;
      loop_.post([this] { reap(); });
    }
  }
}

PartyId Switch::partyOf(const Leg& leg) const {
  if (leg.kind == LegKind::kStation) {
    const Address& a = stations_[leg.station].addresses[leg.address];
    PartyId p{a.number, a.name};
    p.blocked = (leg.info.callParamFlags & call_param_flag::kBlockId) != 0;
    return p;
  }
  return leg.outgoing ? leg.info.called : leg.info.caller;
}

// ---- state -----------------------------------------------------------------------

bool Switch::inUse(const Leg& leg) const {
  if (leg.kind != LegKind::kStation || leg.camped) return false;
  switch (leg.state) {
    case CallState::kIdle:
    case CallState::kDisconnected:
    case CallState::kConferenced:
      return false;
    default:
      return true;
  }
}

std::uint32_t Switch::inUseCount(const Address& addr) const {
  std::uint32_t n = 0;
  for (CallId id : addr.calls) {
    const Leg* leg = legs_.find(id);
    if (leg && inUse(*leg)) ++n;
  }
  return n;
}

bool Switch::addressBusy(std::uint32_t station, std::uint32_t address) const {
  const Address& addr = stations_[station].addresses[address];
  std::uint32_t used = 0;
  std::uint32_t live = 0;
  bool secured = false;
  for (CallId id : addr.calls) {
    const Leg* leg = legs_.find(id);
    if (leg == nullptr) continue;
    if (leg->state != CallState::kIdle || !leg->announced) ++live;
    if (inUse(*leg)) {
      ++used;
      secured = secured || leg->secured;
    }
  }
  // A secured call suppresses call waiting: the address is busy to others.
  return used >= addr.busyTrigger || (used > 0 && secured) || live >= config_.maxCallsPerAddress;
}

Leg* Switch::activeLeg(std::uint32_t station, std::uint32_t address, CallId except) {
  for (CallId id : stations_[station].addresses[address].calls) {
    Leg* leg = legs_.find(id);
    if (leg && id != except && leg->announced && leg->state == CallState::kConnected) return leg;
  }
  return nullptr;
}

void Switch::setState(Leg& leg, CallState state, std::uint32_t mode) {
  if (leg.state == state && leg.mode == mode) return;
  changeState(leg, state, mode, inUse(leg));
}

void Switch::changeState(Leg& leg, CallState state, std::uint32_t mode, bool wasInUse) {
  leg.state = state;
  leg.mode = mode;
  leg.since = loop_.now();
  if (leg.kind == LegKind::kStation) {
    if (leg.announced) {
      outbox_.callState(leg.id, state, mode);
      stations_[leg.station].endpoint->callState(leg.id, state, mode);
    }
    if (wasInUse != inUse(leg)) addressUsageChanged(leg.station, leg.address);
  } else if (trunk_) {
    trunk_->callState(leg.id, state, mode);
  }
  if (state == CallState::kIdle) {
    stopRinging(leg);
    if (leg.kind == LegKind::kTrunk || leg.closed) {
      graveyard_.push_back(leg.id);
      if (!reapScheduled_) {
        reapScheduled_ = true;
        loop_.post([this] { reap(); });
      }
    }
  }
}

void Switch::addressUsageChanged(std::uint32_t station, std::uint32_t address) {
  Address& addr = stations_[station].addresses[address];
  if (inUseCount(addr) > 0) addr.wasInUse = true;
  // Completions react to a station freeing up; look on the next turn, when
  // the operation that changed the usage has finished.
  scheduleCompletionCheck();
}

void Switch::infoChanged(Leg& leg, std::uint32_t fields) {
  if (leg.kind == LegKind::kStation && leg.announced && fields != 0)
    outbox_.callInfo(leg.id, fields);
}

void Switch::setConnectedParty(Leg& leg, const PartyId& party) {
  if (leg.kind == LegKind::kTrunk) {
    leg.info.connected = party;
    if (trunk_) trunk_->connectedParty(leg.id, party);
    return;
  }
  if (leg.info.connected == party) return;
  leg.info.connected = party;
  infoChanged(leg, info_field::kConnectedId);
}

void Switch::link(Leg& a, Leg& b) {
  a.peer = b.id;
  b.peer = a.id;
}

void Switch::unlink(Leg& leg) {
  if (Leg* p = legs_.find(leg.peer); p && p->peer == leg.id) p->peer = CallId();
  leg.peer = CallId();
}

void Switch::clearLeg(Leg& leg, std::uint32_t peerMode) {
  Leg* peer = legs_.find(leg.peer);
  unlink(leg);
  if (leg.parkedIn != kNoOrbit) orbitPartyGone(leg);
  setState(leg, CallState::kIdle);
  if (leg.completion) completionCallerGone(leg);
  if (peer) peerGone(*peer, peerMode);
}

void Switch::peerGone(Leg& leg, std::uint32_t mode) {
  unlink(leg);
  if (leg.parkedIn != kNoOrbit) orbitPartyGone(leg);
  if (leg.kind == LegKind::kTrunk) {
    setState(leg, CallState::kIdle);
    return;
  }
  switch (leg.state) {
    case CallState::kIdle:
    case CallState::kDisconnected:
      return;
    case CallState::kOffering:
    case CallState::kAccepted:
      withdraw(leg, mode);
      break;
    case CallState::kConferenced: {
      // A member whose party left: it has nothing more to do.
      Leg* root = legs_.find(leg.confRoot);
      setState(leg, CallState::kDisconnected, mode);
      if (root) {
        std::erase(root->members, leg.id);
        leg.confRoot = CallId();
      }
      setState(leg, CallState::kIdle);
      if (root) conferenceMaybeEnds(*root);
      break;
    }
    default:
      if (leg.camped) {
        withdraw(leg, mode);
      } else {
        setState(leg, CallState::kDisconnected, mode);
      }
      break;
  }
  if (leg.completion) completionCallerGone(leg);
}

void Switch::withdraw(Leg& leg, std::uint32_t mode) {
  stopRinging(leg);
  unlink(leg);
  setState(leg, CallState::kDisconnected, mode);
  setState(leg, CallState::kIdle);
}

void Switch::stopRinging(Leg& leg) {
  if (leg.ringTimer) {
    loop_.cancel(leg.ringTimer);
    leg.ringTimer = TimerId();
  }
}

void Switch::tellPeerHold(Leg& leg, bool onHold) {
  auto tell = [&](Leg& l) {
    Leg* p = legs_.find(l.peer);
    if (p && p->kind == LegKind::kTrunk && p->heldByUs != onHold) {
      p->heldByUs = onHold;
      if (trunk_) trunk_->held(p->id, onHold);
    }
  };
  if (leg.isConfRoot) {
    for (CallId m : leg.members)
      if (Leg* ml = legs_.find(m)) tell(*ml);
  } else {
    tell(leg);
  }
}

// ---- routing -----------------------------------------------------------------------

Result<DialString> Switch::checkDest(std::string_view dest) const {
  auto ds = parseDialString(dest);
  if (!ds) return ds.status();
  if (ds->digits.empty() && !ds->partial) return Status(Fault::kBadAddress, "no digits to dial");
  return ds;
}

void Switch::route(Leg& from, const std::string& digits, CallReason reason,
                   const PartyId& redirecting, std::vector<std::uint32_t> visited) {
  Route r = dialplan_.resolve(digits);
  switch (r.kind) {
    case Route::Kind::kStation:
      offerToStation(from, r.station, r.address, reason, redirecting, std::move(visited));
      return;
    case Route::Kind::kOrbit:
      // Dialing an orbit retrieves the call parked there.
      if (from.kind == LegKind::kStation && orbits_[r.orbit].parked) {
        from.info.reason = CallReason::kUnpark;
        infoChanged(from, info_field::kReason);
        unparkInto(from, r.orbit);
        setState(from, CallState::kConnected, connected_mode::kActive);
      } else {
        refuse(from, CallState::kDisconnected, disconnect_mode::kUnreachable);
      }
      return;
    case Route::Kind::kOutside:
      callOutside(from, r.outside);
      return;
    case Route::Kind::kUnreachable:
      refuse(from, CallState::kDisconnected, disconnect_mode::kUnreachable);
      return;
  }
}

void Switch::refuse(Leg& from, CallState state, std::uint32_t mode) {
  unlink(from);
  setState(from, state, mode);
  // An outside caller is released once told (a final SIP response).
  if (from.kind == LegKind::kTrunk) setState(from, CallState::kIdle);
}

void Switch::offerToStation(Leg& from, std::uint32_t station, std::uint32_t address,
                            CallReason reason, const PartyId& redirecting,
                            std::vector<std::uint32_t> visited) {
  Address& addr = stations_[station].addresses[address];
  const bool internal = fromInside(from);
  const PartyId caller = partyOf(from);
  visited.push_back(addressKey(station, address));
  const PartyId here{addr.number, addr.name};

  // Forwarding: follow it unless it would loop or the chain is too long.
  auto forwardTo = [&](const ForwardEntry& f, CallReason why, std::uint32_t dndMode) -> bool {
    if (f.destAddress.empty()) {
      refuse(from, CallState::kDisconnected, dndMode);
      return true;
    }
    auto ds = parseDialString(f.destAddress);
    if (!ds || visited.size() >= config_.maxForwardHops) return false;
    Route next = dialplan_.resolve(ds->digits);
    if (next.kind == Route::Kind::kStation &&
        std::find(visited.begin(), visited.end(), addressKey(next.station, next.address)) !=
            visited.end()) {
      return false;  // the loop closes here: ring this address
    }
    if (next.kind == Route::Kind::kUnreachable) return false;
    if (from.kind == LegKind::kStation) {
      from.info.redirection = PartyId{ds->digits, {}};
      infoChanged(from, info_field::kRedirectionId);
    }
    route(from, ds->digits, why, here, visited);
    return true;
  };

  if (const ForwardEntry* f = matchForward(addr, forward_mode::kUncond, internal, caller)) {
    if (forwardTo(*f, CallReason::kFwdUncond, disconnect_mode::kDoNotDisturb)) return;
  }
  if (addressBusy(station, address)) {
    if (const ForwardEntry* f = matchForward(addr, forward_mode::kBusy, internal, caller)) {
      if (forwardTo(*f, CallReason::kFwdBusy, disconnect_mode::kDoNotDisturb)) return;
    }
    refuse(from, CallState::kBusy, busy_mode::kStation);
    return;
  }

  Leg& leg = newStationLeg(station, address,
                           internal ? CallOrigin::kInternal : CallOrigin::kExternal, reason);
  leg.info.callId = from.info.callId ? from.info.callId : newSessionId();
  if (!from.info.callId) from.info.callId = leg.info.callId;
  leg.info.caller = caller;
  leg.info.called = here;
  leg.info.redirecting = redirecting;
  if (reason != CallReason::kDirect) leg.info.redirection = here;
  leg.info.mediaMode = from.info.mediaMode;
  leg.visited = std::move(visited);
  link(from, leg);
  announce(leg, CallState::kOffering, offering_mode::kActive);

  const CallId legId = leg.id;
  const CallId fromId = from.id;
  alert(
      leg,
      [this, legId, fromId] {
        Leg* f = legs_.find(fromId);
        if (f && f->peer == legId &&
            (f->state == CallState::kProceeding || f->state == CallState::kDialing ||
             f->state == CallState::kConnected)) {
          setState(*f, CallState::kRingback);
        }
      },
      [this, legId, fromId] {
        // The phone could not be alerted: out of order.
        Leg* l = stationLeg(legId);
        Leg* f = legs_.find(fromId);
        const bool linked = f && f->peer == legId;
        withdraw(*l, disconnect_mode::kOutOfOrder);
        if (linked) refuse(*f, CallState::kDisconnected, disconnect_mode::kOutOfOrder);
      });
}

void Switch::alert(Leg& leg, std::function<void()> then, std::function<void()> refused) {
  const CallId id = leg.id;
  auto offered = [this, id] {
    Leg* l = stationLeg(id);
    return l && (l->state == CallState::kOffering || l->state == CallState::kAccepted);
  };
  Status st = run(
      kNoRequest, leg.station, id, StationOp::kAlert,
      [offered](ReplyData&) {
        return offered() ? Status() : Status(Fault::kBadCallState, "no longer offered");
      },
      [this, id, then = std::move(then)](const ReplyData&) {
        startRinging(*stationLeg(id));
        if (then) then();
      },
      [offered, refused = std::move(refused)] {
        // Only a refusal by the phone matters; a call already gone needs nothing.
        if (offered() && refused) refused();
      });
  (void)st;  // the check passed: the leg was just offered
}

void Switch::callOutside(Leg& from, const std::string& number) {
  if (trunk_ == nullptr) {
    refuse(from, CallState::kDisconnected, disconnect_mode::kUnreachable);
    return;
  }
  Leg& t = newTrunkLeg(number, /*outgoing=*/true);
  t.info.callId = from.info.callId ? from.info.callId : newSessionId();
  t.info.caller = partyOf(from);
  link(from, t);
  t.state = CallState::kOffering;
  trunk_->setup(t.id, number, t.info.caller);
}

void Switch::startRinging(Leg& leg) {
  stopRinging(leg);
  leg.rings = 1;
  outbox_.lineEvent(leg.info.line, line_event::kRinging, leg.address, leg.rings);
  stations_[leg.station].endpoint->ringing(leg.id, leg.rings);
  const CallId id = leg.id;
  leg.ringTimer = loop_.runAfter(config_.ringPeriod, [this, id] { ringTick(id); });
}

void Switch::ringTick(CallId id) {
  Leg* leg = stationLeg(id);
  if (leg == nullptr) return;
  leg->ringTimer = TimerId();
  if (leg->state != CallState::kOffering && leg->state != CallState::kAccepted) return;
  Address& addr = addressOf(*leg);
  Leg* from = legs_.find(leg->peer);
  if (from && leg->rings >= addr.noAnswerRings) {
    const bool internal = fromInside(*from);
    if (const ForwardEntry* f =
            matchForward(addr, forward_mode::kNoAnsw, internal, leg->info.caller)) {
      const PartyId here{addr.number, addr.name};
      if (f->destAddress.empty()) {
        withdraw(*leg, disconnect_mode::kNoAnswer);
        refuse(*from, CallState::kDisconnected, disconnect_mode::kNoAnswer);
        return;
      }
      auto ds = parseDialString(f->destAddress);
      Route next = ds ? dialplan_.resolve(ds->digits) : Route{};
      const bool loops = next.kind == Route::Kind::kStation &&
                         std::find(leg->visited.begin(), leg->visited.end(),
                                   addressKey(next.station, next.address)) != leg->visited.end();
      if (ds && next.kind != Route::Kind::kUnreachable && !loops &&
          leg->visited.size() < config_.maxForwardHops) {
        std::vector<std::uint32_t> visited = leg->visited;
        withdraw(*leg, disconnect_mode::kForwarded);
        if (from->kind == LegKind::kStation) {
          from->info.redirection = PartyId{ds->digits, {}};
          infoChanged(*from, info_field::kRedirectionId);
        }
        route(*from, ds->digits, CallReason::kFwdNoAnswer, here, std::move(visited));
        return;
      }
    }
  }
  ++leg->rings;
  outbox_.lineEvent(leg->info.line, line_event::kRinging, leg->address, leg->rings);
  stations_[leg->station].endpoint->ringing(id, leg->rings);
  leg->ringTimer = loop_.runAfter(config_.ringPeriod, [this, id] { ringTick(id); });
}

// ---- the outside world's side ------------------------------------------------------

void Switch::trunkAlerting(CallId id) {
  Leg* t = legs_.find(id);
  if (t == nullptr || t->kind != LegKind::kTrunk || !t->outgoing) return;
  if (Leg* from = legs_.find(t->peer)) {
    if (from->state == CallState::kProceeding || from->state == CallState::kDialing)
      setState(*from, CallState::kRingback);
  }
}

void Switch::trunkAnswered(CallId id) {
  Leg* t = legs_.find(id);
  if (t == nullptr || t->kind != LegKind::kTrunk || !t->outgoing ||
      t->state == CallState::kConnected || t->state == CallState::kIdle)
    return;
  setState(*t, CallState::kConnected, connected_mode::kActive);
  Leg* from = legs_.find(t->peer);
  if (from == nullptr) return;
  setConnectedParty(*t, partyOf(*from));
  setConnectedParty(*from, partyOf(*t));
  switch (from->state) {
    case CallState::kProceeding:
    case CallState::kRingback:
    case CallState::kDialing:
      setState(*from, CallState::kConnected, connected_mode::kActive);
      break;
    default:
      break;
  }
}

void Switch::trunkRefused(CallId id, CallState state, std::uint32_t mode) {
  Leg* t = legs_.find(id);
  if (t == nullptr || t->kind != LegKind::kTrunk || !t->outgoing || t->state == CallState::kIdle)
    return;
  Leg* from = legs_.find(t->peer);
  unlink(*t);
  setState(*t, CallState::kIdle);
  if (from == nullptr) return;
  switch (from->state) {
    case CallState::kProceeding:
    case CallState::kRingback:
    case CallState::kDialing:
      refuse(*from, state, mode);
      break;
    default:
      peerGone(*from, state == CallState::kBusy ? disconnect_mode::kBusy : mode);
      break;
  }
}

void Switch::trunkHangup(CallId id) {
  Leg* t = legs_.find(id);
  if (t == nullptr || t->kind != LegKind::kTrunk || t->state == CallState::kIdle) return;
  clearLeg(*t, disconnect_mode::kNormal);
}

void Switch::trunkHold(CallId id, bool onHold) {
  Leg* t = legs_.find(id);
  if (t == nullptr || t->kind != LegKind::kTrunk) return;
  // TAPI has no state for "the far end holds me": the call stays CONNECTED.
  (void)onHold;
}

void Switch::trunkDigits(CallId id, std::string_view digits) {
  Leg* t = legs_.find(id);
  if (t == nullptr || t->kind != LegKind::kTrunk) return;
  Leg* p = stationLeg(t->peer);
  if (p == nullptr || !p->announced) return;
  for (char c : digits)
    outbox_.digit(p->id, c);
}

Status Switch::trunkTransfer(CallId id, std::string_view dest) {
  Leg* t = legs_.find(id);
  if (t == nullptr || t->kind != LegKind::kTrunk || t->state == CallState::kIdle)
    return Status(Fault::kBadCallHandle, "no such outside leg");
  Leg* p = legs_.find(t->peer);
  if (p == nullptr) return Status(Fault::kBadCallState, "nobody to transfer");
  auto ds = checkDest(dest);
  if (!ds) return ds.status();
  const PartyId by = partyOf(*t);
  unlink(*t);
  setState(*t, CallState::kIdle);
  transferParty(*p, ds->digits, by);
  return Status();
}

Result<CallId> Switch::trunkIncoming(const PartyId& caller, std::string_view dialed) {
  auto ds = checkDest(dialed);
  if (!ds) return ds.status();
  Leg& t = newTrunkLeg(caller.number, /*outgoing=*/false);
  t.info.caller = caller;
  t.info.called = PartyId{ds->digits, {}};
  t.info.callId = newSessionId();
  setState(t, CallState::kProceeding);
  const CallId id = t.id;
  route(t, ds->digits, CallReason::kDirect, {});
  return id;
}

}  // namespace tapir::pbx
