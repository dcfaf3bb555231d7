#include "app/cli/Cli.h"

#include <algorithm>
#include <exception>
#include <functional>
#include <iostream>

#include "core/util/Error.h"
#include "core/util/Version.h"

namespace harmonia::cli {
namespace {

struct Command {
  const char* name;
  const char* summary;
  const char* usage;
  std::vector<std::string> flags;   // boolean options
  std::vector<std::string> valued;  // options taking a value
  std::function<int(const Arguments&, Streams)> run;
};

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"info",
       "Describe an image or volume: type, size, spacing, value statistics",
       "harmonia-cli info FILE [--json]",
       {"--json"},
       {},
       runInfo},
      {"convert",
       "Convert between PNG, JPEG, TIFF (8/16-bit, float) and NIfTI (.nii, .nii.gz); IN may be a "
       "DICOM folder (HU/SUV)",
       "harmonia-cli convert IN OUT [--series ID] [--json]",
       {"--json"},
       {"--series"},
       runConvert},
      {"scan",
       "List the DICOM series in a folder (and the files skipped, with the reason)",
       "harmonia-cli scan DIR [--json]",
       {"--json"},
       {},
       runScan},
      {"inspect",
       "A DICOM series' geometry, units, value conversion and statistics (inside a mask)",
       "harmonia-cli inspect DIR [--series ID] [--mask FILE_OR_RTSTRUCT [--roi NAME]] [--json]",
       {"--json"},
       {"--series", "--mask", "--roi"},
       runInspect},
      {"match-kernel",
       "Blur an image from one Gaussian resolution (FWHM per axis, mm) to a coarser one",
       "harmonia-cli match-kernel IN OUT --from-fwhm X,Y[,Z] --to-fwhm X,Y[,Z] [--truncate S] "
       "[--series ID] [--dicom] [--json]",
       {"--json", "--dicom"},
       {"--from-fwhm", "--to-fwhm", "--truncate", "--series"},
       runMatchKernel},
      {"standardize",
       "Blur volumes (NIfTI or one-series DICOM folders) to their worst resolution and "
       "resample all onto one isotropic grid, or apply a harmonization plan to a study",
       "harmonia-cli standardize IN... --fwhm X,Y,Z (once per IN, in order) [--spacing S] "
       "[--interp nearest|linear|cubic] --outdir DIR [--dicom] [--json]\n"
       "       harmonia-cli standardize --plan PLAN.json --scanner NAME IN -o OUT [--mask M] "
       "[--series ID] [--dicom] [--json]",
       {"--json", "--dicom"},
       {"--fwhm", "--spacing", "--interp", "--outdir", "--plan", "--scanner", "--mask", "--series",
        "-o"},
       runStandardize},
      {"match-histogram",
       "Give IN the intensity histogram of REF (inside optional masks)",
       "harmonia-cli match-histogram IN REF OUT [--mask M] [--ref-mask RM] "
       "[--method full|landmarks] [--series ID] [--ref-series ID] [--dicom] [--json]",
       {"--json", "--dicom"},
       {"--mask", "--ref-mask", "--method", "--series", "--ref-series"},
       runMatchHistogram},
      {"zscore",
       "Z-score an image with the mean and SD (or median and IQR) inside a mask",
       "harmonia-cli zscore IN OUT --mask M [--robust] [--series ID] [--dicom] [--json]",
       {"--json", "--robust", "--dicom"},
       {"--mask", "--series"},
       runZScore},
      {"resample",
       "Resample a volume onto an isotropic spacing or onto another volume's grid",
       "harmonia-cli resample IN OUT (--spacing S | --like REF) [--interp nearest|linear|cubic] "
       "[--as-mask [--interp nearest|partial]] [--series ID] [--dicom] [--json]",
       {"--json", "--as-mask", "--dicom"},
       {"--spacing", "--like", "--interp", "--series"},
       runResample},
      {"compare",
       "Statistics of two volumes, each alone and voxel by voxel on a common grid (mean "
       "difference, RMSE, Pearson, Wasserstein-1), inside an optional mask or RTSTRUCT ROI",
       "harmonia-cli compare A B [--series UID] [--b-series UID] [--mask M | --roi NAME] "
       "[--grid a|b] [--offset X,Y,Z] [--json]",
       {"--json"},
       {"--series", "--b-series", "--mask", "--roi", "--grid", "--offset"},
       runCompare},
      {"blend",
       "Paste a masked source into a target: seamless (Poisson) or feathered alpha",
       "harmonia-cli blend --target T --source S --mask M --at X,Y "
       "--mode normal|mixed|monochrome|alpha [--feather R] [--solver auto|direct|sor|multigrid] "
       "-o OUT [--json]",
       {"--json"},
       {"--target", "--source", "--mask", "--at", "--mode", "--feather", "--solver", "-o"},
       runBlend},
      {"features",
       "IBSI radiomic features of a ROI (CSV or JSON), or of a cohort listed in a manifest",
       "harmonia-cli features IMAGE (--mask M | --roi NAME) [--series UID] (--config FILE | "
       "--ibsi phantom|A|B|C|D|E) [--csv OUT] [--json]\n"
       "       harmonia-cli features --manifest cohort.csv (--config FILE | --ibsi NAME) "
       "-o features.csv [--jobs N] [--strict] [--json]",
       {"--json", "--strict"},
       {"--mask", "--roi", "--series", "--config", "--ibsi", "--csv", "--manifest", "-o", "--jobs"},
       runFeatures},
      {"feature-map",
       "One texture feature in a sphere around every ROI voxel, as a NIfTI map",
       "harmonia-cli feature-map IMAGE (--mask M | --roi NAME) [--series UID] --feature TAG "
       "--radius-mm R -o MAP.nii.gz (--config FILE | --ibsi phantom|A|B|C|D|E) [--json]",
       {"--json"},
       {"--mask", "--roi", "--series", "--feature", "--radius-mm", "-o", "--config", "--ibsi"},
       runFeatureMap},
      {"combat",
       "ComBat harmonization of a cohort feature table: fit a model (and harmonize), or apply "
       "a saved model to new scans",
       "harmonia-cli combat fit TABLE.csv --site COL [--covariates a,b] [--categorical b] "
       "[--ref-site S] [--mean-only] [--non-parametric | --no-eb] [--fit-where COL=VALUE] "
       "[--features LIST|REGEX] [--new-sites] --model MODEL.json -o HARMONIZED.csv [--json]\n"
       "       harmonia-cli combat apply --model MODEL.json TABLE.csv -o HARMONIZED.csv "
       "[--site COL] [--new-sites] [--json]",
       {"--json", "--mean-only", "--non-parametric", "--no-eb", "--new-sites"},
       {"--site", "--covariates", "--categorical", "--ref-site", "--fit-where", "--features",
        "--model", "-o"},
       runCombat},
      {"harmonization-report",
       "The over-harmonization guard: per feature, the label's Fisher ratio and mixed-model "
       "coefficient and the site effect before and after; flags biology lost",
       "harmonia-cli harmonization-report BEFORE.csv AFTER.csv --site COL --label COL "
       "[--covariates a,b] [--categorical b] [--features LIST|REGEX] [--threshold 0.2] "
       "[--only-significant] [--json | --csv OUT]",
       {"--json", "--only-significant"},
       {"--site", "--label", "--covariates", "--categorical", "--features", "--threshold", "--csv"},
       runHarmonizationReport},
      {"measure",
       "Measure a phantom scan: the PSF FWHM per axis with MTF50/MTF10 (psf), noise and "
       "uniformity (noise), insert values (values), NEMA/IEC PET recovery with the EARL "
       "verdicts (nema); a harmonization plan proposed from PSF measurements and checked on "
       "the phantom scans (plan)",
       "harmonia-cli measure psf IMAGE --method edge|sphere|point [--centre x,y,z] "
       "[--diameter MM] [--roi-radius MM] [--bin-width F] [--json]\n"
       "       harmonia-cli measure noise IMAGE --roi x,y,z,hx,hy,hz [--uniformity-offset MM] "
       "[--no-uniformity] [--json]\n"
       "       harmonia-cli measure values IMAGE --insert name,x,y,z,r,nominal [--insert ...] "
       "[--json]\n"
       "       harmonia-cli measure nema IMAGE [--ratio R] [--background B] "
       "[--spheres x,y,z;...] [--no-filter] [--json]\n"
       "       harmonia-cli measure plan MEAS1.json MEAS2.json ... -o PLAN.json [--names A,B] "
       "[--intensity zscore|none] [--spacing S] [--apply SCAN1,SCAN2 [--masks M1,M2] --outdir DIR] "
       "[--json]",
       {"--json", "--no-uniformity", "--no-filter"},
       {"--method", "--centre", "--diameter", "--roi-radius", "--bin-width", "--roi",
        "--uniformity-offset", "--insert", "--ratio", "--background", "--spheres", "--series", "-o",
        "--names", "--intensity", "--spacing", "--apply", "--masks", "--outdir"},
       runMeasure},
      {"protocol",
       "The validation protocol: a texture phantom scanned by virtual scanners, harmonized; "
       "feature agreement before and after (and the images with --outdir)",
       "harmonia-cli protocol [--config protocol.json] [--outdir DIR] [--json]",
       {"--json"},
       {"--config", "--outdir"},
       runProtocol},
  };
  return table;
}

