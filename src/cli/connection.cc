#include "cli/connection.h"

#include <unistd.h>

#include <utility>

namespace tapir::cli {

Result<std::unique_ptr<Connection>> Connection::open(const std::vector<std::string>& servers,
                                                     const std::string& token,
                                                     std::chrono::milliseconds timeout) {
  Status last(Code::kUnavailable, "no server to try");
  for (const std::string& text : servers) {
    auto endpoint = net::parseEndpoint(text);
    if (!endpoint) {
      return Status(Code::kInvalidArgument,
                    text + ": " + endpoint.status().message());
    }
    std::unique_ptr<Connection> c(new Connection());
    c->timeout_ = timeout;
    c->server_ = endpoint->toString();
    net::ClientOptions options = net::clientOptionsFromEnvironment();
    options.connectTimeout = timeout;
    std::weak_ptr<Connection::Inbox> weak = c->inbox_;
    auto client = net::Client::connect(
        *endpoint, options,
        [weak](std::string frame) {
          if (auto in = weak.lock()) {
            std::lock_guard lock(in->mu);
            in->frames.push_back(std::move(frame));
            in->cv.notify_all();
          }
        },
        [weak](Status why) {
          if (auto in = weak.lock()) {
            std::lock_guard lock(in->mu);
            in->closed = why.isOk() ? Status(Code::kUnavailable, "closed") : std::move(why);
            in->cv.notify_all();
          }
        });
    if (!client) {
      last = Status(Code::kUnavailable, "cannot reach " + text + ": " +
                                            client.status().message());
      continue;
    }
    c->client_ = std::move(*client);
    Json hello{{"version", protocol::kVersion},
               {"client", "tapir CLI 0.1 (pid " + std::to_string(::getpid()) + ")"}};
    if (!token.empty()) hello["token"] = token;
    auto answer = c->request("hello", hello);
    if (!answer) {
      const Status& st = answer.status();
      if (c->transportFailed_) {
        last = st;
        continue;
      }
      // The server answered: a refused token or an incompatible version.
      return Status(st.code() == Code::kPermissionDenied ? Code::kPermissionDenied
                                                         : Code::kUnavailable,
                    c->server_ + " refused the hello: " + st.message());
    }
    c->hello_ = std::move(*answer);
    return c;
  }
  return last;
}

Connection::~Connection() {
  if (client_) client_->close();
  client_.reset();
}

Result<protocol::ServerFrame> Connection::nextFrame(
    std::optional<std::chrono::milliseconds> timeout) {
  if (!parsed_.empty()) {  // the rest of a batch
    protocol::ServerFrame f = std::move(parsed_.front());
    parsed_.pop_front();
    return f;
  }
  std::unique_lock lock(inbox_->mu);
  auto ready = [&] { return !inbox_->frames.empty() || inbox_->closed.has_value(); };
  if (timeout) {
    if (!inbox_->cv.wait_for(lock, *timeout, ready))
      return Status(Code::kDeadlineExceeded, "no answer from " +
                                                 server_ + " in time");
  } else {
    inbox_->cv.wait(lock, ready);
  }
  if (inbox_->frames.empty()) {
    return Status(Code::kUnavailable, "connection to " + server_ +
                                          " ended: " + inbox_->closed->message());
  }
  std::string text = std::move(inbox_->frames.front());
  inbox_->frames.pop_front();
  lock.unlock();
  auto frames = protocol::parseServerMessage(text);
  if (!frames) {
    return Status(Code::kUnavailable,
                  "bad frame from the server: " + frames.status().message());
  }
  for (protocol::ServerFrame& f : *frames)
    parsed_.push_back(std::move(f));
  protocol::ServerFrame f = std::move(parsed_.front());
  parsed_.pop_front();
  return f;
}

Result<protocol::Json> Connection::request(const std::string& method, const Json& params) {
  const std::uint64_t id = nextId_++;
  transportFailed_ = false;
  if (Status st = client_->send(protocol::encodeRequest(id, method, params)); !st) {
    transportFailed_ = true;
    return Status(Code::kUnavailable, "cannot send to " + server_ + ": " + st.message());
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto frame = nextFrame(std::max(left, std::chrono::milliseconds(0)));
    if (!frame) {
      transportFailed_ = true;
      return frame.status();
    }
    switch (frame->kind) {
      case protocol::ServerFrame::Kind::kEvent:
        events_.push_back(std::move(frame->body));
        break;
      case protocol::ServerFrame::Kind::kResult:
        if (frame->id == id) return std::move(frame->result);
        break;
      case protocol::ServerFrame::Kind::kError:
        if (frame->id == id) return frame->error;
        break;
    }
  }
}

Result<protocol::Json> Connection::nextEvent(std::optional<std::chrono::milliseconds> timeout) {
  if (!events_.empty()) {
    Json ev = std::move(events_.front());
    events_.pop_front();
    return ev;
  }
  transportFailed_ = false;
  for (;;) {
    auto frame = nextFrame(timeout);
    if (!frame) {
      transportFailed_ = frame.status().code() != Code::kDeadlineExceeded;
      return frame.status();
    }
    if (frame->kind == protocol::ServerFrame::Kind::kEvent) return std::move(frame->body);
  }
}

}  // namespace tapir::cli
