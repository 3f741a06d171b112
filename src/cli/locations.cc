#include "cli/locations.h"

#include <cstdlib>
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

const dialing::Location* find(const dialing::DialingConfig& c, const std::string& nameOrId) {
  for (const auto& l : c.locations)
    if (l.name == nameOrId) return &l;
  for (const auto& l : c.locations)
    if (std::to_string(l.id) == nameOrId) return &l;
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
  const dialing::Location* l = nullptr;
  if (args.size() > 1) {
    l = find(cfg, args[1]);
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

}  // namespace tapir::cli
