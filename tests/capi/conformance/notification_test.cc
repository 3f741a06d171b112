// How messages reach applications, and threads: the event handle (a file
// descriptor the application polls) with lineGetMessage and its timeouts,
// the callback mechanism (lineInitialize / USEHIDDENWINDOW: a library
// thread calls LINECALLBACK), status messages (LINE_LINEDEVSTATE,
// LINE_ADDRESSSTATE), version-dependent messages, and any function from any
// thread.
#include <poll.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "conformance.h"

namespace tapir::conformance {
namespace {

class NotificationTest : public CapiTest {};

// Waits (without asserting on time) for a condition another thread makes
// true; false only if it never happens in a generous while.
template <class Pred>
bool eventually(std::mutex& mu, std::condition_variable& cv, Pred pred) {
  std::unique_lock lock(mu);
  return cv.wait_for(lock, std::chrono::seconds(20), pred);
}

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

// ---- the event handle ----------------------------------------------------------------

TEST_F(NotificationTest, EventHandleIsReadableExactlyWhileMessagesWait) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  b.open(202);
  EXPECT_FALSE(readable(a.fd));
  HCALL call = 0;
  const LONG req = lineMakeCall(la, &call, "202", 0, nullptr);
  ASSERT_GT(req, 0);
  ASSERT_EQ(rc(tapirSimSettle()), kOk);
  ASSERT_EQ(rc(tapirSimSettle()), kOk);
  EXPECT_TRUE(readable(a.fd)) << "LINE_REPLY and LINE_CALLSTATEs are queued";
  LINEMESSAGE m;
  ASSERT_EQ(rc(lineGetMessage(a.h, &m, 0)), kOk);
  EXPECT_EQ(m.dwMessageID, static_cast<DWORD>(LINE_REPLY));
  EXPECT_TRUE(readable(a.fd)) << "more messages wait";
  while (lineGetMessage(a.h, &m, 0) == 0) {
  }
  EXPECT_FALSE(readable(a.fd)) << "the queue is empty: reset";
  EXPECT_NE(call, 0u);
}

TEST_F(NotificationTest, PollWakesWhenAMessageArrives) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  b.open(202);
  std::atomic<int> polled{-1};
  std::thread waiter([&] {
    pollfd p{a.fd, POLLIN, 0};
    polled = ::poll(&p, 1, 20000);
  });
  HCALL call = 0;
  ASSERT_GT(lineMakeCall(la, &call, "202", 0, nullptr), 0);
  waiter.join();
  EXPECT_EQ(polled.load(), 1);
  settle();
  EXPECT_NE(call, 0u);
}

TEST_F(NotificationTest, GetMessageTimesOutWithOperationFailed) {
  App& a = app();
  LINEMESSAGE m;
  EXPECT_EQ(rc(lineGetMessage(a.h, &m, 0)), E(LINEERR_OPERATIONFAILED))
      << "nothing queued, no wait";
  EXPECT_EQ(rc(lineGetMessage(a.h, &m, 20)), E(LINEERR_OPERATIONFAILED)) << "nothing came in time";
  EXPECT_EQ(rc(lineGetMessage(a.h, nullptr, 0)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineGetMessage(a.h + 1000, &m, 0)), E(LINEERR_INVALAPPHANDLE));
}

TEST_F(NotificationTest, GetMessageWaitsForever) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  b.open(202);
  LINEMESSAGE got;
  std::atomic<LONG> result{1};
  std::thread waiter([&] { result = lineGetMessage(a.h, &got, INFINITE); });
  HCALL call = 0;
  const LONG req = lineMakeCall(la, &call, "202", 0, nullptr);
  ASSERT_GT(req, 0);
  waiter.join();
  EXPECT_EQ(rc(result.load()), kOk);
  EXPECT_EQ(got.dwMessageID, static_cast<DWORD>(LINE_REPLY));
  EXPECT_EQ(got.dwParam1, static_cast<DWORD_PTR>(req));
  settle();
}

