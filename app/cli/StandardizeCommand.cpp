// harmonia-cli standardize IN... --fwhm X,Y,Z ... --outdir DIR: blur every
// volume to the worst resolution and resample all onto one isotropic grid.

#include <iostream>
#include <set>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "core/dicom/ValueConversion.h"
#include "core/harmonize/ResolutionStandardization.h"

namespace harmonia::cli {

int runStandardize(const Arguments& args, Streams io) {
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
  if (args.has("--spacing"))
    params.spacing_mm = parsePositive(args.value("--spacing"), "--spacing");
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
  for (const auto& text : fwhmTexts) fwhm.push_back(parseFwhm(text, "--fwhm", 3));
  std::vector<Volume> volumes;
  for (const auto& in : inputs) volumes.push_back(readVolumeInput(in, "standardize"));
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
  for (const auto& v : volumes) studies.push_back(&v);
  const StandardizationResult result = standardizeResolution(studies, fwhm, params);
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
