// The module's one doorway to libphonenumber (internal: only src/dialing/*.cc
// include this). libphonenumber's own logging is silenced here.
#pragma once

#include <phonenumbers/phonenumberutil.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tapir::dialing::detail {

const i18n::phonenumbers::PhoneNumberUtil& phoneUtil();

struct SplitNumber {
  std::uint32_t countryCode = 0;
  std::string national;  // national significant number, digits
};

// "+" followed by `digits` (digits only): its calling code and national
// number, or nullopt when libphonenumber finds no calling code.
std::optional<SplitNumber> splitInternational(std::string_view digits);

// How many leading digits of `national` are its area code (libphonenumber's
// national destination code: a geographic area code, or a mobile or service
// prefix). 0 when there is none or libphonenumber cannot tell.
std::size_t areaCodeLength(std::uint32_t countryCode, std::string_view national);

}  // namespace tapir::dialing::detail
