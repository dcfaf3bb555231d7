// ASCII case folding (core/util/AsciiCase.h): letters change, every other byte
// (digits, punctuation, UTF-8 sequences) is left as it is.
#include <gtest/gtest.h>

#include <string>

#include "core/util/AsciiCase.h"

namespace harmonia {
namespace {

TEST(AsciiCase, FoldsLettersOnly) {
  EXPECT_EQ(asciiUpper("suv bw-2.5 Bq/ml"), "SUV BW-2.5 BQ/ML");
  EXPECT_EQ(asciiLower("ROI_Liver.DCM"), "roi_liver.dcm");
  EXPECT_EQ(asciiUpper(""), "");
  // Every byte value: only a-z / A-Z move, and by exactly 'a' - 'A'.
  for (int b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    const char up = asciiUpper(one)[0];
    const char low = asciiLower(one)[0];
    const bool lower = b >= 'a' && b <= 'z';
    const bool upper = b >= 'A' && b <= 'Z';
    EXPECT_EQ(up, lower ? static_cast<char>(b - 32) : static_cast<char>(b)) << b;
    EXPECT_EQ(low, upper ? static_cast<char>(b + 32) : static_cast<char>(b)) << b;
  }
}

TEST(AsciiCase, LeavesUtf8Alone) {
  const std::string name = "\xC3\xA9tude \xC3\x89TUDE";  // "étude ÉTUDE" in UTF-8
  EXPECT_EQ(asciiUpper(name), "\xC3\xA9TUDE \xC3\x89TUDE");
  EXPECT_EQ(asciiLower(name), "\xC3\xA9tude \xC3\x89tude");
}

}  // namespace
}  // namespace harmonia
