#include "conformance.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tapir::conformance {

// ---- names for failure messages --------------------------------------------------------

std::string errName(LONG v) {
  if (v == 0) return "0 (success)";
  if (v == kNoReply.v) return "no LINE_REPLY";
  if (v > 0) return "request " + std::to_string(v);
  struct Name {
    DWORD value;
    const char* name;
  };
  static const Name kNames[] = {
#define X(n) {LINEERR_##n, "LINEERR_" #n},
      X(ALLOCATED) X(BADDEVICEID) X(BEARERMODEUNAVAIL) X(CALLUNAVAIL) X(COMPLETIONOVERRUN) X(
          CONFERENCEFULL) X(DIALBILLING) X(DIALDIALTONE) X(DIALPROMPT) X(DIALQUIET)
          X(INCOMPATIBLEAPIVERSION) X(INCOMPATIBLEEXTVERSION) X(INIFILECORRUPT) X(INUSE) X(
              INVALADDRESS) X(INVALADDRESSID) X(INVALADDRESSMODE) X(INVALADDRESSSTATE)
              X(INVALAPPHANDLE) X(INVALAPPNAME) X(INVALBEARERMODE) X(INVALCALLCOMPLMODE) X(
                  INVALCALLHANDLE) X(INVALCALLPARAMS) X(INVALCALLPRIVILEGE) X(INVALCALLSELECT)
                  X(INVALCALLSTATE) X(INVALCALLSTATELIST) X(INVALCARD) X(INVALCOMPLETIONID) X(
                      INVALCONFCALLHANDLE) X(INVALCONSULTCALLHANDLE) X(INVALCOUNTRYCODE)
                      X(INVALDEVICECLASS) X(INVALDEVICEHANDLE) X(INVALDIALPARAMS) X(INVALDIGITLIST)
                          X(INVALDIGITMODE) X(INVALDIGITS) X(INVALEXTVERSION) X(INVALGROUPID) X(
                              INVALLINEHANDLE) X(INVALLINESTATE) X(INVALLOCATION) X(INVALMEDIALIST)
                              X(INVALMEDIAMODE) X(INVALMESSAGEID) X(INVALPARAM) X(INVALPARKID) X(
                                  INVALPARKMODE) X(INVALPOINTER) X(INVALPRIVSELECT)
                                  X(INVALRATE) X(INVALREQUESTMODE) X(INVALTERMINALID) X(
                                      INVALTERMINALMODE) X(INVALTIMEOUT) X(INVALTONE)
                                      X(INVALTONELIST) X(INVALTONEMODE) X(INVALTRANSFERMODE) X(
                                          LINEMAPPERFAILED) X(NOCONFERENCE) X(NODEVICE) X(NODRIVER)
                                          X(NOMEM) X(NOREQUEST) X(NOTOWNER) X(NOTREGISTERED) X(
                                              OPERATIONFAILED) X(OPERATIONUNAVAIL) X(RATEUNAVAIL)
                                              X(RESOURCEUNAVAIL) X(REQUESTOVERRUN) X(
                                                  STRUCTURETOOSMALL) X(TARGETNOTFOUND) X(TARGETSELF)
                                                  X(UNINITIALIZED) X(USERUSERINFOTOOBIG) X(REINIT)
                                                      X(ADDRESSBLOCKED) X(BILLINGREJECTED) X(
                                                          INVALFEATURE) X(NOMULTIPLEINSTANCE)
                                                          X(INVALAGENTID) X(INVALAGENTGROUP) X(
                                                              INVALPASSWORD) X(INVALAGENTSTATE)
                                                              X(INVALAGENTACTIVITY) X(
                                                                  DIALVOICEDETECT) X(USERCANCELLED)
                                                                  X(INVALADDRESSTYPE)
                                                                      X(INVALAGENTSESSIONSTATE)
                                                                          X(DISCONNECTED)
                                                                              X(SERVICE_NOT_RUNNING)
#undef X
  };
  for (const Name& n : kNames)
    if (static_cast<LONG>(n.value) == v) return n.name;
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%08x", static_cast<unsigned>(v));
  return buf;
}

