// The tapird protocol's method table (docs/protocol.md), independent of the
// transport: a Session is one connection's state (its applications and the
// handles it has seen); the Dispatcher turns one request frame into one
// response frame by calling service::Api.
//
// Every method of service::Api has an entry of the same name with the same
// parameter names; besides those: hello, snapshot and sim.*. Other modules add
// theirs with Dispatcher::add (the console's console.* methods).
//
// Handle ownership: a connection may only use handles of applications it
// initialized; any other handle is answered with the bad-handle fault of its
// kind, and appOf / apiVersionOf return 0 for it.
//
// Everything runs on the service's loop thread. A Session delivers its
// applications' messages as "message" / "reply" events through its send
// function, so an event caused by a request is sent before its response.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "protocol/codec.h"
#include "service/api.h"
#include "tapir/status.h"

namespace tapir::dialing {
class Engine;
}

namespace tapir::protocol {

// Scripting the simulated switch (include/tapir/sim.h over the protocol). An
// empty function means the server does not offer it (OperationUnavail).
struct SimHooks {
  std::function<Status(std::uint64_t ms)> advance;
  // Returns once everything queued so far has run and its events were sent.
  std::function<Status()> settle;
  // An outside party dials `to` (script: its steps, one per line); returns
  // a leg id for farEnd.
  std::function<Result<std::uint32_t>(const PartyId& from, const std::string& to,
                                      const std::string& script)>
      incomingCall;
  // leg 0: the newest outside party.
  std::function<Status(std::uint32_t leg, const std::string& action)> farEnd;
};

// What one client may do, decided by its credentials at hello.
struct Access {
  // The server-wide methods too: console.* (acting for the server's own
  // console application on any station) and sim.*.
  bool operatorMethods = true;
  // The line devices it may open; none: every one.
  std::optional<std::set<std::uint32_t>> devices;
  // May hold owner privilege (lineOpen with OWNER, lineSetCallPrivilege to
  // OWNER); false: monitor only.
  bool owner = true;
};

// What the server tells the dispatcher about itself.
struct ServerInfo {
  std::string name = "tapird 0.1";
  std::string switchName;
  // Checks a hello's token for this peer: what it may do, or nothing (the
  // hello is refused). Empty: everyone is let in with full access.
  std::function<std::optional<Access>(std::uint64_t connection, const std::string& token)>
      authorize;
  SimHooks sim;
  // The server's dialing locations (translateAddress, translateCaps,
  // normalizeCallerId); null: not offered (OperationUnavail).
  const dialing::Engine* dialing = nullptr;
};

// One connection's applications, and the handles it has been given.
class Session final {
 public:
  using Send = std::function<void(std::string frame)>;
  Session(service::Api& api, Send send);
  // Runs the atClose functions and shuts down every application still
  // initialized (closeApps).
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  bool greeted() const { return greeted_; }
  void setGreeted(Access access) {
    greeted_ = true;
    access_ = std::move(access);
  }
  const Access& access() const { return access_; }

  // service::Api::initialize / shutdown with this connection as the sink.
  Result<service::AppHandle> initialize(service::AppInfo info);
  Status shutdown(service::AppHandle app);
  // Shuts down every application of this connection (it is closing).
  void closeApps();

  bool ownsApp(service::AppHandle app) const { return apps_.count(app) != 0; }
  // A line or call handle that belongs to one of this connection's apps.
  bool owns(std::uint32_t handle) const;
  std::vector<service::AppHandle> apps() const;

  // Handles this connection has been given, for snapshot.
  void noteLine(service::LineHandle line) { lines_.insert(line); }
  void noteCall(service::CallHandle call);
  // A handle this connection closed or deallocated (kept sets stay small).
  void forgetLine(service::LineHandle line) { lines_.erase(line); }
  void forgetCall(service::CallHandle call) { calls_.erase(call); }
  // The ones still valid, ascending (forgets the others).
  std::vector<service::LineHandle> lines();
  std::vector<service::CallHandle> calls();

  // Stops event delivery (the server said goodbye).
  void mute() { muted_ = true; }
  // An event frame to this connection (dropped once muted).
  void send(std::string frame);
  // f runs when the connection closes, before its apps are shut down
  // (console.watch removes its watcher so).
  void atClose(std::function<void()> f) { atClose_.push_back(std::move(f)); }

 private:
  class Sink;
  service::Api& api_;
  Send send_;
  bool greeted_ = false;
  Access access_;
  bool muted_ = false;
  std::map<service::AppHandle, std::unique_ptr<Sink>> apps_;
  std::unordered_set<service::LineHandle> lines_;
  std::unordered_set<service::CallHandle> calls_;
  std::vector<std::function<void()>> atClose_;
};

// What a handler sees of the connection and the server.
struct Context {
  std::uint64_t connection = 0;  // unique per server, from 1
  std::string peer;              // "unix", "127.0.0.1:5555"
  Session& session;
  service::Api& api;
  const ServerInfo& server;
};

// A method. The result is the response's "result", or its "error".
using Handler = std::function<Result<Json>(Context& ctx, const Json& params)>;
// A method that answers later (after a LINE_REPLY, say): call reply exactly
// once, on the loop thread, possibly before returning. ctx is valid only
// during the call; a reply after the connection closed is dropped.
// Responses still go out in request order.
using Reply = std::function<void(Result<Json>)>;
using AsyncHandler = std::function<void(Context& ctx, const Json& params, Reply reply)>;

class Dispatcher {
 public:
  // With every built-in method.
  Dispatcher();

  // Registers (or replaces) a method.
  void add(std::string name, Handler h);
  void addAsync(std::string name, AsyncHandler h);
  bool has(std::string_view name) const;
  std::vector<std::string> methods() const;

  struct Outcome {
    std::string frame;   // the response
    std::string method;  // the request's method; empty: the frame was malformed
    bool ok = true;      // a result, not an error
    bool close = false;  // the connection must be closed after the response
  };
  // One client frame: parses it, enforces hello-first, runs the method, and
  // calls done once with the response (possibly before returning).
  void handle(Context& ctx, std::string_view text, std::function<void(Outcome)> done) const;
  // The same for a frame parseRequest or requestOf has read (`id`: the id
  // they could read, for the error).
  void handle(Context& ctx, Result<Request> request, std::uint64_t id,
              std::function<void(Outcome)> done) const;
  // One parsed request (no hello-first check); reply is called once.
  void call(Context& ctx, const Request& request, Reply reply) const;

 private:
  std::map<std::string, AsyncHandler, std::less<>> table_;
};

}  // namespace tapir::protocol
