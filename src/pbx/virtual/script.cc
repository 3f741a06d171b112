#include "pbx/virtual/script.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tapir::pbx::sim {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

Status bad(std::string msg) {
  return Status(Code::kInvalidArgument, std::move(msg));
}

bool isDigits(std::string_view s, bool dtmf) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [dtmf](char c) {
    return (c >= '0' && c <= '9') || c == '*' || c == '#' || (dtmf && c >= 'A' && c <= 'D');
  });
}

}  // namespace

Result<Duration> parseDuration(std::string_view text) {
  text = trim(text);
  std::size_t unitAt = 0;
  while (unitAt < text.size() &&
         ((text[unitAt] >= '0' && text[unitAt] <= '9') || text[unitAt] == '.'))
    ++unitAt;
  const std::string_view number = text.substr(0, unitAt);
  const std::string_view unit = text.substr(unitAt);
  if (number.empty() || number.size() > 12)
    return bad("'" + std::string(text) + "' is not a duration");
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(value))
    return bad("'" + std::string(text) + "' is not a duration");
  double seconds;
  if (unit == "ms") {
    seconds = value / 1000;
  } else if (unit == "s") {
    seconds = value;
  } else if (unit == "m" || unit == "min") {
    seconds = value * 60;
  } else if (unit == "h") {
    seconds = value * 3600;
  } else {
    return bad("'" + std::string(text) + "' needs a unit: ms, s, m or h");
  }
  if (seconds <= 0 || seconds > 86400)
    return bad("'" + std::string(text) + "' is out of range (0 to 24h)");
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
}

Result<Step> parseStep(std::string_view text) {
  if (text.size() > kMaxStepLength)
    return bad("step is longer than " + std::to_string(kMaxStepLength) + " characters");
  text = trim(text);
  const auto space = text.find_first_of(" \t");
  const std::string_view word = text.substr(0, space);
  const std::string_view arg =
      space == std::string_view::npos ? std::string_view() : trim(text.substr(space));
  Step step;
  auto noArg = [&](Step::Op op) -> Result<Step> {
    if (!arg.empty()) return bad("'" + std::string(word) + "' takes no argument");
    step.op = op;
    return step;
  };
  if (word == "ring") {
    step.op = Step::Op::kRing;
    if (!arg.empty()) {
      auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), step.count);
      if (ec != std::errc() || end != arg.data() + arg.size() || step.count == 0 ||
          step.count > 100)
        return bad("'ring' takes a number of rings from 1 to 100");
    }
    return step;
  }
  if (word == "answer") return noArg(Step::Op::kAnswer);
  if (word == "busy") return noArg(Step::Op::kBusy);
  if (word == "reject") return noArg(Step::Op::kReject);
  if (word == "congestion") return noArg(Step::Op::kCongestion);
  if (word == "reorder") return noArg(Step::Op::kReorder);
  if (word == "invalid") return noArg(Step::Op::kInvalid);
  if (word == "unreachable") return noArg(Step::Op::kUnreachable);
  if (word == "hangup") return noArg(Step::Op::kHangup);
  if (word == "hold") return noArg(Step::Op::kHold);
  if (word == "unhold") return noArg(Step::Op::kUnhold);
  if (word == "wait") {
    auto d = parseDuration(arg);
    if (!d) return bad("'wait' needs a duration: " + d.status().message());
    step.op = Step::Op::kWait;
    step.wait = *d;
    return step;
  }
  if (word == "await") {
    step.op = Step::Op::kAwait;
    if (arg == "connected") {
      step.state = CallState::kConnected;
    } else if (arg == "ringback") {
      step.state = CallState::kRingback;
    } else {
      return bad("'await' takes 'connected' or 'ringback'");
    }
    return step;
  }
  if (word == "dtmf") {
    if (!isDigits(arg, true) || arg.size() > 32)
      return bad("'dtmf' takes up to 32 digits (0-9 * # A-D)");
    step.op = Step::Op::kDtmf;
    step.arg = std::string(arg);
    return step;
  }
  if (word == "transfer") {
    if (!isDigits(arg, false) || arg.size() > 32) return bad("'transfer' takes a number");
    step.op = Step::Op::kTransfer;
    step.arg = std::string(arg);
    return step;
  }
  if (word.empty()) return bad("empty step");
  return bad("unknown step '" + std::string(word) + "'");
}

Result<Script> parseScript(std::span<const std::string> steps) {
  if (steps.size() > kMaxScriptSteps)
    return bad("a script has at most " + std::to_string(kMaxScriptSteps) + " steps");
  Script script;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    auto step = parseStep(steps[i]);
    if (!step) {
      return bad("step " + std::to_string(i + 1) + " ('" + steps[i].substr(0, 40) +
                 "'): " + step.status().message());
    }
    script.steps.push_back(std::move(*step));
  }
  return script;
}

std::string describe(const Step& step) {
  switch (step.op) {
    case Step::Op::kRing:
      return step.count ? "ring " + std::to_string(step.count) : "ring";
    case Step::Op::kAnswer:
      return "answer";
    case Step::Op::kBusy:
      return "busy";
    case Step::Op::kReject:
      return "reject";
    case Step::Op::kCongestion:
      return "congestion";
    case Step::Op::kReorder:
      return "reorder";
    case Step::Op::kInvalid:
      return "invalid";
    case Step::Op::kUnreachable:
      return "unreachable";
    case Step::Op::kWait:
      return "wait " +
             std::to_string(
                 std::chrono::duration_cast<std::chrono::milliseconds>(step.wait).count()) +
             "ms";
    case Step::Op::kAwait:
      return step.state == CallState::kConnected ? "await connected" : "await ringback";
    case Step::Op::kHangup:
      return "hangup";
    case Step::Op::kHold:
      return "hold";
    case Step::Op::kUnhold:
      return "unhold";
    case Step::Op::kDtmf:
      return "dtmf " + step.arg;
    case Step::Op::kTransfer:
      return "transfer " + step.arg;
  }
  return "?";
}

}  // namespace tapir::pbx::sim
