// Conferences: set up, prepare add, add, remove, list.
#include "pbx/core/switch.h"

namespace tapir::pbx {

std::uint32_t Switch::conferenceParties(const Leg& root) const {
  return static_cast<std::uint32_t>(root.members.size()) + 1;  // the controller counts
}

Status Switch::checkConferenceRoom(const Leg& root, std::uint32_t adding) const {
  if (conferenceParties(root) + adding <= config_.conferenceMax) return Status();
  return Status(
      Fault::kConferenceFull,
      "the conference is full (" + std::to_string(config_.conferenceMax) + " parties at most)");
}

Leg& Switch::newConferenceRoot(std::uint32_t station, std::uint32_t address) {
  Leg& root = newStationLeg(station, address, CallOrigin::kConference, CallReason::kDirect);
  root.isConfRoot = true;
  root.info.callId = newSessionId();
  root.info.caller = partyOf(root);
  return root;
}

void Switch::addMember(Leg& root, Leg& member) {
  member.confRoot = root.id;
  root.members.push_back(member.id);
  setState(member, CallState::kConferenced);
  // The member's party hears the conference, or hold while it is held.
  const bool held = root.state != CallState::kConnected;
  tellPeerHold(member, held);
}

void Switch::removeMember(Leg& member) {
  Leg* root = legs_.find(member.confRoot);
  member.confRoot = CallId();
  if (root) std::erase(root->members, member.id);
  clearLeg(member, disconnect_mode::kNormal);
  if (root) conferenceMaybeEnds(*root);
}

// A conference left with one party becomes a plain call again; with none, it
// ends. Not while a consultation for it is pending.
void Switch::conferenceMaybeEnds(Leg& root) {
  if (root.state == CallState::kIdle || root.partner) return;
  if (root.members.size() > 1) return;
  const bool held = root.state != CallState::kConnected;
  std::vector<CallId> members = std::move(root.members);
  root.members.clear();
  setState(root, CallState::kIdle);
  for (CallId m : members) {
    if (Leg* last = legs_.find(m)) {
      last->confRoot = CallId();
      if (held) {
        setState(*last, CallState::kOnHold);
      } else {
        setState(*last, CallState::kConnected, connected_mode::kActive);
        tellPeerHold(*last, false);
      }
    }
  }
}

Result<ConferenceSetup> Switch::setupConference(RequestId req, CallId call, LineId line,
                                                std::uint32_t address, std::uint32_t numParties,
                                                const CallParams& params) {
  std::uint32_t station = 0;
  if (call) {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    Status st = needState(**leg, bit(CallState::kConnected), "setting up a conference");
    if (!st) return st;
    if ((*leg)->isConfRoot || (*leg)->partner)
      return Status(Fault::kBadCallState,
                    "the call is already part of a consultation or conference");
    station = (*leg)->station;
    address = (*leg)->address;
  } else {
    const Station* st = findStation(line);
    if (st == nullptr) return Status(Fault::kBadLineHandle, "no such line");
    if (address >= st->addresses.size())
      return Status(Fault::kBadAddressId, "no such address on the line");
    station = line.index();
  }
  if (numParties > config_.conferenceMax) {
    return Status(Fault::kConferenceFull, std::to_string(numParties) + " parties requested, " +
                                              std::to_string(config_.conferenceMax) + " at most");
  }
  (void)params;
  if (!hasRoom(station, address, 2)) return noRoom(station, address);
  Leg& root = newConferenceRoot(station, address);
  const CallId conf = root.id;
  Leg& consultLeg = newStationLeg(station, address, CallOrigin::kOutbound, CallReason::kDirect);
  consultLeg.info.callId = newSessionId();
  consultLeg.info.relatedCallId = root.info.callId;
  consultLeg.info.caller = partyOf(consultLeg);
  const CallId consult = consultLeg.id;

  auto check = [this, call](ReplyData&) -> Status {
    if (!call) return Status();
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    return needState(**leg, bit(CallState::kConnected), "setting up a conference");
  };
  Status st = run(
      req, station, call, StationOp::kConference, check,
      [this, call, conf, consult](const ReplyData&) {
        Leg& r = *stationLeg(conf);
        Leg& c = *stationLeg(consult);
        pairConsultation(r, c, Consult::kConference);
        activate(r, CallState::kOnHoldPendConf);
        if (call) {
          Leg& first = *stationLeg(call);
          r.info.relatedCallId = first.info.callId;
          addMember(r, first);
        }
        activate(c, CallState::kDialtone, dialtone_mode::kNormal);
      },
      [this, conf, consult] {
        destroyPending(conf);
        destroyPending(consult);
      });
  if (!st) return st;
  return ConferenceSetup{conf, consult};
}

Result<CallId> Switch::prepareAddToConference(RequestId req, CallId conference,
                                              const CallParams& params) {
  auto check = [this, conference](ReplyData&) -> Status {
    Leg* root = stationLeg(conference);
    if (root == nullptr || !root->announced || !root->isConfRoot)
      return Status(Fault::kBadConfCallHandle, "not a conference call");
    Status st = needState(*root, bit(CallState::kConnected), "preparing to add to a conference");
    if (!st) return st;
    if (root->partner)
      return Status(Fault::kBadCallState, "a consultation for this conference is already pending");
    return checkConferenceRoom(*root, 1);
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  (void)params;
  Leg& root = *stationLeg(conference);
  if (!hasRoom(root.station, root.address)) return noRoom(root.station, root.address);
  const CallId consult = newConsultation(root, Consult::kConference).id;
  Status st = run(
      req, root.station, conference, StationOp::kConference, check,
      [this, conference, consult](const ReplyData&) {
        Leg& r = *stationLeg(conference);
        Leg& c = *stationLeg(consult);
        pairConsultation(r, c, Consult::kConference);
        applyHold(r, CallState::kOnHoldPendConf);
        activate(c, CallState::kDialtone, dialtone_mode::kNormal);
      },
      [this, consult] { destroyPending(consult); });
  if (!st) return st;
  return consult;
}

Status Switch::addToConference(RequestId req, CallId conference, CallId consult) {
  auto check = [this, conference, consult](ReplyData&) -> Status {
    Leg* root = stationLeg(conference);
    if (root == nullptr || !root->announced || !root->isConfRoot)
      return Status(Fault::kBadConfCallHandle, "not a conference call");
    Status st = needState(*root, bit(CallState::kOnHoldPendConf) | bit(CallState::kOnHold),
                          "adding to a conference (conference call)");
    if (!st) return st;
    Leg* c = stationLeg(consult);
    if (c == nullptr || !c->announced) return Status(Fault::kBadCallHandle, "no such call to add");
    if (c->station != root->station)
      return Status(Fault::kBadCallHandle, "the call to add is on another line");
    if (c->isConfRoot || c->confRoot)
      return Status(Fault::kBadCallHandle, "the call to add already belongs to a conference");
    st = needState(*c,
                   bit(CallState::kConnected) | bit(CallState::kOnHold) |
                       bit(CallState::kProceeding) | bit(CallState::kRingback),
                   "adding to a conference (call to add)");
    if (!st) return st;
    return checkConferenceRoom(*root, 1);
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  return run(req, stationLeg(conference)->station, consult, StationOp::kConference, check,
             [this, conference, consult](const ReplyData&) {
               Leg& r = *stationLeg(conference);
               Leg& c = *stationLeg(consult);
               if (r.partner == c.id) {
                 r.partner = CallId();
                 r.consult = Consult::kNone;
                 c.partner = CallId();
                 c.consult = Consult::kNone;
                 c.isConsultCall = false;
               }
               setState(r, CallState::kConnected, connected_mode::kActive);
               tellPeerHold(r, false);
               addMember(r, c);
             });
}

Status Switch::removeFromConference(RequestId req, CallId call) {
  auto check = [this, call](ReplyData&) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    Status st = needState(**leg, bit(CallState::kConferenced), "removing from a conference");
    if (!st) return st;
    if (!(*leg)->confRoot) return Status(Fault::kBadCallState, "the call is not in a conference");
    return Status();
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  return run(req, stationLeg(call)->station, call, StationOp::kConference, check,
             [this, call](const ReplyData&) { removeMember(*stationLeg(call)); });
}

Result<std::vector<CallId>> Switch::conferenceCalls(CallId call) const {
  const Leg* leg = stationLeg(call);
  if (leg == nullptr || !leg->announced) return Status(Fault::kBadCallHandle, "no such call");
  const Leg* root = leg->isConfRoot ? leg : stationLeg(leg->confRoot);
  if (root == nullptr || (!leg->isConfRoot && leg->state != CallState::kConferenced))
    return Status(Fault::kNoConference, "the call is not part of a conference");
  std::vector<CallId> out{root->id};
  out.insert(out.end(), root->members.begin(), root->members.end());
  return out;
}

}  // namespace tapir::pbx
