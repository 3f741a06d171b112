// wss://: the same server and client over TLS, with a certificate made here.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "net_fixture.h"

namespace tapir::net::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A self-signed certificate for 127.0.0.1 and localhost, and its key, as PEM
// files; the certificate doubles as the client's CA file.
bool writeSelfSigned(const std::string& certPath, const std::string& keyPath) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!key || !cert) return false;
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("tapir test"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* san =
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  if (!san) return false;
  X509_add_ext(cert.get(), san, -1);
  X509_EXTENSION_free(san);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return false;

  std::unique_ptr<FILE, decltype(&std::fclose)> certFile(std::fopen(certPath.c_str(), "w"),
                                                         std::fclose);
  std::unique_ptr<FILE, decltype(&std::fclose)> keyFile(std::fopen(keyPath.c_str(), "w"),
                                                        std::fclose);
  return certFile && keyFile && PEM_write_X509(certFile.get(), cert.get()) == 1 &&
         PEM_write_PrivateKey(keyFile.get(), key.get(), nullptr, nullptr, 0, nullptr,
                              nullptr) == 1;
}

class TlsTest : public NetTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(writeSelfSigned(cert_, key_));
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
