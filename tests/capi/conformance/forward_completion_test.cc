// Forwarding (unconditional, busy, no answer, do-not-disturb) and call
// completion (camp-on, callback, intrude, message), with their messages
// (lineForward, lineCompleteCall, lineUncompleteCall).
#include <map>

#include "conformance.h"

namespace tapir::conformance {
namespace {

using States = std::vector<DWORD>;

// A LINEFORWARDLIST with its strings after the entries.
class ForwardList {
 public:
  struct Entry {
    DWORD mode;
    std::string dest;
    std::string caller;
  };
  explicit ForwardList(std::vector<Entry> entries) {
    const std::size_t head =
        offsetof(LINEFORWARDLIST, ForwardList) + entries.size() * sizeof(LINEFORWARD);
    buf_.assign(std::max(head, sizeof(LINEFORWARDLIST)) + 256, 0);
    std::size_t at = head;
    auto put = [&](const std::string& s, DWORD& size, DWORD& offset) {
      if (s.empty()) return;
      std::memcpy(buf_.data() + at, s.c_str(), s.size() + 1);
      size = static_cast<DWORD>(s.size() + 1);
      offset = static_cast<DWORD>(at);
      at += s.size() + 1;
    };
    for (std::size_t i = 0; i < entries.size(); ++i) {
      LINEFORWARD f{};
      f.dwForwardMode = entries[i].mode;
      put(entries[i].caller, f.dwCallerAddressSize, f.dwCallerAddressOffset);
      put(entries[i].dest, f.dwDestAddressSize, f.dwDestAddressOffset);
      std::memcpy(buf_.data() + offsetof(LINEFORWARDLIST, ForwardList) + i * sizeof(LINEFORWARD),
                  &f, sizeof f);
    }
    set(offsetof(LINEFORWARDLIST, dwTotalSize), static_cast<DWORD>(buf_.size()));
    set(offsetof(LINEFORWARDLIST, dwNumEntries), static_cast<DWORD>(entries.size()));
  }
  void set(std::size_t offset, DWORD v) { std::memcpy(buf_.data() + offset, &v, sizeof v); }
  LPLINEFORWARDLIST get() { return reinterpret_cast<LPLINEFORWARDLIST>(buf_.data()); }

 private:
  std::vector<unsigned char> buf_;
};

class ForwardTest : public TwoAppTest {
 protected:
  HCALL callTo(int from, int to) {
    return makeCall(owner(from), line(from), std::to_string(to).c_str());
  }
  HCALL offeredAt(int s) { return owner(s).newestCall(line(s)); }
  Rc forward(int s, std::vector<ForwardList::Entry> entries, DWORD rings = 4) {
    ForwardList list(std::move(entries));
    HCALL consult = 0xdead;
    const Rc r =
        outcome(owner(s), lineForward(line(s), TRUE, 0, list.get(), rings, &consult, nullptr));
    if (r == kOk) {
      EXPECT_EQ(consult, 0u) << "no consultation call: lphConsultCall is set to NULL";
    }
    return r;
  }
};

using CompletionTest = ForwardTest;

TEST_F(ForwardTest, Unconditional) {
  ASSERT_EQ(rc(lineSetStatusMessages(line(202), 0, LINEADDRESSSTATE_FORWARD)), kOk);
  ForwardList list({{LINEFORWARDMODE_UNCOND, "205", ""}});
  HCALL consult = 0xdead;
  const LONG req = lineForward(line(202), FALSE, 0, list.get(), 4, &consult, nullptr);
  ASSERT_EQ(outcome(a(), req), kOk);
  EXPECT_EQ(consult, 0u);
  // The reply, then LINE_ADDRESSSTATE(FORWARD) confirming it.
  EXPECT_LT(a().replyIndex(req), a().indexOf(LINE_ADDRESSSTATE, line(202)));
  Var<LINEADDRESSSTATUS> st;
  ASSERT_EQ(rc(lineGetAddressStatus(line(202), 0, st.get())), kOk);
  EXPECT_EQ(st->dwForwardNumEntries, 1u);
  const HCALL call = callTo(201, 202);
  const HCALL at205 = offeredAt(205);
  ASSERT_NE(at205, 0u);
  EXPECT_TRUE(a().newCalls(line(202)).empty()) << "202 never rang";
  const Info i = info(at205);
  EXPECT_EQ(i.reason, static_cast<DWORD>(LINECALLREASON_FWDUNCOND));
  EXPECT_EQ(i.caller, "201");
  EXPECT_EQ(i.redirecting, "202");
  EXPECT_EQ(i.redirection, "205");
  EXPECT_EQ(info(call).called, "202");
  EXPECT_EQ(info(call).redirection, "205");
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
}

TEST_F(ForwardTest, UnconditionalToAnOutsideNumber) {
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_UNCOND, "95550177", ""}}), kOk);
  const HCALL call = callTo(201, 202);
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(info(call).connected, "5550177");
}