void PrintTo(Rc r, std::ostream* os) {
  *os << errName(r.v);
}

std::string messageName(DWORD id) {
  switch (id) {
    case LINE_ADDRESSSTATE:
      return "LINE_ADDRESSSTATE";
    case LINE_CALLINFO:
      return "LINE_CALLINFO";
    case LINE_CALLSTATE:
      return "LINE_CALLSTATE";
    case LINE_CLOSE:
      return "LINE_CLOSE";
    case LINE_LINEDEVSTATE:
      return "LINE_LINEDEVSTATE";
    case LINE_MONITORDIGITS:
      return "LINE_MONITORDIGITS";
    case LINE_REPLY:
      return "LINE_REPLY";
    case LINE_REQUEST:
      return "LINE_REQUEST";
    case LINE_CREATE:
      return "LINE_CREATE";
    case LINE_APPNEWCALL:
      return "LINE_APPNEWCALL";
    case LINE_REMOVE:
      return "LINE_REMOVE";
    default:
      return "LINE_#" + std::to_string(id);
  }
}

std::string stateName(DWORD state) {
  switch (state) {
    case LINECALLSTATE_IDLE:
      return "IDLE";
    case LINECALLSTATE_OFFERING:
      return "OFFERING";
    case LINECALLSTATE_ACCEPTED:
      return "ACCEPTED";
    case LINECALLSTATE_DIALTONE:
      return "DIALTONE";
    case LINECALLSTATE_DIALING:
      return "DIALING";
    case LINECALLSTATE_RINGBACK:
      return "RINGBACK";
    case LINECALLSTATE_BUSY:
      return "BUSY";
    case LINECALLSTATE_SPECIALINFO:
      return "SPECIALINFO";
    case LINECALLSTATE_CONNECTED:
      return "CONNECTED";
    case LINECALLSTATE_PROCEEDING:
      return "PROCEEDING";
    case LINECALLSTATE_ONHOLD:
      return "ONHOLD";
    case LINECALLSTATE_CONFERENCED:
      return "CONFERENCED";
    case LINECALLSTATE_ONHOLDPENDCONF:
      return "ONHOLDPENDCONF";
    case LINECALLSTATE_ONHOLDPENDTRANSFER:
      return "ONHOLDPENDTRANSFER";
    case LINECALLSTATE_DISCONNECTED:
      return "DISCONNECTED";
    case LINECALLSTATE_UNKNOWN:
      return "UNKNOWN";
    default:
      return "state#" + std::to_string(state);
  }
}

std::ostream& operator<<(std::ostream& os, const Msg& m) {
  os << messageName(m.id) << " dev=" << m.device << " inst=0x" << std::hex << m.instance << std::dec
     << " p1=" << m.p1;
  if (m.id == LINE_CALLSTATE) os << "(" << stateName(static_cast<DWORD>(m.p1)) << ")";
  os << " p2=" << m.p2;
  if (m.id == LINE_REPLY) os << "(" << errName(static_cast<LONG>(m.p2)) << ")";
  return os << " p3=" << m.p3;
}

std::string dump(const std::vector<Msg>& msgs) {
  std::ostringstream os;
  for (const Msg& m : msgs)
    os << "\n  " << m;
  return os.str();
}

// ---- App -------------------------------------------------------------------------------

App::App(const char* friendlyName, HINSTANCE module) {
  LINEINITIALIZEEXPARAMS p;
  std::memset(&p, 0, sizeof p);
  p.dwTotalSize = sizeof p;
  p.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  apiVersion = kV22;
  initResult = lineInitializeEx(&h, module, nullptr, friendlyName, &numDevs, &apiVersion, &p);
  if (initResult != 0) {
    h = 0;
    return;
  }
  fd = static_cast<int>(reinterpret_cast<std::intptr_t>(p.Handles.hEvent));
}

App::~App() {
  if (up()) shutdown();
}

LONG App::shutdown() {
  const LONG r = lineShutdown(h);
  h = 0;
  fd = -1;
  return r;
}

