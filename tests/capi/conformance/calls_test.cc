// Making, answering and clearing calls; hold; redirect; secure; dialing;
// the demo switch's outside numbers; outside callers; errors found when the
// phone carries a request out (reported in LINE_REPLY). Functions:
// lineMakeCall, lineDial, lineAccept, lineAnswer, lineDrop, lineHold,
// lineUnhold, lineSwapHold, lineRedirect, lineSecureCall, lineMonitorDigits,
// lineSetAppSpecific.
#include "conformance.h"

namespace tapir::conformance {
namespace {

using States = std::vector<DWORD>;

class CallsTest : public CapiTest {
 protected:
  // Caller a on 201, callee b owning 202.
  void SetUp() override {
    CapiTest::SetUp();
    a_ = &app("caller app");
    b_ = &app("callee app");
    la_ = a_->open(201);
    lb_ = b_->open(202);
  }
  App& a() { return *a_; }
  App& b() { return *b_; }
  App* a_ = nullptr;
  App* b_ = nullptr;
  HLINE la_ = 0;
  HLINE lb_ = 0;
};

TEST_F(CallsTest, MakeCallReplyComesBeforeTheCallsStates) {
  HCALL call = 0;
  const LONG req = lineMakeCall(la_, &call, "202", 0, nullptr);
  ASSERT_GT(req, 0) << "asynchronous: a positive request id";
  ASSERT_EQ(outcome(a(), req), kOk);
  ASSERT_NE(call, 0u) << "lphCall is written when LINE_REPLY is sent";
  // LINE_REPLY first, then the states; the first one carries the privilege.
  EXPECT_LT(a().replyIndex(req), a().indexOf(LINE_CALLSTATE, call)) << dump(a().msgs);
  EXPECT_EQ(a().states(call),
            (States{LINECALLSTATE_DIALING, LINECALLSTATE_PROCEEDING, LINECALLSTATE_RINGBACK}));
  auto st = a().of(LINE_CALLSTATE, call);
  EXPECT_EQ(st[0].p3, static_cast<DWORD_PTR>(kOwner));
  EXPECT_EQ(st[1].p3, 0u);
  EXPECT_EQ(st[0].instance, kInstance + dev(201));
  EXPECT_TRUE(a().of(LINE_APPNEWCALL).empty()) << "the requester learns of its call from lphCall";
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_EQ(privilege(call), kOwner);
  // The callee: LINE_APPNEWCALL, immediately followed by LINE_CALLSTATE(OFFERING).
  auto nc = b().of(LINE_APPNEWCALL);
  ASSERT_EQ(nc.size(), 1u) << dump(b().msgs);
  EXPECT_EQ(nc[0].device, lb_);
  EXPECT_EQ(nc[0].p1, 0u) << "address id";
  EXPECT_EQ(nc[0].p3, static_cast<DWORD_PTR>(kOwner));
  EXPECT_EQ(nc[0].instance, kInstance + dev(202));
  const HCALL offered = static_cast<HCALL>(nc[0].p2);
  const int at = b().indexOf(LINE_APPNEWCALL, lb_);
  ASSERT_LT(static_cast<std::size_t>(at + 1), b().msgs.size());
  const Msg& next = b().msgs[static_cast<std::size_t>(at + 1)];
  EXPECT_EQ(next.id, static_cast<DWORD>(LINE_CALLSTATE));
  EXPECT_EQ(next.device, offered);
  EXPECT_EQ(next.p1, static_cast<DWORD_PTR>(LINECALLSTATE_OFFERING));
  EXPECT_EQ(next.p2, static_cast<DWORD_PTR>(LINEOFFERINGMODE_ACTIVE));
  EXPECT_EQ(next.p3, static_cast<DWORD_PTR>(kOwner));
  // What each side knows of the call.
  const Info ia = info(call);
  const Info ib = info(offered);
  EXPECT_EQ(ia.line, la_);
  EXPECT_EQ(ia.deviceId, dev(201));
  EXPECT_EQ(ia.origin, static_cast<DWORD>(LINECALLORIGIN_OUTBOUND));
  EXPECT_EQ(ia.called, "202");
  EXPECT_EQ(ia.appName, "caller app");
  EXPECT_EQ(ib.line, lb_);
  EXPECT_EQ(ib.origin, static_cast<DWORD>(LINECALLORIGIN_INTERNAL));
  EXPECT_EQ(ib.reason, static_cast<DWORD>(LINECALLREASON_DIRECT));
  EXPECT_EQ(ib.caller, "201");
  EXPECT_EQ(ib.called, "202");
  EXPECT_EQ(ia.callId, ib.callId) << "both sides share the call id";
  EXPECT_EQ(ib.numOwners, 1u);
  EXPECT_EQ(ib.numMonitors, 0u);
}

TEST_F(CallsTest, AnswerThenDropFromEachSide) {
  const HCALL call = makeCall(a(), la_, "202");
  const HCALL offered = b().newestCall(lb_);
  const LONG req = lineAnswer(offered, nullptr, 0);
  ASSERT_EQ(outcome(b(), req), kOk);
  EXPECT_LT(b().replyIndex(req), b().indexOf(LINE_CALLSTATE, offered, LINECALLSTATE_CONNECTED));
  EXPECT_EQ(b().states(offered), (States{LINECALLSTATE_OFFERING, LINECALLSTATE_CONNECTED}));
  EXPECT_EQ(a().states(call).back(), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(info(call).connected, "202");
  EXPECT_EQ(info(offered).connected, "201");
  EXPECT_EQ(info(offered).appName, "callee app") << "the application that answered";
  // The caller hangs up: its call goes idle, the other side hears it.
  EXPECT_OK(a(), lineDrop(call, nullptr, 0));
  EXPECT_EQ(a().states(call).back(), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(b().statesWithModes(offered).back(),
            std::make_pair(static_cast<DWORD>(LINECALLSTATE_DISCONNECTED),
                           static_cast<DWORD>(LINEDISCONNECTMODE_NORMAL)));
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED))
      << "stays until dropped";
  EXPECT_OK(b(), lineDrop(offered, nullptr, 0));
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_IDLE));
  // Idle handles stay readable until deallocated.
  EXPECT_EQ(info(call).called, "202");
  EXPECT_EQ(rc(lineDeallocateCall(call)), kOk);
  EXPECT_EQ(rc(lineDeallocateCall(offered)), kOk);
  EXPECT_EQ(info(call).result, static_cast<LONG>(LINEERR_INVALCALLHANDLE));
}

