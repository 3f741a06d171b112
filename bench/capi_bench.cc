// Basic calls per second through the C API (include/tapi.h), the way two
// TAPI applications would make them: libtapir's in-process service on its
// own loop thread, two registered applications, messages taken with
// lineGetMessage.
//
//   BM_CApiBasicCall/K   K calls kept in flight at once; one iteration
//                        completes K calls; items_per_second is calls/s
//
// One basic call: application A makes a call from one of its lines to one of
// B's; B answers when LINE_CALLSTATE OFFERING arrives (after
// LINE_APPNEWCALL); A drops on CONNECTED and deallocates on IDLE; B drops on
// DISCONNECTED and deallocates on IDLE. Every request's LINE_REPLY is
// awaited. One thread plays both applications: it drains both queues with
// lineGetMessage(..., 0) and, when both are empty, waits on their event
// handles (eventfds) with poll(). Keeping K calls in flight lets one wakeup
// of either thread carry many messages.
//
// The switch is a generated configuration of 2K stations on manual time
// (TAPIR_CLOCK=manual): ring timers start and are cancelled, never fire.
// Times are wall-clock (UseRealTime): the work is split between this thread
// and the service's loop thread.
//
// Figures and the command that produced them: docs/performance.md.
#include <benchmark/benchmark.h>
#include <poll.h>
#include <tapi.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

constexpr DWORD kApiVersion = 0x00020002;
constexpr int kPollTimeoutMs = 5000;  // nothing for this long: the benchmark is stuck

// Station numbers: A's line i is kFirstStation + i, B's is kFirstStation + K + i.
constexpr unsigned kFirstStation = 1000;

// A switch of `stations` stations and nothing else, in a file the service
// reads through TAPIR_CONFIG. Returns its path.
std::string writeConfig(unsigned stations) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("tapir-capi-bench-" + std::to_string(::getpid()) + ".toml"))
                               .string();
  std::ofstream out(path, std::ios::trunc);
  out << "[switch]\nname = \"capi-bench\"\n\n[[station]]\nnumber = \"" << kFirstStation << "-"
      << kFirstStation + stations - 1 << "\"\n";
  return path;
}

// One of the K calls in flight, through its two ends.
struct Slot {
  HLINE lineA = 0;
  HLINE lineB = 0;
  std::string dest;  // B's station number
  HCALL callA = 0;   // written by the library with lineMakeCall's LINE_REPLY
  HCALL callB = 0;   // from LINE_APPNEWCALL
  int pending = 0;   // requests whose LINE_REPLY has not come yet
  bool idleA = false;
  bool idleB = false;
  bool busy = false;  // a call is under way
};

class Bench {
 public:
  // Starts the service (the first lineInitializeEx) with two applications,
  // each on K lines.
  Bench(benchmark::State& state, unsigned k) : state_(state), slots_(k) {
    configPath_ = writeConfig(2 * k);
    ::setenv("TAPIR_CONFIG", configPath_.c_str(), 1);
    ::setenv("TAPIR_CLOCK", "manual", 1);
    ::unsetenv("TAPIR_SPEED");
    // No saved dialing locations are read or written.
    ::setenv("TAPIR_LOCATIONS", (configPath_ + ".locations").c_str(), 1);
    if (!initialize(appA_, fdA_, "capi-bench-a") || !initialize(appB_, fdB_, "capi-bench-b"))
      return;
    for (unsigned i = 0; i < k; ++i) {
      Slot& s = slots_[i];
      s.dest = std::to_string(kFirstStation + k + i);
      // The callback instance is the slot: every message on the line carries it.
      if (!open(appA_, i, i, s.lineA) || !open(appB_, k + i, i, s.lineB)) return;
    }
    ok_ = true;
  }

  ~Bench() {
    if (appA_) lineShutdown(appA_);
    if (appB_) lineShutdown(appB_);  // the last one stops the service
    std::filesystem::remove(configPath_);
  }

  bool ok() const { return ok_; }

