// tapir's C++ object API: the TAPI 3.x model (TAPI object, Address, Call
// with basic call control, CallHub, events) in C++20, on the same telephony
// service as the TAPI 2.x C API (tapi.h).
//
//   auto tapi = tapir::Telephony::initialize({.appName = "attendant"});
//   tapir::Address a = *tapi->address("201");
//   tapir::Call call = *a.createCall("202");
//   if (tapir::Status st = call.connect(/*sync=*/true); !st) ...
//
// Objects are cheap handles to shared state (copy them freely; equal when
// they name the same object). Errors are tapir::Status values; hresultOf()
// gives the TAPI 3 HRESULT a ported application expects. No exceptions.
//
// Threads: every method may be called from any thread, including from the
// event callback. Synchronous methods block the calling thread only.
//
// Lifetime: a Call the application no longer references is released (the
// service handle deallocated, after a drop if the call was still up and
// nobody else owns it). While a call is active the Telephony keeps it, so
// events keep naming the same Call. After shutdown(), every object of that
// Telephony is stale: its methods fail with Fault::kUninitialized.
//
// Guide and the TAPI 3.x mapping table: docs/api-cpp.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tapir/provider.h"
#include "tapir/status.h"
#include "tapir/telephony.h"

#define TAPIR_API __attribute__((visibility("default")))

namespace tapir {

namespace detail {
class Core;
struct AddressRef;
struct CallImpl;
struct HubImpl;
}  // namespace detail

// Media types (TAPIMEDIATYPE_).
namespace media_type {
inline constexpr std::uint32_t kAudio = 0x00000008;
inline constexpr std::uint32_t kDataModem = 0x00000010;
inline constexpr std::uint32_t kG3Fax = 0x00000020;
inline constexpr std::uint32_t kVideo = 0x00008000;
inline constexpr std::uint32_t kMultitrack = 0x00010000;
}  // namespace media_type

// The TAPI 3 HRESULT for a Status (S_OK, TAPI_E_*, E_*), for code ported
// from TAPI 3 that compares against those values.
TAPIR_API std::int32_t hresultOf(const Status& status) noexcept;

class Call;
class CallHub;

// ---- Address (ITAddress, ITAddressCapabilities, ITAddressTranslation) ------------------------

// ITForwardInformation: what forward() sets. No entries cancels forwarding.
struct TAPIR_API ForwardInfo {
  std::uint32_t numRingsNoAnswer = 0;
  std::vector<ForwardEntry> entries;  // mode: one forward_mode bit

  // ITForwardInformation::SetForwardType: replaces the entry for `mode`.
  void setForwardType(std::uint32_t mode, std::string destination, std::string caller = {});
  friend bool operator==(const ForwardInfo&, const ForwardInfo&) = default;
};

// ITAddressCapabilities as data: the line's and the address's capabilities.
struct AddressCapabilities {
  LineCaps line;  // line.addresses is left empty
  AddressCaps address;
  std::uint32_t mediaTypes = 0;  // media_type bits the address handles
};

// ITAddressTranslationInfo.
struct TranslationInfo {
  std::string dialableString;  // may hold calling-card digits: do not show or log
  std::string displayableString;
  std::uint32_t currentCountryCode = 0;
  std::uint32_t destinationCountryCode = 0;
  std::uint32_t translationResults = 0;  // LINETRANSLATERESULT_ bits
};

// A caller id normalized with the current location (beyond TAPI): for
// matching against stored numbers, and for translateAddress to call back.
struct CallerIdNumber {
  std::string e164;       // "+14255550100"
  std::string canonical;  // "+1 (425) 5550100"
  std::uint32_t countryCode = 0;
};

// Options for translateAddress (LINETRANSLATEOPTION_).
namespace translate_flag {
inline constexpr std::uint32_t kCardOverride = 0x00000001;
inline constexpr std::uint32_t kCancelCallWaiting = 0x00000002;
inline constexpr std::uint32_t kForceLocal = 0x00000004;
inline constexpr std::uint32_t kForceLd = 0x00000008;
}  // namespace translate_flag

// ITLocationInfo.
struct LocationInfo {
  std::uint32_t permanentLocationId = 0;
  std::string locationName;
  std::uint32_t countryCode = 0;
  std::uint32_t countryId = 0;
  std::string cityCode;
  std::uint32_t preferredCardId = 0;
  std::string localAccessCode;
  std::string longDistanceAccessCode;
  std::string tollPrefixList;
  std::string cancelCallWaitingCode;
  std::uint32_t options = 0;  // LINELOCATIONOPTION_
  bool current = false;
};

// ITCallingCard. The card number itself never leaves the library.
struct CallingCardInfo {
  std::uint32_t permanentCardId = 0;
  std::string cardName;
  std::uint32_t numberOfDigits = 0;
  std::string sameAreaDialingRule;
  std::string longDistanceDialingRule;
  std::string internationalDialingRule;
  std::uint32_t options = 0;  // LINECARDOPTION_
};

class TAPIR_API Address {
 public:
  enum class State : std::uint32_t { kInService = 0, kOutOfService = 1 };  // ADDRESS_STATE

