// The one error model inside tapir: Status and Result<T>.
//
// A Status carries a canonical Code, an optional telephony Fault that lets the
// API edges pick the exact documented error (LINEERR_*, C++ API errors), and a
// message for people. A default-constructed Status is OK and costs no
// allocation. No exception crosses a module boundary; functions that can fail
// return Status or Result<T>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace tapir {

// Canonical codes, in the spirit of absl::StatusCode.
enum class Code : std::uint8_t {
  kOk = 0,
  kCancelled,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kResourceExhausted,
  kFailedPrecondition,
  kAborted,
  kOutOfRange,
  kUnimplemented,
  kInternal,
  kUnavailable,
  kDeadlineExceeded,
};

// Telephony detail under a canonical code. Each fault names one documented
// TAPI failure so the API edges can map it one-to-one (the LINEERR_ it stands
// for is in the comment); kNone means "only the canonical code is known".
// X(name, canonical code)
#define TAPIR_FAULTS(X)                                                                     \
  X(kNone, kOk)                                                                             \
  X(kBadCallHandle, kNotFound)               /* INVALCALLHANDLE: unknown/stale call */      \
  X(kBadConfCallHandle, kInvalidArgument)    /* INVALCONFCALLHANDLE */                      \
  X(kBadConsultCallHandle, kInvalidArgument) /* INVALCONSULTCALLHANDLE */                   \
  X(kBadLineHandle, kNotFound)               /* INVALLINEHANDLE */                          \
  X(kBadDeviceId, kNotFound)                 /* BADDEVICEID */                              \
  X(kBadAppHandle, kNotFound)                /* INVALAPPHANDLE */                           \
  X(kBadAddressId, kInvalidArgument)         /* INVALADDRESSID */                           \
  X(kBadAddress, kInvalidArgument)           /* INVALADDRESS: malformed/unroutable */       \
  X(kBadCallState, kFailedPrecondition)      /* INVALCALLSTATE */                           \
  X(kBadLineState, kFailedPrecondition)      /* INVALLINESTATE */                           \
  X(kBadParam, kInvalidArgument)             /* INVALPARAM */                               \
  X(kBadPointer, kInvalidArgument)           /* INVALPOINTER */                             \
  X(kBadCallParams, kInvalidArgument)        /* INVALCALLPARAMS */                          \
  X(kBadMediaMode, kInvalidArgument)         /* INVALMEDIAMODE */                           \
  X(kBadAddressMode, kInvalidArgument)       /* INVALADDRESSMODE */                         \
  X(kBadPrivilege, kInvalidArgument)         /* INVALCALLPRIVILEGE */                       \
  X(kBadPrivSelect, kInvalidArgument)        /* INVALPRIVSELECT */                          \
  X(kBadAddressState, kInvalidArgument)      /* INVALADDRESSSTATE */                        \
  X(kBadAppName, kInvalidArgument)           /* INVALAPPNAME */                             \
  X(kBadRequestMode, kInvalidArgument)       /* INVALREQUESTMODE */                         \
  X(kBadCallSelect, kInvalidArgument)        /* INVALCALLSELECT */                          \
  X(kBadDigitMode, kInvalidArgument)         /* INVALDIGITMODE */                           \
  X(kBadParkMode, kInvalidArgument)          /* INVALPARKMODE */                            \
  X(kBadTransferMode, kInvalidArgument)      /* INVALTRANSFERMODE */                        \
  X(kBadCompletionMode, kInvalidArgument)    /* INVALCALLCOMPLMODE */                       \
  X(kBadCompletionId, kNotFound)             /* INVALCOMPLETIONID */                        \
  X(kCompletionOverrun, kResourceExhausted)  /* COMPLETIONOVERRUN */                        \
  X(kBadMessageId, kInvalidArgument)         /* INVALMESSAGEID */                           \
  X(kBadCountryCode, kInvalidArgument)       /* INVALCOUNTRYCODE */                         \
  X(kBadGroupId, kInvalidArgument)           /* INVALGROUPID */                             \
  X(kBadLocation, kInvalidArgument)          /* INVALLOCATION */                            \
  X(kBadCard, kInvalidArgument)              /* INVALCARD */                                \
  X(kConferenceFull, kResourceExhausted)     /* CONFERENCEFULL */                           \
  X(kNoConference, kFailedPrecondition)      /* NOCONFERENCE */                             \
  X(kCallUnavail, kResourceExhausted)        /* CALLUNAVAIL: no free appearance */          \
  X(kResourceUnavail, kResourceExhausted)    /* RESOURCEUNAVAIL */                          \
  X(kOperationUnavail, kUnimplemented)       /* OPERATIONUNAVAIL */                         \
  X(kOperationFailed, kAborted)              /* OPERATIONFAILED */                          \
  X(kAddressBlocked, kPermissionDenied)      /* ADDRESSBLOCKED */                           \
  X(kInUse, kFailedPrecondition)             /* INUSE */                                    \
  X(kDialBilling, kUnimplemented)            /* DIALBILLING: '$' */                         \
  X(kDialQuiet, kUnimplemented)              /* DIALQUIET: '@' */                           \
  X(kDialDialtone, kUnimplemented)           /* DIALDIALTONE: 'W' */                        \
  X(kDialPrompt, kUnimplemented)             /* DIALPROMPT: '?' */                          \
  X(kNotOwner, kPermissionDenied)            /* NOTOWNER */                                 \
  X(kTargetNotFound, kNotFound)              /* TARGETNOTFOUND */                           \
  X(kTargetSelf, kInvalidArgument)           /* TARGETSELF */                               \
  X(kStructureTooSmall, kOutOfRange)         /* STRUCTURETOOSMALL */                        \
  X(kUserUserInfoTooBig, kOutOfRange)        /* USERUSERINFOTOOBIG */                       \
  X(kNoMemory, kResourceExhausted)           /* NOMEM */                                    \
  X(kUninitialized, kFailedPrecondition)     /* UNINITIALIZED */                            \
  X(kIncompatibleVersion, kInvalidArgument)  /* INCOMPATIBLEAPIVERSION */                   \
  X(kReinit, kUnavailable)                   /* REINIT */                                   \
  X(kIniFileCorrupt, kFailedPrecondition)    /* INIFILECORRUPT: no/bad dialing locations */ \
  X(kDestBusy, kUnavailable)                 /* C++ API: TAPI_E_DESTBUSY */                 \
  X(kDestNoAnswer, kUnavailable)             /* C++ API: TAPI_E_DESTNOANSWER */             \
  X(kDestUnavail, kUnavailable)              /* C++ API: TAPI_E_DESTUNAVAIL */

