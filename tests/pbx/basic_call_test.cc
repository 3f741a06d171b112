// Basic calls on the demo switch: make, dial, accept, answer, drop, reject,
// and the outside world's demo numbers.
#include "pbx_fixture.h"

namespace tapir::pbx::testing {
namespace {

using S = CallState;
using K = Recorded::Kind;

class BasicCallTest : public PbxTest {};

TEST_F(BasicCallTest, StationToStationRingsAnswersAndClears) {
  const RequestId r = req();
  auto a = sw().makeCall(r, line("201"), 0, "202", {});
  ASSERT_TRUE(a.isOk()) << a.status().toString();
  // Nothing before the loop runs: replies and events are asynchronous.
  EXPECT_TRUE(rec_.events.empty());
  settle();
  ASSERT_TRUE(rec_.replies.count(r));
  EXPECT_TRUE(rec_.replies[r].isOk());
  // The reply precedes every event about the new call.
  EXPECT_LT(rec_.replyIndex(r), rec_.indexOf(K::kState, *a));

  CallId b = offeredAt("202");
  ASSERT_TRUE(b.valid());
  EXPECT_EQ(rec_.states(*a), (std::vector<S>{S::kDialing, S::kProceeding, S::kRingback}));
  EXPECT_EQ(rec_.states(b), (std::vector<S>{S::kOffering}));
  EXPECT_EQ(info(b).origin, CallOrigin::kInternal);
  EXPECT_EQ(info(b).reason, CallReason::kDirect);
  EXPECT_EQ(info(b).caller.number, "201");
  EXPECT_EQ(info(b).called.number, "202");
  EXPECT_EQ(info(*a).origin, CallOrigin::kOutbound);
  EXPECT_EQ(info(*a).called.number, "202");
  EXPECT_EQ(info(*a).callId, info(b).callId);
  // The line rang once.
  EXPECT_GE(rec_.indexOf(K::kLine, CallId(), line_event::kRinging), 0);

  const RequestId ans = req();
  ok(ans, sw().answer(ans, b));
  EXPECT_EQ(state(*a), S::kConnected);
  EXPECT_EQ(state(b), S::kConnected);
  EXPECT_EQ(info(*a).connected.number, "202");
  EXPECT_EQ(info(b).connected.number, "201");

  const RequestId d = req();
  ok(d, sw().drop(d, *a));
  EXPECT_EQ(state(*a), S::kIdle);
  EXPECT_EQ(state(b), S::kDisconnected);
  EXPECT_EQ(mode(b), disconnect_mode::kNormal);

  const RequestId d2 = req();
  ok(d2, sw().drop(d2, b));
  EXPECT_EQ(state(b), S::kIdle);
}

TEST_F(BasicCallTest, MakeCallWithoutAddressWaitsInDialtoneThenDials) {
  CallId a = makeCall("201", "");
  EXPECT_EQ(state(a), S::kDialtone);
  EXPECT_EQ(mode(a), dialtone_mode::kNormal);
  const RequestId r = req();
  ok(r, sw().dial(r, a, "203"));
  EXPECT_EQ(state(a), S::kRingback);
  EXPECT_EQ(rec_.states(a),
            (std::vector<S>{S::kDialtone, S::kDialing, S::kProceeding, S::kRingback}));
  EXPECT_TRUE(offeredAt("203").valid());
}

TEST_F(BasicCallTest, MultiStageDialingWithPartialStrings) {
  CallId a = makeCall("201", "9;");
  EXPECT_EQ(state(a), S::kDialing);
  RequestId r = req();
  ok(r, sw().dial(r, a, "555;"));
  EXPECT_EQ(state(a), S::kDialing);
  r = req();
  ok(r, sw().dial(r, a, "0100"));
  EXPECT_EQ(state(a), S::kRingback);
  EXPECT_EQ(info(a).called.number, "95550100");
}

TEST_F(BasicCallTest, EmptyDialCompletesPartialDialing) {
  CallId a = makeCall("201", "20;");
  RequestId r = req();
  ok(r, sw().dial(r, a, "2;"));
  r = req();
  ok(r, sw().dial(r, a, ""));
  EXPECT_EQ(state(a), S::kRingback);
  EXPECT_TRUE(offeredAt("202").valid());
}

TEST_F(BasicCallTest, DialErrors) {
  CallId a = makeCall("201", "202");
  EXPECT_EQ(sw().dial(req(), a, "5").fault(), Fault::kBadCallState);  // ringback: nobody hears it
  EXPECT_EQ(sw().dial(req(), offeredAt("202"), "5").fault(), Fault::kBadCallState);
  CallId c = makeCall("203", "");
  EXPECT_EQ(sw().dial(req(), c, "12x").fault(), Fault::kBadAddress);
  EXPECT_EQ(sw().dial(req(), c, "12@3").fault(), Fault::kDialQuiet);
  EXPECT_EQ(sw().dial(req(), c, "$12").fault(), Fault::kDialBilling);
  EXPECT_EQ(sw().dial(req(), c, "1?2").fault(), Fault::kDialPrompt);
  EXPECT_EQ(sw().dial(req(), c, "").fault(), Fault::kBadAddress);
  EXPECT_EQ(sw().dial(req(), CallId(999, 7), "1").fault(), Fault::kBadCallHandle);
  EXPECT_EQ(state(c), S::kDialtone);
}

// lineDial allows any state but idle and disconnected: on a connected call
// the digits go to the far party as DTMF.
TEST_F(BasicCallTest, DialOnAConnectedCallSendsDtmfToTheFarStation) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().dial(r, a, "1-2 a#*"));
  EXPECT_EQ(rec_.digits(b), "12A#*") << "one event a digit, in order, formatting dropped";
  EXPECT_EQ(rec_.digits(a), "");
  EXPECT_LT(rec_.replyIndex(r), rec_.indexOf(K::kDigit, b));
  EXPECT_EQ(state(a), S::kConnected);
  EXPECT_TRUE(sw().callStatus(a)->features & call_feature::kDial);
  // Both ways.
  r = req();
  ok(r, sw().dial(r, b, "9"));
  EXPECT_EQ(rec_.digits(a), "9");
}