TEST_F(NotificationTest, ShutdownOnAnotherThreadEndsAWait) {
  // "If lineGetMessage has been called with a non-zero timeout and the
  // application calls lineShutdown on another thread, this function returns
  // immediately with LINEERR_INVALAPPHANDLE."
  App& keep = app();  // keeps the service up, so the handle is just invalid
  App& a = app();
  const HLINEAPP h = a.h;
  std::atomic<LONG> forever{1};
  std::atomic<LONG> timed{1};
  std::thread t1([&] {
    LINEMESSAGE m;
    forever = lineGetMessage(h, &m, INFINITE);
  });
  std::thread t2([&] {
    LINEMESSAGE m;
    timed = lineGetMessage(h, &m, 600000);
  });
  // Whether they are already waiting or not, they must not get a message.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(rc(a.shutdown()), kOk);
  t1.join();
  t2.join();
  EXPECT_EQ(rc(forever.load()), E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(timed.load()), E(LINEERR_INVALAPPHANDLE));
  LINEMESSAGE m;
  EXPECT_EQ(rc(lineGetMessage(h, &m, 0)), E(LINEERR_INVALAPPHANDLE));
  (void)keep;
}

TEST_F(NotificationTest, ReplyCarriesTheLinesCallbackInstance) {
  App& a = app();
  App& b = app();
  HLINE la = 0;
  ASSERT_EQ(rc(lineOpen(a.h, dev(201), &la, kV22, 0, 0xfeedface, kOwner, kVoice, nullptr)), kOk);
  b.open(202);
  HCALL call = 0;
  const LONG req = lineMakeCall(la, &call, "202", 0, nullptr);
  ASSERT_EQ(outcome(a, req), kOk);
  const Msg* r = a.reply(req);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->instance, 0xfeedfaceu);
  EXPECT_EQ(r->p3, 0u);
  for (const Msg& m : a.of(LINE_CALLSTATE, call))
    EXPECT_EQ(m.instance, 0xfeedfaceu);
}

TEST_F(NotificationTest, ManyReadersGetEachMessageOnce) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  b.open(202);
  const HCALL call = makeCall(a, la, "202");
  a.clear();
  std::atomic<bool> stop{false};
  std::atomic<int> got{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      LINEMESSAGE m;
      while (!stop) {
        if (lineGetMessage(a.h, &m, 5) == 0 && m.dwMessageID == LINE_CALLINFO) ++got;
      }
    });
  }
  constexpr int kN = 60;
  for (int i = 0; i < kN; ++i)
    ASSERT_EQ(rc(lineSetAppSpecific(call, static_cast<DWORD>(i))), kOk);
  ASSERT_EQ(rc(tapirSimSettle()), kOk);
  for (int spins = 0; got < kN && spins < 20000; ++spins)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  stop = true;
  for (auto& t : readers)
    t.join();
  EXPECT_EQ(got.load(), kN);
  LINEMESSAGE m;
  EXPECT_EQ(rc(lineGetMessage(a.h, &m, 0)), E(LINEERR_OPERATIONFAILED));
}

TEST_F(NotificationTest, EventHandleMatchesTheQueueWhileAnotherThreadReads) {
  // A reader takes each message as it is queued; whenever it has taken them
  // all, the handle must not stay signalled (an application polling it would
  // spin).
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  b.open(202);
  const HCALL call = makeCall(a, la, "202");
  a.clear();
  std::atomic<int> got{0};
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    LINEMESSAGE m;
    while (!stop) {
      if (lineGetMessage(a.h, &m, 50) == 0) {
        ++got;
        got.notify_one();
      }
    }
  });
  constexpr int kN = 200;
  int stale = 0;
  for (int i = 0; i < kN; ++i) {
    // Queues one LINE_CALLINFO; wait until the reader has taken it.
    ASSERT_EQ(rc(lineSetAppSpecific(call, static_cast<DWORD>(i))), kOk);
    for (int seen = got.load(); seen < i + 1; seen = got.load())
      got.wait(seen);
    if (readable(a.fd)) ++stale;
  }
  stop = true;
  reader.join();
  EXPECT_EQ(got.load(), kN);
  EXPECT_EQ(stale, 0) << "the event handle stayed signalled with nothing queued";
}

