// The real `tapir` binary against the real tapird (manual clock, sim
// control) on a temporary unix socket: output, errors and exit statuses as a
// script sees them. Switch time is moved, and the switch settled, with the
// protocol's sim.* methods over the test's own connection; nothing here
// depends on wall-clock time except generous limits for failing.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli/connection.h"
#include "support/process.h"
#include "support/tapird_process.h"

namespace tapir::cli {
namespace {

namespace fs = std::filesystem;
using Json = protocol::Json;
using testing::Process;
using Outcome = testing::ProcessExit;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("tapir-cli-test-" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    daemon_ = new testing::TapirdProcess();
    testing::TapirdProcess::Options o;
    o.binary = TAPIRD_PATH;
    o.config = TAPIR_SOURCE_DIR "/etc/demo.toml";
    o.setServerEnv = false;
    ASSERT_TRUE(daemon_->start(std::move(o)));
    server_ = daemon_->endpoint();
  }
  static void TearDownTestSuite() {
    delete control_;
    control_ = nullptr;
    delete daemon_;  // SIGTERM; a bad exit fails the suite
    daemon_ = nullptr;
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
  }

  void SetUp() override {
    ASSERT_TRUE(daemon_ != nullptr && daemon_->running());
    if (control_ == nullptr) {
      auto c = Connection::open({server_}, "", std::chrono::seconds(30));
      ASSERT_TRUE(c.isOk()) << c.status().toString();
      control_ = c->release();
    }
  }
  // Every test starts and ends with no calls.
  void TearDown() override {
    settle();
    auto calls = control_->request("console.calls", Json::object());
    ASSERT_TRUE(calls.isOk());
    for (const Json& c : (*calls)["calls"])
      (void)control_->request("console.drop", Json{{"station", c["station"]}, {"call", c["call"]}});
    settle();
  }

  static void settle() {
    auto r = control_->request("sim.settle", Json::object());
    ASSERT_TRUE(r.isOk()) << r.status().toString();
  }
  static void advance(std::uint64_t ms) {
    auto r = control_->request("sim.advance", Json{{"ms", ms}});
    ASSERT_TRUE(r.isOk()) << r.status().toString();
    settle();
  }

  // Runs tapir against the test's tapird.
  Outcome tapir(std::vector<std::string> args, const std::string& input = "",
                std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), TAPIR_PATH);
    if (!env.count("TAPIR_SERVER")) env["TAPIR_SERVER"] = server_;
    Process c(args, env);
    if (!input.empty()) c.write(input);
    Outcome r = c.finish();
    settle();
    return r;
  }
  // The states of the calls at a station, from `tapir --json calls`.
  std::vector<std::string> statesAt(const std::string& station) {
    Outcome r = tapir({"--json", "calls"});
    EXPECT_EQ(r.status, 0) << r.err;
    std::vector<std::string> out;
    const Json all = Json::parse(r.out);
    for (const Json& c : all["calls"])
      if (c["station"] == station) out.push_back(c["state"]);
    return out;
  }
  using States = std::vector<std::string>;

  static fs::path* dir_;
  static std::string server_;
  static testing::TapirdProcess* daemon_;
  static Connection* control_;
};

fs::path* CliTest::dir_ = nullptr;
std::string CliTest::server_;
testing::TapirdProcess* CliTest::daemon_ = nullptr;
Connection* CliTest::control_ = nullptr;

