// Hold, unhold, swap hold; blind and consultation transfer.
#include "pbx_fixture.h"

namespace tapir::pbx::testing {
namespace {

using S = CallState;
using K = Recorded::Kind;

class HoldTest : public PbxTest {};

TEST_F(HoldTest, HoldAndUnhold) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().hold(r, a));
  EXPECT_EQ(state(a), S::kOnHold);
  EXPECT_EQ(state(b), S::kConnected);  // being held does not change the far end's state
  auto f = sw().callStatus(a)->features;
  EXPECT_TRUE(f & call_feature::kUnhold);
  EXPECT_FALSE(f & call_feature::kHold);
  r = req();
  ok(r, sw().unhold(r, a));
  EXPECT_EQ(state(a), S::kConnected);
}

TEST_F(HoldTest, HoldErrors) {
  CallId a = makeCall("201", "202");
  EXPECT_EQ(sw().hold(req(), a).fault(), Fault::kBadCallState);  // ringback
  EXPECT_EQ(sw().unhold(req(), a).fault(), Fault::kBadCallState);
  EXPECT_EQ(sw().hold(req(), CallId(77, 3)).fault(), Fault::kBadCallHandle);
  EXPECT_EQ(sw().unhold(req(), CallId()).fault(), Fault::kBadCallHandle);
}

TEST_F(HoldTest, OutsidePartyHearsHold) {
  CallId a = makeCall("201", "95550177");
  ASSERT_EQ(state(a), S::kConnected);
  ASSERT_EQ(world().legs().size(), 1u);
  const CallId leg = world().legs()[0].leg;
  RequestId r = req();
  ok(r, sw().hold(r, a));
  EXPECT_TRUE(world().find(leg)->heldBySwitch);
  r = req();
  ok(r, sw().unhold(r, a));
  EXPECT_FALSE(world().find(leg)->heldBySwitch);
}

TEST_F(HoldTest, SwapHoldTogglesTwoCalls) {
  auto [a1, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().hold(r, a1));
  auto [a2, c] = connect("201", "203");
  r = req();
  ok(r, sw().swapHold(r, a2, a1));
  EXPECT_EQ(state(a1), S::kConnected);
  EXPECT_EQ(state(a2), S::kOnHold);
  r = req();
  ok(r, sw().swapHold(r, a1, a2));
  EXPECT_EQ(state(a1), S::kOnHold);
  EXPECT_EQ(state(a2), S::kConnected);
}

TEST_F(HoldTest, SwapHoldErrors) {
  auto [a1, b] = connect("201", "202");
  EXPECT_EQ(sw().swapHold(req(), a1, a1).fault(), Fault::kBadCallHandle);
  EXPECT_EQ(sw().swapHold(req(), a1, b).fault(), Fault::kBadCallHandle);  // another line
  auto [c1, d] = connect("203", "204");
  RequestId r = req();
  ok(r, sw().hold(r, c1));
  auto [c2, e] = connect("203", "205");
  EXPECT_EQ(sw().swapHold(req(), c1, c2).fault(), Fault::kBadCallState);  // active one is held
  EXPECT_EQ(sw().swapHold(req(), c2, CallId()).fault(), Fault::kBadCallHandle);
}

TEST_F(HoldTest, UnholdWhileAnotherCallIsActiveHoldsThatOne) {
  auto [a1, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().hold(r, a1));
  auto [a2, c] = connect("201", "203");
  r = req();
  ok(r, sw().unhold(r, a1));
  EXPECT_EQ(state(a1), S::kConnected);
  EXPECT_EQ(state(a2), S::kOnHold);
}

TEST_F(HoldTest, HeldPartyHangsUp) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().hold(r, a));
  r = req();
  ok(r, sw().drop(r, b));
  EXPECT_EQ(state(a), S::kDisconnected);
  EXPECT_EQ(mode(a), disconnect_mode::kNormal);
}