TEST_F(CallsTest, DropWhileOfferedRejects) {
  const HCALL call = makeCall(a(), la_, "202");
  const HCALL offered = b().newestCall(lb_);
  EXPECT_OK(b(), lineDrop(offered, nullptr, 0));
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
  EXPECT_EQ(stateMode(call), static_cast<DWORD>(LINEDISCONNECTMODE_REJECT));
}

TEST_F(CallsTest, CallerAbandonsAnOfferedCall) {
  // An offered call that goes away passes DISCONNECTED, then IDLE at once.
  const HCALL call = makeCall(a(), la_, "202");
  const HCALL offered = b().newestCall(lb_);
  EXPECT_OK(a(), lineDrop(call, nullptr, 0));
  EXPECT_EQ(b().states(offered),
            (States{LINECALLSTATE_OFFERING, LINECALLSTATE_DISCONNECTED, LINECALLSTATE_IDLE}));
}

TEST_F(CallsTest, AcceptThenAnswer) {
  const HCALL call = makeCall(a(), la_, "202");
  const HCALL offered = b().newestCall(lb_);
  EXPECT_OK(b(), lineAccept(offered, nullptr, 0));
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_ACCEPTED));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_EQ(rc(lineAccept(offered, nullptr, 0)), E(LINEERR_INVALCALLSTATE));
  EXPECT_OK(b(), lineAnswer(offered, nullptr, 0));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(CallsTest, AnswerAcceptDropErrors) {
  const Pair p = connect(a(), la_, b(), lb_, "202");
  EXPECT_EQ(rc(lineAnswer(p.b, nullptr, 0)), E(LINEERR_INVALCALLSTATE)) << "already connected";
  EXPECT_EQ(rc(lineAccept(p.a, nullptr, 0)), E(LINEERR_INVALCALLSTATE));
  EXPECT_EQ(rc(lineAnswer(p.b + 1000, nullptr, 0)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineAccept(0, nullptr, 0)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineDrop(p.a + 1000, nullptr, 0)), E(LINEERR_INVALCALLHANDLE));
  // The switch carries no user-user information.
  const char uui[] = "hello";
  EXPECT_EQ(rc(lineAnswer(p.b, uui, sizeof uui)), E(LINEERR_USERUSERINFOTOOBIG));
  EXPECT_EQ(rc(lineAccept(p.b, uui, sizeof uui)), E(LINEERR_USERUSERINFOTOOBIG));
  EXPECT_EQ(rc(lineDrop(p.a, uui, sizeof uui)), E(LINEERR_USERUSERINFOTOOBIG));
  EXPECT_OK(a(), lineDrop(p.a, uui, 0)) << "dwSize 0: nothing to send";
  EXPECT_EQ(rc(lineDrop(p.a, nullptr, 0)), E(LINEERR_INVALCALLSTATE)) << "already idle";
}

TEST_F(CallsTest, MonitorsCannotActOnCalls) {
  App& m = app("monitor");
  const HLINE lm = m.open(202, kMonitor, 0);
  const HCALL call = makeCall(a(), la_, "202");
  const HCALL watched = m.newestCall(lm);
  ASSERT_NE(watched, 0u);
  EXPECT_EQ(privilege(watched), kMonitor);
  EXPECT_EQ(features(watched), 0u) << "a monitor may do nothing";
  EXPECT_EQ(rc(lineAnswer(watched, nullptr, 0)), E(LINEERR_NOTOWNER));
  EXPECT_EQ(rc(lineAccept(watched, nullptr, 0)), E(LINEERR_NOTOWNER));
  EXPECT_EQ(rc(lineDrop(watched, nullptr, 0)), E(LINEERR_NOTOWNER));
  EXPECT_EQ(rc(lineRedirect(watched, "203", 0)), E(LINEERR_NOTOWNER));
  EXPECT_EQ(rc(lineSecureCall(watched)), E(LINEERR_NOTOWNER));
  EXPECT_EQ(rc(lineSetAppSpecific(watched, 5)), E(LINEERR_NOTOWNER));
  EXPECT_EQ(rc(lineHold(watched)), E(LINEERR_NOTOWNER));
  (void)call;
}

