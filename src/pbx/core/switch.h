// Switch: the built-in PBX, a Provider over simulated or real endpoints.
//
// It owns stations (lines with addresses), legs (calls), park orbits and
// call-completion requests, and runs every session operation with TAPI
// semantics. It knows nothing of applications, handles or TAPI messages: the
// service drives it through the Provider interface, endpoints through the
// methods under "endpoint side".
//
// How a request runs: its checks run at once (an error is returned
// synchronously); then the station's phone is asked to carry it out
// (StationEndpoint::perform); when it answers, the checks run again, the
// reply goes out, and the change is applied and reported as events. Actions a
// phone takes on its own (phone*) skip the first two steps.
//
// The implementation is split by feature: switch.cc (objects, state, routing
// and the request runner), switch_basic.cc, switch_hold.cc,
// switch_transfer.cc, switch_conference.cc, switch_park.cc,
// switch_pickup.cc, switch_completion.cc, switch_forward.cc, switch_caps.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/event_loop.h"
#include "base/slot_map.h"
#include "pbx/core/dialplan.h"
#include "pbx/core/endpoint.h"
#include "pbx/core/model.h"
#include "pbx/core/outbox.h"
#include "pbx/core/switch_config.h"
#include "tapir/provider.h"

namespace tapir::pbx {

// A request id meaning "nobody waits for a reply".
inline constexpr RequestId kNoRequest = 0;

class Switch final : public Provider {
 public:
  // Checks the configuration (duplicate numbers, empty names...) first.
  static Result<std::unique_ptr<Switch>> create(EventLoop& loop, SwitchConfig config);
  // Destroy it only once its loop runs no more (queued tasks refer to it).
  ~Switch() override;

  // ---- Provider ------------------------------------------------------------
  std::string_view name() const override { return "tapir-pbx"; }
  void setListener(ProviderListener* listener) override { outbox_.setListener(listener); }
  std::uint32_t lineCount() const override { return static_cast<std::uint32_t>(stations_.size()); }
  LineId lineAt(std::uint32_t index) const override;
  const LineCaps* lineCaps(LineId line) const override;
  Result<LineStatus> lineStatus(LineId line) const override;
  Result<AddressStatus> addressStatus(LineId line, std::uint32_t address) const override;
  Result<std::uint32_t> addressId(LineId line, std::string_view address) const override;
  const CallInfo* callInfo(CallId call) const override;
  Result<CallStatus> callStatus(CallId call) const override;
  Result<std::vector<CallId>> conferenceCalls(CallId call) const override;
  std::vector<CallId> callsOnLine(LineId line, std::int64_t address = -1) const override;
  void closeCall(CallId call) override;

  Result<CallId> makeCall(RequestId req, LineId line, std::uint32_t address, std::string_view dest,
                          const CallParams& params) override;
  Status dial(RequestId req, CallId call, std::string_view digits) override;
  Status accept(RequestId req, CallId call) override;
  Status answer(RequestId req, CallId call) override;
  Status drop(RequestId req, CallId call) override;
  Status hold(RequestId req, CallId call) override;
  Status unhold(RequestId req, CallId call) override;
  Status swapHold(RequestId req, CallId active, CallId held) override;
  Status secureCall(RequestId req, CallId call) override;
  Status redirect(RequestId req, CallId call, std::string_view dest) override;
  Status blindTransfer(RequestId req, CallId call, std::string_view dest) override;
  Result<CallId> setupTransfer(RequestId req, CallId call, const CallParams& params) override;
  Result<CallId> completeTransfer(RequestId req, CallId call, CallId consult,
                                  TransferMode mode) override;
  Result<ConferenceSetup> setupConference(RequestId req, CallId call, LineId line,
                                          std::uint32_t address, std::uint32_t numParties,
                                          const CallParams& params) override;
  Result<CallId> prepareAddToConference(RequestId req, CallId conference,
                                        const CallParams& params) override;
  Status addToConference(RequestId req, CallId conference, CallId consult) override;
  Status removeFromConference(RequestId req, CallId call) override;
  Status park(RequestId req, CallId call, ParkMode mode, std::string_view orbit,
              std::size_t maxOrbitLength = kAnyOrbitLength) override;
  Result<CallId> unpark(RequestId req, LineId line, std::uint32_t address,
                        std::string_view orbit) override;
  Result<CallId> pickup(RequestId req, LineId line, std::uint32_t address, std::string_view dest,
                        std::string_view group) override;
  Status completeCall(RequestId req, CallId call, CompletionMode mode,
                      std::uint32_t messageId) override;
  Status uncompleteCall(RequestId req, LineId line, std::uint32_t completionId) override;
  Status forward(RequestId req, LineId line, bool allAddresses, std::uint32_t address,
                 std::span<const ForwardEntry> entries, std::uint32_t numRingsNoAnswer) override;

