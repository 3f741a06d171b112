#include "dialing/phone_util.h"

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumber.pb.h>

namespace tapir::dialing::detail {

namespace pn = i18n::phonenumbers;

const pn::PhoneNumberUtil& phoneUtil() {
  static const pn::PhoneNumberUtil* const util = [] {
    pn::PhoneNumberUtil* u = pn::PhoneNumberUtil::GetInstance();
    u->SetLogger(new pn::NullLogger());  // takes ownership
    return u;
  }();
  return *util;
}

std::optional<SplitNumber> splitInternational(std::string_view digits) {
  if (digits.empty() || digits.size() > 32) return std::nullopt;
  pn::PhoneNumber number;
  const std::string text = "+" + std::string(digits);
  if (phoneUtil().Parse(text, "ZZ", &number) != pn::PhoneNumberUtil::NO_PARSING_ERROR) {
    return std::nullopt;
  }
  if (number.country_code() <= 0) return std::nullopt;
  SplitNumber out;
  out.countryCode = static_cast<std::uint32_t>(number.country_code());
  phoneUtil().GetNationalSignificantNumber(number, &out.national);
  if (out.national.empty()) return std::nullopt;
  return out;
}

std::size_t areaCodeLength(std::uint32_t countryCode, std::string_view national) {
  if (national.empty() || national.size() > 20 || countryCode == 0 || countryCode > 999) return 0;
  pn::PhoneNumber number;
  const std::string text = "+" + std::to_string(countryCode) + std::string(national);
  if (phoneUtil().Parse(text, "ZZ", &number) != pn::PhoneNumberUtil::NO_PARSING_ERROR) return 0;
  if (number.country_code() != static_cast<int>(countryCode)) return 0;
  std::string nsn;
  phoneUtil().GetNationalSignificantNumber(number, &nsn);
  // libphonenumber may have read the digits differently (a stripped trunk
  // prefix, say); then its split does not apply to ours.
  if (nsn != national) return 0;
  const int length = phoneUtil().GetLengthOfNationalDestinationCode(number);
  if (length <= 0 || static_cast<std::size_t>(length) >= national.size()) return 0;
  return static_cast<std::size_t>(length);
}

}  // namespace tapir::dialing::detail
