// The service (TAPISRV analogue) on the demo switch: registrations, lines,
// privileges, routing of new calls, handles, handoff, message sequences.
#include <gtest/gtest.h>

#include <deque>
#include <memory>

#include "base/sim_loop.h"
#include "pbx/config.h"
#include "pbx/virtual/virtual_pbx.h"
#include "service/service.h"

namespace tapir {
inline void PrintTo(Fault f, std::ostream* os) {
  *os << faultName(f);
}
}  // namespace tapir

namespace tapir::service {
namespace {

namespace ps = tapir::service::privilege;

constexpr std::uint32_t kVoice = media_mode::kInteractiveVoice;
constexpr std::uint32_t kV22 = 0x00020002;

struct Reply {
  std::int32_t request;
  std::uintptr_t instance;
  Status status;
  ReplyPayload payload;
};

// An application: its sink records every message.
class TestApp : public MessageSink {
 public:
  void deliver(const Message& m) override { messages.push_back(m); }
  void deliverReply(std::int32_t request, std::uintptr_t instance, const Status& result,
                    const ReplyPayload& payload) override {
    Message m{
        0, msg::kReply, instance, static_cast<std::uint32_t>(request), result.isOk() ? 0u : 1u, 0};
    messages.push_back(m);
    replies.push_back(Reply{request, instance, result, payload});
  }
  const Reply* reply(std::int32_t req) const {
    for (const Reply& r : replies)
      if (r.request == req) return &r;
    return nullptr;
  }
  // Messages of one kind for one device (0: any device).
  std::vector<Message> of(std::uint32_t id, std::uint32_t device = 0) const {
    std::vector<Message> out;
    for (const Message& m : messages)
      if (m.id == id && (device == 0 || m.device == device)) out.push_back(m);
    return out;
  }
  std::vector<CallState> states(std::uint32_t call) const {
    std::vector<CallState> out;
    for (const Message& m : of(msg::kCallState, call))
      out.push_back(static_cast<CallState>(m.p1));
    return out;
  }
  // The newest call handle given by LINE_APPNEWCALL.
  std::uint32_t newestCall() const {
    auto all = of(msg::kAppNewCall);
    return all.empty() ? 0 : static_cast<std::uint32_t>(all.back().p2);
  }
  int indexOf(std::uint32_t id, std::uint32_t device) const {
    for (std::size_t i = 0; i < messages.size(); ++i)
      if (messages[i].id == id && messages[i].device == device) return static_cast<int>(i);
    return -1;
  }
  int replyIndex(std::int32_t req) const {
    for (std::size_t i = 0; i < messages.size(); ++i)
      if (messages[i].id == msg::kReply && messages[i].p1 == static_cast<std::uint32_t>(req))
        return static_cast<int>(i);
    return -1;
  }
  std::vector<Message> messages;
  std::vector<Reply> replies;
  AppHandle handle = 0;
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }
  void start(const std::string& extraStations = "") {
    service_.reset();
    pbx_.reset();
    loop_ = std::make_unique<SimLoop>();
    auto cfg = pbx::loadConfigFile(TAPIR_SOURCE_DIR "/etc/demo.toml");
    ASSERT_TRUE(cfg.isOk()) << cfg.status().toString();
    if (!extraStations.empty()) {
      auto more = pbx::parseConfig(extraStations, "extra.toml");
      ASSERT_TRUE(more.isOk()) << more.status().toString();
      for (std::size_t i = 0; i < more->sw.stations.size(); ++i) {
        cfg->sw.stations.push_back(more->sw.stations[i]);
        cfg->behaviors.push_back(more->behaviors[i]);
      }
    }
    auto pbx = pbx::sim::VirtualPbx::create(*loop_, std::move(*cfg));
    ASSERT_TRUE(pbx.isOk()) << pbx.status().toString();
    pbx_ = std::move(*pbx);
    service_ = std::make_unique<Service>(*loop_, pbx_->sw());
  }
  Service& svc() { return *service_; }
  void settle() { loop_->runUntilIdle(); }

