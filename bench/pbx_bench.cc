// Benchmarks of the built-in switch, driven through the provider interface the
// way the service drives it: requests in, replies and events out through a
// ProviderListener, on a SimLoop. Stations have no phone attached, so each
// phone confirms a request on the next loop turn.
//
//   BM_BasicCall             basic calls per second on one core
//   BM_IdleStationMemory/N   heap bytes per idle station (switch of N stations)
//   BM_ActiveCallMemory/N    heap bytes per connected two-party call (N calls)
//   BM_*UnderLoad/N          cost of one operation while N other calls are up
//
// Figures and the command that produced them: docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/sim_loop.h"
#include "heap_counter.h"
#include "pbx/core/switch.h"

namespace tapir::pbx {
namespace {

// Station i has number kFirstNumber + i: seven digits up to 8,999,999
// stations, none starting with the outside prefix.
constexpr std::uint32_t kFirstNumber = 1'000'000;

std::string numberOf(std::uint32_t station) {
  return std::to_string(kFirstNumber + station);
}

// Names: Names::kDefault leaves them empty, so the switch names each station
// "Station <number>" (15 characters, inside std::string's inline buffer);
// Names::kLong gives 28-character names, which every copy stores on the heap.
enum class Names { kDefault, kLong };

SwitchConfig stationsConfig(std::uint32_t stations, Names names = Names::kDefault) {
  SwitchConfig config;
  config.stations.reserve(stations);
  for (std::uint32_t i = 0; i < stations; ++i) {
    StationConfig sc;
    sc.number = numberOf(i);
    if (names == Names::kLong) sc.name = "Desk " + sc.number + ", 3rd floor east";
    config.stations.push_back(std::move(sc));
  }
  return config;
}

// Keeps only what the benchmarks look at; never allocates.
class Listener final : public ProviderListener {
 public:
  void onReply(RequestId, const Status& status, const ReplyData&) override {
    ++replies;
    if (!status.isOk()) ++failures;
  }
  void onNewCall(CallId call, LineId, std::uint32_t) override {
    lastNewCall = call;
    ++events;
  }
  void onCallState(CallId, CallState, std::uint32_t) override { ++events; }
  void onCallInfo(CallId, std::uint32_t) override { ++events; }
  void onLineEvent(LineId, std::uint32_t, std::uint32_t, std::uint32_t) override { ++events; }
  void onAddressEvent(LineId, std::uint32_t, std::uint32_t) override { ++events; }
  void onDigit(CallId, char) override { ++events; }

  CallId lastNewCall;
  std::uint64_t replies = 0;
  std::uint64_t failures = 0;
  std::uint64_t events = 0;
};

// A switch of `stations` stations on a SimLoop, and the provider-side
// sequences the benchmarks repeat.
class Harness {
 public:
  explicit Harness(std::uint32_t stations, Names names = Names::kDefault) {
    auto sw = Switch::create(loop_, stationsConfig(stations, names));
    if (!sw.isOk()) {
      error_ = "Switch::create: " + sw.status().toString();
      return;
    }
    sw_ = std::move(*sw);
    sw_->setListener(&listener_);
    numbers_.reserve(stations);
    for (std::uint32_t i = 0; i < stations; ++i)
      numbers_.push_back(numberOf(i));
  }

  Switch& sw() { return *sw_; }
  Listener& listener() { return listener_; }
  LineId line(std::uint32_t station) const { return sw_->lineAt(station); }

  // Station `from` calls station `to`, which answers: both legs CONNECTED.
  std::pair<CallId, CallId> connect(std::uint32_t from, std::uint32_t to) {
    listener_.lastNewCall = CallId();  // no offer: answering the null id fails
    auto a = sw_->makeCall(next(), line(from), 0, numbers_[to], kNoParams);
    if (!a.isOk()) {
      ++syncErrors_;
      return {};
    }
    loop_.runUntilIdle();
    const CallId b = listener_.lastNewCall;
    check(sw_->answer(next(), b));
    loop_.runUntilIdle();
    return {*a, b};
  }

  // Both parties hang up and the service releases both call objects.
  void release(std::pair<CallId, CallId> call) {
    check(sw_->drop(next(), call.first));
    check(sw_->drop(next(), call.second));
    loop_.runUntilIdle();
    sw_->closeCall(call.first);
    sw_->closeCall(call.second);
    loop_.runUntilIdle();
  }

