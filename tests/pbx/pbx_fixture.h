// Test fixture: a VirtualPbx on a SimLoop, with a listener that records every
// provider event, and helpers to drive requests and read the results.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "base/sim_loop.h"
#include "pbx/config.h"
#include "pbx/virtual/virtual_pbx.h"

namespace tapir {
// Readable failures: states by name.
inline void PrintTo(CallState s, std::ostream* os) {
  *os << callStateName(s);
}
inline void PrintTo(const Status& s, std::ostream* os) {
  *os << s.toString();
}
inline void PrintTo(Fault f, std::ostream* os) {
  *os << faultName(f);
}
}  // namespace tapir

namespace tapir::pbx::testing {

struct Recorded {
  enum class Kind { kReply, kNewCall, kState, kInfo, kLine, kAddress, kDigit };
  Kind kind;
  CallId call;
  LineId line;
  std::uint32_t a = 0;  // state / info fields / line event / address
  std::uint32_t b = 0;  // mode / p1 / events
  std::uint32_t c = 0;  // p2
  RequestId request = 0;
  Status status;
  ReplyData data;
};

class Recorder : public ProviderListener {
 public:
  void onReply(RequestId req, const Status& st, const ReplyData& data) override;
  void onNewCall(CallId call, LineId line, std::uint32_t address) override;
  void onCallState(CallId call, CallState state, std::uint32_t mode) override;
  void onCallInfo(CallId call, std::uint32_t changed) override;
  void onLineEvent(LineId line, std::uint32_t event, std::uint32_t p1, std::uint32_t p2) override;
  void onAddressEvent(LineId line, std::uint32_t address, std::uint32_t events) override;
  void onDigit(CallId call, char digit) override;

  std::vector<Recorded> events;
  std::map<RequestId, Status> replies;
  std::map<RequestId, ReplyData> replyData;
  // The states a call went through, in order.
  std::vector<CallState> states(CallId call) const;
  std::vector<std::pair<CallState, std::uint32_t>> statesWithModes(CallId call) const;
  // Calls announced with onNewCall on a line, oldest first.
  std::vector<CallId> newCalls(LineId line) const;
  std::string digits(CallId call) const;
  std::size_t count(Recorded::Kind kind) const;
  // Index of the first event matching, or -1.
  int indexOf(Recorded::Kind kind, CallId call, std::uint32_t a = 0) const;
  int replyIndex(RequestId req) const;
};

// Loads a configuration text, or fails the test.
PbxConfig configFromText(const std::string& toml);
PbxConfig demoConfig();

class PbxTest : public ::testing::Test {
 protected:
  PbxTest() = default;
  void SetUp() override { start(demoConfig()); }
  void start(PbxConfig config);

  Switch& sw() { return pbx_->sw(); }
  sim::VirtualWorld& world() { return pbx_->world(); }

  LineId line(const std::string& number);
  std::uint32_t stationOf(const std::string& number);
  RequestId req() { return ++lastRequest_; }

  void settle() { loop_->runUntilIdle(); }
  void advance(Duration d) { loop_->advance(d); }
  void advanceSeconds(int s) { loop_->advance(std::chrono::seconds(s)); }

  // Requests that must be accepted and must succeed.
  CallId makeCall(const std::string& from, const std::string& dest, const CallParams& params = {});
  void ok(RequestId r, const Status& sync);
  // Requests whose reply is awaited; returns the reply (or the synchronous error).
  Status outcome(RequestId r, const Status& sync);

  CallState state(CallId call);
  std::uint32_t mode(CallId call);
  const CallInfo& info(CallId call);
  // The newest call announced on a number's line.
  CallId offeredAt(const std::string& number);
  // 201 calls 202, 202 answers: both CONNECTED.
  std::pair<CallId, CallId> connect(const std::string& from, const std::string& to);

  // Each start() gets a fresh loop, so nothing queued for an old switch runs.
  std::unique_ptr<SimLoop> loop_;
  Recorder rec_;
  std::unique_ptr<sim::VirtualPbx> pbx_;
  RequestId lastRequest_ = 0;
};

}  // namespace tapir::pbx::testing
