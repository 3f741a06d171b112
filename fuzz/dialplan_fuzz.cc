// Fuzzes the dial-string parser and the numbering plan with arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pbx/core/dialplan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static tapir::pbx::Dialplan plan = [] {
    tapir::pbx::Dialplan p;
    p.addStation("201", 0, 0);
    p.addStation("202", 1, 0);
    p.addOrbit("701", 0);
    p.setOutside("9", 7, 15);
    return p;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto ds = tapir::pbx::parseDialString(text);
  if (ds) {
    if (ds->digits.size() > tapir::pbx::kMaxDigits) __builtin_trap();
    (void)plan.resolve(ds->digits);
  }
  (void)plan.resolve(text);
  return 0;
}
