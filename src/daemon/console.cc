#include "daemon/console.h"

#include <algorithm>
#include <utility>

namespace tapir::daemon {

namespace {

using service::CallHandle;
using service::LineHandle;
using Json = protocol::Json;

constexpr std::uint32_t kAnyState = kAllCallStates & ~bit(CallState::kIdle);
constexpr std::uint32_t kHeldStates = bit(CallState::kOnHold) |
                                      bit(CallState::kOnHoldPendTransfer) |
                                      bit(CallState::kOnHoldPendConf);

Json party(const PartyId& p) {
  return Json{{"number", p.number}, {"name", p.name}};
}

std::string str(std::string_view s) {
  return std::string(s);
}

// A params field that may be given as a string or a number ("701" or 701).
Result<std::string> textField(const Json& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end()) return Status(Fault::kBadParam, std::string("params.") + name + ": missing");
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
  return Status(Fault::kBadParam, std::string("params.") + name + ": expected a string");
}

Result<std::string> textFieldOr(const Json& params, const char* name, std::string fallback) {
  if (!params.contains(name) || params.at(name).is_null()) return fallback;
  return textField(params, name);
}

}  // namespace

Console::Console(service::Api& api, EventLoop& loop) : api_(api), loop_(loop) {}

Console::~Console() {
  *alive_ = false;
  auto pending = std::move(pending_);
  for (auto& [request, then] : pending)
    then(Status(Code::kUnavailable, "the server is stopping"), {});
  auto waits = std::move(stateWaits_);
  for (auto& w : waits) w.then(Status(Code::kUnavailable, "the server is stopping"));
  if (app_ != 0) (void)api_.shutdown(app_);
}

const std::vector<std::string>& Console::methods() {
  static const std::vector<std::string> kNames = {
      "console.status",   "console.lines",    "console.calls",  "console.call",       "console.answer",
      "console.hold",     "console.unhold", "console.drop",       "console.transfer",
      "console.complete", "console.conference", "console.park",   "console.unpark",
      "console.pickup",   "console.forward", "console.watch"};
  return kNames;
}

Status Console::start() {
  if (app_ != 0) return Status();
  Status st = openLines();
  if (!st && app_ != 0) {
    (void)api_.shutdown(app_);
    app_ = 0;
    stations_.clear();
    calls_.clear();
  }
  return st;
}

Status Console::openLines() {
  auto app = api_.initialize(service::AppInfo{"tapir console", "tapird-console"}, this);
  if (!app) return app.status();
  app_ = *app;
  const std::uint32_t count = api_.lineCount();
  for (std::uint32_t dev = 0; dev < count; ++dev) {
    auto version =
        api_.negotiateApiVersion(app_, dev, service::kMinApiVersion, service::kMaxApiVersion);
    if (!version) return version.status();
    auto caps = api_.devCaps(app_, dev, *version);
    if (!caps) return caps.status();
    service::OpenParams p;
    p.deviceId = dev;
    p.apiVersion = *version;
    p.privileges = service::privilege::kMonitor;
    p.mediaModes = media_mode::kInteractiveVoice;
    auto line = api_.open(app_, p);
    if (!line) return line.status();
    Station s;
    s.deviceId = dev;
    s.line = *line;
    s.name = caps->name;
    if (!caps->addresses.empty()) {
      s.number = caps->addresses[0].address;
      if (!caps->addresses[0].name.empty()) s.name = caps->addresses[0].name;
    }
    stations_.push_back(std::move(s));
    // Calls already there when the console starts.
    if (auto calls = api_.newCalls(*line, 0, service::call_select::kLine); calls.isOk()) {
      for (CallHandle h : *calls) track(h, *line);
    }
  }
  return Status();
}

