// Lines and addresses: capabilities, status, identifiers, rings, the media
// functions the switch does not offer, and assisted telephony
// (lineGetDevCaps, lineGetAddressCaps, lineGetAddressID, lineGetAddressStatus,
// lineGetLineDevStatus, lineGetID, lineGetProviderList, lineSetNumRings,
// lineGetNumRings, lineGetNewCalls, lineGenerateDigits & co.,
// lineRegisterRequestRecipient, lineGetRequest, tapiRequestMakeCall).
#include "conformance.h"

namespace tapir::conformance {
namespace {

class LineTest : public CapiTest {};

TEST_F(LineTest, DevCaps) {
  App& a = app();
  Var<LINEDEVCAPS> caps;
  ASSERT_EQ(rc(lineGetDevCaps(a.h, dev(203), kV22, 0, caps.get())), kOk);
  EXPECT_EQ(caps->dwNumAddresses, 1u) << "one address per station";
  EXPECT_EQ(caps->dwStringFormat, static_cast<DWORD>(STRINGFORMAT_ASCII));
  EXPECT_NE(caps->dwMediaModes & kVoice, 0u);
  EXPECT_NE(caps->dwBearerModes & LINEBEARERMODE_VOICE, 0u);
  EXPECT_EQ(caps->dwMaxNumActiveCalls, 1u);
  EXPECT_NE(caps->dwLineFeatures & LINEFEATURE_MAKECALL, 0u);
  EXPECT_NE(caps->dwLineStates & LINEDEVSTATE_RINGING, 0u);
  EXPECT_NE(caps->dwLineStates & LINEDEVSTATE_OPEN, 0u);
  EXPECT_EQ(caps->dwPermanentLineID, dev(203));
  EXPECT_FALSE(VSTR(caps, LINEDEVCAPS, LineName).empty());
  EXPECT_FALSE(VSTR(caps, LINEDEVCAPS, ProviderInfo).empty());
  EXPECT_EQ(VSTR(caps, LINEDEVCAPS, SwitchInfo), "demo");
  EXPECT_EQ(caps->dwNeededSize, caps->dwUsedSize);
  // Device classes for lineGetID: a double-NUL-terminated list.
  ASSERT_GT(caps->dwDeviceClassesSize, 0u);
  EXPECT_STREQ(reinterpret_cast<const char*>(caps.bytes() + caps->dwDeviceClassesOffset),
               "tapi/line");
}

TEST_F(LineTest, DevCapsErrors) {
  App& a = app();
  Var<LINEDEVCAPS> caps;
  EXPECT_EQ(rc(lineGetDevCaps(a.h, 8, kV22, 0, caps.get())), E(LINEERR_BADDEVICEID));
  EXPECT_EQ(rc(lineGetDevCaps(a.h + 1000, 0, kV22, 0, caps.get())), E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineGetDevCaps(a.h, 0, 0x00030000, 0, caps.get())),
            E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineGetDevCaps(a.h, 0, kV22, 0x00010000, caps.get())),
            E(LINEERR_INCOMPATIBLEEXTVERSION));
  EXPECT_EQ(rc(lineGetDevCaps(a.h, 0, kV22, 0, nullptr)), E(LINEERR_INVALPOINTER));
}

