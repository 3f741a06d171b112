// Call completion: camp-on, callback, intrude, message; and cancelling them.
#include "pbx/core/switch.h"

#include <algorithm>

namespace tapir::pbx {

Completion* Switch::findCompletion(std::uint32_t station, std::uint32_t id) {
  for (Completion& c : completions_)
    if (c.id == id && c.station == station) return &c;
  return nullptr;
}

Result<std::pair<std::uint32_t, std::uint32_t>> Switch::completionTarget(const Leg& leg) const {
  if (const Leg* p = stationLeg(leg.peer)) return std::pair{p->station, p->address};
  Route r = dialplan_.resolve(leg.info.called.number);
  if (r.kind == Route::Kind::kStation) return std::pair{r.station, r.address};
  return Status(Fault::kOperationUnavail,
                "call completion works toward stations of this switch only");
}

Status Switch::completeCall(RequestId req, CallId call, CompletionMode mode,
                            std::uint32_t messageId) {
  switch (mode) {
    case CompletionMode::kCampOn:
    case CompletionMode::kCallback:
    case CompletionMode::kIntrude:
    case CompletionMode::kMessage:
      break;
    default:
      return Status(Fault::kBadCompletionMode, "unknown call completion mode");
  }
  const std::uint32_t id = ++lastCompletionId_;
  auto check = [this, call, mode, messageId, id](ReplyData& data) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    Leg& l = **leg;
    Status st = needState(l, bit(CallState::kBusy) | bit(CallState::kRingback), "call completion");
    if (!st) return st;
    auto target = completionTarget(l);
    if (!target) return target.status();
    const auto [ts, ta] = *target;
    const bool busy = l.state == CallState::kBusy;
    Leg* active = activeLeg(ts, ta);
    switch (mode) {
      case CompletionMode::kCampOn:
        if (!busy) return Status(Fault::kBadCompletionMode, "camp-on needs a busy destination");
        if (active && active->secured)
          return Status(Fault::kOperationFailed, "the destination's call is secured");
        if (!hasRoom(ts, ta))
          return Status(Fault::kResourceUnavail, "the destination has no free call appearance");
        break;
      case CompletionMode::kIntrude:
        if (!busy) return Status(Fault::kBadCompletionMode, "intrude needs a busy destination");
        if (active == nullptr)
          return Status(Fault::kOperationFailed, "the destination has no call to intrude on");
        if (active->secured)
          return Status(Fault::kOperationFailed, "the destination's call is secured");
        if (active->isConfRoot) {
          if (Status room = checkConferenceRoom(*active, 1); !room) return room;
        }
        if (!hasRoom(ts, ta, 2))
          return Status(Fault::kResourceUnavail, "the destination has no free call appearance");
        break;
      case CompletionMode::kMessage:
        if (messageId >= config_.completionMessages.size())
          return Status(Fault::kBadMessageId,
                        "message " + std::to_string(messageId) + " does not exist");
        break;
      case CompletionMode::kCallback:
        break;
    }
    if (mode == CompletionMode::kCampOn || mode == CompletionMode::kCallback) {
      const auto outstanding =
          std::count_if(completions_.begin(), completions_.end(),
                        [&](const Completion& c) { return c.station == l.station; });
      if (static_cast<std::uint32_t>(outstanding) >= config_.maxCompletionsPerLine)
        return Status(Fault::kCompletionOverrun,
                      "too many call completions outstanding on this line");
    }
    data.completionId = id;
    return Status();
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  return run(req, stationLeg(call)->station, call, StationOp::kComplete, check,
             [this, call, mode, messageId](const ReplyData& data) {
               applyCompletion(*stationLeg(call), mode, messageId, data.completionId);
             });
}

void Switch::applyCompletion(Leg& leg, CompletionMode mode, std::uint32_t messageId,
                             std::uint32_t id) {
  const auto [ts, ta] = *completionTarget(leg);
  const Address& target = stations_[ts].addresses[ta];
  const PartyId targetParty{target.number, target.name};
  Completion c;
  c.id = id;
  c.mode = mode;
  c.condition = leg.state == CallState::kBusy ? completion_cond::kBusy : completion_cond::kNoAnswer;
  c.station = leg.station;
  c.address = leg.address;
  c.targetStation = ts;
  c.targetAddress = ta;

  // Stop ringing the destination: the caller waits another way now.
  auto stopOffer = [&] {
    if (Leg* offered = stationLeg(leg.peer)) withdraw(*offered, disconnect_mode::kNormal);
    unlink(leg);
  };

  switch (mode) {
    case CompletionMode::kCampOn: {
      Leg& camped =
          newStationLeg(ts, ta, fromInside(leg) ? CallOrigin::kInternal : CallOrigin::kExternal,
                        CallReason::kCampedOn);
      camped.camped = true;
      camped.completion = id;
      camped.info.caller = partyOf(leg);
      camped.info.called = targetParty;
      camped.info.callId = leg.info.callId;
      camped.info.completionId = id;
      leg.completion = id;
      c.caller = leg.id;
      c.camped = camped.id;
      link(leg, camped);
      completions_.push_back(c);
      setState(leg, CallState::kRingback);
      announce(camped, CallState::kOnHold);
      break;
    }
    case CompletionMode::kCallback: {
      stopOffer();
      // On no answer, the callback waits for the destination to be used.
      stations_[ts].addresses[ta].wasInUse = false;
      c.caller = CallId();
      completions_.push_back(c);
      setState(leg, CallState::kIdle);
      break;
    }
    case CompletionMode::kIntrude: {
      Leg& active = *activeLeg(ts, ta);
      Leg* root = &active;
      if (!active.isConfRoot) {
        Leg& r = newConferenceRoot(ts, ta);
        r.info.relatedCallId = active.info.callId;
        announce(r, CallState::kConnected, connected_mode::kActive);
        addMember(r, active);
        root = &r;
      }
      Leg& intruder =
          newStationLeg(ts, ta, fromInside(leg) ? CallOrigin::kInternal : CallOrigin::kExternal,
                        CallReason::kIntrude);
      intruder.info.caller = partyOf(leg);
      intruder.info.connected = partyOf(leg);
      intruder.info.callId = leg.info.callId;
      link(leg, intruder);
      intruder.confRoot = root->id;
      root->members.push_back(intruder.id);
      announce(intruder, CallState::kConferenced);
      setConnectedParty(leg, targetParty);
      setState(leg, CallState::kConnected, connected_mode::kActive);
      return;  // complete at once: nothing outstanding
    }
    case CompletionMode::kMessage: {
      stopOffer();
      Station& st = stations_[ts];
      st.messages.push_back(Message{partyOf(leg).number, messageId, loop_.now()});
      if (st.messages.size() == 1) outbox_.lineEvent(st.id, line_event::kMsgWaitOn, 0, 0);
      setState(leg, CallState::kIdle);
      return;  // complete at once
    }
  }
  const std::uint32_t cid = id;
  completions_.back().expiry = loop_.runAfter(config_.callbackExpiry, [this, cid] {
    cancelCompletion(cid, /*byUser=*/false, /*quiet=*/false);
  });
  outbox_.lineEvent(stations_[c.station].id, line_event::kNumCompletions, 0, 0);
  scheduleCompletionCheck();
}

Status Switch::uncompleteCall(RequestId req, LineId line, std::uint32_t completionId) {
  const Station* st = findStation(line);
  if (st == nullptr) return Status(Fault::kBadLineHandle, "no such line");
  const std::uint32_t station = line.index();
  auto check = [this, station, completionId](ReplyData&) -> Status {
    if (findCompletion(station, completionId) == nullptr)
      return Status(Fault::kBadCompletionId,
                    "no call completion " + std::to_string(completionId) + " on this line");
    return Status();
  };
  ReplyData scratch;
  if (Status s = check(scratch); !s) return s;
  return run(req, station, CallId(), StationOp::kComplete, check,
             [this, completionId](const ReplyData&) {
               cancelCompletion(completionId, /*byUser=*/true, /*quiet=*/true);
             });
}

// Removes a completion request and undoes what still waits for it. `quiet`:
// no LINEDEVSTATE_COMPLCANCEL (the user cancelled, or it was used up).
void Switch::cancelCompletion(std::uint32_t id, bool byUser, bool quiet) {
  auto it = std::find_if(completions_.begin(), completions_.end(),
                         [id](const Completion& c) { return c.id == id; });
  if (it == completions_.end()) return;
  const Completion c = *it;
  completions_.erase(it);
  if (c.expiry) loop_.cancel(c.expiry);
  if (c.mode == CompletionMode::kCampOn) {
    if (Leg* camped = stationLeg(c.camped); camped && camped->completion == id) {
      camped->completion = 0;
      camped->camped = false;
      withdraw(*camped, disconnect_mode::kCancelled);
    }
    if (Leg* caller = stationLeg(c.caller); caller && caller->completion == id) {
      caller->completion = 0;
      // Back to the busy tone the caller camped on.
      if (!caller->peer && caller->state == CallState::kRingback)
        setState(*caller, CallState::kBusy, busy_mode::kStation);
    }
  } else if (Leg* cb = stationLeg(c.caller); cb && cb->completion == id) {
    cb->completion = 0;
    withdraw(*cb, disconnect_mode::kCancelled);
  }
  const LineId line = stations_[c.station].id;
  if (!quiet && !byUser) outbox_.lineEvent(line, line_event::kComplCancel, id, 0);
  outbox_.lineEvent(line, line_event::kNumCompletions, 0, 0);
}

void Switch::completionCallerGone(Leg& leg) {
  const std::uint32_t id = leg.completion;
  leg.completion = 0;
  cancelCompletion(id, /*byUser=*/false, /*quiet=*/true);
}

void Switch::scheduleCompletionCheck() {
  if (completionCheckScheduled_ || completions_.empty()) return;
  completionCheckScheduled_ = true;
  loop_.post([this] {
    completionCheckScheduled_ = false;
    checkCompletions();
  });
}

// Runs after any station's usage changed: camped-on calls ring once their
// station is free; callbacks start once the destination is free (on no
// answer: after it was used) and the asking station is free too.
void Switch::checkCompletions() {
  std::vector<std::uint32_t> ids;
  for (const Completion& c : completions_)
    ids.push_back(c.id);
  for (std::uint32_t id : ids) {
    auto it = std::find_if(completions_.begin(), completions_.end(),
                           [id](const Completion& c) { return c.id == id; });
    if (it == completions_.end()) continue;
    Completion& c = *it;
    const Address& target = stations_[c.targetStation].addresses[c.targetAddress];
    if (c.mode == CompletionMode::kCampOn) {
      if (addressBusy(c.targetStation, c.targetAddress)) continue;
      Leg* camped = stationLeg(c.camped);
      Leg* caller = stationLeg(c.caller);
      const CallId campedId = c.camped;
      if (caller) caller->completion = 0;
      if (camped) camped->completion = 0;
      if (c.expiry) loop_.cancel(c.expiry);
      completions_.erase(it);
      if (camped == nullptr || !camped->camped) continue;
      camped->camped = false;
      setState(*camped, CallState::kOffering, offering_mode::kActive);
      alert(*camped, {},
            [this, campedId] { withdraw(*stationLeg(campedId), disconnect_mode::kOutOfOrder); });
      continue;
    }
    const bool free = inUseCount(target) == 0;
    const bool ready = c.condition == completion_cond::kBusy ? free : (free && target.wasInUse);
    if (ready) offerCallback(c);
  }
}

void Switch::offerCallback(Completion& c) {
  if (stationLeg(c.caller)) return;               // already ringing
  if (addressBusy(c.station, c.address)) return;  // wait until the asker is free
  const Address& target = stations_[c.targetStation].addresses[c.targetAddress];
  const Address& asker = stations_[c.station].addresses[c.address];
  Leg& cb = newStationLeg(c.station, c.address, CallOrigin::kInternal, CallReason::kCallCompletion);
  cb.completion = c.id;
  cb.info.completionId = c.id;
  cb.info.callId = newSessionId();
  cb.info.caller = PartyId{target.number, target.name};
  cb.info.called = PartyId{asker.number, asker.name};
  c.caller = cb.id;
  announce(cb, CallState::kOffering, offering_mode::kActive);
  const CallId id = cb.id;
  alert(cb, {}, [this, id] { withdraw(*stationLeg(id), disconnect_mode::kOutOfOrder); });
}

Status Switch::clearMessages(std::uint32_t station) {
  if (station >= stations_.size()) return Status(Fault::kBadLineHandle, "no such station");
  Station& st = stations_[station];
  if (st.messages.empty()) return Status();
  st.messages.clear();
  outbox_.lineEvent(st.id, line_event::kMsgWaitOff, 0, 0);
  return Status();
}

}  // namespace tapir::pbx
