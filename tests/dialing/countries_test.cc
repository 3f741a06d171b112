// The country list from libphonenumber and ICU (lineGetCountry).
#include <gtest/gtest.h>

#include <set>

#include "dialing/countries.h"

namespace tapir::dialing {
namespace {

struct Expected {
  std::string region;
  std::uint32_t id;
  std::uint32_t callingCode;
  std::string name;
  std::string sameArea;
  std::string longDistance;
  std::string international;
  bool tollLists;
};

class CountryRows : public ::testing::TestWithParam<Expected> {};

TEST_P(CountryRows, ComeFromLibphonenumber) {
  const Expected& e = GetParam();
  const Country* c = CountryTable::builtin().byRegion(e.region);
  ASSERT_NE(c, nullptr) << e.region;
  EXPECT_EQ(c->id, e.id);
  EXPECT_EQ(c->callingCode, e.callingCode);
  EXPECT_EQ(c->name, e.name);
  EXPECT_EQ(c->sameAreaRule, e.sameArea);
  EXPECT_EQ(c->longDistanceRule, e.longDistance);
  EXPECT_EQ(c->internationalRule, e.international);
  EXPECT_EQ(c->tollLists, e.tollLists);
  EXPECT_EQ(CountryTable::builtin().byId(e.id), c);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Countries, CountryRows, ::testing::Values(
    Expected{"US", 1, 1, "United States", "G", "1FG", "011EFG", true},
    Expected{"CA", 1052, 1, "Canada", "G", "1FG", "011EFG", true},
    Expected{"GB", 44, 44, "United Kingdom", "G", "0FG", "00EFG", false},
    Expected{"DE", 49, 49, "Germany", "G", "0FG", "00EFG", false},
    Expected{"JP", 81, 81, "Japan", "G", "0FG", "010EFG", false},
    Expected{"FR", 33, 33, "France", "G", "0FG", "00EFG", false},
    Expected{"IT", 39, 39, "Italy", "FG", "FG", "00EFG", false},
    Expected{"VA", 1546, 39, "Vatican City", "FG", "FG", "00EFG", false},
    Expected{"AU", 61, 61, "Australia", "G", "0FG", "0011EFG", false},
    Expected{"RU", 7, 7, "Russia", "G", "8FG", "8W10EFG", false},
    // Several international prefixes and none preferred: the shortest one.
    Expected{"KR", 82, 82, "South Korea", "G", "0FG", "001EFG", false},
    Expected{"SG", 65, 65, "Singapore", "FG", "FG", "000EFG", false}));
// clang-format on

TEST(CountryTableTest, ListIsLinkedInIdOrderFromTheUnitedStates) {
  const CountryTable& t = CountryTable::builtin();
  ASSERT_GT(t.all().size(), 200u);
  EXPECT_EQ(t.all().front().region, "US");
  std::set<std::uint32_t> ids;
  std::set<std::string> regions;
  for (std::size_t i = 0; i < t.all().size(); ++i) {
    const Country& c = t.all()[i];
    EXPECT_TRUE(ids.insert(c.id).second) << c.region;
    EXPECT_TRUE(regions.insert(c.region).second) << c.region;
    EXPECT_FALSE(c.name.empty()) << c.region;
    EXPECT_GT(c.callingCode, 0u) << c.region;
    // Every region gets an international prefix, one way or the other.
    EXPECT_NE(c.internationalRule, "EFG") << c.region;
    if (i + 1 < t.all().size()) {
      EXPECT_EQ(c.nextId, t.all()[i + 1].id);
      EXPECT_LT(c.id, c.nextId);
    } else {
      EXPECT_EQ(c.nextId, 0u);
    }
  }
}

TEST(CountryTableTest, SelectFollowsLineGetCountry) {
  const CountryTable& t = CountryTable::builtin();
  auto all = t.select(0);
  ASSERT_TRUE(all.isOk());
  EXPECT_EQ(all->size(), t.all().size());

  auto first = t.select(1);
  ASSERT_TRUE(first.isOk());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(first->front()->region, "US");

  auto uk = t.select(44);
  ASSERT_TRUE(uk.isOk());
  ASSERT_EQ(uk->size(), 1u);
  EXPECT_EQ(uk->front()->region, "GB");

  for (std::uint32_t bad : {2u, 999u, 1000u + 26u * 25u + 26u, 0xffffffffu}) {
    auto none = t.select(bad);
    ASSERT_FALSE(none.isOk()) << bad;
    EXPECT_EQ(none.status().fault(), Fault::kBadCountryCode);
  }
  EXPECT_EQ(t.byRegion("ZZ"), nullptr);
  EXPECT_EQ(t.byRegion("us"), nullptr);
}

TEST(CountryTableTest, GivenRowsAreSortedAndLinked) {
  Country b;
  b.id = 44;
  b.region = "GB";
  Country a;
  a.id = 1;
  a.region = "US";
  CountryTable t({b, a});
  ASSERT_EQ(t.all().size(), 2u);
  EXPECT_EQ(t.all()[0].region, "US");
  EXPECT_EQ(t.all()[0].nextId, 44u);
  EXPECT_EQ(t.all()[1].nextId, 0u);
  EXPECT_EQ(t.byId(44)->region, "GB");
}

TEST(CountryTableTest, CountryIds) {
  EXPECT_EQ(countryIdFor("US", true), 1u);
  EXPECT_EQ(countryIdFor("GB", true), 44u);
  EXPECT_EQ(countryIdFor("CA", false), 1052u);
  EXPECT_EQ(countryIdFor("GG", false), 1000u + 26u * 6u + 6u);
  EXPECT_EQ(countryIdFor("X", false), 0u);
}

}  // namespace
}  // namespace tapir::dialing
