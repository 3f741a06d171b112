// The WebSocket server and client over unix: and ws:// on real sockets.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "net_fixture.h"

namespace tapir::net::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using unix_socket = asio::local::stream_protocol;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

tcp::endpoint tcpOf(const Endpoint& e) {
  return {asio::ip::make_address(e.host), e.port};
}

// A blocking socket that gives up after kPatience, so a server that fails to
// close it turns into a test failure rather than a hang.
template <class Socket>
void bound(Socket& s) {
  timeval tv{std::chrono::seconds(kPatience).count(), 0};
  setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

// Reads until the server closes the socket; the error that ended it.
template <class Socket>
boost::system::error_code readToEnd(Socket& s) {
  char buf[512];
  boost::system::error_code ec;
  while (!ec) s.read_some(asio::buffer(buf), ec);
  return ec;
}

bool closedByPeer(const boost::system::error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset;
}

template <class Socket>
http::response<http::string_body> httpGet(Socket& s, const std::string& target) {
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "localhost");
  http::write(s, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(s, buffer, res);
  return res;
}

class ServerTest : public NetTest {
 protected:
  // Several clients at once, messages interleaved; each gets its own back, in order.
  void echoes(const Endpoint& e, int clientCount, int messageCount) {
    std::vector<Inbox> inboxes(clientCount);
    std::vector<std::unique_ptr<Client>> clients;
    for (auto& inbox : inboxes) {
      clients.push_back(connect(e, inbox));
      ASSERT_TRUE(clients.back());
    }
    for (int m = 0; m < messageCount; ++m) {
      for (int i = 0; i < clientCount; ++i) {
        ASSERT_TRUE(clients[i]->send("client " + std::to_string(i) + " message " +
                                     std::to_string(m))
                        .isOk());
      }
    }
    for (int i = 0; i < clientCount; ++i) {
      ASSERT_TRUE(inboxes[i].waitMessages(messageCount));
      auto got = inboxes[i].messages();
      ASSERT_EQ(got.size(), std::size_t(messageCount));
      for (int m = 0; m < messageCount; ++m) {
        EXPECT_EQ(got[m], "client " + std::to_string(i) + " message " + std::to_string(m));
      }
    }
    EXPECT_EQ(onIo([this] { return server_->connectionCount(); }), std::size_t(clientCount));
  }

  // A WebSocket handshake by hand, for clients that misbehave.
  std::unique_ptr<websocket::stream<tcp::socket>> rawWebSocket(const Endpoint& e) {
    auto ws = std::make_unique<websocket::stream<tcp::socket>>(rawIo_);
    ws->next_layer().connect(tcpOf(e));
    bound(ws->next_layer());
    ws->handshake("127.0.0.1", "/");
    return ws;
  }

  asio::io_context rawIo_;
};

TEST_F(ServerTest, EchoOverUnixWithSeveralClients) {
  auto e = start("unix:" + tempPath("echo.sock"));
  echoes(e, 4, 50);
}

TEST_F(ServerTest, EchoOverTcpWithSeveralClients) {
  auto e = start("ws://127.0.0.1:0");
  EXPECT_NE(e.port, 0);
  echoes(e, 5, 50);
}

TEST_F(ServerTest, EchoOverTcpLocalhost) {
  auto e = start("ws://localhost:0");
  echoes(e, 1, 3);
}

TEST_F(ServerTest, MessagesKeepTheirOrderBothWays) {
  // "burst N" makes the server send N messages before echoing it.
  handler_.onMessageHook = [](const std::shared_ptr<Connection>& c, const std::string& text) {
    if (text.rfind("burst ", 0) != 0) return;
    int n = std::stoi(text.substr(6));
    for (int i = 0; i < n; ++i) c->send("b" + std::to_string(i));
  };
  auto e = start("ws://127.0.0.1:0");
  Inbox inbox;
  auto client = connect(e, inbox);
  ASSERT_TRUE(client);
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(client->send("m" + std::to_string(i)).isOk());
  ASSERT_TRUE(client->send("burst 1000").isOk());
  ASSERT_TRUE(inbox.waitMessages(1501));
  auto got = inbox.messages();
  ASSERT_EQ(got.size(), 1501u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(got[i], "m" + std::to_string(i));
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(got[500 + i], "b" + std::to_string(i));
  EXPECT_EQ(got[1500], "burst 1000");
}

TEST_F(ServerTest, OversizedMessageClosesThatClientOnly) {
  ServerOptions options;
  options.maxMessageBytes = 1024;
  auto e = start("ws://127.0.0.1:0", options);
  Inbox bigInbox, smallInbox;
  auto big = connect(e, bigInbox);
  auto small = connect(e, smallInbox);
  ASSERT_TRUE(big && small);
  ASSERT_TRUE(handler_.waitOpened(2));

  ASSERT_TRUE(big->send(std::string(1025, 'x')).isOk());
  ASSERT_TRUE(bigInbox.waitClosed());
  EXPECT_FALSE(bigInbox.closed()->isOk());
  EXPECT_TRUE(contains(bigInbox.closed()->message(), "(1009)")) << bigInbox.closed()->message();
  EXPECT_FALSE(big->connected());
  EXPECT_FALSE(big->send("again").isOk());

  ASSERT_TRUE(handler_.waitClosedCount(1));
  auto id = handler_.closedIds().at(0);
  EXPECT_TRUE(contains(handler_.why(id), "message over 1024 bytes")) << handler_.why(id);

  // At the limit is fine, and the other client never noticed.
  ASSERT_TRUE(small->send(std::string(1024, 'y')).isOk());
  ASSERT_TRUE(smallInbox.waitMessages(1));
  EXPECT_EQ(smallInbox.messages().at(0), std::string(1024, 'y'));
  EXPECT_TRUE(small->connected());
  EXPECT_EQ(handler_.closedIds().size(), 1u);
}

TEST_F(ServerTest, GarbageInsteadOfAHandshakeClosesThatSocketOnly) {
  ServerOptions options;
  options.handshakeTimeout = std::chrono::minutes(10);  // the garbage, not a timer, must end it
  auto e = start("ws://127.0.0.1:0", options);
  Inbox inbox;
  auto client = connect(e, inbox);
  ASSERT_TRUE(client);

  tcp::socket raw(rawIo_);
  raw.connect(tcpOf(e));
  bound(raw);
  asio::write(raw, asio::buffer(std::string("\x16\x03\x01\x00\xffgarbage\r\n\r\n", 16)));
  auto ec = readToEnd(raw);
  EXPECT_TRUE(closedByPeer(ec)) << ec.message();

  ASSERT_TRUE(client->send("still fine").isOk());
  ASSERT_TRUE(inbox.waitMessages(1));
  EXPECT_EQ(handler_.opened().size(), 1u);
}

TEST_F(ServerTest, GarbageAfterTheHandshakeClosesThatConnectionOnly) {
  // Beast answers with a close frame (1002) and waits for the peer to hang
  // up, which this one never does: the idle timer ends the wait.
  ServerOptions options;
  options.idleTimeout = std::chrono::milliseconds(200);
  auto e = start("ws://127.0.0.1:0", options);
  Inbox inbox;
  auto client = connect(e, inbox);
  ASSERT_TRUE(client);
  auto ws = rawWebSocket(e);
  ASSERT_TRUE(handler_.waitOpened(2));

  asio::write(ws->next_layer(), asio::buffer(std::string(64, '\xff')));
  ASSERT_TRUE(handler_.waitClosedCount(1));
  auto why = handler_.why(handler_.closedIds().at(0));
  EXPECT_TRUE(contains(why, "bad frame from the client")) << why;

  ASSERT_TRUE(client->send("still fine").isOk());
  ASSERT_TRUE(inbox.waitMessages(1));
}

TEST_F(ServerTest, SilentClientIsCutOffWhileOneAnsweringPingsStays) {
  ServerOptions options;
  options.idleTimeout = std::chrono::milliseconds(200);
  auto e = start("ws://127.0.0.1:0", options);
  Inbox inbox;
  auto healthy = connect(e, inbox);
  ASSERT_TRUE(healthy);
  ASSERT_TRUE(handler_.waitOpened(1));
  auto silent = rawWebSocket(e);  // never reads, so never answers a ping
  ASSERT_TRUE(handler_.waitOpened(2));
  auto id = handler_.opened().at(1);
  ASSERT_TRUE(handler_.waitClosed(id));
  EXPECT_TRUE(contains(handler_.why(id), "no answer from the client")) << handler_.why(id);

  // The healthy client was connected longer and is still here.
  EXPECT_EQ(handler_.closeCount(handler_.opened().at(0)), 0);
  ASSERT_TRUE(healthy->send("alive").isOk());
  ASSERT_TRUE(inbox.waitMessages(1));
}

TEST_F(ServerTest, BinaryMessageIsRefusedWith1003) {
  auto e = start("ws://127.0.0.1:0");
  auto ws = rawWebSocket(e);
  ASSERT_TRUE(handler_.waitOpened(1));
  ws->binary(true);
  ws->write(asio::buffer(std::string("{}")));
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  ws->read(buffer, ec);
  EXPECT_EQ(ec, websocket::error::closed) << ec.message();
  EXPECT_EQ(ws->reason().code, websocket::close_code::unknown_data);
  auto id = handler_.opened().at(0);
  ASSERT_TRUE(handler_.waitClosed(id));
  EXPECT_TRUE(contains(handler_.why(id), "binary")) << handler_.why(id);
}

TEST_F(ServerTest, ClientDisconnectGivesOneOnClose) {
  auto e = start("unix:" + tempPath("disconnect.sock"));
  Inbox inboxA, inboxB;
  auto a = connect(e, inboxA);
  auto b = connect(e, inboxB);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(handler_.waitOpened(2));

  a.reset();  // closes and waits for the server's close frame
  EXPECT_EQ(inboxA.closeCount(), 1);
  EXPECT_TRUE(inboxA.closed()->isOk()) << inboxA.closed()->toString();
  ASSERT_TRUE(handler_.waitClosedCount(1));
  auto id = handler_.closedIds().at(0);
  EXPECT_TRUE(contains(handler_.why(id), "closed by the client (1000)")) << handler_.why(id);

  // More traffic later: still one onClose for it.
  ASSERT_TRUE(b->send("x").isOk());
  ASSERT_TRUE(inboxB.waitMessages(1));
  EXPECT_EQ(handler_.closeCount(id), 1);
  EXPECT_EQ(onIo([this] { return server_->connectionCount(); }), 1u);
}

TEST_F(ServerTest, AbruptDisconnectGivesOneOnClose) {
  auto e = start("ws://127.0.0.1:0");
  auto ws = rawWebSocket(e);
  ASSERT_TRUE(handler_.waitOpened(1));
  ws->next_layer().close();  // no close frame
  auto id = handler_.opened().at(0);
  ASSERT_TRUE(handler_.waitClosed(id));
  EXPECT_TRUE(contains(handler_.why(id), "without a close frame")) << handler_.why(id);
  EXPECT_EQ(handler_.closeCount(id), 1);
}

TEST_F(ServerTest, CloseAllReachesEveryClient) {
  auto e = start("ws://127.0.0.1:0");
  std::vector<Inbox> inboxes(3);
  std::vector<std::unique_ptr<Client>> clients;
  for (auto& inbox : inboxes) {
    clients.push_back(connect(e, inbox));
    ASSERT_TRUE(clients.back());
  }
  ASSERT_TRUE(handler_.waitOpened(3));

  onIo([this] { server_->closeAll("shutting down"); });
  for (std::size_t i = 0; i < inboxes.size(); ++i) {
    ASSERT_TRUE(inboxes[i].waitClosed());
    auto why = *inboxes[i].closed();
    EXPECT_EQ(why.code(), Code::kUnavailable);
    EXPECT_TRUE(contains(why.message(), "(1001): shutting down")) << why.message();
    EXPECT_FALSE(clients[i]->connected());
    EXPECT_FALSE(clients[i]->send("late").isOk());
  }
  ASSERT_TRUE(handler_.waitClosedCount(3));
  for (auto id : handler_.closedIds()) {
    EXPECT_TRUE(contains(handler_.why(id), "closed (1001): shutting down")) << handler_.why(id);
  }
  EXPECT_EQ(onIo([this] { return server_->connectionCount(); }), 0u);
}

TEST_F(ServerTest, ServerCloseWithPolicyCode) {
  auto e = start("ws://127.0.0.1:0");
  Inbox inbox;
  auto client = connect(e, inbox);
  ASSERT_TRUE(client);
  ASSERT_TRUE(handler_.waitOpened(1));
  auto id = handler_.opened().at(0);
  onIo([&] {
    auto c = handler_.connection(id);
    c->send("last words");
    c->close(CloseCode::kPolicyViolation, "bad request");
    c->send("dropped");
  });
  ASSERT_TRUE(inbox.waitClosed());
  EXPECT_EQ(inbox.messages(), std::vector<std::string>{"last words"});
  EXPECT_TRUE(contains(inbox.closed()->message(), "(1008): bad request"))
      << inbox.closed()->message();
  EXPECT_FALSE(client->send("x").isOk());
}

TEST_F(ServerTest, DestroyingTheServerEndsEveryConnection) {
  auto e = start("ws://127.0.0.1:0");
  Inbox inbox;
  auto client = connect(e, inbox);
  ASSERT_TRUE(client);
  ASSERT_TRUE(handler_.waitOpened(1));
  auto id = handler_.opened().at(0);
  onIo([this] { server_.reset(); });
  EXPECT_EQ(handler_.closeCount(id), 1);
  EXPECT_TRUE(contains(handler_.why(id), "server shut down"));
  ASSERT_TRUE(inbox.waitClosed());
  EXPECT_FALSE(inbox.closed()->isOk());
}

TEST_F(ServerTest, MaxConnectionsRefusesTheUpgradeWith503) {
  ServerOptions options;
  options.maxConnections = 2;
  auto e = start("ws://127.0.0.1:0", options);
  Inbox inboxA, inboxB, inboxC;
  auto a = connect(e, inboxA);
  auto b = connect(e, inboxB);
  ASSERT_TRUE(a && b);

  auto refused = Client::connect(e, {}, inboxC.onMessage(), inboxC.onClose());
  ASSERT_FALSE(refused.isOk());
  EXPECT_TRUE(contains(refused.status().message(), "HTTP 503")) << refused.status().message();
  EXPECT_EQ(inboxC.closeCount(), 0);

  // Plain HTTP is not a connection: still answered.
  tcp::socket raw(rawIo_);
  raw.connect(tcpOf(e));
  bound(raw);
  EXPECT_EQ(httpGet(raw, "/health").result_int(), 200u);

  a.reset();
  ASSERT_TRUE(handler_.waitClosedCount(1));
  auto c = connect(e, inboxC);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->send("in").isOk());
  ASSERT_TRUE(inboxC.waitMessages(1));
}

TEST_F(ServerTest, PlainHttpGoesToOnHttp) {
  auto e = start("ws://127.0.0.1:0");
  auto unixEp = *parseEndpoint("unix:" + tempPath("http.sock"));
  auto listened = onIo([&] { return server_->listen(unixEp); });
  ASSERT_TRUE(listened.isOk()) << listened.status().toString();

  tcp::socket overTcp(rawIo_);
  overTcp.connect(tcpOf(e));
  bound(overTcp);
  auto health = httpGet(overTcp, "/health");
  EXPECT_EQ(health.result_int(), 200u);
  EXPECT_EQ(health.body(), "ok\n");
  EXPECT_EQ(health[http::field::content_type], "text/plain");
  EXPECT_TRUE(closedByPeer(readToEnd(overTcp)));

  unix_socket::socket overUnix(rawIo_);
  overUnix.connect(unix_socket::endpoint(unixEp.path));
  bound(overUnix);
  auto missing = httpGet(overUnix, "/metrics");
  EXPECT_EQ(missing.result_int(), 404u);
  EXPECT_EQ(missing.body(), "not found\n");
  EXPECT_TRUE(closedByPeer(readToEnd(overUnix)));
  EXPECT_TRUE(handler_.opened().empty());
}

TEST_F(ServerTest, PeerInfoNamesTheClient) {
  auto unixEp = start("unix:" + tempPath("peer.sock"));
  auto tcpEp = onIo([&] { return server_->listen(*parseEndpoint("ws://127.0.0.1:0")); });
  ASSERT_TRUE(tcpEp.isOk());
  Inbox inboxU, inboxT;
  auto overUnix = connect(unixEp, inboxU);
  ASSERT_TRUE(overUnix);
  ASSERT_TRUE(handler_.waitOpened(1));
  auto overTcp = connect(*tcpEp, inboxT);
  ASSERT_TRUE(overTcp);
  ASSERT_TRUE(handler_.waitOpened(2));

  auto u = handler_.peer(handler_.opened().at(0));
  EXPECT_TRUE(u.local);
  EXPECT_EQ(u.uid, getuid());
  EXPECT_EQ(u.pid, getpid());
  EXPECT_EQ(u.address, "unix");
  auto t = handler_.peer(handler_.opened().at(1));
  EXPECT_FALSE(t.local);
  EXPECT_FALSE(t.uid.has_value());
  EXPECT_EQ(t.address.rfind("127.0.0.1:", 0), 0u) << t.address;
}

TEST_F(ServerTest, SendAfterCloseIsAnError) {
  auto e = start("unix:" + tempPath("send-after-close.sock"));
  Inbox inbox;
  auto client = connect(e, inbox);
  ASSERT_TRUE(client);
  EXPECT_TRUE(client->connected());
  client->close();
  EXPECT_FALSE(client->connected());
  auto st = client->send("too late");
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  client->close();  // idempotent
  ASSERT_TRUE(inbox.waitClosed());
  EXPECT_TRUE(inbox.closed()->isOk());
  EXPECT_FALSE(client->send("still too late").isOk());
  client.reset();
  EXPECT_EQ(inbox.closeCount(), 1);
}

TEST_F(ServerTest, ClientThatDoesNotReadIsCutOff) {
  ServerOptions options;
  options.maxQueuedBytes = 64 * 1024;
  auto e = start("ws://127.0.0.1:0", options);
  auto ws = rawWebSocket(e);  // never reads
  ASSERT_TRUE(handler_.waitOpened(1));
  auto id = handler_.opened().at(0);
  onIo([&] {
    auto c = handler_.connection(id);
    for (int i = 0; i < 64 && handler_.closeCount(id) == 0; ++i) c->send(std::string(4096, 'z'));
  });
  ASSERT_TRUE(handler_.waitClosed(id));
  EXPECT_TRUE(contains(handler_.why(id), "send queue over 65536 bytes")) << handler_.why(id);
}

TEST_F(ServerTest, ClientRefusesOversizedMessage) {
  handler_.onMessageHook = [](const std::shared_ptr<Connection>& c, const std::string& text) {
    if (text == "big") c->send(std::string(2048, 'b'));
  };
  handler_.echo = false;
  auto e = start("ws://127.0.0.1:0");
  Inbox inbox;
  ClientOptions o;
  o.maxMessageBytes = 1024;
  auto client = connect(e, inbox, o);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send("big").isOk());
  ASSERT_TRUE(inbox.waitClosed());
  EXPECT_EQ(inbox.closed()->code(), Code::kResourceExhausted);
  EXPECT_TRUE(inbox.messages().empty());
  ASSERT_TRUE(handler_.waitClosedCount(1));
}