TEST_F(LineTest, AddressCaps) {
  App& a = app();
  Var<LINEADDRESSCAPS> caps;
  ASSERT_EQ(rc(lineGetAddressCaps(a.h, dev(204), 0, kV22, 0, caps.get())), kOk);
  EXPECT_EQ(VSTR(caps, LINEADDRESSCAPS, Address), "204");
  EXPECT_EQ(caps->dwLineDeviceID, dev(204));
  EXPECT_EQ(caps->dwMaxNumConference, 8u) << "the demo switch's conference_max";
  EXPECT_EQ(caps->dwMaxNumActiveCalls, 1u);
  EXPECT_EQ(caps->dwParkModes,
            static_cast<DWORD>(LINEPARKMODE_DIRECTED | LINEPARKMODE_NONDIRECTED));
  EXPECT_EQ(caps->dwTransferModes,
            static_cast<DWORD>(LINETRANSFERMODE_TRANSFER | LINETRANSFERMODE_CONFERENCE));
  EXPECT_NE(caps->dwForwardModes & LINEFORWARDMODE_UNCOND, 0u);
  EXPECT_NE(caps->dwForwardModes & LINEFORWARDMODE_BUSYNA, 0u);
  EXPECT_EQ(caps->dwCallCompletionModes,
            static_cast<DWORD>(LINECALLCOMPLMODE_CAMPON | LINECALLCOMPLMODE_CALLBACK |
                               LINECALLCOMPLMODE_INTRUDE | LINECALLCOMPLMODE_MESSAGE));
  EXPECT_NE(caps->dwCallFeatures & LINECALLFEATURE_ANSWER, 0u);
  EXPECT_NE(caps->dwCallFeatures & LINECALLFEATURE_PARK, 0u);
  EXPECT_NE(caps->dwAddressFeatures & LINEADDRFEATURE_PICKUPGROUP, 0u);
  EXPECT_NE(caps->dwAddressFeatures & LINEADDRFEATURE_UNPARK, 0u);
  EXPECT_NE(caps->dwAddrCapFlags & LINEADDRCAPFLAGS_PICKUPGROUPID, 0u);
  EXPECT_EQ(caps->dwRemoveFromConfCaps, static_cast<DWORD>(LINEREMOVEFROMCONF_ANY));
  EXPECT_NE(caps->dwCallStates & LINECALLSTATE_ONHOLDPENDCONF, 0u);
  EXPECT_EQ(caps->dwNeededSize, caps->dwUsedSize);
  // Completion messages: dwNumCompletionMessages entries of dwCompletionMsgTextEntrySize.
  EXPECT_EQ(caps->dwCompletionMsgTextSize,
            caps->dwNumCompletionMessages * caps->dwCompletionMsgTextEntrySize);
}

TEST_F(LineTest, AddressCapsErrors) {
  App& a = app();
  Var<LINEADDRESSCAPS> caps;
  EXPECT_EQ(rc(lineGetAddressCaps(a.h, 0, 1, kV22, 0, caps.get())), E(LINEERR_INVALADDRESSID));
  EXPECT_EQ(rc(lineGetAddressCaps(a.h, 8, 0, kV22, 0, caps.get())), E(LINEERR_BADDEVICEID));
  EXPECT_EQ(rc(lineGetAddressCaps(a.h + 1000, 0, 0, kV22, 0, caps.get())),
            E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineGetAddressCaps(a.h, 0, 0, 0x00010002, 0, caps.get())),
            E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineGetAddressCaps(a.h, 0, 0, kV22, 7, caps.get())),
            E(LINEERR_INCOMPATIBLEEXTVERSION));
  EXPECT_EQ(rc(lineGetAddressCaps(a.h, 0, 0, kV22, 0, nullptr)), E(LINEERR_INVALPOINTER));
}

TEST_F(LineTest, AddressId) {
  App& a = app();
  const HLINE line = a.open(206);
  DWORD id = 99;
  ASSERT_EQ(rc(lineGetAddressID(line, &id, LINEADDRESSMODE_DIALABLEADDR, "206", 4)), kOk);
  EXPECT_EQ(id, 0u);
  // dwSize bounds the string: "2061" cut to 3 bytes is "206".
  id = 99;
  ASSERT_EQ(rc(lineGetAddressID(line, &id, LINEADDRESSMODE_DIALABLEADDR, "2061", 3)), kOk);
  EXPECT_EQ(id, 0u);
  EXPECT_EQ(rc(lineGetAddressID(line, &id, LINEADDRESSMODE_DIALABLEADDR, "207", 4)),
            E(LINEERR_INVALADDRESS));
  EXPECT_EQ(rc(lineGetAddressID(line, &id, LINEADDRESSMODE_ADDRESSID, "206", 4)),
            E(LINEERR_INVALADDRESSMODE));
  EXPECT_EQ(rc(lineGetAddressID(line + 1000, &id, LINEADDRESSMODE_DIALABLEADDR, "206", 4)),
            E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineGetAddressID(line, nullptr, LINEADDRESSMODE_DIALABLEADDR, "206", 4)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineGetAddressID(line, &id, LINEADDRESSMODE_DIALABLEADDR, nullptr, 4)),
            E(LINEERR_INVALPOINTER));
}

