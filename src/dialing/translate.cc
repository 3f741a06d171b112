#include "dialing/translate.h"

#include <algorithm>

#include "dialing/phone_util.h"
#include "dialing/rules.h"

namespace tapir::dialing::detail {

namespace {

enum class Category : std::uint8_t { kLocal, kLongDistance, kInternational };

bool isDigit(char ch) {
  return ch >= '0' && ch <= '9';
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// `written` after its first `digits` digits and the formatting that follows
// them: "20 7946 0000" after 2 digits is "7946 0000".
std::string_view skipDigits(std::string_view written, std::size_t digits) {
  std::size_t i = 0;
  while (i < written.size() && digits > 0) {
    if (isDigit(written[i])) --digits;
    ++i;
  }
  while (i < written.size() && isFormatting(written[i]))
    ++i;
  return written.substr(i);
}

// The LINETRANSLATERESULT_DIAL* bits for the dial modifiers in `number`.
std::uint32_t dialFlags(std::string_view number) {
  std::uint32_t flags = 0;
  for (char ch : number) {
    switch (ch) {
      case '$':
        flags |= translate_result::kDialBilling;
        break;
      case '@':
        flags |= translate_result::kDialQuiet;
        break;
      case 'W':
      case 'w':
        flags |= translate_result::kDialDialtone;
        break;
      case '?':
        flags |= translate_result::kDialPrompt;
        break;
      case ':':
        flags |= translate_result::kVoiceDetect;
        break;
      default:
        break;
    }
  }
  return flags;
}

const AreaCodeRule* matchAreaRule(const Location& loc, const Destination& dest) {
  for (const AreaCodeRule& rule : loc.areaCodeRules) {
    if (rule.areaCode != dest.areaCode) continue;
    if (rule.prefixes.empty()) return &rule;
    for (const std::string& prefix : rule.prefixes) {
      if (startsWith(dest.local, prefix)) return &rule;
    }
  }
  return nullptr;
}

bool inTollList(const Location& loc, const Destination& dest) {
  return std::any_of(loc.tollPrefixes.begin(), loc.tollPrefixes.end(),
                     [&](const std::string& p) { return startsWith(dest.local, p); });
}

const std::string& ruleFor(const Rules& rules, Category category) {
  switch (category) {
    case Category::kLocal:
      return rules.sameArea;
    case Category::kLongDistance:
      return rules.longDistance;
    case Category::kInternational:
      return rules.international;
  }
  return rules.sameArea;
}

std::uint32_t categoryFlag(Category category) {
  switch (category) {
    case Category::kLocal:
      return translate_result::kLocal;
    case Category::kLongDistance:
      return translate_result::kLongDistance;
    case Category::kInternational:
      return translate_result::kInternational;
  }
  return 0;
}

// How a canonical call is to be dialed from a location.
struct Plan {
  Category category = Category::kLocal;
  bool reshape = false;       // an area-code rule or an option decides about F
  bool dialAreaCode = false;  // with reshape: dial F or not
  std::uint32_t tollFlags = 0;
};

Plan classify(const Location& loc, const Country& country, const Destination& dest,
              std::uint32_t options) {
  Plan plan;
  if (dest.countryCode != country.callingCode) {
    plan.category = Category::kInternational;
  } else if (options & translate_option::kForceLd) {
    plan.category = Category::kLongDistance;
  } else if (options & translate_option::kForceLocal) {
    // Another area's number dialed as local keeps its area code (outside a
    // closed plan, where the rule dials it anyway).
    plan.category = Category::kLocal;
    if (dest.areaCode != loc.areaCode && !country.nationalPrefix.empty()) {
      plan.reshape = true;
      plan.dialAreaCode = true;
    }
  } else if (const AreaCodeRule* rule = matchAreaRule(loc, dest)) {
    plan.category = rule->dialLongDistancePrefix ? Category::kLongDistance : Category::kLocal;
    plan.reshape = true;
    plan.dialAreaCode = rule->dialAreaCode;
  } else if (country.nationalPrefix.empty()) {
    // A closed numbering plan: every domestic number is dialed in full, and
    // none is long distance.
    plan.category = Category::kLocal;
  } else if (dest.areaCode == loc.areaCode) {
    plan.category = Category::kLocal;
    if (country.tollLists || !loc.tollPrefixes.empty()) {
      if (inTollList(loc, dest)) {
        plan.category = Category::kLongDistance;
        plan.tollFlags = translate_result::kInTollList;
      } else {
        plan.tollFlags = translate_result::kNotInTollList;
      }
    }
  } else {
    plan.category = Category::kLongDistance;
  }
  return plan;
}

const Card* findCard(const DialingConfig& config, std::uint32_t id) {
  for (const Card& card : config.cards) {
    if (card.id == id) return &card;
  }
  return nullptr;
}

TranslateOutput passThrough(std::string_view address) {
  TranslateOutput out;
  out.dialable = std::string(address);
  const std::string_view number = address.substr(0, address.find_first_of("|^\r\n"));
  out.displayable = std::string(number);
  out.results = dialFlags(number);
  return out;
}

}  // namespace

Destination resolve(const CanonicalAddress& address) {
  Destination d;
  d.countryCode = static_cast<std::uint32_t>(std::stoul(address.countryCode));
  d.local = stripFormatting(address.subscriber);
  d.localDisplay = address.subscriber;
  if (address.hasAreaCode) {
    d.areaCode = address.areaCode;
    return d;
  }
  if (!std::all_of(d.local.begin(), d.local.end(), isDigit)) return d;
  const std::size_t length = areaCodeLength(d.countryCode, d.local);
  if (length == 0) return d;
  d.areaCode = d.local.substr(0, length);
  d.local.erase(0, length);
  d.localDisplay = std::string(skipDigits(address.subscriber, length));
  return d;
}

Result<const Location*> currentLocation(const DialingConfig& config) {
  for (const Location& loc : config.locations) {
    if (loc.id == config.currentLocationId) return &loc;
  }
  return Status(Fault::kIniFileCorrupt, "no current location: no dialing location is set up");
}

Rules locationRules(const Location& location, const Country& country) {
  Rules r;
  r.sameArea = location.sameAreaRule.empty() ? country.sameAreaRule : location.sameAreaRule;
  r.longDistance =
      location.longDistanceRule.empty() ? country.longDistanceRule : location.longDistanceRule;
  r.international =
      location.internationalRule.empty() ? country.internationalRule : location.internationalRule;
  return r;
}

Result<TranslateOutput> translate(const CountryTable& countries, const DialingConfig& config,
                                  std::string_view address, std::uint32_t cardId,
                                  std::uint32_t options) {
  Result<const Location*> current = currentLocation(config);
  if (!current) return current.status();
  const Location& loc = **current;
  const Country* country = countries.byRegion(loc.region);
  if (country == nullptr) {
    return Status(Fault::kIniFileCorrupt, "location " + std::to_string(loc.id) +
                                              ": unknown country or region '" + loc.region + "'");
  }
  if (options & ~translate_option::kAll) {
    return Status(Fault::kBadParam, "unknown translate options");
  }
  if ((options & translate_option::kForceLocal) && (options & translate_option::kForceLd)) {
    return Status(Fault::kBadParam, "FORCELOCAL and FORCELD together");
  }
  if (!(options & translate_option::kCardOverride)) cardId = loc.preferredCardId;
  const Card* card = nullptr;
  if (cardId != kDirectDial) {
    card = findCard(config, cardId);
    if (card == nullptr) {
      return Status(Fault::kBadCard, "no calling card with id " + std::to_string(cardId));
    }
  }
  if (address.empty()) return Status(Fault::kBadAddress, "empty address");
  if (address.size() > kMaxAddressLength) {
    return Status(Fault::kBadAddress,
                  "address longer than " + std::to_string(kMaxAddressLength) + " characters");
  }

  if (!isCanonical(address)) {
    TranslateOutput out = passThrough(address);
    out.currentCountry = country->callingCode;
    return out;
  }
  Result<CanonicalAddress> parsed = parseCanonical(address);
  if (!parsed) return parsed.status();
  Destination dest = resolve(*parsed);
  // A domestic number without an area code is in the caller's area (not in a
  // closed plan, where numbers are complete as written).
  if (dest.countryCode == country->callingCode && dest.areaCode.empty() &&
      !country->nationalPrefix.empty()) {
    dest.areaCode = loc.areaCode;
  }
  const Plan plan = classify(loc, *country, dest, options);

  // A card with no rule for this kind of call is not used for it.
  std::string rule;
  if (card != nullptr) {
    rule = ruleFor(Rules{card->sameAreaRule, card->longDistanceRule, card->internationalRule},
                   plan.category);
    if (rule.empty()) card = nullptr;
  }
  if (card == nullptr) rule = ruleFor(locationRules(loc, *country), plan.category);
  if (plan.reshape) rule = withAreaCode(rule, plan.dialAreaCode);

  std::string dialable;
  std::string displayable;
  const auto both = [&](std::string_view text) {
    dialable += text;
    displayable += text;
  };
  if (loc.dialMode == DialMode::kTone) both("T");
  if (loc.dialMode == DialMode::kPulse) both("P");
  if (options & translate_option::kCancelCallWaiting) both(loc.cancelCallWaiting);
  both(plan.category == Category::kLocal ? loc.localAccessCode : loc.longDistanceAccessCode);
  // Carrier codes go where the rule puts them (L, M), else before the rule.
  if (card == nullptr) {
    if (plan.category == Category::kLongDistance && rule.find('L') == std::string::npos) {
      both(loc.longDistanceCarrier);
    }
    if (plan.category == Category::kInternational && rule.find('M') == std::string::npos) {
      both(loc.internationalCarrier);
    }
  }
  RuleValues values;
  values.countryCode = parsed->countryCode;
  values.areaCode = dest.areaCode;
  values.localNumber = dest.local;
  values.localDisplay = dest.localDisplay;
  if (card != nullptr) {
    values.cardNumber = card->number;
    values.pin = card->pin;
    values.cardName = card->name;
  }
  values.ldCarrier = loc.longDistanceCarrier;
  values.intlCarrier = loc.internationalCarrier;
  expandRule(rule, values, dialable, displayable);

  TranslateOutput out;
  out.results = translate_result::kCanonical | categoryFlag(plan.category) | plan.tollFlags |
                dialFlags(dialable);
  if (parsed->hasSubaddress) dialable += "|" + parsed->subaddress;
  if (parsed->hasName) dialable += "^" + parsed->name;
  out.dialable = std::move(dialable);
  out.displayable = std::move(displayable);
  out.currentCountry = country->callingCode;
  out.destCountry = dest.countryCode;
  return out;
}

}  // namespace tapir::dialing::detail
