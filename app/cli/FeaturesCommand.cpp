// harmonia-cli features IMAGE (--mask M | --roi NAME) [--series UID]
// (--config FILE | --ibsi NAME) [--csv OUT] [--json]: the IBSI radiomic
// features of one ROI. Without --csv and --json the CSV goes to stdout.
//
// harmonia-cli features --manifest cohort.csv (--config FILE | --ibsi NAME)
// -o features.csv [--jobs N] [--strict]: a cohort, one scan per manifest row
// (see FeatureManifest.cpp).

#include <cmath>
#include <fstream>
#include <iostream>

#include "app/cli/Cli.h"
#include "app/cli/FeatureInputs.h"
#include "app/cli/Json.h"
#include "core/features/Extractor.h"
#include "core/features/FeatureTable.h"
#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace harmonia::cli {

namespace {

constexpr const char* kFeaturesUsage =
    "harmonia-cli features IMAGE (--mask M | --roi NAME) [--series UID] (--config FILE | --ibsi "
    "phantom|A|B|C|D|E) [--csv OUT | --json]\n"
    "       harmonia-cli features --manifest cohort.csv (--config FILE | --ibsi NAME) -o "
    "features.csv [--jobs N] [--strict]";

Json featuresJson(const features::FeatureSet& set) {
  Json::Array list;
  for (const features::Feature& f : set.features()) {
    Json j = Json::object();
    j.set("tag", f.tag).set("family", f.family).set("aggregation", f.aggregation);
    j.set("value", f.defined() ? Json(f.value) : Json(nullptr));
    if (!f.defined()) {
      j.set("reason", f.reason);
    }
    list.push_back(j);
  }
  return list;
}

}  // namespace

void writeTextAtomically(const std::filesystem::path& out, const std::string& text) {
  writeAtomically(out, [&](const std::filesystem::path& tmp) {
    std::ofstream file(tmp, std::ios::binary);
    file << text;
    file.close();
    if (!file) {
      throw InputError(out, "could not write the file (disk full or not writable?)");
    }
  });
}

features::FeatureSet extractNamingFile(const FeatureInput& input,
                                       const features::FeatureSettings& settings,
                                       const std::filesystem::path& image, Progress& progress) {
  try {
    return features::extractFeatures(input.image, input.mask, settings, progress);
  } catch (const InputError& e) {
    if (!e.file().empty()) {
      throw;
    }
    throw InputError(
        image, e.problem() + (input.mask_file.empty() ? std::string()
                                                      : " (ROI " + input.mask_file.string() + ")"));
  }
}

int runFeatures(const Arguments& args, Streams io) {
  if (args.has("--manifest")) {
    return runFeatureManifest(args, io);
  }
  for (const char* option : {"-o", "--jobs"}) {
    if (args.has(option)) {
      throw UsageError{std::string(option) +
                       " applies to --manifest only\nusage: " + kFeaturesUsage};
    }
  }
  args.expectPositionals(1, kFeaturesUsage);
  if (!args.has("--mask") && !args.has("--roi")) {
    throw UsageError{std::string("give the ROI with --mask M or --roi NAME\nusage: ") +
                     kFeaturesUsage};
  }
  if (args.has("--roi") && args.value("--roi").empty()) {
    throw UsageError{"--roi needs a ROI name"};
  }
  const features::FeatureSettings settings = featureSettingsFrom(args);
  const std::filesystem::path image = args.positionals()[0];
  const std::filesystem::path csv = args.value("--csv");
  if (args.has("--csv") && csv.empty()) {
    throw UsageError{"--csv needs a file name"};
  }

  PhaseTimes times;
  const FeatureInput input =
      loadFeatureInput(image, args.value("--series"), args.value("--mask"), args.value("--roi"));
  times.markRead();
  const features::FeatureSet set = extractNamingFile(input, settings, image, noProgress());
  times.markCompute();
  std::size_t undefined = 0;
  for (const features::Feature& f : set.features()) {
    undefined += f.defined() ? 0 : 1;
  }

  if (!csv.empty()) {
    writeTextAtomically(csv, features::featureSetCsv(set));
    times.markWrite();
  }
  if (args.flag("--json")) {
    Json::Array notes;
    for (const std::string& n : input.notes) {
      notes.emplace_back(n);
    }
    Json j = Json::object();
    j.set("image", image.string()).set("roi", input.mask_description);
    j.set("settings", settings.name).set("notes", notes);
    j.set("count", static_cast<std::uint64_t>(set.size()));
    j.set("undefined", static_cast<std::uint64_t>(undefined));
    if (!csv.empty()) {
      j.set("csv", csv.string());
    }
    j.set("features", featuresJson(set));
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else if (!csv.empty()) {
    io.out << "wrote " << set.size() << " features (" << undefined << " undefined) of "
           << input.mask_description << " to " << csv.string() << "\n";
    for (const std::string& n : input.notes) {
      io.out << "note: " << n << "\n";
    }
  } else {
    io.out << features::featureSetCsv(set);
    for (const std::string& n : input.notes) {
      io.err << "note: " << n << "\n";
    }
  }
  return kSuccess;
}

}  // namespace harmonia::cli
