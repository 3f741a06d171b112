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
#include <toml++/toml.h>

#include "base/asio_loop.h"
#include "base/log.h"
#include "daemon/console.h"
#include "daemon/json_log.h"
#include "daemon/server.h"
#include "daemon/sim_control.h"
#include "daemon/tour.h"
#include "net/endpoint.h"
#include "pbx/config.h"
#include "pbx/virtual/virtual_pbx.h"
#include "protocol/dispatch.h"
#include "service/service.h"

namespace {

using tapir::Status;

struct Settings {
  std::vector<std::string> listen;
  std::vector<std::string> tokens;
  bool requireToken = false;
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

// The [server] table, for every setting neither the command line nor the
// environment gave (`given`).
Status readServerTable(const std::string& path, Settings& s,
                       const std::function<bool(const std::string&)>& given) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status(tapir::Code::kInvalidArgument, path + ": " + std::string(e.description()));
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
    if (key == "listen") st = strings(s.listen);
    else if (key == "tokens") st = strings(s.tokens);
    else if (key == "require_token") st = boolean(s.requireToken);
    else if (key == "sim_control") st = boolean(s.simControl);
    else if (key == "log_json") st = boolean(s.logJson);
    else if (key == "max_connections") st = number(s.maxConnections);
    else if (key == "max_in_flight") st = number(s.maxInFlight);
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
  std::string configPath = "etc/demo.toml";
  bool tour = false;
  double speed = 0;
  std::string logLevel = "info";
  Settings s;
  app.add_option("--log-level", logLevel, "trace, debug, info, warn, error or off")
      ->envname("TAPIR_LOG_LEVEL");
  app.add_option("-c,--config", configPath, "switch configuration (TOML)")->envname("TAPIR_CONFIG");
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
  keys["max_connections"] = app.add_option("--max-connections", s.maxConnections,
                                           "open connections at most (default 256)");
  keys["max_in_flight"] = app.add_option("--max-in-flight", s.maxInFlight,
                                         "unanswered requests per connection (default 256)");
  CLI11_PARSE(app, argc, argv);

  if (Status st = readServerTable(configPath, s, [&](const std::string& key) {
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

  auto config = tapir::pbx::loadConfigFile(configPath);
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
    makeSocketDir(*e);
    options.listen.push_back(*e);
  }
  options.tokens = s.tokens;
  options.requireToken = s.requireToken;
  options.maxConnections = s.maxConnections;
  options.maxInFlight = s.maxInFlight;
  if (manual && !s.simControl) spdlog::warn("--clock manual without --sim-control: time stands still");

  tapir::service::Service service(loop, sw);
  tapir::daemon::SimControl sim(loop, (*pbx)->world());
  tapir::protocol::ServerInfo info;
  info.switchName = sw.config().name;
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
  std::cout << "tapird: switch '" << sw.config().name << "' with " << sw.stationCount()
            << " stations; try `tapir lines`";
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
