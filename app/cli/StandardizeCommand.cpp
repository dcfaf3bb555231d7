// harmonia-cli standardize IN... --fwhm X,Y,Z ... --outdir DIR: blur every
// volume to the worst resolution and resample all onto one isotropic grid.
// harmonia-cli standardize --plan PLAN.json --scanner NAME IN -o OUT: apply a
// harmonization plan (measure plan) to a study of one of its scanners.

#include <iostream>
#include <set>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "core/dicom/ValueConversion.h"
#include "core/harmonize/ResolutionStandardization.h"
#include "core/measure/HarmonizationPlan.h"

namespace harmonia::cli {

namespace {

int runStandardizeWithPlan(const Arguments& args, Streams io) {
  const std::string usage =
      "harmonia-cli standardize --plan PLAN.json --scanner NAME IN -o OUT [--mask M] "
      "[--series ID] [--dicom] [--json]";
  args.expectPositionals(1, usage);
  for (const char* other : {"--fwhm", "--spacing", "--interp", "--outdir"}) {
    if (args.has(other)) {
      throw UsageError{std::string(other) +
                       " does not go with --plan (the plan sets it)\nusage: " + usage};
    }
  }
  if (!args.has("--scanner")) {
    throw UsageError{
        "--scanner NAME is required with --plan (which of the plan's scanners "
        "made the study)\nusage: " +
        usage};
  }
  if (!args.has("-o")) throw UsageError{"-o OUT is required with --plan\nusage: " + usage};
  const std::filesystem::path in = args.positionals()[0], out = args.value("-o"),
                              planPath = args.value("--plan"), mask = args.value("--mask");
  const std::string scanner = args.value("--scanner");
  const OutputTarget target = outputTarget(in, out, args.flag("--dicom"), {in, planPath, mask});
  if (!target.dicom && fileKindOf(out) != FileKind::Volume) {
    throw InputError(out, "a volume needs a NIfTI output (.nii or .nii.gz) or a folder");
  }
  const HarmonizationPlan plan = loadPlan(planPath.string());
  if (plan.find(scanner) == nullptr) {
    std::string known;
    for (const auto& s : plan.scanners) known += (known.empty() ? "" : ", ") + s.name;
    throw UsageError{"the plan " + planPath.string() + " has no scanner '" + scanner +
                     "' (it has: " + known + ")"};
  }
  PhaseTimes times;
  const Volume study = readVolumeInput(in, "standardize", args.value("--series"));
  times.markRead();
  Volume result;
  try {
    if (mask.empty()) {
      result = applyPlan(study, plan, scanner);
    } else {
      const MaskVolume roi = readMaskFor(mask, study.geometry());
      times.markRead();
      result = applyPlan(study, plan, scanner, &roi);
    }
    times.markCompute();
  } catch (const InputError& e) {
    if (!e.file().empty()) throw;
    const bool aboutRoi = !mask.empty() && e.problem().find("ROI") != std::string::npos;
    throw InputError(aboutRoi ? mask : in, e.problem());
  }
  const PlanScanner& s = *plan.find(scanner);
  const std::string description =
      "Harmonized with plan " + planPath.filename().string() + " as " + scanner + " (Harmonia)";
  const WrittenOutput written =
      writeOutput(result, target, in, args.value("--series"), description,
                  "Harmonization plan " + planPath.filename().string() + ", scanner " + scanner +
                      ": blurred from FWHM " + describeMm(s.fwhm_mm) + " to " +
                      describeMm(plan.target_fwhm_mm) + " (extra " + describeMm(s.extra_fwhm_mm) +
                      "), resampled (linear) onto a " + formatNumber(plan.spacing_mm) +
                      " mm isotropic grid, intensity step " + toString(plan.intensity));
  times.markWrite();
  const Geometry3D& g = result.geometry();
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("input", in.string()).set("output", out.string()).set("plan", planPath.string());
    j.set("scanner", scanner).set("fwhm_mm", jsonVector(s.fwhm_mm));
    j.set("extra_fwhm_mm", jsonVector(s.extra_fwhm_mm));
    j.set("target_fwhm_mm", jsonVector(plan.target_fwhm_mm)).set("spacing_mm", plan.spacing_mm);
    j.set("size", Json::Array{g.size[0], g.size[1], g.size[2]});
    j.set("intensity", toString(plan.intensity));
    written.addTo(j);
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else {
    io.out << "harmonized as " << scanner << ": FWHM " << describeMm(s.fwhm_mm) << " -> "
           << describeMm(plan.target_fwhm_mm) << ", grid " << g.size[0] << " x " << g.size[1]
           << " x " << g.size[2] << " at " << formatNumber(plan.spacing_mm) << " mm, intensity "
           << toString(plan.intensity) << "\nwrote " << out.string() << "\n"
           << written.text();
  }
  return kSuccess;
}

}  // namespace

int runStandardize(const Arguments& args, Streams io) {
  if (args.has("--plan")) return runStandardizeWithPlan(args, io);
  for (const char* planOnly : {"--scanner", "--mask", "-o"}) {
    if (args.has(planOnly)) {
      throw UsageError{std::string(planOnly) + " goes with --plan PLAN.json"};
    }
  }
  const std::string usage =
      "harmonia-cli standardize IN... --fwhm X,Y,Z (once per IN, in order) [--spacing S] "
      "[--interp nearest|linear|cubic] --outdir DIR [--dicom] [--json]";
  const auto& inputs = args.positionals();
  if (inputs.empty()) throw UsageError{"no input volumes\nusage: " + usage};
  const std::vector<std::string> fwhmTexts = args.values("--fwhm");
  if (fwhmTexts.size() != inputs.size()) {
    throw UsageError{"give one --fwhm per input volume, in order (" +
                     std::to_string(inputs.size()) + " inputs, " +
                     std::to_string(fwhmTexts.size()) + " --fwhm)\nusage: " + usage};
  }
  if (!args.has("--outdir")) throw UsageError{"--outdir is required\nusage: " + usage};
  StandardizationParams params;
  if (args.has("--spacing")) {
    params.spacing_mm = parsePositive(args.value("--spacing"), "--spacing");
  }
  if (args.has("--interp")) {
    const auto interp = parseInterpolation(args.value("--interp"));
    if (!interp) throw UsageError{"--interp must be nearest, linear or cubic"};
    params.interpolation = *interp;
  }
  const std::filesystem::path outdir = args.value("--outdir");
  // With --dicom, a DICOM folder input becomes a derived series in DIR/NAME/;
  // other inputs (and every input without --dicom) a NIfTI file.
  const bool dicom = args.flag("--dicom");
  std::vector<OutputTarget> targets;
  std::vector<std::filesystem::path> outputs;
  std::set<std::string> names;
  for (const auto& in : inputs) {
    std::error_code ec;
    const bool series = dicom && std::filesystem::is_directory(in, ec);
    std::filesystem::path name = outputNameFor(in);
    if (series) name.replace_extension().replace_extension();  // "image.nii.gz" -> "image"
    outputs.push_back(outdir / name);
    targets.push_back(series ? outputTarget(in, outdir / name, true, {})
                             : OutputTarget{outdir / name, false});
    if (!names.insert(name.string()).second) {
      throw UsageError{"two inputs would both be written as " + name.string() +
                       " in --outdir; rename one"};
    }
  }
  std::vector<Eigen::Vector3d> fwhm;
  fwhm.reserve(fwhmTexts.size());
  for (const auto& text : fwhmTexts) fwhm.push_back(parseFwhm(text, "--fwhm", 3));
  PhaseTimes times;
  std::vector<Volume> volumes;
  volumes.reserve(inputs.size());
  for (const auto& in : inputs) volumes.push_back(readVolumeInput(in, "standardize"));
  times.markRead();
  std::error_code ec;
  std::filesystem::create_directories(outdir, ec);
  if (ec) throw InputError(outdir, "cannot create the output folder: " + ec.message());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    for (const auto& in : inputs) {
      if (std::filesystem::exists(outputs[i], ec) &&
          std::filesystem::equivalent(outputs[i], in, ec)) {
        throw InputError(outputs[i],
                         "refusing to overwrite an input file; choose another --outdir");
      }
    }
  }
  std::vector<const Volume*> studies;
  studies.reserve(volumes.size());
  for (const auto& v : volumes) studies.push_back(&v);
  const StandardizationResult result = standardizeResolution(studies, fwhm, params);
  times.markCompute();
  std::vector<WrittenOutput> written;
  const std::string description = "Standardized to " + formatNumber(result.plan.target_fwhm_mm) +
                                  " mm FWHM, " + formatNumber(result.plan.spacing_mm) +
                                  " mm grid (Harmonia)";
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    written.push_back(writeOutput(result.volumes[i], targets[i], inputs[i], "", description,
                                  "Resolution standardization: blurred from FWHM " +
                                      describeMm(fwhm[i]) + " to " +
                                      formatNumber(result.plan.target_fwhm_mm) + " mm (extra " +
                                      describeMm(result.plan.extra_fwhm_mm[i]) + "), resampled (" +
                                      toString(params.interpolation) + ") onto a common " +
                                      formatNumber(result.plan.spacing_mm) + " mm isotropic grid"));
  }
  times.markWrite();

  const StandardizationPlan& plan = result.plan;
  if (args.flag("--json")) {
    Json::Array studiesJson;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      Json s = Json::object();
      s.set("input", inputs[i]).set("output", outputs[i].string());
      s.set("fwhm_mm", jsonVector(fwhm[i])).set("extra_fwhm_mm", jsonVector(plan.extra_fwhm_mm[i]));
      written[i].addTo(s);
      studiesJson.push_back(s);
    }
    Json j = Json::object();
    j.set("target_fwhm_mm", plan.target_fwhm_mm).set("spacing_mm", plan.spacing_mm);
    j.set("size", Json::Array{plan.grid.size[0], plan.grid.size[1], plan.grid.size[2]});
    j.set("origin_mm", jsonVector(plan.grid.origin_mm));
    j.set("interpolation", toString(params.interpolation)).set("studies", studiesJson);
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else {
    io.out << "target FWHM " << plan.target_fwhm_mm << " mm, grid " << plan.grid.size[0] << " x "
           << plan.grid.size[1] << " x " << plan.grid.size[2] << " at " << plan.spacing_mm
           << " mm\n";
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      io.out << "wrote " << outputs[i].string() << "\n" << written[i].text();
    }
  }
  return kSuccess;
}

}  // namespace harmonia::cli
