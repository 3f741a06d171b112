#include "dialing/canonical.h"

#include "dialing/phone_util.h"

namespace tapir::dialing {

namespace {

bool isDigit(char ch) {
  return ch >= '0' && ch <= '9';
}

Status bad(std::string what) {
  return Status(Fault::kBadAddress, std::move(what));
}

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

// The number part (before '|' or '^') into `number`; the ancillary fields
// into `out`.
void splitAncillary(std::string_view text, std::string_view& number, CanonicalAddress& out) {
  const std::size_t bar = text.find('|');
  const std::size_t caret = text.find('^');
  const std::size_t numberEnd = std::min(bar, caret);
  number = text.substr(0, numberEnd);
  if (bar != std::string_view::npos && bar < caret) {
    out.hasSubaddress = true;
    const std::size_t end = caret == std::string_view::npos ? text.size() : caret;
    out.subaddress = std::string(text.substr(bar + 1, end - bar - 1));
  }
  if (caret != std::string_view::npos) {
    out.hasName = true;
    out.name = std::string(text.substr(caret + 1));
  }
}

// "+14255550100", "+1-425-555-0100", "+1(425)555-0100": digits and
// formatting only; libphonenumber finds where the calling code ends.
Status parseCompact(std::string_view number, CanonicalAddress& out) {
  std::string digits;
  for (char ch : number.substr(1)) {
    if (isDigit(ch)) {
      digits += ch;
    } else if (!isFormatting(ch) && ch != '(' && ch != ')') {
      return bad(std::string("'") + ch +
                 "' in a canonical address without a space after "
                 "the country code");
    }
  }
  if (digits.empty()) return bad("no country code after '+'");
  const auto split = detail::splitInternational(digits);
  if (!split) return bad("'" + std::string(number) + "' has no known country code");
  out.countryCode = std::to_string(split->countryCode);
  out.subscriber = split->national;
  return Status::ok();
}

}  // namespace

bool isDialModifier(char ch) {
  switch (ch) {
    case '!':
    case '#':
    case '$':
    case '*':
    case ',':
    case '?':
    case '@':
    case ':':
    case 'A':
    case 'B':
    case 'C':
    case 'D':
    case 'a':
    case 'b':
    case 'c':
    case 'd':
    case 'P':
    case 'p':
    case 'T':
    case 't':
    case 'W':
    case 'w':
      return true;
    default:
      return false;
  }
}

std::string stripFormatting(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    if (!isFormatting(ch)) out += ch;
  }
  return out;
}

Result<CanonicalAddress> parseCanonical(std::string_view address) {
  if (address.empty()) return bad("empty address");
  if (address.size() > kMaxAddressLength) {
    return bad("address longer than " + std::to_string(kMaxAddressLength) + " characters");
  }
  if (address.front() != '+') return bad("a canonical address starts with '+'");
  // Only the first of several addresses (CRLF-separated) is translated.
  address = address.substr(0, address.find_first_of("\r\n"));
  for (char ch : address) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f) return bad("control character in the address");
  }

  CanonicalAddress out;
  std::string_view number;
  splitAncillary(address, number, out);

  // The spaced form has 1-3 digits, then a space, after the '+'.
  std::size_t ccEnd = 1;
  while (ccEnd < number.size() && isDigit(number[ccEnd]))
    ++ccEnd;
  const std::size_t ccLength = ccEnd - 1;
  if (ccEnd >= number.size() || number[ccEnd] != ' ' || ccLength == 0 || ccLength > 3) {
    TAPIR_RETURN_IF_ERROR(parseCompact(number, out));
    return out;
  }
  if (number[1] == '0') return bad("a country code never starts with 0");
  out.countryCode = std::string(number.substr(1, ccLength));

  std::string_view rest = trimSpaces(number.substr(ccEnd));
  if (!rest.empty() && rest.front() == '(') {
    const std::size_t close = rest.find(')');
    if (close == std::string_view::npos) return bad("'(' without ')' around the area code");
    const std::string_view area = rest.substr(1, close - 1);
    for (char ch : area) {
      if (!isDigit(ch)) return bad(std::string("'") + ch + "' in the area code");
    }
    out.hasAreaCode = true;
    out.areaCode = std::string(area);
    rest = trimSpaces(rest.substr(close + 1));
  }
  bool anyDigit = false;
  for (char ch : rest) {
    if (isDigit(ch)) {
      anyDigit = true;
    } else if (ch == '(' || ch == ')') {
      return bad("parentheses belong around the area code only");
    } else if (!isFormatting(ch) && !isDialModifier(ch)) {
      return bad(std::string("'") + ch + "' in the subscriber number");
    }
  }
  if (!anyDigit) return bad("no subscriber number");
  out.subscriber = std::string(rest);
  return out;
}

}  // namespace tapir::dialing
