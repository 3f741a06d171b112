#include "dialing/incoming.h"

#include <phonenumbers/phonenumber.pb.h>

#include <optional>
#include <string>

#include "dialing/phone_util.h"

namespace tapir::dialing::detail {

namespace pn = i18n::phonenumbers;

namespace {

constexpr std::size_t kMaxCallerIdLength = 64;

Status notPublic(std::string_view callerId, const char* why) {
  return Status(Fault::kBadAddress, "caller id '" + std::string(callerId) + "' " + why);
}

std::optional<pn::PhoneNumber> parseIn(const std::string& digits, const std::string& region) {
  pn::PhoneNumber number;
  if (phoneUtil().ParseAndKeepRawInput(digits, region, &number) !=
      pn::PhoneNumberUtil::NO_PARSING_ERROR) {
    return std::nullopt;
  }
  return number;
}

// A whole number: all its digits there, whatever the network.
bool complete(const pn::PhoneNumber& number) {
  return number.national_number() != 0 &&
         phoneUtil().IsPossibleNumberWithReason(number) == pn::PhoneNumberUtil::IS_POSSIBLE;
}

IncomingNumber describe(const pn::PhoneNumber& number) {
  IncomingNumber out;
  out.countryCode = static_cast<std::uint32_t>(number.country_code());
  phoneUtil().Format(number, pn::PhoneNumberUtil::E164, &out.e164);
  std::string national;
  phoneUtil().GetNationalSignificantNumber(number, &national);
  const std::size_t area = areaCodeLength(out.countryCode, national);
  out.canonical = "+" + std::to_string(out.countryCode) + " ";
  if (area > 0) {
    out.canonical += "(" + national.substr(0, area) + ") " + national.substr(area);
  } else {
    out.canonical += national;
  }
  return out;
}

}  // namespace

Result<IncomingNumber> normalizeIncoming(const Location& location, const Country& country,
                                         std::string_view callerId) {
  if (callerId.empty()) return Status(Fault::kBadAddress, "empty caller id");
  if (callerId.size() > kMaxCallerIdLength) return notPublic("...", "is too long");
  // Digits, a leading '+', and the punctuation networks and people add.
  std::string digits;
  bool plus = false;
  for (char ch : callerId) {
    if (ch >= '0' && ch <= '9') {
      digits += ch;
    } else if (ch == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (ch != ' ' && ch != '.' && ch != '-' && ch != '(' && ch != ')' && ch != '/') {
      return notPublic(callerId, "is not a telephone number");
    }
  }
  if (digits.empty()) return notPublic(callerId, "has no digits");

  if (plus) {
    auto number = parseIn("+" + digits, "ZZ");
    if (!number || number->country_code() <= 0) {
      return notPublic(callerId, "has no known country code");
    }
    if (!complete(*number)) return notPublic(callerId, "is not a complete public number");
    return describe(*number);
  }

  const std::string region = location.region;
  auto asGiven = parseIn(digits, region);
  if (!asGiven) return notPublic(callerId, "is not a telephone number");
  // With an international prefix, or with the trunk prefix: complete already.
  const auto source = asGiven->country_code_source();
  if (source == pn::PhoneNumber::FROM_NUMBER_WITH_IDD ||
      source == pn::PhoneNumber::FROM_NUMBER_WITH_PLUS_SIGN) {
    if (!complete(*asGiven)) return notPublic(callerId, "is not a complete public number");
    return describe(*asGiven);
  }
  std::string national;
  phoneUtil().GetNationalSignificantNumber(*asGiven, &national);
  const std::string& trunk = country.nationalPrefix;
  if (!trunk.empty() && digits.size() > trunk.size() &&
      digits.compare(0, trunk.size(), trunk) == 0 && national == digits.substr(trunk.size())) {
    if (!complete(*asGiven)) return notPublic(callerId, "is not a complete public number");
    return describe(*asGiven);
  }

  // Without either: a local number (gets the location's area code) or, where
  // that makes no valid number, a national one. Valid beats merely possible.
  std::optional<pn::PhoneNumber> candidates[2];
  if (!location.areaCode.empty() && !trunk.empty()) {
    candidates[0] = parseIn(location.areaCode + digits, region);
  }
  candidates[1] = asGiven;
  for (const auto& c : candidates) {
    if (c && complete(*c) && phoneUtil().IsValidNumber(*c)) return describe(*c);
  }
  for (const auto& c : candidates) {
    if (c && complete(*c)) return describe(*c);
  }
  return notPublic(callerId, "is not a complete public number");
}

}  // namespace tapir::dialing::detail
