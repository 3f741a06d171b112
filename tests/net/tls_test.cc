// wss://: the same server and client over TLS, with a certificate made here.
#include <unistd.h>

#include "net_fixture.h"
#include "support/certificate.h"

namespace tapir::net::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class TlsTest : public NetTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tapir::testing::writeSelfSigned(cert_, key_));
    options_.certFile = cert_;
    options_.keyFile = key_;
  }
  void TearDown() override {
    NetTest::TearDown();
    ::unlink(cert_.c_str());
    ::unlink(key_.c_str());
  }

  const std::string cert_ = tempPath(std::string(testName()) + ".crt");
  const std::string key_ = tempPath(std::string(testName()) + ".key");
  ServerOptions options_;

 private:
  static const char* testName() {
    return ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
};

TEST_F(TlsTest, EchoWithTheCaFile) {
  auto e = start("wss://127.0.0.1:0", options_);
  EXPECT_EQ(e.kind, Endpoint::Kind::kWss);
  Inbox inbox;
  ClientOptions o;
  o.caFile = cert_;
  auto client = connect(e, inbox, o);
  ASSERT_TRUE(client);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(client->send("m" + std::to_string(i)).isOk());
  ASSERT_TRUE(inbox.waitMessages(20));
  auto got = inbox.messages();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(got[i], "m" + std::to_string(i));
  ASSERT_TRUE(handler_.waitOpened(1));
  EXPECT_EQ(handler_.peer(handler_.opened().at(0)).address.rfind("127.0.0.1:", 0), 0u);
}

TEST_F(TlsTest, EchoOverLocalhostName) {
  auto e = start("wss://localhost:0", options_);
  Inbox inbox;
  ClientOptions o;
  o.caFile = cert_;
  auto client = connect(e, inbox, o);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send("hi").isOk());
  ASSERT_TRUE(inbox.waitMessages(1));
}

TEST_F(TlsTest, UntrustedCertificateIsRefused) {
  auto e = start("wss://127.0.0.1:0", options_);
  Inbox inbox;
  // The system's CAs do not know our certificate.
  auto r = Client::connect(e, {}, inbox.onMessage(), inbox.onClose());
  ASSERT_FALSE(r.isOk());
  EXPECT_TRUE(contains(r.status().message(), "TLS handshake")) << r.status().message();
  EXPECT_EQ(inbox.closeCount(), 0);
}

TEST_F(TlsTest, VerificationCanBeSkipped) {
  auto e = start("wss://127.0.0.1:0", options_);
  Inbox inbox;
  ClientOptions o;
  o.verifyPeer = false;
  auto client = connect(e, inbox, o);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send("hi").isOk());
  ASSERT_TRUE(inbox.waitMessages(1));
}

TEST_F(TlsTest, CloseAllOverTls) {
  auto e = start("wss://127.0.0.1:0", options_);
  Inbox inbox;
  ClientOptions o;
  o.caFile = cert_;
  auto client = connect(e, inbox, o);
  ASSERT_TRUE(client);
  ASSERT_TRUE(handler_.waitOpened(1));
  onIo([this] { server_->closeAll("bye"); });
  ASSERT_TRUE(inbox.waitClosed());
  EXPECT_TRUE(contains(inbox.closed()->message(), "(1001): bye")) << inbox.closed()->message();
}

TEST_F(TlsTest, PlainClientOnTlsListenerIsDropped) {
  auto e = start("wss://127.0.0.1:0", options_);
  Inbox inbox;
  Endpoint plain = e;
  plain.kind = Endpoint::Kind::kWs;
  auto r = Client::connect(plain, {}, inbox.onMessage(), inbox.onClose());
  EXPECT_FALSE(r.isOk());
  EXPECT_TRUE(handler_.opened().empty());
}

TEST(TlsListenTest, NeedsCertificateAndKey) {
  boost::asio::io_context io;
  RecordingHandler handler;
  Server server(io, handler);
  auto r = server.listen(*parseEndpoint("wss://127.0.0.1:0"));
  ASSERT_FALSE(r.isOk());
  EXPECT_TRUE(contains(r.status().message(), "certFile")) << r.status().message();

  ServerOptions o;
  o.certFile = tempPath("missing.crt");
  o.keyFile = tempPath("missing.key");
  Server missing(io, handler, o);
  r = missing.listen(*parseEndpoint("wss://127.0.0.1:0"));
  ASSERT_FALSE(r.isOk());
  EXPECT_TRUE(contains(r.status().message(), "missing.crt")) << r.status().message();
}

}  // namespace
}  // namespace tapir::net::testing
