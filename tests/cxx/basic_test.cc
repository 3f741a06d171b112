// Telephony, Address and the basic Call methods: connect, answer, disconnect,
// hold, dial, swapHold; sync and async completion; failures.
#include <poll.h>

#include "fixture.h"

namespace tapir::testing {
namespace {

using namespace std::chrono_literals;

using S = Call::State;
using C = Call::Cause;

TEST_F(CxxTest, InitializeListsTheDemoStations) {
  Telephony t = init();
  auto all = t.addresses();
  ASSERT_EQ(all.size(), 8u);
  EXPECT_EQ(all.front().dialableAddress(), "201");
  EXPECT_EQ(all.back().dialableAddress(), "208");
  EXPECT_EQ(all[2].deviceId(), 2u);
  EXPECT_EQ(all[2].addressId(), 0u);
  EXPECT_FALSE(all[2].name().empty());
  EXPECT_EQ(addr(t, "203"), all[2]);
  EXPECT_EQ(t.address("299").status().fault(), Fault::kBadAddress);
  EXPECT_EQ(all[0].state(), Address::State::kInService);

  auto caps = all[0].capabilities();
  ASSERT_TRUE(caps.isOk()) << caps.status().toString();
  EXPECT_EQ(caps->address.address, "201");
  EXPECT_EQ(caps->address.maxConference, 8u);
  EXPECT_NE(caps->address.parkModes, 0u);
  EXPECT_TRUE(caps->mediaTypes & media_type::kAudio);
  EXPECT_TRUE(caps->line.addresses.empty());
}

TEST_F(CxxTest, CreateCallIsIdleUntilConnect) {
  Telephony t = init();
  Call c = newCall(t, "201", "95550100");
  EXPECT_EQ(c.state(), S::kIdle);
  EXPECT_EQ(c.destination(), "95550100");
  EXPECT_EQ(c.address(), addr(t, "201"));
  auto info = c.info();
  ASSERT_TRUE(info.isOk());
  EXPECT_EQ(info->state, S::kIdle);
  EXPECT_EQ(info->called.number, "95550100");
  // Nothing on the switch yet.
  EXPECT_TRUE(drain(t).empty());
  EXPECT_TRUE(t.calls().empty());
  // Unsupported media types are refused.
  EXPECT_EQ(addr(t, "201").createCall("202", media_type::kVideo).status().fault(),
            Fault::kBadMediaMode);
  EXPECT_EQ(addr(t, "201").createCall("202", 0x1).status().fault(), Fault::kBadMediaMode);
}

TEST_F(CxxTest, ConnectSyncReturnsWhenConnected) {
  Telephony t = init();
  Call c = newCall(t, "201", "95550100");
  Status st = whileTime([&] { return c.connect(true); });
  ASSERT_TRUE(st.isOk()) << st.toString();
  EXPECT_EQ(c.state(), S::kConnected);
  auto events = drain(t);
  EXPECT_EQ(states(events, c), (std::vector<S>{S::kInProgress, S::kConnected}));
  // The outcome was the return value: no OperationEvent as well.
  EXPECT_TRUE(only<OperationEvent>(events).empty());
  auto info = c.info();
  ASSERT_TRUE(info.isOk());
  EXPECT_EQ(info->detailedState, CallState::kConnected);
  EXPECT_EQ(info->origin, CallOrigin::kOutbound);
  EXPECT_EQ(info->privilege, Call::Privilege::kOwner);
  EXPECT_EQ(info->numOwners, 1u);
  EXPECT_TRUE(info->features & call_feature::kHold);
  EXPECT_EQ(t.calls().size(), 1u);
  EXPECT_EQ(addr(t, "201").calls().size(), 1u);
  EXPECT_TRUE(addr(t, "202").calls().empty());
  // connect() only from CS_IDLE.
  EXPECT_EQ(c.connect(true).fault(), Fault::kBadCallState);
  EXPECT_EQ(hresultOf(c.connect(true)),
            static_cast<std::int32_t>(0x80040010));  // TAPI_E_INVALCALLSTATE
}

TEST_F(CxxTest, ConnectSyncReportsBusy) {
  Telephony t = init();
  Call c = newCall(t, "201", "95550199");
  Status st = whileTime([&] { return c.connect(true); });
  EXPECT_EQ(st.fault(), Fault::kDestBusy);
  EXPECT_EQ(hresultOf(st), static_cast<std::int32_t>(0x80040034));  // TAPI_E_DESTBUSY
  EXPECT_EQ(c.state(), S::kDisconnected);
  EXPECT_EQ(c.cause(), C::kDisconnectBusy);
  auto events = drain(t);
  auto se = only<CallStateEvent>(events);
  ASSERT_FALSE(se.empty());
  EXPECT_EQ(se.back().state, S::kDisconnected);
  EXPECT_EQ(se.back().cause, C::kDisconnectBusy);
  EXPECT_EQ(se.back().detailedState, CallState::kBusy);
  // Disconnect clears the busy call on the switch.
  EXPECT_TRUE(c.disconnect().isOk());
}

TEST_F(CxxTest, ConnectToAnUnknownNumberFails) {
  Telephony t = init();
  Call c = newCall(t, "201", "555");
  Status st = whileTime([&] { return c.connect(true); });
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(c.state(), S::kConnected);
}

TEST_F(CxxTest, ConnectAsyncCompletesWithOneOperationEvent) {
  Telephony t = init();
  Call c = newCall(t, "201", "95550100");
  ASSERT_TRUE(c.connect(false).isOk());
  auto events = drain(t);
  EXPECT_EQ(states(events, c), (std::vector<S>{S::kInProgress}));
  EXPECT_TRUE(only<OperationEvent>(events).empty());
  advance(20s);
  events = drain(t);
  EXPECT_EQ(states(events, c), (std::vector<S>{S::kConnected}));
  auto ops = only<OperationEvent>(events);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].call, c);
  EXPECT_EQ(ops[0].operation, OperationEvent::Operation::kConnect);
  EXPECT_TRUE(ops[0].status.isOk());
  // The OperationEvent comes after the state that completed it.
  EXPECT_TRUE(std::holds_alternative<OperationEvent>(events.back()));
}

