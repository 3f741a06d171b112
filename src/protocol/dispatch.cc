#include "protocol/dispatch.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "dialing/dialing.h"

namespace tapir::protocol {

using service::AppHandle;
using service::CallHandle;
using service::LineHandle;

// ---- Session ------------------------------------------------------------------

// One application's messages, as events on the connection.
class Session::Sink final : public service::MessageSink {
 public:
  explicit Sink(Session& session) : session_(session) {}
  AppHandle app = 0;

  void deliver(const service::Message& m) override {
    switch (m.id) {
      case service::msg::kCallState:
      case service::msg::kCallInfo:
      case service::msg::kMonitorDigits:
        session_.noteCall(m.device);
        break;
      case service::msg::kAppNewCall:
        session_.noteCall(static_cast<CallHandle>(m.p2));
        break;
      default:
        break;
    }
    session_.send(encodeMessageEvent(app, m));
  }

  void deliverReply(std::int32_t request, std::uintptr_t instance, const Status& result,
                    const service::ReplyPayload& payload) override {
    session_.noteCall(payload.call);
    session_.noteCall(payload.call2);
    session_.send(encodeReplyEvent(app, request, instance, result, payload));
  }

 private:
  Session& session_;
};

Session::Session(service::Api& api, Send send) : api_(api), send_(std::move(send)) {}

Session::~Session() {
  closeApps();
}

void Session::send(std::string frame) {
  if (!muted_ && send_) send_(std::move(frame));
}

Result<AppHandle> Session::initialize(service::AppInfo info) {
  auto sink = std::make_unique<Sink>(*this);
  auto app = api_.initialize(std::move(info), sink.get());
  if (!app) return app.status();
  sink->app = *app;
  apps_.emplace(*app, std::move(sink));
  return *app;
}

Status Session::shutdown(AppHandle app) {
  auto it = apps_.find(app);
  if (it == apps_.end()) return Status(Fault::kBadAppHandle, "no such application handle");
  Status st = api_.shutdown(app);
  apps_.erase(app);  // the service forgot the sink either way
  return st;
}

void Session::closeApps() {
  auto atClose = std::move(atClose_);
  atClose_.clear();
  for (auto& f : atClose) f();
  // The sinks stay alive until every shutdown is done: one application's
  // shutdown may send messages to another of this connection's.
  for (const auto& [app, sink] : apps_) (void)api_.shutdown(app);
  apps_.clear();
  lines_.clear();
  calls_.clear();
}

bool Session::owns(std::uint32_t handle) const {
  return handle != 0 && ownsApp(api_.appOf(handle));
}

std::vector<AppHandle> Session::apps() const {
  std::vector<AppHandle> out;
  for (const auto& [app, sink] : apps_) out.push_back(app);
  return out;
}

void Session::noteCall(CallHandle call) {
  if (call != 0) calls_.insert(call);
}

namespace {
template <class Set>
std::vector<std::uint32_t> stillOwned(Set& set, const Session& session) {
  std::erase_if(set, [&](std::uint32_t h) { return !session.owns(h); });
  std::vector<std::uint32_t> out(set.begin(), set.end());
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

std::vector<LineHandle> Session::lines() {
  return stillOwned(lines_, *this);
}

std::vector<CallHandle> Session::calls() {
  return stillOwned(calls_, *this);
}

// ---- the method table ------------------------------------------------------------

namespace {

Result<Json> toJson(const Status& s) {
  if (!s) return s;
  return Json();
}
template <class T>
Result<Json> toJson(Result<T> r) {
  if (!r) return r.status();
  return Json(std::move(*r));
}
Result<Json> toJson(std::uint32_t v) {
  return Json(v);
}

// Reads a request's params in order; the first problem wins and the call
// does not happen. Handles are checked against the connection's apps.
class Params {
 public:
  Params(Context& ctx, const Json& j) : ctx_(ctx), j_(j) {}

  template <class T>
  T get(const char* name) {
    return take(field<T>(j_, name));
  }
  template <class T>
  T opt(const char* name, T fallback = T{}) {
    return take(fieldOr<T>(j_, name, std::move(fallback)));
  }
  std::uint32_t u32(const char* name) { return get<std::uint32_t>(name); }
  std::string str(const char* name) { return get<std::string>(name); }

  AppHandle app() {
    const AppHandle h = u32("app");
    if (status_ && !ctx_.session.ownsApp(h))
      status_ = Status(Fault::kBadAppHandle, "no such application handle");
    return h;
  }
  // 0 passes: it is nobody's handle, and the service says what it means.
  LineHandle line(const char* name = "line") {
    return handle(name, Fault::kBadLineHandle, "no such line handle");
  }
  CallHandle call(const char* name = "call") {
    return handle(name, Fault::kBadCallHandle, "no such call handle");
  }

  // The call's result in its JSON form, or the first params problem.
  template <class F>
  Result<Json> run(F&& f) {
    if (!status_) return status_;
    return toJson(f());
  }
  const Status& status() const { return status_; }

 private:
  template <class T>
  T take(Result<T> r) {
    if (!r) {
      if (status_) status_ = r.status();
      return T{};
    }
    return std::move(*r);
  }
  std::uint32_t handle(const char* name, Fault fault, const char* message) {
    const std::uint32_t h = u32(name);
    if (status_ && h != 0 && !ctx_.session.owns(h)) status_ = Status(fault, message);
    return h;
  }

  Context& ctx_;
  const Json& j_;
  Status status_;
};

Status noDialing() {
  return Status(Fault::kOperationUnavail, "this server has no dialing locations");
}

Status unavailable() {
  return Status(Fault::kOperationUnavail, "tapird runs without --sim-control");
}

// The access limits of a client's credentials (tapird's [[server.clients]]).
Status mayOpen(const Access& access, const service::OpenParams& params) {
  if (access.devices && access.devices->count(params.deviceId) == 0)
    return Status(Fault::kBadDeviceId,
                  "line device " + std::to_string(params.deviceId) + " is not open to this client");
  if (!access.owner && (params.privileges & service::privilege::kOwner) != 0)
    return Status(Fault::kBadPrivSelect, "this client may open lines only as monitor");
  return Status();
}

bool operatorMethod(std::string_view method) {
  return method.rfind("console.", 0) == 0 || method.rfind("sim.", 0) == 0;
}

using P = Params;
using C = Context;

// clang-format off
const std::pair<const char*, Result<Json> (*)(C&, P&)> kApiMethods[] = {
  // ---- applications, lines
  {"initialize", [](C& c, P& p) { auto info = p.get<service::AppInfo>("info");
     return p.run([&] { return c.session.initialize(std::move(info)); }); }},
  {"shutdown", [](C& c, P& p) { auto app = p.app();
     return p.run([&] { return c.session.shutdown(app); }); }},
  {"lineCount", [](C& c, P& p) { return p.run([&] { return c.api.lineCount(); }); }},
  {"negotiateApiVersion", [](C& c, P& p) { auto app = p.app(); auto dev = p.u32("deviceId");
     auto low = p.u32("low"); auto high = p.u32("high");
     return p.run([&] { return c.api.negotiateApiVersion(app, dev, low, high); }); }},
  {"open", [](C& c, P& p) { auto app = p.app(); auto params = p.get<service::OpenParams>("params");
     return p.run([&]() -> Result<LineHandle> {
                        if (Status st = mayOpen(c.session.access(), params); !st) return st;
                        auto line = c.api.open(app, params);
                        if (line) c.session.noteLine(*line);
                        return line; }); }},
  {"close", [](C& c, P& p) { auto line = p.line(); return p.run([&] {
     Status st = c.api.close(line);
     if (st) c.session.forgetLine(line);
     return st; }); }},
  {"devCaps", [](C& c, P& p) { auto app = p.app(); auto dev = p.u32("deviceId");
     auto version = p.u32("apiVersion");
     return p.run([&] { return c.api.devCaps(app, dev, version); }); }},
  {"addressCaps", [](C& c, P& p) { auto app = p.app(); auto dev = p.u32("deviceId");
     auto address = p.u32("addressId"); auto version = p.u32("apiVersion");
     return p.run([&] { return c.api.addressCaps(app, dev, address, version); }); }},
  {"addressId", [](C& c, P& p) { auto line = p.line(); auto address = p.str("address");
     return p.run([&] { return c.api.addressId(line, address); }); }},
  {"addressStatus", [](C& c, P& p) { auto line = p.line(); auto address = p.u32("addressId");
     return p.run([&] { return c.api.addressStatus(line, address); }); }},
  {"lineDevStatus", [](C& c, P& p) { auto line = p.line();
     return p.run([&] { return c.api.lineDevStatus(line); }); }},
  {"setStatusMessages", [](C& c, P& p) { auto line = p.line(); auto ls = p.u32("lineStates");
     auto as = p.u32("addressStates");
     return p.run([&] { return c.api.setStatusMessages(line, ls, as); }); }},
  {"statusMessages", [](C& c, P& p) { auto line = p.line();
     return p.run([&]() -> Result<Json> { auto r = c.api.statusMessages(line);
                                          if (!r) return r.status();
                                          return Json{{"lineStates", r->first},
                                                      {"addressStates", r->second}}; }); }},
  {"deviceIdOfLine", [](C& c, P& p) { auto line = p.line();
     return p.run([&] { return c.api.deviceIdOfLine(line); }); }},
  {"broadcastLineState", [](C& c, P& p) { auto state = p.u32("state");
     return p.run([&] { c.api.broadcastLineState(state); return Status(); }); }},
  {"appOf", [](C& c, P& p) { auto h = p.u32("handle");
     return p.run([&] { return c.session.owns(h) ? c.api.appOf(h) : 0u; }); }},
  {"apiVersionOf", [](C& c, P& p) { auto h = p.u32("handle");
     return p.run([&] { return c.session.owns(h) ? c.api.apiVersionOf(h) : 0u; }); }},
  {"deviceIdOfCall", [](C& c, P& p) { auto call = p.call();
     return p.run([&] { return c.api.deviceIdOfCall(call); }); }},
  {"setAppPriority", [](C& c, P& p) { auto module = p.str("module"); auto media = p.u32("mediaMode");
     auto req = p.u32("requestMode"); auto prio = p.u32("priority");
     return p.run([&] { return c.api.setAppPriority(module, media, req, prio); }); }},
  {"appPriority", [](C& c, P& p) { auto module = p.str("module"); auto media = p.u32("mediaMode");
     auto req = p.u32("requestMode");
     return p.run([&] { return c.api.appPriority(module, media, req); }); }},
  // ---- call handles
  {"callInfo", [](C& c, P& p) { auto call = p.call(); return p.run([&] { return c.api.callInfo(call); }); }},
  {"callStatus", [](C& c, P& p) { auto call = p.call(); return p.run([&] { return c.api.callStatus(call); }); }},
  {"setCallPrivilege", [](C& c, P& p) { auto call = p.call(); auto priv = p.u32("priv");
     return p.run([&] {
       if (!c.session.access().owner && (priv & service::privilege::kOwner) != 0)
         return Status(Fault::kBadPrivilege, "this client may hold calls only as monitor");
       return c.api.setCallPrivilege(call, priv); }); }},
  {"newCalls", [](C& c, P& p) { auto line = p.line(); auto address = p.u32("addressId");
     auto select = p.u32("select");
     return p.run([&] { auto calls = c.api.newCalls(line, address, select);
                        if (calls) for (CallHandle h : *calls) c.session.noteCall(h);
                        return calls; }); }},
  {"newCallCount", [](C& c, P& p) { auto line = p.line(); auto address = p.u32("addressId");
     auto select = p.u32("select");
     return p.run([&] { return c.api.newCallCount(line, address, select); }); }},
  {"confRelatedCalls", [](C& c, P& p) { auto call = p.call();
     return p.run([&] { auto calls = c.api.confRelatedCalls(call);
                        if (calls) for (CallHandle h : *calls) c.session.noteCall(h);
                        return calls; }); }},
  {"handoff", [](C& c, P& p) { auto call = p.call(); auto module = p.opt<std::string>("module");
     auto media = p.u32("mediaMode");
     return p.run([&] { return c.api.handoff(call, module, media); }); }},
  {"deallocateCall", [](C& c, P& p) { auto call = p.call();
     return p.run([&] {
       Status st = c.api.deallocateCall(call);
       if (st) c.session.forgetCall(call);
       return st; }); }},
  {"setAppSpecific", [](C& c, P& p) { auto call = p.call(); auto value = p.u32("value");
     return p.run([&] { return c.api.setAppSpecific(call, value); }); }},
  {"monitorDigits", [](C& c, P& p) { auto call = p.call(); auto modes = p.u32("digitModes");
     return p.run([&] { return c.api.monitorDigits(call, modes); }); }},
  // ---- session operations: a request id, then a "reply" event
  {"makeCall", [](C& c, P& p) { auto line = p.line(); auto address = p.u32("addressId");
     auto dest = p.opt<std::string>("dest"); auto params = p.opt<CallParams>("params");
     return p.run([&] { return c.api.makeCall(line, address, dest, params); }); }},
  {"dial", [](C& c, P& p) { auto call = p.call(); auto dest = p.str("dest");
     return p.run([&] { return c.api.dial(call, dest); }); }},
  {"accept", [](C& c, P& p) { auto call = p.call(); return p.run([&] { return c.api.accept(call); }); }},
  {"answer", [](C& c, P& p) { auto call = p.call(); return p.run([&] { return c.api.answer(call); }); }},
  {"drop", [](C& c, P& p) { auto call = p.call(); return p.run([&] { return c.api.drop(call); }); }},
  {"hold", [](C& c, P& p) { auto call = p.call(); return p.run([&] { return c.api.hold(call); }); }},
  {"unhold", [](C& c, P& p) { auto call = p.call(); return p.run([&] { return c.api.unhold(call); }); }},
  {"swapHold", [](C& c, P& p) { auto active = p.call("active"); auto held = p.call("held");
     return p.run([&] { return c.api.swapHold(active, held); }); }},
  {"secureCall", [](C& c, P& p) { auto call = p.call(); return p.run([&] { return c.api.secureCall(call); }); }},
  {"redirect", [](C& c, P& p) { auto call = p.call(); auto dest = p.str("dest");
     return p.run([&] { return c.api.redirect(call, dest); }); }},
  {"blindTransfer", [](C& c, P& p) { auto call = p.call(); auto dest = p.str("dest");
     return p.run([&] { return c.api.blindTransfer(call, dest); }); }},
  {"setupTransfer", [](C& c, P& p) { auto call = p.call(); auto params = p.opt<CallParams>("params");
     return p.run([&] { return c.api.setupTransfer(call, params); }); }},
  {"completeTransfer", [](C& c, P& p) { auto call = p.call(); auto consult = p.call("consult");
     auto mode = static_cast<TransferMode>(p.u32("mode"));
     return p.run([&] { return c.api.completeTransfer(call, consult, mode); }); }},
  {"setupConference", [](C& c, P& p) { auto call = p.call(); auto line = p.line();
     auto address = p.opt<std::uint32_t>("addressId"); auto parties = p.u32("numParties");
     auto params = p.opt<CallParams>("params");
     return p.run([&] { return c.api.setupConference(call, line, address, parties, params); }); }},
  {"prepareAddToConference", [](C& c, P& p) { auto conf = p.call("conf");
     auto params = p.opt<CallParams>("params");
     return p.run([&] { return c.api.prepareAddToConference(conf, params); }); }},
  {"addToConference", [](C& c, P& p) { auto conf = p.call("conf"); auto consult = p.call("consult");
     return p.run([&] { return c.api.addToConference(conf, consult); }); }},
  {"removeFromConference", [](C& c, P& p) { auto call = p.call();
     return p.run([&] { return c.api.removeFromConference(call); }); }},
  {"park", [](C& c, P& p) { auto call = p.call(); auto mode = static_cast<ParkMode>(p.u32("mode"));
     auto orbit = p.opt<std::string>("orbit");
     auto max = p.opt<std::uint64_t>("maxOrbitLength", kAnyOrbitLength);
     return p.run([&] { return c.api.park(call, mode, orbit, static_cast<std::size_t>(max)); }); }},
  {"unpark", [](C& c, P& p) { auto line = p.line(); auto address = p.u32("addressId");
     auto orbit = p.str("orbit");
     return p.run([&] { return c.api.unpark(line, address, orbit); }); }},
  {"pickup", [](C& c, P& p) { auto line = p.line(); auto address = p.u32("addressId");
     auto dest = p.opt<std::string>("dest"); auto group = p.opt<std::string>("group");
     return p.run([&] { return c.api.pickup(line, address, dest, group); }); }},
  {"completeCall", [](C& c, P& p) { auto call = p.call();
     auto mode = static_cast<CompletionMode>(p.u32("mode")); auto msg = p.opt<std::uint32_t>("messageId");
     return p.run([&] { return c.api.completeCall(call, mode, msg); }); }},
  {"uncompleteCall", [](C& c, P& p) { auto line = p.line(); auto id = p.u32("completionId");
     return p.run([&] { return c.api.uncompleteCall(line, id); }); }},
  {"forward", [](C& c, P& p) { auto line = p.line(); auto all = p.get<bool>("allAddresses");
     auto address = p.opt<std::uint32_t>("addressId");
     auto entries = p.opt<std::vector<ForwardEntry>>("entries"); auto rings = p.opt<std::uint32_t>("numRings");
     return p.run([&] { return c.api.forward(line, all, address, entries, rings); }); }},

  // ---- beyond service::Api
  {"hello", [](C& c, P& p) -> Result<Json> {
     if (c.session.greeted()) return Status(Fault::kBadParam, "hello was already said");
     auto version = p.get<std::int64_t>("version"); auto token = p.opt<std::string>("token");
     (void)p.opt<std::string>("client");
     if (!p.status()) return p.status();
     if (version != kVersion)
       return Status(Fault::kIncompatibleVersion, "protocol version " + std::to_string(version) +
                                                      " is not supported (server: " +
                                                      std::to_string(kVersion) + ")");
     std::optional<Access> access = Access{};
     if (c.server.authorize) access = c.server.authorize(c.connection, token);
     if (!access) return Status(Code::kPermissionDenied, "permission denied");
     c.session.setGreeted(std::move(*access));
     return Json{{"version", kVersion}, {"server", c.server.name},
                 {"switch", c.server.switchName}, {"lineCount", c.api.lineCount()}}; }},
  {"snapshot", [](C& c, P& p) { return p.run([&] {
     Json lines = Json::array(), calls = Json::array();
     for (LineHandle l : c.session.lines())
       lines.push_back({{"line", l}, {"app", c.api.appOf(l)},
                        {"deviceId", c.api.deviceIdOfLine(l).valueOr(0)}});
     for (CallHandle h : c.session.calls()) {
       auto info = c.api.callInfo(h);
       auto status = c.api.callStatus(h);
       if (info && status)
         calls.push_back({{"call", h}, {"app", c.api.appOf(h)}, {"info", *info}, {"status", *status}});
     }
     return Result<Json>(Json{{"apps", c.session.apps()}, {"lines", lines}, {"calls", calls}}); }); }},
  // ---- dialing rules: the server's locations (read-only here)
  {"translateAddress", [](C& c, P& p) { auto address = p.str("address");
     auto card = p.opt<std::uint32_t>("card", 0); auto options = p.opt<std::uint32_t>("options", 0);
     return p.run([&]() -> Result<dialing::TranslateOutput> {
       if (!c.server.dialing) return noDialing();
       return c.server.dialing->translate(address, card, options); }); }},
  {"translateCaps", [](C& c, P& p) { return p.run([&]() -> Result<dialing::TranslateCaps> {
     if (!c.server.dialing) return noDialing();
     return c.server.dialing->translateCaps(); }); }},
  {"normalizeCallerId", [](C& c, P& p) { auto callerId = p.str("callerId");
     return p.run([&]() -> Result<dialing::IncomingNumber> {
       if (!c.server.dialing) return noDialing();
       return c.server.dialing->normalizeIncoming(callerId); }); }},
  {"sim.advance", [](C& c, P& p) { auto ms = p.u32("ms");
     return p.run([&] { return c.server.sim.advance ? c.server.sim.advance(ms) : unavailable(); }); }},
  {"sim.settle", [](C& c, P& p) {
     return p.run([&] { return c.server.sim.settle ? c.server.sim.settle() : unavailable(); }); }},
  {"sim.incomingCall", [](C& c, P& p) { auto from = p.str("from");
     auto name = p.opt<std::string>("fromName"); auto to = p.str("to");
     auto script = p.opt<std::string>("script");
     return p.run([&]() -> Result<Json> {
       if (!c.server.sim.incomingCall) return unavailable();
       auto leg = c.server.sim.incomingCall(PartyId{from, name}, to, script);
       if (!leg) return leg.status();
       return Json{{"leg", *leg}}; }); }},
  {"sim.farEnd", [](C& c, P& p) { auto leg = p.opt<std::uint32_t>("leg"); auto action = p.str("action");
     return p.run([&] { return c.server.sim.farEnd ? c.server.sim.farEnd(leg, action) : unavailable(); }); }},
};
// clang-format on

}  // namespace

// ---- Dispatcher -------------------------------------------------------------------

Dispatcher::Dispatcher() {
  for (const auto& [name, fn] : kApiMethods) {
    add(name, [fn = fn](Context& ctx, const Json& params) {
      Params p(ctx, params);
      return fn(ctx, p);
    });
  }
}

void Dispatcher::add(std::string name, Handler h) {
  addAsync(std::move(name), [h = std::move(h)](Context& ctx, const Json& params, Reply reply) {
    reply(h(ctx, params));
  });
}

void Dispatcher::addAsync(std::string name, AsyncHandler h) {
  table_[std::move(name)] = std::move(h);
}

bool Dispatcher::has(std::string_view name) const {
  return table_.find(name) != table_.end();
}

std::vector<std::string> Dispatcher::methods() const {
  std::vector<std::string> out;
  for (const auto& [name, h] : table_) out.push_back(name);
  return out;
}

void Dispatcher::call(Context& ctx, const Request& request, Reply reply) const {
  auto it = table_.find(request.method);
  if (it == table_.end()) {
    return reply(Status(Fault::kBadParam, "unknown method " + request.method.substr(0, 64)));
  }
  if (operatorMethod(request.method) && !ctx.session.access().operatorMethods) {
    return reply(Status(Code::kPermissionDenied,
                        request.method + " is not open to this client's credentials"));
  }
  // Exactly one reply, even if a handler throws after replying.
  auto once = [replied = std::make_shared<bool>(false), reply = std::move(reply)](
                  Result<Json> r) {
    if (*replied) return;
    *replied = true;
    reply(std::move(r));
  };
  try {
    it->second(ctx, request.params, once);
  } catch (const Json::exception& e) {
    once(Status(Code::kInternal, request.method + ": " + e.what()));
  }
}

void Dispatcher::handle(Context& ctx, std::string_view text,
                        std::function<void(Outcome)> done) const {
  std::uint64_t id = 0;
  auto request = parseRequest(text, &id);
  handle(ctx, std::move(request), id, std::move(done));
}

void Dispatcher::handle(Context& ctx, Result<Request> request, std::uint64_t id,
                        std::function<void(Outcome)> done) const {
  auto finish = [done = std::move(done)](std::uint64_t id, std::string method, bool close,
                                         const Result<Json>& result) {
    Outcome out;
    out.method = std::move(method);
    out.ok = result.isOk();
    out.close = close;
    out.frame = result ? encodeResult(id, *result) : encodeError(id, result.status());
    done(std::move(out));
  };
  if (!request) return finish(id, "", true, request.status());  // not the protocol
  if (!ctx.session.greeted() && request->method != "hello") {
    return finish(request->id, request->method, true, Status(Fault::kBadParam, "hello first"));
  }
  const bool greeting = !ctx.session.greeted();
  call(ctx, *request,
       [finish = std::move(finish), id = request->id, method = request->method,
        greeting](Result<Json> r) {
         const bool refused = greeting && !r;  // a refused hello closes
         finish(id, method, refused, r);
       });
}

}  // namespace tapir::protocol