enum class Fault : std::uint16_t {
#define TAPIR_FAULT_ENUM(name, code) name,
  TAPIR_FAULTS(TAPIR_FAULT_ENUM)
#undef TAPIR_FAULT_ENUM
};

// The canonical code a fault belongs to.
Code codeOf(Fault fault) noexcept;
std::string_view codeName(Code code) noexcept;
std::string_view faultName(Fault fault) noexcept;

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Status(Fault fault, std::string message)
      : code_(codeOf(fault)), fault_(fault), message_(std::move(message)) {}

  static Status ok() noexcept { return Status(); }

  bool isOk() const noexcept { return code_ == Code::kOk; }
  explicit operator bool() const noexcept { return isOk(); }
  Code code() const noexcept { return code_; }
  Fault fault() const noexcept { return fault_; }
  const std::string& message() const noexcept { return message_; }

  // "code/fault: message", for logs and test failures.
  std::string toString() const;

  friend bool operator==(const Status& a, const Status& b) noexcept {
    return a.code_ == b.code_ && a.fault_ == b.fault_;
  }

 private:
  Code code_ = Code::kOk;
  Fault fault_ = Fault::kNone;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Status>);

 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.isOk()) status_ = Status(Code::kInternal, "Result built from an OK Status");
  }

  bool isOk() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return isOk(); }
  const Status& status() const noexcept { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

  T valueOr(T fallback) const& { return value_ ? *value_ : std::move(fallback); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace tapir

// Returns early with the Status of an expression when it is not OK.
#define TAPIR_RETURN_IF_ERROR(expr)          \
  do {                                       \
    ::tapir::Status _tapir_st = (expr);      \
    if (!_tapir_st.isOk()) return _tapir_st; \
  } while (0)