TEST_F(ForwardTest, OnBusy) {
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_BUSY, "206", ""}}), kOk);
  const HCALL first = callTo(201, 202);
  EXPECT_NE(offeredAt(202), 0u) << "not busy: 202 rings";
  EXPECT_EQ(offeredAt(206), 0u);
  EXPECT_OK(a(), lineAnswer(offeredAt(202), nullptr, 0));
  const HCALL second = callTo(203, 202);
  const HCALL at206 = offeredAt(206);
  ASSERT_NE(at206, 0u);
  EXPECT_EQ(info(at206).reason, static_cast<DWORD>(LINECALLREASON_FWDBUSY));
  EXPECT_EQ(state(second), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  (void)first;
}

TEST_F(ForwardTest, OnNoAnswerAfterTheRings) {
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_NOANSW, "206", ""}}, 2), kOk);
  Var<LINEADDRESSSTATUS> st;
  ASSERT_EQ(rc(lineGetAddressStatus(line(202), 0, st.get())), kOk);
  EXPECT_EQ(st->dwNumRingsNoAnswer, 2u);
  const HCALL call = callTo(201, 202);
  const HCALL ringing = offeredAt(202);
  advance(2 * kRingMs - 1);
  EXPECT_EQ(state(ringing), static_cast<DWORD>(LINECALLSTATE_OFFERING));
  EXPECT_EQ(offeredAt(206), 0u);
  advance(1);
  EXPECT_EQ(a().statesWithModes(ringing),
            (std::vector<std::pair<DWORD, DWORD>>{
                {LINECALLSTATE_OFFERING, LINEOFFERINGMODE_ACTIVE},
                {LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_FORWARDED},
                {LINECALLSTATE_IDLE, 0}}));
  const HCALL at206 = offeredAt(206);
  ASSERT_NE(at206, 0u);
  EXPECT_TRUE(announced(b(), line(206), at206, kOwner));
  EXPECT_EQ(info(at206).reason, static_cast<DWORD>(LINECALLREASON_FWDNOANSWER));
  EXPECT_EQ(info(at206).redirecting, "202");
  EXPECT_OK(b(), lineAnswer(at206, nullptr, 0));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(ForwardTest, RingsOutOfRangeAreClamped) {
  // "If dwNumRingsNoAnswer is out of range, the actual value is set to the
  // nearest value in the allowable range."
  Var<LINEADDRESSCAPS> caps;
  ASSERT_EQ(rc(lineGetAddressCaps(a().h, dev(202), 0, kV22, 0, caps.get())), kOk);
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_NOANSW, "206", ""}}, 999), kOk);
  Var<LINEADDRESSSTATUS> st;
  ASSERT_EQ(rc(lineGetAddressStatus(line(202), 0, st.get())), kOk);
  EXPECT_EQ(st->dwNumRingsNoAnswer, caps->dwMaxFwdNumRings);
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_NOANSW, "206", ""}}, 0), kOk);
  ASSERT_EQ(rc(lineGetAddressStatus(line(202), 0, st.get())), kOk);
  EXPECT_EQ(st->dwNumRingsNoAnswer, caps->dwMinFwdNumRings);
}

