// The console: tapird's built-in operator application, behind the protocol's
// `console.*` methods and the `tapir` CLI (docs/cli.md).
//
// A one-shot CLI process must not own calls (as a TAPI application its calls
// would go when it exits), so the server runs this application on its own
// service: it opens every line with MONITOR privilege, follows every call,
// and to act on a call takes OWNER privilege on its handle (or makes the call
// itself). Calls are named by station (the directory number of a line's
// first address) and, where a station has several, by switch call id.
//
// Every operation answers once its LINE_REPLY has arrived (and, for the
// compound ones, each step's), so a CLI's exit status is the real outcome.
//
// Threading: everything runs on the service's loop thread: handle(), the
// callbacks it calls, watchers and the MessageSink methods. Nothing here
// blocks. A Done is called exactly once, possibly before handle() returns;
// requests still waiting when the Console is destroyed are answered with
// Code::kUnavailable.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/event_loop.h"
#include "protocol/codec.h"
#include "service/api.h"
#include "service/messages.h"

namespace tapir::protocol {
class Dispatcher;
}

namespace tapir::daemon {

class Console final : public service::MessageSink {
 public:
  using Json = protocol::Json;
  using Done = std::function<void(Result<Json>)>;
  // A `console` event ({"event":"console","station":...}) for a watcher.
  using Watcher = std::function<void(const Json& event)>;

  // `api` and `loop` must outlive the Console.
  Console(service::Api& api, EventLoop& loop);
  // Shuts the application down (TAPI handles the calls it owns alone).
  ~Console() override;
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  // Registers the application and opens every line (MONITOR). handle() and
  // registerConsole's console.watch call it on first use, so that a server
  // nobody asks for console.* has no extra monitor on its calls.
  Status start();
  bool started() const { return app_ != 0; }

  // Every method name handle() knows ("console.lines", ...), watch included.
  static const std::vector<std::string>& methods();

  // Runs `method` ("console.calls", ...) with its params. console.watch is
  // not handled here (it needs the connection): see addWatcher().
  void handle(std::string_view method, const Json& params, Done done);

  // console.watch: `w` gets every console event until removeWatcher(id).
  std::uint64_t addWatcher(Watcher w);
  void removeWatcher(std::uint64_t id);
  std::size_t watcherCount() const { return watchers_.size(); }
  // For console.status: how many connections the server has open.
  void setConnectionCounter(std::function<std::size_t()> f) { connections_ = std::move(f); }
  service::Api& api() { return api_; }

  // ---- service::MessageSink -------------------------------------------------
  void deliver(const service::Message& m) override;
  void deliverReply(std::int32_t request, std::uintptr_t instance, const Status& result,
                    const service::ReplyPayload& payload) override;

 private:
  struct Station {
    std::uint32_t deviceId = 0;
    std::string number;  // the directory number of address 0
    std::string name;
    service::LineHandle line = 0;
  };
  struct Tracked {
    service::LineHandle line = 0;
    std::size_t station = 0;  // index into stations_
  };
  // One view of a call handle, for lists, choices and events.
  struct CallView {
    service::CallHandle handle = 0;
    std::size_t station = 0;
    std::uint32_t callId = 0;
    CallState state = CallState::kUnknown;
    service::CallInfoView info;
  };
  using Then = std::function<void(const Status&, const service::ReplyPayload&)>;
  struct StateWait {
    service::CallHandle handle = 0;
    std::function<bool(CallState)> ready;  // true: call `then` with OK; state IDLE: fails
    std::function<void(const Status&)> then;
  };

  Status openLines();
  // Methods; each answers through done.
  void status(Done done);
  void lines(Done done);
  void calls(Done done);
  void makeCall(const Json& params, Done done);
  void answer(const Json& params, Done done);
  void hold(const Json& params, Done done, bool on);
  void drop(const Json& params, Done done);
  void transfer(const Json& params, Done done);
  void complete(const Json& params, Done done);
  void conference(const Json& params, Done done);
  void park(const Json& params, Done done);
  void unpark(const Json& params, Done done);
  void pickup(const Json& params, Done done);
  void forward(const Json& params, Done done);

  Result<std::size_t> stationParam(const Json& params);
  // The calls at a station, newest handle last.
  std::vector<CallView> callsAt(std::size_t station);
  // The one call at `station` in one of `states` (bits), or the one the
  // `call` param names; `what` words the errors ("offering", "connected").
  Result<CallView> pick(std::size_t station, std::uint32_t states, const Json& params,
                        std::string_view what);
  Status own(service::CallHandle h);
  Json describe(const CallView& v) const;
  // The switch call id of a handle; 0 if gone.
  std::uint32_t callIdOf(service::CallHandle h) const;
  void track(service::CallHandle h, service::LineHandle line);
  void forget(service::CallHandle h);
  // Runs `then` when the request's LINE_REPLY comes (or now, on a failure).
  void await(Result<std::int32_t> request, Then then);
  void waitState(service::CallHandle h, std::function<bool(CallState)> ready,
                 std::function<void(const Status&)> then);
  void onCallState(service::CallHandle h, CallState state, std::uint32_t mode);
  void emit(const Json& event);

  service::Api& api_;
  EventLoop& loop_;
  service::AppHandle app_ = 0;
  std::vector<Station> stations_;
  std::map<service::CallHandle, Tracked> calls_;
  std::map<std::int32_t, Then> pending_;
  // Replies that arrived before their request was registered.
  std::map<std::int32_t, std::pair<Status, service::ReplyPayload>> early_;
  std::vector<StateWait> stateWaits_;
  // Consultation calls set up by `transfer --consult`, by station: {call, consult}.
  std::map<std::size_t, std::pair<service::CallHandle, service::CallHandle>> consults_;
  std::map<std::uint64_t, Watcher> watchers_;
  std::uint64_t nextWatcher_ = 1;
  std::function<std::size_t()> connections_;
  // Posted tasks check it: the Console may be gone when they run.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Registers every console.* method with `d` (console_dispatch.cc): each
// answers when its operation has had its LINE_REPLY (Dispatcher::addAsync).
// console.watch subscribes the connection until it closes (Session::atClose).
// `console` must outlive the Dispatcher's connections.
void registerConsole(protocol::Dispatcher& d, Console& console);

// tapird's one line: a Console registered with `d` (it starts on first use).
// `connections` counts the server's open connections (console.status).
std::unique_ptr<Console> attachConsole(protocol::Dispatcher& d, service::Api& api,
                                       EventLoop& loop,
                                       std::function<std::size_t()> connections = {});

}  // namespace tapir::daemon