// ---- the callback mechanism ------------------------------------------------------------

struct Collector {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Msg> msgs;
  std::set<std::thread::id> threads;
  // What the callback does with an offered call: nothing, or answer it.
  bool answerOffers = false;
  std::vector<LONG> answerRequests;
  bool shutdownOnReply = false;
  HLINEAPP app = 0;
  LONG shutdownResult = 1;
};

void CALLBACK collect(DWORD hDevice, DWORD dwMessage, DWORD_PTR dwInstance, DWORD_PTR p1,
                      DWORD_PTR p2, DWORD_PTR p3) {
  auto* c = reinterpret_cast<Collector*>(dwInstance);
  if (c == nullptr) return;
  LONG answered = 0;
  if (c->answerOffers && dwMessage == LINE_CALLSTATE && p1 == LINECALLSTATE_OFFERING)
    answered = lineAnswer(hDevice, nullptr, 0);  // the API may be used from the callback
  LONG shut = 1;
  HLINEAPP shutApp = 0;
  {
    std::lock_guard lock(c->mu);
    if (c->shutdownOnReply && dwMessage == LINE_REPLY) shutApp = c->app;
  }
  const bool shutNow = shutApp != 0;
  if (shutNow) shut = lineShutdown(shutApp);  // ... even lineShutdown
  {
    std::lock_guard lock(c->mu);
    c->msgs.push_back(Msg{hDevice, dwMessage, dwInstance, p1, p2, p3});
    c->threads.insert(std::this_thread::get_id());
    if (answered != 0) c->answerRequests.push_back(answered);
    if (shutNow) {
      c->shutdownResult = shut;
      c->app = 0;
    }
  }
  c->cv.notify_all();
}

TEST_F(NotificationTest, CallbackRunsOnALibraryThreadInOrder) {
  Collector c;
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  ASSERT_EQ(rc(lineInitialize(&h, nullptr, collect, "callback app", &numDevs)), kOk);
  HLINE line = 0;
  ASSERT_EQ(rc(lineOpen(h, dev(201), &line, kV22, 0, reinterpret_cast<DWORD_PTR>(&c), kOwner,
                        kVoice, nullptr)),
            kOk);
  App& b = app();
  b.open(202);
  HCALL call = 0;
  const LONG req = lineMakeCall(line, &call, "202", 0, nullptr);
  ASSERT_GT(req, 0);
  settle();
  ASSERT_TRUE(eventually(c.mu, c.cv, [&] {
    return !c.msgs.empty() && c.msgs.back().id == LINE_CALLSTATE &&
           c.msgs.back().p1 == LINECALLSTATE_RINGBACK;
  })) << dump(c.msgs);
  EXPECT_EQ(rc(lineShutdown(h)), kOk);
  std::size_t atShutdown = 0;
  {
    std::lock_guard lock(c.mu);
    atShutdown = c.msgs.size();
  }
  rings(1);
  std::lock_guard lock(c.mu);
  EXPECT_EQ(c.msgs.size(), atShutdown) << "no callback after lineShutdown returned";
  EXPECT_EQ(c.threads.size(), 1u) << "one library thread delivers every message";
  EXPECT_EQ(c.threads.count(std::this_thread::get_id()), 0u) << "not the application's thread";
  ASSERT_GE(c.msgs.size(), 4u) << dump(c.msgs);
  EXPECT_EQ(c.msgs[0].id, static_cast<DWORD>(LINE_REPLY));
  EXPECT_EQ(c.msgs[0].p1, static_cast<DWORD_PTR>(req));
  EXPECT_EQ(c.msgs[0].p2, 0u);
  std::vector<Msg> states;
  for (const Msg& m : c.msgs)
    if (m.id == LINE_CALLSTATE) states.push_back(m);
  ASSERT_EQ(states.size(), 3u) << dump(c.msgs);
  EXPECT_EQ(states[0].p1, static_cast<DWORD_PTR>(LINECALLSTATE_DIALING));
  EXPECT_EQ(states[0].p3, static_cast<DWORD_PTR>(kOwner));
  EXPECT_EQ(states[0].device, call);
  EXPECT_EQ(states[1].p1, static_cast<DWORD_PTR>(LINECALLSTATE_PROCEEDING));
  EXPECT_EQ(states[2].p1, static_cast<DWORD_PTR>(LINECALLSTATE_RINGBACK));
}

