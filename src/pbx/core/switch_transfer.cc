// Blind and consultation transfer.
#include "pbx/core/switch.h"

namespace tapir::pbx {

// A consultation call on the same address as `original`, created by a request
// (so silent until its reply).
Leg& Switch::newConsultation(Leg& original, Consult kind) {
  Leg& c =
      newStationLeg(original.station, original.address, CallOrigin::kOutbound, CallReason::kDirect);
  c.info.callId = newSessionId();
  c.info.relatedCallId = original.info.callId;
  c.info.caller = partyOf(c);
  c.info.mediaMode = original.info.mediaMode;
  c.isConsultCall = true;
  c.consult = kind;
  return c;
}

void Switch::pairConsultation(Leg& original, Leg& consult, Consult kind) {
  original.partner = consult.id;
  original.consult = kind;
  consult.partner = original.id;
  consult.consult = kind;
  consult.isConsultCall = true;
}

// Ends a consultation: the consultation call is cleared and, if asked, the
// call it was made for comes back (a pending conference may unwind).
void Switch::endConsultation(Leg& consult, bool restoreOriginal) {
  Leg* original = legs_.find(consult.partner);
  consult.partner = CallId();
  consult.consult = Consult::kNone;
  consult.isConsultCall = false;
  if (consult.state != CallState::kIdle) clearLeg(consult, disconnect_mode::kNormal);
  if (original == nullptr) return;
  original->partner = CallId();
  original->consult = Consult::kNone;
  if (!restoreOriginal) return;
  if (original->state == CallState::kOnHoldPendTransfer) {
    applyRetrieve(*original);
  } else if (original->isConfRoot && original->state == CallState::kOnHoldPendConf) {
    applyRetrieve(*original);
    conferenceMaybeEnds(*original);
  }
}

// `party` (already unlinked from whoever sent it) is offered to `digits`.
void Switch::transferParty(Leg& party, const std::string& digits, const PartyId& by) {
  if (party.heldByUs) {
    party.heldByUs = false;
    if (trunk_) trunk_->held(party.id, false);
  }
  if (party.kind == LegKind::kStation) {
    party.info.redirecting = by;
    party.info.redirection = PartyId{digits, {}};
    infoChanged(party, info_field::kRedirectingId | info_field::kRedirectionId);
  }
  setState(party, CallState::kProceeding);
  route(party, digits, CallReason::kTransfer, by);
}

// Connects two parties that each talked to the transferring station `by`.
void Switch::joinParties(Leg& a, Leg& b, const PartyId& by) {
  link(a, b);
  b.info.callId = a.info.callId;  // the session follows the transferred party
  const bool bAlerting = b.state == CallState::kOffering || b.state == CallState::kAccepted;
  const bool bConnected = b.state == CallState::kConnected;
  for (Leg* x : {&a, &b}) {
    Leg& y = x == &a ? b : a;
    if (x->heldByUs) {
      x->heldByUs = false;
      if (trunk_) trunk_->held(x->id, false);
    }
    if (x->kind != LegKind::kStation) {
      setConnectedParty(*x, partyOf(y));
      continue;
    }
    std::uint32_t fields = info_field::kRedirectingId | info_field::kCallId;
    x->info.redirecting = by;
    if (x == &b && bAlerting) {
      // The call ringing here now comes from the transferred party.
      x->info.caller = partyOf(y);
      x->info.reason = CallReason::kTransfer;
      fields |= info_field::kCallerId | info_field::kReason;
    } else {
      x->info.connected = partyOf(y);
      x->info.redirection = partyOf(y);
      fields |= info_field::kConnectedId | info_field::kRedirectionId;
    }
    infoChanged(*x, fields);
  }
  // The transferred party now hears what the other side offers.
  if (bAlerting || (b.kind == LegKind::kTrunk && b.state == CallState::kOffering)) {
    if (a.state == CallState::kConnected || a.state == CallState::kProceeding)
      setState(a, CallState::kRingback);
  } else if (bConnected) {
    if (a.state != CallState::kConnected)
      setState(a, CallState::kConnected, connected_mode::kActive);
  }
}

// ---- blind transfer ----------------------------------------------------------------

Status Switch::blindTransferOp(RequestId req, CallId call, std::string_view dest, bool fromPhone) {
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    Status st = needState(**leg, bit(CallState::kConnected), "blind transfer");
    if (!st) return st;
    if ((*leg)->isConfRoot)
      return Status(Fault::kBadCallState, "a conference cannot be transferred");
    if (!legs_.find((*leg)->peer)) return Status(Fault::kBadCallState, "no party to transfer");
    return Status();
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  auto ds = checkDest(dest);
  if (!ds) return ds.status();
  if (ds->partial) return Status(Fault::kBadAddress, "a transfer needs a complete number");
  Leg& l = *stationLeg(call);
  Route r = dialplan_.resolve(ds->digits);
  if (r.kind == Route::Kind::kUnreachable)
    return Status(Fault::kBadAddress, ds->digits + " is not reachable");
  if (r.kind == Route::Kind::kStation && r.station == l.station && r.address == l.address)
    return Status(Fault::kBadAddress, "a call cannot be transferred to its own address");
  const std::string digits = ds->digits;
  return run(
      req, l.station, call, StationOp::kTransfer, check,
      [this, call, digits](const ReplyData&) {
        Leg& leg = *stationLeg(call);
        Leg& party = *legs_.find(leg.peer);
        const PartyId by = partyOf(leg);
        unlink(leg);
        setState(leg, CallState::kIdle);
        transferParty(party, digits, by);
      },
      {}, fromPhone);
}

Status Switch::blindTransfer(RequestId req, CallId call, std::string_view dest) {
  return blindTransferOp(req, call, dest, false);
}
Status Switch::phoneTransfer(CallId call, std::string_view dest) {
  return blindTransferOp(kNoRequest, call, dest, true);
}

// ---- consultation transfer -----------------------------------------------------------

Result<CallId> Switch::setupTransfer(RequestId req, CallId call, const CallParams& params) {
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    Status st = needState(**leg, bit(CallState::kConnected), "setting up a transfer");
    if (!st) return st;
    if ((*leg)->isConfRoot || (*leg)->partner)
      return Status(Fault::kBadCallState,
                    "the call is already part of a consultation or conference");
    return Status();
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  DialString target;
  if (!params.targetAddress.empty()) {
    auto ds = checkDest(params.targetAddress);
    if (!ds) return ds.status();
    target = *ds;
  }
  Leg& l = *stationLeg(call);
  if (!hasRoom(l.station, l.address)) return noRoom(l.station, l.address);
  const CallId consult = newConsultation(l, Consult::kTransfer).id;
  Status st = run(
      req, l.station, call, StationOp::kHold, check,
      [this, call, consult, target](const ReplyData&) {
        Leg& original = *stationLeg(call);
        Leg& c = *stationLeg(consult);
        pairConsultation(original, c, Consult::kTransfer);
        applyHold(original, CallState::kOnHoldPendTransfer);
        activate(c, CallState::kDialtone, dialtone_mode::kNormal);
        if (!target.digits.empty()) dialDigits(c, target);
      },
      [this, consult] { destroyPending(consult); });
  if (!st) return st;
  return consult;
}

Result<CallId> Switch::completeTransfer(RequestId req, CallId call, CallId consult,
                                        TransferMode mode) {
  if (mode != TransferMode::kTransfer && mode != TransferMode::kConference)
    return Status(Fault::kBadTransferMode, "unknown transfer mode");
  auto check = [this, call, consult, mode](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    Leg& l = **leg;
    Leg* c = stationLeg(consult);
    if (c == nullptr || !c->announced || c == &l || c->station != l.station)
      return Status(Fault::kBadConsultCallHandle, "not a consultation call on this line");
    if (c->isConfRoot || c->confRoot || l.isConfRoot || l.confRoot)
      return Status(Fault::kBadConsultCallHandle, "conference calls cannot be transferred");
    Status st = needState(l, bit(CallState::kOnHold) | bit(CallState::kOnHoldPendTransfer),
                          "completing a transfer (call to transfer)");
    if (!st) return st;
    st = needState(*c,
                   bit(CallState::kConnected) | bit(CallState::kRingback) | bit(CallState::kBusy) |
                       bit(CallState::kProceeding),
                   "completing a transfer (consultation call)");
    if (!st) return st;
    if (!legs_.find(l.peer)) return Status(Fault::kBadCallState, "the party to transfer has gone");
    if (mode == TransferMode::kConference && config_.conferenceMax < 3)
      return Status(Fault::kConferenceFull, "conferences are limited to two parties");
    return Status();
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  Leg& l = *stationLeg(call);
  CallId conf;
  if (mode == TransferMode::kConference) {
    if (!hasRoom(l.station, l.address)) return noRoom(l.station, l.address);
    conf = newConferenceRoot(l.station, l.address).id;
  }
  const StationOp op =
      mode == TransferMode::kTransfer ? StationOp::kTransfer : StationOp::kConference;
  Status st = run(
      req, l.station, call, op, check,
      [this, call, consult, conf, mode](const ReplyData&) {
        Leg& held = *stationLeg(call);
        Leg& c = *stationLeg(consult);
        for (Leg* x : {&held, &c}) {
          if (Leg* p = legs_.find(x->partner); p && (p == &held || p == &c)) {
            x->partner = CallId();
            x->consult = Consult::kNone;
            x->isConsultCall = false;
          }
        }
        if (mode == TransferMode::kConference) {
          Leg& root = *stationLeg(conf);
          root.info.relatedCallId = held.info.callId;
          activate(root, CallState::kConnected, connected_mode::kActive);
          addMember(root, held);
          addMember(root, c);
          return;
        }
        const PartyId by = partyOf(held);
        Leg* p1 = legs_.find(held.peer);
        Leg* p2 = legs_.find(c.peer);
        const std::string consultDialed = c.info.called.number;
        unlink(held);
        unlink(c);
        setState(held, CallState::kIdle);
        setState(c, CallState::kIdle);
        if (p1 == nullptr) {
          if (p2) peerGone(*p2, disconnect_mode::kNormal);
        } else if (p2 == nullptr) {
          // The consultation hears busy: the party is sent there to hear it.
          transferParty(*p1, consultDialed, by);
        } else {
          joinParties(*p1, *p2, by);
        }
      },
      [this, conf] {
        if (conf) destroyPending(conf);
      });
  if (!st) return st;
  return conf;
}

}  // namespace tapir::pbx
