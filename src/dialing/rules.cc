#include "dialing/rules.h"

#include "dialing/canonical.h"

namespace tapir::dialing::detail {

namespace {

bool isDigit(char ch) {
  return ch >= '0' && ch <= '9';
}
bool isRuleLetter(char ch) {
  return ch == 'E' || ch == 'F' || ch == 'G' || ch == 'H' || ch == 'K' || ch == 'L' || ch == 'M';
}

std::string quoted(char ch) {
  return std::string("'") + ch + "'";
}

}  // namespace

std::optional<std::string> checkRule(std::string_view rule) {
  for (char ch : rule) {
    if (!isDigit(ch) && !isRuleLetter(ch) && !isDialModifier(ch)) {
      return quoted(ch) + " is not a rule letter, digit or dial modifier";
    }
  }
  return std::nullopt;
}

std::optional<std::string> checkDialChars(std::string_view text) {
  for (char ch : text) {
    if (!isDigit(ch) && !isDialModifier(ch)) return quoted(ch) + " is not a digit or dial modifier";
  }
  return std::nullopt;
}

std::optional<std::string> checkDigits(std::string_view text) {
  if (text.empty()) return "empty";
  for (char ch : text) {
    if (!isDigit(ch)) return quoted(ch) + " is not a digit";
  }
  return std::nullopt;
}

void expandRule(std::string_view rule, const RuleValues& v, std::string& dialable,
                std::string& displayable) {
  const bool pinPlaced = rule.find('K') != std::string_view::npos;
  const auto both = [&](std::string_view text) {
    dialable += text;
    displayable += text;
  };
  for (char ch : rule) {
    switch (ch) {
      case 'E':
        both(v.countryCode);
        break;
      case 'F':
        both(v.areaCode);
        break;
      case 'G':
        dialable += v.localNumber;
        displayable += v.localDisplay;
        break;
      case 'H':
        dialable += v.cardNumber;
        if (!pinPlaced) dialable += v.pin;
        displayable += '[';
        displayable += v.cardName;
        displayable += ']';
        break;
      case 'K':
        dialable += v.pin;
        displayable += "[PIN]";
        break;
      case 'L':
        both(v.ldCarrier);
        break;
      case 'M':
        both(v.intlCarrier);
        break;
      default:
        dialable += ch;
        displayable += ch;
        break;
    }
  }
}

std::string withAreaCode(std::string_view rule, bool dialAreaCode) {
  std::string out;
  if (!dialAreaCode) {
    for (char ch : rule) {
      if (ch != 'F') out += ch;
    }
    return out;
  }
  out = std::string(rule);
  if (out.find('F') == std::string::npos) {
    const std::size_t g = out.find('G');
    out.insert(g == std::string::npos ? out.size() : g, 1, 'F');
  }
  return out;
}

}  // namespace tapir::dialing::detail
