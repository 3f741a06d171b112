// What the service sends applications: TAPI 2.x line messages, and where
// they go.
#pragma once

#include <cstdint>
#include <string>

#include "tapir/status.h"

namespace tapir::service {

// The fields of a LINEMESSAGE.
struct Message {
  std::uint32_t device = 0;     // hLine or hCall, by message
  std::uint32_t id = 0;         // LINE_* message number
  std::uintptr_t instance = 0;  // the callback instance given to lineOpen
  std::uintptr_t p1 = 0;
  std::uintptr_t p2 = 0;
  std::uintptr_t p3 = 0;
  friend bool operator==(const Message&, const Message&) = default;
};

// LINE_* message numbers (values as in TAPI).
namespace msg {
inline constexpr std::uint32_t kAddressState = 0;
inline constexpr std::uint32_t kCallInfo = 1;
inline constexpr std::uint32_t kCallState = 2;
inline constexpr std::uint32_t kClose = 3;
inline constexpr std::uint32_t kLineDevState = 8;
inline constexpr std::uint32_t kMonitorDigits = 9;
inline constexpr std::uint32_t kReply = 12;
inline constexpr std::uint32_t kCreate = 19;
inline constexpr std::uint32_t kAppNewCall = 23;
inline constexpr std::uint32_t kRemove = 25;
}  // namespace msg

// Results a LINE_REPLY carries besides the status: TAPI writes them into the
// application's out-parameters when the reply is sent.
struct ReplyPayload {
  std::uint32_t call = 0;          // lphCall / lphConsultCall / lphConfCall
  std::uint32_t call2 = 0;         // lineSetupConference: the consultation call
  std::string address;             // linePark (nondirected): the orbit
  std::uint32_t completionId = 0;  // lineCompleteCall
};

// Where one application's messages go: the C library's queue, a network
// connection. Called on the service's loop thread, never re-entrantly.
class MessageSink {
 public:
  virtual ~MessageSink() = default;
  virtual void deliver(const Message& m) = 0;
  // A LINE_REPLY for `request`, with its outcome and results. The edge turns
  // the Status into the message's LINEERR_ value.
  virtual void deliverReply(std::int32_t request, std::uintptr_t instance, const Status& result,
                            const ReplyPayload& payload) = 0;
};

}  // namespace tapir::service
