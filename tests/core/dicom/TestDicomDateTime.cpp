// DICOM date/time parsing: the clock every decay correction runs on.

#include <gtest/gtest.h>

#include "core/dicom/DicomDateTime.h"

using namespace harmonia;

TEST(DicomDateTime, ParsesDatesTimesAndDateTimes) {
  EXPECT_DOUBLE_EQ(*parseDicomTime("110000.000000 "), 11 * 3600.0);
  EXPECT_DOUBLE_EQ(*parseDicomTime("10:30:15.5"), 10 * 3600.0 + 30 * 60 + 15.5);
  EXPECT_DOUBLE_EQ(*parseDicomTime("1030"), 10 * 3600.0 + 30 * 60);
  EXPECT_FALSE(parseDicomTime("abc"));
  EXPECT_FALSE(parseDicomDate("2025011"));
  const double day = *parseDicomDate("20250102") - *parseDicomDate("20250101");
  EXPECT_DOUBLE_EQ(day, 86400.0);
  EXPECT_DOUBLE_EQ(*parseDicomDateTime("20250101100000.000000"),
                   *parseDicomDate("20250101") + 36000.0);
  EXPECT_DOUBLE_EQ(*parseDicomDateTime("20250101100000+0100"),
                   *parseDicomDateTime("20250101100000"));
  EXPECT_EQ(formatDateTime(*parseDicomDateTime("20250101233000.5")), "2025-01-01 23:30:00.500");
}
