// What the switch declares it can do (capabilities), and what is possible now
// (call, address and line status). Every feature declared here works; what
// the switch does not do is left out.
#include "pbx/core/switch.h"

namespace tapir::pbx {

namespace cf = call_feature;
namespace cf2 = call_feature2;
namespace af = address_feature;

void Switch::buildCaps(Station& st) {
  const SwitchConfig& c = config_;
  const bool canPark = !c.parkOrbits.empty();
  LineCaps& lc = st.caps;
  lc.name = st.name;
  // Moved in at its exact size: assigning the literal to the empty string
  // would reserve 30 characters, 16 heap bytes more per station.
  lc.providerInfo = std::string("tapir built-in switch");
  lc.switchInfo = c.name;
  lc.permanentLineId = st.id.index();
  lc.bearerModes = bearer_mode::kVoice;
  lc.mediaModes = media_mode::kInteractiveVoice | media_mode::kAutomatedVoice;
  lc.lineFeatures = line_feature::kMakeCall | line_feature::kForward | line_feature::kForwardFwd |
                    line_feature::kForwardDnd;
  lc.devCapFlags = line_cap_flag::kDialDialtone | line_cap_flag::kCloseDrop |
                   (st.addresses.size() > 1 ? line_cap_flag::kMultipleAddr : 0);
  lc.answerMode = answer_mode::kHold;
  lc.maxNumActiveCalls = 1;
  lc.lineStates = line_event::kRinging | line_event::kMsgWaitOn | line_event::kMsgWaitOff |
                  line_event::kNumCompletions | line_event::kComplCancel;
  lc.addressStates = address_event::kForward;
  lc.ringModes = 1;
  lc.addresses.clear();
  for (const Address& a : st.addresses) {
    AddressCaps ac;
    ac.address = a.number;
    ac.name = a.name;
    ac.callStates = kAllCallStates & ~bit(CallState::kUnknown);
    ac.dialToneModes = dialtone_mode::kNormal;
    ac.busyModes = busy_mode::kStation;
    ac.specialInfo = special_info::kNoCircuit | special_info::kCustIrreg | special_info::kReorder;
    ac.disconnectModes =
        disconnect_mode::kNormal | disconnect_mode::kReject | disconnect_mode::kPickup |
        disconnect_mode::kForwarded | disconnect_mode::kBusy | disconnect_mode::kNoAnswer |
        disconnect_mode::kUnreachable | disconnect_mode::kCongestion |
        disconnect_mode::kOutOfOrder | disconnect_mode::kDoNotDisturb | disconnect_mode::kCancelled;
    ac.maxActiveCalls = 1;
    ac.maxOnHoldCalls = c.maxCallsPerAddress - 1;
    ac.maxOnHoldPendingCalls = 1;
    ac.maxConference = c.conferenceMax;
    ac.maxTransConf = 3;
    ac.addrCapFlags = address_cap_flag::kFwdNumRings | address_cap_flag::kSecure |
                      address_cap_flag::kBlockIdOverride | address_cap_flag::kDialed |
                      address_cap_flag::kPartialDial | address_cap_flag::kSetupConfNull |
                      address_cap_flag::kCompletionId | address_cap_flag::kTransferHeld |
                      address_cap_flag::kTransferMake | address_cap_flag::kConferenceHeld |
                      address_cap_flag::kConferenceMake | address_cap_flag::kFwdStatusValid |
                      address_cap_flag::kFwdIntExtAddr | address_cap_flag::kFwdBusyNaAddr |
                      address_cap_flag::kConfDrop |
                      (a.pickupGroup ? address_cap_flag::kPickupGroupId : 0);
    ac.callFeatures = cf::kAccept | cf::kAddToConf | cf::kAnswer | cf::kBlindTransfer |
                      cf::kCompleteCall | cf::kCompleteTransf | cf::kDial | cf::kDrop | cf::kHold |
                      cf::kPrepareAddConf | cf::kRedirect | cf::kRemoveFromConf | cf::kSecureCall |
                      cf::kSetupConf | cf::kSetupTransfer | cf::kSwapHold | cf::kUnhold |
                      (canPark ? cf::kPark : 0);
    ac.callFeatures2 = cf2::kOneStepTransfer | cf2::kComplCampon | cf2::kComplCallback |
                       cf2::kComplIntrude | cf2::kComplMessage | cf2::kTransferNorm |
                       cf2::kTransferConf | (canPark ? cf2::kParkDirect | cf2::kParkNonDirect : 0);
    ac.removeFromConfCaps = remove_from_conf::kAny;
    ac.removeFromConfState = bit(CallState::kIdle);
    ac.transferModes = static_cast<std::uint32_t>(TransferMode::kTransfer) |
                       static_cast<std::uint32_t>(TransferMode::kConference);
    ac.parkModes = canPark ? static_cast<std::uint32_t>(ParkMode::kDirected) |
                                 static_cast<std::uint32_t>(ParkMode::kNonDirected)
                           : 0;
    ac.forwardModes = 0x0000ffff;
    ac.maxForwardEntries = c.maxForwardEntries;
    ac.maxSpecificEntries = c.maxForwardEntries;
    ac.minFwdNumRings = c.minNoAnswerRings;
    ac.maxFwdNumRings = c.maxNoAnswerRings;
    ac.maxCallCompletions = c.maxCompletionsPerLine;
    ac.callCompletionConds = completion_cond::kBusy | completion_cond::kNoAnswer;
    ac.callCompletionModes = static_cast<std::uint32_t>(CompletionMode::kCampOn) |
                             static_cast<std::uint32_t>(CompletionMode::kCallback) |
                             static_cast<std::uint32_t>(CompletionMode::kIntrude) |
                             static_cast<std::uint32_t>(CompletionMode::kMessage);
    ac.completionMessages = c.completionMessages;
    ac.addressFeatures = af::kForward | af::kMakeCall | af::kPickup | af::kPickupDirect |
                         af::kSetupConf | af::kUncompleteCall | af::kForwardFwd | af::kForwardDnd |
                         (a.pickupGroup ? af::kPickupGroup : 0) | (canPark ? af::kUnpark : 0);
    ac.connectedModes = connected_mode::kActive;
    ac.offeringModes = offering_mode::kActive;
    ac.availableMediaModes = lc.mediaModes;
    constexpr std::uint32_t kIdFlags = party_id_flag::kAddress | party_id_flag::kName |
                                       party_id_flag::kBlocked | party_id_flag::kUnknown;
    ac.callerIdFlags = kIdFlags;
    ac.calledIdFlags = kIdFlags;
    ac.connectedIdFlags = kIdFlags;
    ac.redirectionIdFlags = kIdFlags;
    ac.redirectingIdFlags = kIdFlags;
    lc.addresses.push_back(std::move(ac));
  }
}

const LineCaps* Switch::lineCaps(LineId line) const {
  const Station* st = findStation(line);
  return st ? &st->caps : nullptr;
}

// The operations possible on a call right now.
CallStatus Switch::statusOf(const Leg& leg) const {
  CallStatus s;
  s.state = leg.state;
  s.stateMode = leg.mode;
  s.secured = leg.secured;
  const bool canPark = !orbits_.empty();
  const bool consult = leg.partner && leg.isConsultCall;
  std::uint32_t f = 0;
  std::uint32_t f2 = 0;
  // Another call on the line that a swap could trade places with.
  bool heldOther = false;
  bool activeOther = false;
  for (const Address& a : stations_[leg.station].addresses) {
    for (CallId id : a.calls) {
      const Leg* o = legs_.find(id);
      if (o == nullptr || o == &leg || !o->announced) continue;
      heldOther |= o->state == CallState::kOnHold || o->state == CallState::kOnHoldPendTransfer ||
                   o->state == CallState::kOnHoldPendConf;
      activeOther |= o->state == CallState::kConnected;
    }
  }
  switch (leg.state) {
    case CallState::kOffering:
      f = cf::kAccept | cf::kAnswer | cf::kDrop | cf::kRedirect | cf::kSecureCall;
      break;
    case CallState::kAccepted:
      f = cf::kAnswer | cf::kDrop | cf::kSecureCall;
      break;
    case CallState::kDialtone:
    case CallState::kDialing:
      f = cf::kDial | cf::kDrop | cf::kSecureCall;
      break;
    case CallState::kProceeding:
      f = cf::kDrop | cf::kSecureCall;
      if (consult && leg.consult == Consult::kConference) f |= cf::kAddToConf;
      if (consult && leg.consult == Consult::kTransfer) f |= cf::kCompleteTransf;
      break;
    case CallState::kRingback:
      f = cf::kDrop | cf::kSecureCall;
      if (stationLeg(leg.peer)) {
        f |= cf::kCompleteCall;
        f2 |= cf2::kComplCallback | cf2::kComplMessage;
      }
      if (consult && leg.consult == Consult::kConference) f |= cf::kAddToConf;
      if (consult && leg.consult == Consult::kTransfer) f |= cf::kCompleteTransf;
      break;
    case CallState::kBusy:
      f = cf::kDrop;
      if (dialplan_.resolve(leg.info.called.number).kind == Route::Kind::kStation) {
        f |= cf::kCompleteCall;
        f2 |= cf2::kComplCampon | cf2::kComplCallback | cf2::kComplIntrude | cf2::kComplMessage;
      }
      if (consult && leg.consult == Consult::kTransfer) f |= cf::kCompleteTransf;
      break;
    case CallState::kSpecialInfo:
    case CallState::kDisconnected:
      f = cf::kDrop;
      break;
    case CallState::kConnected:
      f = cf::kDrop | cf::kHold | cf::kSecureCall;
      if (leg.peer || !leg.members.empty()) f |= cf::kDial;  // DTMF to the far party
      if (leg.isConfRoot) {
        if (conferenceParties(leg) < config_.conferenceMax && !leg.partner)
          f |= cf::kPrepareAddConf;
      } else if (!leg.partner) {
        f |= cf::kBlindTransfer | cf::kSetupTransfer | cf::kSetupConf | (canPark ? cf::kPark : 0);
        f2 |= cf2::kOneStepTransfer | (canPark ? cf2::kParkDirect | cf2::kParkNonDirect : 0);
      }
      if (heldOther) f |= cf::kSwapHold;
      if (consult && leg.consult == Consult::kConference) f |= cf::kAddToConf;
      if (consult && leg.consult == Consult::kTransfer) f |= cf::kCompleteTransf;
      break;
    case CallState::kOnHold:
      f = cf::kDrop | cf::kUnhold;
      if (activeOther) f |= cf::kSwapHold;
      if (leg.isConfRoot) {
        f |= cf::kAddToConf;
      } else if (!leg.confRoot) {
        f |= cf::kCompleteTransf;
      }
      break;
    case CallState::kOnHoldPendTransfer:
      f = cf::kDrop | cf::kUnhold | cf::kCompleteTransf | (activeOther ? cf::kSwapHold : 0);
      break;
    case CallState::kOnHoldPendConf:
      f = cf::kDrop | cf::kUnhold | cf::kAddToConf | (activeOther ? cf::kSwapHold : 0);
      break;
    case CallState::kConferenced:
      f = cf::kDrop | cf::kRemoveFromConf;
      break;
    case CallState::kIdle:
    case CallState::kUnknown:
      break;
  }
  if (f & cf::kCompleteTransf) f2 |= cf2::kTransferNorm | cf2::kTransferConf;
  if (leg.secured) f &= ~cf::kSecureCall;
  s.features = f;
  s.features2 = f2;
  return s;
}

Result<CallStatus> Switch::callStatus(CallId call) const {
  const Leg* leg = stationLeg(call);
  if (leg == nullptr || !leg->announced) return Status(Fault::kBadCallHandle, "no such call");
  return statusOf(*leg);
}

const CallInfo* Switch::callInfo(CallId call) const {
  const Leg* leg = stationLeg(call);
  return leg && leg->announced ? &leg->info : nullptr;
}

std::vector<CallId> Switch::callsOnLine(LineId line, std::int64_t address) const {
  std::vector<CallId> out;
  const Station* st = findStation(line);
  if (st == nullptr) return out;
  for (std::uint32_t a = 0; a < st->addresses.size(); ++a) {
    if (address >= 0 && static_cast<std::uint32_t>(address) != a) continue;
    for (CallId id : st->addresses[a].calls) {
      const Leg* leg = legs_.find(id);
      if (leg && leg->announced) out.push_back(id);
    }
  }
  return out;
}

std::uint32_t Switch::addressFeatures(std::uint32_t station, std::uint32_t address) const {
  const Address& a = stations_[station].addresses[address];
  std::uint32_t f = af::kForward | af::kForwardFwd | af::kForwardDnd | af::kPickupDirect;
  if (hasRoom(station, address)) {
    f |= af::kMakeCall | af::kSetupConf | af::kPickup;
    if (a.pickupGroup) f |= af::kPickupGroup;
    if (!orbits_.empty()) f |= af::kUnpark;
  }
  for (const Completion& c : completions_) {
    if (c.station == station && c.address == address) f |= af::kUncompleteCall;
  }
  return f;
}

Result<AddressStatus> Switch::addressStatus(LineId line, std::uint32_t address) const {
  const Station* st = findStation(line);
  if (st == nullptr) return Status(Fault::kBadLineHandle, "no such line");
  if (address >= st->addresses.size())
    return Status(Fault::kBadAddressId, "no such address on the line");
  const Address& a = st->addresses[address];
  AddressStatus s;
  for (CallId id : a.calls) {
    const Leg* leg = legs_.find(id);
    if (leg == nullptr || !leg->announced) continue;
    switch (leg->state) {
      case CallState::kOnHold:
        ++s.numOnHoldCalls;
        break;
      case CallState::kOnHoldPendConf:
      case CallState::kOnHoldPendTransfer:
        ++s.numOnHoldPendCalls;
        break;
      case CallState::kIdle:
      case CallState::kConferenced:
        break;
      default:
        ++s.numActiveCalls;
        break;
    }
  }
  // A private address has one station using it, or none.
  s.numInUse = inUseCount(a) > 0 ? 1 : 0;
  s.addressFeatures = addressFeatures(line.index(), address);
  s.numRingsNoAnswer = a.noAnswerRings;
  s.forward = a.forward;
  return s;
}

Result<LineStatus> Switch::lineStatus(LineId line) const {
  const Station* st = findStation(line);
  if (st == nullptr) return Status(Fault::kBadLineHandle, "no such line");
  LineStatus s;
  for (std::uint32_t a = 0; a < st->addresses.size(); ++a) {
    auto as = addressStatus(line, a);
    s.numActiveCalls += as->numActiveCalls;
    s.numOnHoldCalls += as->numOnHoldCalls;
    s.numOnHoldPendCalls += as->numOnHoldPendCalls;
  }
  s.lineFeatures = st->caps.lineFeatures;
  for (const Completion& c : completions_)
    if (c.station == line.index()) ++s.numCallCompletions;
  s.devStatusFlags = line_status_flag::kConnected | line_status_flag::kInService |
                     (st->messages.empty() ? 0 : line_status_flag::kMsgWait);
  s.messagesWaiting = static_cast<std::uint32_t>(st->messages.size());
  return s;
}

Result<std::uint32_t> Switch::addressId(LineId line, std::string_view address) const {
  const Station* st = findStation(line);
  if (st == nullptr) return Status(Fault::kBadLineHandle, "no such line");
  for (std::uint32_t a = 0; a < st->addresses.size(); ++a) {
    if (st->addresses[a].number == address) return a;
  }
  return Status(Fault::kBadAddress, "no address " + std::string(address) + " on this line");
}

}  // namespace tapir::pbx