TEST_F(NotificationTest, HiddenWindowOptionIsTheCallbackMechanism) {
  Collector c;
  c.answerOffers = true;
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  DWORD version = kV22;
  LINEINITIALIZEEXPARAMS p;
  std::memset(&p, 0, sizeof p);
  p.dwTotalSize = sizeof p;
  p.dwOptions = LINEINITIALIZEEXOPTION_USEHIDDENWINDOW;
  ASSERT_EQ(rc(lineInitializeEx(&h, nullptr, collect, nullptr, &numDevs, &version, &p)), kOk);
  HLINE line = 0;
  ASSERT_EQ(rc(lineOpen(h, dev(202), &line, kV22, 0, reinterpret_cast<DWORD_PTR>(&c), kOwner,
                        kVoice, nullptr)),
            kOk);
  App& a = app();
  const HLINE la = a.open(201);
  const HCALL call = makeCall(a, la, "202");
  // The callback answers the offered call from the library thread.
  ASSERT_TRUE(eventually(c.mu, c.cv, [&] { return !c.answerRequests.empty(); })) << dump(c.msgs);
  settle();
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  {
    std::lock_guard lock(c.mu);
    ASSERT_EQ(c.answerRequests.size(), 1u);
    EXPECT_GT(c.answerRequests[0], 0);
    EXPECT_EQ(c.msgs[0].id, static_cast<DWORD>(LINE_APPNEWCALL));
  }
  EXPECT_EQ(rc(lineShutdown(h)), kOk);
}

TEST_F(NotificationTest, ShutdownFromInsideTheCallback) {
  Collector c;
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  ASSERT_EQ(rc(lineInitialize(&h, nullptr, collect, nullptr, &numDevs)), kOk);
  {
    std::lock_guard lock(c.mu);
    c.app = h;
    c.shutdownOnReply = true;
  }
  App& keep = app();
  keep.open(202);
  HLINE line = 0;
  ASSERT_EQ(rc(lineOpen(h, dev(201), &line, kV22, 0, reinterpret_cast<DWORD_PTR>(&c), kOwner,
                        kVoice, nullptr)),
            kOk);
  HCALL call = 0;
  ASSERT_GT(lineMakeCall(line, &call, "202", 0, nullptr), 0);
  settle();
  ASSERT_TRUE(eventually(c.mu, c.cv, [&] { return c.app == 0; }));
  EXPECT_EQ(rc(c.shutdownResult), kOk);
  // The library thread goes on after the callback returns: give it the
  // chance to trip over anything freed under it (ASan reports it).
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  settle();
  EXPECT_EQ(rc(lineClose(line)), E(LINEERR_INVALLINEHANDLE));
  const auto states = keep.states(keep.newestCall());
  EXPECT_NE(std::find(states.begin(), states.end(), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED)),
            states.end())
      << "the call the shut-down application owned alone was dropped";
}

// ---- status messages ----------------------------------------------------------------

TEST_F(NotificationTest, RingingCountsFromZero) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  const HLINE lb = b.open(202);
  ASSERT_EQ(rc(lineSetStatusMessages(lb, LINEDEVSTATE_RINGING, 0)), kOk);
  makeCall(a, la, "202");
  rings(2);
  auto ringsSeen = b.of(LINE_LINEDEVSTATE, lb);
  ASSERT_EQ(ringsSeen.size(), 3u) << dump(b.msgs);
  for (std::size_t i = 0; i < ringsSeen.size(); ++i) {
    EXPECT_EQ(ringsSeen[i].p1, static_cast<DWORD_PTR>(LINEDEVSTATE_RINGING));
    EXPECT_EQ(ringsSeen[i].p2, 1u) << "ring mode";
    EXPECT_EQ(ringsSeen[i].p3, i) << "ring count, from zero";
    EXPECT_EQ(ringsSeen[i].instance, kInstance + dev(202));
  }
  EXPECT_TRUE(a.of(LINE_LINEDEVSTATE).empty()) << "a did not ask";
}