void Console::handle(std::string_view method, const Json& params, Done done) {
  if (app_ == 0) {
    if (Status st = start(); !st) {
      done(Status(st.code(), "the console cannot start: " + st.message()));
      return;
    }
  }
  const Json& p = params.is_object() ? params : Json::object();
  if (!params.is_null() && !params.is_object()) {
    done(Status(Fault::kBadParam, "params: expected an object"));
    return;
  }
  if (method == "console.status") return status(std::move(done));
  if (method == "console.lines") return lines(std::move(done));
  if (method == "console.calls") return calls(std::move(done));
  if (method == "console.call") return makeCall(p, std::move(done));
  if (method == "console.answer") return answer(p, std::move(done));
  if (method == "console.hold") return hold(p, std::move(done), true);
  if (method == "console.unhold") return hold(p, std::move(done), false);
  if (method == "console.drop") return drop(p, std::move(done));
  if (method == "console.transfer") return transfer(p, std::move(done));
  if (method == "console.complete") return complete(p, std::move(done));
  if (method == "console.conference") return conference(p, std::move(done));
  if (method == "console.park") return park(p, std::move(done));
  if (method == "console.unpark") return unpark(p, std::move(done));
  if (method == "console.pickup") return pickup(p, std::move(done));
  if (method == "console.forward") return forward(p, std::move(done));
  done(Status(Fault::kOperationUnavail, "no console method " + std::string(method)));
}

std::uint64_t Console::addWatcher(Watcher w) {
  const std::uint64_t id = nextWatcher_++;
  watchers_.emplace(id, std::move(w));
  return id;
}

void Console::removeWatcher(std::uint64_t id) {
  watchers_.erase(id);
}

// ---- messages ---------------------------------------------------------------------------------

void Console::deliver(const service::Message& m) {
  switch (m.id) {
    case service::msg::kAppNewCall:
      track(static_cast<CallHandle>(m.p2), m.device);
      break;
    case service::msg::kCallState:
      onCallState(m.device, static_cast<CallState>(m.p1), static_cast<std::uint32_t>(m.p2));
      break;
    case service::msg::kClose:
      for (Station& s : stations_)
        if (s.line == m.device) s.line = 0;
      break;
    default:
      break;
  }
}

void Console::deliverReply(std::int32_t request, std::uintptr_t, const Status& result,
                           const service::ReplyPayload& payload) {
  auto it = pending_.find(request);
  if (it == pending_.end()) {
    early_[request] = {result, payload};
    return;
  }
  Then then = std::move(it->second);
  pending_.erase(it);
  // Not inside the service's delivery: the continuation calls the service.
  loop_.post([alive = alive_, then = std::move(then), result, payload] {
    if (*alive) then(result, payload);
  });
}

void Console::await(Result<std::int32_t> request, Then then) {
  if (!request) {
    then(request.status(), {});
    return;
  }
  if (auto it = early_.find(*request); it != early_.end()) {
    auto [status, payload] = std::move(it->second);
    early_.erase(it);
    then(status, payload);
    return;
  }
  pending_.emplace(*request, std::move(then));
}

void Console::waitState(CallHandle h, std::function<bool(CallState)> ready,
                        std::function<void(const Status&)> then) {
  auto st = api_.callStatus(h);
  if (!st) {
    then(st.status());
    return;
  }
  const CallState now = st->status.state;
  if (ready(now)) {
    then(Status());
    return;
  }
  if (now == CallState::kIdle || now == CallState::kDisconnected) {
    then(Status(Fault::kOperationFailed, "the call ended (" + str(callStateName(now)) + ")"));
    return;
  }
  stateWaits_.push_back(StateWait{h, std::move(ready), std::move(then)});
}

void Console::onCallState(CallHandle h, CallState state, std::uint32_t mode) {
  if (!calls_.contains(h)) {
    // A handle the console learnt of from a reply not yet handled: find its line.
    if (auto dev = api_.deviceIdOfCall(h); dev.isOk()) {
      for (const Station& s : stations_)
        if (s.deviceId == *dev) track(h, s.line);
    }
  }
  if (auto it = calls_.find(h); it != calls_.end() && !watchers_.empty()) {
    Json ev = Json::object();
    ev["station"] = stations_[it->second.station].number;
    ev["state"] = callStateName(state);
    ev["stateValue"] = bit(state);
    if (state == CallState::kDisconnected) ev["cause"] = disconnectModeName(mode);
    if (auto info = api_.callInfo(h); info.isOk()) {
      ev["call"] = info->info.callId;
      ev["caller"] = party(info->info.caller);
      ev["called"] = party(info->info.called);
      ev["connected"] = party(info->info.connected);
      ev["reason"] = callReasonName(info->info.reason);
      ev["origin"] = callOriginName(info->info.origin);
    }
    emit(ev);
  }
  // Operations waiting for this call to reach a state.
  for (std::size_t i = 0; i < stateWaits_.size();) {
    StateWait& w = stateWaits_[i];
    const bool ended = state == CallState::kIdle || state == CallState::kDisconnected ||
                       state == CallState::kBusy;
    if (w.handle != h || (!w.ready(state) && !ended)) {
      ++i;
      continue;
    }
    Status outcome = w.ready(state) ? Status()
                                    : Status(Fault::kOperationFailed,
                                             "the call ended (" + str(callStateName(state)) +
                                                 (state == CallState::kDisconnected
                                                      ? ", " + str(disconnectModeName(mode))
                                                      : std::string()) +
                                                 ")");
    auto then = std::move(w.then);
    stateWaits_.erase(stateWaits_.begin() + static_cast<std::ptrdiff_t>(i));
    loop_.post([alive = alive_, then = std::move(then), outcome = std::move(outcome)] {
      if (*alive) then(outcome);
    });
  }
  if (state == CallState::kIdle) {
    loop_.post([this, alive = alive_, h] {
      if (*alive) forget(h);
    });
  }
}

