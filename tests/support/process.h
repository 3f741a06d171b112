// A child process for tests that run the real binaries (tapird, tapir): its
// standard input is a pipe, its output and error streams are read by a
// thread of ours into buffers (so a chatty child never blocks on a full
// pipe), and lines of its output can be awaited. Limits are failure guards
// only; nothing here measures time. The child is killed when the thread that
// started it ends (PR_SET_PDEATHSIG), so a crashed test leaves no process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tapir::testing {

inline constexpr std::chrono::seconds kProcessLimit{60};

struct ProcessExit {
  int status = -1;  // the exit code, 128 + the signal, or -1 if it never ended
  std::string out, err;
};

class Process {
 public:
  // Runs argv[0] with the test's environment minus every TAPIR_* variable
  // (a test says which of those the child gets), plus `env`. stderrToOut
  // sends both streams to out.
  Process(std::vector<std::string> argv, const std::map<std::string, std::string>& env = {},
          bool stderrToOut = false);
  ~Process();  // SIGKILL if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  bool started() const { return pid_ > 0 || exited_; }
  const std::string& startError() const { return startError_; }
  pid_t pid() const { return pid_; }

  void write(const std::string& text);
  void closeInput();
  void signal(int sig);

  // The next line of standard output not yet read this way (without its
  // newline); nullopt once the stream ended or the limit passed.
  std::optional<std::string> readLine(std::chrono::milliseconds limit = kProcessLimit);
  // Everything written so far on each stream.
  std::string out() const;
  std::string err() const;

  // Closes input, reads both streams to their end and waits for the exit;
  // SIGKILL when the limit passes first.
  ProcessExit finish(std::chrono::milliseconds limit = kProcessLimit);

 private:
  void readStreams(int outFd, int errFd);
  int reap(std::chrono::milliseconds limit);

  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = -1;
  int in_ = -1;
  std::string startError_;
  std::thread reader_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string out_, err_;
  std::size_t lineAt_ = 0;  // readLine's position in out_
  bool streamsEnded_ = false;
};

}  // namespace tapir::testing
