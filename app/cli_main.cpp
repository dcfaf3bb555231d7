// harmonia-cli: the command-line entry point (see app/cli/Cli.h).

#include <iostream>
#include <string>
#include <vector>

#include "app/cli/Cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  return harmonia::cli::runCli(args, {std::cout, std::cerr});
}
