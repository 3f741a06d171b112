/* A port that already has its own Windows type definitions (a compatibility
 * layer, another Windows-derived header) defines TAPIR_WINTYPES_DEFINED and
 * GUID_DEFINED, and tapi.h uses its types instead of defining them again. */
#include <stdint.h>

typedef unsigned char BYTE;
typedef unsigned short WORD;
typedef unsigned int DWORD;
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
typedef struct _GUID {
  DWORD Data1;
  WORD Data2, Data3;
  BYTE Data4[8];
} GUID;
#define TAPIR_WINTYPES_DEFINED
#define GUID_DEFINED
#define WINAPI
#define CALLBACK

#include <tapi.h>

#include <stddef.h>

#define TAPIR_C_CHECK(cond) extern char tapir_port_types_check[(cond) ? 1 : -1]

/* With the port's types, the layouts are TAPI's all the same. */
#define TAPIR_P sizeof(void*)
#define TAPIR_SIZE(type, bytes) TAPIR_C_CHECK(sizeof(type) == (bytes));
#define TAPIR_OFFSET(type, member, bytes) TAPIR_C_CHECK(offsetof(type, member) == (bytes));
#include "tapi_layouts.inc"
