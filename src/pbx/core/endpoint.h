// The technology side of the switch: what it asks of phones and of the outside
// world, and what they report back. Virtual endpoints (src/pbx/virtual)
// implement these now; SIP phones and trunks will implement the same.
//
// Every request to an endpoint completes later and may fail; the far end may
// also act on its own. Endpoints report back through the Switch methods named
// in the comments, on the loop thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tapir/ids.h"
#include "tapir/provider.h"
#include "tapir/telephony.h"

namespace tapir::pbx {

// What a phone is asked to do when an application drives its line.
enum class StationOp : std::uint8_t {
  kAlert,    // present an incoming call (ring)
  kOffhook,  // take the line off hook for a new call
  kAccept,
  kAnswer,
  kDial,
  kDrop,
  kHold,
  kRetrieve,
  kSwap,
  kTransfer,
  kConference,
  kRedirect,
  kPark,
  kUnpark,
  kPickup,
  kComplete,
  kSecure,
  kForward,
};
std::string_view stationOpName(StationOp op) noexcept;

using OpToken = Id<struct OpTag>;

class StationEndpoint {
 public:
  virtual ~StationEndpoint() = default;
  // Carry out `op` for `call`, then answer with Switch::opDone(token, status).
  virtual void perform(OpToken token, CallId call, StationOp op) = 0;
  // Notifications, no answer expected.
  virtual void callState(CallId /*call*/, CallState /*state*/, std::uint32_t /*mode*/) {}
  virtual void ringing(CallId /*call*/, std::uint32_t /*count*/) {}
};

class TrunkEndpoint {
 public:
  virtual ~TrunkEndpoint() = default;
  // The switch calls `number` on the outside, for the leg `leg`. Report the
  // progress with Switch::trunkAlerting / trunkAnswered / trunkRefused.
  virtual void setup(CallId leg, const std::string& number, const PartyId& caller) = 0;
  // The state of the leg as its outside party experiences it.
  virtual void callState(CallId leg, CallState state, std::uint32_t mode) = 0;
  // The outside party is put on hold by the switch side, or taken off hold.
  virtual void held(CallId /*leg*/, bool /*onHold*/) {}
  // The party the outside party now talks to changed (transfer, pickup...).
  virtual void connectedParty(CallId /*leg*/, const PartyId& /*party*/) {}
  // The switch side sent DTMF digits (0-9 * # A-D) to the outside party.
  virtual void digits(CallId /*leg*/, std::string_view /*digits*/) {}
};

}  // namespace tapir::pbx
