#include "capi/app.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>

#include "capi/lineerr.h"

namespace tapir::capi {

namespace {
DeliveryQueue<LINEMESSAGE>::Callback callbackFor(App::Mode mode, LINECALLBACK callback) {
  if (mode != App::Mode::kCallback) return {};
  return [callback](LINEMESSAGE& m) {
    if (callback)
      callback(m.hDevice, m.dwMessageID, m.dwCallbackInstance, m.dwParam1, m.dwParam2, m.dwParam3);
  };
}
}  // namespace

App::App(Mode mode, LINECALLBACK callback) : queue_(callbackFor(mode, callback)) {}

App::~App() = default;

void App::deliver(const service::Message& m) {
  LINEMESSAGE msg;
  std::memset(&msg, 0, sizeof msg);
  msg.hDevice = m.device;
  msg.dwMessageID = m.id;
  msg.dwCallbackInstance = m.instance;
  msg.dwParam1 = m.p1;
  msg.dwParam2 = m.p2;
  msg.dwParam3 = m.p3;
  queue_.push(msg);
}

void App::expect(std::int32_t request, const ReplyTargets& targets) {
  targets_[request] = targets;
}

void App::deliverReply(std::int32_t request, std::uintptr_t instance, const Status& result,
                       const service::ReplyPayload& payload) {
  ReplyTargets t;
  if (auto it = targets_.find(request); it != targets_.end()) {
    t = it->second;
    targets_.erase(it);
  }
  LONG err = toLineErr(result);
  // TAPI writes results into the application's memory with the reply.
  if (err == 0) {
    if (t.call) *t.call = payload.call;
    if (t.call2) *t.call2 = payload.call2;
    if (t.completionId) *t.completionId = payload.completionId;
    if (t.clearCall) *t.clearCall = 0;
    if (t.address) {
      LPVARSTRING v = t.address;
      const DWORD fixed = sizeof(VARSTRING);
      const DWORD needed = fixed + static_cast<DWORD>(payload.address.size()) + 1;
      DWORD total;
      std::memcpy(&total, &v->dwTotalSize, sizeof total);
      if (total < needed) {
        // linePark: too small for the orbit, and no dwNeededSize either.
        err = static_cast<LONG>(LINEERR_STRUCTURETOOSMALL);
      } else {
        VARSTRING head{};
        head.dwTotalSize = total;
        head.dwNeededSize = needed;
        head.dwUsedSize = needed;
        head.dwStringFormat = STRINGFORMAT_ASCII;
        head.dwStringSize = static_cast<DWORD>(payload.address.size()) + 1;
        head.dwStringOffset = fixed;
        std::memcpy(v, &head, fixed);
        std::memcpy(reinterpret_cast<char*>(v) + fixed, payload.address.c_str(),
                    payload.address.size() + 1);
      }
    }
  }
  LINEMESSAGE msg;
  std::memset(&msg, 0, sizeof msg);
  msg.dwMessageID = LINE_REPLY;
  msg.dwCallbackInstance = instance;
  msg.dwParam1 = static_cast<DWORD>(request);
  // Zero-extended: both dwParam2 == LINEERR_X and (LONG)dwParam2 == LINEERR_X hold.
  msg.dwParam2 = static_cast<DWORD>(err);
  queue_.push(msg);
}

LONG App::next(LINEMESSAGE* out, DWORD timeoutMs) {
  const auto timeout =
      timeoutMs == INFINITE ? std::chrono::milliseconds(-1) : std::chrono::milliseconds(timeoutMs);
  auto m = queue_.next(timeout);
  if (m) {
    *out = *m;
    return 0;
  }
  return static_cast<LONG>(queue_.closed() ? LINEERR_INVALAPPHANDLE : LINEERR_OPERATIONFAILED);
}

// ---- the registry -------------------------------------------------------------------

namespace {
std::mutex gAppsMu;
// Bumped (under gAppsMu) by every add and remove: a thread's cached lookups
// of an older version are stale.
std::atomic<std::uint64_t> gAppsVersion{0};
std::unordered_map<HLINEAPP, std::shared_ptr<App>>& apps() {
  static auto* map = new std::unordered_map<HLINEAPP, std::shared_ptr<App>>();  // never destroyed:
  return *map;  // applications may shut down from static destructors
}

// lineGetMessage looks its application up once per message; this spares it
// the registry's mutex. A thread keeps a removed application's memory until
// its next lookup (which drops every stale entry) or until it exits; its
// queue and event handle are closed by lineShutdown all the same.
struct FoundApps {
  static constexpr std::size_t kSize = 4;
  std::uint64_t version = 0;
  std::array<HLINEAPP, kSize> handles{};
  std::array<std::shared_ptr<App>, kSize> apps;
  std::size_t next = 0;  // the entry the next miss replaces

  void clear() { *this = FoundApps{}; }
};
thread_local FoundApps tFound;
}  // namespace

void Apps::add(std::shared_ptr<App> app) {
  std::lock_guard lock(gAppsMu);
  apps()[app->handle] = std::move(app);
  gAppsVersion.fetch_add(1, std::memory_order_release);
}

std::shared_ptr<App> Apps::find(HLINEAPP handle) {
  FoundApps& found = tFound;
  if (found.version == gAppsVersion.load(std::memory_order_acquire)) {
    for (std::size_t i = 0; i < FoundApps::kSize; ++i) {
      if (found.apps[i] && found.handles[i] == handle) return found.apps[i];
    }
  } else {
    found.clear();
  }
  std::lock_guard lock(gAppsMu);
  auto it = apps().find(handle);
  if (it == apps().end()) return nullptr;
  const std::uint64_t version = gAppsVersion.load(std::memory_order_relaxed);
  if (found.version != version) found.clear();
  found.version = version;
  found.handles[found.next] = handle;
  found.apps[found.next] = it->second;
  found.next = (found.next + 1) % FoundApps::kSize;
  return it->second;
}

std::shared_ptr<App> Apps::remove(HLINEAPP handle) {
  std::lock_guard lock(gAppsMu);
  auto it = apps().find(handle);
  if (it == apps().end()) return nullptr;
  auto app = std::move(it->second);
  apps().erase(it);
  gAppsVersion.fetch_add(1, std::memory_order_release);
  tFound.clear();  // the shutting-down thread lets go at once
  return app;
}

std::size_t Apps::count() {
  std::lock_guard lock(gAppsMu);
  return apps().size();
}

}  // namespace tapir::capi
