// The session operations beyond basic calls: transfers, conferences, park,
// pickup, forwarding, handoff, address translation, and a C application
// sharing a line with a C++ one.
#include <cstring>

#include "fixture.h"

namespace tapir::testing {
namespace {

using namespace std::chrono_literals;

using S = Call::State;
using Hub = CallHubEvent::Type;

// An agent at 202 (application b) with a call from the outside world that it
// answered; application a owns 201.
struct Office {
  Telephony a;
  Telephony b;
  Address a201;
  Address b202;
};

class SessionTest : public CxxTest {
 protected:
  Office office() {
    Office o{init("a", "appa"), init("b", "appb"), Address(), Address()};
    o.a201 = addr(o.a, "201");
    o.b202 = addr(o.b, "202");
    EXPECT_TRUE(o.a.registerCallNotifications(o.a201, true, false).isOk());
    EXPECT_TRUE(o.b.registerCallNotifications(o.b202, true, false).isOk());
    return o;
  }
  // b answers the call offered to it.
  static Call answer(Telephony& b) {
    Call in = offered(drain(b));
    EXPECT_TRUE(in);
    if (in) {
      EXPECT_TRUE(in.answer().isOk());
    }
    return in;
  }
};

TEST_F(SessionTest, BlindTransfer) {
  Office o = office();
  Call c = outsideCall(o.a, "201");
  ASSERT_TRUE(c.blindTransfer("202").isOk());
  settle();
  EXPECT_EQ(c.state(), S::kDisconnected);
  Call in = answer(o.b);
  settle();
  EXPECT_EQ(in.state(), S::kConnected);
  auto info = in.info();
  ASSERT_TRUE(info.isOk());
  EXPECT_EQ(info->reason, CallReason::kTransfer);
  EXPECT_EQ(c.blindTransfer("203").fault(), Fault::kBadCallState);
}

TEST_F(SessionTest, ConsultationTransferCompletedAsTransfer) {
  Office o = office();
  Call c = outsideCall(o.a, "201");
  drain(o.a);
  Call consult = *o.a201.createCall("202");
  // Asynchronous: 202 has to answer first.
  ASSERT_TRUE(c.transfer(consult, false).isOk());
  settle();
  EXPECT_EQ(c.state(), S::kHold);
  EXPECT_EQ(consult.state(), S::kInProgress);
  Call in = answer(o.b);
  auto events = drain(o.a);
  auto ops = only<OperationEvent>(events);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].operation, OperationEvent::Operation::kTransfer);
  EXPECT_EQ(ops[0].call, consult);
  EXPECT_TRUE(ops[0].status.isOk());
  EXPECT_EQ(consult.state(), S::kConnected);
  // Finishing as a transfer joins the outside party and 202.
  ASSERT_TRUE(consult.finish(Call::FinishMode::kAsTransfer).isOk());
  settle();
  EXPECT_EQ(c.state(), S::kDisconnected);
  EXPECT_EQ(consult.state(), S::kDisconnected);
  EXPECT_EQ(in.state(), S::kConnected);
  auto info = in.info();
  ASSERT_TRUE(info.isOk());
  EXPECT_EQ(info->connected.number, "5550100");  // the outside party
  EXPECT_EQ(consult.finish(Call::FinishMode::kAsTransfer).fault(), Fault::kBadCallState);
}

TEST_F(SessionTest, ConsultationTransferSyncToOutsideThenAsConference) {
  Telephony t = init();
  Address a201 = addr(t, "201");
  Call c = outsideCall(t, "201");
  Call consult = *a201.createCall("95550101");
  ASSERT_TRUE(whileTime([&] { return c.transfer(consult, true); }).isOk());
  EXPECT_EQ(consult.state(), S::kConnected);
  drain(t);
  ASSERT_TRUE(consult.finish(Call::FinishMode::kAsConference).isOk());
  auto events = drain(t);
  auto hubs = only<CallHubEvent>(events);
  ASSERT_FALSE(hubs.empty());
  EXPECT_EQ(hubs[0].type, Hub::kCallHubNew);
  CallHub hub = c.callHub();
  ASSERT_TRUE(hub);
  EXPECT_EQ(hub, consult.callHub());
  EXPECT_EQ(hub.numCalls(), 2u);
  EXPECT_EQ(hub.state(), CallHub::State::kActive);
  EXPECT_EQ(t.callHubs().size(), 1u);
  ASSERT_TRUE(hub.clear().isOk());
  events = drain(t);
  EXPECT_EQ(hub.state(), CallHub::State::kIdle);
  EXPECT_EQ(only<CallHubEvent>(events).back().type, Hub::kCallHubIdle);
  EXPECT_EQ(c.state(), S::kDisconnected);
  EXPECT_EQ(consult.state(), S::kDisconnected);
  EXPECT_TRUE(hub.clear().isOk());  // nothing left
}

