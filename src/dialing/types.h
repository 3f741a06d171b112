// The data of the dialing-rules engine: TAPI's option and result bits, the
// location, calling card and country records, and the shapes the C edge lays
// out into LINETRANSLATEOUTPUT, LINETRANSLATECAPS and LINECOUNTRYLIST.
//
// Every constant equals the TAPI 2.x constant of the same name, so the C edge
// converts with a cast. They are our own definitions: nothing here includes a
// TAPI header. Strings are UTF-8; rule strings use the letters of
// docs/dialing.md ("Rule letters").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tapir::dialing {

namespace translate_option {  // LINETRANSLATEOPTION_
inline constexpr std::uint32_t kCardOverride = 0x00000001;
inline constexpr std::uint32_t kCancelCallWaiting = 0x00000002;
inline constexpr std::uint32_t kForceLocal = 0x00000004;
inline constexpr std::uint32_t kForceLd = 0x00000008;
inline constexpr std::uint32_t kAll = 0x0000000f;
}  // namespace translate_option

namespace translate_result {  // LINETRANSLATERESULT_
inline constexpr std::uint32_t kCanonical = 0x00000001;
inline constexpr std::uint32_t kInternational = 0x00000002;
inline constexpr std::uint32_t kLongDistance = 0x00000004;
inline constexpr std::uint32_t kLocal = 0x00000008;
inline constexpr std::uint32_t kInTollList = 0x00000010;
inline constexpr std::uint32_t kNotInTollList = 0x00000020;
inline constexpr std::uint32_t kDialBilling = 0x00000040;    // '$' in the dialable string
inline constexpr std::uint32_t kDialQuiet = 0x00000080;      // '@'
inline constexpr std::uint32_t kDialDialtone = 0x00000100;   // 'W'
inline constexpr std::uint32_t kDialPrompt = 0x00000200;     // '?'
inline constexpr std::uint32_t kVoiceDetect = 0x00000400;    // ':'
inline constexpr std::uint32_t kNoTranslation = 0x00000800;  // never set by tapir
}  // namespace translate_result

namespace location_option {  // LINELOCATIONOPTION_
inline constexpr std::uint32_t kPulseDial = 0x00000001;
}  // namespace location_option

namespace card_option {  // LINECARDOPTION_
inline constexpr std::uint32_t kPredefined = 0x00000001;
inline constexpr std::uint32_t kHidden = 0x00000002;
inline constexpr std::uint32_t kAll = 0x00000003;
}  // namespace card_option

namespace toll_list_option {  // LINETOLLLISTOPTION_
inline constexpr std::uint32_t kAdd = 0x00000001;
inline constexpr std::uint32_t kRemove = 0x00000002;
}  // namespace toll_list_option

// The card id that means "no calling card: dial directly".
inline constexpr std::uint32_t kDirectDial = 0;

// Which dial modifier a translation starts with. TAPI always writes 'T' or
// 'P'; a location may instead leave the choice to the line (no modifier),
// which is what the demo location does.
enum class DialMode : std::uint8_t { kLineDefault, kTone, kPulse };

// Area-code rule: how numbers in one area code are dialed from a location
// (the "Area Code Rules" of Windows' dialing properties).
struct AreaCodeRule {
  std::string areaCode;                 // the destination area code, digits
  std::vector<std::string> prefixes;    // leading digits of the local number; empty = all
  bool dialAreaCode = false;            // dial the area code (e.g. 10-digit local dialing)
  bool dialLongDistancePrefix = false;  // dial as a long-distance call (access code, rule)

  bool operator==(const AreaCodeRule&) const = default;
};

// A dialing location (LINELOCATIONENTRY, plus what Windows keeps beside it).
struct Location {
  std::uint32_t id = 0;  // permanent id, >= 1
  std::string name;
  std::string region;                  // ISO 3166 region of libphonenumber: "US", "GB", ...
  std::string areaCode;                // digits; empty where the country has none
  std::string localAccessCode;         // dialed before local calls (e.g. "9" on a PBX)
  std::string longDistanceAccessCode;  // before long-distance and international calls
  std::string longDistanceCarrier;     // carrier code for long-distance calls (letter L)
  std::string internationalCarrier;    // carrier code for international calls (letter M)
  std::string cancelCallWaiting;       // e.g. "*70,"; inserted on kCancelCallWaiting
  DialMode dialMode = DialMode::kLineDefault;
  std::uint32_t preferredCardId = kDirectDial;
  std::vector<std::string> tollPrefixes;    // digits; see lineSetTollList
  std::vector<AreaCodeRule> areaCodeRules;  // the first that matches applies
  // Replacements for the country's rules; empty means "the country's rule".
  std::string sameAreaRule;
  std::string longDistanceRule;
  std::string internationalRule;

