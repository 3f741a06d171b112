// The switch's objects: legs, stations with their addresses, park orbits,
// call-completion requests. Plain data owned by Switch; the rules that change
// them live in the switch_*.cc files.
//
// A Leg is one party's side of a connection. Station legs are call
// appearances on a station address: the provider's calls, with a TAPI state.
// Trunk legs stand for parties in the outside world. Two connected legs name
// each other as `peer`. A conference is a root leg on the controlling station
// whose `members` are that station's legs to each party.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/event_loop.h"
#include "pbx/core/endpoint.h"
#include "tapir/provider.h"

namespace tapir::pbx {

enum class LegKind : std::uint8_t { kStation, kTrunk };

// How a consultation call and the call it consults for are related.
enum class Consult : std::uint8_t { kNone, kTransfer, kConference };

inline constexpr std::int32_t kNoOrbit = -1;

struct Leg {
  Leg(CallId legId, LegKind legKind) : id(legId), kind(legKind) {}

  CallId id;
  LegKind kind;
  // Station legs created by a request stay silent until its reply.
  bool announced = false;
  bool closed = false;  // the service released it; freed once idle

  CallState state = CallState::kIdle;
  std::uint32_t mode = 0;
  TimePoint since{};
  CallInfo info;

  std::uint32_t station = 0;  // station legs
  std::uint32_t address = 0;

  CallId peer;  // the leg this one talks to

  // Conferences.
  bool isConfRoot = false;
  CallId confRoot;              // members: their root
  std::vector<CallId> members;  // roots: their members, oldest first

  // Consultation: both sides name each other.
  CallId partner;
  Consult consult = Consult::kNone;
  bool isConsultCall = false;  // this leg is the consultation side

  bool secured = false;
  bool camped = false;           // a camp-on waiting at this station, not yet offered
  std::uint32_t completion = 0;  // the completion request this leg belongs to

  // Digits collected while DIALTONE/DIALING.
  std::string dialed;

  // Alerting.
  TimerId ringTimer;
  std::uint32_t rings = 0;
  // Addresses (station << 16 | address) this call was offered to, for
  // forwarding-loop detection.
  std::vector<std::uint32_t> visited;

  std::int32_t parkedIn = kNoOrbit;  // the orbit holding this leg's party
  std::int32_t recallOf = kNoOrbit;  // a park recall call for this orbit

  // Trunk legs.
  bool outgoing = false;  // the switch called out
  bool heldByUs = false;  // the outside party hears hold
};

struct Address {
  std::string number;
  std::string name;
  std::uint32_t pickupGroup = 0;
  std::uint32_t busyTrigger = 1;
  std::uint32_t noAnswerRings = 4;
  std::vector<ForwardEntry> forward;
  std::vector<CallId> calls;  // every leg on this address, oldest first
  bool wasInUse = false;      // for callback-on-no-answer: has it been used since?
};

struct Message {
  std::string from;
  std::uint32_t messageId = 0;
  TimePoint at{};
};

struct Station {
  LineId id;
  std::string name;
  std::vector<Address> addresses;
  LineCaps caps;
  StationEndpoint* endpoint = nullptr;
  std::vector<Message> messages;
};

struct Orbit {
  std::string number;
  CallId parked;  // the parked party's leg
  std::uint32_t parkerStation = 0;
  std::uint32_t parkerAddress = 0;
  TimerId recallTimer;
  CallId recall;  // the recall call ringing at the parker
};

struct Completion {
  std::uint32_t id = 0;
  CompletionMode mode = CompletionMode::kCallback;
  std::uint32_t condition = 0;  // completion_cond bit
  std::uint32_t station = 0;    // who asked
  std::uint32_t address = 0;
  std::uint32_t targetStation = 0;
  std::uint32_t targetAddress = 0;
  CallId caller;  // camp-on: the waiting caller; callback: the call-back call once offered
  CallId camped;  // camp-on: the leg waiting at the target
  TimerId expiry;
};

inline std::uint32_t addressKey(std::uint32_t station, std::uint32_t address) {
  return (station << 8) | (address & 0xff);
}

}  // namespace tapir::pbx
