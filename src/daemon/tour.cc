#include "daemon/tour.h"

#include <cstdio>

namespace tapir::daemon {

namespace {
constexpr Duration kStepLimit = std::chrono::minutes(2);  // switch time per step
constexpr Duration kPoll = std::chrono::milliseconds(200);
constexpr Duration kPause = std::chrono::seconds(1);  // between steps, to read
}  // namespace

Tour::Tour(EventLoop& loop, pbx::sim::VirtualPbx& pbx, std::ostream& out)
    : loop_(loop), pbx_(pbx), sw_(pbx.sw()), out_(out) {
  build();
}

// ---- output -------------------------------------------------------------------------

std::string Tour::stamp() {
  const double s = std::chrono::duration<double>(loop_.now() - started_).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "[%6.1fs]", s);
  return buf;
}

std::string Tour::label(CallId call) {
  auto [it, added] = labels_.emplace(call, static_cast<int>(labels_.size()) + 1);
  return "#" + std::to_string(it->second);
}

std::string Tour::where(CallId call) {
  const CallInfo* info = sw_.callInfo(call);
  if (info == nullptr) return "?";
  return sw_.station(info->line.index()).addresses[info->address].number;
}

void Tour::onReply(RequestId req, const Status& status, const ReplyData& data) {
  replies_[req] = status;
  replyData_[req] = data;
  if (!status) out_ << stamp() << "   request failed: " << status.toString() << "\n";
  check();
}

void Tour::onNewCall(CallId call, LineId line, std::uint32_t) {
  newCalls_[line].push_back(call);
  label(call);
}

void Tour::onCallState(CallId call, CallState state, std::uint32_t mode) {
  const CallInfo* info = sw_.callInfo(call);
  out_ << stamp() << "   " << where(call) << " " << label(call) << "  " << callStateName(state);
  if (info) {
    switch (state) {
      case CallState::kOffering:
        out_ << "  from " << info->caller.number;
        if (!info->caller.name.empty()) out_ << " (" << info->caller.name << ")";
        if (info->reason != CallReason::kDirect)
          out_ << ", reason " << callReasonName(info->reason);
        break;
      case CallState::kConnected:
        if (!info->connected.empty()) out_ << "  with " << info->connected.number;
        if (info->origin == CallOrigin::kConference) out_ << " (conference)";
        break;
      case CallState::kDisconnected:
        out_ << "  (" << disconnectModeName(mode) << ")";
        break;
      case CallState::kProceeding:
        out_ << "  to " << info->called.number;
        break;
      default:
        break;
    }
  }
  out_ << "\n";
  check();
}

void Tour::onCallInfo(CallId, std::uint32_t) {
  check();
}

void Tour::onLineEvent(LineId line, std::uint32_t event, std::uint32_t, std::uint32_t p2) {
  const std::string number = sw_.station(line.index()).addresses[0].number;
  if (event == line_event::kMsgWaitOn) out_ << stamp() << "   " << number << " message waiting\n";
  if (event == line_event::kRinging && p2 == 1) out_ << stamp() << "   " << number << " rings\n";
}

void Tour::onAddressEvent(LineId line, std::uint32_t, std::uint32_t events) {
  if (events & address_event::kForward)
    out_ << stamp() << "   " << sw_.station(line.index()).addresses[0].number
         << " forwarding changed\n";
}

void Tour::onDigit(CallId call, char digit) {
  out_ << stamp() << "   " << where(call) << " " << label(call) << "  digit " << digit << "\n";
}

// ---- running ------------------------------------------------------------------------

void Tour::start(std::function<void(bool)> done) {
  done_ = std::move(done);
  started_ = loop_.now();
  sw_.setListener(this);
  pbx_.world().observer = [this](const pbx::sim::VirtualWorld::LegView& v) {
    out_ << stamp() << "   outside " << v.number << "  " << callStateName(v.state) << "\n";
  };
  const auto& cfg = sw_.config();
  out_ << "tapir demo switch '" << cfg.name << "': " << sw_.stationCount() << " stations ("
       << sw_.station(0).addresses[0].number << "-"
       << sw_.station(sw_.stationCount() - 1).addresses[0].number << "), " << cfg.parkOrbits.size()
       << " park orbits, outside prefix " << cfg.outsidePrefix << "\n";
  loop_.post([this] { runNext(); });
}

void Tour::step(std::string title, std::function<Status()> action, std::function<bool()> done) {
  steps_.push_back(Step{std::move(title), std::move(action), std::move(done)});
}

void Tour::runNext() {
  if (next_ >= steps_.size()) {
    finish(true);
    return;
  }
  poll_ = TimerId();
  Step& s = steps_[next_];
  out_ << "\n" << stamp() << " " << s.title << "\n";
  Status st = s.action();
  if (!st) {
    out_ << stamp() << "   refused: " << st.toString() << "\n";
    finish(false);
    return;
  }
  stepDeadline_ = loop_.now() + kStepLimit;
  poll_ = loop_.runAfter(kPoll, [this] { check(); });
}

