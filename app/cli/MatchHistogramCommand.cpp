// harmonia-cli match-histogram IN REF OUT [--mask M] [--ref-mask RM]
// [--method full|landmarks]: give IN the intensity histogram of REF.

#include <iostream>
#include <optional>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "core/harmonize/HistogramMatching.h"

namespace harmonia::cli {
namespace {

Json reportJson(const HistogramMatchReport& r) {
  Json j = Json::object();
  j.set("exact", r.exact).set("bins", r.bins);
  j.set("source_count", r.source_count).set("target_count", r.target_count);
  j.set("quantile_error_bound", r.quantile_error_bound);
  j.set("value_error_bound", r.value_error_bound);
  if (!r.source_landmarks.empty()) {
    Json::Array s, t;
    for (double v : r.source_landmarks) s.emplace_back(v);
    for (double v : r.target_landmarks) t.emplace_back(v);
    j.set("source_landmarks", s).set("target_landmarks", t);
  }
  return j;
}

}  // namespace

int runMatchHistogram(const Arguments& args, Streams io) {
  const std::string usage =
      "harmonia-cli match-histogram IN REF OUT [--mask M] [--ref-mask RM] "
      "[--method full|landmarks] [--series ID] [--ref-series ID] [--dicom] [--json]";
  args.expectPositionals(3, usage);
  const std::filesystem::path in = args.positionals()[0], ref = args.positionals()[1],
                              out = args.positionals()[2];
  const std::filesystem::path mask = args.value("--mask"), refMask = args.value("--ref-mask");
  HistogramMatchParams params;
  const std::string method = args.value("--method", "full");
  if (method == "landmarks") {
    params.method = HistogramMatchMethod::Landmarks;
  } else if (method != "full") {
    throw UsageError{"--method must be full or landmarks\nusage: " + usage};
  }
  const OutputTarget destination =
      outputTarget(in, out, args.flag("--dicom"), {in, ref, mask, refMask});
  PhaseTimes times;
  const AnyImage source = readInput(in, args.value("--series"));
  const AnyImage target = readInput(ref, args.value("--ref-series"));
  std::vector<HistogramMatchReport> reports;
  WrittenOutput written;
  try {
    if (const auto* img = std::get_if<Image2D>(&source)) {
      const auto* tgt = std::get_if<Image2D>(&target);
      if (tgt == nullptr) throw InputError(ref, "is a volume but IN is a 2-D image");
      if (fileKindOf(out) != FileKind::Image2D) {
        throw InputError(out, "a 2-D image needs a 2-D output (.png .jpg .tif .tiff)");
      }
      std::optional<Image2D> m, rm;
      if (!mask.empty()) m = readImage2D(mask);
      if (!refMask.empty()) rm = readImage2D(refMask);
      times.markRead();
      HistogramMatchResult2D r =
          matchHistogram(*img, *tgt, m ? &*m : nullptr, rm ? &*rm : nullptr, params);
      const Image2D result = forOutput(r.image, img->sampleType(), out);
      times.markCompute();
      writeImage2D(result, out);
      times.markWrite();
      reports = r.reports;
    } else {
      const auto* tgt = std::get_if<Volume>(&target);
      if (tgt == nullptr) throw InputError(ref, "is a 2-D image but IN is a volume");
      if (!destination.dicom && fileKindOf(out) != FileKind::Volume) {
        throw InputError(out, "a volume needs a NIfTI output (.nii or .nii.gz) or a folder");
      }
      std::optional<MaskVolume> m, rm;
      if (!mask.empty()) m = readMaskFor(mask, std::get<Volume>(source).geometry());
      if (!refMask.empty()) rm = readMaskFor(refMask, tgt->geometry());
      times.markRead();
      HistogramMatchResult r = matchHistogram(std::get<Volume>(source), *tgt, m ? &*m : nullptr,
                                              rm ? &*rm : nullptr, params);
      times.markCompute();
      written = writeOutput(
          r.image, destination, in, args.value("--series"),
          "Histogram-matched (" + std::string(toString(params.method)) + ", Harmonia)",
          "Intensity histogram matched (" + std::string(toString(params.method)) + ") to " +
              ref.string() + (mask.empty() ? "" : ", source mask " + mask.string()) +
              (refMask.empty() ? "" : ", reference mask " + refMask.string()));
      times.markWrite();
      reports.push_back(r.report);
    }
  } catch (const InputError& e) {
    rethrowNamingFile(
        e, {{"source mask", mask}, {"target mask", refMask}, {"source", in}, {"target", ref}});
  }
  if (args.flag("--json")) {
    Json::Array channels;
    for (const auto& r : reports) channels.push_back(reportJson(r));
    Json j = Json::object();
    j.set("input", in.string()).set("reference", ref.string()).set("output", out.string());
    j.set("mask", mask.string()).set("reference_mask", refMask.string());
    j.set("method", toString(params.method)).set("channels", channels);
    written.addTo(j);
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else {
    io.out << "wrote " << out.string() << " (" << toString(params.method) << ", "
           << (reports.front().exact ? "exact" : "fine histograms") << ")\n"
           << written.text();
  }
  return kSuccess;
}

}  // namespace harmonia::cli
