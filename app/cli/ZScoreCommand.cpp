// harmonia-cli zscore IN OUT --mask M [--robust]: (x - mean) / SD, or
// (x - median) / (IQR / 1.349), with statistics inside the mask.

#include <iostream>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "core/dicom/ValueConversion.h"
#include "core/harmonize/ZScore.h"

namespace harmonia::cli {

int runZScore(const Arguments& args, Streams io) {
  const std::string usage =
      "harmonia-cli zscore IN OUT --mask M [--robust] [--series ID] [--dicom] [--json]";
  args.expectPositionals(2, usage);
  if (!args.has("--mask")) throw UsageError{"--mask is required\nusage: " + usage};
  const std::filesystem::path in = args.positionals()[0], out = args.positionals()[1],
                              mask = args.value("--mask");
  const OutputTarget target = outputTarget(in, out, args.flag("--dicom"), {in, mask});
  PhaseTimes times;
  const AnyImage image = readInput(in, args.value("--series"));
  const ZScoreParams params{args.flag("--robust")};
  std::vector<ZScoreReport> reports;
  WrittenOutput written;
  try {
    if (const auto* img = std::get_if<Image2D>(&image)) {
      std::string ext = out.extension().string();
      if (ext != ".tif" && ext != ".tiff") {
        throw InputError(out, "z-scores are signed floats; write a .tif or .tiff");
      }
      const Image2D roi = readImage2D(mask);
      times.markRead();
      ZScoreResult2D r = zscore(*img, roi, params);
      times.markCompute();
      writeImage2D(r.image, out);
      times.markWrite();
      reports = r.reports;
    } else {
      if (!target.dicom && fileKindOf(out) != FileKind::Volume) {
        throw InputError(out, "a volume needs a NIfTI output (.nii or .nii.gz) or a folder");
      }
      const Volume& v = std::get<Volume>(image);
      const MaskVolume roi = readMaskFor(mask, v.geometry());
      times.markRead();
      ZScoreResult r = zscore(v, roi, params);
      times.markCompute();
      const std::string how = params.robust ? "median and IQR/1.349" : "mean and SD";
      written = writeOutput(
          r.image, target, in, args.value("--series"), "Z-scored (" + how + " in ROI, Harmonia)",
          "Z-scored with the " + how + " inside the ROI " + mask.filename().string() + ": centre " +
              formatNumber(r.report.centre) + ", scale " + formatNumber(r.report.scale) + " " +
              v.units());
      times.markWrite();
      reports.push_back(r.report);
    }
  } catch (const InputError& e) {
    rethrowNamingFile(e, {{"ROI", mask}, {"image", in}});
  }
  if (args.flag("--json")) {
    Json::Array channels;
    for (const auto& r : reports) {
      Json c = Json::object();
      c.set("roi_count", r.roi_count).set("centre", r.centre).set("scale", r.scale);
      c.set("alpha_removed", r.alpha_removed).set("beta_removed", r.beta_removed);
      if (r.robust) c.set("iqr", r.iqr);
      channels.push_back(c);
    }
    Json j = Json::object();
    j.set("input", in.string()).set("mask", mask.string()).set("output", out.string());
    j.set("robust", params.robust).set("channels", channels);
    written.addTo(j);
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else {
    io.out << "wrote " << out.string() << " (removed alpha " << reports.front().alpha_removed
           << ", beta " << reports.front().beta_removed << ")\n"
           << written.text();
  }
  return kSuccess;
}

}  // namespace harmonia::cli
