#include "core/io/TextFile.h"

#include <fstream>
#include <sstream>

#include "core/util/Error.h"

namespace harmonia {

std::string readTextFile(const std::filesystem::path& path, const std::string& what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    throw InputError(path, "no such file");
  }
  if (status.type() == std::filesystem::file_type::directory) {
    throw InputError(path, "is a folder, not a " + what);
  }
  if (!ec && status.type() != std::filesystem::file_type::regular) {
    throw InputError(path, "is not a regular file (expected a " + what + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the " + what);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path, "cannot read the " + what);
  std::string bytes = std::move(text).str();
  if (bytes.empty()) throw InputError(path, "file is empty (expected a " + what + ")");
  return bytes;
}

}  // namespace harmonia
