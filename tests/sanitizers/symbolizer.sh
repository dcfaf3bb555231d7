# Sourced by the sanitizer and fuzz scripts. The suppressions in lsan.supp and
# tsan.supp name functions, and a sanitizer can only match those names when it
# can symbolize the stack: without llvm-symbolizer (Debian package llvm-14,
# which clang only recommends) a suppressed third-party leak is reported as a
# failure. Find it, export it for the runtimes, or stop with a clear message.
harmonia_find_symbolizer() {
  local s
  for s in "${ASAN_SYMBOLIZER_PATH:-}" "$(command -v llvm-symbolizer || true)" \
    /usr/lib/llvm-14/bin/llvm-symbolizer /usr/bin/llvm-symbolizer-14; do
    if [[ -n $s && -x $s ]]; then
      export ASAN_SYMBOLIZER_PATH=$s TSAN_SYMBOLIZER_PATH=$s
      return 0
    fi
  done
  echo "error: llvm-symbolizer not found (install the Debian package llvm-14);" \
    "sanitizer suppressions need symbolized stacks" >&2
  return 1
}
harmonia_find_symbolizer