TEST_F(CxxTest, ConnectAsyncFailureArrivesAsAnEvent) {
  Telephony t = init();
  Call c = newCall(t, "201", "95550199");
  ASSERT_TRUE(c.connect(false).isOk());
  advance(10s);
  auto ops = only<OperationEvent>(drain(t));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].status.fault(), Fault::kDestBusy);
}

TEST_F(CxxTest, ASyncWaitThatTimesOutStillReportsTheOutcome) {
  TelephonyOptions o;
  o.syncTimeout = 0ms;
  auto t = Telephony::initialize(o);
  ASSERT_TRUE(t.isOk());
  Call c = newCall(*t, "201", "95550100");
  EXPECT_EQ(c.connect(true).code(), Code::kDeadlineExceeded);
  EXPECT_EQ(hresultOf(Status(Code::kDeadlineExceeded, "")), static_cast<std::int32_t>(0x80040044));
  advance(20s);
  auto ops = only<OperationEvent>(drain(*t));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_TRUE(ops[0].status.isOk());
  EXPECT_EQ(c.state(), S::kConnected);
}

TEST_F(CxxTest, AnswerAnIncomingCall) {
  Telephony a = init("caller");
  Telephony b = init("callee");
  ASSERT_TRUE(b.registerCallNotifications(addr(b, "202"), true, false).isOk());
  Call out = newCall(a, "201", "202");
  ASSERT_TRUE(out.connect(false).isOk());
  auto events = drain(b);
  auto notes = only<CallNotificationEvent>(events);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].type, CallNotificationEvent::Type::kOwner);
  EXPECT_EQ(notes[0].address, addr(b, "202"));
  Call in = notes[0].call;
  EXPECT_EQ(states(events, in), (std::vector<S>{S::kOffering}));
  EXPECT_EQ(in.privilege(), Call::Privilege::kOwner);
  // The notification comes before the call's first state.
  EXPECT_TRUE(std::holds_alternative<CallNotificationEvent>(events.front()));
  auto info = in.info();
  ASSERT_TRUE(info.isOk());
  EXPECT_EQ(info->caller.number, "201");
  EXPECT_EQ(info->origin, CallOrigin::kInternal);

  ASSERT_TRUE(in.answer().isOk());
  EXPECT_EQ(in.answer().fault(), Fault::kBadCallState);  // no longer offering
  EXPECT_EQ(states(drain(b), in), (std::vector<S>{S::kConnected}));
  auto ops = only<OperationEvent>(drain(a));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_TRUE(ops[0].status.isOk());
  EXPECT_EQ(out.state(), S::kConnected);

  // The far end hangs up: a normal disconnect on this side.
  ASSERT_TRUE(out.disconnect().isOk());
  auto se = only<CallStateEvent>(drain(b));
  ASSERT_FALSE(se.empty());
  EXPECT_EQ(se.back().state, S::kDisconnected);
  EXPECT_EQ(se.back().cause, C::kDisconnectNormal);
  EXPECT_EQ(in.state(), S::kDisconnected);
  // Disconnecting what is over already: nothing to do.
  EXPECT_TRUE(in.disconnect().isOk());
}