HLINE App::open(int station, DWORD privileges, DWORD media, DWORD version, DWORD_PTR instance) {
  HLINE line = 0;
  if (instance == 0) instance = kInstance + dev(station);
  const LONG r = lineOpen(h, dev(station), &line, version, 0, instance, privileges, media, nullptr);
  if (r != 0) {
    ADD_FAILURE() << "lineOpen(" << station << ") failed: " << errName(r);
    return 0;
  }
  return line;
}

std::size_t App::pump() {
  if (!up()) return 0;
  std::size_t n = 0;
  LINEMESSAGE m;
  while (lineGetMessage(h, &m, 0) == 0) {
    msgs.push_back(
        Msg{m.hDevice, m.dwMessageID, m.dwCallbackInstance, m.dwParam1, m.dwParam2, m.dwParam3});
    ++n;
  }
  return n;
}

void App::clear() {
  pump();
  msgs.clear();
}

std::vector<Msg> App::of(DWORD id, DWORD device) {
  pump();
  std::vector<Msg> out;
  for (const Msg& m : msgs)
    if (m.id == id && (device == 0 || m.device == device)) out.push_back(m);
  return out;
}

std::vector<DWORD> App::states(HCALL call) {
  std::vector<DWORD> out;
  for (const Msg& m : of(LINE_CALLSTATE, call))
    out.push_back(static_cast<DWORD>(m.p1));
  return out;
}

std::vector<std::pair<DWORD, DWORD>> App::statesWithModes(HCALL call) {
  std::vector<std::pair<DWORD, DWORD>> out;
  for (const Msg& m : of(LINE_CALLSTATE, call))
    out.emplace_back(static_cast<DWORD>(m.p1), static_cast<DWORD>(m.p2));
  return out;
}

std::vector<HCALL> App::newCalls(HLINE line) {
  std::vector<HCALL> out;
  for (const Msg& m : of(LINE_APPNEWCALL, line))
    out.push_back(static_cast<HCALL>(m.p2));
  return out;
}

HCALL App::newestCall(HLINE line) {
  auto all = newCalls(line);
  return all.empty() ? 0 : all.back();
}

int App::indexOf(DWORD id, DWORD device, DWORD_PTR p1) {
  pump();
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    const Msg& m = msgs[i];
    if (m.id == id && m.device == device && (p1 == 0 || m.p1 == p1)) return static_cast<int>(i);
  }
  return -1;
}

int App::replyIndex(LONG request) {
  pump();
  for (std::size_t i = 0; i < msgs.size(); ++i)
    if (msgs[i].id == LINE_REPLY && static_cast<LONG>(msgs[i].p1) == request)
      return static_cast<int>(i);
  return -1;
}

const Msg* App::reply(LONG request) {
  const int i = replyIndex(request);
  return i < 0 ? nullptr : &msgs[static_cast<std::size_t>(i)];
}

bool App::hasReply(LONG request) {
  return replyIndex(request) >= 0;
}

Rc App::replyResult(LONG request) {
  const Msg* m = reply(request);
  return m ? Rc{static_cast<LONG>(m->p2)} : kNoReply;
}

// ---- CapiTest ----------------------------------------------------------------------------

namespace {
// A directory of this process's own for the files the service reads and
// writes (made when a test starts, removed when it ends).
std::string scratchDir() {
  const std::string dir = ::testing::TempDir() + "tapir-conformance-" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0700);
  return dir;
}
}  // namespace

void CapiTest::SetUp() {
  ::setenv("TAPIR_CLOCK", "manual", 1);
  ::unsetenv("TAPIR_CONFIG");
  ::unsetenv("TAPIR_SPEED");
  // The dialing locations live in a scratch file, never in $HOME; each test
  // starts from the built-in Demo location.
  locations_ = scratchDir() + "/locations.toml";
  std::remove(locations_.c_str());
  ::setenv("TAPIR_LOCATIONS", locations_.c_str(), 1);
  ASSERT_EQ(rc(tapirSimSettle()), E(LINEERR_UNINITIALIZED))
      << "a service is still running: an earlier test did not shut down every application";
  if (remote()) {
    ASSERT_TRUE(tapird_.start());
  }
}

