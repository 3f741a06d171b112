#include "net/client.h"

#include <arpa/inet.h>

#include <atomic>
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <future>
#include <limits>
#include <string_view>
#include <thread>
#include <type_traits>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/ssl.hpp>

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

constexpr std::size_t kWriteBufferBytes = 64 * 1024;

// The connection as the client's thread sees it; Client talks to it through
// this and the two flags, which any thread may read.
class ClientConn {
 public:
  virtual ~ClientConn() = default;
  // On the client's thread: connects; done runs once with the outcome.
  virtual void start(std::function<void(Status)> done) = 0;
  virtual void send(std::string text) = 0;
  virtual void close() = 0;

  std::atomic<bool> usable{false};          // connected, not closing
  std::atomic<bool> closeRequested{false};  // Client::close() was called
};

struct ClientCallbacks {
  std::function<void(std::string)> onMessage;
  std::function<void(Status)> onClose;
};

template <class NextLayer>
class ClientSession final : public ClientConn,
                            public ChannelSink,
                            public std::enable_shared_from_this<ClientSession<NextLayer>> {
 public:
  // tls: a wss client's context, kept alive here for the stream.
  template <class... Args>
  ClientSession(asio::io_context& io, Endpoint e, ClientOptions o, ClientCallbacks cb,
                std::shared_ptr<ssl::context> tls, Args&&... args)
      : io_(io),
        endpoint_(std::move(e)),
        options_(std::move(o)),
        cb_(std::move(cb)),
        tls_(std::move(tls)),
        channel_(*this, "server", std::forward<Args>(args)...),
        timer_(io) {}

  void start(std::function<void(Status)> done) override {
    done_ = std::move(done);
    timer_.expires_after(options_.connectTimeout);
    timer_.async_wait([self = this->shared_from_this()](const error_code& ec) {
      if (!ec && self->connecting_) {
        self->timedOut_ = true;
        closeLowest(self->channel_.ws());
      }
    });
    auto& socket = beast::get_lowest_layer(channel_.ws());
    auto next = [self = this->shared_from_this()](const error_code& ec) {
      if (ec) return self->failed("connect", ec);
      self->connected();
    };
    if constexpr (std::is_same_v<NextLayer, unix_socket::socket>) {
      socket.async_connect(unix_socket::endpoint(endpoint_.path), std::move(next));
    } else {
      error_code ec;
      auto address = endpoint_.host == "localhost"
                         ? asio::ip::address(asio::ip::address_v4::loopback())
                         : asio::ip::make_address(endpoint_.host, ec);
      if (ec) return failed("bad address", ec);
      socket.async_connect(tcp::endpoint(address, endpoint_.port), std::move(next));
    }
  }

  void send(std::string text) override { channel_.send(std::move(text)); }
  void close() override { channel_.close(websocket::close_code::normal, ""); }

 private:
  void connected() {
    if constexpr (!std::is_same_v<NextLayer, unix_socket::socket>) {
      error_code ec;  // as the server: no Nagle delay for small frames
      beast::get_lowest_layer(channel_.ws()).set_option(tcp::no_delay(true), ec);
    }
    if constexpr (kIsTls<NextLayer>) {
      auto& stream = channel_.ws().next_layer();
      const std::string& host = endpoint_.host;
      in6_addr ip;
      bool literal = inet_pton(host.find(':') == std::string::npos ? AF_INET : AF_INET6,
                               host.c_str(), &ip) == 1;
      // SNI carries names only (RFC 6066).
      if (!literal) SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
      error_code ec;
      if (options_.verifyPeer) {
        stream.set_verify_mode(ssl::verify_peer, ec);
        stream.set_verify_callback(ssl::host_name_verification(host), ec);
      } else {
        stream.set_verify_mode(ssl::verify_none, ec);
      }
      stream.async_handshake(ssl::stream_base::client,
                             [self = this->shared_from_this()](const error_code& ec) {
                               if (ec) return self->failed("TLS handshake", ec);
                               self->handshake();
                             });
    } else {
      handshake();
    }
  }

  void handshake() {
    auto& ws = channel_.ws();
    ws.read_message_max(options_.maxMessageBytes);
    // Whole messages as one frame; a client masks its frames through this
    // buffer, one write per buffer-full.
    ws.auto_fragment(false);
    ws.write_buffer_bytes(kWriteBufferBytes);
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& req) { req.set(http::field::user_agent, "tapir"); }));
    std::string host = "localhost";
    if (endpoint_.kind != Endpoint::Kind::kUnix) {
      auto text = endpoint_.toString();
      host = text.substr(text.find("://") + 3);
    }
    ws.async_handshake(response_, host, "/",
                       [self = this->shared_from_this()](const error_code& ec) {
                         if (ec) return self->failed("WebSocket handshake", ec);
                         self->opened();
                       });
  }

  void opened() {
    connecting_ = false;
    timer_.cancel();
    usable = true;
    channel_.start(this->weak_from_this(), {std::numeric_limits<std::size_t>::max(),
                                            options_.connectTimeout, options_.idleTimeout});
    std::exchange(done_, nullptr)(Status::ok());
  }

  void failed(const std::string& step, const error_code& ec) {
    if (!connecting_) return;
    connecting_ = false;
    timer_.cancel();
    closeLowest(channel_.ws());
    std::string what = endpoint_.toString() + ": ";
    Status st;
    if (timedOut_) {
      st = Status(Code::kDeadlineExceeded,
                  what + "timed out after " + std::to_string(options_.connectTimeout.count()) +
                      " ms");
    } else if (ec == websocket::error::upgrade_declined) {
      std::string body = response_.body();
      while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
      st = Status(Code::kUnavailable,
                  what + "upgrade refused (HTTP " + std::to_string(response_.result_int()) +
                      (body.empty() ? ")" : ": " + body + ")"));
    } else {
      st = Status(Code::kUnavailable, what + step + ": " + ec.message());
    }
    std::exchange(done_, nullptr)(std::move(st));
  }

  void onChannelText(std::string text) override { cb_.onMessage(std::move(text)); }

  void onChannelEnd(bool byUs, Status why) override {
    usable = false;
    cb_.onClose(byUs ? Status::ok() : std::move(why));
    // The connection is over, but Beast's idle timer may still be pending
    // (after a failed connection, up to half the idle timeout): the thread
    // has nothing left to do, so end it now rather than then.
    io_.stop();
  }

  asio::io_context& io_;
  Endpoint endpoint_;
  ClientOptions options_;
  ClientCallbacks cb_;
  std::shared_ptr<ssl::context> tls_;
  Channel<NextLayer> channel_;
  asio::steady_timer timer_;  // the connect deadline
  std::function<void(Status)> done_;
  websocket::response_type response_;
  bool connecting_ = true, timedOut_ = false;
};

