#include "dialing/dialing.h"

#include <algorithm>

#include "dialing/incoming.h"
#include "dialing/translate.h"

namespace tapir::dialing {

namespace {

Location* findLocation(DialingConfig& config, std::uint32_t id) {
  for (Location& loc : config.locations) {
    if (loc.id == id) return &loc;
  }
  return nullptr;
}

std::string joinComma(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

std::uint32_t digitCount(std::string_view s) {
  return static_cast<std::uint32_t>(
      std::count_if(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }));
}

}  // namespace

Status Engine::setConfig(DialingConfig config) {
  TAPIR_RETURN_IF_ERROR(validateConfig(config, countries_));
  config_ = std::move(config);
  return Status::ok();
}

Result<TranslateOutput> Engine::translate(std::string_view address, std::uint32_t card,
                                          std::uint32_t options) const {
  return detail::translate(countries_, config_, address, card, options);
}

Result<TranslateCaps> Engine::translateCaps() const {
  Result<const Location*> current = detail::currentLocation(config_);
  if (!current) return current.status();
  TranslateCaps caps;
  for (const Location& loc : config_.locations) {
    const Country* country = countries_.byRegion(loc.region);
    LocationEntry e;
    e.permanentLocationId = loc.id;
    e.locationName = loc.name;
    e.countryCode = country ? country->callingCode : 0;
    e.cityCode = loc.areaCode;
    e.preferredCardId = loc.preferredCardId;
    e.localAccessCode = loc.localAccessCode;
    e.longDistanceAccessCode = loc.longDistanceAccessCode;
    e.tollPrefixList = joinComma(loc.tollPrefixes);
    e.countryId = country ? country->id : 0;
    e.options = loc.dialMode == DialMode::kPulse ? location_option::kPulseDial : 0;
    e.cancelCallWaiting = loc.cancelCallWaiting;
    caps.locations.push_back(std::move(e));
  }
  caps.currentLocationId = config_.currentLocationId;
  caps.currentPreferredCardId = (*current)->preferredCardId;

  // Card 0, direct dial, dials by the current location's own rules.
  CardEntry direct;
  direct.permanentCardId = kDirectDial;
  direct.cardName = "Direct dial (no calling card)";
  if (const Country* country = countries_.byRegion((*current)->region)) {
    const detail::Rules rules = detail::locationRules(**current, *country);
    direct.sameAreaRule = rules.sameArea;
    direct.longDistanceRule = rules.longDistance;
    direct.internationalRule = rules.international;
  }
  caps.cards.push_back(std::move(direct));
  for (const Card& card : config_.cards) {
    if (card.options & card_option::kHidden) continue;
    CardEntry e;
    e.permanentCardId = card.id;
    e.cardName = card.name;
    e.cardNumberDigits = digitCount(card.number);
    e.sameAreaRule = card.sameAreaRule;
    e.longDistanceRule = card.longDistanceRule;
    e.internationalRule = card.internationalRule;
    e.options = card.options;
    caps.cards.push_back(std::move(e));
  }
  return caps;
}

Status Engine::setCurrentLocation(std::uint32_t locationId) {
  if (findLocation(config_, locationId) == nullptr) {
    return Status(Fault::kBadLocation, "no location with id " + std::to_string(locationId));
  }
  config_.currentLocationId = locationId;
  return Status::ok();
}

Status Engine::setTollList(std::string_view address, std::uint32_t option) {
  Result<const Location*> current = detail::currentLocation(config_);
  if (!current) return current.status();
  Location& loc = *findLocation(config_, (*current)->id);
  if (option != toll_list_option::kAdd && option != toll_list_option::kRemove) {
    return Status(Fault::kBadParam, "the toll list option is exactly one of ADD and REMOVE");
  }
  if (!isCanonical(address)) return Status(Fault::kBadAddress, "the address must be canonical");
  Result<CanonicalAddress> parsed = parseCanonical(address);
  if (!parsed) return parsed.status();
  const Country* country = countries_.byRegion(loc.region);
  detail::Destination dest = detail::resolve(*parsed);
  if (country == nullptr || dest.countryCode != country->callingCode) {
    return Status(Fault::kBadAddress, "the address is not in the current location's country");
  }
  if (dest.areaCode.empty()) dest.areaCode = loc.areaCode;
  if (dest.areaCode != loc.areaCode) {
    return Status(Fault::kBadAddress, "the address is not in the current location's area code");
  }
  constexpr std::size_t kPrefixLength = 3;
  const std::string& local = dest.local;
  if (local.size() < kPrefixLength ||
      !std::all_of(local.begin(), local.begin() + kPrefixLength,
                   [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return Status(Fault::kBadAddress, "the local number has no three-digit prefix");
  }
  const std::string prefix = local.substr(0, kPrefixLength);
  auto it = std::find(loc.tollPrefixes.begin(), loc.tollPrefixes.end(), prefix);
  if (option == toll_list_option::kAdd) {
    if (it == loc.tollPrefixes.end()) loc.tollPrefixes.push_back(prefix);
  } else if (it != loc.tollPrefixes.end()) {
    loc.tollPrefixes.erase(it);
  }
  return Status::ok();
}

Result<IncomingNumber> Engine::normalizeIncoming(std::string_view callerId) const {
  Result<const Location*> current = detail::currentLocation(config_);
  if (!current) return current.status();
  const Country* country = countries_.byRegion((*current)->region);
  if (country == nullptr) return Status(Fault::kIniFileCorrupt, "current location has no country");
  return detail::normalizeIncoming(**current, *country, callerId);
}

}  // namespace tapir::dialing
