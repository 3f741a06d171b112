// Blind and consultation transfer, and conferences, with their message
// sequences (lineBlindTransfer, lineSetupTransfer, lineCompleteTransfer,
// lineSetupConference, linePrepareAddToConference, lineAddToConference,
// lineRemoveFromConference, lineGetConfRelatedCalls).
#include <map>

#include "conformance.h"

namespace tapir::conformance {
namespace {

using States = std::vector<DWORD>;

// 201 (app a) talks to 202 (app b); app c owns 203..208.
class TransferTest : public CapiTest {
 protected:
  void SetUp() override {
    CapiTest::SetUp();
    a_ = &app("a");
    b_ = &app("b");
    c_ = &app("c");
    la_ = a_->open(201);
    lb_ = b_->open(202);
    for (int s = 203; s <= 208; ++s)
      lc_[s] = c_->open(s);
    call_ = connect(*a_, la_, *b_, lb_, "202");
  }
  App& a() { return *a_; }
  App& b() { return *b_; }
  App& c() { return *c_; }
  // The call offered to station s (owned by c).
  HCALL offeredAt(int s) { return c().newestCall(lc_[s]); }
  // Dials `number` on a consultation call and has c answer there.
  HCALL consultTo(HCALL consult, int s) {
    EXPECT_OK(a(), lineDial(consult, std::to_string(s).c_str(), 0));
    const HCALL far = offeredAt(s);
    EXPECT_NE(far, 0u);
    EXPECT_OK(c(), lineAnswer(far, nullptr, 0));
    return far;
  }
  App* a_ = nullptr;
  App* b_ = nullptr;
  App* c_ = nullptr;
  HLINE la_ = 0;
  HLINE lb_ = 0;
  std::map<int, HLINE> lc_;
  Pair call_;
};

// ---- blind transfer ------------------------------------------------------------------

TEST_F(TransferTest, BlindTransfer) {
  const LONG req = lineBlindTransfer(call_.a, "203", 0);
  ASSERT_EQ(outcome(a(), req), kOk);
  EXPECT_LT(a().replyIndex(req), a().indexOf(LINE_CALLSTATE, call_.a, LINECALLSTATE_IDLE));
  EXPECT_EQ(a().states(call_.a).back(), static_cast<DWORD>(LINECALLSTATE_IDLE));
  const HCALL at203 = offeredAt(203);
  ASSERT_NE(at203, 0u);
  const Info i = info(at203);
  EXPECT_EQ(i.reason, static_cast<DWORD>(LINECALLREASON_TRANSFER));
  EXPECT_EQ(i.caller, "202");
  EXPECT_EQ(i.redirecting, "201");
  EXPECT_EQ(state(call_.b), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_OK(c(), lineAnswer(at203, nullptr, 0));
  EXPECT_EQ(state(call_.b), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(info(call_.b).connected, "203");
  EXPECT_EQ(info(call_.a).called, "202") << "the transferring handle stays readable";
}

TEST_F(TransferTest, BlindTransferToABusyStation) {
  // 205 calls 204 and 204 answers: 204 is busy.
  connect(c(), lc_[205], c(), lc_[204], "204");
  EXPECT_OK(a(), lineBlindTransfer(call_.a, "204", 0));
  EXPECT_EQ(state(call_.b), static_cast<DWORD>(LINECALLSTATE_BUSY));
}

TEST_F(TransferTest, BlindTransferErrors) {
  EXPECT_EQ(rc(lineBlindTransfer(call_.a, nullptr, 0)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineBlindTransfer(call_.a, "299", 0)), E(LINEERR_INVALADDRESS));
  EXPECT_EQ(rc(lineBlindTransfer(call_.a, "201", 0)), E(LINEERR_INVALADDRESS)) << "to itself";
  EXPECT_EQ(rc(lineBlindTransfer(call_.a, "203", 9999)), E(LINEERR_INVALCOUNTRYCODE));
  EXPECT_EQ(rc(lineBlindTransfer(call_.a + 1000, "203", 0)), E(LINEERR_INVALCALLHANDLE));
  App& m = app();
  const HLINE lm = m.open(201, kMonitor, 0);
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetNewCalls(lm, 0, LINECALLSELECT_LINE, list.get())), kOk);
  ASSERT_EQ(list->dwCallsNumEntries, 1u);
  const HCALL watched = list.at(list->dwCallsOffset);
  EXPECT_EQ(rc(lineBlindTransfer(watched, "203", 0)), E(LINEERR_NOTOWNER));
  const HCALL ringing = makeCall(c(), lc_[203], "204");
  EXPECT_EQ(rc(lineBlindTransfer(ringing, "205", 0)), E(LINEERR_INVALCALLSTATE));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

// ---- consultation transfer -----------------------------------------------------------

TEST_F(TransferTest, ConsultationTransfer) {
  HCALL consult = 0;
  const LONG setup = lineSetupTransfer(call_.a, &consult, nullptr);
  ASSERT_EQ(outcome(a(), setup), kOk);
  ASSERT_NE(consult, 0u);
  // The reply precedes every message about the consultation call.
  EXPECT_LT(a().replyIndex(setup), a().indexOf(LINE_CALLSTATE, consult));
  EXPECT_EQ(a().of(LINE_CALLSTATE, consult)[0].p3, static_cast<DWORD_PTR>(kOwner));
  EXPECT_EQ(a().states(consult), (States{LINECALLSTATE_DIALTONE}));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_ONHOLDPENDTRANSFER));
  EXPECT_EQ(info(consult).relatedCallId, info(call_.a).callId);
  EXPECT_TRUE(a().of(LINE_APPNEWCALL).empty());
  const HCALL at203 = consultTo(consult, 203);
  EXPECT_NE(features(consult) & LINECALLFEATURE_COMPLETETRANSF, 0u);
  HCALL conf = 0xdead;
  const LONG done = lineCompleteTransfer(call_.a, consult, &conf, LINETRANSFERMODE_TRANSFER);
  ASSERT_EQ(outcome(a(), done), kOk);
  EXPECT_EQ(conf, 0xdeadu) << "lphConfCall is only for LINETRANSFERMODE_CONFERENCE";
  EXPECT_LT(a().replyIndex(done), a().indexOf(LINE_CALLSTATE, call_.a, LINECALLSTATE_IDLE));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(call_.b), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(info(call_.b).connected, "203");
  EXPECT_EQ(info(at203).connected, "202");
  EXPECT_EQ(info(at203).redirecting, "201");
}

TEST_F(TransferTest, TransferWhileTheDestinationRings) {
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupTransfer(call_.a, &consult, nullptr));
  EXPECT_OK(a(), lineDial(consult, "203", 0));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_OK(a(), lineCompleteTransfer(call_.a, consult, nullptr, LINETRANSFERMODE_TRANSFER));
  EXPECT_EQ(state(call_.b), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  const HCALL at203 = offeredAt(203);
  EXPECT_EQ(info(at203).caller, "202");
  EXPECT_EQ(info(at203).reason, static_cast<DWORD>(LINECALLREASON_TRANSFER));
}

TEST_F(TransferTest, CompleteTransferAsAConference) {
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupTransfer(call_.a, &consult, nullptr));
  consultTo(consult, 203);
  HCALL conf = 0;
  const LONG req = lineCompleteTransfer(call_.a, consult, &conf, LINETRANSFERMODE_CONFERENCE);
  ASSERT_EQ(outcome(a(), req), kOk);
  ASSERT_NE(conf, 0u) << "lphConfCall is written with the reply";
  EXPECT_LT(a().replyIndex(req), a().indexOf(LINE_CALLSTATE, conf));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(info(conf).origin, static_cast<DWORD>(LINECALLORIGIN_CONFERENCE));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_CONFERENCED));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_CONFERENCED));
  // CONFERENCED names the conference call in dwParam2.
  auto st = a().of(LINE_CALLSTATE, consult);
  EXPECT_EQ(st.back().p1, static_cast<DWORD_PTR>(LINECALLSTATE_CONFERENCED));
  EXPECT_EQ(st.back().p2, conf);
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetConfRelatedCalls(call_.a, list.get())), kOk);
  ASSERT_EQ(list->dwCallsNumEntries, 3u);
  EXPECT_EQ(list.at(list->dwCallsOffset), conf) << "the conference call comes first";
  EXPECT_EQ(list.at(list->dwCallsOffset + 4), call_.a);
  EXPECT_EQ(list.at(list->dwCallsOffset + 8), consult);
}