TEST_F(ForwardTest, BusyOrNoAnswer) {
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_BUSYNA, "206", ""}}, 1), kOk);
  callTo(201, 202);
  rings(1);
  EXPECT_NE(offeredAt(206), 0u) << "no answer";
  ASSERT_EQ(forward(203, {{LINEFORWARDMODE_BUSYNA, "207", ""}}), kOk);
  talk(204, 203);
  callTo(205, 203);
  EXPECT_NE(offeredAt(207), 0u) << "busy";
}

TEST_F(ForwardTest, InternalAndExternalCallers) {
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_UNCONDEXTERNAL, "206", ""}}), kOk);
  ASSERT_EQ(forward(204, {{LINEFORWARDMODE_UNCONDINTERNAL, "207", ""}}), kOk);
  callTo(201, 202);
  EXPECT_NE(offeredAt(202), 0u) << "an internal caller is not forwarded by UNCONDEXTERNAL";
  DWORD leg = 0;
  ASSERT_EQ(rc(tapirSimIncomingCall("5551234", nullptr, "202", nullptr, &leg)), kOk);
  settle();
  ASSERT_NE(offeredAt(206), 0u) << "an outside caller is";
  EXPECT_EQ(info(offeredAt(206)).caller, "5551234");
  ASSERT_EQ(rc(tapirSimIncomingCall("5551234", nullptr, "204", nullptr, &leg)), kOk);
  settle();
  EXPECT_NE(offeredAt(204), 0u) << "an outside caller is not forwarded by UNCONDINTERNAL";
  callTo(203, 204);
  ASSERT_NE(offeredAt(207), 0u) << "an internal caller is";
  EXPECT_EQ(info(offeredAt(207)).caller, "203");
}

TEST_F(ForwardTest, SpecificCaller) {
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_UNCONDSPECIFIC, "206", "203"}}), kOk);
  callTo(201, 202);
  EXPECT_NE(offeredAt(202), 0u);
  EXPECT_EQ(offeredAt(206), 0u);
  callTo(203, 202);
  EXPECT_NE(offeredAt(206), 0u) << "203 is forwarded";
}

TEST_F(ForwardTest, DoNotDisturb) {
  // "If a NULL destination address is specified for an entry in the
  // forwarding list, the operation acts as a do-not-disturb."
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_UNCOND, "", ""}}), kOk);
  const HCALL call = callTo(201, 202);
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_DISCONNECTED));
  EXPECT_EQ(stateMode(call), static_cast<DWORD>(LINEDISCONNECTMODE_DONOTDISTURB));
  EXPECT_EQ(offeredAt(202), 0u);
}

TEST_F(ForwardTest, CancellingAndReplacing) {
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_UNCOND, "206", ""}}), kOk);
  // A new list replaces the old one.
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_BUSY, "207", ""}}), kOk);
  Var<LINEADDRESSSTATUS> st;
  ASSERT_EQ(rc(lineGetAddressStatus(line(202), 0, st.get())), kOk);
  ASSERT_EQ(st->dwForwardNumEntries, 1u);
  LINEFORWARD f;
  std::memcpy(&f, st.bytes() + st->dwForwardOffset, sizeof f);
  EXPECT_EQ(f.dwForwardMode, static_cast<DWORD>(LINEFORWARDMODE_BUSY));
  // A NULL list cancels everything; so does an empty one.
  HCALL consult = 0;
  EXPECT_OK(a(), lineForward(line(202), TRUE, 0, nullptr, 4, &consult, nullptr));
  ASSERT_EQ(rc(lineGetAddressStatus(line(202), 0, st.get())), kOk);
  EXPECT_EQ(st->dwForwardNumEntries, 0u);
  EXPECT_OK(a(), lineForward(line(202), TRUE, 0, nullptr, 4, &consult, nullptr))
      << "cancelling nothing succeeds";
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_UNCOND, "206", ""}}), kOk);
  ASSERT_EQ(forward(202, {}), kOk);
  ASSERT_EQ(rc(lineGetAddressStatus(line(202), 0, st.get())), kOk);
  EXPECT_EQ(st->dwForwardNumEntries, 0u);
  callTo(201, 202);
  EXPECT_NE(offeredAt(202), 0u);
}

