#pragma once
// Error types. Bad input is reported with one line naming the file and the problem.

#include <filesystem>
#include <stdexcept>
#include <string>

namespace harmonia {

/// Bad input: a file that cannot be read, wrong sizes, empty masks, NaNs...
/// what() is "<file>: <problem>" when a file is involved, else "<problem>".
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& problem)
      : std::runtime_error(problem), problem_(problem) {}
  InputError(const std::filesystem::path& file, const std::string& problem)
      : std::runtime_error(file.string() + ": " + problem), file_(file), problem_(problem) {}
  /// The file involved, empty when none.
  [[nodiscard]] const std::filesystem::path& file() const { return file_; }
  /// The problem, without the file name.
  [[nodiscard]] const std::string& problem() const { return problem_; }

 private:
  std::filesystem::path file_;
  std::string problem_;
};

/// Invalid parameters passed by the caller (a programming or usage error).
class ParameterError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace harmonia