TEST_F(BasicCallTest, DtmfErrors) {
  auto [a, b] = connect("201", "202");
  EXPECT_EQ(sw().dial(req(), a, "+1").fault(), Fault::kBadAddress);  // not a DTMF digit
  EXPECT_EQ(sw().dial(req(), a, "1;").fault(), Fault::kBadAddress);  // nothing is being dialed
  EXPECT_EQ(sw().dial(req(), a, "").fault(), Fault::kBadAddress);
  EXPECT_EQ(sw().dial(req(), a, "1x").fault(), Fault::kBadAddress);
  EXPECT_EQ(sw().dial(req(), a, "1@").fault(), Fault::kDialQuiet);
  EXPECT_EQ(sw().dial(req(), a, "1$").fault(), Fault::kDialBilling);
  EXPECT_EQ(sw().dial(req(), a, "1?").fault(), Fault::kDialPrompt);
  settle();
  EXPECT_EQ(rec_.count(K::kDigit), 0u) << "nothing was sent";
  RequestId r = req();
  ok(r, sw().hold(r, a));
  EXPECT_EQ(sw().dial(req(), a, "1").fault(), Fault::kBadCallState);
  r = req();
  ok(r, sw().unhold(r, a));
  r = req();
  ok(r, sw().drop(r, b));
  EXPECT_EQ(state(a), S::kDisconnected);
  EXPECT_EQ(sw().dial(req(), a, "1").fault(), Fault::kBadCallState);
}

TEST_F(BasicCallTest, DtmfToAPartyHoldingTheCallIsNotHeard) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().hold(r, b));
  r = req();
  ok(r, sw().dial(r, a, "5"));  // dialing is done once the switch has the digits
  EXPECT_EQ(rec_.digits(b), "");
}

TEST_F(BasicCallTest, DtmfRefusedByThePhoneIsNotSent) {
  PbxConfig cfg = demoConfig();
  ASSERT_EQ(cfg.sw.stations[0].number, "201");
  cfg.behaviors.resize(cfg.sw.stations.size());
  cfg.behaviors[0].fail = {StationOp::kDial};
  start(std::move(cfg));
  auto [a, b] = connect("201", "202");
  const RequestId r = req();
  EXPECT_EQ(outcome(r, sw().dial(r, a, "5")).fault(), Fault::kOperationFailed);
  EXPECT_EQ(rec_.digits(b), "");
}

TEST_F(BasicCallTest, DtmfReachesAnOutsideParty) {
  CallId a = makeCall("201", "95550100");
  advance(sw().config().ringPeriod * 2);
  ASSERT_EQ(state(a), S::kConnected);
  const CallId outside = sw().leg(a)->peer;
  RequestId r = req();
  ok(r, sw().dial(r, a, "*12#"));
  r = req();
  ok(r, sw().dial(r, a, "3"));
  const auto* heard = world().find(outside);
  ASSERT_NE(heard, nullptr);
  EXPECT_EQ(heard->heard, "*12#3");
}

