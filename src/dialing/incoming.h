// Incoming caller ids to E.164 (beyond TAPI). Internal; see
// Engine::normalizeIncoming.
#pragma once

#include <string_view>

#include "dialing/types.h"
#include "tapir/status.h"

namespace tapir::dialing::detail {

Result<IncomingNumber> normalizeIncoming(const Location& location, const Country& country,
                                         std::string_view callerId);

}  // namespace tapir::dialing::detail
