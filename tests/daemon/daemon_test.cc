// The real tapird over the wire: handshake, a call between two clients,
// handle isolation, misbehaving clients, a client vanishing mid-call,
// SIGTERM, and HTTP /metrics and /health.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "daemon_client.h"
#include "support/certificate.h"
#include "support/process.h"

namespace tapir::testing {
namespace {

constexpr std::uint32_t kCallState = 2, kClose = 3, kAppNewCall = 23;
constexpr std::uint32_t kOffering = 0x2, kConnected = 0x100, kDisconnected = 0x4000,
                        kIdle = 0x1;

bool isReply(const Json& e, std::int64_t request) {
  return e["event"] == "reply" && e["request"] == request;
}
bool isState(const Json& e, std::uint32_t call, std::uint32_t state) {
  return e["event"] == "message" && e["message"]["id"] == kCallState &&
         e["message"]["device"] == call && e["message"]["p1"] == state;
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(daemon_.started()); }

  // A greeted client with one application and device `deviceId` open as owner.
  struct Party {
    std::unique_ptr<TestClient> c;
    std::uint32_t app = 0, line = 0;
  };
  Party party(std::uint32_t deviceId, bool overUnix = true) {
    Party p;
    p.c = TestClient::connect(overUnix ? daemon_.unixEndpoint() : daemon_.wsEndpoint());
    EXPECT_TRUE(p.c && p.c->hello());
    p.app = p.c->call("initialize", {{"info", {{"friendlyName", "t"}, {"moduleName", "t"}}}});
    p.line = p.c->call("open", {{"app", p.app},
                                {"params",
                                 {{"deviceId", deviceId},
                                  {"apiVersion", 0x00020002},
                                  {"callbackInstance", 7},
                                  {"privileges", 4},
                                  {"mediaModes", 4}}}});
    return p;
  }
  // Moves switch time in small steps (driver) until `who` has an event
  // matching pred; sim.settle on `who` makes sure it has everything sent.
  std::optional<Json> until(TestClient& driver, TestClient& who,
                            const std::function<bool(const Json&)>& pred) {
    for (int i = 0; i < 100; ++i) {
      who.call("sim.settle");
      for (const Json& e : who.events()) {
        if (pred(e)) return who.takeEvent(pred);
      }
      driver.call("sim.advance", {{"ms", 100}});
    }
    ADD_FAILURE() << "no such event";
    return std::nullopt;
  }
  // A calls B and B answers: {A's call, B's call}.
  std::pair<std::uint32_t, std::uint32_t> connect(Party& a, Party& b) {
    const auto req = a.c->call("makeCall", {{"line", a.line}, {"addressId", 0}, {"dest", "202"}});
    EXPECT_GT(req.get<std::int64_t>(), 0);
    auto reply = until(*a.c, *a.c, [&](const Json& e) { return isReply(e, req); });
    EXPECT_TRUE(reply && (*reply)["status"].is_null());
    const std::uint32_t ca = reply ? (*reply)["payload"]["call"].get<std::uint32_t>() : 0;
    auto newCall = until(*a.c, *b.c, [&](const Json& e) {
      return e["event"] == "message" && e["message"]["id"] == kAppNewCall;
    });
    EXPECT_TRUE(newCall.has_value());
    const std::uint32_t cb = newCall ? (*newCall)["message"]["p2"].get<std::uint32_t>() : 0;
    EXPECT_EQ((*newCall)["app"], b.app);
    EXPECT_TRUE(until(*a.c, *b.c, [&](const Json& e) { return isState(e, cb, kOffering); }));
    const auto ans = b.c->call("answer", {{"call", cb}});
    auto answered = until(*b.c, *b.c, [&](const Json& e) { return isReply(e, ans); });
    EXPECT_TRUE(answered && (*answered)["status"].is_null());
    EXPECT_TRUE(until(*b.c, *b.c, [&](const Json& e) { return isState(e, cb, kConnected); }));
    EXPECT_TRUE(until(*b.c, *a.c, [&](const Json& e) { return isState(e, ca, kConnected); }));
    return {ca, cb};
  }

