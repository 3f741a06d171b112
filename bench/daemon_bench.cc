// tapird over the wire: a real tapird (the Release build, a child process)
// and clients that speak the protocol (docs/protocol.md) over Boost.Beast.
// All clients of a benchmark run on this one thread, each an asynchronous
// state machine on one io_context, the way a dialer or a call-center server
// would talk to tapird; a request does not hold up the next one. The
// requests one turn of a client makes (a few handlers) go out as one
// message (a batch).
//
//   BM_RoundTrip/T/N       N connections over transport T (0: unix socket,
//                          1: TCP loopback), each sending `lineCount` and,
//                          on its answer, the next, 500 per iteration.
//                          items_per_second: requests/s (all clients);
//                          p50_us / p99_us: request latency.
//   BM_BasicCalls/T/N/K    N connections, each one application keeping K
//                          basic calls in flight, each between two lines of
//                          its own: makeCall, (OFFERING) answer, (CONNECTED)
//                          drop, (DISCONNECTED) drop, (IDLE) deallocate both;
//                          every LINE_REPLY and LINE_CALLSTATE awaited. A
//                          call that ends starts the next one. One
//                          iteration completes N x K calls.
//                          items_per_second: basic calls/s (all clients).
//
// The switch has 2 stations per call in flight and switch time stands
// still (--clock manual): rings start and are cancelled, never fire. Times
// are wall-clock (UseRealTime): the work is split between this process and
// tapird.
//
// Figures and the command that produced them: docs/performance.md.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/endpoint.h"
#include "protocol/codec.h"
#include "support/process.h"

namespace {

using Json = tapir::protocol::Json;
using Clock = std::chrono::steady_clock;

constexpr unsigned kMaxClients = 50;
constexpr unsigned kMaxInFlight = 64;  // basic calls per client
constexpr unsigned kFirstStation = 1000;
constexpr std::uint32_t kCallStateMsg = 2, kAppNewCallMsg = 23;
constexpr std::uint32_t kOffering = 0x2, kConnected = 0x100, kDisconnected = 0x4000, kIdle = 0x1;
constexpr auto kTimeout = std::chrono::seconds(10);  // only ever reached when stuck
constexpr int kHandlersPerTurn = 4;  // 1 and 4 measured alike; 16: a third fewer calls/s

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
                          << kFirstStation << "-" << kFirstStation + 2 * kMaxClients * kMaxInFlight - 1 << "\"\n";
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

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;

// What the benchmark reads of a server frame. The clients read messages with
// nlohmann's SAX interface into this, rather than building a JSON tree of
// each: like a lean application, they look only at the fields they use, so
// that more of the machine is left to tapird.
struct Frame {
  enum class Kind { kResponse, kError, kReply, kMessage, kOther } kind = Kind::kOther;
  std::uint64_t id = 0;         // kResponse, kError
  std::int64_t result = 0;      // kResponse: a number result (a request id)
  std::int64_t request = 0;     // kReply
  std::uint32_t replyCall = 0;  // kReply: payload.call
  bool replyOk = true;          // kReply: status null
  std::uint32_t device = 0, message = 0;  // kMessage
  std::uint64_t p1 = 0, p2 = 0;           // kMessage
};

// Frames out of one server message (an object, or an array of them).
class FrameReader {
 public:
  explicit FrameReader(std::function<void(const Frame&)> onFrame) : onFrame_(std::move(onFrame)) {}
  // False if the text is not JSON.
  bool read(std::string_view text) { return Json::sax_parse(text, this); }

  // nlohmann::json_sax
  bool null() {
    if (depth_ == 1 && top_ == "status") frame_.replyOk = true;
    return true;
  }
  bool boolean(bool) { return true; }
  bool number_integer(Json::number_integer_t v) { return number(static_cast<std::uint64_t>(v), v); }
  bool number_unsigned(Json::number_unsigned_t v) { return number(v, static_cast<std::int64_t>(v)); }
  bool number_float(Json::number_float_t, const std::string&) { return true; }
  bool string(std::string& v) {
    if (depth_ == 1 && top_ == "event")
      frame_.kind = v == "reply" ? Frame::Kind::kReply
                    : v == "message" ? Frame::Kind::kMessage
                                     : Frame::Kind::kOther;
    return true;
  }
  bool binary(Json::binary_t&) { return true; }
  bool start_object(std::size_t) {
    if (++depth_ == 1) frame_ = Frame{};
    return true;
  }
  bool key(std::string& k) {
    if (depth_ == 1) {
      top_ = k;
      if (k == "error") frame_.kind = Frame::Kind::kError;
      if (k == "status") frame_.replyOk = false;  // unless it is null
    } else if (depth_ == 2) {
      inner_ = k;
    }
    return true;
  }
  bool end_object() {
    if (--depth_ == 0) onFrame_(frame_);
    return true;
  }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

