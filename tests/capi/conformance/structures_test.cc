// The variably sized structure rules ("Variably Sized Data Structures"),
// for every function that fills one:
//  - dwTotalSize below the fixed part: LINEERR_STRUCTURETOOSMALL;
//  - room for the fixed part only: success, the fixed part filled,
//    dwUsedSize == the fixed size, dwNeededSize > dwTotalSize, every
//    variable part's size/offset pair zero ("no variable part is ever
//    truncated"), nothing written past dwTotalSize;
//  - dwNeededSize bytes: dwUsedSize == dwNeededSize, every part inside it,
//    strings NUL-terminated.
// The fixed part is that of the API version the application negotiated.
#include "conformance.h"

namespace tapir::conformance {
namespace {

struct Part {
  const char* name;
  std::size_t size;
  std::size_t offset;
  bool isString;
};
#define STR(T, Name)                                                        \
  Part {                                                                    \
#Name, offsetof(T, dw##Name##Size), offsetof(T, dw##Name##Offset), true \
  }
#define BLOB(T, Name)                                                        \
  Part {                                                                     \
#Name, offsetof(T, dw##Name##Size), offsetof(T, dw##Name##Offset), false \
  }

class StructuresTest : public CapiTest {
 protected:
  // A 1.4 line gets no LINE_APPNEWCALL: its new monitor handle is the one
  // whose first LINE_CALLSTATE says MONITOR.
  static HCALL monitorHandle(App& a) {
    for (const Msg& m : a.of(LINE_CALLSTATE))
      if (m.p3 == kMonitor) return m.device;
    return 0;
  }

