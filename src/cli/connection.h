// The CLI's link to tapird: one net::Client, the hello, then requests one at
// a time, each waited for (a tiny synchronous helper over the protocol's
// frames; no libtapir).
//
// Errors: open() fails with Code::kInvalidArgument for a malformed address,
// otherwise Code::kUnavailable (nothing listens, refused hello, timed out) or
// Code::kPermissionDenied (token refused). request() gives the server's
// Status for a refused request; transportFailed() says whether the failure
// was the connection's instead (lost, timed out).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/client.h"
#include "protocol/codec.h"

namespace tapir::cli {

class Connection {
 public:
  using Json = protocol::Json;

  // Tries each server in turn; the first that answers the hello wins. On
  // failure, the reason for the last one (or the first non-connection error:
  // a refused token).
  static Result<std::unique_ptr<Connection>> open(const std::vector<std::string>& servers,
                                                   const std::string& token,
                                                   std::chrono::milliseconds timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& server() const { return server_; }
  const Json& hello() const { return hello_; }

  // Sends a request and waits for its response (events before it are kept
  // for nextEvent).
  Result<Json> request(const std::string& method, const Json& params);
  // The next event frame (the whole object), waiting at most `timeout` (none:
  // forever). kDeadlineExceeded when the time is up; kUnavailable once the
  // connection has ended.
  Result<Json> nextEvent(std::optional<std::chrono::milliseconds> timeout);

  // The last request()/nextEvent() failed for want of a server, not because
  // the server refused it.
  bool transportFailed() const { return transportFailed_; }

 private:
  Connection() = default;
  Result<protocol::ServerFrame> nextFrame(std::optional<std::chrono::milliseconds> timeout);

  std::unique_ptr<net::Client> client_;
  std::string server_;
  Json hello_;
  std::chrono::milliseconds timeout_{10000};
  std::uint64_t nextId_ = 1;
  bool transportFailed_ = false;

  // Filled by the client's thread.
  struct Inbox {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::string> frames;
    std::optional<Status> closed;
  };
  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  std::deque<Json> events_;
  std::deque<protocol::ServerFrame> parsed_;  // taken from the inbox, not yet returned
};

}  // namespace tapir::cli
