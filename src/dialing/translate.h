// Address translation (lineTranslateAddress) as pure functions over a
// configuration; Engine wraps them. Internal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dialing/canonical.h"
#include "dialing/countries.h"
#include "dialing/types.h"
#include "tapir/status.h"

namespace tapir::dialing::detail {

// A canonical address resolved into the parts the rules dial.
struct Destination {
  std::uint32_t countryCode = 0;
  std::string areaCode;      // digits; empty if the address has none
  std::string local;         // G for dialing: subscriber without area code and formatting
  std::string localDisplay;  // G for display: as written
};

// Splits the subscriber of `address`: the area code in parentheses if given,
// else the area code libphonenumber finds at the start of the subscriber
// number (digits and formatting only), else none.
Destination resolve(const CanonicalAddress& address);

// The current location of `config`, or Fault::kIniFileCorrupt when there is
// none (no locations configured: TAPI's answer before setup).
Result<const Location*> currentLocation(const DialingConfig& config);

Result<TranslateOutput> translate(const CountryTable& countries, const DialingConfig& config,
                                  std::string_view address, std::uint32_t card,
                                  std::uint32_t options);

// The effective rules of `location`: its own where set, else its country's.
struct Rules {
  std::string sameArea;
  std::string longDistance;
  std::string international;
};
Rules locationRules(const Location& location, const Country& country);

}  // namespace tapir::dialing::detail
