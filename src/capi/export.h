// Force-included into the C library's sources (see src/CMakeLists.txt): the
// library is built with hidden visibility, and WINAPI marks what it exports.
#pragma once

#define WINAPI __attribute__((visibility("default")))
