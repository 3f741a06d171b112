// One application registration (HLINEAPP) in the C library: its message
// queue and notification mechanism, and the out-parameters its outstanding
// requests will fill when their LINE_REPLY is sent.
//
// Notification mechanisms:
//  - event handle (LINEINITIALIZEEXOPTION_USEEVENT): an eventfd, returned in
//    Handles.hEvent, readable while messages are queued; lineGetMessage()
//    takes them, waiting up to its timeout.
//  - callback ("hidden window": lineInitialize, USEHIDDENWINDOW): a library
//    thread calls the application's LINECALLBACK for each message, in order.
// Completion ports do not exist on Linux: that option is refused.
#pragma once

#include <tapi.h>

#include <memory>
#include <unordered_map>

#include "base/delivery_queue.h"
#include "service/messages.h"

namespace tapir::capi {

// Where a request's results go when its reply is sent.
struct ReplyTargets {
  HCALL* call = nullptr;          // lphCall, lphConsultCall, lphConfCall
  HCALL* call2 = nullptr;         // lineSetupConference's lphConsultCall
  LPVARSTRING address = nullptr;  // linePark's lpNonDirAddress
  DWORD* completionId = nullptr;  // lineCompleteCall's lpdwCompletionID
  HCALL* clearCall = nullptr;     // lineForward's lphConsultCall: set to NULL
};

class App final : public service::MessageSink {
 public:
  enum class Mode { kCallback, kEvent };

  // Throws nothing; check valid() (the eventfd may fail to open). In
  // callback mode a library thread calls `callback` for each message; it may
  // outlive the App (lineShutdown from inside the callback).
  App(Mode mode, LINECALLBACK callback);
  ~App() override;
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  bool valid() const { return queue_.valid(); }
  Mode mode() const { return queue_.callbackMode() ? Mode::kCallback : Mode::kEvent; }
  int eventFd() const { return queue_.fd(); }
  HLINEAPP handle = 0;

  // ---- MessageSink (loop thread, under the host lock) ----
  void deliver(const service::Message& m) override;
  void deliverReply(std::int32_t request, std::uintptr_t instance, const Status& result,
                    const service::ReplyPayload& payload) override;

  // Registers where a request's results go. Call under the host lock, in the
  // same locked section as the request, so the reply cannot come first.
  void expect(std::int32_t request, const ReplyTargets& targets);

  // lineGetMessage: the next message, waiting up to `timeoutMs` (INFINITE).
  LONG next(LINEMESSAGE* out, DWORD timeoutMs);
  // Wakes waiters and stops the callback thread; later next() calls fail.
  void close() { queue_.close(); }

 private:
  DeliveryQueue<LINEMESSAGE> queue_;
  // Under the host's lock, like every caller of expect() and deliverReply().
  std::unordered_map<std::int32_t, ReplyTargets> targets_;
};

// The applications of this process, by handle.
class Apps {
 public:
  static void add(std::shared_ptr<App> app);
  static std::shared_ptr<App> find(HLINEAPP handle);
  static std::shared_ptr<App> remove(HLINEAPP handle);
  static std::size_t count();
};

}  // namespace tapir::capi