  Daemon daemon_;
};

TEST_F(DaemonTest, HelloAnswersWithTheSwitch) {
  auto c = TestClient::connect(daemon_.wsEndpoint());
  ASSERT_TRUE(c);
  Json r = c->call("hello", {{"version", 1}, {"client", "test"}});
  EXPECT_EQ(r["version"], 1);
  EXPECT_EQ(r["switch"], "demo");
  EXPECT_EQ(r["lineCount"], 8);
  EXPECT_EQ(c->call("lineCount"), 8);
  Json again = c->error("hello", {{"version", 1}});
  EXPECT_EQ(again["fault"], "BadParam");
  EXPECT_FALSE(c->closed());
}

TEST_F(DaemonTest, WrongVersionIsRefusedAndClosed) {
  auto c = TestClient::connect(daemon_.unixEndpoint());
  Json e = c->error("hello", {{"version", 2}});
  EXPECT_EQ(e["fault"], "IncompatibleVersion");
  EXPECT_TRUE(c->waitClosed());
}

TEST_F(DaemonTest, RequestBeforeHelloIsRefusedAndClosed) {
  auto c = TestClient::connect(daemon_.unixEndpoint());
  Json e = c->error("lineCount");
  EXPECT_EQ(e["fault"], "BadParam");
  EXPECT_NE(e["message"].get<std::string>().find("hello first"), std::string::npos);
  EXPECT_TRUE(c->waitClosed());
}

TEST_F(DaemonTest, UnknownMethodIsAnErrorOnly) {
  auto c = TestClient::connect(daemon_.unixEndpoint());
  ASSERT_TRUE(c->hello());
  Json e = c->error("noSuchMethod");
  EXPECT_EQ(e["fault"], "BadParam");
  EXPECT_EQ(c->call("lineCount"), 8);
}

TEST_F(DaemonTest, BasicCallBetweenTwoClients) {
  Party a = party(0), b = party(1, false);
  auto [ca, cb] = connect(a, b);
  // Info as B sees it.
  Json info = b.c->call("callInfo", {{"call", cb}});
  EXPECT_EQ(info["line"], b.line);
  Json snap = b.c->call("snapshot");
  EXPECT_EQ(snap["apps"], Json::array({b.app}));
  ASSERT_EQ(snap["calls"].size(), 1u);
  EXPECT_EQ(snap["calls"][0]["call"], cb);
  // A hangs up.
  const auto drop = a.c->call("drop", {{"call", ca}});
  EXPECT_TRUE(until(*a.c, *a.c, [&](const Json& e) { return isReply(e, drop); }));
  EXPECT_TRUE(until(*a.c, *b.c, [&](const Json& e) { return isState(e, cb, kDisconnected); }));
  EXPECT_TRUE(until(*a.c, *a.c, [&](const Json& e) { return isState(e, ca, kIdle); }));
  EXPECT_TRUE(a.c->call("deallocateCall", {{"call", ca}}).is_null());
  EXPECT_TRUE(a.c->call("shutdown", {{"app", a.app}}).is_null());
}

TEST_F(DaemonTest, AnotherClientsHandlesAreBadHandles) {
  Party a = party(0), b = party(1);
  auto [ca, cb] = connect(a, b);
  (void)cb;
  EXPECT_EQ(b.c->error("drop", {{"call", ca}})["fault"], "BadCallHandle");
  EXPECT_EQ(b.c->error("callInfo", {{"call", ca}})["fault"], "BadCallHandle");
  EXPECT_EQ(b.c->error("makeCall", {{"line", a.line}, {"addressId", 0}, {"dest", "203"}})["fault"],
            "BadLineHandle");
  EXPECT_EQ(b.c->error("shutdown", {{"app", a.app}})["fault"], "BadAppHandle");
  EXPECT_EQ(b.c->call("appOf", {{"handle", ca}}), 0);
  EXPECT_EQ(b.c->call("appOf", {{"handle", a.line}}), 0);
  EXPECT_EQ(a.c->call("appOf", {{"handle", ca}}), a.app);
  // A's call is untouched.
  EXPECT_EQ(a.c->call("callStatus", {{"call", ca}})["status"]["state"], kConnected);
}

TEST_F(DaemonTest, MalformedJsonDisconnectsOnlyThatClient) {
  auto good = TestClient::connect(daemon_.unixEndpoint());
  ASSERT_TRUE(good->hello());
  auto bad = TestClient::connect(daemon_.unixEndpoint());
  ASSERT_TRUE(bad->hello());
  bad->sendRaw("{\"id\": 5, \"method\": ");
  Json r = bad->response(0);
  ASSERT_TRUE(r.contains("error")) << r.dump();
  EXPECT_EQ(r["error"]["fault"], "BadParam");
  EXPECT_TRUE(bad->waitClosed());
  EXPECT_EQ(good->call("lineCount"), 8);
}

// Several requests in one message: each answered as if sent alone, in order.
TEST_F(DaemonTest, ABatchOfRequestsIsAnsweredInOrder) {
  Party a = party(0);
  std::vector<std::string> frames = {
      protocol::encodeRequest(101, "lineCount", Json::object()),
      protocol::encodeRequest(102, "noSuchMethod", Json::object()),
      protocol::encodeRequest(103, "makeCall", {{"line", a.line}, {"addressId", 0}, {"dest", "202"}}),
      protocol::encodeRequest(104, "appOf", {{"handle", a.line}})};
  a.c->sendRaw(protocol::encodeBatch(frames));
  EXPECT_EQ(a.c->response(101)["result"], 8);
  EXPECT_EQ(a.c->response(102)["error"]["fault"], "BadParam");
  const Json made = a.c->response(103);
  ASSERT_TRUE(made["result"].is_number()) << made.dump();
  EXPECT_EQ(a.c->response(104)["result"], a.app);
  auto reply = until(*a.c, *a.c, [&](const Json& e) { return isReply(e, made["result"].get<std::int64_t>()); });
  ASSERT_TRUE(reply.has_value());
  EXPECT_TRUE((*reply)["status"].is_null());
  EXPECT_FALSE(a.c->closed());
}

// A malformed element is answered like a malformed message, and the
// connection goes; what came before it in the batch was done.
TEST_F(DaemonTest, AMalformedFrameInABatchDisconnects) {
  auto c = TestClient::connect(daemon_.unixEndpoint());
  ASSERT_TRUE(c->hello());
  c->sendRaw("[" + protocol::encodeRequest(201, "lineCount", Json::object()) +
             R"(, {"id": 202, "method": 5}, )" +
             protocol::encodeRequest(203, "lineCount", Json::object()) + "]");
  EXPECT_EQ(c->response(201)["result"], 8);
  EXPECT_EQ(c->response(202)["error"]["fault"], "BadParam");
  EXPECT_TRUE(c->waitClosed());
}

TEST_F(DaemonTest, OversizedFrameDisconnectsOnlyThatClient) {
  auto good = TestClient::connect(daemon_.wsEndpoint());
  ASSERT_TRUE(good->hello());
  auto big = TestClient::connect(daemon_.wsEndpoint());
  ASSERT_TRUE(big->hello());
  big->sendRaw(protocol::encodeRequest(9, "lineCount", {{"pad", std::string(1100000, 'x')}}));
  EXPECT_TRUE(big->waitClosed());
  EXPECT_EQ(good->call("lineCount"), 8);
}

TEST_F(DaemonTest, ClientGoneMidCallDropsItsCall) {
  Party a = party(0), b = party(1);
  auto [ca, cb] = connect(a, b);
  (void)ca;
  a.c.reset();  // the connection ends without a shutdown
  EXPECT_TRUE(until(*b.c, *b.c, [&](const Json& e) { return isState(e, cb, kDisconnected); }));
  EXPECT_TRUE(b.c->call("drop", {{"call", cb}}).get<std::int64_t>() > 0);
  EXPECT_TRUE(until(*b.c, *b.c, [&](const Json& e) { return isState(e, cb, kIdle); }));
}

TEST_F(DaemonTest, SigtermClosesLinesThenSaysShutdown) {
  Party a = party(0), b = party(1, false);
  auto [ca, cb] = connect(a, b);
  (void)ca;
  (void)cb;
  a.c->call("sim.settle");
  b.c->call("sim.settle");
  EXPECT_EQ(daemon_.stop(SIGTERM), 0);
  for (Party* p : {&a, &b}) {
    ASSERT_TRUE(p->c->waitClosed());
    const std::vector<Json> events = p->c->events();
    std::ptrdiff_t closeAt = -1, shutdownAt = -1;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const Json& e = events[i];
      if (e["event"] == "message" && e["message"]["id"] == kClose &&
          e["message"]["device"] == p->line)
        closeAt = static_cast<std::ptrdiff_t>(i);
      if (e["event"] == "shutdown") shutdownAt = static_cast<std::ptrdiff_t>(i);
    }
    EXPECT_GE(closeAt, 0) << "no LINE_CLOSE";
    EXPECT_GT(shutdownAt, closeAt) << "shutdown must come after LINE_CLOSE";
    EXPECT_EQ(shutdownAt, static_cast<std::ptrdiff_t>(events.size()) - 1) << "shutdown is last";
  }
}

