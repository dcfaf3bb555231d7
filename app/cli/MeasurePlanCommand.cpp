// harmonia-cli measure plan MEAS1.json MEAS2.json ... -o PLAN.json: propose a
// harmonization plan from the scanners' `measure psf --json` results; with
// --apply, harmonize the phantom scans with it and report how well they agree
// before and after, to show that the plan works.

#include <iostream>
#include <set>
#include <sstream>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "core/dicom/ValueConversion.h"
#include "core/io/TextFile.h"
#include "core/measure/HarmonizationPlan.h"

namespace harmonia::cli {

namespace {

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) items.push_back(item);
  if (!text.empty() && text.back() == ',') items.emplace_back();
  return items;
}

/// How two scanners' scans agree, without (before) and with (after) the resolution steps.
struct Agreement {
  std::string reference, scanner;
  VolumeAgreement before, after;
};

}  // namespace

int runMeasurePlan(const Arguments& args, Streams io) {
  const std::string usage =
      "harmonia-cli measure plan MEAS1.json MEAS2.json ... -o PLAN.json [--names A,B] "
      "[--intensity zscore|none] [--spacing S] [--apply SCAN1,SCAN2 [--masks M1,M2] --outdir DIR] "
      "[--json]";
  const std::vector<std::string> files(args.positionals().begin() + 1, args.positionals().end());
  if (files.size() < 2) {
    throw UsageError{"give two or more measurements (measure psf --json outputs)\nusage: " + usage};
  }
  if (!args.has("-o")) throw UsageError{"-o PLAN.json is required\nusage: " + usage};
  const std::filesystem::path planPath = args.value("-o");
  std::vector<std::string> names(files.size());
  if (args.has("--names")) {
    names = splitList(args.value("--names"));
    if (names.size() != files.size()) {
      throw UsageError{"--names gives " + std::to_string(names.size()) + " names for " +
                       std::to_string(files.size()) + " measurements"};
    }
    for (const auto& n : names) {
      if (n.empty()) throw UsageError{"--names has an empty name"};
    }
  }
  IntensityStep intensity = IntensityStep::ZScore;
  if (args.has("--intensity")) {
    const auto step = parseIntensityStep(args.value("--intensity"));
    if (!step) throw UsageError{"--intensity must be zscore or none"};
    if (*step == IntensityStep::Linear) {
      throw UsageError{
          "--intensity linear needs value linearity fits, which measure psf results do not "
          "carry; use zscore or none"};
    }
    intensity = *step;
  }
  const double spacing =
      args.has("--spacing") ? parsePositive(args.value("--spacing"), "--spacing") : 0.0;
  std::vector<std::string> scans;
  if (args.has("--apply")) {
    scans = splitList(args.value("--apply"));
    if (scans.size() != files.size()) {
      throw UsageError{"--apply gives " + std::to_string(scans.size()) + " scans for " +
                       std::to_string(files.size()) + " measurements (one per scanner, in order)"};
    }
    if (!args.has("--outdir")) throw UsageError{"--apply needs --outdir DIR\nusage: " + usage};
  } else if (args.has("--outdir") || args.has("--masks")) {
    throw UsageError{"--outdir and --masks go with --apply\nusage: " + usage};
  }
  std::vector<std::string> masks;
  if (args.has("--masks")) {
    masks = splitList(args.value("--masks"));
    if (masks.size() != scans.size()) {
      throw UsageError{"--masks gives " + std::to_string(masks.size()) + " masks for " +
                       std::to_string(scans.size()) + " scans (one z-score region per scan)"};
    }
  }

  // Everything is read and computed before anything is written.
  std::vector<ScannerMeasurement> measurements;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < files.size(); ++i) {
    measurements.push_back(measurementFromPsfJson(
        readTextFile(files[i], "measurement (measure psf --json output)"), files[i], names[i]));
    if (!seen.insert(measurements.back().name).second) {
      throw UsageError{"two measurements are both of scanner '" + measurements.back().name +
                       "'; name them with --names"};
    }
  }
  const HarmonizationPlan plan = proposePlan(measurements, intensity, spacing);
  for (const auto& f : files) {
    std::error_code ec;
    if (std::filesystem::exists(planPath, ec) && std::filesystem::equivalent(planPath, f, ec)) {
      throw InputError(planPath, "refusing to overwrite a measurement; choose another -o");
    }
  }

  std::vector<Volume> harmonized;
  std::vector<std::filesystem::path> outputs;
  std::vector<Agreement> agreements;
  if (!scans.empty()) {
    const std::filesystem::path outdir = args.value("--outdir");
    std::set<std::string> outNames;
    for (const auto& scan : scans) {
      outputs.push_back(outdir / outputNameFor(scan));
      if (!outNames.insert(outputs.back().filename().string()).second) {
        throw UsageError{"two scans would both be written as " +
                         outputs.back().filename().string() + " in --outdir; rename one"};
      }
    }
    // "Before": the same grid and intensity step, without the kernel matching.
    HarmonizationPlan noBlur = plan;
    for (auto& s : noBlur.scanners) {
      s.fwhm_mm = plan.target_fwhm_mm;
      s.extra_fwhm_mm.setZero();
    }
    std::vector<Volume> baseline;
    for (std::size_t i = 0; i < scans.size(); ++i) {
      const Volume scan = readVolumeInput(scans[i], "measure plan");
      std::optional<MaskVolume> roi;
      if (!masks.empty()) roi = readMaskFor(masks[i], scan.geometry());
      const MaskVolume* region = roi ? &*roi : nullptr;
      try {
        baseline.push_back(applyPlan(scan, noBlur, plan.scanners[i].name, region));
        harmonized.push_back(applyPlan(scan, plan, plan.scanners[i].name, region));
      } catch (const InputError& e) {
        if (!e.file().empty()) throw;
        const bool aboutRoi = region != nullptr && e.problem().find("ROI") != std::string::npos;
        throw InputError(aboutRoi ? masks[i] : scans[i], e.problem());
      }
    }
    for (std::size_t i = 1; i < scans.size(); ++i) {
      Agreement a;
      a.reference = plan.scanners[0].name;
      a.scanner = plan.scanners[i].name;
      try {
        a.before = compareOnGrid(baseline[0], baseline[i]);
        a.after = compareOnGrid(harmonized[0], harmonized[i]);
      } catch (const InputError& e) {
        throw InputError(scans[i], e.problem() + " (with " + scans[0] + ")");
      }
      agreements.push_back(a);
    }
    std::error_code ec;
    std::filesystem::create_directories(outdir, ec);
    if (ec) throw InputError(outdir, "cannot create the output folder: " + ec.message());
    for (const auto& out : outputs) {
      for (const auto& in : scans) {
        if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(out, in, ec)) {
          throw InputError(out, "refusing to overwrite an input file; choose another --outdir");
        }
      }
    }
  }
  savePlan(plan, planPath.string());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    writeOutput(harmonized[i], OutputTarget{outputs[i], false}, scans[i], "",
                "Harmonized with plan " + planPath.filename().string() + " (Harmonia)");
  }

  if (args.flag("--json")) {
    Json::Array scanners;
    for (std::size_t i = 0; i < plan.scanners.size(); ++i) {
      Json s = Json::object();
      s.set("name", plan.scanners[i].name).set("measurement", files[i]);
      s.set("fwhm_mm", jsonVector(plan.scanners[i].fwhm_mm));
      s.set("spacing_mm", jsonVector(measurements[i].spacing_mm));
      s.set("extra_fwhm_mm", jsonVector(plan.scanners[i].extra_fwhm_mm));
      if (!outputs.empty()) s.set("input", scans[i]).set("output", outputs[i].string());
      scanners.push_back(s);
    }
    Json j = Json::object();
    j.set("command", "measure plan").set("plan", planPath.string()).set("version", plan.version);
    j.set("target_fwhm_mm", jsonVector(plan.target_fwhm_mm)).set("spacing_mm", plan.spacing_mm);
    j.set("intensity", toString(plan.intensity)).set("scanners", scanners);
    if (!agreements.empty()) {
      Json::Array list;
      for (const auto& a : agreements) {
        Json o = Json::object();
        o.set("reference", a.reference).set("scanner", a.scanner);
        o.set("rms_before", a.before.rms_difference).set("rms_after", a.after.rms_difference);
        o.set("max_abs_before", a.before.max_abs_difference)
            .set("max_abs_after", a.after.max_abs_difference);
        o.set("voxels", static_cast<std::uint64_t>(a.after.voxels));
        list.push_back(o);
      }
      j.set("agreement", list);
    }
    io.out << j.dump() << "\n";
  } else {
    io.out << "target FWHM " << describeMm(plan.target_fwhm_mm) << ", grid "
           << formatNumber(plan.spacing_mm) << " mm, intensity " << toString(plan.intensity)
           << "\n";
    for (const auto& s : plan.scanners) {
      io.out << "  " << s.name << ": FWHM " << describeMm(s.fwhm_mm) << ", extra blur "
             << describeMm(s.extra_fwhm_mm) << "\n";
    }
    io.out << "wrote " << planPath.string() << "\n";
    for (const auto& out : outputs) io.out << "wrote " << out.string() << "\n";
    for (const auto& a : agreements) {
      io.out << a.scanner << " vs " << a.reference << " (before: grid and intensity only; after: "
             << "the plan): RMS difference " << formatNumber(a.before.rms_difference) << " -> "
             << formatNumber(a.after.rms_difference) << ", max |difference| "
             << formatNumber(a.before.max_abs_difference) << " -> "
             << formatNumber(a.after.max_abs_difference) << "\n";
    }
  }
  return kSuccess;
}

}  // namespace harmonia::cli