TEST_F(SessionTest, TransferWithACallAlreadyUp) {
  Telephony t = init();
  Address a201 = addr(t, "201");
  Call c = outsideCall(t, "201");
  ASSERT_TRUE(c.hold(true).isOk());
  Call other = *a201.createCall("95550101");
  ASSERT_TRUE(whileTime([&] { return other.connect(true); }).isOk());
  // c is held already: nothing to do on the switch, done at once.
  ASSERT_TRUE(c.transfer(other, true).isOk());
  ASSERT_TRUE(other.finish(Call::FinishMode::kAsTransfer).isOk());
  settle();
  EXPECT_EQ(c.state(), S::kDisconnected);
  EXPECT_EQ(other.state(), S::kDisconnected);
}

TEST_F(SessionTest, TransferAndConferenceFailures) {
  Telephony t = init();
  Address a201 = addr(t, "201");
  Call c = outsideCall(t, "201");
  Call noDest = *a201.createCall("");
  EXPECT_EQ(c.transfer(noDest, true).fault(), Fault::kBadParam);
  EXPECT_EQ(c.conference(noDest, false).fault(), Fault::kBadParam);
  EXPECT_EQ(c.transfer(c, true).fault(), Fault::kBadParam);
  Call elsewhere = *addr(t, "203").createCall("204");
  EXPECT_EQ(c.transfer(elsewhere, true).fault(), Fault::kBadParam);
  // finish() only on a consultation call.
  EXPECT_EQ(c.finish(Call::FinishMode::kAsTransfer).fault(), Fault::kBadCallState);
  // A conference consultation cannot be finished as a transfer.
  Call consult = *a201.createCall("95550101");
  Status st = whileTime([&] { return c.conference(consult, true); });
  ASSERT_TRUE(st.isOk()) << st.toString();
  EXPECT_EQ(consult.finish(Call::FinishMode::kAsTransfer).fault(), Fault::kBadCallState);
  // ... nor used again while it is one.
  EXPECT_EQ(c.transfer(consult, true).fault(), Fault::kBadCallState);
  // The consultation failing (busy) is the outcome of a synchronous transfer.
  Telephony u = init("u");
  Call d = outsideCall(u, "205");
  Call busy = *addr(u, "205").createCall("95550199");
  st = whileTime([&] { return d.transfer(busy, true); });
  EXPECT_EQ(st.fault(), Fault::kDestBusy);
}

TEST_F(SessionTest, ConferenceWithARemoval) {
  Office o = office();
  Call c = outsideCall(o.a, "201");
  drain(o.a);
  // First party: 202, which answers.
  Call consult = *o.a201.createCall("202");
  ASSERT_TRUE(c.conference(consult, false).isOk());
  settle();
  EXPECT_EQ(consult.state(), S::kInProgress);
  answer(o.b);
  auto ops = only<OperationEvent>(drain(o.a));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].operation, OperationEvent::Operation::kConference);
  EXPECT_TRUE(ops[0].status.isOk());
  ASSERT_TRUE(consult.finish(Call::FinishMode::kAsConference).isOk());
  auto events = drain(o.a);
  CallHub hub = c.callHub();
  ASSERT_TRUE(hub);
  EXPECT_EQ(hub.numCalls(), 2u);
  std::vector<Hub> types;
  for (const auto& e : only<CallHubEvent>(events))
    types.push_back(e.type);
  EXPECT_EQ(std::count(types.begin(), types.end(), Hub::kCallJoin),
            1);  // consult; c joined at setup
  // Second party: an outside number, synchronously.
  Call second = *o.a201.createCall("95550101");
  ASSERT_TRUE(whileTime([&] { return c.conference(second, true); }).isOk());
  EXPECT_EQ(second.state(), S::kConnected);
  ASSERT_TRUE(second.finish(Call::FinishMode::kAsConference).isOk());
  drain(o.a);
  EXPECT_EQ(hub.numCalls(), 3u);
  EXPECT_EQ(second.callHub(), hub);
  // Removing a party: it leaves the hub and is disconnected.
  ASSERT_TRUE(second.removeFromConference().isOk());
  events = drain(o.a);
  auto leaves = only<CallHubEvent>(events);
  ASSERT_FALSE(leaves.empty());
  EXPECT_EQ(leaves.back().type, Hub::kCallLeave);
  EXPECT_EQ(leaves.back().call, second);
  EXPECT_EQ(hub.numCalls(), 2u);
  EXPECT_FALSE(second.callHub());
  EXPECT_EQ(second.state(), S::kDisconnected);
  EXPECT_EQ(second.removeFromConference().fault(), Fault::kBadCallState);
  // Ending the conference.
  ASSERT_TRUE(hub.clear().isOk());
  drain(o.a);
  EXPECT_EQ(hub.state(), CallHub::State::kIdle);
}

