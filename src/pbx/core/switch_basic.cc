// Basic calls: make, dial, accept, answer, drop (and reject), secure,
// redirect; and the same actions taken on a phone.
#include "pbx/core/switch.h"

namespace tapir::pbx {

Status Switch::needState(const Leg& leg, std::uint32_t states, std::string_view op) const {
  if ((bit(leg.state) & states) != 0) return Status();
  std::string msg(op);
  msg += " is not possible in state ";
  msg += callStateName(leg.state);
  return Status(Fault::kBadCallState, std::move(msg));
}

bool Switch::hasRoom(std::uint32_t station, std::uint32_t address, std::uint32_t more) const {
  std::uint32_t live = 0;
  for (CallId id : stations_[station].addresses[address].calls) {
    const Leg* leg = legs_.find(id);
    if (leg && (leg->state != CallState::kIdle || !leg->announced)) ++live;
  }
  return live + more <= config_.maxCallsPerAddress;
}

Status Switch::noRoom(std::uint32_t station, std::uint32_t address) const {
  return Status(
      Fault::kCallUnavail,
      "every call appearance of " + stations_[station].addresses[address].number + " is in use");
}

// ---- make call / dial -------------------------------------------------------------

Result<CallId> Switch::originate(RequestId req, std::uint32_t station, std::uint32_t address,
                                 std::string_view dest, const CallParams& params, bool fromPhone) {
  DialString ds;
  if (!dest.empty()) {
    auto parsed = parseDialString(dest);
    if (!parsed) return parsed.status();
    ds = std::move(*parsed);
  }
  constexpr std::uint32_t kMedia = media_mode::kInteractiveVoice | media_mode::kAutomatedVoice;
  if ((params.mediaMode & ~kMedia) != 0) {
    return Status(Fault::kBadMediaMode, "only voice calls are supported");
  }
  if (!hasRoom(station, address)) return noRoom(station, address);

  Leg& leg = newStationLeg(station, address, CallOrigin::kOutbound, CallReason::kDirect);
  leg.info.callId = newSessionId();
  leg.info.mediaMode = params.mediaMode ? params.mediaMode : media_mode::kInteractiveVoice;
  leg.info.callParamFlags = params.flags;
  leg.info.displayableAddress = params.displayableAddress;
  leg.info.calledParty = params.calledParty;
  leg.info.comment = params.comment;
  leg.info.caller = partyOf(leg);
  leg.secured = (params.flags & call_param_flag::kSecure) != 0;
  const CallId id = leg.id;
  Status st = run(
      req, station, id, StationOp::kOffhook,
      [this, id](ReplyData&) {
        return stationLeg(id) ? Status() : Status(Fault::kOperationFailed, "the call was closed");
      },
      [this, id, ds, fromPhone](const ReplyData&) {
        Leg& l = *stationLeg(id);
        const CallState first = ds.digits.empty() ? CallState::kDialtone : CallState::kDialing;
        const std::uint32_t mode = first == CallState::kDialtone ? dialtone_mode::kNormal : 0;
        if (fromPhone) {
          announce(l, first, mode);
        } else {
          activate(l, first, mode);
        }
        dialDigits(l, ds);
      },
      [this, id] { destroyPending(id); }, fromPhone);
  if (!st) return st;
  return id;
}

Result<CallId> Switch::makeCall(RequestId req, LineId line, std::uint32_t address,
                                std::string_view dest, const CallParams& params) {
  const Station* st = findStation(line);
  if (st == nullptr) return Status(Fault::kBadLineHandle, "no such line");
  if (address >= st->addresses.size())
    return Status(Fault::kBadAddressId, "no such address on the line");
  return originate(req, line.index(), address, dest, params, /*fromPhone=*/false);
}

Result<CallId> Switch::phoneDial(std::uint32_t station, std::uint32_t address,
                                 std::string_view dest) {
  if (station >= stations_.size() || address >= stations_[station].addresses.size())
    return Status(Fault::kBadAddressId, "no such station address");
  return originate(kNoRequest, station, address, dest, CallParams{}, /*fromPhone=*/true);
}

void Switch::dialDigits(Leg& leg, const DialString& ds) {
  leg.dialed += ds.digits;
  if (leg.dialed.empty()) return;  // still at dial tone
  setState(leg, CallState::kDialing);
  if (ds.partial) return;  // more digits will follow
  leg.info.called = PartyId{leg.dialed, {}};
  infoChanged(leg, info_field::kCalledId);
  setState(leg, CallState::kProceeding);
  route(leg, leg.dialed, CallReason::kDirect, {});
}

Status Switch::dial(RequestId req, CallId call, std::string_view digits) {
  auto leg = ownLeg(call);
  if (!leg) return leg.status();
  Leg& l = **leg;
  // lineDial allows any state but idle and disconnected, but only on a
  // connected call does a far party hear the digits: other states refuse.
  Status st = needState(
      l, bit(CallState::kDialtone) | bit(CallState::kDialing) | bit(CallState::kConnected),
      "dialing");
  if (!st) return st;
  if (l.state == CallState::kConnected) return sendDtmf(req, call, digits);
  auto ds = parseDialString(digits);
  if (!ds) return ds.status();
  if (ds->digits.empty() && !ds->partial && l.dialed.empty())
    return Status(Fault::kBadAddress, "no digits to dial");
  const DialString what = *ds;
  auto check = [this, call](ReplyData&) -> Status {
    Leg* x = stationLeg(call);
    if (x == nullptr) return Status(Fault::kBadCallHandle, "no such call");
    return needState(*x, bit(CallState::kDialtone) | bit(CallState::kDialing), "dialing");
  };
  return run(req, l.station, call, StationOp::kDial, check,
             [this, call, what](const ReplyData&) { dialDigits(*stationLeg(call), what); });
}

// ---- DTMF on a connected call ------------------------------------------------------

std::vector<CallId> Switch::dtmfParties(const Leg& leg) const {
  std::vector<CallId> out;
  auto add = [&](const Leg& l) {
    if (legs_.find(l.peer)) out.push_back(l.peer);
  };
  if (leg.isConfRoot) {
    // The conference hears the controller: every member's party gets the digits.
    for (CallId m : leg.members)
      if (const Leg* ml = legs_.find(m)) add(*ml);
  } else {
    add(leg);
  }
  return out;
}

Status Switch::sendDtmf(RequestId req, CallId call, std::string_view text) {
  auto ds = parseDialString(text);
  if (!ds) return ds.status();
  if (ds->partial) return Status(Fault::kBadAddress, "';' (partial dialing) needs a dialing call");
  if (ds->digits.empty()) return Status(Fault::kBadAddress, "no digits to send");
  if (ds->digits.front() == '+') return Status(Fault::kBadAddress, "'+' is not a DTMF digit");
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    Status st = needState(**leg, bit(CallState::kConnected), "sending digits");
    if (!st) return st;
    if (dtmfParties(**leg).empty())
      return Status(Fault::kBadCallState, "no party to send digits to");
    return Status();
  };
  const std::string digits = ds->digits;
  return run(req, stationLeg(call)->station, call, StationOp::kDial, check,
             [this, call, digits](const ReplyData&) {
               for (CallId id : dtmfParties(*stationLeg(call))) {
                 Leg& p = *legs_.find(id);
                 if (p.kind == LegKind::kTrunk) {
                   if (trunk_) trunk_->digits(p.id, digits);
                 } else if (p.announced && (p.state == CallState::kConnected ||
                                            p.state == CallState::kConferenced)) {
                   // A party holding the call does not hear it.
                   for (char c : digits)
                     outbox_.digit(p.id, c);
                 }
               }
             });
}

