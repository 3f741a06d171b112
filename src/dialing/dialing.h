// The dialing-rules engine: TAPI's address translation on Linux.
//
// Applications keep numbers in canonical form ("+1 (425) 555-0100") and ask
// for what to dial from where the user is now. The Engine holds the locations
// and calling cards (a DialingConfig, read from the locations file by
// config.h), knows the countries (countries.h), and answers:
//
//   translate()           lineTranslateAddress
//   translateCaps()       lineGetTranslateCaps
//   countries().select()  lineGetCountry
//   setCurrentLocation()  lineSetCurrentLocation
//   setTollList()         lineSetTollList
//   normalizeIncoming()   beyond TAPI: a caller id as E.164 and canonical
//
// Errors are Status faults that map one-to-one to the LINEERR_ values these
// functions document; each method lists its own. The engine does no I/O and
// is not thread-safe: the service calls it from its loop and saves the
// configuration (saveDialingConfig) after a change.
#pragma once

#include <cstdint>
#include <string_view>

#include "dialing/config.h"
#include "dialing/countries.h"
#include "dialing/types.h"
#include "tapir/status.h"

namespace tapir::dialing {

class Engine {
 public:
  // An engine with no locations: until setConfig(), translations fail with
  // kIniFileCorrupt. `countries` must outlive the engine.
  explicit Engine(const CountryTable& countries) : countries_(countries) {}

  const CountryTable& countries() const { return countries_; }
  const DialingConfig& config() const { return config_; }

  // Replaces locations and cards (after editing them, say). Checked by
  // validateConfig(); on error nothing changes.
  Status setConfig(DialingConfig config);

  // lineTranslateAddress. `address` is canonical ("+...") or dialable; a
  // dialable address comes back unchanged. `card` applies only with
  // translate_option::kCardOverride (0 = direct dial). Faults:
  //   kIniFileCorrupt  no current location
  //   kBadParam        unknown option bits, or FORCELOCAL with FORCELD
  //   kBadCard         the card to use does not exist
  //   kBadAddress      empty, too long, or malformed canonical address
  Result<TranslateOutput> translate(std::string_view address, std::uint32_t card,
                                    std::uint32_t options) const;

  // lineGetTranslateCaps. Fault: kIniFileCorrupt (no location).
  Result<TranslateCaps> translateCaps() const;

  // lineSetCurrentLocation. Fault: kBadLocation (unknown id).
  Status setCurrentLocation(std::uint32_t locationId);

  // lineSetTollList: adds or removes the toll prefix of `address` (the first
  // three digits of its local number) in the current location's toll list.
  // The address must be canonical and in the current location's area.
  // Faults: kIniFileCorrupt (no location), kBadParam (`option` is not exactly
  // one of toll_list_option::), kBadAddress.
  Status setTollList(std::string_view address, std::uint32_t option);

  // A caller id as the network delivered it ("5550100", "0207946 0000",
  // "011 44 20...", "+44...") in E.164 and canonical form, read from the
  // current location: a local number gets the location's area code. Faults:
  // kIniFileCorrupt (no location), kBadAddress (not a public number, e.g. an
  // extension).
  Result<IncomingNumber> normalizeIncoming(std::string_view callerId) const;

 private:
  const CountryTable& countries_;
  DialingConfig config_;
};

}  // namespace tapir::dialing