  // ---- endpoint side ----------------------------------------------------------
  // A station's phone; null restores the built-in one that does as asked.
  void setStationEndpoint(std::uint32_t station, StationEndpoint* endpoint);
  // The outside world; without one, outside numbers are unreachable.
  void setTrunkEndpoint(TrunkEndpoint* endpoint) { trunk_ = endpoint; }
  // A phone's answer to StationEndpoint::perform.
  void opDone(OpToken token, const Status& status);

  // Progress of a call the switch placed to the outside (TrunkEndpoint::setup).
  void trunkAlerting(CallId leg);
  void trunkAnswered(CallId leg);
  // The outside refused the call: kBusy (busy_mode), kSpecialInfo
  // (special_info) or kDisconnected (disconnect_mode).
  void trunkRefused(CallId leg, CallState state, std::uint32_t mode);
  // The outside party acts on its own.
  void trunkHangup(CallId leg);
  void trunkHold(CallId leg, bool onHold);
  void trunkDigits(CallId leg, std::string_view digits);
  Status trunkTransfer(CallId leg, std::string_view dest);
  // An outside caller dials `dialed`; returns its leg.
  Result<CallId> trunkIncoming(const PartyId& caller, std::string_view dialed);

  // A station's user acts on the phone itself.
  Status phoneAnswer(CallId call);
  Status phoneHangup(CallId call);
  Status phoneHold(CallId call);
  Status phoneRetrieve(CallId call);
  Status phoneTransfer(CallId call, std::string_view dest);
  Result<CallId> phoneDial(std::uint32_t station, std::uint32_t address, std::string_view dest);

  // ---- introspection (CLI, tests, benchmarks) --------------------------------
  EventLoop& loop() { return loop_; }
  const SwitchConfig& config() const { return config_; }
  std::uint32_t stationCount() const { return static_cast<std::uint32_t>(stations_.size()); }
  // Station index and address index of a directory number.
  Result<std::pair<std::uint32_t, std::uint32_t>> findNumber(std::string_view number) const;
  const Station& station(std::uint32_t index) const { return stations_[index]; }
  const Leg* leg(CallId id) const { return legs_.find(id); }
  std::size_t legCount() const { return legs_.size(); }
  const std::vector<Orbit>& orbits() const { return orbits_; }
  // Clears a station's message-waiting list (the user listened).
  Status clearMessages(std::uint32_t station);
  // Delivers queued events now instead of on the next loop turn.
  void flushEvents() { outbox_.flush(); }

 private:
  struct PendingOp {
    PendingOp(OpToken t) : token(t) {}
    OpToken token;
    RequestId req = kNoRequest;
    std::function<Status(ReplyData&)> check;
    std::function<void(const ReplyData&)> apply;
    std::function<void()> abort;  // undoes request-time work (pending legs)
  };
  class BuiltinPhone;

  Switch(EventLoop& loop, SwitchConfig config);
  Status build();

  // ---- checks shared by the operations (switch_basic.cc) ----
  Status needState(const Leg& leg, std::uint32_t states, std::string_view op) const;
  bool hasRoom(std::uint32_t station, std::uint32_t address, std::uint32_t more = 1) const;
  Status noRoom(std::uint32_t station, std::uint32_t address) const;

