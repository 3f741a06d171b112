#include "base/sim_loop.h"

namespace tapir {

SimLoop::SimLoop(TimePoint start) : now_(start) {}

std::size_t SimLoop::runUntilIdle() {
  std::size_t total = 0;
  for (;;) {
    std::size_t ran = drainTasks();
    ran += runDueTimers();
    if (ran == 0 && !hasTasks()) return total;
    total += ran;
  }
}

void SimLoop::advanceTo(TimePoint t) {
  runUntilIdle();
  for (;;) {
    auto next = nextDeadline();
    if (!next || *next > t) break;
    if (*next > now_) now_ = *next;
    runUntilIdle();
  }
  if (t > now_) now_ = t;
  runUntilIdle();
}

bool SimLoop::runUntil(const std::function<bool()>& pred, Duration limit) {
  const TimePoint end = now_ + limit;
  runUntilIdle();
  while (!pred()) {
    auto next = nextDeadline();
    if (!next || *next > end) {
      advanceTo(end);
      return pred();
    }
    if (*next > now_) now_ = *next;
    runUntilIdle();
  }
  return true;
}

}  // namespace tapir
