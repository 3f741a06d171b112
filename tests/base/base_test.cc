// The base layer: Status/Result, typed ids, SlotMap, timers and event loops.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "base/asio_loop.h"
#include "base/sim_loop.h"
#include "base/slot_map.h"
#include "tapir/status.h"

namespace tapir {
namespace {

TEST(StatusTest, OkAndErrors) {
  Status ok;
  EXPECT_TRUE(ok.isOk());
  EXPECT_EQ(ok.toString(), "OK");
  Status e(Fault::kConferenceFull, "8 parties at most");
  EXPECT_FALSE(e.isOk());
  EXPECT_EQ(e.code(), Code::kResourceExhausted);
  EXPECT_EQ(e.toString(), "RESOURCE_EXHAUSTED/ConferenceFull: 8 parties at most");
  EXPECT_EQ(Status(Code::kNotFound, "x").fault(), Fault::kNone);
  EXPECT_EQ(codeOf(Fault::kBadCallHandle), Code::kNotFound);
  EXPECT_EQ(faultName(Fault::kOperationUnavail), "OperationUnavail");
}

TEST(ResultTest, ValueOrStatus) {
  Result<int> r = 5;
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(*r, 5);
  Result<int> e = Status(Fault::kBadParam, "no");
  EXPECT_FALSE(e.isOk());
  EXPECT_EQ(e.status().fault(), Fault::kBadParam);
  EXPECT_EQ(e.valueOr(7), 7);
  // An OK status cannot make an empty result.
  Result<int> odd = Status();
  EXPECT_FALSE(odd.isOk());
  EXPECT_EQ(odd.status().code(), Code::kInternal);
}

struct Thing {
  Thing(Id<struct ThingTag> i, int v) : id(i), value(v) {}
  Id<struct ThingTag> id;
  int value;
};
using ThingId = Id<struct ThingTag>;

TEST(SlotMapTest, StaleIdsMiss) {
  SlotMap<Thing, ThingId> map;
  auto [a, ta] = map.emplace(1);
  EXPECT_EQ(ta.id, a);
  EXPECT_EQ(map.find(a)->value, 1);
  EXPECT_TRUE(map.erase(a));
  EXPECT_FALSE(map.erase(a));
  EXPECT_EQ(map.find(a), nullptr);
  auto [b, tb] = map.emplace(2);
  EXPECT_EQ(b.index(), a.index());  // the slot is reused...
  EXPECT_NE(b, a);                  // ...under a new generation
  EXPECT_EQ(map.find(a), nullptr);
  EXPECT_EQ(map.find(b)->value, 2);
  EXPECT_EQ(map.find(ThingId()), nullptr);
  EXPECT_EQ(map.find(ThingId(99999, 1)), nullptr);
}

TEST(SlotMapTest, ReferencesStayValidAcrossGrowth) {
  SlotMap<Thing, ThingId> map;
  auto [first, ref] = map.emplace(42);
  for (int i = 0; i < 10000; ++i)
    (void)map.emplace(i);
  EXPECT_EQ(ref.value, 42);
  EXPECT_EQ(&ref, map.find(first));
  EXPECT_EQ(map.size(), 10001u);
  int count = 0;
  map.forEach([&](Thing&) { ++count; });
  EXPECT_EQ(count, 10001);
}

TEST(IdTest, PacksIntoAValue) {
  CallId id(7, 3);
  EXPECT_EQ(CallId::fromValue(id.value()), id);
  EXPECT_FALSE(CallId().valid());
}

TEST(TimerQueueTest, OrderCancelAndCompaction) {
  TimerQueue q;
  std::vector<int> order;
  const TimePoint t0(std::chrono::seconds(100));
  q.add(t0 + std::chrono::seconds(3), [&] { order.push_back(3); });
  TimerId two = q.add(t0 + std::chrono::seconds(2), [&] { order.push_back(2); });
  q.add(t0 + std::chrono::seconds(1), [&] { order.push_back(1); });
  q.add(t0 + std::chrono::seconds(1), [&] { order.push_back(11); });  // same time: FIFO
  EXPECT_TRUE(q.cancel(two));
  EXPECT_FALSE(q.cancel(two));
  EXPECT_EQ(q.size(), 3u);
  while (auto t = q.popDue(t0 + std::chrono::seconds(10)))
    (*t)();
  EXPECT_EQ(order, (std::vector<int>{1, 11, 3}));
  // Many cancelled timers do not pile up.
  for (int i = 0; i < 10000; ++i)
    q.cancel(q.add(t0 + std::chrono::hours(1), [] {}));
  EXPECT_EQ(q.size(), 0u);
  EXPECT_FALSE(q.nextDeadline().has_value());
}

TEST(SimLoopTest, TimeMovesOnlyWhenTold) {
  SimLoop loop;
  const TimePoint start = loop.now();
  std::vector<std::string> log;
  loop.post([&] { log.push_back("task"); });
  loop.runAfter(std::chrono::seconds(5), [&] {
    log.push_back("timer@5");
    loop.post([&] { log.push_back("posted by timer"); });
  });
  loop.runAfter(std::chrono::seconds(9), [&] { log.push_back("timer@9"); });
  loop.runUntilIdle();
  EXPECT_EQ(log, (std::vector<std::string>{"task"}));
  EXPECT_EQ(loop.now(), start);
  loop.advance(std::chrono::seconds(6));
  EXPECT_EQ(log, (std::vector<std::string>{"task", "timer@5", "posted by timer"}));
  EXPECT_EQ(loop.now(), start + std::chrono::seconds(6));
  bool reached = loop.runUntil([&] { return log.size() == 4; }, std::chrono::minutes(1));
  EXPECT_TRUE(reached);
  EXPECT_EQ(loop.now(), start + std::chrono::seconds(9));
  EXPECT_FALSE(loop.runUntil([] { return false; }, std::chrono::seconds(1)));
}

TEST(SimLoopTest, PostFromAnotherThread) {
  SimLoop loop;
  std::atomic<int> n{0};
  std::thread t([&] {
    for (int i = 0; i < 1000; ++i)
      loop.post([&] { ++n; });
  });
  t.join();
  loop.runUntilIdle();
  EXPECT_EQ(n.load(), 1000);
}

TEST(AsioLoopTest, RunsTasksAndTimersUntilStopped) {
  AsioLoop loop(1000.0);  // switch time 1000x wall time
  std::atomic<bool> fromThread{false};
  int timers = 0;
  std::thread t([&] {
    loop.post([&] {
      fromThread = true;
      loop.runAfter(std::chrono::seconds(1), [&] {
        ++timers;
        loop.stop();
      });
    });
  });
  loop.run();
  t.join();
  EXPECT_TRUE(fromThread);
  EXPECT_EQ(timers, 1);
}

// The turn-end hook runs once the ready handlers have run, after the work
// they did: what they produced can go out together.
TEST(AsioLoopTest, TurnEndFollowsTheReadyHandlers) {
  AsioLoop loop(0);
  std::vector<std::string> seen;  // loop thread only
  loop.setTurnEnd([&] {
    seen.push_back("end");
    loop.stop();
  });
  std::thread t([&] {
    loop.post([&] {
      seen.push_back("a");
      loop.post([&] { seen.push_back("b"); });
    });
  });
  loop.run();
  t.join();
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "end"}));
}

}  // namespace
}  // namespace tapir

