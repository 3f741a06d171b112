// lineTranslateAddress: for each location, numbers and options with the exact
// dialable and displayable strings, destination country and result flags.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "test_locations.h"

namespace tapir::dialing::testing {
namespace {

namespace r = translate_result;
namespace o = translate_option;

constexpr std::uint32_t C = r::kCanonical;
constexpr std::uint32_t LOCAL = r::kLocal;
constexpr std::uint32_t LD = r::kLongDistance;
constexpr std::uint32_t INTL = r::kInternational;
constexpr std::uint32_t NOTIN = r::kNotInTollList;

std::string flagNames(std::uint32_t flags) {
  static const std::pair<std::uint32_t, const char*> kNames[] = {
      {r::kCanonical, "CANONICAL"},       {r::kInternational, "INTERNATIONAL"},
      {r::kLongDistance, "LONGDISTANCE"}, {r::kLocal, "LOCAL"},
      {r::kInTollList, "INTOLLLIST"},     {r::kNotInTollList, "NOTINTOLLLIST"},
      {r::kDialBilling, "DIALBILLING"},   {r::kDialQuiet, "DIALQUIET"},
      {r::kDialDialtone, "DIALDIALTONE"}, {r::kDialPrompt, "DIALPROMPT"},
      {r::kVoiceDetect, "VOICEDETECT"},   {r::kNoTranslation, "NOTRANSLATION"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if (flags & bit) out += (out.empty() ? "" : "|") + std::string(name);
  }
  return out.empty() ? "0" : out;
}

struct Case {
  std::uint32_t location;
  std::string address;
  std::uint32_t options;
  std::uint32_t card;
  std::string dialable;
  std::string displayable;
  std::uint32_t destCountry;
  std::uint32_t results;
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << "location " << c.location << " '" << c.address << "' options " << c.options;
}

class TranslateTable : public ::testing::TestWithParam<Case> {};

TEST_P(TranslateTable, GivesExactStringsAndFlags) {
  const Case& c = GetParam();
  Engine engine = engineAt(c.location);
  auto out = engine.translate(c.address, c.card, c.options);
  ASSERT_TRUE(out.isOk()) << out.status().toString();
  EXPECT_EQ(out->dialable, c.dialable);
  EXPECT_EQ(out->displayable, c.displayable);
  EXPECT_EQ(out->destCountry, c.destCountry);
  EXPECT_EQ(flagNames(out->results), flagNames(c.results));
  const Country* here =
      engine.countries().byRegion(engine.config().locations[c.location - 1].region);
  ASSERT_NE(here, nullptr);
  EXPECT_EQ(out->currentCountry, here->callingCode);
}

// The demo location: a PBX where 9 gets an outside line, 7-digit local dialing.
// clang-format off
INSTANTIATE_TEST_SUITE_P(Demo, TranslateTable, ::testing::Values(
    Case{kDemo, "+1 (425) 555-0100", 0, 0, "95550100", "9555-0100", 1, C | LOCAL | NOTIN},
    Case{kDemo, "+1 (206) 555-0100", 0, 0, "912065550100", "91206555-0100", 1, C | LD},
    Case{kDemo, "+44 20 7946 0000", 0, 0, "9011442079460000", "901144207946 0000", 44, C | INTL},
    Case{kDemo, "+1 (800) 555-0199", 0, 0, "918005550199", "91800555-0199", 1, C | LD},
    Case{kDemo, "+1 (613) 555-0100", 0, 0, "916135550100", "91613555-0100", 1, C | LD},
    // The area code found by libphonenumber when not in parentheses.
    Case{kDemo, "+1 425 555 0100", 0, 0, "95550100", "9555 0100", 1, C | LOCAL | NOTIN},
    Case{kDemo, "+1 206 555 0100", 0, 0, "912065550100", "91206555 0100", 1, C | LD},
    // Compact E.164.
    Case{kDemo, "+14255550100", 0, 0, "95550100", "95550100", 1, C | LOCAL | NOTIN},
    Case{kDemo, "+1-206-555-0100", 0, 0, "912065550100", "912065550100", 1, C | LD},
    // No area code: the caller's own.
    Case{kDemo, "+1 5550100", 0, 0, "95550100", "95550100", 1, C | LOCAL | NOTIN},
    Case{kDemo, "+1 () 5550100", 0, 0, "95550100", "95550100", 1, C | LOCAL | NOTIN},
    // Subaddress and name go into the dialable string only.
    Case{kDemo, "+1 (425) 555-0100|1234^Alice Smith", 0, 0, "95550100|1234^Alice Smith",
         "9555-0100", 1, C | LOCAL | NOTIN},
    Case{kDemo, "+1 (425) 555-0100^Bob", 0, 0, "95550100^Bob", "9555-0100", 1,
         C | LOCAL | NOTIN},
    // Only the first of several addresses.
    Case{kDemo, "+1 (425) 555-0100\r\n+1 (206) 555-0100", 0, 0, "95550100", "9555-0100", 1,
         C | LOCAL | NOTIN},
    // Dial modifiers in the subscriber number stay, and raise their flags.
    Case{kDemo, "+1 (425) 555-0100W1234", 0, 0, "95550100W1234", "9555-0100W1234", 1,
         C | LOCAL | NOTIN | r::kDialDialtone},
    Case{kDemo, "+1 (206) 555-0100@$?", 0, 0, "912065550100@$?", "91206555-0100@$?", 1,
         C | LD | r::kDialQuiet | r::kDialBilling | r::kDialPrompt},
    // FORCELOCAL and FORCELD.
    Case{kDemo, "+1 (206) 555-0100", o::kForceLocal, 0, "92065550100", "9206555-0100", 1,
         C | LOCAL},
    Case{kDemo, "+1 (425) 555-0100", o::kForceLd, 0, "914255550100", "91425555-0100", 1,
         C | LD},
    // No cancel-call-waiting string here: the option changes nothing.
    Case{kDemo, "+1 (425) 555-0100", o::kCancelCallWaiting, 0, "95550100", "9555-0100", 1,
         C | LOCAL | NOTIN},
    // Dialable (non-canonical) input passes through untouched.
    Case{kDemo, "5550100", 0, 0, "5550100", "5550100", 0, 0},
    Case{kDemo, "9W5550100$", 0, 0, "9W5550100$", "9W5550100$", 0,
         r::kDialDialtone | r::kDialBilling},
    Case{kDemo, "201|sub^name", 0, 0, "201|sub^name", "201", 0, 0},
    Case{kDemo, " +1 (425) 555-0100", 0, 0, " +1 (425) 555-0100", " +1 (425) 555-0100", 0, 0}));
// clang-format on

// North America with 10-digit local dialing and area-code rules, tone dialing
// and a cancel-call-waiting string.
// clang-format off
INSTANTIATE_TEST_SUITE_P(Seattle, TranslateTable, ::testing::Values(
    Case{kSeattle, "+1 (206) 555-0100", 0, 0, "T2065550100", "T206555-0100", 1, C | LOCAL},
    Case{kSeattle, "+1 (206) 556-0100", 0, 0, "T12065560100", "T1206556-0100", 1, C | LD},
    Case{kSeattle, "+1 (425) 555-0100", 0, 0, "T4255550100", "T425555-0100", 1, C | LOCAL},
    Case{kSeattle, "+1 (360) 555-0100", 0, 0, "T15550100", "T1555-0100", 1, C | LD},
    Case{kSeattle, "+1 (360) 556-0100", 0, 0, "T13605560100", "T1360556-0100", 1, C | LD},
    Case{kSeattle, "+1 (212) 555-0100", 0, 0, "T12125550100", "T1212555-0100", 1, C | LD},
    Case{kSeattle, "+1 5550100", 0, 0, "T2065550100", "T2065550100", 1, C | LOCAL},
    Case{kSeattle, "+1 (212) 555-0100", o::kForceLocal, 0, "T2125550100", "T212555-0100", 1,
         C | LOCAL},
    Case{kSeattle, "+1 (206) 555-0100", o::kForceLd, 0, "T12065550100", "T1206555-0100", 1,
         C | LD},
    Case{kSeattle, "+1 (206) 555-0100", o::kCancelCallWaiting, 0, "T*70,2065550100",
         "T*70,206555-0100", 1, C | LOCAL},
    Case{kSeattle, "+33 1 23 45 67 89", 0, 0, "T01133123456789", "T01133123 45 67 89", 33,
         C | INTL},
    // The force options are about domestic calls; abroad is abroad.
    Case{kSeattle, "+44 20 7946 0000", o::kForceLocal, 0, "T011442079460000",
         "T01144207946 0000", 44, C | INTL},
    Case{kSeattle, "+44 20 7946 0000", o::kForceLd, 0, "T011442079460000",
         "T01144207946 0000", 44, C | INTL}));
// clang-format on

// clang-format off
INSTANTIATE_TEST_SUITE_P(UnitedKingdom, TranslateTable, ::testing::Values(
    Case{kLondon, "+44 (20) 7946 0000", 0, 0, "79460000", "7946 0000", 44, C | LOCAL},
    Case{kLondon, "+44 20 7946 0000", 0, 0, "79460000", "7946 0000", 44, C | LOCAL},
    Case{kLondon, "+44 (161) 496 0000", 0, 0, "01614960000", "0161496 0000", 44, C | LD},
    Case{kLondon, "+44 7700 900123", 0, 0, "07700900123", "07700900123", 44, C | LD},
    Case{kLondon, "+1 (425) 555-0100", 0, 0, "0014255550100", "001425555-0100", 1, C | INTL},
    Case{kLondon, "+353 1 234 5678", 0, 0, "0035312345678", "003531234 5678", 353, C | INTL},
    Case{kLondon, "+44 (20) 7946 0000", o::kForceLd, 0, "02079460000", "0207946 0000", 44,
         C | LD},
    Case{kLondon, "+44 (161) 496 0000", o::kForceLocal, 0, "1614960000", "161496 0000", 44,
         C | LOCAL},
    // Behind a PBX: 9, wait for the PBX's dial tone; a carrier code abroad.
    Case{kLondonPbx, "+44 (20) 7946 0000", 0, 0, "9W79460000", "9W7946 0000", 44,
         C | LOCAL | r::kDialDialtone},
    Case{kLondonPbx, "+44 (161) 496 0000", 0, 0, "9W01614960000", "9W0161496 0000", 44,
         C | LD | r::kDialDialtone},
    Case{kLondonPbx, "+1 (425) 555-0100", 0, 0, "9W16640014255550100",
         "9W1664001425555-0100", 1, C | INTL | r::kDialDialtone}));
// clang-format on

// clang-format off
INSTANTIATE_TEST_SUITE_P(Germany, TranslateTable, ::testing::Values(
    Case{kBerlin, "+49 (30) 1234567", 0, 0, "P1234567", "P1234567", 49, C | LOCAL},
    Case{kBerlin, "+49 (89) 12345678", 0, 0, "P08912345678", "P08912345678", 49, C | LD},
    Case{kBerlin, "+49 151 23456789", 0, 0, "P015123456789", "P015123456789", 49, C | LD},
    Case{kBerlin, "+44 20 7946 0000", 0, 0, "P00442079460000", "P0044207946 0000", 44,
         C | INTL},
    Case{kBerlin, "+1 (425) 555-0100", 0, 0, "P0014255550100", "P001425555-0100", 1,
         C | INTL}));
// clang-format on

// clang-format off
INSTANTIATE_TEST_SUITE_P(Japan, TranslateTable, ::testing::Values(
    Case{kTokyo, "+81 (3) 1234-5678", 0, 0, "T12345678", "T1234-5678", 81, C | LOCAL},
    Case{kTokyo, "+81 (6) 1234-5678", 0, 0, "T0612345678", "T061234-5678", 81, C | LD},
    Case{kTokyo, "+81 90-1234-5678", 0, 0, "T09012345678", "T0901234-5678", 81, C | LD},
    Case{kTokyo, "+1 (425) 555-0100", 0, 0, "T01014255550100", "T0101425555-0100", 1,
         C | INTL}));
// clang-format on

// Italy has no trunk prefix: every number is dialed in full, none is "long
// distance" unless forced.
// clang-format off
INSTANTIATE_TEST_SUITE_P(Italy, TranslateTable, ::testing::Values(
    Case{kRome, "+39 (06) 1234 5678", 0, 0, "0612345678", "061234 5678", 39, C | LOCAL},
    Case{kRome, "+39 (02) 1234 5678", 0, 0, "0212345678", "021234 5678", 39, C | LOCAL},
    Case{kRome, "+39 06 1234 5678", 0, 0, "0612345678", "061234 5678", 39, C | LOCAL},
    Case{kRome, "+39 312 345 6789", 0, 0, "3123456789", "312345 6789", 39, C | LOCAL},
    Case{kRome, "+39 (02) 1234 5678", o::kForceLd, 0, "0212345678", "021234 5678", 39, C | LD},
    Case{kRome, "+44 20 7946 0000", 0, 0, "00442079460000", "0044207946 0000", 44, C | INTL}));
// clang-format on

// Russia dials abroad with "8, wait for dial tone, 10" (libphonenumber's 8~10).
// clang-format off
INSTANTIATE_TEST_SUITE_P(Russia, TranslateTable, ::testing::Values(
    Case{kMoscow, "+7 (495) 123-45-67", 0, 0, "1234567", "123-45-67", 7, C | LOCAL},
    Case{kMoscow, "+7 (812) 123-45-67", 0, 0, "88121234567", "8812123-45-67", 7, C | LD},
    Case{kMoscow, "+44 20 7946 0000", 0, 0, "8W10442079460000", "8W1044207946 0000", 44,
         C | INTL | r::kDialDialtone}));
// clang-format on

// Calling cards. The card number and PIN reach the dialable string only.
// clang-format off
INSTANTIATE_TEST_SUITE_P(CallingCards, TranslateTable, ::testing::Values(
    // The preferred card's same-area rule is plain "G".
    Case{kCardUser, "+1 (425) 555-0100", 0, 0, "5550100", "555-0100", 1, C | LOCAL | NOTIN},
    // H with no K in the rule: the number, then the PIN.
    Case{kCardUser, "+1 (206) 555-0100", 0, 0, "18005550199$123456789014321,12065550100",
         "18005550199$[Example Card],1206555-0100", 1, C | LD | r::kDialBilling},
    // H and K placed apart.
    Case{kCardUser, "+44 20 7946 0000", 0, 0, "18005550199$12345678901W4321,011442079460000",
         "18005550199$[Example Card]W[PIN],01144207946 0000", 44,
         C | INTL | r::kDialBilling | r::kDialDialtone},
    // Without CARDOVERRIDE the card argument is ignored.
    Case{kCardUser, "+1 (206) 555-0100", 0, 99, "18005550199$123456789014321,12065550100",
         "18005550199$[Example Card],1206555-0100", 1, C | LD | r::kDialBilling},
    // CARDOVERRIDE to direct dial: the location's carrier code comes back.
    Case{kCardUser, "+1 (206) 555-0100", o::kCardOverride, kDirectDial, "101032112065550100",
         "10103211206555-0100", 1, C | LD},
    Case{kCardUser, "+1 (206) 555-0100", o::kCardOverride, kLdOnlyCard,
         "18005550111?9997391:12065550100", "18005550111?[Prompt Card][PIN]:1206555-0100", 1,
         C | LD | r::kDialPrompt | r::kVoiceDetect},
    // A card with no rule for a kind of call is not used for it.
    Case{kCardUser, "+1 (425) 555-0100", o::kCardOverride, kLdOnlyCard, "5550100", "555-0100",
         1, C | LOCAL | NOTIN},
    // Hidden cards can still be chosen explicitly.
    Case{kCardUser, "+1 (206) 555-0100", o::kCardOverride, kHiddenCard, "086420@2065550100",
         "0[Old Card]@206555-0100", 1, C | LD | r::kDialQuiet},
    // A card on a PBX location: the access code comes first.
    Case{kDemo, "+1 (206) 555-0100", o::kCardOverride, kExampleCard,
         "918005550199$123456789014321,12065550100",
         "918005550199$[Example Card],1206555-0100", 1, C | LD | r::kDialBilling},
    // Non-canonical input is untouched even with a card.
    Case{kCardUser, "5550100", 0, 0, "5550100", "5550100", 0, 0}));
// clang-format on

TEST(TranslateTest, DisplayableNeverShowsCardNumberOrPin) {
  for (std::uint32_t card : {kExampleCard, kLdOnlyCard, kHiddenCard}) {
    Engine engine = engineAt(kCardUser);
    const Card* c = nullptr;
    for (const Card& each : engine.config().cards) {
      if (each.id == card) c = &each;
    }
    ASSERT_NE(c, nullptr);
    for (const char* address :
         {"+1 (425) 555-0100", "+1 (206) 555-0100", "+44 20 7946 0000", "+81 (3) 1234-5678"}) {
      for (std::uint32_t options :
           {o::kCardOverride, o::kCardOverride | o::kForceLd, o::kCardOverride | o::kForceLocal}) {
        auto out = engine.translate(address, card, options);
        ASSERT_TRUE(out.isOk()) << out.status().toString();
        EXPECT_EQ(out->displayable.find(c->number), std::string::npos) << out->displayable;
        if (!c->pin.empty()) {
          EXPECT_EQ(out->displayable.find(c->pin), std::string::npos) << out->displayable;
        }
      }
    }
  }
}

struct ErrorCase {
  std::string address;
  std::uint32_t options;
  std::uint32_t card;
  Fault fault;
};

std::ostream& operator<<(std::ostream& os, const ErrorCase& c) {
  return os << "'" << c.address << "' options " << c.options << " card " << c.card;
}

class TranslateErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(TranslateErrors, GiveTheDocumentedError) {
  const ErrorCase& c = GetParam();
  Engine engine = engineAt(kDemo);
  auto out = engine.translate(c.address, c.card, c.options);
  ASSERT_FALSE(out.isOk()) << out->dialable;
  EXPECT_EQ(out.status().fault(), c.fault) << out.status().toString();
  EXPECT_FALSE(out.status().message().empty());
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(BadInput, TranslateErrors, ::testing::Values(
    ErrorCase{"", 0, 0, Fault::kBadAddress},
    ErrorCase{"+", 0, 0, Fault::kBadAddress},
    ErrorCase{"+ 425 555 0100", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 ", 0, 0, Fault::kBadAddress},
    ErrorCase{"+abc", 0, 0, Fault::kBadAddress},
    ErrorCase{"+0 123 4567", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (425 555-0100", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (4a5) 555-0100", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (425)", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (425) -.-", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (425) 555-0100)", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 425 (555) 0100", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (425) 555-01X0", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (425) 555+0100", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (425) 555;0100", 0, 0, Fault::kBadAddress},
    ErrorCase{std::string("+1 (425) 555\x01", 13) + "0100", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (425) 555-0100|sub\x7f", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1-425-555-0100W", 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (425) " + std::string(600, '5'), 0, 0, Fault::kBadAddress},
    ErrorCase{std::string(600, '5'), 0, 0, Fault::kBadAddress},
    ErrorCase{"+1 (425) 555-0100", 0x10, 0, Fault::kBadParam},
    ErrorCase{"+1 (425) 555-0100", 0x80000000, 0, Fault::kBadParam},
    ErrorCase{"+1 (425) 555-0100", o::kForceLocal | o::kForceLd, 0, Fault::kBadParam},
    ErrorCase{"+1 (425) 555-0100", o::kCardOverride, 42, Fault::kBadCard},
    // The card is checked before the address, canonical or not.
    ErrorCase{"5550100", o::kCardOverride, 42, Fault::kBadCard}));
// clang-format on

TEST(TranslateTest, NoLocationIsIniFileCorrupt) {
  Engine engine(CountryTable::builtin());
  auto out = engine.translate("+1 (425) 555-0100", 0, 0);
  ASSERT_FALSE(out.isOk());
  EXPECT_EQ(out.status().fault(), Fault::kIniFileCorrupt);
  EXPECT_EQ(engine.translate("5550100", 0, 0).status().fault(), Fault::kIniFileCorrupt);
}

TEST(TranslateTest, OptionsAreCheckedOnDialableInputToo) {
  Engine engine = engineAt(kDemo);
  EXPECT_EQ(engine.translate("5550100", 0, o::kForceLd | o::kForceLocal).status().fault(),
            Fault::kBadParam);
}

}  // namespace
}  // namespace tapir::dialing::testing
