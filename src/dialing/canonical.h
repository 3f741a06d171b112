// The canonical address format (the TAPI reference, "Canonical Addresses"):
//
//   +CountryCode Space [(AreaCode) Space] SubscriberNumber [|Subaddress] [^Name] [CRLF ...]
//
// parseCanonical() reads the first address of such a string. It also takes the
// compact E.164 spelling ("+14255550100", "+1-425-555-0100"), splitting off
// the calling code with libphonenumber. Pure apart from libphonenumber's
// read-only metadata; fuzzed (fuzz/dialing/canonical_fuzz.cc).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tapir/status.h"

namespace tapir::dialing {

inline constexpr std::size_t kMaxAddressLength = 512;

struct CanonicalAddress {
  std::string countryCode;   // 1-3 digits, no leading zero
  bool hasAreaCode = false;  // the address gave "(...)", possibly empty
  std::string areaCode;      // digits
  std::string subscriber;    // as written: digits, dial modifiers, spaces, '.', '-'
  bool hasSubaddress = false;
  std::string subaddress;
  bool hasName = false;
  std::string name;
};

// True if the address is meant as canonical (it starts with '+').
inline bool isCanonical(std::string_view address) {
  return !address.empty() && address.front() == '+';
}

// The first address of `address` (up to the first CR or LF). Errors:
// Fault::kBadAddress, with a message saying what is wrong.
Result<CanonicalAddress> parseCanonical(std::string_view address);

// Characters allowed in a dialable number besides digits: TAPI's dial
// modifiers and DTMF letters.
bool isDialModifier(char ch);
// Formatting characters a subscriber number may carry: dropped when dialing.
inline bool isFormatting(char ch) {
  return ch == ' ' || ch == '.' || ch == '-';
}

// `text` without its formatting characters.
std::string stripFormatting(std::string_view text);

}  // namespace tapir::dialing