  // The whole life of a basic call: make, ring, answer, connected, drop, idle,
  // close. Four requests, four replies.
  void basicCall(std::uint32_t from, std::uint32_t to) { release(connect(from, to)); }

  void holdUnhold(CallId call) {
    check(sw_->hold(next(), call));
    loop_.runUntilIdle();
    check(sw_->unhold(next(), call));
    loop_.runUntilIdle();
  }

  // Empty when every request so far was accepted and succeeded.
  std::string error() const {
    if (!error_.empty()) return error_;
    if (syncErrors_ != 0) return std::to_string(syncErrors_) + " requests failed at once";
    if (listener_.failures != 0) return std::to_string(listener_.failures) + " requests failed";
    if (listener_.replies != lastRequest_ - syncErrors_) return "a request got no reply";
    return {};
  }

 private:
  RequestId next() { return ++lastRequest_; }
  void check(const Status& st) {
    if (!st.isOk()) ++syncErrors_;
  }

  static inline const CallParams kNoParams{};

  SimLoop loop_;
  Listener listener_;
  std::unique_ptr<Switch> sw_;
  std::vector<std::string> numbers_;
  RequestId lastRequest_ = 0;
  std::uint64_t syncErrors_ = 0;
  std::string error_;
};

bool failed(benchmark::State& state, const Harness& h) {
  const std::string err = h.error();
  if (err.empty()) return false;
  state.SkipWithError(err.c_str());
  return true;
}

// ---- throughput ------------------------------------------------------------------

// One basic call per iteration, through 500 station pairs in turn.
void BM_BasicCall(benchmark::State& state) {
  constexpr std::uint32_t kPairs = 500;
  Harness h(2 * kPairs);
  if (failed(state, h)) return;
  const std::uint64_t events0 = h.listener().events;
  std::uint32_t pair = 0;
  for (auto _ : state) {
    h.basicCall(2 * pair, 2 * pair + 1);
    if (++pair == kPairs) pair = 0;
  }
  if (failed(state, h)) return;
  if (h.sw().legCount() != 0) {
    state.SkipWithError("legs left behind");
    return;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["events_per_call"] =
      static_cast<double>(h.listener().events - events0) / static_cast<double>(state.iterations());
  // Heap allocations per call, counted after the timed loop so that the
  // counting costs the timing nothing.
  constexpr std::uint32_t kCounted = 1000;
  bench::HeapCounter heap;
  for (std::uint32_t i = 0; i < kCounted; ++i)
    h.basicCall(2 * (i % kPairs), 2 * (i % kPairs) + 1);
  state.counters["allocs_per_call"] = static_cast<double>(heap.allocations()) / kCounted;
}
BENCHMARK(BM_BasicCall);

// ---- memory ----------------------------------------------------------------------

// The heap a switch of N idle stations holds, configuration included (the
// switch keeps its own copy), divided by N.
void idleStationMemory(benchmark::State& state, Names names) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  SimLoop loop;
  std::int64_t bytes = 0;
  std::int64_t blocks = 0;
  for (auto _ : state) {
    bench::HeapCounter heap;
    auto sw = Switch::create(loop, stationsConfig(n, names));
    if (!sw.isOk()) {
      state.SkipWithError(sw.status().toString().c_str());
      return;
    }
    bytes = heap.bytes();
    blocks = heap.blocks();
  }
  state.counters["bytes_per_station"] = static_cast<double>(bytes) / n;
  state.counters["blocks_per_station"] = static_cast<double>(blocks) / n;
}

void BM_IdleStationMemory(benchmark::State& state) {
  idleStationMemory(state, Names::kDefault);
}
BENCHMARK(BM_IdleStationMemory)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// Informational: the same with 28-character station names.
void BM_IdleStationMemoryLongNames(benchmark::State& state) {
  idleStationMemory(state, Names::kLong);
}
BENCHMARK(BM_IdleStationMemoryLongNames)->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);

// The heap N connected two-party calls add to a switch (two legs each, set up
// one after another as a service would), divided by N.
void activeCallMemory(benchmark::State& state, Names names) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  std::int64_t bytes = 0;
  std::int64_t blocks = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto h = std::make_unique<Harness>(2 * n, names);
    state.ResumeTiming();
    if (failed(state, *h)) return;
    {
      bench::HeapCounter heap;
      for (std::uint32_t i = 0; i < n; ++i)
        h->connect(2 * i, 2 * i + 1);
      bytes = heap.bytes();
      blocks = heap.blocks();
    }
    if (failed(state, *h)) return;
    if (h->sw().legCount() != 2 * n) {
      state.SkipWithError("not every call connected");
      return;
    }
    state.PauseTiming();
    h.reset();
    state.ResumeTiming();
  }
  state.counters["bytes_per_call"] = static_cast<double>(bytes) / n;
  state.counters["blocks_per_call"] = static_cast<double>(blocks) / n;
}

