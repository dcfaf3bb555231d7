#pragma once
// Reading a whole file (settings, plans, models, tables, manifests; 2-D
// images for their decoder) with one set of errors, each naming the file, and
// the check every reader of a user's file makes before it opens it.

#include <filesystem>
#include <string>
#include <vector>

namespace harmonia {

/// Throws InputError naming the file unless `path` is a regular file: "no
/// such file", "is a folder, not a <what>", "is not a regular file (expected
/// a <what>)". Readers call it before they open the file: opening a FIFO (or
/// a device) blocks until something writes to it, which may be never.
void requireRegularFile(const std::filesystem::path& path, const std::string& what);

/// The bytes of `path`. `what` names the expected content in the errors
/// ("feature settings file", "CSV table"). Throws InputError naming the file:
/// "no such file", "is a folder, not a <what>", "is not a regular file
/// (expected a <what>)", "cannot open the <what>", "cannot read the <what>",
/// "file is empty (expected a <what>)".
std::string readTextFile(const std::filesystem::path& path, const std::string& what);

/// The bytes of `path` for a decoder (2-D images), with readTextFile's errors.
std::vector<unsigned char> readFileBytes(const std::filesystem::path& path,
                                         const std::string& what);

}  // namespace harmonia
