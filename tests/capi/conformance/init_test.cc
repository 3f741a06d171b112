// Initialization, version negotiation, opening and closing lines, shutdown
// (lineInitialize, lineInitializeEx, lineNegotiateAPIVersion,
// lineNegotiateExtVersion, lineOpen, lineClose, lineShutdown,
// lineSetStatusMessages, lineGetStatusMessages).
#include <fcntl.h>

#include <future>
#include <thread>

#include "conformance.h"

namespace tapir::conformance {
namespace {

class InitTest : public CapiTest {
 protected:
  static LINEINITIALIZEEXPARAMS params(DWORD options) {
    LINEINITIALIZEEXPARAMS p;
    std::memset(&p, 0, sizeof p);
    p.dwTotalSize = sizeof p;
    p.dwOptions = options;
    return p;
  }
};

void CALLBACK ignoreMessages(DWORD, DWORD, DWORD_PTR, DWORD_PTR, DWORD_PTR, DWORD_PTR) {}

TEST_F(InitTest, InitializeExWithEventHandle) {
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  DWORD version = kV22;
  LINEINITIALIZEEXPARAMS p = params(LINEINITIALIZEEXOPTION_USEEVENT);
  ASSERT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, "init test", &numDevs, &version, &p)), kOk);
  EXPECT_NE(h, 0u);
  EXPECT_EQ(numDevs, 8u) << "the demo switch has stations 201-208";
  EXPECT_EQ(version, kV22) << "the highest API version TAPI supports";
  EXPECT_EQ(p.dwNeededSize, sizeof(LINEINITIALIZEEXPARAMS));
  EXPECT_EQ(p.dwUsedSize, sizeof(LINEINITIALIZEEXPARAMS));
  // The event handle is a file descriptor.
  const int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(p.Handles.hEvent));
  EXPECT_GE(fd, 0);
  EXPECT_NE(::fcntl(fd, F_GETFD), -1);
  EXPECT_EQ(rc(lineShutdown(h)), kOk);
  // "The event handle is closed ... during the lineShutdown function."
  EXPECT_EQ(::fcntl(fd, F_GETFD), -1);
}

// Another thread took messages of the application before: lineShutdown
// still closes the event handle, and that thread then gets the documented
// error for the old handle.
TEST_F(InitTest, ShutdownClosesTheEventHandleOtherThreadsUsed) {
  App& keep = app();  // keeps the service, so the old handle is just invalid
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  DWORD version = kV22;
  LINEINITIALIZEEXPARAMS p = params(LINEINITIALIZEEXOPTION_USEEVENT);
  ASSERT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, "init test", &numDevs, &version, &p)), kOk);
  const int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(p.Handles.hEvent));
  std::promise<void> used, shutDown;
  LONG before = 0, after = 0;
  std::thread other([&] {
    LINEMESSAGE m;
    before = lineGetMessage(h, &m, 0);
    used.set_value();
    shutDown.get_future().wait();
    after = lineGetMessage(h, &m, 0);
  });
  used.get_future().wait();
  EXPECT_EQ(rc(lineShutdown(h)), kOk);
  EXPECT_EQ(::fcntl(fd, F_GETFD), -1) << "closed during lineShutdown";
  shutDown.set_value();
  other.join();
  EXPECT_NE(rc(before), E(LINEERR_INVALAPPHANDLE)) << "the handle was good then";
  EXPECT_EQ(rc(after), E(LINEERR_INVALAPPHANDLE));
  (void)keep;
}

