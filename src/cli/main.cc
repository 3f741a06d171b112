// tapir: the operator's command line for tapird (docs/cli.md), after
// `asterisk -rx` / `fs_cli -x`: one command per run, or an interactive mode
// with line editing, history and completion (libedit).
#include <editline/readline.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/connection.h"
#include "cli/locations.h"

namespace tapir::cli {
namespace {

std::atomic<bool> gInterrupted{false};

void onInterrupt(int) {
  gInterrupted = true;
}

// The connection, opened on first use (and again after it was lost).
class Link {
 public:
  explicit Link(const GlobalOptions& g) : g_(g) {}

  // nullptr after printing why; *exitCode says which failure.
  Connection* get(int* exitCode) {
    if (conn_) return conn_.get();
    const auto servers = g_.server.empty() ? defaultServers() : std::vector{g_.server};
    auto c = Connection::open(servers, g_.token, timeout());
    if (!c) {
      std::cerr << formatError(c.status());
      *exitCode = c.status().code() == Code::kInvalidArgument ? kExitUsage : kExitUnreachable;
      return nullptr;
    }
    conn_ = std::move(*c);
    return conn_.get();
  }
  void reset() { conn_.reset(); }
  std::chrono::milliseconds timeout() const {
    return std::chrono::milliseconds(static_cast<std::int64_t>(g_.timeout * 1000));
  }

 private:
  const GlobalOptions& g_;
  std::unique_ptr<Connection> conn_;
};

int failed(Link& link, Connection& c, const Status& st) {
  std::cerr << formatError(st);
  if (c.transportFailed()) {
    link.reset();
    return kExitUnreachable;
  }
  return kExitFailed;
}

int watch(Link& link, Connection& c, bool json) {
  auto ok = c.request("console.watch", Json::object());
  if (!ok) return failed(link, c, ok.status());
  gInterrupted = false;
  struct sigaction sa {};
  struct sigaction old {};
  sa.sa_handler = onInterrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old);
  int code = kExitOk;
  while (!gInterrupted) {
    auto ev = c.nextEvent(std::chrono::milliseconds(200));
    if (!ev) {
      if (ev.status().code() == Code::kDeadlineExceeded) continue;
      code = failed(link, c, ev.status());
      break;
    }
    const std::string name = ev->value("event", "");
    if (name == "shutdown") {
      std::cerr << "tapir: the server is shutting down: " << ev->value("reason", "") << "\n";
      link.reset();
      code = kExitUnreachable;
      break;
    }
    if (name != "console") continue;
    std::cout << (json ? ev->dump() + "\n" : formatEvent(*ev)) << std::flush;
  }
  sigaction(SIGINT, &old, nullptr);
  // The subscription ends with the connection; interactively, start afresh.
  link.reset();
  return code;
}

int execute(const Invocation& inv, const GlobalOptions& g, Link& link) {
  if (inv.kind == Invocation::Kind::kLocation)
    return runLocation(inv.location, g.json, std::cout, std::cerr);
  if (inv.kind == Invocation::Kind::kCard) return runCard(inv.location, g.json, std::cout, std::cerr);
  if (inv.kind != Invocation::Kind::kRequest && inv.kind != Invocation::Kind::kStatus &&
      inv.kind != Invocation::Kind::kWatch) {
    return kExitOk;
  }
  int code = kExitOk;
  Connection* c = link.get(&code);
  if (c == nullptr) return code;
  if (inv.kind == Invocation::Kind::kWatch) return watch(link, *c, g.json);
  if (inv.kind == Invocation::Kind::kStatus) {
    auto st = c->request("console.status", Json::object());
    if (!st) return failed(link, *c, st.status());
    if (g.json) {
      Json out = c->hello();
      out["address"] = c->server();
      out["status"] = *st;
      std::cout << out.dump() << "\n";
    } else {
      std::cout << formatStatus(c->server(), c->hello(), *st);
    }
    return kExitOk;
  }
  auto r = c->request(inv.method, inv.params);
  if (!r) return failed(link, *c, r.status());
  std::cout << (g.json ? r->dump() + "\n" : formatResult(inv, *r)) << std::flush;
  return kExitOk;
}

// ---- interactive mode -------------------------------------------------------------------------

std::vector<std::string> gStations;  // for completion
std::vector<std::string> gMatches;
std::size_t gMatch = 0;

char* nextMatch(const char* text, int state) {
  if (state == 0) {
    gMatches.clear();
    gMatch = 0;
    // The first word is a command; later ones are stations (or numbers).
    const std::string line = rl_line_buffer ? rl_line_buffer : "";
    const std::size_t start = line.find_first_not_of(" \t");
    const bool first = start == std::string::npos ||
                       line.find_first_of(" \t", start) == std::string::npos;
    const std::size_t n = std::strlen(text);
    for (const std::string& w : first ? commandNames() : gStations)
      if (w.compare(0, n, text) == 0) gMatches.push_back(w);
  }
  if (gMatch < gMatches.size()) return ::strdup(gMatches[gMatch++].c_str());
  return nullptr;
}

char** completeWord(const char* text, int, int) {
  rl_attempted_completion_over = 1;
  return rl_completion_matches(text, nextMatch);
}

std::string historyFile() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state)
    return std::string(state) + "/tapir_history";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.tapir_history";
  return "";
}

