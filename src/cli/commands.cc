#include "cli/commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <sstream>

namespace tapir::cli {

namespace {

constexpr const char* kFooter =
    "\nExit status: 0 ok, 1 the operation failed, 2 usage error, 3 cannot reach or\n"
    "authenticate to the server. Reference: docs/cli.md.";

// The options one subcommand fills in.
struct Args {
  std::string station, from, to, add, orbit, group;
  std::uint32_t call = 0, rings = 0;
  bool consult = false, conference = false;
  std::string unconditional, busy, noAnswer;
  bool off = false;
  std::string name;
  std::string region, key, value, number, pin, action, prefix;  // location / card
};

void request(Invocation& inv, std::string command, Json params) {
  inv.kind = Invocation::Kind::kRequest;
  inv.command = command;
  inv.method = "console." + command;
  inv.params = std::move(params);
}

CLI::Option* stationArg(CLI::App* sub, Args& a) {
  return sub->add_option("station", a.station, "the station (directory number), e.g. 201")
      ->required();
}
CLI::Option* callOpt(CLI::App* sub, Args& a) {
  return sub->add_option("--call", a.call,
                         "the call id (see `tapir calls`) when the station has several");
}
Json withCall(Json params, const Args& a) {
  if (a.call != 0) params["call"] = a.call;
  return params;
}

// Builds the parser. Subcommand callbacks fill `inv`.
void build(CLI::App& app, GlobalOptions& g, Invocation& inv, Args& a, bool interactive) {
  app.footer(kFooter);
  app.fallthrough();
  app.require_subcommand(0, 1);
  if (!interactive) {
    app.add_option("--server", g.server,
                   "where tapird listens: unix:PATH or ws://HOST:PORT (default: its unix socket, "
                   "then ws://127.0.0.1:5038)")
        ->envname("TAPIR_SERVER");
    app.add_option("--token", g.token, "the token tapird asks for")->envname("TAPIR_TOKEN");
    app.add_option("--timeout", g.timeout, "seconds to wait for the server (default 10)")
        ->check(CLI::Range(0.001, 86400.0));
    app.add_flag("-i,--interactive", g.interactive,
                 "interactive mode (also: no command at all)");
  }
  app.add_flag("--json", g.json, "machine output: the server's JSON, one document per line");

  auto* s = app.add_subcommand("status", "server version, switch, lines, calls, connections");
  s->callback([&] { inv.kind = Invocation::Kind::kStatus, inv.command = "status"; });

  s = app.add_subcommand("lines", "every station: number, name, applications, calls");
  s->callback([&] { request(inv, "lines", Json::object()); });

  s = app.add_subcommand("calls", "every call: id, station, state, parties, reason, origin");
  s->callback([&] { request(inv, "calls", Json::object()); });

  s = app.add_subcommand("call", "make a call from a station (no dialing rules: TO is dialed)");
  s->add_option("from", a.from, "the calling station")->required();
  s->add_option("to", a.to, "the number to dial (9 + number for outside)")->required();
  s->callback([&] { request(inv, "call", Json{{"from", a.from}, {"to", a.to}}); });

  s = app.add_subcommand("answer", "answer the call offered at a station");
  stationArg(s, a);
  callOpt(s, a);
  s->callback([&] { request(inv, "answer", withCall(Json{{"station", a.station}}, a)); });

  s = app.add_subcommand("hold", "put a station's connected call on hold");
  stationArg(s, a);
  callOpt(s, a);
  s->callback([&] { request(inv, "hold", withCall(Json{{"station", a.station}}, a)); });

  s = app.add_subcommand("unhold", "take a station's held call back");
  stationArg(s, a);
  callOpt(s, a);
  s->callback([&] { request(inv, "unhold", withCall(Json{{"station", a.station}}, a)); });

  s = app.add_subcommand("drop", "hang up a station's call");
  stationArg(s, a);
  callOpt(s, a);
  s->callback([&] { request(inv, "drop", withCall(Json{{"station", a.station}}, a)); });

  s = app.add_subcommand("transfer", "transfer a station's connected call (blind, or --consult)");
  stationArg(s, a);
  s->add_option("to", a.to, "where to")->required();
  s->add_flag("--consult", a.consult,
              "consultation transfer: hold the call and call TO first; finish with "
              "`tapir complete`");
  callOpt(s, a);
  s->callback([&] {
    Json p{{"station", a.station}, {"to", a.to}};
    if (a.consult) p["consult"] = true;
    request(inv, "transfer", withCall(std::move(p), a));
  });

  s = app.add_subcommand("complete", "complete a consultation transfer (or make it a conference)");
  stationArg(s, a);
  s->add_flag("--conference", a.conference, "join all three parties instead of transferring");
  s->callback([&] {
    request(inv, "complete",
            Json{{"station", a.station}, {"as", a.conference ? "conference" : "transfer"}});
  });

  s = app.add_subcommand("conference", "add a party to a station's connected call");
  stationArg(s, a);
  s->add_option("add", a.add, "the number to add")->required();
  callOpt(s, a);
  s->callback([&] {
    request(inv, "conference", withCall(Json{{"station", a.station}, {"add", a.add}}, a));
  });

  s = app.add_subcommand("park", "park a station's connected call (at ORBIT, or any free orbit)");
  stationArg(s, a);
  s->add_option("orbit", a.orbit, "the orbit, e.g. 701");
  callOpt(s, a);
  s->callback([&] {
    Json p{{"station", a.station}};
    if (!a.orbit.empty()) p["orbit"] = a.orbit;
    request(inv, "park", withCall(std::move(p), a));
  });

  s = app.add_subcommand("unpark", "take a parked call to a station");
  stationArg(s, a);
  s->add_option("orbit", a.orbit, "the orbit")->required();
  s->callback([&] { request(inv, "unpark", Json{{"station", a.station}, {"orbit", a.orbit}}); });

  s = app.add_subcommand("pickup", "pick up a call ringing elsewhere (default: own group)");
  stationArg(s, a);
  auto* grp = s->add_option("--group", a.group, "group pickup, in group ID (default: own group)")
                  ->expected(0, 1);
  auto* from = s->add_option("--from", a.from, "directed pickup of the call ringing at STATION");
  grp->excludes(from);
  s->callback([&] {
    Json p{{"station", a.station}};
    if (!a.from.empty()) p["from"] = a.from;
    if (!a.group.empty()) p["group"] = a.group;
    request(inv, "pickup", std::move(p));
  });

  s = app.add_subcommand("forward", "set or cancel a station's forwarding");
  stationArg(s, a);
  auto* fu = s->add_option("--unconditional", a.unconditional, "forward every call to NUMBER");
  auto* fb = s->add_option("--busy", a.busy, "forward when busy to NUMBER");
  auto* fn = s->add_option("--no-answer", a.noAnswer, "forward when not answered to NUMBER");
  auto* fr = s->add_option("--rings", a.rings, "rings before --no-answer forwards");
  auto* fo = s->add_flag("--off", a.off, "cancel forwarding");
  fu->excludes(fb)->excludes(fn)->excludes(fo);
  fb->excludes(fn)->excludes(fo);
  fn->excludes(fo);
  fr->needs(fn);
  s->callback([&] {
    Json p{{"station", a.station}};
    if (!a.unconditional.empty()) {
      p["mode"] = "unconditional", p["to"] = a.unconditional;
    } else if (!a.busy.empty()) {
      p["mode"] = "busy", p["to"] = a.busy;
    } else if (!a.noAnswer.empty()) {
      p["mode"] = "noanswer", p["to"] = a.noAnswer;
      if (a.rings != 0) p["rings"] = a.rings;
    } else if (a.off) {
      p["mode"] = "off";
    } else {
      throw CLI::ValidationError(
          "forward: give one of --unconditional, --busy, --no-answer or --off");
    }
    request(inv, "forward", std::move(p));
  });

  s = app.add_subcommand("watch", "print call events as they happen, until Ctrl-C");
  s->callback([&] { inv.kind = Invocation::Kind::kWatch, inv.command = "watch"; });

  auto* loc = app.add_subcommand("location", "the dialing locations (this machine's file)");
  loc->require_subcommand(1);
  auto* l = loc->add_subcommand("list", "every location; * marks the current one");
  l->callback([&] { inv.kind = Invocation::Kind::kLocation, inv.location = {"list"}; });
  l = loc->add_subcommand("show", "one location in full (default: the current one)");
  l->add_option("name", a.name, "the location's name or id");
  l->callback([&] {
    inv.kind = Invocation::Kind::kLocation;
    inv.location = {"show"};
    if (!a.name.empty()) inv.location.push_back(a.name);
  });
  l = loc->add_subcommand("set-current", "make a location the current one");
  l->add_option("name", a.name, "the location's name or id")->required();
  l->callback([&] { inv.kind = Invocation::Kind::kLocation, inv.location = {"set-current", a.name}; });
  auto location = [&](std::vector<std::string> args) {
    inv.kind = Invocation::Kind::kLocation;
    inv.location = std::move(args);
  };
  l = loc->add_subcommand("add", "add a location (it becomes current if it is the only one)");
  l->add_option("name", a.name, "its name")->required();
  l->add_option("region", a.region, "its country or region (ISO 3166: US, GB, DE...)")
      ->required();
  l->callback([&, location] { location({"add", a.name, a.region}); });
  l = loc->add_subcommand("set", "change one setting of a location");
  l->add_option("name", a.name, "the location's name or id")->required();
  l->add_option("key", a.key,
                "name, region, area-code, local-access, ld-access, ld-carrier, intl-carrier, "
                "cancel-call-waiting, dial-mode, card, same-area-rule, ld-rule, intl-rule")
      ->required();
  l->add_option("value", a.value, "the new value (\"\" clears it)")->required();
  l->callback([&, location] { location({"set", a.name, a.key, a.value}); });
  l = loc->add_subcommand("remove", "remove a location");
  l->add_option("name", a.name, "the location's name or id")->required();
  l->callback([&, location] { location({"remove", a.name}); });
  l = loc->add_subcommand("toll", "add a prefix to a location's toll list, or remove one");
  l->add_option("name", a.name, "the location's name or id")->required();
  l->add_option("action", a.action, "add or remove")
      ->required()
      ->check(CLI::IsMember({"add", "remove"}));
  l->add_option("prefix", a.prefix, "the prefix (the exchange: 555)")->required();
  l->callback([&, location] { location({"toll", a.name, a.action, a.prefix}); });
  loc->callback([&] { inv.command = "location"; });

  auto* card = app.add_subcommand("card", "calling cards for the dialing rules (this machine's file)");
  card->require_subcommand(1);
  auto cardInv = [&](std::vector<std::string> args) {
    inv.kind = Invocation::Kind::kCard;
    inv.location = std::move(args);
  };
  auto* c = card->add_subcommand("list", "every card (never its number or PIN)");
  c->callback([&, cardInv] { cardInv({"list"}); });
  c = card->add_subcommand("add", "add a card");
  c->add_option("name", a.name, "its name")->required();
  c->add_option("number", a.number, "the account number")->required();
  c->add_option("pin", a.pin, "the PIN");
  c->callback([&, cardInv] {
    std::vector<std::string> args = {"add", a.name, a.number};
    if (!a.pin.empty()) args.push_back(a.pin);
    cardInv(std::move(args));
  });
  c = card->add_subcommand("set", "change one setting of a card");
  c->add_option("name", a.name, "the card's name or id")->required();
  c->add_option("key", a.key, "name, number, pin, same-area-rule, ld-rule, intl-rule")
      ->required();
  c->add_option("value", a.value, "the new value")->required();
  c->callback([&, cardInv] { cardInv({"set", a.name, a.key, a.value}); });
  c = card->add_subcommand("remove", "remove a card (locations that preferred it dial directly)");
  c->add_option("name", a.name, "the card's name or id")->required();
  c->callback([&, cardInv] { cardInv({"remove", a.name}); });
  card->callback([&] { inv.command = "card"; });

  if (interactive) {
    app.add_subcommand("help", "this list")->callback([&] { inv.kind = Invocation::Kind::kHelp; });
    app.add_subcommand("quit", "leave")->alias("exit")->callback([&] {
      inv.kind = Invocation::Kind::kQuit;
    });
  }
}

}  // namespace

ParseOutcome parseCommandLine(const std::vector<std::string>& args, GlobalOptions& globals,
                              Invocation& inv, bool interactive) {
  CLI::App app{"tapir: operator commands for the tapird telephony server", "tapir"};
  Args a;
  inv = Invocation{};
  build(app, globals, inv, a, interactive);
  std::vector<const char*> argv;
  for (const std::string& s : args) argv.push_back(s.c_str());
  ParseOutcome out;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp& e) {
    std::ostringstream o, err;
    app.exit(e, o, err);
    out.out = o.str();
    return out;
  } catch (const CLI::CallForAllHelp& e) {
    std::ostringstream o, err;
    app.exit(e, o, err);
    out.out = o.str();
    return out;
  } catch (const CLI::ParseError& e) {
    out.exitCode = kExitUsage;
    out.err = std::string("tapir: ") + e.what() + "\n" +
              (interactive ? "Try `help` or COMMAND --help.\n" : "Try `tapir --help`.\n");
    return out;
  }
  out.proceed = true;
  return out;
}