  // Runs the three checks on `get`, which fills the structure at its
  // argument. Returns dwNeededSize.
  template <class T, class Get>
  DWORD checkRules(std::size_t fixed, const std::vector<Part>& parts, Get get,
                   bool hasVariablePart = true) {
    SCOPED_TRACE(::testing::Message() << "fixed part " << fixed);
    {
      Var<T> small(fixed - 1);
      EXPECT_EQ(rc(get(small.get())), E(LINEERR_STRUCTURETOOSMALL));
      Var<T> tiny(0);
      EXPECT_EQ(rc(get(tiny.get())), E(LINEERR_STRUCTURETOOSMALL));
    }
    Var<T> exact(fixed);
    const Rc got = rc(get(exact.get()));
    if (got != kOk) {
      ADD_FAILURE() << "with room for the fixed part: " << errName(got.v);
      return 0;
    }
    EXPECT_EQ(exact.at(offsetof(T, dwTotalSize)), fixed) << "dwTotalSize is the application's";
    EXPECT_EQ(exact.at(offsetof(T, dwUsedSize)), fixed);
    const DWORD needed = exact.at(offsetof(T, dwNeededSize));
    if (needed < fixed || needed > (1u << 20)) {
      ADD_FAILURE() << "dwNeededSize " << needed;
      return 0;
    }
    if (hasVariablePart) {
      EXPECT_GT(needed, fixed) << "the variable part did not fit";
    } else {
      EXPECT_EQ(needed, fixed);
    }
    for (const Part& p : parts) {
      if (p.size + sizeof(DWORD) > fixed) continue;  // not in this version's fixed part
      EXPECT_EQ(exact.at(p.size), 0u) << p.name << " was truncated";
      EXPECT_EQ(exact.at(p.offset), 0u) << p.name << " was truncated";
    }
    for (std::size_t i = fixed; i < fixed + 16; ++i)
      EXPECT_EQ(exact.bytes()[i], 0xcd) << "written past dwTotalSize at " << i;

    Var<T> full(needed);
    EXPECT_EQ(rc(get(full.get())), kOk);
    EXPECT_EQ(full.at(offsetof(T, dwNeededSize)), needed);
    EXPECT_EQ(full.at(offsetof(T, dwUsedSize)), needed);
    for (const Part& p : parts) {
      if (p.size + sizeof(DWORD) > fixed) continue;
      const DWORD size = full.at(p.size);
      const DWORD off = full.at(p.offset);
      if (size == 0) continue;
      EXPECT_GE(off, fixed) << p.name << " overlaps the fixed part";
      EXPECT_LE(off + size, needed) << p.name << " lies outside dwUsedSize";
      if (p.isString && off + size <= needed) {
        EXPECT_EQ(full.bytes()[off + size - 1], 0) << p.name << " is not NUL-terminated";
      }
    }
    for (std::size_t i = needed; i < needed + 16; ++i)
      EXPECT_EQ(full.bytes()[i], 0xcd) << "written past dwTotalSize at " << i;

    // A bigger buffer: the same, dwTotalSize kept.
    Var<T> big(needed + 100);
    EXPECT_EQ(rc(get(big.get())), kOk);
    EXPECT_EQ(big.at(offsetof(T, dwTotalSize)), needed + 100);
    EXPECT_EQ(big.at(offsetof(T, dwUsedSize)), needed);
    return needed;
  }
};

TEST_F(StructuresTest, DevCaps) {
  App& a = app();
  const std::vector<Part> parts = {STR(LINEDEVCAPS, ProviderInfo),  STR(LINEDEVCAPS, SwitchInfo),
                                   STR(LINEDEVCAPS, LineName),      BLOB(LINEDEVCAPS, TerminalCaps),
                                   BLOB(LINEDEVCAPS, TerminalText), BLOB(LINEDEVCAPS, DevSpecific),
                                   BLOB(LINEDEVCAPS, DeviceClasses)};
  checkRules<LINEDEVCAPS>(sizeof(LINEDEVCAPS), parts,
                          [&](LINEDEVCAPS* c) { return lineGetDevCaps(a.h, 0, kV22, 0, c); });
  // An application that negotiated 2.0 passes the 2.0 structure (no
  // PermanentLineGuid); one that negotiated 1.4 the 1.4 structure.
  checkRules<LINEDEVCAPS>(offsetof(LINEDEVCAPS, PermanentLineGuid), parts,
                          [&](LINEDEVCAPS* c) { return lineGetDevCaps(a.h, 0, kV20, 0, c); });
  checkRules<LINEDEVCAPS>(offsetof(LINEDEVCAPS, dwSettableDevStatus), parts,
                          [&](LINEDEVCAPS* c) { return lineGetDevCaps(a.h, 0, kV14, 0, c); });
  checkRules<LINEDEVCAPS>(offsetof(LINEDEVCAPS, dwLineFeatures), parts,
                          [&](LINEDEVCAPS* c) { return lineGetDevCaps(a.h, 0, kV13, 0, c); });
}

TEST_F(StructuresTest, AddressCaps) {
  App& a = app();
  const std::vector<Part> parts = {
      STR(LINEADDRESSCAPS, Address), BLOB(LINEADDRESSCAPS, DevSpecific),
      BLOB(LINEADDRESSCAPS, CompletionMsgText), BLOB(LINEADDRESSCAPS, CallTreatmentList),
      BLOB(LINEADDRESSCAPS, DeviceClasses)};
  checkRules<LINEADDRESSCAPS>(sizeof(LINEADDRESSCAPS), parts, [&](LINEADDRESSCAPS* c) {
    return lineGetAddressCaps(a.h, 3, 0, kV22, 0, c);
  });
  checkRules<LINEADDRESSCAPS>(
      offsetof(LINEADDRESSCAPS, dwPredictiveAutoTransferStates), parts,
      [&](LINEADDRESSCAPS* c) { return lineGetAddressCaps(a.h, 3, 0, kV14, 0, c); });
  checkRules<LINEADDRESSCAPS>(
      offsetof(LINEADDRESSCAPS, dwAddressFeatures), parts,
      [&](LINEADDRESSCAPS* c) { return lineGetAddressCaps(a.h, 3, 0, kV13, 0, c); });
}

TEST_F(StructuresTest, AddressStatusWithItsForwardList) {
  App& a = app();
  const HLINE line = a.open(202);
  // A forwarding entry, so that the structure has a variable part.
  std::vector<unsigned char> buf(sizeof(LINEFORWARDLIST) + 64, 0);
  LINEFORWARDLIST fl{};
  fl.dwTotalSize = static_cast<DWORD>(buf.size());
  fl.dwNumEntries = 1;
  fl.ForwardList[0].dwForwardMode = LINEFORWARDMODE_BUSY;
  fl.ForwardList[0].dwDestAddressSize = 4;
  fl.ForwardList[0].dwDestAddressOffset = sizeof(LINEFORWARDLIST);
  std::memcpy(buf.data(), &fl, sizeof fl);
  std::memcpy(buf.data() + sizeof fl, "203", 4);
  HCALL consult = 0;
  ASSERT_OK(a, lineForward(line, FALSE, 0, reinterpret_cast<LPLINEFORWARDLIST>(buf.data()), 3,
                           &consult, nullptr));
  const std::vector<Part> parts = {BLOB(LINEADDRESSSTATUS, Forward),
                                   BLOB(LINEADDRESSSTATUS, TerminalModes),
                                   BLOB(LINEADDRESSSTATUS, DevSpecific)};
  const DWORD needed = checkRules<LINEADDRESSSTATUS>(
      sizeof(LINEADDRESSSTATUS), parts,
      [&](LINEADDRESSSTATUS* s) { return lineGetAddressStatus(line, 0, s); });
  // The entry, and its string (offsets from the start of the structure).
  Var<LINEADDRESSSTATUS> st(needed);
  ASSERT_EQ(rc(lineGetAddressStatus(line, 0, st.get())), kOk);
  ASSERT_EQ(st->dwForwardNumEntries, 1u);
  ASSERT_EQ(st->dwForwardSize, sizeof(LINEFORWARD));
  LINEFORWARD f;
  std::memcpy(&f, st.bytes() + st->dwForwardOffset, sizeof f);
  EXPECT_EQ(f.dwForwardMode, static_cast<DWORD>(LINEFORWARDMODE_BUSY));
  EXPECT_EQ(f.dwCallerAddressSize, 0u);
  ASSERT_EQ(f.dwDestAddressSize, 4u);
  EXPECT_STREQ(reinterpret_cast<const char*>(st.bytes() + f.dwDestAddressOffset), "203");
  EXPECT_EQ(st->dwNumRingsNoAnswer, 3u);
}

TEST_F(StructuresTest, LineDevStatusHasNoVariablePart) {
  App& a = app();
  const HLINE line = a.open(202);
  const HLINE old = a.open(202, kOwner, kVoice, kV14);
  const std::vector<Part> parts = {BLOB(LINEDEVSTATUS, TerminalModes),
                                   BLOB(LINEDEVSTATUS, DevSpecific), BLOB(LINEDEVSTATUS, AppInfo)};
  checkRules<LINEDEVSTATUS>(
      sizeof(LINEDEVSTATUS), parts, [&](LINEDEVSTATUS* s) { return lineGetLineDevStatus(line, s); },
      false);
  checkRules<LINEDEVSTATUS>(
      offsetof(LINEDEVSTATUS, dwAvailableMediaModes), parts,
      [&](LINEDEVSTATUS* s) { return lineGetLineDevStatus(old, s); }, false);
}

TEST_F(StructuresTest, CallInfo) {
  App& a = app("structures");
  App& b = app();
  const HLINE la = a.open(201);
  App& m = app();
  const HLINE old = m.open(201, kMonitor, 0, kV14);
  b.open(202);
  CallParams cp;
  cp.setString(offsetof(LINECALLPARAMS, dwCommentSize), offsetof(LINECALLPARAMS, dwCommentOffset),
               "a comment");
  const HCALL call = makeCall(a, la, "202", cp.get());
  const HCALL watched = monitorHandle(m);
  ASSERT_NE(watched, 0u);
  (void)old;
  const std::vector<Part> parts = {
      STR(LINECALLINFO, CallerID),         STR(LINECALLINFO, CallerIDName),
      STR(LINECALLINFO, CalledID),         STR(LINECALLINFO, CalledIDName),
      STR(LINECALLINFO, ConnectedID),      STR(LINECALLINFO, ConnectedIDName),
      STR(LINECALLINFO, RedirectionID),    STR(LINECALLINFO, RedirectionIDName),
      STR(LINECALLINFO, RedirectingID),    STR(LINECALLINFO, RedirectingIDName),
      STR(LINECALLINFO, AppName),          STR(LINECALLINFO, DisplayableAddress),
      STR(LINECALLINFO, CalledParty),      STR(LINECALLINFO, Comment),
      BLOB(LINECALLINFO, Display),         BLOB(LINECALLINFO, UserUserInfo),
      BLOB(LINECALLINFO, HighLevelComp),   BLOB(LINECALLINFO, LowLevelComp),
      BLOB(LINECALLINFO, ChargingInfo),    BLOB(LINECALLINFO, TerminalModes),
      BLOB(LINECALLINFO, DevSpecific),     BLOB(LINECALLINFO, CallData),
      BLOB(LINECALLINFO, SendingFlowspec), BLOB(LINECALLINFO, ReceivingFlowspec)};
  const DWORD needed = checkRules<LINECALLINFO>(
      sizeof(LINECALLINFO), parts, [&](LINECALLINFO* i) { return lineGetCallInfo(call, i); });
  Var<LINECALLINFO> v(needed);
  ASSERT_EQ(rc(lineGetCallInfo(call, v.get())), kOk);
  EXPECT_EQ(VSTR(v, LINECALLINFO, CalledID), "202");
  EXPECT_EQ(VSTR(v, LINECALLINFO, Comment), "a comment");
  EXPECT_EQ(VSTR(v, LINECALLINFO, AppName), "structures");
  // The handle of a 1.4 line: the 1.4 structure.
  checkRules<LINECALLINFO>(offsetof(LINECALLINFO, dwCallTreatment), parts,
                           [&](LINECALLINFO* i) { return lineGetCallInfo(watched, i); });
  EXPECT_EQ(rc(lineGetCallInfo(call, nullptr)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineGetCallInfo(call + 1000, v.get())), E(LINEERR_INVALCALLHANDLE));
}

TEST_F(StructuresTest, CallStatus) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  App& m = app();
  const HLINE old = m.open(201, kMonitor, 0, kV14);
  b.open(202);
  const HCALL call = makeCall(a, la, "202");
  const HCALL watched = monitorHandle(m);
  ASSERT_NE(watched, 0u);
  (void)old;
  const std::vector<Part> parts = {BLOB(LINECALLSTATUS, DevSpecific)};
  checkRules<LINECALLSTATUS>(
      sizeof(LINECALLSTATUS), parts, [&](LINECALLSTATUS* s) { return lineGetCallStatus(call, s); },
      false);
  checkRules<LINECALLSTATUS>(
      offsetof(LINECALLSTATUS, dwCallFeatures2), parts,
      [&](LINECALLSTATUS* s) { return lineGetCallStatus(watched, s); }, false);
  Var<LINECALLSTATUS> s;
  ASSERT_EQ(rc(lineGetCallStatus(call, s.get())), kOk);
  EXPECT_EQ(s->dwCallState, static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_EQ(s->dwCallPrivilege, kOwner);
  EXPECT_NE(s->dwCallFeatures & LINECALLFEATURE_DROP, 0u);
  EXPECT_EQ(rc(lineGetCallStatus(call, nullptr)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineGetCallStatus(call + 1000, s.get())), E(LINEERR_INVALCALLHANDLE));
}

TEST_F(StructuresTest, NewCallsCanBeAskedForAgain) {
  // An application whose LINECALLLIST was too small asks again with
  // dwNeededSize bytes: it must then get the handles it was not given.
  App& a = app();
  App& m = app();
  const HLINE la = a.open(201);
  const HLINE lc = a.open(203);
  app().open(202);
  app().open(204);
  makeCall(a, la, "202");
  makeCall(a, lc, "204");
  const HLINE lm = m.open(202, kMonitor, 0);
  Var<LINECALLLIST> exact(sizeof(LINECALLLIST));
  ASSERT_EQ(rc(lineGetNewCalls(lm, 0, LINECALLSELECT_LINE, exact.get())), kOk);
  EXPECT_EQ(exact->dwUsedSize, sizeof(LINECALLLIST));
  EXPECT_EQ(exact->dwNeededSize, sizeof(LINECALLLIST) + sizeof(HCALL));
  EXPECT_EQ(exact->dwCallsSize, 0u);
  Var<LINECALLLIST> full(exact->dwNeededSize);
  ASSERT_EQ(rc(lineGetNewCalls(lm, 0, LINECALLSELECT_LINE, full.get())), kOk);
  ASSERT_EQ(full->dwCallsNumEntries, 1u);
  ASSERT_EQ(full->dwCallsSize, sizeof(HCALL));
  const HCALL h = full.at(full->dwCallsOffset);
  EXPECT_EQ(privilege(h), kMonitor);
  EXPECT_EQ(state(h), static_cast<DWORD>(LINECALLSTATE_OFFERING));
  EXPECT_EQ(rc(lineGetNewCalls(lm, 0, LINECALLSELECT_LINE, Var<LINECALLLIST>(7).get())),
            E(LINEERR_STRUCTURETOOSMALL));
}

TEST_F(StructuresTest, ConfRelatedCalls) {
  App& a = app();
  const HLINE la = a.open(201);
  App& b = app();
  const HLINE lb = b.open(202);
  App& c = app();
  c.open(203);
  const Pair p = connect(a, la, b, lb, "202");
  HCALL conf = 0;
  HCALL consult = 0;
  ASSERT_OK(a, lineSetupConference(p.a, 0, &conf, &consult, 3, nullptr));
  const std::vector<Part> parts = {BLOB(LINECALLLIST, Calls)};
  const DWORD needed = checkRules<LINECALLLIST>(sizeof(LINECALLLIST), parts, [&](LINECALLLIST* l) {
    return lineGetConfRelatedCalls(p.a, l);
  });
  EXPECT_EQ(needed, sizeof(LINECALLLIST) + 2 * sizeof(HCALL))
      << "the conference and its first party";
}

TEST_F(StructuresTest, VarStringOfGetId) {
  App& a = app();
  const HLINE line = a.open(205);
  const std::vector<Part> parts = {BLOB(VARSTRING, String)};
  const DWORD needed = checkRules<VARSTRING>(sizeof(VARSTRING), parts, [&](VARSTRING* v) {
    return lineGetID(line, 0, 0, LINECALLSELECT_LINE, v, "tapi/line");
  });
  EXPECT_EQ(needed, sizeof(VARSTRING) + sizeof(DWORD));
}

TEST_F(StructuresTest, TranslateOutput) {
  App& a = app();
  const std::vector<Part> parts = {STR(LINETRANSLATEOUTPUT, DialableString),
                                   STR(LINETRANSLATEOUTPUT, DisplayableString)};
  checkRules<LINETRANSLATEOUTPUT>(sizeof(LINETRANSLATEOUTPUT), parts, [&](LINETRANSLATEOUTPUT* o) {
    return lineTranslateAddress(a.h, 0, kV22, "+1 (425) 555-0100", 0, 0, o);
  });
}

TEST_F(StructuresTest, TranslateCaps) {
  App& a = app();
  const std::vector<Part> parts = {BLOB(LINETRANSLATECAPS, LocationList),
                                   BLOB(LINETRANSLATECAPS, CardList)};
  checkRules<LINETRANSLATECAPS>(sizeof(LINETRANSLATECAPS), parts, [&](LINETRANSLATECAPS* c) {
    return lineGetTranslateCaps(a.h, kV22, c);
  });
}

TEST_F(StructuresTest, CountryList) {
  const std::vector<Part> parts = {BLOB(LINECOUNTRYLIST, CountryList)};
  checkRules<LINECOUNTRYLIST>(sizeof(LINECOUNTRYLIST), parts,
                              [&](LINECOUNTRYLIST* l) { return lineGetCountry(44, kV22, l); });
}

TEST_F(StructuresTest, ProviderList) {
  const std::vector<Part> parts = {BLOB(LINEPROVIDERLIST, ProviderList)};
  checkRules<LINEPROVIDERLIST>(sizeof(LINEPROVIDERLIST), parts,
                               [&](LINEPROVIDERLIST* l) { return lineGetProviderList(kV22, l); });
}

TEST_F(StructuresTest, AppPriorityExtensionName) {
  App& a = app();
  DWORD priority = 7;
  Var<VARSTRING> name(sizeof(VARSTRING));
  ASSERT_EQ(rc(lineGetAppPriority("some.exe", kVoice, nullptr, 0, name.get(), &priority)), kOk);
  EXPECT_EQ(priority, 0u);
  EXPECT_EQ(name->dwNeededSize, sizeof(VARSTRING));
  EXPECT_EQ(name->dwUsedSize, sizeof(VARSTRING));
  Var<VARSTRING> small(sizeof(VARSTRING) - 1);
  EXPECT_EQ(rc(lineGetAppPriority("some.exe", kVoice, nullptr, 0, small.get(), &priority)),
            E(LINEERR_STRUCTURETOOSMALL));
  (void)a;
}

TEST_F(StructuresTest, CallParamsTooSmallOrOutOfBounds) {
  App& a = app();
  const HLINE line = a.open(201);
  app().open(202);
  HCALL call = 0;
  CallParams small;
  small.setDword(offsetof(LINECALLPARAMS, dwTotalSize), 12);
  EXPECT_EQ(rc(lineMakeCall(line, &call, "202", 0, small.get())), E(LINEERR_STRUCTURETOOSMALL));
  // A part that points past dwTotalSize.
  CallParams bad;
  bad.setDword(offsetof(LINECALLPARAMS, dwCommentSize), 10);
  bad.setDword(offsetof(LINECALLPARAMS, dwCommentOffset), static_cast<DWORD>(bad.buf.size()));
  EXPECT_EQ(rc(lineMakeCall(line, &call, "202", 0, bad.get())), E(LINEERR_INVALCALLPARAMS));
}

}  // namespace
}  // namespace tapir::conformance