  TestApp& app(const std::string& module) {
    apps_.push_back(std::make_unique<TestApp>());
    auto h = svc().initialize(AppInfo{module + " friendly", module}, apps_.back().get());
    EXPECT_TRUE(h.isOk());
    apps_.back()->handle = *h;
    return *apps_.back();
  }
  std::uint32_t device(const std::string& number) { return pbx_->sw().findNumber(number)->first; }
  LineHandle open(TestApp& a, const std::string& number, std::uint32_t privs,
                  std::uint32_t media = kVoice, std::uintptr_t instance = 77) {
    OpenParams p;
    p.deviceId = device(number);
    p.apiVersion = kV22;
    p.callbackInstance = instance;
    p.privileges = privs;
    p.mediaModes = media;
    auto h = svc().open(a.handle, p);
    EXPECT_TRUE(h.isOk()) << h.status().toString();
    return h.valueOr(0);
  }
  // A request that must succeed; returns (a copy of) its reply.
  Reply ok(TestApp& a, Result<std::int32_t> req) {
    EXPECT_TRUE(req.isOk()) << req.status().toString();
    settle();
    const Reply* r = req.isOk() ? a.reply(*req) : nullptr;
    static const Reply kNone{0, 0, Status(Code::kInternal, "no reply"), {}};
    EXPECT_NE(r, nullptr);
    if (r) {
      EXPECT_TRUE(r->status.isOk()) << r->status.toString();
    }
    return r ? *r : kNone;
  }
  CallState stateOf(CallHandle h) {
    auto st = svc().callStatus(h);
    return st.isOk() ? st->status.state : CallState::kUnknown;
  }

  std::unique_ptr<SimLoop> loop_;
  std::unique_ptr<pbx::sim::VirtualPbx> pbx_;
  std::unique_ptr<Service> service_;
  std::vector<std::unique_ptr<TestApp>> apps_;
};

TEST_F(ServiceTest, InitializeNegotiateShutdown) {
  TestApp& a = app("dialer");
  EXPECT_EQ(svc().lineCount(), 8u);
  EXPECT_EQ(*svc().negotiateApiVersion(a.handle, 0, 0x00010004, 0x00030000), kV22);
  EXPECT_EQ(*svc().negotiateApiVersion(a.handle, 0, 0x00010003, 0x00020000), 0x00020000u);
  EXPECT_EQ(svc().negotiateApiVersion(a.handle, 0, 0x00030000, 0x00030001).status().fault(),
            Fault::kIncompatibleVersion);
  EXPECT_EQ(svc().negotiateApiVersion(a.handle, 0, 0x00010000, 0x00010002).status().fault(),
            Fault::kIncompatibleVersion);
  EXPECT_EQ(svc().negotiateApiVersion(a.handle, 99, 0x00010004, kV22).status().fault(),
            Fault::kBadDeviceId);
  EXPECT_EQ(svc().negotiateApiVersion(12345, 0, 0x00010004, kV22).status().fault(),
            Fault::kBadAppHandle);
  EXPECT_TRUE(svc().shutdown(a.handle).isOk());
  EXPECT_EQ(svc().shutdown(a.handle).fault(), Fault::kBadAppHandle);
  EXPECT_EQ(svc().initialize(AppInfo{}, nullptr).status().fault(), Fault::kBadPointer);
}

TEST_F(ServiceTest, OpenChecksItsParameters) {
  TestApp& a = app("x");
  OpenParams p;
  p.deviceId = 0;
  p.apiVersion = kV22;
  p.privileges = ps::kOwner;
  p.mediaModes = kVoice;
  EXPECT_TRUE(svc().open(a.handle, p).isOk());
  p.privileges = ps::kOwner | ps::kNone;
  EXPECT_EQ(svc().open(a.handle, p).status().fault(), Fault::kBadPrivSelect);
  p.privileges = ps::kOwner;
  p.mediaModes = 0;
  EXPECT_EQ(svc().open(a.handle, p).status().fault(), Fault::kBadMediaMode);
  p.mediaModes = media_mode::kG3Fax;
  EXPECT_EQ(svc().open(a.handle, p).status().fault(), Fault::kBadMediaMode);
  p.privileges = ps::kMonitor;  // media modes matter only to owners
  EXPECT_TRUE(svc().open(a.handle, p).isOk());
  p.apiVersion = 0x00010001;
  EXPECT_EQ(svc().open(a.handle, p).status().fault(), Fault::kIncompatibleVersion);
  p.apiVersion = kV22;
  p.deviceId = 50;
  EXPECT_EQ(svc().open(a.handle, p).status().fault(), Fault::kBadDeviceId);
  p.deviceId = 0;
  p.singleAddress = 3;
  EXPECT_EQ(svc().open(a.handle, p).status().fault(), Fault::kBadAddressId);
  EXPECT_EQ(svc().open(999, p).status().fault(), Fault::kBadAppHandle);
  EXPECT_EQ(svc().close(424242).fault(), Fault::kBadLineHandle);
}

TEST_F(ServiceTest, MakeCallReplyComesBeforeTheCallsEvents) {
  TestApp& a = app("dialer");
  LineHandle l = open(a, "201", ps::kOwner);
  auto req = svc().makeCall(l, 0, "202", {});
  ASSERT_TRUE(req.isOk());
  EXPECT_GT(*req, 0);
  EXPECT_TRUE(a.messages.empty());
  settle();
  const Reply* r = a.reply(*req);
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->status.isOk());
  EXPECT_EQ(r->instance, 77u);
  const CallHandle h = r->payload.call;
  ASSERT_NE(h, 0u);
  EXPECT_LT(a.replyIndex(*req), a.indexOf(msg::kCallState, h));
  EXPECT_EQ(a.states(h), (std::vector<CallState>{CallState::kDialing, CallState::kProceeding,
                                                 CallState::kRingback}));
  // The first state carries the new handle's privilege.
  EXPECT_EQ(a.of(msg::kCallState, h)[0].p3, ps::kOwner);
  EXPECT_EQ(a.of(msg::kCallState, h)[1].p3, 0u);
  EXPECT_EQ(a.of(msg::kCallState, h)[0].instance, 77u);
  EXPECT_TRUE(a.of(msg::kAppNewCall).empty()) << "the requester learns of its call from the reply";
}

