// Park (directed, nondirected, recall), unpark, and pickup (directed, group).
#include "pbx_fixture.h"

namespace tapir::pbx::testing {
namespace {

using S = CallState;

class ParkTest : public PbxTest {
 protected:
  CallId unparkAt(const std::string& number, const std::string& orbit) {
    RequestId r = req();
    auto u = sw().unpark(r, line(number), 0, orbit);
    EXPECT_TRUE(u.isOk()) << u.status().toString();
    settle();
    EXPECT_TRUE(rec_.replies[r].isOk()) << rec_.replies[r].toString();
    return u.isOk() ? *u : CallId();
  }
};

TEST_F(ParkTest, DirectedParkAndUnpark) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kDirected, "705"));
  EXPECT_EQ(state(a), S::kIdle);
  EXPECT_EQ(state(b), S::kConnected);  // the parked party waits, still connected
  EXPECT_EQ(sw().orbits()[4].number, "705");
  EXPECT_TRUE(sw().orbits()[4].parked.valid());
  EXPECT_EQ(info(b).connected.number, "705");

  CallId u = unparkAt("203", "705");
  EXPECT_EQ(state(u), S::kConnected);
  EXPECT_EQ(info(u).reason, CallReason::kUnpark);
  EXPECT_EQ(info(u).origin, CallOrigin::kInternal);
  EXPECT_EQ(info(u).connected.number, "202");
  EXPECT_EQ(info(b).connected.number, "203");
  EXPECT_FALSE(sw().orbits()[4].parked.valid());
  // A new handle, unrelated to the parked one.
  EXPECT_NE(u, a);
  EXPECT_TRUE(rec_.newCalls(line("203")).empty());
}

TEST_F(ParkTest, NonDirectedParkReturnsTheOrbit) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kNonDirected, ""));
  EXPECT_EQ(rec_.replyData[r].address, "701");
  auto [c, d] = connect("203", "204");
  r = req();
  ok(r, sw().park(r, c, ParkMode::kNonDirected, ""));
  EXPECT_EQ(rec_.replyData[r].address, "702");
  CallId u = unparkAt("205", "702");
  EXPECT_EQ(info(u).connected.number, "204");
}

TEST_F(ParkTest, ParkErrors) {
  auto [a, b] = connect("201", "202");
  EXPECT_EQ(sw().park(req(), a, ParkMode::kDirected, "799").fault(), Fault::kBadAddress);
  EXPECT_EQ(sw().park(req(), a, ParkMode::kDirected, "203").fault(), Fault::kBadAddress);
  EXPECT_EQ(sw().park(req(), a, static_cast<ParkMode>(4), "701").fault(), Fault::kBadParkMode);
  EXPECT_EQ(sw().park(req(), CallId(), ParkMode::kDirected, "701").fault(), Fault::kBadCallHandle);
  CallId ringing = makeCall("203", "204");
  EXPECT_EQ(sw().park(req(), ringing, ParkMode::kDirected, "701").fault(), Fault::kBadCallState);
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kDirected, "701"));
  auto [c, d] = connect("205", "206");
  EXPECT_EQ(sw().park(req(), c, ParkMode::kDirected, "701").fault(), Fault::kOperationFailed);
  EXPECT_EQ(sw().unpark(req(), line("207"), 0, "702").status().fault(), Fault::kOperationFailed);
  EXPECT_EQ(sw().unpark(req(), line("207"), 0, "999").status().fault(), Fault::kBadAddress);
  EXPECT_EQ(sw().unpark(req(), LineId(), 0, "701").status().fault(), Fault::kBadLineHandle);
  EXPECT_EQ(sw().unpark(req(), line("207"), 3, "701").status().fault(), Fault::kBadAddressId);
}

// linePark: with no room for the orbit the reply is STRUCTURETOOSMALL and the
// application is to retry with more, so nothing may have been parked.
TEST_F(ParkTest, NonDirectedParkWithNoRoomForTheOrbitDoesNotPark) {
  auto [a, b] = connect("201", "202");
  EXPECT_EQ(sw().park(req(), a, ParkMode::kNonDirected, "", 2).fault(), Fault::kStructureTooSmall);
  EXPECT_EQ(sw().park(req(), a, ParkMode::kNonDirected, "", 0).fault(), Fault::kStructureTooSmall);
  settle();
  EXPECT_EQ(state(a), S::kConnected);
  EXPECT_EQ(state(b), S::kConnected);
  for (const Orbit& o : sw().orbits())
    EXPECT_FALSE(o.parked.valid()) << o.number;
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kNonDirected, "", 3));  // the retry, with room
  EXPECT_EQ(rec_.replyData[r].address, "701");
  EXPECT_EQ(state(a), S::kIdle);
}

TEST_F(ParkTest, DirectedParkNeedsNoRoomForTheOrbit) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kDirected, "701", 0));  // the caller named it
  EXPECT_EQ(state(a), S::kIdle);
}

