// Service: registrations, lines, call handles, privileges, handoff, and the
// routing of provider events to applications. The session operations that
// only translate handles are in service_ops.cc.
#include "service/service.h"

#include <strings.h>

#include <algorithm>
#include <bit>
#include <chrono>

namespace tapir::service {

namespace {
constexpr std::uint32_t kLineDigitModeDtmf = 0x00000002;  // LINEDIGITMODE_DTMF
constexpr std::uint32_t kApi20 = 0x00020000;
// Every LINEDEVSTATE_ / LINEADDRESSSTATE_ bit TAPI 2.2 defines.
constexpr std::uint32_t kAllLineStates = 0x01ffffff;
constexpr std::uint32_t kAllAddressStates = 0x000001ff;
}  // namespace

Service::Service(EventLoop& loop, Provider& provider) : loop_(loop), provider_(provider) {
  provider_.setListener(this);
}

Service::~Service() {
  provider_.setListener(nullptr);
}

// ---- handles -----------------------------------------------------------------------

std::uint32_t Service::nextHandle() {
  // Never 0, never reused while the service runs (2^32 handles).
  if (++lastHandle_ == 0) ++lastHandle_;
  return lastHandle_;
}

std::int32_t Service::nextRequest() {
  do {
    lastRequest_ = lastRequest_ == INT32_MAX ? 1 : lastRequest_ + 1;
  } while (requests_.count(lastRequest_));
  return lastRequest_;
}

Service::App* Service::findApp(AppHandle h) {
  auto it = apps_.find(h);
  return it == apps_.end() ? nullptr : &it->second;
}
const Service::App* Service::findApp(AppHandle h) const {
  return const_cast<Service*>(this)->findApp(h);
}
Service::Line* Service::findLine(LineHandle h) {
  auto it = lines_.find(h);
  return it == lines_.end() ? nullptr : &it->second;
}
const Service::Line* Service::findLine(LineHandle h) const {
  return const_cast<Service*>(this)->findLine(h);
}
Service::Handle* Service::findHandle(CallHandle h) {
  auto it = handles_.find(h);
  return it == handles_.end() || it->second.pending ? nullptr : &it->second;
}
const Service::Handle* Service::findHandle(CallHandle h) const {
  return const_cast<Service*>(this)->findHandle(h);
}

Result<Service::Handle*> Service::anyHandle(CallHandle h) {
  Handle* handle = findHandle(h);
  if (handle == nullptr) return Status(Fault::kBadCallHandle, "no such call handle");
  return handle;
}

Result<Service::Handle*> Service::ownerHandle(CallHandle h) {
  auto handle = anyHandle(h);
  if (!handle) return handle;
  if ((*handle)->privilege != privilege::kOwner)
    return Status(Fault::kNotOwner, "the application is not an owner of the call");
  return handle;
}

Result<Service::Line*> Service::lineOf(LineHandle h) {
  Line* line = findLine(h);
  if (line == nullptr) return Status(Fault::kBadLineHandle, "no such line handle");
  return line;
}

Service::Call& Service::track(CallId id) {
  auto [it, added] = calls_.try_emplace(id);
  if (added) it->second.id = id;
  return it->second;
}

CallHandle Service::addHandle(Line& line, CallId call, std::uint32_t priv, bool pending) {
  const CallHandle h = nextHandle();
  Handle& handle = handles_[h];
  handle.handle = h;
  handle.line = line.handle;
  handle.app = line.app;
  handle.call = call;
  handle.privilege = priv;
  handle.pending = pending;
  handle.announce = true;
  line.calls.push_back(h);
  track(call).handles.push_back(h);
  return h;
}

Service::Handle* Service::handleOf(AppHandle app, LineHandle line, CallId call) {
  auto it = calls_.find(call);
  if (it == calls_.end()) return nullptr;
  for (CallHandle h : it->second.handles) {
    Handle& handle = handles_.at(h);
    if (handle.app == app && (line == 0 || handle.line == line)) return &handle;
  }
  return nullptr;
}

std::uint32_t Service::owners(const Call& call) const {
  std::uint32_t n = 0;
  for (CallHandle h : call.handles)
    n += handles_.at(h).privilege == privilege::kOwner;
  return n;
}

// LINE_CALLINFO with changed owner/monitor counts, to everyone but `except`.
// Nothing is said about idle calls.
void Service::countsChanged(Call& call, std::uint32_t fields, CallHandle except) {
  if (call.state == CallState::kIdle || fields == 0) return;
  for (CallHandle h : call.handles) {
    const Handle& handle = handles_.at(h);
    if (h != except && !handle.pending) sendCall(handle, msg::kCallInfo, fields, 0, 0);
  }
}

void Service::removeHandle(CallHandle h, bool closeIfUnused) {
  auto it = handles_.find(h);
  if (it == handles_.end()) return;
  const Handle handle = it->second;
  handles_.erase(it);
  if (Line* line = findLine(handle.line)) std::erase(line->calls, h);
  auto c = calls_.find(handle.call);
  if (c == calls_.end()) return;
  std::erase(c->second.handles, h);
  if (!handle.pending) {
    countsChanged(c->second, handle.privilege == privilege::kOwner ? info_extra::kNumOwnerDecr
                                                                   : info_extra::kNumMonitors);
  }
  if (closeIfUnused) maybeForget(handle.call);
}

// A call nobody holds a handle to is released once it is idle.
void Service::maybeForget(CallId id) {
  auto it = calls_.find(id);
  if (it == calls_.end() || !it->second.handles.empty()) return;
  auto st = provider_.callStatus(id);
  if (st && st->state != CallState::kIdle) return;
  calls_.erase(it);
  provider_.closeCall(id);
}

// ---- sending -------------------------------------------------------------------------

void Service::send(const Line& line, const Message& m) {
  if (const App* app = findApp(line.app); app && app->sink) app->sink->deliver(m);
}

void Service::sendCall(const Handle& h, std::uint32_t msgId, std::uintptr_t p1, std::uintptr_t p2,
                       std::uintptr_t p3) {
  const Line* line = findLine(h.line);
  if (line == nullptr) return;
  send(*line, Message{h.handle, msgId, line->params.callbackInstance, p1, p2, p3});
}

std::vector<const Service::Line*> Service::opensOf(LineId lineId) const {
  std::vector<const Line*> out;
  auto it = opens_.find(lineId);
  if (it == opens_.end()) return out;
  out.reserve(it->second.size());
  for (LineHandle h : it->second)
    out.push_back(&lines_.at(h));
  return out;
}

// ---- applications and lines ------------------------------------------------------------

Result<AppHandle> Service::initialize(AppInfo info, MessageSink* sink) {
  if (sink == nullptr) return Status(Fault::kBadPointer, "no message sink");
  if (info.moduleName.empty()) info.moduleName = "app";
  if (info.friendlyName.empty()) info.friendlyName = info.moduleName;
  const AppHandle h = nextHandle();
  App& app = apps_[h];
  app.handle = h;
  app.info = std::move(info);
  app.sink = sink;
  return h;
}

Status Service::shutdown(AppHandle h) {
  App* app = findApp(h);
  if (app == nullptr) return Status(Fault::kBadAppHandle, "no such application handle");
  const std::vector<LineHandle> lines = app->lines;
  for (LineHandle l : lines) {
    if (Line* line = findLine(l)) closeLine(*line, false);
  }
  // Requests not tied to a line (none today) are forgotten with the app.
  std::erase_if(requests_, [h](const auto& r) { return r.second.app == h; });
  apps_.erase(h);
  return Status();
}

Status Service::closeLines(AppHandle h) {
  App* app = findApp(h);
  if (app == nullptr) return Status(Fault::kBadAppHandle, "no such application handle");
  const std::vector<LineHandle> lines = app->lines;
  for (LineHandle l : lines) {
    if (Line* line = findLine(l)) closeLine(*line, true);
  }
  return Status();
}

Result<std::uint32_t> Service::negotiateApiVersion(AppHandle app, std::uint32_t deviceId,
                                                   std::uint32_t low, std::uint32_t high) const {
  if (!findApp(app)) return Status(Fault::kBadAppHandle, "no such application handle");
  if (deviceId >= provider_.lineCount()) return Status(Fault::kBadDeviceId, "no such line device");
  if (low > high || high < kMinApiVersion || low > kMaxApiVersion)
    return Status(Fault::kIncompatibleVersion, "supported API versions are 1.3 to 2.2");
  return std::min(high, kMaxApiVersion);
}

Result<LineHandle> Service::open(AppHandle appHandle, const OpenParams& p) {
  App* app = findApp(appHandle);
  if (app == nullptr) return Status(Fault::kBadAppHandle, "no such application handle");
  if (p.deviceId >= provider_.lineCount())
    return Status(Fault::kBadDeviceId, "no such line device");
  if (p.apiVersion < kMinApiVersion || p.apiVersion > kMaxApiVersion)
    return Status(Fault::kIncompatibleVersion, "API version not negotiated");
  const std::uint32_t privs = p.privileges;
  if (privs != privilege::kNone && privs != privilege::kMonitor && privs != privilege::kOwner &&
      privs != (privilege::kMonitor | privilege::kOwner)) {
    return Status(Fault::kBadPrivSelect,
                  "privileges must be NONE, MONITOR, OWNER or MONITOR|OWNER");
  }
  const LineId lineId = provider_.lineAt(p.deviceId);
  const LineCaps* caps = provider_.lineCaps(lineId);
  if (privs & privilege::kOwner) {
    const std::uint32_t supported = caps->mediaModes | media_mode::kUnknown;
    if (p.mediaModes == 0 || (p.mediaModes & ~supported) != 0)
      return Status(Fault::kBadMediaMode, "the line does not handle those media modes");
  }
  if (p.singleAddress && *p.singleAddress >= caps->addresses.size())
    return Status(Fault::kBadAddressId, "no such address on the line");
  const LineHandle h = nextHandle();
  Line& line = lines_[h];
  opens_[lineId].push_back(h);
  line.handle = h;
  line.app = appHandle;
  line.deviceId = p.deviceId;
  line.line = lineId;
  line.params = p;
  app->lines.push_back(h);
  for (const Line* other : opensOf(lineId)) {
    if (other->handle != h && (other->lineStates & line_state_extra::kOpen))
      send(*other, Message{other->handle, msg::kLineDevState, other->params.callbackInstance,
                           line_state_extra::kOpen, 0, 0});
  }
  return h;
}

Status Service::close(LineHandle h) {
  Line* line = findLine(h);
  if (line == nullptr) return Status(Fault::kBadLineHandle, "no such line handle");
  closeLine(*line, false);
  return Status();
}

// Revokes the application's handles on the line; calls it alone owned are
// dropped; replies still outstanding are suppressed.
void Service::closeLine(Line& line, bool notifyApp) {
  const LineHandle lh = line.handle;
  const LineId lineId = line.line;
  for (auto& [id, req] : requests_)
    if (req.line == lh) req.suppressed = true;
  const std::vector<CallHandle> calls = line.calls;
  for (CallHandle h : calls) {
    auto it = handles_.find(h);
    if (it == handles_.end()) continue;
    const Handle handle = it->second;
    Call& call = calls_.at(handle.call);
    if (handle.pending) {
      removeHandle(h, false);
      provider_.closeCall(handle.call);  // stop the pending operation's call
      if (call.handles.empty()) calls_.erase(handle.call);
      continue;
    }
    const bool soleOwner = handle.privilege == privilege::kOwner && owners(call) == 1;
    if (soleOwner && call.state != CallState::kIdle) (void)provider_.drop(0, handle.call);
    removeHandle(h, true);
  }
  if (notifyApp) send(line, Message{lh, msg::kClose, line.params.callbackInstance, 0, 0, 0});
  if (App* app = findApp(line.app)) std::erase(app->lines, lh);
  lines_.erase(lh);
  if (auto o = opens_.find(lineId); o != opens_.end()) {
    std::erase(o->second, lh);
    if (o->second.empty()) opens_.erase(o);
  }
  for (const Line* other : opensOf(lineId)) {
    if (other->lineStates & line_state_extra::kClose)
      send(*other, Message{other->handle, msg::kLineDevState, other->params.callbackInstance,
                           line_state_extra::kClose, 0, 0});
  }
}

Result<LineCaps> Service::devCaps(AppHandle app, std::uint32_t deviceId,
                                  std::uint32_t apiVersion) const {
  if (!findApp(app)) return Status(Fault::kBadAppHandle, "no such application handle");
  if (deviceId >= provider_.lineCount()) return Status(Fault::kBadDeviceId, "no such line device");
  if (apiVersion < kMinApiVersion || apiVersion > kMaxApiVersion)
    return Status(Fault::kIncompatibleVersion, "API version not negotiated");
  return *provider_.lineCaps(provider_.lineAt(deviceId));
}

Result<AddressCaps> Service::addressCaps(AppHandle app, std::uint32_t deviceId,
                                         std::uint32_t addressId, std::uint32_t apiVersion) const {
  if (!findApp(app)) return Status(Fault::kBadAppHandle, "no such application handle");
  if (deviceId >= provider_.lineCount()) return Status(Fault::kBadDeviceId, "no such line device");
  if (apiVersion < kMinApiVersion || apiVersion > kMaxApiVersion)
    return Status(Fault::kIncompatibleVersion, "API version not negotiated");
  const LineCaps* caps = provider_.lineCaps(provider_.lineAt(deviceId));
  if (addressId >= caps->addresses.size())
    return Status(Fault::kBadAddressId, "no such address on the line");
  return caps->addresses[addressId];
}

Result<std::uint32_t> Service::addressId(LineHandle h, std::string_view address) const {
  const Line* line = findLine(h);
  if (line == nullptr) return Status(Fault::kBadLineHandle, "no such line handle");
  return provider_.addressId(line->line, address);
}

Result<AddressStatus> Service::addressStatus(LineHandle h, std::uint32_t addressId) const {
  const Line* line = findLine(h);
  if (line == nullptr) return Status(Fault::kBadLineHandle, "no such line handle");
  return provider_.addressStatus(line->line, addressId);
}

Result<LineDevStatusView> Service::lineDevStatus(LineHandle h) const {
  const Line* line = findLine(h);
  if (line == nullptr) return Status(Fault::kBadLineHandle, "no such line handle");
  auto st = provider_.lineStatus(line->line);
  if (!st) return st.status();
  LineDevStatusView v;
  v.status = *st;
  v.apiVersion = line->params.apiVersion;
  for (const Line* open : opensOf(line->line)) {
    ++v.numOpens;
    if (open->params.privileges & privilege::kOwner) v.openMediaModes |= open->params.mediaModes;
  }
  return v;
}

Status Service::setStatusMessages(LineHandle h, std::uint32_t lineStates,
                                  std::uint32_t addressStates) {
  Line* line = findLine(h);
  if (line == nullptr) return Status(Fault::kBadLineHandle, "no such line handle");
  if (lineStates & ~kAllLineStates)
    return Status(Fault::kBadLineState, "unknown LINEDEVSTATE_ bits");
  if (addressStates & ~kAllAddressStates)
    return Status(Fault::kBadAddressState, "unknown LINEADDRESSSTATE_ bits");
  line->lineStates = lineStates;
  line->addressStates = addressStates;
  return Status();
}

Result<std::pair<std::uint32_t, std::uint32_t>> Service::statusMessages(LineHandle h) const {
  const Line* line = findLine(h);
  if (line == nullptr) return Status(Fault::kBadLineHandle, "no such line handle");
  return std::pair{line->lineStates, line->addressStates};
}

Result<std::uint32_t> Service::deviceIdOfLine(LineHandle h) const {
  const Line* line = findLine(h);
  if (line == nullptr) return Status(Fault::kBadLineHandle, "no such line handle");
  return line->deviceId;
}

void Service::broadcastLineState(std::uint32_t state) {
  for (const auto& [h, line] : lines_) {
    if (line.lineStates & state)
      send(line, Message{h, msg::kLineDevState, line.params.callbackInstance, state, 0, 0});
  }
}

AppHandle Service::appOf(std::uint32_t handle) const {
  if (const Line* line = findLine(handle)) return line->app;
  if (auto it = handles_.find(handle); it != handles_.end()) return it->second.app;
  return 0;
}

std::uint32_t Service::apiVersionOf(std::uint32_t handle) const {
  const Line* line = findLine(handle);
  if (line == nullptr) {
    if (auto it = handles_.find(handle); it != handles_.end()) line = findLine(it->second.line);
  }
  return line ? line->params.apiVersion : 0;
}

Result<std::uint32_t> Service::deviceIdOfCall(CallHandle h) const {
  const Handle* handle = findHandle(h);
  if (handle == nullptr) return Status(Fault::kBadCallHandle, "no such call handle");
  return findLine(handle->line)->deviceId;
}

// ---- priorities ------------------------------------------------------------------------

Status Service::setAppPriority(const std::string& module, std::uint32_t mediaMode,
                               std::uint32_t requestMode, std::uint32_t priority) {
  if (module.empty()) return Status(Fault::kBadAppName, "no application file name");
  if (mediaMode == 0) {
    if (requestMode != 1 /* LINEREQUESTMODE_MAKECALL */)
      return Status(Fault::kBadRequestMode,
                    "assisted telephony priority needs LINEREQUESTMODE_MAKECALL");
  } else if (std::popcount(mediaMode) != 1 || (mediaMode & 0x00fffffe) == 0) {
    return Status(Fault::kBadMediaMode, "one LINEMEDIAMODE_ value is needed");
  }
  if (priority > 1) return Status(Fault::kBadParam, "priority must be 0 (remove) or 1 (highest)");
  auto& list = priorities_[mediaMode];
  auto same = [&](const std::string& m) { return strcasecmp(m.c_str(), module.c_str()) == 0; };
  std::erase_if(list, same);
  if (priority == 1) list.insert(list.begin(), module);
  return Status();
}

Result<std::uint32_t> Service::appPriority(const std::string& module, std::uint32_t mediaMode,
                                           std::uint32_t requestMode) const {
  if (module.empty()) return Status(Fault::kBadAppName, "no application file name");
  if (mediaMode == 0 && requestMode != 1)
    return Status(Fault::kBadRequestMode,
                  "assisted telephony priority needs LINEREQUESTMODE_MAKECALL");
  if (mediaMode != 0 && (std::popcount(mediaMode) != 1 || (mediaMode & 0x00fffffe) == 0))
    return Status(Fault::kBadMediaMode, "one LINEMEDIAMODE_ value is needed");
  const int rank = priorityRank(module, mediaMode);
  return rank < 0 ? 0u : static_cast<std::uint32_t>(rank + 1);
}

int Service::priorityRank(const std::string& module, std::uint32_t mediaMode) const {
  auto it = priorities_.find(mediaMode);
  if (it == priorities_.end()) return -1;
  for (std::size_t i = 0; i < it->second.size(); ++i)
    if (strcasecmp(it->second[i].c_str(), module.c_str()) == 0) return static_cast<int>(i);
  return -1;
}

// The open that should own a new call of `mediaMode` on a line: among opens
// with owner privilege for that media mode (and the address, if they asked
// for one), the application highest in the priority list, else the first to
// open. `module` non-empty restricts the choice to that application.
const Service::Line* Service::ownerFor(LineId lineId, std::uint32_t address,
                                       std::uint32_t mediaMode, const std::string& module) const {
  const Line* best = nullptr;
  int bestRank = 0;
  for (const Line* open : opensOf(lineId)) {
    if (!(open->params.privileges & privilege::kOwner)) continue;
    if (module.empty() && !(open->params.mediaModes & mediaMode)) continue;
    if (open->params.singleAddress && *open->params.singleAddress != address) continue;
    const App* app = findApp(open->app);
    if (app == nullptr) continue;
    if (!module.empty()) {
      if (strcasecmp(app->info.moduleName.c_str(), module.c_str()) == 0) return open;
      continue;
    }
    int rank = priorityRank(app->info.moduleName, mediaMode);
    if (rank < 0) rank = 1 << 20;  // unlisted: after every listed application
    if (best == nullptr || rank < bestRank) {
      best = open;
      bestRank = rank;
    }
  }
  return best;
}

// ---- call handles ----------------------------------------------------------------------

Result<CallInfoView> Service::callInfo(CallHandle h) const {
  const Handle* handle = findHandle(h);
  if (handle == nullptr) return Status(Fault::kBadCallHandle, "no such call handle");
  const CallInfo* info = provider_.callInfo(handle->call);
  if (info == nullptr) return Status(Fault::kBadCallHandle, "the call no longer exists");
  const Line& line = *findLine(handle->line);
  const Call& call = calls_.at(handle->call);
  CallInfoView v;
  v.info = *info;
  v.line = line.handle;
  v.apiVersion = line.params.apiVersion;
  v.deviceId = line.deviceId;
  for (CallHandle other : call.handles) {
    const Handle& o = handles_.at(other);
    if (o.pending) continue;
    (o.privilege == privilege::kOwner ? v.numOwners : v.numMonitors) += 1;
  }
  v.appSpecific = call.appSpecific;
  v.appName = call.appName;
  v.monitorDigitModes = handle->digitModes;
  if (const LineCaps* caps = provider_.lineCaps(line.line);
      caps && info->address < caps->addresses.size())
    v.callStates = caps->addresses[info->address].callStates;
  return v;
}

Result<CallStatusView> Service::callStatus(CallHandle h) const {
  const Handle* handle = findHandle(h);
  if (handle == nullptr) return Status(Fault::kBadCallHandle, "no such call handle");
  auto st = provider_.callStatus(handle->call);
  if (!st) return st.status();
  CallStatusView v;
  v.status = *st;
  v.privilege = handle->privilege;
  v.apiVersion = apiVersionOf(h);
  // Only owners may act on a call.
  if (handle->privilege != privilege::kOwner) {
    v.status.features = 0;
    v.status.features2 = 0;
  }
  return v;
}

Status Service::setCallPrivilege(CallHandle h, std::uint32_t priv) {
  Handle* handle = findHandle(h);
  if (handle == nullptr) return Status(Fault::kBadCallHandle, "no such call handle");
  if (priv != privilege::kMonitor && priv != privilege::kOwner)
    return Status(Fault::kBadPrivilege, "privilege must be MONITOR or OWNER");
  if (handle->privilege == priv) return Status();
  Call& call = calls_.at(handle->call);
  if (priv == privilege::kMonitor && owners(call) == 1 && call.state != CallState::kIdle)
    return Status(Fault::kBadCallState, "the sole owner of an active call cannot become a monitor");
  handle->privilege = priv;
  countsChanged(call,
                priv == privilege::kOwner ? info_extra::kNumOwnerIncr | info_extra::kNumMonitors
                                          : info_extra::kNumOwnerDecr | info_extra::kNumMonitors,
                h);
  return Status();
}

Result<std::vector<CallId>> Service::unhandledCalls(const Line& line, std::uint32_t addressId,
                                                    std::uint32_t select) const {
  std::int64_t address = -1;
  if (select == call_select::kAddress) {
    const LineCaps* caps = provider_.lineCaps(line.line);
    if (addressId >= caps->addresses.size())
      return Status(Fault::kBadAddressId, "no such address on the line");
    address = addressId;
  } else if (select != call_select::kLine) {
    return Status(Fault::kBadCallSelect, "select must be LINECALLSELECT_LINE or _ADDRESS");
  }
  std::vector<CallId> out;
  for (CallId id : provider_.callsOnLine(line.line, address)) {
    if (const_cast<Service*>(this)->handleOf(line.app, 0, id)) continue;
    if (provider_.callInfo(id) == nullptr) continue;
    out.push_back(id);
  }
  return out;
}

Result<std::uint32_t> Service::newCallCount(LineHandle lh, std::uint32_t addressId,
                                            std::uint32_t select) const {
  const Line* line = findLine(lh);
  if (line == nullptr) return Status(Fault::kBadLineHandle, "no such line handle");
  auto calls = unhandledCalls(*line, addressId, select);
  if (!calls) return calls.status();
  return static_cast<std::uint32_t>(calls->size());
}

Result<std::vector<CallHandle>> Service::newCalls(LineHandle lh, std::uint32_t addressId,
                                                  std::uint32_t select) {
  Line* line = findLine(lh);
  if (line == nullptr) return Status(Fault::kBadLineHandle, "no such line handle");
  auto calls = unhandledCalls(*line, addressId, select);
  if (!calls) return calls.status();
  std::vector<CallHandle> out;
  for (CallId id : *calls) {
    Call& call = track(id);
    if (auto st = provider_.callStatus(id)) call.state = st->state;
    const CallHandle h = addHandle(*line, id, privilege::kMonitor, false);
    handles_.at(h).announce = false;  // returned here, not announced
    countsChanged(call, info_extra::kNumMonitors, h);
    out.push_back(h);
  }
  return out;
}

Result<std::vector<CallHandle>> Service::confRelatedCalls(CallHandle h) {
  Handle* handle = findHandle(h);
  if (handle == nullptr) return Status(Fault::kBadCallHandle, "no such call handle");
  auto calls = provider_.conferenceCalls(handle->call);
  if (!calls) return calls.status();
  const AppHandle app = handle->app;
  const LineHandle lh = handle->line;
  std::vector<CallHandle> out;
  for (CallId id : *calls) {
    if (Handle* mine = handleOf(app, 0, id)) {
      out.push_back(mine->handle);
      continue;
    }
    Call& call = track(id);
    if (auto st = provider_.callStatus(id)) call.state = st->state;
    const CallHandle nh = addHandle(*findLine(lh), id, privilege::kMonitor, false);
    handles_.at(nh).announce = false;
    countsChanged(call, info_extra::kNumMonitors, nh);
    out.push_back(nh);
  }
  return out;
}

Status Service::handoff(CallHandle h, const std::string& module, std::uint32_t mediaMode) {
  auto handle = ownerHandle(h);
  if (!handle) return handle.status();
  const Handle self = **handle;
  const Line& selfLine = *findLine(self.line);
  const Line* target = nullptr;
  if (!module.empty()) {
    target = ownerFor(selfLine.line, 0, 0, module);
    if (target == nullptr)
      return Status(Fault::kTargetNotFound,
                    "'" + module + "' has not opened this line as an owner");
    if (target->app == self.app) return Status();  // handed to itself: nothing changes
  } else {
    if (std::popcount(mediaMode) != 1 || (mediaMode & 0x00fffffe) == 0)
      return Status(Fault::kBadMediaMode, "indirect handoff needs exactly one media mode");
    const CallInfo* info = provider_.callInfo(self.call);
    target = ownerFor(selfLine.line, info ? info->address : 0, mediaMode, "");
    if (target == nullptr)
      return Status(Fault::kTargetNotFound, "no application handles that media mode on this line");
    if (target->app == self.app)
      return Status(Fault::kTargetSelf, "this application is the target");
  }
  Call& call = calls_.at(self.call);
  Handle* existing = handleOf(target->app, 0, self.call);
  auto state = provider_.callStatus(self.call);
  const CallState now = state ? state->state : CallState::kUnknown;
  const std::uint32_t mode = state ? state->stateMode : 0;
  CallHandle th;
  if (existing) {
    th = existing->handle;
    const bool wasOwner = existing->privilege == privilege::kOwner;
    existing->privilege = privilege::kOwner;
    if (!wasOwner) countsChanged(call, info_extra::kNumOwnerIncr | info_extra::kNumMonitors, th);
  } else {
    Line& tl = *findLine(target->handle);
    th = addHandle(tl, self.call, privilege::kOwner, false);
    const CallInfo* info = provider_.callInfo(self.call);
    if (tl.params.apiVersion >= kApi20) {
      send(tl, Message{tl.handle, msg::kAppNewCall, tl.params.callbackInstance,
                       info ? info->address : 0, th, privilege::kOwner});
    }
    countsChanged(call, info_extra::kNumOwnerIncr, th);
  }
  // The target learns of its ownership as if the call were new to it.
  Handle& t = handles_.at(th);
  t.announce = false;
  sendCall(t, msg::kCallState, bit(now), mode, privilege::kOwner);
  return Status();
}

Status Service::deallocateCall(CallHandle h) {
  Handle* handle = findHandle(h);
  if (handle == nullptr) return Status(Fault::kBadCallHandle, "no such call handle");
  Call& call = calls_.at(handle->call);
  if (handle->privilege == privilege::kOwner && owners(call) == 1 &&
      call.state != CallState::kIdle) {
    return Status(Fault::kBadCallState, "the sole owner of an active call cannot deallocate it");
  }
  const CallId id = handle->call;
  // The deallocating application hears nothing about its own change.
  auto it = handles_.find(h);
  const Handle copy = it->second;
  handles_.erase(it);
  if (Line* line = findLine(copy.line)) std::erase(line->calls, h);
  std::erase(call.handles, h);
  countsChanged(call, copy.privilege == privilege::kOwner ? info_extra::kNumOwnerDecr
                                                          : info_extra::kNumMonitors);
  maybeForget(id);
  return Status();
}

Status Service::setAppSpecific(CallHandle h, std::uint32_t value) {
  auto handle = ownerHandle(h);
  if (!handle) return handle.status();
  Call& call = calls_.at((*handle)->call);
  call.appSpecific = value;
  for (CallHandle other : call.handles)
    sendCall(handles_.at(other), msg::kCallInfo, info_extra::kAppSpecific, 0, 0);
  return Status();
}

Status Service::monitorDigits(CallHandle h, std::uint32_t digitModes) {
  Handle* handle = findHandle(h);
  if (handle == nullptr) return Status(Fault::kBadCallHandle, "no such call handle");
  // lineMonitorDigits: "any state except idle or disconnected".
  auto st = provider_.callStatus(handle->call);
  if (!st || st->state == CallState::kIdle || st->state == CallState::kDisconnected)
    return Status(Fault::kBadCallState,
                  "digits are monitored on calls that are not idle or disconnected");
  if (digitModes & ~kLineDigitModeDtmf)
    return Status(Fault::kBadDigitMode, "only LINEDIGITMODE_DTMF digits are detected");
  handle->digitModes = digitModes;
  return Status();
}

// ---- requests -----------------------------------------------------------------------------

Result<std::int32_t> Service::begin(AppHandle app, LineHandle line, CallHandle call,
                                    CallHandle call2) {
  const std::int32_t req = nextRequest();
  Request& r = requests_[req];
  r.app = app;
  r.line = line;
  r.call = call;
  r.call2 = call2;
  return req;
}

// After the provider saw the request: a synchronous error undoes it.
Result<std::int32_t> Service::finish(std::int32_t req, const Status& sync) {
  if (sync.isOk()) return req;
  auto it = requests_.find(req);
  if (it != requests_.end()) {
    if (it->second.call) removeHandle(it->second.call, false);
    if (it->second.call2) removeHandle(it->second.call2, false);
    requests_.erase(it);
  }
  return sync;
}

// ---- provider events ------------------------------------------------------------------------

void Service::onReply(RequestId id, const Status& status, const ReplyData& data) {
  auto it = requests_.find(static_cast<std::int32_t>(id));
  if (it == requests_.end()) return;  // its application shut down
  const Request r = it->second;
  requests_.erase(it);
  ReplyPayload payload;
  for (CallHandle ch : {r.call, r.call2}) {
    auto hit = handles_.find(ch);
    if (ch == 0 || hit == handles_.end()) continue;
    Handle& h = hit->second;
    if (!status.isOk() || r.suppressed) {
      const CallId call = h.call;
      removeHandle(ch, false);
      auto c = calls_.find(call);
      if (c != calls_.end() && c->second.handles.empty()) calls_.erase(c);
      continue;
    }
    h.pending = false;
    Call& call = calls_.at(h.call);
    if (const App* app = findApp(h.app); app && call.appName.empty())
      call.appName = app->info.friendlyName;
    const CallInfo* info = provider_.callInfo(h.call);
    // Monitors of the line learn of the new call now, its state unknown yet.
    giveToMonitors(h.call, findLine(h.line)->line, info ? info->address : 0, h.app, true);
    (ch == r.call ? payload.call : payload.call2) = ch;
  }
  if (r.suppressed) return;
  payload.address = data.address;
  payload.completionId = data.completionId;
  const App* app = findApp(r.app);
  if (app == nullptr || app->sink == nullptr) return;
  const Line* line = findLine(r.line);
  app->sink->deliverReply(static_cast<std::int32_t>(id), line ? line->params.callbackInstance : 0,
                          status, payload);
}

// Every open of the line with monitor privilege (except `except`'s) gets a
// monitor handle: LINE_APPNEWCALL, and with `unknownFirst` a LINE_CALLSTATE
// UNKNOWN until the real state arrives.
void Service::giveToMonitors(CallId call, LineId lineId, std::uint32_t address, AppHandle except,
                             bool unknownFirst) {
  for (const Line* open : opensOf(lineId)) {
    if (open->app == except || !(open->params.privileges & privilege::kMonitor)) continue;
    if (handleOf(open->app, open->handle, call)) continue;
    Line& line = *findLine(open->handle);
    const CallHandle h = addHandle(line, call, privilege::kMonitor, false);
    if (line.params.apiVersion >= kApi20)
      send(line, Message{line.handle, msg::kAppNewCall, line.params.callbackInstance, address, h,
                         privilege::kMonitor});
    if (unknownFirst) {
      Handle& handle = handles_.at(h);
      handle.announce = false;
      sendCall(handle, msg::kCallState, bit(CallState::kUnknown), 0, privilege::kMonitor);
    }
  }
}

void Service::onNewCall(CallId id, LineId lineId, std::uint32_t address) {
  Call& call = track(id);
  const CallInfo* info = provider_.callInfo(id);
  const std::uint32_t media = info ? info->mediaMode : media_mode::kInteractiveVoice;
  // One owner by priority; the other monitors see it too. A call nobody owns
  // still exists at its station, so it is kept (not dropped as TAPI would).
  AppHandle ownerApp = 0;
  if (const Line* owner = ownerFor(lineId, address, media, "")) {
    Line& line = *findLine(owner->handle);
    ownerApp = line.app;
    const CallHandle h = addHandle(line, id, privilege::kOwner, false);
    if (const App* app = findApp(line.app); app && call.appName.empty())
      call.appName = app->info.friendlyName;
    if (line.params.apiVersion >= kApi20)
      send(line, Message{line.handle, msg::kAppNewCall, line.params.callbackInstance, address, h,
                         privilege::kOwner});
  }
  giveToMonitors(id, lineId, address, ownerApp, false);
}

void Service::onCallState(CallId id, CallState state, std::uint32_t mode) {
  Call& call = track(id);
  call.state = state;
  const std::vector<CallHandle> handles = call.handles;
  for (CallHandle ch : handles) {
    auto it = handles_.find(ch);
    if (it == handles_.end() || it->second.pending) continue;
    Handle& h = it->second;
    std::uintptr_t p2 = mode;
    if (state == CallState::kConferenced) {
      // dwParam2: the application's handle to the conference call, if any.
      p2 = 0;
      if (auto related = provider_.conferenceCalls(id); related && !related->empty()) {
        if (Handle* root = handleOf(h.app, h.line, related->front())) p2 = root->handle;
      }
    }
    const std::uintptr_t p3 = h.announce ? h.privilege : 0;
    h.announce = false;
    sendCall(h, msg::kCallState, bit(state), p2, p3);
  }
  if (state == CallState::kIdle) maybeForget(id);
}

void Service::onCallInfo(CallId id, std::uint32_t changed) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  for (CallHandle ch : it->second.handles) {
    const Handle& h = handles_.at(ch);
    if (!h.pending) sendCall(h, msg::kCallInfo, changed, 0, 0);
  }
}

