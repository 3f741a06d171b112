#include "net/endpoint.h"

#include <gtest/gtest.h>

#include <string>

namespace tapir::net {
namespace {

TEST(EndpointTest, ParsesUnix) {
  auto e = parseEndpoint("unix:/run/tapir/tapird.sock");
  ASSERT_TRUE(e.isOk()) << e.status().toString();
  EXPECT_EQ(e->kind, Endpoint::Kind::kUnix);
  EXPECT_EQ(e->path, "/run/tapir/tapird.sock");
  EXPECT_EQ(e->toString(), "unix:/run/tapir/tapird.sock");
}

TEST(EndpointTest, ParsesTcp) {
  struct Case {
    const char* text;
    Endpoint::Kind kind;
    const char* host;
    std::uint16_t port;
    const char* back;
  };
  const Case cases[] = {
      {"ws://127.0.0.1:5555", Endpoint::Kind::kWs, "127.0.0.1", 5555, "ws://127.0.0.1:5555"},
      {"ws://0.0.0.0:0", Endpoint::Kind::kWs, "0.0.0.0", 0, "ws://0.0.0.0:0"},
      {"ws://[::1]:80", Endpoint::Kind::kWs, "::1", 80, "ws://[::1]:80"},
      {"wss://[fe80::1]:65535/", Endpoint::Kind::kWss, "fe80::1", 65535, "wss://[fe80::1]:65535"},
      {"wss://localhost:5556", Endpoint::Kind::kWss, "localhost", 5556, "wss://localhost:5556"},
      {"ws://LocalHost:1/", Endpoint::Kind::kWs, "localhost", 1, "ws://localhost:1"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto e = parseEndpoint(c.text);
    ASSERT_TRUE(e.isOk()) << e.status().toString();
    EXPECT_EQ(e->kind, c.kind);
    EXPECT_EQ(e->host, c.host);
    EXPECT_EQ(e->port, c.port);
    EXPECT_EQ(e->toString(), c.back);
    auto again = parseEndpoint(e->toString());
    ASSERT_TRUE(again.isOk());
    EXPECT_EQ(*again, *e);
  }
}

TEST(EndpointTest, RejectsBadText) {
  struct Case {
    const char* text;
    const char* why;
  };
  const Case cases[] = {
      {"", "unknown scheme"},
      {"http://127.0.0.1:80", "unknown scheme"},
      {"WS://127.0.0.1:80", "unknown scheme"},
      {"unix:", "empty socket path"},
      {"ws://", "missing port"},
      {"ws://127.0.0.1", "missing port"},
      {"ws://127.0.0.1:", "bad port"},
      {"ws://x:y", "bad port"},
      {"ws://127.0.0.1:65536", "bad port"},
      {"ws://127.0.0.1:-1", "bad port"},
      {"ws://127.0.0.1:+80", "bad port"},
      {"ws://127.0.0.1:80x", "bad port"},
      {"ws://127.0.0.1:000080", "bad port"},
      {"ws://:80", "missing host"},
      {"ws://example.com:80", "bad host"},
      {"ws://1.2.3:80", "bad host"},
      {"ws://256.1.1.1:80", "bad host"},
      {"ws://::1:80", "bad host"},
      {"ws://[::1:80", "missing ']'"},
      {"ws://[zz::1]:80", "bad IPv6 address"},
      {"ws://[::1]80", "missing port"},
      {"ws://127.0.0.1:80/tapir", "only HOST:PORT"},
      {"ws://127.0.0.1:80?x=1", "only HOST:PORT"},
      {"ws://me@127.0.0.1:80", "only HOST:PORT"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto e = parseEndpoint(c.text);
    ASSERT_FALSE(e.isOk());
    EXPECT_EQ(e.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(e.status().message().rfind(std::string(c.text) + ": ", 0), 0u)
        << e.status().message();
    EXPECT_NE(e.status().message().find(c.why), std::string::npos) << e.status().message();
  }
}

TEST(EndpointTest, MessageNamesTheText) {
  auto e = parseEndpoint("ws://x:y");
  ASSERT_FALSE(e.isOk());
  EXPECT_EQ(e.status().message(), "ws://x:y: bad port");
}

TEST(EndpointTest, RejectsUnixPathTooLongForBind) {
  EXPECT_TRUE(parseEndpoint("unix:/" + std::string(106, 'a')).isOk());
  auto e = parseEndpoint("unix:/" + std::string(107, 'a'));
  ASSERT_FALSE(e.isOk());
  EXPECT_NE(e.status().message().find("too long"), std::string::npos);
}

}  // namespace
}  // namespace tapir::net
