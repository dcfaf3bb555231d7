#include "core/io/TextFile.h"

#include <fstream>
#include <string_view>

#include "core/util/Error.h"

namespace harmonia {

namespace {

std::string withArticle(const std::string& what) {
  const bool vowel =
      !what.empty() && std::string_view("aeiou").find(what.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + what;
}

// One read into a buffer of the file's size.
template <class Bytes>
Bytes readWhole(const std::filesystem::path& path, const std::string& what) {
  requireRegularFile(path, what);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw InputError(path, "cannot open the " + what);
  const std::streamoff size = in.tellg();
  if (size < 0) throw InputError(path, "cannot read the " + what);
  if (size == 0) throw InputError(path, "file is empty (expected " + withArticle(what) + ")");
  Bytes bytes(static_cast<std::size_t>(size), 0);
  if (!in.seekg(0) || !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    throw InputError(path, "cannot read the " + what);
  }
  return bytes;
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
  return readWhole<std::string>(path, what);
}

std::vector<unsigned char> readFileBytes(const std::filesystem::path& path,
                                         const std::string& what) {
  return readWhole<std::vector<unsigned char>>(path, what);
}

}  // namespace harmonia
