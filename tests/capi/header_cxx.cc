// tapi.h as a C++ program sees it: the same names, types, values and exact
// prototypes as in C, checked while compiling. Including the header twice must
// be harmless.
#include <tapi.h>

#include <cstdint>
#include <string_view>
#include <type_traits>

namespace {

// --- Types ---
static_assert(std::is_same_v<DWORD, std::uint32_t>);
static_assert(std::is_same_v<LONG, std::int32_t>);
static_assert(std::is_same_v<DWORD_PTR, std::uintptr_t>);
static_assert(std::is_same_v<BOOL, int>);
static_assert(std::is_same_v<LPSTR, char*>);
static_assert(std::is_same_v<LPCSTR, const char*>);
static_assert(std::is_same_v<HANDLE, void*>);
static_assert(std::is_same_v<HINSTANCE, void*>);
static_assert(std::is_same_v<HLINEAPP, DWORD> && std::is_same_v<HLINE, DWORD>);
static_assert(std::is_same_v<HCALL, DWORD> && std::is_same_v<HCALLHUB, DWORD>);
static_assert(std::is_same_v<LPHCALL, DWORD*>);
static_assert(std::is_same_v<LINECALLBACK,
                             void (*)(DWORD, DWORD, DWORD_PTR, DWORD_PTR, DWORD_PTR, DWORD_PTR)>);

// --- Constants: the TAPI value, and an int or unsigned int (32 bits) ---
#define TAPIR_CONSTANT(name, value)                                      \
  static_assert((name) == (value), #name);                               \
  static_assert(std::is_same_v<decltype(name), decltype(value)>, #name); \
  static_assert(sizeof(name) == 4, #name);
#include "tapi_constants.inc"
#undef TAPIR_CONSTANT

// --- Prototypes: exactly the TAPI ones; each ANSI name is a macro for its function ---
#define TAPIR_FUNCTION(name, params) \
  static_assert(std::is_same_v<decltype(name), LONG params>, #name);
#define TAPIR_STRING(x) #x
#define TAPIR_EXPANDED(x) TAPIR_STRING(x)
#define TAPIR_ANSI_NAME(ansi, name) \
  static_assert(std::string_view(TAPIR_EXPANDED(ansi)) == #name, #ansi);
#include "tapi_functions.inc"
#undef TAPIR_FUNCTION
#undef TAPIR_ANSI_NAME

// --- Structures: plain data the library may copy byte for byte ---
#define TAPIR_P sizeof(void*)
#define TAPIR_SIZE(type, bytes) \
  static_assert(std::is_standard_layout_v<type> && std::is_trivially_copyable_v<type>, #type);
#define TAPIR_OFFSET(type, member, bytes)
#include "tapi_layouts.inc"
#undef TAPIR_SIZE
#undef TAPIR_OFFSET
#undef TAPIR_P

}  // namespace