Result<std::shared_ptr<ssl::context>> clientTls(const Endpoint& e, const ClientOptions& o) {
  std::shared_ptr<ssl::context> ctx;
  try {
    ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  } catch (const boost::system::system_error& x) {
    return Status(Code::kInternal, e.toString() + ": TLS context: " + x.what());
  }
  error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                       ssl::context::no_tlsv1_1,
                   ec);
  if (o.verifyPeer) {
    if (o.caFile.empty()) {
      ctx->set_default_verify_paths(ec);
    } else {
      ctx->load_verify_file(o.caFile, ec);
    }
    if (ec) {
      return Status(Code::kInvalidArgument,
                    e.toString() + ": CA file " + o.caFile + ": " + ec.message());
    }
  }
  return ctx;
}

}  // namespace detail

struct Client::Impl {
  boost::asio::io_context io;  // first: destroyed last, after the session's pending I/O
  std::shared_ptr<detail::ClientConn> conn;
  std::thread thread;
};

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Client>> Client::connect(const Endpoint& e, ClientOptions o,
                                                std::function<void(std::string)> onMessage,
                                                std::function<void(Status)> onClose) {
  using namespace detail;
  if (e.kind != Endpoint::Kind::kUnix && e.port == 0) {
    return Status(Code::kInvalidArgument, e.toString() + ": port 0");
  }
  auto impl = std::make_unique<Impl>();
  ClientCallbacks cb{std::move(onMessage), std::move(onClose)};
  switch (e.kind) {
    case Endpoint::Kind::kUnix:
      impl->conn = std::make_shared<ClientSession<unix_socket::socket>>(
          impl->io, e, std::move(o), std::move(cb), nullptr, impl->io);
      break;
    case Endpoint::Kind::kWs:
      impl->conn = std::make_shared<ClientSession<tcp::socket>>(impl->io, e, std::move(o),
                                                                std::move(cb), nullptr, impl->io);
      break;
    case Endpoint::Kind::kWss: {
      auto tls = clientTls(e, o);
      if (!tls) return tls.status();
      auto& ctx = **tls;
      impl->conn = std::make_shared<ClientSession<ssl::stream<tcp::socket>>>(
          impl->io, e, std::move(o), std::move(cb), std::move(*tls), impl->io, ctx);
      break;
    }
  }
  std::promise<Status> ready;
  auto outcome = ready.get_future();
  asio::post(impl->io, [conn = impl->conn, &ready] {
    conn->start([&ready](Status st) { ready.set_value(std::move(st)); });
  });
  // No work guard: run() returns once the connection has ended (or failed).
  impl->thread = std::thread([io = &impl->io] { io->run(); });
  Status st = outcome.get();
  if (!st.isOk()) {
    impl->thread.join();
    return st;
  }
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::~Client() {
  // Joining from a callback would wait for itself.
  assert(std::this_thread::get_id() != impl_->thread.get_id());
  close();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Status Client::send(std::string text) {
  if (!impl_->conn->usable) return Status(Code::kFailedPrecondition, "not connected");
  boost::asio::post(impl_->io, [conn = impl_->conn, text = std::move(text)]() mutable {
    conn->send(std::move(text));
  });
  return Status::ok();
}

void Client::close() {
  if (impl_->conn->closeRequested.exchange(true)) return;
  impl_->conn->usable = false;
  boost::asio::post(impl_->io, [conn = impl_->conn] { conn->close(); });
}

bool Client::connected() const {
  return impl_->conn->usable;
}

ClientOptions clientOptionsFromEnvironment() {
  ClientOptions o;
  if (const char* ca = std::getenv("TAPIR_CA_FILE"); ca != nullptr) o.caFile = ca;
  if (const char* v = std::getenv("TAPIR_TLS_VERIFY"); v != nullptr && std::string_view(v) == "0")
    o.verifyPeer = false;
  return o;
}

}  // namespace tapir::net
