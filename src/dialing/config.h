// Locations and calling cards on disk: the locations file (TOML; format in
// docs/dialing.md) and where it lives.
//
// The user's file is $XDG_CONFIG_HOME/tapir/locations.toml (else
// ~/.config/tapir/locations.toml); without it the system default
// <sysconfdir>/tapir/locations.toml applies. Paths are always passed in, so
// tests and tools choose them; only configPathsFromEnvironment() reads the
// environment.
//
// Errors reading a file are Fault::kIniFileCorrupt (LINEERR_INIFILECORRUPT)
// and name the place: "locations.toml:12:9: 'area_code': '4x5' ...". Unknown
// keys are errors, so a typo never passes silently.
#pragma once

#include <string>
#include <string_view>

#include "dialing/countries.h"
#include "dialing/types.h"
#include "tapir/status.h"

namespace tapir::dialing {

// Checks a configuration: ids, references, digits, rules. Faults:
// kBadLocation (location ids, current location), kBadCard (card ids,
// preferred cards), kBadCountryCode (unknown region), kBadParam (any other
// field).
Status validateConfig(const DialingConfig& config, const CountryTable& countries);

// The configuration in `text`; `sourceName` prefixes error positions.
Result<DialingConfig> parseDialingConfig(std::string_view text, std::string_view sourceName,
                                         const CountryTable& countries);
// TOML text that parseDialingConfig() reads back to an equal configuration.
std::string formatDialingConfig(const DialingConfig& config);

// A missing file is Code::kNotFound (no fault); anything else wrong is
// kIniFileCorrupt.
Result<DialingConfig> loadDialingConfig(const std::string& path, const CountryTable& countries);
// Writes atomically (temporary file, then rename), mode 0600: the file holds
// card numbers and PINs. Creates missing directories. Errors: kOperationFailed.
Status saveDialingConfig(const DialingConfig& config, const std::string& path);

struct ConfigPaths {
  std::string user;    // empty: no per-user file
  std::string system;  // empty: no system default
};

ConfigPaths defaultConfigPaths(std::string_view xdgConfigHome, std::string_view home);
// defaultConfigPaths() from $XDG_CONFIG_HOME and $HOME.
ConfigPaths configPathsFromEnvironment();

struct LoadedConfig {
  DialingConfig config;
  std::string path;  // the file read; empty if neither exists (no locations)
};

// The user's file if it exists, else the system default, else an empty
// configuration (translations then fail with kIniFileCorrupt, as TAPI's do
// before any location is set up).
Result<LoadedConfig> loadConfig(const ConfigPaths& paths, const CountryTable& countries);

}  // namespace tapir::dialing