TEST_F(NotificationTest, OpenAndCloseAreReportedToTheOthers) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(203, kMonitor, 0);
  ASSERT_EQ(rc(lineSetStatusMessages(la, LINEDEVSTATE_OPEN | LINEDEVSTATE_CLOSE, 0)), kOk);
  const HLINE lb = b.open(203);
  ASSERT_EQ(rc(lineClose(lb)), kOk);
  settle();
  auto ev = a.of(LINE_LINEDEVSTATE, la);
  ASSERT_EQ(ev.size(), 2u) << dump(a.msgs);
  EXPECT_EQ(ev[0].p1, static_cast<DWORD_PTR>(LINEDEVSTATE_OPEN));
  EXPECT_EQ(ev[1].p1, static_cast<DWORD_PTR>(LINEDEVSTATE_CLOSE));
  EXPECT_TRUE(b.of(LINE_LINEDEVSTATE).empty());
}

TEST_F(NotificationTest, ForwardingIsAnAddressState) {
  App& a = app();
  const HLINE la = a.open(204);
  ASSERT_EQ(rc(lineSetStatusMessages(la, 0, LINEADDRESSSTATE_FORWARD)), kOk);
  HCALL consult = 0;
  EXPECT_OK(a, lineForward(la, TRUE, 0, nullptr, 4, &consult, nullptr));
  auto ev = a.of(LINE_ADDRESSSTATE, la);
  ASSERT_EQ(ev.size(), 1u) << dump(a.msgs);
  EXPECT_EQ(ev[0].p1, 0u) << "address id";
  EXPECT_EQ(ev[0].p2, static_cast<DWORD_PTR>(LINEADDRESSSTATE_FORWARD));
}

TEST_F(NotificationTest, OldApplicationsGetNoAppNewCall) {
  // Before TAPI 2.0 there was no LINE_APPNEWCALL: the first LINE_CALLSTATE
  // of an unknown handle, with its privilege in dwParam3, announces it.
  App& a = app();
  App& old = app();
  const HLINE la = a.open(201);
  const HLINE lo = old.open(202, kOwner, kVoice, kV14);
  makeCall(a, la, "202");
  EXPECT_TRUE(old.of(LINE_APPNEWCALL).empty());
  auto st = old.of(LINE_CALLSTATE);
  ASSERT_EQ(st.size(), 1u) << dump(old.msgs);
  EXPECT_EQ(st[0].p1, static_cast<DWORD_PTR>(LINECALLSTATE_OFFERING));
  EXPECT_EQ(st[0].p3, static_cast<DWORD_PTR>(kOwner));
  (void)lo;
}

TEST_F(NotificationTest, NoMessagesAfterTheLineCloses) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  const HLINE lb = b.open(202, kMonitor, 0);
  const HCALL call = makeCall(a, la, "202");
  ASSERT_NE(b.newestCall(lb), 0u);
  ASSERT_EQ(rc(lineClose(lb)), kOk);
  b.clear();
  EXPECT_OK(a, lineDrop(call, nullptr, 0));
  EXPECT_TRUE(b.msgs.empty()) << dump(b.msgs);
}

// ---- threads ----------------------------------------------------------------------------

// A request's reply, read with lineGetMessage on this thread; other messages
// go to `seen`.
LONG awaitReply(HLINEAPP h, LONG req, std::vector<Msg>& seen) {
  if (req <= 0) return req;
  for (;;) {
    LINEMESSAGE m;
    const LONG r = lineGetMessage(h, &m, 20000);
    if (r != 0) return r;
    if (m.dwMessageID == LINE_REPLY && static_cast<LONG>(m.dwParam1) == req)
      return static_cast<LONG>(m.dwParam2);
    seen.push_back(
        Msg{m.hDevice, m.dwMessageID, m.dwCallbackInstance, m.dwParam1, m.dwParam2, m.dwParam3});
  }
}

