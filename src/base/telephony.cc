// Names for the shared vocabulary, and PartyId helpers.
#include <bit>

#include "tapir/provider.h"
#include "tapir/telephony.h"

namespace tapir {

std::string_view callStateName(CallState s) noexcept {
  static constexpr std::string_view kNames[] = {
      "IDLE",           "OFFERING",           "ACCEPTED",     "DIALTONE",
      "DIALING",        "RINGBACK",           "BUSY",         "SPECIALINFO",
      "CONNECTED",      "PROCEEDING",         "ONHOLD",       "CONFERENCED",
      "ONHOLDPENDCONF", "ONHOLDPENDTRANSFER", "DISCONNECTED", "UNKNOWN"};
  const auto v = bit(s);
  if (std::popcount(v) != 1 || v > bit(CallState::kUnknown)) return "?";
  return kNames[stateIndex(s)];
}

std::string_view disconnectModeName(std::uint32_t mode) noexcept {
  static constexpr std::string_view kNames[] = {
      "NORMAL",       "UNKNOWN",    "REJECT",     "PICKUP",        "FORWARDED",
      "BUSY",         "NOANSWER",   "BADADDRESS", "UNREACHABLE",   "CONGESTION",
      "INCOMPATIBLE", "UNAVAIL",    "NODIALTONE", "NUMBERCHANGED", "OUTOFORDER",
      "TEMPFAILURE",  "QOSUNAVAIL", "BLOCKED",    "DONOTDISTURB",  "CANCELLED"};
  if (std::popcount(mode) != 1) return "?";
  const int i = std::countr_zero(mode);
  return i < static_cast<int>(std::size(kNames)) ? kNames[i] : "?";
}

std::string_view callReasonName(CallReason r) noexcept {
  static constexpr std::string_view kNames[] = {
      "DIRECT",   "FWDBUSY",        "FWDNOANSWER", "FWDUNCOND",   "PICKUP",  "UNPARK",
      "REDIRECT", "CALLCOMPLETION", "TRANSFER",    "REMINDER",    "UNKNOWN", "UNAVAIL",
      "INTRUDE",  "PARKED",         "CAMPEDON",    "ROUTEREQUEST"};
  const auto v = static_cast<std::uint32_t>(r);
  if (std::popcount(v) != 1 || v > 0x8000) return "?";
  return kNames[std::countr_zero(v)];
}

std::string_view callOriginName(CallOrigin o) noexcept {
  switch (o) {
    case CallOrigin::kOutbound:
      return "OUTBOUND";
    case CallOrigin::kInternal:
      return "INTERNAL";
    case CallOrigin::kExternal:
      return "EXTERNAL";
    case CallOrigin::kUnknown:
      return "UNKNOWN";
    case CallOrigin::kUnavail:
      return "UNAVAIL";
    case CallOrigin::kConference:
      return "CONFERENCE";
    case CallOrigin::kInbound:
      return "INBOUND";
  }
  return "?";
}

std::uint32_t PartyId::flags() const {
  if (blocked) return party_id_flag::kBlocked;
  std::uint32_t f = 0;
  if (!number.empty()) f |= party_id_flag::kAddress;
  if (!name.empty()) f |= party_id_flag::kName;
  return f ? f : party_id_flag::kUnknown;
}

}  // namespace tapir