  Address() = default;
  explicit operator bool() const { return ref_ != nullptr; }
  friend TAPIR_API bool operator==(const Address& a, const Address& b) noexcept;

  std::uint32_t deviceId() const;   // the line device
  std::uint32_t addressId() const;  // the address on the line
  std::string name() const;
  std::string dialableAddress() const;  // the directory number, e.g. "201"
  State state() const;
  Result<AddressCapabilities> capabilities() const;
  Result<AddressStatus> status() const;  // calls in use, features now, forwarding

  // A call in CS_IDLE to `destination` (may be empty for dial() or pickup()).
  // Nothing happens on the switch until connect(), unpark() or pickup().
  Result<Call> createCall(std::string_view destination,
                          std::uint32_t mediaTypes = media_type::kAudio) const;
  // The calls on this address the application knows (ITAddress::get_Calls).
  std::vector<Call> calls() const;

  // Forwarding (ITAddress::Forward): replaces what was set; empty cancels.
  Status forward(const ForwardInfo& info) const;
  Result<ForwardInfo> currentForwardInfo() const;

  // Address translation through the dialing rules (ITAddressTranslation).
  Result<TranslationInfo> translateAddress(std::string_view address, std::uint32_t card = 0,
                                           std::uint32_t flags = 0) const;
  Result<std::vector<LocationInfo>> locations() const;
  Result<std::vector<CallingCardInfo>> callingCards() const;
  // The reverse direction: a caller id as the network delivered it
  // ("5550100", "0207946 0000", "+44...") read from the current location.
  // Errors: IniFileCorrupt (no location), BadAddress (not a public number).
  Result<CallerIdNumber> normalizeCallerId(std::string_view callerId) const;

 private:
  friend class detail::Core;
  explicit Address(std::shared_ptr<const detail::AddressRef> ref) : ref_(std::move(ref)) {}
  std::shared_ptr<const detail::AddressRef> ref_;
};

// ---- Call (ITCallInfo, ITBasicCallControl) ----------------------------------------------

class TAPIR_API Call {
 public:
  enum class State : std::uint32_t {  // CALL_STATE
    kIdle = 0,
    kInProgress,
    kConnected,
    kDisconnected,
    kOffering,
    kHold,
    kQueued,
  };
  enum class Cause : std::uint32_t {  // CALL_STATE_EVENT_CAUSE
    kNone = 0,
    kDisconnectNormal,
    kDisconnectBusy,
    kDisconnectBadAddress,
    kDisconnectNoAnswer,
    kDisconnectCancelled,
    kDisconnectRejected,
    kDisconnectFailed,
    kDisconnectBlocked,
  };
  enum class Privilege : std::uint32_t { kOwner = 0, kMonitor = 1 };             // CALL_PRIVILEGE
  enum class FinishMode : std::uint32_t { kAsTransfer = 0, kAsConference = 1 };  // FINISH_MODE
  enum class DisconnectCode : std::uint32_t {
    kNormal = 0,
    kNoAnswer,
    kRejected
  };  // DISCONNECT_CODE

  // ITCallInfo as data, read from the service when asked.
  struct Info {
    State state = State::kIdle;
    Cause cause = Cause::kNone;
    Privilege privilege = Privilege::kOwner;
    CallState detailedState = CallState::kIdle;  // the TAPI 2 state under `state`
    std::uint32_t stateMode = 0;                 // its LINEDISCONNECTMODE_... mode
    std::uint32_t features = 0;                  // call_feature bits possible now
    std::uint32_t features2 = 0;
    PartyId caller, called, connected, redirecting, redirection;
    CallOrigin origin = CallOrigin::kUnknown;
    CallReason reason = CallReason::kUnknown;
    std::uint32_t callId = 0;
    std::uint32_t relatedCallId = 0;
    std::uint32_t completionId = 0;
    std::uint32_t appSpecific = 0;
    std::uint32_t numOwners = 0;
    std::uint32_t numMonitors = 0;
    std::uint32_t mediaTypes = 0;  // media_type bits
    std::uint32_t trunk = 0;
    std::string comment;
    std::string displayableAddress;
    std::string calledPartyFriendlyName;
    std::string userUserInfo;
    bool secured = false;
  };

  Call() = default;
  explicit operator bool() const { return impl_ != nullptr; }
  friend TAPIR_API bool operator==(const Call& a, const Call& b) noexcept;