TEST_F(DaemonTest, DialingRulesOfTheServer) {
  auto c = TestClient::connect(daemon_.wsEndpoint());
  ASSERT_TRUE(c->hello());
  EXPECT_EQ(c->call("translateAddress", {{"address", "+1 (206) 555-0100"}})["dialable"],
            "912065550100");
  const Json e = c->error("translateAddress", {{"address", "+1 (4x5"}});
  EXPECT_EQ(e["fault"], "BadAddress") << e.dump();
}

TEST_F(DaemonTest, MetricsAndHealth) {
  Party a = party(0);
  (void)a.c->error("drop", {{"call", 12345}});
  const std::string health = daemon_.httpGet("/health");
  EXPECT_NE(health.find("200"), std::string::npos) << health;
  EXPECT_NE(health.find("\r\n\r\nok"), std::string::npos) << health;
  const std::string m = daemon_.httpGet("/metrics");
  EXPECT_NE(m.find("tapird_connections 1"), std::string::npos) << m;
  EXPECT_NE(m.find("tapird_requests_total{method=\"hello\"} 1"), std::string::npos) << m;
  EXPECT_NE(m.find("tapird_request_errors_total{method=\"drop\"} 1"), std::string::npos) << m;
  EXPECT_NE(m.find("tapird_request_duration_seconds_count"), std::string::npos) << m;
  EXPECT_NE(daemon_.httpGet("/nope").find("404"), std::string::npos);
}