TEST_F(CallsTest, MakeCallErrors) {
  HCALL call = 0;
  EXPECT_EQ(rc(lineMakeCall(la_, nullptr, "202", 0, nullptr)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineMakeCall(la_ + 1000, &call, "202", 0, nullptr)), E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineMakeCall(la_, &call, "20x2", 0, nullptr)), E(LINEERR_INVALADDRESS));
  EXPECT_EQ(rc(lineMakeCall(la_, &call, "202", 9999, nullptr)), E(LINEERR_INVALCOUNTRYCODE));
  CallParams other;
  other.setDword(offsetof(LINECALLPARAMS, dwAddressID), 1);
  EXPECT_EQ(rc(lineMakeCall(la_, &call, "202", 0, other.get())), E(LINEERR_INVALADDRESSID));
  CallParams bearer;
  bearer.setDword(offsetof(LINECALLPARAMS, dwBearerMode), LINEBEARERMODE_DATA);
  EXPECT_EQ(rc(lineMakeCall(la_, &call, "202", 0, bearer.get())), E(LINEERR_INVALBEARERMODE));
  CallParams fax;
  fax.setDword(offsetof(LINECALLPARAMS, dwMediaMode), LINEMEDIAMODE_G3FAX);
  EXPECT_EQ(rc(lineMakeCall(la_, &call, "202", 0, fax.get())), E(LINEERR_INVALMEDIAMODE));
  CallParams mode;
  mode.setDword(offsetof(LINECALLPARAMS, dwAddressMode), 0x40);
  EXPECT_EQ(rc(lineMakeCall(la_, &call, "202", 0, mode.get())), E(LINEERR_INVALADDRESSMODE));
  CallParams flags;
  flags.setDword(offsetof(LINECALLPARAMS, dwCallParamFlags), 0x80000000);
  EXPECT_EQ(rc(lineMakeCall(la_, &call, "202", 0, flags.get())), E(LINEERR_INVALCALLPARAMS));
  CallParams uui;
  uui.setString(offsetof(LINECALLPARAMS, dwUserUserInfoSize),
                offsetof(LINECALLPARAMS, dwUserUserInfoOffset), "hi");
  EXPECT_EQ(rc(lineMakeCall(la_, &call, "202", 0, uui.get())), E(LINEERR_USERUSERINFOTOOBIG));
  CallParams dialable;
  dialable.setDword(offsetof(LINECALLPARAMS, dwAddressMode), LINEADDRESSMODE_DIALABLEADDR);
  dialable.setString(offsetof(LINECALLPARAMS, dwOrigAddressSize),
                     offsetof(LINECALLPARAMS, dwOrigAddressOffset), "209");
  EXPECT_EQ(rc(lineMakeCall(la_, &call, "202", 0, dialable.get())), E(LINEERR_INVALADDRESS))
      << "no such address on the line";
  settle();
  EXPECT_TRUE(a().of(LINE_REPLY).empty()) << "failed requests do not reply";
  EXPECT_TRUE(b().of(LINE_APPNEWCALL).empty());
  EXPECT_EQ(call, 0u) << "lphCall untouched";
}

TEST_F(CallsTest, EveryCallAppearanceInUse) {
  Var<LINEADDRESSCAPS> caps;
  ASSERT_EQ(rc(lineGetAddressCaps(a().h, dev(201), 0, kV22, 0, caps.get())), kOk);
  const DWORD appearances = caps->dwMaxNumOnHoldCalls + caps->dwMaxNumActiveCalls;
  ASSERT_LT(appearances, 20u);
  for (DWORD i = 0; i < appearances; ++i) {
    const HCALL call = makeCall(a(), la_, "95550100");
    rings(2);
    ASSERT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_CONNECTED)) << i;
    if (i + 1 < appearances) {
      EXPECT_OK(a(), lineHold(call));
    }
  }
  HCALL call = 0;
  EXPECT_EQ(rc(lineMakeCall(la_, &call, "95550100", 0, nullptr)), E(LINEERR_CALLUNAVAIL));
}

TEST_F(CallsTest, MakeCallFromADialableOriginAddress) {
  CallParams cp;
  cp.setDword(offsetof(LINECALLPARAMS, dwAddressMode), LINEADDRESSMODE_DIALABLEADDR);
  cp.setString(offsetof(LINECALLPARAMS, dwOrigAddressSize),
               offsetof(LINECALLPARAMS, dwOrigAddressOffset), "201");
  const HCALL call = makeCall(a(), la_, "202", cp.get());
  EXPECT_EQ(info(call).addressId, 0u);
}

TEST_F(CallsTest, MakeCallWithoutAnAddressWaitsForDialing) {
  const HCALL call = makeCall(a(), la_, nullptr);
  EXPECT_EQ(a().states(call), (States{LINECALLSTATE_DIALTONE}));
  EXPECT_EQ(stateMode(call), static_cast<DWORD>(LINEDIALTONEMODE_NORMAL));
  EXPECT_NE(features(call) & LINECALLFEATURE_DIAL, 0u);
  EXPECT_OK(a(), lineDial(call, "202", 0));
  EXPECT_EQ(a().states(call), (States{LINECALLSTATE_DIALTONE, LINECALLSTATE_DIALING,
                                      LINECALLSTATE_PROCEEDING, LINECALLSTATE_RINGBACK}));
  EXPECT_NE(b().newestCall(lb_), 0u);
}