TEST_F(ServerTest, UnixSocketFileLifecycle) {
  const std::string path = tempPath("lifecycle.sock");
  {  // a stale socket file, as a crashed server leaves it
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ::close(fd);
  }
  auto e = start("unix:" + path);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0660u);

  const std::string regular = tempPath("regular-file");
  std::ofstream(regular) << "keep me\n";
  onIo([&] {
    RecordingHandler otherHandler;
    Server other(io_, otherHandler);
    auto live = other.listen(e);
    EXPECT_FALSE(live.isOk());
    EXPECT_TRUE(contains(live.status().message(), "another server")) << live.status().message();
    auto file = other.listen(*parseEndpoint("unix:" + regular));
    EXPECT_FALSE(file.isOk());
    EXPECT_TRUE(contains(file.status().message(), "not a socket")) << file.status().message();
  });
  EXPECT_EQ(stat(regular.c_str(), &st), 0);
  ::unlink(regular.c_str());

  Inbox inbox;
  auto client = connect(e, inbox);
  ASSERT_TRUE(client);
  onIo([this] { server_->stopListening(); });
  EXPECT_NE(stat(path.c_str(), &st), 0);
  EXPECT_EQ(errno, ENOENT);
  // Connections outlive the listener.
  ASSERT_TRUE(client->send("hello").isOk());
  ASSERT_TRUE(inbox.waitMessages(1));
}