void Console::emit(const Json& event) {
  Json ev = event;
  ev["event"] = "console";
  // A watcher may remove itself (its connection closed) while we iterate.
  std::vector<std::uint64_t> ids;
  for (const auto& [id, w] : watchers_) ids.push_back(id);
  for (std::uint64_t id : ids)
    if (auto it = watchers_.find(id); it != watchers_.end()) {
      const Watcher w = it->second;  // it may remove itself
      w(ev);
    }
}

// ---- call bookkeeping -------------------------------------------------------------------------

void Console::track(CallHandle h, LineHandle line) {
  if (h == 0) return;
  for (std::size_t i = 0; i < stations_.size(); ++i) {
    if (stations_[i].line == line && line != 0) {
      calls_[h] = Tracked{line, i};
      return;
    }
  }
}

void Console::forget(CallHandle h) {
  if (calls_.erase(h) == 0) return;
  (void)api_.deallocateCall(h);
  for (auto it = consults_.begin(); it != consults_.end();) {
    if (it->second.first == h || it->second.second == h) {
      it = consults_.erase(it);
    } else {
      ++it;
    }
  }
}

std::uint32_t Console::callIdOf(CallHandle h) const {
  auto info = api_.callInfo(h);
  return info.isOk() ? info->info.callId : 0;
}

std::vector<Console::CallView> Console::callsAt(std::size_t station) {
  const Station& s = stations_[station];
  if (s.line != 0) {
    if (auto more = api_.newCalls(s.line, 0, service::call_select::kLine); more.isOk()) {
      for (CallHandle h : *more) track(h, s.line);
    }
  }
  std::vector<CallView> out;
  for (const auto& [h, t] : calls_) {
    if (t.station != station) continue;
    auto st = api_.callStatus(h);
    auto info = api_.callInfo(h);
    if (!st || !info || st->status.state == CallState::kIdle) continue;
    out.push_back(CallView{h, station, info->info.callId, st->status.state, std::move(*info)});
  }
  return out;
}

Result<std::size_t> Console::stationParam(const Json& params) {
  auto number = textField(params, "station");
  if (!number) return number.status();
  for (std::size_t i = 0; i < stations_.size(); ++i)
    if (stations_[i].number == *number && stations_[i].line != 0) return i;
  return Status(Fault::kBadAddress, "no station " + *number);
}

Result<Console::CallView> Console::pick(std::size_t station, std::uint32_t states,
                                        const Json& params, std::string_view what) {
  const std::string& number = stations_[station].number;
  std::vector<CallView> all = callsAt(station);
  if (params.contains("call") && !params.at("call").is_null()) {
    auto id = protocol::field<std::uint32_t>(params, "call");
    if (!id) return id.status();
    for (CallView& v : all)
      if (v.callId == *id) return std::move(v);
    return Status(Fault::kBadCallHandle,
                  "station " + number + " has no call " + std::to_string(*id));
  }
  std::vector<CallView> fit;
  for (CallView& v : all)
    if (bit(v.state) & states) fit.push_back(std::move(v));
  if (fit.size() == 1) return std::move(fit.front());
  if (fit.empty()) {
    std::string msg = "station " + number + " has no " + std::string(what) + " call";
    if (!all.empty()) {
      msg += " (";
      for (std::size_t i = 0; i < all.size(); ++i) {
        if (i) msg += ", ";
        msg += "call " + std::to_string(all[i].callId) + " " + str(callStateName(all[i].state));
      }
      msg += ")";
    }
    return Status(Fault::kBadCallState, std::move(msg));
  }
  std::string msg = "station " + number + " has " + std::to_string(fit.size()) + " " +
                    std::string(what) + " calls (";
  for (std::size_t i = 0; i < fit.size(); ++i) {
    if (i) msg += ", ";
    msg += "call " + std::to_string(fit[i].callId) + " " + str(callStateName(fit[i].state));
  }
  msg += "): name one by its call id";
  return Status(Fault::kBadParam, std::move(msg));
}

