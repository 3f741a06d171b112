/* Must not compile: a port whose DWORD is Linux `unsigned long` (64 bits)
 * would silently get wrong structure layouts. tapi.h stops it with
 * tapir_check_dword_is_32_bits. Compiled by the capi_rejects_64_bit_dword
 * test, which expects that error. */
#include <stdint.h>

typedef unsigned char BYTE;
typedef unsigned short WORD;
typedef unsigned long DWORD; /* the mistake */
typedef int LONG;
typedef int BOOL;
typedef uintptr_t DWORD_PTR;
typedef char CHAR;
typedef char* LPSTR;
typedef const char* LPCSTR;
typedef void* LPVOID;
typedef DWORD* LPDWORD;
typedef void* HANDLE;
typedef void* HINSTANCE;
typedef struct _SYSTEMTIME {
  WORD wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond, wMilliseconds;
} SYSTEMTIME;
#define TAPIR_WINTYPES_DEFINED

#include <tapi.h>
