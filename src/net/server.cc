#include "net/server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include "net/channel.h"

namespace tapir::net {
namespace detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using error_code = boost::system::error_code;
using asio::ip::tcp;
using unix_socket = asio::local::stream_protocol;

// A Connection as the server keeps it: in a handshake, then open.
class SessionBase : public Connection {
 public:
  // Now, with no closing handshake: drops a handshake, or ends an open
  // connection (onClose runs before this returns).
  virtual void cutOff(const std::string& why) = 0;
};

class ListenerBase {
 public:
  virtual ~ListenerBase() = default;
  virtual void stop() = 0;
};

struct ServerCore {
  ServerCore(asio::io_context& i, ServerHandler& h, ServerOptions o)
      : io(i), handler(&h), options(std::move(o)) {}

  asio::io_context& io;
  ServerHandler* handler;  // null once the Server is gone: pending I/O stays quiet
  const ServerOptions options;
  std::uint64_t nextId = 1;
  std::size_t upgrading = 0;  // WebSocket handshakes under way, counted against maxConnections
  std::map<std::uint64_t, std::shared_ptr<SessionBase>> open;
  std::unordered_set<std::shared_ptr<SessionBase>> handshaking;
  std::vector<std::shared_ptr<ListenerBase>> listeners;
};

template <class NextLayer>
class ServerSession final : public SessionBase,
                            public ChannelSink,
                            public std::enable_shared_from_this<ServerSession<NextLayer>> {
 public:
  // tls keeps the listener's TLS context alive for a wss session.
  template <class... Args>
  ServerSession(std::shared_ptr<ServerCore> core, PeerInfo peer, std::shared_ptr<void> tls,
                Args&&... args)
      : core_(std::move(core)),
        peer_(std::move(peer)),
        tls_(std::move(tls)),
        channel_(*this, "client", std::forward<Args>(args)...),
        timer_(core_->io) {}

  void start() {
    core_->handshaking.insert(this->shared_from_this());
    timer_.expires_after(core_->options.handshakeTimeout);
    timer_.async_wait([self = this->shared_from_this()](const error_code& ec) {
      if (!ec && self->state_ == State::kHandshake) closeLowest(self->channel_.ws());
    });
    if constexpr (kIsTls<NextLayer>) {
      channel_.ws().next_layer().async_handshake(
          ssl::stream_base::server, [self = this->shared_from_this()](const error_code& ec) {
            if (ec || self->gone()) return self->dropHandshake();
            self->readRequest();
          });
    } else {
      readRequest();
    }
  }

  std::uint64_t id() const override { return id_; }
  const PeerInfo& peer() const override { return peer_; }
  void send(std::string text) override {
    if (state_ == State::kOpen) channel_.send(std::move(text));
  }
  void close(CloseCode code, std::string reason) override {
    if (state_ == State::kOpen) {
      channel_.close(static_cast<websocket::close_code>(code), std::move(reason));
    }
  }
  std::size_t queuedBytes() const override { return channel_.queuedBytes(); }

  void cutOff(const std::string& why) override {
    if (state_ == State::kHandshake) return dropHandshake();
    if (state_ != State::kOpen) return;
    channel_.abort(Status(Code::kUnavailable, why));
    finish(why);
  }

 private:
  enum class State { kHandshake, kOpen, kEnded };

  bool gone() const { return state_ != State::kHandshake || core_->handler == nullptr; }

  void readRequest() {
    parser_.emplace();
    parser_->header_limit(8 * 1024);
    parser_->body_limit(16 * 1024);
    http::async_read(channel_.ws().next_layer(), buffer_, *parser_,
                     [self = this->shared_from_this()](const error_code& ec, std::size_t) {
                       // Garbage, a slow client, a timeout: drop just this socket.
                       if (ec || self->gone()) return self->dropHandshake();
                       self->onRequest();
                     });
  }

  void onRequest() {
    auto& req = parser_->get();
    if (!websocket::is_upgrade(req)) {
      auto method = req.method_string();
      auto target = req.target();
      auto reply = core_->handler->onHttp({method.data(), method.size()},
                                          {target.data(), target.size()});
      return replyHttp(reply.status, reply.contentType, std::move(reply.body));
    }
    if (core_->open.size() + core_->upgrading >= core_->options.maxConnections) {
      return replyHttp(503, "text/plain", "too many connections\n");
    }
    ++core_->upgrading;
    auto& ws = channel_.ws();
    ws.read_message_max(core_->options.maxMessageBytes);
    // One frame, one write per message: Beast would otherwise cut a batch
    // into 4 KiB frames, a system call each.
    ws.auto_fragment(false);
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "tapird"); }));
    ws.async_accept(req, [self = this->shared_from_this()](const error_code& ec) {
      --self->core_->upgrading;
      if (ec || self->gone()) return self->dropHandshake();
      self->opened();
    });
  }

  void replyHttp(unsigned status, const std::string& contentType, std::string body) {
    response_.emplace();
    response_->version(parser_->get().version());
    response_->result(status >= 100 && status <= 999 ? status : 500);
    response_->set(http::field::server, "tapird");
    response_->set(http::field::content_type, contentType);
    response_->keep_alive(false);
    response_->body() = std::move(body);
    response_->prepare_payload();
    http::async_write(channel_.ws().next_layer(), *response_,
                      [self = this->shared_from_this()](const error_code&, std::size_t) {
                        self->dropHandshake();
                      });
  }

  // The handshake phase is over without a connection (or was an HTTP request).
  void dropHandshake() {
    if (state_ != State::kHandshake) return;
    state_ = State::kEnded;
    timer_.cancel();
    closeLowest(channel_.ws());
    core_->handshaking.erase(this->shared_from_this());
  }

  void opened() {
    auto self = this->shared_from_this();
    state_ = State::kOpen;
    timer_.cancel();
    core_->handshaking.erase(self);
    parser_.reset();
    buffer_ = {};
    id_ = core_->nextId++;
    core_->open.emplace(id_, self);
    // The read loop first, so that onOpen may already send or close.
    const auto& o = core_->options;
    channel_.start(this->weak_from_this(),
                   {o.maxQueuedBytes, o.handshakeTimeout, o.idleTimeout});
    core_->handler->onOpen(self);
  }

  void onChannelText(std::string text) override {
    if (state_ == State::kOpen && core_->handler) {
      core_->handler->onMessage(this->shared_from_this(), std::move(text));
    }
  }

  void onChannelEnd(bool, Status why) override { finish(why.message()); }

  void finish(const std::string& why) {
    if (state_ != State::kOpen) return;
    auto self = this->shared_from_this();  // the map may hold the last owner
    state_ = State::kEnded;
    core_->open.erase(id_);
    if (core_->handler) core_->handler->onClose(self, why);
  }

  std::shared_ptr<ServerCore> core_;
  PeerInfo peer_;
  std::shared_ptr<void> tls_;
  Channel<NextLayer> channel_;
  asio::steady_timer timer_;  // the handshake deadline
  State state_ = State::kHandshake;
  std::uint64_t id_ = 0;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
};