void printHelp(std::ostream& out) {
  out << "harmonia-cli " << version() << ": image harmonization from the command line\n\n"
      << "Usage: harmonia-cli COMMAND [ARGS] [--json]\n"
      << "       harmonia-cli COMMAND --help\n\nCommands:\n";
  for (const auto& c : commands()) {
    const std::size_t width = std::string(c.name).size();
    out << "  " << c.name << std::string(width < 16 ? 18 - width : 2, ' ') << c.summary << "\n";
  }
  out << "\nOptions:\n  --help      Show this help\n  --version   Show the version and libraries\n"
      << "\nExit status: 0 success, 1 bad input (the message names the file and the problem),\n"
      << "2 bad usage.\n";
}

}  // namespace

Arguments::Arguments(std::vector<std::string> args, std::vector<std::string> flags,
                     std::vector<std::string> valued) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a;
      std::string value;
      bool inlineValue = false;
      if (auto eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        inlineValue = true;
      }
      if (std::find(flags.begin(), flags.end(), name) != flags.end() && !inlineValue) {
        options_.emplace_back(name, "");
      } else if (std::find(valued.begin(), valued.end(), name) != valued.end()) {
        if (!inlineValue) {
          if (i + 1 >= args.size()) throw UsageError{"option " + name + " needs a value"};
          value = args[++i];
        }
        options_.emplace_back(name, value);
      } else {
        throw UsageError{"unknown option " + a};
      }
    } else if (a == "-o" && std::find(valued.begin(), valued.end(), "-o") != valued.end()) {
      if (i + 1 >= args.size()) throw UsageError{"option -o needs a value"};
      options_.emplace_back("-o", args[++i]);
    } else {
      positionals_.push_back(a);
    }
  }
}