  // Starts a call in every slot.
  void fill() {
    for (std::size_t i = 0; i < slots_.size() && ok_; ++i)
      start(i);
  }

  // Runs until at least `n` more calls have completed; each slot freed
  // starts the next call at once. (A round of messages may complete several
  // calls, so a few more than `n` may have.)
  void complete(std::uint64_t n) {
    const std::uint64_t target = completed_ + n;
    while (ok_ && completed_ < target)
      pump();
  }

  // Runs until no call is in flight.
  void drain() {
    refill_ = false;
    while (ok_ && inFlight_ > 0)
      pump();
  }

  std::uint64_t completed() const { return completed_; }
  std::uint64_t messages() const { return messages_; }
  std::uint64_t wakeups() const { return polls_; }

 private:
  bool initialize(HLINEAPP& app, int& fd, const char* name) {
    LINEINITIALIZEEXPARAMS params;
    std::memset(&params, 0, sizeof params);
    params.dwTotalSize = sizeof params;
    params.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
    DWORD numDevs = 0;
    DWORD version = kApiVersion;
    const LONG rc = lineInitializeEx(&app, nullptr, nullptr, name, &numDevs, &version, &params);
    if (rc != 0) return fail("lineInitializeEx", rc);
    fd = static_cast<int>(reinterpret_cast<intptr_t>(params.Handles.hEvent));
    return true;
  }

  bool open(HLINEAPP app, DWORD device, std::size_t slot, HLINE& line) {
    DWORD version = 0;
    LINEEXTENSIONID ext;
    LONG rc = lineNegotiateAPIVersion(app, device, kApiVersion, kApiVersion, &version, &ext);
    if (rc != 0) return fail("lineNegotiateAPIVersion", rc);
    rc = lineOpen(app, device, &line, version, 0, slot, LINECALLPRIVILEGE_OWNER,
                  LINEMEDIAMODE_INTERACTIVEVOICE, nullptr);
    if (rc != 0) return fail("lineOpen", rc);
    return true;
  }

  bool fail(const char* what, LONG rc) {
    if (ok_ || !failed_) {
      const std::string text = std::string(what) + " failed: " + std::to_string(rc);
      state_.SkipWithError(text.c_str());
    }
    ok_ = false;
    failed_ = true;
    return false;
  }

  // An asynchronous request: counts its reply as pending.
  void request(Slot& s, const char* what, LONG rc) {
    if (rc <= 0) {
      fail(what, rc);
      return;
    }
    ++s.pending;
  }

  void start(std::size_t i) {
    Slot& s = slots_[i];
    s.callA = 0;
    s.callB = 0;
    s.idleA = false;
    s.idleB = false;
    s.busy = true;
    ++inFlight_;
    request(s, "lineMakeCall", lineMakeCall(s.lineA, &s.callA, s.dest.c_str(), 0, nullptr));
  }

  void maybeDone(std::size_t i) {
    Slot& s = slots_[i];
    if (!s.busy || !s.idleA || !s.idleB || s.pending != 0) return;
    s.busy = false;
    --inFlight_;
    ++completed_;
    if (refill_) start(i);
  }

  // Takes whatever both applications have queued; if neither had anything,
  // waits on their event handles.
  void pump() {
    bool any = false;
    LINEMESSAGE m;
    while (ok_ && lineGetMessage(appA_, &m, 0) == 0) {
      any = true;
      onA(m);
    }
    while (ok_ && lineGetMessage(appB_, &m, 0) == 0) {
      any = true;
      onB(m);
    }
    if (any || !ok_) return;
    pollfd fds[2] = {{fdA_, POLLIN, 0}, {fdB_, POLLIN, 0}};
    ++polls_;
    if (::poll(fds, 2, kPollTimeoutMs) <= 0) fail("poll (no message in time)", 0);
  }

  Slot* slotOf(const LINEMESSAGE& m) {
    if (m.dwCallbackInstance >= slots_.size()) {
      fail("message with an unknown callback instance", static_cast<LONG>(m.dwMessageID));
      return nullptr;
    }
    return &slots_[m.dwCallbackInstance];
  }