  Address address() const;
  // The destination given to createCall (ITCallInfo CIS_CALLEDIDNUMBER before connect).
  std::string destination() const;
  // The state as of the last event this application received for the call.
  State state() const;
  Cause cause() const;
  Privilege privilege() const;
  Result<Info> info() const;
  // The conference the call belongs to; empty if none.
  CallHub callHub() const;
  Status setAppSpecific(std::uint32_t value);

  // ---- basic call control. Methods without `sync` wait for the switch to
  // accept or refuse (Options::syncTimeout at most) and return its answer;
  // the state changes follow as events.
  //
  // connect/transfer/conference with sync = true return when the call (or
  // the consultation call) is connected or has failed; with sync = false
  // they return once the request is accepted, and an OperationEvent reports
  // the same outcome later. A synchronous wait that times out returns
  // kDeadlineExceeded and the outcome still arrives as an OperationEvent.
  Status connect(bool sync);
  Status answer();
  Status disconnect(DisconnectCode code = DisconnectCode::kNormal);
  Status hold(bool onHold);
  Status handoffDirect(std::string_view applicationName);
  Status handoffIndirect(std::uint32_t mediaType);
  // `consult`: a call from createCall (connected here to its destination) or
  // a call already connected on the same address.
  Status conference(Call& consult, bool sync);
  Status transfer(Call& consult, bool sync);
  Status blindTransfer(std::string_view destination);
  Status swapHold(Call& held);
  Status parkDirect(std::string_view orbit);
  Result<std::string> parkIndirect();  // the orbit the switch chose
  // On a call created with the orbit as its destination.
  Status unpark();
  // On a call created with the ringing extension (directed) or "" (group).
  Status pickup(std::string_view groupId);
  Status dial(std::string_view digits);
  // On a consultation call after transfer() or conference().
  Status finish(FinishMode mode);
  Status removeFromConference();

 private:
  friend class detail::Core;
  friend class CallHub;
  explicit Call(std::shared_ptr<detail::CallImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<detail::CallImpl> impl_;
};

// ---- CallHub (ITCallHub): a conference --------------------------------------------------

class TAPIR_API CallHub {
 public:
  enum class State : std::uint32_t { kActive = 0, kIdle = 1 };  // CALLHUB_STATE

  CallHub() = default;
  explicit operator bool() const { return impl_ != nullptr; }
  friend TAPIR_API bool operator==(const CallHub& a, const CallHub& b) noexcept;

  State state() const;
  // The parties' calls this application holds (ITCallHub::EnumerateCalls).
  std::vector<Call> calls() const;
  std::size_t numCalls() const;
  // Ends the conference: every party is dropped (ITCallHub::Clear).
  Status clear();

