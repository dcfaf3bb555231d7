// harmonia-cli features --manifest cohort.csv (--config FILE | --ibsi NAME)
// -o features.csv [--jobs N] [--strict]: the features of a cohort.
//
// The manifest is a CSV with a header row and one scan per row: column
// `image` (a NIfTI file, or a DICOM folder, which may also hold the series'
// RTSTRUCT), column `mask` (a NIfTI mask, or an RTSTRUCT file) and/or `roi`
// (an RTSTRUCT ROI name), optional `series` (a series UID in the DICOM
// folder); relative paths are relative to the manifest's folder. Every
// manifest column is copied to the output as written, then for DICOM inputs
// manufacturer, model, kernel, slice_thickness_mm and pixel_spacing_mm
// (unless the manifest already has a column of that name), then one column
// per feature tag (FeatureTable.h: undefined features are empty cells).
//
// A scan that fails is reported on stderr and left out; the exit status is 0
// when at least one scan succeeded, 1 when all failed (no output written).
// With --strict the first failure stops the run with status 1 and writes
// nothing.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

#include "app/cli/Cli.h"
#include "app/cli/FeatureInputs.h"
#include "app/cli/Json.h"
#include "core/features/FeatureTable.h"
#include "core/io/TextFile.h"
#include "core/util/Error.h"

namespace harmonia::cli {

FeatureManifest readFeatureManifest(const std::filesystem::path& path) {
  const std::string text = readTextFile(path, "feature manifest (CSV)");
  auto table = parseCsv(text, path.string());
  if (table.empty()) {
    throw InputError(path, "the manifest is empty (expected a header row)");
  }
  FeatureManifest m;
  m.columns = table.front();
  for (std::size_t c = 0; c < m.columns.size(); ++c) {
    std::string& name = m.columns[c];
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    const int index = static_cast<int>(c);
    for (auto [key, slot] : {std::pair{"image", &m.image}, std::pair{"mask", &m.mask},
                             std::pair{"roi", &m.roi}, std::pair{"series", &m.series}}) {
      if (name == key) {
        if (*slot >= 0) {
          throw InputError(path, std::string("two columns named '") + key + "'");
        }
        *slot = index;
      }
    }
  }
  if (m.image < 0) {
    throw InputError(
        path, "the manifest has no 'image' column (header: " + [&] {
          std::string h;
          for (const auto& c : m.columns) {
            h += (h.empty() ? "" : ",") + c;
          }
          return h;
        }() + ")");
  }
  if (m.mask < 0 && m.roi < 0) {
    throw InputError(path,
                     "the manifest needs a 'mask' column (NIfTI masks or RTSTRUCT files) "
                     "or a 'roi' column (RTSTRUCT ROI names)");
  }
  m.rows.assign(table.begin() + 1, table.end());
  if (m.rows.empty()) {
    throw InputError(path, "the manifest lists no scan (only a header row)");
  }
  return m;
}

namespace {

std::string cell(const std::vector<std::string>& row, int column) {
  if (column < 0 || static_cast<std::size_t>(column) >= row.size()) {
    return "";
  }
  std::string s = row[static_cast<std::size_t>(column)];
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  return s;
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& text) {
  if (text.empty()) {
    return {};
  }
  const std::filesystem::path p(text);
  return p.is_absolute() ? p : base / p;
}

// A label for progress lines: the first copied column that is not a path or
// a ROI name (an id, a patient...), else the image cell.
std::string labelOf(const FeatureManifest& m, const std::vector<std::string>& row) {
  for (int c = 0; c < static_cast<int>(m.columns.size()); ++c) {
    if (c == m.image || c == m.mask || c == m.roi || c == m.series) {
      continue;
    }
    if (!cell(row, c).empty()) {
      return cell(row, c);
    }
  }
  return cell(row, m.image);
}

// A Progress that cancels when the run is stopped (--strict after a failure).
class StopProgress final : public Progress {
 public:
  explicit StopProgress(const std::atomic<bool>& stop) : stop_(stop) {}
  void report(double) override {}
  [[nodiscard]] bool cancelRequested() const override { return stop_.load(); }