TEST_F(InitTest, EventHandleApplicationsIgnoreTheCallback) {
  // lpfnCallback "is ignored ... when the application chooses to use the
  // event handle".
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  DWORD version = kV22;
  LINEINITIALIZEEXPARAMS p = params(LINEINITIALIZEEXOPTION_USEEVENT);
  ASSERT_EQ(rc(lineInitializeEx(&h, nullptr, ignoreMessages, nullptr, &numDevs, &version, &p)),
            kOk);
  HLINE line = 0;
  ASSERT_EQ(rc(lineOpen(h, 0, &line, kV22, 0, 0, kOwner, kVoice, nullptr)), kOk);
  App& b = app();
  b.open(202);
  HCALL call = 0;
  const LONG req = lineMakeCall(line, &call, "202", 0, nullptr);
  ASSERT_GT(req, 0);
  settle();
  LINEMESSAGE m;
  ASSERT_EQ(rc(lineGetMessage(h, &m, 0)), kOk);
  EXPECT_EQ(m.dwMessageID, static_cast<DWORD>(LINE_REPLY));
  EXPECT_EQ(rc(lineShutdown(h)), kOk);
}

TEST_F(InitTest, InitializeExChecksItsPointers) {
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  DWORD version = kV22;
  LINEINITIALIZEEXPARAMS p = params(LINEINITIALIZEEXOPTION_USEEVENT);
  EXPECT_EQ(rc(lineInitializeEx(nullptr, nullptr, nullptr, nullptr, &numDevs, &version, &p)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, nullptr, nullptr, &version, &p)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, nullptr, &numDevs, nullptr, &p)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, nullptr, &numDevs, &version, nullptr)),
            E(LINEERR_INVALPOINTER));
  // Hidden-window (callback) notification needs the callback.
  p = params(LINEINITIALIZEEXOPTION_USEHIDDENWINDOW);
  EXPECT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, nullptr, &numDevs, &version, &p)),
            E(LINEERR_INVALPOINTER));
  // Nothing started: no service runs.
  EXPECT_EQ(rc(tapirSimSettle()), E(LINEERR_UNINITIALIZED));
}

TEST_F(InitTest, InitializeExParamsTooSmall) {
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  DWORD version = kV22;
  LINEINITIALIZEEXPARAMS p = params(LINEINITIALIZEEXOPTION_USEEVENT);
  p.dwTotalSize = sizeof p - 1;
  EXPECT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, nullptr, &numDevs, &version, &p)),
            E(LINEERR_STRUCTURETOOSMALL));
}

TEST_F(InitTest, CompletionPortIsRefusedWithInvalParam) {
  // Linux has no I/O completion ports. The answer is LINEERR_INVALPARAM (the
  // error lineInitializeEx documents for an unusable notification setting);
  // applications use LINEINITIALIZEEXOPTION_USEEVENT and poll the descriptor.
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  DWORD version = kV22;
  LINEINITIALIZEEXPARAMS p = params(LINEINITIALIZEEXOPTION_USECOMPLETIONPORT);
  EXPECT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, nullptr, &numDevs, &version, &p)),
            E(LINEERR_INVALPARAM));
  // Options must name exactly one mechanism.
  p = params(0);
  EXPECT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, nullptr, &numDevs, &version, &p)),
            E(LINEERR_INVALPARAM));
  p = params(LINEINITIALIZEEXOPTION_USEEVENT | LINEINITIALIZEEXOPTION_USEHIDDENWINDOW);
  EXPECT_EQ(rc(lineInitializeEx(&h, nullptr, ignoreMessages, nullptr, &numDevs, &version, &p)),
            E(LINEERR_INVALPARAM));
  EXPECT_EQ(rc(tapirSimSettle()), E(LINEERR_UNINITIALIZED));
}

TEST_F(InitTest, CallHubTrackingOptionIsAccepted) {
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  DWORD version = kV22;
  LINEINITIALIZEEXPARAMS p =
      params(LINEINITIALIZEEXOPTION_USEEVENT | LINEINITIALIZEEXOPTION_CALLHUBTRACKING);
  ASSERT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, nullptr, &numDevs, &version, &p)), kOk);
  EXPECT_EQ(rc(lineShutdown(h)), kOk);
}