  bool operator==(const Location&) const = default;
};

// A calling card (LINECARDENTRY). The number and PIN are secrets: they go into
// dialable strings only, never into displayable ones or logs.
struct Card {
  std::uint32_t id = 0;  // permanent id, >= 1 (0 is direct dial)
  std::string name;
  std::string number;  // account number, letter H
  std::string pin;     // letter K; dialed right after the number when a rule has no K
  std::string sameAreaRule;
  std::string longDistanceRule;
  std::string internationalRule;
  std::uint32_t options = 0;  // card_option::

  bool operator==(const Card&) const = default;
};

// Everything a user configures: what the locations file holds.
struct DialingConfig {
  std::vector<Location> locations;
  std::vector<Card> cards;
  std::uint32_t currentLocationId = 0;  // 0 only when there are no locations

  bool operator==(const DialingConfig&) const = default;
};

// A country or region (LINECOUNTRYENTRY), derived from libphonenumber.
struct Country {
  std::uint32_t id = 0;             // dwCountryID: see docs/dialing.md "Country ids"
  std::uint32_t callingCode = 0;    // dwCountryCode
  std::uint32_t nextId = 0;         // dwNextCountryID; 0 for the last
  std::string region;               // "US"
  std::string name;                 // English, from ICU: "United States"
  std::string nationalPrefix;       // trunk prefix: "1", "0", "" (closed plan)
  std::string internationalPrefix;  // "011", "00", "8W10"
  std::string sameAreaRule;         // "G", or "FG" in a closed numbering plan
  std::string longDistanceRule;     // national prefix + "FG"
  std::string internationalRule;    // international prefix + "EFG"
  bool tollLists = false;           // toll prefix lists apply (the NANP)
};

// The answer of a translation (LINETRANSLATEOUTPUT).
struct TranslateOutput {
  std::string dialable;              // may hold card numbers and PINs: never show or log it
  std::string displayable;           // card digits replaced by "[card name]" and "[PIN]"
  std::uint32_t currentCountry = 0;  // calling code of the current location
  std::uint32_t destCountry = 0;     // calling code of the destination; 0 if not canonical
  std::uint32_t results = 0;         // translate_result::
};

// LINELOCATIONENTRY as data: the strings lineGetTranslateCaps lays out.
struct LocationEntry {
  std::uint32_t permanentLocationId = 0;
  std::string locationName;
  std::uint32_t countryCode = 0;
  std::string cityCode;
  std::uint32_t preferredCardId = 0;
  std::string localAccessCode;
  std::string longDistanceAccessCode;
  std::string tollPrefixList;  // "555,556"
  std::uint32_t countryId = 0;
  std::uint32_t options = 0;  // location_option::
  std::string cancelCallWaiting;
};

// LINECARDENTRY as data. Only the number of digits of the card number leaves
// the engine, never the digits.
struct CardEntry {
  std::uint32_t permanentCardId = 0;
  std::string cardName;
  std::uint32_t cardNumberDigits = 0;
  std::string sameAreaRule;
  std::string longDistanceRule;
  std::string internationalRule;
  std::uint32_t options = 0;  // card_option::
};

// LINETRANSLATECAPS as data. Cards: direct dial (id 0) first, then every card
// that is not hidden.
struct TranslateCaps {
  std::vector<LocationEntry> locations;
  std::uint32_t currentLocationId = 0;
  std::vector<CardEntry> cards;
  std::uint32_t currentPreferredCardId = 0;
};

// An incoming caller id, normalized (beyond TAPI: see Engine::normalizeIncoming).
struct IncomingNumber {
  std::string e164;       // "+14255550100": for matching
  std::string canonical;  // "+1 (425) 5550100": TAPI canonical, ready for translate()
  std::uint32_t countryCode = 0;
};

}  // namespace tapir::dialing
