// Conferences: set up (with and without a first call), prepare add, add,
// remove, list, the maximum size, and how a conference ends.
#include "pbx_fixture.h"

namespace tapir::pbx::testing {
namespace {

using S = CallState;
using K = Recorded::Kind;

class ConferenceTest : public PbxTest {
 protected:
  // Dials `number` on consultation call `consult` and answers there.
  CallId consultTo(CallId consult, const std::string& number) {
    RequestId r = req();
    ok(r, sw().dial(r, consult, number));
    CallId far = offeredAt(number);
    r = req();
    ok(r, sw().answer(r, far));
    EXPECT_EQ(state(consult), S::kConnected);
    return far;
  }
  void add(CallId conf, CallId consult) {
    RequestId r = req();
    ok(r, sw().addToConference(r, conf, consult));
  }
  CallId prepare(CallId conf) {
    RequestId r = req();
    auto c = sw().prepareAddToConference(r, conf, {});
    EXPECT_TRUE(c.isOk()) << c.status().toString();
    settle();
    return c.isOk() ? *c : CallId();
  }
  // 201 talks to 202 and sets up a conference adding 203.
  struct Three {
    CallId conf, a, consult, b, c;
  };
  Three threeWay() {
    Three t;
    std::tie(t.a, t.b) = connect("201", "202");
    RequestId r = req();
    auto setup = sw().setupConference(r, t.a, LineId(), 0, 3, {});
    EXPECT_TRUE(setup.isOk()) << setup.status().toString();
    settle();
    t.conf = setup->conference;
    t.consult = setup->consultation;
    t.c = consultTo(t.consult, "203");
    add(t.conf, t.consult);
    return t;
  }
};

TEST_F(ConferenceTest, SetupConferenceFromACall) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto setup = sw().setupConference(r, a, LineId(), 0, 3, {});
  ASSERT_TRUE(setup.isOk());
  settle();
  ASSERT_TRUE(rec_.replies[r].isOk());
  EXPECT_LT(rec_.replyIndex(r), rec_.indexOf(K::kState, setup->conference));
  EXPECT_LT(rec_.replyIndex(r), rec_.indexOf(K::kState, setup->consultation));
  EXPECT_EQ(state(setup->conference), S::kOnHoldPendConf);
  EXPECT_EQ(state(a), S::kConferenced);
  EXPECT_EQ(state(setup->consultation), S::kDialtone);
  EXPECT_EQ(info(setup->conference).origin, CallOrigin::kConference);
  EXPECT_EQ(*sw().conferenceCalls(a), (std::vector<CallId>{setup->conference, a}));

