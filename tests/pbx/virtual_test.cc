// The simulated world: scripted outside numbers and stations acting on their
// own, with delays and failures; and the reachability of every call state.
#include <set>

#include "pbx_fixture.h"

namespace tapir::pbx::testing {
namespace {

using S = CallState;

const char* kScripted = R"(
[switch]
ring_period = "6s"

[park]
orbits = "701-702"

[outside]
prefix = "9"
min_digits = 7
max_digits = 10
default = ["ring 1", "answer"]

[[outside.number]]
number = "5550001"
script = ["congestion"]

[[outside.number]]
number = "5550002"
script = ["invalid"]

[[outside.number]]
number = "5550003"
script = ["reject"]

[[outside.number]]
number = "5550004"
script = ["reorder"]

[[outside.number]]
number = "5550005"
script = ["answer", "wait 2s", "dtmf 42#", "wait 1s", "hold", "wait 1s", "unhold"]

[[outside.number]]
number = "5550006"
script = ["answer", "wait 5s", "transfer 302"]

[[outside.number]]
number = "5550007"
script = ["ring 1", "unreachable"]

[[station]]
number = "301"

[[station]]
number = "302"

[[station]]
number = "303"
script = ["ring 2", "answer", "wait 30s", "hangup"]

[[station]]
number = "304"
delay = "500ms"
fail = ["hold"]

[[station]]
number = "305"
out_of_order = true

[[station]]
number = "306"
script = ["answer", "wait 3s", "transfer 302"]
)";

class VirtualTest : public PbxTest {
 protected:
  void SetUp() override { start(configFromText(kScripted)); }
};

TEST_F(VirtualTest, ScriptedStationAnswersAfterTwoRingsAndHangsUp) {
  CallId a = makeCall("301", "303");
  CallId b = offeredAt("303");
  advance(sw().config().ringPeriod * 2 - std::chrono::milliseconds(1));
  EXPECT_EQ(state(b), S::kOffering);
  advance(std::chrono::milliseconds(1));
  EXPECT_EQ(state(b), S::kConnected);
  EXPECT_EQ(state(a), S::kConnected);
  advanceSeconds(30);
  EXPECT_EQ(state(b), S::kIdle);
  EXPECT_EQ(state(a), S::kDisconnected);
}

TEST_F(VirtualTest, SlowPhoneDelaysTheReply) {
  CallId a = makeCall("301", "304");
  CallId b = offeredAt("304");
  RequestId r = req();
  ASSERT_TRUE(sw().answer(r, b).isOk());
  settle();
  EXPECT_EQ(rec_.replies.count(r), 0u);
  EXPECT_EQ(state(b), S::kOffering);
  advance(std::chrono::milliseconds(500));
  ASSERT_EQ(rec_.replies.count(r), 1u);
  EXPECT_TRUE(rec_.replies[r].isOk());
  EXPECT_EQ(state(b), S::kConnected);
  EXPECT_EQ(state(a), S::kConnected);
}

TEST_F(VirtualTest, PhoneRefusesHold) {
  RequestId r = req();
  auto made = sw().makeCall(r, line("304"), 0, "301", {});  // a slow phone: reply after 500 ms
  ASSERT_TRUE(made.isOk());
  advance(std::chrono::seconds(1));
  ASSERT_TRUE(rec_.replies[r].isOk());
  CallId a = *made;
  CallId b = offeredAt("301");
  r = req();
  ok(r, sw().answer(r, b));
  r = req();
  ASSERT_TRUE(sw().hold(r, a).isOk());
  advance(std::chrono::seconds(1));
  ASSERT_EQ(rec_.replies.count(r), 1u);
  EXPECT_EQ(rec_.replies[r].fault(), Fault::kOperationFailed);
  EXPECT_EQ(state(a), S::kConnected);
}

TEST_F(VirtualTest, StateChangedWhileThePhoneWorkedIsRechecked) {
  CallId a = makeCall("301", "304");
  CallId b = offeredAt("304");
  RequestId r = req();
  ASSERT_TRUE(sw().answer(r, b).isOk());
  // The caller gives up before the slow phone answers.
  RequestId d = req();
  ok(d, sw().drop(d, a));
  advance(std::chrono::milliseconds(500));
  EXPECT_EQ(rec_.replies[r].fault(), Fault::kBadCallState);
  EXPECT_EQ(state(b), S::kIdle);
}

TEST_F(VirtualTest, OutOfOrderStation) {
  CallId a = makeCall("301", "305");
  EXPECT_EQ(state(a), S::kDisconnected);
  EXPECT_EQ(mode(a), disconnect_mode::kOutOfOrder);
  CallId b = offeredAt("305");
  EXPECT_EQ(rec_.states(b), (std::vector<S>{S::kOffering, S::kDisconnected, S::kIdle}));
}

TEST_F(VirtualTest, OutsideRefusals) {
  CallId a = makeCall("301", "95550001");
  EXPECT_EQ(state(a), S::kSpecialInfo);
  EXPECT_EQ(mode(a), special_info::kNoCircuit);
  CallId b = makeCall("302", "95550002");
  EXPECT_EQ(state(b), S::kSpecialInfo);
  EXPECT_EQ(mode(b), special_info::kCustIrreg);
  CallId c = makeCall("303", "95550003");
  EXPECT_EQ(state(c), S::kDisconnected);
  EXPECT_EQ(mode(c), disconnect_mode::kReject);
  CallId d = makeCall("301", "95550004");
  EXPECT_EQ(state(d), S::kSpecialInfo);
  EXPECT_EQ(mode(d), special_info::kReorder);
  CallId e = makeCall("306", "95550007");
  EXPECT_EQ(state(e), S::kRingback);
  advance(sw().config().ringPeriod);
  EXPECT_EQ(state(e), S::kDisconnected);
  EXPECT_EQ(mode(e), disconnect_mode::kUnreachable);
  EXPECT_TRUE(world().legs().empty());
}

TEST_F(VirtualTest, FarEndDigitsAndHold) {
  CallId a = makeCall("301", "95550005");
  ASSERT_EQ(state(a), S::kConnected);
  advanceSeconds(5);
  EXPECT_EQ(rec_.digits(a), "42#");
  EXPECT_EQ(state(a), S::kConnected);  // far-end hold is not a TAPI state
}

TEST_F(VirtualTest, FarEndTransfersTheStation) {
  CallId a = makeCall("301", "95550006");
  ASSERT_EQ(state(a), S::kConnected);
  advanceSeconds(5);
  EXPECT_EQ(state(a), S::kRingback);
  EXPECT_EQ(info(a).redirecting.number, "5550006");
  CallId b = offeredAt("302");
  ASSERT_TRUE(b.valid());
  EXPECT_EQ(info(b).caller.number, "301");
  EXPECT_EQ(info(b).reason, CallReason::kTransfer);
  RequestId r = req();
  ok(r, sw().answer(r, b));
  EXPECT_EQ(state(a), S::kConnected);
}

TEST_F(VirtualTest, ScriptedStationTransfersTheCaller) {
  CallId a = makeCall("301", "306");
  advanceSeconds(3);
  CallId b = offeredAt("302");
  ASSERT_TRUE(b.valid());
  EXPECT_EQ(info(b).caller.number, "301");
  EXPECT_EQ(info(b).redirecting.number, "306");
  EXPECT_EQ(state(a), S::kRingback);
}

TEST_F(VirtualTest, OutsideCallerFollowsItsScript) {
  auto script = sim::parseScript(std::vector<std::string>{"wait 10s", "hangup"});
  ASSERT_TRUE(script.isOk());
  auto leg = world().call(PartyId{"5559999", "Impatient"}, "302", *script);
  ASSERT_TRUE(leg.isOk());
  settle();
  CallId b = offeredAt("302");
  EXPECT_EQ(state(b), S::kOffering);
  advanceSeconds(10);
  EXPECT_EQ(state(b), S::kIdle);
  EXPECT_EQ(world().find(*leg), nullptr);
}

TEST_F(VirtualTest, OutsideCallerWaitsForAnswerThenHangsUp) {
  auto script = sim::parseScript(std::vector<std::string>{"await connected", "wait 4s", "hangup"});
  auto leg = world().call(PartyId{"5559999", ""}, "301", *script);
  settle();
  advanceSeconds(60);
  CallId b = offeredAt("301");
  EXPECT_EQ(state(b), S::kOffering);
  RequestId r = req();
  ok(r, sw().answer(r, b));
  advanceSeconds(4);
  EXPECT_EQ(state(b), S::kDisconnected);
}

TEST_F(VirtualTest, OutsideCallerToABusyStationIsReleased) {
  connect("301", "302");
  std::vector<S> seen;
  world().observer = [&](const sim::VirtualWorld::LegView& v) { seen.push_back(v.state); };
  auto leg = world().call(PartyId{"5559999", ""}, "302");
  ASSERT_TRUE(leg.isOk());
  settle();
  EXPECT_EQ(seen, (std::vector<S>{S::kProceeding, S::kBusy, S::kIdle}));
  EXPECT_EQ(world().find(*leg), nullptr);
}

TEST_F(VirtualTest, FarEndActionsOnUnknownLegsFail) {
  EXPECT_EQ(world().hangup(CallId(5, 5)).fault(), Fault::kBadCallHandle);
  EXPECT_EQ(world().sendDigits(CallId(5, 5), "1").fault(), Fault::kBadCallHandle);
  EXPECT_EQ(world().hold(CallId(5, 5), true).fault(), Fault::kBadCallHandle);
  EXPECT_EQ(world().transfer(CallId(5, 5), "301").fault(), Fault::kBadCallHandle);
  EXPECT_EQ(world().call(PartyId{"1", ""}, "30x").status().fault(), Fault::kBadAddress);
}

// Every TAPI call state but UNKNOWN shows up in ordinary use of the switch.
TEST_F(VirtualTest, EveryCallStateIsReachable) {
  start(demoConfig());
  std::set<std::uint32_t> seen;
  auto [a, b] = connect("201", "202");  // DIALING PROCEEDING RINGBACK OFFERING CONNECTED
  CallId t = makeCall("203", "");       // DIALTONE
  CallId x = makeCall("204", "205");
  RequestId r = req();
  ok(r, sw().accept(r, offeredAt("205")));  // ACCEPTED
  CallId busy = makeCall("206", "202");     // BUSY
  r = req();
  auto consult = sw().setupTransfer(r, a, {});  // ONHOLDPENDTRANSFER
  settle();
  r = req();
  ok(r, sw().drop(r, *consult));
  r = req();
  auto setup = sw().setupConference(r, a, LineId(), 0, 3, {});  // ONHOLDPENDCONF CONFERENCED
  settle();
  r = req();
  ok(r, sw().drop(r, setup->consultation));
  r = req();
  ok(r, sw().hold(r, a));  // ONHOLD
  r = req();
  ok(r, sw().drop(r, b));  // DISCONNECTED, IDLE
  PbxConfig cfg = configFromText(kScripted);
  for (const auto& e : rec_.events)
    if (e.kind == Recorded::Kind::kState) seen.insert(e.a);
  start(std::move(cfg));
  makeCall("301", "95550001");  // SPECIALINFO
  for (const auto& e : rec_.events)
    if (e.kind == Recorded::Kind::kState) seen.insert(e.a);
  for (std::uint32_t s = 1; s < bit(S::kUnknown); s <<= 1) {
    EXPECT_TRUE(seen.count(s)) << callStateName(static_cast<S>(s)) << " never reached";
  }
  (void)t;
  (void)x;
  (void)busy;
}

}  // namespace
}  // namespace tapir::pbx::testing
