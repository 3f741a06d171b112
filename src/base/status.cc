#include "tapir/status.h"

namespace tapir {

Code codeOf(Fault fault) noexcept {
  switch (fault) {
#define TAPIR_FAULT_CODE(name, code) \
  case Fault::name:                  \
    return Code::code;
    TAPIR_FAULTS(TAPIR_FAULT_CODE)
#undef TAPIR_FAULT_CODE
  }
  return Code::kInternal;
}

std::string_view faultName(Fault fault) noexcept {
  switch (fault) {
#define TAPIR_FAULT_NAME(name, code) \
  case Fault::name:                  \
    return std::string_view(#name).substr(1);
    TAPIR_FAULTS(TAPIR_FAULT_NAME)
#undef TAPIR_FAULT_NAME
  }
  return "?";
}

std::string_view codeName(Code code) noexcept {
  switch (code) {
    case Code::kOk:
      return "OK";
    case Code::kCancelled:
      return "CANCELLED";
    case Code::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case Code::kNotFound:
      return "NOT_FOUND";
    case Code::kAlreadyExists:
      return "ALREADY_EXISTS";
    case Code::kPermissionDenied:
      return "PERMISSION_DENIED";
    case Code::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case Code::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case Code::kAborted:
      return "ABORTED";
    case Code::kOutOfRange:
      return "OUT_OF_RANGE";
    case Code::kUnimplemented:
      return "UNIMPLEMENTED";
    case Code::kInternal:
      return "INTERNAL";
    case Code::kUnavailable:
      return "UNAVAILABLE";
    case Code::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
  }
  return "?";
}

std::string Status::toString() const {
  if (isOk()) return "OK";
  std::string out(codeName(code_));
  if (fault_ != Fault::kNone) {
    out += '/';
    out += faultName(fault_);
  }
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

}  // namespace tapir