void loadStations(Link& link) {
  int code = 0;
  Connection* c = link.get(&code);
  if (c == nullptr) return;
  auto lines = c->request("console.lines", Json::object());
  if (!lines) return;
  gStations.clear();
  for (const Json& l : lines->value("lines", Json::array()))
    gStations.push_back(l.value("station", ""));
}

int interactive(const GlobalOptions& g) {
  const bool tty = ::isatty(STDIN_FILENO) != 0;
  Link link(g);
  int last = kExitOk;
  std::string history;
  if (tty) {
    std::cout << "tapir: interactive mode; `help` lists the commands, Tab completes, "
                 "`quit` or Ctrl-D leaves\n";
    loadStations(link);
    rl_attempted_completion_function = completeWord;
    history = historyFile();
    stifle_history(1000);
    if (!history.empty()) read_history(history.c_str());
  }
  for (;;) {
    std::string line;
    if (tty) {
      char* raw = readline("tapir> ");
      if (raw == nullptr) {
        std::cout << "\n";
        break;
      }
      line = raw;
      std::free(raw);
    } else if (!std::getline(std::cin, line)) {
      break;
    }
    auto words = splitWords(line);
    if (!words) {
      std::cerr << formatError(words.status());
      last = kExitUsage;
      continue;
    }
    if (words->empty()) continue;
    if (tty) add_history(line.c_str());
    std::vector<std::string> args{"tapir"};
    args.insert(args.end(), words->begin(), words->end());
    GlobalOptions lineOptions = g;
    Invocation inv;
    ParseOutcome p = parseCommandLine(args, lineOptions, inv, true);
    std::cout << p.out;
    std::cerr << p.err;
    if (!p.proceed) {
      last = p.exitCode;
      continue;
    }
    if (inv.kind == Invocation::Kind::kQuit) break;
    if (inv.kind == Invocation::Kind::kHelp) {
      ParseOutcome h = parseCommandLine({"tapir", "--help"}, lineOptions, inv, true);
      std::cout << h.out;
      continue;
    }
    last = execute(inv, lineOptions, link);
  }
  if (tty && !history.empty()) write_history(history.c_str());
  return last;
}

}  // namespace
}  // namespace tapir::cli

int main(int argc, char** argv) {
  using namespace tapir::cli;
  std::vector<std::string> args(argv, argv + argc);
  GlobalOptions g;
  Invocation inv;
  ParseOutcome p = parseCommandLine(args, g, inv);
  std::cout << p.out;
  std::cerr << p.err;
  if (!p.proceed) return p.exitCode;
  if (g.interactive || inv.kind == Invocation::Kind::kNone) return interactive(g);
  Link link(g);
  return execute(inv, g, link);
}
