// The console (src/daemon/console.h) on the demo switch, in process: every
// console.* operation and its errors, on simulated time.
#include "daemon/console.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "base/sim_loop.h"
#include "pbx/config.h"
#include "pbx/virtual/virtual_pbx.h"
#include "service/service.h"

namespace tapir::daemon {
namespace {

using Json = protocol::Json;

class ConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cfg = pbx::loadConfigFile(TAPIR_SOURCE_DIR "/etc/demo.toml");
    ASSERT_TRUE(cfg.isOk()) << cfg.status().toString();
    auto pbx = pbx::sim::VirtualPbx::create(loop_, std::move(*cfg));
    ASSERT_TRUE(pbx.isOk()) << pbx.status().toString();
    pbx_ = std::move(*pbx);
    service_ = std::make_unique<service::Service>(loop_, pbx_->sw());
    console_ = std::make_unique<Console>(*service_, loop_);
    ASSERT_TRUE(console_->start().isOk());
  }
  void TearDown() override {
    console_.reset();
    loop_.runUntilIdle();
  }

  Result<Json> run(const std::string& method, const Json& params = Json::object()) {
    std::optional<Result<Json>> out;
    console_->handle(method, params, [&](Result<Json> r) { out = std::move(r); });
    loop_.runUntilIdle();
    if (!out) return Status(Code::kDeadlineExceeded, "no answer");
    return std::move(*out);
  }
  Json ok(const std::string& method, const Json& params = Json::object()) {
    auto r = run(method, params);
    EXPECT_TRUE(r.isOk()) << method << " " << params.dump() << ": " << r.status().toString();
    return r.isOk() ? *r : Json();
  }
  Json calls() { return ok("console.calls")["calls"]; }
  // The state names of the calls at a station, in call id order.
  std::vector<std::string> statesAt(const std::string& station) {
    std::vector<std::string> out;
    for (const Json& c : calls())
      if (c["station"] == station) out.push_back(c["state"]);
    return out;
  }

  SimLoop loop_;
  std::unique_ptr<pbx::sim::VirtualPbx> pbx_;
  std::unique_ptr<service::Service> service_;
  std::unique_ptr<Console> console_;
};

TEST_F(ConsoleTest, LinesListsEveryStation) {
  Json lines = ok("console.lines")["lines"];
  ASSERT_EQ(lines.size(), 8u);
  EXPECT_EQ(lines[0]["station"], "201");
  EXPECT_EQ(lines[7]["station"], "208");
  EXPECT_EQ(lines[0]["apps"], 0);
  EXPECT_TRUE(lines[0]["calls"].empty());
}

TEST_F(ConsoleTest, CallAnswerHoldUnholdDrop) {
  Json call = ok("console.call", {{"from", "201"}, {"to", "202"}});
  EXPECT_GT(call["call"].get<int>(), 0);
  EXPECT_EQ(statesAt("201"), std::vector<std::string>{"RINGBACK"});
  EXPECT_EQ(statesAt("202"), std::vector<std::string>{"OFFERING"});
  ok("console.answer", {{"station", "202"}});
  EXPECT_EQ(statesAt("201"), std::vector<std::string>{"CONNECTED"});
  EXPECT_EQ(statesAt("202"), std::vector<std::string>{"CONNECTED"});
  Json calls = ok("console.calls")["calls"];
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0]["caller"]["number"], "201");
  EXPECT_EQ(calls[0]["called"]["number"], "202");
  EXPECT_EQ(calls[0]["stateValue"], 0x100);

  ok("console.hold", {{"station", "201"}});
  EXPECT_EQ(statesAt("201"), std::vector<std::string>{"ONHOLD"});
  ok("console.unhold", {{"station", "201"}});
  EXPECT_EQ(statesAt("201"), std::vector<std::string>{"CONNECTED"});
  ok("console.drop", {{"station", "201"}});
  EXPECT_TRUE(statesAt("201").empty());
  // 202 saw the far end hang up.
  EXPECT_EQ(statesAt("202"), std::vector<std::string>{"DISCONNECTED"});
  ok("console.drop", {{"station", "202"}});
  EXPECT_TRUE(ok("console.calls")["calls"].empty());
}

TEST_F(ConsoleTest, Errors) {
  auto r = run("console.answer", {{"station", "202"}});
  EXPECT_EQ(r.status().fault(), Fault::kBadCallState);
  EXPECT_EQ(r.status().message(), "station 202 has no offering call");
  r = run("console.answer", {{"station", "299"}});
  EXPECT_EQ(r.status().fault(), Fault::kBadAddress);
  r = run("console.answer", Json::object());
  EXPECT_EQ(r.status().fault(), Fault::kBadParam);
  r = run("console.nothing");
  EXPECT_EQ(r.status().fault(), Fault::kOperationUnavail);
  r = run("console.call", {{"from", "209"}, {"to", "202"}});
  EXPECT_EQ(r.status().fault(), Fault::kBadAddress);
  r = run("console.forward", {{"station", "201"}, {"mode", "sometimes"}, {"to", "205"}});
  EXPECT_EQ(r.status().fault(), Fault::kBadParam);
}

