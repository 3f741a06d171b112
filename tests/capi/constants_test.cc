// The constants of tapi.h: TAPI's values, and no name left unchecked.
#include <tapi.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Constant {
  const char* name;
  std::int64_t value;     // as defined by tapi.h
  std::int64_t expected;  // TAPI's value
};

const std::vector<Constant>& allConstants() {
  static const std::vector<Constant> constants = {
#define TAPIR_CONSTANT(name, value) {#name, (name), (value)},
#include "tapi_constants.inc"
#undef TAPIR_CONSTANT
  };
  return constants;
}

std::set<std::string> ansiNames() {
  return {
#define TAPIR_FUNCTION(name, params)
#define TAPIR_ANSI_NAME(ansi, name) #ansi,
#include "tapi_functions.inc"
#undef TAPIR_FUNCTION
#undef TAPIR_ANSI_NAME
  };
}

TEST(TapiConstants, SpotChecks) {
  EXPECT_EQ(LINEERR_INVALCALLSTATE, 0x8000001Cu);
  EXPECT_EQ(LINEERR_OPERATIONUNAVAIL, 0x80000049u);
  EXPECT_EQ(LINEERR_STRUCTURETOOSMALL, 0x8000004Du);
  EXPECT_EQ(LINE_ADDRESSSTATE, 0);
  EXPECT_EQ(LINE_REPLY, 12);
  EXPECT_EQ(LINE_CREATE, 19);
  EXPECT_EQ(LINE_APPNEWCALL, 23);
  EXPECT_EQ(LINE_REMOVE, 25);
  EXPECT_EQ(LINE_CALLHUBCLOSE, 33);
  EXPECT_EQ(LINE_DEVSPECIFICEX, 34);
  EXPECT_EQ(LINECALLSTATE_IDLE, 0x1u);
  EXPECT_EQ(LINECALLSTATE_CONNECTED, 0x100u);
  EXPECT_EQ(LINECALLSTATE_UNKNOWN, 0x8000u);
  EXPECT_EQ(LINECALLPRIVILEGE_OWNER, 0x4u);
  EXPECT_EQ(LINEMEDIAMODE_INTERACTIVEVOICE, 0x4u);
  EXPECT_EQ(LINEFORWARDMODE_BUSYNA, 0x1000u);
  EXPECT_EQ(LINEMAPPER, 0xFFFFFFFFu);
  EXPECT_EQ(TAPIERR_REQUESTFAILED, -16);
  EXPECT_EQ(TAPI_CURRENT_VERSION, 0x00020002);
}

TEST(TapiConstants, EachHasItsTapiValue) {
  for (const Constant& c : allConstants())
    EXPECT_EQ(c.value, c.expected) << c.name;
}

// An error code is negative once it is a LONG, as functions return it; a
// request ID (positive) can never be mistaken for one.
TEST(TapiConstants, LineErrorsAreNegativeLongs) {
  int errors = 0;
  for (const Constant& c : allConstants()) {
    if (std::string(c.name).rfind("LINEERR_", 0) != 0) continue;
    ++errors;
    EXPECT_LT(static_cast<LONG>(static_cast<DWORD>(c.value)), 0) << c.name;
  }
  EXPECT_EQ(errors, 95);  // 0x80000001-0x80000061 less 0x04 and 0x31, never assigned
}

// Within each group of bit flags, every constant is one bit of its own.
TEST(TapiConstants, FlagGroupsAreDistinctBits) {
  // Error codes, messages, sizes and a few ordinal groups are not flags.
  const std::set<std::string> notFlags = {"LINE_",
                                          "LINEERR_",
                                          "TAPIERR_",
                                          "INITIALIZE_",
                                          "LAST_",
                                          "STRINGFORMAT_",
                                          "LINECALLTREATMENT_",
                                          "LINEREMOVEFROMCONF_",
                                          "LINECALLHUBTRACKING_",
                                          "LINEINITIALIZEEXOPTION_"};
  std::map<std::string, std::vector<const Constant*>> groups;
  for (const Constant& c : allConstants()) {
    std::string name = c.name;
    auto underscore = name.find('_');
    if (underscore == std::string::npos || name.rfind("TAPIMAX", 0) == 0) continue;
    std::string group = name.substr(0, underscore + 1);
    if (!notFlags.count(group)) groups[group].push_back(&c);
  }
  EXPECT_GE(groups.size(), 50u);
  for (const auto& [group, members] : groups) {
    std::int64_t seen = 0;
    for (const Constant* c : members) {
      auto v = static_cast<std::uint32_t>(c->value);
      EXPECT_TRUE(v != 0 && (v & (v - 1)) == 0) << c->name << " is not a single bit";
      EXPECT_EQ(seen & v, 0) << c->name << " repeats a bit of " << group;
      seen |= v;
    }
  }
}

TEST(TapiConstants, LastMediaModeFollowsTheVersion) {
  // TAPI 2.x ends with VOICEVIEW; VIDEO is TAPI 3.0.
  EXPECT_EQ(LAST_LINEMEDIAMODE, LINEMEDIAMODE_VOICEVIEW);
}

// Whatever tapi.h #defines is either checked above, an ANSI name checked by
// header_cxx.cc, or one of the few configuration macros.
TEST(TapiConstants, TheListCoversEveryNameTheHeaderDefines) {
  std::ifstream header(std::string(TAPIR_SOURCE_DIR) + "/include/tapi.h");
  ASSERT_TRUE(header) << "cannot read include/tapi.h";
  std::set<std::string> defined;
  for (std::string line; std::getline(header, line);) {
    std::istringstream words(line);
    std::string directive, name;
    if (words >> directive >> name && directive == "#define") defined.insert(name);
  }
  EXPECT_GE(defined.size(), 600u);

  std::set<std::string> listed = ansiNames();
  for (const Constant& c : allConstants())
    listed.insert(c.name);
  const std::set<std::string> configuration = {
      "TAPI_H",   "TAPI_CURRENT_VERSION", "TAPIR_WINTYPES_DEFINED", "GUID_DEFINED", "WINAPI",
      "CALLBACK", "LAST_LINEMEDIAMODE"};

  for (const std::string& name : defined) {
    if (configuration.count(name)) continue;
    EXPECT_TRUE(listed.count(name)) << name << " is defined by tapi.h but not checked";
  }
  for (const std::string& name : listed) {
    EXPECT_TRUE(defined.count(name)) << name << " is checked but tapi.h does not define it";
  }
}

}  // namespace
