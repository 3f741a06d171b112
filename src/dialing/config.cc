#include "dialing/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "dialing/rules.h"

namespace tapir::dialing {

namespace {

// ---------------------------------------------------------------- validation

using Check = std::optional<std::string> (*)(std::string_view);

std::optional<std::string> checkOptionalDigits(std::string_view text) {
  return text.empty() ? std::nullopt : detail::checkDigits(text);
}

std::optional<std::string> checkName(std::string_view text) {
  if (text.empty()) return std::string("empty");
  return std::nullopt;
}

std::string quote(std::string_view s) {
  return "'" + std::string(s) + "'";
}

// ------------------------------------------------------------------- reading

// Where a TOML node is, as "file:line:col".
class Places {
 public:
  explicit Places(std::string_view source) : source_(source) {}

  Status at(const toml::source_position& pos, const std::string& what) const {
    return Status(Fault::kIniFileCorrupt, source_ + ":" + std::to_string(pos.line) + ":" +
                                              std::to_string(pos.column) + ": " + what);
  }
  Status at(const toml::node& node, const std::string& what) const {
    return at(node.source().begin, what);
  }
  Status whole(const std::string& what) const {
    return Status(Fault::kIniFileCorrupt, source_ + ": " + what);
  }

 private:
  std::string source_;
};

// Reads the keys of one TOML table, remembering which were read so that
// finish() can reject the rest.
class Fields {
 public:
  Fields(const Places& places, const toml::table& table, std::string context)
      : places_(places), table_(table), context_(std::move(context)) {}

  const toml::node* node(const std::string& key) {
    used_.insert(key);
    return table_.get(key);
  }

  Status text(const std::string& key, std::string& out, Check check) {
    const toml::node* n = node(key);
    if (n == nullptr) return Status::ok();
    const auto* s = n->as_string();
    if (s == nullptr) return places_.at(*n, quote(key) + " must be a string");
    out = s->get();
    if (check != nullptr) {
      if (auto why = check(out))
        return places_.at(*n, quote(key) + ": " + quote(out) + ": " + *why);
    }
    return Status::ok();
  }

  // Like text(), but an error never shows the value: card numbers and PINs.
  Status secret(const std::string& key, std::string& out) {
    const toml::node* n = node(key);
    if (n == nullptr) return Status::ok();
    const auto* s = n->as_string();
    if (s == nullptr) return places_.at(*n, quote(key) + " must be a string");
    out = s->get();
    if (detail::checkDialChars(out)) {
      return places_.at(*n, quote(key) + " may hold only digits and dial modifiers");
    }
    return Status::ok();
  }

  Status requiredText(const std::string& key, std::string& out, Check check) {
    if (table_.get(key) == nullptr) return missing(key);
    return text(key, out, check);
  }

  Status id(const std::string& key, std::uint32_t& out, bool required) {
    const toml::node* n = node(key);
    if (n == nullptr) return required ? missing(key) : Status::ok();
    const auto* i = n->as_integer();
    if (i == nullptr) return places_.at(*n, quote(key) + " must be an integer");
    const std::int64_t v = i->get();
    if (v < 0 || v > 0xffffffffLL) return places_.at(*n, quote(key) + " is out of range");
    out = static_cast<std::uint32_t>(v);
    return Status::ok();
  }

  Status flag(const std::string& key, bool& out) {
    const toml::node* n = node(key);
    if (n == nullptr) return Status::ok();
    const auto* b = n->as_boolean();
    if (b == nullptr) return places_.at(*n, quote(key) + " must be true or false");
    out = b->get();
    return Status::ok();
  }

  Status digitList(const std::string& key, std::vector<std::string>& out) {
    const toml::node* n = node(key);
    if (n == nullptr) return Status::ok();
    const auto* a = n->as_array();
    if (a == nullptr) return places_.at(*n, quote(key) + " must be an array of strings");
    for (const toml::node& e : *a) {
      const auto* s = e.as_string();
      if (s == nullptr) return places_.at(e, quote(key) + " must hold strings");
      if (auto why = detail::checkDigits(s->get())) {
        return places_.at(e, quote(key) + ": " + quote(s->get()) + ": " + *why);
      }
      out.push_back(s->get());
    }
    return Status::ok();
  }

