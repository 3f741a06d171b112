// The provider interface: how the service drives a telephony provider (the
// TSPI analogue). The built-in switch is the first provider; a SIP line
// provider or a CSTA link could follow without the service noticing.
//
// Contract
// - Every method runs on the loop thread that owns the provider.
// - Requests take a RequestId chosen by the caller. A request either fails at
//   once (the returned Status / Result is an error, and no reply follows) or is
//   accepted and completes later with exactly one ProviderListener::onReply.
// - Requests that create calls return the new CallIds at once ("pending call
//   handles"); no event names such a call before its request's onReply, and if
//   the reply is an error the ids are void.
// - Calls that appear on their own (offered, camped on, recalled...) are
//   announced with onNewCall before any other event names them.
// - Events for one call arrive in the order they happened. None is delivered
//   from inside a request method: the listener is never re-entered.
// - A call object lives until closeCall(); after IDLE its info stays readable.
// - Capabilities are data, and honest: an operation the provider cannot do is
//   absent from the caps and fails with Fault::kOperationUnavail.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tapir/ids.h"
#include "tapir/status.h"
#include "tapir/telephony.h"

namespace tapir {

using RequestId = std::uint32_t;

// A party identification: a number in dialable form, and a name.
struct PartyId {
  std::string number;
  std::string name;
  bool blocked = false;  // the party asked for its id to be withheld

