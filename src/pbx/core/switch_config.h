// What the switch is built from: stations, numbering, feature limits.
// Plain data; src/pbx/config.h reads it from TOML.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/event_loop.h"

namespace tapir::pbx {

struct StationConfig {
  std::string number;                       // the directory number of its (first) address
  std::string name;                         // display name; defaults to "Station <number>"
  std::vector<std::string> extraAddresses;  // more directory numbers on the same line
  std::uint32_t pickupGroup = 0;            // 0: none
  // Calls that may be in use at an address before it counts as busy. 1: no
  // call waiting. More: call waiting up to that many calls.
  std::uint32_t busyTrigger = 1;
};

struct SwitchConfig {
  std::string name = "tapir";
  Duration ringPeriod = std::chrono::seconds(6);  // one ring cycle
  std::uint32_t maxCallsPerAddress = 8;           // call appearances an address can hold
  std::uint32_t conferenceMax = 8;                // parties, the controller included
  std::uint32_t defaultNoAnswerRings = 4;
  std::uint32_t minNoAnswerRings = 1;
  std::uint32_t maxNoAnswerRings = 15;
  std::uint32_t maxForwardEntries = 8;
  std::uint32_t maxForwardHops = 8;  // longest forwarding chain followed
  std::uint32_t maxCompletionsPerLine = 8;
  Duration callbackExpiry = std::chrono::minutes(30);
  std::vector<std::string> completionMessages = {"Please call back", "I called",
                                                 "Urgent: call back", "Will call again"};
  std::vector<std::string> parkOrbits;             // directory numbers of the orbits
  Duration parkRecall = std::chrono::seconds(90);  // 0: never recall
  std::string outsidePrefix = "9";
  std::uint32_t outsideMinDigits = 7;
  std::uint32_t outsideMaxDigits = 15;
  std::vector<StationConfig> stations;
  // pickup group id -> member numbers is implied by StationConfig::pickupGroup.
};

}  // namespace tapir::pbx