TEST_F(InitTest, AppNameMustBeDisplayable) {
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  DWORD version = kV22;
  LINEINITIALIZEEXPARAMS p = params(LINEINITIALIZEEXOPTION_USEEVENT);
  EXPECT_EQ(rc(lineInitializeEx(&h, nullptr, nullptr, "bad\nname", &numDevs, &version, &p)),
            E(LINEERR_INVALAPPNAME));
  EXPECT_EQ(rc(lineInitialize(&h, nullptr, ignoreMessages, "tab\tname", &numDevs)),
            E(LINEERR_INVALAPPNAME));
  EXPECT_EQ(rc(tapirSimSettle()), E(LINEERR_UNINITIALIZED));
}

TEST_F(InitTest, LineInitializeUsesTheCallback) {
  HLINEAPP h = 0;
  DWORD numDevs = 0;
  EXPECT_EQ(rc(lineInitialize(nullptr, nullptr, ignoreMessages, nullptr, &numDevs)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineInitialize(&h, nullptr, nullptr, nullptr, &numDevs)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineInitialize(&h, nullptr, ignoreMessages, nullptr, nullptr)),
            E(LINEERR_INVALPOINTER));
  ASSERT_EQ(rc(lineInitialize(&h, nullptr, ignoreMessages, "old app", &numDevs)), kOk);
  EXPECT_EQ(numDevs, 8u);
  // Callback applications do not use lineGetMessage.
  LINEMESSAGE m;
  EXPECT_EQ(rc(lineGetMessage(h, &m, 0)), E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineShutdown(h)), kOk);
}

TEST_F(InitTest, ShutdownErrors) {
  // Nothing initialized.
  EXPECT_EQ(rc(lineShutdown(1)), E(LINEERR_UNINITIALIZED));
  App& a = app();
  App& b = app();
  EXPECT_NE(a.h, b.h) << "each registration has its own handle";
  EXPECT_EQ(rc(lineShutdown(a.h + b.h + 1000)), E(LINEERR_INVALAPPHANDLE));
  const HLINEAPP old = a.h;
  EXPECT_EQ(rc(a.shutdown()), kOk);
  EXPECT_EQ(rc(lineShutdown(old)), E(LINEERR_INVALAPPHANDLE)) << "b keeps the service running";
  const HLINEAPP last = b.h;
  EXPECT_EQ(rc(b.shutdown()), kOk);
  EXPECT_EQ(rc(lineShutdown(last)), E(LINEERR_UNINITIALIZED))
      << "the service stopped with the last one";
}

TEST_F(InitTest, FunctionsNeedAnInitializedApplication) {
  HLINE line = 0;
  HCALL call = 0;
  LINEMESSAGE m;
  EXPECT_EQ(rc(lineOpen(1, 0, &line, kV22, 0, 0, kOwner, kVoice, nullptr)),
            E(LINEERR_UNINITIALIZED));
  EXPECT_EQ(rc(lineMakeCall(1, &call, "202", 0, nullptr)), E(LINEERR_UNINITIALIZED));
  EXPECT_EQ(rc(lineGetMessage(1, &m, 0)), E(LINEERR_UNINITIALIZED));
  EXPECT_EQ(rc(lineClose(1)), E(LINEERR_UNINITIALIZED));
  EXPECT_EQ(rc(lineDrop(1, nullptr, 0)), E(LINEERR_UNINITIALIZED));
  EXPECT_EQ(rc(lineDeallocateCall(1)), E(LINEERR_UNINITIALIZED));
  EXPECT_EQ(rc(tapirSimAdvance(1)), E(LINEERR_UNINITIALIZED));
}

