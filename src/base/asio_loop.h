// AsioLoop: the production EventLoop, on a Boost.Asio io_context.
//
// Asio because the same io_context then carries the network protocol
// (Boost.Beast WebSocket, OpenSSL TLS) with no glue between loops. The real
// clock is read here and nowhere else. `speed` > 1 runs switch time faster
// than wall time (the demo tour uses it); 1 is real time; 0 is manual time:
// switch time moves only with advance() (tapird --clock manual, for tests).
#pragma once

#include <functional>
#include <memory>

#include "base/event_loop.h"

namespace boost::asio {
class io_context;
}

namespace tapir {

class AsioLoop final : public EventLoop {
 public:
  explicit AsioLoop(double speed = 1.0);
  ~AsioLoop() override;

  TimePoint now() const override;

  // Runs the loop on the calling thread until stop().
  void run();
  // Loop thread: `f` runs at the end of every turn of run(), once the
  // handlers that were ready have run and before the loop waits for more
  // (none: no hook). What a turn produced can then go out together.
  void setTurnEnd(std::function<void()> f);
  // Any thread.
  void stop();

  boost::asio::io_context& context();

  bool manualTime() const;
  // Loop thread. Runs the tasks queued so far and the timers due now, and
  // what they queue in turn, until nothing is left.
  void runPending();
  // Loop thread, manual time only: moves time forward by `d`, running every
  // timer and task that falls due on the way.
  void advance(Duration d);

 private:
  void wake() override;
  void onWake();
  void armTimer();

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tapir
