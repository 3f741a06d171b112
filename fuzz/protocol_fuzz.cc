// Fuzzes the tapird protocol's request side: each input line is one client
// message, a frame or a batch of them, parsed (forEachRequest) and
// dispatched (Dispatcher) for one session against the service and the demo
// switch on simulated time. Any input gives
// responses and events, never a crash, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/sim_loop.h"
#include "pbx/builtin_config.h"
#include "pbx/config.h"
#include "pbx/virtual/outside_parties.h"
#include "pbx/virtual/virtual_pbx.h"
#include "protocol/codec.h"
#include "protocol/dispatch.h"
#include "service/service.h"

namespace {

const tapir::pbx::PbxConfig& demoConfig() {
  static const tapir::pbx::PbxConfig config = [] {
    auto c = tapir::pbx::parseConfig(tapir::kBuiltinDemoConfig, "demo.toml");
    if (!c) __builtin_trap();
    return std::move(*c);
  }();
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tapir;  // NOLINT: a fuzz target's body
  if (size > 64 * 1024) return 0;
  SimLoop loop;
  auto pbx = pbx::sim::VirtualPbx::create(loop, demoConfig());
  if (!pbx) __builtin_trap();
  {
    service::Service service(loop, (*pbx)->sw());
    protocol::ServerInfo info;
    info.switchName = "demo";
    info.sim.settle = [&] {
      loop.runUntilIdle();
      return Status();
    };
    info.sim.advance = [&](std::uint64_t ms) {
      loop.advance(std::chrono::milliseconds(ms % 600'000));
      return Status();
    };
    pbx::sim::OutsideParties parties((*pbx)->world());
    info.sim.incomingCall = [&](const PartyId& from, const std::string& to,
                                const std::string& script) { return parties.call(from, to, script); };
    info.sim.farEnd = [&](std::uint32_t leg, const std::string& action) {
      return parties.act(leg, action);
    };
    protocol::Dispatcher dispatcher;
    std::size_t sent = 0;
    protocol::Session session(service, [&](std::string frame) { sent += frame.size(); });
    protocol::Context ctx{1, "fuzz", session, service, info};
    // tapird closes a connection after a malformed frame; going on here
    // reaches nothing new but costs nothing either.
    const auto check = [](protocol::Dispatcher::Outcome o) {
      if (o.frame.empty()) __builtin_trap();
    };
    // A line is one message: a frame, or a batch of them as tapird reads it.
    auto run = [&](std::string_view message) {
      protocol::forEachRequest(message, [&](Result<protocol::Request> request, std::uint64_t id) {
        dispatcher.handle(ctx, std::move(request), id, check);
        return true;
      });
    };
    run(R"({"id":1,"method":"hello","params":{"version":1}})");
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      run(text.substr(start, end - start));
      loop.runUntilIdle();
      start = end + 1;
    }
  }  // the session shuts its applications down, then the service goes
  loop.runUntilIdle();
  return 0;
}