 private:
  const std::atomic<bool>& stop_;
};

}  // namespace

int runFeatureManifest(const Arguments& args, Streams io) {
  const std::string usage =
      "harmonia-cli features --manifest cohort.csv (--config FILE | --ibsi NAME) -o "
      "features.csv [--jobs N] [--strict]";
  args.expectPositionals(0, usage);
  for (const char* option : {"--mask", "--roi", "--series", "--csv"}) {
    if (args.has(option)) {
      throw UsageError{std::string(option) +
                       " applies to one image; with --manifest give it in the manifest's "
                       "columns\nusage: " +
                       usage};
    }
  }
  const std::filesystem::path out = args.value("-o");
  if (out.empty()) {
    throw UsageError{"--manifest needs -o OUT.csv\nusage: " + usage};
  }
  int jobs = 1;
  if (args.has("--jobs")) {
    const std::string text = args.value("--jobs");
    try {
      std::size_t used = 0;
      jobs = std::stoi(text, &used);
      if (used != text.size()) {
        jobs = 0;
      }
    } catch (const std::exception&) {
      jobs = 0;
    }
    if (jobs < 1) {
      throw UsageError{"--jobs expects a positive whole number, got '" + text + "'"};
    }
  }
  const bool strict = args.flag("--strict");
  const features::FeatureSettings settings = featureSettingsFrom(args);
  const std::filesystem::path manifestPath = args.value("--manifest");
  const FeatureManifest m = readFeatureManifest(manifestPath);
  const std::filesystem::path base = manifestPath.parent_path();
  const std::size_t total = m.rows.size();
  jobs = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(jobs), total));

  std::vector<std::optional<features::CohortRow>> results(total);
  std::vector<std::string> errors(total);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> started{0};
  std::mutex errMutex;
  auto worker = [&] {
    StopProgress progress(stop);
    for (;;) {
      const std::size_t r = next.fetch_add(1);
      if (r >= total || stop.load()) {
        return;
      }
      const std::vector<std::string>& row = m.rows[r];
      const std::string label = labelOf(m, row);
      {
        std::lock_guard lock(errMutex);
        io.err << "[" << ++started << "/" << total << "] " << label << " ...\n" << std::flush;
      }
      const auto t0 = std::chrono::steady_clock::now();
      try {
        if (row.size() > m.columns.size()) {
          throw InputError(manifestPath, "row " + std::to_string(r + 2) + " has " +
                                             std::to_string(row.size()) + " cells, the header " +
                                             std::to_string(m.columns.size()));
        }
        const std::string imageCell = cell(row, m.image);
        if (imageCell.empty()) {
          throw InputError(manifestPath, "row " + std::to_string(r + 2) + " has no image");
        }
        const std::filesystem::path image = resolve(base, imageCell);
        const std::string maskCell = cell(row, m.mask), roiCell = cell(row, m.roi);
        if (maskCell.empty() && roiCell.empty()) {
          throw InputError(manifestPath,
                           "row " + std::to_string(r + 2) + " has neither a mask nor a roi");
        }
        const FeatureInput input =
            loadFeatureInput(image, cell(row, m.series), resolve(base, maskCell), roiCell);
        features::CohortRow out;
        out.features = extractNamingFile(input, settings, image, progress);
        for (std::size_t c = 0; c < m.columns.size(); ++c) {
          out.leading.emplace_back(m.columns[c], c < row.size() ? row[c] : std::string());
        }
        for (const auto& [name, value] : input.dicom_columns) {
          if (std::find(m.columns.begin(), m.columns.end(), name) == m.columns.end()) {
            out.leading.emplace_back(name, value);
          }
        }
        results[r] = std::move(out);
        std::lock_guard lock(errMutex);
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f",
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        io.err << "  " << label << ": " << results[r]->features.size() << " features in " << seconds
               << " s\n"
               << std::flush;
      } catch (const Cancelled&) {
        return;
      } catch (const std::exception& e) {
        errors[r] = e.what();
        if (strict) {
          stop.store(true);
        }
        std::lock_guard lock(errMutex);
        io.err << "  " << label << " failed: " << e.what()
               << (strict ? " (--strict: stopping)\n" : " (skipped)\n") << std::flush;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs; ++t) {
    threads.emplace_back(worker);
  }
  worker();
  for (std::thread& t : threads) {
    t.join();
  }

  std::vector<features::CohortRow> done;
  std::vector<std::size_t> failed;
  for (std::size_t r = 0; r < total; ++r) {
    if (results[r]) {
      done.push_back(std::move(*results[r]));
    }
    if (!errors[r].empty()) {
      failed.push_back(r);
    }
  }
  if (strict && !failed.empty()) {
    io.err << "harmonia-cli features: --strict: " << failed.size()
           << " scan(s) failed; nothing written\n";
    return kBadInput;
  }
  if (done.empty()) {
    io.err << "harmonia-cli features: every scan of " << manifestPath.string()
           << " failed; nothing written\n";
    return kBadInput;
  }
  const std::string csv = features::cohortCsv(done);
  writeTextAtomically(out, csv);
  const auto columns =
      std::count(csv.begin(), csv.begin() + static_cast<long>(csv.find('\n')), ',') + 1;
  if (args.flag("--json")) {
    Json::Array failures;
    for (std::size_t r : failed) {
      Json f = Json::object();
      f.set("row", static_cast<std::uint64_t>(r + 2)).set("image", cell(m.rows[r], m.image));
      f.set("error", errors[r]);
      failures.push_back(f);
    }
    Json j = Json::object();
    j.set("manifest", manifestPath.string()).set("output", out.string());
    j.set("settings", settings.name).set("scans", static_cast<std::uint64_t>(total));
    j.set("written", static_cast<std::uint64_t>(done.size())).set("failed", failures);
    io.out << j.dump() << "\n";
  } else {
    io.out << "wrote " << done.size() << " of " << total << " scans to " << out.string() << " ("
           << columns << " columns)";
    if (!failed.empty()) {
      io.out << "; " << failed.size() << " failed (see above)";
    }
    io.out << "\n";
  }
  return kSuccess;
}

}  // namespace harmonia::cli