PeerInfo peerOf(unix_socket::socket& s) {
  PeerInfo p;
  p.local = true;
  p.address = "unix";
  ucred cred{};
  socklen_t len = sizeof cred;
  if (getsockopt(s.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
    p.uid = cred.uid;
    p.pid = cred.pid;
  }
  return p;
}

PeerInfo peerOf(tcp::socket& s) {
  PeerInfo p;
  error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (ec) {
    p.address = "?";
  } else if (ep.address().is_v6()) {
    p.address = "[" + ep.address().to_string() + "]:" + std::to_string(ep.port());
  } else {
    p.address = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  return p;
}

template <class Protocol>
class Listener final : public ListenerBase, public std::enable_shared_from_this<Listener<Protocol>> {
 public:
  // tls: a wss listener's context; unixPath: a socket file to remove on stop.
  Listener(std::shared_ptr<ServerCore> core, typename Protocol::acceptor acceptor,
           std::shared_ptr<ssl::context> tls, std::string unixPath)
      : core_(std::move(core)),
        acceptor_(std::move(acceptor)),
        retry_(core_->io),
        tls_(std::move(tls)),
        unixPath_(std::move(unixPath)) {
    struct stat st;
    if (!unixPath_.empty() && stat(unixPath_.c_str(), &st) == 0) fileId_ = {st.st_dev, st.st_ino};
  }

  void accept() {
    acceptor_.async_accept([self = this->shared_from_this()](const error_code& ec,
                                                             typename Protocol::socket s) {
      if (self->stopped_ || !self->core_->handler) return;
      if (ec) {
        // Out of descriptors and the like: pause rather than spin.
        spdlog::warn("net: accept failed: {}", ec.message());
        self->retry_.expires_after(std::chrono::milliseconds(100));
        self->retry_.async_wait([self](const error_code& e) {
          if (!e && !self->stopped_) self->accept();
        });
        return;
      }
      self->startSession(std::move(s));
      self->accept();
    });
  }

  void stop() override {
    if (stopped_) return;
    stopped_ = true;
    error_code ec;
    acceptor_.close(ec);
    retry_.cancel();
    // Remove the socket file only if it is still the one this listener made.
    struct stat st;
    if (fileId_ && stat(unixPath_.c_str(), &st) == 0 &&
        std::pair(st.st_dev, st.st_ino) == *fileId_) {
      ::unlink(unixPath_.c_str());
    }
  }

 private:
  void startSession(typename Protocol::socket s) {
    auto peer = peerOf(s);
    if constexpr (std::is_same_v<Protocol, tcp>) {
      // Small frames go out at once: with Nagle, an event written right
      // after another would wait for the peer's delayed ACK.
      error_code ec;
      s.set_option(tcp::no_delay(true), ec);
      if (tls_) {
        using S = ServerSession<ssl::stream<tcp::socket>>;
        std::make_shared<S>(core_, std::move(peer), tls_, std::move(s), *tls_)->start();
        return;
      }
    }
    using S = ServerSession<typename Protocol::socket>;
    std::make_shared<S>(core_, std::move(peer), nullptr, std::move(s))->start();
  }

  std::shared_ptr<ServerCore> core_;
  typename Protocol::acceptor acceptor_;
  asio::steady_timer retry_;
  std::shared_ptr<ssl::context> tls_;
  std::string unixPath_;
  std::optional<std::pair<dev_t, ino_t>> fileId_;
  bool stopped_ = false;
};

Status listenError(const Endpoint& e, Code code, const std::string& what) {
  return Status(code, e.toString() + ": " + what);
}

Result<std::shared_ptr<ListenerBase>> listenUnix(const std::shared_ptr<ServerCore>& core,
                                                 const Endpoint& e) {
  const std::string& path = e.path;
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return listenError(e, Code::kAlreadyExists, "exists and is not a socket");
    // A socket file nobody accepts on is left over from a crash: remove it.
    unix_socket::socket probe(core->io);
    error_code ec;
    probe.open(unix_socket(), ec);
    probe.non_blocking(true, ec);
    probe.connect(unix_socket::endpoint(path), ec);
    if (ec != asio::error::connection_refused) {
      return listenError(e, Code::kAlreadyExists, "another server is listening there");
    }
    ::unlink(path.c_str());
  }
  unix_socket::acceptor acceptor(core->io);
  error_code ec;
  acceptor.open(unix_socket(), ec);
  if (!ec) acceptor.bind(unix_socket::endpoint(path), ec);
  if (ec) return listenError(e, Code::kUnavailable, "bind: " + ec.message());
  if (::chmod(path.c_str(), 0660) != 0) {
    ::unlink(path.c_str());
    return listenError(e, Code::kUnavailable, "chmod failed");
  }
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    ::unlink(path.c_str());
    return listenError(e, Code::kUnavailable, "listen: " + ec.message());
  }
  auto l = std::make_shared<Listener<unix_socket>>(core, std::move(acceptor), nullptr, path);
  l->accept();
  return std::shared_ptr<ListenerBase>(l);
}