TEST_F(TransferTest, DroppingTheConsultationRestoresTheCall) {
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupTransfer(call_.a, &consult, nullptr));
  EXPECT_OK(a(), lineDrop(consult, nullptr, 0));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(TransferTest, UnholdingTheCallCancelsTheConsultation) {
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupTransfer(call_.a, &consult, nullptr));
  EXPECT_OK(a(), lineDial(consult, "203", 0));
  const HCALL at203 = offeredAt(203);
  EXPECT_OK(a(), lineUnhold(call_.a));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(at203), static_cast<DWORD>(LINECALLSTATE_IDLE)) << "the offer was withdrawn";
}

TEST_F(TransferTest, SwapHoldBetweenTheCallAndTheConsultation) {
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupTransfer(call_.a, &consult, nullptr));
  consultTo(consult, 203);
  EXPECT_OK(a(), lineSwapHold(consult, call_.a));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_ONHOLDPENDTRANSFER));
  EXPECT_OK(a(), lineCompleteTransfer(consult, call_.a, nullptr, LINETRANSFERMODE_TRANSFER));
  EXPECT_EQ(info(call_.b).connected, "203");
}

TEST_F(TransferTest, OneStepTransfer) {
  CallParams cp;
  cp.setDword(offsetof(LINECALLPARAMS, dwCallParamFlags), LINECALLPARAMFLAGS_ONESTEPTRANSFER);
  cp.setString(offsetof(LINECALLPARAMS, dwTargetAddressSize),
               offsetof(LINECALLPARAMS, dwTargetAddressOffset), "204");
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupTransfer(call_.a, &consult, cp.get()));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_NE(offeredAt(204), 0u);
}

