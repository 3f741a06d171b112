/* tapi.h as a C99 program sees it (built with -std=c99 -pedantic -Werror).
 *
 * Everything here is checked while compiling: every constant's value and
 * size, every structure's size and member offsets, every function's exact
 * prototype and ANSI name. A failed check is a compile error ("size of array
 * 'tapir_c99_check' is negative", or an incompatible-pointer error for a
 * prototype). What the C compiler made of the layouts is also exported, for
 * layout_table_test.cc to compare with the C++ compiler's view. */
#include <tapi.h>

#include <stddef.h>

/* A compile-time check C99 accepts any number of times: every passing check
 * redeclares the same one-element array. */
#define TAPIR_C_CHECK(cond) extern char tapir_c99_check[(cond) ? 1 : -1]

/* --- Constants: value, and 32 bits wide (no `long` leaks into LP64) --- */
#define TAPIR_CONSTANT(name, value) \
  TAPIR_C_CHECK((name) == (value)); \
  TAPIR_C_CHECK(sizeof(name) == 4);
#include "tapi_constants.inc"
#undef TAPIR_CONSTANT

#if TAPI_CURRENT_VERSION >= 0x00030000
TAPIR_C_CHECK(LAST_LINEMEDIAMODE == LINEMEDIAMODE_VIDEO);
#else
TAPIR_C_CHECK(LAST_LINEMEDIAMODE == LINEMEDIAMODE_VOICEVIEW);
#endif

/* --- Types --- */
TAPIR_C_CHECK(sizeof(DWORD) == 4 && (DWORD)-1 > 0);
TAPIR_C_CHECK(sizeof(LONG) == 4 && (LONG)-1 < 0);
TAPIR_C_CHECK(sizeof(DWORD_PTR) == sizeof(void*) && (DWORD_PTR)-1 > 0);
TAPIR_C_CHECK(sizeof(HLINEAPP) == 4 && sizeof(HLINE) == 4);
TAPIR_C_CHECK(sizeof(HCALL) == 4 && sizeof(HCALLHUB) == 4);
TAPIR_C_CHECK(sizeof(BOOL) == 4 && sizeof(WORD) == 2 && sizeof(BYTE) == 1);

/* --- Layouts --- */
#define TAPIR_P sizeof(void*)
#define TAPIR_SIZE(type, bytes) TAPIR_C_CHECK(sizeof(type) == (bytes));
#define TAPIR_OFFSET(type, member, bytes) TAPIR_C_CHECK(offsetof(type, member) == (bytes));
#include "tapi_layouts.inc"
#undef TAPIR_SIZE
#undef TAPIR_OFFSET

/* --- Prototypes: assigning the function to a pointer of the TAPI type is a
 * constraint violation unless the types match exactly; comparing an ANSI name
 * with its function is one unless both have the same type. Inside sizeof
 * nothing is evaluated, so nothing needs to be linked. --- */
#define TAPIR_FUNCTION(name, params) \
  TAPIR_C_CHECK(sizeof(*(LONG(WINAPI**) params)0 = name) == sizeof(void (*)(void)));
#define TAPIR_ANSI_NAME(ansi, name) TAPIR_C_CHECK(sizeof(&(ansi) == &(name)) == sizeof(int));
#include "tapi_functions.inc"
#undef TAPIR_FUNCTION
#undef TAPIR_ANSI_NAME

/* A callback written the TAPI way converts to LINECALLBACK. */
static void CALLBACK sampleCallback(DWORD hDevice, DWORD dwMessage, DWORD_PTR dwInstance,
                                    DWORD_PTR dwParam1, DWORD_PTR dwParam2, DWORD_PTR dwParam3) {
  (void)hDevice;
  (void)dwMessage;
  (void)dwInstance;
  (void)dwParam1;
  (void)dwParam2;
  (void)dwParam3;
}
const LINECALLBACK tapir_c99_callback = sampleCallback;

/* What this compiler made of the layouts, in tapi_layouts.inc order. */
#define TAPIR_SIZE(type, bytes) sizeof(type),
#define TAPIR_OFFSET(type, member, bytes) offsetof(type, member),
const unsigned long tapir_c99_layout[] = {
#include "tapi_layouts.inc"
};
#undef TAPIR_SIZE
#undef TAPIR_OFFSET
const unsigned long tapir_c99_layout_count = sizeof tapir_c99_layout / sizeof tapir_c99_layout[0];
