#pragma once
// Atomic file replacement: write to a temporary file beside the destination,
// then rename it over the destination. A failed or interrupted write leaves
// the destination untouched and removes the temporary file.

#include <filesystem>
#include <functional>

namespace harmonia {

/// Calls `write(tmp)` with a fresh temporary path in the destination's folder
/// that ends with the destination's extension(s) (so format detection by
/// extension works), then renames it to `destination`. Throws InputError
/// naming `destination` when the folder is not writable or the write fails;
/// exceptions from `write` propagate after the temporary file is removed.
void writeAtomically(const std::filesystem::path& destination,
                     const std::function<void(const std::filesystem::path& tmp)>& write);

}  // namespace harmonia
