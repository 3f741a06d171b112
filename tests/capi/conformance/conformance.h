// The C API conformance suite's fixture. Tests use only the C API
// (include/tapi.h) and the simulated world's C extensions (tapir/sim.h), on
// the built-in demo switch (stations 201-208 = line devices 0-7) with manual
// switch time, so every sequence is deterministic.
//
// App: one lineInitializeEx registration with the event-handle mechanism.
// Its messages are taken with lineGetMessage(..., 0) into `msgs` whenever a
// query needs them. CapiTest owns the applications a test makes and shuts
// them all down in TearDown, so the next test starts a fresh service.
//
// Remote mode (TAPIR_TEST_TAPIRD set; the *_remote ctest entries): each test
// runs against its own tapird (tests/support/tapird_process.h); tests that
// depend on in-process details skip there with GTEST_SKIP (remoteSkip()).
//
// Results are compared as Rc, which prints LINEERR_ names in failures:
//   EXPECT_EQ(rc(lineHold(h)), E(LINEERR_INVALCALLSTATE));   // synchronous
//   EXPECT_EQ(outcome(a, lineHold(h)), kOk);                  // via LINE_REPLY
#pragma once

#include <gtest/gtest.h>
#include <tapi.h>
#include <tapir/sim.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "support/tapird_process.h"

namespace tapir::conformance {

inline constexpr DWORD kV13 = 0x00010003;
inline constexpr DWORD kV14 = 0x00010004;
inline constexpr DWORD kV20 = 0x00020000;
inline constexpr DWORD kV22 = 0x00020002;
inline constexpr DWORD kVoice = LINEMEDIAMODE_INTERACTIVEVOICE;
inline constexpr DWORD kOwner = LINECALLPRIVILEGE_OWNER;
inline constexpr DWORD kMonitor = LINECALLPRIVILEGE_MONITOR;
inline constexpr DWORD kNone = LINECALLPRIVILEGE_NONE;
inline constexpr DWORD kRingMs = 6000;              // a ring of the demo switch
inline constexpr DWORD_PTR kInstance = 0x5a5a0000;  // + device id: App::open's default

// The line device of a demo station: 201..208 are devices 0..7.
constexpr DWORD dev(int station) {
  return static_cast<DWORD>(station - 201);
}

// A function result or LINE_REPLY result: 0, a LINEERR_ value, a request id.
struct Rc {
  LONG v = 0;
  friend bool operator==(Rc, Rc) = default;
};
inline constexpr Rc kOk{0};
inline constexpr Rc kNoReply{INT32_MAX};  // outcome(): no LINE_REPLY came
inline Rc rc(LONG v) {
  return Rc{v};
}
inline Rc E(DWORD lineerr) {
  return Rc{static_cast<LONG>(lineerr)};
}
std::string errName(LONG v);
void PrintTo(Rc r, std::ostream* os);

std::string messageName(DWORD id);
std::string stateName(DWORD state);

// One LINEMESSAGE.
struct Msg {
  DWORD device = 0;
  DWORD id = 0;
  DWORD_PTR instance = 0;
  DWORD_PTR p1 = 0;
  DWORD_PTR p2 = 0;
  DWORD_PTR p3 = 0;
};
std::ostream& operator<<(std::ostream& os, const Msg& m);
std::string dump(const std::vector<Msg>& msgs);

class App {
 public:
  // lineInitializeEx with LINEINITIALIZEEXOPTION_USEEVENT. `module`: the
  // hInstance argument (an address inside the module that names the
  // application for handoff and priorities; null: the executable).
  explicit App(const char* friendlyName = nullptr, HINSTANCE module = nullptr);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  LONG initResult = 0;
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  DWORD apiVersion = 0;
  int fd = -1;  // the event handle
  bool up() const { return h != 0; }
  LONG shutdown();

  // lineOpen on a demo station; a failure is reported and gives 0.
  HLINE open(int station, DWORD privileges = kOwner, DWORD media = kVoice, DWORD version = kV22,
             DWORD_PTR instance = 0);

  // Moves every queued message into msgs; returns how many.
  std::size_t pump();
  std::vector<Msg> msgs;
  void clear();

  // Queries over the messages so far (they pump first).
  std::vector<Msg> of(DWORD id, DWORD device = 0);
  std::vector<DWORD> states(HCALL call);  // LINE_CALLSTATE dwParam1
  std::vector<std::pair<DWORD, DWORD>> statesWithModes(HCALL call);
  std::vector<HCALL> newCalls(HLINE line = 0);            // LINE_APPNEWCALL dwParam2
  HCALL newestCall(HLINE line = 0);                       // 0 if none
  int indexOf(DWORD id, DWORD device, DWORD_PTR p1 = 0);  // p1 0: any; -1 if none
  int replyIndex(LONG request);
  bool hasReply(LONG request);
  Rc replyResult(LONG request);  // kNoReply if none
  const Msg* reply(LONG request);
};

class CapiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // An application owned by the test (shut down in TearDown if still up).
  App& app(const char* friendlyName = nullptr, HINSTANCE module = nullptr);
  // Runs the switch until it is quiet and moves every message into the
  // applications' msgs.
  void settle();
  // Moves switch time forward (manual clock), then settles.
  void advance(DWORD ms);
  void rings(DWORD n) { advance(n * kRingMs); }

  // An asynchronous request's outcome: its synchronous error, else the
  // result of its LINE_REPLY after settling (kNoReply if none came).
  Rc outcome(App& a, LONG request);