TEST_F(BasicCallTest, MakeCallErrors) {
  EXPECT_EQ(sw().makeCall(req(), LineId(), 0, "202", {}).status().fault(), Fault::kBadLineHandle);
  EXPECT_EQ(sw().makeCall(req(), LineId(200, 1), 0, "202", {}).status().fault(),
            Fault::kBadLineHandle);
  EXPECT_EQ(sw().makeCall(req(), line("201"), 1, "202", {}).status().fault(), Fault::kBadAddressId);
  EXPECT_EQ(sw().makeCall(req(), line("201"), 0, "20A2Z", {}).status().fault(), Fault::kBadAddress);
  EXPECT_EQ(sw().makeCall(req(), line("201"), 0, std::string(300, '1'), {}).status().fault(),
            Fault::kBadAddress);
  EXPECT_EQ(sw().makeCall(req(), line("201"), 0, "202\r\n203", {}).status().fault(),
            Fault::kBadAddress);
  CallParams fax;
  fax.mediaMode = media_mode::kG3Fax;
  EXPECT_EQ(sw().makeCall(req(), line("201"), 0, "202", fax).status().fault(),
            Fault::kBadMediaMode);
  settle();
  EXPECT_TRUE(rec_.replies.empty()) << "failed requests must not reply";
  EXPECT_EQ(sw().legCount(), 0u);
}

TEST_F(BasicCallTest, DialableFormattingIsIgnored) {
  CallId a = makeCall("201", "T9,W 555-0100");
  EXPECT_EQ(info(a).called.number, "95550100");
  EXPECT_EQ(state(a), S::kRingback);
}

TEST_F(BasicCallTest, UnknownNumberIsUnreachable) {
  CallId a = makeCall("201", "299");
  EXPECT_EQ(state(a), S::kDisconnected);
  EXPECT_EQ(mode(a), disconnect_mode::kUnreachable);
  CallId b = makeCall("202", "95551");  // too short for an outside number
  EXPECT_EQ(state(b), S::kDisconnected);
  EXPECT_EQ(mode(b), disconnect_mode::kUnreachable);
}

TEST_F(BasicCallTest, AcceptThenAnswer) {
  CallId a = makeCall("201", "202");
  CallId b = offeredAt("202");
  RequestId r = req();
  ok(r, sw().accept(r, b));
  EXPECT_EQ(state(b), S::kAccepted);
  EXPECT_EQ(state(a), S::kRingback);
  EXPECT_EQ(sw().accept(req(), b).fault(), Fault::kBadCallState);
  r = req();
  ok(r, sw().answer(r, b));
  EXPECT_EQ(state(b), S::kConnected);
  EXPECT_EQ(state(a), S::kConnected);
}

TEST_F(BasicCallTest, DropOnOfferingRejects) {
  CallId a = makeCall("201", "202");
  CallId b = offeredAt("202");
  RequestId r = req();
  ok(r, sw().drop(r, b));
  EXPECT_EQ(state(b), S::kIdle);
  EXPECT_EQ(state(a), S::kDisconnected);
  EXPECT_EQ(mode(a), disconnect_mode::kReject);
}

TEST_F(BasicCallTest, CallerAbandonsWithdrawsOfferedCall) {
  CallId a = makeCall("201", "202");
  CallId b = offeredAt("202");
  RequestId r = req();
  ok(r, sw().drop(r, a));
  EXPECT_EQ(state(a), S::kIdle);
  EXPECT_EQ(rec_.states(b), (std::vector<S>{S::kOffering, S::kDisconnected, S::kIdle}));
}

TEST_F(BasicCallTest, BusyStation) {
  connect("201", "202");
  CallId c = makeCall("203", "202");
  EXPECT_EQ(state(c), S::kBusy);
  EXPECT_EQ(mode(c), busy_mode::kStation);
}

TEST_F(BasicCallTest, AnswerAndAcceptErrors) {
  auto [a, b] = connect("201", "202");
  EXPECT_EQ(sw().answer(req(), b).fault(), Fault::kBadCallState);
  EXPECT_EQ(sw().accept(req(), a).fault(), Fault::kBadCallState);
  EXPECT_EQ(sw().answer(req(), CallId()).fault(), Fault::kBadCallHandle);
  RequestId r = req();
  ok(r, sw().drop(r, a));
  EXPECT_EQ(sw().drop(req(), a).fault(), Fault::kBadCallState);  // already idle
}

