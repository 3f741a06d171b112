// tapird over the wire: a real tapird (the Release build, a child process)
// and clients that speak the protocol (docs/protocol.md) through the same
// synchronous helper the tapir CLI uses (src/cli/connection.h): a request
// waits for its response; events are taken as they come.
//
//   BM_RoundTrip/T/N    N connections over transport T (0: unix socket,
//                       1: TCP loopback), each on its own thread sending
//                       `lineCount` and waiting for the answer, 500 times
//                       per iteration. items_per_second: requests/s (all
//                       clients); p50_us / p99_us: request latency.
//   BM_BasicCalls/T/N   N connections, each one application with two lines
//                       making basic calls between them, 20 per iteration:
//                       makeCall, (OFFERING) answer, (CONNECTED) drop,
//                       (DISCONNECTED) drop, (IDLE) deallocate both -
//                       every LINE_REPLY and LINE_CALLSTATE awaited.
//                       items_per_second: basic calls/s (all clients).
//
// The switch has 2 stations per client and switch time stands still
// (--clock manual): rings start and are cancelled, never fire. Times are
// wall-clock (UseRealTime): the work is spread over the clients' threads
// and the server's process.
//
// Figures and the command that produced them: docs/performance.md.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli/connection.h"
#include "support/process.h"

namespace {

using tapir::cli::Connection;
using Json = tapir::protocol::Json;
using Clock = std::chrono::steady_clock;

constexpr unsigned kMaxClients = 50;
constexpr unsigned kFirstStation = 1000;
constexpr std::uint32_t kCallStateMsg = 2, kAppNewCallMsg = 23;
constexpr std::uint32_t kOffering = 0x2, kConnected = 0x100, kDisconnected = 0x4000, kIdle = 0x1;
constexpr auto kTimeout = std::chrono::seconds(10);  // only ever reached when stuck

// One tapird for the whole run, on a unix socket and a TCP port.
class Server {
 public:
  static Server& get() {
    static Server server;
    return server;
  }
  bool ok() const { return !unix_.empty() && !tcp_.empty(); }
  const std::string& endpoint(int transport) const { return transport == 0 ? unix_ : tcp_; }

 private:
  Server() {
    dir_ = std::filesystem::temp_directory_path() / ("tapird-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    const std::string config = (dir_ / "switch.toml").string();
    std::ofstream(config) << "[switch]\nname = \"daemon-bench\"\n\n[[station]]\nnumber = \""
                          << kFirstStation << "-" << kFirstStation + 2 * kMaxClients - 1 << "\"\n";
    process_ = std::make_unique<tapir::testing::Process>(
        std::vector<std::string>{TAPIRD_BIN, "--config", config, "--listen",
                                 "unix:" + (dir_ / "tapird.sock").string(), "--listen",
                                 "ws://127.0.0.1:0", "--clock", "manual", "--log-level", "warn",
                                 "--max-connections", "1024"},
        std::map<std::string, std::string>{}, true);
    const std::string prefix = "tapird: listening on ";
    while (auto line = process_->readLine(std::chrono::seconds(20))) {
      if (line->rfind("tapird: switch ", 0) == 0) break;
      if (line->rfind(prefix, 0) != 0) continue;
      const std::string e = line->substr(prefix.size());
      (e.rfind("unix:", 0) == 0 ? unix_ : tcp_) = e;
    }
    if (!ok()) std::fprintf(stderr, "daemon_bench: tapird did not start:\n%s\n", process_->out().c_str());
  }
  ~Server() {
    process_->signal(SIGTERM);
    process_->finish(std::chrono::seconds(10));
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path dir_;
  std::unique_ptr<tapir::testing::Process> process_;
  std::string unix_, tcp_;
};

std::unique_ptr<Connection> connect(int transport) {
  auto c = Connection::open({Server::get().endpoint(transport)}, "", kTimeout);
  return c ? std::move(*c) : nullptr;
}

// N connected clients, set up outside the timed loop.
std::vector<std::unique_ptr<Connection>> connectAll(benchmark::State& state, int transport,
                                                    unsigned n) {
  std::vector<std::unique_ptr<Connection>> out;
  if (!Server::get().ok()) {
    state.SkipWithError("tapird did not start");
    return out;
  }
  for (unsigned i = 0; i < n; ++i) {
    out.push_back(connect(transport));
    if (!out.back()) {
      state.SkipWithError("cannot connect to tapird");
      out.clear();
      return out;
    }
  }
  return out;
}

// Runs f(i) on n threads at once and waits for them; false if any failed.
template <class F>
bool onThreads(unsigned n, F&& f) {
  std::atomic<bool> ok{true};
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      if (!f(i)) ok = false;
    });
  for (auto& t : threads) t.join();
  return ok;
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const std::size_t k = std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

void BM_RoundTrip(benchmark::State& state) {
  const int transport = static_cast<int>(state.range(0));
  const auto n = static_cast<unsigned>(state.range(1));
  constexpr unsigned kPerClient = 500;
  auto clients = connectAll(state, transport, n);
  if (clients.empty()) return;
  std::vector<std::vector<double>> samples(n);
  for (auto _ : state) {
    const bool ok = onThreads(n, [&](unsigned i) {
      for (unsigned k = 0; k < kPerClient; ++k) {
        const auto t0 = Clock::now();
        if (!clients[i]->request("lineCount", Json::object())) return false;
        samples[i].push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      }
      return true;
    });
    if (!ok) return state.SkipWithError("a request failed");
  }
  std::vector<double> all;
  for (auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n * kPerClient);
  state.counters["p50_us"] = percentile(all, 0.50);
  state.counters["p99_us"] = percentile(all, 0.99);
}

// One client playing both ends of its basic calls: an application with
// lines A and B (stations kFirstStation + 2i and + 2i + 1).
class CallPair {
 public:
  CallPair(Connection& c, unsigned i) : c_(c), numberB_(std::to_string(kFirstStation + 2 * i + 1)) {
    auto app = c_.request("initialize", {{"info", {{"friendlyName", "bench"}, {"moduleName", "bench"}}}});
    if (!app) return;
    app_ = app->get<std::uint32_t>();
    lineA_ = open(2 * i);
    lineB_ = open(2 * i + 1);
  }
  ~CallPair() {
    if (app_ != 0) (void)c_.request("shutdown", {{"app", app_}});
  }
  bool ready() const { return lineA_ != 0 && lineB_ != 0; }