 private:
  friend class detail::Core;
  friend class Call;
  explicit CallHub(std::shared_ptr<detail::HubImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<detail::HubImpl> impl_;
};

// ---- events ---------------------------------------------------------------------------

// Event kinds (TAPI_EVENT bits) for Options::eventFilter and setEventFilter.
namespace event_kind {
inline constexpr std::uint32_t kTapiObject = 0x00000001;
inline constexpr std::uint32_t kAddress = 0x00000002;
inline constexpr std::uint32_t kCallNotification = 0x00000004;
inline constexpr std::uint32_t kCallState = 0x00000008;
inline constexpr std::uint32_t kCallHub = 0x00000020;
inline constexpr std::uint32_t kCallInfoChange = 0x00000040;
inline constexpr std::uint32_t kOperation = 0x80000000;  // tapir: async outcomes
inline constexpr std::uint32_t kAll = 0x8000006f;
}  // namespace event_kind

// ITCallStateEvent.
struct CallStateEvent {
  Call call;
  Call::State state = Call::State::kIdle;
  Call::Cause cause = Call::Cause::kNone;
  CallState detailedState = CallState::kIdle;  // the TAPI 2 state that caused it
  std::uint32_t stateMode = 0;
};

// ITCallNotificationEvent: a call new to this application.
struct CallNotificationEvent {
  enum class Type : std::uint32_t { kOwner = 0, kMonitor = 1 };  // CALL_NOTIFICATION_EVENT
  Call call;
  Type type = Type::kOwner;
  Address address;
};

// ITCallInfoChangeEvent.
struct CallInfoChangeEvent {
  enum class Cause : std::uint32_t {  // CALLINFOCHANGE_CAUSE
    kOther = 0,
    kDevSpecific,
    kBearerMode,
    kRate,
    kAppSpecific,
    kCallId,
    kRelatedCallId,
    kOrigin,
    kReason,
    kCompletionId,
    kNumOwnerIncr,
    kNumOwnerDecr,
    kNumMonitors,
    kTrunk,
    kCallerId,
    kCalledId,
    kConnectedId,
    kRedirectionId,
    kRedirectingId,
    kUserUserInfo,
    kHighLevelComp,
    kLowLevelComp,
    kChargingInfo,
    kTreatment,
    kCallData,
    kPrivilege,
    kMediaType,
  };
  Call call;
  Cause cause = Cause::kOther;
};

// ITCallHubEvent.
struct CallHubEvent {
  enum class Type : std::uint32_t { kCallJoin = 0, kCallLeave, kCallHubNew, kCallHubIdle };
  CallHub hub;
  Type type = Type::kCallHubNew;
  Call call;  // for kCallJoin and kCallLeave
};

// ITAddressEvent.
struct AddressEvent {
  enum class Type : std::uint32_t {  // ADDRESS_EVENT
    kState = 0,
    kCapsChange,
    kRinging,
    kConfigChange,
    kForward,
    kNewTerminal,
    kRemoveTerminal,
    kMsgWaitOn,
    kMsgWaitOff,
  };
  Address address;
  Type type = Type::kState;
  std::uint32_t ringCount = 0;  // kRinging: 0 for the first ring
};

// ITTAPIObjectEvent.
struct TapiObjectEvent {
  enum class Type : std::uint32_t {  // TAPIOBJECT_EVENT
    kAddressCreate = 0,
    kAddressRemove,
    kReinit,
    kTranslateChange,
    kAddressClose,
  };
  Type type = Type::kReinit;
  Address address;  // kAddressClose: the address whose registration was closed
};

// tapir: the outcome of an operation that completes through events (an
// asynchronous connect, transfer or conference, or any wait that timed out).
struct OperationEvent {
  enum class Operation : std::uint32_t {
    kConnect,
    kTransfer,
    kConference,
    kAnswer,
    kDisconnect,
    kHold,
    kUnhold,
    kHandoff,
    kBlindTransfer,
    kSwapHold,
    kPark,
    kUnpark,
    kPickup,
    kDial,
    kFinish,
    kRemoveFromConference,
    kForward,
    kClear,
  };
  Call call;
  Operation operation = Operation::kConnect;
  Status status;
};

using Event = std::variant<CallStateEvent, CallNotificationEvent, CallInfoChangeEvent, CallHubEvent,
                           AddressEvent, TapiObjectEvent, OperationEvent>;
// The event_kind bit of an event.
TAPIR_API std::uint32_t eventKind(const Event& event) noexcept;

// ---- Telephony (ITTAPI) --------------------------------------------------------------

struct TelephonyOptions {
  std::string appName = "tapir application";  // the friendly name others see
  // The file name handoffDirect() and priorities match; empty: this program's.
  std::string moduleName;
  // Events go to this callback, on a library thread, one at a time and in
  // order; without one they queue for nextEvent() / eventFd().
  std::function<void(const Event&)> onEvent;
  std::uint32_t eventFilter = event_kind::kAll;
  std::chrono::milliseconds syncTimeout{120000};  // TAPI 3's two minutes
};

class TAPIR_API Telephony {
 public:
  // Registers the application with the telephony service (started in this
  // process if needed; see docs/configuration.md for TAPIR_CONFIG & co).
  static Result<Telephony> initialize(TelephonyOptions options = {});

  Telephony(Telephony&&) noexcept;
  Telephony& operator=(Telephony&&) noexcept;
  Telephony(const Telephony&) = delete;
  Telephony& operator=(const Telephony&) = delete;
  ~Telephony();  // shutdown()

  // Ends the registration: calls this application alone owns are dropped,
  // its objects go stale, no more events come. Idempotent.
  Status shutdown();

  std::vector<Address> addresses() const;
  // The address with this dialable address (directory number).
  Result<Address> address(std::string_view dialable) const;

  // Call notifications for an address: owner and/or monitor interest, for
  // these media types. Returns a registration id for unregister. One
  // registration per address at a time.
  Result<std::uint32_t> registerCallNotifications(const Address& address, bool owner, bool monitor,
                                                  std::uint32_t mediaTypes = media_type::kAudio);
  Status unregisterNotifications(std::uint32_t registration);

  // This program (or `applicationName`) first in line for new calls of a
  // media type (priority true), or out of the list (false).
  Status setApplicationPriority(std::string_view applicationName, std::uint32_t mediaType,
                                bool priority);
  Result<bool> applicationPriority(std::string_view applicationName, std::uint32_t mediaType) const;

  std::vector<Call> calls() const;
  std::vector<CallHub> callHubs() const;

  std::uint32_t eventFilter() const;
  void setEventFilter(std::uint32_t kinds);
  // Without a callback: the next event, waiting up to `timeout`.
  std::optional<Event> nextEvent(std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  // Without a callback: a descriptor readable while events are queued.
  int eventFd() const;

 private:
  explicit Telephony(std::shared_ptr<detail::Core> core) : core_(std::move(core)) {}
  std::shared_ptr<detail::Core> core_;
};

}  // namespace tapir
