// Fuzzes the canonical-address parser, and the translation and caller-id
// normalization behind it, with arbitrary text: an answer or a clear error,
// never a crash, and the invariants below always hold.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dialing/canonical.h"
#include "dialing/dialing.h"

namespace {

using namespace tapir::dialing;

bool isDigit(char ch) {
  return ch >= '0' && ch <= '9';
}

void check(bool ok) {
  if (!ok) __builtin_trap();
}

DialingConfig fuzzConfig() {
  DialingConfig c;
  Location demo;
  demo.id = 1;
  demo.name = "Demo";
  demo.region = "US";
  demo.areaCode = "425";
  demo.localAccessCode = "9";
  demo.longDistanceAccessCode = "9";
  demo.cancelCallWaiting = "*70,";
  demo.tollPrefixes = {"555"};
  demo.areaCodeRules.push_back({"206", {"556"}, true, false});
  demo.preferredCardId = 1;
  c.locations.push_back(demo);
  Card card;
  card.id = 1;
  card.name = "Card";
  card.number = "8642";
  card.pin = "#7#";  // the only '#' the engine could add to a string
  card.longDistanceRule = "18005550199$H,1FG";
  card.internationalRule = "18005550199$HWK,011EFG";
  c.cards.push_back(card);
  c.currentLocationId = 1;
  return c;
}

const Engine& engine() {
  static const Engine* e = [] {
    auto* made = new Engine(CountryTable::builtin());
    if (!made->setConfig(fuzzConfig()).isOk()) __builtin_trap();
    return made;
  }();
  return *e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4 * kMaxAddressLength) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto parsed = parseCanonical(text);
  if (parsed) {
    const CanonicalAddress& a = *parsed;
    check(!a.countryCode.empty() && a.countryCode.size() <= 3 && a.countryCode[0] != '0');
    for (char ch : a.countryCode)
      check(isDigit(ch));
    for (char ch : a.areaCode)
      check(isDigit(ch));
    bool digit = false;
    for (char ch : a.subscriber) {
      digit = digit || isDigit(ch);
      check(isDigit(ch) || isFormatting(ch) || isDialModifier(ch));
    }
    check(digit);
    check(a.subaddress.find_first_of("\r\n") == std::string::npos);
    check(a.name.find_first_of("\r\n") == std::string::npos);
  } else {
    check(parsed.status().fault() == tapir::Fault::kBadAddress);
    check(!parsed.status().message().empty());
  }

  const bool hasHash = text.find('#') != std::string_view::npos;
  for (std::uint32_t options : {0u, 2u, 4u, 8u, 1u}) {
    auto out = engine().translate(text, /*card=*/0, options);
    if (!out) {
      check(!out.status().message().empty());
      continue;
    }
    if (isCanonical(text)) {
      check(parsed.isOk());
      check((out->results & translate_result::kCanonical) != 0);
      // The number part of the dialable string has no formatting left.
      const std::string_view number =
          std::string_view(out->dialable).substr(0, out->dialable.find_first_of("|^"));
      for (char ch : number)
        check(isDigit(ch) || isDialModifier(ch));
      // The PIN never reaches the displayable string.
      if (!hasHash) check(out->displayable.find('#') == std::string::npos);
    } else {
      check(out->dialable == text);
      check(out->destCountry == 0);
    }
  }

  auto incoming = engine().normalizeIncoming(text);
  if (incoming) {
    check(incoming->e164.size() > 1 && incoming->e164[0] == '+');
    check(engine().translate(incoming->canonical, 0, 0).isOk());
  }
  return 0;
}
