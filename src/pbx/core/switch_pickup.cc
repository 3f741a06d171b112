// Pickup: directed (the call ringing at a given address) and group.
#include "pbx/core/switch.h"

#include <charconv>

namespace tapir::pbx {

// The oldest call that rings at an address and may be picked up (a secured
// call may not).
Leg* Switch::findAlertingLeg(std::uint32_t station, std::uint32_t address) {
  Leg* best = nullptr;
  for (CallId id : stations_[station].addresses[address].calls) {
    Leg* leg = legs_.find(id);
    if (leg == nullptr || !leg->announced || leg->secured || leg->camped) continue;
    if (leg->state != CallState::kOffering && leg->state != CallState::kAccepted) continue;
    if (!leg->peer && leg->recallOf == kNoOrbit) continue;  // nothing to connect to
    if (best == nullptr || leg->since < best->since) best = leg;
  }
  return best;
}

Result<Leg*> Switch::pickupTarget(std::uint32_t station, std::uint32_t address,
                                  std::string_view dest, std::string_view group) {
  if (!dest.empty()) {
    auto ds = parseDialString(dest);
    if (!ds) return ds.status();
    Route r = dialplan_.resolve(ds->digits);
    if (r.kind != Route::Kind::kStation)
      return Status(Fault::kBadAddress, "'" + std::string(dest) + "' is not a station");
    if (r.station == station && r.address == address)
      return Status(Fault::kBadAddress, "a station cannot pick up its own call");
    Leg* leg = findAlertingLeg(r.station, r.address);
    if (leg == nullptr)
      return Status(Fault::kOperationFailed, "no call to pick up at " + ds->digits);
    return leg;
  }
  std::uint32_t gid = stations_[station].addresses[address].pickupGroup;
  if (!group.empty()) {
    auto [end, ec] = std::from_chars(group.data(), group.data() + group.size(), gid);
    if (ec != std::errc() || end != group.data() + group.size() || gid == 0)
      return Status(Fault::kBadGroupId, "'" + std::string(group) + "' is not a pickup group");
  }
  if (gid == 0) return Status(Fault::kBadGroupId, "this address belongs to no pickup group");
  bool groupExists = false;
  Leg* best = nullptr;
  for (std::uint32_t s = 0; s < stations_.size(); ++s) {
    for (std::uint32_t a = 0; a < stations_[s].addresses.size(); ++a) {
      if (stations_[s].addresses[a].pickupGroup != gid) continue;
      groupExists = true;
      if (s == station && a == address) continue;
      Leg* leg = findAlertingLeg(s, a);
      if (leg && (best == nullptr || leg->since < best->since)) best = leg;
    }
  }
  if (!groupExists)
    return Status(Fault::kBadGroupId, "pickup group " + std::to_string(gid) + " does not exist");
  if (best == nullptr)
    return Status(Fault::kOperationFailed, "no call to pick up in group " + std::to_string(gid));
  return best;
}

Result<CallId> Switch::pickup(RequestId req, LineId line, std::uint32_t address,
                              std::string_view dest, std::string_view group) {
  const Station* st = findStation(line);
  if (st == nullptr) return Status(Fault::kBadLineHandle, "no such line");
  if (address >= st->addresses.size())
    return Status(Fault::kBadAddressId, "no such address on the line");
  const std::uint32_t station = line.index();
  auto target = pickupTarget(station, address, dest, group);
  if (!target) return target.status();
  if (!hasRoom(station, address)) return noRoom(station, address);
  Leg& leg = newStationLeg(station, address, CallOrigin::kUnknown, CallReason::kPickup);
  const CallId id = leg.id;
  // The target may change while the phone acts: pick again then.
  const std::string destCopy(dest);
  const std::string groupCopy(group);
  auto chosen = std::make_shared<CallId>((*target)->id);  // shared: both steps see it
  auto check = [this, station, address, destCopy, groupCopy, chosen](ReplyData&) -> Status {
    auto t = pickupTarget(station, address, destCopy, groupCopy);
    if (!t) return t.status();
    *chosen = (*t)->id;
    return Status();
  };
  Status s = run(
      req, station, id, StationOp::kPickup, check,
      [this, id, chosen](const ReplyData&) {
        Leg& l = *stationLeg(id);
        Leg& ringing = *stationLeg(*chosen);
        holdOthers(l.station, l.address, l.id);
        l.info.origin = ringing.info.origin;
        l.info.caller = ringing.info.caller;
        l.info.called = ringing.info.called;
        l.info.redirecting = partyOf(ringing);
        l.info.callId = ringing.info.callId;
        if (ringing.recallOf != kNoOrbit) {  // picking up a park recall
          const auto orbit = static_cast<std::uint32_t>(ringing.recallOf);
          ringing.recallOf = kNoOrbit;
          withdraw(ringing, disconnect_mode::kPickup);
          unparkInto(l, orbit);
          activate(l, CallState::kConnected, connected_mode::kActive);
          return;
        }
        Leg& caller = *legs_.find(ringing.peer);
        withdraw(ringing, disconnect_mode::kPickup);
        link(l, caller);
        l.info.connected = partyOf(caller);
        activate(l, CallState::kConnected, connected_mode::kActive);
        setConnectedParty(caller, partyOf(l));
        if (caller.state == CallState::kRingback || caller.state == CallState::kProceeding ||
            caller.state == CallState::kDialing) {
          setState(caller, CallState::kConnected, connected_mode::kActive);
        }
      },
      [this, id] { destroyPending(id); });
  if (!s) return s;
  return id;
}

}  // namespace tapir::pbx
