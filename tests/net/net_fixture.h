// A Server on an io_context run by a test thread, a handler that echoes and
// records, and an inbox for clients. Waits are bounded only to turn a hang
// into a failure; no test asserts on how long anything takes.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "net/client.h"
#include "net/endpoint.h"
#include "net/server.h"

namespace tapir::net::testing {

inline constexpr auto kPatience = std::chrono::seconds(30);

// A path under /tmp unique to this process and name.
inline std::string tempPath(const std::string& name) {
  return "/tmp/tapir-net-" + std::to_string(getpid()) + "-" + name;
}

// Echoes every message (unless told not to) and records what happened. Its
// methods run on the io thread; tests read through the locked accessors.
class RecordingHandler : public ServerHandler {
 public:
  void onOpen(const std::shared_ptr<Connection>& c) override {
    std::lock_guard lock(mu_);
    opened_.push_back(c->id());
    peers_[c->id()] = c->peer();
    connections_[c->id()] = c;
    cv_.notify_all();
  }
  void onMessage(const std::shared_ptr<Connection>& c, std::string text) override {
    if (onMessageHook) onMessageHook(c, text);
    std::lock_guard lock(mu_);
    if (echo) c->send(text);
    cv_.notify_all();
  }
  void onClose(const std::shared_ptr<Connection>& c, std::string_view why) override {
    std::lock_guard lock(mu_);
    ++closes_[c->id()];
    whys_[c->id()] = std::string(why);
    connections_.erase(c->id());
    cv_.notify_all();
  }
  HttpReply onHttp(std::string_view method, std::string_view target) override {
    if (method == "GET" && target == "/health") return {200, "text/plain", "ok\n"};
    return {};
  }

  // Waits until pred (called under the lock) holds.
  bool waitFor(const std::function<bool()>& pred) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kPatience, pred);
  }
  bool waitOpened(std::size_t n) {
    return waitFor([&] { return opened_.size() >= n; });
  }
  bool waitClosed(std::uint64_t id) {
    return waitFor([&] { return closes_.count(id) > 0; });
  }
  std::vector<std::uint64_t> opened() {
    std::lock_guard lock(mu_);
    return opened_;
  }
  int closeCount(std::uint64_t id) {
    std::lock_guard lock(mu_);
    auto it = closes_.find(id);
    return it == closes_.end() ? 0 : it->second;
  }
  std::vector<std::uint64_t> closedIds() {
    std::lock_guard lock(mu_);
    std::vector<std::uint64_t> ids;
    for (const auto& [id, n] : closes_) ids.push_back(id);
    return ids;
  }
  bool waitClosedCount(std::size_t n) {
    return waitFor([&] { return closes_.size() >= n; });
  }
  std::string why(std::uint64_t id) {
    std::lock_guard lock(mu_);
    return whys_[id];
  }
  PeerInfo peer(std::uint64_t id) {
    std::lock_guard lock(mu_);
    return peers_[id];
  }
  // Only on the io thread: the live Connection with that id.
  std::shared_ptr<Connection> connection(std::uint64_t id) {
    std::lock_guard lock(mu_);
    auto it = connections_.find(id);
    return it == connections_.end() ? nullptr : it->second;
  }

  bool echo = true;
  std::function<void(const std::shared_ptr<Connection>&, const std::string&)> onMessageHook;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::uint64_t> opened_;
  std::map<std::uint64_t, PeerInfo> peers_;
  std::map<std::uint64_t, int> closes_;
  std::map<std::uint64_t, std::string> whys_;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections_;
};

// What a Client received; outlives the Client.
class Inbox {
 public:
  std::function<void(std::string)> onMessage() {
    return [this](std::string text) {
      std::lock_guard lock(mu_);
      messages_.push_back(std::move(text));
      cv_.notify_all();
    };
  }
  std::function<void(Status)> onClose() {
    return [this](Status why) {
      std::lock_guard lock(mu_);
      ++closeCount_;
      closed_ = std::move(why);
      cv_.notify_all();
    };
  }
  bool waitMessages(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kPatience, [&] { return messages_.size() >= n; });
  }
  bool waitClosed() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kPatience, [&] { return closed_.has_value(); });
  }
  std::vector<std::string> messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }
  std::optional<Status> closed() {
    std::lock_guard lock(mu_);
    return closed_;
  }
  int closeCount() {
    std::lock_guard lock(mu_);
    return closeCount_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> messages_;
  std::optional<Status> closed_;
  int closeCount_ = 0;
};

class NetTest : public ::testing::Test {
 protected:
  // Listens on e and starts the io thread.
  Endpoint start(const Endpoint& e, ServerOptions options = {}) {
    server_ = std::make_unique<Server>(io_, handler_, std::move(options));
    auto bound = server_->listen(e);
    EXPECT_TRUE(bound.isOk()) << bound.status().toString();
    thread_ = std::thread([this] { io_.run(); });
    return bound.isOk() ? *bound : e;
  }
  Endpoint start(std::string_view text, ServerOptions options = {}) {
    auto e = parseEndpoint(text);
    EXPECT_TRUE(e.isOk()) << e.status().toString();
    return start(*e, std::move(options));
  }

  // Runs f on the io thread and waits for it.
  template <class F>
  auto onIo(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }

  std::unique_ptr<Client> connect(const Endpoint& e, Inbox& inbox, ClientOptions o = {}) {
    auto c = Client::connect(e, std::move(o), inbox.onMessage(), inbox.onClose());
    EXPECT_TRUE(c.isOk()) << c.status().toString();
    return c.isOk() ? std::move(*c) : nullptr;
  }

  // Clients are gone by now (test-body locals). Every connection the server
  // opened was reported closed exactly once, including by ~Server.
  void TearDown() override {
    if (server_) onIo([this] { server_.reset(); });
    work_.reset();
    if (thread_.joinable()) thread_.join();
    for (auto id : handler_.opened()) {
      EXPECT_EQ(handler_.closeCount(id), 1) << "connection " << id;
    }
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  std::thread thread_;
  RecordingHandler handler_;
  std::unique_ptr<Server> server_;
};

}  // namespace tapir::net::testing
