#include "protocol/codec.h"

#include <array>
#include <charconv>

#include "capi/lineerr.h"

// Non-inline to_json/from_json pairs for aggregates: every member by name,
// missing members keep their defaults (older peers send fewer fields).
#define TAPIR_JSON_STRUCT(Type, ...)                                                    \
  void to_json(nlohmann::json& nlohmann_json_j, const Type& nlohmann_json_t) {          \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(NLOHMANN_JSON_TO, __VA_ARGS__))            \
  }                                                                                     \
  void from_json(const nlohmann::json& nlohmann_json_j, Type& nlohmann_json_t) {        \
    const Type nlohmann_json_default_obj{};                                             \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(NLOHMANN_JSON_FROM_WITH_DEFAULT, __VA_ARGS__)) \
  }

namespace tapir {

void to_json(nlohmann::json& j, const LineId& id) {
  j = id.value();
}
void from_json(const nlohmann::json& j, LineId& id) {
  id = LineId::fromValue(j.get<std::uint64_t>());
}

TAPIR_JSON_STRUCT(PartyId, number, name, blocked)
TAPIR_JSON_STRUCT(CallInfo, line, address, callId, relatedCallId, origin, reason, completionId,
                  mediaMode, bearerMode, callParamFlags, trunk, caller, called, connected,
                  redirecting, redirection, displayableAddress, calledParty, comment,
                  userUserInfo)
TAPIR_JSON_STRUCT(CallStatus, state, stateMode, features, features2, secured)
TAPIR_JSON_STRUCT(ForwardEntry, mode, callerAddress, destAddress, destCountryCode)
TAPIR_JSON_STRUCT(CallParams, mediaMode, flags, targetAddress, displayableAddress, calledParty,
                  comment, userUserInfo)
TAPIR_JSON_STRUCT(AddressCaps, address, name, addressSharing, callStates, dialToneModes,
                  busyModes, specialInfo, disconnectModes, maxActiveCalls, maxOnHoldCalls,
                  maxOnHoldPendingCalls, maxConference, maxTransConf, addrCapFlags, callFeatures,
                  callFeatures2, removeFromConfCaps, removeFromConfState, transferModes,
                  parkModes, forwardModes, maxForwardEntries, maxSpecificEntries, minFwdNumRings,
                  maxFwdNumRings, maxCallCompletions, callCompletionConds, callCompletionModes,
                  completionMessages, addressFeatures, connectedModes, offeringModes,
                  availableMediaModes, callerIdFlags, calledIdFlags, connectedIdFlags,
                  redirectionIdFlags, redirectingIdFlags)
TAPIR_JSON_STRUCT(LineCaps, name, providerInfo, switchInfo, permanentLineId, bearerModes,
                  mediaModes, lineFeatures, devCapFlags, answerMode, maxNumActiveCalls, lineStates,
                  addressStates, ringModes, addresses)
TAPIR_JSON_STRUCT(AddressStatus, numInUse, numActiveCalls, numOnHoldCalls, numOnHoldPendCalls,
                  addressFeatures, numRingsNoAnswer, forward)
TAPIR_JSON_STRUCT(LineStatus, numActiveCalls, numOnHoldCalls, numOnHoldPendCalls, lineFeatures,
                  numCallCompletions, devStatusFlags, messagesWaiting)

}  // namespace tapir

namespace tapir::dialing {

TAPIR_JSON_STRUCT(TranslateOutput, dialable, displayable, currentCountry, destCountry, results)
TAPIR_JSON_STRUCT(LocationEntry, permanentLocationId, locationName, countryCode, cityCode,
                  preferredCardId, localAccessCode, longDistanceAccessCode, tollPrefixList,
                  countryId, options, cancelCallWaiting)
TAPIR_JSON_STRUCT(CardEntry, permanentCardId, cardName, cardNumberDigits, sameAreaRule,
                  longDistanceRule, internationalRule, options)
TAPIR_JSON_STRUCT(TranslateCaps, locations, currentLocationId, cards, currentPreferredCardId)
TAPIR_JSON_STRUCT(IncomingNumber, e164, canonical, countryCode)

}  // namespace tapir::dialing

