#include "net/endpoint.h"

#include <arpa/inet.h>
#include <sys/un.h>

#include <charconv>

namespace tapir::net {
namespace {

Status bad(std::string_view text, std::string_view why) {
  return Status(Code::kInvalidArgument, std::string(text) + ": " + std::string(why));
}

bool isIpv4(const std::string& s) {
  in_addr a;
  return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool isIpv6(const std::string& s) {
  in6_addr a;
  return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? char(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

Result<Endpoint> parseUnix(std::string_view text, std::string_view path) {
  if (path.empty()) return bad(text, "empty socket path");
  if (path.find('\0') != std::string_view::npos) return bad(text, "NUL in socket path");
  // bind() needs the path and its terminating NUL to fit in sun_path.
  if (path.size() >= sizeof(sockaddr_un{}.sun_path)) return bad(text, "socket path too long");
  Endpoint e;
  e.kind = Endpoint::Kind::kUnix;
  e.path = std::string(path);
  return e;
}

Result<Endpoint> parseInet(std::string_view text, Endpoint::Kind kind, std::string_view rest) {
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return bad(text, "only HOST:PORT may follow the scheme");
  }
  std::string host;
  std::string_view portText;
  const bool bracketed = !rest.empty() && rest.front() == '[';
  if (bracketed) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return bad(text, "missing ']'");
    host = std::string(rest.substr(1, close - 1));
    if (!isIpv6(host)) return bad(text, "bad IPv6 address");
    rest.remove_prefix(close + 1);
    if (rest.empty() || rest.front() != ':') return bad(text, "missing port");
    portText = rest.substr(1);
  } else {
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) return bad(text, "missing port");
    host = std::string(rest.substr(0, colon));
    portText = rest.substr(colon + 1);
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (portText.empty() || portText.size() > 5 || ec != std::errc() ||
      end != portText.data() + portText.size() || port > 65535) {
    return bad(text, "bad port");
  }
  if (!bracketed) {
    if (host.empty()) return bad(text, "missing host");
    if (iequals(host, "localhost")) {
      host = "localhost";
    } else if (!isIpv4(host)) {
      return bad(text, "bad host (want an IPv4 address, [IPv6] or localhost)");
    }
  }
  Endpoint e;
  e.kind = kind;
  e.host = std::move(host);
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

}  // namespace

std::string Endpoint::toString() const {
  if (kind == Kind::kUnix) return "unix:" + path;
  std::string text = kind == Kind::kWss ? "wss://" : "ws://";
  if (host.find(':') != std::string::npos) {
    text += "[" + host + "]";
  } else {
    text += host;
  }
  return text + ":" + std::to_string(port);
}

Result<Endpoint> parseEndpoint(std::string_view text) {
  constexpr std::string_view kUnix = "unix:", kWs = "ws://", kWss = "wss://";
  if (text.starts_with(kUnix)) return parseUnix(text, text.substr(kUnix.size()));
  if (text.starts_with(kWs)) return parseInet(text, Endpoint::Kind::kWs, text.substr(kWs.size()));
  if (text.starts_with(kWss)) {
    return parseInet(text, Endpoint::Kind::kWss, text.substr(kWss.size()));
  }
  return bad(text, "unknown scheme (want unix:PATH, ws://HOST:PORT or wss://HOST:PORT)");
}

}  // namespace tapir::net