Status Console::own(CallHandle h) {
  return api_.setCallPrivilege(h, service::privilege::kOwner);
}

Json Console::describe(const CallView& v) const {
  const Station& s = stations_[v.station];
  const CallInfo& i = v.info.info;
  Json j = Json::object();
  j["call"] = v.callId;
  j["station"] = s.number;
  j["deviceId"] = s.deviceId;
  j["state"] = callStateName(v.state);
  j["stateValue"] = bit(v.state);
  j["caller"] = party(i.caller);
  j["called"] = party(i.called);
  j["connected"] = party(i.connected);
  j["reason"] = callReasonName(i.reason);
  j["origin"] = callOriginName(i.origin);
  j["relatedCall"] = i.relatedCallId;
  return j;
}

// ---- methods ----------------------------------------------------------------------------------

void Console::status(Done done) {
  std::size_t calls = 0;
  std::uint32_t opens = 0;
  for (std::size_t i = 0; i < stations_.size(); ++i) {
    calls += callsAt(i).size();
    if (stations_[i].line == 0) continue;
    if (auto st = api_.lineDevStatus(stations_[i].line); st.isOk() && st->numOpens > 0)
      opens += st->numOpens - 1;
  }
  Json out{{"lines", stations_.size()}, {"calls", calls}, {"opens", opens},
           {"watchers", watchers_.size()}};
  if (connections_) out["connections"] = connections_();
  done(std::move(out));
}

void Console::lines(Done done) {
  Json out = Json::array();
  for (std::size_t i = 0; i < stations_.size(); ++i) {
    const Station& s = stations_[i];
    Json j = Json::object();
    j["deviceId"] = s.deviceId;
    j["station"] = s.number;
    j["name"] = s.name;
    std::uint32_t opens = 0;
    if (s.line != 0) {
      if (auto st = api_.lineDevStatus(s.line); st.isOk() && st->numOpens > 0)
        opens = st->numOpens - 1;  // not counting the console's own
    }
    j["apps"] = opens;
    Json calls = Json::array();
    for (const CallView& v : callsAt(i))
      calls.push_back(Json{{"call", v.callId}, {"state", callStateName(v.state)}});
    j["calls"] = std::move(calls);
    out.push_back(std::move(j));
  }
  done(Json{{"lines", std::move(out)}});
}

void Console::calls(Done done) {
  Json out = Json::array();
  for (std::size_t i = 0; i < stations_.size(); ++i)
    for (const CallView& v : callsAt(i)) out.push_back(describe(v));
  done(Json{{"calls", std::move(out)}});
}

void Console::makeCall(const Json& params, Done done) {
  auto from = stationParam(params.contains("from") ? Json{{"station", params.at("from")}}
                                                   : Json::object());
  if (!from) return done(from.status());
  auto to = textField(params, "to");
  if (!to) return done(to.status());
  const LineHandle line = stations_[*from].line;
  await(api_.makeCall(line, 0, *to, CallParams{}),
        [this, line, done = std::move(done)](const Status& st, const service::ReplyPayload& p) {
          if (!st) return done(st);
          track(p.call, line);
          done(Json{{"call", callIdOf(p.call)}});
        });
}

void Console::answer(const Json& params, Done done) {
  auto s = stationParam(params);
  if (!s) return done(s.status());
  auto v = pick(*s, bit(CallState::kOffering) | bit(CallState::kAccepted), params, "offering");
  if (!v) return done(v.status());
  if (Status st = own(v->handle); !st) return done(st);
  await(api_.answer(v->handle),
        [id = v->callId, done = std::move(done)](const Status& st, const service::ReplyPayload&) {
          if (!st) return done(st);
          done(Json{{"call", id}});
        });
}

