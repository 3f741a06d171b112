#include "pbx/core/outbox.h"

namespace tapir::pbx {

void Outbox::push(const Event& e) {
  events_.push_back(e);
  if (!scheduled_) {
    scheduled_ = true;
    loop_.post([this] { flush(); });
  }
}

void Outbox::reply(RequestId req, Status status, ReplyData data) {
  replies_.push_back(Reply{std::move(status), std::move(data)});
  push(Event{Kind::kReply, 0, req, 0, 0});
}

void Outbox::newCall(CallId call, LineId line, std::uint32_t address) {
  push(Event{Kind::kNewCall, call.value(), static_cast<std::uint32_t>(line.index()),
             line.generation(), address});
}

void Outbox::callState(CallId call, CallState state, std::uint32_t mode) {
  push(Event{Kind::kCallState, call.value(), bit(state), mode, 0});
}

void Outbox::callInfo(CallId call, std::uint32_t fields) {
  push(Event{Kind::kCallInfo, call.value(), fields, 0, 0});
}

void Outbox::lineEvent(LineId line, std::uint32_t event, std::uint32_t p1, std::uint32_t p2) {
  push(Event{Kind::kLine, line.value(), event, p1, p2});
}

void Outbox::addressEvent(LineId line, std::uint32_t address, std::uint32_t events) {
  push(Event{Kind::kAddress, line.value(), address, events, 0});
}

void Outbox::digit(CallId call, char d) {
  push(Event{Kind::kDigit, call.value(), static_cast<unsigned char>(d), 0, 0});
}

void Outbox::flush() {
  if (flushing_) return;  // a listener called flush(): the outer loop delivers
  flushing_ = true;
  scheduled_ = false;
  // Listeners may queue more events; those go to the next flush.
  delivering_.swap(events_);
  for (const Event& e : delivering_) {
    if (e.kind == Kind::kReply) {
      Reply r = std::move(replies_.front());
      replies_.pop_front();
      if (listener_) listener_->onReply(e.a, r.status, r.data);
      continue;
    }
    if (!listener_) continue;
    switch (e.kind) {
      case Kind::kNewCall:
        listener_->onNewCall(CallId::fromValue(e.id), LineId(e.a, e.b), e.c);
        break;
      case Kind::kCallState:
        listener_->onCallState(CallId::fromValue(e.id), static_cast<CallState>(e.a), e.b);
        break;
      case Kind::kCallInfo:
        listener_->onCallInfo(CallId::fromValue(e.id), e.a);
        break;
      case Kind::kLine:
        listener_->onLineEvent(LineId::fromValue(e.id), e.a, e.b, e.c);
        break;
      case Kind::kAddress:
        listener_->onAddressEvent(LineId::fromValue(e.id), e.a, e.b);
        break;
      case Kind::kDigit:
        listener_->onDigit(CallId::fromValue(e.id), static_cast<char>(e.a));
        break;
      case Kind::kReply:
        break;
    }
  }
  delivering_.clear();
  flushing_ = false;
}

}  // namespace tapir::pbx
