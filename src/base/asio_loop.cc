#include "base/asio_loop.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace tapir {

namespace asio = boost::asio;

struct AsioLoop::Impl {
  explicit Impl(double s)
      : speed(s > 0 ? s : 1.0),
        manual(s == 0),
        work(asio::make_work_guard(io)),
        timer(io),
        realOrigin(std::chrono::steady_clock::now()) {}

  asio::io_context io;
  double speed;
  bool manual;
  Duration manualOffset{0};  // manual time: how far advance() has moved
  asio::executor_work_guard<asio::io_context::executor_type> work;
  asio::steady_timer timer;
  std::chrono::steady_clock::time_point realOrigin;
  std::atomic<bool> wakePosted{false};
  std::function<void()> turnEnd;
};

AsioLoop::AsioLoop(double speed) : impl_(std::make_unique<Impl>(speed)) {}
AsioLoop::~AsioLoop() = default;

TimePoint AsioLoop::now() const {
  if (impl_->manual) {
    return TimePoint(
        std::chrono::duration_cast<Duration>(impl_->realOrigin.time_since_epoch()) +
        impl_->manualOffset);
  }
  auto real = std::chrono::steady_clock::now() - impl_->realOrigin;
  auto scaled = std::chrono::duration_cast<Duration>(real * impl_->speed);
  return TimePoint(std::chrono::duration_cast<Duration>(impl_->realOrigin.time_since_epoch()) +
                   scaled);
}

asio::io_context& AsioLoop::context() {
  return impl_->io;
}

void AsioLoop::run() {
  bindToThisThread();
  impl_->io.restart();
  onWake();
  // A turn: one handler (waiting for it if need be), then the others that
  // are ready without waiting, up to a bound so that a turn ends even while
  // work keeps arriving, then the hook.
  constexpr int kMaxHandlersPerTurn = 16;
  while (impl_->io.run_one() > 0) {
    for (int i = 0; i < kMaxHandlersPerTurn && impl_->io.poll_one() > 0; ++i) {
    }
    if (impl_->turnEnd) impl_->turnEnd();
  }
}

void AsioLoop::setTurnEnd(std::function<void()> f) {
  impl_->turnEnd = std::move(f);
}

void AsioLoop::stop() {
  impl_->work.reset();
  impl_->io.stop();
}

void AsioLoop::wake() {
  if (impl_->wakePosted.exchange(true)) return;
  asio::post(impl_->io, [this] { onWake(); });
}

void AsioLoop::onWake() {
  impl_->wakePosted.store(false);
  runPending();
  armTimer();
}

bool AsioLoop::manualTime() const {
  return impl_->manual;
}

void AsioLoop::runPending() {
  do {
    drainTasks();
    runDueTimers();
  } while (hasTasks());
}

void AsioLoop::advance(Duration d) {
  if (!impl_->manual || d.count() <= 0) {
    runPending();
    return;
  }
  const TimePoint target = now() + d;
  runPending();
  for (;;) {
    auto next = nextDeadline();
    if (!next || *next > target) break;
    if (*next > now()) impl_->manualOffset += *next - now();
    runPending();
  }
  impl_->manualOffset += target - now();
  runPending();
}

void AsioLoop::armTimer() {
  if (impl_->manual) return;  // timers fire only through advance()
  auto next = nextDeadline();
  if (!next) {
    impl_->timer.cancel();
    return;
  }
  auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>((*next - now()) / impl_->speed);
  if (wait.count() < 0) wait = std::chrono::nanoseconds(0);
  impl_->timer.expires_after(wait);
  impl_->timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) onWake();
  });
}

}  // namespace tapir
