// Reading a switch configuration from TOML (docs/configuration.md).
//
// Every error names the file, the line and column, and what is wrong:
//   etc/demo.toml:12:9: 'ring_period': '6' needs a unit: ms, s, m or h
// Unknown keys are errors too, so a typo never passes silently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pbx/core/switch_config.h"
#include "pbx/virtual/virtual_world.h"
#include "tapir/status.h"

namespace tapir::pbx {

struct PbxConfig {
  SwitchConfig sw;
  sim::WorldConfig world;
  std::vector<sim::StationBehavior> behaviors;  // one per entry of sw.stations
};

Result<PbxConfig> parseConfig(std::string_view text, std::string_view sourceName);
Result<PbxConfig> loadConfigFile(const std::string& path);
// A configuration file's text (at most 16 MiB).
Result<std::string> readConfigText(const std::string& path);

// "201-208" -> 201..208 (same width); "701" -> {701}.
Result<std::vector<std::string>> expandNumberRange(std::string_view text);

}  // namespace tapir::pbx