  bool basicCall() {
    seen_.clear();
    replies_.clear();
    callA_ = callB_ = 0;
    auto req = c_.request("makeCall", {{"line", lineA_}, {"addressId", 0}, {"dest", numberB_}});
    if (!req) return false;
    const auto make = req->get<std::int64_t>();
    if (!until([&] { return replies_.count(make) && callB_ != 0 && seen(callB_, kOffering); }))
      return false;
    if (!await(c_.request("answer", {{"call", callB_}}))) return false;
    if (!until([&] { return seen(callA_, kConnected); })) return false;
    if (!await(c_.request("drop", {{"call", callA_}}))) return false;
    if (!until([&] { return seen(callB_, kDisconnected); })) return false;
    if (!await(c_.request("drop", {{"call", callB_}}))) return false;
    if (!until([&] { return seen(callA_, kIdle) && seen(callB_, kIdle); })) return false;
    return c_.request("deallocateCall", {{"call", callA_}}).isOk() &&
           c_.request("deallocateCall", {{"call", callB_}}).isOk();
  }

 private:
  std::uint32_t open(unsigned device) {
    auto line = c_.request("open", {{"app", app_},
                                    {"params",
                                     {{"deviceId", device},
                                      {"apiVersion", 0x00020002},
                                      {"callbackInstance", 0},
                                      {"privileges", 4},
                                      {"mediaModes", 4}}}});
    return line ? line->get<std::uint32_t>() : 0;
  }
  bool seen(std::uint32_t call, std::uint32_t state) const {
    return call != 0 && seen_.count({call, state}) != 0;
  }
  // A session operation's request id, then its LINE_REPLY.
  bool await(const tapir::Result<Json>& req) {
    if (!req) return false;
    const auto id = req->get<std::int64_t>();
    return until([&] { return replies_.count(id) != 0; });
  }
  // Takes events until done() holds.
  template <class F>
  bool until(F&& done) {
    while (!done()) {
      auto ev = c_.nextEvent(std::chrono::milliseconds(kTimeout));
      if (!ev) return false;
      const Json& e = *ev;
      if (e["event"] == "reply") {
        if (!e["status"].is_null()) return false;
        replies_.insert(e["request"].get<std::int64_t>());
        const Json& call = e["payload"]["call"];
        if (callA_ == 0 && call.is_number() && call.get<std::uint32_t>() != 0)
          callA_ = call.get<std::uint32_t>();
      } else if (e["event"] == "message") {
        const Json& m = e["message"];
        const auto id = m["id"].get<std::uint32_t>();
        if (id == kAppNewCallMsg && m["device"] == lineB_) callB_ = m["p2"].get<std::uint32_t>();
        if (id == kCallStateMsg)
          seen_.insert({m["device"].get<std::uint32_t>(), m["p1"].get<std::uint32_t>()});
      }
    }
    return true;
  }

  Connection& c_;
  std::string numberB_;
  std::uint32_t app_ = 0, lineA_ = 0, lineB_ = 0, callA_ = 0, callB_ = 0;
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen_;
  std::set<std::int64_t> replies_;
};

void BM_BasicCalls(benchmark::State& state) {
  const int transport = static_cast<int>(state.range(0));
  const auto n = static_cast<unsigned>(state.range(1));
  constexpr unsigned kPerClient = 20;
  auto clients = connectAll(state, transport, n);
  if (clients.empty()) return;
  std::vector<std::unique_ptr<CallPair>> pairs;
  for (unsigned i = 0; i < n; ++i) {
    pairs.push_back(std::make_unique<CallPair>(*clients[i], i));
    if (!pairs.back()->ready()) return state.SkipWithError("cannot open the lines");
  }
  for (auto _ : state) {
    const bool ok = onThreads(n, [&](unsigned i) {
      for (unsigned k = 0; k < kPerClient; ++k)
        if (!pairs[i]->basicCall()) return false;
      return true;
    });
    if (!ok) return state.SkipWithError("a basic call failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n * kPerClient);
}

BENCHMARK(BM_RoundTrip)
    ->ArgNames({"transport", "clients"})
    ->ArgsProduct({{0, 1}, {1, kMaxClients}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BasicCalls)
    ->ArgNames({"transport", "clients"})
    ->ArgsProduct({{0, 1}, {1, kMaxClients}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
