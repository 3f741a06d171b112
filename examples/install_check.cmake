# Installs the build into a scratch prefix and builds an example against the
# installed library, the way docs/api-c.md tells application writers to:
#
#   cc app.c $(pkg-config --cflags --libs tapir)
#
# with PKG_CONFIG_PATH=PREFIX/lib/pkgconfig. Run by ctest (examples/CMakeLists.txt):
#   cmake -DBUILD_DIR=... -DPREFIX=... -DSOURCE=... -DCC=... -DPKG_CONFIG=... -DRUN=ON|OFF -P install_check.cmake

foreach(var BUILD_DIR PREFIX SOURCE CC PKG_CONFIG)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_check: ${var} not given")
  endif()
endforeach()

file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install_check: cmake --install failed (${rc})")
endif()

foreach(f include/tapi.h include/tapir/sim.h include/tapir/tapir.h bin/tapird bin/tapir)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "install_check: ${PREFIX}/${f} was not installed")
  endif()
endforeach()
file(GLOB pc_files ${PREFIX}/lib*/pkgconfig/tapir.pc ${PREFIX}/lib/*/pkgconfig/tapir.pc)
list(LENGTH pc_files n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "install_check: expected one tapir.pc under ${PREFIX}/lib*, found: ${pc_files}")
endif()
get_filename_component(pc_dir ${pc_files} DIRECTORY)

# Only the installed files: PKG_CONFIG_PATH names the scratch prefix, and
# PKG_CONFIG_LIBDIR keeps the system's own tapir.pc (if any) out of it.
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
set(ENV{PKG_CONFIG_LIBDIR} ${pc_dir})
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs tapir
                RESULT_VARIABLE rc OUTPUT_VARIABLE flags ERROR_VARIABLE err
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install_check: pkg-config --cflags --libs tapir: ${err}")
endif()
message(STATUS "pkg-config --cflags --libs tapir: ${flags}")
string(FIND "${flags}" "-I${PREFIX}/include" at_include)
string(FIND "${flags}" "-L${PREFIX}/lib" at_lib)
if(at_include EQUAL -1 OR at_lib EQUAL -1)
  message(FATAL_ERROR "install_check: tapir.pc does not point into ${PREFIX}: ${flags}")
endif()

separate_arguments(flag_list UNIX_COMMAND "${flags}")
set(app ${PREFIX}/dialer)
execute_process(COMMAND ${CC} -std=c99 -Wall -Wextra -Werror ${SOURCE} -o ${app} ${flag_list}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install_check: compiling against the installed library failed:\n${err}")
endif()

# The C++ API, as docs/api-cpp.md and the README build it.
if(DEFINED CXX_SOURCE)
  execute_process(COMMAND ${CXX} -std=c++20 -Wall -Wextra -Werror ${CXX_SOURCE}
                          -o ${PREFIX}/autodialer ${flag_list}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install_check: compiling ${CXX_SOURCE} against the installed library failed:\n${err}")
  endif()
endif()

if(RUN)
  # The installed library is not on the loader's path: say where it is.
  string(REGEX MATCH "-L([^ ]+)" _ "${flags}")
  set(ENV{LD_LIBRARY_PATH} ${CMAKE_MATCH_1})
  set(ENV{TAPIR_SPEED} 1000)
  set(ENV{TAPIR_CONFIG} "")
  set(ENV{TAPIR_LOCATIONS} ${PREFIX}/locations.toml)
  execute_process(COMMAND ${app} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install_check: the installed dialer failed (${rc}):\n${out}${err}")
  endif()
endif()
message(STATUS "install_check: ok")
