// The protocol's JSON forms: every type survives a round trip, errors carry
// code, fault and LINEERR_, and malformed frames get errors saying why.
#include <gtest/gtest.h>
#include <tapi.h>

#include <cstdint>
#include <vector>

#include "protocol/codec.h"

namespace tapir::protocol {
namespace {

template <class T>
T roundTrip(const T& v) {
  return Json::parse(Json(v).dump()).get<T>();
}

TEST(Codec, CallInfoViewRoundTrips) {
  service::CallInfoView v;
  v.info.line = LineId(3, 7);
  v.info.address = 1;
  v.info.callId = 42;
  v.info.origin = CallOrigin::kExternal;
  v.info.reason = CallReason::kFwdBusy;
  v.info.caller = {"+14255550100", "Outside", true};
  v.info.connected = {"202", "Bob", false};
  v.info.comment = "hello \xc3\xa9";
  v.line = 0x10002;
  v.numOwners = 2;
  v.appName = "dialer";
  const auto back = roundTrip(v);
  EXPECT_EQ(back.info.line, v.info.line);
  EXPECT_EQ(back.info.callId, 42u);
  EXPECT_EQ(back.info.origin, CallOrigin::kExternal);
  EXPECT_EQ(back.info.reason, CallReason::kFwdBusy);
  EXPECT_EQ(back.info.caller, v.info.caller);
  EXPECT_EQ(back.info.connected, v.info.connected);
  EXPECT_EQ(back.info.comment, v.info.comment);
  EXPECT_EQ(back.line, v.line);
  EXPECT_EQ(back.numOwners, 2u);
  EXPECT_EQ(back.appName, "dialer");
}

TEST(Codec, CapsAndStatusRoundTrip) {
  LineCaps caps;
  caps.name = "201";
  caps.addresses.resize(2);
  caps.addresses[1].address = "201-2";
  caps.addresses[1].completionMessages = {"call me", "busy"};
  caps.addresses[1].forwardModes = 0x30;
  const auto back = roundTrip(caps);
  ASSERT_EQ(back.addresses.size(), 2u);
  EXPECT_EQ(back.addresses[1].address, "201-2");
  EXPECT_EQ(back.addresses[1].completionMessages, caps.addresses[1].completionMessages);
  EXPECT_EQ(back.addresses[1].forwardModes, 0x30u);

  AddressStatus st;
  st.forward = {{0x1, "", "205", 0}, {0x4, "301", "206", 1}};
  EXPECT_EQ(roundTrip(st).forward, st.forward);

  service::CallStatusView cs;
  cs.status.state = CallState::kOnHoldPendTransfer;
  cs.status.features = 0x1234;
  cs.privilege = service::privilege::kOwner;
  const auto csb = roundTrip(cs);
  EXPECT_EQ(csb.status.state, CallState::kOnHoldPendTransfer);
  EXPECT_EQ(csb.status.features, 0x1234u);
  EXPECT_EQ(csb.privilege, service::privilege::kOwner);
}

TEST(Codec, OpenParamsSingleAddressIsOptional) {
  service::OpenParams p;
  p.deviceId = 4;
  p.callbackInstance = 0xdeadbeefcafeULL;
  EXPECT_FALSE(Json(p).contains("singleAddress"));
  EXPECT_FALSE(roundTrip(p).singleAddress.has_value());
  p.singleAddress = 0;
  const auto back = roundTrip(p);
  ASSERT_TRUE(back.singleAddress.has_value());
  EXPECT_EQ(*back.singleAddress, 0u);
  EXPECT_EQ(back.callbackInstance, p.callbackInstance);
}

TEST(Codec, MissingMembersKeepDefaults) {
  const auto params = Json::parse(R"({"comment": "x"})").get<CallParams>();
  EXPECT_EQ(params.comment, "x");
  EXPECT_EQ(params.mediaMode, 0u);
  EXPECT_THROW(Json::parse("[1]").get<CallParams>(), Json::exception);
}

TEST(Codec, EveryFaultSurvivesAsError) {
  for (int i = 1;; ++i) {
    const auto f = static_cast<Fault>(i);
    if (faultName(f) == "?") break;
    const Status st(f, "why");
    const auto back = statusFromJson(Json::parse(statusToJson(st).dump()));
    EXPECT_EQ(back, st) << faultName(f);
    EXPECT_EQ(back.message(), "why");
  }
  const Json j = statusToJson(Status(Fault::kBadCallHandle, "no such call"));
  EXPECT_EQ(j["code"], "NOT_FOUND");
  EXPECT_EQ(j["fault"], "BadCallHandle");
  EXPECT_EQ(j["lineerr"], static_cast<LONG>(LINEERR_INVALCALLHANDLE));
  const Status plain(Code::kDeadlineExceeded, "late");
  EXPECT_EQ(statusFromJson(statusToJson(plain)), plain);
  EXPECT_EQ(statusFromJson(Json::parse(R"({"code":"NEW_THING","message":"m"})")).code(),
            Code::kInternal);
}

TEST(Codec, RequestsParse) {
  auto r = parseRequest(R"({"id": 7, "method": "drop", "params": {"call": 3}})");
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(r->id, 7u);
  EXPECT_EQ(r->method, "drop");
  EXPECT_EQ(field<std::uint32_t>(r->params, "call").value(), 3u);
  auto bare = parseRequest(R"({"id": 1, "method": "lineCount"})");
  ASSERT_TRUE(bare.isOk());
  EXPECT_TRUE(bare->params.is_object());
}

TEST(Codec, MalformedRequestsSayWhy) {
  struct Case {
    const char* text;
    const char* says;
  };
  const Case cases[] = {
      {"", "not JSON"},
      {"{", "not JSON"},
      {"[1,2]", "not a JSON object"},
      {R"({"method": "x"})", "\"id\""},
      {R"({"id": -1, "method": "x"})", "\"id\""},
      {R"({"id": "1", "method": "x"})", "\"id\""},
      {R"({"id": 1})", "\"method\""},
      {R"({"id": 1, "method": 5})", "\"method\""},
      {R"({"id": 1, "method": "x", "params": [1]})", "\"params\""},
      {"{\"id\": 1, \"method\": \"\xff\"}", "not JSON"},
  };
  for (const Case& c : cases) {
    std::uint64_t id = 0;
    auto r = parseRequest(c.text, &id);
    ASSERT_FALSE(r.isOk()) << c.text;
    EXPECT_EQ(r.status().fault(), Fault::kBadParam);
    EXPECT_NE(r.status().message().find(c.says), std::string::npos)
        << c.text << " -> " << r.status().message();
  }
  std::uint64_t id = 0;
  EXPECT_FALSE(parseRequest(R"({"id": 9, "method": 1})", &id).isOk());
  EXPECT_EQ(id, 9u) << "the id is kept so the error can answer it";
  EXPECT_FALSE(parseRequest(std::string(kMaxFrameBytes + 1, ' ')).isOk());
}

TEST(Codec, FieldsAreTypeAndRangeChecked) {
  const Json p = Json::parse(
      R"({"n": 5, "neg": -1, "big": 4294967296, "s": "x", "f": 1.5, "b": true})");
  EXPECT_EQ(field<std::uint32_t>(p, "n").value(), 5u);
  EXPECT_EQ(fieldOr<std::uint32_t>(p, "absent", 9).value(), 9u);
  for (const char* bad : {"neg", "big", "s", "f", "b", "absent"}) {
    auto v = field<std::uint32_t>(p, bad);
    ASSERT_FALSE(v.isOk()) << bad;
    EXPECT_EQ(v.status().fault(), Fault::kBadParam);
    EXPECT_NE(v.status().message().find(bad), std::string::npos) << v.status().message();
  }
  EXPECT_EQ(field<std::int32_t>(p, "neg").value(), -1);
  EXPECT_EQ(field<std::string>(p, "s").value(), "x");
  EXPECT_FALSE(field<std::string>(p, "n").isOk());
}

TEST(Codec, ServerFramesParse) {
  auto ok = parseServerFrame(encodeResult(3, Json{{"line", 5}}));
  ASSERT_TRUE(ok.isOk());
  EXPECT_EQ(ok->kind, ServerFrame::Kind::kResult);
  EXPECT_EQ(ok->id, 3u);
  EXPECT_EQ(ok->result["line"], 5);

  auto err = parseServerFrame(encodeError(4, Status(Fault::kNotOwner, "monitor only")));
  ASSERT_TRUE(err.isOk());
  EXPECT_EQ(err->kind, ServerFrame::Kind::kError);
  EXPECT_EQ(err->error.fault(), Fault::kNotOwner);

  service::Message m{0x10003, service::msg::kCallState, 99, 0x100, 0, 4};
  auto ev = parseServerFrame(encodeEvent("message", Json{{"app", 1}, {"message", m}}));
  ASSERT_TRUE(ev.isOk());
  EXPECT_EQ(ev->kind, ServerFrame::Kind::kEvent);
  EXPECT_EQ(ev->event, "message");
  EXPECT_EQ(ev->body["message"].get<service::Message>(), m);

  EXPECT_FALSE(parseServerFrame(R"({"id": 1})").isOk());
  EXPECT_FALSE(parseServerFrame(R"({"event": 1})").isOk());
  EXPECT_EQ(parseServerFrame(R"({"id": 1, "error": {}})")->error.code(), Code::kInternal);
}

TEST(Codec, ServerMessagesAreAFrameOrABatch) {
  auto one = parseServerMessage(encodeResult(1, 8));
  ASSERT_TRUE(one.isOk());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].result, 8);

