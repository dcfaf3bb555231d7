#pragma once
// Reading a whole small text file (settings, plans, models, tables, manifests)
// with one set of errors, each naming the file.

#include <filesystem>
#include <string>

namespace harmonia {

/// The bytes of `path`. `what` names the expected content in the errors
/// ("feature settings file", "CSV table"). Throws InputError naming the file:
/// "no such file", "is a folder, not a <what>", "is not a regular file
/// (expected a <what>)", "cannot open the <what>", "cannot read the <what>",
/// "file is empty (expected a <what>)".
std::string readTextFile(const std::filesystem::path& path, const std::string& what);

}  // namespace harmonia