 private:
  bool number(std::uint64_t u, std::int64_t i) {
    if (depth_ == 1) {
      if (top_ == "id") {
        frame_.id = u;
        if (frame_.kind == Frame::Kind::kOther) frame_.kind = Frame::Kind::kResponse;
      } else if (top_ == "result") {
        frame_.result = i;
      } else if (top_ == "request") {
        frame_.request = i;
      }
    } else if (depth_ == 2) {
      if (top_ == "message") {
        if (inner_ == "device") frame_.device = static_cast<std::uint32_t>(u);
        if (inner_ == "id") frame_.message = static_cast<std::uint32_t>(u);
        if (inner_ == "p1") frame_.p1 = u;
        if (inner_ == "p2") frame_.p2 = u;
      } else if (top_ == "payload" && inner_ == "call") {
        frame_.replyCall = static_cast<std::uint32_t>(u);
      }
    }
    return true;
  }

  std::function<void(const Frame&)> onFrame_;
  Frame frame_;
  int depth_ = 0;  // of objects: 1 is a frame
  std::string top_, inner_;  // the last key at depth 1 and 2
};

// One connection to tapird on the benchmark's io_context. Setting up
// (connect, hello, initialize, open) waits for each answer; afterwards
// request() sends without waiting, queued behind the write in progress, and
// every frame that comes in goes to the response's callback or onEvent.
class Client {
 public:
  using OnResponse = std::function<void(const Frame& response)>;
  virtual ~Client() = default;

  // Setup only: sends a request and reads until its answer (events before
  // it are dropped).
  std::optional<Json> call(const std::string& method, const Json& params) {
    const std::uint64_t id = nextId_++;
    if (!writeNow(tapir::protocol::encodeRequest(id, method, params))) return std::nullopt;
    for (;;) {
      std::string text;
      if (!readNow(text)) return std::nullopt;
      auto frames = tapir::protocol::parseServerMessage(text);
      if (!frames) return std::nullopt;
      for (auto& f : *frames) {
        if (f.kind == tapir::protocol::ServerFrame::Kind::kEvent || f.id != id) continue;
        if (f.kind == tapir::protocol::ServerFrame::Kind::kError) return std::nullopt;
        return std::move(f.result);
      }
    }
  }

  // From here on, frames are read asynchronously.
  void start(std::function<void(const Frame&)> onEvent) {
    onEvent_ = std::move(onEvent);
    readNext();
  }
  // Sent with the others of this turn at flush().
  void request(const std::string& method, const Json& params, OnResponse done) {
    const std::uint64_t id = nextId_++;
    waiting_.emplace(id, std::move(done));
    batch_.push_back(tapir::protocol::encodeRequest(id, method, params));
  }
  // The requests of this turn, as one message (a batch when several).
  void flush() {
    if (batch_.empty()) return;
    out_.push_back(batch_.size() == 1 ? std::move(batch_.front())
                                      : tapir::protocol::encodeBatch(batch_));
    batch_.clear();
    if (!writing_) writeNext();
  }
  bool failed() const { return failed_; }
  void fail() { failed_ = true; }
  std::size_t waiting() const { return waiting_.size(); }

 protected:
  virtual bool writeNow(const std::string& text) = 0;
  virtual bool readNow(std::string& text) = 0;
  virtual void writeNext() = 0;
  virtual void readNext() = 0;

  // One message from the server: a frame or a batch of them.
  void received(std::string_view text) {
    if (!reader_.read(text)) fail();
  }
  void frame1(const Frame& frame) {
    if (frame.kind != Frame::Kind::kResponse && frame.kind != Frame::Kind::kError)
      return onEvent_(frame);
    auto it = waiting_.find(frame.id);
    if (it == waiting_.end() || frame.kind == Frame::Kind::kError) return fail();
    OnResponse done = std::move(it->second);
    waiting_.erase(it);
    done(frame);
  }

  std::deque<std::string> out_;  // front: being written
  bool writing_ = false;

 private:
  std::uint64_t nextId_ = 1;
  std::vector<std::string> batch_;
  std::unordered_map<std::uint64_t, OnResponse> waiting_;
  std::function<void(const Frame&)> onEvent_;
  FrameReader reader_{[this](const Frame& f) { frame1(f); }};
  bool failed_ = false;
};

template <class Socket>
class ClientOn final : public Client {
 public:
  explicit ClientOn(asio::io_context& io) : ws_(io) {}

