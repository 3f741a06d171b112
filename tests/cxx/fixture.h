// The C++ API tests' fixture: applications that use only <tapir/tapir.h>
// (and tapir/sim.h to script the simulated world) against libtapir, on the
// built-in demo switch (stations 201-208, outside numbers behind 9, park
// orbits 701-709) with manual switch time.
//
// Applications take their events from the queue (poll mode); drain() settles
// the switch first, so a test sees every event the switch has caused so far.
// whileTime() runs a blocking (synchronous) call on another thread while the
// test moves switch time forward, one second a step, until it returns.
#pragma once

#include <gtest/gtest.h>
#include <tapi.h>
#include <tapir/sim.h>
#include <tapir/tapir.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "support/tapird_process.h"

namespace tapir::testing {

// Remote mode (TAPIR_TEST_TAPIRD set; the *_remote ctest entries): each test
// runs against its own tapird (tests/support/tapird_process.h).
class CxxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TAPIR_CLOCK", "manual", 1);
    if (remote()) {
      ASSERT_TRUE(tapird_.start());
    }
  }
  void TearDown() override { tapird_.stop(); }
  static bool remote() { return TapirdProcess::remoteMode(); }

  static Telephony init(std::string appName = "test", std::string module = {}) {
    TelephonyOptions o;
    o.appName = std::move(appName);
    o.moduleName = std::move(module);
    auto t = Telephony::initialize(std::move(o));
    EXPECT_TRUE(t.isOk()) << t.status().toString();
    return std::move(*t);
  }

  static Address addr(const Telephony& t, std::string_view number) {
    auto a = t.address(number);
    EXPECT_TRUE(a.isOk()) << a.status().toString();
    return a.isOk() ? *a : Address();
  }

  static Call newCall(const Telephony& t, std::string_view from, std::string_view to) {
    auto c = addr(t, from).createCall(to);
    EXPECT_TRUE(c.isOk()) << c.status().toString();
    return c.isOk() ? *c : Call();
  }

  // The library's own follow-up work (dialing a new consultation call after
  // its setup, releasing a call) runs as further loop tasks: settle a few
  // rounds so chains of them finish too.
  static void settle() {
    for (int round = 0; round < 5; ++round)
      ASSERT_EQ(tapirSimSettle(), 0);
  }
  static void advance(std::chrono::milliseconds d) {
    ASSERT_EQ(tapirSimAdvance(static_cast<DWORD>(d.count())), 0);
  }

  static std::vector<Event> drain(Telephony& t) {
    settle();
    std::vector<Event> out;
    while (auto e = t.nextEvent())
      out.push_back(std::move(*e));
    return out;
  }

  template <class E>
  static std::vector<E> only(const std::vector<Event>& events) {
    std::vector<E> out;
    for (const Event& e : events) {
      if (const E* x = std::get_if<E>(&e)) out.push_back(*x);
    }
    return out;
  }

  // The TAPI 3 states the events report for `call`, in order.
  static std::vector<Call::State> states(const std::vector<Event>& events, const Call& call) {
    std::vector<Call::State> out;
    for (const auto& e : only<CallStateEvent>(events)) {
      if (e.call == call) out.push_back(e.state);
    }
    return out;
  }

  // The first call offered to `t` (after a drain).
  static Call offered(const std::vector<Event>& events) {
    for (const auto& e : only<CallNotificationEvent>(events)) {
      if (e.type == CallNotificationEvent::Type::kOwner) return e.call;
    }
    return Call();
  }

  template <class F>
  static auto whileTime(F f) {
    auto done = std::async(std::launch::async, std::move(f));
    for (int step = 0;
         step < 600 && done.wait_for(std::chrono::milliseconds(1)) != std::future_status::ready;
         ++step)
      tapirSimAdvance(1000);
    return done.get();
  }

  // A connected call between `from` (this app) and an outside number that
  // answers ("95550100").
  static Call outsideCall(Telephony& t, std::string_view from) {
    Call c = newCall(t, from, "95550100");
    Status st = whileTime([&] { return c.connect(true); });
    EXPECT_TRUE(st.isOk()) << st.toString();
    return c;
  }

 private:
  TapirdProcess tapird_;
};

inline std::string str(Call::State s) {
  static const char* kNames[] = {"IDLE",     "INPROGRESS", "CONNECTED", "DISCONNECTED",
                                 "OFFERING", "HOLD",       "QUEUED"};
  return kNames[static_cast<int>(s)];
}

}  // namespace tapir::testing

namespace tapir {
inline void PrintTo(Call::State s, std::ostream* os) {
  *os << testing::str(s);
}
inline void PrintTo(const Status& s, std::ostream* os) {
  *os << s.toString();
}
}  // namespace tapir