TEST_F(InitTest, NegotiateApiVersion) {
  App& a = app();
  DWORD v = 0;
  LINEEXTENSIONID ext;
  std::memset(&ext, 0xff, sizeof ext);
  ASSERT_EQ(rc(lineNegotiateAPIVersion(a.h, 0, kV14, 0x00030000, &v, &ext)), kOk);
  EXPECT_EQ(v, kV22);
  EXPECT_EQ(ext.dwExtensionID0, 0u) << "no provider extensions: the identifier is zeros";
  EXPECT_EQ(ext.dwExtensionID3, 0u);
  ASSERT_EQ(rc(lineNegotiateAPIVersion(a.h, 7, kV13, kV20, &v, &ext)), kOk);
  EXPECT_EQ(v, kV20) << "the highest version both support";
  ASSERT_EQ(rc(lineNegotiateAPIVersion(a.h, 0, kV13, kV13, &v, &ext)), kOk);
  EXPECT_EQ(v, kV13);
  // Ranges that do not overlap.
  EXPECT_EQ(rc(lineNegotiateAPIVersion(a.h, 0, 0x00030000, 0x00030001, &v, &ext)),
            E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineNegotiateAPIVersion(a.h, 0, 0x00010000, 0x00010002, &v, &ext)),
            E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineNegotiateAPIVersion(a.h, 0, kV22, kV14, &v, &ext)),
            E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineNegotiateAPIVersion(a.h, 8, kV14, kV22, &v, &ext)), E(LINEERR_BADDEVICEID));
  EXPECT_EQ(rc(lineNegotiateAPIVersion(a.h + 1000, 0, kV14, kV22, &v, &ext)),
            E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineNegotiateAPIVersion(a.h, 0, kV14, kV22, nullptr, &ext)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineNegotiateAPIVersion(a.h, 0, kV14, kV22, &v, nullptr)), E(LINEERR_INVALPOINTER));
}

TEST_F(InitTest, NegotiateExtVersionHasNoExtensions) {
  App& a = app();
  DWORD v = 0;
  EXPECT_EQ(rc(lineNegotiateExtVersion(a.h, 0, kV22, 1, 2, &v)), E(LINEERR_OPERATIONUNAVAIL));
  EXPECT_EQ(rc(lineNegotiateExtVersion(a.h, 8, kV22, 1, 2, &v)), E(LINEERR_BADDEVICEID));
  EXPECT_EQ(rc(lineNegotiateExtVersion(a.h + 1000, 0, kV22, 1, 2, &v)), E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineNegotiateExtVersion(a.h, 0, 0x00030000, 1, 2, &v)),
            E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineNegotiateExtVersion(a.h, 0, kV22, 1, 2, nullptr)), E(LINEERR_INVALPOINTER));
}

TEST_F(InitTest, OpenAndClose) {
  App& a = app();
  HLINE line = 0;
  ASSERT_EQ(rc(lineOpen(a.h, 0, &line, kV22, 0, 42, kOwner, kVoice, nullptr)), kOk);
  EXPECT_NE(line, 0u);
  // The same application may open the same line again.
  HLINE again = 0;
  ASSERT_EQ(rc(lineOpen(a.h, 0, &again, kV14, 0, 43, kMonitor, 0, nullptr)), kOk);
  EXPECT_NE(again, line);
  // Every privilege combination the reference allows.
  HLINE l = 0;
  EXPECT_EQ(rc(lineOpen(a.h, 1, &l, kV22, 0, 0, kNone, 0, nullptr)), kOk);
  EXPECT_EQ(rc(lineOpen(a.h, 1, &l, kV22, 0, 0, kOwner | kMonitor, kVoice, nullptr)), kOk);
  EXPECT_EQ(rc(lineOpen(a.h, 1, &l, kV13, 0, 0, kOwner, LINEMEDIAMODE_UNKNOWN, nullptr)), kOk);
  EXPECT_EQ(
      rc(lineOpen(a.h, 1, &l, kV22, 0, 0, kOwner, kVoice | LINEMEDIAMODE_AUTOMATEDVOICE, nullptr)),
      kOk);
  EXPECT_EQ(rc(lineClose(line)), kOk);
  EXPECT_EQ(rc(lineClose(line)), E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineClose(a.h)), E(LINEERR_INVALLINEHANDLE))
      << "an application handle is not a line";
  EXPECT_EQ(rc(lineClose(0)), E(LINEERR_INVALLINEHANDLE));
}

