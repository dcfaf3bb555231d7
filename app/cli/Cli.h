#pragma once
// harmonia-cli: every operation of the GUI as a command, for batches and tests.
//
// Exit codes: 0 success; 1 bad input (one line on stderr naming the file and
// the problem); 2 bad usage. Subcommands live in one file each and register
// themselves in Cli.cpp's table.

#include <iosfwd>
#include <string>
#include <vector>

namespace harmonia::cli {

/// Exit codes shared by every subcommand.
enum ExitCode : int { kSuccess = 0, kBadInput = 1, kBadUsage = 2 };

/// Thrown for bad usage (unknown option, missing argument); exits with 2.
struct UsageError {
  std::string message;
};

/// Parsed arguments of one subcommand: positionals plus --options.
class Arguments {
 public:
  Arguments(std::vector<std::string> args, std::vector<std::string> flags,
            std::vector<std::string> valued);
  /// True when the boolean flag (e.g. "--json") was given.
  [[nodiscard]] bool flag(const std::string& name) const;
  /// The value of an option taking a value, or `fallback` when absent.
  [[nodiscard]] std::string value(const std::string& name, const std::string& fallback = "") const;
  [[nodiscard]] bool has(const std::string& name) const;
  /// Every value given for a repeatable option, in command-line order.
  [[nodiscard]] std::vector<std::string> values(const std::string& name) const;
  /// Positional arguments, in order.
  [[nodiscard]] const std::vector<std::string>& positionals() const { return positionals_; }
  /// Throws UsageError unless exactly `n` positionals were given.
  void expectPositionals(std::size_t n, const std::string& usage) const;

 private:
  std::vector<std::string> positionals_;
  std::vector<std::pair<std::string, std::string>> options_;
};

/// Output streams of a command (std::cout/std::cerr, or strings in tests).
struct Streams {
  std::ostream& out;
  std::ostream& err;
};

/// Runs harmonia-cli with argv-style arguments (args[0] is the program name).
int runCli(const std::vector<std::string>& args, Streams io);

// Subcommands.
int runInfo(const Arguments& args, Streams io);
int runConvert(const Arguments& args, Streams io);
int runScan(const Arguments& args, Streams io);
int runInspect(const Arguments& args, Streams io);
int runMatchKernel(const Arguments& args, Streams io);
int runStandardize(const Arguments& args, Streams io);
int runMatchHistogram(const Arguments& args, Streams io);
int runZScore(const Arguments& args, Streams io);
int runResample(const Arguments& args, Streams io);
int runCompare(const Arguments& args, Streams io);
int runBlend(const Arguments& args, Streams io);
int runFeatures(const Arguments& args, Streams io);
int runFeatureMap(const Arguments& args, Streams io);
int runCombat(const Arguments& args, Streams io);
int runHarmonizationReport(const Arguments& args, Streams io);
/// measure SUB: dispatches to the measure subcommands below.
int runMeasure(const Arguments& args, Streams io);
int runMeasurePsf(const Arguments& args, Streams io);
int runMeasureNoise(const Arguments& args, Streams io);
int runMeasureValues(const Arguments& args, Streams io);
int runMeasureNema(const Arguments& args, Streams io);
int runProtocol(const Arguments& args, Streams io);

}  // namespace harmonia::cli