TEST_F(LineTest, AddressStatusFollowsTheCalls) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  const HLINE lb = b.open(202);
  Var<LINEADDRESSSTATUS> st;
  ASSERT_EQ(rc(lineGetAddressStatus(la, 0, st.get())), kOk);
  EXPECT_EQ(st->dwNumInUse, 0u);
  EXPECT_EQ(st->dwNumActiveCalls, 0u);
  EXPECT_NE(st->dwAddressFeatures & LINEADDRFEATURE_MAKECALL, 0u);
  EXPECT_EQ(st->dwForwardNumEntries, 0u);
  const Pair p = connect(a, la, b, lb, "202");
  ASSERT_EQ(rc(lineGetAddressStatus(la, 0, st.get())), kOk);
  EXPECT_EQ(st->dwNumInUse, 1u);
  EXPECT_EQ(st->dwNumActiveCalls, 1u);
  EXPECT_OK(a, lineHold(p.a));
  ASSERT_EQ(rc(lineGetAddressStatus(la, 0, st.get())), kOk);
  EXPECT_EQ(st->dwNumActiveCalls, 0u);
  EXPECT_EQ(st->dwNumOnHoldCalls, 1u);
  // Errors.
  EXPECT_EQ(rc(lineGetAddressStatus(la, 1, st.get())), E(LINEERR_INVALADDRESSID));
  EXPECT_EQ(rc(lineGetAddressStatus(la + 1000, 0, st.get())), E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineGetAddressStatus(la, 0, nullptr)), E(LINEERR_INVALPOINTER));
}

TEST_F(LineTest, LineDevStatusCountsOpens) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(203, kOwner, kVoice);
  b.open(203, kMonitor, 0);
  b.open(203, kOwner, LINEMEDIAMODE_AUTOMATEDVOICE);
  Var<LINEDEVSTATUS> st;
  ASSERT_EQ(rc(lineGetLineDevStatus(la, st.get())), kOk);
  EXPECT_EQ(st->dwNumOpens, 3u);
  EXPECT_EQ(st->dwOpenMediaModes, static_cast<DWORD>(kVoice | LINEMEDIAMODE_AUTOMATEDVOICE))
      << "the media modes of the owner opens";
  EXPECT_EQ(st->dwNumActiveCalls, 0u);
  EXPECT_NE(st->dwLineFeatures & LINEFEATURE_MAKECALL, 0u);
  EXPECT_EQ(rc(lineGetLineDevStatus(la + 1000, st.get())), E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineGetLineDevStatus(la, nullptr)), E(LINEERR_INVALPOINTER));
}

