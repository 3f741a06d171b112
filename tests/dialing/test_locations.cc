#include "test_locations.h"

#include <stdexcept>

namespace tapir::dialing::testing {

namespace {

Location location(std::uint32_t id, const char* name, const char* region, const char* area) {
  Location loc;
  loc.id = id;
  loc.name = name;
  loc.region = region;
  loc.areaCode = area;
  return loc;
}

}  // namespace

DialingConfig testConfig(std::uint32_t current) {
  DialingConfig c;

  Location demo = location(kDemo, "Demo", "US", "425");
  demo.localAccessCode = "9";
  demo.longDistanceAccessCode = "9";
  c.locations.push_back(demo);

  Location seattle = location(kSeattle, "Seattle", "US", "206");
  seattle.dialMode = DialMode::kTone;
  seattle.cancelCallWaiting = "*70,";
  // Specific prefixes first: the first rule that matches applies.
  seattle.areaCodeRules.push_back({"206", {"556", "557"}, true, true});
  seattle.areaCodeRules.push_back({"206", {}, true, false});
  seattle.areaCodeRules.push_back({"425", {}, true, false});
  seattle.areaCodeRules.push_back({"360", {"555"}, false, true});
  c.locations.push_back(seattle);

  c.locations.push_back(location(kLondon, "London", "GB", "20"));

  Location berlin = location(kBerlin, "Berlin", "DE", "30");
  berlin.dialMode = DialMode::kPulse;
  c.locations.push_back(berlin);

  Location tokyo = location(kTokyo, "Tokyo", "JP", "3");
  tokyo.dialMode = DialMode::kTone;
  c.locations.push_back(tokyo);

  Location pbx = location(kLondonPbx, "London office", "GB", "20");
  pbx.localAccessCode = "9W";
  pbx.longDistanceAccessCode = "9W";
  pbx.internationalCarrier = "1664";
  c.locations.push_back(pbx);

  c.locations.push_back(location(kRome, "Rome", "IT", "06"));
  c.locations.push_back(location(kMoscow, "Moscow", "RU", "495"));

  Location cardUser = location(kCardUser, "Travelling", "US", "425");
  cardUser.preferredCardId = kExampleCard;
  cardUser.longDistanceCarrier = "1010321";
  c.locations.push_back(cardUser);

  Card example;
  example.id = kExampleCard;
  example.name = "Example Card";
  example.number = "12345678901";
  example.pin = "4321";
  example.sameAreaRule = "G";
  example.longDistanceRule = "18005550199$H,1FG";
  example.internationalRule = "18005550199$HWK,011EFG";
  c.cards.push_back(example);

  Card hidden;
  hidden.id = kHiddenCard;
  hidden.name = "Old Card";
  hidden.number = "86420";
  hidden.longDistanceRule = "0H@FG";
  hidden.options = card_option::kHidden | card_option::kPredefined;
  c.cards.push_back(hidden);

  Card ldOnly;
  ldOnly.id = kLdOnlyCard;
  ldOnly.name = "Prompt Card";
  ldOnly.number = "999";
  ldOnly.pin = "7391";
  ldOnly.longDistanceRule = "18005550111?HK:1FG";
  c.cards.push_back(ldOnly);

  c.currentLocationId = current;
  return c;
}

Engine engineAt(std::uint32_t current) {
  Engine engine(CountryTable::builtin());
  Status st = engine.setConfig(testConfig(current));
  if (!st.isOk()) throw std::runtime_error("test configuration: " + st.toString());
  return engine;
}

}  // namespace tapir::dialing::testing
