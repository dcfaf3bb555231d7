// harmonia-cli measure SUB ...: the phantom measurements, one subcommand each
// (psf in MeasurePsfCommand.cpp).

#include "app/cli/Cli.h"

namespace harmonia::cli {

int runMeasure(const Arguments& args, Streams io) {
  const std::string subcommands = "psf|noise|values|nema|plan";
  if (args.positionals().empty()) {
    throw UsageError{"expected a subcommand (" + subcommands + ")"};
  }
  const std::string& sub = args.positionals()[0];
  if (sub == "psf") return runMeasurePsf(args, io);
  throw UsageError{"unknown subcommand '" + sub + "' (" + subcommands + ")"};
}

}  // namespace harmonia::cli