TEST_F(LineTest, GetIdForLineAddressAndCall) {
  App& a = app();
  const HLINE line = a.open(207);
  Var<VARSTRING> id;
  ASSERT_EQ(rc(lineGetID(line, 0, 0, LINECALLSELECT_LINE, id.get(), "tapi/line")), kOk);
  EXPECT_EQ(id->dwStringFormat, static_cast<DWORD>(STRINGFORMAT_BINARY));
  ASSERT_EQ(id->dwStringSize, sizeof(DWORD));
  EXPECT_EQ(id.at(id->dwStringOffset), dev(207));
  ASSERT_EQ(rc(lineGetID(line, 0, 0, LINECALLSELECT_ADDRESS, id.get(), "TAPI/Line")), kOk)
      << "device classes compare without case";
  EXPECT_EQ(id.at(id->dwStringOffset), dev(207));
  const HCALL call = makeCall(a, line, "208");
  ASSERT_EQ(rc(lineGetID(0, 0, call, LINECALLSELECT_CALL, id.get(), "tapi/line")), kOk);
  EXPECT_EQ(id.at(id->dwStringOffset), dev(207));
  // Errors.
  EXPECT_EQ(rc(lineGetID(line, 0, 0, LINECALLSELECT_LINE, id.get(), "wave/in")),
            E(LINEERR_INVALDEVICECLASS));
  EXPECT_EQ(rc(lineGetID(line, 0, 0, 0x40, id.get(), "tapi/line")), E(LINEERR_INVALCALLSELECT));
  EXPECT_EQ(rc(lineGetID(line, 1, 0, LINECALLSELECT_ADDRESS, id.get(), "tapi/line")),
            E(LINEERR_INVALADDRESSID));
  EXPECT_EQ(rc(lineGetID(line + 1000, 0, 0, LINECALLSELECT_LINE, id.get(), "tapi/line")),
            E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineGetID(0, 0, call + 1000, LINECALLSELECT_CALL, id.get(), "tapi/line")),
            E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineGetID(line, 0, 0, LINECALLSELECT_LINE, id.get(), nullptr)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineGetID(line, 0, 0, LINECALLSELECT_LINE, nullptr, "tapi/line")),
            E(LINEERR_INVALPOINTER));
}

TEST_F(LineTest, ProviderList) {
  Var<LINEPROVIDERLIST> list;
  ASSERT_EQ(rc(lineGetProviderList(kV22, list.get())), kOk) << "needs no initialization";
  ASSERT_EQ(list->dwNumProviders, 1u);
  LINEPROVIDERENTRY e;
  std::memcpy(&e, list.bytes() + list->dwProviderListOffset, sizeof e);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(list.bytes() + e.dwProviderFilenameOffset)),
            "tapir-pbx");
  EXPECT_EQ(rc(lineGetProviderList(0x00030000, list.get())), E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineGetProviderList(kV22, nullptr)), E(LINEERR_INVALPOINTER));
}

TEST_F(LineTest, NumRingsIsTheSmallestAnyOpenAsked) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  const HLINE lb = b.open(201, kMonitor, 0);
  DWORD n = 0;
  ASSERT_EQ(rc(lineGetNumRings(la, 0, &n)), kOk);
  EXPECT_EQ(n, 0xFFFFFFFFu) << "nobody asked: no limit";
  ASSERT_EQ(rc(lineSetNumRings(la, 0, 5)), kOk);
  ASSERT_EQ(rc(lineSetNumRings(lb, 0, 3)), kOk);
  ASSERT_EQ(rc(lineGetNumRings(la, 0, &n)), kOk);
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(rc(lineSetNumRings(la, 1, 2)), E(LINEERR_INVALADDRESSID));
  EXPECT_EQ(rc(lineSetNumRings(la + 1000, 0, 2)), E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineGetNumRings(la, 0, nullptr)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineGetNumRings(la, 1, &n)), E(LINEERR_INVALADDRESSID));
  // A closed line's request no longer counts.
  ASSERT_EQ(rc(lineClose(lb)), kOk);
  ASSERT_EQ(rc(lineGetNumRings(la, 0, &n)), kOk);
  EXPECT_EQ(n, 5u);
}

TEST_F(LineTest, NumRingsDoNotSurviveTheService) {
  if (remote()) GTEST_SKIP() << "remote mode: tapird keeps running across lineShutdown, so no new service hands out the same handles again";
  // The service restarts with the next lineInitialize and hands out the same
  // handle values again: a value set in an earlier run must not apply to a
  // new open that happens to get the same HLINE.
  HLINE first = 0;
  {
    App& a = app();
    first = a.open(201);
    ASSERT_EQ(rc(lineSetNumRings(first, 0, 2)), kOk);
    ASSERT_EQ(rc(a.shutdown()), kOk);
  }
  App& b = app();
  const HLINE again = b.open(201);
  ASSERT_EQ(again, first) << "handles restart with the service (else this test proves nothing)";
  DWORD n = 0;
  ASSERT_EQ(rc(lineGetNumRings(again, 0, &n)), kOk);
  EXPECT_EQ(n, 0xFFFFFFFFu);
}

