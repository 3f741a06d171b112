#include "daemon/server.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <sstream>
#include <utility>

#include "pbx/core/switch.h"

namespace tapir::daemon {

namespace {
// Request duration histogram bounds, in seconds.
constexpr std::array<double, 12> kBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                            0.01,   0.025,   0.05,   0.1,   0.25,   1.0};

// A batch is sent once it holds this much, whatever the loop turn: the
// client starts on it while tapird works on the rest of the turn. With one
// message per turn the two sides took turns instead (measured: 8 KiB gave
// 23-31 k basic calls/s where a whole turn per message gave 19-20 k).
constexpr std::size_t kMaxBatchBytes = 8 * 1024;

// Compares without an early exit, so timing does not tell a prefix.
bool sameToken(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= a[i] ^ (i < b.size() ? b[i] : 0);
  return diff == 0;
}
}  // namespace

struct Server::GraceTimer {
  explicit GraceTimer(boost::asio::io_context& io) : timer(io) {}
  boost::asio::steady_timer timer;
};

Server::Server(AsioLoop& loop, service::Service& service, const pbx::Switch& sw,
               const protocol::Dispatcher& dispatcher, protocol::ServerInfo info,
               ServerOptions options)
    : loop_(loop),
      service_(service),
      sw_(sw),
      dispatcher_(dispatcher),
      info_(std::move(info)),
      options_(std::move(options)),
      buckets_(kBounds.size() + 1, 0) {
  info_.authorize = [this](std::uint64_t connection, const std::string& token) {
    return authorize(connection, token);
  };
  net::ServerOptions no;
  no.maxMessageBytes = options_.maxFrameBytes;
  no.maxConnections = options_.maxConnections;
  no.certFile = options_.tlsCert;
  no.keyFile = options_.tlsKey;
  net_ = std::make_unique<net::Server>(loop_.context(), *this, no);
  loop_.setTurnEnd([this] { sendDirty(); });
}

Server::~Server() {
  loop_.setTurnEnd(nullptr);
  net_.reset();  // every connection ends (onClose) while conns_ is alive
}

Result<std::vector<net::Endpoint>> Server::start() {
  std::vector<net::Endpoint> bound;
  for (const net::Endpoint& e : options_.listen) {
    auto b = net_->listen(e);
    if (!b) return Status(b.status().code(), e.toString() + ": " + b.status().message());
    if (b->kind != net::Endpoint::Kind::kUnix && options_.tokens.empty() &&
        b->host != "127.0.0.1" && b->host != "::1" && b->host != "localhost") {
      spdlog::warn("{} is reachable from other hosts and no token is configured",
                   b->toString());
    }
    bound.push_back(*b);
  }
  return bound;
}

std::optional<protocol::Access> Server::authorize(std::uint64_t connection,
                                                  const std::string& token) const {
  auto it = conns_.find(connection);
  if (it == conns_.end()) return std::nullopt;
  const net::PeerInfo& peer = it->second.net->peer();
  if (!token.empty()) {
    // Every entry is compared, so timing does not tell which one matched.
    std::optional<protocol::Access> found;
    for (const ClientGrant& c : options_.clients)
      if (sameToken(token, c.token) && !found) found = c.access;
    for (const std::string& t : options_.tokens)
      if (sameToken(token, t) && !found) found = protocol::Access{};
    if (found) return found;
  }
  const bool sameUser = peer.local && peer.uid && *peer.uid == ::geteuid();
  const bool open = options_.tokens.empty() && options_.clients.empty();
  if (!options_.requireToken && (sameUser || open)) return protocol::Access{};
  spdlog::warn("connection {} ({}): refused: bad or missing token", connection, peer.address);
  return std::nullopt;
}

void Server::onOpen(const std::shared_ptr<net::Connection>& c) {
  ++connectionsTotal_;
  if (stopping_) {
    c->close(net::CloseCode::kGoingAway, "server shutting down");
    return;
  }
  Conn conn;
  conn.net = c;
  conn.session = std::make_unique<protocol::Session>(
      service_, [this, id = c->id()](std::string frame) { enqueue(id, std::move(frame)); });
  conns_.emplace(c->id(), std::move(conn));
  spdlog::info("connection {} from {} opened", c->id(), c->peer().address);
}

void Server::onMessage(const std::shared_ptr<net::Connection>& c, std::string text) {
  protocol::forEachRequest(text, [&](Result<protocol::Request> request, std::uint64_t id) {
    return dispatch(c, std::move(request), id);
  });
}

