// The engine's state: translate caps, current location, toll lists, and the
// checks on a new configuration.
#include <gtest/gtest.h>

#include <ostream>

#include "test_locations.h"

namespace tapir::dialing::testing {
namespace {

namespace r = translate_result;

TEST(TranslateCapsTest, ListsLocationsAndVisibleCards) {
  Engine engine = engineAt(kCardUser);
  auto caps = engine.translateCaps();
  ASSERT_TRUE(caps.isOk()) << caps.status().toString();
  EXPECT_EQ(caps->currentLocationId, kCardUser);
  EXPECT_EQ(caps->currentPreferredCardId, kExampleCard);
  ASSERT_EQ(caps->locations.size(), engine.config().locations.size());

  const LocationEntry& demo = caps->locations[0];
  EXPECT_EQ(demo.permanentLocationId, kDemo);
  EXPECT_EQ(demo.locationName, "Demo");
  EXPECT_EQ(demo.countryCode, 1u);
  EXPECT_EQ(demo.countryId, 1u);
  EXPECT_EQ(demo.cityCode, "425");
  EXPECT_EQ(demo.localAccessCode, "9");
  EXPECT_EQ(demo.longDistanceAccessCode, "9");
  EXPECT_EQ(demo.preferredCardId, kDirectDial);
  EXPECT_EQ(demo.tollPrefixList, "");
  EXPECT_EQ(demo.options, 0u);
  EXPECT_EQ(demo.cancelCallWaiting, "");

  const LocationEntry& seattle = caps->locations[1];
  EXPECT_EQ(seattle.cancelCallWaiting, "*70,");
  EXPECT_EQ(seattle.options, 0u);  // tone
  const LocationEntry& berlin = caps->locations[3];
  EXPECT_EQ(berlin.countryCode, 49u);
  EXPECT_EQ(berlin.countryId, 49u);
  EXPECT_EQ(berlin.options, location_option::kPulseDial);

  // Direct dial first, then the cards that are not hidden.
  ASSERT_EQ(caps->cards.size(), 3u);
  EXPECT_EQ(caps->cards[0].permanentCardId, kDirectDial);
  EXPECT_EQ(caps->cards[0].sameAreaRule, "G");
  EXPECT_EQ(caps->cards[0].longDistanceRule, "1FG");
  EXPECT_EQ(caps->cards[0].internationalRule, "011EFG");
  const CardEntry& example = caps->cards[1];
  EXPECT_EQ(example.permanentCardId, kExampleCard);
  EXPECT_EQ(example.cardName, "Example Card");
  EXPECT_EQ(example.cardNumberDigits, 11u);
  EXPECT_EQ(example.longDistanceRule, "18005550199$H,1FG");
  EXPECT_EQ(example.options, 0u);
  EXPECT_EQ(caps->cards[2].permanentCardId, kLdOnlyCard);
}

TEST(TranslateCapsTest, NoLocationIsIniFileCorrupt) {
  Engine engine(CountryTable::builtin());
  EXPECT_EQ(engine.translateCaps().status().fault(), Fault::kIniFileCorrupt);
}

TEST(CurrentLocationTest, ChangesTheTranslationContext) {
  Engine engine = engineAt(kDemo);
  EXPECT_EQ(engine.translate("+44 20 7946 0000", 0, 0)->dialable, "9011442079460000");
  ASSERT_TRUE(engine.setCurrentLocation(kLondon).isOk());
  EXPECT_EQ(engine.config().currentLocationId, kLondon);
  auto out = engine.translate("+44 20 7946 0000", 0, 0);
  EXPECT_EQ(out->dialable, "79460000");
  EXPECT_EQ(out->currentCountry, 44u);
  EXPECT_EQ(engine.translateCaps()->currentLocationId, kLondon);
}

TEST(CurrentLocationTest, UnknownIdIsBadLocationAndChangesNothing) {
  Engine engine = engineAt(kDemo);
  for (std::uint32_t bad : {0u, 99u}) {
    Status st = engine.setCurrentLocation(bad);
    EXPECT_EQ(st.fault(), Fault::kBadLocation) << bad;
  }
  EXPECT_EQ(engine.config().currentLocationId, kDemo);
  Engine empty(CountryTable::builtin());
  EXPECT_EQ(empty.setCurrentLocation(1).fault(), Fault::kBadLocation);
}

TEST(TollListTest, PrefixInTheListIsDialedAsLongDistance) {
  Engine engine = engineAt(kDemo);
  auto before = engine.translate("+1 (425) 555-0100", 0, 0);
  EXPECT_EQ(before->dialable, "95550100");
  EXPECT_EQ(before->results, r::kCanonical | r::kLocal | r::kNotInTollList);

  ASSERT_TRUE(engine.setTollList("+1 (425) 555-0199", toll_list_option::kAdd).isOk());
  ASSERT_TRUE(engine.setTollList("+1 425 556 0000", toll_list_option::kAdd).isOk());
  // Adding twice keeps one entry.
  ASSERT_TRUE(engine.setTollList("+14255550123", toll_list_option::kAdd).isOk());
  EXPECT_EQ(engine.translateCaps()->locations[0].tollPrefixList, "555,556");

  auto toll = engine.translate("+1 (425) 555-0100", 0, 0);
  EXPECT_EQ(toll->dialable, "914255550100");
  EXPECT_EQ(toll->displayable, "91425555-0100");
  EXPECT_EQ(toll->results, r::kCanonical | r::kLongDistance | r::kInTollList);
  auto other = engine.translate("+1 (425) 557-0100", 0, 0);
  EXPECT_EQ(other->dialable, "95570100");
  EXPECT_EQ(other->results, r::kCanonical | r::kLocal | r::kNotInTollList);
  // FORCELOCAL wins over the toll list.
  auto forced = engine.translate("+1 (425) 555-0100", 0, translate_option::kForceLocal);
  EXPECT_EQ(forced->dialable, "95550100");
  EXPECT_EQ(forced->results, r::kCanonical | r::kLocal);

  ASSERT_TRUE(engine.setTollList("+1 (425) 555-0100", toll_list_option::kRemove).isOk());
  ASSERT_TRUE(engine.setTollList("+1 (425) 999-0100", toll_list_option::kRemove).isOk());
  EXPECT_EQ(engine.translateCaps()->locations[0].tollPrefixList, "556");
  EXPECT_EQ(engine.translate("+1 (425) 555-0100", 0, 0)->dialable, "95550100");
}

TEST(TollListTest, OutsideNorthAmericaOnlyAListMakesTollFlags) {
  Engine engine = engineAt(kLondon);
  EXPECT_EQ(engine.translate("+44 (20) 7946 0000", 0, 0)->results, r::kCanonical | r::kLocal);
  ASSERT_TRUE(engine.setTollList("+44 (20) 7946 0000", toll_list_option::kAdd).isOk());
  auto toll = engine.translate("+44 (20) 7946 0000", 0, 0);
  EXPECT_EQ(toll->dialable, "02079460000");
  EXPECT_EQ(toll->results, r::kCanonical | r::kLongDistance | r::kInTollList);
  EXPECT_EQ(engine.translate("+44 (20) 3946 0000", 0, 0)->results,
            r::kCanonical | r::kLocal | r::kNotInTollList);
}

TEST(TollListTest, Errors) {
  Engine engine = engineAt(kDemo);
  const auto fault = [&](std::string_view address, std::uint32_t option) {
    return engine.setTollList(address, option).fault();
  };
  EXPECT_EQ(fault("+1 (425) 555-0100", 0), Fault::kBadParam);
  EXPECT_EQ(fault("+1 (425) 555-0100", toll_list_option::kAdd | toll_list_option::kRemove),
            Fault::kBadParam);
  EXPECT_EQ(fault("+1 (425) 555-0100", 4), Fault::kBadParam);
  EXPECT_EQ(fault("5550100", toll_list_option::kAdd), Fault::kBadAddress);
  EXPECT_EQ(fault("", toll_list_option::kAdd), Fault::kBadAddress);
  EXPECT_EQ(fault("+1 (425", toll_list_option::kAdd), Fault::kBadAddress);
  EXPECT_EQ(fault("+1 (206) 555-0100", toll_list_option::kAdd), Fault::kBadAddress);
  EXPECT_EQ(fault("+44 (20) 7946 0000", toll_list_option::kAdd), Fault::kBadAddress);
  EXPECT_EQ(fault("+1 (425) 55", toll_list_option::kAdd), Fault::kBadAddress);
  EXPECT_EQ(fault("+1 (425) 5W50100", toll_list_option::kAdd), Fault::kBadAddress);
  EXPECT_TRUE(engine.config().locations[0].tollPrefixes.empty());

  Engine empty(CountryTable::builtin());
  EXPECT_EQ(empty.setTollList("+1 (425) 555-0100", toll_list_option::kAdd).fault(),
            Fault::kIniFileCorrupt);
}

struct ConfigError {
  const char* what;
  void (*breakIt)(DialingConfig&);
  Fault fault;
};

std::ostream& operator<<(std::ostream& os, const ConfigError& e) {
  return os << e.what;
}

class SetConfigErrors : public ::testing::TestWithParam<ConfigError> {};

TEST_P(SetConfigErrors, RefuseAndKeepTheOldConfig) {
  Engine engine = engineAt(kDemo);
  DialingConfig broken = engine.config();
  GetParam().breakIt(broken);
  Status st = engine.setConfig(broken);
  EXPECT_EQ(st.fault(), GetParam().fault) << GetParam().what << ": " << st.toString();
  EXPECT_EQ(engine.config(), testConfig(kDemo));
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Engine, SetConfigErrors, ::testing::Values(
    ConfigError{"current location missing",
                [](DialingConfig& c) { c.currentLocationId = 99; }, Fault::kBadLocation},
    ConfigError{"location id 0", [](DialingConfig& c) { c.locations[1].id = 0; },
                Fault::kBadLocation},
    ConfigError{"duplicate location", [](DialingConfig& c) { c.locations[1].id = kDemo; },
                Fault::kBadLocation},
    ConfigError{"unknown region", [](DialingConfig& c) { c.locations[0].region = "ZZ"; },
                Fault::kBadCountryCode},
    ConfigError{"preferred card missing",
                [](DialingConfig& c) { c.locations[0].preferredCardId = 42; }, Fault::kBadCard},
    ConfigError{"card id 0", [](DialingConfig& c) { c.cards[0].id = 0; }, Fault::kBadCard},
    ConfigError{"duplicate card", [](DialingConfig& c) { c.cards[1].id = kExampleCard; },
                Fault::kBadCard},
    ConfigError{"empty name", [](DialingConfig& c) { c.locations[0].name.clear(); },
                Fault::kBadParam},
    ConfigError{"area code", [](DialingConfig& c) { c.locations[0].areaCode = "4x5"; },
                Fault::kBadParam},
    ConfigError{"access code", [](DialingConfig& c) { c.locations[0].localAccessCode = "9x"; },
                Fault::kBadParam},
    ConfigError{"rule letter", [](DialingConfig& c) { c.cards[0].longDistanceRule = "1FGX"; },
                Fault::kBadParam},
    ConfigError{"location rule", [](DialingConfig& c) { c.locations[0].sameAreaRule = "G;"; },
                Fault::kBadParam},
    ConfigError{"toll prefix", [](DialingConfig& c) { c.locations[0].tollPrefixes = {""}; },
                Fault::kBadParam},
    ConfigError{"area-code rule",
                [](DialingConfig& c) { c.locations[0].areaCodeRules = {{"", {}, true, false}}; },
                Fault::kBadParam},
    ConfigError{"card options", [](DialingConfig& c) { c.cards[0].options = 4; },
                Fault::kBadParam},
    ConfigError{"pin", [](DialingConfig& c) { c.cards[0].pin = "12 34"; }, Fault::kBadParam},
    ConfigError{"no locations but a current one",
                [](DialingConfig& c) { c.locations.clear(); }, Fault::kBadLocation}));
// clang-format on

TEST(SetConfigTest, ErrorMessagesNeverShowCardSecrets) {
  Engine engine = engineAt(kDemo);
  DialingConfig broken = engine.config();
  broken.cards[0].pin = "43x21";
  Status st = engine.setConfig(broken);
  EXPECT_EQ(st.fault(), Fault::kBadParam);
  EXPECT_EQ(st.message().find("43x21"), std::string::npos) << st.message();
}

TEST(SetConfigTest, EmptyConfigIsAllowed) {
  Engine engine = engineAt(kDemo);
  ASSERT_TRUE(engine.setConfig(DialingConfig{}).isOk());
  EXPECT_EQ(engine.translate("+1 (425) 555-0100", 0, 0).status().fault(), Fault::kIniFileCorrupt);
}

}  // namespace
}  // namespace tapir::dialing::testing