TEST_F(SessionTest, ParkIndirectAndUnpark) {
  Telephony t = init();
  Call c = outsideCall(t, "201");
  auto orbit = c.parkIndirect();
  ASSERT_TRUE(orbit.isOk()) << orbit.status().toString();
  EXPECT_GE(*orbit, "701");
  EXPECT_LE(*orbit, "709");
  settle();
  EXPECT_EQ(c.state(), S::kDisconnected);
  // Another station takes it back: a call created with the orbit.
  Call back = *addr(t, "203").createCall(*orbit);
  ASSERT_TRUE(back.unpark().isOk());
  settle();
  EXPECT_EQ(back.state(), S::kConnected);
  EXPECT_EQ(back.info()->reason, CallReason::kUnpark);
  EXPECT_EQ(back.unpark().fault(), Fault::kBadCallState);  // not CS_IDLE
  // Nothing parked there any more.
  Call again = *addr(t, "204").createCall(*orbit);
  EXPECT_FALSE(again.unpark().isOk());
  EXPECT_EQ(again.state(), S::kIdle);
  Call noOrbit = *addr(t, "204").createCall("");
  EXPECT_EQ(noOrbit.unpark().fault(), Fault::kBadAddress);
}

TEST_F(SessionTest, ParkDirect) {
  Telephony t = init();
  Call c = outsideCall(t, "201");
  EXPECT_EQ(c.parkDirect("").fault(), Fault::kBadAddress);
  EXPECT_FALSE(c.parkDirect("999").isOk());
  ASSERT_TRUE(c.parkDirect("705").isOk());
  settle();
  EXPECT_EQ(c.state(), S::kDisconnected);
  Call back = *addr(t, "202").createCall("705");
  ASSERT_TRUE(back.unpark().isOk());
  settle();
  EXPECT_EQ(back.state(), S::kConnected);
}

TEST_F(SessionTest, GroupAndDirectedPickup) {
  Telephony t = init();
  DWORD leg = 0;
  ASSERT_EQ(tapirSimIncomingCall("5551234", "Caller", "202", nullptr, &leg), 0);
  settle();
  // Group pickup from 203 (group 1 = 201-204).
  Call picker = *addr(t, "203").createCall("");
  ASSERT_TRUE(picker.pickup("1").isOk());
  settle();
  EXPECT_EQ(picker.state(), S::kConnected);
  EXPECT_EQ(picker.info()->reason, CallReason::kPickup);
  EXPECT_EQ(picker.pickup("1").fault(), Fault::kBadCallState);
  // Directed pickup of a call ringing at 206, from 201.
  ASSERT_EQ(tapirSimIncomingCall("5551235", nullptr, "206", nullptr, &leg), 0);
  settle();
  Call directed = *addr(t, "201").createCall("206");
  ASSERT_TRUE(directed.pickup("").isOk());
  settle();
  EXPECT_EQ(directed.state(), S::kConnected);
  // Nothing left ringing.
  Call nothing = *addr(t, "204").createCall("");
  EXPECT_FALSE(nothing.pickup("1").isOk());
  EXPECT_EQ(nothing.state(), S::kIdle);
}