TEST_F(InitTest, OpenErrors) {
  App& a = app();
  HLINE line = 0;
  EXPECT_EQ(rc(lineOpen(a.h, 0, nullptr, kV22, 0, 0, kOwner, kVoice, nullptr)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineOpen(a.h, 8, &line, kV22, 0, 0, kOwner, kVoice, nullptr)),
            E(LINEERR_BADDEVICEID));
  EXPECT_EQ(rc(lineOpen(a.h + 1000, 0, &line, kV22, 0, 0, kOwner, kVoice, nullptr)),
            E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineOpen(a.h, 0, &line, 0x00030000, 0, 0, kOwner, kVoice, nullptr)),
            E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineOpen(a.h, 0, &line, 0x00010001, 0, 0, kOwner, kVoice, nullptr)),
            E(LINEERR_INCOMPATIBLEAPIVERSION));
  EXPECT_EQ(rc(lineOpen(a.h, 0, &line, kV22, 0x00010000, 0, kOwner, kVoice, nullptr)),
            E(LINEERR_INCOMPATIBLEEXTVERSION));
  // Privileges: NONE, MONITOR, OWNER or MONITOR|OWNER; anything else is INVALPRIVSELECT.
  EXPECT_EQ(rc(lineOpen(a.h, 0, &line, kV22, 0, 0, kOwner | kNone, kVoice, nullptr)),
            E(LINEERR_INVALPRIVSELECT));
  EXPECT_EQ(rc(lineOpen(a.h, 0, &line, kV22, 0, 0, 0, kVoice, nullptr)),
            E(LINEERR_INVALPRIVSELECT));
  EXPECT_EQ(rc(lineOpen(a.h, 0, &line, kV22, 0, 0, 0x10, kVoice, nullptr)),
            E(LINEERR_INVALPRIVSELECT));
  // Owners must name media modes the line handles.
  EXPECT_EQ(rc(lineOpen(a.h, 0, &line, kV22, 0, 0, kOwner, 0, nullptr)), E(LINEERR_INVALMEDIAMODE));
  EXPECT_EQ(rc(lineOpen(a.h, 0, &line, kV22, 0, 0, kOwner, LINEMEDIAMODE_G3FAX, nullptr)),
            E(LINEERR_INVALMEDIAMODE));
  EXPECT_EQ(rc(lineOpen(a.h, 0, &line, kV22, 0, 0, kOwner, 0x80000000, nullptr)),
            E(LINEERR_INVALMEDIAMODE));
  // ... which do not matter to monitors.
  EXPECT_EQ(rc(lineOpen(a.h, 0, &line, kV22, 0, 0, kMonitor, LINEMEDIAMODE_G3FAX, nullptr)), kOk);
}

TEST_F(InitTest, OpenSingleAddress) {
  App& a = app();
  HLINE line = 0;
  CallParams cp;
  cp.setDword(offsetof(LINECALLPARAMS, dwAddressMode), LINEADDRESSMODE_ADDRESSID);
  cp.setDword(offsetof(LINECALLPARAMS, dwAddressID), 0);
  EXPECT_EQ(rc(lineOpen(a.h, 2, &line, kV22, 0, 0, kOwner | LINEOPENOPTION_SINGLEADDRESS, kVoice,
                        cp.get())),
            kOk);
  // "If LINEOPENOPTION_SINGLEADDRESS is specified but either lpCallParams is
  // invalid or the included dwAddressID does not exist on the line, the open
  // fails with LINEERR_INVALADDRESSID" (lineOpen).
  cp.setDword(offsetof(LINECALLPARAMS, dwAddressID), 1);
  EXPECT_EQ(rc(lineOpen(a.h, 2, &line, kV22, 0, 0, kOwner | LINEOPENOPTION_SINGLEADDRESS, kVoice,
                        cp.get())),
            E(LINEERR_INVALADDRESSID));
  cp.setDword(offsetof(LINECALLPARAMS, dwAddressID), 0);
  cp.setDword(offsetof(LINECALLPARAMS, dwAddressMode), LINEADDRESSMODE_DIALABLEADDR);
  cp.setString(offsetof(LINECALLPARAMS, dwOrigAddressSize),
               offsetof(LINECALLPARAMS, dwOrigAddressOffset), "203");
  EXPECT_EQ(rc(lineOpen(a.h, 2, &line, kV22, 0, 0, kOwner | LINEOPENOPTION_SINGLEADDRESS, kVoice,
                        cp.get())),
            E(LINEERR_INVALADDRESSID));
  EXPECT_EQ(rc(lineOpen(a.h, 2, &line, kV22, 0, 0, kOwner | LINEOPENOPTION_SINGLEADDRESS, kVoice,
                        nullptr)),
            E(LINEERR_INVALADDRESSID));
}