#include "base/thread_loop.h"

namespace tapir {
namespace {

TEST(ThreadLoopTest, ManualTimeMovesOnlyWhenAdvanced) {
  ThreadLoop loop(0);
  std::atomic<int> fired{0};
  TimePoint start;
  {
    std::lock_guard lock(loop.mutex());
    start = loop.now();
    loop.runAfter(std::chrono::seconds(10), [&] { ++fired; });
    loop.runAfter(std::chrono::seconds(20), [&] {
      ++fired;
      loop.post([&] { ++fired; });  // tasks posted by timers run before advance returns
    });
  }
  loop.sync();
  EXPECT_EQ(fired.load(), 0);
  loop.advance(std::chrono::seconds(15));
  EXPECT_EQ(fired.load(), 1);
  loop.advance(std::chrono::seconds(5));
  EXPECT_EQ(fired.load(), 3);
  std::lock_guard lock(loop.mutex());
  EXPECT_EQ(loop.now(), start + std::chrono::seconds(20));
}

TEST(ThreadLoopTest, CallsUnderTheLockAreSerializedWithTheLoop) {
  ThreadLoop loop(1.0);
  int counter = 0;  // only touched under the lock or on the loop
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        std::lock_guard lock(loop.mutex());
        ++counter;
        loop.post([&] { ++counter; });
      }
    });
  }
  for (auto& t : threads)
    t.join();
  loop.sync();
  std::lock_guard lock(loop.mutex());
  EXPECT_EQ(counter, 4000);
}

TEST(ThreadLoopTest, RealTimeTimersFire) {
  ThreadLoop loop(1000.0);
  std::promise<void> fired;
  {
    std::lock_guard lock(loop.mutex());
    loop.runAfter(std::chrono::seconds(1), [&] { fired.set_value(); });  // 1 ms of wall time
  }
  fired.get_future().wait();
  SUCCEED();
}

// A thread that stands in for the loop runs what it posts before it lets go
// of the lock, after what it had posted from outside, and on its own thread.
TEST(ThreadLoopTest, InlineRunsPostedWorkOnTheCallingThread) {
  ThreadLoop loop(0);
  std::vector<int> order;
  std::vector<std::thread::id> ranOn;
  const auto record = [&](int n) {
    order.push_back(n);
    ranOn.push_back(std::this_thread::get_id());
  };
  std::lock_guard lock(loop.mutex());
  loop.post([&] { record(1); });  // from outside: to the loop's cross-thread queue
  {
    ThreadLoop::Inline here(loop);
    EXPECT_TRUE(loop.runsTasksHere());
    loop.post([&] {
      record(2);
      loop.post([&] { record(3); });  // posted while running: runs in the same Inline
    });
    {
      ThreadLoop::Inline inner(loop);  // nested: the outer one runs everything
      loop.post([&] { record(4); });
    }
    EXPECT_TRUE(order.empty());
  }
  EXPECT_FALSE(loop.runsTasksHere());
  EXPECT_EQ(order, (std::vector<int>{1, 2, 4, 3}));
  for (auto id : ranOn)
    EXPECT_EQ(id, std::this_thread::get_id());
}

// A real-time timer started by a stand-in still fires: the loop is woken
// for it when the Inline ends.
TEST(ThreadLoopTest, TimersStartedInlineWakeTheLoop) {
  ThreadLoop loop(1000.0);
  std::promise<std::thread::id> fired;
  {
    std::lock_guard lock(loop.mutex());
    ThreadLoop::Inline here(loop);
    loop.runAfter(std::chrono::seconds(1),
                  [&] { fired.set_value(std::this_thread::get_id()); });  // 1 ms of wall time
  }
  EXPECT_NE(fired.get_future().get(), std::this_thread::get_id());  // on the loop thread
}

}  // namespace
}  // namespace tapir
