// The one place a Status becomes a LINEERR_ value.
#pragma once

#include <tapi.h>

#include "tapir/status.h"

namespace tapir::capi {

// 0 for OK; otherwise the documented LINEERR_ value (as a LONG, negative).
LONG toLineErr(const Status& status);

}  // namespace tapir::capi
