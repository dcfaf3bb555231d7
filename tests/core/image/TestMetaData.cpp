// Typed metadata values (core/image/MetaData.h): numbers and 3-vectors in mm
// read back exactly what was written, and malformed text reads as absent.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/image/MetaDataKeys.h"

namespace harmonia {
namespace {

TEST(MetaData, Vector3RoundTripsExactly) {
  MetaData m;
  // 0.1 + 0.2 and 1/3 have no short decimal form: a 6-digit stream would lose them.
  const Eigen::Vector3d v(0.1 + 0.2, 1.0 / 3.0, 5.0);
  setVector3_mm(m, metakey::kPsfFwhm_mm, v);
  EXPECT_EQ(m.at("psf_fwhm_mm").substr(m.at("psf_fwhm_mm").rfind(',')), ",5");
  const auto back = vector3_mm(m, metakey::kPsfFwhm_mm);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, v);  // bit for bit
  setVector3_mm(m, "k", Eigen::Vector3d(3.6, 3.6, 5));
  EXPECT_EQ(m.at("k"), "3.6,3.6,5");
}

TEST(MetaData, Vector3ReadsHandWrittenTextAndRefusesMalformed) {
  MetaData m{{"spaced", " 2, 2.5 ,3 "}, {"two", "1,2"},    {"four", "1,2,3,4"},
             {"word", "1,x,3"},         {"empty", ""},     {"nan", "1,nan,3"},
             {"trail", "1,2,3,"},       {"inf", "1,2,inf"}};
  EXPECT_EQ(vector3_mm(m, "spaced"), Eigen::Vector3d(2, 2.5, 3));
  for (const char* bad : {"two", "four", "word", "empty", "nan", "trail", "inf", "absent"}) {
    EXPECT_FALSE(vector3_mm(m, bad)) << bad;
  }
}

TEST(MetaData, NumberRoundTripsExactly) {
  MetaData m;
  setNumber(m, metakey::kGainAlpha, 1.5);
  EXPECT_EQ(m.at("gain_alpha"), "1.5");
  const double third = 1.0 / 3.0;
  setNumber(m, metakey::kNoiseSigma, third);
  EXPECT_EQ(number(m, metakey::kNoiseSigma), third);
  m["text"] = "12 mm";
  EXPECT_FALSE(number(m, "text"));
  EXPECT_FALSE(number(m, "absent"));
}

}  // namespace
}  // namespace harmonia