TEST(DaemonTokens, TokenRequiredOverTcpNotForTheSameUserOnUnix) {
  Daemon d({"--token", "s3cret"});
  ASSERT_TRUE(d.started());
  auto bad = TestClient::connect(d.wsEndpoint());
  Json e = bad->error("hello", {{"version", 1}, {"token", "wrong"}});
  EXPECT_EQ(e["code"], "PERMISSION_DENIED");
  EXPECT_FALSE(e.contains("fault"));
  EXPECT_TRUE(bad->waitClosed());
  auto none = TestClient::connect(d.wsEndpoint());
  EXPECT_FALSE(none->hello());
  auto good = TestClient::connect(d.wsEndpoint());
  EXPECT_TRUE(good->hello("s3cret"));
  auto local = TestClient::connect(d.unixEndpoint());
  EXPECT_TRUE(local->hello());
}

TEST(DaemonTokens, RequireTokenAppliesToUnixPeersToo) {
  Daemon d({"--token", "s3cret", "--require-token"});
  ASSERT_TRUE(d.started());
  auto local = TestClient::connect(d.unixEndpoint());
  EXPECT_FALSE(local->hello());
  auto good = TestClient::connect(d.unixEndpoint());
  EXPECT_TRUE(good->hello("s3cret"));
}