void Service::onLineEvent(LineId lineId, std::uint32_t event, std::uint32_t p1, std::uint32_t p2) {
  std::uintptr_t m2 = 0;
  std::uintptr_t m3 = 0;
  if (event == line_event::kRinging) {
    m2 = 1;                    // ring mode
    m3 = p2 > 0 ? p2 - 1 : 0;  // TAPI counts rings from zero
  } else if (event == line_event::kComplCancel) {
    m2 = p1;  // the cancelled completion id
  }
  for (const Line* open : opensOf(lineId)) {
    if (open->lineStates & event)
      send(*open,
           Message{open->handle, msg::kLineDevState, open->params.callbackInstance, event, m2, m3});
  }
}

void Service::onAddressEvent(LineId lineId, std::uint32_t address, std::uint32_t events) {
  for (const Line* open : opensOf(lineId)) {
    const std::uint32_t wanted = open->addressStates & events;
    if (wanted)
      send(*open, Message{open->handle, msg::kAddressState, open->params.callbackInstance, address,
                          wanted, 0});
  }
}

void Service::onDigit(CallId id, char digit) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(loop_.now().time_since_epoch());
  for (CallHandle ch : it->second.handles) {
    const Handle& h = handles_.at(ch);
    if (h.digitModes & kLineDigitModeDtmf)
      sendCall(h, msg::kMonitorDigits, static_cast<unsigned char>(digit), kLineDigitModeDtmf,
               static_cast<std::uint32_t>(ms.count()));
  }
}

}  // namespace tapir::service
