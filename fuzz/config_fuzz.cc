// Fuzzes the TOML configuration loader: any text gives a config or a clear
// error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pbx/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cfg = tapir::pbx::parseConfig(text, "fuzz.toml");
  if (!cfg && cfg.status().message().empty()) __builtin_trap();
  return 0;
}
