// The tapir CLI's command lines and output forms (src/cli/commands.h).
#include "cli/commands.h"

#include <gtest/gtest.h>

namespace tapir::cli {
namespace {

struct Parsed {
  ParseOutcome outcome;
  GlobalOptions globals;
  Invocation inv;
};

Parsed parse(std::vector<std::string> words, bool interactive = false) {
  Parsed p;
  words.insert(words.begin(), "tapir");
  p.outcome = parseCommandLine(words, p.globals, p.inv, interactive);
  return p;
}

TEST(CommandsTest, Requests) {
  auto p = parse({"lines"});
  ASSERT_TRUE(p.outcome.proceed) << p.outcome.err;
  EXPECT_EQ(p.inv.kind, Invocation::Kind::kRequest);
  EXPECT_EQ(p.inv.method, "console.lines");

  p = parse({"call", "201", "202"});
  EXPECT_EQ(p.inv.method, "console.call");
  EXPECT_EQ(p.inv.params, (Json{{"from", "201"}, {"to", "202"}}));

  p = parse({"drop", "201", "--call", "7"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "201"}, {"call", 7}}));

  p = parse({"transfer", "201", "203", "--consult"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "201"}, {"to", "203"}, {"consult", true}}));
  p = parse({"transfer", "201", "203"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "201"}, {"to", "203"}}));

  p = parse({"complete", "201", "--conference"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "201"}, {"as", "conference"}}));
  p = parse({"park", "201"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "201"}}));
  p = parse({"park", "201", "705"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "201"}, {"orbit", "705"}}));
  p = parse({"unpark", "203", "701"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "203"}, {"orbit", "701"}}));
  p = parse({"pickup", "203", "--from", "201"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "203"}, {"from", "201"}}));
  p = parse({"pickup", "203", "--group", "2"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "203"}, {"group", "2"}}));
  p = parse({"pickup", "203", "--group"});
  ASSERT_TRUE(p.outcome.proceed) << p.outcome.err;
  EXPECT_EQ(p.inv.params, (Json{{"station", "203"}}));

  p = parse({"forward", "201", "--busy", "205"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "201"}, {"mode", "busy"}, {"to", "205"}}));
  p = parse({"forward", "201", "--no-answer", "205", "--rings", "3"});
  EXPECT_EQ(p.inv.params,
            (Json{{"station", "201"}, {"mode", "noanswer"}, {"to", "205"}, {"rings", 3}}));
  p = parse({"forward", "201", "--off"});
  EXPECT_EQ(p.inv.params, (Json{{"station", "201"}, {"mode", "off"}}));
}

TEST(CommandsTest, GlobalOptionsAndOtherKinds) {
  auto p = parse({"--server", "unix:/x.sock", "--json", "--timeout", "2.5", "calls"});
  ASSERT_TRUE(p.outcome.proceed) << p.outcome.err;
  EXPECT_EQ(p.globals.server, "unix:/x.sock");
  EXPECT_TRUE(p.globals.json);
  EXPECT_DOUBLE_EQ(p.globals.timeout, 2.5);
  p = parse({"watch", "--json"});
  EXPECT_EQ(p.inv.kind, Invocation::Kind::kWatch);
  EXPECT_TRUE(p.globals.json);
  EXPECT_EQ(parse({"status"}).inv.kind, Invocation::Kind::kStatus);
  EXPECT_EQ(parse({}).inv.kind, Invocation::Kind::kNone);
  p = parse({"location", "set-current", "Demo"});
  EXPECT_EQ(p.inv.kind, Invocation::Kind::kLocation);
  EXPECT_EQ(p.inv.location, (std::vector<std::string>{"set-current", "Demo"}));
  EXPECT_EQ(parse({"quit"}, true).inv.kind, Invocation::Kind::kQuit);
  EXPECT_EQ(parse({"exit"}, true).inv.kind, Invocation::Kind::kQuit);
}

