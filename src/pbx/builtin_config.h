// Configuration files built into the programs and libraries, so that the
// demo switch and the Demo dialing location work without installed files.
#pragma once

namespace tapir {

extern const char kBuiltinDemoConfig[];  // etc/demo.toml
extern const char kBuiltinLocations[];   // etc/locations.toml

}  // namespace tapir