TEST_F(LineTest, NewCallsErrors) {
  App& a = app();
  const HLINE line = a.open(201, kMonitor, 0);
  Var<LINECALLLIST> list;
  EXPECT_EQ(rc(lineGetNewCalls(line, 0, LINECALLSELECT_CALL, list.get())),
            E(LINEERR_INVALCALLSELECT));
  EXPECT_EQ(rc(lineGetNewCalls(line, 1, LINECALLSELECT_ADDRESS, list.get())),
            E(LINEERR_INVALADDRESSID));
  EXPECT_EQ(rc(lineGetNewCalls(line + 1000, 0, LINECALLSELECT_LINE, list.get())),
            E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineGetNewCalls(line, 0, LINECALLSELECT_LINE, nullptr)), E(LINEERR_INVALPOINTER));
}

TEST_F(LineTest, MediaFunctionsAreUnavailableAfterTheUsualChecks) {
  // The switch has no media path: these functions check their handles (and
  // ownership where the reference lists LINEERR_NOTOWNER) and then answer
  // LINEERR_OPERATIONUNAVAIL; the capabilities say so (no generate modes).
  App& a = app();
  App& m = app();
  const HLINE la = a.open(201);
  const HLINE lm = m.open(201, kMonitor, 0);
  App& b = app();
  b.open(202);
  const HCALL call = makeCall(a, la, "202");
  const HCALL watched = m.newestCall(lm);
  ASSERT_NE(watched, 0u);
  EXPECT_EQ(rc(lineGenerateDigits(call, LINEDIGITMODE_DTMF, "123", 0)),
            E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineGenerateDigits(watched, LINEDIGITMODE_DTMF, "123", 0)), E(LINEERR_NOTOWNER));
  EXPECT_EQ(rc(lineGenerateDigits(call + 1000, LINEDIGITMODE_DTMF, "1", 0)),
            E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineGenerateTone(call, LINETONEMODE_BEEP, 100, 0, nullptr)),
            E(LINEERR_OPERATIONUNAVAIL));
  char buf[8];
  EXPECT_EQ(rc(lineGatherDigits(call, LINEDIGITMODE_DTMF, buf, 8, "#", 1000, 1000)),
            E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineMonitorMedia(call, kVoice)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineMonitorMedia(call + 1000, kVoice)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineSetMediaMode(call, kVoice)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineSetMediaMode(call + 1000, kVoice)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineSetCallData(call, buf, 1)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineSetLineDevStatus(la, LINEDEVSTATUSFLAGS_MSGWAIT, 1)),
            E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineSetLineDevStatus(la + 1000, LINEDEVSTATUSFLAGS_MSGWAIT, 1)),
            E(LINEERR_INVALLINEHANDLE));
  Var<VARSTRING> cfg;
  EXPECT_EQ(rc(lineGetDevConfig(0, cfg.get(), "tapi/line")), E(LINEERR_INVALDEVICECLASS));
  EXPECT_EQ(rc(lineGetDevConfig(8, cfg.get(), "tapi/line")), E(LINEERR_BADDEVICEID));
  Var<LINEDEVCAPS> caps;
  ASSERT_EQ(rc(lineGetDevCaps(a.h, 0, kV22, 0, caps.get())), kOk);
  EXPECT_EQ(caps->dwGenerateDigitModes, 0u);
}