// ---- blind transfer ----------------------------------------------------------------

class TransferTest : public PbxTest {};

TEST_F(TransferTest, BlindTransferToAStation) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().blindTransfer(r, a, "203"));
  EXPECT_EQ(state(a), S::kIdle);
  CallId c = offeredAt("203");
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(info(c).reason, CallReason::kTransfer);
  EXPECT_EQ(info(c).caller.number, "202");
  EXPECT_EQ(info(c).redirecting.number, "201");
  EXPECT_EQ(state(b), S::kRingback);
  EXPECT_EQ(info(b).redirecting.number, "201");
  r = req();
  ok(r, sw().answer(r, c));
  EXPECT_EQ(state(b), S::kConnected);
  EXPECT_EQ(state(c), S::kConnected);
  EXPECT_EQ(info(b).connected.number, "203");
  // The transferring application's handle stays readable.
  ASSERT_NE(sw().callInfo(a), nullptr);
}

TEST_F(TransferTest, BlindTransferOfAnOutsideParty) {
  CallId a = makeCall("201", "95550177");
  ASSERT_EQ(state(a), S::kConnected);
  RequestId r = req();
  ok(r, sw().blindTransfer(r, a, "204"));
  CallId d = offeredAt("204");
  EXPECT_EQ(info(d).caller.number, "5550177");
  EXPECT_EQ(info(d).origin, CallOrigin::kExternal);
  EXPECT_EQ(info(d).reason, CallReason::kTransfer);
  EXPECT_EQ(world().legs()[0].state, S::kRingback);
  r = req();
  ok(r, sw().answer(r, d));
  EXPECT_EQ(world().legs()[0].connected.number, "204");
}

TEST_F(TransferTest, BlindTransferErrors) {
  auto [a, b] = connect("201", "202");
  EXPECT_EQ(sw().blindTransfer(req(), a, "299").fault(), Fault::kBadAddress);
  EXPECT_EQ(sw().blindTransfer(req(), a, "x").fault(), Fault::kBadAddress);
  EXPECT_EQ(sw().blindTransfer(req(), a, "201").fault(), Fault::kBadAddress);  // to itself
  EXPECT_EQ(sw().blindTransfer(req(), CallId(), "203").fault(), Fault::kBadCallHandle);
  CallId c = makeCall("203", "204");
  EXPECT_EQ(sw().blindTransfer(req(), c, "205").fault(), Fault::kBadCallState);
  settle();
  EXPECT_EQ(state(a), S::kConnected);
}

TEST_F(TransferTest, BlindTransferToABusyStation) {
  auto [a, b] = connect("201", "202");
  connect("203", "204");
  RequestId r = req();
  ok(r, sw().blindTransfer(r, a, "204"));
  EXPECT_EQ(state(b), S::kBusy);
}

// ---- consultation transfer ------------------------------------------------------------

TEST_F(TransferTest, ConsultationTransferCompleted) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto consult = sw().setupTransfer(r, a, {});
  ASSERT_TRUE(consult.isOk()) << consult.status().toString();
  settle();
  ASSERT_TRUE(rec_.replies[r].isOk());
  EXPECT_LT(rec_.replyIndex(r), rec_.indexOf(K::kState, *consult));
  EXPECT_EQ(rec_.newCalls(line("201")).size(), 0u) << "request-made calls are not announced";
  EXPECT_EQ(state(a), S::kOnHoldPendTransfer);
  EXPECT_EQ(state(*consult), S::kDialtone);
  EXPECT_EQ(info(*consult).relatedCallId, info(a).callId);
  r = req();
  ok(r, sw().dial(r, *consult, "203"));
  CallId c = offeredAt("203");
  r = req();
  ok(r, sw().answer(r, c));
  EXPECT_EQ(state(*consult), S::kConnected);
  EXPECT_TRUE(sw().callStatus(*consult)->features & call_feature::kCompleteTransf);

  r = req();
  auto conf = sw().completeTransfer(r, a, *consult, TransferMode::kTransfer);
  ASSERT_TRUE(conf.isOk());
  EXPECT_FALSE(conf->valid());
  settle();
  ASSERT_TRUE(rec_.replies[r].isOk());
  EXPECT_EQ(state(a), S::kIdle);
  EXPECT_EQ(state(*consult), S::kIdle);
  EXPECT_EQ(state(b), S::kConnected);
  EXPECT_EQ(state(c), S::kConnected);
  EXPECT_EQ(info(b).connected.number, "203");
  EXPECT_EQ(info(c).connected.number, "202");
  EXPECT_EQ(info(c).redirecting.number, "201");
  EXPECT_EQ(info(c).callId, info(b).callId);
  // 202 and 203 talk: one hangs up, the other hears it.
  r = req();
  ok(r, sw().drop(r, c));
  EXPECT_EQ(state(b), S::kDisconnected);
}

