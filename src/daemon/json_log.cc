#include "daemon/json_log.h"

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <string_view>

namespace tapir::daemon {

namespace {

void append(spdlog::memory_buf_t& dest, std::string_view s) {
  dest.append(s.data(), s.data() + s.size());
}

// JSON string escaping; bytes >= 0x80 pass through (spdlog text is UTF-8).
void appendEscaped(spdlog::memory_buf_t& dest, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      dest.push_back('\\');
      dest.push_back(ch);
    } else if (c == '\n') {
      append(dest, "\\n");
    } else if (c < 0x20) {
      const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      dest.append(esc, esc + sizeof esc);
    } else {
      dest.push_back(ch);
    }
  }
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    const auto t = system_clock::to_time_t(msg.time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    const auto ms = duration_cast<milliseconds>(msg.time.time_since_epoch()).count() % 1000;
    const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    append(dest, "{\"time\":\"");
    append(dest, std::string_view(stamp, n));
    const char frac[] = {'.', char('0' + ms / 100), char('0' + ms / 10 % 10), char('0' + ms % 10),
                         'Z'};
    dest.append(frac, frac + sizeof frac);
    append(dest, "\",\"level\":\"");
    const auto level = spdlog::level::to_string_view(msg.level);
    append(dest, std::string_view(level.data(), level.size()));
    append(dest, "\",\"msg\":\"");
    appendEscaped(dest, std::string_view(msg.payload.data(), msg.payload.size()));
    append(dest, "\"}\n");
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

void useJsonLogs() {
  spdlog::default_logger()->set_formatter(std::make_unique<JsonFormatter>());
}

}  // namespace tapir::daemon
