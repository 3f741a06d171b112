// The locations file: reading, writing, errors with positions, where it lives,
// and the file shipped in etc/.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "test_locations.h"

namespace tapir::dialing::testing {
namespace {

namespace fs = std::filesystem;

const CountryTable& countries() {
  return CountryTable::builtin();
}

// A scratch directory under the test temp dir, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = ::testing::TempDir() + "tapir-dialing-XXXXXX";
    char* made = ::mkdtemp(pattern.data());
    if (made == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = made;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void writeFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(ConfigFileTest, FormatThenParseGivesTheSameConfig) {
  const DialingConfig config = testConfig(kSeattle);
  const std::string text = formatDialingConfig(config);
  auto back = parseDialingConfig(text, "round-trip.toml", countries());
  ASSERT_TRUE(back.isOk()) << back.status().toString() << "\n" << text;
  EXPECT_EQ(*back, config);
  // And the text is stable.
  EXPECT_EQ(formatDialingConfig(*back), text);
}

TEST(ConfigFileTest, StringsWithQuotesAndUnicodeSurvive) {
  DialingConfig config = testConfig(kDemo);
  config.locations[0].name = "Büro \"Nord\" \\ 東京";
  config.cards[0].name = "Card [1]";
  auto back = parseDialingConfig(formatDialingConfig(config), "x.toml", countries());
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(*back, config);
}

TEST(ConfigFileTest, MinimalFileDefaultsTheCurrentLocationToTheFirst) {
  auto config = parseDialingConfig(R"(
[[location]]
id = 5
name = "Home"
country = "GB"
area_code = "161"
)",
                                   "min.toml", countries());
  ASSERT_TRUE(config.isOk()) << config.status().toString();
  EXPECT_EQ(config->currentLocationId, 5u);
  ASSERT_EQ(config->locations.size(), 1u);
  const Location& home = config->locations[0];
  EXPECT_EQ(home.region, "GB");
  EXPECT_EQ(home.dialMode, DialMode::kLineDefault);
  EXPECT_TRUE(home.localAccessCode.empty());

  auto empty = parseDialingConfig("", "empty.toml", countries());
  ASSERT_TRUE(empty.isOk());
  EXPECT_EQ(*empty, DialingConfig{});
}

TEST(ConfigFileTest, ReadsEveryField) {
  auto config = parseDialingConfig(R"(
current_location = 2

[[card]]
id = 3
name = "Card"
number = "123"
pin = "9"
same_area_rule = "G"
long_distance_rule = "1FG"
international_rule = "011EFG"
hidden = true
predefined = true

[[location]]
id = 2
name = "Office"
country = "US"
area_code = "206"
local_access_code = "9"
long_distance_access_code = "8"
long_distance_carrier = "1010321"
international_carrier = "1010288"
cancel_call_waiting = "*70,"
dial_mode = "pulse"
calling_card = 3
toll_prefixes = ["555", "556"]
same_area_rule = "FG"
long_distance_rule = "1LFG"
international_rule = "011MEFG"

[[location.area_code_rule]]
area_code = "425"
prefixes = ["555"]
dial_area_code = true
dial_long_distance_prefix = true
)",
                                   "full.toml", countries());
  ASSERT_TRUE(config.isOk()) << config.status().toString();
  Location want;
  want.id = 2;
  want.name = "Office";
  want.region = "US";
  want.areaCode = "206";
  want.localAccessCode = "9";
  want.longDistanceAccessCode = "8";
  want.longDistanceCarrier = "1010321";
  want.internationalCarrier = "1010288";
  want.cancelCallWaiting = "*70,";
  want.dialMode = DialMode::kPulse;
  want.preferredCardId = 3;
  want.tollPrefixes = {"555", "556"};
  want.sameAreaRule = "FG";
  want.longDistanceRule = "1LFG";
  want.internationalRule = "011MEFG";
  want.areaCodeRules = {{"425", {"555"}, true, true}};
  Card card;
  card.id = 3;
  card.name = "Card";
  card.number = "123";
  card.pin = "9";
  card.sameAreaRule = "G";
  card.longDistanceRule = "1FG";
  card.internationalRule = "011EFG";
  card.options = card_option::kHidden | card_option::kPredefined;
  DialingConfig expected;
  expected.locations = {want};
  expected.cards = {card};
  expected.currentLocationId = 2;
  EXPECT_EQ(*config, expected);
}

struct BadFile {
  const char* text;
  const char* message;  // the error, from "file:line:col: " on
};

std::ostream& operator<<(std::ostream& os, const BadFile& b) {
  return os << b.message;
}

class ConfigFileErrors : public ::testing::TestWithParam<BadFile> {};

TEST_P(ConfigFileErrors, NameFileLineAndColumn) {
  auto config = parseDialingConfig(GetParam().text, "bad.toml", countries());
  ASSERT_FALSE(config.isOk());
  EXPECT_EQ(config.status().fault(), Fault::kIniFileCorrupt);
  EXPECT_EQ(config.status().message(), GetParam().message);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Config, ConfigFileErrors, ::testing::Values(
    BadFile{"[[location]\n", "bad.toml:1:12: Error while parsing table header: expected ']', saw '\\n'"},
    BadFile{"current_location = 1\n", "bad.toml:1:20: no [[location]] with id 1"},
    BadFile{"colour = 1\n", "bad.toml:1:10: unknown key 'colour' in the locations file"},
    BadFile{"[[location]]\nid = 1\nname = \"A\"\ncountry = \"US\"\nareacode = \"425\"\n",
            "bad.toml:5:12: unknown key 'areacode' in [[location]]"},
    BadFile{"[[location]]\nname = \"A\"\ncountry = \"US\"\n",
            "bad.toml:1:1: [[location]] needs 'id'"},
    BadFile{"[[location]]\nid = 0\nname = \"A\"\ncountry = \"US\"\n",
            "bad.toml:2:6: location ids start at 1"},
    BadFile{"[[location]]\nid = -3\n", "bad.toml:2:6: 'id' is out of range"},
    BadFile{"[[location]]\nid = \"1\"\n", "bad.toml:2:6: 'id' must be an integer"},
    BadFile{"[[location]]\nid = 1\nname = \"A\"\ncountry = \"XX\"\n",
            "bad.toml:4:11: unknown country or region 'XX' (use an ISO 3166 code such as \"US\")"},
    BadFile{"[[location]]\nid = 1\nname = \"A\"\ncountry = \"US\"\narea_code = \"4-25\"\n",
            "bad.toml:5:13: 'area_code': '4-25': '-' is not a digit"},
    BadFile{"[[location]]\nid = 1\nname = \"\"\ncountry = \"US\"\n",
            "bad.toml:3:8: 'name': '': empty"},
    BadFile{"[[location]]\nid = 1\nname = \"A\"\ncountry = \"US\"\ndial_mode = \"rotary\"\n",
            "bad.toml:5:13: 'dial_mode' is \"tone\", \"pulse\" or \"line\""},
    BadFile{"[[location]]\nid = 1\nname = \"A\"\ncountry = \"US\"\nlong_distance_rule = \"1FGZ\"\n",
            "bad.toml:5:22: 'long_distance_rule': '1FGZ': 'Z' is not a rule letter, digit or "
            "dial modifier"},
    BadFile{"[[location]]\nid = 1\nname = \"A\"\ncountry = \"US\"\ntoll_prefixes = [555]\n",
            "bad.toml:5:18: 'toll_prefixes' must hold strings"},
    BadFile{"[[location]]\nid = 1\nname = \"A\"\ncountry = \"US\"\ncalling_card = 4\n",
            "bad.toml:5:16: no [[card]] with id 4"},
    BadFile{"[[location]]\nid = 1\nname = \"A\"\ncountry = \"US\"\n"
            "[[location]]\nid = 1\nname = \"B\"\ncountry = \"US\"\n",
            "bad.toml:6:6: location 1 is defined twice"},
    BadFile{"[[location]]\nid = 1\nname = \"A\"\ncountry = \"US\"\n"
            "[[location.area_code_rule]]\nprefixes = [\"5\"]\n",
            "bad.toml:5:1: [[location.area_code_rule]] needs 'area_code'"},
    BadFile{"[[location]]\nid = 1\nname = \"A\"\ncountry = \"US\"\n"
            "[[location.area_code_rule]]\narea_code = \"206\"\ndial_area_code = \"yes\"\n",
            "bad.toml:7:18: 'dial_area_code' must be true or false"},
    BadFile{"location = 3\n", "bad.toml:1:12: 'location' must be an array of tables ([[location]])"},
    BadFile{"[[card]]\nid = 0\nname = \"C\"\n", "bad.toml:2:6: card id 0 is direct dial; start at 1"},
    BadFile{"[[card]]\nid = 1\nname = \"C\"\npin = \"12#x\"\n",
            "bad.toml:4:7: 'pin' may hold only digits and dial modifiers"},
    BadFile{"[[card]]\nid = 1\nname = \"C\"\n[[card]]\nid = 1\nname = \"D\"\n",
            "bad.toml:5:6: card 1 is defined twice"}));
// clang-format on

TEST(ConfigFileTest, SaveThenLoadInAScratchDirectory) {
  ScratchDir dir;
  const std::string path = (dir.path() / "nested" / "tapir" / "locations.toml").string();
  const DialingConfig config = testConfig(kBerlin);
  ASSERT_TRUE(saveDialingConfig(config, path).isOk());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  auto back = loadDialingConfig(path, countries());
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(*back, config);

  // Saving again replaces the file, and tightens loose permissions.
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  DialingConfig changed = config;
  changed.currentLocationId = kTokyo;
  ASSERT_TRUE(saveDialingConfig(changed, path).isOk());
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(loadDialingConfig(path, countries())->currentLocationId, kTokyo);
}

TEST(ConfigFileTest, LoadErrors) {
  ScratchDir dir;
  auto missing = loadDialingConfig((dir.path() / "none.toml").string(), countries());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().fault(), Fault::kNone);