TEST_F(ServiceTest, IncomingCallGoesToTheOwnerAndTheMonitors) {
  TestApp& caller = app("caller");
  TestApp& owner = app("owner");
  TestApp& mon = app("monitor");
  LineHandle lc = open(caller, "201", ps::kNone);
  LineHandle lo = open(owner, "202", ps::kOwner, kVoice, 5);
  LineHandle lm = open(mon, "202", ps::kMonitor, 0, 6);
  ok(caller, svc().makeCall(lc, 0, "202", {}));
  auto on = owner.of(msg::kAppNewCall);
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(on[0].device, lo);
  EXPECT_EQ(on[0].instance, 5u);
  EXPECT_EQ(on[0].p1, 0u);  // address id
  EXPECT_EQ(on[0].p3, ps::kOwner);
  const CallHandle ho = static_cast<CallHandle>(on[0].p2);
  auto oc = owner.of(msg::kCallState, ho);
  ASSERT_EQ(oc.size(), 1u);
  EXPECT_EQ(oc[0].p1, bit(CallState::kOffering));
  EXPECT_EQ(oc[0].p3, ps::kOwner);
  // LINE_APPNEWCALL comes right before the first LINE_CALLSTATE.
  EXPECT_EQ(owner.indexOf(msg::kAppNewCall, lo) + 1, owner.indexOf(msg::kCallState, ho));

  auto mn = mon.of(msg::kAppNewCall);
  ASSERT_EQ(mn.size(), 1u);
  EXPECT_EQ(mn[0].device, lm);
  EXPECT_EQ(mn[0].p3, ps::kMonitor);
  const CallHandle hm = static_cast<CallHandle>(mn[0].p2);
  EXPECT_NE(hm, ho);
  EXPECT_EQ(mon.of(msg::kCallState, hm)[0].p3, ps::kMonitor);

  auto info = svc().callInfo(ho);
  ASSERT_TRUE(info.isOk());
  EXPECT_EQ(info->numOwners, 1u);
  EXPECT_EQ(info->numMonitors, 1u);
  EXPECT_EQ(info->line, lo);
  EXPECT_EQ(info->info.caller.number, "201");
  EXPECT_EQ(svc().callStatus(hm)->privilege, ps::kMonitor);
  EXPECT_EQ(svc().callStatus(hm)->status.features, 0u);  // monitors cannot act
  EXPECT_NE(svc().callStatus(ho)->status.features & call_feature::kAnswer, 0u);

  // Monitors may not act; owners may.
  EXPECT_EQ(svc().answer(hm).status().fault(), Fault::kNotOwner);
  ok(owner, svc().answer(ho));
  EXPECT_EQ(owner.states(ho).back(), CallState::kConnected);
  EXPECT_EQ(mon.states(hm).back(), CallState::kConnected);
}

TEST_F(ServiceTest, MonitorsOfTheCallersLineSeeItsNewCall) {
  TestApp& a = app("a");
  TestApp& m = app("m");
  LineHandle la = open(a, "201", ps::kOwner);
  open(m, "201", ps::kMonitor);
  const Reply& r = ok(a, svc().makeCall(la, 0, "202", {}));
  const CallHandle hm = m.newestCall();
  ASSERT_NE(hm, 0u);
  auto st = m.states(hm);
  ASSERT_GE(st.size(), 2u);
  EXPECT_EQ(st[0], CallState::kUnknown);  // learned of at the reply, state to follow
  EXPECT_EQ(st.back(), CallState::kRingback);
  EXPECT_EQ(svc().callInfo(r.payload.call)->numMonitors, 1u);
}

