// Scripts for simulated parties: what an outside number or a virtual station
// does with a call, step by step.
//
//   ring [N]      alert, and wait N ring periods (no N: ring until released)
//   answer        answer the call
//   busy | reject | congestion | reorder | invalid | unreachable
//                 refuse the call that way (outside numbers)
//   wait <time>   e.g. "wait 10s", "wait 500ms", "wait 2m"
//   await <state> wait until the call reaches a state (connected, ringback)
//   hangup        hang up
//   hold | unhold put the switch side on hold, or take it off
//   dtmf <digits> send digits (0-9 * # A-D)
//   transfer <number>  transfer the call there (blind)
//
// parseScript() reports the first bad step with its position.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/event_loop.h"
#include "tapir/status.h"
#include "tapir/telephony.h"

namespace tapir::pbx::sim {

struct Step {
  enum class Op : std::uint8_t {
    kRing,
    kAnswer,
    kBusy,
    kReject,
    kCongestion,
    kReorder,
    kInvalid,
    kUnreachable,
    kWait,
    kAwait,
    kHangup,
    kHold,
    kUnhold,
    kDtmf,
    kTransfer,
  };
  Op op = Op::kAnswer;
  std::uint32_t count = 0;                  // kRing: rings to wait (0: forever)
  Duration wait{};                          // kWait
  CallState state = CallState::kConnected;  // kAwait
  std::string arg;                          // kDtmf digits, kTransfer number

  friend bool operator==(const Step&, const Step&) = default;
};

struct Script {
  std::vector<Step> steps;
  bool empty() const { return steps.empty(); }
};

inline constexpr std::size_t kMaxScriptSteps = 64;
inline constexpr std::size_t kMaxStepLength = 128;

// "10s", "500ms", "2m", "1h", "1.5s". Positive, at most a day.
Result<Duration> parseDuration(std::string_view text);
Result<Step> parseStep(std::string_view text);
// On error the message names the step: "step 3 ('wait'): ...".
Result<Script> parseScript(std::span<const std::string> steps);
std::string describe(const Step& step);

}  // namespace tapir::pbx::sim
