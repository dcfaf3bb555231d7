#include "core/io/AtomicFile.h"

#include <unistd.h>

#include <atomic>
#include <string>
#include <system_error>

#include "core/util/Error.h"

namespace harmonia {
namespace {

std::string fullExtension(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  if (name.size() > 7 && name.ends_with(".nii.gz")) return ".nii.gz";
  return path.extension().string();
}

}  // namespace

void writeAtomically(const std::filesystem::path& destination,
                     const std::function<void(const std::filesystem::path& tmp)>& write) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path folder = destination.has_parent_path() ? destination.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) {
    throw InputError(destination, "cannot write: folder '" + folder.string() + "' does not exist");
  }
  if (fs::is_directory(destination, ec)) {
    throw InputError(destination, "cannot write: a folder has that name");
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    throw InputError(destination, "cannot write: folder '" + folder.string() + "' is not writable");
  }
  static std::atomic<unsigned> counter{0};
  const std::string ext = fullExtension(destination);
  std::string stem = destination.filename().string();
  stem.resize(stem.size() - ext.size());
  const fs::path tmp = folder / ("." + stem + ".harmonia-tmp-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(counter++) + ext);
  try {
    write(tmp);
    if (!fs::exists(tmp, ec)) throw InputError(destination, "cannot write: nothing was written");
    fs::rename(tmp, destination);
  } catch (const fs::filesystem_error& e) {
    fs::remove(tmp, ec);
    throw InputError(destination, std::string("cannot write: ") + e.code().message());
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
}

}  // namespace harmonia
