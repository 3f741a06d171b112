// Several applications on one line: who owns a new call (first opener, or
// priorities), monitors, lineGetNewCalls, privileges, handoff (direct and
// indirect), deallocation, and what each application is told
// (lineSetAppPriority, lineGetAppPriority, lineHandoff, lineSetCallPrivilege,
// lineDeallocateCall, lineGetNewCalls).
//
// Handoff targets and priorities are named by module file name. All the
// applications of this test share one executable, so the second module is
// named through hInstance: an address inside libtapir.so (as a Windows DLL
// passes its own hInstance).
#include <dlfcn.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <cstring>

#include "conformance.h"

namespace tapir::conformance {
namespace {

std::string baseName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The module an application initialized with hInstance = `module` has.
std::string moduleName(HINSTANCE module) {
  if (module != nullptr) {
    Dl_info info;
    if (::dladdr(module, &info) != 0 && info.dli_fname != nullptr) return baseName(info.dli_fname);
  }
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  buf[n] = '\0';
  return baseName(buf);
}

HINSTANCE libtapirModule() {
  return reinterpret_cast<HINSTANCE>(reinterpret_cast<void*>(&lineShutdown));
}

class MultiAppTest : public CapiTest {
 protected:
  void SetUp() override {
    CapiTest::SetUp();
    exe_ = moduleName(nullptr);
    lib_ = moduleName(libtapirModule());
    ASSERT_FALSE(exe_.empty());
    ASSERT_FALSE(lib_.empty());
    ASSERT_NE(exe_, lib_);
    caller_ = &app("caller");
    lc_ = caller_->open(201);
  }
  void TearDown() override {
    // Priorities outlive applications: leave none behind.
    for (const std::string& m : {exe_, lib_})
      (void)lineSetAppPriority(m.c_str(), kVoice, nullptr, 0, nullptr, 0);
    CapiTest::TearDown();
  }
  App& caller() { return *caller_; }
  HCALL call(const char* to = "202") { return makeCall(caller(), lc_, to); }
  DWORD priorityOf(const std::string& module, DWORD media = kVoice) {
    DWORD p = 99;
    EXPECT_EQ(rc(lineGetAppPriority(module.c_str(), media, nullptr, 0, nullptr, &p)), kOk);
    return p;
  }
  std::string exe_;
  std::string lib_;
  App* caller_ = nullptr;
  HLINE lc_ = 0;
};

// ---- owner and monitor ----------------------------------------------------------------

TEST_F(MultiAppTest, OwnerAndMonitorOnOneLine) {
  App& owner = app("owner");
  App& mon = app("monitor");
  const HLINE lo = owner.open(202, kOwner);
  const HLINE lm = mon.open(202, kMonitor, 0);
  call();
  const HCALL ho = owner.newestCall(lo);
  const HCALL hm = mon.newestCall(lm);
  ASSERT_NE(ho, 0u);
  ASSERT_NE(hm, 0u);
  EXPECT_NE(ho, hm) << "each application has its own handle";
  EXPECT_TRUE(announced(owner, lo, ho, kOwner));
  EXPECT_TRUE(announced(mon, lm, hm, kMonitor));
  EXPECT_EQ(state(hm), static_cast<DWORD>(LINECALLSTATE_OFFERING));
  const Info i = info(ho);
  EXPECT_EQ(i.numOwners, 1u);
  EXPECT_EQ(i.numMonitors, 1u);
  EXPECT_EQ(info(hm).callId, i.callId);
  EXPECT_EQ(features(hm), 0u);
  EXPECT_NE(features(ho) & LINECALLFEATURE_ANSWER, 0u);
  EXPECT_EQ(rc(lineAnswer(hm, nullptr, 0)), E(LINEERR_NOTOWNER));
  EXPECT_OK(owner, lineAnswer(ho, nullptr, 0));
  EXPECT_EQ(mon.states(hm).back(), static_cast<DWORD>(LINECALLSTATE_CONNECTED))
      << "monitors follow the call";
}

TEST_F(MultiAppTest, EveryCallOperationNeedsOwnership) {
  // "The application must be an owner of the call": a monitor handle gets
  // LINEERR_NOTOWNER from each, synchronously, whatever the call's state.
  App& owner = app();
  App& mon = app();
  const HLINE lo = owner.open(202);
  const HLINE lm = mon.open(202, kMonitor, 0);
  call();
  const HCALL ho = owner.newestCall(lo);
  const HCALL hm = mon.newestCall(lm);
  EXPECT_OK(owner, lineAnswer(ho, nullptr, 0));
  HCALL out = 0;
  DWORD id = 0;
  Var<VARSTRING> orbit;
  const auto notOwner = E(LINEERR_NOTOWNER);
  EXPECT_EQ(rc(lineDial(hm, "1", 0)), notOwner);
  EXPECT_EQ(rc(lineUnhold(hm)), notOwner);
  EXPECT_EQ(rc(lineSwapHold(hm, ho)), notOwner);
  EXPECT_EQ(rc(lineSetupTransfer(hm, &out, nullptr)), notOwner);
  EXPECT_EQ(rc(lineCompleteTransfer(hm, ho, &out, LINETRANSFERMODE_TRANSFER)), notOwner);
  EXPECT_EQ(rc(lineSetupConference(hm, 0, &out, &out, 3, nullptr)), notOwner);
  EXPECT_EQ(rc(linePrepareAddToConference(hm, &out, nullptr)), notOwner);
  EXPECT_EQ(rc(lineAddToConference(hm, ho)), notOwner);
  EXPECT_EQ(rc(lineRemoveFromConference(hm)), notOwner);
  EXPECT_EQ(rc(linePark(hm, LINEPARKMODE_DIRECTED, "701", orbit.get())), notOwner);
  EXPECT_EQ(rc(lineCompleteCall(hm, &id, LINECALLCOMPLMODE_CALLBACK, 0)), notOwner);
  EXPECT_EQ(rc(lineBlindTransfer(hm, "203", 0)), notOwner);
  EXPECT_EQ(rc(lineHandoff(hm, nullptr, kVoice)), notOwner);
  settle();
  EXPECT_TRUE(mon.of(LINE_REPLY).empty()) << "no request was taken";
  EXPECT_EQ(state(ho), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(MultiAppTest, OwnerMonitorOpenGetsAMonitorHandleWhenAnotherOwns) {
  App& first = app();
  App& second = app();
  const HLINE l1 = first.open(202, kOwner | kMonitor);
  const HLINE l2 = second.open(202, kOwner | kMonitor);
  call();
  EXPECT_TRUE(announced(first, l1, first.newestCall(l1), kOwner)) << "the first to open owns";
  EXPECT_TRUE(announced(second, l2, second.newestCall(l2), kMonitor));
}

TEST_F(MultiAppTest, OwnerOnlyOpensDoNotMonitor) {
  App& first = app();
  App& second = app();
  first.open(202);
  const HLINE l2 = second.open(202);
  call();
  EXPECT_TRUE(second.newCalls(l2).empty());
}

TEST_F(MultiAppTest, MonitorsOfTheCallersLineSeeItsNewCall) {
  // Another application's request made the call: the monitor learns of it
  // after the reply, its state UNKNOWN until the next state arrives.
  App& mon = app();
  const HLINE lm = mon.open(201, kMonitor, 0);
  app().open(202);
  const HCALL mine = call();
  const HCALL hm = mon.newestCall(lm);
  ASSERT_NE(hm, 0u);
  EXPECT_TRUE(announced(mon, lm, hm, kMonitor));
  const auto st = mon.states(hm);
  ASSERT_GE(st.size(), 2u);
  EXPECT_EQ(st[0], static_cast<DWORD>(LINECALLSTATE_UNKNOWN));
  EXPECT_EQ(st.back(), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_EQ(info(mine).numMonitors, 1u);
}

TEST_F(MultiAppTest, NoOwnerApplicationLeavesTheCallToTheMonitors) {
  // TAPI would drop a call nobody can own; tapir keeps it (it rings at its
  // station all the same) and the monitors get handles.
  App& mon = app();
  const HLINE lm = mon.open(202, kMonitor, 0);
  const HCALL mine = call();
  const HCALL hm = mon.newestCall(lm);
  ASSERT_NE(hm, 0u);
  EXPECT_EQ(state(hm), static_cast<DWORD>(LINECALLSTATE_OFFERING));
  EXPECT_EQ(info(hm).numOwners, 0u);
  EXPECT_EQ(state(mine), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  // A monitor may take ownership and act.
  ASSERT_EQ(rc(lineSetCallPrivilege(hm, kOwner)), kOk);
  EXPECT_OK(mon, lineAnswer(hm, nullptr, 0));
  EXPECT_EQ(state(mine), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(MultiAppTest, MediaModesDecideWhoCanOwn) {
  App& voice = app();
  App& fax = app();
  const HLINE lv = voice.open(202, kOwner, LINEMEDIAMODE_AUTOMATEDVOICE);
  const HLINE lf = fax.open(202, kOwner, kVoice);
  call();
  EXPECT_TRUE(voice.newCalls(lv).empty()) << "an interactive voice call";
  EXPECT_EQ(fax.newCalls(lf).size(), 1u);
}

TEST_F(MultiAppTest, GetNewCallsGivesMonitorHandles) {
  App& owner = app();
  owner.open(202);
  call();
  App& late = app();
  const HLINE ll = late.open(202, kMonitor, 0);
  settle();
  EXPECT_TRUE(late.msgs.empty()) << "opening does not announce existing calls";
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetNewCalls(ll, 0, LINECALLSELECT_LINE, list.get())), kOk);
  ASSERT_EQ(list->dwCallsNumEntries, 1u);
  const HCALL h = list.at(list->dwCallsOffset);
  EXPECT_EQ(privilege(h), kMonitor);
  EXPECT_EQ(state(h), static_cast<DWORD>(LINECALLSTATE_OFFERING));
  settle();
  auto counts = owner.of(LINE_CALLINFO);
  ASSERT_FALSE(counts.empty());
  EXPECT_NE(counts.back().p1 & LINECALLINFOSTATE_NUMMONITORS, 0u)
      << "the owner hears of the new monitor";
  ASSERT_EQ(rc(lineGetNewCalls(ll, 0, LINECALLSELECT_ADDRESS, list.get())), kOk);
  EXPECT_EQ(list->dwCallsNumEntries, 0u) << "nothing new the second time";
  // The handle gets the call's later messages.
  EXPECT_OK(owner, lineAnswer(owner.newestCall(), nullptr, 0));
  EXPECT_EQ(late.states(h).back(), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

// ---- privileges and deallocation --------------------------------------------------------

TEST_F(MultiAppTest, SetCallPrivilege) {
  App& owner = app();
  App& mon = app();
  const HLINE lo = owner.open(202);
  const HLINE lm = mon.open(202, kMonitor, 0);
  call();
  const HCALL ho = owner.newestCall(lo);
  const HCALL hm = mon.newestCall(lm);
  // "If the application is the sole owner of a non-idle call and [tries
  // to] change its privilege to monitor, a LINEERR_INVALCALLSTATE error is
  // returned."
  EXPECT_EQ(rc(lineSetCallPrivilege(ho, kMonitor)), E(LINEERR_INVALCALLSTATE));
  EXPECT_EQ(rc(lineSetCallPrivilege(ho, kNone)), E(LINEERR_INVALCALLPRIVILEGE));
  EXPECT_EQ(rc(lineSetCallPrivilege(ho, kOwner | kMonitor)), E(LINEERR_INVALCALLPRIVILEGE));
  EXPECT_EQ(rc(lineSetCallPrivilege(ho + 1000, kOwner)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineSetCallPrivilege(ho, kOwner)), kOk) << "no change";
  owner.clear();
  mon.clear();
  ASSERT_EQ(rc(lineSetCallPrivilege(hm, kOwner)), kOk);
  settle();
  auto infos = owner.of(LINE_CALLINFO, ho);
  ASSERT_EQ(infos.size(), 1u) << dump(owner.msgs);
  EXPECT_NE(infos[0].p1 & LINECALLINFOSTATE_NUMOWNERINCR, 0u);
  EXPECT_TRUE(mon.of(LINE_CALLINFO, hm).empty()) << "the application that changed is not told";
  EXPECT_EQ(info(ho).numOwners, 2u);
  EXPECT_EQ(info(ho).numMonitors, 0u);
  // Two owners: either may become a monitor now.
  ASSERT_EQ(rc(lineSetCallPrivilege(ho, kMonitor)), kOk);
  EXPECT_EQ(rc(lineDrop(ho, nullptr, 0)), E(LINEERR_NOTOWNER));
  EXPECT_OK(mon, lineDrop(hm, nullptr, 0));
  EXPECT_EQ(rc(lineSetCallPrivilege(hm, kMonitor)), kOk) << "idle: the sole owner may let go";
}

TEST_F(MultiAppTest, DeallocationRules) {
  App& owner = app();
  App& mon = app();
  const HLINE lo = owner.open(202);
  const HLINE lm = mon.open(202, kMonitor, 0);
  call();
  const HCALL ho = owner.newestCall(lo);
  const HCALL hm = mon.newestCall(lm);
  // tapir keeps the TAPI 1.x rule for every version: the sole owner of a
  // call that is not idle cannot deallocate it (docs/architecture.md).
  EXPECT_EQ(rc(lineDeallocateCall(ho)), E(LINEERR_INVALCALLSTATE));
  // A monitor always can; the others hear the count change.
  owner.clear();
  ASSERT_EQ(rc(lineDeallocateCall(hm)), kOk);
  settle();
  auto infos = owner.of(LINE_CALLINFO, ho);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_NE(infos[0].p1 & LINECALLINFOSTATE_NUMMONITORS, 0u);
  EXPECT_EQ(info(ho).numMonitors, 0u);
  EXPECT_EQ(rc(lineDeallocateCall(hm)), E(LINEERR_INVALCALLHANDLE)) << "the handle is void";
  EXPECT_EQ(info(hm).result, static_cast<LONG>(LINEERR_INVALCALLHANDLE));
  // A deallocated handle hears nothing more.
  mon.clear();
  EXPECT_OK(owner, lineAnswer(ho, nullptr, 0));
  EXPECT_TRUE(mon.of(LINE_CALLSTATE).empty());
  // Idle: the owner may deallocate.
  EXPECT_OK(owner, lineDrop(ho, nullptr, 0));
  EXPECT_EQ(rc(lineDeallocateCall(ho)), kOk);
  EXPECT_EQ(rc(lineDeallocateCall(0)), E(LINEERR_INVALCALLHANDLE));
}

TEST_F(MultiAppTest, AnOwnerMayDeallocateWhenAnotherOwns) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(202, kOwner | kMonitor);
  const HLINE lb = b.open(202, kOwner | kMonitor);
  call();
  const HCALL ha = a.newestCall(la);
  const HCALL hb = b.newestCall(lb);
  ASSERT_EQ(rc(lineSetCallPrivilege(hb, kOwner)), kOk);
  b.clear();
  ASSERT_EQ(rc(lineDeallocateCall(ha)), kOk);
  settle();
  auto infos = b.of(LINE_CALLINFO, hb);
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_NE(infos[0].p1 & LINECALLINFOSTATE_NUMOWNERDECR, 0u);
  EXPECT_EQ(info(hb).numOwners, 1u);
}

// "In API versions 2.0 or later, lineDeallocateCall does not suspend
// outstanding LINE_REPLY messages."
TEST_F(MultiAppTest, RepliesOutliveADeallocatedHandle) {
  useSwitch(R"(
[[station]]
number = "209"
delay = "1s"
)");
  // The fixture's caller started the demo switch: begin again on this one.
  ASSERT_EQ(rc(caller().shutdown()), kOk);
  App& a = app();
  App& b = app();
  const HLINE la = a.open(209, kOwner | kMonitor);
  const HLINE lb = b.open(209, kOwner | kMonitor);
  App& c = app();
  const HLINE lc = c.open(203);
  makeCall(c, lc, "209");
  advance(1000);
  const HCALL ha = a.newestCall(la);
  const HCALL hb = b.newestCall(lb);
  ASSERT_EQ(rc(lineSetCallPrivilege(hb, kOwner)), kOk);
  const LONG accept = lineAccept(ha, nullptr, 0);
  ASSERT_GT(accept, 0);
  ASSERT_EQ(rc(lineDeallocateCall(ha)), kOk);
  advance(1000);
  EXPECT_EQ(a.replyResult(accept), kOk) << dump(a.msgs);
  EXPECT_EQ(state(hb), static_cast<DWORD>(LINECALLSTATE_ACCEPTED));
}

TEST_F(MultiAppTest, ClosingALineRevokesOwnershipButDropsOnlySolelyOwnedCalls) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(202, kOwner | kMonitor);
  const HLINE lb = b.open(202, kOwner | kMonitor);
  const HCALL mine = call();
  const HCALL ha = a.newestCall(la);
  const HCALL hb = b.newestCall(lb);
  ASSERT_EQ(rc(lineSetCallPrivilege(hb, kOwner)), kOk);
  b.clear();
  ASSERT_EQ(rc(lineClose(la)), kOk);
  settle();
  EXPECT_EQ(state(hb), static_cast<DWORD>(LINECALLSTATE_OFFERING))
      << "b still owns it: not dropped";
  EXPECT_EQ(state(mine), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_EQ(info(hb).numOwners, 1u);
  EXPECT_EQ(info(ha).result, static_cast<LONG>(LINEERR_INVALCALLHANDLE))
      << "a's handles went with its line";
  auto infos = b.of(LINE_CALLINFO, hb);
  ASSERT_FALSE(infos.empty());
  EXPECT_NE(infos.back().p1 & LINECALLINFOSTATE_NUMOWNERDECR, 0u);
  // Now b alone owns it: closing drops it.
  ASSERT_EQ(rc(lineClose(lb)), kOk);
  settle();
  EXPECT_EQ(state(mine), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
}

TEST_F(MultiAppTest, MonitorsFollowAConference) {
  // A monitor of the controlling line gets handles to the calls the setup
  // creates (UNKNOWN first), and CONFERENCED names its own handle to the
  // conference in dwParam2 — or NULL once it has deallocated that handle.
  App& mon = app("monitor");
  const HLINE lm = mon.open(201, kMonitor, 0);
  App& b = app();
  const HLINE lb = b.open(202);
  App& c = app();
  const HLINE lc3 = c.open(203);
  const HLINE lc4 = c.open(204);
  const Pair p = connect(caller(), lc_, b, lb, "202");
  const HCALL mCall = mon.newestCall(lm);
  ASSERT_NE(mCall, 0u);
  HCALL conf = 0;
  HCALL consult = 0;
  ASSERT_OK(caller(), lineSetupConference(p.a, 0, &conf, &consult, 4, nullptr));
  const auto handles = mon.newCalls(lm);
  ASSERT_EQ(handles.size(), 3u) << dump(mon.msgs);
  const HCALL mConf = handles[1];
  const HCALL mConsult = handles[2];
  EXPECT_TRUE(announced(mon, lm, mConf, kMonitor));
  EXPECT_TRUE(announced(mon, lm, mConsult, kMonitor));
  EXPECT_EQ(mon.states(mConf).front(), static_cast<DWORD>(LINECALLSTATE_UNKNOWN));
  EXPECT_EQ(mon.states(mConf).back(), static_cast<DWORD>(LINECALLSTATE_ONHOLDPENDCONF));
  EXPECT_EQ(info(mConf).callId, info(conf).callId);
  auto st = mon.of(LINE_CALLSTATE, mCall);
  EXPECT_EQ(st.back().p1, static_cast<DWORD_PTR>(LINECALLSTATE_CONFERENCED));
  EXPECT_EQ(st.back().p2, mConf) << "the monitor's own handle to the conference";
  EXPECT_OK(caller(), lineDial(consult, "203", 0));
  EXPECT_OK(c, lineAnswer(c.newestCall(lc3), nullptr, 0));
  EXPECT_OK(caller(), lineAddToConference(conf, consult));
  EXPECT_EQ(mon.of(LINE_CALLSTATE, mConsult).back().p2, mConf);
  // Without a handle to the conference, dwParam2 is NULL.
  ASSERT_EQ(rc(lineDeallocateCall(mConf)), kOk);
  HCALL more = 0;
  ASSERT_OK(caller(), linePrepareAddToConference(conf, &more, nullptr));
  const HCALL mMore = mon.newestCall(lm);
  EXPECT_OK(caller(), lineDial(more, "204", 0));
  EXPECT_OK(c, lineAnswer(c.newestCall(lc4), nullptr, 0));
  EXPECT_OK(caller(), lineAddToConference(conf, more));
  auto last = mon.of(LINE_CALLSTATE, mMore).back();
  EXPECT_EQ(last.p1, static_cast<DWORD_PTR>(LINECALLSTATE_CONFERENCED));
  EXPECT_EQ(last.p2, 0u);
  // lineGetConfRelatedCalls gives the monitor a handle again.
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetConfRelatedCalls(mMore, list.get())), kOk);
  ASSERT_EQ(list->dwCallsNumEntries, 4u);
  const HCALL again = list.at(list->dwCallsOffset);
  EXPECT_NE(again, mConf);
  EXPECT_EQ(privilege(again), kMonitor);
  EXPECT_EQ(list.at(list->dwCallsOffset + 4), mCall) << "existing handles are given back unchanged";
}

TEST_F(MultiAppTest, MonitorsGetTheConferenceACompletedTransferMakes) {
  // "A LINE_CALLSTATE (unknown) message is sent to monitoring applications
  // only if lineCompleteTransfer causes calls to be resolved into a
  // three-way conference."
  App& mon = app();
  const HLINE lm = mon.open(201, kMonitor, 0);
  App& b = app();
  const HLINE lb = b.open(202);
  const HLINE lb3 = b.open(203);
  const Pair p = connect(caller(), lc_, b, lb, "202");
  HCALL consult = 0;
  ASSERT_OK(caller(), lineSetupTransfer(p.a, &consult, nullptr));
  EXPECT_OK(caller(), lineDial(consult, "203", 0));
  EXPECT_OK(b, lineAnswer(b.newestCall(lb3), nullptr, 0));
  const std::size_t before = mon.newCalls(lm).size();
  HCALL conf = 0;
  ASSERT_OK(caller(), lineCompleteTransfer(p.a, consult, &conf, LINETRANSFERMODE_CONFERENCE));
  ASSERT_EQ(mon.newCalls(lm).size(), before + 1);
  const HCALL mConf = mon.newestCall(lm);
  EXPECT_TRUE(announced(mon, lm, mConf, kMonitor));
  EXPECT_EQ(mon.states(mConf).front(), static_cast<DWORD>(LINECALLSTATE_UNKNOWN));
  EXPECT_EQ(mon.states(mConf).back(), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

// ---- priorities ---------------------------------------------------------------------------

TEST_F(MultiAppTest, TheFirstToOpenOwnsWithoutPriorities) {
  App& x = app("x");
  App& y = app("y", libtapirModule());
  const HLINE lx = x.open(202);
  const HLINE ly = y.open(202);
  call();
  EXPECT_EQ(x.newCalls(lx).size(), 1u);
  EXPECT_TRUE(y.newCalls(ly).empty());
}

TEST_F(MultiAppTest, PrioritiesDecideWhoGetsAnOfferedCall) {
  App& x = app("x");
  App& y = app("y", libtapirModule());
  const HLINE lx = x.open(202);
  const HLINE ly = y.open(202);
  EXPECT_EQ(priorityOf(lib_), 0u) << "not in the list";
  ASSERT_EQ(rc(lineSetAppPriority(lib_.c_str(), kVoice, nullptr, 0, nullptr, 1)), kOk);
  EXPECT_EQ(priorityOf(lib_), 1u);
  EXPECT_EQ(priorityOf(exe_), 0u);
  HCALL c1 = call();
  EXPECT_TRUE(x.newCalls(lx).empty());
  ASSERT_EQ(y.newCalls(ly).size(), 1u) << "the listed application wins over the first to open";
  EXPECT_TRUE(announced(y, ly, y.newestCall(ly), kOwner));
  EXPECT_OK(caller(), lineDrop(c1, nullptr, 0));
  // Priority 1 puts an application at the top of the list.
  ASSERT_EQ(rc(lineSetAppPriority(exe_.c_str(), kVoice, nullptr, 0, nullptr, 1)), kOk);
  EXPECT_EQ(priorityOf(exe_), 1u);
  EXPECT_EQ(priorityOf(lib_), 2u);
  c1 = call();
  EXPECT_EQ(x.newCalls(lx).size(), 1u);
  EXPECT_EQ(y.newCalls(ly).size(), 1u);
  EXPECT_OK(caller(), lineDrop(c1, nullptr, 0));
  // Priority 0 removes it; names compare without case.
  std::string upper = exe_;
  for (char& ch : upper)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  ASSERT_EQ(rc(lineSetAppPriority(upper.c_str(), kVoice, nullptr, 0, nullptr, 0)), kOk);
  EXPECT_EQ(priorityOf(exe_), 0u);
  EXPECT_EQ(priorityOf(lib_), 1u);
  call();
  EXPECT_EQ(y.newCalls(ly).size(), 2u);
  // Removing what is not there is no error.
  EXPECT_EQ(rc(lineSetAppPriority("nobody.exe", kVoice, nullptr, 0, nullptr, 0)), kOk);
}

TEST_F(MultiAppTest, PriorityErrors) {
  DWORD p = 0;
  EXPECT_EQ(rc(lineSetAppPriority(nullptr, kVoice, nullptr, 0, nullptr, 1)),
            E(LINEERR_INVALAPPNAME));
  EXPECT_EQ(rc(lineSetAppPriority("", kVoice, nullptr, 0, nullptr, 1)), E(LINEERR_INVALAPPNAME));
  EXPECT_EQ(rc(lineSetAppPriority("a.exe", kVoice, nullptr, 0, nullptr, 2)), E(LINEERR_INVALPARAM));
  EXPECT_EQ(rc(lineSetAppPriority("a.exe", 0x80000000, nullptr, 0, nullptr, 1)),
            E(LINEERR_INVALMEDIAMODE));
  EXPECT_EQ(rc(lineSetAppPriority("a.exe", 0, nullptr, 0, nullptr, 1)),
            E(LINEERR_INVALREQUESTMODE));
  EXPECT_EQ(rc(lineSetAppPriority("a.exe", 0, nullptr, LINEREQUESTMODE_MAKECALL, nullptr, 1)), kOk)
      << "assisted telephony";
  EXPECT_EQ(rc(lineGetAppPriority("a.exe", 0, nullptr, LINEREQUESTMODE_MAKECALL, nullptr, &p)),
            kOk);
  EXPECT_EQ(p, 1u);
  EXPECT_EQ(rc(lineSetAppPriority("a.exe", 0, nullptr, LINEREQUESTMODE_MAKECALL, nullptr, 0)), kOk);
  EXPECT_EQ(rc(lineGetAppPriority(nullptr, kVoice, nullptr, 0, nullptr, &p)),
            E(LINEERR_INVALAPPNAME));
  EXPECT_EQ(rc(lineGetAppPriority("a.exe", kVoice, nullptr, 0, nullptr, nullptr)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineGetAppPriority("a.exe", 0x80000000, nullptr, 0, nullptr, &p)),
            E(LINEERR_INVALMEDIAMODE));
  EXPECT_EQ(rc(lineGetAppPriority("a.exe", 0, nullptr, 0, nullptr, &p)),
            E(LINEERR_INVALREQUESTMODE));
}

TEST_F(MultiAppTest, PrioritiesNeedNoInitializationAndOutliveTheService) {
  // lineSetAppPriority lists no LINEERR_UNINITIALIZED: "This function updates
  // the stored priority list. If the telephony system is initialized, it
  // also sets the current, active priorities", and the priorities "persist
  // across restarts ... of tapisrv".
  ASSERT_EQ(rc(caller().shutdown()), kOk);
  ASSERT_EQ(rc(tapirSimSettle()), E(LINEERR_UNINITIALIZED));
  ASSERT_EQ(rc(lineSetAppPriority(lib_.c_str(), kVoice, nullptr, 0, nullptr, 1)), kOk);
  EXPECT_EQ(priorityOf(lib_), 1u);
  EXPECT_EQ(rc(tapirSimSettle()), E(LINEERR_UNINITIALIZED)) << "no service left running";
  App& c = app();
  App& x = app("x");
  App& y = app("y", libtapirModule());
  const HLINE lc = c.open(201);
  x.open(202);
  const HLINE ly = y.open(202);
  makeCall(c, lc, "202");
  EXPECT_EQ(y.newCalls(ly).size(), 1u) << "the stored priority applies to the new service";
}

// ---- handoff --------------------------------------------------------------------------------

TEST_F(MultiAppTest, DirectHandoff) {
  App& x = app("x");
  App& y = app("y", libtapirModule());
  const HLINE lx = x.open(202);
  const HLINE ly = y.open(202);
  call();
  const HCALL hx = x.newestCall(lx);
  ASSERT_NE(hx, 0u);
  x.clear();
  ASSERT_EQ(rc(lineHandoff(hx, ("/some/path/" + lib_).c_str(), 0)), kOk) << "the path is ignored";
  settle();
  const HCALL hy = y.newestCall(ly);
  ASSERT_NE(hy, 0u);
  EXPECT_TRUE(announced(y, ly, hy, kOwner));
  EXPECT_EQ(y.states(hy), (std::vector<DWORD>{LINECALLSTATE_OFFERING}));
  EXPECT_EQ(privilege(hx), kOwner) << "the handing application keeps its privilege";
  EXPECT_EQ(info(hx).numOwners, 2u);
  auto infos = x.of(LINE_CALLINFO, hx);
  ASSERT_FALSE(infos.empty());
  EXPECT_NE(infos.back().p1 & LINECALLINFOSTATE_NUMOWNERINCR, 0u);
  // Now it may let go, and the target acts.
  ASSERT_EQ(rc(lineDeallocateCall(hx)), kOk);
  EXPECT_OK(y, lineAnswer(hy, nullptr, 0));
}

TEST_F(MultiAppTest, HandoffToAMonitorMakesItAnOwner) {
  App& x = app("x");
  App& y = app("y", libtapirModule());
  const HLINE lx = x.open(202);
  const HLINE ly = y.open(202, kOwner | kMonitor);
  call();
  const HCALL hx = x.newestCall(lx);
  const HCALL hy = y.newestCall(ly);
  ASSERT_EQ(privilege(hy), kMonitor);
  ASSERT_EQ(rc(lineHandoff(hx, lib_.c_str(), 0)), kOk);
  settle();
  EXPECT_EQ(privilege(hy), kOwner);
  auto st = y.of(LINE_CALLSTATE, hy);
  EXPECT_EQ(st.back().p1, static_cast<DWORD_PTR>(LINECALLSTATE_OFFERING));
  EXPECT_EQ(st.back().p3, static_cast<DWORD_PTR>(kOwner))
      << "the LINE_CALLSTATE tells of the new privilege";
  EXPECT_EQ(y.newCalls(ly).size(), 1u) << "the same handle";
}

TEST_F(MultiAppTest, DirectHandoffErrors) {
  App& x = app("x");
  App& y = app("y", libtapirModule());
  const HLINE lx = x.open(202);
  y.open(202, kMonitor, 0);
  App& z = app("z", libtapirModule());
  z.open(203);  // an owner, of another line
  call();
  const HCALL hx = x.newestCall(lx);
  EXPECT_EQ(rc(lineHandoff(hx, "nobody", 0)), E(LINEERR_TARGETNOTFOUND));
  EXPECT_EQ(rc(lineHandoff(hx, lib_.c_str(), 0)), E(LINEERR_TARGETNOTFOUND))
      << "its instances opened 202 to monitor and 203 to own, not 202 to own";
  EXPECT_EQ(rc(lineHandoff(hx, exe_.c_str(), 0)), kOk) << "to itself: nothing changes";
  EXPECT_EQ(info(hx).numOwners, 1u);
  EXPECT_EQ(rc(lineHandoff(hx + 1000, exe_.c_str(), 0)), E(LINEERR_INVALCALLHANDLE));
  // A file name that names nothing is a direct handoff that finds no target,
  // not a media-mode handoff.
  EXPECT_EQ(rc(lineHandoff(hx, "", kVoice)), E(LINEERR_TARGETNOTFOUND));
  EXPECT_EQ(rc(lineHandoff(hx, "/usr/bin/", kVoice)), E(LINEERR_TARGETNOTFOUND));
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetNewCalls(z.open(202, kMonitor, 0), 0, LINECALLSELECT_LINE, list.get())), kOk);
  ASSERT_EQ(list->dwCallsNumEntries, 1u);
  EXPECT_EQ(rc(lineHandoff(list.at(list->dwCallsOffset), exe_.c_str(), 0)), E(LINEERR_NOTOWNER));
}

TEST_F(MultiAppTest, IndirectHandoffGoesToTheHighestPriorityOther) {
  App& x = app("x");
  App& y = app("y", libtapirModule());
  const HLINE lx = x.open(202);
  const HLINE ly = y.open(202, kOwner, kVoice | LINEMEDIAMODE_AUTOMATEDVOICE);
  call();
  const HCALL hx = x.newestCall(lx);
  // x opened first: it is the highest priority for interactive voice itself.
  EXPECT_EQ(rc(lineHandoff(hx, nullptr, kVoice)), E(LINEERR_TARGETSELF));
  EXPECT_EQ(rc(lineHandoff(hx, nullptr, LINEMEDIAMODE_G3FAX)), E(LINEERR_TARGETNOTFOUND));
  EXPECT_EQ(rc(lineHandoff(hx, nullptr, kVoice | LINEMEDIAMODE_AUTOMATEDVOICE)),
            E(LINEERR_INVALMEDIAMODE))
      << "one and only one media mode";
  EXPECT_EQ(rc(lineHandoff(hx, nullptr, 0)), E(LINEERR_INVALMEDIAMODE));
  // Automated voice: y is the only one.
  ASSERT_EQ(rc(lineHandoff(hx, nullptr, LINEMEDIAMODE_AUTOMATEDVOICE)), kOk);
  settle();
  EXPECT_TRUE(announced(y, ly, y.newestCall(ly), kOwner));
}

TEST_F(MultiAppTest, IndirectHandoffFollowsPriorities) {
  App& x = app("x");
  App& y = app("y", libtapirModule());
  const HLINE lx = x.open(202);
  const HLINE ly = y.open(202);
  call();
  const HCALL hx = x.newestCall(lx);
  ASSERT_EQ(rc(lineSetAppPriority(lib_.c_str(), kVoice, nullptr, 0, nullptr, 1)), kOk);
  ASSERT_EQ(rc(lineHandoff(hx, nullptr, kVoice)), kOk);
  settle();
  EXPECT_EQ(y.newCalls(ly).size(), 1u);
}

}  // namespace
}  // namespace tapir::conformance
