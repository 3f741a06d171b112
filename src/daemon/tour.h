// The tour `make run` shows: a scripted walk through the session operations
// on the demo switch, printing every party's state changes as they happen.
#pragma once

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "pbx/virtual/virtual_pbx.h"
#include "tapir/provider.h"

namespace tapir::daemon {

class Tour final : public ProviderListener {
 public:
  Tour(EventLoop& loop, pbx::sim::VirtualPbx& pbx, std::ostream& out);

  // Runs the tour on the loop; `done(ok)` is called at the end.
  void start(std::function<void(bool)> done);

  void onReply(RequestId req, const Status& status, const ReplyData& data) override;
  void onNewCall(CallId call, LineId line, std::uint32_t address) override;
  void onCallState(CallId call, CallState state, std::uint32_t mode) override;
  void onCallInfo(CallId call, std::uint32_t changed) override;
  void onLineEvent(LineId line, std::uint32_t event, std::uint32_t p1, std::uint32_t p2) override;
  void onAddressEvent(LineId line, std::uint32_t address, std::uint32_t events) override;
  void onDigit(CallId call, char digit) override;

 private:
  struct Step {
    std::string title;
    std::function<Status()> action;
    std::function<bool()> done;
  };
  void build();
  void step(std::string title, std::function<Status()> action, std::function<bool()> done);
  void runNext();
  void check();
  void finish(bool ok);

  // Helpers for the steps.
  LineId line(const std::string& number);
  std::string where(CallId call);
  std::string label(CallId call);
  std::string stamp();
  bool is(CallId call, CallState state);
  CallId newestAt(const std::string& number);
  RequestId request() { return ++lastRequest_; }

  EventLoop& loop_;
  pbx::sim::VirtualPbx& pbx_;
  pbx::Switch& sw_;
  std::ostream& out_;
  std::vector<Step> steps_;
  std::size_t next_ = 0;
  TimePoint started_{};
  TimePoint stepDeadline_{};
  TimerId poll_;
  std::function<void(bool)> done_;
  RequestId lastRequest_ = 0;
  std::map<RequestId, Status> replies_;
  std::map<RequestId, ReplyData> replyData_;
  std::map<CallId, int> labels_;
  std::map<LineId, std::vector<CallId>> newCalls_;
  // Calls the steps refer to.
  std::map<std::string, CallId> calls_;
  std::string orbit_;
};

}  // namespace tapir::daemon