TEST_F(ServiceTest, PriorityDecidesTheOwner) {
  TestApp& caller = app("caller");
  TestApp& first = app("first");
  TestApp& second = app("second");
  LineHandle lc = open(caller, "201", ps::kNone);
  open(first, "202", ps::kOwner);
  open(second, "202", ps::kOwner);
  // Without priorities, the first to open owns.
  const Reply& r = ok(caller, svc().makeCall(lc, 0, "202", {}));
  EXPECT_EQ(first.of(msg::kAppNewCall).size(), 1u);
  EXPECT_TRUE(second.of(msg::kAppNewCall).empty()) << "owner-only opens do not monitor";
  ok(caller, svc().drop(r.payload.call));
  ASSERT_TRUE(svc().setAppPriority("second", kVoice, 0, 1).isOk());
  EXPECT_EQ(*svc().appPriority("second", kVoice, 0), 1u);
  EXPECT_EQ(*svc().appPriority("first", kVoice, 0), 0u);
  ok(caller, svc().makeCall(lc, 0, "202", {}));
  EXPECT_EQ(second.of(msg::kAppNewCall).size(), 1u);
  EXPECT_EQ(first.of(msg::kAppNewCall).size(), 1u);
  EXPECT_EQ(svc().setAppPriority("second", kVoice, 0, 2).fault(), Fault::kBadParam);
  EXPECT_EQ(svc().setAppPriority("second", 3, 0, 1).fault(), Fault::kBadMediaMode);
  EXPECT_EQ(svc().setAppPriority("second", 0, 0, 1).fault(), Fault::kBadRequestMode);
  EXPECT_TRUE(svc().setAppPriority("second", kVoice, 0, 0).isOk());
  EXPECT_EQ(*svc().appPriority("second", kVoice, 0), 0u);
}

TEST_F(ServiceTest, NoOwnerMeansMonitorsOnly) {
  TestApp& caller = app("caller");
  TestApp& mon = app("mon");
  LineHandle lc = open(caller, "201", ps::kNone);
  open(mon, "202", ps::kMonitor);
  const Reply& r = ok(caller, svc().makeCall(lc, 0, "202", {}));
  const CallHandle hm = mon.newestCall();
  EXPECT_EQ(stateOf(hm), CallState::kOffering);
  EXPECT_EQ(stateOf(r.payload.call), CallState::kRingback);  // not dropped
}

TEST_F(ServiceTest, SetCallPrivilege) {
  TestApp& a = app("a");
  TestApp& m = app("m");
  LineHandle la = open(a, "201", ps::kOwner | ps::kMonitor);
  open(m, "201", ps::kMonitor);
  const Reply& r = ok(a, svc().makeCall(la, 0, "202", {}));
  const CallHandle mine = r.payload.call;
  const CallHandle theirs = m.newestCall();
  EXPECT_EQ(svc().setCallPrivilege(mine, ps::kMonitor).fault(), Fault::kBadCallState);
  EXPECT_EQ(svc().setCallPrivilege(mine, 0x10).fault(), Fault::kBadPrivilege);
  EXPECT_EQ(svc().setCallPrivilege(99, ps::kOwner).fault(), Fault::kBadCallHandle);
  const std::size_t before = a.of(msg::kCallInfo, mine).size();
  const std::size_t theirsBefore = m.of(msg::kCallInfo, theirs).size();
  ASSERT_TRUE(svc().setCallPrivilege(theirs, ps::kOwner).isOk());
  auto infos = a.of(msg::kCallInfo, mine);
  ASSERT_EQ(infos.size(), before + 1);
  EXPECT_TRUE(infos.back().p1 & info_extra::kNumOwnerIncr);
  EXPECT_EQ(m.of(msg::kCallInfo, theirs).size(), theirsBefore) << "the one who changed is not told";
  EXPECT_EQ(svc().callInfo(mine)->numOwners, 2u);
  // Now either may become a monitor.
  ASSERT_TRUE(svc().setCallPrivilege(mine, ps::kMonitor).isOk());
  EXPECT_EQ(svc().drop(mine).status().fault(), Fault::kNotOwner);
}