TEST_F(ParkTest, RoomForTheOrbitIsCheckedAgainWhenThePhoneAnswers) {
  // A phone that carries requests out only when the test says so.
  class SlowPhone final : public StationEndpoint {
   public:
    SlowPhone(Switch& sw, std::uint32_t station) : sw_(sw), station_(station) {
      sw_.setStationEndpoint(station_, this);
    }
    ~SlowPhone() override { sw_.setStationEndpoint(station_, nullptr); }
    void perform(OpToken token, CallId, StationOp) override { tokens.push_back(token); }
    std::vector<OpToken> tokens;

   private:
    Switch& sw_;
    std::uint32_t station_;
  };
  PbxConfig cfg = demoConfig();
  cfg.sw.parkOrbits = {"71", "7001"};
  start(std::move(cfg));
  auto [a, b] = connect("201", "202");
  SlowPhone phone(sw(), stationOf("201"));
  const RequestId r = req();
  ASSERT_TRUE(sw().park(r, a, ParkMode::kNonDirected, "", 2).isOk());  // 71 fits
  ASSERT_EQ(phone.tokens.size(), 1u);
  // Meanwhile another call takes 71; only 7001 is left, and it does not fit.
  auto [c, d] = connect("203", "204");
  RequestId other = req();
  ok(other, sw().park(other, c, ParkMode::kNonDirected, ""));
  EXPECT_EQ(rec_.replyData[other].address, "71");
  sw().opDone(phone.tokens[0], Status());
  EXPECT_EQ(outcome(r, Status()).fault(), Fault::kStructureTooSmall);
  EXPECT_EQ(state(a), S::kConnected);
  EXPECT_FALSE(sw().orbits()[1].parked.valid());
}

TEST_F(ParkTest, NoFreeOrbit) {
  PbxConfig cfg = demoConfig();
  cfg.sw.parkOrbits = {"701"};
  start(std::move(cfg));
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kNonDirected, ""));
  auto [c, d] = connect("203", "204");
  EXPECT_EQ(sw().park(req(), c, ParkMode::kNonDirected, "").fault(), Fault::kResourceUnavail);
}

TEST_F(ParkTest, NoOrbitsMeansNoPark) {
  PbxConfig cfg = demoConfig();
  cfg.sw.parkOrbits.clear();
  start(std::move(cfg));
  auto [a, b] = connect("201", "202");
  EXPECT_EQ(sw().park(req(), a, ParkMode::kNonDirected, "").fault(), Fault::kOperationUnavail);
  EXPECT_FALSE(sw().lineCaps(line("201"))->addresses[0].callFeatures & call_feature::kPark);
  EXPECT_EQ(sw().lineCaps(line("201"))->addresses[0].parkModes, 0u);
  EXPECT_FALSE(sw().callStatus(a)->features & call_feature::kPark);
}

TEST_F(ParkTest, ParkedOutsidePartyHearsHoldAndCanBeUnparked) {
  CallId a = makeCall("201", "95550177");
  const CallId leg = world().legs()[0].leg;
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kDirected, "703"));
  EXPECT_TRUE(world().find(leg)->heldBySwitch);
  CallId u = unparkAt("204", "703");
  EXPECT_EQ(info(u).origin, CallOrigin::kExternal);
  EXPECT_EQ(info(u).connected.number, "5550177");
  EXPECT_FALSE(world().find(leg)->heldBySwitch);
  EXPECT_EQ(world().find(leg)->connected.number, "204");
}

TEST_F(ParkTest, ParkedPartyHangsUpFreesTheOrbit) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kDirected, "701"));
  r = req();
  ok(r, sw().drop(r, b));
  EXPECT_FALSE(sw().orbits()[0].parked.valid());
  EXPECT_EQ(sw().unpark(req(), line("203"), 0, "701").status().fault(), Fault::kOperationFailed);
}

TEST_F(ParkTest, DialingTheOrbitRetrievesTheCall) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kDirected, "706"));
  CallId c = makeCall("204", "706");
  EXPECT_EQ(state(c), S::kConnected);
  EXPECT_EQ(info(c).reason, CallReason::kUnpark);
  EXPECT_EQ(info(c).connected.number, "202");
  CallId e = makeCall("205", "707");  // nothing parked there
  EXPECT_EQ(state(e), S::kDisconnected);
}

TEST_F(ParkTest, ParkRecallRingsTheParker) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kDirected, "701"));
  advance(sw().config().parkRecall - std::chrono::milliseconds(1));
  EXPECT_TRUE(rec_.newCalls(line("201")).empty());
  advance(std::chrono::milliseconds(1));
  CallId recall = offeredAt("201");
  ASSERT_TRUE(recall.valid());
  EXPECT_EQ(state(recall), S::kOffering);
  EXPECT_EQ(info(recall).reason, CallReason::kReminder);
  EXPECT_EQ(info(recall).caller.number, "202");
  r = req();
  ok(r, sw().answer(r, recall));
  EXPECT_EQ(state(recall), S::kConnected);
  EXPECT_EQ(info(b).connected.number, "201");
  EXPECT_FALSE(sw().orbits()[0].parked.valid());
}

TEST_F(ParkTest, UnparkDuringRecallWithdrawsIt) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kDirected, "701"));
  advance(sw().config().parkRecall);
  CallId recall = offeredAt("201");
  ASSERT_TRUE(recall.valid());
  CallId u = unparkAt("203", "701");
  EXPECT_EQ(state(u), S::kConnected);
  EXPECT_EQ(state(recall), S::kIdle);
}