TEST_F(TransferTest, TransferWhileTheDestinationRings) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto consult = sw().setupTransfer(r, a, {});
  settle();
  r = req();
  ok(r, sw().dial(r, *consult, "203"));
  CallId c = offeredAt("203");
  EXPECT_EQ(state(*consult), S::kRingback);
  r = req();
  ok(r, sw().completeTransfer(r, a, *consult, TransferMode::kTransfer).status());
  EXPECT_EQ(state(b), S::kRingback);
  EXPECT_EQ(info(c).caller.number, "202");
  EXPECT_EQ(info(c).reason, CallReason::kTransfer);
  r = req();
  ok(r, sw().answer(r, c));
  EXPECT_EQ(state(b), S::kConnected);
}

TEST_F(TransferTest, TransferToABusyConsultationSendsThePartyToBusy) {
  connect("203", "204");
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto consult = sw().setupTransfer(r, a, {});
  settle();
  r = req();
  ok(r, sw().dial(r, *consult, "203"));
  EXPECT_EQ(state(*consult), S::kBusy);
  r = req();
  ok(r, sw().completeTransfer(r, a, *consult, TransferMode::kTransfer).status());
  EXPECT_EQ(state(b), S::kBusy);
}

TEST_F(TransferTest, CompleteTransferAsConference) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto consult = sw().setupTransfer(r, a, {});
  settle();
  r = req();
  ok(r, sw().dial(r, *consult, "203"));
  CallId c = offeredAt("203");
  r = req();
  ok(r, sw().answer(r, c));
  r = req();
  auto conf = sw().completeTransfer(r, a, *consult, TransferMode::kConference);
  ASSERT_TRUE(conf.isOk());
  ASSERT_TRUE(conf->valid());
  settle();
  ASSERT_TRUE(rec_.replies[r].isOk());
  EXPECT_LT(rec_.replyIndex(r), rec_.indexOf(K::kState, *conf));
  EXPECT_EQ(state(*conf), S::kConnected);
  EXPECT_EQ(info(*conf).origin, CallOrigin::kConference);
  EXPECT_EQ(state(a), S::kConferenced);
  EXPECT_EQ(state(*consult), S::kConferenced);
  auto related = sw().conferenceCalls(a);
  ASSERT_TRUE(related.isOk());
  EXPECT_EQ(*related, (std::vector<CallId>{*conf, a, *consult}));
  EXPECT_EQ(state(b), S::kConnected);
  EXPECT_EQ(state(c), S::kConnected);
}

TEST_F(TransferTest, DroppingTheConsultationRestoresTheOriginal) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto consult = sw().setupTransfer(r, a, {});
  settle();
  r = req();
  ok(r, sw().drop(r, *consult));
  EXPECT_EQ(state(*consult), S::kIdle);
  EXPECT_EQ(state(a), S::kConnected);
}