TEST_F(ServiceTest, DeallocateRules) {
  TestApp& a = app("a");
  TestApp& m = app("m");
  LineHandle la = open(a, "201", ps::kOwner);
  open(m, "201", ps::kMonitor);
  const Reply& r = ok(a, svc().makeCall(la, 0, "202", {}));
  const CallHandle mine = r.payload.call;
  const CallHandle theirs = m.newestCall();
  // The sole owner of an active call cannot let go of it.
  EXPECT_EQ(svc().deallocateCall(mine).fault(), Fault::kBadCallState);
  // A monitor always can.
  ASSERT_TRUE(svc().deallocateCall(theirs).isOk());
  EXPECT_EQ(svc().callStatus(theirs).status().fault(), Fault::kBadCallHandle);
  EXPECT_EQ(svc().deallocateCall(theirs).fault(), Fault::kBadCallHandle);
  ok(a, svc().drop(mine));
  EXPECT_EQ(stateOf(mine), CallState::kIdle);
  ASSERT_TRUE(svc().deallocateCall(mine).isOk());
  EXPECT_EQ(svc().callStatus(mine).status().fault(), Fault::kBadCallHandle);
}

TEST_F(ServiceTest, CallsWithoutHandlesAreReleased) {
  TestApp& a = app("a");
  LineHandle la = open(a, "201", ps::kOwner);
  const Reply& r = ok(a, svc().makeCall(la, 0, "202", {}));
  ok(a, svc().drop(r.payload.call));
  ASSERT_TRUE(svc().deallocateCall(r.payload.call).isOk());
  settle();
  // Neither the caller's nor the offered call is left in the switch.
  EXPECT_EQ(svc().trackedCalls(), 0u);
  EXPECT_EQ(pbx_->sw().legCount(), 0u);
}

TEST_F(ServiceTest, HandoffDirectAndIndirect) {
  TestApp& a = app("agent");
  TestApp& b = app("fax");
  TestApp& c = app("other");
  LineHandle la = open(a, "202", ps::kOwner);
  LineHandle lb = open(b, "202", ps::kOwner);
  open(c, "203", ps::kOwner);
  TestApp& caller = app("caller");
  LineHandle lc = open(caller, "201", ps::kNone);
  ok(caller, svc().makeCall(lc, 0, "202", {}));
  const CallHandle ha = a.newestCall();
  ASSERT_NE(ha, 0u);
  EXPECT_TRUE(b.of(msg::kAppNewCall).empty());
  EXPECT_EQ(svc().handoff(ha, "nobody", 0).fault(), Fault::kTargetNotFound);
  EXPECT_EQ(svc().handoff(ha, "other", 0).fault(), Fault::kTargetNotFound);  // not on this line
  ASSERT_TRUE(svc().handoff(ha, "FAX", 0).isOk());  // file names compare without case
  auto bn = b.of(msg::kAppNewCall);
  ASSERT_EQ(bn.size(), 1u);
  EXPECT_EQ(bn[0].device, lb);
  const CallHandle hb = static_cast<CallHandle>(bn[0].p2);
  auto bs = b.of(msg::kCallState, hb);
  ASSERT_EQ(bs.size(), 1u);
  EXPECT_EQ(bs[0].p1, bit(CallState::kOffering));
  EXPECT_EQ(bs[0].p3, ps::kOwner);
  EXPECT_EQ(svc().callStatus(ha)->privilege, ps::kOwner);  // the handing-off app keeps its handle
  EXPECT_EQ(svc().callInfo(ha)->numOwners, 2u);
  // Indirect: the highest-priority other application for the media mode.
  ASSERT_TRUE(svc().setAppPriority("agent", kVoice, 0, 1).isOk());
  EXPECT_EQ(svc().handoff(ha, "", kVoice).fault(), Fault::kTargetSelf);
  EXPECT_EQ(svc().handoff(ha, "", media_mode::kG3Fax).fault(), Fault::kTargetNotFound);
  EXPECT_EQ(svc().handoff(ha, "", kVoice | media_mode::kG3Fax).fault(), Fault::kBadMediaMode);
  ASSERT_TRUE(svc().setAppPriority("fax", kVoice, 0, 1).isOk());
  ASSERT_TRUE(svc().handoff(ha, "", kVoice).isOk());
  // Handing to oneself by name succeeds and changes nothing.
  ASSERT_TRUE(svc().handoff(ha, "agent", 0).isOk());
  // Monitors cannot hand off.
  ASSERT_TRUE(svc().setCallPrivilege(ha, ps::kMonitor).isOk());
  EXPECT_EQ(svc().handoff(ha, "fax", 0).fault(), Fault::kNotOwner);
  (void)la;
}

