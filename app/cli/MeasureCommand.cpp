// harmonia-cli measure SUB ...: phantom measurements, one subcommand per file
// (MeasurePsfCommand.cpp, MeasureNoiseCommand.cpp (noise + values),
// MeasureNemaCommand.cpp, MeasurePlanCommand.cpp).

#include "app/cli/Cli.h"

namespace harmonia::cli {

int runMeasure(const Arguments& args, Streams io) {
  const std::string subs = "psf|noise|values|nema|plan";
  if (args.positionals().empty()) {
    throw UsageError{"missing what to measure (" + subs + ")\nusage: harmonia-cli measure " + subs +
                     " ..."};
  }
  const std::string& sub = args.positionals()[0];
  if (sub == "psf") return runMeasurePsf(args, io);
  if (sub == "noise") return runMeasureNoise(args, io);
  if (sub == "values") return runMeasureValues(args, io);
  if (sub == "nema") return runMeasureNema(args, io);
  throw UsageError{"unknown measurement '" + sub + "' (" + subs + ")"};
}

}  // namespace harmonia::cli