TEST_F(TransferTest, ConsultationTransferErrors) {
  HCALL consult = 0;
  EXPECT_EQ(rc(lineSetupTransfer(call_.a, nullptr, nullptr)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineSetupTransfer(call_.a + 1000, &consult, nullptr)), E(LINEERR_INVALCALLHANDLE));
  const HCALL ringing = makeCall(c(), lc_[203], "204");
  EXPECT_EQ(rc(lineSetupTransfer(ringing, &consult, nullptr)), E(LINEERR_INVALCALLSTATE));
  CallParams small;
  small.setDword(offsetof(LINECALLPARAMS, dwTotalSize), 4);
  EXPECT_EQ(rc(lineSetupTransfer(call_.a, &consult, small.get())), E(LINEERR_STRUCTURETOOSMALL));
  ASSERT_OK(a(), lineSetupTransfer(call_.a, &consult, nullptr));
  EXPECT_EQ(rc(lineSetupTransfer(call_.a, &consult, nullptr)), E(LINEERR_INVALCALLSTATE))
      << "already pending";
  HCALL conf = 0;
  EXPECT_EQ(rc(lineCompleteTransfer(call_.a, consult, &conf, LINETRANSFERMODE_TRANSFER)),
            E(LINEERR_INVALCALLSTATE))
      << "the consultation is still at dial tone";
  EXPECT_EQ(rc(lineCompleteTransfer(call_.a, consult, &conf, 7)), E(LINEERR_INVALTRANSFERMODE));
  EXPECT_EQ(rc(lineCompleteTransfer(call_.a, consult, &conf, 0)), E(LINEERR_INVALTRANSFERMODE));
  EXPECT_EQ(rc(lineCompleteTransfer(call_.a, consult, nullptr, LINETRANSFERMODE_CONFERENCE)),
            E(LINEERR_INVALPOINTER));
  // Remote: tapird answers a handle its client does not own with
  // INVALCALLHANDLE whatever the parameter (src/protocol/dispatch.cc).
  if (!remote()) {
    EXPECT_EQ(rc(lineCompleteTransfer(call_.a, consult + 1000, &conf, LINETRANSFERMODE_TRANSFER)),
              E(LINEERR_INVALCONSULTCALLHANDLE));
  }
  EXPECT_EQ(rc(lineCompleteTransfer(call_.a + 1000, consult, &conf, LINETRANSFERMODE_TRANSFER)),
            E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineCompleteTransfer(call_.a, ringing, &conf, LINETRANSFERMODE_TRANSFER)),
            E(LINEERR_INVALCONSULTCALLHANDLE))
      << "a call of another line";
  EXPECT_OK(a(), lineDial(consult, "205", 0));
  EXPECT_EQ(rc(lineCompleteTransfer(consult, call_.a, &conf, LINETRANSFERMODE_TRANSFER)),
            E(LINEERR_INVALCALLSTATE))
      << "the call to transfer is the held one";
}

