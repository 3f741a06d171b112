// The protocol's JSON forms of the service's types, and its frames.
//
// One frame is one WebSocket text message holding one JSON object:
//   request   {"id": N, "method": "name", "params": {...}}
//   response  {"id": N, "result": ...}  or  {"id": N, "error": {code, fault, lineerr, message}}
//   event     {"event": "name", ...}
// Field names are the C++ members' names; enumerations and bit sets travel as
// their TAPI numbers (docs/protocol.md; the schema is protocol/tapir.schema.json).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <type_traits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "dialing/types.h"
#include "service/api.h"
#include "service/messages.h"
#include "tapir/provider.h"
#include "tapir/status.h"

namespace tapir {
void to_json(nlohmann::json& j, const LineId& id);
void from_json(const nlohmann::json& j, LineId& id);
void to_json(nlohmann::json& j, const PartyId& v);
void from_json(const nlohmann::json& j, PartyId& v);
void to_json(nlohmann::json& j, const CallInfo& v);
void from_json(const nlohmann::json& j, CallInfo& v);
void to_json(nlohmann::json& j, const CallStatus& v);
void from_json(const nlohmann::json& j, CallStatus& v);
void to_json(nlohmann::json& j, const ForwardEntry& v);
void from_json(const nlohmann::json& j, ForwardEntry& v);
void to_json(nlohmann::json& j, const CallParams& v);
void from_json(const nlohmann::json& j, CallParams& v);
void to_json(nlohmann::json& j, const AddressCaps& v);
void from_json(const nlohmann::json& j, AddressCaps& v);
void to_json(nlohmann::json& j, const LineCaps& v);
void from_json(const nlohmann::json& j, LineCaps& v);
void to_json(nlohmann::json& j, const AddressStatus& v);
void from_json(const nlohmann::json& j, AddressStatus& v);
void to_json(nlohmann::json& j, const LineStatus& v);
void from_json(const nlohmann::json& j, LineStatus& v);
}  // namespace tapir

namespace tapir::service {
void to_json(nlohmann::json& j, const AppInfo& v);
void from_json(const nlohmann::json& j, AppInfo& v);
void to_json(nlohmann::json& j, const OpenParams& v);
void from_json(const nlohmann::json& j, OpenParams& v);
void to_json(nlohmann::json& j, const CallInfoView& v);
void from_json(const nlohmann::json& j, CallInfoView& v);
void to_json(nlohmann::json& j, const CallStatusView& v);
void from_json(const nlohmann::json& j, CallStatusView& v);
void to_json(nlohmann::json& j, const LineDevStatusView& v);
void from_json(const nlohmann::json& j, LineDevStatusView& v);
void to_json(nlohmann::json& j, const Message& v);
void from_json(const nlohmann::json& j, Message& v);
void to_json(nlohmann::json& j, const ReplyPayload& v);
void from_json(const nlohmann::json& j, ReplyPayload& v);
}  // namespace tapir::service

// Dialing rules as the server translates them (translateAddress, ...).
namespace tapir::dialing {
void to_json(nlohmann::json& j, const TranslateOutput& v);
void from_json(const nlohmann::json& j, TranslateOutput& v);
void to_json(nlohmann::json& j, const LocationEntry& v);
void from_json(const nlohmann::json& j, LocationEntry& v);
void to_json(nlohmann::json& j, const CardEntry& v);
void from_json(const nlohmann::json& j, CardEntry& v);
void to_json(nlohmann::json& j, const TranslateCaps& v);
void from_json(const nlohmann::json& j, TranslateCaps& v);
void to_json(nlohmann::json& j, const IncomingNumber& v);
void from_json(const nlohmann::json& j, IncomingNumber& v);
}  // namespace tapir::dialing