TEST_F(LineTest, OtherFunctionsTheSwitchDoesNotOffer) {
  App& a = app();
  App& m = app();
  const HLINE la = a.open(201);
  const HLINE lm = m.open(201, kMonitor, 0);
  app().open(202);
  const HCALL call = makeCall(a, la, "202");
  const HCALL watched = m.newestCall(lm);
  char buf[8] = {};
  EXPECT_EQ(rc(lineSetCallParams(call, LINEBEARERMODE_VOICE, 0, 0, nullptr)),
            E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineSetCallParams(watched, LINEBEARERMODE_VOICE, 0, 0, nullptr)),
            E(LINEERR_NOTOWNER));
  EXPECT_EQ(rc(lineSetCallTreatment(call, 1)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineSetCallQualityOfService(call, buf, 1, buf, 1)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineSendUserUserInfo(call, buf, 1)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineReleaseUserUserInfo(call)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineReleaseUserUserInfo(call + 1000)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineDevSpecific(la, 0, call, buf, 1)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineDevSpecific(la + 1000, 0, call, buf, 1)), E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineDevSpecificFeature(la, 1, buf, 1)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineSetTerminal(la, 0, call, LINECALLSELECT_CALL, LINETERMMODE_BUTTONS, 0, TRUE)),
            E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineSetMediaControl(la, 0, call, LINECALLSELECT_CALL, nullptr, 0, nullptr, 0,
                                   nullptr, 0, nullptr, 0)),
            E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineSetDevConfig(0, buf, 1, "tapi/line")), E(LINEERR_INVALDEVICECLASS));
  EXPECT_EQ(rc(lineSetDevConfig(8, buf, 1, "tapi/line")), E(LINEERR_BADDEVICEID));
  EXPECT_EQ(rc(lineSetDevConfig(0, nullptr, 1, "tapi/line")), E(LINEERR_INVALPOINTER));
}

TEST_F(LineTest, MonitoringNeedsNoOwnershipButALiveCall) {
  // lineMonitorMedia, lineMonitorTones and lineMonitorDigits are for any
  // handle ("The call state of hCall can be any state except idle" /
  // "except idle or disconnected"); they document no LINEERR_NOTOWNER.
  App& a = app();
  App& m = app();
  const HLINE la = a.open(201);
  const HLINE lm = m.open(201, kMonitor, 0);
  app().open(202);
  const HCALL call = makeCall(a, la, "202");
  const HCALL watched = m.newestCall(lm);
  ASSERT_NE(watched, 0u);
  EXPECT_EQ(rc(lineMonitorDigits(watched, LINEDIGITMODE_DTMF)), kOk);
  EXPECT_EQ(rc(lineMonitorMedia(watched, kVoice)), E(LINEERR_OPERATIONUNAVAIL))
      << "no media detection";
  LINEMONITORTONE tone{};
  EXPECT_EQ(rc(lineMonitorTones(watched, &tone, 1)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_OK(a, lineDrop(call, nullptr, 0));
  ASSERT_EQ(state(watched), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(rc(lineMonitorDigits(watched, LINEDIGITMODE_DTMF)), E(LINEERR_INVALCALLSTATE));
  EXPECT_EQ(rc(lineMonitorDigits(call, 0)), E(LINEERR_INVALCALLSTATE));
  EXPECT_EQ(rc(lineMonitorMedia(watched, kVoice)), E(LINEERR_INVALCALLSTATE));
  EXPECT_EQ(rc(lineMonitorTones(watched, &tone, 1)), E(LINEERR_INVALCALLSTATE));
}

TEST_F(LineTest, AssistedTelephony) {
  EXPECT_EQ(rc(tapiRequestMakeCall("202", "dialer", "Bob", nullptr)),
            rc(TAPIERR_NOREQUESTRECIPIENT));
  App& a = app();
  LINEREQMAKECALL req;
  EXPECT_EQ(rc(lineGetRequest(a.h, LINEREQUESTMODE_MAKECALL, &req)), E(LINEERR_NOTREGISTERED));
  ASSERT_EQ(rc(lineRegisterRequestRecipient(a.h, 77, LINEREQUESTMODE_MAKECALL, TRUE)), kOk);
  EXPECT_EQ(rc(lineRegisterRequestRecipient(a.h, 77, LINEREQUESTMODE_MEDIACALL, TRUE)),
            E(LINEERR_INVALREQUESTMODE));
  EXPECT_EQ(rc(lineRegisterRequestRecipient(a.h + 1000, 77, LINEREQUESTMODE_MAKECALL, TRUE)),
            E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineGetRequest(a.h, LINEREQUESTMODE_MAKECALL, &req)), E(LINEERR_NOREQUEST));
  ASSERT_EQ(rc(tapiRequestMakeCall("202", "dialer", "Bob", "hello")), kOk);
  auto requests = a.of(LINE_REQUEST);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].p1, static_cast<DWORD_PTR>(LINEREQUESTMODE_MAKECALL));
  EXPECT_EQ(requests[0].instance, 77u) << "the registration instance";
  ASSERT_EQ(rc(lineGetRequest(a.h, LINEREQUESTMODE_MAKECALL, &req)), kOk);
  EXPECT_STREQ(req.szDestAddress, "202");
  EXPECT_STREQ(req.szAppName, "dialer");
  EXPECT_STREQ(req.szCalledParty, "Bob");
  EXPECT_STREQ(req.szComment, "hello");
  EXPECT_EQ(rc(lineGetRequest(a.h, LINEREQUESTMODE_MAKECALL, nullptr)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineGetRequest(a.h, LINEREQUESTMODE_MAKECALL, &req)), E(LINEERR_NOREQUEST));
  EXPECT_EQ(rc(tapiRequestMakeCall(nullptr, nullptr, nullptr, nullptr)), rc(TAPIERR_INVALPOINTER));
  EXPECT_EQ(rc(tapiRequestMakeCall("", nullptr, nullptr, nullptr)), rc(TAPIERR_INVALDESTADDRESS));
  ASSERT_EQ(rc(lineRegisterRequestRecipient(a.h, 77, LINEREQUESTMODE_MAKECALL, FALSE)), kOk);
  EXPECT_EQ(rc(tapiRequestMakeCall("202", nullptr, nullptr, nullptr)),
            rc(TAPIERR_NOREQUESTRECIPIENT));
}