TEST_F(TransferTest, TransferredPartyHangsUpDuringTheConsultation) {
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupTransfer(call_.a, &consult, nullptr));
  EXPECT_OK(b(), lineDrop(call_.b, nullptr, 0));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_DIALTONE));
  EXPECT_EQ(rc(lineCompleteTransfer(call_.a, consult, nullptr, LINETRANSFERMODE_TRANSFER)),
            E(LINEERR_INVALCALLSTATE));
}

// ---- conferences ------------------------------------------------------------------------

TEST_F(TransferTest, SetupConferenceFromACall) {
  HCALL conf = 0;
  HCALL consult = 0;
  const LONG req = lineSetupConference(call_.a, 0, &conf, &consult, 3, nullptr);
  ASSERT_EQ(outcome(a(), req), kOk);
  ASSERT_NE(conf, 0u);
  ASSERT_NE(consult, 0u);
  EXPECT_NE(conf, consult);
  EXPECT_LT(a().replyIndex(req), a().indexOf(LINE_CALLSTATE, conf));
  EXPECT_LT(a().replyIndex(req), a().indexOf(LINE_CALLSTATE, consult));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_ONHOLDPENDCONF));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_DIALTONE));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_CONFERENCED));
  EXPECT_EQ(a().of(LINE_CALLSTATE, call_.a).back().p2, conf) << "CONFERENCED names the conference";
  EXPECT_EQ(info(conf).origin, static_cast<DWORD>(LINECALLORIGIN_CONFERENCE));
  consultTo(consult, 203);
  const LONG add = lineAddToConference(conf, consult);
  ASSERT_EQ(outcome(a(), add), kOk);
  EXPECT_LT(a().replyIndex(add), a().indexOf(LINE_CALLSTATE, consult, LINECALLSTATE_CONFERENCED));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_CONFERENCED));
  EXPECT_EQ(state(call_.b), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetConfRelatedCalls(consult, list.get())), kOk) << "from a party";
  ASSERT_EQ(list->dwCallsNumEntries, 3u);
  EXPECT_EQ(list.at(list->dwCallsOffset), conf);
  ASSERT_EQ(rc(lineGetConfRelatedCalls(conf, list.get())), kOk) << "from the conference";
  EXPECT_EQ(list->dwCallsNumEntries, 3u);
}