TEST_F(InitTest, OpenWithLineMapper) {
  App& a = app();
  HLINE line = 0;
  CallParams cp;
  cp.setDword(offsetof(LINECALLPARAMS, dwAddressMode), LINEADDRESSMODE_DIALABLEADDR);
  cp.setString(offsetof(LINECALLPARAMS, dwOrigAddressSize),
               offsetof(LINECALLPARAMS, dwOrigAddressOffset), "205");
  ASSERT_EQ(rc(lineOpen(a.h, LINEMAPPER, &line, kV22, 0, 0, kOwner, kVoice, cp.get())), kOk);
  // lineGetID tells which device was opened.
  Var<VARSTRING> id;
  ASSERT_EQ(rc(lineGetID(line, 0, 0, LINECALLSELECT_LINE, id.get(), "tapi/line")), kOk);
  ASSERT_EQ(id->dwStringSize, sizeof(DWORD));
  EXPECT_EQ(id.at(id->dwStringOffset), dev(205));
  // ADDRESSID mode: any line will do.
  CallParams any;
  any.setDword(offsetof(LINECALLPARAMS, dwAddressMode), LINEADDRESSMODE_ADDRESSID);
  EXPECT_EQ(rc(lineOpen(a.h, LINEMAPPER, &line, kV22, 0, 0, kOwner, kVoice, any.get())), kOk);
  // No line has that address.
  CallParams none;
  none.setDword(offsetof(LINECALLPARAMS, dwAddressMode), LINEADDRESSMODE_DIALABLEADDR);
  none.setString(offsetof(LINECALLPARAMS, dwOrigAddressSize),
                 offsetof(LINECALLPARAMS, dwOrigAddressOffset), "299");
  EXPECT_EQ(rc(lineOpen(a.h, LINEMAPPER, &line, kV22, 0, 0, kOwner, kVoice, none.get())),
            E(LINEERR_LINEMAPPERFAILED));
  EXPECT_EQ(rc(lineOpen(a.h, LINEMAPPER, &line, kV22, 0, 0, kOwner, kVoice, nullptr)),
            E(LINEERR_INVALPOINTER));
  CallParams small;
  small.setDword(offsetof(LINECALLPARAMS, dwTotalSize), 8);
  EXPECT_EQ(rc(lineOpen(a.h, LINEMAPPER, &line, kV22, 0, 0, kOwner, kVoice, small.get())),
            E(LINEERR_STRUCTURETOOSMALL));
}

TEST_F(InitTest, ProxyOpensAreNotSupported) {
  App& a = app();
  HLINE line = 0;
  CallParams cp;
  EXPECT_EQ(
      rc(lineOpen(a.h, 0, &line, kV22, 0, 0, kOwner | LINEOPENOPTION_PROXY, kVoice, cp.get())),
      E(LINEERR_OPERATIONUNAVAIL));
}

TEST_F(InitTest, HandlesOfDifferentKindsNeverMix) {
  App& a = app();
  const HLINE line = a.open(201);
  App& b = app();
  const HLINE lb = b.open(202);
  const HCALL call = makeCall(a, line, "202");
  EXPECT_EQ(rc(lineHold(line)), E(LINEERR_INVALCALLHANDLE)) << "a line handle is not a call handle";
  EXPECT_EQ(rc(lineHold(a.h)), E(LINEERR_INVALCALLHANDLE));
  EXPECT_EQ(rc(lineClose(call)), E(LINEERR_INVALLINEHANDLE))
      << "a call handle is not a line handle";
  LINEMESSAGE m;
  EXPECT_EQ(rc(lineGetMessage(line, &m, 0)), E(LINEERR_INVALAPPHANDLE));
  EXPECT_EQ(rc(lineShutdown(call)), E(LINEERR_INVALAPPHANDLE));
  (void)lb;
}