TEST_F(ParkTest, RecallWaitsWhileTheParkerIsBusy) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  ok(r, sw().park(r, a, ParkMode::kDirected, "701"));
  connect("201", "203");
  advance(sw().config().parkRecall);
  EXPECT_TRUE(rec_.newCalls(line("201")).empty());
}

// ---- pickup -------------------------------------------------------------------------

class PickupTest : public PbxTest {
 protected:
  Result<CallId> pickup(const std::string& at, const std::string& dest, const std::string& group,
                        RequestId r) {
    auto p = sw().pickup(r, line(at), 0, dest, group);
    settle();
    return p;
  }
};

TEST_F(PickupTest, DirectedPickup) {
  CallId a = makeCall("201", "202");
  CallId b = offeredAt("202");
  RequestId r = req();
  auto p = pickup("206", "202", "", r);  // directed pickup works across groups
  ASSERT_TRUE(p.isOk()) << p.status().toString();
  ASSERT_TRUE(rec_.replies[r].isOk());
  EXPECT_EQ(state(*p), S::kConnected);
  EXPECT_EQ(info(*p).reason, CallReason::kPickup);
  EXPECT_EQ(info(*p).caller.number, "201");
  EXPECT_EQ(info(*p).redirecting.number, "202");
  EXPECT_EQ(rec_.statesWithModes(b).back(), std::make_pair(S::kIdle, 0u));
  EXPECT_EQ(rec_.statesWithModes(b)[1], std::make_pair(S::kDisconnected, disconnect_mode::kPickup));
  EXPECT_EQ(state(a), S::kConnected);
  EXPECT_EQ(info(a).connected.number, "206");
}

TEST_F(PickupTest, GroupPickup) {
  makeCall("205", "202");
  RequestId r = req();
  auto p = pickup("204", "", "", r);  // 204 and 202 share group 1
  ASSERT_TRUE(p.isOk()) << p.status().toString();
  EXPECT_EQ(state(*p), S::kConnected);
  EXPECT_EQ(info(*p).caller.number, "205");
}

TEST_F(PickupTest, GroupPickupTakesTheOldestRingingCall) {
  makeCall("205", "202");
  advanceSeconds(1);
  makeCall("206", "203");
  RequestId r = req();
  auto p = pickup("201", "", "1", r);
  ASSERT_TRUE(p.isOk());
  EXPECT_EQ(info(*p).caller.number, "205");
}

TEST_F(PickupTest, GroupPickupIsLimitedToTheGroup) {
  makeCall("201", "202");
  EXPECT_EQ(pickup("206", "", "", req()).status().fault(), Fault::kOperationFailed);
  // Naming the other group works.
  RequestId r = req();
  auto p = pickup("206", "", "1", r);
  EXPECT_TRUE(p.isOk());
}

TEST_F(PickupTest, PickupErrors) {
  EXPECT_EQ(pickup("201", "202", "", req()).status().fault(), Fault::kOperationFailed);
  EXPECT_EQ(pickup("201", "", "", req()).status().fault(), Fault::kOperationFailed);
  EXPECT_EQ(pickup("201", "299", "", req()).status().fault(), Fault::kBadAddress);
  EXPECT_EQ(pickup("201", "201", "", req()).status().fault(), Fault::kBadAddress);
  EXPECT_EQ(pickup("201", "", "abc", req()).status().fault(), Fault::kBadGroupId);
  EXPECT_EQ(pickup("201", "", "9", req()).status().fault(), Fault::kBadGroupId);
  EXPECT_EQ(sw().pickup(req(), LineId(), 0, "202", "").status().fault(), Fault::kBadLineHandle);
  EXPECT_EQ(sw().pickup(req(), line("201"), 2, "202", "").status().fault(), Fault::kBadAddressId);
}

TEST_F(PickupTest, AStationInNoGroupCannotGroupPickup) {
  PbxConfig cfg = demoConfig();
  cfg.sw.stations[7].pickupGroup = 0;  // 208
  start(std::move(cfg));
  EXPECT_EQ(pickup("208", "", "", req()).status().fault(), Fault::kBadGroupId);
}

TEST_F(PickupTest, ASecuredCallCannotBePickedUp) {
  makeCall("201", "202");
  CallId b = offeredAt("202");
  RequestId r = req();
  ok(r, sw().secureCall(r, b));
  EXPECT_EQ(pickup("203", "202", "", req()).status().fault(), Fault::kOperationFailed);
}

TEST_F(PickupTest, PickupOfAnOutsideCall) {
  auto leg = world().call(PartyId{"5551234", "Outside"}, "203");
  settle();
  RequestId r = req();
  auto p = pickup("201", "", "", r);
  ASSERT_TRUE(p.isOk());
  EXPECT_EQ(info(*p).origin, CallOrigin::kExternal);
  EXPECT_EQ(world().find(*leg)->state, S::kConnected);
}

}  // namespace
}  // namespace tapir::pbx::testing