TEST_F(CxxTest, MonitorsSeeCallsButCannotControlThem) {
  Telephony a = init("caller");
  Telephony m = init("monitor");
  ASSERT_TRUE(m.registerCallNotifications(addr(m, "201"), false, true).isOk());
  Call c = outsideCall(a, "201");
  auto notes = only<CallNotificationEvent>(drain(m));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].type, CallNotificationEvent::Type::kMonitor);
  Call seen = notes[0].call;
  EXPECT_EQ(seen.privilege(), Call::Privilege::kMonitor);
  EXPECT_EQ(seen.state(), S::kConnected);
  EXPECT_EQ(seen.hold(true).fault(), Fault::kNotOwner);
  EXPECT_EQ(hresultOf(seen.hold(true)), static_cast<std::int32_t>(0x80040023));  // TAPI_E_NOTOWNER
  ASSERT_TRUE(c.hold(true).isOk());
  EXPECT_EQ(states(drain(m), seen), (std::vector<S>{S::kHold}));
}

TEST_F(CxxTest, HoldAndUnhold) {
  Telephony t = init();
  Call c = outsideCall(t, "201");
  drain(t);
  ASSERT_TRUE(c.hold(true).isOk());
  EXPECT_EQ(c.hold(true).fault(), Fault::kBadCallState);
  ASSERT_TRUE(c.hold(false).isOk());
  EXPECT_EQ(states(drain(t), c), (std::vector<S>{S::kHold, S::kConnected}));
  EXPECT_EQ(c.hold(false).fault(), Fault::kBadCallState);
}

TEST_F(CxxTest, SwapHoldTogglesBetweenTwoCalls) {
  Telephony t = init();
  Call first = outsideCall(t, "201");
  ASSERT_TRUE(first.hold(true).isOk());
  Call second = newCall(t, "201", "95550101");
  ASSERT_TRUE(whileTime([&] { return second.connect(true); }).isOk());
  drain(t);
  ASSERT_TRUE(second.swapHold(first).isOk());
  settle();
  EXPECT_EQ(second.state(), S::kHold);
  EXPECT_EQ(first.state(), S::kConnected);
  EXPECT_EQ(first.swapHold(first).fault(), Fault::kBadParam);
  Call none;
  EXPECT_EQ(first.swapHold(none).fault(), Fault::kBadParam);
}

TEST_F(CxxTest, DialAfterConnectingWithoutDestination) {
  Telephony t = init();
  Call c = newCall(t, "201", "");
  // Without a destination connect() is done at dial tone.
  ASSERT_TRUE(c.connect(true).isOk());
  settle();
  EXPECT_EQ(c.state(), S::kInProgress);
  ASSERT_TRUE(c.info().isOk());
  EXPECT_EQ(c.info()->detailedState, CallState::kDialtone);
  ASSERT_TRUE(c.dial("95550100").isOk());
  advance(20s);
  settle();
  EXPECT_EQ(c.state(), S::kConnected);
  // Connected: digits go to the far end as DTMF.
  EXPECT_TRUE(c.dial("1").isOk());
  ASSERT_TRUE(c.disconnect().isOk());
  settle();
  EXPECT_EQ(c.dial("1").fault(), Fault::kBadCallState);
}

TEST_F(CxxTest, OperationsOnACallNotConnectedYet) {
  Telephony t = init();
  Call c = newCall(t, "201", "202");
  EXPECT_EQ(c.hold(true).fault(), Fault::kBadCallState);
  EXPECT_EQ(c.answer().fault(), Fault::kBadCallState);
  EXPECT_EQ(c.dial("1").fault(), Fault::kBadCallState);
  EXPECT_EQ(c.blindTransfer("203").fault(), Fault::kBadCallState);
  EXPECT_EQ(c.parkIndirect().status().fault(), Fault::kBadCallState);
  EXPECT_EQ(c.removeFromConference().fault(), Fault::kBadCallState);
  EXPECT_EQ(c.setAppSpecific(1).fault(), Fault::kBadCallState);
  EXPECT_TRUE(c.disconnect().isOk());  // S_FALSE: nothing to disconnect
}