  const fs::path bad = dir.path() / "bad.toml";
  writeFile(bad, "[[location]]\nid = 1\n");
  auto corrupt = loadDialingConfig(bad.string(), countries());
  EXPECT_EQ(corrupt.status().fault(), Fault::kIniFileCorrupt);
  EXPECT_EQ(corrupt.status().message(), bad.string() + ":1:1: [[location]] needs 'name'");

  // A directory where the file should be cannot be saved over.
  fs::create_directories(dir.path() / "taken");
  Status st = saveDialingConfig(testConfig(kDemo), (dir.path() / "taken").string());
  EXPECT_EQ(st.fault(), Fault::kOperationFailed);
}

TEST(ConfigPathsTest, FollowTheXdgBaseDirectorySpec) {
  ConfigPaths xdg = defaultConfigPaths("/x/config", "/home/u");
  EXPECT_EQ(xdg.user, "/x/config/tapir/locations.toml");
  EXPECT_EQ(defaultConfigPaths("", "/home/u").user, "/home/u/.config/tapir/locations.toml");
  // Relative XDG paths are ignored.
  EXPECT_EQ(defaultConfigPaths("rel", "/home/u").user, "/home/u/.config/tapir/locations.toml");
  EXPECT_EQ(defaultConfigPaths("", "").user, "");
  EXPECT_TRUE(xdg.system.ends_with("/tapir/locations.toml")) << xdg.system;
  EXPECT_EQ(xdg.system.front(), '/');
}

