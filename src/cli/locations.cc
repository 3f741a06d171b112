#include "cli/locations.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <utility>

#include "cli/commands.h"
#include "dialing/dialing.h"
#include "pbx/builtin_config.h"

namespace tapir::cli {

namespace {

struct Loaded {
  dialing::DialingConfig config;
  std::string path;  // where a change is saved
  std::string from;  // what was read ("built-in" when no file exists)
};

// As libtapir's host reads them (src/capi/host.cc).
Result<Loaded> load() {
  const auto& countries = dialing::CountryTable::builtin();
  auto builtin = [&]() -> Result<dialing::DialingConfig> {
    return dialing::parseDialingConfig(kBuiltinLocations, "built-in locations.toml", countries);
  };
  if (const char* env = std::getenv("TAPIR_LOCATIONS"); env != nullptr && *env != '\0') {
    const std::string path = env;
    auto cfg = dialing::loadDialingConfig(path, countries);
    if (cfg) return Loaded{std::move(*cfg), path, path};
    if (cfg.status().code() != Code::kNotFound) return cfg.status();
    auto b = builtin();
    if (!b) return b.status();
    return Loaded{std::move(*b), path, "built-in"};
  }
  const dialing::ConfigPaths paths = dialing::configPathsFromEnvironment();
  auto loaded = dialing::loadConfig(paths, countries);
  if (!loaded) return loaded.status();
  if (!loaded->path.empty()) return Loaded{std::move(loaded->config), paths.user, loaded->path};
  auto b = builtin();
  if (!b) return b.status();
  return Loaded{std::move(*b), paths.user, "built-in"};
}

// A location or card by name, else by permanent id.
template <class Items>
auto findNamed(Items& items, const std::string& nameOrId) -> decltype(&*items.begin()) {
  for (auto& x : items)
    if (x.name == nameOrId) return &x;
  for (auto& x : items)
    if (std::to_string(x.id) == nameOrId) return &x;
  return nullptr;
}

Json toJson(const dialing::Location& l, bool current) {
  return Json{{"id", l.id},
              {"name", l.name},
              {"current", current},
              {"region", l.region},
              {"areaCode", l.areaCode},
              {"localAccessCode", l.localAccessCode},
              {"longDistanceAccessCode", l.longDistanceAccessCode},
              {"longDistanceCarrier", l.longDistanceCarrier},
              {"internationalCarrier", l.internationalCarrier},
              {"cancelCallWaiting", l.cancelCallWaiting},
              {"dialMode", l.dialMode == dialing::DialMode::kTone    ? "tone"
                           : l.dialMode == dialing::DialMode::kPulse ? "pulse"
                                                                     : "line"},
              {"preferredCardId", l.preferredCardId},
              {"tollPrefixes", l.tollPrefixes}};
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? "-" : out;
}

// Never the card's number or PIN: how many digits, and whether there is a PIN.
Json toJson(const dialing::Card& k) {
  return Json{{"id", k.id},
              {"name", k.name},
              {"numberDigits", k.number.size()},
              {"hasPin", !k.pin.empty()},
              {"sameAreaRule", k.sameAreaRule},
              {"longDistanceRule", k.longDistanceRule},
              {"internationalRule", k.internationalRule}};
}

// Changes the user's file: edit() changes a copy, the engine validates the
// result (as lineTranslateAddress would read it), then it is saved. `done`
// says what happened, for people.
int change(const std::function<Status(dialing::DialingConfig&)>& edit, const std::string& done,
           bool json, std::ostream& out, std::ostream& err) {
  auto loaded = load();
  if (!loaded) {
    err << formatError(loaded.status());
    return kExitFailed;
  }
  dialing::DialingConfig cfg = loaded->config;
  if (Status st = edit(cfg); !st) {
    err << formatError(st);
    return kExitFailed;
  }
  if (Status st = dialing::validateConfig(cfg, dialing::CountryTable::builtin()); !st) {
    err << formatError(st);
    return kExitFailed;
  }
  if (loaded->path.empty()) {
    err << formatError(Status(Fault::kOperationFailed,
                              "nowhere to save: set TAPIR_LOCATIONS, XDG_CONFIG_HOME or HOME"));
    return kExitFailed;
  }
  if (Status st = dialing::saveDialingConfig(cfg, loaded->path); !st) {
    err << formatError(st);
    return kExitFailed;
  }
  if (json) {
    out << Json{{"done", done}, {"file", loaded->path}}.dump() << "\n";
  } else {
    out << done << " (saved to " << loaded->path << ")\n";
  }
  return kExitOk;
}

Status badValue(const std::string& key, const std::string& what) {
  return Status(Fault::kBadParam, key + ": " + what);
}

// `location set NAME KEY VALUE`.
Status setLocationField(dialing::DialingConfig& c, dialing::Location& l, const std::string& key,
                        const std::string& value) {
  if (key == "name") {
    if (value.empty()) return badValue(key, "a location needs a name");
    for (const auto& o : c.locations)
      if (o.id != l.id && o.name == value) return badValue(key, "another location is named " + value);
    l.name = value;
  } else if (key == "region") {
    l.region = value;
  } else if (key == "area-code") {
    l.areaCode = value;
  } else if (key == "local-access") {
    l.localAccessCode = value;
  } else if (key == "ld-access") {
    l.longDistanceAccessCode = value;
  } else if (key == "ld-carrier") {
    l.longDistanceCarrier = value;
  } else if (key == "intl-carrier") {
    l.internationalCarrier = value;
  } else if (key == "cancel-call-waiting") {
    l.cancelCallWaiting = value;
  } else if (key == "dial-mode") {
    if (value == "tone") l.dialMode = dialing::DialMode::kTone;
    else if (value == "pulse") l.dialMode = dialing::DialMode::kPulse;
    else if (value == "line") l.dialMode = dialing::DialMode::kLineDefault;
    else return badValue(key, "tone, pulse or line");
  } else if (key == "card") {
    if (value == "0" || value == "none") {
      l.preferredCardId = dialing::kDirectDial;
    } else {
      const dialing::Card* k = findNamed(c.cards, value);
      if (k == nullptr) return Status(Fault::kBadCard, "no card " + value);
      l.preferredCardId = k->id;
    }
  } else if (key == "same-area-rule") {
    l.sameAreaRule = value;
  } else if (key == "ld-rule") {
    l.longDistanceRule = value;
  } else if (key == "intl-rule") {
    l.internationalRule = value;
  } else {
    return badValue(key, "not a location setting (name, region, area-code, local-access, "
                         "ld-access, ld-carrier, intl-carrier, cancel-call-waiting, dial-mode, "
                         "card, same-area-rule, ld-rule, intl-rule)");
  }
  return Status();
}

// `card set NAME KEY VALUE`.
Status setCardField(dialing::DialingConfig& c, dialing::Card& k, const std::string& key,
                    const std::string& value) {
  if (key == "name") {
    if (value.empty()) return badValue(key, "a card needs a name");
    for (const auto& o : c.cards)
      if (o.id != k.id && o.name == value) return badValue(key, "another card is named " + value);
    k.name = value;
  } else if (key == "number") {
    k.number = value;
  } else if (key == "pin") {
    k.pin = value;
  } else if (key == "same-area-rule") {
    k.sameAreaRule = value;
  } else if (key == "ld-rule") {
    k.longDistanceRule = value;
  } else if (key == "intl-rule") {
    k.internationalRule = value;
  } else {
    return badValue(key, "not a card setting (name, number, pin, same-area-rule, ld-rule, "
                         "intl-rule)");
  }
  return Status();
}

template <class T>
std::uint32_t nextId(const std::vector<T>& v) {
  std::uint32_t id = 0;
  for (const auto& x : v) id = std::max(id, x.id);
  return id + 1;
}

int usage(std::ostream& err, const std::string& form) {
  err << "tapir: usage: tapir " << form << "\n";
  return kExitUsage;
}

}  // namespace

int runLocation(const std::vector<std::string>& args, bool json, std::ostream& out,
                std::ostream& err) {
  auto loaded = load();
  if (!loaded) {
    err << formatError(loaded.status());
    return kExitFailed;
  }
  const dialing::DialingConfig& cfg = loaded->config;
  const std::string verb = args.empty() ? "list" : args[0];
  if (verb == "list") {
    if (json) {
      Json list = Json::array();
      for (const auto& l : cfg.locations) list.push_back(toJson(l, l.id == cfg.currentLocationId));
      out << Json{{"file", loaded->from}, {"locations", std::move(list)}}.dump() << "\n";
      return kExitOk;
    }
    out << "   ID  NAME  (" << loaded->from << ")\n";
    for (const auto& l : cfg.locations) {
      out << (l.id == cfg.currentLocationId ? " * " : "   ") << l.id << "  " << l.name << "  ("
          << l.region << (l.areaCode.empty() ? "" : ", area " + l.areaCode) << ")\n";
    }
    return kExitOk;
  }
  if (verb == "add") {
    if (args.size() != 3) return usage(err, "location add NAME REGION");
    return change(
        [&](dialing::DialingConfig& c) -> Status {
          if (findNamed(c.locations, args[1]) != nullptr)
            return badValue("name", "there is already a location " + args[1]);
          dialing::Location l;
          l.id = nextId(c.locations);
          l.name = args[1];
          l.region = args[2];
          c.locations.push_back(std::move(l));
          if (c.currentLocationId == 0) c.currentLocationId = c.locations.back().id;
          return Status();
        },
        "added location " + args[1], json, out, err);
  }
  if (verb == "set") {
    if (args.size() != 4) return usage(err, "location set NAME KEY VALUE");
    return change(
        [&](dialing::DialingConfig& c) -> Status {
          dialing::Location* l = findNamed(c.locations, args[1]);
          if (l == nullptr) return Status(Fault::kBadLocation, "no location " + args[1]);
          return setLocationField(c, *l, args[2], args[3]);
        },
        "location " + args[1] + ": " + args[2] + " set", json, out, err);
  }
  if (verb == "remove") {
    if (args.size() != 2) return usage(err, "location remove NAME");
    return change(
        [&](dialing::DialingConfig& c) -> Status {
          const dialing::Location* l = findNamed(c.locations, args[1]);
          if (l == nullptr) return Status(Fault::kBadLocation, "no location " + args[1]);
          const std::uint32_t id = l->id;
          std::erase_if(c.locations, [&](const dialing::Location& x) { return x.id == id; });
          if (c.currentLocationId == id)
            c.currentLocationId = c.locations.empty() ? 0 : c.locations.front().id;
          return Status();
        },
        "removed location " + args[1], json, out, err);
  }
  if (verb == "toll") {
    if (args.size() != 4 || (args[2] != "add" && args[2] != "remove"))
      return usage(err, "location toll NAME add|remove PREFIX");
    return change(
        [&](dialing::DialingConfig& c) -> Status {
          dialing::Location* l = findNamed(c.locations, args[1]);
          if (l == nullptr) return Status(Fault::kBadLocation, "no location " + args[1]);
          auto& t = l->tollPrefixes;
          const bool has = std::find(t.begin(), t.end(), args[3]) != t.end();
          if (args[2] == "add" && !has) t.push_back(args[3]);
          if (args[2] == "remove") {
            if (!has) return badValue("toll", args[3] + " is not in the toll list");
            std::erase(t, args[3]);
          }
          return Status();
        },
        "location " + args[1] + ": toll prefix " + args[3] +
            (args[2] == "add" ? " added" : " removed"),
        json, out, err);
  }
  const dialing::Location* l = nullptr;
  if (args.size() > 1) {
    l = findNamed(cfg.locations, args[1]);
    if (l == nullptr) {
      err << formatError(Status(Fault::kBadLocation, "no location " + args[1]));
      return kExitFailed;
    }
  } else {
    for (const auto& x : cfg.locations)
      if (x.id == cfg.currentLocationId) l = &x;
    if (l == nullptr) {
      err << formatError(Status(Fault::kIniFileCorrupt, "no current location"));
      return kExitFailed;
    }
  }
  if (verb == "show") {
    if (json) {
      out << toJson(*l, l->id == cfg.currentLocationId).dump() << "\n";
      return kExitOk;
    }
    const Json j = toJson(*l, l->id == cfg.currentLocationId);
    out << "id                        " << l->id << "\n"
        << "name                      " << l->name
        << (l->id == cfg.currentLocationId ? "  (current)" : "") << "\n"
        << "region                    " << l->region << "\n"
        << "area code                 " << (l->areaCode.empty() ? "-" : l->areaCode) << "\n"
        << "local access code         "
        << (l->localAccessCode.empty() ? "-" : l->localAccessCode) << "\n"
        << "long-distance access code "
        << (l->longDistanceAccessCode.empty() ? "-" : l->longDistanceAccessCode) << "\n"
        << "cancel call waiting       "
        << (l->cancelCallWaiting.empty() ? "-" : l->cancelCallWaiting) << "\n"
        << "dial mode                 " << j["dialMode"].get<std::string>() << "\n"
        << "toll prefixes             " << joined(l->tollPrefixes) << "\n";
    return kExitOk;
  }
  if (verb == "set-current") {
    dialing::Engine engine(dialing::CountryTable::builtin());
    dialing::DialingConfig changed = cfg;
    if (Status st = engine.setConfig(std::move(changed)); !st) {
      err << formatError(st);
      return kExitFailed;
    }
    if (Status st = engine.setCurrentLocation(l->id); !st) {
      err << formatError(st);
      return kExitFailed;
    }
    if (loaded->path.empty()) {
      err << formatError(Status(Fault::kOperationFailed,
                                "nowhere to save: set TAPIR_LOCATIONS, XDG_CONFIG_HOME or HOME"));
      return kExitFailed;
    }
    if (Status st = dialing::saveDialingConfig(engine.config(), loaded->path); !st) {
      err << formatError(st);
      return kExitFailed;
    }
    if (json) {
      out << Json{{"current", l->name}, {"id", l->id}, {"file", loaded->path}}.dump() << "\n";
    } else {
      out << "current location: " << l->name << " (saved to " << loaded->path << ")\n";
    }
    return kExitOk;
  }
  err << "tapir: location: unknown command " << verb << "\n";
  return kExitUsage;
}

int runCard(const std::vector<std::string>& args, bool json, std::ostream& out,
            std::ostream& err) {
  const std::string verb = args.empty() ? "list" : args[0];
  if (verb == "list") {
    auto loaded = load();
    if (!loaded) {
      err << formatError(loaded.status());
      return kExitFailed;
    }
    if (json) {
      Json list = Json::array();
      for (const auto& k : loaded->config.cards) list.push_back(toJson(k));
      out << Json{{"file", loaded->from}, {"cards", std::move(list)}}.dump() << "\n";
      return kExitOk;
    }
    if (loaded->config.cards.empty()) {
      out << "no calling cards (" << loaded->from << ")\n";
      return kExitOk;
    }
    out << "   ID  NAME  (" << loaded->from << ")\n";
    for (const auto& k : loaded->config.cards) {
      out << "   " << k.id << "  " << k.name << "  (" << k.number.size() << "-digit number"
          << (k.pin.empty() ? "" : ", PIN") << ")\n";
    }
    return kExitOk;
  }
  if (verb == "add") {
    if (args.size() < 3 || args.size() > 4) return usage(err, "card add NAME NUMBER [PIN]");
    return change(
        [&](dialing::DialingConfig& c) -> Status {
          if (findNamed(c.cards, args[1]) != nullptr)
            return badValue("name", "there is already a card " + args[1]);
          dialing::Card k;
          k.id = nextId(c.cards);
          k.name = args[1];
          k.number = args[2];
          if (args.size() == 4) k.pin = args[3];
          c.cards.push_back(std::move(k));
          return Status();
        },
        "added card " + args[1], json, out, err);
  }
  if (verb == "set") {
    if (args.size() != 4) return usage(err, "card set NAME KEY VALUE");
    return change(
        [&](dialing::DialingConfig& c) -> Status {
          dialing::Card* k = findNamed(c.cards, args[1]);
          if (k == nullptr) return Status(Fault::kBadCard, "no card " + args[1]);
          return setCardField(c, *k, args[2], args[3]);
        },
        "card " + args[1] + ": " + args[2] + " set", json, out, err);
  }
  if (verb == "remove") {
    if (args.size() != 2) return usage(err, "card remove NAME");
    return change(
        [&](dialing::DialingConfig& c) -> Status {
          const dialing::Card* k = findNamed(c.cards, args[1]);
          if (k == nullptr) return Status(Fault::kBadCard, "no card " + args[1]);
          const std::uint32_t id = k->id;
          std::erase_if(c.cards, [&](const dialing::Card& x) { return x.id == id; });
          // Locations that preferred it dial directly again.
          for (auto& l : c.locations)
            if (l.preferredCardId == id) l.preferredCardId = dialing::kDirectDial;
          return Status();
        },
        "removed card " + args[1], json, out, err);
  }
  err << "tapir: card: unknown command " << verb << "\n";
  return kExitUsage;
}

}  // namespace tapir::cli
