# Compiler warnings and optimisation flags shared by every Harmonia target.
add_library(harmonia_options INTERFACE)
target_compile_options(harmonia_options INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${HARMONIA_WERROR}>:-Werror>
  $<$<CONFIG:Release>:-O3 ${HARMONIA_ARCH_FLAGS}>
  $<$<CONFIG:RelWithDebInfo>:${HARMONIA_ARCH_FLAGS}>)
# GCC 12 reports a bogus -Wrestrict (a memcpy of 2^63 bytes) inside libstdc++
# for `"text" + std::string` when it inlines deeply at -O3, as it does in the
# CI presets' unity builds: GCC bug 105651 (Debian 12 has GCC 12.2).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(harmonia_options INTERFACE -Wno-restrict)
endif()