void Tour::check() {
  if (next_ >= steps_.size() || !done_) return;
  if (steps_[next_].done()) {
    if (poll_) loop_.cancel(poll_);
    poll_ = TimerId();
    ++next_;
    poll_ = loop_.runAfter(kPause, [this] { runNext(); });
    return;
  }
  if (loop_.now() > stepDeadline_) {
    out_ << stamp() << "   step did not complete\n";
    finish(false);
    return;
  }
  if (!loop_.timerPending(poll_)) poll_ = loop_.runAfter(kPoll, [this] { check(); });
}

void Tour::finish(bool ok) {
  if (poll_) loop_.cancel(poll_);
  out_ << "\n"
       << stamp()
       << (ok ? " tour complete: every operation behaved as expected\n" : " tour stopped\n");
  out_.flush();
  pbx_.world().observer = nullptr;
  sw_.setListener(nullptr);
  auto done = std::move(done_);
  done_ = nullptr;
  if (done) done(ok);
}

// ---- helpers --------------------------------------------------------------------------

LineId Tour::line(const std::string& number) {
  auto where = sw_.findNumber(number);
  return where ? sw_.lineAt(where->first) : LineId();
}

bool Tour::is(CallId call, CallState state) {
  auto st = sw_.callStatus(call);
  return st && st->state == state;
}

CallId Tour::newestAt(const std::string& number) {
  auto& list = newCalls_[line(number)];
  return list.empty() ? CallId() : list.back();
}

// ---- the tour -----------------------------------------------------------------------

