// Outbox: provider events queued in order and delivered on a later loop turn.
//
// Requests never call the listener directly, so the service is never
// re-entered from inside its own call into the switch, and replies keep their
// place among the state changes they caused.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "base/event_loop.h"
#include "tapir/provider.h"

namespace tapir::pbx {

class Outbox {
 public:
  explicit Outbox(EventLoop& loop) : loop_(loop) {}
  void setListener(ProviderListener* listener) { listener_ = listener; }

  void reply(RequestId req, Status status, ReplyData data = {});
  void newCall(CallId call, LineId line, std::uint32_t address);
  void callState(CallId call, CallState state, std::uint32_t mode);
  void callInfo(CallId call, std::uint32_t fields);
  void lineEvent(LineId line, std::uint32_t event, std::uint32_t p1, std::uint32_t p2);
  void addressEvent(LineId line, std::uint32_t address, std::uint32_t events);
  void digit(CallId call, char digit);

  // Delivers everything queued now (tests and shutdown); normally a posted task does.
  void flush();

 private:
  enum class Kind : std::uint8_t {
    kReply,
    kNewCall,
    kCallState,
    kCallInfo,
    kLine,
    kAddress,
    kDigit
  };
  struct Event {
    Kind kind;
    std::uint64_t id;  // call or line
    std::uint32_t a;
    std::uint32_t b;
    std::uint32_t c;
  };
  struct Reply {
    Status status;
    ReplyData data;
  };
  void push(const Event& e);

  EventLoop& loop_;
  ProviderListener* listener_ = nullptr;
  std::vector<Event> events_;
  std::vector<Event> delivering_;
  std::deque<Reply> replies_;
  bool scheduled_ = false;
  bool flushing_ = false;
};

}  // namespace tapir::pbx
