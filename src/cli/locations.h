// `tapir location list|show|set-current`: the dialing locations of this
// machine's user, read and written through the dialing-rules engine in the
// same file libtapir uses (TAPIR_LOCATIONS, else the user's
// $XDG_CONFIG_HOME/tapir/locations.toml, else the system default, else the
// built-in Demo location; a change is saved to the first or the user's file).
// Client-side: tapird is not involved.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace tapir::cli {

// args: {"list"}, {"show"}, {"show", NAME_OR_ID}, {"set-current", NAME_OR_ID}.
// Prints to out (json: one JSON document) or the error to err; returns the
// exit status (kExitOk, kExitFailed).
int runLocation(const std::vector<std::string>& args, bool json, std::ostream& out,
                std::ostream& err);

}  // namespace tapir::cli