void BM_ActiveCallMemory(benchmark::State& state) {
  activeCallMemory(state, Names::kDefault);
}
BENCHMARK(BM_ActiveCallMemory)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// Informational: the same with 28-character station names.
void BM_ActiveCallMemoryLongNames(benchmark::State& state) {
  activeCallMemory(state, Names::kLong);
}
BENCHMARK(BM_ActiveCallMemoryLongNames)->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);

// ---- cost per operation under load -------------------------------------------------

// A switch with N connected calls (stations 2i -> 2i+1) and two spare
// stations (2N, 2N+1). Built once per N and kept between the runs Google
// Benchmark makes of one benchmark; the operations below leave it as found.
struct Loaded {
  std::uint32_t calls = 0;
  std::unique_ptr<Harness> harness;
  std::vector<std::pair<CallId, CallId>> connected;
};

Loaded& loaded(std::uint32_t calls) {
  static Loaded cache;
  if (cache.harness && cache.calls == calls) return cache;
  cache.harness.reset();  // one loaded switch at a time
  cache.connected.clear();
  cache.calls = calls;
  cache.harness = std::make_unique<Harness>(2 * calls + 2);
  cache.connected.reserve(calls);
  for (std::uint32_t i = 0; i < calls; ++i)
    cache.connected.push_back(cache.harness->connect(2 * i, 2 * i + 1));
  return cache;
}

void underLoadCounters(benchmark::State& state, Harness& h, std::uint32_t calls) {
  if (failed(state, h)) return;
  if (h.sw().legCount() != 2 * static_cast<std::size_t>(calls)) {
    state.SkipWithError("the load changed");
    return;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["calls_up"] = calls;
}

// Hold then unhold one of the N connected calls (two requests, two replies).
void BM_HoldUnholdUnderLoad(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  Loaded& l = loaded(n);
  Harness& h = *l.harness;
  if (failed(state, h)) return;
  const CallId call = l.connected[n / 2].first;
  for (auto _ : state)
    h.holdUnhold(call);
  underLoadCounters(state, h, n);
}

// A whole basic call between the two spare stations while N calls are up.
void BM_BasicCallUnderLoad(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  Harness& h = *loaded(n).harness;
  if (failed(state, h)) return;
  for (auto _ : state)
    h.basicCall(2 * n, 2 * n + 1);
  underLoadCounters(state, h, n);
}

// Informational: hold then unhold a different connected call each time, so
// the working set is the whole switch (cache misses included).
void BM_HoldUnholdSpreadUnderLoad(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  Loaded& l = loaded(n);
  Harness& h = *l.harness;
  if (failed(state, h)) return;
  // A stride coprime with N walks every call in an order the hardware
  // prefetcher cannot follow.
  std::uint32_t i = 0;
  for (auto _ : state) {
    h.holdUnhold(l.connected[i].first);
    i = (i + 7919) % n;
  }
  underLoadCounters(state, h, n);
}

// Grouped by N so that each loaded switch is built once.
void registerUnderLoad() {
  for (std::int64_t n : {1000, 10000, 100000}) {
    benchmark::RegisterBenchmark("BM_HoldUnholdUnderLoad", BM_HoldUnholdUnderLoad)->Arg(n);
    benchmark::RegisterBenchmark("BM_BasicCallUnderLoad", BM_BasicCallUnderLoad)->Arg(n);
    benchmark::RegisterBenchmark("BM_HoldUnholdSpreadUnderLoad", BM_HoldUnholdSpreadUnderLoad)
        ->Arg(n);
  }
}

}  // namespace
}  // namespace tapir::pbx

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  tapir::pbx::registerUnderLoad();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