void Console::hold(const Json& params, Done done, bool on) {
  auto s = stationParam(params);
  if (!s) return done(s.status());
  auto v = on ? pick(*s, bit(CallState::kConnected), params, "connected")
              : pick(*s, bit(CallState::kOnHold), params, "held");
  if (!v) return done(v.status());
  if (Status st = own(v->handle); !st) return done(st);
  await(on ? api_.hold(v->handle) : api_.unhold(v->handle),
        [id = v->callId, done = std::move(done)](const Status& st, const service::ReplyPayload&) {
          if (!st) return done(st);
          done(Json{{"call", id}});
        });
}

void Console::drop(const Json& params, Done done) {
  auto s = stationParam(params);
  if (!s) return done(s.status());
  auto v = pick(*s, kAnyState, params, "active");
  if (!v) return done(v.status());
  if (Status st = own(v->handle); !st) return done(st);
  await(api_.drop(v->handle),
        [id = v->callId, done = std::move(done)](const Status& st, const service::ReplyPayload&) {
          if (!st) return done(st);
          done(Json{{"call", id}});
        });
}

void Console::transfer(const Json& params, Done done) {
  auto s = stationParam(params);
  if (!s) return done(s.status());
  auto to = textField(params, "to");
  if (!to) return done(to.status());
  auto consult = protocol::fieldOr<bool>(params, "consult", false);
  if (!consult) return done(consult.status());
  auto v = pick(*s, bit(CallState::kConnected), params, "connected");
  if (!v) return done(v.status());
  if (Status st = own(v->handle); !st) return done(st);
  const CallHandle call = v->handle;
  const std::uint32_t id = v->callId;
  if (!*consult) {
    await(api_.blindTransfer(call, *to),
          [id, done = std::move(done)](const Status& st, const service::ReplyPayload&) {
            if (!st) return done(st);
            done(Json{{"call", id}});
          });
    return;
  }
  const LineHandle line = stations_[*s].line;
  const std::size_t station = *s;
  await(api_.setupTransfer(call, CallParams{}),
        [this, call, id, line, station, dest = *to, done = std::move(done)](
            const Status& st, const service::ReplyPayload& p) mutable {
          if (!st) return done(st);
          const CallHandle consultCall = p.call;
          track(consultCall, line);
          consults_[station] = {call, consultCall};
          await(api_.dial(consultCall, dest),
                [this, id, consultCall, done = std::move(done)](const Status& st2,
                                                                const service::ReplyPayload&) {
                  if (!st2) return done(st2);
                  done(Json{{"call", id}, {"consult", callIdOf(consultCall)}});
                });
        });
}

void Console::complete(const Json& params, Done done) {
  auto s = stationParam(params);
  if (!s) return done(s.status());
  auto as = protocol::fieldOr<std::string>(params, "as", "transfer");
  if (!as) return done(as.status());
  TransferMode mode;
  if (*as == "transfer") {
    mode = TransferMode::kTransfer;
  } else if (*as == "conference") {
    mode = TransferMode::kConference;
  } else {
    return done(Status(Fault::kBadParam, "params.as: \"transfer\" or \"conference\""));
  }
  auto it = consults_.find(*s);
  if (it == consults_.end() || !calls_.contains(it->second.first) ||
      !calls_.contains(it->second.second)) {
    return done(Status(Fault::kBadCallState, "station " + stations_[*s].number +
                                                 " has no consultation transfer under way"));
  }
  const auto [call, consult] = it->second;
  const LineHandle line = stations_[*s].line;
  const std::uint32_t id = callIdOf(call);
  await(api_.completeTransfer(call, consult, mode),
        [this, id, line, done = std::move(done)](const Status& st,
                                                 const service::ReplyPayload& p) {
          if (!st) return done(st);
          Json out{{"call", id}};
          if (p.call != 0) {
            track(p.call, line);
            out["conference"] = callIdOf(p.call);
          }
          done(std::move(out));
        });
}