TEST_F(NotificationTest, AnyFunctionFromAnyThread) {
  App& keep = app();  // the threads' applications come and go; the service stays
  constexpr int kThreads = 4;
  constexpr int kRounds = 15;
  std::atomic<int> failures{0};
  std::atomic<int> connected{0};
  auto worker = [&](int i) {
    auto fail = [&](const char* what, LONG r) {
      ++failures;
      ADD_FAILURE() << "thread " << i << ": " << what << " -> " << errName(r);
    };
    // Each thread is an application with a pair of stations.
    HLINEAPP h = 0;
    DWORD numDevs = 0;
    DWORD version = kV22;
    LINEINITIALIZEEXPARAMS p;
    std::memset(&p, 0, sizeof p);
    p.dwTotalSize = sizeof p;
    p.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
    if (LONG r = lineInitializeEx(&h, nullptr, nullptr, nullptr, &numDevs, &version, &p))
      return fail("init", r);
    const int from = 201 + 2 * i;
    const std::string to = std::to_string(from + 1);
    HLINE l1 = 0;
    HLINE l2 = 0;
    if (LONG r = lineOpen(h, dev(from), &l1, kV22, 0, 1, kOwner, kVoice, nullptr))
      return fail("open", r);
    if (LONG r = lineOpen(h, dev(from + 1), &l2, kV22, 0, 2, kOwner, kVoice, nullptr))
      return fail("open", r);
    std::vector<Msg> seen;
    for (int round = 0; round < kRounds; ++round) {
      HCALL call = 0;
      if (LONG r = awaitReply(h, lineMakeCall(l1, &call, to.c_str(), 0, nullptr), seen))
        return fail("makecall", r);
      // The offered call's LINE_APPNEWCALL may come after the reply.
      HCALL offered = 0;
      for (;;) {
        for (const Msg& m : seen)
          if (m.id == LINE_APPNEWCALL && m.device == l2) offered = static_cast<HCALL>(m.p2);
        if (offered != 0) break;
        LINEMESSAGE m;
        if (LONG r = lineGetMessage(h, &m, 20000)) return fail("no offered call", r);
        seen.push_back(Msg{m.hDevice, m.dwMessageID, m.dwCallbackInstance, m.dwParam1, m.dwParam2,
                           m.dwParam3});
      }
      if (LONG r = awaitReply(h, lineAnswer(offered, nullptr, 0), seen)) return fail("answer", r);
      Var<LINECALLSTATUS> st;
      if (LONG r = lineGetCallStatus(call, st.get())) return fail("status", r);
      if (st->dwCallState == LINECALLSTATE_CONNECTED) ++connected;
      Var<LINEDEVCAPS> caps;
      if (LONG r = lineGetDevCaps(h, dev(from), kV22, 0, caps.get())) return fail("devcaps", r);
      if (LONG r = awaitReply(h, lineDrop(call, nullptr, 0), seen)) return fail("drop", r);
      if (LONG r = awaitReply(h, lineDrop(offered, nullptr, 0), seen)) return fail("drop", r);
      if (LONG r = lineDeallocateCall(call)) return fail("deallocate", r);
      if (LONG r = lineDeallocateCall(offered)) return fail("deallocate", r);
      seen.clear();
    }
    if (LONG r = lineShutdown(h)) return fail("shutdown", r);
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back(worker, i);
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(connected.load(), kThreads * kRounds);
  (void)keep;
}

TEST_F(NotificationTest, ConcurrentShutdownsOfOneHandle) {
  // Several threads shut the same registration down at once: one succeeds,
  // the others find the handle invalid, and the service the other
  // applications use keeps running.
  App& keep = app();
  const HLINE line = keep.open(201);
  constexpr int kThreads = 4;
  for (int round = 0; round < 40; ++round) {
    App other;
    ASSERT_EQ(rc(other.initResult), kOk);
    const HLINEAPP h = other.h;
    other.h = 0;  // shut down below
    std::atomic<int> ready{0};
    std::atomic<int> ok{0};
    std::atomic<int> invalid{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&] {
        ++ready;
        while (ready.load() < kThreads)
          std::this_thread::yield();
        const LONG r = lineShutdown(h);
        if (r == 0) ++ok;
        if (r == static_cast<LONG>(LINEERR_INVALAPPHANDLE)) ++invalid;
      });
    }
    for (auto& t : threads)
      t.join();
    ASSERT_EQ(ok.load(), 1) << "round " << round;
    ASSERT_EQ(invalid.load(), kThreads - 1) << "round " << round;
    ASSERT_EQ(rc(tapirSimSettle()), kOk)
        << "the service stopped under the remaining application, round " << round;
    Var<LINEDEVSTATUS> st;
    ASSERT_EQ(rc(lineGetLineDevStatus(line, st.get())), kOk) << "round " << round;
  }
}

