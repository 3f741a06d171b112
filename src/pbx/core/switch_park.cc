// Park (directed and nondirected), unpark, and the recall of calls parked too long.
#include "pbx/core/switch.h"

namespace tapir::pbx {

Result<std::uint32_t> Switch::findOrbit(std::string_view number) const {
  auto ds = parseDialString(number);
  if (!ds) return ds.status();
  Route r = dialplan_.resolve(ds->digits);
  if (r.kind != Route::Kind::kOrbit)
    return Status(Fault::kBadAddress, "'" + std::string(number) + "' is not a park orbit");
  return r.orbit;
}

Status Switch::park(RequestId req, CallId call, ParkMode mode, std::string_view orbit,
                    std::size_t maxOrbitLength) {
  if (mode != ParkMode::kDirected && mode != ParkMode::kNonDirected)
    return Status(Fault::kBadParkMode, "park mode must be directed or nondirected");
  if (orbits_.empty()) return Status(Fault::kOperationUnavail, "this switch has no park orbits");
  const std::string wanted(orbit);
  // Picks the orbit (again when the phone has answered: it may have filled up).
  auto check = [this, call, mode, wanted, maxOrbitLength](ReplyData& data) -> Status {
    auto leg = ownLeg(call);
    if (!leg) return leg.status();
    Status st = needState(**leg, bit(CallState::kConnected), "park");
    if (!st) return st;
    if ((*leg)->isConfRoot) return Status(Fault::kBadCallState, "a conference cannot be parked");
    if (!legs_.find((*leg)->peer)) return Status(Fault::kBadCallState, "no party to park");
    if (mode == ParkMode::kDirected) {
      auto o = findOrbit(wanted);
      if (!o) return o.status();
      if (orbits_[*o].parked)
        return Status(Fault::kOperationFailed, "orbit " + orbits_[*o].number + " is occupied");
      data.address = orbits_[*o].number;
      return Status();
    }
    for (const Orbit& o : orbits_) {
      if (o.parked) continue;
      // Refused before parking: a caller with no room for the orbit could
      // never unpark the call, but can retry with more room.
      if (o.number.size() > maxOrbitLength)
        return Status(Fault::kStructureTooSmall, "no room for the orbit number " + o.number);
      data.address = o.number;
      return Status();
    }
    return Status(Fault::kResourceUnavail, "every park orbit is occupied");
  };
  ReplyData scratch;
  if (Status st = check(scratch); !st) return st;
  return run(req, stationLeg(call)->station, call, StationOp::kPark, check,
             [this, call, mode](const ReplyData& data) {
               Leg& leg = *stationLeg(call);
               Leg& party = *legs_.find(leg.peer);
               const std::uint32_t o = *findOrbit(data.address);
               const std::uint32_t station = leg.station;
               const std::uint32_t address = leg.address;
               unlink(leg);
               setState(leg, CallState::kIdle);
               parkParty(party, o, station, address);
               (void)mode;
             });
}

void Switch::parkParty(Leg& party, std::uint32_t orbit, std::uint32_t station,
                       std::uint32_t address) {
  Orbit& o = orbits_[orbit];
  o.parked = party.id;
  o.parkerStation = station;
  o.parkerAddress = address;
  party.parkedIn = static_cast<std::int32_t>(orbit);
  if (party.kind == LegKind::kTrunk && !party.heldByUs) {
    party.heldByUs = true;  // the parked party hears music
    if (trunk_) trunk_->held(party.id, true);
  }
  setConnectedParty(party, PartyId{o.number, "Park"});
  if (config_.parkRecall > Duration::zero()) {
    o.recallTimer = loop_.runAfter(config_.parkRecall, [this, orbit] { parkRecall(orbit); });
  }
}

// Takes the party parked in `orbit` into `leg` (which is CONNECTED or about
// to be). The orbit is freed and any recall is withdrawn.
void Switch::unparkInto(Leg& leg, std::uint32_t orbit) {
  Orbit& o = orbits_[orbit];
  Leg* party = legs_.find(o.parked);
  o.parked = CallId();
  if (o.recallTimer) {
    loop_.cancel(o.recallTimer);
    o.recallTimer = TimerId();
  }
  if (Leg* recall = stationLeg(o.recall);
      recall && recall != &leg && recall->state != CallState::kIdle) {
    recall->recallOf = kNoOrbit;
    withdraw(*recall, disconnect_mode::kNormal);
  }
  o.recall = CallId();
  if (party == nullptr) return;
  party->parkedIn = kNoOrbit;
  link(leg, *party);
  if (party->heldByUs) {
    party->heldByUs = false;
    if (trunk_) trunk_->held(party->id, false);
  }
  const PartyId them = partyOf(*party);
  leg.info.callId = party->info.callId;
  leg.info.origin =
      party->kind == LegKind::kStation ? CallOrigin::kInternal : CallOrigin::kExternal;
  if (leg.info.caller.empty() || leg.info.reason == CallReason::kUnpark) leg.info.caller = them;
  leg.info.connected = them;
  infoChanged(leg, info_field::kConnectedId | info_field::kCallerId | info_field::kCallId |
                       info_field::kOrigin);
  setConnectedParty(*party, partyOf(leg));
}

void Switch::orbitPartyGone(Leg& party) {
  const auto orbit = static_cast<std::uint32_t>(party.parkedIn);
  party.parkedIn = kNoOrbit;
  Orbit& o = orbits_[orbit];
  if (o.parked != party.id) return;
  o.parked = CallId();
  if (o.recallTimer) {
    loop_.cancel(o.recallTimer);
    o.recallTimer = TimerId();
  }
  if (Leg* recall = stationLeg(o.recall); recall && recall->state != CallState::kIdle) {
    recall->recallOf = kNoOrbit;
    withdraw(*recall, disconnect_mode::kNormal);
  }
  o.recall = CallId();
}

// A call parked too long rings the station that parked it.
void Switch::parkRecall(std::uint32_t orbit) {
  Orbit& o = orbits_[orbit];
  o.recallTimer = TimerId();
  Leg* party = legs_.find(o.parked);
  if (party == nullptr || stationLeg(o.recall)) return;
  if (addressBusy(o.parkerStation, o.parkerAddress)) {
    // Try again after one more recall period.
    o.recallTimer = loop_.runAfter(config_.parkRecall, [this, orbit] { parkRecall(orbit); });
    return;
  }
  Leg& recall = newStationLeg(
      o.parkerStation, o.parkerAddress,
      party->kind == LegKind::kStation ? CallOrigin::kInternal : CallOrigin::kExternal,
      CallReason::kReminder);
  recall.recallOf = static_cast<std::int32_t>(orbit);
  recall.info.callId = party->info.callId;
  recall.info.caller = partyOf(*party);
  recall.info.called = PartyId{stations_[o.parkerStation].addresses[o.parkerAddress].number, {}};
  recall.info.redirecting = PartyId{o.number, "Park"};
  o.recall = recall.id;
  announce(recall, CallState::kOffering, offering_mode::kActive);
  const CallId id = recall.id;
  alert(recall, {}, [this, id, orbit] {
    Leg& l = *stationLeg(id);
    l.recallOf = kNoOrbit;
    withdraw(l, disconnect_mode::kOutOfOrder);
    orbits_[orbit].recall = CallId();
  });
}

Result<CallId> Switch::unpark(RequestId req, LineId line, std::uint32_t address,
                              std::string_view orbit) {
  const Station* st = findStation(line);
  if (st == nullptr) return Status(Fault::kBadLineHandle, "no such line");
  if (address >= st->addresses.size())
    return Status(Fault::kBadAddressId, "no such address on the line");
  if (orbits_.empty()) return Status(Fault::kOperationUnavail, "this switch has no park orbits");
  auto o = findOrbit(orbit);
  if (!o) return o.status();
  const std::uint32_t orbitIndex = *o;
  auto check = [this, orbitIndex](ReplyData&) -> Status {
    if (!orbits_[orbitIndex].parked)
      return Status(Fault::kOperationFailed, "no call is parked at " + orbits_[orbitIndex].number);
    return Status();
  };
  ReplyData scratch;
  if (Status s = check(scratch); !s) return s;
  const std::uint32_t station = line.index();
  if (!hasRoom(station, address)) return noRoom(station, address);
  Leg& leg = newStationLeg(station, address, CallOrigin::kUnknown, CallReason::kUnpark);
  leg.info.redirecting = PartyId{orbits_[orbitIndex].number, "Park"};
  const CallId id = leg.id;
  Status s = run(
      req, station, id, StationOp::kUnpark, check,
      [this, id, orbitIndex](const ReplyData&) {
        Leg& l = *stationLeg(id);
        holdOthers(l.station, l.address, l.id);
        unparkInto(l, orbitIndex);
        activate(l, CallState::kConnected, connected_mode::kActive);
      },
      [this, id] { destroyPending(id); });
  if (!s) return s;
  return id;
}

}  // namespace tapir::pbx