  void reply(Slot& s, const LINEMESSAGE& m) {
    if (m.dwParam2 != 0) fail("asynchronous request", static_cast<LONG>(m.dwParam2));
    --s.pending;
  }

  // Application A: the caller.
  void onA(const LINEMESSAGE& m) {
    ++messages_;
    Slot* s = slotOf(m);
    if (s == nullptr) return;
    if (m.dwMessageID == LINE_REPLY) {
      reply(*s, m);
    } else if (m.dwMessageID == LINE_CALLSTATE && m.hDevice == s->callA) {
      if (m.dwParam1 == LINECALLSTATE_CONNECTED) {
        request(*s, "lineDrop (A)", lineDrop(s->callA, nullptr, 0));
      } else if (m.dwParam1 == LINECALLSTATE_IDLE) {
        if (LONG rc = lineDeallocateCall(s->callA); rc != 0) fail("lineDeallocateCall (A)", rc);
        s->idleA = true;
      }
    }
    maybeDone(m.dwCallbackInstance);
  }

  // Application B: the called party.
  void onB(const LINEMESSAGE& m) {
    ++messages_;
    Slot* s = slotOf(m);
    if (s == nullptr) return;
    if (m.dwMessageID == LINE_REPLY) {
      reply(*s, m);
    } else if (m.dwMessageID == LINE_APPNEWCALL) {
      s->callB = static_cast<HCALL>(m.dwParam2);
    } else if (m.dwMessageID == LINE_CALLSTATE && m.hDevice == s->callB) {
      if (m.dwParam1 == LINECALLSTATE_OFFERING) {
        request(*s, "lineAnswer (B)", lineAnswer(s->callB, nullptr, 0));
      } else if (m.dwParam1 == LINECALLSTATE_DISCONNECTED) {
        request(*s, "lineDrop (B)", lineDrop(s->callB, nullptr, 0));
      } else if (m.dwParam1 == LINECALLSTATE_IDLE) {
        if (LONG rc = lineDeallocateCall(s->callB); rc != 0) fail("lineDeallocateCall (B)", rc);
        s->idleB = true;
      }
    }
    maybeDone(m.dwCallbackInstance);
  }

  benchmark::State& state_;
  std::vector<Slot> slots_;
  std::string configPath_;
  HLINEAPP appA_ = 0;
  HLINEAPP appB_ = 0;
  int fdA_ = -1;
  int fdB_ = -1;
  bool ok_ = false;
  bool failed_ = false;
  bool refill_ = true;  // a slot that completes starts the next call
  std::size_t inFlight_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t messages_ = 0;
  std::uint64_t polls_ = 0;
};

void BM_CApiBasicCall(benchmark::State& state) {
  const auto k = static_cast<unsigned>(state.range(0));
  Bench bench(state, k);
  if (!bench.ok()) return;
  bench.fill();
  // Warm up outside the timing: every slot has completed a call twice, so
  // the service's and switch's tables have their working size.
  bench.complete(2 * k);
  const std::uint64_t calls0 = bench.completed();
  const std::uint64_t messages0 = bench.messages();
  const std::uint64_t wakeups0 = bench.wakeups();
  // One iteration: K more calls completed (the time column is per K calls;
  // items_per_second is calls per second).
  for (auto _ : state) {
    bench.complete(k);
  }
  const auto calls = static_cast<double>(bench.completed() - calls0);
  state.SetItemsProcessed(static_cast<std::int64_t>(calls));
  if (calls > 0) {
    state.counters["messages_per_call"] = static_cast<double>(bench.messages() - messages0) / calls;
    state.counters["polls_per_call"] = static_cast<double>(bench.wakeups() - wakeups0) / calls;
  }
  bench.drain();
}
BENCHMARK(BM_CApiBasicCall)
    ->Arg(1)
    ->Arg(8)
    ->Arg(16)
    ->Arg(32)
    ->Arg(64)
    ->Arg(128)
    ->Arg(256)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