TEST_F(BasicCallTest, StaleHandleAfterClose) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().drop(r, a));
  sw().closeCall(a);
  settle();
  EXPECT_EQ(sw().callInfo(a), nullptr);
  EXPECT_EQ(sw().callStatus(a).status().fault(), Fault::kBadCallHandle);
  EXPECT_EQ(sw().hold(req(), a).fault(), Fault::kBadCallHandle);
  // A new call gets a different id even if it reuses the slot.
  CallId c = makeCall("203", "204");
  EXPECT_NE(c, a);
  EXPECT_EQ(sw().callStatus(a).status().fault(), Fault::kBadCallHandle);
}

TEST_F(BasicCallTest, CloseCallDropsALiveCall) {
  auto [a, b] = connect("201", "202");
  sw().closeCall(a);
  settle();
  EXPECT_EQ(sw().callStatus(a).status().fault(), Fault::kBadCallHandle);
  EXPECT_EQ(state(b), S::kDisconnected);
}

TEST_F(BasicCallTest, IdleCallInfoStaysReadable) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().drop(r, a));
  ASSERT_NE(sw().callInfo(a), nullptr);
  EXPECT_EQ(info(a).called.number, "202");
}

TEST_F(BasicCallTest, SecureCall) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().secureCall(r, a));
  EXPECT_TRUE(sw().callStatus(a)->secured);
  EXPECT_TRUE(info(a).callParamFlags & call_param_flag::kSecure);
  EXPECT_FALSE(sw().callStatus(a)->features & call_feature::kSecureCall);
}

TEST_F(BasicCallTest, SecureFromCallSetup) {
  CallParams p;
  p.flags = call_param_flag::kSecure;
  CallId a = makeCall("201", "202", p);
  EXPECT_TRUE(sw().callStatus(a)->secured);
}

TEST_F(BasicCallTest, CallFeaturesFollowTheState) {
  CallId a = makeCall("201", "202");
  CallId b = offeredAt("202");
  auto fb = sw().callStatus(b)->features;
  EXPECT_TRUE(fb & call_feature::kAnswer);
  EXPECT_TRUE(fb & call_feature::kAccept);
  EXPECT_TRUE(fb & call_feature::kRedirect);
  EXPECT_FALSE(fb & call_feature::kHold);
  EXPECT_FALSE(sw().callStatus(a)->features & call_feature::kDial) << "ringback";
  auto fa = sw().callStatus(a)->features;
  EXPECT_TRUE(fa & call_feature::kDrop);
  EXPECT_TRUE(fa & call_feature::kCompleteCall);
  EXPECT_FALSE(fa & call_feature::kAnswer);
  RequestId r = req();
  ok(r, sw().answer(r, b));
  fb = sw().callStatus(b)->features;
  EXPECT_TRUE(fb & call_feature::kHold);
  EXPECT_TRUE(fb & call_feature::kBlindTransfer);
  EXPECT_TRUE(fb & call_feature::kSetupTransfer);
  EXPECT_TRUE(fb & call_feature::kSetupConf);
  EXPECT_TRUE(fb & call_feature::kPark);
  EXPECT_TRUE(fb & call_feature::kDial);
  EXPECT_FALSE(fb & call_feature::kUnhold);
  EXPECT_FALSE(fb & call_feature::kAnswer);
}

// ---- redirect ------------------------------------------------------------------------

TEST_F(BasicCallTest, RedirectAnOfferedCall) {
  CallId a = makeCall("201", "202");
  CallId b = offeredAt("202");
  RequestId r = req();
  ok(r, sw().redirect(r, b, "203"));
  EXPECT_EQ(state(b), S::kIdle);
  CallId c = offeredAt("203");
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(info(c).reason, CallReason::kRedirect);
  EXPECT_EQ(info(c).redirecting.number, "202");
  EXPECT_EQ(state(a), S::kRingback);
  EXPECT_EQ(info(a).redirection.number, "203");
}

// lineRedirect: "The call state of hCall must be offering."
TEST_F(BasicCallTest, RedirectNeedsAnOfferedCall) {
  CallId a = makeCall("201", "202");
  CallId b = offeredAt("202");
  RequestId r = req();
  ok(r, sw().accept(r, b));
  EXPECT_FALSE(sw().callStatus(b)->features & call_feature::kRedirect);
  EXPECT_EQ(sw().redirect(req(), b, "203").fault(), Fault::kBadCallState);
  EXPECT_EQ(sw().redirect(req(), a, "203").fault(), Fault::kBadCallState);
  settle();
  EXPECT_EQ(state(b), S::kAccepted);
  EXPECT_TRUE(rec_.newCalls(line("203")).empty());
}