TEST_F(CallsTest, MultiStageDialing) {
  // A ';' ends a partial dial string: more digits follow with lineDial.
  const HCALL call = makeCall(a(), la_, "9;");
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_DIALING));
  EXPECT_OK(a(), lineDial(call, "555;", 0));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_DIALING));
  EXPECT_OK(a(), lineDial(call, "0100", 0));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_EQ(info(call).called, "95550100");
}

TEST_F(CallsTest, DialErrors) {
  const HCALL call = makeCall(a(), la_, "");
  ASSERT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_DIALTONE));
  EXPECT_EQ(rc(lineDial(call, "12$", 0)), E(LINEERR_DIALBILLING));
  EXPECT_EQ(rc(lineDial(call, "12@", 0)), E(LINEERR_DIALQUIET));
  EXPECT_EQ(rc(lineDial(call, "1?2", 0)), E(LINEERR_DIALPROMPT));
  EXPECT_EQ(rc(lineDial(call, "2x2", 0)), E(LINEERR_INVALADDRESS));
  EXPECT_EQ(rc(lineDial(call, nullptr, 0)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineDial(call, "202", 9999)), E(LINEERR_INVALCOUNTRYCODE));
  EXPECT_EQ(rc(lineDial(call + 1000, "202", 0)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_DIALTONE)) << "nothing happened";
  const Pair p = connect(a(), a().open(203), b(), b().open(204), "204");
  EXPECT_EQ(rc(lineDial(p.a, "+5", 0)), E(LINEERR_INVALADDRESS)) << "connected: DTMF digits only";
  const HCALL ringback = makeCall(a(), la_, "202");
  EXPECT_EQ(rc(lineDial(ringback, "5", 0)), E(LINEERR_INVALCALLSTATE)) << "nobody hears it yet";
}

// lineDial: "The call state of hCall can be any state except idle and
// disconnected": on a connected call the digits go to the far end (DTMF).
TEST_F(CallsTest, DialOnAConnectedCallSendsTheDigits) {
  const Pair p = connect(a(), la_, b(), lb_, "202");
  ASSERT_EQ(rc(lineMonitorDigits(p.b, LINEDIGITMODE_DTMF)), kOk);
  EXPECT_OK(a(), lineDial(p.a, "12", 0));
  auto digits = b().of(LINE_MONITORDIGITS, p.b);
  ASSERT_EQ(digits.size(), 2u);
  EXPECT_EQ(digits[0].p1, static_cast<DWORD_PTR>('1'));
  EXPECT_EQ(digits[1].p1, static_cast<DWORD_PTR>('2'));
}

// lineRedirect: "The call state of hCall must be offering."
TEST_F(CallsTest, RedirectNeedsAnOfferedCall) {
  makeCall(a(), la_, "202");
  const HCALL offered = b().newestCall(lb_);
  EXPECT_OK(b(), lineAccept(offered, nullptr, 0));
  EXPECT_EQ(rc(lineRedirect(offered, "203", 0)), E(LINEERR_INVALCALLSTATE));
}

TEST_F(CallsTest, BusyStationHasNoCallWaiting) {
  connect(a(), la_, b(), lb_, "202");
  App& c = app();
  const HLINE lc = c.open(203);
  const HCALL call = makeCall(c, lc, "202");
  EXPECT_EQ(c.states(call).back(), static_cast<DWORD>(LINECALLSTATE_BUSY));
  EXPECT_EQ(stateMode(call), static_cast<DWORD>(LINEBUSYMODE_STATION));
  EXPECT_EQ(b().newCalls(lb_).size(), 1u) << "202 was not offered the second call";
}