// A real TAPI application (examples/dialer.c, remote through TAPIR_SERVER)
// killed with SIGKILL while its call rings: the server notices the lost
// connection, shuts the application down as TAPI does, and its call goes.
TEST(DaemonClients, KilledApplicationLeavesNoCall) {
  Daemon d;
  ASSERT_TRUE(d.started());
  auto admin = TestClient::connect(d.unixEndpoint());
  ASSERT_TRUE(admin->hello());
  auto callsAt201 = [&] {
    std::vector<std::string> states;
    const Json r = admin->call("console.calls");
    for (const Json& c : r["calls"])
      if (c["station"] == "201") states.push_back(c["state"]);
    return states;
  };
  Process dialer({DIALER_BIN, "95550188"}, {{"TAPIR_SERVER", d.unixEndpoint().toString()}});
  ASSERT_TRUE(dialer.started()) << dialer.startError();
  bool ringing = false;
  for (int i = 0; i < 200 && !ringing; ++i) {
    admin->call("sim.advance", {{"ms", 100}});
    admin->call("sim.settle");
    const auto states = callsAt201();
    ringing = states.size() == 1 && states[0] == "RINGBACK";
    if (!ringing) ::usleep(10 * 1000);  // the dialer is a process of its own
  }
  ASSERT_TRUE(ringing) << "the dialer's call never rang; it said: " << dialer.out()
                       << dialer.err();

  dialer.signal(SIGKILL);
  EXPECT_EQ(dialer.finish().status, 128 + SIGKILL);
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    admin->call("sim.settle");
    gone = callsAt201().empty();
    if (!gone) ::usleep(10 * 1000);
  }
  EXPECT_TRUE(gone) << "the killed application's call is still at 201";
  const std::string m = d.httpGet("/metrics");
  EXPECT_NE(m.find("tapird_applications 1\n"), std::string::npos) << "only the console: " << m;
}

// A scratch directory, removed at the end.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/tapird-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The demo switch with `extra` appended, as a file in dir.
std::string demoWith(const TempDir& dir, const std::string& extra) {
  std::ifstream in(TAPIR_SOURCE_DIR "/etc/demo.toml");
  std::stringstream demo;
  demo << in.rdbuf();
  const std::string path = dir.file("switch.toml");
  std::ofstream(path) << demo.str() << "\n" << extra << "\n";
  return path;
}

Json openParams(std::uint32_t deviceId, std::uint32_t privileges) {
  return {{"deviceId", deviceId},
          {"apiVersion", 0x00020002},
          {"callbackInstance", 0},
          {"privileges", privileges},
          {"mediaModes", 4}};
}

constexpr std::uint32_t kMonitorPriv = 2, kOwnerPriv = 4;