TEST_F(SessionTest, ForwardingAnAddress) {
  Office o = office();
  ForwardInfo f;
  f.setForwardType(forward_mode::kUncond, "203");
  f.setForwardType(forward_mode::kUncond, "204");  // replaces
  ASSERT_EQ(f.entries.size(), 1u);
  ASSERT_TRUE(o.b202.forward(f).isOk());
  auto events = drain(o.b);
  auto ae = only<AddressEvent>(events);
  ASSERT_FALSE(ae.empty());
  EXPECT_EQ(ae.back().type, AddressEvent::Type::kForward);
  EXPECT_EQ(ae.back().address, o.b202);
  auto now = o.b202.currentForwardInfo();
  ASSERT_TRUE(now.isOk());
  ASSERT_EQ(now->entries.size(), 1u);
  EXPECT_EQ(now->entries[0].mode, forward_mode::kUncond);
  EXPECT_EQ(now->entries[0].destAddress, "204");
  // A call to 202 rings 204.
  Telephony c = init("c");
  ASSERT_TRUE(c.registerCallNotifications(addr(c, "204"), true, false).isOk());
  Call out = *o.a201.createCall("202");
  ASSERT_TRUE(out.connect(false).isOk());
  Call in = offered(drain(c));
  ASSERT_TRUE(in);
  EXPECT_EQ(in.info()->reason, CallReason::kFwdUncond);
  // Cancelled with no entries.
  ASSERT_TRUE(o.b202.forward(ForwardInfo()).isOk());
  EXPECT_TRUE(o.b202.currentForwardInfo()->entries.empty());
  ForwardInfo bad;
  bad.setForwardType(0x40000000, "203");
  EXPECT_FALSE(o.b202.forward(bad).isOk());
}

TEST_F(SessionTest, HandoffDirectAndIndirect) {
  Telephony a = init("a", "appa");
  Telephony b = init("b", "appb");
  ASSERT_TRUE(a.registerCallNotifications(addr(a, "202"), true, false).isOk());
  ASSERT_TRUE(b.registerCallNotifications(addr(b, "202"), true, false).isOk());
  DWORD leg = 0;
  ASSERT_EQ(tapirSimIncomingCall("5551234", nullptr, "202", nullptr, &leg), 0);
  // One of the two owns it; it hands it to the other by name.
  auto ea = drain(a);
  auto eb = drain(b);
  Telephony* owner = offered(ea) ? &a : &b;
  Telephony* other = owner == &a ? &b : &a;
  Call c = offered(owner == &a ? ea : eb);
  ASSERT_TRUE(c);
  const char* otherModule = owner == &a ? "appb" : "appa";
  ASSERT_TRUE(c.handoffDirect(otherModule).isOk());
  EXPECT_EQ(c.privilege(), Call::Privilege::kMonitor);
  Call got = offered(drain(*other));
  ASSERT_TRUE(got);
  EXPECT_EQ(got.privilege(), Call::Privilege::kOwner);
  EXPECT_EQ(got.state(), S::kOffering);
  // And back, by media type.
  ASSERT_TRUE(got.handoffIndirect(media_type::kAudio).isOk());
  settle();
  EXPECT_EQ(c.privilege(), Call::Privilege::kOwner);
  EXPECT_EQ(c.handoffIndirect(0x3).fault(), Fault::kBadMediaMode);
  EXPECT_EQ(c.handoffDirect("").fault(), Fault::kBadAppName);
  // TAPI 3: a handoff that fails disconnects the call.
  EXPECT_EQ(c.handoffDirect("nosuchapp").fault(), Fault::kTargetNotFound);
  settle();
  EXPECT_EQ(c.state(), S::kDisconnected);
}

TEST_F(SessionTest, AppSpecificAndInfoChanges) {
  Office o = office();
  Telephony m = init("m");
  ASSERT_TRUE(m.registerCallNotifications(addr(m, "201"), false, true).isOk());
  Call c = outsideCall(o.a, "201");
  Call seen = only<CallNotificationEvent>(drain(m)).at(0).call;
  ASSERT_TRUE(c.setAppSpecific(42).isOk());
  auto changes = only<CallInfoChangeEvent>(drain(m));
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().call, seen);
  EXPECT_EQ(changes.back().cause, CallInfoChangeEvent::Cause::kAppSpecific);
  EXPECT_EQ(seen.info()->appSpecific, 42u);
  EXPECT_EQ(seen.setAppSpecific(1).fault(), Fault::kNotOwner);
}

