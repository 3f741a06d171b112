// DeliveryQueue: how a client library hands messages to an application, in
// order, in one of two ways:
//  - callback: a library thread calls the application's function for each
//    item, one at a time;
//  - poll: items wait for next(); an eventfd is readable while any wait, so
//    the application can put it in its own poll/epoll loop.
// push() never blocks on the application: the service's loop thread calls it.
#pragma once

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace tapir {

template <class T>
class DeliveryQueue {
 public:
  using Callback = std::function<void(T&)>;

  // With a callback: callback mode. Without: poll mode (check valid(): the
  // eventfd may fail to open).
  explicit DeliveryQueue(Callback callback) : s_(std::make_shared<Shared>()) {
    s_->callback = std::move(callback);
    if (s_->callback) {
      // The thread shares the state: it may outlive the queue when the queue
      // is closed and destroyed from inside the callback.
      thread_ = std::thread([s = s_] { run(*s); });
    } else {
      fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    }
  }
  ~DeliveryQueue() { close(); }
  DeliveryQueue(const DeliveryQueue&) = delete;
  DeliveryQueue& operator=(const DeliveryQueue&) = delete;

  bool valid() const { return s_->callback || fd_ >= 0; }
  bool callbackMode() const { return static_cast<bool>(s_->callback); }
  int fd() const { return fd_; }

  // Returns false (and drops the item) once the queue is closed.
  bool push(T item) {
    {
      std::lock_guard lock(s_->mu);
      if (s_->closed) return false;
      const bool wasEmpty = s_->items.empty();
      s_->items.push_back(std::move(item));
      // Readable while items wait. Signalled under the lock, as next()
      // resets it, so that a reader cannot take the item and reset the fd
      // before it is signalled (a polling application would then spin).
      if (wasEmpty && fd_ >= 0) {
        const std::uint64_t one = 1;
        (void)::write(fd_, &one, sizeof one);
      }
    }
    s_->cv.notify_one();
    return true;
  }

  // Poll mode: the next item, waiting up to `timeout` (negative: forever).
  // Empty when none came in time or the queue is closed.
  std::optional<T> next(std::chrono::milliseconds timeout) {
    std::unique_lock lock(s_->mu);
    auto ready = [this] { return s_->closed || !s_->items.empty(); };
    if (timeout.count() < 0) {
      s_->cv.wait(lock, ready);
    } else if (timeout.count() > 0) {
      s_->cv.wait_for(lock, timeout, ready);
    }
    if (s_->closed || s_->items.empty()) return std::nullopt;
    std::optional<T> out(std::move(s_->items.front()));
    s_->items.pop_front();
    if (s_->items.empty() && fd_ >= 0) {
      std::uint64_t n;
      (void)::read(fd_, &n, sizeof n);  // nothing left: not readable
    }
    return out;
  }

  bool closed() const {
    std::lock_guard lock(s_->mu);
    return s_->closed;
  }

  // Stops delivery: waiters wake, the callback thread ends (after the item it
  // is delivering), queued items are dropped, the eventfd is closed (push and
  // next check `closed` first, under the same lock). Callable from the
  // callback.
  void close() {
    std::deque<T> dropped;
    {
      std::lock_guard lock(s_->mu);
      if (s_->closed) return;
      s_->closed = true;
      dropped.swap(s_->items);
      if (fd_ >= 0) ::close(fd_);
      fd_ = -1;
    }
    s_->cv.notify_all();
    if (thread_.joinable()) {
      if (thread_.get_id() == std::this_thread::get_id()) {
        thread_.detach();
      } else {
        thread_.join();
      }
    }
  }

 private:
  struct Shared {
    Callback callback;
    std::mutex mu;
    std::condition_variable cv;
    std::deque<T> items;
    bool closed = false;
  };

  static void run(Shared& s) {
    for (;;) {
      std::optional<T> item;
      {
        std::unique_lock lock(s.mu);
        s.cv.wait(lock, [&s] { return s.closed || !s.items.empty(); });
        if (s.closed) return;
        item.emplace(std::move(s.items.front()));
        s.items.pop_front();
      }
      s.callback(*item);
    }
  }

  std::shared_ptr<Shared> s_;
  int fd_ = -1;
  std::thread thread_;
};

}  // namespace tapir
