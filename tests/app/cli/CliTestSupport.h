#pragma once
// Runs the real harmonia-cli executable (HARMONIA_CLI) in a shell and
// captures its exit code, standard output and standard error.

#include <sys/wait.h>

#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#include "TestSupport.h"

namespace harmonia::test {

/// What one harmonia-cli run produced.
struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

/// Quotes a string for /bin/sh.
inline std::string shellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// Runs harmonia-cli with `args`; its output goes through files in `dir`,
/// which are removed again, so `dir` holds only what the command wrote.
inline CliResult runCli(const ScratchDir& dir, const std::vector<std::string>& args) {
  std::string cmd = shellQuote(HARMONIA_CLI);
  for (const auto& a : args) {
    cmd += ' ';
    cmd += shellQuote(a);
  }
  const auto out = dir / "stdout.txt";
  const auto err = dir / "stderr.txt";
  cmd += " >" + shellQuote(out.string()) + " 2>" + shellQuote(err.string()) + " </dev/null";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = fileBytes(out);
  r.err = fileBytes(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

/// The short names the CLI tests use: `cli(dir, {"convert", ...})`.
using Result = CliResult;
inline CliResult cli(const ScratchDir& dir, const std::vector<std::string>& args) {
  return runCli(dir, args);
}

/// The demo photograph the 2-D command tests read.
inline const std::string kCoffee = std::string(HARMONIA_RESOURCES) + "/demo/coffee.png";

/// The first number stored under "key" in a JSON text (-12345 when absent).
inline double jsonNumber(const std::string& json, const std::string& key) {
  std::smatch m;
  const std::regex re("\"" + key + "\"\\s*:\\s*([-+0-9.eE]+)");
  if (!std::regex_search(json, m, re)) return -12345.0;
  return std::stod(m[1]);
}

}  // namespace harmonia::test
