// tapird's network side: WebSocket listeners (net::Server) on the loop's
// io_context, one protocol::Session per connection, hello and tokens, limits,
// HTTP /metrics and /health, and the orderly shutdown (docs/protocol.md).
//
// Everything runs on the loop thread: the service is called directly from the
// transport's callbacks. Responses go out in request order even when a method
// answers later (Dispatcher::addAsync).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/asio_loop.h"
#include "net/endpoint.h"
#include "net/server.h"
#include "protocol/dispatch.h"
#include "service/service.h"

namespace tapir::pbx {
class Switch;
}

namespace tapir::daemon {

// A token that gives limited access ([[server.clients]] in the file).
struct ClientGrant {
  std::string token;
  protocol::Access access;
};

struct ServerOptions {
  std::vector<net::Endpoint> listen;
  // Tokens a hello may carry: full access. Unix peers running as the
  // server's user need none unless requireToken.
  std::vector<std::string> tokens;
  // Tokens with limits. A hello's token is looked up here first.
  std::vector<ClientGrant> clients;
  bool requireToken = false;
  // wss:// listeners: PEM certificate chain and private key.
  std::string tlsCert, tlsKey;
  std::size_t maxConnections = 256;
  // Requests of one connection waiting for their response; past it a request
  // is answered ResourceExhausted at once.
  std::size_t maxInFlight = 256;
  std::size_t maxFrameBytes = protocol::kMaxFrameBytes;
  // How long stop() waits for clients to finish the closing handshake.
  std::chrono::milliseconds closeGrace{3000};
};

class Server final : public net::ServerHandler {
 public:
  // Everything given must outlive the Server. info.authorize is set here.
  Server(AsioLoop& loop, service::Service& service, const pbx::Switch& sw,
         const protocol::Dispatcher& dispatcher, protocol::ServerInfo info,
         ServerOptions options);
  ~Server() override;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts every listener; returns the bound endpoints (real ports).
  Result<std::vector<net::Endpoint>> start();
  // Stops listening; every open line of every client's application gets
  // LINE_CLOSE, then each client the "shutdown" event and a close frame. done
  // runs (once, on the loop) when every connection has ended or the grace
  // period is over.
  void stop(std::string reason, std::function<void()> done);

  std::size_t connectionCount() const { return conns_.size(); }
  // Prometheus text exposition.
  std::string metrics() const;

  // ---- net::ServerHandler ----------------------------------------------------
  void onOpen(const std::shared_ptr<net::Connection>& c) override;
  void onMessage(const std::shared_ptr<net::Connection>& c, std::string text) override;
  void onClose(const std::shared_ptr<net::Connection>& c, std::string_view why) override;
  HttpReply onHttp(std::string_view method, std::string_view target) override;

 private:
  struct Pending {
    std::uint64_t seq = 0;
    std::optional<protocol::Dispatcher::Outcome> outcome;
  };
  struct Conn {
    std::shared_ptr<net::Connection> net;  // declared first: outlives the session
    std::unique_ptr<protocol::Session> session;
    std::deque<Pending> pending;  // in request order
    std::uint64_t nextSeq = 0;
    bool closing = false;  // answered its last request
    // Frames of this loop turn, sent together at its end (one message, a
    // batch when several): one write and one wakeup of the client instead
    // of one per frame.
    std::vector<std::string> outbox;
    std::size_t outboxBytes = 0;
    bool dirty = false;  // in dirty_
  };
  struct MethodStats {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
  };

  std::optional<protocol::Access> authorize(std::uint64_t connection,
                                            const std::string& token) const;
  // One request of a message; false once the connection is closing or gone.
  bool dispatch(const std::shared_ptr<net::Connection>& c, Result<protocol::Request> request,
                std::uint64_t id);
  void complete(std::uint64_t connection, std::uint64_t seq, protocol::Dispatcher::Outcome o,
                std::chrono::steady_clock::time_point started);
  void flush(Conn& conn);
  void enqueue(std::uint64_t connection, std::string frame);
  void sendOutbox(Conn& conn);
  void sendDirty();  // the end of a loop turn
  void record(const protocol::Dispatcher::Outcome& o, double seconds);
  void finishStop();

  AsioLoop& loop_;
  service::Service& service_;
  const pbx::Switch& sw_;
  const protocol::Dispatcher& dispatcher_;
  protocol::ServerInfo info_;
  ServerOptions options_;
  std::map<std::uint64_t, Conn> conns_;
  std::vector<std::uint64_t> dirty_;  // connections with frames in their outbox
  std::unique_ptr<net::Server> net_;  // after conns_: its destructor calls onClose

  bool stopping_ = false;
  std::function<void()> stopDone_;
  struct GraceTimer;
  std::unique_ptr<GraceTimer> grace_;

  // Metrics.
  std::map<std::string, MethodStats, std::less<>> methods_;
  std::vector<std::uint64_t> buckets_;  // cumulative counts per bound, +Inf last
  double durationSum_ = 0;
  std::uint64_t durationCount_ = 0;
  std::uint64_t connectionsTotal_ = 0;
};

}  // namespace tapir::daemon
