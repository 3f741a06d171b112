#include "capi/lineerr.h"

namespace tapir::capi {

namespace {

DWORD byFault(Fault f) {
  switch (f) {
    case Fault::kNone:
      return 0;
    case Fault::kBadCallHandle:
      return LINEERR_INVALCALLHANDLE;
    case Fault::kBadConfCallHandle:
      return LINEERR_INVALCONFCALLHANDLE;
    case Fault::kBadConsultCallHandle:
      return LINEERR_INVALCONSULTCALLHANDLE;
    case Fault::kBadLineHandle:
      return LINEERR_INVALLINEHANDLE;
    case Fault::kBadDeviceId:
      return LINEERR_BADDEVICEID;
    case Fault::kBadAppHandle:
      return LINEERR_INVALAPPHANDLE;
    case Fault::kBadAddressId:
      return LINEERR_INVALADDRESSID;
    case Fault::kBadAddress:
      return LINEERR_INVALADDRESS;
    case Fault::kBadCallState:
      return LINEERR_INVALCALLSTATE;
    case Fault::kBadLineState:
      return LINEERR_INVALLINESTATE;
    case Fault::kBadParam:
      return LINEERR_INVALPARAM;
    case Fault::kBadPointer:
      return LINEERR_INVALPOINTER;
    case Fault::kBadCallParams:
      return LINEERR_INVALCALLPARAMS;
    case Fault::kBadMediaMode:
      return LINEERR_INVALMEDIAMODE;
    case Fault::kBadAddressMode:
      return LINEERR_INVALADDRESSMODE;
    case Fault::kBadPrivilege:
      return LINEERR_INVALCALLPRIVILEGE;
    case Fault::kBadPrivSelect:
      return LINEERR_INVALPRIVSELECT;
    case Fault::kBadAddressState:
      return LINEERR_INVALADDRESSSTATE;
    case Fault::kBadAppName:
      return LINEERR_INVALAPPNAME;
    case Fault::kBadRequestMode:
      return LINEERR_INVALREQUESTMODE;
    case Fault::kBadCallSelect:
      return LINEERR_INVALCALLSELECT;
    case Fault::kBadDigitMode:
      return LINEERR_INVALDIGITMODE;
    case Fault::kBadParkMode:
      return LINEERR_INVALPARKMODE;
    case Fault::kBadTransferMode:
      return LINEERR_INVALTRANSFERMODE;
    case Fault::kBadCompletionMode:
      return LINEERR_INVALCALLCOMPLMODE;
    case Fault::kBadCompletionId:
      return LINEERR_INVALCOMPLETIONID;
    case Fault::kCompletionOverrun:
      return LINEERR_COMPLETIONOVERRUN;
    case Fault::kBadMessageId:
      return LINEERR_INVALMESSAGEID;
    case Fault::kBadCountryCode:
      return LINEERR_INVALCOUNTRYCODE;
    case Fault::kBadGroupId:
      return LINEERR_INVALGROUPID;
    case Fault::kBadLocation:
      return LINEERR_INVALLOCATION;
    case Fault::kBadCard:
      return LINEERR_INVALCARD;
    case Fault::kConferenceFull:
      return LINEERR_CONFERENCEFULL;
    case Fault::kNoConference:
      return LINEERR_NOCONFERENCE;
    case Fault::kCallUnavail:
      return LINEERR_CALLUNAVAIL;
    case Fault::kResourceUnavail:
      return LINEERR_RESOURCEUNAVAIL;
    case Fault::kOperationUnavail:
      return LINEERR_OPERATIONUNAVAIL;
    case Fault::kOperationFailed:
      return LINEERR_OPERATIONFAILED;
    case Fault::kAddressBlocked:
      return LINEERR_ADDRESSBLOCKED;
    case Fault::kInUse:
      return LINEERR_INUSE;
    case Fault::kDialBilling:
      return LINEERR_DIALBILLING;
    case Fault::kDialQuiet:
      return LINEERR_DIALQUIET;
    case Fault::kDialDialtone:
      return LINEERR_DIALDIALTONE;
    case Fault::kDialPrompt:
      return LINEERR_DIALPROMPT;
    case Fault::kNotOwner:
      return LINEERR_NOTOWNER;
    case Fault::kTargetNotFound:
      return LINEERR_TARGETNOTFOUND;
    case Fault::kTargetSelf:
      return LINEERR_TARGETSELF;
    case Fault::kStructureTooSmall:
      return LINEERR_STRUCTURETOOSMALL;
    case Fault::kUserUserInfoTooBig:
      return LINEERR_USERUSERINFOTOOBIG;
    case Fault::kNoMemory:
      return LINEERR_NOMEM;
    case Fault::kUninitialized:
      return LINEERR_UNINITIALIZED;
    case Fault::kIncompatibleVersion:
      return LINEERR_INCOMPATIBLEAPIVERSION;
    case Fault::kReinit:
      return LINEERR_REINIT;
    case Fault::kIniFileCorrupt:
      return LINEERR_INIFILECORRUPT;
    case Fault::kDestBusy:
    case Fault::kDestNoAnswer:
    case Fault::kDestUnavail:
      return LINEERR_OPERATIONFAILED;  // C++ API outcomes only
  }
  return LINEERR_OPERATIONFAILED;
}

// Statuses without a fault (rare: library errors) by canonical code.
DWORD byCode(Code c) {
  switch (c) {
    case Code::kOk:
      return 0;
    case Code::kInvalidArgument:
    case Code::kOutOfRange:
      return LINEERR_INVALPARAM;
    case Code::kResourceExhausted:
      return LINEERR_RESOURCEUNAVAIL;
    case Code::kUnimplemented:
      return LINEERR_OPERATIONUNAVAIL;
    case Code::kUnavailable:
      return LINEERR_RESOURCEUNAVAIL;
    default:
      return LINEERR_OPERATIONFAILED;
  }
}

}  // namespace

LONG toLineErr(const Status& status) {
  if (status.isOk()) return 0;
  const DWORD err =
      status.fault() != Fault::kNone ? byFault(status.fault()) : byCode(status.code());
  return static_cast<LONG>(err);
}

}  // namespace tapir::capi