void CapiTest::TearDown() {
  for (auto& a : apps_)
    if (a->up()) {
      EXPECT_EQ(rc(a->shutdown()), kOk);
    }
  apps_.clear();
  if (tapirSimSettle() != static_cast<LONG>(LINEERR_UNINITIALIZED)) {
    ADD_FAILURE() << "the service still runs: the test left an application initialized";
    // Shut down whatever is left (handles come from one small counter), so
    // that the next test starts clean.
    for (HLINEAPP h = 1; h < 100000 && tapirSimSettle() == 0; ++h)
      (void)lineShutdown(h);
  }
  tapird_.stop();
  if (!config_.empty()) std::remove(config_.c_str());
  ::unsetenv("TAPIR_CONFIG");
  std::remove(locations_.c_str());
  ::rmdir(scratchDir().c_str());
}

App& CapiTest::app(const char* friendlyName, HINSTANCE module) {
  apps_.push_back(std::make_unique<App>(friendlyName, module));
  App& a = *apps_.back();
  EXPECT_EQ(rc(a.initResult), kOk) << "lineInitializeEx";
  return a;
}

void CapiTest::settle() {
  // Work the switch queues may post more work; settle until two rounds in a
  // row bring no message.
  for (int quiet = 0, round = 0; quiet < 2 && round < 100; ++round) {
    if (tapirSimSettle() != 0) return;
    std::size_t n = 0;
    for (auto& a : apps_)
      n += a->pump();
    quiet = n == 0 ? quiet + 1 : 0;
  }
}

void CapiTest::advance(DWORD ms) {
  EXPECT_EQ(rc(tapirSimAdvance(ms)), kOk);
  settle();
}

Rc CapiTest::outcome(App& a, LONG request) {
  if (request < 0) return Rc{request};
  if (request == 0) {
    ADD_FAILURE() << "an asynchronous function returned 0; it must return a request id or an error";
    return kOk;
  }
  settle();
  return a.replyResult(request);
}

HCALL CapiTest::makeCall(App& a, HLINE line, const char* dest, LPLINECALLPARAMS params) {
  HCALL call = 0;
  EXPECT_EQ(outcome(a, lineMakeCall(line, &call, dest, 0, params)), kOk)
      << "lineMakeCall to " << (dest ? dest : "(null)");
  EXPECT_NE(call, 0u);
  return call;
}

CapiTest::Pair CapiTest::connect(App& a, HLINE la, App& b, HLINE lb, const char* to) {
  Pair p;
  p.a = makeCall(a, la, to);
  p.b = b.newestCall(lb);
  EXPECT_NE(p.b, 0u) << "no call offered at " << to << dump(b.msgs);
  EXPECT_EQ(outcome(b, lineAnswer(p.b, nullptr, 0)), kOk) << "lineAnswer at " << to;
  return p;
}

DWORD CapiTest::state(HCALL call) {
  Var<LINECALLSTATUS> s;
  if (lineGetCallStatus(call, s.get()) != 0) return 0;
  return s->dwCallState;
}

DWORD CapiTest::stateMode(HCALL call) {
  Var<LINECALLSTATUS> s;
  if (lineGetCallStatus(call, s.get()) != 0) return 0;
  return s->dwCallStateMode;
}

DWORD CapiTest::privilege(HCALL call) {
  Var<LINECALLSTATUS> s;
  if (lineGetCallStatus(call, s.get()) != 0) return 0;
  return s->dwCallPrivilege;
}

DWORD CapiTest::features(HCALL call) {
  Var<LINECALLSTATUS> s;
  if (lineGetCallStatus(call, s.get()) != 0) return 0;
  return s->dwCallFeatures;
}

