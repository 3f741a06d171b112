// The simulated outside world and virtual stations: endpoints that follow
// scripts, so every path a SIP peer will take (delays, refusals, far-end
// hang-ups, holds, transfers, DTMF) is exercised with no network.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pbx/core/endpoint.h"
#include "pbx/core/switch.h"
#include "pbx/virtual/script.h"
#include "pbx/virtual/script_runner.h"

namespace tapir::pbx::sim {

struct OutsideNumber {
  std::string number;  // as dialed after the outside prefix
  std::string name;
  Script script;
};

struct WorldConfig {
  Script defaultScript;  // for any other valid outside number
  std::vector<OutsideNumber> numbers;
};

// The outside world, reached through the outside prefix (TrunkEndpoint).
class VirtualWorld final : public TrunkEndpoint {
 public:
  VirtualWorld(Switch& sw, WorldConfig config);
  ~VirtualWorld() override;

  void setup(CallId leg, const std::string& number, const PartyId& caller) override;
  void callState(CallId leg, CallState state, std::uint32_t mode) override;
  void held(CallId leg, bool onHold) override;
  void connectedParty(CallId leg, const PartyId& party) override;
  void digits(CallId leg, std::string_view digits) override;

  // An outside caller `from` dials `dialed` and then follows `script`.
  Result<CallId> call(const PartyId& from, std::string_view dialed, const Script& script = {});
  // Far-end actions on a live outside leg.
  Status hangup(CallId leg);
  Status hold(CallId leg, bool onHold);
  Status sendDigits(CallId leg, std::string_view digits);
  Status transfer(CallId leg, std::string_view dest);

  struct LegView {
    CallId leg;
    std::string number;     // the outside party
    bool outgoing = false;  // the switch called it
    CallState state = CallState::kIdle;
    std::uint32_t mode = 0;
    bool heldBySwitch = false;
    PartyId connected;
    std::string heard;  // DTMF digits the switch side sent, in order
  };
  std::vector<LegView> legs() const;
  const LegView* find(CallId leg) const;
  // Told of every state change of an outside leg (the tour prints them).
  std::function<void(const LegView&)> observer;
  const Script& scriptFor(std::string_view number) const;

 private:
  bool execute(CallId leg, const Step& step);

  Switch& sw_;
  WorldConfig config_;
  ScriptRunner runner_;
  std::unordered_map<std::uint64_t, LegView> legs_;
};

struct StationBehavior {
  Script script;                // played when a call is offered to the station
  Duration delay{};             // how long the phone takes to carry out a request
  std::vector<StationOp> fail;  // requests the phone refuses
  bool outOfOrder = false;      // cannot be alerted
  bool scripted() const {
    return !script.empty() || delay > Duration::zero() || !fail.empty() || outOfOrder;
  }
};

// A phone with scripted behaviour (StationEndpoint).
class VirtualStation final : public StationEndpoint {
 public:
  VirtualStation(Switch& sw, std::uint32_t station, StationBehavior behavior);
  ~VirtualStation() override;

  void perform(OpToken token, CallId call, StationOp op) override;
  void callState(CallId call, CallState state, std::uint32_t mode) override;

 private:
  bool execute(CallId call, const Step& step);

  Switch& sw_;
  std::uint32_t station_;
  StationBehavior behavior_;
  ScriptRunner runner_;
};

}  // namespace tapir::pbx::sim