TEST_F(TransferTest, UnholdingTheOriginalCancelsTheConsultation) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto consult = sw().setupTransfer(r, a, {});
  settle();
  r = req();
  ok(r, sw().dial(r, *consult, "203"));
  CallId c = offeredAt("203");
  r = req();
  ok(r, sw().unhold(r, a));
  EXPECT_EQ(state(a), S::kConnected);
  EXPECT_EQ(state(*consult), S::kIdle);
  EXPECT_EQ(state(c), S::kIdle);  // the offer was withdrawn
}

TEST_F(TransferTest, SwapHoldBetweenOriginalAndConsultation) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto consult = sw().setupTransfer(r, a, {});
  settle();
  r = req();
  ok(r, sw().dial(r, *consult, "203"));
  r = req();
  ok(r, sw().answer(r, offeredAt("203")));
  r = req();
  ok(r, sw().swapHold(r, *consult, a));
  EXPECT_EQ(state(a), S::kConnected);
  EXPECT_EQ(state(*consult), S::kOnHoldPendTransfer);
  // Completing from the swapped side joins the same two parties.
  r = req();
  ok(r, sw().completeTransfer(r, *consult, a, TransferMode::kTransfer).status());
  EXPECT_EQ(state(b), S::kConnected);
  EXPECT_EQ(info(b).connected.number, "203");
}

TEST_F(TransferTest, OneStepTransferDialsTheTarget) {
  auto [a, b] = connect("201", "202");
  CallParams p;
  p.flags = call_param_flag::kOneStepTransfer;
  p.targetAddress = "204";
  RequestId r = req();
  auto consult = sw().setupTransfer(r, a, p);
  ASSERT_TRUE(consult.isOk());
  settle();
  EXPECT_EQ(state(*consult), S::kRingback);
  EXPECT_TRUE(offeredAt("204").valid());
}

TEST_F(TransferTest, ConsultationTransferErrors) {
  auto [a, b] = connect("201", "202");
  CallId ringing = makeCall("203", "204");
  EXPECT_EQ(sw().setupTransfer(req(), ringing, {}).status().fault(), Fault::kBadCallState);
  EXPECT_EQ(sw().setupTransfer(req(), CallId(), {}).status().fault(), Fault::kBadCallHandle);
  RequestId r = req();
  auto consult = sw().setupTransfer(r, a, {});
  settle();
  // The consultation is still at dial tone.
  EXPECT_EQ(sw().completeTransfer(req(), a, *consult, TransferMode::kTransfer).status().fault(),
            Fault::kBadCallState);
  EXPECT_EQ(
      sw().completeTransfer(req(), a, *consult, static_cast<TransferMode>(7)).status().fault(),
      Fault::kBadTransferMode);
  EXPECT_EQ(sw().completeTransfer(req(), a, CallId(), TransferMode::kTransfer).status().fault(),
            Fault::kBadConsultCallHandle);
  EXPECT_EQ(sw().completeTransfer(req(), a, ringing, TransferMode::kTransfer).status().fault(),
            Fault::kBadConsultCallHandle);  // on another line
  EXPECT_EQ(sw().setupTransfer(req(), a, {}).status().fault(), Fault::kBadCallState);
  r = req();
  ok(r, sw().dial(r, *consult, "205"));
  // The call to transfer must be the held one.
  EXPECT_EQ(sw().completeTransfer(req(), *consult, a, TransferMode::kTransfer).status().fault(),
            Fault::kBadCallState);
}

TEST_F(TransferTest, TransferredPartyHangsUpDuringConsultation) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto consult = sw().setupTransfer(r, a, {});
  settle();
  r = req();
  ok(r, sw().drop(r, b));
  EXPECT_EQ(state(a), S::kDisconnected);
  EXPECT_EQ(state(*consult), S::kDialtone);
  EXPECT_EQ(sw().completeTransfer(req(), a, *consult, TransferMode::kTransfer).status().fault(),
            Fault::kBadCallState);
}

}  // namespace
}  // namespace tapir::pbx::testing
