// `tapir location list|show|set-current|add|set|remove|toll` and `tapir card
// list|add|set|remove`: the dialing locations and calling cards of this
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

// args: {"list"}, {"show"}, {"show", NAME_OR_ID}, {"set-current", NAME_OR_ID},
// {"add", NAME, REGION}, {"set", NAME, KEY, VALUE}, {"remove", NAME},
// {"toll", NAME, "add"|"remove", PREFIX}. Every change is checked as the
// engine would read it, then saved.
// Prints to out (json: one JSON document) or the error to err; returns the
// exit status (kExitOk, kExitFailed).
int runLocation(const std::vector<std::string>& args, bool json, std::ostream& out,
                std::ostream& err);
// args: {"list"}, {"add", NAME, NUMBER[, PIN]}, {"set", NAME, KEY, VALUE},
// {"remove", NAME}. A card's number and PIN are never printed.
int runCard(const std::vector<std::string>& args, bool json, std::ostream& out,
            std::ostream& err);

}  // namespace tapir::cli