  const std::string batch = encodeBatch(
      {encodeEvent("message", Json{{"app", 1}}), encodeResult(2, nullptr),
       encodeError(3, Status(Fault::kBadCallState, "no"))});
  EXPECT_EQ(batch.front(), '[');
  auto many = parseServerMessage(batch);
  ASSERT_TRUE(many.isOk()) << many.status().toString();
  ASSERT_EQ(many->size(), 3u);
  EXPECT_EQ((*many)[0].kind, ServerFrame::Kind::kEvent);
  EXPECT_EQ((*many)[1].kind, ServerFrame::Kind::kResult);
  EXPECT_EQ((*many)[1].id, 2u);
  EXPECT_EQ((*many)[2].error.fault(), Fault::kBadCallState);

  EXPECT_FALSE(parseServerMessage("[]").isOk());
  EXPECT_FALSE(parseServerMessage("[1]").isOk());
  EXPECT_FALSE(parseServerMessage(R"([{"id": 1}])").isOk()) << "every element must be a frame";
  EXPECT_FALSE(parseServerMessage("[{").isOk());
  EXPECT_FALSE(parseServerMessage("").isOk());
}

TEST(Codec, RequestBatchesSplitIntoFrames) {
  auto batch = parseRequestBatch(R"( [{"id":1,"method":"a"}, {"id":2,"method":"b","params":{}}, 3])");
  ASSERT_TRUE(batch.has_value());
  ASSERT_EQ(batch->size(), 3u);
  std::uint64_t id = 0;
  auto first = requestOf((*batch)[0], &id);
  ASSERT_TRUE(first.isOk());
  EXPECT_EQ(first->method, "a");
  EXPECT_EQ(requestOf((*batch)[1])->id, 2u);
  EXPECT_EQ(requestOf((*batch)[2]).status().fault(), Fault::kBadParam);  // not an object
  // Not a batch: one frame, for parseRequest to judge.
  EXPECT_FALSE(parseRequestBatch(R"({"id":1,"method":"a"})").has_value());
  EXPECT_FALSE(parseRequestBatch("[]").has_value());
  EXPECT_FALSE(parseRequestBatch("[{\"id\":1,").has_value());
  EXPECT_FALSE(parseRequestBatch("").has_value());
}

