// tapird --log-json: the default logger writes one JSON object per line,
// {"time":"2026-01-02T03:04:05.678Z","level":"info","msg":"..."}.
#pragma once

namespace tapir::daemon {

// Call after log::init.
void useJsonLogs();

}  // namespace tapir::daemon