TEST_F(ForwardTest, ForwardingLoopsStop) {
  ASSERT_EQ(forward(202, {{LINEFORWARDMODE_UNCOND, "203", ""}}), kOk);
  ASSERT_EQ(forward(203, {{LINEFORWARDMODE_UNCOND, "202", ""}}), kOk);
  const HCALL call = callTo(201, 202);
  EXPECT_NE(offeredAt(203), 0u);
  EXPECT_EQ(offeredAt(202), 0u);
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
}

TEST_F(ForwardTest, Errors) {
  HCALL consult = 0;
  ForwardList ok({{LINEFORWARDMODE_UNCOND, "203", ""}});
  EXPECT_EQ(rc(lineForward(line(202), TRUE, 0, ok.get(), 4, nullptr, nullptr)),
            E(LINEERR_INVALPOINTER))
      << "lphConsultCall must be valid even without a consultation call";
  EXPECT_EQ(rc(lineForward(line(202) + 1000, TRUE, 0, ok.get(), 4, &consult, nullptr)),
            E(LINEERR_INVALLINEHANDLE));
  EXPECT_EQ(rc(lineForward(line(202), FALSE, 1, ok.get(), 4, &consult, nullptr)),
            E(LINEERR_INVALADDRESSID));
  ForwardList twoModes({{LINEFORWARDMODE_UNCOND | LINEFORWARDMODE_BUSY, "203", ""}});
  EXPECT_EQ(rc(lineForward(line(202), TRUE, 0, twoModes.get(), 4, &consult, nullptr)),
            E(LINEERR_INVALPARAM));
  ForwardList noMode({{0, "203", ""}});
  EXPECT_EQ(rc(lineForward(line(202), TRUE, 0, noMode.get(), 4, &consult, nullptr)),
            E(LINEERR_INVALPARAM));
  ForwardList noCaller({{LINEFORWARDMODE_BUSYSPECIFIC, "203", ""}});
  EXPECT_EQ(rc(lineForward(line(202), TRUE, 0, noCaller.get(), 4, &consult, nullptr)),
            E(LINEERR_INVALPARAM));
  ForwardList self({{LINEFORWARDMODE_UNCOND, "202", ""}});
  EXPECT_EQ(rc(lineForward(line(202), TRUE, 0, self.get(), 4, &consult, nullptr)),
            E(LINEERR_INVALADDRESS));
  ForwardList nowhere({{LINEFORWARDMODE_UNCOND, "299", ""}});
  EXPECT_EQ(rc(lineForward(line(202), TRUE, 0, nowhere.get(), 4, &consult, nullptr)),
            E(LINEERR_INVALADDRESS));
  ForwardList orbit({{LINEFORWARDMODE_UNCOND, "701", ""}});
  EXPECT_EQ(rc(lineForward(line(202), TRUE, 0, orbit.get(), 4, &consult, nullptr)),
            E(LINEERR_INVALADDRESS));
  ForwardList small({{LINEFORWARDMODE_UNCOND, "203", ""}});
  small.set(offsetof(LINEFORWARDLIST, dwTotalSize), 4);
  EXPECT_EQ(rc(lineForward(line(202), TRUE, 0, small.get(), 4, &consult, nullptr)),
            E(LINEERR_STRUCTURETOOSMALL));
  ForwardList overrun({{LINEFORWARDMODE_UNCOND, "203", ""}});
  overrun.set(offsetof(LINEFORWARDLIST, dwNumEntries), 50);
  EXPECT_EQ(rc(lineForward(line(202), TRUE, 0, overrun.get(), 4, &consult, nullptr)),
            E(LINEERR_INVALPARAM))
      << "entries past dwTotalSize";
  ForwardList country({{LINEFORWARDMODE_UNCOND, "203", ""}});
  LINEFORWARD f;
  std::memcpy(&f, reinterpret_cast<char*>(country.get()) + offsetof(LINEFORWARDLIST, ForwardList),
              sizeof f);
  f.dwDestCountryCode = 9999;
  std::memcpy(reinterpret_cast<char*>(country.get()) + offsetof(LINEFORWARDLIST, ForwardList), &f,
              sizeof f);
  EXPECT_EQ(rc(lineForward(line(202), TRUE, 0, country.get(), 4, &consult, nullptr)),
            E(LINEERR_INVALCOUNTRYCODE));
  Var<LINEADDRESSSTATUS> st;
  ASSERT_EQ(rc(lineGetAddressStatus(line(202), 0, st.get())), kOk);
  EXPECT_EQ(st->dwForwardNumEntries, 0u) << "nothing was set";
}

