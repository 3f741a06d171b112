#include "pbx_fixture.h"

#include <fstream>
#include <sstream>

namespace tapir::pbx::testing {

void Recorder::onReply(RequestId req, const Status& st, const ReplyData& data) {
  Recorded r{Recorded::Kind::kReply, {}, {}};
  r.request = req;
  r.status = st;
  r.data = data;
  events.push_back(r);
  EXPECT_EQ(replies.count(req), 0u) << "request " << req << " replied twice";
  replies[req] = st;
  replyData[req] = data;
}
void Recorder::onNewCall(CallId call, LineId line, std::uint32_t address) {
  events.push_back(Recorded{Recorded::Kind::kNewCall, call, line, address});
}
void Recorder::onCallState(CallId call, CallState state, std::uint32_t mode) {
  events.push_back(Recorded{Recorded::Kind::kState, call, {}, bit(state), mode});
}
void Recorder::onCallInfo(CallId call, std::uint32_t changed) {
  events.push_back(Recorded{Recorded::Kind::kInfo, call, {}, changed});
}
void Recorder::onLineEvent(LineId line, std::uint32_t event, std::uint32_t p1, std::uint32_t p2) {
  events.push_back(Recorded{Recorded::Kind::kLine, {}, line, event, p1, p2});
}
void Recorder::onAddressEvent(LineId line, std::uint32_t address, std::uint32_t ev) {
  events.push_back(Recorded{Recorded::Kind::kAddress, {}, line, address, ev});
}
void Recorder::onDigit(CallId call, char digit) {
  events.push_back(Recorded{Recorded::Kind::kDigit, call, {}, static_cast<unsigned char>(digit)});
}

std::vector<CallState> Recorder::states(CallId call) const {
  std::vector<CallState> out;
  for (const auto& e : events)
    if (e.kind == Recorded::Kind::kState && e.call == call)
      out.push_back(static_cast<CallState>(e.a));
  return out;
}

std::vector<std::pair<CallState, std::uint32_t>> Recorder::statesWithModes(CallId call) const {
  std::vector<std::pair<CallState, std::uint32_t>> out;
  for (const auto& e : events)
    if (e.kind == Recorded::Kind::kState && e.call == call)
      out.emplace_back(static_cast<CallState>(e.a), e.b);
  return out;
}

std::vector<CallId> Recorder::newCalls(LineId line) const {
  std::vector<CallId> out;
  for (const auto& e : events)
    if (e.kind == Recorded::Kind::kNewCall && e.line == line) out.push_back(e.call);
  return out;
}

std::string Recorder::digits(CallId call) const {
  std::string out;
  for (const auto& e : events)
    if (e.kind == Recorded::Kind::kDigit && e.call == call) out += static_cast<char>(e.a);
  return out;
}

std::size_t Recorder::count(Recorded::Kind kind) const {
  std::size_t n = 0;
  for (const auto& e : events)
    n += e.kind == kind;
  return n;
}

int Recorder::indexOf(Recorded::Kind kind, CallId call, std::uint32_t a) const {
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (e.kind == kind && e.call == call && (a == 0 || e.a == a)) return static_cast<int>(i);
  }
  return -1;
}

int Recorder::replyIndex(RequestId req) const {
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].kind == Recorded::Kind::kReply && events[i].request == req)
      return static_cast<int>(i);
  return -1;
}

PbxConfig configFromText(const std::string& toml) {
  auto cfg = parseConfig(toml, "test.toml");
  EXPECT_TRUE(cfg.isOk()) << cfg.status().toString();
  return cfg.isOk() ? std::move(*cfg) : PbxConfig{};
}

PbxConfig demoConfig() {
  auto cfg = loadConfigFile(TAPIR_SOURCE_DIR "/etc/demo.toml");
  EXPECT_TRUE(cfg.isOk()) << cfg.status().toString();
  return cfg.isOk() ? std::move(*cfg) : PbxConfig{};
}

void PbxTest::start(PbxConfig config) {
  pbx_.reset();
  loop_ = std::make_unique<SimLoop>();
  auto pbx = sim::VirtualPbx::create(*loop_, std::move(config));
  ASSERT_TRUE(pbx.isOk()) << pbx.status().toString();
  pbx_ = std::move(*pbx);
  pbx_->sw().setListener(&rec_);
}

std::uint32_t PbxTest::stationOf(const std::string& number) {
  auto where = sw().findNumber(number);
  EXPECT_TRUE(where.isOk()) << number;
  return where.isOk() ? where->first : 0;
}

LineId PbxTest::line(const std::string& number) {
  return sw().lineAt(stationOf(number));
}

void PbxTest::ok(RequestId r, const Status& sync) {
  ASSERT_TRUE(sync.isOk()) << sync.toString();
  settle();
  ASSERT_EQ(rec_.replies.count(r), 1u) << "no reply to request " << r;
  ASSERT_TRUE(rec_.replies[r].isOk()) << rec_.replies[r].toString();
}

Status PbxTest::outcome(RequestId r, const Status& sync) {
  if (!sync.isOk()) return sync;
  settle();
  if (rec_.replies.count(r) == 0) return Status(Code::kInternal, "no reply");
  return rec_.replies[r];
}

CallId PbxTest::makeCall(const std::string& from, const std::string& dest,
                         const CallParams& params) {
  const RequestId r = req();
  auto call = sw().makeCall(r, line(from), 0, dest, params);
  EXPECT_TRUE(call.isOk()) << call.status().toString();
  if (!call.isOk()) return CallId();
  settle();
  EXPECT_TRUE(rec_.replies.count(r) && rec_.replies[r].isOk());
  return *call;
}

CallState PbxTest::state(CallId call) {
  auto st = sw().callStatus(call);
  EXPECT_TRUE(st.isOk()) << st.status().toString();
  return st.isOk() ? st->state : CallState::kUnknown;
}

std::uint32_t PbxTest::mode(CallId call) {
  auto st = sw().callStatus(call);
  return st.isOk() ? st->stateMode : 0;
}

const CallInfo& PbxTest::info(CallId call) {
  const CallInfo* i = sw().callInfo(call);
  EXPECT_NE(i, nullptr);
  static const CallInfo kEmpty;
  return i ? *i : kEmpty;
}

CallId PbxTest::offeredAt(const std::string& number) {
  auto calls = rec_.newCalls(line(number));
  return calls.empty() ? CallId() : calls.back();
}

std::pair<CallId, CallId> PbxTest::connect(const std::string& from, const std::string& to) {
  CallId a = makeCall(from, to);
  CallId b = offeredAt(to);
  EXPECT_TRUE(b.valid()) << "nothing offered at " << to;
  const RequestId r = req();
  ok(r, sw().answer(r, b));
  EXPECT_EQ(state(a), CallState::kConnected);
  EXPECT_EQ(state(b), CallState::kConnected);
  return {a, b};
}

}  // namespace tapir::pbx::testing
