// protocol/tapir.schema.json, docs/protocol.md and the Dispatcher's table
// agree; results and events the server really produces (the Dispatcher over
// the demo switch on simulated time) validate against the schema.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "base/sim_loop.h"
#include "dialing/config.h"
#include "dialing/countries.h"
#include "dialing/dialing.h"
#include "pbx/builtin_config.h"
#include "pbx/config.h"
#include "pbx/virtual/virtual_pbx.h"
#include "protocol/dispatch.h"
#include "service/service.h"

namespace tapir::protocol {
namespace {

std::string readFile(const char* path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A structural checker for the schema's subset: $ref, type, properties,
// required, items, oneOf, const, minimum, maximum. Returns "" or the problem.
class Checker {
 public:
  explicit Checker(const Json& root) : root_(root) {}

  std::string check(const Json& schema, const Json& v, const std::string& at = "$") const {
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];
      const std::string prefix = "#/$defs/";
      if (ref.rfind(prefix, 0) != 0) return at + ": unsupported $ref " + ref;
      return check(root_["$defs"].at(ref.substr(prefix.size())), v, at);
    }
    if (schema.contains("oneOf")) {
      int matches = 0;
      for (const Json& s : schema["oneOf"]) matches += check(s, v, at).empty() ? 1 : 0;
      if (matches != 1) return at + ": matches " + std::to_string(matches) + " of oneOf";
    }
    if (schema.contains("const") && schema["const"] != v) return at + ": not the const";
    if (schema.contains("type")) {
      const std::string t = schema["type"];
      const bool ok = (t == "object" && v.is_object()) || (t == "array" && v.is_array()) ||
                      (t == "string" && v.is_string()) || (t == "boolean" && v.is_boolean()) ||
                      (t == "null" && v.is_null()) || (t == "integer" && v.is_number_integer()) ||
                      (t == "number" && v.is_number());
      if (!ok) return at + ": expected " + t + ", got " + v.dump();
    }
    if (v.is_number()) {
      if (schema.contains("minimum") && v.get<double>() < schema["minimum"].get<double>())
        return at + ": below the minimum";
      if (schema.contains("maximum") && v.get<double>() > schema["maximum"].get<double>())
        return at + ": above the maximum";
    }
    if (v.is_object()) {
      for (const Json& r : schema.value("required", Json::array())) {
        if (!v.contains(r.get<std::string>())) return at + ": missing " + r.get<std::string>();
      }
      if (schema.contains("properties")) {
        for (const auto& [k, s] : schema["properties"].items()) {
          if (v.contains(k)) {
            if (auto e = check(s, v[k], at + "." + k); !e.empty()) return e;
          }
        }
      }
    }
    if (v.is_array() && schema.contains("items")) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (auto e = check(schema["items"], v[i], at + "[" + std::to_string(i) + "]"); !e.empty())
          return e;
      }
    }
    return "";
  }

 private:
  const Json& root_;
};

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = Json::parse(readFile(TAPIR_SCHEMA_FILE), nullptr, false);
    ASSERT_TRUE(schema_.is_object()) << "cannot read " << TAPIR_SCHEMA_FILE;
  }
  Json schema_;
  Dispatcher dispatcher_;
};

TEST_F(SchemaTest, TheSchemaHasEveryMethodOfTheTableAndNoOther) {
  std::set<std::string> table;
  for (const std::string& m : dispatcher_.methods()) table.insert(m);
  std::set<std::string> schema;
  for (const auto& [name, m] : schema_["methods"].items()) {
    schema.insert(name);
    EXPECT_TRUE(m.contains("params") && m.contains("result")) << name;
  }
  EXPECT_EQ(table, schema);
}

TEST_F(SchemaTest, TheDocsNameEveryMethodAndEvent) {
  const std::string doc = readFile(TAPIR_PROTOCOL_DOC);
  ASSERT_FALSE(doc.empty());
  for (const std::string& m : dispatcher_.methods())
    EXPECT_NE(doc.find("`" + m + "`"), std::string::npos) << m << " is not in docs/protocol.md";
  for (const auto& [name, e] : schema_["events"].items())
    EXPECT_NE(doc.find("`" + name + "`"), std::string::npos) << name;
}

