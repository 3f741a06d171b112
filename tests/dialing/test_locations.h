// Locations and cards shared by the dialing tests: one per dialing culture
// the tests cover.
#pragma once

#include <cstdint>

#include "dialing/dialing.h"

namespace tapir::dialing::testing {

enum LocationId : std::uint32_t {
  kDemo = 1,       // US 425, PBX: 9 for every outside call, 7-digit local dialing
  kSeattle = 2,    // US 206, 10-digit local dialing, area-code rules, tone, *70
  kLondon = 3,     // GB 20, direct line
  kBerlin = 4,     // DE 30, pulse dialing
  kTokyo = 5,      // JP 3, tone
  kLondonPbx = 6,  // GB 20 behind a PBX: 9, wait for dial tone, 0 for long distance too
  kRome = 7,       // IT 06: closed numbering plan
  kMoscow = 8,     // RU 495: "8, dial tone, 10" abroad
  kCardUser = 9,   // US 425 with the example card preferred
};

inline constexpr std::uint32_t kExampleCard = 7;
inline constexpr std::uint32_t kHiddenCard = 8;
inline constexpr std::uint32_t kLdOnlyCard = 9;

DialingConfig testConfig(std::uint32_t current);

// An engine over the built-in country table, at `current`.
Engine engineAt(std::uint32_t current);

}  // namespace tapir::dialing::testing