  // ---- the request runner (switch.cc) ----
  // Checks now, asks the phone of `station`, then checks again, replies and
  // applies. With req == kNoRequest and fromPhone, applies at once.
  Status run(RequestId req, std::uint32_t station, CallId call, StationOp op,
             std::function<Status(ReplyData&)> check, std::function<void(const ReplyData&)> apply,
             std::function<void()> abort = {}, bool fromPhone = false);
  void reply(RequestId req, Status status, ReplyData data = {});

  // ---- objects (switch.cc) ----
  Station* findStation(LineId line);
  const Station* findStation(LineId line) const;
  Leg* stationLeg(CallId id);
  const Leg* stationLeg(CallId id) const;
  Result<Leg*> ownLeg(CallId id);  // a live station leg, or kBadCallHandle
  Leg& newStationLeg(std::uint32_t station, std::uint32_t address, CallOrigin origin,
                     CallReason reason);
  Leg& newTrunkLeg(const std::string& number, bool outgoing);
  void announce(Leg& leg, CallState state, std::uint32_t mode = 0);
  void activate(Leg& leg, CallState state, std::uint32_t mode = 0);
  void destroyPending(CallId id);
  void freeLeg(Leg& leg);
  void reap();
  Address& addressOf(const Leg& leg) { return stations_[leg.station].addresses[leg.address]; }
  PartyId partyOf(const Leg& leg) const;
  std::uint32_t newSessionId() { return ++lastSessionId_; }

  // ---- state (switch.cc) ----
  void setState(Leg& leg, CallState state, std::uint32_t mode = 0);
  void changeState(Leg& leg, CallState state, std::uint32_t mode, bool wasInUse);
  void infoChanged(Leg& leg, std::uint32_t fields);
  void setConnectedParty(Leg& leg, const PartyId& party);
  void link(Leg& a, Leg& b);
  void unlink(Leg& leg);
  // `leg` is done: it goes IDLE and its peer hears `mode`.
  void clearLeg(Leg& leg, std::uint32_t peerMode);
  // `leg`'s far party went away with `mode`.
  void peerGone(Leg& leg, std::uint32_t mode);
  // An offered call is withdrawn: DISCONNECTED(mode) then IDLE.
  void withdraw(Leg& leg, std::uint32_t mode);
  void stopRinging(Leg& leg);
  void tellPeerHold(Leg& leg, bool onHold);
  bool inUse(const Leg& leg) const;
  std::uint32_t inUseCount(const Address& addr) const;
  bool addressBusy(std::uint32_t station, std::uint32_t address) const;
  Leg* activeLeg(std::uint32_t station, std::uint32_t address, CallId except = {});
  void addressUsageChanged(std::uint32_t station, std::uint32_t address);

  // ---- routing (switch.cc) ----
  Result<DialString> checkDest(std::string_view dest) const;
  // Connects `from` toward `digits`: a station, an orbit or the outside.
  void route(Leg& from, const std::string& digits, CallReason reason, const PartyId& redirecting,
             std::vector<std::uint32_t> visited = {});
  void offerToStation(Leg& from, std::uint32_t station, std::uint32_t address, CallReason reason,
                      const PartyId& redirecting, std::vector<std::uint32_t> visited);
  void callOutside(Leg& from, const std::string& number);
  void refuse(Leg& from, CallState state, std::uint32_t mode);
  // Asks the phone of an offered leg to ring; then rings it and runs `then`.
  // If the phone refuses while the leg is still offered, runs `refused`.
  void alert(Leg& leg, std::function<void()> then, std::function<void()> refused);
  void startRinging(Leg& leg);
  void ringTick(CallId id);
  // The leg that originated a chain of calls: decides internal vs external.
  bool fromInside(const Leg& from) const { return from.kind == LegKind::kStation; }