Result<std::vector<std::string>> splitWords(std::string_view line) {
  std::vector<std::string> words;
  std::string cur;
  bool inWord = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < line.size()) {
        cur += line[++i];
      } else {
        cur += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      inWord = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      cur += line[++i];
      inWord = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (inWord) words.push_back(std::move(cur));
      cur.clear();
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote != 0) return Status(Fault::kBadParam, "unterminated quote");
  if (inWord) words.push_back(std::move(cur));
  return words;
}

const std::vector<std::string>& commandNames() {
  static const std::vector<std::string> kNames = {
      "answer", "call",   "calls",  "complete", "conference", "drop",  "forward", "help",
      "hold",   "lines",  "location", "park",   "pickup",     "quit",  "status",  "transfer",
      "unhold", "unpark", "watch"};
  return kNames;
}

std::vector<std::string> defaultServers() {
  std::string socket;
  if (const char* run = std::getenv("XDG_RUNTIME_DIR"); run != nullptr && *run != '\0') {
    socket = std::string(run) + "/tapir/tapird.sock";
  } else {
    socket = "/tmp/tapir-" + std::to_string(::getuid()) + "/tapird.sock";
  }
  return {"unix:" + socket, "ws://127.0.0.1:5038"};
}

// ---- output -----------------------------------------------------------------------------------

