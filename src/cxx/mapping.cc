#include "cxx/mapping.h"

#include <bit>

namespace tapir {

namespace {

constexpr std::uint32_t kVoice = media_mode::kInteractiveVoice | media_mode::kAutomatedVoice;
constexpr std::uint32_t kVideoMode = 0x00008000;  // LINEMEDIAMODE_VIDEO
constexpr std::uint32_t kSameBits =
    media_type::kDataModem | media_type::kG3Fax | media_type::kVideo;

Call::Cause causeOfDisconnect(std::uint32_t mode) {
  namespace dm = disconnect_mode;
  switch (mode) {
    case 0:
    case dm::kNormal:
    case dm::kUnknown:
    case dm::kPickup:
    case dm::kForwarded:
      return Call::Cause::kDisconnectNormal;
    case dm::kReject:
      return Call::Cause::kDisconnectRejected;
    case dm::kBusy:
      return Call::Cause::kDisconnectBusy;
    case dm::kNoAnswer:
      return Call::Cause::kDisconnectNoAnswer;
    case dm::kBadAddress:
    case dm::kUnreachable:
    case dm::kNumberChanged:
      return Call::Cause::kDisconnectBadAddress;
    case dm::kCancelled:
      return Call::Cause::kDisconnectCancelled;
    case dm::kBlocked:
    case dm::kDoNotDisturb:
      return Call::Cause::kDisconnectBlocked;
    default:
      return Call::Cause::kDisconnectFailed;
  }
}

}  // namespace

// TAPI 3 error values (tapi3err.h, winerror.h).
std::int32_t hresultOf(const Status& st) noexcept {
  constexpr auto h = [](std::uint32_t v) { return static_cast<std::int32_t>(v); };
  if (st.isOk()) return 0;  // S_OK
  switch (st.fault()) {
    case Fault::kBadCallHandle:
    case Fault::kBadCallState:
      return h(0x80040010);  // TAPI_E_INVALCALLSTATE
    case Fault::kNotOwner:
      return h(0x80040023);  // TAPI_E_NOTOWNER
    case Fault::kBadAddress:
      return h(0x8004000C);  // TAPI_E_INVALADDRESS
    case Fault::kOperationUnavail:
      return h(0x80040003);  // TAPI_E_NOTSUPPORTED
    case Fault::kOperationFailed:
      return h(0x80040005);  // TAPI_E_OPERATIONFAILED
    case Fault::kCallUnavail:
      return h(0x80040007);  // TAPI_E_CALLUNAVAIL
    case Fault::kResourceUnavail:
      return h(0x80040052);  // TAPI_E_RESOURCEUNAVAIL
    case Fault::kConferenceFull:
      return h(0x80040009);  // TAPI_E_CONFERENCEFULL
    case Fault::kInUse:
      return h(0x8004000B);  // TAPI_E_INUSE
    case Fault::kTargetNotFound:
      return h(0x80040026);  // TAPI_E_TARGETNOTFOUND
    case Fault::kTargetSelf:
      return h(0x80040027);  // TAPI_E_TARGETSELF
    case Fault::kBadGroupId:
      return h(0x80040017);  // TAPI_E_INVALGROUPID
    case Fault::kAddressBlocked:
      return h(0x8004002A);  // TAPI_E_ADDRESSBLOCKED
    case Fault::kBadMediaMode:
      return h(0x80040004);  // TAPI_E_INVALIDMEDIATYPE
    case Fault::kBadPrivilege:
      return h(0x8004000F);  // TAPI_E_INVALCALLPRIVILEGE
    case Fault::kBadCallParams:
      return h(0x8004000E);  // TAPI_E_INVALCALLPARAMS
    case Fault::kBadCompletionId:
      return h(0x80040012);  // TAPI_E_INVALCOMPLETIONID
    case Fault::kCompletionOverrun:
      return h(0x80040008);  // TAPI_E_COMPLETIONOVERRUN
    case Fault::kBadCountryCode:
      return h(0x80040013);  // TAPI_E_INVALCOUNTRYCODE
    case Fault::kBadLocation:
      return h(0x80040018);  // TAPI_E_INVALLOCATION
    case Fault::kBadCard:
      return h(0x80040011);  // TAPI_E_INVALCARD
    case Fault::kBadParkMode:
      return h(0x8004001A);  // TAPI_E_INVALPARKID
    case Fault::kBadTransferMode:
    case Fault::kBadCompletionMode:
      return h(0x8004001F);  // TAPI_E_INVALMODE
    case Fault::kNoConference:
      return h(0x80040020);  // TAPI_E_NOCONFERENCE
    case Fault::kBadDeviceId:
      return h(0x80040021);  // TAPI_E_NODEVICE
    case Fault::kDialBilling:
    case Fault::kDialQuiet:
    case Fault::kDialDialtone:
    case Fault::kDialPrompt:
      return h(0x8004000A);  // TAPI_E_DIALMODIFIERNOTSUPPORTED
    case Fault::kUserUserInfoTooBig:
      return h(0x80040028);  // TAPI_E_USERUSERINFOTOOBIG
    case Fault::kReinit:
      return h(0x80040029);  // TAPI_E_REINIT
    case Fault::kUninitialized:
      return h(0x80040059);  // TAPI_E_NOT_INITIALIZED
    case Fault::kDestBusy:
      return h(0x80040034);  // TAPI_E_DESTBUSY
    case Fault::kDestNoAnswer:
      return h(0x80040035);  // TAPI_E_DESTNOANSWER
    case Fault::kDestUnavail:
      return h(0x80040036);  // TAPI_E_DESTUNAVAIL
    case Fault::kNoMemory:
      return h(0x8007000E);  // E_OUTOFMEMORY
    case Fault::kBadPointer:
      return h(0x80004003);  // E_POINTER
    default:
      break;
  }
  switch (st.code()) {
    case Code::kDeadlineExceeded:
      return h(0x80040044);  // TAPI_E_TIMEOUT
    case Code::kInvalidArgument:
      return h(0x80070057);  // E_INVALIDARG
    case Code::kUnimplemented:
      return h(0x80040003);  // TAPI_E_NOTSUPPORTED
    case Code::kResourceExhausted:
      return h(0x8007000E);  // E_OUTOFMEMORY
    case Code::kCancelled:
      return h(0x80040038);  // TAPI_E_REQUESTCANCELLED
    default:
      return h(0x80004005);  // E_FAIL
  }
}

std::uint32_t eventKind(const Event& e) noexcept {
  struct Kind {
    std::uint32_t operator()(const CallStateEvent&) const { return event_kind::kCallState; }
    std::uint32_t operator()(const CallNotificationEvent&) const {
      return event_kind::kCallNotification;
    }
    std::uint32_t operator()(const CallInfoChangeEvent&) const {
      return event_kind::kCallInfoChange;
    }
    std::uint32_t operator()(const CallHubEvent&) const { return event_kind::kCallHub; }
    std::uint32_t operator()(const AddressEvent&) const { return event_kind::kAddress; }
    std::uint32_t operator()(const TapiObjectEvent&) const { return event_kind::kTapiObject; }
    std::uint32_t operator()(const OperationEvent&) const { return event_kind::kOperation; }
  };
  return std::visit(Kind{}, e);
}

void ForwardInfo::setForwardType(std::uint32_t mode, std::string destination, std::string caller) {
  std::erase_if(entries, [mode](const ForwardEntry& e) { return e.mode == mode; });
  ForwardEntry e;
  e.mode = mode;
  e.destAddress = std::move(destination);
  e.callerAddress = std::move(caller);
  entries.push_back(std::move(e));
}

namespace detail {

std::optional<std::pair<Call::State, Call::Cause>> mapState(CallState s, std::uint32_t mode) {
  using S = Call::State;
  using C = Call::Cause;
  switch (s) {
    case CallState::kIdle:
      return std::pair{S::kDisconnected, C::kDisconnectNormal};
    case CallState::kOffering:
    case CallState::kAccepted:
      return std::pair{S::kOffering, C::kNone};
    case CallState::kDialtone:
    case CallState::kDialing:
    case CallState::kProceeding:
    case CallState::kRingback:
      return std::pair{S::kInProgress, C::kNone};
    case CallState::kBusy:
      return std::pair{S::kDisconnected, C::kDisconnectBusy};
    case CallState::kSpecialInfo:
      return std::pair{S::kDisconnected, mode == special_info::kCustIrreg ? C::kDisconnectBadAddress
                                                                          : C::kDisconnectFailed};
    case CallState::kConnected:
    case CallState::kConferenced:
      return std::pair{S::kConnected, C::kNone};
    case CallState::kOnHold:
    case CallState::kOnHoldPendConf:
    case CallState::kOnHoldPendTransfer:
      return std::pair{S::kHold, C::kNone};
    case CallState::kDisconnected:
      return std::pair{S::kDisconnected, causeOfDisconnect(mode)};
    case CallState::kUnknown:
      return std::nullopt;
  }
  return std::nullopt;
}

Status statusForCause(Call::Cause cause) {
  using C = Call::Cause;
  switch (cause) {
    case C::kDisconnectBusy:
      return Status(Fault::kDestBusy, "the destination is busy");
    case C::kDisconnectNoAnswer:
      return Status(Fault::kDestNoAnswer, "the destination did not answer");
    case C::kDisconnectBadAddress:
      return Status(Fault::kBadAddress, "the destination address is not valid");
    case C::kDisconnectBlocked:
      return Status(Fault::kAddressBlocked, "the destination is blocked");
    case C::kDisconnectCancelled:
      return Status(Code::kCancelled, "the call was cancelled");
    case C::kDisconnectRejected:
      return Status(Fault::kDestUnavail, "the destination rejected the call");
    case C::kDisconnectNormal:
      return Status(Fault::kDestUnavail, "the call ended before it connected");
    default:
      return Status(Fault::kOperationFailed, "the call failed");
  }
}

CallInfoChangeEvent::Cause infoChangeCause(std::uint32_t bit) {
  using C = CallInfoChangeEvent::Cause;
  // By LINECALLINFOSTATE_ bit position, 0 (OTHER) to 30 (CALLDATA).
  static constexpr C kByBit[] = {
      C::kOther,
      C::kDevSpecific,
      C::kBearerMode,
      C::kRate,
      C::kMediaType,
      C::kAppSpecific,
      C::kCallId,
      C::kRelatedCallId,
      C::kOrigin,
      C::kReason,
      C::kCompletionId,
      C::kNumOwnerIncr,
      C::kNumOwnerDecr,
      C::kNumMonitors,
      C::kTrunk,
      C::kCallerId,
      C::kCalledId,
      C::kConnectedId,
      C::kRedirectionId,
      C::kRedirectingId,
      C::kOther /*DISPLAY*/,
      C::kUserUserInfo,
      C::kHighLevelComp,
      C::kLowLevelComp,
      C::kChargingInfo,
      C::kOther /*TERMINAL*/,
      C::kOther /*DIALPARAMS*/,
      C::kOther /*MONITORMODES*/,
      C::kTreatment,
      C::kOther /*QOS*/,
      C::kCallData,
  };
  const int i = std::countr_zero(bit);
  return i < static_cast<int>(std::size(kByBit)) ? kByBit[i] : C::kOther;
}

std::uint32_t toMediaModes(std::uint32_t types, std::uint32_t lineModes) {
  std::uint32_t modes = types & kSameBits;  // data modem, G3 fax and video share their bits
  if (types & media_type::kAudio) modes |= kVoice;
  return modes & lineModes;
}

std::uint32_t fromMediaModes(std::uint32_t modes) {
  std::uint32_t types = modes & kSameBits;
  if (modes & kVoice) types |= media_type::kAudio;
  return types;
}

std::uint32_t callMediaMode(std::uint32_t types, std::uint32_t lineModes) {
  const std::uint32_t modes = toMediaModes(types, lineModes);
  for (std::uint32_t m : {media_mode::kInteractiveVoice, media_mode::kAutomatedVoice,
                          media_mode::kDataModem, media_mode::kG3Fax, kVideoMode}) {
    if (modes & m) return m;
  }
  return 0;
}

}  // namespace detail
}  // namespace tapir
