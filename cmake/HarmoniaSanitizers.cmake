# Sanitizer and fuzzing builds (presets asan and tsan; see tests/fuzz/README.md).
#
# HARMONIA_SANITIZE=address  AddressSanitizer + UndefinedBehaviorSanitizer, no
#                            recovery: the first report ends the program.
# HARMONIA_SANITIZE=thread   ThreadSanitizer.
# HARMONIA_FUZZ=ON           (clang, with address) also instruments every target
#                            for libFuzzer's coverage (-fsanitize=fuzzer-no-link)
#                            and builds the fuzz targets in tests/fuzz, so that
#                            one compile of core serves both the sanitized tests
#                            and the fuzzers.
set(HARMONIA_SANITIZE "" CACHE STRING "Sanitizers for every target: '', address or thread")
set_property(CACHE HARMONIA_SANITIZE PROPERTY STRINGS "" address thread)
option(HARMONIA_FUZZ "Build the libFuzzer targets in tests/fuzz (clang, HARMONIA_SANITIZE=address)" OFF)

if(HARMONIA_SANITIZE STREQUAL "address")
  set(_harmonia_sanitizers -fsanitize=address,undefined)
  # Sanitizers report and stop; -fno-sanitize-recover makes UBSan stop too.
  add_compile_options(${_harmonia_sanitizers} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(${_harmonia_sanitizers})
elseif(HARMONIA_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  # oneTBB's headers then report each task hand-off to the ITT API, which
  # tests/sanitizers/tsan_tbb_bridge.cpp turns into TSan annotations.
  add_compile_definitions(TBB_USE_PROFILING_TOOLS=2)
elseif(NOT HARMONIA_SANITIZE STREQUAL "")
  message(FATAL_ERROR "HARMONIA_SANITIZE must be empty, 'address' or 'thread'")
endif()

if(HARMONIA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT HARMONIA_SANITIZE STREQUAL "address")
    message(FATAL_ERROR "HARMONIA_FUZZ needs clang (CMAKE_CXX_COMPILER=clang++) and "
                        "HARMONIA_SANITIZE=address: use the asan preset")
  endif()
  # Coverage instrumentation only; the libFuzzer driver is linked into the
  # fuzz targets alone (-fsanitize=fuzzer there), the test programs keep gtest's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
