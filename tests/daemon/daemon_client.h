// Test helpers for tapird: starts the real binary on a temporary unix socket
// and ws://127.0.0.1:0 (manual clock, sim control) and talks raw protocol
// frames to it with net::Client. Timeouts are failure guards only: tests move
// time with sim.advance and wait with sim.settle.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/client.h"
#include "net/endpoint.h"
#include "protocol/codec.h"
#include "support/tapird_process.h"

namespace tapir::testing {

using protocol::Json;

inline constexpr std::chrono::seconds kGuard{20};

class Daemon {
 public:
  // Starts tapird (tests/support/tapird_process.h) on a unix socket and
  // ws://127.0.0.1:0 with the given extra arguments and switch file (default
  // etc/demo.toml); started() says whether it printed its listeners (the test
  // has failed if not).
  explicit Daemon(std::vector<std::string> extraArgs = {}, std::string config = {});

  const net::Endpoint& unixEndpoint() const { return unix_; }
  const net::Endpoint& wsEndpoint() const { return ws_; }
  // Every listener, as tapird printed it.
  const std::vector<std::string>& endpoints() const { return tapird_.endpoints(); }
  bool started() const { return started_; }
  // Sends sig and returns the exit status (TapirdProcess::stop).
  int stop(int sig) { return tapird_.stop(sig); }
  // A plain HTTP GET on the ws listener: the whole response.
  std::string httpGet(const std::string& path) const;

 private:
  TapirdProcess tapird_;
  net::Endpoint unix_, ws_;
  bool started_ = false;
};

class TestClient {
 public:
  // Connects; does not say hello.
  static std::unique_ptr<TestClient> connect(const net::Endpoint& e,
                                             net::ClientOptions options = {});
  ~TestClient();

  // Sends raw text.
  void sendRaw(std::string text);
  // Sends a request; returns its id.
  std::uint64_t send(const std::string& method, const Json& params = Json::object());
  // The response frame to id ({"id","result"} or {"id","error"}); null on timeout.
  Json response(std::uint64_t id);
  // send + response; the result, or fails the test and returns null.
  Json call(const std::string& method, const Json& params = Json::object());
  // send + response; the error object (null if it succeeded).
  Json error(const std::string& method, const Json& params = Json::object());
  // hello with version 1 (and the token, if any); true if it was accepted.
  bool hello(const std::string& token = "");

  // Events received so far (and not taken), in order.
  std::vector<Json> events();
  // Waits for (and takes from the queue) the first event matching pred.
  std::optional<Json> takeEvent(const std::function<bool(const Json&)>& pred);
  // Waits until the server closed the connection.
  bool waitClosed();
  bool closed();

  // Messages (event "message") with this LINE_ id, taken from the queue.
  std::vector<Json> takeMessages(std::uint32_t id);

 private:
  void onMessage(std::string text);
  void onClose(Status why);

  std::unique_ptr<net::Client> client_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Json> events_;
  std::vector<Json> responses_;
  bool closed_ = false;
  std::uint64_t nextId_ = 1;
};

}  // namespace tapir::testing
