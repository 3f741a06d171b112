// The `tapir` CLI's commands: the command line (CLI11) turned into what to do
// (an Invocation: a console.* request, watch, status, a dialing-location
// edit), and the human forms of the answers. No I/O here, so the parsing and
// formatting are unit-tested (tests/cli/commands_test.cc); docs/cli.md is the
// reference.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/codec.h"
#include "tapir/status.h"

namespace tapir::cli {

using Json = protocol::Json;

// Exit codes a script can rely on (docs/cli.md "Exit status").
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;       // the operation failed
inline constexpr int kExitUsage = 2;        // bad command line
inline constexpr int kExitUnreachable = 3;  // cannot reach or authenticate to the server

struct GlobalOptions {
  std::string server;  // unix:PATH or ws://HOST:PORT; empty: defaultServers()
  std::string token;
  bool json = false;
  double timeout = 10;  // seconds, for connecting and for each request
  bool interactive = false;
};

// What one command line asks for.
struct Invocation {
  enum class Kind { kNone, kRequest, kWatch, kStatus, kLocation, kCard, kHelp, kQuit };
  Kind kind = Kind::kNone;
  std::string command;  // "lines", "call", ... ("" for none)
  std::string method;   // kRequest: "console.lines", ...
  Json params = Json::object();
  // kLocation, kCard: runLocation's / runCard's arguments (cli/locations.h).
  std::vector<std::string> location;
};

struct ParseOutcome {
  bool proceed = false;  // false: exit (or, interactively, next line) with exitCode
  int exitCode = kExitOk;
  std::string out;  // --help text
  std::string err;  // usage error, with a hint
};

// Parses `args` (args[0] is the program name). interactive: the line of the
// interactive mode (global options not repeated; also help, quit, exit).
ParseOutcome parseCommandLine(const std::vector<std::string>& args, GlobalOptions& globals,
                              Invocation& inv, bool interactive = false);

// Splits an interactive line into words: blanks separate, '…' and "…" quote,
// a backslash escapes the next character. Unterminated quote: kBadParam.
Result<std::vector<std::string>> splitWords(std::string_view line);

// The command names (tab completion, interactive help).
const std::vector<std::string>& commandNames();

// Where to find the server when neither --server nor TAPIR_SERVER says: the
// default unix socket ($XDG_RUNTIME_DIR/tapir/tapird.sock, else
// /tmp/tapir-$UID/tapird.sock), then ws://127.0.0.1:5038.
std::vector<std::string> defaultServers();

// The human form of a request's result; ends with a newline unless empty.
std::string formatResult(const Invocation& inv, const Json& result);
// A console event as one line ("201  call 7  RINGBACK  201 -> 202").
std::string formatEvent(const Json& event);
// `tapir status` from the hello answer and console.status.
std::string formatStatus(const std::string& server, const Json& hello, const Json& status);
// "tapir: BadCallState: station 202 has no offering call".
std::string formatError(const Status& status);

}  // namespace tapir::cli