void Tour::build() {
  using S = CallState;
  auto make = [this](const std::string& name, const std::string& from, const std::string& to) {
    return [=, this]() -> Status {
      auto r = sw_.makeCall(request(), line(from), 0, to, {});
      if (!r) return r.status();
      calls_[name] = *r;
      return Status();
    };
  };
  auto answerAt = [this](const std::string& name, const std::string& number) {
    return [=, this]() -> Status {
      calls_[name] = newestAt(number);
      return sw_.answer(request(), calls_[name]);
    };
  };
  auto drop = [this](const std::string& name) {
    return [=, this]() -> Status { return sw_.drop(request(), calls_[name]); };
  };
  auto in = [this](const std::string& name, S state) {
    return [=, this] { return is(calls_[name], state); };
  };
  auto ringingAt = [this](const std::string& number) {
    return [=, this] { return is(newestAt(number), S::kOffering); };
  };

  step("1. Basic call: 201 calls 202", make("a", "201", "202"), ringingAt("202"));
  step("   202 answers", answerAt("b", "202"), in("a", S::kConnected));
  step(
      "   201 puts 202 on hold", [=, this] { return sw_.hold(request(), calls_["a"]); },
      in("a", S::kOnHold));
  step(
      "   201 takes the call back", [=, this] { return sw_.unhold(request(), calls_["a"]); },
      in("a", S::kConnected));
  step("   201 hangs up", drop("a"), in("b", S::kDisconnected));
  step("   202 hangs up too", drop("b"), in("b", S::kIdle));

  step("2. Outside call: 203 dials 95550100 (answers after 2 rings)", make("c", "203", "95550100"),
       in("c", S::kConnected));
  step(
      "   Consultation transfer: 203 sets up a transfer",
      [=, this]() -> Status {
        auto r = sw_.setupTransfer(request(), calls_["c"], {});
        if (!r) return r.status();
        calls_["c2"] = *r;
        return Status();
      },
      in("c2", S::kDialtone));
  step(
      "   203 dials 204 on the consultation call",
      [=, this] { return sw_.dial(request(), calls_["c2"], "204"); }, ringingAt("204"));
  step("   204 answers", answerAt("d", "204"), in("c2", S::kConnected));
  step(
      "   203 completes the transfer: the outside party now talks to 204",
      [=, this] {
        return sw_.completeTransfer(request(), calls_["c"], calls_["c2"], TransferMode::kTransfer)
            .status();
      },
      in("c", S::kIdle));

  step(
      "3. Park: 204 parks the outside call (the switch picks the orbit)",
      [=, this] { return sw_.park(request(), calls_["d"], ParkMode::kNonDirected, ""); },
      in("d", S::kIdle));
  step(
      "   205 unparks it from orbit 701",
      [=, this]() -> Status {
        auto r = sw_.unpark(request(), line("205"), 0, "701");
        if (!r) return r.status();
        calls_["e"] = *r;
        return Status();
      },
      in("e", S::kConnected));
  step(
      "   Blind transfer: 205 sends the outside party to 208",
      [=, this] { return sw_.blindTransfer(request(), calls_["e"], "208"); }, ringingAt("208"));
  step("   208 answers", answerAt("h", "208"), in("h", S::kConnected));
  step("   208 hangs up", drop("h"), in("h", S::kIdle));

  step("4. Conference: 201 calls 202", make("a", "201", "202"), ringingAt("202"));
  step("   202 answers", answerAt("b", "202"), in("a", S::kConnected));
  step(
      "   201 sets up a conference",
      [=, this]() -> Status {
        auto r = sw_.setupConference(request(), calls_["a"], LineId(), 0, 3, {});
        if (!r) return r.status();
        calls_["conf"] = r->conference;
        calls_["k1"] = r->consultation;
        return Status();
      },
      in("k1", S::kDialtone));
  step(
      "   201 dials 206", [=, this] { return sw_.dial(request(), calls_["k1"], "206"); },
      ringingAt("206"));
  step("   206 answers", answerAt("f", "206"), in("k1", S::kConnected));
  step(
      "   201 adds 206: three parties",
      [=, this] { return sw_.addToConference(request(), calls_["conf"], calls_["k1"]); },
      in("conf", S::kConnected));
  step(
      "   201 prepares to add one more",
      [=, this]() -> Status {
        auto r = sw_.prepareAddToConference(request(), calls_["conf"], {});
        if (!r) return r.status();
        calls_["k2"] = *r;
        return Status();
      },
      in("k2", S::kDialtone));
  step(
      "   201 dials 207", [=, this] { return sw_.dial(request(), calls_["k2"], "207"); },
      ringingAt("207"));
  step("   207 answers", answerAt("g", "207"), in("k2", S::kConnected));
  step(
      "   201 adds 207: four parties",
      [=, this] { return sw_.addToConference(request(), calls_["conf"], calls_["k2"]); },
      in("k2", S::kConferenced));
  step(
      "   201 removes 207 again",
      [=, this] { return sw_.removeFromConference(request(), calls_["k2"]); },
      in("g", S::kDisconnected));
  step("   207 hangs up", drop("g"), in("g", S::kIdle));
  step("   201 ends the conference", drop("conf"), in("conf", S::kIdle));
  step(
      "   202 and 206 hang up",
      [=, this]() -> Status {
        TAPIR_RETURN_IF_ERROR(sw_.drop(request(), calls_["b"]));
        return sw_.drop(request(), calls_["f"]);
      },
      [=, this] { return is(calls_["b"], S::kIdle) && is(calls_["f"], S::kIdle); });

  step("5. Group pickup: 208 calls 203, 201 picks it up", make("h", "208", "203"),
       ringingAt("203"));
  step(
      "   201 picks up in its group",
      [=, this]() -> Status {
        auto r = sw_.pickup(request(), line("201"), 0, "", "");
        if (!r) return r.status();
        calls_["p"] = *r;
        return Status();
      },
      in("h", S::kConnected));
  step("   201 hangs up", drop("p"), in("h", S::kDisconnected));
  step("   208 hangs up", drop("h"), in("h", S::kIdle));

  step(
      "6. Forwarding: 206 forwards everything to 207",
      [=, this] {
        ForwardEntry f{forward_mode::kUncond, "", "207"};
        return sw_.forward(request(), line("206"), true, 0, std::span(&f, 1), 4);
      },
      [=, this] { return !sw_.addressStatus(line("206"), 0)->forward.empty(); });
  step("   201 calls 206: it rings at 207", make("a", "201", "206"), ringingAt("207"));
  step("   207 answers", answerAt("g", "207"), in("a", S::kConnected));
  step(
      "   201 hangs up; 206 cancels forwarding",
      [=, this]() -> Status {
        TAPIR_RETURN_IF_ERROR(sw_.drop(request(), calls_["a"]));
        TAPIR_RETURN_IF_ERROR(sw_.drop(request(), calls_["g"]));
        return sw_.forward(request(), line("206"), true, 0, {}, 4);
      },
      [=, this] { return sw_.addressStatus(line("206"), 0)->forward.empty(); });

  step("7. Camp-on: 201 calls 202", make("a", "201", "202"), ringingAt("202"));
  step("   202 answers", answerAt("b", "202"), in("a", S::kConnected));
  step("   203 calls 202: busy", make("c", "203", "202"), in("c", S::kBusy));
  step(
      "   203 camps on",
      [=, this] { return sw_.completeCall(request(), calls_["c"], CompletionMode::kCampOn, 0); },
      in("c", S::kRingback));
  step("   201 hangs up: the camped-on call rings at 202", drop("a"), ringingAt("202"));
  step(
      "   202 drops the old call and answers",
      [=, this]() -> Status {
        TAPIR_RETURN_IF_ERROR(sw_.drop(request(), calls_["b"]));
        calls_["b"] = newestAt("202");
        return sw_.answer(request(), calls_["b"]);
      },
      in("c", S::kConnected));
  step(
      "   203 hangs up; 202 too",
      [=, this]() -> Status {
        TAPIR_RETURN_IF_ERROR(sw_.drop(request(), calls_["c"]));
        return sw_.drop(request(), calls_["b"]);
      },
      in("b", S::kIdle));

  step("8. 204 dials 95550199 (busy)", make("d", "204", "95550199"), in("d", S::kBusy));
  step(
      "   204 hangs up and dials 299 (no such number)",
      [=, this]() -> Status {
        TAPIR_RETURN_IF_ERROR(sw_.drop(request(), calls_["d"]));
        return make("d", "204", "299")();
      },
      in("d", S::kDisconnected));
  step("   204 hangs up", drop("d"), in("d", S::kIdle));
}

}  // namespace tapir::daemon