TEST_F(SessionTest, AddressTranslation) {
  Telephony t = init();
  Address a = addr(t, "201");
  auto x = a.translateAddress("+1 (425) 555-0100");
  ASSERT_TRUE(x.isOk()) << x.status().toString();
  EXPECT_FALSE(x->dialableString.empty());
  EXPECT_FALSE(x->displayableString.empty());
  EXPECT_EQ(x->destinationCountryCode, 1u);
  EXPECT_TRUE(x->translationResults & 0x00000001);  // LINETRANSLATERESULT_CANONICAL
  EXPECT_EQ(a.translateAddress("").status().fault(), Fault::kBadAddress);
  EXPECT_EQ(a.translateAddress("+1 425", 0, 0x100).status().fault(), Fault::kBadParam);
  auto locs = a.locations();
  ASSERT_TRUE(locs.isOk());
  ASSERT_FALSE(locs->empty());
  EXPECT_EQ(
      std::count_if(locs->begin(), locs->end(), [](const LocationInfo& l) { return l.current; }),
      1);
  auto cards = a.callingCards();
  ASSERT_TRUE(cards.isOk());
  ASSERT_FALSE(cards->empty());
  EXPECT_EQ(cards->front().permanentCardId, 0u);  // direct dial
}

TEST_F(SessionTest, CallerIdsAreNormalizedWithTheCurrentLocation) {
  Telephony t = init();
  Address a = addr(t, "201");
  // The Demo location: country 1, area 425.
  auto local = a.normalizeCallerId("5550100");
  ASSERT_TRUE(local.isOk()) << local.status().toString();
  EXPECT_EQ(local->e164, "+14255550100");
  EXPECT_EQ(local->countryCode, 1u);
  auto intl = a.normalizeCallerId("011 44 20 7946 0000");
  ASSERT_TRUE(intl.isOk()) << intl.status().toString();
  EXPECT_EQ(intl->e164, "+442079460000");
  EXPECT_EQ(intl->countryCode, 44u);
  // Back again: the canonical form translates to what the demo switch dials.
  auto back = a.translateAddress(local->canonical);
  ASSERT_TRUE(back.isOk());
  EXPECT_EQ(back->dialableString, "95550100");
  EXPECT_EQ(a.normalizeCallerId("").status().fault(), Fault::kBadAddress);
}

// The same line, a C application and a C++ one, in one process.
TEST_F(SessionTest, ACApplicationSharesTheLine) {
  Telephony cxx = init("cxx");
  HLINEAPP app = 0;
  DWORD devices = 0;
  DWORD version = 0x00020002;
  LINEINITIALIZEEXPARAMS params;
  std::memset(&params, 0, sizeof params);
  params.dwTotalSize = sizeof params;
  params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  ASSERT_EQ(lineInitializeEx(&app, nullptr, nullptr, "c app", &devices, &version, &params), 0);
  EXPECT_EQ(devices, 8u);
  HLINE line = 0;
  ASSERT_EQ(lineOpen(app, 1 /* 202 */, &line, 0x00020002, 0, 0, LINECALLPRIVILEGE_OWNER,
                     LINEMEDIAMODE_INTERACTIVEVOICE, nullptr),
            0);
  Call out = newCall(cxx, "201", "202");
  ASSERT_TRUE(out.connect(false).isOk());
  settle();
  HCALL offeredCall = 0;
  LINEMESSAGE m;
  while (lineGetMessage(app, &m, 0) == 0) {
    if (m.dwMessageID == LINE_APPNEWCALL) offeredCall = static_cast<HCALL>(m.dwParam2);
  }
  ASSERT_NE(offeredCall, 0u);
  const LONG req = lineAnswer(offeredCall, nullptr, 0);
  ASSERT_GT(req, 0);
  auto ops = only<OperationEvent>(drain(cxx));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_TRUE(ops[0].status.isOk());
  EXPECT_EQ(out.state(), S::kConnected);
  // The C++ side hangs up; the C side sees it.
  ASSERT_TRUE(out.disconnect().isOk());
  settle();
  bool disconnected = false;
  while (lineGetMessage(app, &m, 0) == 0) {
    if (m.dwMessageID == LINE_CALLSTATE && m.hDevice == offeredCall &&
        (m.dwParam1 == LINECALLSTATE_DISCONNECTED || m.dwParam1 == LINECALLSTATE_IDLE))
      disconnected = true;
  }
  EXPECT_TRUE(disconnected);
  EXPECT_EQ(lineShutdown(app), 0);
}

}  // namespace
}  // namespace tapir::testing