TEST(ConfigPathsTest, UserFileWinsThenSystemThenNothing) {
  ScratchDir dir;
  ConfigPaths paths{(dir.path() / "user.toml").string(), (dir.path() / "system.toml").string()};

  auto none = loadConfig(paths, countries());
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(none->path.empty());
  EXPECT_TRUE(none->config.locations.empty());

  writeFile(paths.system, formatDialingConfig(testConfig(kLondon)));
  auto system = loadConfig(paths, countries());
  ASSERT_TRUE(system.isOk());
  EXPECT_EQ(system->path, paths.system);
  EXPECT_EQ(system->config.currentLocationId, kLondon);

  writeFile(paths.user, formatDialingConfig(testConfig(kTokyo)));
  auto user = loadConfig(paths, countries());
  ASSERT_TRUE(user.isOk());
  EXPECT_EQ(user->path, paths.user);
  EXPECT_EQ(user->config.currentLocationId, kTokyo);

  // A broken user file is an error, not a silent fallback.
  writeFile(paths.user, "current_location = \n");
  EXPECT_EQ(loadConfig(paths, countries()).status().fault(), Fault::kIniFileCorrupt);
}

// The file shipped as the system default holds the demo location, and the
// demo numbers translate to what the demo switch answers.
TEST(ShippedLocationsTest, DemoLocationTranslatesTheDemoNumbers) {
  auto config = loadDialingConfig(TAPIR_SOURCE_DIR "/etc/locations.toml", countries());
  ASSERT_TRUE(config.isOk()) << config.status().toString();
  Engine engine(countries());
  ASSERT_TRUE(engine.setConfig(*config).isOk());
  auto caps = engine.translateCaps();
  ASSERT_TRUE(caps.isOk());
  const LocationEntry& current = caps->locations[0];
  EXPECT_EQ(current.permanentLocationId, caps->currentLocationId);
  EXPECT_EQ(current.locationName, "Demo");
  EXPECT_EQ(current.countryCode, 1u);
  EXPECT_EQ(current.cityCode, "425");
  EXPECT_EQ(current.localAccessCode, "9");
  EXPECT_EQ(current.longDistanceAccessCode, "9");
  EXPECT_EQ(caps->currentPreferredCardId, kDirectDial);

  namespace r = translate_result;
  auto local = engine.translate("+1 (425) 555-0100", 0, 0);
  EXPECT_EQ(local->dialable, "95550100");
  EXPECT_EQ(local->results, r::kCanonical | r::kLocal | r::kNotInTollList);
  auto ld = engine.translate("+1 (206) 555-0100", 0, 0);
  EXPECT_EQ(ld->dialable, "912065550100");
  EXPECT_EQ(ld->results, r::kCanonical | r::kLongDistance);
  auto intl = engine.translate("+44 20 7946 0000", 0, 0);
  EXPECT_EQ(intl->dialable, "9011442079460000");
  EXPECT_EQ(intl->results, r::kCanonical | r::kInternational);
  EXPECT_EQ(intl->destCountry, 44u);
}

}  // namespace
}  // namespace tapir::dialing::testing
