// console.* as protocol methods: the glue between the Console and the
// Dispatcher (kept apart so that the Console builds and tests without it).
#include <utility>

#include "daemon/console.h"
#include "protocol/dispatch.h"

namespace tapir::daemon {

void registerConsole(protocol::Dispatcher& d, Console& console) {
  for (const std::string& name : Console::methods()) {
    if (name == "console.watch") {
      d.add(name, [&console](protocol::Context& ctx, const protocol::Json&) -> Result<protocol::Json> {
        if (Status st = console.start(); !st) return st;
        protocol::Session* session = &ctx.session;
        const std::uint64_t id = console.addWatcher([session](const protocol::Json& ev) {
          session->send(protocol::encodeEvent("console", ev));
        });
        // The session runs this when the connection closes, while it still exists.
        ctx.session.atClose([&console, id] { console.removeWatcher(id); });
        return protocol::Json{{"watching", true}};
      });
      continue;
    }
    d.addAsync(name, [&console, name](protocol::Context&, const protocol::Json& params,
                                      protocol::Reply reply) {
      console.handle(name, params, std::move(reply));
    });
  }
}

std::unique_ptr<Console> attachConsole(protocol::Dispatcher& d, service::Api& api,
                                       EventLoop& loop,
                                       std::function<std::size_t()> connections) {
  auto console = std::make_unique<Console>(api, loop);
  console->setConnectionCounter(std::move(connections));
  registerConsole(d, *console);
  return console;
}

}  // namespace tapir::daemon
