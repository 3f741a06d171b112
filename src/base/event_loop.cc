#include "base/event_loop.h"

#include <algorithm>

namespace tapir {

// ---- TimerQueue ------------------------------------------------------------

TimerId TimerQueue::add(TimePoint when, Task task) {
  std::uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  slot.task = std::move(task);
  slot.live = true;
  ++live_;
  heap_.push_back(Entry{when, seq_++, index, slot.generation});
  std::push_heap(heap_.begin(), heap_.end(), later);
  return TimerId(index, slot.generation);
}

void TimerQueue::release(std::uint32_t index) {
  Slot& slot = slots_[index];
  slot.task = nullptr;
  slot.live = false;
  if (++slot.generation == 0) slot.generation = 1;
  free_.push_back(index);
  --live_;
}

bool TimerQueue::pending(TimerId id) const {
  return id.index() < slots_.size() && slots_[id.index()].live &&
         slots_[id.index()].generation == id.generation();
}

bool TimerQueue::cancel(TimerId id) {
  if (!pending(id)) return false;
  release(id.index());
  // Cancelled entries stay in the heap until they surface; keep them bounded.
  if (heap_.size() > 64 && heap_.size() > 2 * live_) compact();
  return true;
}

void TimerQueue::compact() {
  std::erase_if(heap_, [this](const Entry& e) { return !entryLive(e); });
  std::make_heap(heap_.begin(), heap_.end(), later);
}

void TimerQueue::dropDeadTop() {
  while (!heap_.empty() && !entryLive(heap_.front())) {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
  }
}

std::optional<TimePoint> TimerQueue::nextDeadline() {
  dropDeadTop();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().when;
}

std::optional<Task> TimerQueue::popDue(TimePoint now) {
  dropDeadTop();
  if (heap_.empty() || heap_.front().when > now) return std::nullopt;
  std::uint32_t index = heap_.front().index;
  std::pop_heap(heap_.begin(), heap_.end(), later);
  heap_.pop_back();
  Task task = std::move(slots_[index].task);
  release(index);
  return task;
}

// ---- EventLoop --------------------------------------------------------------

EventLoop::EventLoop() {
  bindToThisThread();
}
EventLoop::~EventLoop() = default;

thread_local EventLoop* EventLoop::standIn_ = nullptr;

void EventLoop::post(Task task) {
  if (runsTasksHere()) {
    local_.push_back(std::move(task));
    // From an I/O handler or timer outside drainTasks(), nobody would look
    // (a stand-in runs its tasks before it lets go).
    if (!draining_ && standIn_ != this) wake();
    return;
  }
  {
    std::lock_guard lock(remoteMu_);
    remote_.push_back(std::move(task));
  }
  remotePending_.store(true, std::memory_order_release);
  wake();
}

TimerId EventLoop::runAt(TimePoint when, Task task) {
  auto before = timers_.nextDeadline();
  TimerId id = timers_.add(when, std::move(task));
  if (!before || when < *before) wakeForTimer();
  return id;
}

bool EventLoop::hasTasks() {
  return !local_.empty() || remotePending_.load(std::memory_order_acquire);
}

void EventLoop::takeRemoteTasks() {
  if (remotePending_.exchange(false, std::memory_order_acq_rel)) {
    std::lock_guard lock(remoteMu_);
    for (auto& t : remote_)
      local_.push_back(std::move(t));
    remote_.clear();
  }
}

std::size_t EventLoop::drainTasks() {
  std::size_t ran = 0;
  for (;;) {
    takeRemoteTasks();
    if (local_.empty()) return ran;
    running_.swap(local_);
    draining_ = true;
    for (auto& task : running_) {
      task();
      ++ran;
    }
    draining_ = false;
    running_.clear();
  }
}

std::size_t EventLoop::runDueTimers() {
  std::size_t ran = 0;
  while (auto task = timers_.popDue(now())) {
    (*task)();
    ++ran;
    drainTasks();
  }
  return ran;
}

}  // namespace tapir