  // ---- features ----
  // switch_basic.cc
  Result<CallId> originate(RequestId req, std::uint32_t station, std::uint32_t address,
                           std::string_view dest, const CallParams& params, bool fromPhone);
  Status answerOp(RequestId req, CallId call, bool fromPhone);
  Status dropOp(RequestId req, CallId call, bool fromPhone);
  void applyAnswer(Leg& leg);
  void dialDigits(Leg& leg, const DialString& ds);
  // lineDial on a connected call: the digits go to the far party as DTMF.
  Status sendDtmf(RequestId req, CallId call, std::string_view text);
  std::vector<CallId> dtmfParties(const Leg& leg) const;
  void applyDrop(Leg& leg);
  // switch_hold.cc
  Status holdOp(RequestId req, CallId call, bool fromPhone);
  Status unholdOp(RequestId req, CallId call, bool fromPhone);
  bool unwindsConference(const Leg& leg) const;
  void applyHold(Leg& leg, CallState heldState = CallState::kOnHold);
  void applyRetrieve(Leg& leg);
  void holdOthers(std::uint32_t station, std::uint32_t address, CallId except);
  // switch_transfer.cc
  Status blindTransferOp(RequestId req, CallId call, std::string_view dest, bool fromPhone);
  Leg& newConsultation(Leg& original, Consult kind);
  void pairConsultation(Leg& original, Leg& consult, Consult kind);
  void endConsultation(Leg& consult, bool restoreOriginal);
  void transferParty(Leg& party, const std::string& digits, const PartyId& by);
  void joinParties(Leg& a, Leg& b, const PartyId& by);
  // switch_conference.cc
  Status checkConferenceRoom(const Leg& root, std::uint32_t adding) const;
  Leg& newConferenceRoot(std::uint32_t station, std::uint32_t address);
  void addMember(Leg& root, Leg& member);
  void removeMember(Leg& member);
  void conferenceMaybeEnds(Leg& root);
  std::uint32_t conferenceParties(const Leg& root) const;
  // switch_park.cc
  Result<std::uint32_t> findOrbit(std::string_view number) const;
  void parkParty(Leg& party, std::uint32_t orbit, std::uint32_t station, std::uint32_t address);
  void unparkInto(Leg& leg, std::uint32_t orbit);
  void orbitPartyGone(Leg& party);
  void parkRecall(std::uint32_t orbit);
  // switch_pickup.cc
  Leg* findAlertingLeg(std::uint32_t station, std::uint32_t address);
  Result<Leg*> pickupTarget(std::uint32_t station, std::uint32_t address, std::string_view dest,
                            std::string_view group);
  // switch_completion.cc
  Completion* findCompletion(std::uint32_t station, std::uint32_t id);
  Result<std::pair<std::uint32_t, std::uint32_t>> completionTarget(const Leg& leg) const;
  void applyCompletion(Leg& leg, CompletionMode mode, std::uint32_t messageId, std::uint32_t id);
  void cancelCompletion(std::uint32_t id, bool byUser, bool quiet);
  void completionCallerGone(Leg& leg);
  void scheduleCompletionCheck();
  void checkCompletions();
  void offerCallback(Completion& c);
  // switch_forward.cc
  const ForwardEntry* matchForward(const Address& addr, std::uint32_t condition, bool internal,
                                   const PartyId& caller) const;
  // switch_caps.cc
  void buildCaps(Station& st);
  CallStatus statusOf(const Leg& leg) const;
  std::uint32_t addressFeatures(std::uint32_t station, std::uint32_t address) const;

  EventLoop& loop_;
  SwitchConfig config_;
  Outbox outbox_;
  Dialplan dialplan_;
  std::vector<Station> stations_;
  std::vector<Orbit> orbits_;
  std::vector<Completion> completions_;
  SlotMap<Leg, CallId> legs_;
  SlotMap<PendingOp, OpToken> pending_;
  std::unique_ptr<BuiltinPhone> builtinPhone_;
  TrunkEndpoint* trunk_ = nullptr;
  std::vector<CallId> graveyard_;  // legs to free at the end of this loop turn
  std::vector<CallId> reaping_;
  bool reapScheduled_ = false;
  bool completionCheckScheduled_ = false;
  std::uint32_t lastSessionId_ = 0;
  std::uint32_t lastCompletionId_ = 0;
  std::uint32_t lineGeneration_ = 1;
};

}  // namespace tapir::pbx