bool Server::dispatch(const std::shared_ptr<net::Connection>& c,
                      Result<protocol::Request> request, std::uint64_t id) {
  auto it = conns_.find(c->id());
  if (it == conns_.end() || it->second.closing || stopping_) return false;
  Conn& conn = it->second;
  const std::uint64_t seq = conn.nextSeq++;
  const auto started = std::chrono::steady_clock::now();
  if (conn.pending.size() >= options_.maxInFlight) {
    protocol::Dispatcher::Outcome o;
    o.method = "limit";
    o.ok = false;
    o.frame = protocol::encodeError(
        id, Status(Code::kResourceExhausted,
                   "more than " + std::to_string(options_.maxInFlight) + " requests in flight"));
    conn.pending.push_back({seq, std::move(o)});
    flush(conn);
    return true;
  }
  conn.pending.push_back({seq, std::nullopt});
  protocol::Context ctx{c->id(), c->peer().address, *conn.session, service_, info_};
  dispatcher_.handle(ctx, std::move(request), id,
                     [this, id = c->id(), seq, started](protocol::Dispatcher::Outcome o) {
                       complete(id, seq, std::move(o), started);
                     });
  return true;
}

void Server::complete(std::uint64_t connection, std::uint64_t seq,
                      protocol::Dispatcher::Outcome o,
                      std::chrono::steady_clock::time_point started) {
  record(o, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  auto it = conns_.find(connection);
  if (it == conns_.end()) return;  // it closed meanwhile
  for (Pending& p : it->second.pending) {
    if (p.seq == seq) {
      if (!o.ok) spdlog::debug("connection {}: {}: {}", connection, o.method, o.frame);
      p.outcome = std::move(o);
      break;
    }
  }
  flush(it->second);
}

void Server::flush(Conn& conn) {
  while (!conn.pending.empty() && conn.pending.front().outcome && !conn.closing) {
    protocol::Dispatcher::Outcome o = std::move(*conn.pending.front().outcome);
    conn.pending.pop_front();
    enqueue(conn.net->id(), std::move(o.frame));
    if (o.close) {
      sendOutbox(conn);
      // A client that does not speak the protocol (or was refused) goes; the
      // others are not affected.
      spdlog::warn("connection {} ({}): closed: {}", conn.net->id(), conn.net->peer().address,
                   o.method.empty() ? "malformed frame" : "refused " + o.method);
      conn.closing = true;
      conn.session->mute();
      conn.net->close(net::CloseCode::kPolicyViolation, "protocol error");
    }
  }
}

void Server::enqueue(std::uint64_t connection, std::string frame) {
  auto it = conns_.find(connection);
  if (it == conns_.end()) return;
  Conn& conn = it->second;
  conn.outboxBytes += frame.size();
  conn.outbox.push_back(std::move(frame));
  // A big backlog goes at once rather than as one huge message.
  if (conn.outboxBytes >= kMaxBatchBytes) return sendOutbox(conn);
  if (conn.dirty) return;
  conn.dirty = true;
  dirty_.push_back(connection);
}

void Server::sendDirty() {
  std::vector<std::uint64_t> dirty;
  dirty.swap(dirty_);
  for (std::uint64_t connection : dirty) {
    auto it = conns_.find(connection);
    if (it == conns_.end()) continue;
    it->second.dirty = false;
    sendOutbox(it->second);
  }
  dirty.clear();
  if (dirty_.empty()) dirty_.swap(dirty);  // keeps the capacity
}

void Server::sendOutbox(Conn& conn) {
  if (conn.outbox.empty()) return;
  if (conn.outbox.size() == 1) {
    conn.net->send(std::move(conn.outbox.front()));
  } else {
    conn.net->send(protocol::encodeBatch(conn.outbox));
  }
  conn.outbox.clear();
  conn.outboxBytes = 0;
}

void Server::onClose(const std::shared_ptr<net::Connection>& c, std::string_view why) {
  spdlog::info("connection {} from {} closed: {}", c->id(), c->peer().address, why);
  auto node = conns_.extract(c->id());
  if (node.empty()) return;
  // The session's destructor shuts the connection's applications down; the
  // map no longer holds it, so whatever that causes finds a consistent map.
  node.mapped().session.reset();
  if (stopping_ && conns_.empty()) finishStop();
}

void Server::stop(std::string reason, std::function<void()> done) {
  if (stopping_) return;
  stopping_ = true;
  stopDone_ = std::move(done);
  net_->stopListening();
  spdlog::info("stopping: {} connection(s)", conns_.size());
  // LINE_CLOSE first, for every client, then the goodbye.
  for (auto& [id, conn] : conns_) {
    for (service::AppHandle app : conn.session->apps()) (void)service_.closeLines(app);
  }
  for (auto& [id, conn] : conns_) {
    conn.session->send(protocol::encodeEvent("shutdown", protocol::Json{{"reason", reason}}));
    conn.session->mute();
    sendOutbox(conn);
    conn.closing = true;
    conn.net->close(net::CloseCode::kGoingAway, reason);
  }
  if (conns_.empty()) {
    loop_.post([this] { finishStop(); });
    return;
  }
  grace_ = std::make_unique<GraceTimer>(loop_.context());
  grace_->timer.expires_after(options_.closeGrace);
  grace_->timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    spdlog::warn("stopping: {} client(s) did not close in time", conns_.size());
    finishStop();
  });
}