TEST_F(CliTest, LinesListsTheStations) {
  Outcome r = tapir({"lines"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("STATION", 0), 0u) << r.out;
  for (int s = 201; s <= 208; ++s)
    EXPECT_NE(r.out.find("\n" + std::to_string(s) + " "), std::string::npos) << r.out;
  r = tapir({"--json", "lines"});
  EXPECT_EQ(r.status, 0) << r.err;
  const Json j = Json::parse(r.out);
  ASSERT_EQ(j["lines"].size(), 8u);
  EXPECT_EQ(j["lines"][0]["station"], "201");
  EXPECT_EQ(j["lines"][7]["station"], "208");
}

TEST_F(CliTest, CallAnswerHoldUnholdDrop) {
  Outcome r = tapir({"call", "201", "202"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("201 -> 202"), std::string::npos) << r.out;
  EXPECT_EQ(statesAt("202"), States{"OFFERING"});
  r = tapir({"answer", "202"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(statesAt("201"), States{"CONNECTED"});
  EXPECT_EQ(statesAt("202"), States{"CONNECTED"});
  r = tapir({"calls"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("201      CONNECTED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("202      CONNECTED"), std::string::npos) << r.out;

  EXPECT_EQ(tapir({"hold", "201"}).status, 0);
  EXPECT_EQ(statesAt("201"), States{"ONHOLD"});
  EXPECT_EQ(tapir({"unhold", "201"}).status, 0);
  EXPECT_EQ(statesAt("201"), States{"CONNECTED"});
  r = tapir({"drop", "201"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(statesAt("201").empty());
  EXPECT_EQ(statesAt("202"), States{"DISCONNECTED"});
  EXPECT_EQ(tapir({"drop", "202"}).status, 0);
  r = tapir({"calls"});
  EXPECT_EQ(r.out, "no calls\n");
}

TEST_F(CliTest, TransferParkUnpark) {
  ASSERT_EQ(tapir({"call", "201", "202"}).status, 0);
  ASSERT_EQ(tapir({"answer", "202"}).status, 0);
  Outcome r = tapir({"transfer", "202", "203"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(statesAt("203"), States{"OFFERING"});
  ASSERT_EQ(tapir({"answer", "203"}).status, 0);
  EXPECT_EQ(statesAt("201"), States{"CONNECTED"});
  EXPECT_EQ(statesAt("203"), States{"CONNECTED"});

  r = tapir({"park", "203", "701"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("parked at 701"), std::string::npos) << r.out;
  EXPECT_TRUE(statesAt("203").empty());
  r = tapir({"unpark", "204", "701"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(statesAt("204"), States{"CONNECTED"});

  // Consultation transfer, completed.
  r = tapir({"transfer", "204", "205", "--consult"});
  EXPECT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(tapir({"answer", "205"}).status, 0);
  r = tapir({"complete", "204"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(statesAt("205"), States{"CONNECTED"});
  EXPECT_EQ(statesAt("201"), States{"CONNECTED"});
}

TEST_F(CliTest, ErrorsAndExitStatus) {
  Outcome r = tapir({"answer", "205"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "tapir: BadCallState: station 205 has no offering call\n");
  EXPECT_TRUE(r.out.empty());
  r = tapir({"answer", "299"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "tapir: BadAddress: no station 299\n");

  r = tapir({"frobnicate"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("tapir: "), std::string::npos);
  r = tapir({"call", "201"});
  EXPECT_EQ(r.status, 2);

  r = tapir({"lines"}, "", {{"TAPIR_SERVER", "unix:" + (*dir_ / "nobody.sock").string()}});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("tapir: UNAVAILABLE: cannot reach"), std::string::npos) << r.err;
  r = tapir({"--server", "gopher://x", "lines"});
  EXPECT_EQ(r.status, 2) << r.err;

  r = tapir({"--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("Exit status"), std::string::npos);
}

TEST_F(CliTest, StatusAndInteractive) {
  Outcome r = tapir({"status"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("switch       demo"), std::string::npos) << r.out;
  r = tapir({"--json", "status"});
  EXPECT_EQ(r.status, 0) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["switch"], "demo");
  EXPECT_EQ(j["lineCount"], 8);

  r = tapir({}, "call 201 202\n\ncalls\nanswer 207\n");
  EXPECT_EQ(r.status, 1) << r.err;  // the last command's
  EXPECT_NE(r.out.find("201 -> 202"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("202      OFFERING"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("station 207 has no offering call"), std::string::npos) << r.err;
  r = tapir({"-i"}, "bogus\nlines\nquit\ncalls\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("tapir: "), std::string::npos);
  EXPECT_EQ(r.out.find("CALLER"), std::string::npos) << "nothing runs after quit";
}

TEST_F(CliTest, WatchStreamsEvents) {
  Process w({TAPIR_PATH, "--json", "watch"}, {{"TAPIR_SERVER", server_}});
  // Subscribed once the console has a watcher: poll console.status.
  for (int i = 0; i < 600; ++i) {
    auto st = control_->request("console.status", Json::object());
    ASSERT_TRUE(st.isOk());
    if ((*st)["watchers"] == 1) break;
    ::usleep(50 * 1000);
  }
  ASSERT_EQ(tapir({"call", "201", "202"}).status, 0);
  bool ringback = false, offering = false;
  while (!(ringback && offering)) {
    auto line = w.readLine();
    ASSERT_TRUE(line.has_value()) << "watch ended early";
    const Json ev = Json::parse(*line);
    EXPECT_EQ(ev["event"], "console");
    if (ev["station"] == "201" && ev["state"] == "RINGBACK") ringback = true;
    if (ev["station"] == "202" && ev["state"] == "OFFERING") offering = true;
  }
  w.signal(SIGINT);
  Outcome r = w.finish();
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(CliTest, Locations) {
  const std::string file = (*dir_ / "locations.toml").string();
  Outcome r = tapir({"location", "list"}, "", {{"TAPIR_LOCATIONS", file}});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(" * 1  Demo"), std::string::npos) << r.out;
  r = tapir({"location", "set-current", "Direct line"}, "", {{"TAPIR_LOCATIONS", file}});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(file));
  r = tapir({"--json", "location", "show"}, "", {{"TAPIR_LOCATIONS", file}});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["name"], "Direct line");
  r = tapir({"location", "set-current", "Mars"}, "", {{"TAPIR_LOCATIONS", file}});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "tapir: BadLocation: no location Mars\n");
}

TEST_F(CliTest, LocationsAndCardsAreEdited) {
  const std::string file = (*dir_ / "edited.toml").string();
  const std::map<std::string, std::string> env = {{"TAPIR_LOCATIONS", file}};
  auto ok = [&](std::vector<std::string> args) {
    Outcome r = tapir(args, "", env);
    EXPECT_EQ(r.status, 0) << r.err;
    return r;
  };
  ok({"location", "add", "London", "GB"});
  ok({"location", "set", "London", "area-code", "20"});
  ok({"location", "set", "London", "local-access", "9"});
  ok({"location", "toll", "Demo", "add", "555"});
  ok({"card", "add", "Corp", "12345678", "4321"});
  ok({"location", "set", "London", "card", "Corp"});

  Json j = Json::parse(ok({"--json", "location", "show", "London"}).out);
  EXPECT_EQ(j["region"], "GB");
  EXPECT_EQ(j["areaCode"], "20");
  EXPECT_EQ(j["localAccessCode"], "9");
  EXPECT_EQ(j["preferredCardId"], 1);
  EXPECT_EQ(Json::parse(ok({"--json", "location", "show", "Demo"}).out)["tollPrefixes"],
            Json::array({"555"}));
  // A card's number and PIN never show.
  Outcome r = ok({"--json", "card", "list"});
  EXPECT_EQ(r.out.find("12345678"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("4321"), std::string::npos) << r.out;
  EXPECT_EQ(Json::parse(r.out)["cards"][0]["numberDigits"], 8);

  // Bad edits are refused and change nothing.
  r = tapir({"location", "set", "London", "colour", "red"}, "", env);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("tapir: BadParam: colour: not a location setting"), std::string::npos);
  r = tapir({"location", "set", "London", "region", "XX"}, "", env);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("BadCountryCode"), std::string::npos) << r.err;
  EXPECT_EQ(Json::parse(ok({"--json", "location", "show", "London"}).out)["region"], "GB");
  r = tapir({"location", "set", "London", "card", "Gold"}, "", env);
  EXPECT_EQ(r.err, "tapir: BadCard: no card Gold\n");
  r = tapir({"location", "add", "London", "GB"}, "", env);
  EXPECT_EQ(r.status, 1);
  r = tapir({"location", "toll", "Demo", "remove", "556"}, "", env);
  EXPECT_EQ(r.status, 1);
  r = tapir({"card", "add", "Solo"}, "", env);
  EXPECT_EQ(r.status, 2);

  // Removing the card sends London back to direct dialing; removing London leaves Demo.
  ok({"card", "remove", "Corp"});
  EXPECT_EQ(Json::parse(ok({"--json", "location", "show", "London"}).out)["preferredCardId"], 0);
  ok({"location", "set-current", "London"});
  ok({"location", "remove", "London"});
  j = Json::parse(ok({"--json", "location", "list"}).out);
  for (const Json& l : j["locations"]) EXPECT_NE(l["name"], "London");
  EXPECT_EQ(j["locations"][0]["current"], true);
}

}  // namespace
}  // namespace tapir::cli