TEST_F(ServiceTest, GetNewCallsGivesMonitorHandles) {
  TestApp& caller = app("caller");
  LineHandle lc = open(caller, "201", ps::kOwner);
  ok(caller, svc().makeCall(lc, 0, "202", {}));
  TestApp& late = app("late");
  LineHandle ll = open(late, "202", ps::kMonitor);
  EXPECT_TRUE(late.messages.empty()) << "opening does not replay existing calls";
  auto calls = svc().newCalls(ll, 0, call_select::kLine);
  ASSERT_TRUE(calls.isOk());
  ASSERT_EQ(calls->size(), 1u);
  EXPECT_EQ(svc().callStatus((*calls)[0])->privilege, ps::kMonitor);
  EXPECT_EQ(stateOf((*calls)[0]), CallState::kOffering);
  // Asking again gives nothing new.
  EXPECT_TRUE(svc().newCalls(ll, 0, call_select::kAddress)->empty());
  EXPECT_EQ(svc().newCalls(ll, 0, call_select::kCall).status().fault(), Fault::kBadCallSelect);
  EXPECT_EQ(svc().newCalls(ll, 4, call_select::kAddress).status().fault(), Fault::kBadAddressId);
  // And later events reach the new handle.
  TestApp& owner = app("owner");
  (void)owner;
  ASSERT_TRUE(svc().setCallPrivilege((*calls)[0], ps::kOwner).isOk());
  ok(late, svc().answer((*calls)[0]));
  EXPECT_EQ(late.states((*calls)[0]).back(), CallState::kConnected);
}

TEST_F(ServiceTest, ConferenceRelatedCalls) {
  TestApp& a = app("a");
  TestApp& b = app("b");
  TestApp& c = app("c");
  LineHandle la = open(a, "201", ps::kOwner);
  open(b, "202", ps::kOwner);
  open(c, "203", ps::kOwner);
  const CallHandle call = ok(a, svc().makeCall(la, 0, "202", {})).payload.call;
  ok(b, svc().answer(b.newestCall()));
  const Reply& setup = ok(a, svc().setupConference(call, 0, 0, 3, {}));
  const CallHandle conf = setup.payload.call;
  const CallHandle consult = setup.payload.call2;
  ASSERT_NE(conf, 0u);
  ASSERT_NE(consult, 0u);
  EXPECT_EQ(stateOf(conf), CallState::kOnHoldPendConf);
  // The member's CONFERENCED state names the conference in dwParam2.
  auto st = a.of(msg::kCallState, call);
  EXPECT_EQ(st.back().p1, bit(CallState::kConferenced));
  EXPECT_EQ(st.back().p2, conf);
  ok(a, svc().dial(consult, "203"));
  ok(c, svc().answer(c.newestCall()));
  ok(a, svc().addToConference(conf, consult));
  auto related = svc().confRelatedCalls(call);
  ASSERT_TRUE(related.isOk());
  EXPECT_EQ(*related, (std::vector<CallHandle>{conf, call, consult}));
  EXPECT_EQ(svc().confRelatedCalls(b.newestCall()).status().fault(), Fault::kNoConference);
  EXPECT_EQ(svc().addToConference(call, consult).status().fault(), Fault::kBadConfCallHandle);
  EXPECT_EQ(svc().prepareAddToConference(7777, {}).status().fault(), Fault::kBadConfCallHandle);
}

TEST_F(ServiceTest, ConsultationTransferThroughTheService) {
  TestApp& a = app("a");
  TestApp& b = app("b");
  TestApp& c = app("c");
  LineHandle la = open(a, "201", ps::kOwner);
  open(b, "202", ps::kOwner);
  open(c, "203", ps::kOwner);
  const CallHandle call = ok(a, svc().makeCall(la, 0, "202", {})).payload.call;
  const CallHandle hb = b.newestCall();
  ok(b, svc().answer(hb));
  const Reply& setup = ok(a, svc().setupTransfer(call, {}));
  const CallHandle consult = setup.payload.call;
  EXPECT_LT(a.replyIndex(setup.request), a.indexOf(msg::kCallState, consult));
  EXPECT_EQ(stateOf(call), CallState::kOnHoldPendTransfer);
  ok(a, svc().dial(consult, "203"));
  ok(c, svc().answer(c.newestCall()));
  EXPECT_EQ(svc().completeTransfer(call, 31337, TransferMode::kTransfer).status().fault(),
            Fault::kBadConsultCallHandle);
  const Reply& done = ok(a, svc().completeTransfer(call, consult, TransferMode::kTransfer));
  EXPECT_EQ(done.payload.call, 0u);
  EXPECT_EQ(stateOf(call), CallState::kIdle);
  EXPECT_EQ(stateOf(consult), CallState::kIdle);
  EXPECT_EQ(svc().callInfo(hb)->info.connected.number, "203");
}

