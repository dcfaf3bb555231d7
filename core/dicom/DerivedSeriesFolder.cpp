#include "core/dicom/DerivedSeriesFolder.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <string>

#include "core/util/AsciiCase.h"
#include "core/util/Error.h"

namespace harmonia {

namespace fs = std::filesystem;

namespace {

// True when `inner` is `outer` or lies inside it.
bool within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

bool looksLikeDicom(const fs::path& file) {
  if (asciiLower(file.extension().string()) == ".dcm") return true;
  std::ifstream in(file, std::ios::binary);
  char magic[132] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == 132 && std::string(magic + 128, 4) == "DICM";
}

std::optional<fs::path> firstDicomFileIn(const fs::path& folder) {
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw InputError(folder, "cannot list the output folder: " + ec.message());
  for (const auto end = fs::recursive_directory_iterator(); it != end; it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec) && looksLikeDicom(it->path())) return it->path();
  }
  return std::nullopt;
}

}  // namespace

fs::path normalisedOutputFolder(const fs::path& p) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(fs::absolute(p, ec), ec);
  if (ec) out = fs::absolute(p).lexically_normal();
  if (out.filename().empty() && out.has_parent_path()) out = out.parent_path();
  return out;
}

void checkOutputFolder(const fs::path& requested, const fs::path& out, const SeriesInfo& source) {
  if (requested.empty()) throw InputError("no output folder given for the DICOM series");
  std::set<fs::path> parents;
  for (const DicomSlice& s : source.slices) {
    const fs::path parent = s.header->file.parent_path();
    parents.insert(parent.empty() ? fs::path(".") : parent);
  }
  std::set<fs::path> sourceFolders;
  for (const fs::path& p : parents) sourceFolders.insert(normalisedOutputFolder(p));
  for (const fs::path& folder : sourceFolders) {
    if (out == folder) {
      throw InputError(requested,
                       "is the source series' folder: a derived series is written beside its "
                       "source, never into it; choose a new folder");
    }
    if (within(out, folder)) {
      throw InputError(requested, "lies inside the source series' folder '" + folder.string() +
                                      "': a later scan of that folder would mix both series; "
                                      "choose a folder outside it");
    }
    if (within(folder, out)) {
      throw InputError(
          requested, "holds the source series (in '" + folder.string() + "'); choose a new folder");
    }
  }
  std::error_code ec;
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) {
      throw InputError(requested, "exists and is not a folder");
    }
    if (const auto dicom = firstDicomFileIn(out)) {
      throw InputError(requested, "already holds DICOM files (" +
                                      dicom->lexically_relative(out).string() +
                                      "); choose a new folder for the derived series");
    }
  }
}

SeriesStaging::SeriesStaging(const fs::path& out) : out_(out) {
  static std::atomic<unsigned> counter{0};
  const std::string tag =
      ".harmonia-tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  std::error_code ec;
  existed_ = fs::is_directory(out_, ec);
  if (existed_) {
    dir_ = out_ / tag;
  } else {
    const fs::path parent = out_.parent_path();
    fs::create_directories(parent, ec);
    if (ec) throw InputError(parent, "cannot create the folder: " + ec.message());
    // Appended, not `"." + name + tag`: GCC 12 at -O3 warns falsely
    // (-Wrestrict) on that operator+ inlined here (GCC bug 105329).
    std::string hidden = ".";
    hidden += out_.filename().string();
    hidden += tag;
    dir_ = parent / hidden;
  }
  if (!fs::create_directory(dir_, ec) || ec) {
    throw InputError(dir_.parent_path(),
                     "cannot write the DICOM series here: " +
                         (ec ? ec.message() : std::string("a temporary folder is in the way")));
  }
}

SeriesStaging::~SeriesStaging() {
  if (published_) return;
  std::error_code ec;
  fs::remove_all(dir_, ec);
  for (const fs::path& f : moved_) fs::remove(f, ec);
}

void SeriesStaging::publish(const std::vector<std::string>& names) {
  std::error_code ec;
  if (!existed_) {
    fs::rename(dir_, out_, ec);
    if (ec) throw InputError(out_, "cannot move the finished series into place: " + ec.message());
  } else {
    for (const std::string& name : names) {
      fs::rename(dir_ / name, out_ / name, ec);
      if (ec) throw InputError(out_ / name, "cannot move into place: " + ec.message());
      moved_.push_back(out_ / name);
    }
    fs::remove(dir_, ec);
  }
  published_ = true;
}

}  // namespace harmonia
