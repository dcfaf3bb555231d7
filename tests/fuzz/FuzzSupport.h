#pragma once
// Shared by the libFuzzer targets (fuzz_*.cpp): a scratch file for parsers
// that take a path, and the rule every target checks: a parser either
// succeeds or throws InputError. Any other exception escapes
// LLVMFuzzerTestOneInput, and libFuzzer reports it as a crash; sanitizer
// reports (ASan, UBSan) end the run as well.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/util/Error.h"

namespace harmonia::fuzz {

/// The fuzz input as text.
inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Writes `bytes` to a file named `name` in this process's scratch folder
/// (created once under the system's temporary folder, removed at exit) and
/// returns its path. The file is overwritten by the next call with the same name.
std::filesystem::path scratchFile(const std::string& name, std::string_view bytes);

/// Runs `parse()`; an InputError (bad input, reported cleanly) is the expected
/// outcome for most inputs and is swallowed.
template <class Parse>
void expectCleanResult(Parse&& parse) {
  try {
    parse();
  } catch (const InputError&) {
  }
}

}  // namespace harmonia::fuzz
