// Capabilities, status and information: the variably sized structures.
#include <cstddef>

#include "capi/common.h"
#include "capi/varstruct.h"

using namespace tapir;        // NOLINT: implementation file of the C API
using namespace tapir::capi;  // NOLINT

namespace {

constexpr DWORD kApi14 = 0x00010004;
constexpr DWORD kApi20 = 0x00020000;
constexpr DWORD kApi22 = 0x00020002;

// The fixed part of each structure for the version the application
// negotiated: older applications pass smaller structures.
std::size_t devCapsFixed(DWORD v) {
  if (v < kApi14) return offsetof(LINEDEVCAPS, dwLineFeatures);
  if (v < kApi20) return offsetof(LINEDEVCAPS, dwSettableDevStatus);
  if (v < kApi22) return offsetof(LINEDEVCAPS, PermanentLineGuid);
  return sizeof(LINEDEVCAPS);
}
std::size_t addressCapsFixed(DWORD v) {
  if (v < kApi14) return offsetof(LINEADDRESSCAPS, dwAddressFeatures);
  if (v < kApi20) return offsetof(LINEADDRESSCAPS, dwPredictiveAutoTransferStates);
  return sizeof(LINEADDRESSCAPS);
}
std::size_t callInfoFixed(DWORD v) {
  return v < kApi20 ? offsetof(LINECALLINFO, dwCallTreatment) : sizeof(LINECALLINFO);
}
std::size_t callStatusFixed(DWORD v) {
  return v < kApi20 ? offsetof(LINECALLSTATUS, dwCallFeatures2) : sizeof(LINECALLSTATUS);
}
std::size_t devStatusFixed(DWORD v) {
  return v < kApi20 ? offsetof(LINEDEVSTATUS, dwAvailableMediaModes) : sizeof(LINEDEVSTATUS);
}

// The dialing parameters the switch honours: it waits for nothing.
LINEDIALPARAMS dialParams() {
  LINEDIALPARAMS d{};
  d.dwDialPause = 0;
  d.dwDialSpeed = 0;
  d.dwDigitDuration = 0;
  d.dwWaitForDialtone = 0;
  return d;
}

// A party id into LINECALLINFO: flags, number and name.
template <class T>
void partyId(VarWriter<T>& w, DWORD T::*flags, DWORD T::*size, DWORD T::*offset, DWORD T::*nameSize,
             DWORD T::*nameOffset, const PartyId& p) {
  w.fixed().*flags = p.flags();
  if (p.blocked) return;
  w.string(size, offset, p.number);
  w.string(nameSize, nameOffset, p.name);
}

LONG callList(const Result<std::vector<service::CallHandle>>& calls, LPLINECALLLIST out) {
  if (!calls) return toLineErr(calls.status());
  VarWriter<LINECALLLIST> w(out);
  w.fixed().dwCallsNumEntries = static_cast<DWORD>(calls->size());
  std::vector<HCALL> handles(calls->begin(), calls->end());
  w.bytes(&LINECALLLIST::dwCallsSize, &LINECALLLIST::dwCallsOffset, handles.data(),
          handles.size() * sizeof(HCALL));
  return w.finish();
}

}  // namespace