TEST_F(TransferTest, SetupConferenceWithoutACall) {
  HCALL conf = 0;
  HCALL consult = 0;
  ASSERT_OK(c(), lineSetupConference(0, lc_[203], &conf, &consult, 3, nullptr));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_ONHOLDPENDCONF));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_DIALTONE));
  EXPECT_OK(c(), lineDial(consult, "204", 0));
  EXPECT_OK(c(), lineAnswer(c().newestCall(lc_[204]), nullptr, 0));
  EXPECT_OK(c(), lineAddToConference(conf, consult));
  HCALL second = 0;
  ASSERT_OK(c(), linePrepareAddToConference(conf, &second, nullptr));
  EXPECT_OK(c(), lineDial(second, "205", 0));
  EXPECT_OK(c(), lineAnswer(c().newestCall(lc_[205]), nullptr, 0));
  EXPECT_OK(c(), lineAddToConference(conf, second));
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetConfRelatedCalls(conf, list.get())), kOk);
  EXPECT_EQ(list->dwCallsNumEntries, 3u);
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(TransferTest, PrepareAddAndRemove) {
  HCALL conf = 0;
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupConference(call_.a, 0, &conf, &consult, 3, nullptr));
  const HCALL at203 = consultTo(consult, 203);
  ASSERT_OK(a(), lineAddToConference(conf, consult));
  HCALL more = 0;
  const LONG prep = linePrepareAddToConference(conf, &more, nullptr);
  ASSERT_EQ(outcome(a(), prep), kOk);
  ASSERT_NE(more, 0u);
  EXPECT_LT(a().replyIndex(prep), a().indexOf(LINE_CALLSTATE, more));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_ONHOLDPENDCONF));
  EXPECT_EQ(state(more), static_cast<DWORD>(LINECALLSTATE_DIALTONE));
  const HCALL at204 = consultTo(more, 204);
  EXPECT_NE(features(more) & LINECALLFEATURE_ADDTOCONF, 0u);
  ASSERT_OK(a(), lineAddToConference(conf, more));
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetConfRelatedCalls(conf, list.get())), kOk);
  EXPECT_EQ(list->dwCallsNumEntries, 4u);
  // Removing a party drops it.
  const LONG rm = lineRemoveFromConference(more);
  ASSERT_EQ(outcome(a(), rm), kOk);
  EXPECT_LT(a().replyIndex(rm), a().indexOf(LINE_CALLSTATE, more, LINECALLSTATE_IDLE));
  EXPECT_EQ(state(more), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(at204), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  // A conference left with one party reverts to a plain call.
  EXPECT_OK(a(), lineRemoveFromConference(consult));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(at203), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(rc(lineGetConfRelatedCalls(call_.a, list.get())), E(LINEERR_NOCONFERENCE));
}

TEST_F(TransferTest, APartyHangsUp) {
  HCALL conf = 0;
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupConference(call_.a, 0, &conf, &consult, 3, nullptr));
  const HCALL at203 = consultTo(consult, 203);
  ASSERT_OK(a(), lineAddToConference(conf, consult));
  EXPECT_OK(c(), lineDrop(at203, nullptr, 0));
  auto st = a().statesWithModes(consult);
  ASSERT_GE(st.size(), 2u);
  EXPECT_EQ(st[st.size() - 2], std::make_pair(static_cast<DWORD>(LINECALLSTATE_DISCONNECTED),
                                              static_cast<DWORD>(LINEDISCONNECTMODE_NORMAL)));
  EXPECT_EQ(st.back().first, static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_IDLE)) << "one party left: a plain call";
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(TransferTest, DroppingTheConferenceDropsEveryone) {
  HCALL conf = 0;
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupConference(call_.a, 0, &conf, &consult, 3, nullptr));
  const HCALL at203 = consultTo(consult, 203);
  ASSERT_OK(a(), lineAddToConference(conf, consult));
  EXPECT_OK(a(), lineDrop(conf, nullptr, 0));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(consult), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(call_.b), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
  EXPECT_EQ(state(at203), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
}

