// SimLoop: an EventLoop on simulated time, for tests and benchmarks.
//
// Time moves only when the test says so; timers fire in deadline order and
// every task they post runs before time moves on. Deterministic.
#pragma once

#include <functional>

#include "base/event_loop.h"

namespace tapir {

class SimLoop final : public EventLoop {
 public:
  // Starts the clock at an arbitrary non-zero point, so that "time zero" bugs
  // show up in tests rather than in production.
  explicit SimLoop(TimePoint start = TimePoint(std::chrono::hours(1)));

  TimePoint now() const override { return now_; }

  // Runs queued tasks and timers already due, until nothing is left at now().
  std::size_t runUntilIdle();
  // Moves time forward by `d`, running everything that falls due on the way.
  void advance(Duration d) { advanceTo(now_ + d); }
  void advanceTo(TimePoint t);
  // Runs until `pred` holds, moving time forward timer by timer, at most by
  // `limit`. Returns whether `pred` held.
  bool runUntil(const std::function<bool()>& pred, Duration limit);

 private:
  TimePoint now_;
};

}  // namespace tapir