TEST_F(CallsTest, OutsideNumbersOfTheDemoSwitch) {
  // 95550100 answers after 2 rings.
  const HCALL answers = makeCall(a(), la_, "95550100");
  EXPECT_EQ(state(answers), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  rings(2);
  EXPECT_EQ(state(answers), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(info(answers).connected, "5550100");
  EXPECT_EQ(info(answers).origin, static_cast<DWORD>(LINECALLORIGIN_OUTBOUND));
  EXPECT_OK(a(), lineDrop(answers, nullptr, 0));
  // 95550199 is busy.
  const HCALL busy = makeCall(a(), la_, "95550199");
  EXPECT_EQ(state(busy), static_cast<DWORD>(LINECALLSTATE_BUSY));
  EXPECT_OK(a(), lineDrop(busy, nullptr, 0));
  // 95550188 never answers.
  const HCALL never = makeCall(a(), la_, "95550188");
  rings(20);
  EXPECT_EQ(state(never), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_OK(a(), lineDrop(never, nullptr, 0));
  // 95550177 answers, then hangs up after 10 s.
  const HCALL hangs = makeCall(a(), la_, "95550177");
  EXPECT_EQ(state(hangs), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  advance(9999);
  EXPECT_EQ(state(hangs), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  advance(1);
  EXPECT_EQ(state(hangs), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
  EXPECT_EQ(stateMode(hangs), static_cast<DWORD>(LINEDISCONNECTMODE_NORMAL));
  EXPECT_OK(a(), lineDrop(hangs, nullptr, 0));
  // Any other 9 + 7..15 digits answers after 3 rings.
  const HCALL other = makeCall(a(), la_, "912065550123");
  rings(3);
  EXPECT_EQ(state(other), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_OK(a(), lineDrop(other, nullptr, 0));
  // Anything else is unreachable.
  for (const char* nowhere : {"299", "95551", "7"}) {
    const HCALL call = makeCall(a(), la_, nowhere);
    EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED)) << nowhere;
    EXPECT_EQ(stateMode(call), static_cast<DWORD>(LINEDISCONNECTMODE_UNREACHABLE)) << nowhere;
    EXPECT_OK(a(), lineDrop(call, nullptr, 0));
  }
}

TEST_F(CallsTest, HoldAndUnhold) {
  const Pair p = connect(a(), la_, b(), lb_, "202");
  const LONG req = lineHold(p.a);
  ASSERT_EQ(outcome(a(), req), kOk);
  EXPECT_LT(a().replyIndex(req), a().indexOf(LINE_CALLSTATE, p.a, LINECALLSTATE_ONHOLD));
  EXPECT_EQ(state(p.a), static_cast<DWORD>(LINECALLSTATE_ONHOLD));
  EXPECT_EQ(state(p.b), static_cast<DWORD>(LINECALLSTATE_CONNECTED))
      << "being held is no state of the far end";
  EXPECT_NE(features(p.a) & LINECALLFEATURE_UNHOLD, 0u);
  EXPECT_EQ(features(p.a) & LINECALLFEATURE_HOLD, 0u);
  EXPECT_EQ(rc(lineHold(p.a)), E(LINEERR_INVALCALLSTATE));
  EXPECT_OK(a(), lineUnhold(p.a));
  EXPECT_EQ(state(p.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(rc(lineUnhold(p.a)), E(LINEERR_INVALCALLSTATE));
  EXPECT_EQ(rc(lineHold(p.a + 1000)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineUnhold(p.a + 1000)), E(LINEERR_INVALCALLHANDLE));
  const HCALL ringing = makeCall(b(), b().open(203), "204");
  EXPECT_EQ(rc(lineHold(ringing)), E(LINEERR_INVALCALLSTATE));
}

TEST_F(CallsTest, UnholdWhileAnotherCallIsActiveHoldsThatOne) {
  App& c = app();
  const HLINE lc = c.open(203);
  const Pair first = connect(a(), la_, b(), lb_, "202");
  EXPECT_OK(a(), lineHold(first.a));
  const Pair second = connect(a(), la_, c, lc, "203");
  EXPECT_OK(a(), lineUnhold(first.a));
  EXPECT_EQ(state(first.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(state(second.a), static_cast<DWORD>(LINECALLSTATE_ONHOLD));
}

TEST_F(CallsTest, SwapHold) {
  App& c = app();
  const HLINE lc = c.open(203);
  const Pair first = connect(a(), la_, b(), lb_, "202");
  EXPECT_OK(a(), lineHold(first.a));
  const Pair second = connect(a(), la_, c, lc, "203");
  EXPECT_NE(features(second.a) & LINECALLFEATURE_SWAPHOLD, 0u);
  const LONG req = lineSwapHold(second.a, first.a);
  ASSERT_EQ(outcome(a(), req), kOk);
  EXPECT_EQ(state(first.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(state(second.a), static_cast<DWORD>(LINECALLSTATE_ONHOLD));
  EXPECT_LT(a().replyIndex(req), a().indexOf(LINE_CALLSTATE, second.a, LINECALLSTATE_ONHOLD));
  EXPECT_OK(a(), lineSwapHold(first.a, second.a));
  EXPECT_EQ(state(first.a), static_cast<DWORD>(LINECALLSTATE_ONHOLD));
  EXPECT_EQ(state(second.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  // Errors: the active call must be the active one; both must be this line's calls.
  EXPECT_EQ(rc(lineSwapHold(first.a, second.a)), E(LINEERR_INVALCALLSTATE));
  EXPECT_EQ(rc(lineSwapHold(second.a, second.a)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineSwapHold(second.a, first.a + 1000)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineSwapHold(second.a + 1000, first.a)), E(LINEERR_INVALCALLHANDLE));
}

TEST_F(CallsTest, Redirect) {
  App& c = app();
  const HLINE lc = c.open(203);
  const HCALL call = makeCall(a(), la_, "202");
  const HCALL offered = b().newestCall(lb_);
  const LONG req = lineRedirect(offered, "203", 0);
  ASSERT_EQ(outcome(b(), req), kOk);
  EXPECT_LT(b().replyIndex(req), b().indexOf(LINE_CALLSTATE, offered, LINECALLSTATE_IDLE));
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_IDLE));
  const HCALL at203 = c.newestCall(lc);
  ASSERT_NE(at203, 0u);
  EXPECT_EQ(state(at203), static_cast<DWORD>(LINECALLSTATE_OFFERING));
  const Info i = info(at203);
  EXPECT_EQ(i.reason, static_cast<DWORD>(LINECALLREASON_REDIRECT));
  EXPECT_EQ(i.caller, "201");
  EXPECT_EQ(i.redirecting, "202");
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_EQ(info(call).redirection, "203");
}

TEST_F(CallsTest, RedirectErrors) {
  const HCALL call = makeCall(a(), la_, "202");
  const HCALL offered = b().newestCall(lb_);
  EXPECT_EQ(rc(lineRedirect(offered, nullptr, 0)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineRedirect(offered, "299", 0)), E(LINEERR_INVALADDRESS));
  EXPECT_EQ(rc(lineRedirect(offered, "202", 0)), E(LINEERR_INVALADDRESS)) << "where it rings";
  EXPECT_EQ(rc(lineRedirect(offered, "203", 9999)), E(LINEERR_INVALCOUNTRYCODE));
  EXPECT_EQ(rc(lineRedirect(call, "203", 0)), E(LINEERR_INVALCALLSTATE)) << "only offered calls";
  EXPECT_EQ(rc(lineRedirect(offered + 1000, "203", 0)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_OFFERING));
}

TEST_F(CallsTest, SecureCall) {
  const Pair p = connect(a(), la_, b(), lb_, "202");
  EXPECT_NE(features(p.a) & LINECALLFEATURE_SECURECALL, 0u);
  EXPECT_OK(a(), lineSecureCall(p.a));
  EXPECT_NE(info(p.a).callParamFlags & LINECALLPARAMFLAGS_SECURE, 0u);
  EXPECT_EQ(features(p.a) & LINECALLFEATURE_SECURECALL, 0u);
  EXPECT_EQ(rc(lineSecureCall(p.a + 1000)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_OK(a(), lineDrop(p.a, nullptr, 0));
  EXPECT_EQ(rc(lineSecureCall(p.a)), E(LINEERR_INVALCALLSTATE)) << "idle";
}

TEST_F(CallsTest, CallParamsReachTheCallInfo) {
  CallParams cp;
  cp.setDword(offsetof(LINECALLPARAMS, dwCallParamFlags), LINECALLPARAMFLAGS_BLOCKID);
  cp.setString(offsetof(LINECALLPARAMS, dwDisplayableAddressSize),
               offsetof(LINECALLPARAMS, dwDisplayableAddressOffset), "Reception");
  cp.setString(offsetof(LINECALLPARAMS, dwCalledPartySize),
               offsetof(LINECALLPARAMS, dwCalledPartyOffset), "Bob");
  cp.setString(offsetof(LINECALLPARAMS, dwCommentSize), offsetof(LINECALLPARAMS, dwCommentOffset),
               "re: invoice");
  const HCALL call = makeCall(a(), la_, "202", cp.get());
  Var<LINECALLINFO> v;
  ASSERT_EQ(rc(lineGetCallInfo(call, v.get())), kOk);
  EXPECT_EQ(VSTR(v, LINECALLINFO, DisplayableAddress), "Reception");
  EXPECT_EQ(VSTR(v, LINECALLINFO, CalledParty), "Bob");
  EXPECT_EQ(VSTR(v, LINECALLINFO, Comment), "re: invoice");
  EXPECT_NE(v->dwCallParamFlags & LINECALLPARAMFLAGS_BLOCKID, 0u);
  // The callee does not see a blocked caller's number.
  const Info i = info(b().newestCall(lb_));
  EXPECT_NE(i.callerFlags & LINECALLPARTYID_BLOCKED, 0u);
  EXPECT_EQ(i.caller, "");
  EXPECT_EQ(i.callerName, "");
}

TEST_F(CallsTest, SecureFromTheCallParams) {
  CallParams cp;
  cp.setDword(offsetof(LINECALLPARAMS, dwCallParamFlags), LINECALLPARAMFLAGS_SECURE);
  const HCALL call = makeCall(a(), la_, "202", cp.get());
  EXPECT_NE(info(call).callParamFlags & LINECALLPARAMFLAGS_SECURE, 0u);
}

TEST_F(CallsTest, AppSpecificIsSharedAndAnnounced) {
  const HCALL call = makeCall(a(), la_, "202");
  const HCALL offered = b().newestCall(lb_);
  b().clear();
  ASSERT_EQ(rc(lineSetAppSpecific(call, 0x1234)), kOk);
  settle();
  EXPECT_EQ(info(call).appSpecific, 0x1234u);
  EXPECT_EQ(info(offered).appSpecific, 0u) << "a's call and b's call are two calls";
  auto ev = a().of(LINE_CALLINFO, call);
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.back().p1, static_cast<DWORD_PTR>(LINECALLINFOSTATE_APPSPECIFIC));
  EXPECT_EQ(rc(lineSetAppSpecific(call + 1000, 1)), E(LINEERR_INVALCALLHANDLE));
}

TEST_F(CallsTest, OutsideCallerReachesAStation) {
  DWORD leg = 0;
  ASSERT_EQ(rc(tapirSimIncomingCall("5551234", "Outside Caller", "202", nullptr, &leg)), kOk);
  settle();
  const HCALL offered = b().newestCall(lb_);
  ASSERT_NE(offered, 0u);
  const Info i = info(offered);
  EXPECT_EQ(i.origin, static_cast<DWORD>(LINECALLORIGIN_EXTERNAL));
  EXPECT_EQ(i.caller, "5551234");
  EXPECT_EQ(i.callerName, "Outside Caller");
  EXPECT_NE(i.callerFlags & LINECALLPARTYID_ADDRESS, 0u);
  EXPECT_NE(i.callerFlags & LINECALLPARTYID_NAME, 0u);
  EXPECT_OK(b(), lineAnswer(offered, nullptr, 0));
  // Digits from the far end, once the application asks for them.
  ASSERT_EQ(rc(tapirSimFarEnd(leg, "dtmf 1")), kOk);
  settle();
  EXPECT_TRUE(b().of(LINE_MONITORDIGITS).empty()) << "not monitoring yet";
  ASSERT_EQ(rc(lineMonitorDigits(offered, LINEDIGITMODE_DTMF)), kOk);
  ASSERT_EQ(rc(tapirSimFarEnd(leg, "dtmf 5#")), kOk);
  settle();
  auto digits = b().of(LINE_MONITORDIGITS, offered);
  ASSERT_EQ(digits.size(), 2u);
  EXPECT_EQ(digits[0].p1, static_cast<DWORD_PTR>('5'));
  EXPECT_EQ(digits[0].p2, static_cast<DWORD_PTR>(LINEDIGITMODE_DTMF));
  EXPECT_EQ(digits[1].p1, static_cast<DWORD_PTR>('#'));
  ASSERT_EQ(rc(lineMonitorDigits(offered, 0)), kOk) << "0 turns monitoring off";
  ASSERT_EQ(rc(tapirSimFarEnd(leg, "dtmf 9")), kOk);
  settle();
  EXPECT_EQ(b().of(LINE_MONITORDIGITS, offered).size(), 2u);
  // Far-end hold has no TAPI state.
  ASSERT_EQ(rc(tapirSimFarEnd(leg, "hold")), kOk);
  settle();
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  ASSERT_EQ(rc(tapirSimFarEnd(leg, "unhold")), kOk);
  // The far end hangs up.
  ASSERT_EQ(rc(tapirSimFarEnd(leg, "hangup")), kOk);
  settle();
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
  EXPECT_EQ(stateMode(offered), static_cast<DWORD>(LINEDISCONNECTMODE_NORMAL));
  EXPECT_EQ(rc(tapirSimFarEnd(leg, "hangup")), E(LINEERR_INVALCALLHANDLE)) << "it is gone";
}

TEST_F(CallsTest, MonitorDigitsErrors) {
  const Pair p = connect(a(), la_, b(), lb_, "202");
  EXPECT_EQ(rc(lineMonitorDigits(p.a, LINEDIGITMODE_PULSE)), E(LINEERR_INVALDIGITMODE));
  EXPECT_EQ(rc(lineMonitorDigits(p.a + 1000, LINEDIGITMODE_DTMF)), E(LINEERR_INVALCALLHANDLE));
}

TEST_F(CallsTest, OutsidePartyTransfersTheCall) {
  App& c = app();
  const HLINE lc = c.open(203);
  DWORD leg = 0;
  ASSERT_EQ(rc(tapirSimIncomingCall("5551234", nullptr, "202", nullptr, &leg)), kOk);
  settle();
  const HCALL offered = b().newestCall(lb_);
  EXPECT_OK(b(), lineAnswer(offered, nullptr, 0));
  ASSERT_EQ(rc(tapirSimFarEnd(leg, "transfer 203")), kOk);
  settle();
  const HCALL at203 = c.newestCall(lc);
  ASSERT_NE(at203, 0u);
  EXPECT_EQ(info(at203).reason, static_cast<DWORD>(LINECALLREASON_TRANSFER));
  EXPECT_EQ(info(at203).caller, "202");
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
}

TEST_F(CallsTest, ScriptedOutsideCaller) {
  DWORD leg = 0;
  ASSERT_EQ(rc(tapirSimIncomingCall("5550000", nullptr, "202", "wait 5s\nhangup", &leg)), kOk);
  settle();
  const HCALL offered = b().newestCall(lb_);
  ASSERT_NE(offered, 0u);
  advance(5000);
  EXPECT_EQ(b().states(offered),
            (States{LINECALLSTATE_OFFERING, LINECALLSTATE_DISCONNECTED, LINECALLSTATE_IDLE}));
  EXPECT_EQ(rc(tapirSimIncomingCall(nullptr, nullptr, "202", nullptr, &leg)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(tapirSimIncomingCall("5550000", nullptr, "202", "fly", &leg)),
            E(LINEERR_INVALPARAM));
  EXPECT_EQ(rc(tapirSimFarEnd(leg, "dance")), E(LINEERR_INVALCALLHANDLE)) << "the caller has gone";
}

// ---- errors the phone finds: through LINE_REPLY -------------------------------------

// Station 209 takes a second to carry out any request; 210 refuses to answer.
constexpr const char* kSlowPhones = R"(
[[station]]
number = "209"
delay = "1s"

[[station]]
number = "210"
fail = ["answer"]

[[station]]
number = "211"
fail = ["offhook"]
)";

class PhoneTest : public CapiTest {};

TEST_F(PhoneTest, StateChangesDuringTheRequestComeBackInTheReply) {
  useSwitch(kSlowPhones);
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  const HLINE lb = b.open(209);
  const HCALL call = makeCall(a, la, "209");
  const HCALL offered = b.newestCall(lb);
  ASSERT_NE(offered, 0u);
  const LONG answer = lineAnswer(offered, nullptr, 0);
  ASSERT_GT(answer, 0) << "the call is offered: the request is taken";
  settle();
  EXPECT_FALSE(b.hasReply(answer)) << "the phone has not answered yet";
  EXPECT_OK(a, lineDrop(call, nullptr, 0));  // the caller gives up meanwhile
  advance(1000);
  EXPECT_EQ(b.replyResult(answer), E(LINEERR_INVALCALLSTATE));
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_IDLE));
}

TEST_F(PhoneTest, RefusalIsOperationFailed) {
  useSwitch(kSlowPhones);
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  const HLINE lb = b.open(210);
  const HCALL call = makeCall(a, la, "210");
  const HCALL offered = b.newestCall(lb);
  EXPECT_EQ(outcome(b, lineAnswer(offered, nullptr, 0)), E(LINEERR_OPERATIONFAILED));
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_OFFERING));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
}

TEST_F(PhoneTest, AFailedRequestVoidsTheNewCall) {
  useSwitch(kSlowPhones);
  App& a = app();
  App& m = app();
  const HLINE la = a.open(211);
  const HLINE lm = m.open(211, kMonitor, 0);
  app().open(202);
  HCALL call = 0;
  const LONG req = lineMakeCall(la, &call, "202", 0, nullptr);
  ASSERT_GT(req, 0);
  EXPECT_EQ(outcome(a, req), E(LINEERR_OPERATIONFAILED)) << "the phone would not go off hook";
  EXPECT_EQ(call, 0u) << "lphCall is written only on success";
  EXPECT_EQ(a.of(LINE_CALLSTATE).size(), 0u);
  EXPECT_TRUE(m.newCalls(lm).empty());
  Var<LINEADDRESSSTATUS> st;
  ASSERT_EQ(rc(lineGetAddressStatus(la, 0, st.get())), kOk);
  EXPECT_EQ(st->dwNumInUse, 0u);
}

TEST_F(PhoneTest, NoMessageAboutANewCallBeforeItsReply) {
  useSwitch(kSlowPhones);
  App& a = app();
  App& m = app();
  const HLINE la = a.open(209);
  const HLINE lm = m.open(209, kMonitor, 0);
  app().open(202);
  HCALL call = 0;
  const LONG req = lineMakeCall(la, &call, "202", 0, nullptr);
  ASSERT_GT(req, 0);
  settle();
  EXPECT_TRUE(a.msgs.empty()) << dump(a.msgs);
  EXPECT_TRUE(m.msgs.empty()) << "monitors learn of it after the reply" << dump(m.msgs);
  advance(1000);
  EXPECT_EQ(a.replyResult(req), kOk);
  EXPECT_LT(a.replyIndex(req), a.indexOf(LINE_CALLSTATE, call));
  // The monitor: LINE_APPNEWCALL, LINE_CALLSTATE(UNKNOWN), then the real states.
  const HCALL watched = m.newestCall(lm);
  ASSERT_NE(watched, 0u);
  auto st = m.of(LINE_CALLSTATE, watched);
  ASSERT_GE(st.size(), 2u);
  EXPECT_EQ(st[0].p1, static_cast<DWORD_PTR>(LINECALLSTATE_UNKNOWN));
  EXPECT_EQ(st[0].p3, static_cast<DWORD_PTR>(kMonitor));
  EXPECT_EQ(st.back().p1, static_cast<DWORD_PTR>(LINECALLSTATE_RINGBACK));
}

TEST_F(PhoneTest, CloseSuppressesOutstandingReplies) {
  // lineClose: "Outstanding asynchronous replies are suppressed."
  useSwitch(kSlowPhones);
  App& a = app();
  App& b = app();
  const HLINE la = a.open(209);
  const HLINE lb = b.open(202);
  HCALL call = 0;
  ASSERT_GT(lineMakeCall(la, &call, "202", 0, nullptr), 0);
  advance(1000);
  const HCALL offered = b.newestCall(lb);
  EXPECT_OK(b, lineAnswer(offered, nullptr, 0));
  const LONG hold = lineHold(call);
  ASSERT_GT(hold, 0);
  ASSERT_EQ(rc(lineClose(la)), kOk);
  advance(1000);
  EXPECT_FALSE(a.hasReply(hold)) << dump(a.msgs);
  // 209 owned its call alone: closing the line dropped it.
  EXPECT_EQ(state(offered), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
}

TEST_F(PhoneTest, ShutdownCancelsOutstandingRequests) {
  useSwitch(kSlowPhones);
  App& a = app();
  App& b = app();
  const HLINE la = a.open(209);
  b.open(202);
  HCALL call = 0;
  ASSERT_GT(lineMakeCall(la, &call, "202", 0, nullptr), 0);
  ASSERT_EQ(rc(a.shutdown()), kOk);
  advance(1000);
  EXPECT_TRUE(b.of(LINE_APPNEWCALL).empty()) << "the pending call was stopped" << dump(b.msgs);
  EXPECT_EQ(call, 0u) << "lphCall is not written for a cancelled request";
}

}  // namespace
}  // namespace tapir::conformance
