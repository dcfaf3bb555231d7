#pragma once
// Helpers shared by the core tests: scratch folders and file hashes.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace harmonia::test {

/// A fresh empty folder under the system temp dir, removed on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("harmonia-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

/// The bytes of a file.
/// Writes `text` to `path` as it is (binary).
inline void writeText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// True when `part` occurs in `s`.
inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

inline std::string fileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Writes the first `keep` bytes of `from` to `to`.
inline void writeTruncated(const std::filesystem::path& from, const std::filesystem::path& to,
                           std::size_t keep) {
  const std::string bytes = fileBytes(from);
  std::ofstream out(to, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(std::min(keep, bytes.size())));
}

/// Number of entries in a folder (to check that nothing was left behind).
inline std::size_t entryCount(const std::filesystem::path& folder) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(folder)) ++n;
  return n;
}

/// Root of ../shared/data, or empty when absent (tests then skip).
inline std::filesystem::path sharedData() {
  std::filesystem::path p = HARMONIA_SHARED_DATA;
  std::error_code ec;
  return std::filesystem::is_directory(p, ec) ? p : std::filesystem::path();
}

}  // namespace harmonia::test

#define HARMONIA_REQUIRE_SHARED_DATA(var)                               \
  const std::filesystem::path var = harmonia::test::sharedData();       \
  if (var.empty())                                                      \
  GTEST_SKIP() << "shared test data not found at " HARMONIA_SHARED_DATA \
                  " (clone ../shared beside the repository to run this test)"
