// Logging setup: spdlog's default logger, configured once by the program.
// Library code logs through spdlog's free functions (spdlog::info, ...);
// nothing on a hot path logs unless a failure is being reported.
#pragma once

#include <string_view>

#include "tapir/status.h"

namespace tapir::log {

// level: trace, debug, info, warn, error, off.
Status init(std::string_view level);

}  // namespace tapir::log
