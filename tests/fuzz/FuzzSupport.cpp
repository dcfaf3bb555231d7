#include "FuzzSupport.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <system_error>

namespace harmonia::fuzz {
namespace {

namespace fs = std::filesystem;

// The scratch folder, removed when the fuzzer exits normally.
struct ScratchFolder {
  fs::path path;
  ScratchFolder() {
    path = fs::temp_directory_path() / ("harmonia-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(path);
  }
  ~ScratchFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

std::filesystem::path scratchFile(const std::string& name, std::string_view bytes) {
  static const ScratchFolder folder;
  const fs::path file = folder.path / name;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    // Not the parser's fault: stop the fuzzer loudly rather than fuzz nothing.
    std::abort();
  }
  return file;
}

}  // namespace harmonia::fuzz
