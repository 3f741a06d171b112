// ThreadLoop: an EventLoop running on its own thread, for hosting the
// service inside an application's process (the C and C++ client libraries).
//
// Application threads call into loop-owned objects by holding mutex(): the
// loop thread holds it whenever it runs tasks or timers, so a call made under
// the lock is serialized with everything the loop does. Work the call posts
// runs on the loop thread afterwards.
//
// speed > 0: switch time runs that many times faster than wall time.
// speed == 0: manual time, moved only by advance() (deterministic tests).
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/event_loop.h"

namespace tapir {

class ThreadLoop final : public EventLoop {
 public:
  explicit ThreadLoop(double speed = 1.0);
  ~ThreadLoop() override;  // stops and joins the thread

  // Stops the loop thread (idempotent); queued work is dropped, not run.
  void stop();

  TimePoint now() const override;
  std::mutex& mutex() { return mu_; }
  bool manualTime() const { return speed_ == 0; }

  // Manual time only: moves time forward by `d`, running every timer and task
  // that falls due, and returns when that is done. Call without the mutex.
  void advance(Duration d);
  // Returns once every task posted so far has run. Call without the mutex.
  void sync();

  // While an Inline lives, the thread that made it (holding mutex()) stands
  // in for the loop thread: the tasks it posts go to the loop's own queue
  // without waking the loop, and the Inline runs them (and whatever they
  // post) here, under the lock, when it ends. An API call's work then stays
  // on the caller's core instead of crossing to the loop thread and back,
  // which costs two wakeups and moves every cache line it touches. Timers
  // stay with the loop thread.
  class Inline {
   public:
    explicit Inline(ThreadLoop& loop);
    ~Inline();
    Inline(const Inline&) = delete;
    Inline& operator=(const Inline&) = delete;

   private:
    friend class ThreadLoop;
    ThreadLoop& loop_;
    EventLoop* outer_;
    bool timerWake_ = false;  // a new earliest timer: wake the loop at the end
  };

 private:
  void run();
  void wake() override;
  void wakeForTimer() override;

  void advanceUnderLock();

  const double speed_;
  std::chrono::steady_clock::time_point realOrigin_;
  TimePoint origin_;
  std::atomic<std::int64_t> manualOffset_{0};
  std::mutex mu_;  // the big lock: held while loop-owned objects are used
  // Sleeping and waking, apart from the big lock (lock order: mu_, then waitMu_).
  std::mutex waitMu_;
  std::condition_variable cv_;
  std::condition_variable advanced_;
  bool stop_ = false;
  bool woken_ = false;
  bool advancing_ = false;
  TimePoint advanceTarget_{};
  std::thread thread_;
  Inline* inline_ = nullptr;  // the outermost Inline, under mu_
};

}  // namespace tapir