extern "C" {

LONG WINAPI lineGetDevCaps(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion,
                           DWORD dwExtVersion, LPLINEDEVCAPS lpLineDevCaps) {
  if (dwExtVersion != 0) return err(LINEERR_INCOMPATIBLEEXTVERSION);
  VarWriter<LINEDEVCAPS> w(lpLineDevCaps, devCapsFixed(dwAPIVersion));
  if (LONG e = w.check()) return e;
  return withService([&](service::Api& api) -> LONG {
    auto caps = api.devCaps(hLineApp, dwDeviceID, dwAPIVersion);
    if (!caps) return toLineErr(caps.status());
    LINEDEVCAPS& f = w.fixed();
    w.string(&LINEDEVCAPS::dwProviderInfoSize, &LINEDEVCAPS::dwProviderInfoOffset,
             caps->providerInfo);
    w.string(&LINEDEVCAPS::dwSwitchInfoSize, &LINEDEVCAPS::dwSwitchInfoOffset, caps->switchInfo);
    w.string(&LINEDEVCAPS::dwLineNameSize, &LINEDEVCAPS::dwLineNameOffset, caps->name);
    f.dwPermanentLineID = caps->permanentLineId;
    f.dwStringFormat = STRINGFORMAT_ASCII;  // UTF-8
    f.dwAddressModes = LINEADDRESSMODE_ADDRESSID | LINEADDRESSMODE_DIALABLEADDR;
    f.dwNumAddresses = static_cast<DWORD>(caps->addresses.size());
    f.dwBearerModes = caps->bearerModes;
    f.dwMaxRate = 0;
    f.dwMediaModes = caps->mediaModes;
    f.dwGenerateDigitModes = 0;  // no media path: no digit generation
    f.dwMonitorDigitModes = LINEDIGITMODE_DTMF;
    f.dwDevCapFlags = caps->devCapFlags;
    f.dwMaxNumActiveCalls = caps->maxNumActiveCalls;
    f.dwAnswerMode = caps->answerMode;
    f.dwRingModes = caps->ringModes;
    f.dwLineStates =
        caps->lineStates | service::line_state_extra::kOpen | service::line_state_extra::kClose;
    f.MinDialParams = dialParams();
    f.MaxDialParams = dialParams();
    f.DefaultDialParams = dialParams();
    if (dwAPIVersion >= kApi14) f.dwLineFeatures = caps->lineFeatures;
#if TAPI_CURRENT_VERSION >= 0x00020000
    if (dwAPIVersion >= kApi20) {
      f.dwSettableDevStatus = 0;
      static const char kClasses[] = "tapi/line\0";  // lineGetID classes, double-NUL terminated
      w.bytes(&LINEDEVCAPS::dwDeviceClassesSize, &LINEDEVCAPS::dwDeviceClassesOffset, kClasses,
              sizeof kClasses);
    }
#endif
#if TAPI_CURRENT_VERSION >= 0x00020002
    if (dwAPIVersion >= kApi22) {
      // A stable id per device: "tapir" and the permanent line id.
      std::memset(&f.PermanentLineGuid, 0, sizeof f.PermanentLineGuid);
      f.PermanentLineGuid.Data1 = 0x74617069;  // "tapi"
      f.PermanentLineGuid.Data2 = 0x0072;      // "r"
      f.PermanentLineGuid.Data3 = static_cast<WORD>(caps->permanentLineId >> 16);
      f.PermanentLineGuid.Data4[6] = static_cast<BYTE>(caps->permanentLineId >> 8);
      f.PermanentLineGuid.Data4[7] = static_cast<BYTE>(caps->permanentLineId);
    }
#endif
    return w.finish();
  });
}

LONG WINAPI lineGetAddressCaps(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAddressID,
                               DWORD dwAPIVersion, DWORD dwExtVersion,
                               LPLINEADDRESSCAPS lpAddressCaps) {
  if (dwExtVersion != 0) return err(LINEERR_INCOMPATIBLEEXTVERSION);
  VarWriter<LINEADDRESSCAPS> w(lpAddressCaps, addressCapsFixed(dwAPIVersion));
  if (LONG e = w.check()) return e;
  return withService([&](service::Api& api) -> LONG {
    auto a = api.addressCaps(hLineApp, dwDeviceID, dwAddressID, dwAPIVersion);
    if (!a) return toLineErr(a.status());
    LINEADDRESSCAPS& f = w.fixed();
    f.dwLineDeviceID = dwDeviceID;
    w.string(&LINEADDRESSCAPS::dwAddressSize, &LINEADDRESSCAPS::dwAddressOffset, a->address);
    f.dwAddressSharing = a->addressSharing;
    f.dwAddressStates = LINEADDRESSSTATE_FORWARD;
    f.dwCallInfoStates =
        LINECALLINFOSTATE_APPSPECIFIC | LINECALLINFOSTATE_CALLID | LINECALLINFOSTATE_RELATEDCALLID |
        LINECALLINFOSTATE_ORIGIN | LINECALLINFOSTATE_REASON | LINECALLINFOSTATE_COMPLETIONID |
        LINECALLINFOSTATE_NUMOWNERINCR | LINECALLINFOSTATE_NUMOWNERDECR |
        LINECALLINFOSTATE_NUMMONITORS | LINECALLINFOSTATE_CALLERID | LINECALLINFOSTATE_CALLEDID |
        LINECALLINFOSTATE_CONNECTEDID | LINECALLINFOSTATE_REDIRECTIONID |
        LINECALLINFOSTATE_REDIRECTINGID | LINECALLINFOSTATE_OTHER;
    f.dwCallerIDFlags = a->callerIdFlags;
    f.dwCalledIDFlags = a->calledIdFlags;
    f.dwConnectedIDFlags = a->connectedIdFlags;
    f.dwRedirectionIDFlags = a->redirectionIdFlags;
    f.dwRedirectingIDFlags = a->redirectingIdFlags;
    f.dwCallStates = a->callStates;
    f.dwDialToneModes = a->dialToneModes;
    f.dwBusyModes = a->busyModes;
    f.dwSpecialInfo = a->specialInfo;
    f.dwDisconnectModes = a->disconnectModes;
    f.dwMaxNumActiveCalls = a->maxActiveCalls;
    f.dwMaxNumOnHoldCalls = a->maxOnHoldCalls;
    f.dwMaxNumOnHoldPendingCalls = a->maxOnHoldPendingCalls;
    f.dwMaxNumConference = a->maxConference;
    f.dwMaxNumTransConf = a->maxTransConf;
    f.dwAddrCapFlags = a->addrCapFlags;
    f.dwCallFeatures = a->callFeatures;
    f.dwRemoveFromConfCaps = a->removeFromConfCaps;
    f.dwRemoveFromConfState = a->removeFromConfState;
    f.dwTransferModes = a->transferModes;
    f.dwParkModes = a->parkModes;
    f.dwForwardModes = a->forwardModes;
    f.dwMaxForwardEntries = a->maxForwardEntries;
    f.dwMaxSpecificEntries = a->maxSpecificEntries;
    f.dwMinFwdNumRings = a->minFwdNumRings;
    f.dwMaxFwdNumRings = a->maxFwdNumRings;
    f.dwMaxCallCompletions = a->maxCallCompletions;
    f.dwCallCompletionConds = a->callCompletionConds;
    f.dwCallCompletionModes = a->callCompletionModes;
    // Completion messages: fixed-size entries, each NUL-padded.
    std::size_t entry = 0;
    for (const std::string& m : a->completionMessages)
      entry = std::max(entry, m.size() + 1);
    std::string texts;
    for (const std::string& m : a->completionMessages) {
      std::string padded = m;
      padded.resize(entry, '\0');
      texts += padded;
    }
    f.dwNumCompletionMessages = static_cast<DWORD>(a->completionMessages.size());
    f.dwCompletionMsgTextEntrySize = static_cast<DWORD>(entry);
    w.bytes(&LINEADDRESSCAPS::dwCompletionMsgTextSize, &LINEADDRESSCAPS::dwCompletionMsgTextOffset,
            texts.data(), texts.size());
    if (dwAPIVersion >= kApi14) f.dwAddressFeatures = a->addressFeatures;
#if TAPI_CURRENT_VERSION >= 0x00020000
    if (dwAPIVersion >= kApi20) {
      f.dwCallFeatures2 = a->callFeatures2;
      f.dwConnectedModes = a->connectedModes;
      f.dwOfferingModes = a->offeringModes;
      f.dwAvailableMediaModes = a->availableMediaModes;
      static const char kClasses[] = "tapi/line\0";
      w.bytes(&LINEADDRESSCAPS::dwDeviceClassesSize, &LINEADDRESSCAPS::dwDeviceClassesOffset,
              kClasses, sizeof kClasses);
    }
#endif
    return w.finish();
  });
}

LONG WINAPI lineGetAddressID(HLINE hLine, LPDWORD lpdwAddressID, DWORD dwAddressMode,
                             LPCSTR lpsAddress, DWORD dwSize) {
  if (lpdwAddressID == nullptr || lpsAddress == nullptr) return err(LINEERR_INVALPOINTER);
  if (dwAddressMode != LINEADDRESSMODE_DIALABLEADDR) return err(LINEERR_INVALADDRESSMODE);
  std::size_t len = 0;
  while (len < dwSize && lpsAddress[len] != '\0')
    ++len;
  const std::string address(lpsAddress, len);
  return withService([&](service::Api& api) -> LONG {
    auto id = api.addressId(hLine, address);
    if (!id) return toLineErr(id.status());
    *lpdwAddressID = *id;
    return 0;
  });
}

LONG WINAPI lineGetAddressStatus(HLINE hLine, DWORD dwAddressID,
                                 LPLINEADDRESSSTATUS lpAddressStatus) {
  VarWriter<LINEADDRESSSTATUS> w(lpAddressStatus);
  if (LONG e = w.check()) return e;
  return withService([&](service::Api& api) -> LONG {
    auto st = api.addressStatus(hLine, dwAddressID);
    if (!st) return toLineErr(st.status());
    LINEADDRESSSTATUS& f = w.fixed();
    f.dwNumInUse = st->numInUse;
    f.dwNumActiveCalls = st->numActiveCalls;
    f.dwNumOnHoldCalls = st->numOnHoldCalls;
    f.dwNumOnHoldPendCalls = st->numOnHoldPendCalls;
    f.dwAddressFeatures = st->addressFeatures;
    f.dwNumRingsNoAnswer = st->numRingsNoAnswer;
    f.dwForwardNumEntries = static_cast<DWORD>(st->forward.size());
    if (!st->forward.empty()) {
      // LINEFORWARD entries, their strings after them, offsets from the
      // start of LINEADDRESSSTATUS.
      std::size_t at = w.nextOffset() + st->forward.size() * sizeof(LINEFORWARD);
      std::vector<LINEFORWARD> entries;
      for (const ForwardEntry& e : st->forward) {
        LINEFORWARD lf{};
        lf.dwForwardMode = e.mode;
        lf.dwDestCountryCode = e.destCountryCode;
        if (!e.callerAddress.empty()) {
          lf.dwCallerAddressSize = static_cast<DWORD>(e.callerAddress.size() + 1);
          lf.dwCallerAddressOffset = static_cast<DWORD>(at);
          at += e.callerAddress.size() + 1;
        }
        if (!e.destAddress.empty()) {
          lf.dwDestAddressSize = static_cast<DWORD>(e.destAddress.size() + 1);
          lf.dwDestAddressOffset = static_cast<DWORD>(at);
          at += e.destAddress.size() + 1;
        }
        entries.push_back(lf);
      }
      w.bytes(&LINEADDRESSSTATUS::dwForwardSize, &LINEADDRESSSTATUS::dwForwardOffset,
              entries.data(), entries.size() * sizeof(LINEFORWARD));
      for (const ForwardEntry& e : st->forward) {
        if (!e.callerAddress.empty()) w.rawString(e.callerAddress);
        if (!e.destAddress.empty()) w.rawString(e.destAddress);
      }
    }
    return w.finish();
  });
}

LONG WINAPI lineGetLineDevStatus(HLINE hLine, LPLINEDEVSTATUS lpLineDevStatus) {
  return withService([&](service::Api& api) -> LONG {
    auto st = api.lineDevStatus(hLine);
    if (!st) return toLineErr(st.status());
    VarWriter<LINEDEVSTATUS> w(lpLineDevStatus, devStatusFixed(st->apiVersion));
    if (LONG e = w.check()) return e;
    LINEDEVSTATUS& f = w.fixed();
    f.dwNumOpens = st->numOpens;
    f.dwOpenMediaModes = st->openMediaModes;
    f.dwNumActiveCalls = st->status.numActiveCalls;
    f.dwNumOnHoldCalls = st->status.numOnHoldCalls;
    f.dwNumOnHoldPendCalls = st->status.numOnHoldPendCalls;
    f.dwLineFeatures = st->status.lineFeatures;
    f.dwNumCallCompletions = st->status.numCallCompletions;
    f.dwRingMode = 1;
    f.dwSignalLevel = 0xffff;
    f.dwBatteryLevel = 0xffff;
    f.dwRoamMode = LINEROAMMODE_UNAVAIL;
    f.dwDevStatusFlags = st->status.devStatusFlags;
#if TAPI_CURRENT_VERSION >= 0x00020000
    if (st->apiVersion >= kApi20)
      f.dwAvailableMediaModes = LINEMEDIAMODE_INTERACTIVEVOICE | LINEMEDIAMODE_AUTOMATEDVOICE;
#endif
    return w.finish();
  });
}

LONG WINAPI lineGetCallInfo(HCALL hCall, LPLINECALLINFO lpCallInfo) {
  if (lpCallInfo == nullptr) return err(LINEERR_INVALPOINTER);
  return withService([&](service::Api& api) -> LONG {
    auto v = api.callInfo(hCall);
    if (!v) return toLineErr(v.status());
    VarWriter<LINECALLINFO> w(lpCallInfo, callInfoFixed(v->apiVersion));
    if (LONG e = w.check()) return e;
    const CallInfo& i = v->info;
    LINECALLINFO& f = w.fixed();
    f.hLine = v->line;
    f.dwLineDeviceID = v->deviceId;
    f.dwAddressID = i.address;
    f.dwBearerMode = i.bearerMode;
    f.dwRate = 0;
    f.dwMediaMode = i.mediaMode;
    f.dwAppSpecific = v->appSpecific;
    f.dwCallID = i.callId;
    f.dwRelatedCallID = i.relatedCallId;
    f.dwCallParamFlags = i.callParamFlags;
    f.dwCallStates = v->callStates;
    f.dwMonitorDigitModes = v->monitorDigitModes;
    f.dwMonitorMediaModes = 0;
    f.DialParams = dialParams();
    f.dwOrigin = static_cast<DWORD>(i.origin);
    f.dwReason = static_cast<DWORD>(i.reason);
    f.dwCompletionID = i.completionId;
    f.dwNumOwners = v->numOwners;
    f.dwNumMonitors = v->numMonitors;
    f.dwCountryCode = 0;
    f.dwTrunk = i.trunk;
    partyId(w, &LINECALLINFO::dwCallerIDFlags, &LINECALLINFO::dwCallerIDSize,
            &LINECALLINFO::dwCallerIDOffset, &LINECALLINFO::dwCallerIDNameSize,
            &LINECALLINFO::dwCallerIDNameOffset, i.caller);
    partyId(w, &LINECALLINFO::dwCalledIDFlags, &LINECALLINFO::dwCalledIDSize,
            &LINECALLINFO::dwCalledIDOffset, &LINECALLINFO::dwCalledIDNameSize,
            &LINECALLINFO::dwCalledIDNameOffset, i.called);
    partyId(w, &LINECALLINFO::dwConnectedIDFlags, &LINECALLINFO::dwConnectedIDSize,
            &LINECALLINFO::dwConnectedIDOffset, &LINECALLINFO::dwConnectedIDNameSize,
            &LINECALLINFO::dwConnectedIDNameOffset, i.connected);
    partyId(w, &LINECALLINFO::dwRedirectionIDFlags, &LINECALLINFO::dwRedirectionIDSize,
            &LINECALLINFO::dwRedirectionIDOffset, &LINECALLINFO::dwRedirectionIDNameSize,
            &LINECALLINFO::dwRedirectionIDNameOffset, i.redirection);
    partyId(w, &LINECALLINFO::dwRedirectingIDFlags, &LINECALLINFO::dwRedirectingIDSize,
            &LINECALLINFO::dwRedirectingIDOffset, &LINECALLINFO::dwRedirectingIDNameSize,
            &LINECALLINFO::dwRedirectingIDNameOffset, i.redirecting);
    w.string(&LINECALLINFO::dwAppNameSize, &LINECALLINFO::dwAppNameOffset, v->appName);
    w.string(&LINECALLINFO::dwDisplayableAddressSize, &LINECALLINFO::dwDisplayableAddressOffset,
             i.displayableAddress);
    w.string(&LINECALLINFO::dwCalledPartySize, &LINECALLINFO::dwCalledPartyOffset, i.calledParty);
    w.string(&LINECALLINFO::dwCommentSize, &LINECALLINFO::dwCommentOffset, i.comment);
    return w.finish();
  });
}

LONG WINAPI lineGetCallStatus(HCALL hCall, LPLINECALLSTATUS lpCallStatus) {
  if (lpCallStatus == nullptr) return err(LINEERR_INVALPOINTER);
  return withService([&](service::Api& api) -> LONG {
    auto v = api.callStatus(hCall);
    if (!v) return toLineErr(v.status());
    VarWriter<LINECALLSTATUS> w(lpCallStatus, callStatusFixed(v->apiVersion));
    if (LONG e = w.check()) return e;
    LINECALLSTATUS& f = w.fixed();
    f.dwCallState = bit(v->status.state);
    f.dwCallStateMode = v->status.stateMode;
    f.dwCallPrivilege = v->privilege;
    f.dwCallFeatures = v->status.features;
#if TAPI_CURRENT_VERSION >= 0x00020000
    if (v->apiVersion >= kApi20) {
      f.dwCallFeatures2 = v->status.features2;
      // tStateEntryTime: local wall-clock time is not the switch's business;
      // left zero ("not available").
    }
#endif
    return w.finish();
  });
}

LONG WINAPI lineGetNewCalls(HLINE hLine, DWORD dwAddressID, DWORD dwSelect,
                            LPLINECALLLIST lpCallList) {
  VarWriter<LINECALLLIST> probe(lpCallList);
  if (LONG e = probe.check()) return e;
  return withService([&](service::Api& api) -> LONG {
    // The handles are made only if the list has room for them: an
    // application whose list is too small asks again with dwNeededSize and
    // must then still get them.
    auto count = api.newCallCount(hLine, dwAddressID, dwSelect);
    if (!count) return toLineErr(count.status());
    const std::size_t needed = sizeof(LINECALLLIST) + std::size_t{*count} * sizeof(HCALL);
    if (needed > readDword(&lpCallList->dwTotalSize)) {
      VarWriter<LINECALLLIST> w(lpCallList);
      w.fixed().dwCallsNumEntries = *count;
      const std::vector<HCALL> none(*count, 0);
      w.bytes(&LINECALLLIST::dwCallsSize, &LINECALLLIST::dwCallsOffset, none.data(),
              none.size() * sizeof(HCALL));
      return w.finish();  // too small: dwNeededSize only
    }
    return callList(api.newCalls(hLine, dwAddressID, dwSelect), lpCallList);
  });
}

LONG WINAPI lineGetConfRelatedCalls(HCALL hCall, LPLINECALLLIST lpCallList) {
  VarWriter<LINECALLLIST> probe(lpCallList);
  if (LONG e = probe.check()) return e;
  return withService(
      [&](service::Api& api) -> LONG { return callList(api.confRelatedCalls(hCall), lpCallList); });
}

LONG WINAPI lineGetID(HLINE hLine, DWORD dwAddressID, HCALL hCall, DWORD dwSelect,
                      LPVARSTRING lpDeviceID, LPCSTR lpszDeviceClass) {
  if (lpszDeviceClass == nullptr) return err(LINEERR_INVALPOINTER);
  VarWriter<VARSTRING> w(lpDeviceID);
  if (LONG e = w.check()) return e;
  const std::string cls = lpszDeviceClass;
  return withService([&](service::Api& api) -> LONG {
    Result<std::uint32_t> device = Status(Fault::kBadCallSelect, "select LINE, ADDRESS or CALL");
    if (dwSelect == LINECALLSELECT_LINE) {
      device = api.deviceIdOfLine(hLine);
    } else if (dwSelect == LINECALLSELECT_ADDRESS) {
      device = api.deviceIdOfLine(hLine);
      if (device) {
        auto st = api.addressStatus(hLine, dwAddressID);
        if (!st) return toLineErr(st.status());
      }
    } else if (dwSelect == LINECALLSELECT_CALL) {
      device = api.deviceIdOfCall(hCall);
    }
    if (!device) return toLineErr(device.status());
    if (strcasecmp(cls.c_str(), "tapi/line") != 0) return err(LINEERR_INVALDEVICECLASS);
    const DWORD id = *device;
    w.fixed().dwStringFormat = STRINGFORMAT_BINARY;
    w.bytes(&VARSTRING::dwStringSize, &VARSTRING::dwStringOffset, &id, sizeof id);
    return w.finish();
  });
}

LONG WINAPI lineGetProviderList(DWORD dwAPIVersion, LPLINEPROVIDERLIST lpProviderList) {
  if (dwAPIVersion < service::kMinApiVersion || dwAPIVersion > service::kMaxApiVersion)
    return err(LINEERR_INCOMPATIBLEAPIVERSION);
  VarWriter<LINEPROVIDERLIST> w(lpProviderList);
  if (LONG e = w.check()) return e;
  // One provider: the built-in switch.
  static const char kName[] = "tapir-pbx";
  LINEPROVIDERENTRY entry{};
  entry.dwPermanentProviderID = 1;
  entry.dwProviderFilenameSize = sizeof kName;
  entry.dwProviderFilenameOffset = static_cast<DWORD>(w.nextOffset() + sizeof entry);
  w.fixed().dwNumProviders = 1;
  w.bytes(&LINEPROVIDERLIST::dwProviderListSize, &LINEPROVIDERLIST::dwProviderListOffset, &entry,
          sizeof entry);
  w.rawString(std::string_view(kName, sizeof kName - 1));
  return w.finish();
}

}  // extern "C"