  // lineMakeCall that must succeed; the new call handle.
  HCALL makeCall(App& a, HLINE line, const char* dest, LPLINECALLPARAMS params = nullptr);
  // `a` (on line la) calls `to`; `b` owns line lb there and answers.
  struct Pair {
    HCALL a = 0;
    HCALL b = 0;
  };
  Pair connect(App& a, HLINE la, App& b, HLINE lb, const char* to);

  // lineGetCallStatus / lineGetCallInfo, as far as tests need them.
  DWORD state(HCALL call);
  DWORD stateMode(HCALL call);
  DWORD privilege(HCALL call);
  DWORD features(HCALL call);
  struct Info {
    LONG result = 0;
    HLINE line = 0;
    DWORD deviceId = 0, addressId = 0, mediaMode = 0, callId = 0, relatedCallId = 0;
    DWORD origin = 0, reason = 0, completionId = 0, numOwners = 0, numMonitors = 0;
    DWORD callParamFlags = 0, appSpecific = 0;
    DWORD callerFlags = 0;
    std::string caller, callerName, called, connected, redirecting, redirection, appName;
  };
  Info info(HCALL call);

  // `call` was announced as TAPI 2.x says: a LINE_APPNEWCALL on `line` with
  // the address and privilege, immediately followed by the handle's first
  // LINE_CALLSTATE, whose dwParam3 carries the privilege again.
  ::testing::AssertionResult announced(App& a, HLINE line, HCALL call, DWORD privilege);

  // Switches the next service start to the demo switch plus `extraToml`
  // (TAPIR_CONFIG); call before the first App.
  void useSwitch(const std::string& extraToml);
  // The dialing-locations file the service uses (TAPIR_LOCATIONS).
  const std::string& locationsPath() const { return locations_; }

  std::vector<std::unique_ptr<App>>& apps() { return apps_; }

  static bool remote() { return testing::TapirdProcess::remoteMode(); }
  // Remote mode: stops this test's tapird (SIGTERM), as an operator would.
  void stopServer() { tapird_.stop(); }

 private:
  std::vector<std::unique_ptr<App>> apps_;
  testing::TapirdProcess tapird_;
  std::string locations_;
  std::string config_;
};

// Two applications on the demo switch: `a` owns stations 201-204 and `b`
// owns 205-208, each opened with owner privilege.
class TwoAppTest : public CapiTest {
 protected:
  void SetUp() override {
    CapiTest::SetUp();
    a_ = &app("a");
    b_ = &app("b");
    for (int s = 201; s <= 204; ++s)
      line_[s] = a_->open(s);
    for (int s = 205; s <= 208; ++s)
      line_[s] = b_->open(s);
  }
  App& a() { return *a_; }
  App& b() { return *b_; }
  App& owner(int s) { return s <= 204 ? a() : b(); }
  HLINE line(int s) { return line_[s]; }
  Pair talk(int from, int to) {
    return connect(owner(from), line(from), owner(to), line(to), std::to_string(to).c_str());
  }

 private:
  App* a_ = nullptr;
  App* b_ = nullptr;
  std::map<int, HLINE> line_;
};

// A request that must succeed through its LINE_REPLY.
#define EXPECT_OK(app, call) EXPECT_EQ(outcome((app), (call)), ::tapir::conformance::kOk) << #call
#define ASSERT_OK(app, call) ASSERT_EQ(outcome((app), (call)), ::tapir::conformance::kOk) << #call

// A LINECALLPARAMS with room for strings after it.
struct CallParams {
  CallParams();
  LINECALLPARAMS* get() { return reinterpret_cast<LINECALLPARAMS*>(buf.data()); }
  // Appends a string to the variable part; sets the size/offset pair.
  void setString(std::size_t sizeOffset, std::size_t offsetOffset, const std::string& s);
  void setDword(std::size_t offset, DWORD v);
  std::vector<unsigned char> buf;
  std::size_t used;
};

// A variably sized structure in a buffer of the given dwTotalSize.
template <class T>
class Var {
 public:
  explicit Var(std::size_t total = sizeof(T) + 4096) : buf_(std::max(total, sizeof(T)) + 16, 0xcd) {
    setTotal(static_cast<DWORD>(total));
  }
  T* get() { return reinterpret_cast<T*>(buf_.data()); }
  T* operator->() { return get(); }
  void setTotal(DWORD total) {
    std::fill(buf_.begin(), buf_.end(), static_cast<unsigned char>(0xcd));
    std::memcpy(buf_.data(), &total, sizeof total);
  }
  // The DWORD at a byte offset (members of packed structures are read by value).
  DWORD at(std::size_t offset) const {
    DWORD v;
    std::memcpy(&v, buf_.data() + offset, sizeof v);
    return v;
  }
  // The NUL-terminated string a size/offset pair names ("" if absent).
  std::string str(std::size_t sizeOffset, std::size_t offsetOffset) const {
    const DWORD size = at(sizeOffset);
    const DWORD off = at(offsetOffset);
    if (size == 0) return "";
    if (off + size > buf_.size()) return "<out of bounds>";
    const char* s = reinterpret_cast<const char*>(buf_.data() + off);
    if (s[size - 1] != '\0') return "<not NUL-terminated>";
    return std::string(s);
  }
  const unsigned char* bytes() const { return buf_.data(); }

 private:
  std::vector<unsigned char> buf_;
};

// The string a size/offset pair of a structure member names.
#define VSTR(var, T, name) (var).str(offsetof(T, dw##name##Size), offsetof(T, dw##name##Offset))

}  // namespace tapir::conformance