  // Calls `each` for every table of the array of tables `key`.
  Status tables(const std::string& key, const std::function<Status(const toml::table&)>& each) {
    const toml::node* n = node(key);
    if (n == nullptr) return Status::ok();
    const auto* a = n->as_array();
    if (a == nullptr || !a->is_array_of_tables()) {
      return places_.at(*n, quote(key) + " must be an array of tables ([[" + key + "]])");
    }
    for (const toml::node& e : *a)
      TAPIR_RETURN_IF_ERROR(each(*e.as_table()));
    return Status::ok();
  }

  Status finish() const {
    for (const auto& [key, value] : table_) {
      if (used_.count(std::string(key.str())) == 0) {
        return places_.at(value, "unknown key " + quote(key.str()) + " in " + context_);
      }
    }
    return Status::ok();
  }

 private:
  Status missing(const std::string& key) const {
    return places_.at(table_, context_ + " needs " + quote(key));
  }

  const Places& places_;
  const toml::table& table_;
  std::string context_;
  std::set<std::string> used_;
};

#define TRY(expr) TAPIR_RETURN_IF_ERROR(expr)

Status readAreaCodeRule(const Places& places, const toml::table& t, AreaCodeRule& rule) {
  Fields f(places, t, "[[location.area_code_rule]]");
  TRY(f.requiredText("area_code", rule.areaCode, detail::checkDigits));
  TRY(f.digitList("prefixes", rule.prefixes));
  TRY(f.flag("dial_area_code", rule.dialAreaCode));
  TRY(f.flag("dial_long_distance_prefix", rule.dialLongDistancePrefix));
  return f.finish();
}

Status readLocation(const Places& places, const toml::table& t, const CountryTable& countries,
                    Location& loc) {
  Fields f(places, t, "[[location]]");
  TRY(f.id("id", loc.id, true));
  if (loc.id == 0) return places.at(*t.get("id"), "location ids start at 1");
  TRY(f.requiredText("name", loc.name, checkName));
  TRY(f.requiredText("country", loc.region, nullptr));
  if (countries.byRegion(loc.region) == nullptr) {
    return places.at(*t.get("country"), "unknown country or region " + quote(loc.region) +
                                            " (use an ISO 3166 code such as \"US\")");
  }
  TRY(f.text("area_code", loc.areaCode, checkOptionalDigits));
  TRY(f.text("local_access_code", loc.localAccessCode, detail::checkDialChars));
  TRY(f.text("long_distance_access_code", loc.longDistanceAccessCode, detail::checkDialChars));
  TRY(f.text("long_distance_carrier", loc.longDistanceCarrier, detail::checkDialChars));
  TRY(f.text("international_carrier", loc.internationalCarrier, detail::checkDialChars));
  TRY(f.text("cancel_call_waiting", loc.cancelCallWaiting, detail::checkDialChars));
  std::string mode;
  TRY(f.text("dial_mode", mode, nullptr));
  if (mode == "tone") {
    loc.dialMode = DialMode::kTone;
  } else if (mode == "pulse") {
    loc.dialMode = DialMode::kPulse;
  } else if (!mode.empty() && mode != "line") {
    return places.at(*t.get("dial_mode"), "'dial_mode' is \"tone\", \"pulse\" or \"line\"");
  }
  TRY(f.id("calling_card", loc.preferredCardId, false));
  TRY(f.digitList("toll_prefixes", loc.tollPrefixes));
  TRY(f.text("same_area_rule", loc.sameAreaRule, detail::checkRule));
  TRY(f.text("long_distance_rule", loc.longDistanceRule, detail::checkRule));
  TRY(f.text("international_rule", loc.internationalRule, detail::checkRule));
  TRY(f.tables("area_code_rule", [&](const toml::table& rt) {
    AreaCodeRule rule;
    TRY(readAreaCodeRule(places, rt, rule));
    loc.areaCodeRules.push_back(std::move(rule));
    return Status::ok();
  }));
  return f.finish();
}

Status readCard(const Places& places, const toml::table& t, Card& card) {
  Fields f(places, t, "[[card]]");
  TRY(f.id("id", card.id, true));
  if (card.id == kDirectDial)
    return places.at(*t.get("id"), "card id 0 is direct dial; start at 1");
  TRY(f.requiredText("name", card.name, checkName));
  TRY(f.secret("number", card.number));
  TRY(f.secret("pin", card.pin));
  TRY(f.text("same_area_rule", card.sameAreaRule, detail::checkRule));
  TRY(f.text("long_distance_rule", card.longDistanceRule, detail::checkRule));
  TRY(f.text("international_rule", card.internationalRule, detail::checkRule));
  bool hidden = false;
  bool predefined = false;
  TRY(f.flag("hidden", hidden));
  TRY(f.flag("predefined", predefined));
  card.options = (hidden ? card_option::kHidden : 0) | (predefined ? card_option::kPredefined : 0);
  return f.finish();
}

// ------------------------------------------------------------------- writing

std::string tomlString(const std::string& s) {
  std::ostringstream os;
  os << toml::value<std::string>(s);
  return os.str();
}

std::string tomlDigitList(const std::vector<std::string>& items) {
  toml::array a;
  for (const std::string& s : items)
    a.push_back(s);
  std::ostringstream os;
  os << a;
  return os.str();
}

class Writer {
 public:
  void line(const std::string& text) { out_ += text + "\n"; }
  void text(const char* key, const std::string& value, bool always) {
    if (always || !value.empty()) line(std::string(key) + " = " + tomlString(value));
  }
  void number(const char* key, std::uint32_t value) {
    line(std::string(key) + " = " + std::to_string(value));
  }
  void flag(const char* key, bool value) {
    if (value) line(std::string(key) + " = true");
  }
  void list(const char* key, const std::vector<std::string>& items) {
    if (!items.empty()) line(std::string(key) + " = " + tomlDigitList(items));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

Status ioError(const std::string& path, const char* what) {
  return Status(Fault::kOperationFailed, path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

Status validateConfig(const DialingConfig& config, const CountryTable& countries) {
  const auto param = [](const std::string& where, const std::string& field,
                        const std::string& value, const std::string& why) {
    return Status(Fault::kBadParam, where + ": " + field + " " + quote(value) + ": " + why);
  };
  std::unordered_set<std::uint32_t> cardIds;
  for (const Card& card : config.cards) {
    const std::string where = "card " + std::to_string(card.id);
    if (card.id == kDirectDial) return Status(Fault::kBadCard, "card id 0 is direct dial");
    if (!cardIds.insert(card.id).second) return Status(Fault::kBadCard, where + " defined twice");
    if (card.name.empty()) return Status(Fault::kBadParam, where + ": empty name");
    if (card.options & ~card_option::kAll) return Status(Fault::kBadParam, where + ": bad options");
    const std::pair<const char*, const std::string*> strings[] = {{"number", &card.number},
                                                                  {"pin", &card.pin}};
    for (const auto& [field, value] : strings) {
      if (auto why = detail::checkDialChars(*value)) return param(where, field, "...", *why);
    }
    const std::pair<const char*, const std::string*> rules[] = {
        {"same-area rule", &card.sameAreaRule},
        {"long-distance rule", &card.longDistanceRule},
        {"international rule", &card.internationalRule}};
    for (const auto& [field, value] : rules) {
      if (auto why = detail::checkRule(*value)) return param(where, field, *value, *why);
    }
  }
  std::unordered_set<std::uint32_t> locationIds;
  for (const Location& loc : config.locations) {
    const std::string where = "location " + std::to_string(loc.id);
    if (loc.id == 0) return Status(Fault::kBadLocation, "location ids start at 1");
    if (!locationIds.insert(loc.id).second) {
      return Status(Fault::kBadLocation, where + " defined twice");
    }
    if (loc.name.empty()) return Status(Fault::kBadParam, where + ": empty name");
    if (countries.byRegion(loc.region) == nullptr) {
      return Status(Fault::kBadCountryCode,
                    where + ": unknown country or region " + quote(loc.region));
    }
    if (auto why = checkOptionalDigits(loc.areaCode))
      return param(where, "area code", loc.areaCode, *why);
    const std::pair<const char*, const std::string*> dials[] = {
        {"local access code", &loc.localAccessCode},
        {"long-distance access code", &loc.longDistanceAccessCode},
        {"long-distance carrier", &loc.longDistanceCarrier},
        {"international carrier", &loc.internationalCarrier},
        {"cancel-call-waiting", &loc.cancelCallWaiting}};
    for (const auto& [field, value] : dials) {
      if (auto why = detail::checkDialChars(*value)) return param(where, field, *value, *why);
    }
    const std::pair<const char*, const std::string*> rules[] = {
        {"same-area rule", &loc.sameAreaRule},
        {"long-distance rule", &loc.longDistanceRule},
        {"international rule", &loc.internationalRule}};
    for (const auto& [field, value] : rules) {
      if (auto why = detail::checkRule(*value)) return param(where, field, *value, *why);
    }
    for (const std::string& prefix : loc.tollPrefixes) {
      if (auto why = detail::checkDigits(prefix)) return param(where, "toll prefix", prefix, *why);
    }
    for (const AreaCodeRule& rule : loc.areaCodeRules) {
      if (auto why = detail::checkDigits(rule.areaCode)) {
        return param(where, "area-code rule", rule.areaCode, *why);
      }
      for (const std::string& prefix : rule.prefixes) {
        if (auto why = detail::checkDigits(prefix))
          return param(where, "area-code rule prefix", prefix, *why);
      }
    }
    if (loc.preferredCardId != kDirectDial && cardIds.count(loc.preferredCardId) == 0) {
      return Status(Fault::kBadCard, where + ": calling card " +
                                         std::to_string(loc.preferredCardId) + " does not exist");
    }
  }
  if (config.locations.empty() ? config.currentLocationId != 0
                               : locationIds.count(config.currentLocationId) == 0) {
    return Status(
        Fault::kBadLocation,
        "current location " + std::to_string(config.currentLocationId) + " does not exist");
  }
  return Status::ok();
}

Result<DialingConfig> parseDialingConfig(std::string_view text, std::string_view sourceName,
                                         const CountryTable& countries) {
  const Places places(sourceName);
  toml::table root;
  try {
    root = toml::parse(text, sourceName);
  } catch (const toml::parse_error& e) {
    return places.at(e.source().begin, std::string(e.description()));
  }

  DialingConfig config;
  Fields top(places, root, "the locations file");
  // Where each id was written, to point at cross-reference errors.
  std::unordered_map<std::uint32_t, const toml::table*> locationAt;
  std::unordered_map<std::uint32_t, const toml::table*> cardAt;
  TRY(top.tables("card", [&](const toml::table& t) {
    Card card;
    TRY(readCard(places, t, card));
    if (!cardAt.emplace(card.id, &t).second) {
      return places.at(*t.get("id"), "card " + std::to_string(card.id) + " is defined twice");
    }
    config.cards.push_back(std::move(card));
    return Status::ok();
  }));
  TRY(top.tables("location", [&](const toml::table& t) {
    Location loc;
    TRY(readLocation(places, t, countries, loc));
    if (!locationAt.emplace(loc.id, &t).second) {
      return places.at(*t.get("id"), "location " + std::to_string(loc.id) + " is defined twice");
    }
    if (loc.preferredCardId != kDirectDial && cardAt.count(loc.preferredCardId) == 0) {
      return places.at(*t.get("calling_card"),
                       "no [[card]] with id " + std::to_string(loc.preferredCardId));
    }
    config.locations.push_back(std::move(loc));
    return Status::ok();
  }));
  const toml::node* current = root.get("current_location");
  TRY(top.id("current_location", config.currentLocationId, false));
  if (current == nullptr) {
    if (!config.locations.empty()) config.currentLocationId = config.locations.front().id;
  } else if (locationAt.count(config.currentLocationId) == 0) {
    return places.at(*current,
                     "no [[location]] with id " + std::to_string(config.currentLocationId));
  }
  TRY(top.finish());
  // Everything above was checked with its position; this catches whatever a
  // future field forgets to.
  Status valid = validateConfig(config, countries);
  if (!valid.isOk()) return places.whole(valid.message());
  return config;
}

std::string formatDialingConfig(const DialingConfig& config) {
  Writer w;
  w.line("# tapir dialing locations and calling cards (docs/dialing.md).");
  w.line("# Card numbers and PINs are kept here: keep this file private (mode 0600).");
  if (!config.locations.empty()) w.number("current_location", config.currentLocationId);
  for (const Location& loc : config.locations) {
    w.line("");
    w.line("[[location]]");
    w.number("id", loc.id);
    w.text("name", loc.name, true);
    w.text("country", loc.region, true);
    w.text("area_code", loc.areaCode, false);
    w.text("local_access_code", loc.localAccessCode, false);
    w.text("long_distance_access_code", loc.longDistanceAccessCode, false);
    w.text("long_distance_carrier", loc.longDistanceCarrier, false);
    w.text("international_carrier", loc.internationalCarrier, false);
    w.text("cancel_call_waiting", loc.cancelCallWaiting, false);
    if (loc.dialMode == DialMode::kTone) w.line("dial_mode = \"tone\"");
    if (loc.dialMode == DialMode::kPulse) w.line("dial_mode = \"pulse\"");
    if (loc.preferredCardId != kDirectDial) w.number("calling_card", loc.preferredCardId);
    w.list("toll_prefixes", loc.tollPrefixes);
    w.text("same_area_rule", loc.sameAreaRule, false);
    w.text("long_distance_rule", loc.longDistanceRule, false);
    w.text("international_rule", loc.internationalRule, false);
    for (const AreaCodeRule& rule : loc.areaCodeRules) {
      w.line("");
      w.line("[[location.area_code_rule]]");
      w.text("area_code", rule.areaCode, true);
      w.list("prefixes", rule.prefixes);
      w.flag("dial_area_code", rule.dialAreaCode);
      w.flag("dial_long_distance_prefix", rule.dialLongDistancePrefix);
    }
  }
  for (const Card& card : config.cards) {
    w.line("");
    w.line("[[card]]");
    w.number("id", card.id);
    w.text("name", card.name, true);
    w.text("number", card.number, false);
    w.text("pin", card.pin, false);
    w.text("same_area_rule", card.sameAreaRule, false);
    w.text("long_distance_rule", card.longDistanceRule, false);
    w.text("international_rule", card.internationalRule, false);
    w.flag("hidden", (card.options & card_option::kHidden) != 0);
    w.flag("predefined", (card.options & card_option::kPredefined) != 0);
  }
  return w.take();
}

Result<DialingConfig> loadDialingConfig(const std::string& path, const CountryTable& countries) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status(Code::kNotFound, path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Fault::kIniFileCorrupt, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(Fault::kIniFileCorrupt, path + ": read error");
  return parseDialingConfig(text.str(), path, countries);
}

Status saveDialingConfig(const DialingConfig& config, const std::string& path) {
  const std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) {
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) return Status(Fault::kOperationFailed, path + ": " + ec.message());
  }
  const std::string text = formatDialingConfig(config);
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ioError(temp, "cannot create");
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status st = ioError(temp, "cannot write");
      ::close(fd);
      ::unlink(temp.c_str());
      return st;
    }
    done += static_cast<std::size_t>(n);
  }
  // The file may have existed with looser permissions.
  if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
    Status st = ioError(temp, "cannot flush");
    ::close(fd);
    ::unlink(temp.c_str());
    return st;
  }
  if (::close(fd) != 0) {
    Status st = ioError(temp, "cannot close");
    ::unlink(temp.c_str());
    return st;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status st = ioError(path, "cannot replace");
    ::unlink(temp.c_str());
    return st;
  }
  return Status::ok();
}

ConfigPaths defaultConfigPaths(std::string_view xdgConfigHome, std::string_view home) {
  ConfigPaths paths;
  // The XDG base directory spec ignores relative paths.
  if (!xdgConfigHome.empty() && xdgConfigHome.front() == '/') {
    paths.user = std::string(xdgConfigHome) + "/tapir/locations.toml";
  } else if (!home.empty()) {
    paths.user = std::string(home) + "/.config/tapir/locations.toml";
  }
  paths.system = std::string(TAPIR_SYSCONFDIR) + "/tapir/locations.toml";
  return paths;
}

ConfigPaths configPathsFromEnvironment() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  return defaultConfigPaths(xdg ? xdg : "", home ? home : "");
}

Result<LoadedConfig> loadConfig(const ConfigPaths& paths, const CountryTable& countries) {
  for (const std::string* path : {&paths.user, &paths.system}) {
    if (path->empty()) continue;
    Result<DialingConfig> config = loadDialingConfig(*path, countries);
    if (config.isOk()) return LoadedConfig{std::move(config).value(), *path};
    if (config.status().code() != Code::kNotFound) return config.status();
  }
  return LoadedConfig{};
}

}  // namespace tapir::dialing
