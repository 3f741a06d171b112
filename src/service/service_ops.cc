// The session operations: check the application's handle and privilege, hand
// the request to the provider under a new request id, and keep the handles
// of calls the request creates until its reply makes them valid.
#include "service/service.h"

namespace tapir::service {

namespace {
// An unknown handle given where TAPI documents a more specific error.
Status respell(const Status& st, Fault fault) {
  return st.fault() == Fault::kBadCallHandle ? Status(fault, st.message()) : st;
}
}  // namespace

// ---- calls created by the request ----------------------------------------------------

Result<std::int32_t> Service::makeCall(LineHandle lh, std::uint32_t addressId,
                                       std::string_view dest, const CallParams& params) {
  auto line = lineOf(lh);
  if (!line) return line.status();
  const std::int32_t req = *begin((*line)->app, lh);
  auto call =
      provider_.makeCall(static_cast<RequestId>(req), (*line)->line, addressId, dest, params);
  if (!call) return finish(req, call.status());
  requests_.at(req).call = addHandle(**line, *call, privilege::kOwner, true);
  return req;
}

Result<std::int32_t> Service::setupTransfer(CallHandle ch, const CallParams& params) {
  auto h = ownerHandle(ch);
  if (!h) return h.status();
  Line& line = *findLine((*h)->line);
  const std::int32_t req = *begin(line.app, line.handle);
  auto consult = provider_.setupTransfer(static_cast<RequestId>(req), (*h)->call, params);
  if (!consult) return finish(req, consult.status());
  requests_.at(req).call = addHandle(line, *consult, privilege::kOwner, true);
  return req;
}

Result<std::int32_t> Service::completeTransfer(CallHandle ch, CallHandle consultHandle,
                                               TransferMode mode) {
  auto h = ownerHandle(ch);
  if (!h) return h.status();
  auto c = ownerHandle(consultHandle);
  if (!c) return respell(c.status(), Fault::kBadConsultCallHandle);
  Line& line = *findLine((*h)->line);
  const std::int32_t req = *begin(line.app, line.handle);
  auto conf = provider_.completeTransfer(static_cast<RequestId>(req), (*h)->call, (*c)->call, mode);
  if (!conf) return finish(req, conf.status());
  if (conf->valid()) requests_.at(req).call = addHandle(line, *conf, privilege::kOwner, true);
  return req;
}

Result<std::int32_t> Service::setupConference(CallHandle ch, LineHandle lh, std::uint32_t addressId,
                                              std::uint32_t numParties, const CallParams& params) {
  Line* line = nullptr;
  CallId first;
  if (ch != 0) {
    auto h = ownerHandle(ch);
    if (!h) return h.status();
    line = findLine((*h)->line);
    first = (*h)->call;
  } else {
    auto l = lineOf(lh);
    if (!l) return l.status();
    line = *l;
  }
  const std::int32_t req = *begin(line->app, line->handle);
  auto setup = provider_.setupConference(static_cast<RequestId>(req), first, line->line, addressId,
                                         numParties, params);
  if (!setup) return finish(req, setup.status());
  Request& r = requests_.at(req);
  r.call = addHandle(*line, setup->conference, privilege::kOwner, true);
  r.call2 = addHandle(*line, setup->consultation, privilege::kOwner, true);
  return req;
}

Result<std::int32_t> Service::prepareAddToConference(CallHandle conf, const CallParams& params) {
  auto h = ownerHandle(conf);
  if (!h) return respell(h.status(), Fault::kBadConfCallHandle);
  Line& line = *findLine((*h)->line);
  const std::int32_t req = *begin(line.app, line.handle);
  auto consult = provider_.prepareAddToConference(static_cast<RequestId>(req), (*h)->call, params);
  if (!consult) return finish(req, consult.status());
  requests_.at(req).call = addHandle(line, *consult, privilege::kOwner, true);
  return req;
}

Result<std::int32_t> Service::unpark(LineHandle lh, std::uint32_t addressId,
                                     std::string_view orbit) {
  auto line = lineOf(lh);
  if (!line) return line.status();
  const std::int32_t req = *begin((*line)->app, lh);
  auto call = provider_.unpark(static_cast<RequestId>(req), (*line)->line, addressId, orbit);
  if (!call) return finish(req, call.status());
  requests_.at(req).call = addHandle(**line, *call, privilege::kOwner, true);
  return req;
}

Result<std::int32_t> Service::pickup(LineHandle lh, std::uint32_t addressId, std::string_view dest,
                                     std::string_view group) {
  auto line = lineOf(lh);
  if (!line) return line.status();
  const std::int32_t req = *begin((*line)->app, lh);
  auto call = provider_.pickup(static_cast<RequestId>(req), (*line)->line, addressId, dest, group);
  if (!call) return finish(req, call.status());
  requests_.at(req).call = addHandle(**line, *call, privilege::kOwner, true);
  return req;
}

// ---- operations on one owned call --------------------------------------------------------

// Runs `op(requestId, providerCall)` for an owner handle.
#define TAPIR_OWNER_OP(handleExpr, call)                  \
  auto h = ownerHandle(handleExpr);                       \
  if (!h) return h.status();                              \
  const Line& line = *findLine((*h)->line);               \
  const std::int32_t req = *begin(line.app, line.handle); \
  const CallId call = (*h)->call;

Result<std::int32_t> Service::dial(CallHandle ch, std::string_view dest) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req, provider_.dial(static_cast<RequestId>(req), call, dest));
}