  bool empty() const { return number.empty() && name.empty(); }
  std::uint32_t flags() const;  // party_id_flag bits
  friend bool operator==(const PartyId&, const PartyId&) = default;
};

// What the provider knows about a call (the LINECALLINFO analogue).
struct CallInfo {
  LineId line;
  std::uint32_t address = 0;        // address index on the line
  std::uint32_t callId = 0;         // switch-wide id that follows a session across transfers
  std::uint32_t relatedCallId = 0;  // e.g. the call a consultation call was made for
  CallOrigin origin = CallOrigin::kUnknown;
  CallReason reason = CallReason::kUnknown;
  std::uint32_t completionId = 0;  // for reason kCallCompletion
  std::uint32_t mediaMode = media_mode::kInteractiveVoice;
  std::uint32_t bearerMode = bearer_mode::kVoice;
  std::uint32_t callParamFlags = 0;  // call_param_flag bits (kSecure...)
  std::uint32_t trunk = 0xffffffff;  // unknown
  PartyId caller;
  PartyId called;
  PartyId connected;
  PartyId redirecting;             // who redirected/forwarded/transferred the call here
  PartyId redirection;             // where the call was redirected to
  std::string displayableAddress;  // as given by the application in CallParams
  std::string calledParty;
  std::string comment;
  std::string userUserInfo;  // last user-user information received
};

// The call's state as the owning line sees it now (LINECALLSTATUS analogue).
struct CallStatus {
  CallState state = CallState::kIdle;
  std::uint32_t stateMode = 0;  // disconnect/busy/special-info/dialtone/... mode
  std::uint32_t features = 0;   // call_feature bits possible right now
  std::uint32_t features2 = 0;  // call_feature2 bits possible right now
  bool secured = false;
};

// One forwarding instruction (LINEFORWARD analogue).
struct ForwardEntry {
  std::uint32_t mode = 0;     // one forward_mode bit
  std::string callerAddress;  // for the *_SPECIFIC modes
  std::string destAddress;    // empty: do not disturb for this condition
  std::uint32_t destCountryCode = 0;
  friend bool operator==(const ForwardEntry&, const ForwardEntry&) = default;
};

// What an application may specify when a call is set up (LINECALLPARAMS subset).
struct CallParams {
  std::uint32_t mediaMode = 0;  // 0: interactive voice
  std::uint32_t flags = 0;      // call_param_flag bits
  std::string targetAddress;    // one-step transfer destination
  std::string displayableAddress;
  std::string calledParty;
  std::string comment;
  std::string userUserInfo;
};

struct AddressCaps {
  std::string address;  // dialable address (the directory number)
  std::string name;
  std::uint32_t addressSharing = address_sharing::kPrivate;
  std::uint32_t callStates = 0;
  std::uint32_t dialToneModes = 0;
  std::uint32_t busyModes = 0;
  std::uint32_t specialInfo = 0;
  std::uint32_t disconnectModes = 0;
  std::uint32_t maxActiveCalls = 0;
  std::uint32_t maxOnHoldCalls = 0;
  std::uint32_t maxOnHoldPendingCalls = 0;
  std::uint32_t maxConference = 0;  // parties in one conference, the controller included
  std::uint32_t maxTransConf = 0;
  std::uint32_t addrCapFlags = 0;  // address_cap_flag bits
  std::uint32_t callFeatures = 0;  // call_feature bits ever possible
  std::uint32_t callFeatures2 = 0;
  std::uint32_t removeFromConfCaps = remove_from_conf::kNone;
  std::uint32_t removeFromConfState = 0;
  std::uint32_t transferModes = 0;
  std::uint32_t parkModes = 0;
  std::uint32_t forwardModes = 0;
  std::uint32_t maxForwardEntries = 0;
  std::uint32_t maxSpecificEntries = 0;
  std::uint32_t minFwdNumRings = 0;
  std::uint32_t maxFwdNumRings = 0;
  std::uint32_t maxCallCompletions = 0;
  std::uint32_t callCompletionConds = 0;
  std::uint32_t callCompletionModes = 0;
  std::vector<std::string> completionMessages;
  std::uint32_t addressFeatures = 0;  // address_feature bits ever possible
  std::uint32_t connectedModes = 0;
  std::uint32_t offeringModes = 0;
  std::uint32_t availableMediaModes = 0;
  std::uint32_t callerIdFlags = 0;
  std::uint32_t calledIdFlags = 0;
  std::uint32_t connectedIdFlags = 0;
  std::uint32_t redirectionIdFlags = 0;
  std::uint32_t redirectingIdFlags = 0;
};

struct LineCaps {
  std::string name;
  std::string providerInfo;
  std::string switchInfo;
  std::uint32_t permanentLineId = 0;
  std::uint32_t bearerModes = bearer_mode::kVoice;
  std::uint32_t mediaModes = media_mode::kInteractiveVoice;
  std::uint32_t lineFeatures = 0;  // line_feature bits
  std::uint32_t devCapFlags = 0;   // line_cap_flag bits
  std::uint32_t answerMode = answer_mode::kNone;
  std::uint32_t maxNumActiveCalls = 0;
  std::uint32_t lineStates = 0;     // line_event bits the provider reports
  std::uint32_t addressStates = 0;  // address_event bits the provider reports
  std::uint32_t ringModes = 1;
  std::vector<AddressCaps> addresses;
};

struct AddressStatus {
  std::uint32_t numInUse = 0;
  std::uint32_t numActiveCalls = 0;
  std::uint32_t numOnHoldCalls = 0;
  std::uint32_t numOnHoldPendCalls = 0;
  std::uint32_t addressFeatures = 0;  // address_feature bits possible now
  std::uint32_t numRingsNoAnswer = 0;
  std::vector<ForwardEntry> forward;
};

struct LineStatus {
  std::uint32_t numActiveCalls = 0;
  std::uint32_t numOnHoldCalls = 0;
  std::uint32_t numOnHoldPendCalls = 0;
  std::uint32_t lineFeatures = 0;
  std::uint32_t numCallCompletions = 0;
  std::uint32_t devStatusFlags = 0;  // line_status_flag bits
  std::uint32_t messagesWaiting = 0;
};

// What a request returns besides success, for the operations that return data.
struct ReplyData {
  std::string address;             // nondirected park: the orbit
  std::uint32_t completionId = 0;  // completeCall
};

// park: the caller takes an orbit of any length.
inline constexpr std::size_t kAnyOrbitLength = std::numeric_limits<std::size_t>::max();

// The result of setupConference.
struct ConferenceSetup {
  CallId conference;
  CallId consultation;
};

// Events from a provider to the service. All on the loop thread.
class ProviderListener {
 public:
  virtual ~ProviderListener() = default;

  virtual void onReply(RequestId request, const Status& status, const ReplyData& data) = 0;
  // A call appeared without a request of the service (incoming, camped on,
  // recall, callback, intrusion...). Its first onCallState follows.
  virtual void onNewCall(CallId call, LineId line, std::uint32_t address) = 0;
  virtual void onCallState(CallId call, CallState state, std::uint32_t mode) = 0;
  virtual void onCallInfo(CallId call, std::uint32_t changed /* info_field bits */) = 0;
  // line_event bits; for kRinging p1 is the address index and p2 the ring count.
  virtual void onLineEvent(LineId line, std::uint32_t event, std::uint32_t p1,
                           std::uint32_t p2) = 0;
  virtual void onAddressEvent(LineId line, std::uint32_t address, std::uint32_t events) = 0;
  // A digit the far end sent on a call (DTMF).
  virtual void onDigit(CallId call, char digit) = 0;
};

class Provider {
 public:
  virtual ~Provider() = default;

  virtual std::string_view name() const = 0;
  virtual void setListener(ProviderListener* listener) = 0;