namespace tapir::service {

TAPIR_JSON_STRUCT(AppInfo, friendlyName, moduleName)
TAPIR_JSON_STRUCT(CallInfoView, info, line, apiVersion, deviceId, numOwners, numMonitors,
                  appSpecific, callStates, monitorDigitModes, appName)
TAPIR_JSON_STRUCT(CallStatusView, status, privilege, apiVersion)
TAPIR_JSON_STRUCT(LineDevStatusView, status, apiVersion, numOpens, openMediaModes)
TAPIR_JSON_STRUCT(Message, device, id, instance, p1, p2, p3)
TAPIR_JSON_STRUCT(ReplyPayload, call, call2, address, completionId)

// singleAddress is optional: absent or null means all addresses.
void to_json(nlohmann::json& j, const OpenParams& v) {
  j = {{"deviceId", v.deviceId},
       {"apiVersion", v.apiVersion},
       {"callbackInstance", v.callbackInstance},
       {"privileges", v.privileges},
       {"mediaModes", v.mediaModes}};
  if (v.singleAddress) j["singleAddress"] = *v.singleAddress;
}
void from_json(const nlohmann::json& j, OpenParams& v) {
  const OpenParams d{};
  v.deviceId = j.value("deviceId", d.deviceId);
  v.apiVersion = j.value("apiVersion", d.apiVersion);
  v.callbackInstance = j.value("callbackInstance", d.callbackInstance);
  v.privileges = j.value("privileges", d.privileges);
  v.mediaModes = j.value("mediaModes", d.mediaModes);
  v.singleAddress.reset();
  if (auto it = j.find("singleAddress"); it != j.end() && !it->is_null()) {
    v.singleAddress = it->get<std::uint32_t>();
  }
}

}  // namespace tapir::service

namespace tapir::protocol {

namespace {

constexpr std::array kCodes = {Code::kOk,
                               Code::kCancelled,
                               Code::kInvalidArgument,
                               Code::kNotFound,
                               Code::kAlreadyExists,
                               Code::kPermissionDenied,
                               Code::kResourceExhausted,
                               Code::kFailedPrecondition,
                               Code::kAborted,
                               Code::kOutOfRange,
                               Code::kUnimplemented,
                               Code::kInternal,
                               Code::kUnavailable,
                               Code::kDeadlineExceeded};

constexpr std::array kFaults = {
#define TAPIR_FAULT_VALUE(name, code) Fault::name,
    TAPIR_FAULTS(TAPIR_FAULT_VALUE)
#undef TAPIR_FAULT_VALUE
};

// Strings from peers may hold invalid UTF-8: replace it, never throw.
std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Status badFrame(std::string what) {
  return Status(Fault::kBadParam, "malformed frame: " + std::move(what));
}

Result<Json> parseObject(std::string_view text) {
  if (text.size() > kMaxFrameBytes) {
    return badFrame("over " + std::to_string(kMaxFrameBytes) + " bytes");
  }
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return badFrame("not JSON");
  if (!j.is_object()) return badFrame("not a JSON object");
  return j;
}

}  // namespace

std::optional<Fault> faultByName(std::string_view name) {
  for (Fault f : kFaults) {
    if (faultName(f) == name) return f;
  }
  return std::nullopt;
}

Json statusToJson(const Status& status) {
  Json j = {{"code", codeName(status.code())}, {"message", status.message()}};
  if (status.fault() != Fault::kNone) j["fault"] = faultName(status.fault());
  j["lineerr"] = capi::toLineErr(status);
  return j;
}

Status statusFromJson(const Json& j) {
  if (!j.is_object()) return Status(Code::kInternal, "error is not an object");
  const std::string message = j.value("message", std::string());
  if (auto it = j.find("fault"); it != j.end() && it->is_string()) {
    if (auto f = faultByName(it->get<std::string>())) return Status(*f, message);
  }
  const std::string code = j.value("code", std::string());
  for (Code c : kCodes) {
    if (c != Code::kOk && codeName(c) == code) return Status(c, message);
  }
  return Status(Code::kInternal, message.empty() ? "unknown error " + code : message);
}

Result<Request> parseRequest(std::string_view text, std::uint64_t* idOut) {
  auto j = parseObject(text);
  if (!j) return j.status();
  return requestOf(std::move(*j), idOut);
}

Result<Request> requestOf(Json j, std::uint64_t* idOut) {
  if (!j.is_object()) return badFrame("not a JSON object");
  Request r;
  auto id = j.find("id");
  if (id == j.end() || !id->is_number_unsigned()) {
    return badFrame("\"id\" must be an unsigned integer");
  }
  r.id = id->get<std::uint64_t>();
  if (idOut) *idOut = r.id;
  auto method = j.find("method");
  if (method == j.end() || !method->is_string()) return badFrame("\"method\" must be a string");
  r.method = method->get<std::string>();
  auto params = j.find("params");
  if (params == j.end() || params->is_null()) {
    r.params = Json::object();
  } else if (params->is_object()) {
    r.params = std::move(*params);
  } else {
    return badFrame("\"params\" must be an object");
  }
  return r;
}

std::optional<std::vector<Json>> parseRequestBatch(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '[' || text.size() > kMaxFrameBytes)
    return std::nullopt;
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array() || j.empty()) return std::nullopt;
  std::vector<Json> frames;
  frames.reserve(j.size());
  for (Json& f : j) frames.push_back(std::move(f));
  return frames;
}

void forEachRequest(std::string_view text,
                    const std::function<bool(Result<Request>, std::uint64_t id)>& f) {
  if (auto batch = parseRequestBatch(text)) {
    for (Json& frame : *batch) {
      std::uint64_t id = 0;
      auto request = requestOf(std::move(frame), &id);
      if (!f(std::move(request), id)) return;
    }
    return;
  }
  std::uint64_t id = 0;
  auto request = parseRequest(text, &id);
  f(std::move(request), id);
}