// ---- accept / answer -------------------------------------------------------------

Status Switch::accept(RequestId req, CallId call) {
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    return needState(**leg, bit(CallState::kOffering), "accepting");
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  return run(req, stationLeg(call)->station, call, StationOp::kAccept, check,
             [this, call](const ReplyData&) { setState(*stationLeg(call), CallState::kAccepted); });
}

Status Switch::answerOp(RequestId req, CallId call, bool fromPhone) {
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    return needState(**leg, bit(CallState::kOffering) | bit(CallState::kAccepted), "answering");
  };
  Leg* leg = stationLeg(call);
  if (leg == nullptr) return Status(Fault::kBadCallHandle, "no such call");
  return run(
      req, leg->station, call, StationOp::kAnswer, check,
      [this, call](const ReplyData&) { applyAnswer(*stationLeg(call)); }, {}, fromPhone);
}

Status Switch::answer(RequestId req, CallId call) {
  return answerOp(req, call, false);
}
Status Switch::phoneAnswer(CallId call) {
  return answerOp(kNoRequest, call, true);
}

void Switch::applyAnswer(Leg& leg) {
  stopRinging(leg);
  holdOthers(leg.station, leg.address, leg.id);
  if (leg.recallOf != kNoOrbit) {  // a park recall: take the parked party back
    const auto orbit = static_cast<std::uint32_t>(leg.recallOf);
    leg.recallOf = kNoOrbit;
    setState(leg, CallState::kConnected, connected_mode::kActive);
    unparkInto(leg, orbit);
    return;
  }
  if (leg.info.reason == CallReason::kCallCompletion && !leg.peer && leg.completion) {
    // The caller took the call-back: now ring the party it wanted.
    Completion* c = findCompletion(leg.station, leg.completion);
    leg.completion = 0;
    if (c == nullptr) {
      clearLeg(leg, disconnect_mode::kNormal);
      return;
    }
    const std::string target = stations_[c->targetStation].addresses[c->targetAddress].number;
    cancelCompletion(c->id, /*byUser=*/false, /*quiet=*/true);
    setState(leg, CallState::kProceeding);
    route(leg, target, CallReason::kCallCompletion, {});
    return;
  }
  setState(leg, CallState::kConnected, connected_mode::kActive);
  if (Leg* p = legs_.find(leg.peer)) {
    setConnectedParty(leg, partyOf(*p));
    setConnectedParty(*p, partyOf(leg));
    switch (p->state) {
      case CallState::kProceeding:
      case CallState::kRingback:
      case CallState::kDialing:
        setState(*p, CallState::kConnected, connected_mode::kActive);
        break;
      default:
        break;
    }
  }
}