TEST_F(TransferTest, DroppingTheConsultationDuringSetupRevertsToTheCall) {
  HCALL conf = 0;
  HCALL consult = 0;
  ASSERT_OK(a(), lineSetupConference(call_.a, 0, &conf, &consult, 3, nullptr));
  EXPECT_OK(a(), lineDrop(consult, nullptr, 0));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(call_.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(TransferTest, ConferenceOfEightIsFull) {
  // The maximum counts every party, the controller (201) included: 201 and
  // 202..208.
  HCALL conf = 0;
  HCALL consult = 0;
  EXPECT_EQ(rc(lineSetupConference(call_.a, 0, &conf, &consult, 9, nullptr)),
            E(LINEERR_CONFERENCEFULL));
  ASSERT_OK(a(), lineSetupConference(call_.a, 0, &conf, &consult, 8, nullptr));
  consultTo(consult, 203);
  ASSERT_OK(a(), lineAddToConference(conf, consult));
  for (int s = 204; s <= 208; ++s) {
    HCALL more = 0;
    ASSERT_OK(a(), linePrepareAddToConference(conf, &more, nullptr)) << s;
    consultTo(more, s);
    ASSERT_OK(a(), lineAddToConference(conf, more)) << s;
  }
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetConfRelatedCalls(conf, list.get())), kOk);
  EXPECT_EQ(list->dwCallsNumEntries, 8u) << "the conference call and its 7 parties";
  EXPECT_EQ(features(conf) & LINECALLFEATURE_PREPAREADDCONF, 0u);
  HCALL more = 0;
  EXPECT_EQ(rc(linePrepareAddToConference(conf, &more, nullptr)), E(LINEERR_CONFERENCEFULL));
}

TEST_F(TransferTest, ConferenceErrors) {
  HCALL conf = 0;
  HCALL consult = 0;
  EXPECT_EQ(rc(lineSetupConference(call_.a, 0, nullptr, &consult, 3, nullptr)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineSetupConference(call_.a, 0, &conf, nullptr, 3, nullptr)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineSetupConference(call_.a + 1000, 0, &conf, &consult, 3, nullptr)),
            E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineSetupConference(0, la_ + 1000, &conf, &consult, 3, nullptr)),
            E(LINEERR_INVALLINEHANDLE));
  const HCALL ringing = makeCall(c(), lc_[203], "204");
  EXPECT_EQ(rc(lineSetupConference(ringing, 0, &conf, &consult, 3, nullptr)),
            E(LINEERR_INVALCALLSTATE));
  EXPECT_EQ(rc(lineGetConfRelatedCalls(call_.a, Var<LINECALLLIST>().get())),
            E(LINEERR_NOCONFERENCE));
  EXPECT_EQ(rc(lineGetConfRelatedCalls(call_.a + 1000, Var<LINECALLLIST>().get())),
            E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineGetConfRelatedCalls(call_.a, nullptr)), E(LINEERR_INVALPOINTER));
  ASSERT_OK(a(), lineSetupConference(call_.a, 0, &conf, &consult, 3, nullptr));
  HCALL more = 0;
  EXPECT_EQ(rc(linePrepareAddToConference(call_.a, &more, nullptr)), E(LINEERR_INVALCONFCALLHANDLE))
      << "a party is not the conference";
  if (!remote()) {  // as above: tapird answers INVALCALLHANDLE
    EXPECT_EQ(rc(linePrepareAddToConference(conf + 1000, &more, nullptr)),
              E(LINEERR_INVALCONFCALLHANDLE));
  }
  EXPECT_EQ(rc(linePrepareAddToConference(conf, nullptr, nullptr)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(linePrepareAddToConference(conf, &more, nullptr)), E(LINEERR_INVALCALLSTATE))
      << "a consultation is already pending";
  EXPECT_EQ(rc(lineAddToConference(call_.a, consult)), E(LINEERR_INVALCONFCALLHANDLE));
  if (!remote()) {  // as above
    EXPECT_EQ(rc(lineAddToConference(conf + 1000, consult)), E(LINEERR_INVALCONFCALLHANDLE));
  }
  EXPECT_EQ(rc(lineAddToConference(conf, consult + 1000)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineAddToConference(conf, consult)), E(LINEERR_INVALCALLSTATE))
      << "still at dial tone";
  EXPECT_EQ(rc(lineRemoveFromConference(consult)), E(LINEERR_INVALCALLSTATE)) << "not a party yet";
  EXPECT_EQ(rc(lineRemoveFromConference(conf + 1000)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineAddToConference(conf, call_.b)), E(LINEERR_INVALCALLHANDLE))
      << "a call of another line";
}

}  // namespace
}  // namespace tapir::conformance