  CallId c = consultTo(setup->consultation, "203");
  add(setup->conference, setup->consultation);
  EXPECT_EQ(state(setup->conference), S::kConnected);
  EXPECT_EQ(state(setup->consultation), S::kConferenced);
  EXPECT_EQ(*sw().conferenceCalls(setup->conference),
            (std::vector<CallId>{setup->conference, a, setup->consultation}));
  EXPECT_EQ(state(b), S::kConnected);
  EXPECT_EQ(state(c), S::kConnected);
}

TEST_F(ConferenceTest, SetupConferenceWithoutACall) {
  RequestId r = req();
  auto setup = sw().setupConference(r, CallId(), line("201"), 0, 3, {});
  ASSERT_TRUE(setup.isOk()) << setup.status().toString();
  settle();
  EXPECT_EQ(state(setup->conference), S::kOnHoldPendConf);
  EXPECT_EQ(*sw().conferenceCalls(setup->conference), (std::vector<CallId>{setup->conference}));
  consultTo(setup->consultation, "202");
  add(setup->conference, setup->consultation);
  CallId k = prepare(setup->conference);
  consultTo(k, "203");
  add(setup->conference, k);
  EXPECT_EQ(sw().conferenceCalls(setup->conference)->size(), 3u);
  EXPECT_EQ(state(setup->conference), S::kConnected);
}

TEST_F(ConferenceTest, PrepareAddAndAdd) {
  Three t = threeWay();
  CallId k = prepare(t.conf);
  EXPECT_EQ(state(t.conf), S::kOnHoldPendConf);
  EXPECT_EQ(state(k), S::kDialtone);
  CallId d = consultTo(k, "204");
  EXPECT_TRUE(sw().callStatus(k)->features & call_feature::kAddToConf);
  add(t.conf, k);
  EXPECT_EQ(state(k), S::kConferenced);
  EXPECT_EQ(state(t.conf), S::kConnected);
  EXPECT_EQ(sw().conferenceCalls(k)->size(), 4u);
  EXPECT_EQ(state(d), S::kConnected);
}

TEST_F(ConferenceTest, AddACallThatIsStillRinging) {
  Three t = threeWay();
  CallId k = prepare(t.conf);
  RequestId r = req();
  ok(r, sw().dial(r, k, "204"));
  EXPECT_EQ(state(k), S::kRingback);
  add(t.conf, k);
  EXPECT_EQ(state(k), S::kConferenced);
  CallId d = offeredAt("204");
  r = req();
  ok(r, sw().answer(r, d));
  EXPECT_EQ(state(d), S::kConnected);
  EXPECT_EQ(state(k), S::kConferenced);
}

TEST_F(ConferenceTest, RemoveAPartyAndRevertToTwoParties) {
  Three t = threeWay();
  CallId k = prepare(t.conf);
  CallId d = consultTo(k, "204");
  add(t.conf, k);
  RequestId r = req();
  ok(r, sw().removeFromConference(r, k));
  EXPECT_EQ(state(k), S::kIdle);  // the removed party is dropped
  EXPECT_EQ(state(d), S::kDisconnected);
  EXPECT_EQ(state(t.conf), S::kConnected);
  EXPECT_EQ(sw().conferenceCalls(t.conf)->size(), 3u);
  // Removing one more leaves a plain two-party call.
  r = req();
  ok(r, sw().removeFromConference(r, t.consult));
  EXPECT_EQ(state(t.consult), S::kIdle);
  EXPECT_EQ(state(t.c), S::kDisconnected);
  EXPECT_EQ(state(t.conf), S::kIdle);
  EXPECT_EQ(state(t.a), S::kConnected);
  EXPECT_EQ(sw().conferenceCalls(t.a).status().fault(), Fault::kNoConference);
}

TEST_F(ConferenceTest, APartyHangsUp) {
  Three t = threeWay();
  RequestId r = req();
  ok(r, sw().drop(r, t.c));  // 203 leaves
  EXPECT_EQ(rec_.states(t.consult).back(), S::kIdle);
  auto states = rec_.statesWithModes(t.consult);
  ASSERT_GE(states.size(), 2u);
  EXPECT_EQ(states[states.size() - 2], std::make_pair(S::kDisconnected, disconnect_mode::kNormal));
  // One party left: back to a plain call.
  EXPECT_EQ(state(t.conf), S::kIdle);
  EXPECT_EQ(state(t.a), S::kConnected);
}

TEST_F(ConferenceTest, DroppingTheConferenceDropsEveryone) {
  Three t = threeWay();
  RequestId r = req();
  ok(r, sw().drop(r, t.conf));
  EXPECT_EQ(state(t.conf), S::kIdle);
  EXPECT_EQ(state(t.a), S::kIdle);
  EXPECT_EQ(state(t.consult), S::kIdle);
  EXPECT_EQ(state(t.b), S::kDisconnected);
  EXPECT_EQ(state(t.c), S::kDisconnected);
}

TEST_F(ConferenceTest, DroppingTheConsultationDuringSetupRevertsToTheCall) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto setup = sw().setupConference(r, a, LineId(), 0, 3, {});
  settle();
  r = req();
  ok(r, sw().drop(r, setup->consultation));
  EXPECT_EQ(state(setup->conference), S::kIdle);
  EXPECT_EQ(state(a), S::kConnected);
}

TEST_F(ConferenceTest, UnholdingTheFirstCallDuringSetupUnwinds) {
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto setup = sw().setupConference(r, a, LineId(), 0, 3, {});
  settle();
  r = req();
  ok(r, sw().unhold(r, a));
  EXPECT_EQ(state(a), S::kConnected);
  EXPECT_EQ(state(setup->conference), S::kIdle);
  EXPECT_EQ(state(setup->consultation), S::kIdle);
}

TEST_F(ConferenceTest, SwapBetweenConferenceAndConsultation) {
  Three t = threeWay();
  CallId k = prepare(t.conf);
  consultTo(k, "204");
  RequestId r = req();
  ok(r, sw().swapHold(r, k, t.conf));
  EXPECT_EQ(state(t.conf), S::kConnected);
  EXPECT_EQ(state(k), S::kOnHold);
  r = req();
  ok(r, sw().swapHold(r, t.conf, k));
  EXPECT_EQ(state(t.conf), S::kOnHoldPendConf);
  EXPECT_EQ(state(k), S::kConnected);
  add(t.conf, k);
  EXPECT_EQ(sw().conferenceCalls(t.conf)->size(), 4u);
}

TEST_F(ConferenceTest, HoldTheWholeConference) {
  Three t = threeWay();
  RequestId r = req();
  ok(r, sw().hold(r, t.conf));
  EXPECT_EQ(state(t.conf), S::kOnHold);
  r = req();
  ok(r, sw().unhold(r, t.conf));
  EXPECT_EQ(state(t.conf), S::kConnected);
}

