#include "pbx/virtual/virtual_world.h"

#include <algorithm>

namespace tapir::pbx::sim {

// ---- VirtualWorld -------------------------------------------------------------

VirtualWorld::VirtualWorld(Switch& sw, WorldConfig config)
    : sw_(sw),
      config_(std::move(config)),
      runner_(sw.loop(), sw.config().ringPeriod,
              [this](CallId leg, const Step& step) { return execute(leg, step); }) {
  sw_.setTrunkEndpoint(this);
}

VirtualWorld::~VirtualWorld() {
  sw_.setTrunkEndpoint(nullptr);
}

const Script& VirtualWorld::scriptFor(std::string_view number) const {
  for (const OutsideNumber& n : config_.numbers)
    if (n.number == number) return n.script;
  return config_.defaultScript;
}

void VirtualWorld::setup(CallId leg, const std::string& number, const PartyId&) {
  LegView& v = legs_[leg.value()];
  v.leg = leg;
  v.number = number;
  v.outgoing = true;
  v.state = CallState::kOffering;
  runner_.start(leg, scriptFor(number));
}

void VirtualWorld::callState(CallId leg, CallState state, std::uint32_t mode) {
  runner_.stateChanged(leg, state);
  // Calls from outside first appear here, before call() returns.
  LegView& v = legs_[leg.value()];
  v.leg = leg;
  v.state = state;
  v.mode = mode;
  if (v.number.empty()) {
    if (const Leg* l = sw_.leg(leg))
      v.number = l->outgoing ? l->info.called.number : l->info.caller.number;
  }
  if (observer) observer(v);
  if (state == CallState::kIdle) legs_.erase(leg.value());
}

void VirtualWorld::held(CallId leg, bool onHold) {
  if (auto it = legs_.find(leg.value()); it != legs_.end()) it->second.heldBySwitch = onHold;
}

void VirtualWorld::connectedParty(CallId leg, const PartyId& party) {
  if (auto it = legs_.find(leg.value()); it != legs_.end()) it->second.connected = party;
}

void VirtualWorld::digits(CallId leg, std::string_view d) {
  auto it = legs_.find(leg.value());
  if (it == legs_.end()) return;
  it->second.heard += d;
  if (observer) observer(it->second);
}

Result<CallId> VirtualWorld::call(const PartyId& from, std::string_view dialed,
                                  const Script& script) {
  auto leg = sw_.trunkIncoming(from, dialed);
  if (!leg) return leg;
  // Still there unless the switch refused it at once.
  if (auto it = legs_.find(leg->value()); it != legs_.end()) {
    it->second.number = from.number;
    runner_.start(*leg, script);
  }
  return leg;
}

const VirtualWorld::LegView* VirtualWorld::find(CallId leg) const {
  auto it = legs_.find(leg.value());
  return it == legs_.end() ? nullptr : &it->second;
}

std::vector<VirtualWorld::LegView> VirtualWorld::legs() const {
  std::vector<LegView> out;
  for (const auto& [id, v] : legs_)
    out.push_back(v);
  std::sort(out.begin(), out.end(),
            [](const LegView& a, const LegView& b) { return a.leg < b.leg; });
  return out;
}

Status VirtualWorld::hangup(CallId leg) {
  if (!find(leg)) return Status(Fault::kBadCallHandle, "no such outside call");
  runner_.stop(leg);
  sw_.trunkHangup(leg);
  return Status();
}

Status VirtualWorld::hold(CallId leg, bool onHold) {
  if (!find(leg)) return Status(Fault::kBadCallHandle, "no such outside call");
  sw_.trunkHold(leg, onHold);
  return Status();
}

Status VirtualWorld::sendDigits(CallId leg, std::string_view digits) {
  if (!find(leg)) return Status(Fault::kBadCallHandle, "no such outside call");
  sw_.trunkDigits(leg, digits);
  return Status();
}

Status VirtualWorld::transfer(CallId leg, std::string_view dest) {
  if (!find(leg)) return Status(Fault::kBadCallHandle, "no such outside call");
  runner_.stop(leg);
  return sw_.trunkTransfer(leg, dest);
}

bool VirtualWorld::execute(CallId leg, const Step& step) {
  const LegView* v = find(leg);
  if (v == nullptr) return false;
  const bool out = v->outgoing;
  using Op = Step::Op;
  switch (step.op) {
    case Op::kRing:
      if (out) sw_.trunkAlerting(leg);
      return true;
    case Op::kAnswer:
      if (out) sw_.trunkAnswered(leg);
      return true;
    case Op::kBusy:
      if (out) sw_.trunkRefused(leg, CallState::kBusy, busy_mode::kStation);
      return !out;
    case Op::kReject:
      if (out) sw_.trunkRefused(leg, CallState::kDisconnected, disconnect_mode::kReject);
      return !out;
    case Op::kCongestion:
      if (out) sw_.trunkRefused(leg, CallState::kSpecialInfo, special_info::kNoCircuit);
      return !out;
    case Op::kReorder:
      if (out) sw_.trunkRefused(leg, CallState::kSpecialInfo, special_info::kReorder);
      return !out;
    case Op::kInvalid:
      if (out) sw_.trunkRefused(leg, CallState::kSpecialInfo, special_info::kCustIrreg);
      return !out;
    case Op::kUnreachable:
      if (out) sw_.trunkRefused(leg, CallState::kDisconnected, disconnect_mode::kUnreachable);
      return !out;
    case Op::kHangup:
      sw_.trunkHangup(leg);
      return false;
    case Op::kHold:
    case Op::kUnhold:
      sw_.trunkHold(leg, step.op == Op::kHold);
      return true;
    case Op::kDtmf:
      sw_.trunkDigits(leg, step.arg);
      return true;
    case Op::kTransfer:
      (void)sw_.trunkTransfer(leg, step.arg);
      return false;
    case Op::kWait:
    case Op::kAwait:
      return true;
  }
  return true;
}

// ---- VirtualStation -----------------------------------------------------------

VirtualStation::VirtualStation(Switch& sw, std::uint32_t station, StationBehavior behavior)
    : sw_(sw),
      station_(station),
      behavior_(std::move(behavior)),
      runner_(sw.loop(), sw.config().ringPeriod,
              [this](CallId call, const Step& step) { return execute(call, step); }) {
  sw_.setStationEndpoint(station_, this);
}

VirtualStation::~VirtualStation() {
  sw_.setStationEndpoint(station_, nullptr);
}

void VirtualStation::perform(OpToken token, CallId call, StationOp op) {
  const bool fails =
      (op == StationOp::kAlert && behavior_.outOfOrder) ||
      std::find(behavior_.fail.begin(), behavior_.fail.end(), op) != behavior_.fail.end();
  Status result =
      fails ? Status(Code::kUnavailable, std::string(stationOpName(op)) + " failed at the phone")
            : Status();
  const bool startScript = !fails && op == StationOp::kAlert && !behavior_.script.empty();
  auto done = [this, token, call, result, startScript] {
    sw_.opDone(token, result);
    if (startScript) runner_.start(call, behavior_.script);
  };
  if (behavior_.delay > Duration::zero()) {
    sw_.loop().runAfter(behavior_.delay, std::move(done));
  } else {
    sw_.loop().post(std::move(done));
  }
}

void VirtualStation::callState(CallId call, CallState state, std::uint32_t) {
  runner_.stateChanged(call, state);
}

bool VirtualStation::execute(CallId call, const Step& step) {
  using Op = Step::Op;
  switch (step.op) {
    case Op::kAnswer:
      return sw_.phoneAnswer(call).isOk();
    case Op::kHangup:
    case Op::kReject:
    case Op::kBusy:
      (void)sw_.phoneHangup(call);
      return false;
    case Op::kHold:
      return sw_.phoneHold(call).isOk();
    case Op::kUnhold:
      return sw_.phoneRetrieve(call).isOk();
    case Op::kTransfer:
      (void)sw_.phoneTransfer(call, step.arg);
      return false;
    default:
      return true;  // ringing is the switch's; the rest means nothing on a phone
  }
}

}  // namespace tapir::pbx::sim