CapiTest::Info CapiTest::info(HCALL call) {
  Info i;
  Var<LINECALLINFO> v;
  i.result = lineGetCallInfo(call, v.get());
  if (i.result != 0) return i;
  i.line = v->hLine;
  i.deviceId = v->dwLineDeviceID;
  i.addressId = v->dwAddressID;
  i.mediaMode = v->dwMediaMode;
  i.callId = v->dwCallID;
  i.relatedCallId = v->dwRelatedCallID;
  i.origin = v->dwOrigin;
  i.reason = v->dwReason;
  i.completionId = v->dwCompletionID;
  i.numOwners = v->dwNumOwners;
  i.numMonitors = v->dwNumMonitors;
  i.callParamFlags = v->dwCallParamFlags;
  i.appSpecific = v->dwAppSpecific;
  i.callerFlags = v->dwCallerIDFlags;
  i.caller = VSTR(v, LINECALLINFO, CallerID);
  i.callerName = VSTR(v, LINECALLINFO, CallerIDName);
  i.called = VSTR(v, LINECALLINFO, CalledID);
  i.connected = VSTR(v, LINECALLINFO, ConnectedID);
  i.redirecting = VSTR(v, LINECALLINFO, RedirectingID);
  i.redirection = VSTR(v, LINECALLINFO, RedirectionID);
  i.appName = VSTR(v, LINECALLINFO, AppName);
  return i;
}

::testing::AssertionResult CapiTest::announced(App& a, HLINE line, HCALL call, DWORD priv) {
  a.pump();
  for (std::size_t i = 0; i < a.msgs.size(); ++i) {
    const Msg& m = a.msgs[i];
    if (m.id != LINE_APPNEWCALL || m.p2 != call) continue;
    if (m.device != line)
      return ::testing::AssertionFailure() << "LINE_APPNEWCALL on line " << m.device;
    if (m.p1 != 0) return ::testing::AssertionFailure() << "address id " << m.p1;
    if (m.p3 != priv) return ::testing::AssertionFailure() << "privilege " << m.p3;
    if (i + 1 == a.msgs.size())
      return ::testing::AssertionFailure() << "nothing after LINE_APPNEWCALL";
    const Msg& n = a.msgs[i + 1];
    if (n.id != LINE_CALLSTATE || n.device != call)
      return ::testing::AssertionFailure() << "LINE_APPNEWCALL is followed by " << n;
    if (n.p3 != priv)
      return ::testing::AssertionFailure() << "the first LINE_CALLSTATE has dwParam3 " << n.p3;
    for (std::size_t j = 0; j < i; ++j)
      if (a.msgs[j].device == call && a.msgs[j].id != LINE_REPLY)
        return ::testing::AssertionFailure()
               << "a message about the call came first: " << a.msgs[j];
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no LINE_APPNEWCALL for handle " << call << dump(a.msgs);
}

void CapiTest::useSwitch(const std::string& extraToml) {
  std::ifstream in(TAPIR_SOURCE_DIR "/etc/demo.toml");
  ASSERT_TRUE(in.good()) << "cannot read etc/demo.toml";
  std::stringstream demo;
  demo << in.rdbuf();
  config_ = scratchDir() + "/switch.toml";
  std::ofstream out(config_);
  out << demo.str() << "\n" << extraToml << "\n";
  out.close();
  ::setenv("TAPIR_CONFIG", config_.c_str(), 1);
  if (remote()) {
    ASSERT_TRUE(tapird_.start(config_));
  }
}

// ---- CallParams ----------------------------------------------------------------------------

CallParams::CallParams() : buf(sizeof(LINECALLPARAMS) + 512, 0), used(sizeof(LINECALLPARAMS)) {
  setDword(offsetof(LINECALLPARAMS, dwTotalSize), static_cast<DWORD>(buf.size()));
}

void CallParams::setDword(std::size_t offset, DWORD v) {
  std::memcpy(buf.data() + offset, &v, sizeof v);
}

void CallParams::setString(std::size_t sizeOffset, std::size_t offsetOffset, const std::string& s) {
  std::memcpy(buf.data() + used, s.c_str(), s.size() + 1);
  setDword(sizeOffset, static_cast<DWORD>(s.size() + 1));
  setDword(offsetOffset, static_cast<DWORD>(used));
  used += s.size() + 1;
}

}  // namespace tapir::conformance