namespace tapir::protocol {

using Json = nlohmann::json;

// The protocol version a hello carries; a server refuses other majors.
inline constexpr int kVersion = 1;
// Frames bigger than this are refused on both sides.
inline constexpr std::size_t kMaxFrameBytes = 1 << 20;

// {"code": "NOT_FOUND", "fault": "BadCallHandle", "lineerr": -2147483595,
//  "message": "..."}: the canonical code, the telephony fault, the LINEERR_
// value a TAPI 2.x program would see, and the explanation. Absent for OK.
Json statusToJson(const Status& status);
// Unknown code or fault names become kInternal / kNone (a newer server).
Status statusFromJson(const Json& j);
// Fault by its name (faultName); nullopt if unknown.
std::optional<Fault> faultByName(std::string_view name);

struct Request {
  std::uint64_t id = 0;
  std::string method;
  Json params;  // an object (empty when the frame has none)
};
// Parses a client frame. A frame that is not a request object gets kBadParam
// with a message saying what is wrong; `id` is kept when it could be read, so
// the error can answer it.
Result<Request> parseRequest(std::string_view text, std::uint64_t* idOut = nullptr);
// The same for a frame already parsed as JSON.
Result<Request> requestOf(Json frame, std::uint64_t* idOut = nullptr);
// A client message may carry several requests as a batch: a JSON array of
// request frames, handled in order as if each came alone. Its frames; none
// when the message is not a non-empty JSON array (it is then one frame, and
// parseRequest says what is wrong with it).
std::optional<std::vector<Json>> parseRequestBatch(std::string_view text);
// Each request of one client message, a frame or a batch, in order: `f` gets
// it (or why it is not one) and the id that could be read; it returns false
// to stop there.
void forEachRequest(std::string_view text,
                    const std::function<bool(Result<Request>, std::uint64_t id)>& f);

// A server frame as a client sees it.
struct ServerFrame {
  enum class Kind { kResult, kError, kEvent } kind = Kind::kEvent;
  std::uint64_t id = 0;  // kResult, kError
  Json result;           // kResult
  Status error;          // kError
  std::string event;     // kEvent: its name
  Json body;             // kEvent: the whole frame
};
Result<ServerFrame> parseServerFrame(std::string_view text);
// One server message: a frame object, or a batch (a JSON array of them, in
// order). Fails as a whole if any element is not a frame.
Result<std::vector<ServerFrame>> parseServerMessage(std::string_view text);
// Frames as one batch message ("[f1,f2,...]").
std::string encodeBatch(const std::vector<std::string>& frames);

std::string encodeRequest(std::uint64_t id, std::string_view method, const Json& params);
std::string encodeResult(std::uint64_t id, const Json& result);
std::string encodeError(std::uint64_t id, const Status& status);
// `fields` (an object, may be null) plus "event": name.
std::string encodeEvent(std::string_view name, Json fields);
// The two events every call sends most of, written straight to text: the
// same frames as encodeEvent("message" / "reply", ...) builds, without the
// JSON tree (a basic call sends 24 of them).
std::string encodeMessageEvent(std::uint32_t app, const service::Message& m);
std::string encodeReplyEvent(std::uint32_t app, std::int32_t request, std::uintptr_t instance,
                             const Status& result, const service::ReplyPayload& payload);

// Reads params[name] as T; a missing or ill-typed field is kBadParam naming
// the field and what was expected.
template <class T>
Result<T> field(const Json& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end()) {
    return Status(Fault::kBadParam, std::string("params.") + name + ": missing");
  }
  try {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      // nlohmann converts any number with a cast; a protocol wants range checks.
      if (!it->is_number_integer()) throw Json::type_error::create(302, "expected an integer", nullptr);
      if (it->is_number_unsigned()) {
        const auto v = it->template get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
          throw Json::out_of_range::create(406, "out of range", nullptr);
        }
      } else {
        const auto v = it->template get<std::int64_t>();
        if (v < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
            (v > 0 && static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))) {
          throw Json::out_of_range::create(406, "out of range", nullptr);
        }
      }
    }
    return it->template get<T>();
  } catch (const nlohmann::json::exception& e) {
    return Status(Fault::kBadParam, std::string("params.") + name + ": " + e.what());
  }
}
// As field(), with a default when the field is absent.
template <class T>
Result<T> fieldOr(const Json& params, const char* name, T fallback) {
  if (!params.contains(name)) return fallback;
  return field<T>(params, name);
}

}  // namespace tapir::protocol
