// A tapird WebSocket client on its own thread and io_context, for the CLI and
// the remote service in libtapir: text messages in and out over unix:, ws://
// or wss:// (net/endpoint.h).
//
// onMessage runs on the client's thread, in arrival order. onClose runs once,
// on that thread, when a connection that connect() returned ends for any
// reason: an OK Status when close() (or the destructor) ended it, otherwise
// why. Neither callback may destroy the Client.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "net/endpoint.h"
#include "tapir/status.h"

namespace tapir::net {

struct ClientOptions {
  // Connecting, the TLS and WebSocket handshakes; also bounds close().
  std::chrono::milliseconds connectTimeout{5000};
  // A bigger message from the server ends the connection (1009).
  std::size_t maxMessageBytes = 16 << 20;
  // wss:// only: the CA certificates (PEM) the server's certificate must chain
  // to; empty means the system's. verifyPeer = false skips verification.
  std::string caFile;
  bool verifyPeer = true;
  // A server silent for half of it gets a ping; silent for all of it (not
  // even a pong), the connection ends.
  std::chrono::milliseconds idleTimeout{60000};
};

// Defaults with the client programs' environment applied: TAPIR_CA_FILE (the
// CA certificates for wss://) and TAPIR_TLS_VERIFY=0 (no verification).
ClientOptions clientOptionsFromEnvironment();

class Client {
 public:
  // Blocks until the connection is open or has failed.
  static Result<std::unique_ptr<Client>> connect(const Endpoint& e, ClientOptions o,
                                                 std::function<void(std::string)> onMessage,
                                                 std::function<void(Status)> onClose);
  // Closes (sends what is queued, then a close frame) and joins the thread.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Any thread. Queued as one text message; an error once closing or closed.
  Status send(std::string text);
  // Any thread; idempotent. onClose follows.
  void close();
  // True from connect() until close() or the end of the connection.
  bool connected() const;

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tapir::net