  bool connect(const tapir::net::Endpoint& e) {
    boost::system::error_code ec;
    if constexpr (std::is_same_v<Socket, asio::ip::tcp::socket>) {
      const asio::ip::tcp::endpoint to(asio::ip::make_address(e.host, ec), e.port);
      if (ec || ws_.next_layer().connect(to, ec)) return false;
      ws_.next_layer().set_option(asio::ip::tcp::no_delay(true), ec);
    } else {
      if (ws_.next_layer().connect(asio::local::stream_protocol::endpoint(e.path), ec)) return false;
    }
    ws_.handshake(e.kind == tapir::net::Endpoint::Kind::kUnix ? "localhost" : e.host, "/", ec);
    if (ec) return false;
    ws_.text(true);
    ws_.auto_fragment(false);  // as net::Client: a message is one frame
    ws_.write_buffer_bytes(64 * 1024);
    return call("hello", {{"version", 1}, {"client", "daemon_bench"}}).has_value();
  }

 private:
  bool writeNow(const std::string& text) override {
    boost::system::error_code ec;
    ws_.write(asio::buffer(text), ec);
    return !ec;
  }
  bool readNow(std::string& text) override {
    boost::system::error_code ec;
    ws_.read(buf_, ec);
    if (ec) return false;
    text = boost::beast::buffers_to_string(buf_.data());
    buf_.consume(buf_.size());
    return true;
  }
  void writeNext() override {
    writing_ = true;
    ws_.async_write(asio::buffer(out_.front()), [this](boost::system::error_code ec, std::size_t) {
      if (ec) return fail();
      out_.pop_front();
      if (out_.empty()) {
        writing_ = false;
      } else {
        writeNext();
      }
    });
  }
  void readNext() override {
    ws_.async_read(buf_, [this](boost::system::error_code ec, std::size_t) {
      if (ec) return fail();
      const auto data = buf_.data();
      received(std::string_view(static_cast<const char*>(data.data()), data.size()));
      buf_.consume(buf_.size());
      readNext();
    });
  }

  websocket::stream<Socket> ws_;
  boost::beast::flat_buffer buf_;
};

// N clients over one transport, connected outside the timed loop, on one
// io_context. Declared in this order so the clients go before the context.
struct Clients {
  asio::io_context io;
  std::vector<std::unique_ptr<Client>> all;