TEST(ClientTest, ConnectFailuresAreErrors) {
  Inbox inbox;
  auto missing = *parseEndpoint("unix:" + tempPath("nobody-here.sock"));
  auto r = Client::connect(missing, {}, inbox.onMessage(), inbox.onClose());
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_EQ(r.status().message().rfind(missing.toString() + ": connect: ", 0), 0u)
      << r.status().message();

  // A port nobody listens on: bind one, then let it go.
  asio::io_context io;
  tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  Endpoint closed{Endpoint::Kind::kWs, "", "127.0.0.1", probe.local_endpoint().port()};
  probe.close();
  r = Client::connect(closed, {}, inbox.onMessage(), inbox.onClose());
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);

  r = Client::connect(*parseEndpoint("ws://127.0.0.1:0"), {}, inbox.onMessage(),
                      inbox.onClose());
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(inbox.closeCount(), 0);
}

TEST(ClientTest, SilentServerTimesOut) {
  // The kernel completes the TCP connect; nobody ever answers the upgrade.
  asio::io_context io;
  tcp::acceptor silent(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  Endpoint e{Endpoint::Kind::kWs, "", "127.0.0.1", silent.local_endpoint().port()};
  Inbox inbox;
  ClientOptions o;
  o.connectTimeout = std::chrono::milliseconds(100);
  auto r = Client::connect(e, o, inbox.onMessage(), inbox.onClose());
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), Code::kDeadlineExceeded);
  EXPECT_TRUE(contains(r.status().message(), "timed out")) << r.status().message();
}

}  // namespace
}  // namespace tapir::net::testing