// The Dispatcher over the demo switch, as tapird runs it but on a SimLoop.
class LiveSchemaTest : public SchemaTest {
 protected:
  void SetUp() override {
    SchemaTest::SetUp();
    auto cfg = pbx::loadConfigFile(TAPIR_SOURCE_DIR "/etc/demo.toml");
    ASSERT_TRUE(cfg.isOk());
    auto pbx = pbx::sim::VirtualPbx::create(loop_, std::move(*cfg));
    ASSERT_TRUE(pbx.isOk());
    pbx_ = std::move(*pbx);
    service_ = std::make_unique<service::Service>(loop_, pbx_->sw());
    info_.switchName = "demo";
    info_.sim.settle = [this] {
      loop_.runUntilIdle();
      return Status();
    };
    info_.sim.advance = [this](std::uint64_t ms) {
      loop_.advance(std::chrono::milliseconds(ms));
      return Status();
    };
    session_ = std::make_unique<Session>(*service_, [this](std::string f) {
      events_.push_back(Json::parse(f));
    });
  }
  void TearDown() override {
    session_.reset();
    service_.reset();
  }
  // Runs a request and checks its result against the schema.
  Json run(const std::string& method, const Json& params = Json::object()) {
    Context ctx{1, "test", *session_, *service_, info_};
    Json frame;
    dispatcher_.handle(ctx, encodeRequest(++id_, method, params),
                       [&](Dispatcher::Outcome o) { frame = Json::parse(o.frame); });
    EXPECT_TRUE(frame.contains("result")) << method << ": " << frame.dump();
    if (!frame.contains("result")) return Json();
    Checker checker(schema_);
    EXPECT_EQ(checker.check(schema_["methods"][method]["result"], frame["result"]), "")
        << method << " -> " << frame["result"].dump();
    ++checked_;
    return frame["result"];
  }

  SimLoop loop_;
  std::unique_ptr<pbx::sim::VirtualPbx> pbx_;
  std::unique_ptr<service::Service> service_;
  ServerInfo info_;
  std::unique_ptr<Session> session_;
  std::vector<Json> events_;
  std::uint64_t id_ = 0;
  int checked_ = 0;
};

