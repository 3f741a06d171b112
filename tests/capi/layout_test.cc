// The layouts an implementation of tapi.h must respect, in concrete numbers
// for this build (TAPI_CURRENT_VERSION 0x00020002), and the way applications
// use the variable-size structures.
#include <tapi.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

// The fixed parts of the structures a TAPI 2.2 application passes in
// dwTotalSize (sizeof); a smaller dwTotalSize is LINEERR_STRUCTURETOOSMALL.
TEST(TapiLayout, TapiTwoSizes) {
  EXPECT_EQ(sizeof(VARSTRING), 24u);
  EXPECT_EQ(sizeof(LINEDIALPARAMS), 16u);
  EXPECT_EQ(sizeof(LINEDEVCAPS), 268u);  // 2.0: 252, plus PermanentLineGuid in 2.2
  EXPECT_EQ(sizeof(LINEADDRESSCAPS), 228u);
  EXPECT_EQ(sizeof(LINEDEVSTATUS), 88u);
  EXPECT_EQ(sizeof(LINEADDRESSSTATUS), 64u);
  EXPECT_EQ(sizeof(LINECALLPARAMS), 176u);
  EXPECT_EQ(sizeof(LINECALLINFO), 324u);
  EXPECT_EQ(sizeof(LINECALLSTATUS), 56u);
  EXPECT_EQ(sizeof(LINECALLLIST), 24u);
  EXPECT_EQ(sizeof(LINEFORWARD), 24u);  // 32 from TAPI 3.1
  EXPECT_EQ(sizeof(LINEFORWARDLIST), 32u);
  EXPECT_EQ(sizeof(LINETRANSLATEOUTPUT), 40u);
  EXPECT_EQ(sizeof(LINETRANSLATECAPS), 44u);
  EXPECT_EQ(sizeof(LINELOCATIONENTRY), 68u);
  EXPECT_EQ(sizeof(LINECARDENTRY), 44u);
  EXPECT_EQ(sizeof(LINECOUNTRYENTRY), 44u);
  EXPECT_EQ(sizeof(LINEREQMAKECALL), 240u);
}

// The two structures with pointer-sized members. Byte packing matters for
// LINEINITIALIZEEXPARAMS: natural alignment would pad it to 32 bytes on LP64.
TEST(TapiLayout, PointerSizedMembers) {
  if (sizeof(void*) == 8) {
    EXPECT_EQ(sizeof(LINEMESSAGE), 40u);
    EXPECT_EQ(offsetof(LINEMESSAGE, dwCallbackInstance), 8u);
    EXPECT_EQ(offsetof(LINEMESSAGE, dwParam3), 32u);
    EXPECT_EQ(sizeof(LINEINITIALIZEEXPARAMS), 28u);
    EXPECT_EQ(offsetof(LINEINITIALIZEEXPARAMS, dwCompletionKey), 24u);
  } else {
    EXPECT_EQ(sizeof(LINEMESSAGE), 24u);
    EXPECT_EQ(sizeof(LINEINITIALIZEEXPARAMS), 24u);
  }
  EXPECT_EQ(sizeof(LINEMESSAGE::dwParam1), sizeof(void*));
  EXPECT_EQ(sizeof(LINEINITIALIZEEXPARAMS::Handles), sizeof(void*));
  EXPECT_EQ(sizeof(LINEINITIALIZEEXPARAMS::dwCompletionKey), 4u);  // a DWORD, even on LP64
}

// Byte-packed like the Windows header: the structures have alignment 1 and so
// may sit anywhere in a buffer. GUID and SYSTEMTIME keep their own alignment.
TEST(TapiLayout, Packed) {
  EXPECT_EQ(alignof(LINEMESSAGE), 1u);
  EXPECT_EQ(alignof(LINEINITIALIZEEXPARAMS), 1u);
  EXPECT_EQ(alignof(LINECALLPARAMS), 1u);
  EXPECT_EQ(alignof(LINEDEVCAPS), 1u);
  EXPECT_EQ(alignof(LINEFORWARD), 1u);
  EXPECT_EQ(alignof(VARSTRING), 1u);
  EXPECT_EQ(alignof(GUID), 4u);
  EXPECT_EQ(alignof(SYSTEMTIME), 2u);
}

// An application builds LINECALLPARAMS with its strings after the fixed part
// and tells the size in dwTotalSize.
TEST(TapiLayout, VariablePartFollowsTheFixedPart) {
  const char origin[] = "201";
  const char comment[] = "to the front desk";
  std::vector<unsigned char> buffer(sizeof(LINECALLPARAMS) + sizeof origin + sizeof comment);
  auto* params = reinterpret_cast<LPLINECALLPARAMS>(buffer.data());
  params->dwTotalSize = static_cast<DWORD>(buffer.size());
  params->dwMediaMode = LINEMEDIAMODE_INTERACTIVEVOICE;
  params->dwOrigAddressSize = sizeof origin;
  params->dwOrigAddressOffset = sizeof(LINECALLPARAMS);
  std::memcpy(buffer.data() + params->dwOrigAddressOffset, origin, sizeof origin);
  params->dwCommentSize = sizeof comment;
  params->dwCommentOffset = params->dwOrigAddressOffset + params->dwOrigAddressSize;
  std::memcpy(buffer.data() + params->dwCommentOffset, comment, sizeof comment);

  EXPECT_EQ(params->dwOrigAddressOffset, 176u);
  EXPECT_EQ(params->dwCommentOffset, 180u);
  EXPECT_STREQ(reinterpret_cast<const char*>(buffer.data() + 180), comment);
  EXPECT_EQ(params->dwTotalSize, 198u);
}

// LINEFORWARDLIST holds dwNumEntries LINEFORWARD entries back to back.
TEST(TapiLayout, ForwardListEntriesAreBackToBack) {
  std::vector<unsigned char> buffer(sizeof(LINEFORWARDLIST) + sizeof(LINEFORWARD));
  auto* list = reinterpret_cast<LPLINEFORWARDLIST>(buffer.data());
  list->dwTotalSize = static_cast<DWORD>(buffer.size());
  list->dwNumEntries = 2;
  list->ForwardList[0].dwForwardMode = LINEFORWARDMODE_BUSY;
  LINEFORWARD second{};
  second.dwForwardMode = LINEFORWARDMODE_NOANSW;
  std::memcpy(buffer.data() + offsetof(LINEFORWARDLIST, ForwardList) + sizeof(LINEFORWARD), &second,
              sizeof second);

  EXPECT_EQ(buffer.size(), 8u + 2 * 24u);
  DWORD mode = 0;
  std::memcpy(&mode, buffer.data() + 8 + 24, sizeof mode);
  EXPECT_EQ(mode, static_cast<DWORD>(LINEFORWARDMODE_NOANSW));
}

// What C++ code does with the packed members compiles and works: values, not
// references, are taken from them (a DWORD& to a packed member is an error).
TEST(TapiLayout, PackedMembersInCxx) {
  LINEMESSAGE message{};
  message.hDevice = 7;
  message.dwMessageID = LINE_REPLY;
  message.dwParam1 = 42;
  message.dwParam2 = LINEERR_INVALCALLSTATE;
  DWORD_PTR biggest = std::max(message.dwParam1, message.dwParam2);
  EXPECT_EQ(biggest, 0x8000001Cu);
  EXPECT_EQ(static_cast<LONG>(message.dwParam2), static_cast<LONG>(LINEERR_INVALCALLSTATE));
  switch (message.dwMessageID) {
    case LINE_REPLY:
      SUCCEED();
      break;
    default:
      ADD_FAILURE();
  }
}

}  // namespace