Result<std::shared_ptr<ssl::context>> serverTls(const ServerOptions& o, const Endpoint& e) {
  if (o.certFile.empty() || o.keyFile.empty()) {
    return listenError(e, Code::kInvalidArgument, "wss needs certFile and keyFile");
  }
  std::shared_ptr<ssl::context> ctx;
  try {
    ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  } catch (const boost::system::system_error& x) {
    return listenError(e, Code::kInternal, std::string("TLS context: ") + x.what());
  }
  error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1,
                   ec);
  ctx->use_certificate_chain_file(o.certFile, ec);
  if (ec) return listenError(e, Code::kInvalidArgument, o.certFile + ": " + ec.message());
  ctx->use_private_key_file(o.keyFile, ssl::context::pem, ec);
  if (ec) return listenError(e, Code::kInvalidArgument, o.keyFile + ": " + ec.message());
  return ctx;
}

Result<std::shared_ptr<ListenerBase>> listenTcp(const std::shared_ptr<ServerCore>& core,
                                                Endpoint& e) {
  std::shared_ptr<ssl::context> tls;
  if (e.kind == Endpoint::Kind::kWss) {
    auto ctx = serverTls(core->options, e);
    if (!ctx) return ctx.status();
    tls = std::move(*ctx);
  }
  error_code ec;
  auto address = e.host == "localhost" ? asio::ip::address(asio::ip::address_v4::loopback())
                                       : asio::ip::make_address(e.host, ec);
  if (ec) return listenError(e, Code::kInvalidArgument, "bad address");
  tcp::endpoint ep(address, e.port);
  tcp::acceptor acceptor(core->io);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (ec) return listenError(e, Code::kUnavailable, "bind: " + ec.message());
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return listenError(e, Code::kUnavailable, "listen: " + ec.message());
  e.port = acceptor.local_endpoint(ec).port();
  auto l = std::make_shared<Listener<tcp>>(core, std::move(acceptor), std::move(tls), "");
  l->accept();
  return std::shared_ptr<ListenerBase>(l);
}

}  // namespace detail

