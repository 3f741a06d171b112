// Park (directed, nondirected, recall), unpark, and pickup (directed,
// group), with their message sequences (linePark, lineUnpark, linePickup).
#include <map>

#include "conformance.h"

namespace tapir::conformance {
namespace {

using States = std::vector<DWORD>;

using ParkTest = TwoAppTest;

using PickupTest = ParkTest;

TEST_F(ParkTest, DirectedParkAndUnpark) {
  const Pair p = talk(201, 202);
  const LONG req = linePark(p.a, LINEPARKMODE_DIRECTED, "705", nullptr);
  ASSERT_EQ(outcome(a(), req), kOk);
  EXPECT_LT(a().replyIndex(req), a().indexOf(LINE_CALLSTATE, p.a, LINECALLSTATE_IDLE));
  EXPECT_EQ(state(p.a), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(p.b), static_cast<DWORD>(LINECALLSTATE_CONNECTED))
      << "the parked party waits, connected";
  EXPECT_EQ(info(p.b).connected, "705");
  // Unpark at 206: a new call handle, announced by the reply.
  HCALL u = 0;
  const LONG un = lineUnpark(line(206), 0, &u, "705");
  ASSERT_EQ(outcome(b(), un), kOk);
  ASSERT_NE(u, 0u);
  EXPECT_LT(b().replyIndex(un), b().indexOf(LINE_CALLSTATE, u));
  EXPECT_EQ(b().of(LINE_CALLSTATE, u)[0].p3, static_cast<DWORD_PTR>(kOwner));
  EXPECT_TRUE(b().newCalls(line(206)).empty())
      << "no LINE_APPNEWCALL for a handle the request returns";
  EXPECT_EQ(state(u), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  const Info i = info(u);
  EXPECT_EQ(i.reason, static_cast<DWORD>(LINECALLREASON_UNPARK));
  EXPECT_EQ(i.connected, "202");
  EXPECT_EQ(info(p.b).connected, "206");
  // The orbit is free again.
  HCALL again = 0;
  EXPECT_EQ(rc(lineUnpark(line(207), 0, &again, "705")), E(LINEERR_OPERATIONFAILED));
}

TEST_F(ParkTest, NonDirectedParkReturnsTheOrbit) {
  const Pair p = talk(201, 202);
  Var<VARSTRING> orbit(sizeof(VARSTRING) + 16);
  ASSERT_OK(a(), linePark(p.a, LINEPARKMODE_NONDIRECTED, nullptr, orbit.get()));
  EXPECT_EQ(orbit->dwStringFormat, static_cast<DWORD>(STRINGFORMAT_ASCII));
  EXPECT_EQ(VSTR(orbit, VARSTRING, String), "701") << "the first free orbit";
  EXPECT_EQ(orbit->dwUsedSize, orbit->dwNeededSize);
  const Pair q = talk(203, 204);
  Var<VARSTRING> second(sizeof(VARSTRING) + 16);
  ASSERT_OK(a(), linePark(q.a, LINEPARKMODE_NONDIRECTED, "ignored", second.get()));
  EXPECT_EQ(VSTR(second, VARSTRING, String), "702");
  HCALL u = 0;
  ASSERT_OK(b(), lineUnpark(line(205), 0, &u, "702"));
  EXPECT_EQ(info(u).connected, "204");
}

// linePark: "if the dwTotalSize member in the VARSTRING structure does not
// specify a sufficient amount of memory to receive the park address, the
// corresponding reply message returns a LINEERR_STRUCTURETOOSMALL error
// value ... increase the size of the buffer and call linePark again": the
// call must not have been parked then, or the application would lose it to
// an orbit it cannot know.
TEST_F(ParkTest, NonDirectedParkWithNoRoomForTheOrbitDoesNotPark) {
  const Pair p = talk(201, 202);
  Var<VARSTRING> small(sizeof(VARSTRING));
  EXPECT_EQ(outcome(a(), linePark(p.a, LINEPARKMODE_NONDIRECTED, nullptr, small.get())),
            E(LINEERR_STRUCTURETOOSMALL));
  EXPECT_EQ(state(p.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED))
      << "not parked: the application can retry";
  Var<VARSTRING> orbit(sizeof(VARSTRING) + 16);
  EXPECT_OK(a(), linePark(p.a, LINEPARKMODE_NONDIRECTED, nullptr, orbit.get()));
}

TEST_F(ParkTest, NonDirectedParkWithNoRoomForTheOrbitFailsInTheReply) {
  // Room for the NUL only. The switch's check refuses it before parking, so
  // the error may come at once rather than in LINE_REPLY; outcome() takes both.
  const Pair p = talk(201, 202);
  Var<VARSTRING> small(sizeof(VARSTRING) + 1);
  EXPECT_EQ(outcome(a(), linePark(p.a, LINEPARKMODE_NONDIRECTED, nullptr, small.get())),
            E(LINEERR_STRUCTURETOOSMALL));
}

TEST_F(ParkTest, ParkErrors) {
  const Pair p = talk(201, 202);
  Var<VARSTRING> orbit;
  EXPECT_EQ(rc(linePark(p.a, LINEPARKMODE_DIRECTED, nullptr, orbit.get())),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(linePark(p.a, LINEPARKMODE_NONDIRECTED, "701", nullptr)), E(LINEERR_INVALPOINTER));
  Var<VARSTRING> tiny(sizeof(VARSTRING) - 1);
  EXPECT_EQ(rc(linePark(p.a, LINEPARKMODE_NONDIRECTED, nullptr, tiny.get())),
            E(LINEERR_STRUCTURETOOSMALL));
  EXPECT_EQ(rc(linePark(p.a, 0, "701", orbit.get())), E(LINEERR_INVALPARKMODE));
  EXPECT_EQ(rc(linePark(p.a, LINEPARKMODE_DIRECTED | LINEPARKMODE_NONDIRECTED, "701", orbit.get())),
            E(LINEERR_INVALPARKMODE));
  EXPECT_EQ(rc(linePark(p.a, LINEPARKMODE_DIRECTED, "799", nullptr)), E(LINEERR_INVALADDRESS));
  EXPECT_EQ(rc(linePark(p.a, LINEPARKMODE_DIRECTED, "203", nullptr)), E(LINEERR_INVALADDRESS))
      << "not an orbit";
  EXPECT_EQ(rc(linePark(p.a + 1000, LINEPARKMODE_DIRECTED, "701", nullptr)),
            E(LINEERR_INVALCALLHANDLE));
  const HCALL ringing = makeCall(a(), line(203), "204");
  EXPECT_EQ(rc(linePark(ringing, LINEPARKMODE_DIRECTED, "701", nullptr)),
            E(LINEERR_INVALCALLSTATE));
  ASSERT_OK(a(), linePark(p.a, LINEPARKMODE_DIRECTED, "701", nullptr));
  const Pair q = talk(205, 206);
  EXPECT_EQ(rc(linePark(q.a, LINEPARKMODE_DIRECTED, "701", nullptr)), E(LINEERR_OPERATIONFAILED))
      << "occupied";
  EXPECT_EQ(state(q.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(ParkTest, UnparkErrors) {
  HCALL u = 0;
  EXPECT_EQ(rc(lineUnpark(line(203), 0, &u, "702")), E(LINEERR_OPERATIONFAILED))
      << "nothing parked there";
  EXPECT_EQ(rc(lineUnpark(line(203), 0, &u, "999")), E(LINEERR_INVALADDRESS));
  EXPECT_EQ(rc(lineUnpark(line(203), 1, &u, "701")), E(LINEERR_INVALADDRESSID));
  EXPECT_EQ(rc(lineUnpark(line(203) + 1000, 0, &u, "701")), E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineUnpark(line(203), 0, nullptr, "701")), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineUnpark(line(203), 0, &u, nullptr)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(u, 0u);
}

TEST_F(ParkTest, AParkedCallRemindsItsParker) {
  // The demo switch offers a parked call back to its parker after 90 s,
  // with reason REMINDER.
  const Pair p = talk(201, 202);
  ASSERT_OK(a(), linePark(p.a, LINEPARKMODE_DIRECTED, "703", nullptr));
  const std::size_t before = a().newCalls(line(201)).size();
  advance(89999);
  EXPECT_EQ(a().newCalls(line(201)).size(), before);
  advance(1);
  const HCALL recall = a().newestCall(line(201));
  ASSERT_NE(recall, 0u);
  ASSERT_EQ(a().newCalls(line(201)).size(), before + 1);
  EXPECT_TRUE(announced(a(), line(201), recall, kOwner));
  auto st = a().of(LINE_CALLSTATE, recall);
  ASSERT_EQ(st.size(), 1u);
  EXPECT_EQ(st[0].p1, static_cast<DWORD_PTR>(LINECALLSTATE_OFFERING));
  EXPECT_EQ(st[0].p3, static_cast<DWORD_PTR>(kOwner));
  EXPECT_EQ(info(recall).reason, static_cast<DWORD>(LINECALLREASON_REMINDER));
  EXPECT_EQ(info(recall).caller, "202");
  EXPECT_OK(a(), lineAnswer(recall, nullptr, 0));
  EXPECT_EQ(info(p.b).connected, "201");
  HCALL u = 0;
  EXPECT_EQ(rc(lineUnpark(line(204), 0, &u, "703")), E(LINEERR_OPERATIONFAILED))
      << "taken back: the orbit is free";
}

TEST_F(ParkTest, UnparkDuringTheReminderWithdrawsIt) {
  const Pair p = talk(201, 202);
  ASSERT_OK(a(), linePark(p.a, LINEPARKMODE_DIRECTED, "701", nullptr));
  advance(90000);
  const HCALL recall = a().newestCall(line(201));
  ASSERT_NE(recall, 0u);
  HCALL u = 0;
  ASSERT_OK(b(), lineUnpark(line(205), 0, &u, "701"));
  EXPECT_EQ(state(u), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(a().states(recall),
            (States{LINECALLSTATE_OFFERING, LINECALLSTATE_DISCONNECTED, LINECALLSTATE_IDLE}));
}

TEST_F(ParkTest, ParkedOutsidePartyCanBeUnparked) {
  const HCALL out = makeCall(a(), line(201), "95550177");
  ASSERT_EQ(state(out), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  ASSERT_OK(a(), linePark(out, LINEPARKMODE_DIRECTED, "704", nullptr));
  HCALL u = 0;
  ASSERT_OK(b(), lineUnpark(line(207), 0, &u, "704"));
  EXPECT_EQ(info(u).origin, static_cast<DWORD>(LINECALLORIGIN_EXTERNAL));
  EXPECT_EQ(info(u).connected, "5550177");
}

// ---- pickup ------------------------------------------------------------------------------

TEST_F(PickupTest, DirectedPickup) {
  const HCALL call = makeCall(a(), line(201), "202");
  const HCALL ringing = a().newestCall(line(202));
  HCALL p = 0;
  const LONG req = linePickup(line(206), 0, &p, "202", nullptr);  // across groups
  ASSERT_EQ(outcome(b(), req), kOk);
  ASSERT_NE(p, 0u);
  EXPECT_LT(b().replyIndex(req), b().indexOf(LINE_CALLSTATE, p));
  EXPECT_TRUE(b().newCalls(line(206)).empty());
  EXPECT_EQ(state(p), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  const Info i = info(p);
  EXPECT_EQ(i.reason, static_cast<DWORD>(LINECALLREASON_PICKUP));
  EXPECT_EQ(i.caller, "201");
  EXPECT_EQ(i.redirecting, "202");
  EXPECT_EQ(
      a().statesWithModes(ringing),
      (std::vector<std::pair<DWORD, DWORD>>{{LINECALLSTATE_OFFERING, LINEOFFERINGMODE_ACTIVE},
                                            {LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_PICKUP},
                                            {LINECALLSTATE_IDLE, 0}}));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(info(call).connected, "206");
}

TEST_F(PickupTest, GroupPickup) {
  // 205 calls 202; 204 shares pickup group 1 with 202.
  makeCall(b(), line(205), "202");
  HCALL p = 0;
  ASSERT_OK(a(), linePickup(line(204), 0, &p, nullptr, nullptr));
  EXPECT_EQ(state(p), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(info(p).caller, "205");
}

TEST_F(PickupTest, GroupPickupTakesTheOldestRingingCall) {
  makeCall(b(), line(205), "202");
  advance(1000);
  makeCall(b(), line(206), "203");
  HCALL p = 0;
  ASSERT_OK(a(), linePickup(line(201), 0, &p, nullptr, "1"));
  EXPECT_EQ(info(p).caller, "205");
}

TEST_F(PickupTest, NamingAnotherGroup) {
  makeCall(a(), line(201), "202");
  HCALL p = 0;
  EXPECT_EQ(rc(linePickup(line(206), 0, &p, nullptr, nullptr)), E(LINEERR_OPERATIONFAILED))
      << "206's own group has nothing ringing";
  ASSERT_OK(b(), linePickup(line(206), 0, &p, nullptr, "1"));
  EXPECT_EQ(state(p), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(PickupTest, PickupOfAnOutsideCall) {
  DWORD leg = 0;
  ASSERT_EQ(rc(tapirSimIncomingCall("5551234", "Outside", "203", nullptr, &leg)), kOk);
  settle();
  HCALL p = 0;
  ASSERT_OK(a(), linePickup(line(201), 0, &p, nullptr, nullptr));
  EXPECT_EQ(info(p).origin, static_cast<DWORD>(LINECALLORIGIN_EXTERNAL));
  EXPECT_EQ(info(p).caller, "5551234");
}

TEST_F(PickupTest, ASecuredCallCannotBePickedUp) {
  makeCall(a(), line(201), "202");
  const HCALL ringing = a().newestCall(line(202));
  EXPECT_OK(a(), lineSecureCall(ringing));
  HCALL p = 0;
  EXPECT_EQ(rc(linePickup(line(203), 0, &p, "202", nullptr)), E(LINEERR_OPERATIONFAILED));
}

TEST_F(PickupTest, PickupErrors) {
  HCALL p = 0;
  EXPECT_EQ(rc(linePickup(line(201), 0, &p, "202", nullptr)), E(LINEERR_OPERATIONFAILED))
      << "nothing rings";
  EXPECT_EQ(rc(linePickup(line(201), 0, &p, nullptr, nullptr)), E(LINEERR_OPERATIONFAILED));
  EXPECT_EQ(rc(linePickup(line(201), 0, &p, "299", nullptr)), E(LINEERR_INVALADDRESS));
  EXPECT_EQ(rc(linePickup(line(201), 0, &p, "201", nullptr)), E(LINEERR_INVALADDRESS)) << "itself";
  EXPECT_EQ(rc(linePickup(line(201), 0, &p, nullptr, "abc")), E(LINEERR_INVALGROUPID));
  EXPECT_EQ(rc(linePickup(line(201), 0, &p, nullptr, "9")), E(LINEERR_INVALGROUPID));
  EXPECT_EQ(rc(linePickup(line(201), 1, &p, "202", nullptr)), E(LINEERR_INVALADDRESSID));
  EXPECT_EQ(rc(linePickup(line(201) + 1000, 0, &p, "202", nullptr)), E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(linePickup(line(201), 0, nullptr, "202", nullptr)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(p, 0u);
}

}  // namespace
}  // namespace tapir::conformance
