#include "core/io/TextFile.h"

#include <fstream>
#include <sstream>
#include <string_view>

#include "core/util/Error.h"

namespace harmonia {

namespace {

std::string withArticle(const std::string& what) {
  const bool vowel =
      !what.empty() && std::string_view("aeiou").find(what.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + what;
}

}  // namespace

void requireRegularFile(const std::filesystem::path& path, const std::string& what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    throw InputError(path, "no such file");
  }
  if (status.type() == std::filesystem::file_type::directory) {
    throw InputError(path, "is a folder, not " + withArticle(what));
  }
  if (!ec && status.type() != std::filesystem::file_type::regular) {
    throw InputError(path, "is not a regular file (expected " + withArticle(what) + ")");
  }
}

std::string readTextFile(const std::filesystem::path& path, const std::string& what) {
  requireRegularFile(path, what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the " + what);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path, "cannot read the " + what);
  std::string bytes = std::move(text).str();
  if (bytes.empty()) throw InputError(path, "file is empty (expected " + withArticle(what) + ")");
  return bytes;
}

}  // namespace harmonia
