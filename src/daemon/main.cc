// tapird: hosts the switch. Today: the demo switch and its tour; the network
// protocol arrives with the daemon issue.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>

#include <iostream>

#include "base/asio_loop.h"
#include "base/log.h"
#include "daemon/tour.h"
#include "pbx/config.h"
#include "pbx/virtual/virtual_pbx.h"

int main(int argc, char** argv) {
  CLI::App app{"tapird: the tapir telephony server"};
  std::string configPath = "etc/demo.toml";
  bool tour = false;
  double speed = 0;
  std::string logLevel = "info";
  app.add_option("--log-level", logLevel, "trace, debug, info, warn, error or off")
      ->envname("TAPIR_LOG_LEVEL");
  app.add_option("-c,--config", configPath, "switch configuration (TOML)")->envname("TAPIR_CONFIG");
  app.add_flag("--tour", tour, "walk through the session operations, then exit");
  app.add_option("--speed", speed,
                 "switch time runs this many times faster than wall time "
                 "(default 1, or 4 with --tour)")
      ->check(CLI::Range(0.01, 1000.0));
  CLI11_PARSE(app, argc, argv);
  if (speed == 0) speed = tour ? 4 : 1;
  if (tapir::Status st = tapir::log::init(logLevel); !st) {
    std::cerr << "tapird: " << st.message() << "\n";
    return 2;
  }

  auto config = tapir::pbx::loadConfigFile(configPath);
  if (!config) {
    std::cerr << "tapird: " << config.status().message() << "\n";
    return 2;
  }
  tapir::AsioLoop loop(speed);
  auto pbx = tapir::pbx::sim::VirtualPbx::create(loop, std::move(*config));
  if (!pbx) {
    std::cerr << "tapird: " << configPath << ": " << pbx.status().message() << "\n";
    return 2;
  }

  boost::asio::signal_set signals(loop.context(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", sig);
    loop.stop();
  });

  int status = 0;
  tapir::daemon::Tour walk(loop, **pbx, std::cout);
  if (tour) {
    walk.start([&](bool ok) {
      status = ok ? 0 : 1;
      loop.stop();
    });
  } else {
    spdlog::info("switch '{}' running with {} stations ({}); Ctrl-C stops it",
                 (*pbx)->sw().config().name, (*pbx)->sw().stationCount(), configPath);
  }
  loop.run();
  return status;
}
