// harmonia-cli match-kernel IN OUT --from-fwhm X,Y,Z --to-fwhm X,Y,Z:
// blur an image or volume from one Gaussian resolution to a coarser one.

#include <iostream>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "core/dicom/ValueConversion.h"
#include "core/harmonize/KernelMatching.h"

namespace harmonia::cli {

int runMatchKernel(const Arguments& args, Streams io) {
  const std::string usage =
      "harmonia-cli match-kernel IN OUT --from-fwhm X,Y[,Z] --to-fwhm X,Y[,Z] [--truncate S] "
      "[--series ID] [--dicom] [--json]";
  args.expectPositionals(2, usage);
  if (!args.has("--from-fwhm") || !args.has("--to-fwhm")) {
    throw UsageError{"--from-fwhm and --to-fwhm are required\nusage: " + usage};
  }
  const std::filesystem::path in = args.positionals()[0], out = args.positionals()[1];
  const OutputTarget target = outputTarget(in, out, args.flag("--dicom"), {in});
  PhaseTimes times;
  const AnyImage image = readInput(in, args.value("--series"));
  times.markRead();
  const int axes = std::holds_alternative<Image2D>(image) ? 2 : 3;
  KernelMatchParams params;
  params.from_fwhm_mm = parseFwhm(args.value("--from-fwhm"), "--from-fwhm", axes);
  params.to_fwhm_mm = parseFwhm(args.value("--to-fwhm"), "--to-fwhm", axes);
  if (args.has("--truncate")) {
    params.truncate_sigmas = parsePositive(args.value("--truncate"), "--truncate");
  }
  KernelMatchPlan plan;
  WrittenOutput written;
  if (const auto* img = std::get_if<Image2D>(&image)) {
    if (fileKindOf(out) != FileKind::Image2D) {
      throw InputError(out, "a 2-D image needs a 2-D output (.png .jpg .tif .tiff)");
    }
    plan = planKernelMatch(params, {img->spacing_mm()[0], img->spacing_mm()[1], 1.0}, 2);
    const Image2D result = forOutput(matchKernel(*img, params), img->sampleType(), out);
    times.markCompute();
    writeImage2D(result, out);
    times.markWrite();
  } else {
    const Volume& v = std::get<Volume>(image);
    if (!target.dicom && fileKindOf(out) != FileKind::Volume) {
      throw InputError(out, "a volume needs a NIfTI output (.nii or .nii.gz) or a folder");
    }
    plan = planKernelMatch(params, v.geometry().spacing_mm, 3);
    const Volume result = matchKernel(v, params);
    times.markCompute();
    written = writeOutput(result, target, in, args.value("--series"),
                          "Kernel-matched to " + describeMm(params.to_fwhm_mm) + " FWHM (Harmonia)",
                          "Gaussian kernel matching from FWHM " + describeMm(params.from_fwhm_mm) +
                              " to " + describeMm(params.to_fwhm_mm) + " (extra FWHM " +
                              describeMm(plan.extra_fwhm_mm) + ", truncated at " +
                              formatNumber(params.truncate_sigmas) + " sigma, mirror boundary)");
    times.markWrite();
  }
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("input", in.string()).set("output", out.string());
    j.set("from_fwhm_mm", jsonVector(params.from_fwhm_mm, axes));
    j.set("to_fwhm_mm", jsonVector(params.to_fwhm_mm, axes));
    j.set("extra_fwhm_mm", jsonVector(plan.extra_fwhm_mm, axes));
    j.set("sigma_voxels", jsonVector(plan.sigma_voxels, axes));
    j.set("radius_voxels", jsonVector(plan.radius_voxels.cast<double>(), axes));
    j.set("truncate_sigmas", params.truncate_sigmas).set("boundary", "mirror");
    written.addTo(j);
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else {
    io.out << "wrote " << out.string() << " (extra blur FWHM "
           << plan.extra_fwhm_mm.head(axes).transpose() << " mm)\n"
           << written.text();
  }
  return kSuccess;
}

}  // namespace harmonia::cli