TEST_F(ServiceTest, StatusMessagesAreFiltered) {
  TestApp& a = app("a");
  TestApp& b = app("b");
  LineHandle la = open(a, "201", ps::kOwner);
  LineHandle lb = open(b, "202", ps::kOwner);
  ok(a, svc().makeCall(la, 0, "202", {}));
  EXPECT_TRUE(b.of(msg::kLineDevState).empty()) << "status messages are off by default";
  ASSERT_TRUE(svc().setStatusMessages(lb, line_event::kRinging, address_event::kForward).isOk());
  EXPECT_EQ(*svc().statusMessages(lb),
            std::make_pair(line_event::kRinging, address_event::kForward));
  loop_->advance(pbx_->sw().config().ringPeriod * 2);
  auto rings = b.of(msg::kLineDevState, lb);
  ASSERT_EQ(rings.size(), 2u);
  EXPECT_EQ(rings[0].p1, line_event::kRinging);
  EXPECT_EQ(rings[0].p2, 1u);  // ring mode
  EXPECT_EQ(rings[0].p3, 1u);  // counted from zero: the second ring
  EXPECT_EQ(rings[1].p3, 2u);
  ForwardEntry f{forward_mode::kUncond, "", "203"};
  ok(b, svc().forward(lb, true, 0, std::span(&f, 1), 3));
  auto fwd = b.of(msg::kAddressState, lb);
  ASSERT_EQ(fwd.size(), 1u);
  EXPECT_EQ(fwd[0].p1, 0u);
  EXPECT_EQ(fwd[0].p2, address_event::kForward);
  EXPECT_EQ(svc().setStatusMessages(lb, 0x80000000, 0).fault(), Fault::kBadLineState);
  EXPECT_EQ(svc().setStatusMessages(lb, 0, 0x80000000).fault(), Fault::kBadAddressState);
}

TEST_F(ServiceTest, OpenAndCloseAreReportedToOthers) {
  TestApp& a = app("a");
  TestApp& b = app("b");
  LineHandle la = open(a, "201", ps::kMonitor);
  ASSERT_TRUE(
      svc().setStatusMessages(la, line_state_extra::kOpen | line_state_extra::kClose, 0).isOk());
  LineHandle lb = open(b, "201", ps::kOwner);
  ASSERT_TRUE(svc().close(lb).isOk());
  auto ev = a.of(msg::kLineDevState, la);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].p1, line_state_extra::kOpen);
  EXPECT_EQ(ev[1].p1, line_state_extra::kClose);
}

TEST_F(ServiceTest, CloseDropsSolelyOwnedCallsAndSuppressesReplies) {
  TestApp& a = app("a");
  TestApp& b = app("b");
  LineHandle la = open(a, "201", ps::kOwner);
  LineHandle lb = open(b, "202", ps::kOwner);
  const CallHandle call = ok(a, svc().makeCall(la, 0, "202", {})).payload.call;
  const CallHandle hb = b.newestCall();
  ok(b, svc().answer(hb));
  auto pending = svc().hold(call);
  ASSERT_TRUE(pending.isOk());
  ASSERT_TRUE(svc().close(la).isOk());
  settle();
  EXPECT_EQ(a.reply(*pending), nullptr) << "replies for a closed line are suppressed";
  EXPECT_EQ(svc().callStatus(call).status().fault(), Fault::kBadCallHandle);
  EXPECT_EQ(b.states(hb).back(), CallState::kDisconnected);  // 201's call was dropped
  (void)lb;
}

TEST_F(ServiceTest, ShutdownCleansUpEverything) {
  TestApp& a = app("a");
  TestApp& b = app("b");
  LineHandle la = open(a, "201", ps::kOwner);
  open(b, "202", ps::kOwner);
  ok(a, svc().makeCall(la, 0, "202", {}));
  ASSERT_TRUE(svc().shutdown(a.handle).isOk());
  ASSERT_TRUE(svc().shutdown(b.handle).isOk());
  settle();
  EXPECT_EQ(svc().appCount(), 0u);
  EXPECT_EQ(svc().callHandleCount(), 0u);
  EXPECT_EQ(svc().trackedCalls(), 0u);
  EXPECT_EQ(pbx_->sw().legCount(), 0u);
}

