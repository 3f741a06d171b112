// Dial strings and the numbering plan.
//
// parseDialString() turns a TAPI dialable address into the digits the switch
// routes on. Dialplan::resolve() maps those digits to a station address, a
// park orbit or the outside world. Both are pure and fuzzed (fuzz/).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "tapir/status.h"

namespace tapir::pbx {

inline constexpr std::size_t kMaxDialStringLength = 256;
inline constexpr std::size_t kMaxDigits = 32;

struct DialString {
  std::string digits;    // 0-9 * # A-D, and a leading '+' for an international number
  bool partial = false;  // ended in ';': more digits will follow
};

// Validates a dialable address (the format of the TAPI reference "Dialable
// Addresses"). Formatting characters, pauses, tone/pulse switches, hook
// flashes, and the subaddress and name parts are dropped; 'W' is honoured (the
// switch always gives dial tone). Errors: Fault::kBadAddress for anything
// malformed or too long; kDialQuiet, kDialBilling, kDialPrompt for the first
// '@', '$' or '?' the switch cannot wait for.
Result<DialString> parseDialString(std::string_view text);

struct Route {
  enum class Kind : std::uint8_t { kUnreachable, kStation, kOrbit, kOutside };
  Kind kind = Kind::kUnreachable;
  std::uint32_t station = 0;  // kStation: station index
  std::uint32_t address = 0;  // kStation: address index on the station
  std::uint32_t orbit = 0;    // kOrbit: orbit index
  std::string outside;        // kOutside: the number after the prefix
};

class Dialplan {
 public:
  // Returns false if `number` is already taken.
  bool addStation(const std::string& number, std::uint32_t station, std::uint32_t address);
  bool addOrbit(const std::string& number, std::uint32_t orbit);
  void setOutside(std::string prefix, std::uint32_t minDigits, std::uint32_t maxDigits);
  bool taken(const std::string& number) const { return numbers_.count(number) != 0; }

  Route resolve(std::string_view digits) const;

 private:
  struct Entry {
    Route::Kind kind;
    std::uint32_t a;
    std::uint32_t b;
  };
  std::unordered_map<std::string, Entry> numbers_;
  std::string outsidePrefix_;
  std::uint32_t outsideMin_ = 0;
  std::uint32_t outsideMax_ = 0;
};

}  // namespace tapir::pbx