TEST_F(ConsoleTest, DropChoosesByCallIdWhenAmbiguous) {
  ok("console.call", {{"from", "201"}, {"to", "202"}});
  ok("console.answer", {{"station", "202"}});
  ok("console.transfer", {{"station", "201"}, {"to", "203"}, {"consult", true}});
  EXPECT_EQ(statesAt("201").size(), 2u);
  auto r = run("console.drop", {{"station", "201"}});
  EXPECT_EQ(r.status().fault(), Fault::kBadParam);
  EXPECT_NE(r.status().message().find("name one by its call id"), std::string::npos)
      << r.status().message();
  std::uint32_t consult = 0;
  for (const Json& c : calls())
    if (c["station"] == "201" && c["state"] == "RINGBACK") consult = c["call"];
  ASSERT_NE(consult, 0u);
  ok("console.drop", {{"station", "201"}, {"call", consult}});
  // The switch gives 201 its first call back.
  EXPECT_EQ(statesAt("201"), std::vector<std::string>{"CONNECTED"});
}

TEST_F(ConsoleTest, BlindTransfer) {
  ok("console.call", {{"from", "201"}, {"to", "202"}});
  ok("console.answer", {{"station", "202"}});
  ok("console.transfer", {{"station", "202"}, {"to", "203"}});
  EXPECT_EQ(statesAt("203"), std::vector<std::string>{"OFFERING"});
  ok("console.answer", {{"station", "203"}});
  EXPECT_EQ(statesAt("201"), std::vector<std::string>{"CONNECTED"});
  EXPECT_EQ(statesAt("203"), std::vector<std::string>{"CONNECTED"});
}

TEST_F(ConsoleTest, ConsultationTransferAndConference) {
  ok("console.call", {{"from", "201"}, {"to", "202"}});
  ok("console.answer", {{"station", "202"}});
  Json t = ok("console.transfer", {{"station", "201"}, {"to", "203"}, {"consult", true}});
  EXPECT_TRUE(t.contains("consult"));
  ok("console.answer", {{"station", "203"}});
  ok("console.complete", {{"station", "201"}});
  EXPECT_EQ(statesAt("202"), std::vector<std::string>{"CONNECTED"});
  EXPECT_EQ(statesAt("203"), std::vector<std::string>{"CONNECTED"});
  auto r = run("console.complete", {{"station", "201"}});
  EXPECT_EQ(r.status().fault(), Fault::kBadCallState);

  ok("console.conference", {{"station", "202"}, {"add", "204"}});
  ok("console.answer", {{"station", "204"}});
  EXPECT_EQ(statesAt("204"), std::vector<std::string>{"CONNECTED"});
  bool conferenced = false;
  for (const Json& c : calls())
    if (c["station"] == "202" && c["state"] == "CONFERENCED") conferenced = true;
  EXPECT_TRUE(conferenced);
}

TEST_F(ConsoleTest, ParkUnparkPickupForward) {
  ok("console.call", {{"from", "201"}, {"to", "202"}});
  ok("console.answer", {{"station", "202"}});
  Json parked = ok("console.park", {{"station", "202"}, {"orbit", "701"}});
  EXPECT_EQ(parked["orbit"], "701");
  ok("console.unpark", {{"station", "203"}, {"orbit", "701"}});
  EXPECT_EQ(statesAt("203"), std::vector<std::string>{"CONNECTED"});
  parked = ok("console.park", {{"station", "203"}});
  EXPECT_FALSE(parked["orbit"].get<std::string>().empty());
  ok("console.unpark", {{"station", "204"}, {"orbit", parked["orbit"]}});
  ok("console.drop", {{"station", "204"}});
  ok("console.drop", {{"station", "201"}});

  ok("console.call", {{"from", "205"}, {"to", "202"}});
  ok("console.pickup", {{"station", "203"}});  // group 1
  EXPECT_EQ(statesAt("203"), std::vector<std::string>{"CONNECTED"});
  ok("console.drop", {{"station", "203"}});
  ok("console.call", {{"from", "205"}, {"to", "202"}});
  ok("console.pickup", {{"station", "206"}, {"from", "202"}});
  EXPECT_EQ(statesAt("206"), std::vector<std::string>{"CONNECTED"});
  ok("console.drop", {{"station", "206"}});

  ok("console.forward", {{"station", "207"}, {"mode", "unconditional"}, {"to", "208"}});
  ok("console.call", {{"from", "201"}, {"to", "207"}});
  EXPECT_EQ(statesAt("208"), std::vector<std::string>{"OFFERING"});
  ok("console.drop", {{"station", "201"}});
  ok("console.forward", {{"station", "207"}, {"mode", "off"}});
  ok("console.forward", {{"station", "207"}, {"mode", "noanswer"}, {"to", "208"}, {"rings", 2}});
  ok("console.forward", {{"station", "207"}, {"mode", "busy"}, {"to", "208"}});
}

TEST_F(ConsoleTest, WatchersSeeStateChanges) {
  std::vector<Json> events;
  const auto id = console_->addWatcher([&](const Json& ev) { events.push_back(ev); });
  ok("console.call", {{"from", "201"}, {"to", "202"}});
  ASSERT_FALSE(events.empty());
  bool ringback = false;
  for (const Json& ev : events) {
    EXPECT_EQ(ev["event"], "console");
    if (ev["station"] == "201" && ev["state"] == "RINGBACK") ringback = true;
  }
  EXPECT_TRUE(ringback);
  console_->removeWatcher(id);
  const auto n = events.size();
  ok("console.answer", {{"station", "202"}});
  EXPECT_EQ(events.size(), n);
}

}  // namespace
}  // namespace tapir::daemon
