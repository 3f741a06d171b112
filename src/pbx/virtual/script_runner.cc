#include "pbx/virtual/script_runner.h"

namespace tapir::pbx::sim {

ScriptRunner::ScriptRunner(EventLoop& loop, Duration ringPeriod, Execute execute)
    : loop_(loop), ringPeriod_(ringPeriod), execute_(std::move(execute)) {}

ScriptRunner::~ScriptRunner() {
  for (auto& [id, run] : runs_)
    if (run.timer) loop_.cancel(run.timer);
}

void ScriptRunner::start(CallId call, const Script& script) {
  stop(call);
  if (script.empty()) return;
  Run& run = runs_[call.value()];
  run.script = script;
  resumeLater(call);
}

void ScriptRunner::stop(CallId call) {
  auto it = runs_.find(call.value());
  if (it == runs_.end()) return;
  if (it->second.timer) loop_.cancel(it->second.timer);
  runs_.erase(it);
}

void ScriptRunner::resumeLater(CallId call) {
  Run& run = runs_[call.value()];
  if (run.timer) loop_.cancel(run.timer);
  run.timer = loop_.runAfter(Duration::zero(), [this, call] { advance(call); });
}

void ScriptRunner::stateChanged(CallId call, CallState state) {
  auto it = runs_.find(call.value());
  if (it == runs_.end()) return;
  it->second.last = state;
  if (state == CallState::kIdle) {
    stop(call);
    return;
  }
  if (it->second.awaiting && *it->second.awaiting == state) {
    it->second.awaiting.reset();
    resumeLater(call);
  }
}

void ScriptRunner::advance(CallId call) {
  for (;;) {
    auto it = runs_.find(call.value());
    if (it == runs_.end()) return;
    Run& run = it->second;
    run.timer = TimerId();
    if (run.next >= run.script.steps.size()) {
      runs_.erase(it);
      return;
    }
    const Step step = run.script.steps[run.next++];
    switch (step.op) {
      case Step::Op::kWait:
        run.timer = loop_.runAfter(step.wait, [this, call] { advance(call); });
        return;
      case Step::Op::kAwait:
        if (run.last != step.state) {
          run.awaiting = step.state;
          return;
        }
        continue;
      case Step::Op::kRing:
        if (!execute_(call, step)) {
          stop(call);
          return;
        }
        if (step.count == 0) {  // ring until released: nothing more to do
          stop(call);
          return;
        }
        // The step may have ended the call (and the run) already.
        if (auto again = runs_.find(call.value()); again != runs_.end()) {
          again->second.timer =
              loop_.runAfter(ringPeriod_ * step.count, [this, call] { advance(call); });
        }
        return;
      default:
        if (!execute_(call, step)) {
          stop(call);
          return;
        }
        continue;
    }
  }
}

}  // namespace tapir::pbx::sim