namespace {
Result<ServerFrame> serverFrameOf(Json&& j);
}  // namespace

Result<ServerFrame> parseServerFrame(std::string_view text) {
  auto j = parseObject(text);
  if (!j) return j.status();
  return serverFrameOf(std::move(*j));
}

Result<std::vector<ServerFrame>> parseServerMessage(std::string_view text) {
  std::vector<ServerFrame> out;
  std::size_t at = text.find_first_not_of(" \t\r\n");
  if (at == std::string_view::npos || text[at] != '[') {
    auto f = parseServerFrame(text);
    if (!f) return f.status();
    out.push_back(std::move(*f));
    return out;
  }
  Json all = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (all.is_discarded()) return badFrame("not JSON");
  if (all.empty()) return badFrame("an empty batch");
  out.reserve(all.size());
  for (Json& j : all) {
    if (!j.is_object()) return badFrame("a batch holds frame objects only");
    auto f = serverFrameOf(std::move(j));
    if (!f) return f.status();
    out.push_back(std::move(*f));
  }
  return out;
}

std::string encodeBatch(const std::vector<std::string>& frames) {
  std::size_t size = 2 + frames.size();
  for (const std::string& f : frames) size += f.size();
  std::string out;
  out.reserve(size);
  out += '[';
  for (const std::string& f : frames) {
    if (out.size() > 1) out += ',';
    out += f;
  }
  out += ']';
  return out;
}

namespace {
Result<ServerFrame> serverFrameOf(Json&& j) {
  ServerFrame f;
  if (auto ev = j.find("event"); ev != j.end()) {
    if (!ev->is_string()) return badFrame("\"event\" must be a string");
    f.kind = ServerFrame::Kind::kEvent;
    f.event = ev->get<std::string>();
    f.body = std::move(j);
    return f;
  }
  auto id = j.find("id");
  if (id == j.end() || !id->is_number_unsigned()) {
    return badFrame("a response needs an unsigned \"id\"");
  }
  f.id = id->get<std::uint64_t>();
  if (auto err = j.find("error"); err != j.end()) {
    f.kind = ServerFrame::Kind::kError;
    f.error = statusFromJson(*err);
    if (f.error.isOk()) f.error = Status(Code::kInternal, "an error frame without an error");
    return f;
  }
  auto result = j.find("result");
  if (result == j.end()) return badFrame("a response needs \"result\" or \"error\"");
  f.kind = ServerFrame::Kind::kResult;
  f.result = std::move(*result);
  return f;
}
}  // namespace

std::string encodeRequest(std::uint64_t id, std::string_view method, const Json& params) {
  return dump(Json{{"id", id}, {"method", method}, {"params", params}});
}

namespace {
// Appends `"key":value` (with a leading comma unless first).
template <class Int>
void field(std::string& out, std::string_view key, Int value, bool first = false) {
  if (!first) out += ',';
  out += '"';
  out += key;
  out += "\":";
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;  // 24 characters hold any 64-bit integer
  out.append(buf, end);
}
}  // namespace

// Written around the result rather than copying it into a new tree.
std::string encodeResult(std::uint64_t id, const Json& result) {
  std::string out = "{";
  field(out, "id", id, true);
  out += ",\"result\":";
  out += dump(result);
  out += '}';
  return out;
}

std::string encodeError(std::uint64_t id, const Status& status) {
  return dump(Json{{"id", id}, {"error", statusToJson(status)}});
}

// Keys in the order encodeEvent gives them (nlohmann sorts object keys).
std::string encodeMessageEvent(std::uint32_t app, const service::Message& m) {
  std::string out;
  out.reserve(160);
  out += '{';
  field(out, "app", app, true);
  out += ",\"event\":\"message\",\"message\":{";
  field(out, "device", m.device, true);
  field(out, "id", m.id);
  field(out, "instance", m.instance);
  field(out, "p1", m.p1);
  field(out, "p2", m.p2);
  field(out, "p3", m.p3);
  out += "}}";
  return out;
}

std::string encodeReplyEvent(std::uint32_t app, std::int32_t request, std::uintptr_t instance,
                             const Status& result, const service::ReplyPayload& payload) {
  std::string out;
  out.reserve(200);
  out += '{';
  field(out, "app", app, true);
  out += ",\"event\":\"reply\"";
  field(out, "instance", instance);
  out += ",\"payload\":{\"address\":";
  out += payload.address.empty() ? std::string("\"\"") : dump(Json(payload.address));
  field(out, "call", payload.call);
  field(out, "call2", payload.call2);
  field(out, "completionId", payload.completionId);
  out += '}';
  field(out, "request", request);
  out += ",\"status\":";
  out += result ? std::string("null") : dump(statusToJson(result));
  out += '}';
  return out;
}

std::string encodeEvent(std::string_view name, Json fields) {
  if (!fields.is_object()) fields = Json::object();
  fields["event"] = name;
  return dump(fields);
}

}  // namespace tapir::protocol
