// attendant: answers a call, consults someone, and transfers the caller.
//
//   attendant [station] [consult-destination]
//
// The C++ API (tapir/tapir.h) in the TAPI 3 style: register for calls on the
// attendant's station (default 201), answer the one that comes in, put it on
// hold while a consultation call goes to the destination (default 95550100:
// on the demo switch an outside number that answers after two rings), then
// finish the consultation as a transfer, which connects the caller with the
// destination and frees the attendant.
//
// On the built-in demo switch nobody calls by themselves, so the attendant
// has the simulated outside world place the call (tapir/sim.h).
//
// Exit status 0 when the caller was transferred, 1 otherwise.
#include <tapir/sim.h>
#include <tapir/tapir.h>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;

namespace {

const char* stateName(tapir::Call::State s) {
  static const char* kNames[] = {"IDLE",     "INPROGRESS", "CONNECTED", "DISCONNECTED",
                                 "OFFERING", "HOLD",       "QUEUED"};
  return kNames[static_cast<int>(s)];
}

int fail(const char* what, const tapir::Status& st) {
  std::fprintf(stderr, "attendant: %s: %s\n", what, st.toString().c_str());
  return 1;
}

// The next event, or nothing after a minute without one.
std::optional<tapir::Event> next(tapir::Telephony& tapi) {
  return tapi.nextEvent(60s);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string station = argc > 1 ? argv[1] : "201";
  const std::string destination = argc > 2 ? argv[2] : "95550100";

  tapir::TelephonyOptions options;
  options.appName = "attendant";
  auto tapi = tapir::Telephony::initialize(options);
  if (!tapi) return fail("initialize", tapi.status());
  auto desk = tapi->address(station);
  if (!desk) return fail("address", desk.status());
  auto reg = tapi->registerCallNotifications(*desk, /*owner=*/true, /*monitor=*/false);
  if (!reg) return fail("register", reg.status());
  std::printf("attendant at %s (%s), waiting for a call\n", desk->dialableAddress().c_str(),
              desk->name().c_str());

  DWORD leg = 0;
  if (LONG rc = tapirSimIncomingCall("5551234", "A. Caller", station.c_str(), nullptr, &leg);
      rc != 0) {
    std::fprintf(stderr, "attendant: no simulated caller (%ld)\n", static_cast<long>(rc));
    return 1;
  }

  // 1. A call is offered: answer it.
  tapir::Call caller;
  while (!caller) {
    auto e = next(*tapi);
    if (!e)
      return fail("waiting for a call", tapir::Status(tapir::Code::kDeadlineExceeded, "no call"));
    if (auto* n = std::get_if<tapir::CallNotificationEvent>(&*e)) caller = n->call;
  }
  auto info = caller.info();
  std::printf("call from %s\n", info ? info->caller.number.c_str() : "?");
  if (auto st = caller.answer(); !st) return fail("answer", st);

  // 2. Consult: the caller waits on hold while the attendant talks to the
  //    destination. transfer(sync) returns once the destination answered.
  auto consult = desk->createCall(destination);
  if (!consult) return fail("createCall", consult.status());
  std::printf("consulting %s\n", destination.c_str());
  if (auto st = caller.transfer(*consult, /*sync=*/true); !st) return fail("transfer", st);
  std::printf("caller %s, consultation %s\n", stateName(caller.state()),
              stateName(consult->state()));

  // 3. Finish as a transfer: the caller and the destination are connected.
  if (auto st = consult->finish(tapir::Call::FinishMode::kAsTransfer); !st)
    return fail("finish", st);
  while (caller.state() != tapir::Call::State::kDisconnected ||
         consult->state() != tapir::Call::State::kDisconnected) {
    if (!next(*tapi)) break;
  }
  std::printf("transferred: caller %s, consultation %s\n", stateName(caller.state()),
              stateName(consult->state()));
  return caller.state() == tapir::Call::State::kDisconnected ? 0 : 1;
}