// ---- call completion -------------------------------------------------------------------

TEST_F(CompletionTest, CampOn) {
  const Pair p = talk(201, 202);
  const HCALL call = callTo(203, 202);
  ASSERT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_BUSY));
  EXPECT_NE(features(call) & LINECALLFEATURE_COMPLETECALL, 0u);
  DWORD id = 0;
  const LONG req = lineCompleteCall(call, &id, LINECALLCOMPLMODE_CAMPON, 0);
  ASSERT_EQ(outcome(a(), req), kOk);
  EXPECT_NE(id, 0u) << "the completion id is written with the reply";
  EXPECT_LT(a().replyIndex(req), a().indexOf(LINE_CALLSTATE, call, LINECALLSTATE_RINGBACK));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  Var<LINEDEVSTATUS> ds;
  ASSERT_EQ(rc(lineGetLineDevStatus(line(203), ds.get())), kOk);
  EXPECT_EQ(ds->dwNumCallCompletions, 1u);
  // The camped-on call waits at 202, held, with its reason.
  const auto calls202 = a().newCalls(line(202));
  ASSERT_EQ(calls202.size(), 2u);
  const HCALL camped = calls202.back();
  EXPECT_TRUE(announced(a(), line(202), camped, kOwner));
  EXPECT_EQ(state(camped), static_cast<DWORD>(LINECALLSTATE_ONHOLD));
  EXPECT_EQ(info(camped).reason, static_cast<DWORD>(LINECALLREASON_CAMPEDON));
  EXPECT_EQ(info(camped).caller, "203");
  // 202's call ends: the camped-on call rings.
  EXPECT_OK(a(), lineDrop(p.a, nullptr, 0));
  EXPECT_EQ(state(camped), static_cast<DWORD>(LINECALLSTATE_OFFERING));
  EXPECT_OK(a(), lineAnswer(camped, nullptr, 0));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  ASSERT_EQ(rc(lineGetLineDevStatus(line(203), ds.get())), kOk);
  EXPECT_EQ(ds->dwNumCallCompletions, 0u);
}

