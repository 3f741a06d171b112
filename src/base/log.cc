#include "base/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace tapir::log {

Status init(std::string_view level) {
  const auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") {
    return Status(Code::kInvalidArgument, "unknown log level '" + std::string(level) +
                                              "' (trace, debug, info, warn, error, off)");
  }
  auto logger = spdlog::stderr_color_mt("tapir");
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  logger->set_level(lvl);
  spdlog::set_default_logger(logger);
  return Status();
}

}  // namespace tapir::log
