// Cohort CSV tables of ComBat (core/combat/CohortTable.h).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "TestSupport.h"
#include "core/combat/CohortTable.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

std::filesystem::path write(const test::ScratchDir& dir, const std::string& text) {
  const auto file = dir / "t.csv";
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

std::string errorOf(const std::filesystem::path& file) {
  try {
    (void)readCohortTable(file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(CohortTable, ReadsSelectsAndWritesBack) {
  const test::ScratchDir dir;
  const auto file = write(dir,
                          "id,site,age,f_a,f_b,note,image\n"
                          "\"x, 1\",A,40,1.5,NA,hello,a.nii\n"
                          "x2,B,50,,2.25,\"say \"\"hi\"\"\",b.nii\n"
                          "x3,B,60,3,1e-3,,c.nii\n");
  const CohortTable t = readCohortTable(file);
  ASSERT_EQ(t.rowCount(), 3u);
  EXPECT_EQ(t.rows[0][0], "x, 1");
  // Default: numeric columns except the named and the manifest's metadata ones.
  const auto cols = selectFeatureColumns(t, "", {"site", "age"});
  EXPECT_EQ(cols, (std::vector<std::size_t>{3, 4}));
  EXPECT_EQ(selectFeatureColumns(t, "f_b,f_a", {}), (std::vector<std::size_t>{4, 3}));
  EXPECT_EQ(selectFeatureColumns(t, "f_.*", {}), (std::vector<std::size_t>{3, 4}));
  EXPECT_THROW((void)selectFeatureColumns(t, "zz.*", {}), InputError);
  EXPECT_THROW((void)selectFeatureColumns(t, "note", {}), InputError);  // not numbers
  EXPECT_THROW((void)selectFeatureColumns(t, "f_a", {"f_a"}), InputError);
  const Eigen::MatrixXd m = featureMatrix(t, cols);
  EXPECT_EQ(m(0, 0), 1.5);
  EXPECT_TRUE(std::isnan(m(0, 1)));
  EXPECT_TRUE(std::isnan(m(1, 0)));
  EXPECT_EQ(m(1, 2), 1e-3);
  Eigen::MatrixXd out = m;
  out(0, 0) = 0.1 + 0.2;  // needs 17 digits
  const auto copy = dir / "out.csv";
  writeCohortTable(t, cols, out, copy);
  const CohortTable back = readCohortTable(copy);
  EXPECT_EQ(back.header, t.header);
  EXPECT_EQ(back.rows[1][5], "say \"hi\"");
  EXPECT_EQ(back.rows[0][4], "NA");  // a missing value keeps its cell
  EXPECT_EQ(featureMatrix(back, cols)(0, 0), 0.1 + 0.2);
  EXPECT_EQ(back.rows[0][3], formatRoundTrip(0.1 + 0.2));
  EXPECT_EQ(back.rows[2][4], "0.001");
}

TEST(CohortTable, TellsNumericColumns) {
  const test::ScratchDir dir;
  const CohortTable t = readCohortTable(write(dir,
                                              "site,age,grade,empty,mixed\n"
                                              "A,40,1,,1\n"
                                              "B, NA ,2,NA,x\n"
                                              "B,+1e2,,N/A,3\n"));
  EXPECT_FALSE(t.isNumeric(0));  // text
  EXPECT_TRUE(t.isNumeric(1));   // numbers and a missing cell
  EXPECT_TRUE(t.isNumeric(2));
  EXPECT_FALSE(t.isNumeric(3));  // only missing cells
  EXPECT_FALSE(t.isNumeric(4));  // one text cell
}

TEST(CohortTable, ClearErrors) {
  const test::ScratchDir dir;
  EXPECT_NE(errorOf(write(dir, "a,b\n1,2\n3\n")).find("row 2 has 1 cells, the header 2"),
            std::string::npos);
  EXPECT_NE(errorOf(write(dir, "a,a\n1,2\n")).find("names column 'a' twice"), std::string::npos);
  EXPECT_NE(errorOf(write(dir, "a,b\n")).find("no rows"), std::string::npos);
  EXPECT_NE(errorOf(dir / "missing.csv").find("no such file"), std::string::npos);
  const CohortTable t = readCohortTable(write(dir, "site,f\nA,1\nB,x\nA,2\nB,3\n"));
  try {
    (void)selectFeatureColumns(t, "", {"site"});
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("row 2, column 'f': 'x' is not a number"),
              std::string::npos)
        << e.what();
  }
  try {
    (void)t.column("nosite", "site");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no site column 'nosite' (the columns are: site, f)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(parseCohortNumber("1.5x"));
  EXPECT_EQ(*parseCohortNumber(" +2 "), 2.0);
  // A feature table's hundreds of columns are not all listed.
  CohortTable wide = t;
  for (int i = 0; i < 300; ++i) wide.header.push_back("f" + std::to_string(i));
  try {
    (void)wide.column("nosite", "site");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("site, f, f0, f1,"), std::string::npos) << what;
    EXPECT_NE(what.find("... and 290 more"), std::string::npos) << what;
    EXPECT_EQ(what.find("f299"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace harmonia
