#include "base/thread_loop.h"

#include <future>

namespace tapir {

ThreadLoop::ThreadLoop(double speed)
    : speed_(speed < 0 ? 1.0 : speed),
      realOrigin_(std::chrono::steady_clock::now()),
      origin_(std::chrono::duration_cast<Duration>(realOrigin_.time_since_epoch())) {
  thread_ = std::thread([this] { run(); });
  // From now on only that thread is the loop thread, even before it runs:
  // a post() from this thread must take the cross-thread path.
  bindTo(thread_.get_id());
}

ThreadLoop::~ThreadLoop() {
  stop();
}

void ThreadLoop::stop() {
  {
    std::lock_guard lock(waitMu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

TimePoint ThreadLoop::now() const {
  if (speed_ == 0) return origin_ + Duration(manualOffset_.load(std::memory_order_acquire));
  auto real = std::chrono::steady_clock::now() - realOrigin_;
  return origin_ + std::chrono::duration_cast<Duration>(real * speed_);
}

void ThreadLoop::wake() {
  {
    std::lock_guard lock(waitMu_);
    woken_ = true;
  }
  cv_.notify_one();
}

// Manual time: the loop sleeps without a deadline and advance() runs the
// timers, so a new timer needs no wakeup.
void ThreadLoop::wakeForTimer() {
  if (manualTime()) return;
  if (standIn_ == this) {
    inline_->timerWake_ = true;  // once, when the Inline ends
    return;
  }
  wake();
}

ThreadLoop::Inline::Inline(ThreadLoop& loop) : loop_(loop), outer_(standIn_) {
  if (outer_ == &loop) return;
  // What this thread posted before, from outside, still runs first.
  loop.takeRemoteTasks();
  standIn_ = &loop;
  loop.inline_ = this;
}

ThreadLoop::Inline::~Inline() {
  // Only the outermost runs the tasks: an inner one ends in the middle of
  // the outer's work.
  if (outer_ == &loop_) return;
  loop_.drainTasks();
  standIn_ = outer_;
  loop_.inline_ = nullptr;
  if (timerWake_) loop_.wake();
}

void ThreadLoop::run() {
  bindToThisThread();
  for (;;) {
    std::optional<TimePoint> next;
    {
      std::lock_guard big(mu_);
      drainTasks();
      runDueTimers();
      advanceUnderLock();
      if (hasTasks()) continue;
      next = nextDeadline();
    }
    std::unique_lock lock(waitMu_);
    if (stop_) return;
    if (!woken_ && !advancing_) {
      if (next && speed_ > 0) {
        auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>((*next - now()) / speed_);
        cv_.wait_for(lock, wait, [this] { return stop_ || woken_ || advancing_; });
      } else {
        cv_.wait(lock, [this] { return stop_ || woken_ || advancing_; });
      }
    }
    if (stop_) return;
    woken_ = false;
  }
}

// Manual time: steps from deadline to deadline up to the target, like SimLoop.
void ThreadLoop::advanceUnderLock() {
  TimePoint target;
  {
    std::lock_guard lock(waitMu_);
    if (!advancing_) return;
    target = advanceTarget_;
  }
  for (;;) {
    auto next = nextDeadline();
    if (!next || *next > target) break;
    if (*next > now()) manualOffset_.store((*next - origin_).count(), std::memory_order_release);
    drainTasks();
    runDueTimers();
  }
  if (target > now()) manualOffset_.store((target - origin_).count(), std::memory_order_release);
  do {
    drainTasks();
    runDueTimers();
  } while (hasTasks());
  {
    std::lock_guard lock(waitMu_);
    advancing_ = false;
  }
  advanced_.notify_all();
}

void ThreadLoop::advance(Duration d) {
  if (speed_ != 0) return;
  std::unique_lock lock(waitMu_);
  advanceTarget_ = now() + d;
  advancing_ = true;
  cv_.notify_one();
  advanced_.wait(lock, [this] { return !advancing_; });
}

void ThreadLoop::sync() {
  // Two rounds: tasks the first round posts run in the second.
  for (int round = 0; round < 2; ++round) {
    std::promise<void> done;
    post([&done] { done.set_value(); });
    done.get_future().wait();
  }
}

}  // namespace tapir