TEST_F(LiveSchemaTest, ResultsAndEventsValidate) {
  run("hello", {{"version", 1}});
  run("lineCount");
  const Json app = run("initialize", {{"info", {{"friendlyName", "s"}, {"moduleName", "s"}}}});
  run("negotiateApiVersion", {{"app", app}, {"deviceId", 0}, {"low", 0x10003}, {"high", 0x20002}});
  run("devCaps", {{"app", app}, {"deviceId", 0}, {"apiVersion", 0x20002}});
  run("addressCaps", {{"app", app}, {"deviceId", 0}, {"addressId", 0}, {"apiVersion", 0x20002}});
  const Json l1 = run("open", {{"app", app},
                               {"params",
                                {{"deviceId", 0}, {"apiVersion", 0x20002}, {"privileges", 4},
                                 {"mediaModes", 4}}}});
  const Json l2 = run("open", {{"app", app},
                               {"params",
                                {{"deviceId", 1}, {"apiVersion", 0x20002}, {"privileges", 4},
                                 {"mediaModes", 4}}}});
  run("addressId", {{"line", l1}, {"address", "201"}});
  run("addressStatus", {{"line", l1}, {"addressId", 0}});
  run("lineDevStatus", {{"line", l1}});
  run("setStatusMessages", {{"line", l1}, {"lineStates", 0}, {"addressStates", 0}});
  run("statusMessages", {{"line", l1}});
  run("deviceIdOfLine", {{"line", l1}});
  run("appOf", {{"handle", l1}});
  run("apiVersionOf", {{"handle", l1}});
  const Json req = run("makeCall", {{"line", l1}, {"addressId", 0}, {"dest", "202"}});
  run("sim.settle");
  run("sim.advance", {{"ms", 100}});
  const Json calls = run("newCalls", {{"line", l2}, {"addressId", 0}, {"select", 1}});
  run("newCallCount", {{"line", l2}, {"addressId", 0}, {"select", 1}});
  std::uint32_t call = 0;
  for (const Json& e : events_) {
    if (e["event"] == "reply" && e["request"] == req) call = e["payload"]["call"];
  }
  ASSERT_NE(call, 0u);
  run("callInfo", {{"call", call}});
  run("callStatus", {{"call", call}});
  run("deviceIdOfCall", {{"call", call}});
  run("snapshot");
  // The server's dialing locations: the built-in Demo.
  auto locations = dialing::parseDialingConfig(kBuiltinLocations, "locations.toml",
                                               dialing::CountryTable::builtin());
  ASSERT_TRUE(locations.isOk());
  dialing::Engine engine(dialing::CountryTable::builtin());
  ASSERT_TRUE(engine.setConfig(std::move(*locations)).isOk());
  info_.dialing = &engine;
  EXPECT_EQ(run("translateAddress", {{"address", "+1 (425) 555-0100"}})["dialable"], "95550100");
  const Json intl = run("translateAddress", {{"address", "+44 20 7946 0000"}});
  EXPECT_EQ(intl["dialable"], "9011442079460000");
  EXPECT_EQ(intl["destCountry"], 44);
  EXPECT_EQ(run("translateCaps")["locations"][0]["locationName"], "Demo");
  EXPECT_EQ(run("normalizeCallerId", {{"callerId", "5550100"}})["e164"], "+14255550100");
  info_.dialing = nullptr;
  run("appPriority", {{"module", "s"}, {"mediaMode", 4}, {"requestMode", 0}});
  // Errors have the error object's form.
  Context ctx{1, "test", *session_, *service_, info_};
  Json frame;
  dispatcher_.handle(ctx, encodeRequest(99, "drop", {{"call", 424242}}),
                     [&](Dispatcher::Outcome o) { frame = Json::parse(o.frame); });
  Checker checker(schema_);
  ASSERT_TRUE(frame.contains("error"));
  EXPECT_EQ(checker.check(schema_["$defs"]["Error"], frame["error"]), "");
  EXPECT_EQ(frame["error"]["fault"], "BadCallHandle");
  // Every event the session sent.
  ASSERT_FALSE(events_.empty());
  for (const Json& e : events_) {
    const std::string name = e["event"];
    ASSERT_TRUE(schema_["events"].contains(name)) << name;
    EXPECT_EQ(checker.check(schema_["events"][name], e), "") << e.dump();
  }
  (void)calls;
  EXPECT_GE(checked_, 25);
}

TEST_F(LiveSchemaTest, HelloFirstAndMalformedFramesClose) {
  Context ctx{1, "test", *session_, *service_, info_};
  Dispatcher::Outcome out;
  dispatcher_.handle(ctx, R"({"id":3,"method":"lineCount"})",
                     [&](Dispatcher::Outcome o) { out = std::move(o); });
  EXPECT_TRUE(out.close);
  EXPECT_NE(out.frame.find("hello first"), std::string::npos);
  dispatcher_.handle(ctx, R"({"id":4,"method":"hello","params":{"version":1}})",
                     [&](Dispatcher::Outcome o) { out = std::move(o); });
  EXPECT_FALSE(out.close);
  EXPECT_TRUE(out.ok);
  dispatcher_.handle(ctx, R"({"id":5,"meth)", [&](Dispatcher::Outcome o) { out = std::move(o); });
  EXPECT_TRUE(out.close);
  EXPECT_FALSE(out.ok);
  dispatcher_.handle(ctx, R"({"id":6,"method":"sim.farEnd","params":{"action":"hangup"}})",
                     [&](Dispatcher::Outcome o) { out = std::move(o); });
  EXPECT_NE(out.frame.find("OperationUnavail"), std::string::npos) << out.frame;
  // No dialing locations given to the dispatcher: not offered.
  dispatcher_.handle(ctx, R"({"id":7,"method":"translateCaps"})",
                     [&](Dispatcher::Outcome o) { out = std::move(o); });
  EXPECT_NE(out.frame.find("OperationUnavail"), std::string::npos) << out.frame;
}

}  // namespace
}  // namespace tapir::protocol
