// The vocabulary shared by providers, the service and both client APIs:
// call states and their modes, reasons, origins, features and modes of the
// session operations.
//
// Each value equals the TAPI 2.x constant of the same meaning (LINECALLSTATE_,
// LINEDISCONNECTMODE_, ...), so the C edge converts with a cast and a reader
// who knows TAPI knows these. They are our own definitions: the provider layer
// includes no TAPI header.
#pragma once

#include <bit>
#include <cstdint>
#include <string_view>

namespace tapir {

// A party's view of a call (LINECALLSTATE_).
enum class CallState : std::uint32_t {
  kIdle = 0x00000001,
  kOffering = 0x00000002,
  kAccepted = 0x00000004,
  kDialtone = 0x00000008,
  kDialing = 0x00000010,
  kRingback = 0x00000020,
  kBusy = 0x00000040,
  kSpecialInfo = 0x00000080,
  kConnected = 0x00000100,
  kProceeding = 0x00000200,
  kOnHold = 0x00000400,
  kConferenced = 0x00000800,
  kOnHoldPendConf = 0x00001000,
  kOnHoldPendTransfer = 0x00002000,
  kDisconnected = 0x00004000,
  kUnknown = 0x00008000,
};
inline constexpr std::uint32_t kAllCallStates = 0x0000ffff;
constexpr std::uint32_t bit(CallState s) {
  return static_cast<std::uint32_t>(s);
}
// 0..15, for tables indexed by state.
constexpr int stateIndex(CallState s) {
  return std::countr_zero(bit(s));
}
std::string_view callStateName(CallState s) noexcept;

// Modes that refine a state (the dwCallStateMode of LINECALLSTATUS).
namespace disconnect_mode {  // LINEDISCONNECTMODE_
inline constexpr std::uint32_t kNormal = 0x00000001;
inline constexpr std::uint32_t kUnknown = 0x00000002;
inline constexpr std::uint32_t kReject = 0x00000004;
inline constexpr std::uint32_t kPickup = 0x00000008;
inline constexpr std::uint32_t kForwarded = 0x00000010;
inline constexpr std::uint32_t kBusy = 0x00000020;
inline constexpr std::uint32_t kNoAnswer = 0x00000040;
inline constexpr std::uint32_t kBadAddress = 0x00000080;
inline constexpr std::uint32_t kUnreachable = 0x00000100;
inline constexpr std::uint32_t kCongestion = 0x00000200;
inline constexpr std::uint32_t kIncompatible = 0x00000400;
inline constexpr std::uint32_t kUnavail = 0x00000800;
inline constexpr std::uint32_t kNoDialtone = 0x00001000;
inline constexpr std::uint32_t kNumberChanged = 0x00002000;
inline constexpr std::uint32_t kOutOfOrder = 0x00004000;
inline constexpr std::uint32_t kTempFailure = 0x00008000;
inline constexpr std::uint32_t kQosUnavail = 0x00010000;
inline constexpr std::uint32_t kBlocked = 0x00020000;
inline constexpr std::uint32_t kDoNotDisturb = 0x00040000;
inline constexpr std::uint32_t kCancelled = 0x00080000;
}  // namespace disconnect_mode
std::string_view disconnectModeName(std::uint32_t mode) noexcept;

namespace busy_mode {  // LINEBUSYMODE_
inline constexpr std::uint32_t kStation = 0x00000001;
inline constexpr std::uint32_t kTrunk = 0x00000002;
inline constexpr std::uint32_t kUnknown = 0x00000004;
inline constexpr std::uint32_t kUnavail = 0x00000008;
}  // namespace busy_mode

namespace special_info {  // LINESPECIALINFO_
inline constexpr std::uint32_t kNoCircuit = 0x00000001;
inline constexpr std::uint32_t kCustIrreg = 0x00000002;
inline constexpr std::uint32_t kReorder = 0x00000004;
inline constexpr std::uint32_t kUnknown = 0x00000008;
inline constexpr std::uint32_t kUnavail = 0x00000010;
}  // namespace special_info

namespace dialtone_mode {  // LINEDIALTONEMODE_
inline constexpr std::uint32_t kNormal = 0x00000001;
inline constexpr std::uint32_t kSpecial = 0x00000002;
inline constexpr std::uint32_t kInternal = 0x00000004;
inline constexpr std::uint32_t kExternal = 0x00000008;
inline constexpr std::uint32_t kUnknown = 0x00000010;
inline constexpr std::uint32_t kUnavail = 0x00000020;
}  // namespace dialtone_mode

namespace connected_mode {  // LINECONNECTEDMODE_
inline constexpr std::uint32_t kActive = 0x00000001;
inline constexpr std::uint32_t kInactive = 0x00000002;
inline constexpr std::uint32_t kActiveHeld = 0x00000004;
inline constexpr std::uint32_t kInactiveHeld = 0x00000008;
inline constexpr std::uint32_t kConfirmed = 0x00000010;
}  // namespace connected_mode

namespace offering_mode {  // LINEOFFERINGMODE_
inline constexpr std::uint32_t kActive = 0x00000001;
inline constexpr std::uint32_t kInactive = 0x00000002;
}  // namespace offering_mode

// Why a call is here (LINECALLREASON_).
enum class CallReason : std::uint32_t {
  kDirect = 0x00000001,
  kFwdBusy = 0x00000002,
  kFwdNoAnswer = 0x00000004,
  kFwdUncond = 0x00000008,
  kPickup = 0x00000010,
  kUnpark = 0x00000020,
  kRedirect = 0x00000040,
  kCallCompletion = 0x00000080,
  kTransfer = 0x00000100,
  kReminder = 0x00000200,
  kUnknown = 0x00000400,
  kUnavail = 0x00000800,
  kIntrude = 0x00001000,
  kParked = 0x00002000,
  kCampedOn = 0x00004000,
  kRouteRequest = 0x00008000,
};
std::string_view callReasonName(CallReason r) noexcept;

// Where a call came from (LINECALLORIGIN_).
enum class CallOrigin : std::uint32_t {
  kOutbound = 0x00000001,
  kInternal = 0x00000002,
  kExternal = 0x00000004,
  kUnknown = 0x00000010,
  kUnavail = 0x00000020,
  kConference = 0x00000040,
  kInbound = 0x00000080,
};
std::string_view callOriginName(CallOrigin o) noexcept;

// Which LINECALLINFO items changed (LINECALLINFOSTATE_).
namespace info_field {
inline constexpr std::uint32_t kOther = 0x00000001;
inline constexpr std::uint32_t kMediaMode = 0x00000010;
inline constexpr std::uint32_t kCallId = 0x00000040;
inline constexpr std::uint32_t kRelatedCallId = 0x00000080;
inline constexpr std::uint32_t kOrigin = 0x00000100;
inline constexpr std::uint32_t kReason = 0x00000200;
inline constexpr std::uint32_t kCompletionId = 0x00000400;
inline constexpr std::uint32_t kCallerId = 0x00008000;
inline constexpr std::uint32_t kCalledId = 0x00010000;
inline constexpr std::uint32_t kConnectedId = 0x00020000;
inline constexpr std::uint32_t kRedirectionId = 0x00040000;
inline constexpr std::uint32_t kRedirectingId = 0x00080000;
inline constexpr std::uint32_t kDisplay = 0x00100000;
inline constexpr std::uint32_t kUserUserInfo = 0x00200000;
}  // namespace info_field

// Operations currently possible on a call (LINECALLFEATURE_).
namespace call_feature {
inline constexpr std::uint32_t kAccept = 0x00000001;
inline constexpr std::uint32_t kAddToConf = 0x00000002;
inline constexpr std::uint32_t kAnswer = 0x00000004;
inline constexpr std::uint32_t kBlindTransfer = 0x00000008;
inline constexpr std::uint32_t kCompleteCall = 0x00000010;
inline constexpr std::uint32_t kCompleteTransf = 0x00000020;
inline constexpr std::uint32_t kDial = 0x00000040;
inline constexpr std::uint32_t kDrop = 0x00000080;
inline constexpr std::uint32_t kGatherDigits = 0x00000100;
inline constexpr std::uint32_t kGenerateDigits = 0x00000200;
inline constexpr std::uint32_t kGenerateTone = 0x00000400;
inline constexpr std::uint32_t kHold = 0x00000800;
inline constexpr std::uint32_t kMonitorDigits = 0x00001000;
inline constexpr std::uint32_t kMonitorMedia = 0x00002000;
inline constexpr std::uint32_t kMonitorTones = 0x00004000;
inline constexpr std::uint32_t kPark = 0x00008000;
inline constexpr std::uint32_t kPrepareAddConf = 0x00010000;
inline constexpr std::uint32_t kRedirect = 0x00020000;
inline constexpr std::uint32_t kRemoveFromConf = 0x00040000;
inline constexpr std::uint32_t kSecureCall = 0x00080000;
inline constexpr std::uint32_t kSendUserUser = 0x00100000;
inline constexpr std::uint32_t kSetCallParams = 0x00200000;
inline constexpr std::uint32_t kSetMediaControl = 0x00400000;
inline constexpr std::uint32_t kSetTerminal = 0x00800000;
inline constexpr std::uint32_t kSetupConf = 0x01000000;
inline constexpr std::uint32_t kSetupTransfer = 0x02000000;
inline constexpr std::uint32_t kSwapHold = 0x04000000;
inline constexpr std::uint32_t kUnhold = 0x08000000;
}  // namespace call_feature

// Finer-grained features (LINECALLFEATURE2_).
namespace call_feature2 {
inline constexpr std::uint32_t kNoHoldConference = 0x00000001;
inline constexpr std::uint32_t kOneStepTransfer = 0x00000002;
inline constexpr std::uint32_t kComplCampon = 0x00000004;
inline constexpr std::uint32_t kComplCallback = 0x00000008;
inline constexpr std::uint32_t kComplIntrude = 0x00000010;
inline constexpr std::uint32_t kComplMessage = 0x00000020;
inline constexpr std::uint32_t kTransferNorm = 0x00000040;
inline constexpr std::uint32_t kTransferConf = 0x00000080;
inline constexpr std::uint32_t kParkDirect = 0x00000100;
inline constexpr std::uint32_t kParkNonDirect = 0x00000200;
}  // namespace call_feature2

// Operations currently possible on an address (LINEADDRFEATURE_).
namespace address_feature {
inline constexpr std::uint32_t kForward = 0x00000001;
inline constexpr std::uint32_t kMakeCall = 0x00000002;
inline constexpr std::uint32_t kPickup = 0x00000004;
inline constexpr std::uint32_t kSetMediaControl = 0x00000008;
inline constexpr std::uint32_t kSetTerminal = 0x00000010;
inline constexpr std::uint32_t kSetupConf = 0x00000020;
inline constexpr std::uint32_t kUncompleteCall = 0x00000040;
inline constexpr std::uint32_t kUnpark = 0x00000080;
inline constexpr std::uint32_t kPickupHeld = 0x00000100;
inline constexpr std::uint32_t kPickupGroup = 0x00000200;
inline constexpr std::uint32_t kPickupDirect = 0x00000400;
inline constexpr std::uint32_t kPickupWaiting = 0x00000800;
inline constexpr std::uint32_t kForwardFwd = 0x00001000;
inline constexpr std::uint32_t kForwardDnd = 0x00002000;
}  // namespace address_feature

// Line device events (LINEDEVSTATE_).
namespace line_event {
inline constexpr std::uint32_t kOther = 0x00000001;
inline constexpr std::uint32_t kRinging = 0x00000002;
inline constexpr std::uint32_t kMsgWaitOn = 0x00000010;
inline constexpr std::uint32_t kMsgWaitOff = 0x00000020;
inline constexpr std::uint32_t kInService = 0x00000040;
inline constexpr std::uint32_t kOutOfService = 0x00000080;
inline constexpr std::uint32_t kNumCalls = 0x00000800;
inline constexpr std::uint32_t kNumCompletions = 0x00001000;
inline constexpr std::uint32_t kComplCancel = 0x00800000;
}  // namespace line_event

// Address events (LINEADDRESSSTATE_).
namespace address_event {
inline constexpr std::uint32_t kOther = 0x00000001;
inline constexpr std::uint32_t kInUseZero = 0x00000004;
inline constexpr std::uint32_t kInUseOne = 0x00000008;
inline constexpr std::uint32_t kInUseMany = 0x00000010;
inline constexpr std::uint32_t kNumCalls = 0x00000020;
inline constexpr std::uint32_t kForward = 0x00000040;
inline constexpr std::uint32_t kCapsChange = 0x00000100;
}  // namespace address_event

// Forwarding conditions (LINEFORWARDMODE_).
namespace forward_mode {
inline constexpr std::uint32_t kUncond = 0x00000001;
inline constexpr std::uint32_t kUncondInternal = 0x00000002;
inline constexpr std::uint32_t kUncondExternal = 0x00000004;
inline constexpr std::uint32_t kUncondSpecific = 0x00000008;
inline constexpr std::uint32_t kBusy = 0x00000010;
inline constexpr std::uint32_t kBusyInternal = 0x00000020;
inline constexpr std::uint32_t kBusyExternal = 0x00000040;
inline constexpr std::uint32_t kBusySpecific = 0x00000080;
inline constexpr std::uint32_t kNoAnsw = 0x00000100;
inline constexpr std::uint32_t kNoAnswInternal = 0x00000200;
inline constexpr std::uint32_t kNoAnswExternal = 0x00000400;
inline constexpr std::uint32_t kNoAnswSpecific = 0x00000800;
inline constexpr std::uint32_t kBusyNa = 0x00001000;
inline constexpr std::uint32_t kBusyNaInternal = 0x00002000;
inline constexpr std::uint32_t kBusyNaExternal = 0x00004000;
inline constexpr std::uint32_t kBusyNaSpecific = 0x00008000;
inline constexpr std::uint32_t kUnknown = 0x00010000;
inline constexpr std::uint32_t kUnavail = 0x00020000;
}  // namespace forward_mode

enum class ParkMode : std::uint32_t { kDirected = 0x00000001, kNonDirected = 0x00000002 };
enum class TransferMode : std::uint32_t { kTransfer = 0x00000001, kConference = 0x00000002 };
enum class CompletionMode : std::uint32_t {
  kCampOn = 0x00000001,
  kCallback = 0x00000002,
  kIntrude = 0x00000004,
  kMessage = 0x00000008,
};
namespace completion_cond {  // LINECALLCOMPLCOND_
inline constexpr std::uint32_t kBusy = 0x00000001;
inline constexpr std::uint32_t kNoAnswer = 0x00000002;
}  // namespace completion_cond

namespace remove_from_conf {  // LINEREMOVEFROMCONF_
inline constexpr std::uint32_t kNone = 0x00000001;
inline constexpr std::uint32_t kLast = 0x00000002;
inline constexpr std::uint32_t kAny = 0x00000003;
}  // namespace remove_from_conf

namespace answer_mode {  // LINEANSWERMODE_
inline constexpr std::uint32_t kNone = 0x00000001;
inline constexpr std::uint32_t kDrop = 0x00000002;
inline constexpr std::uint32_t kHold = 0x00000004;
}  // namespace answer_mode

namespace call_param_flag {  // LINECALLPARAMFLAGS_
inline constexpr std::uint32_t kSecure = 0x00000001;
inline constexpr std::uint32_t kIdle = 0x00000002;
inline constexpr std::uint32_t kBlockId = 0x00000004;
inline constexpr std::uint32_t kOrigOffhook = 0x00000008;
inline constexpr std::uint32_t kDestOffhook = 0x00000010;
inline constexpr std::uint32_t kNoHoldConference = 0x00000020;
inline constexpr std::uint32_t kPredictiveDial = 0x00000040;
inline constexpr std::uint32_t kOneStepTransfer = 0x00000080;
}  // namespace call_param_flag

namespace media_mode {  // LINEMEDIAMODE_
inline constexpr std::uint32_t kUnknown = 0x00000002;
inline constexpr std::uint32_t kInteractiveVoice = 0x00000004;
inline constexpr std::uint32_t kAutomatedVoice = 0x00000008;
inline constexpr std::uint32_t kDataModem = 0x00000010;
inline constexpr std::uint32_t kG3Fax = 0x00000020;
}  // namespace media_mode

namespace bearer_mode {  // LINEBEARERMODE_
inline constexpr std::uint32_t kVoice = 0x00000001;
inline constexpr std::uint32_t kSpeech = 0x00000002;
}  // namespace bearer_mode

namespace party_id_flag {  // LINECALLPARTYID_
inline constexpr std::uint32_t kBlocked = 0x00000001;
inline constexpr std::uint32_t kOutOfArea = 0x00000002;
inline constexpr std::uint32_t kName = 0x00000004;
inline constexpr std::uint32_t kAddress = 0x00000008;
inline constexpr std::uint32_t kPartial = 0x00000010;
inline constexpr std::uint32_t kUnknown = 0x00000020;
inline constexpr std::uint32_t kUnavail = 0x00000040;
}  // namespace party_id_flag

namespace address_cap_flag {  // LINEADDRCAPFLAGS_
inline constexpr std::uint32_t kFwdNumRings = 0x00000001;
inline constexpr std::uint32_t kPickupGroupId = 0x00000002;
inline constexpr std::uint32_t kSecure = 0x00000004;
inline constexpr std::uint32_t kBlockIdDefault = 0x00000008;
inline constexpr std::uint32_t kBlockIdOverride = 0x00000010;
inline constexpr std::uint32_t kDialed = 0x00000020;
inline constexpr std::uint32_t kOrigOffhook = 0x00000040;
inline constexpr std::uint32_t kDestOffhook = 0x00000080;
inline constexpr std::uint32_t kFwdConsult = 0x00000100;
inline constexpr std::uint32_t kSetupConfNull = 0x00000200;
inline constexpr std::uint32_t kAutoReconnect = 0x00000400;
inline constexpr std::uint32_t kCompletionId = 0x00000800;
inline constexpr std::uint32_t kTransferHeld = 0x00001000;
inline constexpr std::uint32_t kTransferMake = 0x00002000;
inline constexpr std::uint32_t kConferenceHeld = 0x00004000;
inline constexpr std::uint32_t kConferenceMake = 0x00008000;
inline constexpr std::uint32_t kPartialDial = 0x00010000;
inline constexpr std::uint32_t kFwdStatusValid = 0x00020000;
inline constexpr std::uint32_t kFwdIntExtAddr = 0x00040000;
inline constexpr std::uint32_t kFwdBusyNaAddr = 0x00080000;
inline constexpr std::uint32_t kAcceptToAlert = 0x00100000;
inline constexpr std::uint32_t kConfDrop = 0x00200000;
inline constexpr std::uint32_t kPickupCallWait = 0x00400000;
}  // namespace address_cap_flag

namespace line_cap_flag {  // LINEDEVCAPFLAGS_
inline constexpr std::uint32_t kCrossAddrConf = 0x00000001;
inline constexpr std::uint32_t kMultipleAddr = 0x00000010;
inline constexpr std::uint32_t kCloseDrop = 0x00000020;
inline constexpr std::uint32_t kDialBilling = 0x00000040;
inline constexpr std::uint32_t kDialQuiet = 0x00000080;
inline constexpr std::uint32_t kDialDialtone = 0x00000100;
inline constexpr std::uint32_t kLocal = 0x00002000;
}  // namespace line_cap_flag

namespace line_feature {  // LINEFEATURE_
inline constexpr std::uint32_t kForward = 0x00000004;
inline constexpr std::uint32_t kMakeCall = 0x00000008;
inline constexpr std::uint32_t kSetDevStatus = 0x00000040;
inline constexpr std::uint32_t kForwardFwd = 0x00000080;
inline constexpr std::uint32_t kForwardDnd = 0x00000100;
}  // namespace line_feature

namespace line_status_flag {  // LINEDEVSTATUSFLAGS_
inline constexpr std::uint32_t kConnected = 0x00000001;
inline constexpr std::uint32_t kMsgWait = 0x00000002;
inline constexpr std::uint32_t kInService = 0x00000004;
inline constexpr std::uint32_t kLocked = 0x00000008;
}  // namespace line_status_flag

namespace address_sharing {  // LINEADDRESSSHARING_
inline constexpr std::uint32_t kPrivate = 0x00000001;
}  // namespace address_sharing

}  // namespace tapir