TEST_F(CxxTest, EmptyObjectsFailClearly) {
  Call c;
  EXPECT_FALSE(c);
  EXPECT_EQ(c.hold(true).fault(), Fault::kBadCallHandle);
  EXPECT_EQ(c.connect(true).fault(), Fault::kBadCallHandle);
  EXPECT_EQ(c.info().status().fault(), Fault::kBadCallHandle);
  EXPECT_EQ(c.state(), S::kIdle);
  Address a;
  EXPECT_EQ(a.createCall("201").status().fault(), Fault::kBadAddressId);
  EXPECT_EQ(a.state(), Address::State::kOutOfService);
  CallHub h;
  EXPECT_EQ(h.clear().fault(), Fault::kBadConfCallHandle);
  EXPECT_TRUE(h.calls().empty());
}

TEST_F(CxxTest, ObjectsOfAShutDownTelephonyAreStale) {
  Telephony t = init();
  Address a = addr(t, "201");
  Call idle = newCall(t, "201", "95550100");
  Call c = outsideCall(t, "201");
  ASSERT_TRUE(t.shutdown().isOk());
  ASSERT_TRUE(t.shutdown().isOk());  // idempotent
  EXPECT_EQ(c.hold(true).fault(), Fault::kUninitialized);
  EXPECT_EQ(c.info().status().fault(), Fault::kUninitialized);
  EXPECT_EQ(idle.connect(true).fault(), Fault::kUninitialized);
  EXPECT_EQ(a.createCall("202").status().fault(), Fault::kUninitialized);
  EXPECT_EQ(a.capabilities().status().fault(), Fault::kUninitialized);
  EXPECT_EQ(t.address("201").status().fault(), Fault::kUninitialized);
  EXPECT_TRUE(t.addresses().empty());
  EXPECT_FALSE(t.nextEvent().has_value());
  EXPECT_EQ(hresultOf(c.hold(true)),
            static_cast<std::int32_t>(0x80040059));  // TAPI_E_NOT_INITIALIZED
}

TEST_F(CxxTest, ShutdownDropsTheCallsOnlyItOwned) {
  Telephony a = init("a");
  Telephony b = init("b");
  ASSERT_TRUE(b.registerCallNotifications(addr(b, "202"), true, false).isOk());
  Call out = newCall(a, "201", "202");
  ASSERT_TRUE(out.connect(false).isOk());
  Call in = offered(drain(b));
  ASSERT_TRUE(in);
  ASSERT_TRUE(in.answer().isOk());
  drain(a);
  ASSERT_TRUE(b.shutdown().isOk());
  auto se = only<CallStateEvent>(drain(a));
  ASSERT_FALSE(se.empty());
  EXPECT_EQ(se.back().state, S::kDisconnected);
}

TEST_F(CxxTest, ReleasingAnActiveCallDropsIt) {
  Telephony a = init("a");
  Telephony b = init("b");
  ASSERT_TRUE(b.registerCallNotifications(addr(b, "202"), true, false).isOk());
  {
    Call out = newCall(a, "201", "202");
    ASSERT_TRUE(out.connect(false).isOk());
    settle();
    EXPECT_EQ(a.calls().size(), 1u);  // kept while up
  }
  Call in = offered(drain(b));
  ASSERT_TRUE(in);
  ASSERT_TRUE(in.answer().isOk());
  settle();
  // The Telephony keeps the call while it is up: events still name it.
  auto calls = a.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].state(), S::kConnected);
  ASSERT_TRUE(in.disconnect().isOk());
  drain(a);
  calls.clear();
  settle();
  settle();
  EXPECT_TRUE(a.calls().empty());
}

