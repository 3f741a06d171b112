// Forwarding: unconditional, busy, no answer; for all, internal, external or
// specific callers; do-not-disturb when the destination is empty.
#include "pbx/core/switch.h"

#include <algorithm>
#include <bit>

namespace tapir::pbx {

namespace {

using namespace forward_mode;

// The modes that apply to each condition, most specific first.
struct Condition {
  std::uint32_t specific[2];
  std::uint32_t internal[2];
  std::uint32_t external[2];
  std::uint32_t any[2];
};
constexpr Condition kUncondModes{
    {kUncondSpecific, 0}, {kUncondInternal, 0}, {kUncondExternal, 0}, {kUncond, 0}};
constexpr Condition kBusyModes{{kBusySpecific, kBusyNaSpecific},
                               {kBusyInternal, kBusyNaInternal},
                               {kBusyExternal, kBusyNaExternal},
                               {kBusy, kBusyNa}};
constexpr Condition kNoAnswModes{{kNoAnswSpecific, kBusyNaSpecific},
                                 {kNoAnswInternal, kBusyNaInternal},
                                 {kNoAnswExternal, kBusyNaExternal},
                                 {kNoAnsw, kBusyNa}};

constexpr std::uint32_t kSpecificModes =
    kUncondSpecific | kBusySpecific | kNoAnswSpecific | kBusyNaSpecific;
constexpr std::uint32_t kSupportedModes = 0x0000ffff;  // every mode but UNKNOWN/UNAVAIL

}  // namespace

const ForwardEntry* Switch::matchForward(const Address& addr, std::uint32_t condition,
                                         bool internal, const PartyId& caller) const {
  if (addr.forward.empty()) return nullptr;
  const Condition& modes = condition == kUncond ? kUncondModes
                           : condition == kBusy ? kBusyModes
                                                : kNoAnswModes;
  auto find = [&](const std::uint32_t(&wanted)[2], bool needCaller) -> const ForwardEntry* {
    for (const ForwardEntry& f : addr.forward) {
      if (f.mode != wanted[0] && f.mode != wanted[1]) continue;
      if (needCaller && f.callerAddress != caller.number) continue;
      return &f;
    }
    return nullptr;
  };
  if (const ForwardEntry* f = find(modes.specific, true)) return f;
  if (const ForwardEntry* f = find(internal ? modes.internal : modes.external, false)) return f;
  return find(modes.any, false);
}

Status Switch::forward(RequestId req, LineId line, bool allAddresses, std::uint32_t address,
                       std::span<const ForwardEntry> entries, std::uint32_t numRingsNoAnswer) {
  const Station* st = findStation(line);
  if (st == nullptr) return Status(Fault::kBadLineHandle, "no such line");
  if (!allAddresses && address >= st->addresses.size())
    return Status(Fault::kBadAddressId, "no such address on the line");
  if (entries.size() > config_.maxForwardEntries)
    return Status(Fault::kBadParam,
                  "at most " + std::to_string(config_.maxForwardEntries) + " forwarding entries");
  const std::uint32_t station = line.index();
  std::vector<ForwardEntry> list;
  for (const ForwardEntry& e : entries) {
    if (std::popcount(e.mode) != 1 || (e.mode & ~kSupportedModes) != 0)
      return Status(Fault::kBadParam, "each forwarding entry needs exactly one supported mode");
    if ((e.mode & kSpecificModes) != 0 && e.callerAddress.empty())
      return Status(Fault::kBadParam, "selective forwarding needs a caller address");
    ForwardEntry clean = e;
    if (!e.destAddress.empty()) {
      auto ds = checkDest(e.destAddress);
      if (!ds) return ds.status();
      if (ds->partial)
        return Status(Fault::kBadAddress, "a forwarding destination must be complete");
      Route r = dialplan_.resolve(ds->digits);
      if (r.kind == Route::Kind::kUnreachable || r.kind == Route::Kind::kOrbit)
        return Status(Fault::kBadAddress, ds->digits + " is not a reachable destination");
      if (r.kind == Route::Kind::kStation && r.station == station &&
          (allAddresses || r.address == address))
        return Status(Fault::kBadAddress, "an address cannot forward to itself");
      clean.destAddress = ds->digits;
    }
    if (!e.callerAddress.empty()) {
      auto cs = parseDialString(e.callerAddress);
      if (!cs) return cs.status();
      clean.callerAddress = cs->digits;
    }
    list.push_back(std::move(clean));
  }
  const std::uint32_t rings =
      std::clamp(numRingsNoAnswer, config_.minNoAnswerRings, config_.maxNoAnswerRings);
  return run(
      req, station, CallId(), StationOp::kForward, [](ReplyData&) { return Status(); },
      [this, station, allAddresses, address, list, rings](const ReplyData&) {
        Station& s = stations_[station];
        for (std::uint32_t a = 0; a < s.addresses.size(); ++a) {
          if (!allAddresses && a != address) continue;
          s.addresses[a].forward = list;
          s.addresses[a].noAnswerRings = rings;
          outbox_.addressEvent(s.id, a, address_event::kForward);
        }
      });
}

}  // namespace tapir::pbx
