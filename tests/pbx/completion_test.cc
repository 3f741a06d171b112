// Call completion: camp-on, callback (busy and no answer), intrude, message;
// uncomplete; and how secured calls refuse call waiting, intrusion, pickup.
#include "pbx_fixture.h"

namespace tapir::pbx::testing {
namespace {

using S = CallState;
using K = Recorded::Kind;
using CM = CompletionMode;

class CompletionTest : public PbxTest {
 protected:
  std::uint32_t complete(CallId call, CM mode, std::uint32_t message = 0) {
    RequestId r = req();
    Status st = outcome(r, sw().completeCall(r, call, mode, message));
    EXPECT_TRUE(st.isOk()) << st.toString();
    return rec_.replyData[r].completionId;
  }
  Status completeStatus(CallId call, CM mode, std::uint32_t message = 0) {
    RequestId r = req();
    return outcome(r, sw().completeCall(r, call, mode, message));
  }
  bool lineEventSeen(const std::string& number, std::uint32_t event) {
    for (const auto& e : rec_.events)
      if (e.kind == K::kLine && e.line == line(number) && e.a == event) return true;
    return false;
  }
};

TEST_F(CompletionTest, CampOnWaitsForTheStationToFree) {
  auto [a, b] = connect("201", "202");
  CallId c = makeCall("203", "202");
  ASSERT_EQ(state(c), S::kBusy);
  const std::uint32_t id = complete(c, CM::kCampOn);
  EXPECT_NE(id, 0u);
  EXPECT_EQ(state(c), S::kRingback);
  // The camped-on call appears held at 202, with its reason.
  CallId camped = offeredAt("202");
  ASSERT_TRUE(camped.valid());
  EXPECT_EQ(state(camped), S::kOnHold);
  EXPECT_EQ(info(camped).reason, CallReason::kCampedOn);
  EXPECT_EQ(info(camped).caller.number, "203");
  EXPECT_EQ(sw().lineStatus(line("203"))->numCallCompletions, 1u);
  // 202's call ends: the camped-on call rings.
  RequestId r = req();
  ok(r, sw().drop(r, a));
  EXPECT_EQ(state(camped), S::kOffering);
  r = req();
  ok(r, sw().answer(r, camped));
  EXPECT_EQ(state(c), S::kConnected);
  EXPECT_EQ(info(c).connected.number, "202");
  EXPECT_EQ(sw().lineStatus(line("203"))->numCallCompletions, 0u);
}

TEST_F(CompletionTest, CampedOnCallCanBeTakenWithSwapHold) {
  auto [a, b] = connect("201", "202");
  CallId c = makeCall("203", "202");
  complete(c, CM::kCampOn);
  CallId camped = offeredAt("202");
  RequestId r = req();
  ok(r, sw().swapHold(r, b, camped));
  EXPECT_EQ(state(b), S::kOnHold);
  EXPECT_EQ(state(camped), S::kConnected);
  EXPECT_EQ(state(c), S::kConnected);
}

TEST_F(CompletionTest, UncompleteCancelsACampOn) {
  connect("201", "202");
  CallId c = makeCall("203", "202");
  const std::uint32_t id = complete(c, CM::kCampOn);
  CallId camped = offeredAt("202");
  RequestId r = req();
  ok(r, sw().uncompleteCall(r, line("203"), id));
  EXPECT_EQ(state(camped), S::kIdle);
  EXPECT_EQ(state(c), S::kBusy);
  EXPECT_EQ(sw().uncompleteCall(req(), line("203"), id).fault(), Fault::kBadCompletionId);
  EXPECT_EQ(sw().uncompleteCall(req(), line("201"), 999).fault(), Fault::kBadCompletionId);
  EXPECT_EQ(sw().uncompleteCall(req(), LineId(), id).fault(), Fault::kBadLineHandle);
}

TEST_F(CompletionTest, CallerHangingUpEndsTheCampOn) {
  auto [a, b] = connect("201", "202");
  CallId c = makeCall("203", "202");
  complete(c, CM::kCampOn);
  CallId camped = offeredAt("202");
  RequestId r = req();
  ok(r, sw().drop(r, c));
  EXPECT_EQ(state(camped), S::kIdle);
  const auto before = rec_.newCalls(line("202")).size();
  r = req();
  ok(r, sw().drop(r, a));
  EXPECT_EQ(rec_.newCalls(line("202")).size(), before);  // nothing rings later
}

TEST_F(CompletionTest, CallbackWhenBusy) {
  auto [a, b] = connect("201", "202");
  CallId c = makeCall("203", "202");
  const std::uint32_t id = complete(c, CM::kCallback);
  EXPECT_EQ(state(c), S::kIdle);
  RequestId r = req();
  ok(r, sw().drop(r, a));
  CallId back = offeredAt("203");
  ASSERT_TRUE(back.valid());
  EXPECT_EQ(state(back), S::kOffering);
  EXPECT_EQ(info(back).reason, CallReason::kCallCompletion);
  EXPECT_EQ(info(back).completionId, id);
  EXPECT_EQ(info(back).caller.number, "202");
  // Taking the call-back rings 202.
  r = req();
  ok(r, sw().answer(r, back));
  EXPECT_EQ(state(back), S::kRingback);
  CallId at202 = offeredAt("202");
  r = req();
  ok(r, sw().answer(r, at202));
  EXPECT_EQ(state(back), S::kConnected);
  EXPECT_EQ(sw().lineStatus(line("203"))->numCallCompletions, 0u);
}

TEST_F(CompletionTest, CallbackOnNoAnswerWaitsUntilTheStationIsUsed) {
  CallId c = makeCall("203", "202");
  CallId ringing = offeredAt("202");
  complete(c, CM::kCallback);
  EXPECT_EQ(state(c), S::kIdle);
  EXPECT_EQ(state(ringing), S::kIdle);  // no longer rings
  advanceSeconds(60);
  EXPECT_EQ(rec_.newCalls(line("203")).size(), 0u);
  // 202 makes a call and hangs up: now 203 is called back.
  CallId x = makeCall("202", "204");
  RequestId r = req();
  ok(r, sw().drop(r, x));
  CallId back = offeredAt("203");
  ASSERT_TRUE(back.valid());
  EXPECT_EQ(info(back).reason, CallReason::kCallCompletion);
}

TEST_F(CompletionTest, CallbackWaitsForTheCallerToBeFree) {
  auto [a, b] = connect("201", "202");
  CallId c = makeCall("203", "202");
  complete(c, CM::kCallback);
  auto [d, e] = connect("203", "204");
  RequestId r = req();
  ok(r, sw().drop(r, a));
  EXPECT_TRUE(rec_.newCalls(line("203")).empty());
  r = req();
  ok(r, sw().drop(r, d));
  EXPECT_TRUE(offeredAt("203").valid());
}

TEST_F(CompletionTest, CallbackExpires) {
  auto [a, b] = connect("201", "202");
  CallId c = makeCall("203", "202");
  complete(c, CM::kCallback);
  advance(sw().config().callbackExpiry);
  EXPECT_TRUE(lineEventSeen("203", line_event::kComplCancel));
  EXPECT_EQ(sw().lineStatus(line("203"))->numCallCompletions, 0u);
  RequestId r = req();
  ok(r, sw().drop(r, a));
  EXPECT_TRUE(rec_.newCalls(line("203")).empty());
}

TEST_F(CompletionTest, RejectingTheCallbackEndsIt) {
  auto [a, b] = connect("201", "202");
  CallId c = makeCall("203", "202");
  complete(c, CM::kCallback);
  RequestId r = req();
  ok(r, sw().drop(r, a));
  CallId back = offeredAt("203");
  r = req();
  ok(r, sw().drop(r, back));
  EXPECT_EQ(sw().lineStatus(line("203"))->numCallCompletions, 0u);
}

TEST_F(CompletionTest, IntrudeMakesAConferenceAtTheBusyStation) {
  auto [a, b] = connect("202", "203");
  CallId c = makeCall("201", "202");
  ASSERT_EQ(state(c), S::kBusy);
  complete(c, CM::kIntrude);
  EXPECT_EQ(state(c), S::kConnected);
  EXPECT_EQ(info(c).connected.number, "202");
  auto calls = rec_.newCalls(line("202"));
  ASSERT_EQ(calls.size(), 2u);  // the conference and the intruding party
  CallId conf = calls[0];
  CallId intruder = calls[1];
  EXPECT_EQ(state(conf), S::kConnected);
  EXPECT_EQ(info(conf).origin, CallOrigin::kConference);
  EXPECT_EQ(state(a), S::kConferenced);
  EXPECT_EQ(state(intruder), S::kConferenced);
  EXPECT_EQ(info(intruder).reason, CallReason::kIntrude);
  EXPECT_EQ(*sw().conferenceCalls(conf), (std::vector<CallId>{conf, a, intruder}));
  EXPECT_EQ(state(b), S::kConnected);
  // The intruder leaves: a plain call again.
  RequestId r = req();
  ok(r, sw().drop(r, c));
  EXPECT_EQ(state(conf), S::kIdle);
  EXPECT_EQ(state(a), S::kConnected);
}

TEST_F(CompletionTest, SecuredCallsRefuseIntrusionAndCampOn) {
  auto [a, b] = connect("202", "203");
  RequestId r = req();
  ok(r, sw().secureCall(r, a));
  CallId c = makeCall("201", "202");
  EXPECT_EQ(completeStatus(c, CM::kIntrude).fault(), Fault::kOperationFailed);
  EXPECT_EQ(completeStatus(c, CM::kCampOn).fault(), Fault::kOperationFailed);
  EXPECT_EQ(state(c), S::kBusy);
}

TEST_F(CompletionTest, SecuredCallSuppressesCallWaiting) {
  PbxConfig cfg = demoConfig();
  for (auto& s : cfg.sw.stations)
    s.busyTrigger = 2;  // call waiting on
  start(std::move(cfg));
  auto [a, b] = connect("201", "202");
  CallId c = makeCall("203", "202");
  EXPECT_EQ(state(c), S::kRingback);  // call waiting offers it
  RequestId r = req();
  ok(r, sw().drop(r, c));
  r = req();
  ok(r, sw().secureCall(r, b));
  CallId d = makeCall("204", "202");
  EXPECT_EQ(state(d), S::kBusy);
}

TEST_F(CompletionTest, Message) {
  connect("202", "203");
  CallId c = makeCall("201", "202");
  complete(c, CM::kMessage, 1);
  EXPECT_EQ(state(c), S::kIdle);
  EXPECT_TRUE(lineEventSeen("202", line_event::kMsgWaitOn));
  auto st = sw().lineStatus(line("202"));
  EXPECT_EQ(st->messagesWaiting, 1u);
  EXPECT_TRUE(st->devStatusFlags & line_status_flag::kMsgWait);
  ASSERT_EQ(sw().station(stationOf("202")).messages.size(), 1u);
  EXPECT_EQ(sw().station(stationOf("202")).messages[0].from, "201");
  EXPECT_EQ(sw().station(stationOf("202")).messages[0].messageId, 1u);
  ASSERT_TRUE(sw().clearMessages(stationOf("202")).isOk());
  settle();
  EXPECT_TRUE(lineEventSeen("202", line_event::kMsgWaitOff));
  EXPECT_EQ(sw().lineStatus(line("202"))->messagesWaiting, 0u);
}

TEST_F(CompletionTest, MessageOnNoAnswer) {
  CallId c = makeCall("201", "202");
  CallId ringing = offeredAt("202");
  complete(c, CM::kMessage, 0);
  EXPECT_EQ(state(ringing), S::kIdle);
  EXPECT_EQ(sw().lineStatus(line("202"))->messagesWaiting, 1u);
}

TEST_F(CompletionTest, Errors) {
  auto [a, b] = connect("202", "203");
  CallId c = makeCall("201", "202");
  EXPECT_EQ(completeStatus(c, static_cast<CM>(0x10)).fault(), Fault::kBadCompletionMode);
  EXPECT_EQ(completeStatus(c, CM::kMessage, 99).fault(), Fault::kBadMessageId);
  EXPECT_EQ(completeStatus(CallId(), CM::kCallback).fault(), Fault::kBadCallHandle);
  // Connected calls have nothing to complete.
  EXPECT_EQ(completeStatus(a, CM::kCallback).fault(), Fault::kBadCallState);
  // Camp-on and intrude need a busy destination.
  CallId ringing = makeCall("204", "205");
  EXPECT_EQ(completeStatus(ringing, CM::kCampOn).fault(), Fault::kBadCompletionMode);
  EXPECT_EQ(completeStatus(ringing, CM::kIntrude).fault(), Fault::kBadCompletionMode);
  // Only stations of this switch can be completed to.
  CallId out = makeCall("206", "95550199");
  ASSERT_EQ(state(out), S::kBusy);
  EXPECT_EQ(completeStatus(out, CM::kCallback).fault(), Fault::kOperationUnavail);
}

TEST_F(CompletionTest, TooManyOutstanding) {
  PbxConfig cfg = demoConfig();
  cfg.sw.maxCompletionsPerLine = 1;
  start(std::move(cfg));
  connect("202", "203");
  CallId c = makeCall("201", "202");
  complete(c, CM::kCallback);
  CallId d = makeCall("201", "203");
  EXPECT_EQ(completeStatus(d, CM::kCallback).fault(), Fault::kCompletionOverrun);
}

}  // namespace
}  // namespace tapir::pbx::testing
