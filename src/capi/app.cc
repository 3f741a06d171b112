#include "capi/app.h"

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
std::unordered_map<HLINEAPP, std::shared_ptr<App>>& apps() {
  static auto* map = new std::unordered_map<HLINEAPP, std::shared_ptr<App>>();  // never destroyed:
  return *map;  // applications may shut down from static destructors
}
}  // namespace

void Apps::add(std::shared_ptr<App> app) {
  std::lock_guard lock(gAppsMu);
  apps()[app->handle] = std::move(app);
}

std::shared_ptr<App> Apps::find(HLINEAPP handle) {
  std::lock_guard lock(gAppsMu);
  auto it = apps().find(handle);
  return it == apps().end() ? nullptr : it->second;
}

std::shared_ptr<App> Apps::remove(HLINEAPP handle) {
  std::lock_guard lock(gAppsMu);
  auto it = apps().find(handle);
  if (it == apps().end()) return nullptr;
  auto app = std::move(it->second);
  apps().erase(it);
  return app;
}

std::size_t Apps::count() {
  std::lock_guard lock(gAppsMu);
  return apps().size();
}

}  // namespace tapir::capi
