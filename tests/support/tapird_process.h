// A real tapird for a test: started on private listeners with manual switch
// time and the sim.* methods, stopped with SIGTERM at the end.
//
//   tapird --listen unix:/tmp/tapir-test-<pid>-<n>.sock [--listen ws://127.0.0.1:0]
//          --clock manual --sim-control [--config FILE] [extra arguments]
//
// The remote mode of the client libraries' suites: when TAPIR_TEST_TAPIRD
// names a tapird binary, each test starts its own (a fresh switch, as the
// in-process host is fresh per test) on FILE = the test's switch, else
// TAPIR_TEST_SWITCH, and points TAPIR_SERVER at it.
//
// start() waits for the daemon's "tapird: listening on" lines and the
// summary line after them. Its output
// (stdout and stderr) is shown on the test's stderr when the test failed (or
// TAPIR_TEST_TAPIRD_LOG is set). A daemon that does not exit cleanly on
// SIGTERM (a crash, a sanitizer report) fails the test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/process.h"

namespace tapir::testing {

class TapirdProcess {
 public:
  // The tapird of the remote mode, or empty: in-process mode.
  static std::string binary();
  static bool remoteMode() { return !binary().empty(); }

  struct Options {
    std::string binary;  // empty: binary()
    std::string config;  // empty: TAPIR_TEST_SWITCH, else tapird's default
    bool tcp = false;    // also listen on ws://127.0.0.1:0
    bool setServerEnv = true;  // point TAPIR_SERVER at the unix socket
    std::vector<std::string> extraArgs;
  };

  TapirdProcess() = default;
  TapirdProcess(const TapirdProcess&) = delete;
  TapirdProcess& operator=(const TapirdProcess&) = delete;
  ~TapirdProcess() { stop(); }

  ::testing::AssertionResult start(Options options);
  // The remote mode's daemon on a switch file (empty: TAPIR_TEST_SWITCH).
  ::testing::AssertionResult start(const std::string& config = {}) {
    Options o;
    o.config = config;
    return start(std::move(o));
  }

  bool running() const { return process_ != nullptr; }
  pid_t pid() const { return process_ ? process_->pid() : -1; }
  // The unix listener ("unix:/path") and, with Options::tcp, the TCP one
  // ("ws://127.0.0.1:PORT").
  const std::string& endpoint() const { return unix_; }
  const std::string& tcpEndpoint() const { return tcp_; }
  // Every listener, as printed.
  const std::vector<std::string>& endpoints() const { return endpoints_; }

  // Sends `sig` and waits for the exit: the exit status (128 + signal when it
  // died of one). With SIGTERM, anything but a clean exit fails the test.
  // Unsets TAPIR_SERVER if start() set it. 0 when it was not running.
  int stop(int sig = SIGTERM);

 private:
  std::unique_ptr<Process> process_;
  std::string socket_, unix_, tcp_;
  std::vector<std::string> endpoints_;
  bool setEnv_ = false;
};

}  // namespace tapir::testing
