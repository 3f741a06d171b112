// Dialing rules: the strings of letters, digits and dial modifiers that say
// how a call is dialed (docs/dialing.md, "Rule letters"). Internal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tapir::dialing::detail {

// Why `rule` is not a valid rule, or nullopt if it is.
std::optional<std::string> checkRule(std::string_view rule);
// Why `text` is not a valid run of dial characters (access codes, carrier
// codes, cancel-call-waiting strings, card numbers), or nullopt.
std::optional<std::string> checkDialChars(std::string_view text);
// Why `text` is not a non-empty string of decimal digits, or nullopt.
std::optional<std::string> checkDigits(std::string_view text);

// What the rule letters stand for in one translation.
struct RuleValues {
  std::string_view countryCode;   // E
  std::string_view areaCode;      // F
  std::string_view localNumber;   // G, for the dialable string
  std::string_view localDisplay;  // G, for the displayable string (formatting kept)
  std::string_view cardNumber;    // H
  std::string_view pin;           // K (and after H when the rule has no K)
  std::string_view cardName;      // shown for H
  std::string_view ldCarrier;     // L
  std::string_view intlCarrier;   // M
};

// Appends the expansion of `rule` to `dialable` and `displayable`. In the
// displayable string H becomes "[card name]" and K "[PIN]".
void expandRule(std::string_view rule, const RuleValues& values, std::string& dialable,
                std::string& displayable);

// `rule` with the area code dialed (an F before the first G if it has none)
// or not dialed (every F removed).
std::string withAreaCode(std::string_view rule, bool dialAreaCode);

}  // namespace tapir::dialing::detail