TEST_F(ServiceTest, ErrorRepliesVoidTheNewHandle) {
  start(R"([[station]]
number = "301"
fail = ["offhook"]
)");
  TestApp& a = app("a");
  LineHandle l = open(a, "301", ps::kOwner);
  auto req = svc().makeCall(l, 0, "202", {});
  ASSERT_TRUE(req.isOk());
  settle();
  const Reply* r = a.reply(*req);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status.fault(), Fault::kOperationFailed);
  EXPECT_EQ(r->payload.call, 0u);
  EXPECT_EQ(svc().callHandleCount(), 0u);
  EXPECT_EQ(pbx_->sw().legCount(), 0u);
}

TEST_F(ServiceTest, SynchronousErrorsComeBackAtOnce) {
  TestApp& a = app("a");
  LineHandle l = open(a, "201", ps::kOwner);
  EXPECT_EQ(svc().makeCall(l, 0, "20x", {}).status().fault(), Fault::kBadAddress);
  EXPECT_EQ(svc().makeCall(l, 9, "202", {}).status().fault(), Fault::kBadAddressId);
  EXPECT_EQ(svc().makeCall(123456, 0, "202", {}).status().fault(), Fault::kBadLineHandle);
  EXPECT_EQ(svc().hold(123456).status().fault(), Fault::kBadCallHandle);
  EXPECT_EQ(svc().hold(l).status().fault(), Fault::kBadCallHandle) << "a line handle is not a call";
  const CallHandle call = ok(a, svc().makeCall(l, 0, "202", {})).payload.call;
  EXPECT_EQ(svc().hold(call).status().fault(), Fault::kBadCallState);
  settle();
  EXPECT_EQ(a.replies.size(), 1u) << "only the accepted request replied";
  EXPECT_EQ(svc().callHandleCount(), 1u);
}

TEST_F(ServiceTest, ParkAndCompletionRepliesCarryTheirData) {
  TestApp& a = app("a");
  TestApp& b = app("b");
  LineHandle la = open(a, "201", ps::kOwner);
  open(b, "202", ps::kOwner);
  const CallHandle call = ok(a, svc().makeCall(la, 0, "202", {})).payload.call;
  ok(b, svc().answer(b.newestCall()));
  const Reply& parked = ok(b, svc().park(b.newestCall(), ParkMode::kNonDirected, ""));
  EXPECT_EQ(parked.payload.address, "701");
  const Reply& un = ok(a, svc().unpark(la, 0, "701"));
  EXPECT_NE(un.payload.call, 0u);
  EXPECT_EQ(stateOf(un.payload.call), CallState::kConnected);
  (void)call;
  TestApp& c = app("c");
  LineHandle lc = open(c, "203", ps::kOwner);
  const CallHandle busy = ok(c, svc().makeCall(lc, 0, "201", {})).payload.call;
  EXPECT_EQ(stateOf(busy), CallState::kBusy);
  const Reply& done = ok(c, svc().completeCall(busy, CompletionMode::kCallback, 0));
  EXPECT_NE(done.payload.completionId, 0u);
  ok(c, svc().uncompleteCall(lc, done.payload.completionId));
}

TEST_F(ServiceTest, DigitMonitoring) {
  TestApp& a = app("a");
  LineHandle l = open(a, "203", ps::kOwner);
  auto leg = pbx_->world().call(PartyId{"5551234", ""}, "203");
  ASSERT_TRUE(leg.isOk());
  settle();
  const CallHandle h = a.newestCall();
  ok(a, svc().answer(h));
  ASSERT_TRUE(pbx_->world().sendDigits(*leg, "1").isOk());
  settle();
  EXPECT_TRUE(a.of(msg::kMonitorDigits).empty()) << "not monitoring yet";
  ASSERT_TRUE(svc().monitorDigits(h, 0x2).isOk());
  EXPECT_EQ(svc().monitorDigits(h, 0x1).fault(), Fault::kBadDigitMode);
  ASSERT_TRUE(pbx_->world().sendDigits(*leg, "5#").isOk());
  settle();
  auto digits = a.of(msg::kMonitorDigits, h);
  ASSERT_EQ(digits.size(), 2u);
  EXPECT_EQ(digits[0].p1, static_cast<std::uintptr_t>('5'));
  EXPECT_EQ(digits[1].p1, static_cast<std::uintptr_t>('#'));
  EXPECT_EQ(digits[0].p2, 0x2u);
  (void)l;
}

}  // namespace
}  // namespace tapir::service