TEST_F(CompletionTest, Callback) {
  const Pair p = talk(201, 202);
  const HCALL call = callTo(203, 202);
  DWORD id = 0;
  ASSERT_OK(a(), lineCompleteCall(call, &id, LINECALLCOMPLMODE_CALLBACK, 0));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_IDLE));
  const std::size_t before = a().newCalls(line(203)).size();
  EXPECT_OK(a(), lineDrop(p.a, nullptr, 0));
  ASSERT_EQ(a().newCalls(line(203)).size(), before + 1);
  const HCALL back = a().newestCall(line(203));
  EXPECT_TRUE(announced(a(), line(203), back, kOwner));
  EXPECT_EQ(state(back), static_cast<DWORD>(LINECALLSTATE_OFFERING));
  const Info i = info(back);
  EXPECT_EQ(i.reason, static_cast<DWORD>(LINECALLREASON_CALLCOMPLETION));
  EXPECT_EQ(i.completionId, id);
  EXPECT_EQ(i.caller, "202");
  // Taking the call-back rings 202.
  EXPECT_OK(a(), lineAnswer(back, nullptr, 0));
  EXPECT_EQ(state(back), static_cast<DWORD>(LINECALLSTATE_RINGBACK));
  EXPECT_OK(a(), lineAnswer(a().newestCall(line(202)), nullptr, 0));
  EXPECT_EQ(state(back), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(CompletionTest, CallbackOnNoAnswer) {
  const HCALL call = callTo(203, 202);
  const HCALL ringing = offeredAt(202);
  EXPECT_NE(features(call) & LINECALLFEATURE_COMPLETECALL, 0u);
  DWORD id = 0;
  ASSERT_OK(a(), lineCompleteCall(call, &id, LINECALLCOMPLMODE_CALLBACK, 0));
  EXPECT_EQ(state(ringing), static_cast<DWORD>(LINECALLSTATE_IDLE)) << "no longer rings";
  // Once 202 has been used, 203 is called back.
  const HCALL used = callTo(202, 204);
  EXPECT_OK(a(), lineDrop(used, nullptr, 0));
  const HCALL back = a().newestCall(line(203));
  ASSERT_NE(back, 0u);
  EXPECT_EQ(info(back).reason, static_cast<DWORD>(LINECALLREASON_CALLCOMPLETION));
}

TEST_F(CompletionTest, Intrude) {
  const Pair p = talk(202, 205);
  const HCALL call = callTo(201, 202);
  ASSERT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_BUSY));
  DWORD id = 0;
  ASSERT_OK(a(), lineCompleteCall(call, &id, LINECALLCOMPLMODE_INTRUDE, 0));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  // At 202: a conference of its call and the intruder, both announced.
  const auto calls202 = a().newCalls(line(202));
  ASSERT_EQ(calls202.size(), 2u) << "the conference and the intruder";
  const HCALL conf = calls202[0];
  const HCALL intruder = calls202[1];
  EXPECT_TRUE(announced(a(), line(202), conf, kOwner));
  EXPECT_TRUE(announced(a(), line(202), intruder, kOwner));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
  EXPECT_EQ(info(conf).origin, static_cast<DWORD>(LINECALLORIGIN_CONFERENCE));
  EXPECT_EQ(state(p.a), static_cast<DWORD>(LINECALLSTATE_CONFERENCED));
  EXPECT_EQ(state(intruder), static_cast<DWORD>(LINECALLSTATE_CONFERENCED));
  EXPECT_EQ(info(intruder).reason, static_cast<DWORD>(LINECALLREASON_INTRUDE));
  Var<LINECALLLIST> list;
  ASSERT_EQ(rc(lineGetConfRelatedCalls(intruder, list.get())), kOk);
  EXPECT_EQ(list->dwCallsNumEntries, 3u);
  // The intruder leaves: a plain call again.
  EXPECT_OK(a(), lineDrop(call, nullptr, 0));
  EXPECT_EQ(state(conf), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(p.a), static_cast<DWORD>(LINECALLSTATE_CONNECTED));
}

TEST_F(CompletionTest, MessageLightsMessageWaiting) {
  ASSERT_EQ(rc(lineSetStatusMessages(line(202), LINEDEVSTATE_MSGWAITON, 0)), kOk);
  talk(202, 205);
  const HCALL call = callTo(201, 202);
  Var<LINEADDRESSCAPS> caps;
  ASSERT_EQ(rc(lineGetAddressCaps(a().h, dev(202), 0, kV22, 0, caps.get())), kOk);
  ASSERT_GT(caps->dwNumCompletionMessages, 0u);
  DWORD id = 0;
  ASSERT_OK(a(), lineCompleteCall(call, &id, LINECALLCOMPLMODE_MESSAGE, 0));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_IDLE));
  auto ev = a().of(LINE_LINEDEVSTATE, line(202));
  ASSERT_EQ(ev.size(), 1u) << dump(a().msgs);
  EXPECT_EQ(ev[0].p1, static_cast<DWORD_PTR>(LINEDEVSTATE_MSGWAITON));
  Var<LINEDEVSTATUS> ds;
  ASSERT_EQ(rc(lineGetLineDevStatus(line(202), ds.get())), kOk);
  EXPECT_NE(ds->dwDevStatusFlags & LINEDEVSTATUSFLAGS_MSGWAIT, 0u);
}