TEST(CommandsTest, UsageErrorsAndHelp) {
  for (auto words : std::vector<std::vector<std::string>>{{"frobnicate"},
                                                           {"call", "201"},
                                                           {"answer"},
                                                           {"forward", "201"},
                                                           {"forward", "201", "--busy", "2", "--off"},
                                                           {"pickup", "203", "--group", "1", "--from", "2"},
                                                           {"drop", "201", "--call", "x"},
                                                           {"location"},
                                                           {"--timeout", "0", "lines"},
                                                           {"quit"}}) {
    auto p = parse(words);
    EXPECT_FALSE(p.outcome.proceed) << words[0];
    EXPECT_EQ(p.outcome.exitCode, kExitUsage) << words[0];
    EXPECT_NE(p.outcome.err.find("tapir: "), std::string::npos);
  }
  auto p = parse({"--help"});
  EXPECT_FALSE(p.outcome.proceed);
  EXPECT_EQ(p.outcome.exitCode, kExitOk);
  EXPECT_NE(p.outcome.out.find("transfer"), std::string::npos);
  EXPECT_NE(p.outcome.out.find("Exit status"), std::string::npos);
  p = parse({"transfer", "--help"});
  EXPECT_EQ(p.outcome.exitCode, kExitOk);
  EXPECT_NE(p.outcome.out.find("--consult"), std::string::npos);
}

TEST(CommandsTest, SplitWords) {
  EXPECT_EQ(*splitWords("  call 201  202 "), (std::vector<std::string>{"call", "201", "202"}));
  EXPECT_EQ(*splitWords("location show 'New York' \"a\\\"b\" c\\ d"),
            (std::vector<std::string>{"location", "show", "New York", "a\"b", "c d"}));
  EXPECT_TRUE(splitWords("")->empty());
  EXPECT_FALSE(splitWords("show 'x").isOk());
}

TEST(CommandsTest, Formats) {
  Invocation inv;
  inv.command = "calls";
  EXPECT_EQ(formatResult(inv, Json{{"calls", Json::array()}}), "no calls\n");
  Json calls = Json::parse(R"({"calls":[{"call":3,"station":"201","state":"CONNECTED",
      "caller":{"number":"201","name":""},"called":{"number":"202","name":"Bob"},
      "connected":{"number":"","name":""},"reason":"DIRECT","origin":"INTERNAL"}]})");
  EXPECT_EQ(formatResult(inv, calls),
            "CALL  STATION  STATE      CALLER  CALLED     CONNECTED  REASON  ORIGIN\n"
            "3     201      CONNECTED  201     202 (Bob)  -          DIRECT  INTERNAL\n");
  inv.command = "lines";
  EXPECT_EQ(formatResult(inv, Json::parse(R"({"lines":[{"station":"201","name":"Ann","apps":0,
      "calls":[{"call":3,"state":"CONNECTED"}]},{"station":"202","name":"Bob","apps":1,"calls":[]}]})")),
            "STATION  NAME  APPS  CALLS\n"
            "201      Ann   0     3 CONNECTED\n"
            "202      Bob   1     -\n");
  inv.command = "park";
  inv.params = Json{{"station", "202"}};
  EXPECT_EQ(formatResult(inv, Json{{"call", 4}, {"orbit", "701"}}), "202: call 4 parked at 701\n");
  EXPECT_EQ(formatEvent(Json::parse(R"({"event":"console","station":"201","call":3,
      "state":"DISCONNECTED","cause":"NORMAL","caller":{"number":"201","name":""},
      "called":{"number":"202","name":""},"reason":"DIRECT"})")),
            "201  call 3  DISCONNECTED (NORMAL)  201 -> 202\n");
  EXPECT_EQ(formatError(Status(Fault::kBadCallState, "station 202 has no offering call")),
            "tapir: BadCallState: station 202 has no offering call\n");
  EXPECT_EQ(formatError(Status(Code::kUnavailable, "cannot reach unix:/x")),
            "tapir: UNAVAILABLE: cannot reach unix:/x\n");
}

}  // namespace
}  // namespace tapir::cli
