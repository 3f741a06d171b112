// Configuration files: the demo loads as documented; bad files fail with the
// file, the line and what is wrong.
#include "pbx_fixture.h"

namespace tapir::pbx::testing {
namespace {

std::string errorOf(const std::string& toml) {
  auto cfg = parseConfig(toml, "bad.toml");
  EXPECT_FALSE(cfg.isOk()) << "accepted:\n" << toml;
  return cfg.isOk() ? "" : cfg.status().message();
}

TEST(ConfigTest, DemoMatchesTheDocumentedContract) {
  PbxConfig cfg = demoConfig();
  ASSERT_EQ(cfg.sw.stations.size(), 8u);
  for (std::uint32_t i = 0; i < 8; ++i) {
    EXPECT_EQ(cfg.sw.stations[i].number, std::to_string(201 + i));
    EXPECT_EQ(cfg.sw.stations[i].pickupGroup, i < 4 ? 1u : 2u);
  }
  ASSERT_EQ(cfg.sw.parkOrbits.size(), 9u);
  EXPECT_EQ(cfg.sw.parkOrbits.front(), "701");
  EXPECT_EQ(cfg.sw.parkOrbits.back(), "709");
  EXPECT_EQ(cfg.sw.conferenceMax, 8u);
  EXPECT_EQ(cfg.sw.outsidePrefix, "9");
  EXPECT_EQ(cfg.sw.outsideMinDigits, 7u);
  EXPECT_EQ(cfg.sw.outsideMaxDigits, 15u);
  EXPECT_EQ(cfg.world.numbers.size(), 4u);
}

TEST(ConfigTest, RangesExpand) {
  auto r = expandNumberRange("0098-0101");
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(*r, (std::vector<std::string>{"0098", "0099", "0100", "0101"}));
  EXPECT_FALSE(expandNumberRange("209-201").isOk());
  EXPECT_FALSE(expandNumberRange("20-2001").isOk());
  EXPECT_FALSE(expandNumberRange("2a1").isOk());
  EXPECT_FALSE(expandNumberRange("1-9999999").isOk());
}

TEST(ConfigTest, SyntaxErrorsNameTheLine) {
  const std::string msg = errorOf("[switch]\nname = \"x\"\nring_period = \n");
  EXPECT_EQ(msg.rfind("bad.toml:3:", 0), 0u) << msg;
}

TEST(ConfigTest, UnknownKeysAreErrors) {
  const std::string msg = errorOf("[switch]\nring_perod = \"6s\"\n[[station]]\nnumber = \"201\"\n");
  EXPECT_EQ(msg.rfind("bad.toml:2:1:", 0), 0u) << msg;
  EXPECT_NE(msg.find("ring_perod"), std::string::npos) << msg;
  EXPECT_NE(errorOf("colour = 1\n[[station]]\nnumber = \"201\"\n").find("colour"),
            std::string::npos);
}

TEST(ConfigTest, BadValuesAreExplained) {
  auto has = [](const std::string& msg, const std::string& part) {
    return msg.find(part) != std::string::npos;
  };
  std::string m = errorOf("[switch]\nring_period = \"6\"\n[[station]]\nnumber = \"201\"\n");
  EXPECT_TRUE(has(m, "bad.toml:2:") && has(m, "unit")) << m;
  m = errorOf("[switch]\nring_period = 6\n[[station]]\nnumber = \"201\"\n");
  EXPECT_TRUE(has(m, "duration")) << m;
  m = errorOf("[switch]\nconference_max = 2\n[[station]]\nnumber = \"201\"\n");
  EXPECT_TRUE(has(m, "conference_max") && has(m, "from 3")) << m;
  m = errorOf("[[station]]\nnumber = \"201\"\n[[station]]\nnumber = \"200-202\"\n");
  EXPECT_TRUE(has(m, "bad.toml:3:") && has(m, "twice")) << m;
  m = errorOf("[[station]]\nnumber = \"201\"\nscript = [\"ring 2\", \"dance\"]\n");
  EXPECT_TRUE(has(m, "step 2") && has(m, "dance")) << m;
  m = errorOf("[[station]]\nnumber = \"201\"\nfail = [\"fly\"]\n");
  EXPECT_TRUE(has(m, "fly")) << m;
  m = errorOf("[[station]]\nnumber = \"201\"\n[[pickup_group]]\nid = 1\nmembers = \"201-202\"\n");
  EXPECT_TRUE(has(m, "202 is not a station")) << m;
  m = errorOf("[switch]\nname = \"x\"\n");
  EXPECT_TRUE(has(m, "no [[station]]")) << m;
  m = errorOf("station = 3\n");
  EXPECT_TRUE(has(m, "[[station]]")) << m;
  m = errorOf("[outside]\nmin_digits = 9\nmax_digits = 3\n[[station]]\nnumber = \"201\"\n");
  EXPECT_TRUE(has(m, "max_digits")) << m;
}

TEST(ConfigTest, SwitchRejectsInconsistentConfigs) {
  SimLoop loop;
  PbxConfig cfg = configFromText("[park]\norbits = \"201\"\n[[station]]\nnumber = \"201\"\n");
  auto pbx = sim::VirtualPbx::create(loop, std::move(cfg));
  ASSERT_FALSE(pbx.isOk());
  EXPECT_NE(pbx.status().message().find("201"), std::string::npos);
}

TEST(ConfigTest, MissingFile) {
  auto cfg = loadConfigFile("/nonexistent/tapir.toml");
  ASSERT_FALSE(cfg.isOk());
  EXPECT_EQ(cfg.status().code(), Code::kNotFound);
  EXPECT_NE(cfg.status().message().find("/nonexistent/tapir.toml"), std::string::npos);
}

TEST(ScriptTest, StepsParse) {
  using Op = sim::Step::Op;
  EXPECT_EQ(sim::parseStep("ring 3")->count, 3u);
  EXPECT_EQ(sim::parseStep("ring")->count, 0u);
  EXPECT_EQ(sim::parseStep("  answer ")->op, Op::kAnswer);
  EXPECT_EQ(sim::parseStep("wait 1.5s")->wait, std::chrono::milliseconds(1500));
  EXPECT_EQ(sim::parseStep("wait 2m")->wait, std::chrono::minutes(2));
  EXPECT_EQ(sim::parseStep("await connected")->state, CallState::kConnected);
  EXPECT_EQ(sim::parseStep("dtmf 1*#D")->arg, "1*#D");
  EXPECT_EQ(sim::parseStep("transfer 203")->arg, "203");
  for (const char* bad :
       {"ring 0", "ring x", "answer now", "wait", "wait 5", "wait -1s", "wait 2d", "await bored",
        "dtmf", "dtmf 12x", "transfer", "transfer 2o3", "", "fly"}) {
    EXPECT_FALSE(sim::parseStep(bad).isOk()) << bad;
  }
  EXPECT_FALSE(sim::parseStep(std::string(200, 'a')).isOk());
  std::vector<std::string> tooMany(100, "answer");
  EXPECT_FALSE(sim::parseScript(tooMany).isOk());
}

TEST(DialStringTest, Parses) {
  EXPECT_EQ(parseDialString("9,5550100")->digits, "95550100");
  EXPECT_EQ(parseDialString("*72#")->digits, "*72#");
  EXPECT_EQ(parseDialString("abcd")->digits, "ABCD");
  EXPECT_EQ(parseDialString("+1 (425) 555-0100")->digits, "+14255550100");
  EXPECT_EQ(parseDialString("201|sub^Name")->digits, "201");
  EXPECT_TRUE(parseDialString("20;")->partial);
  EXPECT_EQ(parseDialString("20;1").status().fault(), Fault::kBadAddress);
  EXPECT_EQ(parseDialString("2+0").status().fault(), Fault::kBadAddress);
  EXPECT_EQ(parseDialString("+").status().fault(), Fault::kBadAddress);
  EXPECT_EQ(parseDialString("1@2$3").status().fault(), Fault::kDialQuiet);
  EXPECT_EQ(parseDialString(std::string(33, '1')).status().fault(), Fault::kBadAddress);
  EXPECT_TRUE(parseDialString("").isOk());
}

}  // namespace
}  // namespace tapir::pbx::testing
