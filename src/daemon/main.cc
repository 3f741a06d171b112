// tapird: hosts the switch and serves the tapird protocol (docs/protocol.md)
// on WebSocket listeners; --tour walks through the session operations instead.
//
// Settings come from the command line, then the environment (TAPIR_*), then
// the configuration file's [server] table.
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <toml++/toml.h>

#include "base/asio_loop.h"
#include "base/log.h"
#include "daemon/console.h"
#include "daemon/json_log.h"
#include "daemon/server.h"
#include "daemon/sim_control.h"
#include "daemon/tour.h"
#include "dialing/config.h"
#include "dialing/countries.h"
#include "dialing/dialing.h"
#include "net/endpoint.h"
#include "pbx/builtin_config.h"
#include "pbx/config.h"
#include "pbx/virtual/virtual_pbx.h"
#include "protocol/dispatch.h"
#include "service/service.h"

namespace {

using tapir::Status;

// A [[server.clients]] entry, before its stations are looked up.
struct ClientEntry {
  std::string token;
  std::vector<std::string> stations;  // empty: every line
  bool monitorOnly = false;
};

struct Settings {
  std::vector<std::string> listen;
  std::vector<std::string> tokens;
  std::vector<ClientEntry> clients;
  bool requireToken = false;
  std::string tlsCert, tlsKey;
  std::string locations;  // dialing locations file; empty: the built-in Demo location
  std::string clock = "real";
  bool simControl = false;
  bool logJson = false;
  std::uint32_t maxConnections = 256;
  std::uint32_t maxInFlight = 256;
};

std::string defaultSocket() {
  if (const char* run = std::getenv("XDG_RUNTIME_DIR"); run != nullptr && *run != '\0')
    return std::string(run) + "/tapir/tapird.sock";
  return "/tmp/tapir-" + std::to_string(::getuid()) + "/tapird.sock";
}

// [[server.clients]]: tokens with limits.
//   token = "..."            required, unique
//   lines = ["201", "202"]   stations it may open (default: every line)
//   privilege = "monitor"    or "owner" (the default)
Status readClients(const std::string& path, const toml::node& node,
                   std::vector<ClientEntry>& out) {
  const toml::array* a = node.as_array();
  auto bad = [&](const toml::node& at, std::string_view what) {
    const auto& src = at.source().begin;
    return Status(tapir::Code::kInvalidArgument, path + ":" + std::to_string(src.line) + ":" +
                                                     std::to_string(src.column) +
                                                     ": [[server.clients]] " + std::string(what));
  };
  if (a == nullptr) return bad(node, "must be an array of tables");
  for (const toml::node& e : *a) {
    const toml::table* t = e.as_table();
    if (t == nullptr) return bad(e, "must be an array of tables");
    ClientEntry c;
    for (const auto& [k, v] : *t) {
      if (k == "token" && v.is_string() && !v.as_string()->get().empty()) {
        c.token = v.as_string()->get();
      } else if (k == "lines" && v.is_array()) {
        for (const toml::node& l : *v.as_array()) {
          if (!l.is_string()) return bad(l, "'lines' must be station numbers (strings)");
          c.stations.push_back(l.as_string()->get());
        }
      } else if (k == "privilege" && v.is_string() &&
                 (v.as_string()->get() == "owner" || v.as_string()->get() == "monitor")) {
        c.monitorOnly = v.as_string()->get() == "monitor";
      } else if (k == "token" || k == "lines" || k == "privilege") {
        return bad(v, "'" + std::string(k.str()) +
                          "' must be a non-empty string, an array of station numbers, or "
                          "\"owner\" / \"monitor\" respectively");
      } else {
        return bad(v, "'" + std::string(k.str()) + "' is not a client setting");
      }
    }
    if (c.token.empty()) return bad(e, "needs a 'token'");
    for (const ClientEntry& other : out)
      if (other.token == c.token) return bad(e, "token given twice");
    out.push_back(std::move(c));
  }
  return Status();
}

// The line devices of the stations a client may open.
tapir::Result<std::set<std::uint32_t>> devicesOf(const tapir::pbx::Switch& sw,
                                                 const ClientEntry& c) {
  std::set<std::uint32_t> out;
  for (const std::string& number : c.stations) {
    bool found = false;
    for (std::uint32_t i = 0; i < sw.stationCount(); ++i) {
      for (const auto& a : sw.station(i).addresses) {
        if (a.number != number) continue;
        out.insert(i);
        found = true;
      }
    }
    if (!found)
      return Status(tapir::Code::kInvalidArgument,
                    "[[server.clients]]: no station " + number + " on this switch");
  }
  return out;
}

// The [server] table, for every setting neither the command line nor the
// environment gave (`given`).
Status readServerTable(const std::string& path, std::string_view text, Settings& s,
                       const std::function<bool(const std::string&)>& given) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Status(tapir::Code::kInvalidArgument,
                  path + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
  const toml::table* t = root["server"].as_table();
  if (t == nullptr) return Status();
  auto bad = [&](std::string_view key, std::string_view what) {
    return Status(tapir::Code::kInvalidArgument,
                  path + ": [server] '" + std::string(key) + "' " + std::string(what));
  };
  for (const auto& [k, node] : *t) {
    const std::string key(k.str());
    auto strings = [&](std::vector<std::string>& out) -> Status {
      const toml::array* a = node.as_array();
      if (a == nullptr) return bad(key, "must be an array of strings");
      std::vector<std::string> v;
      for (const auto& e : *a) {
        if (!e.is_string()) return bad(key, "must be an array of strings");
        v.push_back(e.as_string()->get());
      }
      if (!given(key)) out = std::move(v);
      return Status();
    };
    auto boolean = [&](bool& out) -> Status {
      if (!node.is_boolean()) return bad(key, "must be true or false");
      if (!given(key)) out = node.as_boolean()->get();
      return Status();
    };
    auto number = [&](std::uint32_t& out) -> Status {
      if (!node.is_integer() || node.as_integer()->get() < 1 || node.as_integer()->get() > 65536)
        return bad(key, "must be a number from 1 to 65536");
      if (!given(key)) out = static_cast<std::uint32_t>(node.as_integer()->get());
      return Status();
    };
    Status st;
    if (key == "clients") {
      st = readClients(path, node, s.clients);
    } else if (key == "listen") st = strings(s.listen);
    else if (key == "tokens") st = strings(s.tokens);
    else if (key == "require_token") st = boolean(s.requireToken);
    else if (key == "sim_control") st = boolean(s.simControl);
    else if (key == "log_json") st = boolean(s.logJson);
    else if (key == "max_connections") st = number(s.maxConnections);
    else if (key == "max_in_flight") st = number(s.maxInFlight);
    else if (key == "tls_cert" || key == "tls_key" || key == "locations") {
      if (!node.is_string()) return bad(key, "must be a file name");
      if (!given(key))
        (key == "tls_cert" ? s.tlsCert : key == "tls_key" ? s.tlsKey : s.locations) =
            node.as_string()->get();
    }
    else if (key == "clock") {
      if (!node.is_string()) return bad(key, "must be \"real\" or \"manual\"");
      if (!given(key)) s.clock = node.as_string()->get();
    } else {
      return bad(key, "is not a [server] setting");
    }
    if (!st) return st;
  }
  return Status();
}

// A unix socket's directory, private to the user, if missing.
void makeSocketDir(const tapir::net::Endpoint& e) {
  if (e.kind != tapir::net::Endpoint::Kind::kUnix) return;
  const std::filesystem::path dir = std::filesystem::path(e.path).parent_path();
  if (dir.empty()) return;
  std::error_code ec;
  if (std::filesystem::create_directories(dir, ec)) ::chmod(dir.c_str(), 0700);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tapird: the tapir telephony server"};
  std::string configPath;  // empty: the demo switch built into tapird
  bool tour = false;
  double speed = 0;
  std::string logLevel = "info";
  Settings s;
  app.add_option("--log-level", logLevel, "trace, debug, info, warn, error or off")
      ->envname("TAPIR_LOG_LEVEL");
  app.add_option("-c,--config", configPath, "switch configuration (TOML; default: the built-in demo)")
      ->envname("TAPIR_CONFIG");
  app.add_flag("--tour", tour, "walk through the session operations, then exit");
  app.add_option("--speed", speed,
                 "switch time runs this many times faster than wall time "
                 "(default 1, or 4 with --tour)")
      ->check(CLI::Range(0.01, 1000.0));
  // The [server] key each option stands for.
  std::map<std::string, CLI::Option*> keys;
  keys["listen"] = app.add_option("--listen", s.listen,
                                  "unix:PATH or ws://HOST:PORT (repeatable; default: the user's "
                                  "socket and ws://127.0.0.1:5038)")
                       ->envname("TAPIR_LISTEN")
                       ->delimiter(',');
  keys["tokens"] = app.add_option("--token", s.tokens, "a token clients may present (repeatable)")
                       ->envname("TAPIR_TOKENS")
                       ->delimiter(',');
  keys["require_token"] =
      app.add_flag("--require-token", s.requireToken,
                   "unix peers of the server's own user need a token too")
          ->envname("TAPIR_REQUIRE_TOKEN");
  keys["clock"] = app.add_option("--clock", s.clock,
                                 "real, or manual: switch time moves only with sim.advance")
                      ->envname("TAPIR_CLOCK")
                      ->check(CLI::IsMember({"real", "manual"}));
  keys["sim_control"] = app.add_flag("--sim-control", s.simControl,
                                     "offer the sim.* methods (tests, demos)")
                            ->envname("TAPIR_SIM_CONTROL");
  keys["log_json"] =
      app.add_flag("--log-json", s.logJson, "log one JSON object per line")->envname("TAPIR_LOG_JSON");
  keys["tls_cert"] = app.add_option("--tls-cert", s.tlsCert,
                                    "PEM certificate chain for wss:// listeners")
                         ->envname("TAPIR_TLS_CERT");
  keys["tls_key"] =
      app.add_option("--tls-key", s.tlsKey, "PEM private key for wss:// listeners")
          ->envname("TAPIR_TLS_KEY");
  keys["locations"] =
      app.add_option("--locations", s.locations,
                     "dialing locations (TOML) for translateAddress; default: the built-in Demo")
          ->envname("TAPIR_LOCATIONS");
  keys["max_connections"] = app.add_option("--max-connections", s.maxConnections,
                                           "open connections at most (default 256)");
  keys["max_in_flight"] = app.add_option("--max-in-flight", s.maxInFlight,
                                         "unanswered requests per connection (default 256)");
  CLI11_PARSE(app, argc, argv);

  std::string configText = tapir::kBuiltinDemoConfig;
  if (configPath.empty()) {
    configPath = "built-in demo.toml";
  } else {
    auto text = tapir::pbx::readConfigText(configPath);
    if (!text) {
      std::cerr << "tapird: " << text.status().message() << "\n";
      return 2;
    }
    configText = std::move(*text);
  }
  if (Status st = readServerTable(configPath, configText, s, [&](const std::string& key) {
        return keys.at(key)->count() > 0;
      });
      !st) {
    std::cerr << "tapird: " << st.message() << "\n";
    return 2;
  }
  const bool manual = s.clock == "manual";
  if (speed == 0) speed = tour ? 4 : 1;
  if (Status st = tapir::log::init(logLevel); !st) {
    std::cerr << "tapird: " << st.message() << "\n";
    return 2;
  }
  if (s.logJson) tapir::daemon::useJsonLogs();

  auto config = tapir::pbx::parseConfig(configText, configPath);
  if (!config) {
    std::cerr << "tapird: " << config.status().message() << "\n";
    return 2;
  }
  tapir::AsioLoop loop(manual && !tour ? 0.0 : speed);
  auto pbx = tapir::pbx::sim::VirtualPbx::create(loop, std::move(*config));
  if (!pbx) {
    std::cerr << "tapird: " << configPath << ": " << pbx.status().message() << "\n";
    return 2;
  }
  tapir::pbx::Switch& sw = (*pbx)->sw();

  int status = 0;
  boost::asio::signal_set signals(loop.context(), SIGINT, SIGTERM);
  if (tour) {
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      spdlog::info("signal {}: shutting down", sig);
      loop.stop();
    });
    tapir::daemon::Tour walk(loop, **pbx, std::cout);
    walk.start([&](bool ok) {
      status = ok ? 0 : 1;
      loop.stop();
    });
    loop.run();
    return status;
  }

  tapir::daemon::ServerOptions options;
  for (const std::string& text : s.listen.empty()
                                     ? std::vector<std::string>{"unix:" + defaultSocket(),
                                                                "ws://127.0.0.1:5038"}
                                     : s.listen) {
    auto e = tapir::net::parseEndpoint(text);
    if (!e) {
      std::cerr << "tapird: --listen " << text << ": " << e.status().message() << "\n";
      return 2;
    }
    if (e->kind == tapir::net::Endpoint::Kind::kWss && (s.tlsCert.empty() || s.tlsKey.empty())) {
      std::cerr << "tapird: --listen " << text
                << ": wss:// needs a certificate and key (--tls-cert, --tls-key)\n";
      return 2;
    }
    makeSocketDir(*e);
    options.listen.push_back(*e);
  }
  options.tokens = s.tokens;
  options.requireToken = s.requireToken;
  options.tlsCert = s.tlsCert;
  options.tlsKey = s.tlsKey;
  for (const ClientEntry& c : s.clients) {
    tapir::daemon::ClientGrant g;
    g.token = c.token;
    g.access.operatorMethods = false;
    g.access.owner = !c.monitorOnly;
    if (!c.stations.empty()) {
      auto devices = devicesOf(sw, c);
      if (!devices) {
        std::cerr << "tapird: " << configPath << ": " << devices.status().message() << "\n";
        return 2;
      }
      g.access.devices = std::move(*devices);
    }
    options.clients.push_back(std::move(g));
  }
  options.maxConnections = s.maxConnections;
  options.maxInFlight = s.maxInFlight;
  if (manual && !s.simControl) spdlog::warn("--clock manual without --sim-control: time stands still");

  tapir::service::Service service(loop, sw);
  tapir::daemon::SimControl sim(loop, (*pbx)->world());
  const auto& countries = tapir::dialing::CountryTable::builtin();
  auto locations =
      s.locations.empty()
          ? tapir::dialing::parseDialingConfig(tapir::kBuiltinLocations, "built-in locations.toml",
                                               countries)
          : tapir::dialing::loadDialingConfig(s.locations, countries);
  if (!locations) {
    std::cerr << "tapird: " << locations.status().message() << "\n";
    return 2;
  }
  tapir::dialing::Engine dialing(countries);
  if (Status st = dialing.setConfig(std::move(*locations)); !st) {
    std::cerr << "tapird: " << (s.locations.empty() ? "built-in locations" : s.locations) << ": "
              << st.message() << "\n";
    return 2;
  }
  tapir::protocol::ServerInfo info;
  info.switchName = sw.config().name;
  info.dialing = &dialing;
  if (s.simControl) info.sim = sim.hooks();
  tapir::protocol::Dispatcher dispatcher;
  auto server = std::make_unique<tapir::daemon::Server>(loop, service, sw, dispatcher,
                                                        std::move(info), options);
  auto console = tapir::daemon::attachConsole(dispatcher, service, loop, [&] { return server->connectionCount(); });
  auto bound = server->start();
  if (!bound) {
    std::cerr << "tapird: " << bound.status().message() << "\n";
    return 2;
  }
  std::string wsUrl, socket;
  for (const auto& e : *bound) {
    std::cout << "tapird: listening on " << e.toString() << "\n";
    if (e.kind == tapir::net::Endpoint::Kind::kUnix && socket.empty()) socket = e.toString();
    if (e.kind != tapir::net::Endpoint::Kind::kUnix && wsUrl.empty()) wsUrl = e.toString();
  }
  // The CLI beside this binary (a build tree, or PREFIX/bin), else the PATH's.
  std::string cli = "tapir";
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec && std::filesystem::exists(self.parent_path() / "tapir", ec))
    cli = (self.parent_path() / "tapir").lexically_relative(std::filesystem::current_path(ec));
  if (cli.empty() || cli.rfind("..", 0) == 0) cli = (self.parent_path() / "tapir").string();
  std::cout << "tapird: switch '" << sw.config().name << "' with " << sw.stationCount()
            << " stations; try `" << cli << " lines`";
  if (!socket.empty() || !wsUrl.empty())
    std::cout << " (TAPIR_SERVER=" << (socket.empty() ? wsUrl : socket) << ")";
  std::cout << "; Ctrl-C stops it" << std::endl;

  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", sig);
    server->stop("tapird is shutting down", [&] { loop.stop(); });
  });
  loop.run();
  server.reset();
  spdlog::info("stopped");
  return status;
}