// What tapird runs of a message: each request in order, until told to stop.
TEST(Codec, EachRequestOfAMessageInOrder) {
  std::vector<std::uint64_t> ids;
  std::vector<bool> ok;
  const auto collect = [&](Result<Request> r, std::uint64_t id) {
    ids.push_back(id);
    ok.push_back(r.isOk());
    return id != 2;  // stop after the second
  };
  forEachRequest(R"([{"id":1,"method":"a"},{"id":2,"method":7},{"id":3,"method":"c"}])", collect);
  EXPECT_EQ(ids, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(ok, (std::vector<bool>{true, false}));
  ids.clear();
  ok.clear();
  forEachRequest(R"({"id":5,"method":"a"})", collect);  // one frame
  forEachRequest("[]", collect);                          // not a batch: one bad frame
  EXPECT_EQ(ids, (std::vector<std::uint64_t>{5, 0}));
  EXPECT_EQ(ok, (std::vector<bool>{true, false}));
}

// The hand-written encoders give the frames the JSON tree would.
TEST(Codec, MessageAndReplyEventsMatchTheGeneralEncoder) {
  const service::Message m{0xfffffffe, 2, std::numeric_limits<std::uintptr_t>::max(), 0x100, 7, 0};
  EXPECT_EQ(encodeMessageEvent(3, m), encodeEvent("message", Json{{"app", 3}, {"message", m}}));
  service::ReplyPayload payload;
  payload.call = 12;
  payload.call2 = 13;
  payload.address = "7\"01\\\n\xc3\xa9";  // escaped as JSON
  payload.completionId = 4;
  for (const Status& st : {Status(), Status(Fault::kBadCallState, "not \"connected\"")}) {
    for (std::int32_t request : {1, std::numeric_limits<std::int32_t>::max()}) {
      EXPECT_EQ(encodeReplyEvent(9, request, 42, st, payload),
                encodeEvent("reply", Json{{"app", 9},
                                          {"request", request},
                                          {"instance", 42},
                                          {"status", st ? Json() : statusToJson(st)},
                                          {"payload", payload}}));
    }
  }
  EXPECT_EQ(encodeResult(7, Json{{"line", 5}}), R"({"id":7,"result":{"line":5}})");
  EXPECT_EQ(encodeResult(8, nullptr), R"({"id":8,"result":null})");
  EXPECT_EQ(encodeReplyEvent(1, 2, 0, Status(), service::ReplyPayload{}),
            encodeEvent("reply", Json{{"app", 1},
                                      {"request", 2},
                                      {"instance", 0},
                                      {"status", Json()},
                                      {"payload", service::ReplyPayload{}}}));
}

TEST(Codec, InvalidUtf8IsReplacedNotThrown) {
  const std::string frame = encodeEvent("x", Json{{"name", std::string("a\xff" "b")}});
  EXPECT_TRUE(Json::parse(frame)["name"].is_string());
}

}  // namespace
}  // namespace tapir::protocol