  bool open(benchmark::State& state, int transport, unsigned n) {
    if (!Server::get().ok()) {
      state.SkipWithError("tapird did not start");
      return false;
    }
    auto e = tapir::net::parseEndpoint(Server::get().endpoint(transport));
    for (unsigned i = 0; e && i < n; ++i) {
      bool ok = false;
      if (transport == 0) {
        auto c = std::make_unique<ClientOn<asio::local::stream_protocol::socket>>(io);
        ok = c->connect(*e);
        all.push_back(std::move(c));
      } else {
        auto c = std::make_unique<ClientOn<asio::ip::tcp::socket>>(io);
        ok = c->connect(*e);
        all.push_back(std::move(c));
      }
      if (!ok) break;
    }
    if (all.size() == n && !all.empty()) return true;
    state.SkipWithError("cannot connect to tapird");
    return false;
  }
  bool failed() const {
    return std::any_of(all.begin(), all.end(), [](const auto& c) { return c->failed(); });
  }
  // Runs handlers until done() holds; false when a client failed or nothing
  // came for kTimeout. A turn: the requests made so far go out, one handler
  // runs (waiting for it), then up to kHandlersPerTurn - 1 others that are
  // ready. Small turns keep requests flowing while a burst of the server's
  // messages is still being read, so both processes work at once.
  template <class F>
  bool runUntil(F&& done) {
    while (!done()) {
      if (failed()) return false;
      for (auto& c : all) c->flush();
      if (io.run_one_for(kTimeout) == 0) return false;
      for (int i = 1; i < kHandlersPerTurn && io.poll_one() > 0; ++i) {
      }
    }
    return !failed();
  }
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const std::size_t k = std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// One client's requests in a chain: each answer sends the next.
struct Pinger {
  Client* client;
  std::vector<double>* samples;
  unsigned left = 0;
  void send() {
    const auto t0 = Clock::now();
    client->request("lineCount", Json::object(), [this, t0](const Frame&) {
      samples->push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      if (--left > 0) send();
    });
  }
};

void BM_RoundTrip(benchmark::State& state) {
  const int transport = static_cast<int>(state.range(0));
  const auto n = static_cast<unsigned>(state.range(1));
  constexpr unsigned kPerClient = 500;
  Clients clients;
  if (!clients.open(state, transport, n)) return;
  std::vector<double> samples;
  std::vector<Pinger> pingers;
  for (auto& c : clients.all) {
    c->start([](const Frame&) {});
    pingers.push_back(Pinger{c.get(), &samples});
  }
  for (auto _ : state) {
    for (auto& p : pingers) {
      p.left = kPerClient;
      p.send();
    }
    const bool ok = clients.runUntil([&] {
      return std::all_of(pingers.begin(), pingers.end(), [](const Pinger& p) { return p.left == 0; });
    });
    if (!ok) return state.SkipWithError("a request failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n * kPerClient);
  state.counters["p50_us"] = percentile(samples, 0.50);
  state.counters["p99_us"] = percentile(samples, 0.99);
}

// One client: an application keeping K basic calls in flight, call s
// between its lines on devices 2(iK + s) and 2(iK + s) + 1.
class Caller {
 public:
  Caller(Client& c, unsigned i, unsigned k, std::uint64_t& completed)
      : c_(c), slots_(k), completed_(completed) {
    auto app = c_.call("initialize", {{"info", {{"friendlyName", "bench"}, {"moduleName", "bench"}}}});
    if (!app) return;
    app_ = app->get<std::uint32_t>();
    for (unsigned s = 0; s < k; ++s) {
      const unsigned device = 2 * (i * k + s);
      slots_[s].lineA = open(device);
      slots_[s].lineB = open(device + 1);
      slots_[s].numberB = std::to_string(kFirstStation + device + 1);
      if (slots_[s].lineA == 0 || slots_[s].lineB == 0) return;
      byLine_[slots_[s].lineB] = s;
    }
    ready_ = true;
    c_.start([this](const Frame& e) { onEvent(e); });
  }
  bool ready() const { return ready_; }
  void startAll() {
    stopping_ = false;
    for (Slot& s : slots_)
      if (s.stage == Stage::kIdle) begin(s);
  }
  // Calls that end start no new ones.
  void stop() { stopping_ = true; }
  bool idle() const {
    return std::all_of(slots_.begin(), slots_.end(),
                       [](const Slot& s) { return s.stage == Stage::kIdle; });
  }
  void shutdown(bool& done) {
    c_.request("shutdown", {{"app", app_}}, [&done](const Frame&) { done = true; });
  }

 private:
  enum class Stage { kIdle, kMaking, kAnswering, kDroppingA, kDroppingB, kDeallocating };
  struct Slot {
    std::uint32_t lineA = 0, lineB = 0, callA = 0, callB = 0;
    std::string numberB;
    Stage stage = Stage::kIdle;
    bool replied = false;  // the LINE_REPLY of this stage's request came
    bool offeredB = false, connectedA = false, disconnectedB = false, idleA = false, idleB = false;
    int deallocating = 0;
  };

  std::uint32_t open(unsigned device) {
    auto line = c_.call("open", {{"app", app_},
                                 {"params",
                                  {{"deviceId", device},
                                   {"apiVersion", 0x00020002},
                                   {"callbackInstance", 0},
                                   {"privileges", 4},
                                   {"mediaModes", 4}}}});
    return line ? line->get<std::uint32_t>() : 0;
  }
  std::size_t index(const Slot& s) const { return static_cast<std::size_t>(&s - slots_.data()); }

  // A session operation: its request id comes in the response, its result
  // later in a reply event.
  void operation(Slot& s, Stage next, const char* method, std::uint32_t call) {
    s.stage = next;
    s.replied = false;
    const std::size_t slot = index(s);
    Json params = next == Stage::kMaking
                      ? Json{{"line", s.lineA}, {"addressId", 0}, {"dest", s.numberB}}
                      : Json{{"call", call}};
    c_.request(method, params, [this, slot](const Frame& r) { byRequest_[r.result] = slot; });
  }
  void begin(Slot& s) {
    s.callA = s.callB = 0;
    s.offeredB = s.connectedA = s.disconnectedB = s.idleA = s.idleB = false;
    operation(s, Stage::kMaking, "makeCall", 0);
  }
  void advance(Slot& s) {
    switch (s.stage) {
      case Stage::kMaking:
        if (s.replied && s.callB != 0 && s.offeredB) operation(s, Stage::kAnswering, "answer", s.callB);
        break;
      case Stage::kAnswering:
        if (s.replied && s.connectedA) operation(s, Stage::kDroppingA, "drop", s.callA);
        break;
      case Stage::kDroppingA:
        if (s.replied && s.disconnectedB) operation(s, Stage::kDroppingB, "drop", s.callB);
        break;
      case Stage::kDroppingB:
        if (s.replied && s.idleA && s.idleB) {
          s.stage = Stage::kDeallocating;
          s.deallocating = 2;
          for (std::uint32_t call : {s.callA, s.callB}) {
            byCall_.erase(call);
            c_.request("deallocateCall", {{"call", call}}, [this, &s](const Frame&) {
              if (--s.deallocating > 0) return;
              s.stage = Stage::kIdle;
              ++completed_;
              if (!stopping_) begin(s);
            });
          }
        }
        break;
      default:
        break;
    }
  }
  void onEvent(const Frame& e) {
    if (e.kind == Frame::Kind::kReply) {
      auto it = byRequest_.find(e.request);
      if (it == byRequest_.end()) return;
      Slot& s = slots_[it->second];
      byRequest_.erase(it);
      if (!e.replyOk) return c_.fail();
      s.replied = true;
      if (s.stage == Stage::kMaking) {
        s.callA = e.replyCall;
        byCall_[s.callA] = index(s);
      }
      return advance(s);
    }
    if (e.kind != Frame::Kind::kMessage) return;
    if (e.message == kAppNewCallMsg) {
      auto it = byLine_.find(e.device);
      if (it == byLine_.end()) return;
      Slot& s = slots_[it->second];
      s.callB = static_cast<std::uint32_t>(e.p2);
      byCall_[s.callB] = it->second;
    } else if (e.message == kCallStateMsg) {
      auto it = byCall_.find(e.device);
      if (it == byCall_.end()) return;
      Slot& s = slots_[it->second];
      const bool a = e.device == s.callA;
      if (!a && e.p1 == kOffering) s.offeredB = true;
      if (a && e.p1 == kConnected) s.connectedA = true;
      if (!a && e.p1 == kDisconnected) s.disconnectedB = true;
      if (e.p1 == kIdle) (a ? s.idleA : s.idleB) = true;
      advance(s);
    }
  }

  Client& c_;
  std::vector<Slot> slots_;
  std::uint64_t& completed_;
  std::uint32_t app_ = 0;
  bool ready_ = false;
  bool stopping_ = false;
  std::unordered_map<std::uint32_t, std::size_t> byLine_;     // line B -> slot
  std::unordered_map<std::uint32_t, std::size_t> byCall_;     // call A or B -> slot
  std::unordered_map<std::int64_t, std::size_t> byRequest_;   // async request id -> slot
};

void BM_BasicCalls(benchmark::State& state) {
  const int transport = static_cast<int>(state.range(0));
  const auto n = static_cast<unsigned>(state.range(1));
  const auto k = static_cast<unsigned>(state.range(2));
  Clients clients;
  if (!clients.open(state, transport, n)) return;
  std::uint64_t completed = 0;
  std::vector<std::unique_ptr<Caller>> callers;
  for (unsigned i = 0; i < n; ++i) {
    callers.push_back(std::make_unique<Caller>(*clients.all[i], i, k, completed));
    if (!callers.back()->ready()) return state.SkipWithError("cannot open the lines");
  }
  for (auto& c : callers) c->startAll();
  for (auto _ : state) {
    const std::uint64_t target = completed + std::uint64_t{n} * k;
    if (!clients.runUntil([&] { return completed >= target; }))
      return state.SkipWithError("a basic call failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n * k);
  // Let the calls in flight end, and the applications go, before the next run.
  for (auto& c : callers) c->stop();
  bool ended = clients.runUntil([&] {
    return std::all_of(callers.begin(), callers.end(), [](const auto& c) { return c->idle(); });
  });
  auto gone = std::make_unique<bool[]>(n);
  for (unsigned i = 0; ended && i < n; ++i) callers[i]->shutdown(gone[i]);
  if (ended) ended = clients.runUntil([&] { return std::all_of(&gone[0], &gone[n], [](bool g) { return g; }); });
  if (!ended) state.SkipWithError("the calls in flight did not end");
}

BENCHMARK(BM_RoundTrip)
    ->ArgNames({"transport", "clients"})
    ->ArgsProduct({{0, 1}, {1, kMaxClients}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BasicCalls)
    ->ArgNames({"transport", "clients", "inflight"})
    ->ArgsProduct({{0, 1}, {1, kMaxClients}, {1, kMaxInFlight}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
