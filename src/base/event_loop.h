// The event loop that owns the switch (and later the service) state.
//
// One thread runs the loop; everything that touches switch state runs on it.
// Other threads reach it only through post(). Time is injected: everything
// reads now() from the loop, and timers fire in deadline order, so tests can
// run days of switch time on a SimLoop in milliseconds. The real clock is read
// in exactly one place (AsioLoop).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "tapir/ids.h"

namespace tapir {

using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;
using Task = std::function<void()>;
using TimerId = Id<struct TimerTag>;

// Deadline-ordered timers with O(log n) insert and O(1) cancel. Cancelled
// entries are dropped lazily and compacted when they outnumber live ones.
class TimerQueue {
 public:
  TimerId add(TimePoint when, Task task);
  bool cancel(TimerId id);
  bool pending(TimerId id) const;
  std::optional<TimePoint> nextDeadline();
  // Removes and returns the earliest timer due at or before `now`.
  std::optional<Task> popDue(TimePoint now);
  std::size_t size() const { return live_; }

 private:
  struct Entry {
    TimePoint when;
    std::uint64_t seq;
    std::uint32_t index;
    std::uint32_t generation;
  };
  struct Slot {
    Task task;
    std::uint32_t generation = 1;
    bool live = false;
  };
  static bool later(const Entry& a, const Entry& b) {
    return a.when != b.when ? a.when > b.when : a.seq > b.seq;
  }
  bool entryLive(const Entry& e) const {
    return slots_[e.index].live && slots_[e.index].generation == e.generation;
  }
  void dropDeadTop();
  void compact();
  void release(std::uint32_t index);

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::uint64_t seq_ = 0;
  std::size_t live_ = 0;
};

class EventLoop {
 public:
  EventLoop();
  virtual ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  virtual TimePoint now() const = 0;

  // Runs `task` on the loop thread, after the task that is running now. Safe
  // from any thread; tasks posted from one thread run in the order posted.
  void post(Task task);

  // Timers. Loop thread only.
  TimerId runAt(TimePoint when, Task task);
  TimerId runAfter(Duration delay, Task task) { return runAt(now() + delay, std::move(task)); }
  bool cancel(TimerId id) { return timers_.cancel(id); }
  bool timerPending(TimerId id) const { return timers_.pending(id); }
  std::size_t timerCount() const { return timers_.size(); }

  bool isLoopThread() const noexcept { return std::this_thread::get_id() == loopThread_.load(); }
  // The loop thread, or a thread that stands in for it (ThreadLoop::Inline).
  bool runsTasksHere() const noexcept { return standIn_ == this || isLoopThread(); }

 protected:
  // Makes the calling thread the loop thread.
  void bindToThisThread() noexcept { loopThread_.store(std::this_thread::get_id()); }
  void bindTo(std::thread::id thread) noexcept { loopThread_.store(thread); }
  // Runs queued tasks until none are left; returns how many ran.
  std::size_t drainTasks();
  // Queues what other threads posted behind what the loop has already.
  void takeRemoteTasks();
  // Runs every timer due at `now()`; returns how many ran.
  std::size_t runDueTimers();
  bool hasTasks();
  std::optional<TimePoint> nextDeadline() { return timers_.nextDeadline(); }
  // Called when work arrives from another thread or a new earliest timer is
  // set, so a sleeping loop can wake up. Called without locks held.
  virtual void wake() {}
  // Called when a timer becomes the earliest (runAt()).
  virtual void wakeForTimer() { wake(); }

  // The loop this thread stands in for, if any: it holds what guards the
  // loop's state, and its posts go straight to the loop's own queue.
  static thread_local EventLoop* standIn_;

 private:
  std::atomic<std::thread::id> loopThread_;
  bool draining_ = false;      // inside drainTasks(): no wake needed for local posts
  std::vector<Task> local_;    // posted from the loop thread
  std::vector<Task> running_;  // the batch being run
  std::mutex remoteMu_;
  std::vector<Task> remote_;  // posted from other threads
  std::atomic<bool> remotePending_{false};
  TimerQueue timers_;
};

}  // namespace tapir