Server::Server(boost::asio::io_context& io, ServerHandler& handler, ServerOptions options)
    : core_(std::make_shared<detail::ServerCore>(io, handler, std::move(options))) {}

Server::~Server() {
  stopListening();
  for (const auto& s : std::vector(core_->handshaking.begin(), core_->handshaking.end())) {
    s->cutOff("server shut down");
  }
  auto open = core_->open;
  for (const auto& [id, s] : open) s->cutOff("server shut down");
  core_->handler = nullptr;
}

Result<Endpoint> Server::listen(const Endpoint& e) {
  Endpoint bound = e;
  auto l = e.kind == Endpoint::Kind::kUnix ? detail::listenUnix(core_, bound)
                                           : detail::listenTcp(core_, bound);
  if (!l) return l.status();
  core_->listeners.push_back(std::move(*l));
  return bound;
}

std::size_t Server::connectionCount() const {
  return core_->open.size();
}

void Server::closeAll(std::string reason) {
  for (const auto& s : std::vector(core_->handshaking.begin(), core_->handshaking.end())) {
    s->cutOff("server closing");
  }
  auto open = core_->open;
  for (const auto& [id, s] : open) s->close(CloseCode::kGoingAway, reason);
}

void Server::stopListening() {
  for (auto& l : core_->listeners) l->stop();
  core_->listeners.clear();
}

}  // namespace tapir::net
