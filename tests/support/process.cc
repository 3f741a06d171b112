#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace tapir::testing {

Process::Process(std::vector<std::string> argv, const std::map<std::string, std::string>& env,
                 bool stderrToOut) {
  std::vector<std::string> envs;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "TAPIR_", 6) == 0) continue;
    const std::string s = *e;
    if (env.count(s.substr(0, s.find('='))) != 0) continue;
    envs.push_back(s);
  }
  for (const auto& [k, v] : env)
    envs.push_back(k + "=" + v);
  std::vector<char*> a, e;
  for (auto& s : argv)
    a.push_back(s.data());
  a.push_back(nullptr);
  for (auto& s : envs)
    e.push_back(s.data());
  e.push_back(nullptr);

  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
      ::pipe2(err, O_CLOEXEC) != 0) {
    startError_ = std::string("pipe: ") + std::strerror(errno);
    return;
  }
  // fork + exec rather than posix_spawn: the child asks to be killed when
  // this thread ends, so a test that crashes leaves no daemon behind. Only
  // async-signal-safe calls between fork and exec.
  const pid_t parent = ::getpid();
  const int outFd = out[1], errFd = stderrToOut ? out[1] : err[1];
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in[0], 0);
    ::dup2(outFd, 1);
    ::dup2(errFd, 2);
    ::execve(a[0], a.data(), e.data());
    ::_exit(127);
  }
  const int rc = pid_ < 0 ? errno : 0;
  for (int fd : {in[0], out[1], err[1]})
    ::close(fd);
  if (rc != 0) {
    pid_ = -1;
    startError_ = argv[0] + ": " + std::strerror(rc);
    for (int fd : {in[1], out[0], err[0]})
      ::close(fd);
    return;
  }
  in_ = in[1];
  reader_ = std::thread([this, o = out[0], r = err[0]] { readStreams(o, r); });
}

Process::~Process() {
  closeInput();
  if (pid_ > 0) ::kill(pid_, SIGKILL);
  if (reader_.joinable()) reader_.join();
  if (pid_ > 0) reap(kProcessLimit);
}

void Process::readStreams(int outFd, int errFd) {
  int fds[2] = {outFd, errFd};
  std::string* bufs[2] = {&out_, &err_};
  bool open[2] = {true, true};
  while (open[0] || open[1]) {
    pollfd p[2] = {{open[0] ? fds[0] : -1, POLLIN, 0}, {open[1] ? fds[1] : -1, POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (!open[i] || p[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard lock(mu_);
      if (n <= 0) {
        open[i] = false;
      } else {
        bufs[i]->append(buf, static_cast<std::size_t>(n));
      }
      cv_.notify_all();
    }
  }
  ::close(outFd);
  ::close(errFd);
  std::lock_guard lock(mu_);
  streamsEnded_ = true;
  cv_.notify_all();
}

void Process::write(const std::string& text) {
  if (in_ >= 0) (void)!::write(in_, text.data(), text.size());
}

void Process::closeInput() {
  if (in_ >= 0) ::close(in_);
  in_ = -1;
}

void Process::signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

std::optional<std::string> Process::readLine(std::chrono::milliseconds limit) {
  std::unique_lock lock(mu_);
  std::optional<std::string> line;
  cv_.wait_for(lock, limit, [&] {
    const std::size_t nl = out_.find('\n', lineAt_);
    if (nl != std::string::npos) {
      line = out_.substr(lineAt_, nl - lineAt_);
      lineAt_ = nl + 1;
      return true;
    }
    return streamsEnded_;
  });
  return line;
}

std::string Process::out() const {
  std::lock_guard lock(mu_);
  return out_;
}

std::string Process::err() const {
  std::lock_guard lock(mu_);
  return err_;
}

int Process::reap(std::chrono::milliseconds limit) {
  if (exited_) return status_;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int st = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) break;
    if (r < 0 || std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &st, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
  exited_ = true;
  status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return status_;
}

ProcessExit Process::finish(std::chrono::milliseconds limit) {
  closeInput();
  ProcessExit r;
  if (!started()) return r;
  {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, limit, [&] { return streamsEnded_; }) && pid_ > 0)
      ::kill(pid_, SIGKILL);
  }
  if (reader_.joinable()) reader_.join();
  r.status = reap(limit);
  std::lock_guard lock(mu_);
  r.out = out_;
  r.err = err_;
  return r;
}

}  // namespace tapir::testing
