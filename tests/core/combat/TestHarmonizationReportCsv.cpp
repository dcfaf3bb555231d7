// harmonizationReportCsv: the guard report as a CSV table, parsed back with parseCsv
// and compared with the report it was written from (a hand-made report: no model is fitted).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/combat/HarmonizationReport.h"
#include "core/io/Csv.h"

namespace harmonia {
namespace {

GuardMeasures measures(double fisher, double coef, double p) {
  GuardMeasures m;
  m.fisher_ratio = fisher;
  m.site_f = 3.25;
  m.site_p = 0.04;
  m.ks_max = 0.5;
  m.model_fitted = true;
  m.coefficients.push_back({"disease=patient", coef, 0.1, coef - 0.2, coef + 0.2, p});
  return m;
}

HarmonizationReport makeReport() {
  HarmonizationReport r;
  r.label_name = "disease";
  r.label_terms = {"disease=patient"};
  r.site_levels = {"A", "B"};
  FeatureGuard kept;
  kept.feature = "volume";
  kept.samples_used = 40;
  kept.before = measures(2.0, 1.5, 0.001);
  kept.after = measures(1.9, 1.45, 0.002);
  kept.fisher_change = -0.05;
  kept.biology_lost = 0.05;
  FeatureGuard lost;
  lost.feature = "glcm, \"contrast\"";  // quoted in the CSV
  lost.samples_used = 38;
  lost.before = measures(1.0, 0.1, 0.01);
  lost.after = GuardMeasures{};  // the model could not be fitted after: empty cells
  lost.after.fisher_ratio = 0.25;
  lost.after.site_p = std::numeric_limits<double>::quiet_NaN();
  lost.fisher_change = -0.75;
  lost.biology_lost = 0.75;
  lost.flagged = true;
  lost.flag_reasons = {"Fisher ratio dropped 75%", "model not fitted after"};
  r.features = {kept, lost};
  r.flagged_count = 1;
  return r;
}

TEST(HarmonizationReportCsv, ParsesBackToTheReport) {
  const HarmonizationReport report = makeReport();
  const auto rows = parseCsv(harmonizationReportCsv(report), "report");
  ASSERT_EQ(rows.size(), 3u);
  const auto& header = rows[0];
  ASSERT_EQ(header.size(), 11u + 8u + 3u);
  EXPECT_EQ(header[0], "feature");
  EXPECT_EQ(header[2], "fisher_before");
  EXPECT_EQ(header[11], "coef_disease=patient_before");
  EXPECT_EQ(header[15], "coef_disease=patient_after");
  EXPECT_EQ(header[19], "biology_lost");
  EXPECT_EQ(header[20], "flagged");
  EXPECT_EQ(header[21], "reasons");
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), header.size());
  }
  // By decreasing biology lost: the flagged feature first.
  const FeatureGuard& lost = report.features[1];
  EXPECT_EQ(rows[1][0], lost.feature);
  EXPECT_EQ(rows[1][1], "38");
  EXPECT_EQ(std::stod(rows[1][2]), lost.before.fisher_ratio);
  EXPECT_EQ(std::stod(rows[1][3]), lost.after.fisher_ratio);
  EXPECT_EQ(std::stod(rows[1][4]), lost.fisher_change);
  EXPECT_EQ(rows[1][8], "");  // site_p_after: NaN
  EXPECT_EQ(std::stod(rows[1][11]), lost.before.coefficients[0].estimate);
  EXPECT_EQ(std::stod(rows[1][14]), lost.before.coefficients[0].p);
  for (std::size_t c = 15; c < 19; ++c) {
    EXPECT_EQ(rows[1][c], "") << header[c];  // no coefficient after
  }
  EXPECT_EQ(std::stod(rows[1][19]), lost.biology_lost);
  EXPECT_EQ(rows[1][20], "1");
  EXPECT_EQ(rows[1][21], "Fisher ratio dropped 75%; model not fitted after");

  const FeatureGuard& kept = report.features[0];
  EXPECT_EQ(rows[2][0], "volume");
  EXPECT_EQ(std::stod(rows[2][6]), kept.after.site_f);
  EXPECT_EQ(std::stod(rows[2][16]), kept.after.coefficients[0].ci_lower);
  EXPECT_EQ(std::stod(rows[2][17]), kept.after.coefficients[0].ci_upper);
  EXPECT_EQ(rows[2][20], "0");
  EXPECT_EQ(rows[2][21], "");
}

TEST(HarmonizationReportCsv, NumbersAreShortestRoundTrip) {
  HarmonizationReport report = makeReport();
  report.features[0].before.fisher_ratio = 0.1;
  const std::string csv = harmonizationReportCsv(report);
  EXPECT_NE(csv.find("\nvolume,40,0.1,1.9,-0.05,3.25,3.25,0.04,0.04,0.5,0.5,"), std::string::npos)
      << csv;
}

}  // namespace
}  // namespace harmonia