TEST_F(NotificationTest, InitializeAndShutdownRaceSafely) {
  // Applications start and stop on several threads at once; the service
  // starts with the first and stops with the last, whichever thread that is.
  constexpr int kThreads = 4;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 10; ++round) {
        HLINEAPP h = 0;
        DWORD numDevs = 0;
        DWORD version = kV22;
        LINEINITIALIZEEXPARAMS p;
        std::memset(&p, 0, sizeof p);
        p.dwTotalSize = sizeof p;
        p.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
        if (lineInitializeEx(&h, nullptr, nullptr, nullptr, &numDevs, &version, &p) != 0) {
          ++failures;
          continue;
        }
        HLINE line = 0;
        if (lineOpen(h, dev(201 + i), &line, kV22, 0, 0, kMonitor, 0, nullptr) != 0) ++failures;
        if (lineShutdown(h) != 0) ++failures;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(failures.load(), 0);
}

// lineClose by the other side: when the server stops, every open line gets
// LINE_CLOSE (lineClose reference: "the line was closed by ... the
// service"), and the application is told to reinitialize
// (LINE_LINEDEVSTATE REINIT). In-process the service lives as long as the
// application, so only remote mode can lose it.
TEST_F(NotificationTest, ServerShutdownClosesOpenLines) {
  if (!remote()) GTEST_SKIP() << "in-process: the service ends only with the application";
  App& a = app();
  const HLINE l201 = a.open(201, kOwner, kVoice, kV22, 77);
  const HLINE l202 = a.open(202, kMonitor);
  ASSERT_NE(l201, 0u);
  ASSERT_NE(l202, 0u);
  settle();
  a.clear();
  stopServer();
  // The messages come from the library's thread once it sees the loss.
  for (int i = 0; i < 500 && a.of(LINE_LINEDEVSTATE).empty(); ++i) {
    pollfd p{a.fd, POLLIN, 0};
    ::poll(&p, 1, 20);
  }
  const auto closes = a.of(LINE_CLOSE);
  ASSERT_EQ(closes.size(), 2u) << dump(a.msgs);
  EXPECT_EQ(a.of(LINE_CLOSE, l201).size(), 1u);
  EXPECT_EQ(a.of(LINE_CLOSE, l201)[0].instance, 77u) << "with the line's callback instance";
  EXPECT_EQ(a.of(LINE_CLOSE, l202).size(), 1u);
  const auto reinit = a.of(LINE_LINEDEVSTATE);
  ASSERT_EQ(reinit.size(), 1u) << dump(a.msgs);
  EXPECT_EQ(reinit[0].p1, static_cast<DWORD_PTR>(LINEDEVSTATE_REINIT));
  EXPECT_LT(a.indexOf(LINE_CLOSE, l201), a.indexOf(LINE_LINEDEVSTATE, 0))
      << "lines close before the application is told to reinitialize";
  // The lines are gone: requests on them fail.
  EXPECT_NE(rc(lineClose(l201)), kOk);
}

}  // namespace
}  // namespace tapir::conformance
