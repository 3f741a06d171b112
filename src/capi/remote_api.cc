#include "capi/remote_api.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>

#include "net/client.h"

namespace tapir::capi {

namespace {

using Json = protocol::Json;
namespace msg = service::msg;

constexpr std::uint32_t kLineDevStateReinit = 0x00040000;  // LINEDEVSTATE_REINIT

spdlog::logger& log() {
  // To stderr, not through the application's default logger (stdout).
  static spdlog::logger logger("tapir", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  return logger;
}

Status malformed(std::string_view what, const std::exception& e) {
  return Status(Fault::kOperationFailed,
                "tapird sent a malformed " + std::string(what) + ": " + e.what());
}

template <class T>
Result<T> as(Result<Json> r) {
  if (!r) return r.status();
  try {
    return r->get<T>();
  } catch (const std::exception& e) {
    return malformed("result", e);
  }
}

Status done(const Result<Json>& r) {
  return r ? Status() : r.status();
}

std::uint32_t u32(TransferMode m) {
  return static_cast<std::uint32_t>(m);
}
std::uint32_t u32(ParkMode m) {
  return static_cast<std::uint32_t>(m);
}
std::uint32_t u32(CompletionMode m) {
  return static_cast<std::uint32_t>(m);
}

class RemoteSim final : public SimControl {
 public:
  explicit RemoteSim(RemoteApi& api) : api_(api) {}
  Status advance(std::chrono::milliseconds d) override {
    return api_.simAdvance(static_cast<std::uint32_t>(d.count()));
  }
  Status settle() override { return api_.simSettle(); }
  Result<std::uint32_t> incomingCall(const PartyId& from, const std::string& to,
                                     const std::string& script) override {
    return api_.simIncomingCall(from, to, script);
  }
  Status farEnd(std::uint32_t leg, const std::string& action) override {
    return api_.simFarEnd(leg, action);
  }

 private:
  RemoteApi& api_;
};

}  // namespace

// ---- the connection ----------------------------------------------------------------------

RemoteApi::RemoteApi(ThreadLoop& loop, std::function<Status(std::string)> send)
    : loop_(loop), send_(std::move(send)) {}

RemoteApi::~RemoteApi() {
  closing_ = true;
  client_.reset();  // closes and joins the reader thread
  lose(Status(Fault::kReinit, "the connection to tapird was closed"));
}

Result<std::unique_ptr<RemoteApi>> RemoteApi::connect(const std::string& server,
                                                      const std::string& token,
                                                      ThreadLoop& loop) {
  auto endpoint = net::parseEndpoint(server);
  if (!endpoint)
    return Status(Code::kInvalidArgument, "TAPIR_SERVER: " + endpoint.status().message());
  std::unique_ptr<RemoteApi> api(new RemoteApi(loop, nullptr));
  RemoteApi* self = api.get();
  auto client = net::Client::connect(
      *endpoint, net::clientOptionsFromEnvironment(), [self](std::string text) { self->onText(std::move(text)); },
      [self](Status why) {
        self->onClosed(why ? Status(Code::kUnavailable, "connection closed") : std::move(why));
      });
  if (!client) {
    return Status(Code::kUnavailable,
                  "cannot reach tapird at " + server + ": " + client.status().message());
  }
  api->client_ = std::move(*client);
  api->send_ = [self](std::string text) { return self->client_->send(std::move(text)); };
  Json params = {{"version", protocol::kVersion},
                 {"client", "libtapir (" + std::string(program_invocation_short_name) + ", pid " +
                                std::to_string(::getpid()) + ")"}};
  if (!token.empty()) params["token"] = token;
  auto hello = api->request("hello", std::move(params));
  if (!hello) {
    std::string why = "tapird at " + server + " refused the connection: " + hello.status().message();
    if (hello.status().fault() != Fault::kNone) return Status(hello.status().fault(), why);
    return Status(hello.status().code(), why);
  }
  api->hello_ = std::move(*hello);
  return api;
}

bool RemoteApi::lost() const {
  std::lock_guard lock(mu_);
  return lost_;
}

Status RemoteApi::lostStatus() const {
  return Status(Fault::kReinit, "lost the connection to tapird: " + lostWhy_);
}

Result<Json> RemoteApi::request(std::string_view method, Json params) const {
  const std::uint64_t id = ++nextId_;
  auto promise = std::make_shared<Promise>();
  auto answer = promise->get_future();
  {
    std::lock_guard lock(mu_);
    if (lost_) return lostStatus();
    pending_[id] = promise;
  }
  if (Status st = send_(protocol::encodeRequest(id, method, params)); !st) {
    // Closing: onClosed fails the pending calls, this one included.
    (void)st;
  }
  return answer.get();
}

void RemoteApi::onText(std::string text) {
  auto frames = protocol::parseServerMessage(text);
  if (!frames) {
    log().error("tapird sent a frame this client cannot read: {}", frames.status().message());
    return;
  }
  for (protocol::ServerFrame& f : *frames)
    onFrame(&f);
}

void RemoteApi::onFrame(protocol::ServerFrame* frame) {
  using Kind = protocol::ServerFrame::Kind;
  if (frame->kind != Kind::kEvent) {
    std::shared_ptr<Promise> p;
    {
      std::lock_guard lock(mu_);
      auto it = pending_.find(frame->id);
      if (it == pending_.end()) return;
      p = std::move(it->second);
      pending_.erase(it);
    }
    if (frame->kind == Kind::kResult) {
      p->set_value(std::move(frame->result));
    } else {
      p->set_value(std::move(frame->error));
    }
    return;
  }
  const Json& body = frame->body;
  try {
    if (frame->event == "message") {
      const auto app = body.at("app").get<service::AppHandle>();
      const auto m = body.at("message").get<service::Message>();
      loop_.post([this, app, m] {
        if (m.id == msg::kClose) {
          std::lock_guard lock(mu_);
          lines_.erase(m.device);
        }
        if (auto* sink = sinkOf(app)) sink->deliver(m);
      });
    } else if (frame->event == "reply") {
      const auto app = body.at("app").get<service::AppHandle>();
      const auto request = body.at("request").get<std::int32_t>();
      const auto instance = body.at("instance").get<std::uintptr_t>();
      const auto& st = body.at("status");
      Status result = st.is_null() ? Status() : protocol::statusFromJson(st);
      auto payload = body.contains("payload") ? body.at("payload").get<service::ReplyPayload>()
                                              : service::ReplyPayload{};
      loop_.post([this, app, request, instance, result = std::move(result),
                  payload = std::move(payload)] {
        if (auto* sink = sinkOf(app)) sink->deliverReply(request, instance, result, payload);
      });
    } else if (frame->event == "shutdown") {
      const std::string reason = body.value("reason", std::string());
      log().warn("tapird is shutting down{}{}", reason.empty() ? "" : ": ", reason);
      lose(Status(Fault::kReinit, "tapird shut down" + (reason.empty() ? "" : ": " + reason)));
    }
    // Other events (newer servers) are not for this client.
  } catch (const std::exception& e) {
    log().error("tapird sent a malformed {} event: {}", frame->event, e.what());
  }
}

void RemoteApi::onClosed(Status why) {
  if (!closing_) log().error("lost the connection to tapird: {}", why.message());
  lose(std::move(why));
}

void RemoteApi::lose(Status why) {
  std::unordered_map<std::uint64_t, std::shared_ptr<Promise>> pending;
  Status failed;
  {
    std::lock_guard lock(mu_);
    if (lost_) return;
    lost_ = true;
    lostWhy_ = why.message();
    pending.swap(pending_);
    failed = lostStatus();
  }
  for (auto& [id, p] : pending)
    p->set_value(failed);
  if (!closing_) loop_.post([this] { announceLoss(); });
}

void RemoteApi::announceLoss() {
  std::map<service::LineHandle, LineRec> lines;
  std::vector<service::AppHandle> apps;
  {
    std::lock_guard lock(mu_);
    lines.swap(lines_);
    for (const auto& [app, sink] : sinks_)
      apps.push_back(app);
  }
  for (const auto& [line, rec] : lines) {
    if (auto* sink = sinkOf(rec.app))
      sink->deliver(service::Message{line, msg::kClose, rec.instance, 0, 0, 0});
  }
  for (service::AppHandle app : apps) {
    if (auto* sink = sinkOf(app))
      sink->deliver(service::Message{0, msg::kLineDevState, 0, kLineDevStateReinit, 0, 0});
  }
}

service::MessageSink* RemoteApi::sinkOf(service::AppHandle app) const {
  std::lock_guard lock(mu_);
  auto it = sinks_.find(app);
  return it == sinks_.end() ? nullptr : it->second;
}

Result<std::int32_t> RemoteApi::requestId(std::string_view method, Json params) {
  return as<std::int32_t>(request(method, std::move(params)));
}

// ---- the simulated world -----------------------------------------------------------------

Status RemoteApi::simAdvance(std::uint32_t ms) {
  Status st = done(request("sim.advance", {{"ms", ms}}));
  loop_.sync();
  return st;
}

Status RemoteApi::simSettle() {
  Status st = done(request("sim.settle", Json::object()));
  loop_.sync();
  return st;
}

Result<std::uint32_t> RemoteApi::simIncomingCall(const PartyId& from, const std::string& to,
                                                 const std::string& script) {
  auto r = request("sim.incomingCall",
                   {{"from", from.number}, {"fromName", from.name}, {"to", to}, {"script", script}});
  if (!r) return r.status();
  try {
    return r->at("leg").get<std::uint32_t>();
  } catch (const std::exception& e) {
    return malformed("sim.incomingCall result", e);
  }
}

Status RemoteApi::simFarEnd(std::uint32_t leg, const std::string& action) {
  return done(request("sim.farEnd", {{"leg", leg}, {"action", action}}));
}

std::unique_ptr<SimControl> RemoteApi::simControl() {
  return std::make_unique<RemoteSim>(*this);
}

// ---- applications, lines -----------------------------------------------------------------

Result<service::AppHandle> RemoteApi::initialize(service::AppInfo info,
                                                 service::MessageSink* sink) {
  auto app = as<service::AppHandle>(request("initialize", {{"info", info}}));
  if (!app) return app;
  std::lock_guard lock(mu_);
  sinks_[*app] = sink;
  return app;
}

Status RemoteApi::shutdown(service::AppHandle app) {
  Status st = done(request("shutdown", {{"app", app}}));
  if (!st && st.fault() == Fault::kReinit && lost()) st = Status();  // gone with the server
  if (st) {
    std::lock_guard lock(mu_);
    sinks_.erase(app);
    std::erase_if(lines_, [app](const auto& l) { return l.second.app == app; });
  }
  return st;
}

std::uint32_t RemoteApi::lineCount() const {
  auto n = as<std::uint32_t>(request("lineCount", Json::object()));
  return n ? *n : 0;
}

Result<std::uint32_t> RemoteApi::negotiateApiVersion(service::AppHandle app,
                                                     std::uint32_t deviceId, std::uint32_t low,
                                                     std::uint32_t high) const {
  return as<std::uint32_t>(request(
      "negotiateApiVersion", {{"app", app}, {"deviceId", deviceId}, {"low", low}, {"high", high}}));
}

Result<service::LineHandle> RemoteApi::open(service::AppHandle app,
                                            const service::OpenParams& params) {
  auto line = as<service::LineHandle>(request("open", {{"app", app}, {"params", params}}));
  if (line) {
    std::lock_guard lock(mu_);
    lines_[*line] = LineRec{app, params.callbackInstance};
  }
  return line;
}

Status RemoteApi::close(service::LineHandle line) {
  Status st = done(request("close", {{"line", line}}));
  if (st) {
    std::lock_guard lock(mu_);
    lines_.erase(line);
  }
  return st;
}

Result<LineCaps> RemoteApi::devCaps(service::AppHandle app, std::uint32_t deviceId,
                                    std::uint32_t apiVersion) const {
  return as<LineCaps>(
      request("devCaps", {{"app", app}, {"deviceId", deviceId}, {"apiVersion", apiVersion}}));
}

Result<AddressCaps> RemoteApi::addressCaps(service::AppHandle app, std::uint32_t deviceId,
                                           std::uint32_t addressId,
                                           std::uint32_t apiVersion) const {
  return as<AddressCaps>(request("addressCaps", {{"app", app},
                                                 {"deviceId", deviceId},
                                                 {"addressId", addressId},
                                                 {"apiVersion", apiVersion}}));
}

Result<std::uint32_t> RemoteApi::addressId(service::LineHandle line,
                                           std::string_view address) const {
  return as<std::uint32_t>(request("addressId", {{"line", line}, {"address", address}}));
}

Result<AddressStatus> RemoteApi::addressStatus(service::LineHandle line,
                                               std::uint32_t addressId) const {
  return as<AddressStatus>(request("addressStatus", {{"line", line}, {"addressId", addressId}}));
}

Result<service::LineDevStatusView> RemoteApi::lineDevStatus(service::LineHandle line) const {
  return as<service::LineDevStatusView>(request("lineDevStatus", {{"line", line}}));
}

Status RemoteApi::setStatusMessages(service::LineHandle line, std::uint32_t lineStates,
                                    std::uint32_t addressStates) {
  return done(request("setStatusMessages",
                      {{"line", line}, {"lineStates", lineStates}, {"addressStates", addressStates}}));
}

Result<std::pair<std::uint32_t, std::uint32_t>> RemoteApi::statusMessages(
    service::LineHandle line) const {
  auto r = request("statusMessages", {{"line", line}});
  if (!r) return r.status();
  try {
    return std::pair{r->at("lineStates").get<std::uint32_t>(),
                     r->at("addressStates").get<std::uint32_t>()};
  } catch (const std::exception& e) {
    return malformed("statusMessages result", e);
  }
}

Result<std::uint32_t> RemoteApi::deviceIdOfLine(service::LineHandle line) const {
  return as<std::uint32_t>(request("deviceIdOfLine", {{"line", line}}));
}

void RemoteApi::broadcastLineState(std::uint32_t state) {
  (void)request("broadcastLineState", {{"state", state}});
}

service::AppHandle RemoteApi::appOf(std::uint32_t handle) const {
  {
    // An open line's application is known here (lines and calls never share
    // a handle value): lineMakeCall and friends save a round trip.
    std::lock_guard lock(mu_);
    if (auto it = lines_.find(handle); it != lines_.end()) return it->second.app;
  }
  auto app = as<service::AppHandle>(request("appOf", {{"handle", handle}}));
  return app ? *app : 0;
}

std::uint32_t RemoteApi::apiVersionOf(std::uint32_t handle) const {
  auto v = as<std::uint32_t>(request("apiVersionOf", {{"handle", handle}}));
  return v ? *v : 0;
}

Result<std::uint32_t> RemoteApi::deviceIdOfCall(service::CallHandle call) const {
  return as<std::uint32_t>(request("deviceIdOfCall", {{"call", call}}));
}

Status RemoteApi::setAppPriority(const std::string& module, std::uint32_t mediaMode,
                                 std::uint32_t requestMode, std::uint32_t priority) {
  return done(request("setAppPriority", {{"module", module},
                                         {"mediaMode", mediaMode},
                                         {"requestMode", requestMode},
                                         {"priority", priority}}));
}

Result<std::uint32_t> RemoteApi::appPriority(const std::string& module, std::uint32_t mediaMode,
                                             std::uint32_t requestMode) const {
  return as<std::uint32_t>(request(
      "appPriority", {{"module", module}, {"mediaMode", mediaMode}, {"requestMode", requestMode}}));
}

// ---- call handles ------------------------------------------------------------------------

Result<service::CallInfoView> RemoteApi::callInfo(service::CallHandle call) const {
  return as<service::CallInfoView>(request("callInfo", {{"call", call}}));
}

Result<service::CallStatusView> RemoteApi::callStatus(service::CallHandle call) const {
  return as<service::CallStatusView>(request("callStatus", {{"call", call}}));
}

Status RemoteApi::setCallPrivilege(service::CallHandle call, std::uint32_t priv) {
  return done(request("setCallPrivilege", {{"call", call}, {"priv", priv}}));
}

Result<std::vector<service::CallHandle>> RemoteApi::newCalls(service::LineHandle line,
                                                             std::uint32_t addressId,
                                                             std::uint32_t select) {
  return as<std::vector<service::CallHandle>>(
      request("newCalls", {{"line", line}, {"addressId", addressId}, {"select", select}}));
}

Result<std::uint32_t> RemoteApi::newCallCount(service::LineHandle line, std::uint32_t addressId,
                                              std::uint32_t select) const {
  return as<std::uint32_t>(
      request("newCallCount", {{"line", line}, {"addressId", addressId}, {"select", select}}));
}

Result<std::vector<service::CallHandle>> RemoteApi::confRelatedCalls(service::CallHandle call) {
  return as<std::vector<service::CallHandle>>(request("confRelatedCalls", {{"call", call}}));
}

Status RemoteApi::handoff(service::CallHandle call, const std::string& module,
                          std::uint32_t mediaMode) {
  return done(request("handoff", {{"call", call}, {"module", module}, {"mediaMode", mediaMode}}));
}

Status RemoteApi::deallocateCall(service::CallHandle call) {
  return done(request("deallocateCall", {{"call", call}}));
}

Status RemoteApi::setAppSpecific(service::CallHandle call, std::uint32_t value) {
  return done(request("setAppSpecific", {{"call", call}, {"value", value}}));
}

Status RemoteApi::monitorDigits(service::CallHandle call, std::uint32_t digitModes) {
  return done(request("monitorDigits", {{"call", call}, {"digitModes", digitModes}}));
}

// ---- session operations ------------------------------------------------------------------

Result<std::int32_t> RemoteApi::makeCall(service::LineHandle line, std::uint32_t addressId,
                                         std::string_view dest, const CallParams& params) {
  return requestId("makeCall",
                   {{"line", line}, {"addressId", addressId}, {"dest", dest}, {"params", params}});
}

Result<std::int32_t> RemoteApi::dial(service::CallHandle call, std::string_view dest) {
  return requestId("dial", {{"call", call}, {"dest", dest}});
}

Result<std::int32_t> RemoteApi::accept(service::CallHandle call) {
  return requestId("accept", {{"call", call}});
}

Result<std::int32_t> RemoteApi::answer(service::CallHandle call) {
  return requestId("answer", {{"call", call}});
}

Result<std::int32_t> RemoteApi::drop(service::CallHandle call) {
  return requestId("drop", {{"call", call}});
}

Result<std::int32_t> RemoteApi::hold(service::CallHandle call) {
  return requestId("hold", {{"call", call}});
}

Result<std::int32_t> RemoteApi::unhold(service::CallHandle call) {
  return requestId("unhold", {{"call", call}});
}

Result<std::int32_t> RemoteApi::swapHold(service::CallHandle active, service::CallHandle held) {
  return requestId("swapHold", {{"active", active}, {"held", held}});
}

Result<std::int32_t> RemoteApi::secureCall(service::CallHandle call) {
  return requestId("secureCall", {{"call", call}});
}

Result<std::int32_t> RemoteApi::redirect(service::CallHandle call, std::string_view dest) {
  return requestId("redirect", {{"call", call}, {"dest", dest}});
}

Result<std::int32_t> RemoteApi::blindTransfer(service::CallHandle call, std::string_view dest) {
  return requestId("blindTransfer", {{"call", call}, {"dest", dest}});
}

Result<std::int32_t> RemoteApi::setupTransfer(service::CallHandle call, const CallParams& params) {
  return requestId("setupTransfer", {{"call", call}, {"params", params}});
}

Result<std::int32_t> RemoteApi::completeTransfer(service::CallHandle call,
                                                 service::CallHandle consult, TransferMode mode) {
  return requestId("completeTransfer", {{"call", call}, {"consult", consult}, {"mode", u32(mode)}});
}

Result<std::int32_t> RemoteApi::setupConference(service::CallHandle call, service::LineHandle line,
                                                std::uint32_t addressId, std::uint32_t numParties,
                                                const CallParams& params) {
  return requestId("setupConference", {{"call", call},
                                       {"line", line},
                                       {"addressId", addressId},
                                       {"numParties", numParties},
                                       {"params", params}});
}

Result<std::int32_t> RemoteApi::prepareAddToConference(service::CallHandle conf,
                                                       const CallParams& params) {
  return requestId("prepareAddToConference", {{"conf", conf}, {"params", params}});
}

Result<std::int32_t> RemoteApi::addToConference(service::CallHandle conf,
                                                service::CallHandle consult) {
  return requestId("addToConference", {{"conf", conf}, {"consult", consult}});
}

Result<std::int32_t> RemoteApi::removeFromConference(service::CallHandle call) {
  return requestId("removeFromConference", {{"call", call}});
}

Result<std::int32_t> RemoteApi::park(service::CallHandle call, ParkMode mode,
                                     std::string_view orbit, std::size_t maxOrbitLength) {
  Json params = {{"call", call}, {"mode", u32(mode)}, {"orbit", orbit}};
  if (maxOrbitLength != kAnyOrbitLength) params["maxOrbitLength"] = maxOrbitLength;
  return requestId("park", std::move(params));
}

Result<std::int32_t> RemoteApi::unpark(service::LineHandle line, std::uint32_t addressId,
                                       std::string_view orbit) {
  return requestId("unpark", {{"line", line}, {"addressId", addressId}, {"orbit", orbit}});
}

Result<std::int32_t> RemoteApi::pickup(service::LineHandle line, std::uint32_t addressId,
                                       std::string_view dest, std::string_view group) {
  return requestId("pickup",
                   {{"line", line}, {"addressId", addressId}, {"dest", dest}, {"group", group}});
}

Result<std::int32_t> RemoteApi::completeCall(service::CallHandle call, CompletionMode mode,
                                             std::uint32_t messageId) {
  return requestId("completeCall", {{"call", call}, {"mode", u32(mode)}, {"messageId", messageId}});
}

Result<std::int32_t> RemoteApi::uncompleteCall(service::LineHandle line,
                                               std::uint32_t completionId) {
  return requestId("uncompleteCall", {{"line", line}, {"completionId", completionId}});
}

Result<std::int32_t> RemoteApi::forward(service::LineHandle line, bool allAddresses,
                                        std::uint32_t addressId,
                                        std::span<const ForwardEntry> entries,
                                        std::uint32_t numRings) {
  Json list = Json::array();
  for (const ForwardEntry& e : entries)
    list.push_back(e);
  return requestId("forward", {{"line", line},
                               {"allAddresses", allAddresses},
                               {"addressId", addressId},
                               {"entries", std::move(list)},
                               {"numRings", numRings}});
}

}  // namespace tapir::capi