TEST_F(InitTest, ShutdownClosesLinesAndDropsOwnedCalls) {
  App& a = app();
  App& b = app();
  const HLINE la = a.open(201);
  const HLINE lb = b.open(202);
  const Pair p = connect(a, la, b, lb, "202");
  EXPECT_EQ(rc(a.shutdown()), kOk);
  settle();
  // a was the sole owner of its call: it was dropped.
  EXPECT_EQ(b.states(p.b).back(), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
  EXPECT_EQ(rc(lineClose(la)), E(LINEERR_INVALLINEHANDLE));
}

TEST_F(InitTest, TheNextInitializeStartsAFreshService) {
  {
    App& a = app();
    App& b = app();
    const HLINE la = a.open(201);
    b.open(202);
    makeCall(a, la, "202");
    EXPECT_EQ(rc(a.shutdown()), kOk);
    EXPECT_EQ(rc(b.shutdown()), kOk);
  }
  EXPECT_EQ(rc(tapirSimSettle()), E(LINEERR_UNINITIALIZED));
  App& c = app();
  const HLINE lc = c.open(202, kMonitor, 0);
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetNewCalls(lc, 0, LINECALLSELECT_LINE, list.get())), kOk);
  EXPECT_EQ(list->dwCallsNumEntries, 0u) << "the old service's call is gone";
  Var<LINEADDRESSSTATUS> st;
  ASSERT_EQ(rc(lineGetAddressStatus(lc, 0, st.get())), kOk);
  EXPECT_EQ(st->dwNumInUse, 0u);
}

TEST_F(InitTest, StatusMessagesRoundTrip) {
  App& a = app();
  const HLINE line = a.open(201);
  DWORD lineStates = 1;
  DWORD addressStates = 1;
  ASSERT_EQ(rc(lineGetStatusMessages(line, &lineStates, &addressStates)), kOk);
  EXPECT_EQ(lineStates, 0u) << "status messages are off until asked for";
  EXPECT_EQ(addressStates, 0u);
  ASSERT_EQ(rc(lineSetStatusMessages(line, LINEDEVSTATE_RINGING | LINEDEVSTATE_OPEN,
                                     LINEADDRESSSTATE_FORWARD)),
            kOk);
  ASSERT_EQ(rc(lineGetStatusMessages(line, &lineStates, &addressStates)), kOk);
  EXPECT_EQ(lineStates, static_cast<DWORD>(LINEDEVSTATE_RINGING | LINEDEVSTATE_OPEN));
  EXPECT_EQ(addressStates, static_cast<DWORD>(LINEADDRESSSTATE_FORWARD));
  EXPECT_EQ(rc(lineSetStatusMessages(line, 0x80000000, 0)), E(LINEERR_INVALLINESTATE));
  EXPECT_EQ(rc(lineSetStatusMessages(line, 0, 0x80000000)), E(LINEERR_INVALADDRESSSTATE));
  EXPECT_EQ(rc(lineSetStatusMessages(line + 1000, 0, 0)), E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineGetStatusMessages(line + 1000, &lineStates, &addressStates)),
            E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineGetStatusMessages(line, nullptr, &addressStates)), E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineGetStatusMessages(line, &lineStates, nullptr)), E(LINEERR_INVALPOINTER));
  // A failed set changes nothing.
  ASSERT_EQ(rc(lineGetStatusMessages(line, &lineStates, &addressStates)), kOk);
  EXPECT_EQ(lineStates, static_cast<DWORD>(LINEDEVSTATE_RINGING | LINEDEVSTATE_OPEN));
}

}  // namespace
}  // namespace tapir::conformance