bool Arguments::flag(const std::string& name) const { return has(name); }

bool Arguments::has(const std::string& name) const {
  return std::any_of(options_.begin(), options_.end(),
                     [&](const auto& o) { return o.first == name; });
}

std::vector<std::string> Arguments::values(const std::string& name) const {
  std::vector<std::string> all;
  for (const auto& [option, value] : options_) {
    if (option == name) all.push_back(value);
  }
  return all;
}

std::string Arguments::value(const std::string& name, const std::string& fallback) const {
  for (auto it = options_.rbegin(); it != options_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return fallback;
}

void Arguments::expectPositionals(std::size_t n, const std::string& usage) const {
  if (positionals_.size() != n) {
    throw UsageError{"expected " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") +
                     ", got " + std::to_string(positionals_.size()) + "\nusage: " + usage};
  }
}

int runCli(const std::vector<std::string>& args, Streams io) {
  if (args.size() < 2) {
    printHelp(io.err);
    return kBadUsage;
  }
  const std::string& first = args[1];
  if (first == "--help" || first == "-h" || first == "help") {
    printHelp(io.out);
    return kSuccess;
  }
  if (first == "--version") {
    io.out << "harmonia-cli " << version() << "\n";
    for (const auto& [name, v] : coreLibraryVersions()) io.out << "  " << name << " " << v << "\n";
    return kSuccess;
  }
  const auto& table = commands();
  const auto it =
      std::find_if(table.begin(), table.end(), [&](const Command& c) { return first == c.name; });
  if (it == table.end()) {
    io.err << "harmonia-cli: unknown command '" << first << "' (see harmonia-cli --help)\n";
    return kBadUsage;
  }
  const std::vector<std::string> rest(args.begin() + 2, args.end());
  if (std::find(rest.begin(), rest.end(), "--help") != rest.end()) {
    io.out << "usage: " << it->usage << "\n" << it->summary << "\n";
    return kSuccess;
  }
  try {
    const Arguments parsed(rest, it->flags, it->valued);
    return it->run(parsed, io);
  } catch (const UsageError& e) {
    io.err << "harmonia-cli " << it->name << ": " << e.message << "\n";
    return kBadUsage;
  } catch (const InputError& e) {
    io.err << "harmonia-cli " << it->name << ": " << e.what() << "\n";
    return kBadInput;
  } catch (const ParameterError& e) {
    io.err << "harmonia-cli " << it->name << ": " << e.what() << "\n";
    return kBadUsage;
  } catch (const std::exception& e) {
    io.err << "harmonia-cli " << it->name << ": " << e.what() << "\n";
    return kBadInput;
  }
}

}  // namespace harmonia::cli
