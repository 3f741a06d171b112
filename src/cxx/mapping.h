// TAPI 2 ↔ TAPI 3 vocabulary for the C++ API: call states and causes,
// media types, call-info change causes.
#pragma once

#include <tapir/tapir.h>

#include <cstdint>
#include <optional>
#include <utility>

namespace tapir::detail {

// The TAPI 3 state and cause a TAPI 2 state (and its mode) shows as; empty
// for states that say nothing new (UNKNOWN).
std::optional<std::pair<Call::State, Call::Cause>> mapState(CallState s, std::uint32_t mode);

// Why a call that should have connected did not, as a Status.
Status statusForCause(Call::Cause cause);

// The CALLINFOCHANGE_CAUSE of one LINECALLINFOSTATE_ bit.
CallInfoChangeEvent::Cause infoChangeCause(std::uint32_t bit);

// TAPI 3 media types → LINEMEDIAMODE_ bits a line supports (audio is both
// kinds of voice), and back.
std::uint32_t toMediaModes(std::uint32_t mediaTypes, std::uint32_t lineModes);
std::uint32_t fromMediaModes(std::uint32_t modes);
// The one LINEMEDIAMODE_ a new call of these media types is made with.
std::uint32_t callMediaMode(std::uint32_t mediaTypes, std::uint32_t lineModes);
inline constexpr std::uint32_t kKnownMediaTypes = media_type::kAudio | media_type::kDataModem |
                                                  media_type::kG3Fax | media_type::kVideo |
                                                  media_type::kMultitrack;

}  // namespace tapir::detail
