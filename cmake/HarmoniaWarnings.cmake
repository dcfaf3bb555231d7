# Compiler warnings and optimisation flags shared by every Harmonia target.
add_library(harmonia_options INTERFACE)
target_compile_options(harmonia_options INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${HARMONIA_WERROR}>:-Werror>
  $<$<CONFIG:Release>:-O3 ${HARMONIA_ARCH_FLAGS}>
  $<$<CONFIG:RelWithDebInfo>:${HARMONIA_ARCH_FLAGS}>)