// ---- drop ------------------------------------------------------------------------

Status Switch::dropOp(RequestId req, CallId call, bool fromPhone) {
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    if ((*leg)->state == CallState::kIdle)
      return Status(Fault::kBadCallState, "the call is already idle");
    return Status();
  };
  Leg* leg = stationLeg(call);
  if (leg == nullptr) return Status(Fault::kBadCallHandle, "no such call");
  return run(
      req, leg->station, call, StationOp::kDrop, check,
      [this, call](const ReplyData&) { applyDrop(*stationLeg(call)); }, {}, fromPhone);
}

Status Switch::drop(RequestId req, CallId call) {
  return dropOp(req, call, false);
}
Status Switch::phoneHangup(CallId call) {
  return dropOp(kNoRequest, call, true);
}

void Switch::applyDrop(Leg& leg) {
  if (leg.state == CallState::kIdle) return;
  if (leg.isConfRoot) {
    // Dropping a conference drops every party in it.
    std::vector<CallId> members = std::move(leg.members);
    leg.members.clear();
    for (CallId m : members) {
      if (Leg* ml = legs_.find(m)) {
        ml->confRoot = CallId();
        clearLeg(*ml, disconnect_mode::kNormal);
      }
    }
    if (Leg* consult = legs_.find(leg.partner)) {
      consult->partner = CallId();
      consult->consult = Consult::kNone;
    }
    leg.partner = CallId();
    leg.consult = Consult::kNone;
    setState(leg, CallState::kIdle);
    return;
  }
  if (leg.confRoot) {
    removeMember(leg);
    return;
  }
  if (leg.isConsultCall && leg.partner) {
    endConsultation(leg, /*restoreOriginal=*/true);
    return;
  }
  if (leg.partner) {  // the original of a pending transfer or conference
    if (Leg* consult = legs_.find(leg.partner)) {
      consult->partner = CallId();
      consult->consult = Consult::kNone;
      consult->isConsultCall = false;
    }
    leg.partner = CallId();
    leg.consult = Consult::kNone;
  }
  if (leg.state == CallState::kOffering || leg.state == CallState::kAccepted || leg.camped) {
    // Rejecting an offered (or camped-on) call.
    Leg* from = legs_.find(leg.peer);
    stopRinging(leg);
    unlink(leg);
    leg.camped = false;
    setState(leg, CallState::kIdle);
    if (leg.completion) completionCallerGone(leg);
    if (from) refuse(*from, CallState::kDisconnected, disconnect_mode::kReject);
    return;
  }
  clearLeg(leg, disconnect_mode::kNormal);
}

// ---- secure ----------------------------------------------------------------------

Status Switch::secureCall(RequestId req, CallId call) {
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    if ((*leg)->state == CallState::kIdle) return Status(Fault::kBadCallState, "the call is idle");
    return Status();
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  return run(req, stationLeg(call)->station, call, StationOp::kSecure, check,
             [this, call](const ReplyData&) {
               Leg& l = *stationLeg(call);
               if (l.secured) return;
               l.secured = true;
               l.info.callParamFlags |= call_param_flag::kSecure;
               infoChanged(l, info_field::kOther);
             });
}

// ---- redirect --------------------------------------------------------------------

Status Switch::redirect(RequestId req, CallId call, std::string_view dest) {
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    // lineRedirect: "The call state of hCall must be offering"; an accepted
    // call is the station's to answer or drop.
    Status st = needState(**leg, bit(CallState::kOffering), "redirecting");
    if (!st) return st;
    if (!legs_.find((*leg)->peer)) return Status(Fault::kBadCallState, "the caller has gone");
    return Status();
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  auto ds = checkDest(dest);
  if (!ds) return ds.status();
  if (ds->partial) return Status(Fault::kBadAddress, "a redirect needs a complete number");
  Leg& l = *stationLeg(call);
  Route r = dialplan_.resolve(ds->digits);
  if (r.kind == Route::Kind::kUnreachable)
    return Status(Fault::kBadAddress, ds->digits + " is not reachable");
  if (r.kind == Route::Kind::kStation && r.station == l.station && r.address == l.address)
    return Status(Fault::kBadAddress, "a call cannot be redirected to where it rings");
  const std::string digits = ds->digits;
  return run(req, l.station, call, StationOp::kRedirect, check,
             [this, call, digits](const ReplyData&) {
               Leg& leg = *stationLeg(call);
               Leg& from = *legs_.find(leg.peer);
               std::vector<std::uint32_t> visited = leg.visited;
               const PartyId by = partyOf(leg);
               stopRinging(leg);
               unlink(leg);
               setState(leg, CallState::kIdle);
               if (from.kind == LegKind::kStation) {
                 from.info.redirection = PartyId{digits, {}};
                 infoChanged(from, info_field::kRedirectionId);
               }
               route(from, digits, CallReason::kRedirect, by, std::move(visited));
             });
}

}  // namespace tapir::pbx
