// The canonical address parser: what it takes apart, and what it refuses.
#include <gtest/gtest.h>

#include "dialing/canonical.h"

namespace tapir::dialing {
namespace {

struct Good {
  std::string text;
  std::string countryCode;
  bool hasAreaCode;
  std::string areaCode;
  std::string subscriber;
  std::string subaddress;  // "-" for none
  std::string name;        // "-" for none
};

class CanonicalGood : public ::testing::TestWithParam<Good> {};

TEST_P(CanonicalGood, TakesTheAddressApart) {
  const Good& g = GetParam();
  auto a = parseCanonical(g.text);
  ASSERT_TRUE(a.isOk()) << g.text << ": " << a.status().toString();
  EXPECT_EQ(a->countryCode, g.countryCode);
  EXPECT_EQ(a->hasAreaCode, g.hasAreaCode);
  EXPECT_EQ(a->areaCode, g.areaCode);
  EXPECT_EQ(a->subscriber, g.subscriber);
  EXPECT_EQ(a->hasSubaddress, g.subaddress != "-");
  if (g.subaddress != "-") {
    EXPECT_EQ(a->subaddress, g.subaddress);
  }
  EXPECT_EQ(a->hasName, g.name != "-");
  if (g.name != "-") {
    EXPECT_EQ(a->name, g.name);
  }
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Canonical, CanonicalGood, ::testing::Values(
    Good{"+1 (425) 882-8080", "1", true, "425", "882-8080", "-", "-"},
    Good{"+44 20 7946 0000", "44", false, "", "20 7946 0000", "-", "-"},
    Good{"+353 (1) 234 5678", "353", true, "1", "234 5678", "-", "-"},
    Good{"+1 () 5550100", "1", true, "", "5550100", "-", "-"},
    Good{"+1  (425)  555.0100  ", "1", true, "425", "555.0100", "-", "-"},
    Good{"+1 (425)555-0100", "1", true, "425", "555-0100", "-", "-"},
    Good{"+1 (425) 555-0100W,,123#", "1", true, "425", "555-0100W,,123#", "-", "-"},
    Good{"+1 (425) 555-0100|12^Alice", "1", true, "425", "555-0100", "12", "Alice"},
    Good{"+1 (425) 555-0100^Bob|Smith", "1", true, "425", "555-0100", "-", "Bob|Smith"},
    Good{"+1 (425) 555-0100|", "1", true, "425", "555-0100", "", "-"},
    Good{"+1 (425) 555-0100\r\n+44 20 7946 0000", "1", true, "425", "555-0100", "-", "-"},
    Good{"+1 (425) 555-0100\n", "1", true, "425", "555-0100", "-", "-"},
    // Compact E.164: libphonenumber splits the calling code.
    Good{"+14255550100", "1", false, "", "4255550100", "-", "-"},
    Good{"+442079460000", "44", false, "", "2079460000", "-", "-"},
    Good{"+4420 7946 0000", "44", false, "", "2079460000", "-", "-"},
    Good{"+1(425)555-0100|7", "1", false, "", "4255550100", "7", "-"},
    Good{"+390612345678", "39", false, "", "0612345678", "-", "-"}));

class CanonicalBad : public ::testing::TestWithParam<std::string> {};

TEST_P(CanonicalBad, IsBadAddress) {
  auto a = parseCanonical(GetParam());
  ASSERT_FALSE(a.isOk()) << GetParam();
  EXPECT_EQ(a.status().fault(), Fault::kBadAddress);
  EXPECT_FALSE(a.status().message().empty());
}

INSTANTIATE_TEST_SUITE_P(Canonical, CanonicalBad, ::testing::Values(
    "", "5550100", "+", "+ ", "+1", "+1 ", "+1 ()", "+0 5550100", "+abc", "+1 (425",
    "+1 (42 5) 5550100", "+1 (425) 555(0100)", "+1 (425) 555-0100 x12", "+1 (425) 555/0100",
    "+1 (425) |12", "+1 (425) ^name", "+999 ", "+1-800-FLOWERS", "+99912345",
    std::string("+1 (425) 555\x01" "0100", 16), std::string("+1 (425) 555\0" "0100", 16),
    "+1 (425) " + std::string(600, '5')));
// clang-format on

TEST(CanonicalTest, FormattingHelpers) {
  EXPECT_TRUE(isCanonical("+1"));
  EXPECT_FALSE(isCanonical(""));
  EXPECT_FALSE(isCanonical(" +1"));
  EXPECT_EQ(stripFormatting("555-01.00 W1"), "5550100W1");
  for (char ch : std::string("!#$*,?@:ABCDabcdPpTtWw"))
    EXPECT_TRUE(isDialModifier(ch)) << ch;
  for (char ch : std::string("0eEfFgGhHxX;+()|^ "))
    EXPECT_FALSE(isDialModifier(ch)) << ch;
}

}  // namespace
}  // namespace tapir::dialing
