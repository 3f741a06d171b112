// The tapird WebSocket server: text messages in and out, one Connection per
// client, over unix:, ws:// and wss:// listeners (net/endpoint.h).
//
// Everything runs on one io_context thread: the Server's methods, the
// Connection methods and every ServerHandler call. A client's misbehaviour
// (garbage, an oversized message, not reading) closes that client only and is
// reported through onClose; nothing throws out of the io_context.
//
// Lifecycle: onOpen, then onMessage in arrival order, then onClose exactly
// once, including when the Server is destroyed. Connections are shared_ptr
// owned because the handler, the server and pending I/O all hold them; a
// Connection outliving its Server is inert.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/endpoint.h"
#include "tapir/status.h"

namespace boost::asio {
class io_context;
}

namespace tapir::net {

namespace detail {
struct ServerCore;
}

struct PeerInfo {
  bool local = false;         // a Unix socket
  std::optional<uid_t> uid;   // SO_PEERCRED, Unix sockets only
  std::optional<pid_t> pid;   // SO_PEERCRED, Unix sockets only
  std::string address;        // "unix", "127.0.0.1:5555", "[::1]:5555"
};

// WebSocket close codes (RFC 6455, section 7.4.1) a server sends.
enum class CloseCode : std::uint16_t {
  kNormal = 1000,
  kGoingAway = 1001,        // closeAll: the server shuts down
  kPolicyViolation = 1008,  // the peer broke the protocol above WebSocket
};

class Connection {
 public:
  virtual ~Connection() = default;

  // Unique per Server, from 1, in the order connections opened.
  virtual std::uint64_t id() const = 0;
  virtual const PeerInfo& peer() const = 0;
  // Queued as one text message; messages go out in order. Dropped once the
  // connection is closing. A client whose queue passes maxQueuedBytes is cut
  // off (it is not reading).
  virtual void send(std::string text) = 0;
  // Sends what is queued, then a close frame with code and reason; onClose
  // follows. Later calls do nothing.
  virtual void close(CloseCode code, std::string reason) = 0;
  void close(std::string reason) { close(CloseCode::kNormal, std::move(reason)); }
  virtual std::size_t queuedBytes() const = 0;
};

class ServerHandler {
 public:
  virtual ~ServerHandler() = default;
  virtual void onOpen(const std::shared_ptr<Connection>& c) = 0;
  virtual void onMessage(const std::shared_ptr<Connection>& c, std::string text) = 0;
  // Exactly once per opened connection; why says who closed it and how.
  virtual void onClose(const std::shared_ptr<Connection>& c, std::string_view why) = 0;

  // A plain HTTP request that is not a WebSocket upgrade (GET /health,
  // /metrics). The reply goes out and the socket closes.
  struct HttpReply {
    unsigned status = 404;
    std::string contentType = "text/plain";
    std::string body = "not found\n";
  };
  virtual HttpReply onHttp(std::string_view method, std::string_view target) {
    (void)method;
    (void)target;
    return {};
  }
};

struct ServerOptions {
  // A bigger message closes the connection with 1009 (message too big).
  std::size_t maxMessageBytes = 1 << 20;
  // Bytes waiting to go to one client; past it the client is cut off.
  std::size_t maxQueuedBytes = 16 << 20;
  // Open connections; an upgrade past it is refused with HTTP 503.
  std::size_t maxConnections = 1024;
  // For the TLS and WebSocket handshakes, and for a closing handshake.
  std::chrono::milliseconds handshakeTimeout{5000};
  // A client silent for half of it gets a ping; silent for all of it (not
  // even a pong), it is cut off.
  std::chrono::milliseconds idleTimeout{60000};
  // wss:// only: PEM certificate chain and private key.
  std::string certFile, keyFile;
};

class Server {
 public:
  // handler must outlive the Server.
  Server(boost::asio::io_context& io, ServerHandler& handler, ServerOptions options = {});
  // Stops listening and cuts every connection off (onClose for each). Must not
  // run inside a handler call.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts accepting; may be called once per endpoint. Returns the bound
  // endpoint: the real port when port 0 was asked.
  Result<Endpoint> listen(const Endpoint& e);
  std::size_t connectionCount() const;
  // Every open connection gets a close frame (1001, going away) with reason;
  // handshakes under way are dropped.
  void closeAll(std::string reason);
  // Closes the listeners (and removes their socket files); connections stay.
  void stopListening();

 private:
  // Shared with the listeners and sessions, whose pending I/O may outlive the
  // Server; they find it detached and stay quiet.
  std::shared_ptr<detail::ServerCore> core_;
};

}  // namespace tapir::net
