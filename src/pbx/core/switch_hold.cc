// Hold, unhold and swap hold.
#include "pbx/core/switch.h"

namespace tapir::pbx {

void Switch::applyHold(Leg& leg, CallState heldState) {
  setState(leg, heldState);
  tellPeerHold(leg, true);
}

// Takes a held call back; whatever was active on the address goes on hold
// (the switch's answer mode is "hold").
void Switch::applyRetrieve(Leg& leg) {
  holdOthers(leg.station, leg.address, leg.id);
  const bool wasCamped = leg.camped;
  leg.camped = false;
  setState(leg, CallState::kConnected, connected_mode::kActive);
  tellPeerHold(leg, false);
  if (wasCamped) {
    // Taking a camped-on call connects its waiting caller.
    if (leg.completion) {
      const std::uint32_t id = leg.completion;
      leg.completion = 0;
      cancelCompletion(id, /*byUser=*/false, /*quiet=*/true);
    }
    if (Leg* p = legs_.find(leg.peer)) {
      setConnectedParty(leg, partyOf(*p));
      setConnectedParty(*p, partyOf(leg));
      setState(*p, CallState::kConnected, connected_mode::kActive);
    }
  }
}

void Switch::holdOthers(std::uint32_t station, std::uint32_t address, CallId except) {
  while (Leg* other = activeLeg(station, address, except))
    applyHold(*other);
}

Status Switch::holdOp(RequestId req, CallId call, bool fromPhone) {
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    return needState(**leg, bit(CallState::kConnected), "hold");
  };
  Leg* leg = stationLeg(call);
  if (leg == nullptr) return Status(Fault::kBadCallHandle, "no such call");
  return run(
      req, leg->station, call, StationOp::kHold, check,
      [this, call](const ReplyData&) { applyHold(*stationLeg(call)); }, {}, fromPhone);
}

Status Switch::hold(RequestId req, CallId call) {
  return holdOp(req, call, false);
}
Status Switch::phoneHold(CallId call) {
  return holdOp(kNoRequest, call, true);
}

// A CONFERENCED call whose conference was just set up around it (one party,
// consultation pending) can be taken back: the conference unwinds.
bool Switch::unwindsConference(const Leg& leg) const {
  if (leg.state != CallState::kConferenced) return false;
  const Leg* root = legs_.find(leg.confRoot);
  return root && root->state == CallState::kOnHoldPendConf && root->members.size() == 1;
}

Status Switch::unholdOp(RequestId req, CallId call, bool fromPhone) {
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    if (unwindsConference(**leg)) return Status();
    return needState(**leg,
                     bit(CallState::kOnHold) | bit(CallState::kOnHoldPendTransfer) |
                         bit(CallState::kOnHoldPendConf),
                     "unhold");
  };
  Leg* leg = stationLeg(call);
  if (leg == nullptr) return Status(Fault::kBadCallHandle, "no such call");
  return run(
      req, leg->station, call, StationOp::kRetrieve, check,
      [this, call](const ReplyData&) {
        Leg& l = *stationLeg(call);
        if (unwindsConference(l)) {
          Leg& root = *legs_.find(l.confRoot);
          if (Leg* consult = legs_.find(root.partner)) {
            endConsultation(*consult, /*restoreOriginal=*/false);
          }
          std::erase(root.members, l.id);
          l.confRoot = CallId();
          setState(root, CallState::kIdle);
          applyRetrieve(l);
          return;
        }
        // Taking back a call that waits for a transfer or a conference
        // cancels the consultation.
        if (l.partner &&
            (l.state == CallState::kOnHoldPendTransfer || l.state == CallState::kOnHoldPendConf)) {
          if (Leg* consult = legs_.find(l.partner)) {
            endConsultation(*consult, /*restoreOriginal=*/true);
            return;
          }
        }
        applyRetrieve(l);
      },
      {}, fromPhone);
}

Status Switch::unhold(RequestId req, CallId call) {
  return unholdOp(req, call, false);
}
Status Switch::phoneRetrieve(CallId call) {
  return unholdOp(kNoRequest, call, true);
}

Status Switch::swapHold(RequestId req, CallId active, CallId held) {
  auto check = [this, active, held](ReplyData&) -> Status {
    auto a = ownLeg(active);
    if (!a) return a.status();
    auto h = ownLeg(held);
    if (!h) return h.status();
    if (active == held) return Status(Fault::kBadCallHandle, "the two calls are the same call");
    if ((*a)->station != (*h)->station)
      return Status(Fault::kBadCallHandle, "the calls are on different lines");
    Status st = needState(**a, bit(CallState::kConnected), "swap hold (active call)");
    if (!st) return st;
    return needState(**h,
                     bit(CallState::kOnHold) | bit(CallState::kOnHoldPendTransfer) |
                         bit(CallState::kOnHoldPendConf),
                     "swap hold (held call)");
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  return run(req, stationLeg(active)->station, active, StationOp::kSwap, check,
             [this, active, held](const ReplyData&) {
               Leg& a = *stationLeg(active);
               Leg& h = *stationLeg(held);
               CallState activeBecomes = CallState::kOnHold;
               if (h.partner == a.id) {
                 // The consultation pair keeps its meaning: whichever side is
                 // held is the one pending the transfer or conference.
                 if (h.state == CallState::kOnHoldPendTransfer)
                   activeBecomes = CallState::kOnHoldPendTransfer;
               }
               if (a.isConfRoot && a.partner == h.id) activeBecomes = CallState::kOnHoldPendConf;
               applyHold(a, activeBecomes);
               applyRetrieve(h);
             });
}

}  // namespace tapir::pbx
