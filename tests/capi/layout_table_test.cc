// Structure sizes and member offsets against the TAPI member lists
// (tapi_layouts.inc), at the TAPI_CURRENT_VERSION this binary is built with,
// and the C compiler's view (header_c99.c) against the C++ compiler's.
#include <tapi.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

// Defined in header_c99.c, in tapi_layouts.inc order.
extern const unsigned long tapir_c99_layout[];
extern const unsigned long tapir_c99_layout_count;

namespace {

struct LayoutFact {
  std::string what;      // "LINECALLINFO" or "LINECALLINFO.dwCallID"
  std::size_t actual;    // sizeof / offsetof in this C++ build
  std::size_t expected;  // from the member lists
};

const std::vector<LayoutFact>& layoutFacts() {
#define TAPIR_P sizeof(void*)
#define TAPIR_SIZE(type, bytes) {#type, sizeof(type), (bytes)},
#define TAPIR_OFFSET(type, member, bytes) {#type "." #member, offsetof(type, member), (bytes)},
  static const std::vector<LayoutFact> facts = {
#include "tapi_layouts.inc"
  };
#undef TAPIR_SIZE
#undef TAPIR_OFFSET
#undef TAPIR_P
  return facts;
}

TEST(TapiLayout, MatchesTheMemberLists) {
  SCOPED_TRACE(testing::Message() << "TAPI_CURRENT_VERSION 0x" << std::hex << TAPI_CURRENT_VERSION);
  EXPECT_GE(layoutFacts().size(), 100u);
  for (const LayoutFact& f : layoutFacts())
    EXPECT_EQ(f.actual, f.expected) << f.what;
}

// An application built by the C compiler and the library built by the C++
// compiler must see the same bytes.
TEST(TapiLayout, CAndCxxAgree) {
  ASSERT_EQ(tapir_c99_layout_count, layoutFacts().size());
  for (std::size_t i = 0; i < layoutFacts().size(); ++i) {
    EXPECT_EQ(tapir_c99_layout[i], layoutFacts()[i].actual) << layoutFacts()[i].what;
  }
}

}  // namespace
