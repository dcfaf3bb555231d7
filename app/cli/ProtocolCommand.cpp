// harmonia-cli protocol [--config protocol.json] [--outdir DIR] [--json]: the
// validation protocol (core/phantom/Protocol.h) end to end: a texture phantom
// scanned by virtual scanners, harmonized, and the IBSI features compared
// between scanners before and after.

#include <cctype>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "app/cli/Cli.h"
#include "app/cli/FeatureInputs.h"
#include "core/io/ImageIO.h"
#include "core/phantom/Protocol.h"
#include "core/util/Error.h"

namespace harmonia::cli {
namespace {

constexpr const char* kProtocolUsage =
    "harmonia-cli protocol [--config protocol.json] [--outdir DIR] [--json]";

// A file-name-safe form of a name: letters, digits, '-' and '_' kept, others '_'.
std::string slug(const std::string& name) {
  std::string s;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    s += (std::isalnum(u) != 0 || c == '-' || c == '_') ? c : '_';
  }
  return s.empty() ? std::string("unnamed") : s;
}

void writeOutputs(const std::filesystem::path& dir, const ProtocolConfig& config,
                  const ProtocolResult& result) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw InputError(dir, "could not create the output folder");
  }
  for (std::size_t s = 0; s < result.scenarios.size(); ++s) {
    const ScenarioResult& r = result.scenarios[s];
    const std::filesystem::path sub = dir / (std::to_string(s + 1) + "_" + slug(r.name));
    std::filesystem::create_directories(sub, ec);
    if (ec) throw InputError(sub, "could not create the output folder");
    const auto& scanners = config.scenarios[s].scanners;
    for (std::size_t k = 0; k < r.scans.size(); ++k) {
      const std::string stem = std::to_string(k + 1) + "_" + slug(scanners[k].name);
      writeVolume(r.scans[k], sub / ("scan_" + stem + ".nii.gz"));
      writeVolume(r.harmonized[k], sub / ("harmonized_" + stem + ".nii.gz"));
    }
  }
  writeTextAtomically(dir / "protocol_config.json", protocolConfigToJson(config) + "\n");
  writeTextAtomically(dir / "protocol.json", protocolResultToJson(result) + "\n");
}

std::string table(const ProtocolResult& result) {
  std::ostringstream s;
  s << std::setprecision(3);
  for (const ScenarioResult& r : result.scenarios) {
    s << "Scenario " << r.name << " (target FWHM " << r.target_fwhm_mm.x() << " x "
      << r.target_fwhm_mm.y() << " x " << r.target_fwhm_mm.z() << " mm, common grid "
      << r.common_spacing_mm << " mm)\n";
    s << "  max relative feature difference: before " << r.max_rel_diff_before << ", after "
      << r.max_rel_diff_after << " (spatial kernels: " << r.max_rel_diff_after_spatial << ")\n";
    s << "  max image difference after (z): " << r.max_image_diff_after << " (in the ROI "
      << r.max_image_diff_after_roi << "; spatial kernels " << r.max_image_diff_after_spatial
      << ")\n";
    s << "  " << std::left << std::setw(28) << "family" << std::right << std::setw(12) << "before"
      << std::setw(12) << "after" << std::setw(12) << "spatial" << std::setw(10) << "shrink\n";
    for (const FamilyAgreement& f : r.families) {
      s << "  " << std::left << std::setw(28) << f.family << std::right << std::setw(12)
        << f.max_rel_diff_before << std::setw(12) << f.max_rel_diff_after << std::setw(12)
        << f.max_rel_diff_after_spatial << std::setw(9);
      if (f.max_rel_diff_after > 0.0) {
        s << f.max_rel_diff_before / f.max_rel_diff_after << "x\n";
      } else {
        s << "exact"
          << "\n";
      }
    }
    for (const std::string& n : r.notes) s << "  note: " << n << "\n";
    s << "\n";
  }
  return s.str();
}

}  // namespace

int runProtocol(const Arguments& args, Streams io) {
  args.expectPositionals(0, kProtocolUsage);
  ProtocolConfig config = defaultProtocolConfig();
  if (args.has("--config")) {
    const std::filesystem::path path = args.value("--config");
    config = readProtocolConfig(path);
  }
  ProtocolResult result;
  try {
    result = harmonia::runProtocol(config);
  } catch (const ParameterError& e) {
    // A config that parsed but the scanners refused (e.g. a PSF the grid cannot hold).
    if (args.has("--config")) throw InputError(args.value("--config"), e.what());
    throw;
  }
  if (args.has("--outdir")) writeOutputs(args.value("--outdir"), config, result);
  if (args.flag("--json")) {
    io.out << protocolResultToJson(result) << "\n";
  } else {
    io.out << table(result);
  }
  return kSuccess;
}

}  // namespace harmonia::cli
