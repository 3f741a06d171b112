// Incoming caller ids to E.164 and canonical form, from the current location.
#include <gtest/gtest.h>

#include <ostream>

#include "test_locations.h"

namespace tapir::dialing::testing {
namespace {

struct Incoming {
  std::uint32_t location;
  std::string callerId;
  std::string e164;
  std::string canonical;
  std::uint32_t countryCode;
};

std::ostream& operator<<(std::ostream& os, const Incoming& c) {
  return os << "location " << c.location << " '" << c.callerId << "'";
}

class IncomingTable : public ::testing::TestWithParam<Incoming> {};

TEST_P(IncomingTable, NormalizesToE164) {
  const Incoming& c = GetParam();
  Engine engine = engineAt(c.location);
  auto n = engine.normalizeIncoming(c.callerId);
  ASSERT_TRUE(n.isOk()) << n.status().toString();
  EXPECT_EQ(n->e164, c.e164);
  EXPECT_EQ(n->canonical, c.canonical);
  EXPECT_EQ(n->countryCode, c.countryCode);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Incoming, IncomingTable, ::testing::Values(
    // The demo switch presents outside callers as 7 digits.
    Incoming{kDemo, "5550100", "+14255550100", "+1 (425) 5550100", 1},
    Incoming{kDemo, "555-0100", "+14255550100", "+1 (425) 5550100", 1},
    Incoming{kDemo, "2065550100", "+12065550100", "+1 (206) 5550100", 1},
    Incoming{kDemo, "(206) 555-0100", "+12065550100", "+1 (206) 5550100", 1},
    Incoming{kDemo, "12065550100", "+12065550100", "+1 (206) 5550100", 1},
    Incoming{kDemo, "011 44 20 7946 0000", "+442079460000", "+44 (20) 79460000", 44},
    Incoming{kDemo, "+44 20 7946 0000", "+442079460000", "+44 (20) 79460000", 44},
    Incoming{kDemo, "+1 (425) 555-0100", "+14255550100", "+1 (425) 5550100", 1},
    Incoming{kLondon, "79460000", "+442079460000", "+44 (20) 79460000", 44},
    Incoming{kLondon, "020 7946 0000", "+442079460000", "+44 (20) 79460000", 44},
    Incoming{kLondon, "07700 900123", "+447700900123", "+44 (7700) 900123", 44},
    Incoming{kLondon, "00 1 425 555 0100", "+14255550100", "+1 (425) 5550100", 1},
    Incoming{kBerlin, "1234567", "+49301234567", "+49 (30) 1234567", 49},
    Incoming{kBerlin, "089 12345678", "+498912345678", "+49 (89) 12345678", 49},
    Incoming{kTokyo, "1234-5678", "+81312345678", "+81 (3) 12345678", 81},
    Incoming{kTokyo, "06-1234-5678", "+81612345678", "+81 (6) 12345678", 81},
    Incoming{kRome, "06 1234 5678", "+390612345678", "+39 (06) 12345678", 39},
    // A normalized number translates back to what to dial.
    Incoming{kSeattle, "4255550100", "+14255550100", "+1 (425) 5550100", 1}));
// clang-format on

TEST(IncomingTest, CanonicalFormTranslatesBack) {
  Engine engine = engineAt(kDemo);
  auto n = engine.normalizeIncoming("5550100");
  ASSERT_TRUE(n.isOk());
  auto out = engine.translate(n->canonical, 0, 0);
  ASSERT_TRUE(out.isOk());
  EXPECT_EQ(out->dialable, "95550100");
}

TEST(IncomingTest, NotAPublicNumberIsBadAddress) {
  Engine engine = engineAt(kDemo);
  for (const char* id : {"", "201", "Anonymous", "private", "+", "555*0100", "5550100#",
                         "++14255550100", "+999 123", " 0112.000", "+20 00", "011", "1", "+1 555",
                         "1234567890123456789012345678901234567890"
                         "12345678901234567890123456789"}) {
    auto n = engine.normalizeIncoming(id);
    ASSERT_FALSE(n.isOk()) << id << " -> " << n->e164;
    EXPECT_EQ(n.status().fault(), Fault::kBadAddress) << id;
  }
  Engine empty(CountryTable::builtin());
  EXPECT_EQ(empty.normalizeIncoming("5550100").status().fault(), Fault::kIniFileCorrupt);
}

}  // namespace
}  // namespace tapir::dialing::testing
