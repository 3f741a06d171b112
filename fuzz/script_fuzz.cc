// Fuzzes the script-step and duration parsers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pbx/virtual/script.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> steps;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      steps.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  auto script = tapir::pbx::sim::parseScript(steps);
  if (script) {
    for (const auto& step : script->steps)
      (void)tapir::pbx::sim::describe(step);
  }
  (void)tapir::pbx::sim::parseDuration(text);
  return 0;
}
