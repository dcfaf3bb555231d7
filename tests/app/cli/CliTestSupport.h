#pragma once
// Runs the real harmonia-cli executable (HARMONIA_CLI) in a shell and
// captures its exit code, standard output and standard error.

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
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

/// The short name the CLI tests use for a result.
using Result = CliResult;

/// The demo photograph the 2-D command tests read.
inline const std::string kCoffee = std::string(HARMONIA_RESOURCES) + "/demo/coffee.png";

/// The first number stored under "key" in a JSON text (-12345 when absent).
inline double jsonNumber(const std::string& json, const std::string& key) {
  std::smatch m;
  const std::regex re("\"" + key + "\"\\s*:\\s*([-+0-9.eE]+)");
  if (!std::regex_search(json, m, re)) return -12345.0;
  return std::stod(m[1]);
}

/// The number of lines of `s` (its newlines).
inline std::size_t lineCount(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

/// The paths and bytes of every file under `folder`, concatenated (to check
/// that inputs are left unchanged).
inline std::string folderBytes(const std::filesystem::path& folder) {
  std::string all;
  for (const auto& e : std::filesystem::recursive_directory_iterator(folder)) {
    if (e.is_regular_file()) all += e.path().string() + fileBytes(e.path());
  }
  return all;
}

}  // namespace harmonia::test