  // ---- lines and addresses -------------------------------------------------
  virtual std::uint32_t lineCount() const = 0;
  // The line at a device index (0..lineCount()-1); device indexes are stable.
  virtual LineId lineAt(std::uint32_t index) const = 0;
  virtual const LineCaps* lineCaps(LineId line) const = 0;
  virtual Result<LineStatus> lineStatus(LineId line) const = 0;
  virtual Result<AddressStatus> addressStatus(LineId line, std::uint32_t address) const = 0;
  // The address index of a dialable address on a line.
  virtual Result<std::uint32_t> addressId(LineId line, std::string_view address) const = 0;

  // ---- calls: queries (synchronous) -----------------------------------------
  virtual const CallInfo* callInfo(CallId call) const = 0;
  virtual Result<CallStatus> callStatus(CallId call) const = 0;
  // Conference root first, then its participants.
  virtual Result<std::vector<CallId>> conferenceCalls(CallId call) const = 0;
  // The calls present on a line (lineGetNewCalls), all addresses or one.
  virtual std::vector<CallId> callsOnLine(LineId line, std::int64_t address = -1) const = 0;
  // Releases a call object the service no longer needs (TSPI_lineCloseCall).
  // A call that is not idle is dropped first.
  virtual void closeCall(CallId call) = 0;

  // ---- session operations (asynchronous) ------------------------------------
  // dest empty: the call waits in DIALTONE for dial(). A dest ending in ';' is
  // partial and leaves the call DIALING for more digits.
  virtual Result<CallId> makeCall(RequestId req, LineId line, std::uint32_t address,
                                  std::string_view dest, const CallParams& params) = 0;
  // In DIALTONE/DIALING the digits extend the dialed number; on a CONNECTED
  // call they go to the far party as DTMF (onDigit for a station's call).
  virtual Status dial(RequestId req, CallId call, std::string_view digits) = 0;
  virtual Status accept(RequestId req, CallId call) = 0;
  virtual Status answer(RequestId req, CallId call) = 0;
  // Clears the call; on an offered call this rejects it.
  virtual Status drop(RequestId req, CallId call) = 0;
  virtual Status hold(RequestId req, CallId call) = 0;
  virtual Status unhold(RequestId req, CallId call) = 0;
  virtual Status swapHold(RequestId req, CallId active, CallId held) = 0;
  virtual Status secureCall(RequestId req, CallId call) = 0;
  virtual Status redirect(RequestId req, CallId call, std::string_view dest) = 0;
  virtual Status blindTransfer(RequestId req, CallId call, std::string_view dest) = 0;
  virtual Result<CallId> setupTransfer(RequestId req, CallId call, const CallParams& params) = 0;
  // Returns the conference call for TransferMode::kConference, else a null id.
  virtual Result<CallId> completeTransfer(RequestId req, CallId call, CallId consult,
                                          TransferMode mode) = 0;
  // call may be null: the conference starts on `line`/`address` with no party.
  virtual Result<ConferenceSetup> setupConference(RequestId req, CallId call, LineId line,
                                                  std::uint32_t address, std::uint32_t numParties,
                                                  const CallParams& params) = 0;
  virtual Result<CallId> prepareAddToConference(RequestId req, CallId conference,
                                                const CallParams& params) = 0;
  virtual Status addToConference(RequestId req, CallId conference, CallId consult) = 0;
  virtual Status removeFromConference(RequestId req, CallId call) = 0;
  // Directed: `orbit` names the park address. Nondirected: the reply carries
  // it, and an orbit longer than maxOrbitLength fails with kStructureTooSmall
  // before anything is parked (the caller has no room for it and may retry).
  virtual Status park(RequestId req, CallId call, ParkMode mode, std::string_view orbit,
                      std::size_t maxOrbitLength = kAnyOrbitLength) = 0;
  virtual Result<CallId> unpark(RequestId req, LineId line, std::uint32_t address,
                                std::string_view orbit) = 0;
  // dest set: directed pickup of the call alerting there. dest empty: group
  // pickup in `group` (empty: the address's own group).
  virtual Result<CallId> pickup(RequestId req, LineId line, std::uint32_t address,
                                std::string_view dest, std::string_view group) = 0;
  // The reply carries the completion id.
  virtual Status completeCall(RequestId req, CallId call, CompletionMode mode,
                              std::uint32_t messageId) = 0;
  virtual Status uncompleteCall(RequestId req, LineId line, std::uint32_t completionId) = 0;
  // allAddresses, or just `address`. Empty entries cancel all forwarding.
  virtual Status forward(RequestId req, LineId line, bool allAddresses, std::uint32_t address,
                         std::span<const ForwardEntry> entries, std::uint32_t numRingsNoAnswer) = 0;
};

}  // namespace tapir
