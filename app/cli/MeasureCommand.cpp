// harmonia-cli measure SUB ...: the phantom measurements and the harmonization
// plan, one subcommand per file (MeasurePlanCommand.cpp, ...).

#include "app/cli/Cli.h"

namespace harmonia::cli {

int runMeasure(const Arguments& args, Streams io) {
  const std::string subcommands = "psf|noise|values|nema|plan";
  if (args.positionals().empty()) {
    throw UsageError{"which measurement? harmonia-cli measure " + subcommands + " ..."};
  }
  const std::string& sub = args.positionals().front();
  if (sub == "plan") return runMeasurePlan(args, io);
  throw UsageError{"unknown measurement '" + sub + "' (expected " + subcommands + ")"};
}

}  // namespace harmonia::cli