void Console::conference(const Json& params, Done done) {
  auto s = stationParam(params);
  if (!s) return done(s.status());
  auto add = textField(params, "add");
  if (!add) return done(add.status());
  auto v = pick(*s, bit(CallState::kConnected), params, "connected");
  if (!v) return done(v.status());
  if (Status st = own(v->handle); !st) return done(st);
  const LineHandle line = stations_[*s].line;
  await(
      api_.setupConference(v->handle, line, 0, 3, CallParams{}),
      [this, line, dest = *add, done = std::move(done)](const Status& st,
                                                        const service::ReplyPayload& p) mutable {
        if (!st) return done(st);
        const CallHandle conf = p.call;
        const CallHandle consult = p.call2;
        track(conf, line);
        track(consult, line);
        await(api_.dial(consult, dest), [this, conf, consult, done = std::move(done)](
                                            const Status& st2,
                                            const service::ReplyPayload&) mutable {
          if (!st2) return done(st2);
          // The added party must be reached (ringing is enough) first.
          waitState(
              consult,
              [](CallState cs) {
                return cs == CallState::kRingback || cs == CallState::kConnected ||
                       cs == CallState::kProceeding;
              },
              [this, conf, consult, done = std::move(done)](const Status& st3) mutable {
                if (!st3) return done(st3);
                await(api_.addToConference(conf, consult),
                      [this, conf, done = std::move(done)](const Status& st4,
                                                           const service::ReplyPayload&) {
                        if (!st4) return done(st4);
                        done(Json{{"conference", callIdOf(conf)}});
                      });
              });
        });
      });
}

void Console::park(const Json& params, Done done) {
  auto s = stationParam(params);
  if (!s) return done(s.status());
  auto orbit = textFieldOr(params, "orbit", "");
  if (!orbit) return done(orbit.status());
  auto v = pick(*s, bit(CallState::kConnected), params, "connected");
  if (!v) return done(v.status());
  if (Status st = own(v->handle); !st) return done(st);
  const ParkMode mode = orbit->empty() ? ParkMode::kNonDirected : ParkMode::kDirected;
  await(api_.park(v->handle, mode, *orbit),
        [id = v->callId, orbit = *orbit, done = std::move(done)](const Status& st,
                                                                 const service::ReplyPayload& p) {
          if (!st) return done(st);
          done(Json{{"call", id}, {"orbit", orbit.empty() ? p.address : orbit}});
        });
}

void Console::unpark(const Json& params, Done done) {
  auto s = stationParam(params);
  if (!s) return done(s.status());
  auto orbit = textField(params, "orbit");
  if (!orbit) return done(orbit.status());
  const LineHandle line = stations_[*s].line;
  await(api_.unpark(line, 0, *orbit),
        [this, line, done = std::move(done)](const Status& st, const service::ReplyPayload& p) {
          if (!st) return done(st);
          track(p.call, line);
          done(Json{{"call", callIdOf(p.call)}});
        });
}

void Console::pickup(const Json& params, Done done) {
  auto s = stationParam(params);
  if (!s) return done(s.status());
  auto from = textFieldOr(params, "from", "");
  if (!from) return done(from.status());
  auto group = textFieldOr(params, "group", "");
  if (!group) return done(group.status());
  if (!from->empty() && !group->empty())
    return done(Status(Fault::kBadParam, "params: give `from` or `group`, not both"));
  const LineHandle line = stations_[*s].line;
  await(api_.pickup(line, 0, *from, *group),
        [this, line, done = std::move(done)](const Status& st, const service::ReplyPayload& p) {
          if (!st) return done(st);
          track(p.call, line);
          done(Json{{"call", callIdOf(p.call)}});
        });
}

void Console::forward(const Json& params, Done done) {
  auto s = stationParam(params);
  if (!s) return done(s.status());
  auto mode = protocol::field<std::string>(params, "mode");
  if (!mode) return done(mode.status());
  auto rings = protocol::fieldOr<std::uint32_t>(params, "rings", 0);
  if (!rings) return done(rings.status());
  std::vector<ForwardEntry> entries;
  if (*mode != "off") {
    ForwardEntry e;
    if (*mode == "unconditional") {
      e.mode = forward_mode::kUncond;
    } else if (*mode == "busy") {
      e.mode = forward_mode::kBusy;
    } else if (*mode == "noanswer") {
      e.mode = forward_mode::kNoAnsw;
    } else {
      return done(Status(Fault::kBadParam,
                         "params.mode: \"unconditional\", \"busy\", \"noanswer\" or \"off\""));
    }
    auto to = textField(params, "to");
    if (!to) return done(to.status());
    e.destAddress = *to;
    entries.push_back(std::move(e));
  }
  const LineHandle line = stations_[*s].line;
  await(api_.forward(line, true, 0, entries, *rings),
        [done = std::move(done)](const Status& st, const service::ReplyPayload&) {
          if (!st) return done(st);
          done(Json::object());
        });
}

}  // namespace tapir::daemon
