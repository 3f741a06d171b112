// AsioLoop: the production EventLoop, on a Boost.Asio io_context.
//
// Asio because the same io_context then carries the network protocol
// (Boost.Beast WebSocket, OpenSSL TLS) with no glue between loops. The real
// clock is read here and nowhere else. `speed` > 1 runs switch time faster
// than wall time (the demo tour uses it); 1 is real time.
#pragma once

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
  // Any thread.
  void stop();

  boost::asio::io_context& context();

 private:
  void wake() override;
  void onWake();
  void armTimer();

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tapir
