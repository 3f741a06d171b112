// autodialer: calls a list of numbers one after another and reports each
// outcome, the core of an outbound campaign.
//
//   autodialer [--from STATION] [--ring-ms N] [number...]
//
// Each number is called from STATION (default 201) with an asynchronous
// connect(); the OperationEvent that completes it says whether it connected
// or why not (busy, bad address...). A call still ringing after N ms
// (default 30000, wall time) counts as "no answer" and is dropped. A
// connected call is hung up at once: a real dialer would hand it to an agent.
//
// The default list, on the demo switch: 95550100 (answers), 95550199
// (busy), 95550188 (never answers), 123 (no such number).
//
// Prints one line per number ("95550100 connected") and exits 0 once the
// whole list was dialed, 2 on an API error.
#include <tapir/tapir.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace std::chrono;

namespace {

std::string outcome(const tapir::Status& st) {
  if (st.isOk()) return "connected";
  switch (st.fault()) {
    case tapir::Fault::kDestBusy:
      return "busy";
    case tapir::Fault::kDestNoAnswer:
      return "no answer";
    case tapir::Fault::kBadAddress:
      return "bad number";
    default:
      return "failed (" + st.message() + ")";
  }
}

// Dials one number; the outcome.
std::string dial(tapir::Telephony& tapi, const tapir::Address& from, const std::string& number,
                 milliseconds ringLimit) {
  auto call = from.createCall(number);
  if (!call) return outcome(call.status());
  if (auto st = call->connect(/*sync=*/false); !st) return outcome(st);
  const auto deadline = steady_clock::now() + ringLimit;
  std::string result;
  while (result.empty()) {
    const auto left = duration_cast<milliseconds>(deadline - steady_clock::now());
    if (left.count() <= 0) {
      result = "no answer";
      break;
    }
    auto e = tapi.nextEvent(left);
    if (!e) continue;
    if (auto* op = std::get_if<tapir::OperationEvent>(&*e); op && op->call == *call)
      result = outcome(op->status);
  }
  (void)call->disconnect();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  std::string from = "201";
  milliseconds ringLimit(30000);
  std::vector<std::string> numbers;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
      from = argv[++i];
    } else if (std::strcmp(argv[i], "--ring-ms") == 0 && i + 1 < argc) {
      ringLimit = milliseconds(std::atol(argv[++i]));
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "usage: autodialer [--from STATION] [--ring-ms N] [number...]\n");
      return 2;
    } else {
      numbers.emplace_back(argv[i]);
    }
  }
  if (numbers.empty()) numbers = {"95550100", "95550199", "95550188", "123"};

  // Only the events this program reads.
  tapir::TelephonyOptions options;
  options.appName = "autodialer";
  options.eventFilter = tapir::event_kind::kOperation;
  auto tapi = tapir::Telephony::initialize(options);
  if (!tapi) {
    std::fprintf(stderr, "autodialer: %s\n", tapi.status().toString().c_str());
    return 2;
  }
  auto address = tapi->address(from);
  if (!address) {
    std::fprintf(stderr, "autodialer: %s\n", address.status().toString().c_str());
    return 2;
  }
  for (const std::string& n : numbers) {
    std::printf("%s %s\n", n.c_str(), dial(*tapi, *address, n, ringLimit).c_str());
    std::fflush(stdout);
  }
  return 0;
}
