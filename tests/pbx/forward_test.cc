// Forwarding: unconditional, busy, no answer, busy/no answer; for all,
// internal, external and specific callers; do-not-disturb; loops; errors.
#include "pbx_fixture.h"

namespace tapir::pbx::testing {
namespace {

using S = CallState;
using K = Recorded::Kind;
namespace fm = forward_mode;

class ForwardTest : public PbxTest {
 protected:
  Status setForward(const std::string& number, std::vector<ForwardEntry> entries,
                    std::uint32_t rings = 4) {
    RequestId r = req();
    return outcome(r, sw().forward(r, line(number), false, 0, entries, rings));
  }
  void forward(const std::string& number, std::uint32_t mode, const std::string& dest,
               const std::string& caller = "", std::uint32_t rings = 4) {
    Status st = setForward(number, {ForwardEntry{mode, caller, dest}}, rings);
    ASSERT_TRUE(st.isOk()) << st.toString();
  }
  Duration rings(int n) { return sw().config().ringPeriod * n; }
};

TEST_F(ForwardTest, Unconditional) {
  forward("202", fm::kUncond, "203");
  EXPECT_GE(rec_.indexOf(K::kAddress, CallId(), 0), 0);
  auto status = sw().addressStatus(line("202"), 0);
  ASSERT_EQ(status->forward.size(), 1u);
  EXPECT_EQ(status->forward[0].destAddress, "203");
  CallId a = makeCall("201", "202");
  CallId c = offeredAt("203");
  ASSERT_TRUE(c.valid());
  EXPECT_TRUE(rec_.newCalls(line("202")).empty());
  EXPECT_EQ(info(c).reason, CallReason::kFwdUncond);
  EXPECT_EQ(info(c).caller.number, "201");
  EXPECT_EQ(info(c).called.number, "203");
  EXPECT_EQ(info(c).redirecting.number, "202");
  EXPECT_EQ(info(c).redirection.number, "203");
  EXPECT_EQ(info(a).redirection.number, "203");
  EXPECT_EQ(info(a).called.number, "202");
  EXPECT_EQ(state(a), S::kRingback);
}

TEST_F(ForwardTest, UnconditionalToOutside) {
  forward("202", fm::kUncond, "95550177");
  CallId a = makeCall("201", "202");
  EXPECT_EQ(state(a), S::kConnected);
  EXPECT_EQ(info(a).connected.number, "5550177");
}

TEST_F(ForwardTest, InternalOnlyAppliesToStations) {
  forward("202", fm::kUncondInternal, "203");
  makeCall("201", "202");
  EXPECT_TRUE(offeredAt("203").valid());
  EXPECT_FALSE(offeredAt("202").valid());
  ASSERT_TRUE(world().call(PartyId{"5551234", ""}, "202").isOk());
  settle();
  EXPECT_TRUE(offeredAt("202").valid());
}

TEST_F(ForwardTest, ExternalOnlyAppliesToOutsideCallers) {
  forward("202", fm::kUncondExternal, "203");
  makeCall("201", "202");
  EXPECT_TRUE(offeredAt("202").valid());
  EXPECT_FALSE(offeredAt("203").valid());
  ASSERT_TRUE(world().call(PartyId{"5551234", ""}, "202").isOk());
  settle();
  EXPECT_TRUE(offeredAt("203").valid());
}

TEST_F(ForwardTest, SpecificCaller) {
  forward("202", fm::kUncondSpecific, "203", "204");
  makeCall("201", "202");
  EXPECT_TRUE(offeredAt("202").valid());
  EXPECT_FALSE(offeredAt("203").valid());
  makeCall("204", "202");  // 202 is busy now, but this caller is forwarded first
  EXPECT_TRUE(offeredAt("203").valid());
}

TEST_F(ForwardTest, Busy) {
  forward("202", fm::kBusy, "203");
  connect("201", "202");
  CallId c = makeCall("204", "202");
  CallId d = offeredAt("203");
  ASSERT_TRUE(d.valid());
  EXPECT_EQ(info(d).reason, CallReason::kFwdBusy);
  EXPECT_EQ(state(c), S::kRingback);
}

TEST_F(ForwardTest, BusyDoesNotForwardWhenFree) {
  forward("202", fm::kBusy, "203");
  makeCall("201", "202");
  EXPECT_TRUE(offeredAt("202").valid());
  EXPECT_FALSE(offeredAt("203").valid());
}

TEST_F(ForwardTest, NoAnswerAfterRings) {
  forward("202", fm::kNoAnsw, "203", "", 2);
  EXPECT_EQ(sw().addressStatus(line("202"), 0)->numRingsNoAnswer, 2u);
  CallId a = makeCall("201", "202");
  CallId b = offeredAt("202");
  advance(rings(2) - std::chrono::milliseconds(1));
  EXPECT_EQ(state(b), S::kOffering);
  EXPECT_FALSE(offeredAt("203").valid());
  advance(std::chrono::milliseconds(1));
  EXPECT_EQ(rec_.statesWithModes(b), (std::vector<std::pair<S, std::uint32_t>>{
                                         {S::kOffering, offering_mode::kActive},
                                         {S::kDisconnected, disconnect_mode::kForwarded},
                                         {S::kIdle, 0}}));
  CallId c = offeredAt("203");
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(info(c).reason, CallReason::kFwdNoAnswer);
  EXPECT_EQ(info(c).redirecting.number, "202");
  EXPECT_EQ(state(a), S::kRingback);
  RequestId r = req();
  ok(r, sw().answer(r, c));
  EXPECT_EQ(state(a), S::kConnected);
}

TEST_F(ForwardTest, RingingReportsTheRingCount) {
  makeCall("201", "202");
  advance(rings(2));
  std::vector<std::uint32_t> counts;
  for (const auto& e : rec_.events)
    if (e.kind == K::kLine && e.a == line_event::kRinging && e.line == line("202"))
      counts.push_back(e.c);
  EXPECT_EQ(counts, (std::vector<std::uint32_t>{1, 2, 3}));
}

TEST_F(ForwardTest, BusyNoAnswerCoversBoth) {
  forward("202", fm::kBusyNa, "203", "", 1);
  makeCall("201", "202");
  advance(rings(1));
  EXPECT_TRUE(offeredAt("203").valid());
  forward("204", fm::kBusyNa, "205");
  connect("206", "204");
  makeCall("207", "204");
  EXPECT_TRUE(offeredAt("205").valid());
}

TEST_F(ForwardTest, DoNotDisturb) {
  forward("202", fm::kUncond, "");
  CallId a = makeCall("201", "202");
  EXPECT_EQ(state(a), S::kDisconnected);
  EXPECT_EQ(mode(a), disconnect_mode::kDoNotDisturb);
  EXPECT_FALSE(offeredAt("202").valid());
}

TEST_F(ForwardTest, ChainsAreFollowed) {
  forward("202", fm::kUncond, "203");
  forward("203", fm::kUncond, "204");
  makeCall("201", "202");
  CallId d = offeredAt("204");
  ASSERT_TRUE(d.valid());
  EXPECT_EQ(info(d).redirecting.number, "203");
}

TEST_F(ForwardTest, LoopsStopWhereTheyWouldClose) {
  forward("202", fm::kUncond, "203");
  forward("203", fm::kUncond, "202");
  CallId a = makeCall("201", "202");
  EXPECT_TRUE(offeredAt("203").valid());
  EXPECT_FALSE(offeredAt("202").valid());
  EXPECT_EQ(state(a), S::kRingback);
}

TEST_F(ForwardTest, NoAnswerLoopKeepsRinging) {
  forward("202", fm::kNoAnsw, "203", "", 1);
  forward("203", fm::kNoAnsw, "202", "", 1);
  makeCall("201", "202");
  advance(rings(5));
  CallId c = offeredAt("203");
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(state(c), S::kOffering);
  EXPECT_EQ(rec_.newCalls(line("202")).size(), 1u);
}

TEST_F(ForwardTest, CancelAllForwarding) {
  forward("202", fm::kUncond, "203");
  ASSERT_TRUE(setForward("202", {}).isOk());
  EXPECT_TRUE(sw().addressStatus(line("202"), 0)->forward.empty());
  makeCall("201", "202");
  EXPECT_TRUE(offeredAt("202").valid());
}

TEST_F(ForwardTest, NewListReplacesTheOld) {
  forward("202", fm::kUncond, "203");
  forward("202", fm::kBusy, "204");
  auto st = sw().addressStatus(line("202"), 0);
  ASSERT_EQ(st->forward.size(), 1u);
  EXPECT_EQ(st->forward[0].mode, fm::kBusy);
}

TEST_F(ForwardTest, RingsAreClampedToTheRange) {
  forward("202", fm::kNoAnsw, "203", "", 99);
  EXPECT_EQ(sw().addressStatus(line("202"), 0)->numRingsNoAnswer, 15u);
  forward("202", fm::kNoAnsw, "203", "", 0);
  EXPECT_EQ(sw().addressStatus(line("202"), 0)->numRingsNoAnswer, 1u);
}

TEST_F(ForwardTest, Errors) {
  auto fwd = [&](std::vector<ForwardEntry> e) {
    return sw().forward(req(), line("202"), false, 0, e, 4).fault();
  };
  EXPECT_EQ(fwd({ForwardEntry{fm::kUncond | fm::kBusy, "", "203"}}), Fault::kBadParam);
  EXPECT_EQ(fwd({ForwardEntry{0, "", "203"}}), Fault::kBadParam);
  EXPECT_EQ(fwd({ForwardEntry{fm::kUnknown, "", "203"}}), Fault::kBadParam);
  EXPECT_EQ(fwd({ForwardEntry{fm::kBusySpecific, "", "203"}}), Fault::kBadParam);
  EXPECT_EQ(fwd({ForwardEntry{fm::kUncond, "", "202"}}), Fault::kBadAddress);
  EXPECT_EQ(fwd({ForwardEntry{fm::kUncond, "", "299"}}), Fault::kBadAddress);
  EXPECT_EQ(fwd({ForwardEntry{fm::kUncond, "", "2x3"}}), Fault::kBadAddress);
  EXPECT_EQ(fwd({ForwardEntry{fm::kUncond, "", "701"}}), Fault::kBadAddress);
  EXPECT_EQ(fwd(std::vector<ForwardEntry>(20, ForwardEntry{fm::kBusy, "", "203"})),
            Fault::kBadParam);
  EXPECT_EQ(sw().forward(req(), LineId(), false, 0, {}, 4).fault(), Fault::kBadLineHandle);
  EXPECT_EQ(sw().forward(req(), line("202"), false, 9, {}, 4).fault(), Fault::kBadAddressId);
  settle();
  EXPECT_TRUE(sw().addressStatus(line("202"), 0)->forward.empty());
}

}  // namespace
}  // namespace tapir::pbx::testing