namespace {

std::string text(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::string partyText(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return "";
  std::string number = text(*it, "number");
  std::string name = text(*it, "name");
  if (number.empty()) return name;
  if (name.empty() || name == number) return number;
  return number + " (" + name + ")";
}

// Columns padded to their widest cell; the last column is not padded.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string formatResult(const Invocation& inv, const Json& r) {
  const std::string& c = inv.command;
  const Json& p = inv.params;
  const std::string station = text(p, "station");
  const std::string call = text(r, "call");
  if (c == "lines") {
    std::vector<std::vector<std::string>> rows{{"STATION", "NAME", "APPS", "CALLS"}};
    for (const Json& l : r.value("lines", Json::array())) {
      std::string calls;
      for (const Json& k : l.value("calls", Json::array())) {
        if (!calls.empty()) calls += ", ";
        calls += text(k, "call") + " " + text(k, "state");
      }
      rows.push_back({text(l, "station"), text(l, "name"), text(l, "apps"),
                      calls.empty() ? "-" : calls});
    }
    return table(rows);
  }
  if (c == "calls") {
    const Json calls = r.value("calls", Json::array());
    if (calls.empty()) return "no calls\n";
    std::vector<std::vector<std::string>> rows{
        {"CALL", "STATION", "STATE", "CALLER", "CALLED", "CONNECTED", "REASON", "ORIGIN"}};
    for (const Json& k : calls) {
      auto dash = [](std::string s) { return s.empty() ? std::string("-") : s; };
      rows.push_back({text(k, "call"), text(k, "station"), text(k, "state"),
                      dash(partyText(k, "caller")), dash(partyText(k, "called")),
                      dash(partyText(k, "connected")), text(k, "reason"), text(k, "origin")});
    }
    return table(rows);
  }
  if (c == "call") return "call " + call + ": " + text(p, "from") + " -> " + text(p, "to") + "\n";
  if (c == "answer") return station + ": answered call " + call + "\n";
  if (c == "hold") return station + ": call " + call + " on hold\n";
  if (c == "unhold") return station + ": call " + call + " taken back\n";
  if (c == "drop") return station + ": dropped call " + call + "\n";
  if (c == "transfer") {
    if (r.contains("consult")) {
      return station + ": call " + call + " on hold, consulting " + text(p, "to") + " (call " +
             text(r, "consult") + "); finish with `tapir complete " + station + "`\n";
    }
    return station + ": call " + call + " transferred to " + text(p, "to") + "\n";
  }
  if (c == "complete") {
    if (text(p, "as") == "conference") return station + ": conference set up\n";
    return station + ": transfer of call " + call + " completed\n";
  }
  if (c == "conference")
    return station + ": conference " + text(r, "conference") + " with " + text(p, "add") + "\n";
  if (c == "park") return station + ": call " + call + " parked at " + text(r, "orbit") + "\n";
  if (c == "unpark")
    return station + ": call " + call + " taken from orbit " + text(p, "orbit") + "\n";
  if (c == "pickup") return station + ": picked up call " + call + "\n";
  if (c == "forward") {
    const std::string mode = text(p, "mode");
    if (mode == "off") return station + ": forwarding off\n";
    return station + ": forwarding (" + (mode == "noanswer" ? "no answer" : mode) + ") to " +
           text(p, "to") + "\n";
  }
  return r.dump() + "\n";
}

std::string formatEvent(const Json& ev) {
  std::string line = text(ev, "station") + "  call " + text(ev, "call") + "  " + text(ev, "state");
  if (ev.contains("cause")) line += " (" + text(ev, "cause") + ")";
  const std::string caller = partyText(ev, "caller");
  const std::string called = partyText(ev, "called");
  if (!caller.empty() || !called.empty())
    line += "  " + (caller.empty() ? "?" : caller) + " -> " + (called.empty() ? "?" : called);
  const std::string connected = partyText(ev, "connected");
  if (!connected.empty()) line += ", connected " + connected;
  const std::string reason = text(ev, "reason");
  if (!reason.empty() && reason != "DIRECT") line += ", " + reason;
  return line + "\n";
}

std::string formatStatus(const std::string& server, const Json& hello, const Json& status) {
  std::string out;
  out += "server       " + text(hello, "server") + " (protocol " + text(hello, "version") +
         ") at " + server + "\n";
  out += "switch       " + text(hello, "switch") + "\n";
  out += "lines        " + text(hello, "lineCount") + "\n";
  if (status.is_object()) {
    out += "calls        " + text(status, "calls") + "\n";
    out += "line opens   " + text(status, "opens") + " (applications' open lines)\n";
    if (status.contains("connections"))
      out += "connections  " + text(status, "connections") + "\n";
  }
  return out;
}

std::string formatError(const Status& status) {
  std::string what = status.fault() != Fault::kNone ? std::string(faultName(status.fault()))
                                                    : std::string(codeName(status.code()));
  return "tapir: " + what + ": " + status.message() + "\n";
}

}  // namespace tapir::cli
