// harmonia-cli feature-map IMAGE (--mask M | --roi NAME) [--series UID]
// --feature TAG --radius-mm R -o MAP.nii.gz (--config FILE | --ibsi NAME)
// [--json]: one texture feature in a sphere of radius R mm around every ROI
// voxel (core/features/FeatureMap.h), written as a float NIfTI volume with
// NaN outside the ROI and where the feature is undefined. Progress on stderr.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>

#include "app/cli/Cli.h"
#include "app/cli/FeatureInputs.h"
#include "app/cli/HarmonizeSupport.h"
#include "app/cli/Json.h"
#include "core/features/FeatureMap.h"
#include "core/io/ImageIO.h"
#include "core/util/Error.h"

namespace harmonia::cli {

namespace {

constexpr const char* kFeatureMapUsage =
    "harmonia-cli feature-map IMAGE (--mask M | --roi NAME) [--series UID] --feature TAG "
    "--radius-mm R -o MAP.nii.gz (--config FILE | --ibsi phantom|A|B|C|D|E) [--json]";

// Prints "feature-map: 40%" on stderr at every tenth, from any thread.
class StderrProgress final : public Progress {
 public:
  explicit StderrProgress(std::ostream& err) : err_(err) {}
  void report(double fraction) override {
    const int tenth = static_cast<int>(fraction * 10.0 + 1e-9);
    int last = last_.load();
    while (tenth > last) {
      if (last_.compare_exchange_weak(last, tenth)) {
        std::lock_guard lock(mutex_);
        err_ << "feature-map: " << tenth * 10 << "%\n" << std::flush;
        return;
      }
    }
  }
  [[nodiscard]] bool cancelRequested() const override { return false; }

 private:
  std::ostream& err_;
  std::atomic<int> last_{0};
  std::mutex mutex_;
};

}  // namespace

int runFeatureMap(const Arguments& args, Streams io) {
  args.expectPositionals(1, kFeatureMapUsage);
  if (!args.has("--mask") && !args.has("--roi")) {
    throw UsageError{std::string("give the ROI with --mask M or --roi NAME\nusage: ") +
                     kFeatureMapUsage};
  }
  const std::string tag = args.value("--feature");
  if (tag.empty()) {
    throw UsageError{std::string("--feature TAG is required\nusage: ") + kFeatureMapUsage};
  }
  if (!args.has("--radius-mm")) {
    throw UsageError{std::string("--radius-mm R is required\nusage: ") + kFeatureMapUsage};
  }
  const double radius = parsePositive(args.value("--radius-mm"), "--radius-mm");
  const std::filesystem::path out = args.value("-o");
  if (out.empty()) {
    throw UsageError{std::string("-o MAP.nii.gz is required\nusage: ") + kFeatureMapUsage};
  }
  if (fileKindOf(out) != FileKind::Volume) {
    throw UsageError{"-o must name a NIfTI file (.nii or .nii.gz), got '" + out.string() + "'"};
  }
  try {
    (void)features::textureFeatureTag(tag);  // a bad tag fails before the loading
  } catch (const ParameterError& e) {
    throw UsageError{std::string("--feature: ") + e.what()};
  }
  const features::FeatureSettings settings = featureSettingsFrom(args);
  const std::filesystem::path image = args.positionals()[0];
  checkOutput(out, {image, args.value("--mask")});

  PhaseTimes times;
  const FeatureInput input =
      loadFeatureInput(image, args.value("--series"), args.value("--mask"), args.value("--roi"));
  times.markRead();
  StderrProgress progress(io.err);
  const auto t0 = std::chrono::steady_clock::now();
  features::FeatureMap map;
  try {
    map = features::computeFeatureMap(input.image, input.mask, settings, tag, radius, progress);
  } catch (const InputError& e) {
    if (!e.file().empty()) {
      throw;
    }
    throw InputError(image, e.problem());
  } catch (const ParameterError& e) {
    throw UsageError{std::string("--feature: ") + e.what()};
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  times.markCompute();
  writeVolume(map.map, out);
  times.markWrite();

  const Geometry3D& g = map.map.geometry();
  const std::string grid =
      map.on_image_grid ? "the image's grid" : "the interpolated grid (cropped)";
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("image", image.string()).set("roi", input.mask_description).set("output", out.string());
    j.set("feature", tag).set("family", map.family).set("radius_mm", radius);
    j.set("settings", settings.name);
    j.set("roi_voxels", static_cast<std::uint64_t>(map.roi_voxels));
    j.set("undefined_voxels", static_cast<std::uint64_t>(map.undefined_voxels));
    j.set("on_image_grid", map.on_image_grid);
    j.set("size", Json::Array{g.size[0], g.size[1], g.size[2]});
    j.set("spacing_mm", jsonVector(g.spacing_mm)).set("seconds", seconds);
    times.addTo(j);
    io.out << j.dump() << "\n";
    return kSuccess;
  }
  char time[32];
  std::snprintf(time, sizeof time, "%.2f", seconds);
  io.out << "wrote the map of " << tag << " (" << map.family << ", sphere of " << radius
         << " mm) to " << out.string() << ": " << map.roi_voxels << " ROI voxels, "
         << map.undefined_voxels << " undefined (NaN), on " << grid << " " << g.size[0] << " x "
         << g.size[1] << " x " << g.size[2] << ", in " << time << " s\n";
  for (const std::string& n : input.notes) {
    io.out << "note: " << n << "\n";
  }
  return kSuccess;
}

}  // namespace harmonia::cli