TEST_F(CxxTest, EventsByCallbackAndFilter) {
  std::mutex mu;
  std::vector<Event> seen;
  TelephonyOptions o;
  o.appName = "callback";
  o.onEvent = [&](const Event& e) {
    std::lock_guard lock(mu);
    seen.push_back(e);
    // Methods may be called from the callback.
    if (auto* n = std::get_if<CallNotificationEvent>(&e)) {
      Call c = n->call;
      EXPECT_TRUE(c.answer().isOk());
    }
  };
  auto b = Telephony::initialize(o);
  ASSERT_TRUE(b.isOk());
  EXPECT_EQ(b->eventFd(), -1);
  EXPECT_FALSE(b->nextEvent().has_value());
  ASSERT_TRUE(b->registerCallNotifications(addr(*b, "202"), true, false).isOk());
  Telephony a = init("caller");
  Call out = newCall(a, "201", "202");
  ASSERT_TRUE(whileTime([&] { return out.connect(true); }).isOk());
  settle();
  for (int i = 0; i < 1000; ++i) {
    {
      std::lock_guard lock(mu);
      if (only<CallStateEvent>(seen).size() >= 2) break;
    }
    std::this_thread::sleep_for(1ms);
  }
  std::lock_guard lock(mu);
  auto se = only<CallStateEvent>(seen);
  ASSERT_EQ(se.size(), 2u);
  EXPECT_EQ(se[0].state, S::kOffering);
  EXPECT_EQ(se[1].state, S::kConnected);

  // Filtering: only call states from now on.
  drain(a);
  a.setEventFilter(event_kind::kCallState);
  EXPECT_EQ(a.eventFilter(), event_kind::kCallState);
  ASSERT_TRUE(out.hold(true).isOk());
  auto events = drain(a);
  ASSERT_FALSE(events.empty());
  for (const Event& e : events)
    EXPECT_EQ(eventKind(e), event_kind::kCallState);
}

TEST_F(CxxTest, EventFdIsReadableWhileEventsWait) {
  Telephony t = init();
  const int fd = t.eventFd();
  ASSERT_GE(fd, 0);
  pollfd p{fd, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 0), 0);
  Call c = newCall(t, "201", "95550100");
  ASSERT_TRUE(c.connect(false).isOk());
  settle();
  EXPECT_EQ(::poll(&p, 1, 0), 1);
  while (t.nextEvent()) {
  }
  EXPECT_EQ(::poll(&p, 1, 0), 0);
}

TEST_F(CxxTest, RegistrationRules) {
  Telephony t = init();
  Address a = addr(t, "202");
  EXPECT_EQ(t.registerCallNotifications(a, false, false).status().fault(), Fault::kBadPrivSelect);
  EXPECT_EQ(t.registerCallNotifications(a, true, false, 0).status().fault(), Fault::kBadMediaMode);
  EXPECT_EQ(t.registerCallNotifications(a, true, false, media_type::kVideo).status().fault(),
            Fault::kBadMediaMode);
  auto reg = t.registerCallNotifications(a, true, true);
  ASSERT_TRUE(reg.isOk());
  EXPECT_EQ(t.registerCallNotifications(a, true, false).status().fault(), Fault::kInUse);
  EXPECT_TRUE(t.unregisterNotifications(*reg).isOk());
  EXPECT_EQ(t.unregisterNotifications(*reg).fault(), Fault::kBadParam);
  EXPECT_TRUE(t.registerCallNotifications(a, true, false).isOk());
  Telephony other = init("other");
  EXPECT_EQ(other.registerCallNotifications(a, true, false).status().fault(), Fault::kBadParam);
}

TEST_F(CxxTest, ApplicationPriority) {
  Telephony t = init("prio", "prioapp");
  EXPECT_TRUE(t.setApplicationPriority("", media_type::kAudio, true).isOk());
  auto p = t.applicationPriority("prioapp", media_type::kAudio);
  ASSERT_TRUE(p.isOk());
  EXPECT_TRUE(*p);
  EXPECT_TRUE(t.setApplicationPriority("prioapp", media_type::kAudio, false).isOk());
  EXPECT_FALSE(*t.applicationPriority("prioapp", media_type::kAudio));
  EXPECT_EQ(t.setApplicationPriority("x", 0x1, true).fault(), Fault::kBadMediaMode);
}

TEST_F(CxxTest, HresultsForPortedCode) {
  EXPECT_EQ(hresultOf(Status()), 0);
  EXPECT_EQ(hresultOf(Status(Fault::kBadAddress, "")), static_cast<std::int32_t>(0x8004000C));
  EXPECT_EQ(hresultOf(Status(Fault::kOperationUnavail, "")), static_cast<std::int32_t>(0x80040003));
  EXPECT_EQ(hresultOf(Status(Fault::kBadParam, "")), static_cast<std::int32_t>(0x80070057));
  EXPECT_EQ(hresultOf(Status(Code::kInternal, "")), static_cast<std::int32_t>(0x80004005));
}

}  // namespace
}  // namespace tapir::testing