void Server::finishStop() {
  if (grace_) grace_->timer.cancel();
  if (auto done = std::exchange(stopDone_, nullptr)) done();
}

// ---- metrics --------------------------------------------------------------------

void Server::record(const protocol::Dispatcher::Outcome& o, double seconds) {
  // Labels only from the method table, so clients cannot grow the series.
  std::string label = o.method.empty()             ? "invalid"
                      : o.method == "limit"         ? "limit"
                      : dispatcher_.has(o.method)   ? o.method
                                                    : "unknown";
  MethodStats& s = methods_[label];
  ++s.requests;
  if (!o.ok) ++s.errors;
  for (std::size_t i = 0; i < kBounds.size(); ++i)
    if (seconds <= kBounds[i]) ++buckets_[i];
  ++buckets_.back();
  durationSum_ += seconds;
  ++durationCount_;
}

std::string Server::metrics() const {
  std::ostringstream out;
  out << "# HELP tapird_connections Open protocol connections.\n"
      << "# TYPE tapird_connections gauge\n"
      << "tapird_connections " << conns_.size() << "\n"
      << "# HELP tapird_connections_total Connections accepted since start.\n"
      << "# TYPE tapird_connections_total counter\n"
      << "tapird_connections_total " << connectionsTotal_ << "\n"
      << "# HELP tapird_applications Applications initialized on the service.\n"
      << "# TYPE tapird_applications gauge\n"
      << "tapird_applications " << service_.appCount() << "\n";
  out << "# HELP tapird_requests_total Requests answered, by method.\n"
      << "# TYPE tapird_requests_total counter\n";
  for (const auto& [m, s] : methods_)
    out << "tapird_requests_total{method=\"" << m << "\"} " << s.requests << "\n";
  out << "# HELP tapird_request_errors_total Requests answered with an error, by method.\n"
      << "# TYPE tapird_request_errors_total counter\n";
  for (const auto& [m, s] : methods_)
    out << "tapird_request_errors_total{method=\"" << m << "\"} " << s.errors << "\n";
  // Station-side calls by the state their party sees.
  std::map<std::string_view, std::uint64_t> states;
  for (std::uint32_t st = 0; st < sw_.stationCount(); ++st) {
    for (const auto& address : sw_.station(st).addresses) {
      for (CallId id : address.calls) {
        if (const pbx::Leg* leg = sw_.leg(id)) ++states[callStateName(leg->state)];
      }
    }
  }
  out << "# HELP tapird_calls Calls on the switch's stations, by state.\n"
      << "# TYPE tapird_calls gauge\n";
  for (const auto& [state, n] : states) out << "tapird_calls{state=\"" << state << "\"} " << n << "\n";
  out << "# HELP tapird_request_duration_seconds Time from a request to its response.\n"
      << "# TYPE tapird_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kBounds.size(); ++i)
    out << "tapird_request_duration_seconds_bucket{le=\"" << kBounds[i] << "\"} " << buckets_[i]
        << "\n";
  out << "tapird_request_duration_seconds_bucket{le=\"+Inf\"} " << buckets_.back() << "\n"
      << "tapird_request_duration_seconds_sum " << durationSum_ << "\n"
      << "tapird_request_duration_seconds_count " << durationCount_ << "\n";
  return out.str();
}

net::ServerHandler::HttpReply Server::onHttp(std::string_view method, std::string_view target) {
  HttpReply r;
  const std::string_view path = target.substr(0, target.find('?'));
  if (path != "/metrics" && path != "/health") return r;
  if (method != "GET" && method != "HEAD") {
    r.status = 405;
    r.body = "method not allowed\n";
    return r;
  }
  r.status = 200;
  if (path == "/health") {
    r.body = stopping_ ? "stopping\n" : "ok\n";
    if (stopping_) r.status = 503;
  } else {
    r.contentType = "text/plain; version=0.0.4";
    r.body = metrics();
  }
  return r;
}

}  // namespace tapir::daemon