Result<std::int32_t> Service::accept(CallHandle ch) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req, provider_.accept(static_cast<RequestId>(req), call));
}

Result<std::int32_t> Service::answer(CallHandle ch) {
  TAPIR_OWNER_OP(ch, call)
  Call& c = calls_.at(call);
  if (const App* app = findApp(line.app)) c.appName = app->info.friendlyName;
  return finish(req, provider_.answer(static_cast<RequestId>(req), call));
}

Result<std::int32_t> Service::drop(CallHandle ch) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req, provider_.drop(static_cast<RequestId>(req), call));
}

Result<std::int32_t> Service::hold(CallHandle ch) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req, provider_.hold(static_cast<RequestId>(req), call));
}

Result<std::int32_t> Service::unhold(CallHandle ch) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req, provider_.unhold(static_cast<RequestId>(req), call));
}

Result<std::int32_t> Service::secureCall(CallHandle ch) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req, provider_.secureCall(static_cast<RequestId>(req), call));
}

Result<std::int32_t> Service::redirect(CallHandle ch, std::string_view dest) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req, provider_.redirect(static_cast<RequestId>(req), call, dest));
}

Result<std::int32_t> Service::blindTransfer(CallHandle ch, std::string_view dest) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req, provider_.blindTransfer(static_cast<RequestId>(req), call, dest));
}

Result<std::int32_t> Service::removeFromConference(CallHandle ch) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req, provider_.removeFromConference(static_cast<RequestId>(req), call));
}

Result<std::int32_t> Service::park(CallHandle ch, ParkMode mode, std::string_view orbit,
                                   std::size_t maxOrbitLength) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req,
                provider_.park(static_cast<RequestId>(req), call, mode, orbit, maxOrbitLength));
}

Result<std::int32_t> Service::completeCall(CallHandle ch, CompletionMode mode,
                                           std::uint32_t messageId) {
  TAPIR_OWNER_OP(ch, call)
  return finish(req, provider_.completeCall(static_cast<RequestId>(req), call, mode, messageId));
}

#undef TAPIR_OWNER_OP

Result<std::int32_t> Service::swapHold(CallHandle active, CallHandle held) {
  auto a = ownerHandle(active);
  if (!a) return a.status();
  auto b = ownerHandle(held);
  if (!b) return b.status();
  const Line& line = *findLine((*a)->line);
  const std::int32_t req = *begin(line.app, line.handle);
  return finish(req, provider_.swapHold(static_cast<RequestId>(req), (*a)->call, (*b)->call));
}

Result<std::int32_t> Service::addToConference(CallHandle conf, CallHandle consult) {
  auto a = ownerHandle(conf);
  if (!a) return respell(a.status(), Fault::kBadConfCallHandle);
  auto b = ownerHandle(consult);
  if (!b) return b.status();
  const Line& line = *findLine((*a)->line);
  const std::int32_t req = *begin(line.app, line.handle);
  return finish(req,
                provider_.addToConference(static_cast<RequestId>(req), (*a)->call, (*b)->call));
}

// ---- line-level operations ----------------------------------------------------------------

Result<std::int32_t> Service::uncompleteCall(LineHandle lh, std::uint32_t completionId) {
  auto line = lineOf(lh);
  if (!line) return line.status();
  const std::int32_t req = *begin((*line)->app, lh);
  return finish(req,
                provider_.uncompleteCall(static_cast<RequestId>(req), (*line)->line, completionId));
}

Result<std::int32_t> Service::forward(LineHandle lh, bool allAddresses, std::uint32_t addressId,
                                      std::span<const ForwardEntry> entries,
                                      std::uint32_t numRings) {
  auto line = lineOf(lh);
  if (!line) return line.status();
  const std::int32_t req = *begin((*line)->app, lh);
  return finish(req, provider_.forward(static_cast<RequestId>(req), (*line)->line, allAddresses,
                                       addressId, entries, numRings));
}

}  // namespace tapir::service