TEST_F(CompletionTest, Uncomplete) {
  talk(201, 202);
  const HCALL call = callTo(203, 202);
  DWORD id = 0;
  ASSERT_OK(a(), lineCompleteCall(call, &id, LINECALLCOMPLMODE_CAMPON, 0));
  const HCALL camped = a().newestCall(line(202));
  EXPECT_OK(a(), lineUncompleteCall(line(203), id));
  EXPECT_EQ(state(camped), static_cast<DWORD>(LINECALLSTATE_IDLE));
  EXPECT_EQ(state(call), static_cast<DWORD>(LINECALLSTATE_BUSY));
  EXPECT_EQ(rc(lineUncompleteCall(line(203), id)), E(LINEERR_INVALCOMPLETIONID))
      << "already cancelled";
  EXPECT_EQ(rc(lineUncompleteCall(line(201), 999)), E(LINEERR_INVALCOMPLETIONID));
  EXPECT_EQ(rc(lineUncompleteCall(line(203) + 1000, id)), E(LINEERR_INVALLINEHANDLE));
}

TEST_F(CompletionTest, TooManyOutstanding) {
  Var<LINEADDRESSCAPS> caps;
  ASSERT_EQ(rc(lineGetAddressCaps(a().h, dev(201), 0, kV22, 0, caps.get())), kOk);
  const DWORD max = caps->dwMaxCallCompletions;
  ASSERT_GT(max, 0u);
  ASSERT_LT(max, 20u);
  for (DWORD i = 0; i < max; ++i) {
    const HCALL call = callTo(201, 202);
    DWORD id = 0;
    ASSERT_OK(a(), lineCompleteCall(call, &id, LINECALLCOMPLMODE_CALLBACK, 0)) << i;
    ASSERT_EQ(rc(lineDeallocateCall(call)), kOk);
  }
  Var<LINEDEVSTATUS> ds;
  ASSERT_EQ(rc(lineGetLineDevStatus(line(201), ds.get())), kOk);
  EXPECT_EQ(ds->dwNumCallCompletions, max);
  const HCALL call = callTo(201, 202);
  DWORD id = 0;
  EXPECT_EQ(rc(lineCompleteCall(call, &id, LINECALLCOMPLMODE_CALLBACK, 0)),
            E(LINEERR_COMPLETIONOVERRUN));
}

TEST_F(CompletionTest, Errors) {
  talk(202, 205);
  const HCALL call = callTo(201, 202);
  DWORD id = 0;
  EXPECT_EQ(rc(lineCompleteCall(call, nullptr, LINECALLCOMPLMODE_CALLBACK, 0)),
            E(LINEERR_INVALPOINTER));
  EXPECT_EQ(rc(lineCompleteCall(call, &id, 0x10, 0)), E(LINEERR_INVALCALLCOMPLMODE));
  EXPECT_EQ(
      rc(lineCompleteCall(call, &id, LINECALLCOMPLMODE_CAMPON | LINECALLCOMPLMODE_CALLBACK, 0)),
      E(LINEERR_INVALCALLCOMPLMODE));
  EXPECT_EQ(rc(lineCompleteCall(call, &id, LINECALLCOMPLMODE_MESSAGE, 99)),
            E(LINEERR_INVALMESSAGEID));
  EXPECT_EQ(rc(lineCompleteCall(call + 1000, &id, LINECALLCOMPLMODE_CALLBACK, 0)),
            E(LINEERR_INVALCALLHANDLE));
  const Pair p = talk(203, 204);
  EXPECT_EQ(rc(lineCompleteCall(p.a, &id, LINECALLCOMPLMODE_CALLBACK, 0)),
            E(LINEERR_INVALCALLSTATE))
      << "a connected call has nothing to complete";
  const HCALL ringing = callTo(206, 207);
  EXPECT_EQ(rc(lineCompleteCall(ringing, &id, LINECALLCOMPLMODE_CAMPON, 0)),
            E(LINEERR_INVALCALLCOMPLMODE))
      << "camp-on needs a busy station";
  const HCALL outside = callTo(208, 95550199);
  ASSERT_EQ(state(outside), static_cast<DWORD>(LINECALLSTATE_BUSY));
  EXPECT_EQ(rc(lineCompleteCall(outside, &id, LINECALLCOMPLMODE_CALLBACK, 0)),
            E(LINEERR_OPERATIONUNAVAIL))
      << "completion works toward this switch's stations";
  EXPECT_EQ(id, 0u);
}

}  // namespace
}  // namespace tapir::conformance