// ---- the demo's outside numbers -----------------------------------------------------

TEST_F(BasicCallTest, Outside5550100AnswersAfterTwoRings) {
  CallId a = makeCall("201", "95550100");
  EXPECT_EQ(state(a), S::kRingback);
  advance(sw().config().ringPeriod * 2 - std::chrono::milliseconds(1));
  EXPECT_EQ(state(a), S::kRingback);
  advance(std::chrono::milliseconds(1));
  EXPECT_EQ(state(a), S::kConnected);
  EXPECT_EQ(info(a).connected.number, "5550100");
  EXPECT_EQ(rec_.states(a),
            (std::vector<S>{S::kDialing, S::kProceeding, S::kRingback, S::kConnected}));
}

TEST_F(BasicCallTest, Outside5550199IsBusy) {
  CallId a = makeCall("201", "95550199");
  EXPECT_EQ(state(a), S::kBusy);
}

TEST_F(BasicCallTest, Outside5550188NeverAnswers) {
  CallId a = makeCall("201", "95550188");
  advanceSeconds(3600);
  EXPECT_EQ(state(a), S::kRingback);
}

TEST_F(BasicCallTest, Outside5550177AnswersThenHangsUpAfterTenSeconds) {
  CallId a = makeCall("201", "95550177");
  EXPECT_EQ(state(a), S::kConnected);
  advance(std::chrono::seconds(10) - std::chrono::milliseconds(1));
  EXPECT_EQ(state(a), S::kConnected);
  advance(std::chrono::milliseconds(1));
  EXPECT_EQ(state(a), S::kDisconnected);
  EXPECT_EQ(mode(a), disconnect_mode::kNormal);
}

TEST_F(BasicCallTest, AnyOtherOutsideNumberAnswersAfterThreeRings) {
  CallId a = makeCall("201", "912345678");
  advance(sw().config().ringPeriod * 3 - std::chrono::milliseconds(1));
  EXPECT_EQ(state(a), S::kRingback);
  advance(std::chrono::milliseconds(1));
  EXPECT_EQ(state(a), S::kConnected);
  CallId b = makeCall("202", "91234567890123456");  // 16 digits after the 9: too long
  EXPECT_EQ(state(b), S::kDisconnected);
  EXPECT_EQ(mode(b), disconnect_mode::kUnreachable);
}

TEST_F(BasicCallTest, IncomingOutsideCall) {
  auto leg = world().call(PartyId{"4255550123", "Caller"}, "203");
  ASSERT_TRUE(leg.isOk());
  settle();
  CallId b = offeredAt("203");
  ASSERT_TRUE(b.valid());
  EXPECT_EQ(info(b).origin, CallOrigin::kExternal);
  EXPECT_EQ(info(b).caller.number, "4255550123");
  EXPECT_EQ(info(b).caller.name, "Caller");
  EXPECT_EQ(world().find(*leg)->state, S::kRingback);
  RequestId r = req();
  ok(r, sw().answer(r, b));
  EXPECT_EQ(world().find(*leg)->state, S::kConnected);
  // The outside party hangs up.
  ASSERT_TRUE(world().hangup(*leg).isOk());
  settle();
  EXPECT_EQ(state(b), S::kDisconnected);
  EXPECT_EQ(world().find(*leg), nullptr);
}

TEST_F(BasicCallTest, FarEndSendsDigits) {
  auto leg = world().call(PartyId{"5551234", ""}, "203");
  settle();
  CallId b = offeredAt("203");
  RequestId r = req();
  ok(r, sw().answer(r, b));
  ASSERT_TRUE(world().sendDigits(*leg, "12#").isOk());
  settle();
  EXPECT_EQ(rec_.digits(b), "12#");
}

TEST_F(BasicCallTest, AnsweringASecondCallHoldsTheFirst) {
  PbxConfig cfg = demoConfig();
  for (auto& s : cfg.sw.stations)
    s.busyTrigger = 2;  // call waiting
  start(std::move(cfg));
  auto [a, b] = connect("201", "202");
  CallId c = makeCall("203", "202");
  CallId b2 = offeredAt("202");
  EXPECT_NE(b2, b);
  EXPECT_EQ(state(c), S::kRingback);
  RequestId r = req();
  ok(r, sw().answer(r, b2));
  EXPECT_EQ(state(b), S::kOnHold);
  EXPECT_EQ(state(b2), S::kConnected);
  EXPECT_EQ(state(c), S::kConnected);
}

}  // namespace
}  // namespace tapir::pbx::testing