TEST_F(ConferenceTest, MaximumSizeIsEnforced) {
  // Three parties at most: the controller and two others.
  PbxConfig cfg = demoConfig();
  cfg.sw.conferenceMax = 3;
  start(std::move(cfg));
  EXPECT_EQ(sw().setupConference(req(), CallId(), line("201"), 0, 4, {}).status().fault(),
            Fault::kConferenceFull);
  Three t = threeWay();
  EXPECT_FALSE(sw().callStatus(t.conf)->features & call_feature::kPrepareAddConf);
  EXPECT_EQ(sw().prepareAddToConference(req(), t.conf, {}).status().fault(),
            Fault::kConferenceFull);
  // A separate call cannot be added either.
  RequestId r = req();
  ok(r, sw().hold(r, t.conf));
  auto [x, y] = connect("201", "204");
  EXPECT_EQ(sw().addToConference(req(), t.conf, x).fault(), Fault::kConferenceFull);
}

TEST_F(ConferenceTest, DemoConferenceTakesEightParties) {
  EXPECT_EQ(sw().lineCaps(line("201"))->addresses[0].maxConference, 8u);
  auto [a, b] = connect("201", "202");
  RequestId r = req();
  auto setup = sw().setupConference(r, a, LineId(), 0, 8, {});
  ASSERT_TRUE(setup.isOk());
  settle();
  r = req();
  ok(r, sw().dial(r, setup->consultation, "95550177"));  // answers at once
  add(setup->conference, setup->consultation);
  // Five more outside parties make eight with 201 and 202.
  for (int i = 0; i < 5; ++i) {
    CallId k = prepare(setup->conference);
    ASSERT_TRUE(k.valid());
    r = req();
    ok(r, sw().dial(r, k, "9555000" + std::to_string(i)));
    add(setup->conference, k);
  }
  EXPECT_EQ(sw().conferenceCalls(setup->conference)->size(), 8u);  // root + 7 parties
  EXPECT_EQ(sw().prepareAddToConference(req(), setup->conference, {}).status().fault(),
            Fault::kConferenceFull);
}

// lineDial on a connected conference: every party hears the digits.
TEST_F(ConferenceTest, DtmfOnTheConferenceReachesEveryParty) {
  Three t = threeWay();
  ASSERT_EQ(state(t.conf), S::kConnected);
  EXPECT_TRUE(sw().callStatus(t.conf)->features & call_feature::kDial);
  RequestId r = req();
  ok(r, sw().dial(r, t.conf, "42"));
  EXPECT_EQ(rec_.digits(t.b), "42");
  EXPECT_EQ(rec_.digits(t.c), "42");
  EXPECT_EQ(rec_.digits(t.a), "");
  // A conferenced call is a party of the conference, not one to dial on.
  EXPECT_EQ(sw().dial(req(), t.a, "1").fault(), Fault::kBadCallState);
}

TEST_F(ConferenceTest, ConferenceErrors) {
  auto [a, b] = connect("204", "205");
  EXPECT_EQ(sw().setupConference(req(), CallId(), LineId(), 0, 3, {}).status().fault(),
            Fault::kBadLineHandle);
  EXPECT_EQ(sw().setupConference(req(), CallId(), line("204"), 5, 3, {}).status().fault(),
            Fault::kBadAddressId);
  EXPECT_EQ(sw().prepareAddToConference(req(), a, {}).status().fault(), Fault::kBadConfCallHandle);
  EXPECT_EQ(sw().addToConference(req(), a, b).fault(), Fault::kBadConfCallHandle);
  EXPECT_EQ(sw().removeFromConference(req(), a).fault(), Fault::kBadCallState);
  EXPECT_EQ(sw().conferenceCalls(a).status().fault(), Fault::kNoConference);
  EXPECT_EQ(sw().conferenceCalls(CallId()).status().fault(), Fault::kBadCallHandle);

  Three t = threeWay();
  // Preparing needs a connected conference.
  RequestId r = req();
  ok(r, sw().hold(r, t.conf));
  EXPECT_EQ(sw().prepareAddToConference(req(), t.conf, {}).status().fault(), Fault::kBadCallState);
  r = req();
  ok(r, sw().unhold(r, t.conf));
  CallId k = prepare(t.conf);
  // The consultation at dial tone cannot be added yet.
  EXPECT_EQ(sw().addToConference(req(), t.conf, k).fault(), Fault::kBadCallState);
  // A member cannot be added again; a call of another line cannot be added.
  r = req();
  ok(r, sw().dial(r, k, "206"));
  EXPECT_EQ(sw().addToConference(req(), t.conf, t.a).fault(), Fault::kBadCallHandle);
  EXPECT_EQ(sw().addToConference(req(), t.conf, t.b).fault(), Fault::kBadCallHandle);
  EXPECT_EQ(sw().addToConference(req(), t.conf, CallId()).fault(), Fault::kBadCallHandle);
  // A second pending consultation is refused.
  EXPECT_EQ(sw().prepareAddToConference(req(), t.conf, {}).status().fault(), Fault::kBadCallState);
}

}  // namespace
}  // namespace tapir::pbx::testing
