#include "pbx/core/dialplan.h"

#include <algorithm>

namespace tapir::pbx {

Result<DialString> parseDialString(std::string_view text) {
  if (text.size() > kMaxDialStringLength) {
    return Status(Fault::kBadAddress, "dial string longer than " +
                                          std::to_string(kMaxDialStringLength) + " characters");
  }
  DialString out;
  bool sawSemicolon = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // Subaddress ('|') and name ('^') run to the end of this address; a CRLF
    // would start another address, which the switch does not multiplex.
    if (c == '|' || c == '^') {
      if (text.substr(i).find('\n') != std::string_view::npos ||
          text.substr(i).find('\r') != std::string_view::npos) {
        return Status(Fault::kBadAddress, "multiple addresses (CRLF) are not supported");
      }
      break;
    }
    if (sawSemicolon) {
      return Status(Fault::kBadAddress, "';' may only end a partial dial string");
    }
    if ((c >= '0' && c <= '9') || c == '*' || c == '#') {
      out.digits += c;
    } else if ((c >= 'A' && c <= 'D') || (c >= 'a' && c <= 'd')) {
      out.digits += static_cast<char>(c & ~0x20);
    } else if (c == '+') {
      if (!out.digits.empty()) return Status(Fault::kBadAddress, "'+' must come first");
      out.digits += c;
    } else if (c == ';') {
      sawSemicolon = true;
      out.partial = true;
    } else if (c == '@') {
      return Status(Fault::kDialQuiet, "'@' (wait for quiet answer) is not supported");
    } else if (c == '$') {
      return Status(Fault::kDialBilling, "'$' (wait for billing tone) is not supported");
    } else if (c == '?') {
      return Status(Fault::kDialPrompt, "'?' (prompt the user) must be handled by the application");
    } else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == ',' || c == '!' ||
               c == 'P' || c == 'p' || c == 'T' || c == 't' || c == 'W' || c == 'w') {
      // Formatting, pauses, hook flash, pulse/tone switches, wait-for-dialtone.
    } else if (c == '\r' || c == '\n') {
      return Status(Fault::kBadAddress, "multiple addresses (CRLF) are not supported");
    } else {
      return Status(Fault::kBadAddress, std::string("character '") +
                                            (c >= 0x20 && c < 0x7f ? std::string(1, c) : "?") +
                                            "' is not allowed in a dialable address");
    }
    if (out.digits.size() > kMaxDigits) {
      return Status(Fault::kBadAddress, "more than " + std::to_string(kMaxDigits) + " digits");
    }
  }
  if (out.digits == "+") return Status(Fault::kBadAddress, "'+' with no number");
  return out;
}

bool Dialplan::addStation(const std::string& number, std::uint32_t station, std::uint32_t address) {
  return numbers_.emplace(number, Entry{Route::Kind::kStation, station, address}).second;
}

bool Dialplan::addOrbit(const std::string& number, std::uint32_t orbit) {
  return numbers_.emplace(number, Entry{Route::Kind::kOrbit, orbit, 0}).second;
}

void Dialplan::setOutside(std::string prefix, std::uint32_t minDigits, std::uint32_t maxDigits) {
  outsidePrefix_ = std::move(prefix);
  outsideMin_ = minDigits;
  outsideMax_ = maxDigits;
}

Route Dialplan::resolve(std::string_view digits) const {
  Route route;
  if (digits.empty()) return route;
  if (auto it = numbers_.find(std::string(digits)); it != numbers_.end()) {
    route.kind = it->second.kind;
    if (route.kind == Route::Kind::kStation) {
      route.station = it->second.a;
      route.address = it->second.b;
    } else {
      route.orbit = it->second.a;
    }
    return route;
  }
  if (!outsidePrefix_.empty() && digits.size() > outsidePrefix_.size() &&
      digits.substr(0, outsidePrefix_.size()) == outsidePrefix_) {
    std::string_view rest = digits.substr(outsidePrefix_.size());
    const bool allDigits =
        std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (allDigits && rest.size() >= outsideMin_ && rest.size() <= outsideMax_) {
      route.kind = Route::Kind::kOutside;
      route.outside = std::string(rest);
    }
  }
  return route;
}

}  // namespace tapir::pbx
