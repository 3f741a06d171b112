#include "dialing/countries.h"

#include <phonenumbers/phonenumber.pb.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <set>
#include <string>

#include "dialing/phone_util.h"

namespace tapir::dialing {

namespace pn = i18n::phonenumbers;

namespace {

std::string englishName(const std::string& region) {
  icu::UnicodeString name;
  icu::Locale("", region.c_str()).getDisplayCountry(icu::Locale::getEnglish(), name);
  std::string out;
  name.toUTF8String(out);
  return out.empty() ? region : out;
}

// libphonenumber marks "wait for dial tone" in a prefix with '~' (Russia's
// "8~10"); TAPI's letter for it is 'W'.
std::string toRule(std::string prefix) {
  std::replace(prefix.begin(), prefix.end(), '~', 'W');
  return prefix;
}

// The international prefix libphonenumber formats with when calling abroad
// from `region`: its preferred prefix, or its only one.
std::string formattedInternationalPrefix(const std::string& region, int callingCode) {
  pn::PhoneNumber abroad;
  abroad.set_country_code(callingCode == 44 ? 49 : 44);
  abroad.set_national_number(callingCode == 44 ? 3012345678ULL : 2079460000ULL);
  std::string formatted;
  detail::phoneUtil().FormatOutOfCountryCallingNumber(abroad, region, &formatted);
  if (formatted.empty() || formatted[0] == '+') return {};
  return formatted.substr(0, formatted.find(' '));
}

// Regions where several international prefixes are in use (carrier selection)
// and none is preferred: the shortest, then smallest, digit string that
// libphonenumber accepts as an international prefix from there.
std::string probedInternationalPrefix(const std::string& region, int callingCode) {
  const int target = callingCode == 44 ? 49 : 44;
  const std::string rest = callingCode == 44 ? " 30 12345678" : " 20 7946 0000";
  const pn::uint64 national = callingCode == 44 ? 3012345678ULL : 2079460000ULL;
  for (int length = 1, limit = 10; length <= 4; ++length, limit *= 10) {
    for (int value = 0; value < limit; ++value) {
      std::string candidate = std::to_string(value);
      candidate.insert(0, static_cast<std::size_t>(length) - candidate.size(), '0');
      pn::PhoneNumber parsed;
      const std::string text = candidate + " " + std::to_string(target) + rest;
      if (detail::phoneUtil().ParseAndKeepRawInput(text, region, &parsed) !=
          pn::PhoneNumberUtil::NO_PARSING_ERROR) {
        continue;
      }
      if (parsed.country_code_source() == pn::PhoneNumber::FROM_NUMBER_WITH_IDD &&
          parsed.country_code() == target && parsed.national_number() == national) {
        return candidate;
      }
    }
  }
  return {};
}

std::vector<Country> buildFromLibphonenumber() {
  const pn::PhoneNumberUtil& util = detail::phoneUtil();
  std::set<std::string> regions;
  util.GetSupportedRegions(&regions);
  std::vector<Country> out;
  out.reserve(regions.size());
  for (const std::string& region : regions) {
    const int code = util.GetCountryCodeForRegion(region);
    if (code <= 0) continue;
    std::string mainRegion;
    util.GetRegionCodeForCountryCode(code, &mainRegion);
    Country c;
    c.region = region;
    c.callingCode = static_cast<std::uint32_t>(code);
    c.id = countryIdFor(region, mainRegion == region);
    c.name = englishName(region);
    util.GetNddPrefixForRegion(region, /*strip_non_digits=*/true, &c.nationalPrefix);
    c.internationalPrefix = formattedInternationalPrefix(region, code);
    if (c.internationalPrefix.empty())
      c.internationalPrefix = probedInternationalPrefix(region, code);
    c.internationalPrefix = toRule(c.internationalPrefix);
    c.sameAreaRule = c.nationalPrefix.empty() ? "FG" : "G";
    c.longDistanceRule = c.nationalPrefix + "FG";
    c.internationalRule = c.internationalPrefix + "EFG";
    c.tollLists = util.IsNANPACountry(region);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::uint32_t countryIdFor(std::string_view region, bool mainRegion) {
  if (region.size() != 2) return 0;
  if (mainRegion) {
    return static_cast<std::uint32_t>(
        detail::phoneUtil().GetCountryCodeForRegion(std::string(region)));
  }
  const auto letter = [](char ch) { return static_cast<std::uint32_t>(ch - 'A'); };
  return 1000 + 26 * letter(region[0]) + letter(region[1]);
}

const CountryTable& CountryTable::builtin() {
  static const CountryTable table(buildFromLibphonenumber());
  return table;
}

CountryTable::CountryTable(std::vector<Country> countries) : countries_(std::move(countries)) {
  std::sort(countries_.begin(), countries_.end(),
            [](const Country& a, const Country& b) { return a.id < b.id; });
  for (std::size_t i = 0; i < countries_.size(); ++i) {
    countries_[i].nextId = i + 1 < countries_.size() ? countries_[i + 1].id : 0;
    byId_.emplace(countries_[i].id, i);
    byRegion_.emplace(countries_[i].region, i);
  }
}

const Country* CountryTable::byId(std::uint32_t id) const {
  auto it = byId_.find(id);
  return it == byId_.end() ? nullptr : &countries_[it->second];
}

const Country* CountryTable::byRegion(std::string_view region) const {
  auto it = byRegion_.find(std::string(region));
  return it == byRegion_.end() ? nullptr : &countries_[it->second];
}

Result<std::vector<const Country*>> CountryTable::select(std::uint32_t id) const {
  std::vector<const Country*> out;
  if (id == 0) {
    out.reserve(countries_.size());
    for (const Country& c : countries_)
      out.push_back(&c);
    return out;
  }
  const Country* c = id == 1 && !countries_.empty() ? &countries_.front() : byId(id);
  if (c == nullptr) {
    return Status(Fault::kBadCountryCode, "no country or region with id " + std::to_string(id));
  }
  out.push_back(c);
  return out;
}

}  // namespace tapir::dialing
