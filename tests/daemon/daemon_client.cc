#include "daemon_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tapir::testing {

Daemon::Daemon(std::vector<std::string> extraArgs, std::string config) {
  TapirdProcess::Options o;
  o.binary = TAPIRD_BIN;
  o.config = config.empty() ? TAPIR_SOURCE_DIR "/etc/demo.toml" : std::move(config);
  o.tcp = true;
  o.setServerEnv = false;
  o.extraArgs = {"--log-level", "warn"};
  o.extraArgs.insert(o.extraArgs.end(), extraArgs.begin(), extraArgs.end());
  const auto ok = tapird_.start(std::move(o));
  EXPECT_TRUE(ok);
  if (!ok) return;
  auto u = net::parseEndpoint(tapird_.endpoint());
  auto w = net::parseEndpoint(tapird_.tcpEndpoint());
  EXPECT_TRUE(u.isOk() && w.isOk()) << tapird_.endpoint() << " " << tapird_.tcpEndpoint();
  if (!u || !w) return;
  unix_ = *u;
  ws_ = *w;
  EXPECT_NE(ws_.port, 0);
  started_ = ws_.port != 0;
}

std::string Daemon::httpGet(const std::string& path) const {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(ws_.port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  (void)!::write(fd, req.data(), req.size());
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + kGuard;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// ---- TestClient ----------------------------------------------------------------

std::unique_ptr<TestClient> TestClient::connect(const net::Endpoint& e,
                                                net::ClientOptions options) {
  auto c = std::unique_ptr<TestClient>(new TestClient());
  TestClient* raw = c.get();
  auto client = net::Client::connect(
      e, options, [raw](std::string text) { raw->onMessage(std::move(text)); },
      [raw](Status why) { raw->onClose(std::move(why)); });
  EXPECT_TRUE(client.isOk()) << client.status().toString();
  if (!client) return nullptr;
  c->client_ = std::move(*client);
  return c;
}

TestClient::~TestClient() {
  client_.reset();  // joins the client's thread before the members go
}

void TestClient::onMessage(std::string text) {
  Json j = Json::parse(text, nullptr, false);
  std::lock_guard lock(mu_);
  // One frame, or a batch of them.
  std::vector<Json> frames;
  if (j.is_array()) {
    frames.assign(j.begin(), j.end());
  } else {
    frames.push_back(std::move(j));
  }
  for (Json& f : frames) {
    if (f.contains("event")) {
      events_.push_back(std::move(f));
    } else {
      responses_.push_back(std::move(f));
    }
  }
  cv_.notify_all();
}

void TestClient::onClose(Status) {
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

void TestClient::sendRaw(std::string text) {
  (void)client_->send(std::move(text));
}

std::uint64_t TestClient::send(const std::string& method, const Json& params) {
  const std::uint64_t id = nextId_++;
  sendRaw(protocol::encodeRequest(id, method, params));
  return id;
}

Json TestClient::response(std::uint64_t id) {
  std::unique_lock lock(mu_);
  Json out;
  cv_.wait_for(lock, kGuard, [&] {
    for (auto it = responses_.begin(); it != responses_.end(); ++it) {
      if (it->value("id", std::uint64_t(0)) == id) {
        out = std::move(*it);
        responses_.erase(it);
        return true;
      }
    }
    return closed_;
  });
  return out;
}

Json TestClient::call(const std::string& method, const Json& params) {
  Json r = response(send(method, params));
  EXPECT_TRUE(r.contains("result")) << method << " " << params.dump() << " -> " << r.dump();
  return r.contains("result") ? r["result"] : Json();
}

Json TestClient::error(const std::string& method, const Json& params) {
  Json r = response(send(method, params));
  EXPECT_TRUE(r.contains("error")) << method << " -> " << r.dump();
  return r.contains("error") ? r["error"] : Json();
}

bool TestClient::hello(const std::string& token) {
  Json params = {{"version", protocol::kVersion}, {"client", "daemon_test"}};
  if (!token.empty()) params["token"] = token;
  return response(send("hello", params)).contains("result");
}

std::vector<Json> TestClient::events() {
  std::lock_guard lock(mu_);
  return {events_.begin(), events_.end()};
}

std::optional<Json> TestClient::takeEvent(const std::function<bool(const Json&)>& pred) {
  std::unique_lock lock(mu_);
  std::optional<Json> out;
  cv_.wait_for(lock, kGuard, [&] {
    for (auto it = events_.begin(); it != events_.end(); ++it) {
      if (pred(*it)) {
        out = std::move(*it);
        events_.erase(it);
        return true;
      }
    }
    return closed_;
  });
  return out;
}

std::vector<Json> TestClient::takeMessages(std::uint32_t id) {
  std::lock_guard lock(mu_);
  std::vector<Json> out;
  for (auto it = events_.begin(); it != events_.end();) {
    if ((*it)["event"] == "message" && (*it)["message"]["id"] == id) {
      out.push_back(std::move(*it));
      it = events_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

bool TestClient::waitClosed() {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, kGuard, [&] { return closed_; });
}

bool TestClient::closed() {
  std::lock_guard lock(mu_);
  return closed_;
}

}  // namespace tapir::testing
