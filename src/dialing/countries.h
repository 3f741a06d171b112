// The country list (lineGetCountry): every region libphonenumber knows, with
// its calling code, English name (ICU) and dialing rules.
//
// The rules are derived, not written by hand: same area "G" ("FG" where the
// country has no trunk prefix, i.e. a closed numbering plan), long distance
// trunk prefix + "FG", international the region's international prefix +
// "EFG". docs/dialing.md explains the derivation and the country ids.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dialing/types.h"
#include "tapir/status.h"

namespace tapir::dialing {

class CountryTable {
 public:
  // The table built from the installed libphonenumber, once per process
  // (immutable afterwards, so safe to share between threads).
  static const CountryTable& builtin();

  // A table from given rows (tests); rows are sorted by id and linked.
  explicit CountryTable(std::vector<Country> countries);

  // Every country, in list order (ascending id; id 1, the United States, first).
  const std::vector<Country>& all() const { return countries_; }
  const Country* byId(std::uint32_t id) const;
  const Country* byRegion(std::string_view region) const;

  // lineGetCountry: id 0 gives every country, any other id that one country
  // (id 1 is also the first of the list). Unknown id: Fault::kBadCountryCode.
  Result<std::vector<const Country*>> select(std::uint32_t id) const;

 private:
  std::vector<Country> countries_;
  std::unordered_map<std::uint32_t, std::size_t> byId_;
  std::unordered_map<std::string, std::size_t> byRegion_;
};

// The country id of a region: the calling code for the main region of that
// code (US = 1, GB = 44), 1000 + 26 * letter1 + letter2 for the other regions
// sharing a code (CA = 1052).
std::uint32_t countryIdFor(std::string_view region, bool mainRegion);

}  // namespace tapir::dialing
