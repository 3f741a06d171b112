#include "support/tapird_process.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace tapir::testing {

std::string TapirdProcess::binary() {
  const char* v = std::getenv("TAPIR_TEST_TAPIRD");
  return v ? v : "";
}

::testing::AssertionResult TapirdProcess::start(Options o) {
  stop();
  static int counter = 0;
  socket_ =
      "/tmp/tapir-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".sock";
  ::unlink(socket_.c_str());
  std::vector<std::string> args = {o.binary.empty() ? binary() : o.binary,
                                   "--listen",
                                   "unix:" + socket_,
                                   "--clock",
                                   "manual",
                                   "--sim-control"};
  if (o.tcp) {
    args.push_back("--listen");
    args.push_back("ws://127.0.0.1:0");
  }
  const char* demo = std::getenv("TAPIR_TEST_SWITCH");
  if (!o.config.empty() || demo != nullptr) {
    args.push_back("--config");
    args.push_back(o.config.empty() ? std::string(demo) : o.config);
  }
  args.insert(args.end(), o.extraArgs.begin(), o.extraArgs.end());
  // The daemon gets none of the test's TAPIR_* settings (Process drops them).
  process_ = std::make_unique<Process>(std::move(args), std::map<std::string, std::string>{},
                                       /*stderrToOut=*/true);
  if (!process_->started()) {
    const std::string why = process_->startError();
    process_.reset();
    return ::testing::AssertionFailure() << "cannot start tapird: " << why;
  }
  endpoints_.clear();
  unix_.clear();
  tcp_.clear();
  // One line per listener, then the summary ("tapird: switch '...' with ...").
  static const std::string kListening = "tapird: listening on ", kReady = "tapird: switch ";
  bool ready = false;
  while (auto line = process_->readLine()) {
    if (line->rfind(kReady, 0) == 0) {
      ready = true;
      break;
    }
    if (line->rfind(kListening, 0) != 0) continue;
    const std::string e = line->substr(kListening.size());
    endpoints_.push_back(e);
    if (e.rfind("unix:", 0) == 0 && unix_.empty()) unix_ = e;
    if (e.rfind("ws://", 0) == 0 && tcp_.empty()) tcp_ = e;
  }
  if (!ready || unix_.empty()) {
    const ProcessExit x = process_->finish(std::chrono::seconds(5));
    process_.reset();
    return ::testing::AssertionFailure()
           << "tapird did not report its listeners (status " << x.status << "); it said:\n"
           << x.out;
  }
  setEnv_ = o.setServerEnv;
  if (setEnv_) ::setenv("TAPIR_SERVER", unix_.c_str(), 1);
  return ::testing::AssertionSuccess();
}

int TapirdProcess::stop(int sig) {
  if (setEnv_) ::unsetenv("TAPIR_SERVER");
  setEnv_ = false;
  if (!process_) return 0;
  process_->signal(sig);
  const ProcessExit x = process_->finish(std::chrono::seconds(20));
  process_.reset();
  ::unlink(socket_.c_str());
  if (sig == SIGTERM) {
    if (x.status > 128)
      ADD_FAILURE() << "tapird died of signal " << x.status - 128;
    else if (x.status != 0)
      ADD_FAILURE() << "tapird exited with status " << x.status;
  }
  if (::testing::Test::HasFailure() || std::getenv("TAPIR_TEST_TAPIRD_LOG") != nullptr) {
    std::fprintf(stderr, "---- tapird (%s) said:\n%s---- end of tapird's output\n",
                 socket_.c_str(), x.out.c_str());
  }
  return x.status;
}

}  // namespace tapir::testing