TEST(DaemonAccess, ClientTokensLimitLinesPrivilegeAndOperatorMethods) {
  TempDir dir;
  Daemon d({}, demoWith(dir, R"([server]
tokens = ["admin"]

[[server.clients]]
token = "desk"
lines = ["201"]

[[server.clients]]
token = "wallboard"
privilege = "monitor"
)"));
  ASSERT_TRUE(d.started());

  // desk: only station 201 (device 0), as owner; no console or sim.
  auto desk = TestClient::connect(d.wsEndpoint());
  ASSERT_TRUE(desk->hello("desk"));
  const auto app = desk->call("initialize", {{"info", {{"friendlyName", "desk"}}}});
  EXPECT_GT(desk->call("open", {{"app", app}, {"params", openParams(0, kOwnerPriv)}}).get<int>(),
            0);
  Json e = desk->error("open", {{"app", app}, {"params", openParams(1, kOwnerPriv)}});
  EXPECT_EQ(e["fault"], "BadDeviceId") << e.dump();
  e = desk->error("console.calls");
  EXPECT_EQ(e["code"], "PERMISSION_DENIED") << e.dump();
  e = desk->error("sim.settle");
  EXPECT_EQ(e["code"], "PERMISSION_DENIED") << e.dump();

  // wallboard: every line, monitor only.
  auto wall = TestClient::connect(d.wsEndpoint());
  ASSERT_TRUE(wall->hello("wallboard"));
  const auto wapp = wall->call("initialize", {{"info", {{"friendlyName", "wall"}}}});
  e = wall->error("open", {{"app", wapp}, {"params", openParams(3, kOwnerPriv)}});
  EXPECT_EQ(e["fault"], "BadPrivSelect") << e.dump();
  EXPECT_GT(
      wall->call("open", {{"app", wapp}, {"params", openParams(3, kMonitorPriv)}}).get<int>(), 0);

  // A full token (and the server's own user on the unix socket) has it all.
  auto admin = TestClient::connect(d.wsEndpoint());
  ASSERT_TRUE(admin->hello("admin"));
  EXPECT_TRUE(admin->call("console.calls").contains("calls"));
  auto local = TestClient::connect(d.unixEndpoint());
  ASSERT_TRUE(local->hello());
  EXPECT_TRUE(local->call("console.calls").contains("calls"));
  // No token over TCP: refused, now that tokens are configured.
  auto none = TestClient::connect(d.wsEndpoint());
  EXPECT_FALSE(none->hello());
}

TEST(DaemonAccess, BadClientEntriesStopTheStartWithTheirPlace) {
  TempDir dir;
  struct Case {
    std::string toml, message;
  };
  const Case cases[] = {
      {"[server]\n[[server.clients]]\nlines = [\"201\"]\n", "needs a 'token'"},
      {"[[server.clients]]\ntoken = \"a\"\nlines = [\"299\"]\n", "no station 299"},
      {"[[server.clients]]\ntoken = \"a\"\nprivilege = \"god\"\n", "'privilege' must be"},
      {"[[server.clients]]\ntoken = \"a\"\ncolour = 1\n", "'colour' is not a client setting"},
  };
  for (const Case& c : cases) {
    Process p({TAPIRD_BIN, "--config", demoWith(dir, c.toml), "--listen",
               "unix:" + dir.file("s.sock")});
    const ProcessExit x = p.finish();
    EXPECT_EQ(x.status, 2) << c.toml;
    EXPECT_NE(x.err.find(c.message), std::string::npos) << c.toml << " -> " << x.err;
    EXPECT_NE(x.err.find("switch.toml:"), std::string::npos) << x.err;
  }
}

TEST(DaemonTls, WssListenerWithTheConfiguredCertificate) {
  TempDir dir;
  const std::string cert = dir.file("tapird.crt"), key = dir.file("tapird.key");
  ASSERT_TRUE(writeSelfSigned(cert, key));
  Daemon d({"--listen", "wss://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key});
  ASSERT_TRUE(d.started());
  std::string wss;
  for (const std::string& e : d.endpoints())
    if (e.rfind("wss://", 0) == 0) wss = e;
  ASSERT_FALSE(wss.empty());
  auto endpoint = net::parseEndpoint(wss);
  ASSERT_TRUE(endpoint.isOk());
  net::ClientOptions trusted;
  trusted.caFile = cert;
  auto c = TestClient::connect(*endpoint, trusted);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->hello());
  EXPECT_EQ(c->call("lineCount"), 8);

  // Without the certificate's CA the client refuses the server.
  auto untrusted = net::Client::connect(*endpoint, net::ClientOptions{}, [](std::string) {},
                                        [](Status) {});
  EXPECT_FALSE(untrusted.isOk());
}

TEST(DaemonTls, WssWithoutACertificateIsAStartError) {
  TempDir dir;
  Process p({TAPIRD_BIN, "--config", TAPIR_SOURCE_DIR "/etc/demo.toml", "--listen",
             "wss://127.0.0.1:0"});
  const ProcessExit x = p.finish();
  EXPECT_EQ(x.status, 2);
  EXPECT_NE(x.err.find("wss:// needs a certificate and key (--tls-cert, --tls-key)"),
            std::string::npos)
      << x.err;
}

}  // namespace
}  // namespace tapir::testing