TEST_F(LineTest, TheNewestRecipientTakesRequests) {
  App& first = app();
  App& second = app();
  ASSERT_EQ(rc(lineRegisterRequestRecipient(second.h, 2, LINEREQUESTMODE_MAKECALL, TRUE)), kOk);
  ASSERT_EQ(rc(lineRegisterRequestRecipient(first.h, 1, LINEREQUESTMODE_MAKECALL, TRUE)), kOk);
  ASSERT_EQ(rc(tapiRequestMakeCall("202", nullptr, nullptr, nullptr)), kOk);
  EXPECT_EQ(first.of(LINE_REQUEST).size(), 1u) << "registered last";
  EXPECT_TRUE(second.of(LINE_REQUEST).empty());
  ASSERT_EQ(rc(lineRegisterRequestRecipient(first.h, 1, LINEREQUESTMODE_MAKECALL, FALSE)), kOk);
  ASSERT_EQ(rc(tapiRequestMakeCall("203", nullptr, nullptr, nullptr)), kOk);
  EXPECT_EQ(second.of(LINE_REQUEST).size(), 1u);
}

TEST_F(LineTest, RequestRecipientsEndWithTheirApplication) {
  if (remote()) GTEST_SKIP() << "remote mode: tapird keeps running across lineShutdown, so no new service hands out the same handles again";
  HLINEAPP first = 0;
  {
    App& a = app();
    first = a.h;
    ASSERT_EQ(rc(lineRegisterRequestRecipient(a.h, 1, LINEREQUESTMODE_MAKECALL, TRUE)), kOk);
    ASSERT_EQ(rc(a.shutdown()), kOk);
  }
  // A new service hands out the same handle values again.
  App& b = app();
  ASSERT_EQ(b.h, first) << "handles restart with the service (else this test proves nothing)";
  EXPECT_EQ(rc(tapiRequestMakeCall("202", nullptr, nullptr, nullptr)),
            rc(TAPIERR_NOREQUESTRECIPIENT))
      << "b never registered";
  LINEREQMAKECALL req;
  EXPECT_EQ(rc(lineGetRequest(b.h, LINEREQUESTMODE_MAKECALL, &req)), E(LINEERR_NOTREGISTERED));
  EXPECT_TRUE(b.of(LINE_REQUEST).empty());
}

}  // namespace
}  // namespace tapir::conformance
