// ScriptRunner: plays scripts, one per call, on the loop.
//
// The owner says what each acting step does (answer, hang up...); the runner
// does the waiting (rings, times, states). Steps never run inside a switch
// callback: every step runs from a posted task or a timer.
#pragma once

#include <functional>
#include <optional>
#include <unordered_map>

#include "base/event_loop.h"
#include "pbx/virtual/script.h"
#include "tapir/ids.h"

namespace tapir::pbx::sim {

class ScriptRunner {
 public:
  // Carries out one acting step. Returns false to end the script there.
  using Execute = std::function<bool(CallId, const Step&)>;

  ScriptRunner(EventLoop& loop, Duration ringPeriod, Execute execute);
  ~ScriptRunner();
  ScriptRunner(const ScriptRunner&) = delete;
  ScriptRunner& operator=(const ScriptRunner&) = delete;

  // Starts playing `script` for `call` on the next loop turn.
  void start(CallId call, const Script& script);
  void stop(CallId call);
  // Tells the runner a call's state, for 'await'.
  void stateChanged(CallId call, CallState state);
  bool running(CallId call) const { return runs_.count(call.value()) != 0; }
  std::size_t size() const { return runs_.size(); }

 private:
  struct Run {
    Script script;
    std::size_t next = 0;
    TimerId timer;
    std::optional<CallState> awaiting;
    CallState last = CallState::kIdle;
  };
  void advance(CallId call);
  void resumeLater(CallId call);

  EventLoop& loop_;
  Duration ringPeriod_;
  Execute execute_;
  std::unordered_map<std::uint64_t, Run> runs_;
};

}  // namespace tapir::pbx::sim
