// harmonia-cli resample IN OUT (--spacing S | --like REF) [--interp ...]:
// resample a volume in physical coordinates onto an isotropic grid or onto
// another volume's grid.

#include <iostream>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "core/harmonize/Resample.h"

namespace harmonia::cli {

int runResample(const Arguments& args, Streams io) {
  const std::string usage =
      "harmonia-cli resample IN OUT (--spacing S | --like REF) [--interp nearest|linear|cubic] "
      "[--as-mask [--interp nearest|partial]] [--series ID] [--dicom] [--json]";
  args.expectPositionals(2, usage);
  if (args.has("--spacing") == args.has("--like")) {
    throw UsageError{"give exactly one of --spacing and --like\nusage: " + usage};
  }
  const std::filesystem::path in = args.positionals()[0], out = args.positionals()[1],
                              like = args.value("--like");
  const bool asMask = args.flag("--as-mask");
  if (asMask && args.flag("--dicom")) {
    throw UsageError{"--as-mask writes a NIfTI mask; --dicom is for value volumes"};
  }
  const OutputTarget destination = outputTarget(in, out, args.flag("--dicom"), {in, like});
  if (!destination.dicom && fileKindOf(out) != FileKind::Volume) {
    throw InputError(out, "a volume needs a NIfTI output (.nii or .nii.gz) or a folder");
  }
  const std::string interp = args.value("--interp", asMask ? "partial" : "linear");
  PhaseTimes times;
  Geometry3D target;
  if (args.has("--like")) {
    target = readVolumeInput(like, "--like").geometry();
  }
  std::string interpolationName;
  WrittenOutput written;
  if (asMask) {
    if (interp != "nearest" && interp != "partial") {
      throw UsageError{"with --as-mask, --interp must be nearest or partial"};
    }
    if (fileKindOf(in) != FileKind::Volume) {
      throw InputError(in, "--as-mask needs a NIfTI mask (.nii, .nii.gz)");
    }
    const MaskVolume mask = readMask(in);
    times.markRead();
    if (args.has("--spacing")) {
      target = isotropicGrid(mask.geometry(), parsePositive(args.value("--spacing"), "--spacing"));
    }
    const MaskVolume result = resampleMask(
        mask, target,
        interp == "nearest" ? MaskInterpolation::Nearest : MaskInterpolation::PartialVolume);
    times.markCompute();
    writeMask(result, out);
    times.markWrite();
    interpolationName = interp;
  } else {
    const auto method = parseInterpolation(interp);
    if (!method) throw UsageError{"--interp must be nearest, linear or cubic"};
    const Volume v = readVolumeInput(in, "resample", args.value("--series"));
    times.markRead();
    if (args.has("--spacing")) {
      target = isotropicGrid(v.geometry(), parsePositive(args.value("--spacing"), "--spacing"));
    }
    interpolationName = toString(*method);
    const std::string onto = args.has("--spacing") ? args.value("--spacing") + " mm isotropic"
                                                   : "the grid of " + like.filename().string();
    const Volume result = resample(v, target, {*method, 0.0f});
    times.markCompute();
    written = writeOutput(result, destination, in, args.value("--series"),
                          "Resampled to " + onto + " (" + interpolationName + ", Harmonia)",
                          "Resampled in physical coordinates onto " +
                              (args.has("--spacing") ? onto : "the grid of " + like.string()) +
                              ", " + interpolationName + " interpolation, 0 outside the input");
    times.markWrite();
  }
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("input", in.string()).set("output", out.string());
    if (!like.empty()) j.set("like", like.string());
    j.set("interpolation", interpolationName).set("mask", asMask);
    j.set("size", Json::Array{target.size[0], target.size[1], target.size[2]});
    j.set("spacing_mm", jsonVector(target.spacing_mm))
        .set("origin_mm", jsonVector(target.origin_mm));
    written.addTo(j);
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else {
    io.out << "wrote " << out.string() << " (" << target.size[0] << " x " << target.size[1] << " x "
           << target.size[2] << ", " << interpolationName << ")\n"
           << written.text();
  }
  return kSuccess;
}

}  // namespace harmonia::cli
