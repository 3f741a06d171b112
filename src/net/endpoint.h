// Where a tapird WebSocket listens or a client connects, parsed from text.
//
//   unix:/run/tapir/tapird.sock   WebSocket over a Unix stream socket
//   ws://127.0.0.1:5555           WebSocket over TCP; HOST is an IPv4 address,
//   ws://[::1]:5555               [IPv6] or localhost (the IPv4 loopback)
//   wss://0.0.0.0:5556            the same over TLS
//
// Port 0 asks a server for an ephemeral port. A trailing "/" is accepted;
// any other path, a query or user info is an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tapir/status.h"

namespace tapir::net {

struct Endpoint {
  enum class Kind { kUnix, kWs, kWss };

  Kind kind = Kind::kUnix;
  std::string path;  // kUnix: the socket file
  std::string host;  // kWs, kWss: an address ("::1" without brackets) or "localhost"
  std::uint16_t port = 0;

  // Back to the text form parseEndpoint reads ("ws://[::1]:5555").
  std::string toString() const;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

Result<Endpoint> parseEndpoint(std::string_view text);

}  // namespace tapir::net
