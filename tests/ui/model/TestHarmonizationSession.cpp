// The Features workspace's model: ComBat and the guard run in a worker and give what the core
// functions give on the same data; cancel and supersede; export files that read back; clear
// messages for bad input.

#include <gtest/gtest.h>

#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "CohortTestSupport.h"
#include "core/combat/CohortTable.h"
#include "core/combat/ComBat.h"
#include "core/combat/HarmonizationReport.h"
#include "core/io/Csv.h"
#include "core/stats/Pca.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/HarmonizationSession.h"

namespace harmonia {
namespace {

using test::finishCohortJobs;

double maxAbsDiff(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  EXPECT_EQ(a.rows(), b.rows());
  EXPECT_EQ(a.cols(), b.cols());
  if (a.rows() != b.rows() || a.cols() != b.cols()) return HUGE_VAL;
  return (a - b).cwiseAbs().maxCoeff();
}

std::string readText(const QString& path) {
  std::ifstream in(path.toStdString());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class HarmonizationSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.isValid());
    cohort_ = test::makeConfoundedCohort();
    path_ = dir_.filePath(QStringLiteral("cohort.csv"));
    test::writeCohortCsv(cohort_, path_.toStdString());
  }
  void TearDown() override { runner_.cancelAll(); }

  /// Opens the cohort with site, the disease label and age protected.
  void openConfigured() {
    ASSERT_TRUE(session_.open(path_)) << session_.message().toStdString();
    EXPECT_EQ(session_.settings().site_column, QStringLiteral("site"));  // guessed
    session_.setLabelColumn(QStringLiteral("disease"));
    session_.setCovariates({QStringLiteral("age")}, {});
  }

  ComBatCovariates ageCovariate() const { return {{{"age", cohort_.age}}, {}}; }

  QTemporaryDir dir_;
  test::TestCohort cohort_;
  QString path_;
  JobRunner runner_;
  HarmonizationSession session_{&runner_};
};

// The session's ComBat reads exactly the generated doubles (17 digits), so it must agree
// with a direct call to the bit; 1e-12 leaves room for a differently ordered reduction.
constexpr double kSame = 1e-12;

TEST_F(HarmonizationSessionTest, RunsInAWorkerAndMatchesTheCoreFunctions) {
  openConfigured();
  EXPECT_EQ(session_.featureColumns().size(), 10);
  ASSERT_TRUE(session_.run()) << session_.message().toStdString();
  EXPECT_TRUE(session_.isRunning());
  EXPECT_EQ(session_.result(), nullptr);  // nothing until the worker is done
  ASSERT_TRUE(finishCohortJobs(runner_));
  EXPECT_FALSE(session_.isRunning());
  const auto r = session_.result();
  ASSERT_NE(r, nullptr) << session_.message().toStdString();

  const ComBatFitResult fit =
      fitComBat(cohort_.data, cohort_.feature_names, cohort_.sites, ageCovariate(), {});
  EXPECT_LE(maxAbsDiff(r->before, cohort_.data), 0.0);
  EXPECT_LE(maxAbsDiff(r->after, fit.harmonized), kSame);
  EXPECT_LE(maxAbsDiff(r->model.gamma_star, fit.model.gamma_star), kSame);

  const HarmonizationReport report = makeHarmonizationReport(
      cohort_.data, fit.harmonized, cohort_.feature_names, cohort_.sites,
      CategoricalCovariate{"disease", cohort_.disease, std::nullopt}, ageCovariate());
  ASSERT_TRUE(r->report.has_value());
  EXPECT_EQ(r->report->flagged_count, report.flagged_count);
  EXPECT_GT(report.flagged_count, 0u);  // the confounded label is erased, and flagged
  EXPECT_EQ(r->report->orderByBiologyLost(), report.orderByBiologyLost());
  for (std::size_t f = 0; f < report.features.size(); ++f) {
    EXPECT_EQ(r->report->features[f].flagged, report.features[f].flagged) << f;
    EXPECT_NEAR(r->report->features[f].before.fisher_ratio, report.features[f].before.fisher_ratio,
                kSame);
    EXPECT_NEAR(r->report->features[f].biology_lost, report.features[f].biology_lost, 1e-9);
    EXPECT_NEAR(r->site_f_before[f], report.features[f].before.site_f, 1e-9 * r->site_f_before[f]);
  }
  const PcaResult pca = computePca(cohort_.data.transpose(), 2, true);
  EXPECT_LE(maxAbsDiff(r->pca_before.scores, pca.scores), 1e-9);
  EXPECT_EQ(r->pca_before.scores.rows(), 120);
  // The box plots show the flagged feature that lost the most biology first.
  const auto order = report.orderByBiologyLost();
  const auto firstFlagged = *std::find_if(
      order.begin(), order.end(), [&](std::size_t f) { return report.features[f].flagged; });
  EXPECT_EQ(session_.selectedFeature(), static_cast<int>(firstFlagged));
  EXPECT_TRUE(session_.message().contains(QStringLiteral("flagged")));
}

TEST_F(HarmonizationSessionTest, ProtectingTheLabelKeepsItAndTheGuardSeesNoLoss) {
  openConfigured();
  session_.setCovariates({QStringLiteral("age"), QStringLiteral("disease")},
                         {QStringLiteral("disease")});
  ASSERT_TRUE(session_.run()) << session_.message().toStdString();
  ASSERT_TRUE(finishCohortJobs(runner_));
  ASSERT_NE(session_.result(), nullptr) << session_.message().toStdString();
  ASSERT_TRUE(session_.result()->report.has_value());
  for (int f = 0; f < 5; ++f) {  // the features with a disease effect
    EXPECT_FALSE(session_.result()->report->features[static_cast<std::size_t>(f)].flagged) << f;
  }
}

TEST_F(HarmonizationSessionTest, GuardOptionsReachTheReport) {
  openConfigured();
  HarmonizationReportOptions options;
  options.drop_threshold = 0.3;
  options.only_where_significant_before = true;
  session_.setGuardOptions(options);
  ASSERT_TRUE(session_.run());
  ASSERT_TRUE(finishCohortJobs(runner_));
  const auto r = session_.result();
  ASSERT_NE(r, nullptr);
  ASSERT_TRUE(r->report.has_value());
  const ComBatFitResult fit =
      fitComBat(cohort_.data, cohort_.feature_names, cohort_.sites, ageCovariate(), {});
  const HarmonizationReport report = makeHarmonizationReport(
      cohort_.data, fit.harmonized, cohort_.feature_names, cohort_.sites,
      CategoricalCovariate{"disease", cohort_.disease, std::nullopt}, ageCovariate(), options);
  EXPECT_EQ(r->report->flagged_count, report.flagged_count);
  EXPECT_DOUBLE_EQ(r->report->options.drop_threshold, 0.3);
  EXPECT_TRUE(r->report->options.only_where_significant_before);
}

TEST_F(HarmonizationSessionTest, CancelLeavesNoPartialResult) {
  openConfigured();
  ASSERT_TRUE(session_.run());
  session_.cancel();
  ASSERT_TRUE(finishCohortJobs(runner_));
  EXPECT_EQ(session_.result(), nullptr);
  EXPECT_FALSE(session_.isRunning());
  EXPECT_TRUE(session_.message().contains(QStringLiteral("Cancelled")));
  // A finished result survives a cancelled later run unchanged.
  ASSERT_TRUE(session_.run());
  ASSERT_TRUE(finishCohortJobs(runner_));
  const auto first = session_.result();
  ASSERT_NE(first, nullptr);
  ComBatOptions meanOnly;
  meanOnly.mean_only = true;
  session_.setComBatOptions(meanOnly);
  ASSERT_TRUE(session_.run());
  session_.cancel();
  ASSERT_TRUE(finishCohortJobs(runner_));
  EXPECT_EQ(session_.result(), first);
}

TEST_F(HarmonizationSessionTest, ANewRunSupersedesTheRunningOne) {
  openConfigured();
  int results = 0;
  QObject::connect(&session_, &HarmonizationSession::resultChanged, [&results] { ++results; });
  ASSERT_TRUE(session_.run());
  ComBatOptions options;
  options.empirical_bayes = EmpiricalBayes::NonParametric;
  options.reference_site = "siteB";
  session_.setComBatOptions(options);
  ASSERT_TRUE(session_.run());
  ASSERT_TRUE(finishCohortJobs(runner_));
  EXPECT_EQ(results, 1);
  const auto r = session_.result();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->settings.combat.empirical_bayes, EmpiricalBayes::NonParametric);
  const ComBatFitResult fit =
      fitComBat(cohort_.data, cohort_.feature_names, cohort_.sites, ageCovariate(), options);
  EXPECT_LE(maxAbsDiff(r->after, fit.harmonized), kSame);
}

TEST_F(HarmonizationSessionTest, FitsOnASubsetAndHarmonizesEveryScan) {
  openConfigured();
  session_.setFitWhere(QStringLiteral("disease=control"));
  ASSERT_TRUE(session_.run()) << session_.message().toStdString();
  ASSERT_TRUE(finishCohortJobs(runner_));
  const auto r = session_.result();
  ASSERT_NE(r, nullptr) << session_.message().toStdString();
  std::vector<std::size_t> controls;
  for (std::size_t j = 0; j < cohort_.sites.size(); ++j) {
    if (cohort_.disease[j] == "control") controls.push_back(j);
  }
  EXPECT_EQ(r->fit_scans, controls.size());
  Eigen::MatrixXd fitData(cohort_.data.rows(), static_cast<Eigen::Index>(controls.size()));
  std::vector<std::string> fitSites;
  NumericCovariate fitAge{"age", {}};
  for (std::size_t k = 0; k < controls.size(); ++k) {
    fitData.col(static_cast<Eigen::Index>(k)) =
        cohort_.data.col(static_cast<Eigen::Index>(controls[k]));
    fitSites.push_back(cohort_.sites[controls[k]]);
    fitAge.values.push_back(cohort_.age[controls[k]]);
  }
  const ComBatFitResult fit =
      fitComBat(fitData, cohort_.feature_names, fitSites, {{fitAge}, {}}, {});
  const ComBatApplyResult all = applyComBat(fit.model, cohort_.data, cohort_.sites, ageCovariate());
  EXPECT_EQ(r->after.cols(), 120);
  EXPECT_LE(maxAbsDiff(r->after, all.harmonized), kSame);
}

TEST_F(HarmonizationSessionTest, ExportedFilesReadBack) {
  openConfigured();
  const QString table = dir_.filePath(QStringLiteral("out/harmonized.csv"));
  EXPECT_FALSE(session_.exportHarmonized(table));  // nothing yet
  EXPECT_TRUE(session_.message().contains(QStringLiteral("run")));
  ASSERT_TRUE(session_.run());
  ASSERT_TRUE(finishCohortJobs(runner_));
  const auto r = session_.result();
  ASSERT_NE(r, nullptr);
  // A missing folder is an error with a message, never a crash.
  EXPECT_FALSE(session_.exportHarmonized(table));
  EXPECT_FALSE(session_.message().isEmpty());
  ASSERT_TRUE(QDir(dir_.path()).mkdir(QStringLiteral("out")));
  ASSERT_TRUE(session_.exportHarmonized(table)) << session_.message().toStdString();
  const CohortTable back = readCohortTable(table.toStdString());
  const CohortTable original = readCohortTable(path_.toStdString());
  ASSERT_EQ(back.header, original.header);
  ASSERT_EQ(back.rows.size(), 120u);
  for (std::size_t j = 0; j < back.rows.size(); ++j) {
    for (std::size_t c = 0; c < 4; ++c) EXPECT_EQ(back.rows[j][c], original.rows[j][c]);
    for (Eigen::Index f = 0; f < 10; ++f) {
      // Written as the shortest round-trip text: the same double reads back.
      EXPECT_EQ(std::stod(back.rows[j][4 + static_cast<std::size_t>(f)]),
                r->after(f, static_cast<Eigen::Index>(j)));
    }
  }
  const QString model = dir_.filePath(QStringLiteral("model.json"));
  ASSERT_TRUE(session_.exportModel(model)) << session_.message().toStdString();
  const ComBatModel loaded = loadComBatModel(model.toStdString());
  EXPECT_EQ(loaded.feature_names, r->model.feature_names);
  EXPECT_LE(maxAbsDiff(loaded.gamma_star, r->model.gamma_star), 0.0);
  const QString report = dir_.filePath(QStringLiteral("report.csv"));
  ASSERT_TRUE(session_.exportReport(report)) << session_.message().toStdString();
  const auto rows = parseCsv(readText(report), "report");
  ASSERT_EQ(rows.size(), 11u);
  // The CLI's layout: feature, samples, ..., biology_lost, flagged, reasons; by biology lost.
  EXPECT_EQ(rows[0][0], "feature");
  EXPECT_EQ(rows[0][1], "samples");
  ASSERT_GE(rows[0].size(), 3u);
  EXPECT_EQ(rows[0][rows[0].size() - 3], "biology_lost");
  EXPECT_EQ(rows[0][rows[0].size() - 2], "flagged");
  EXPECT_EQ(rows[0].back(), "reasons");
  const auto order = r->report->orderByBiologyLost();
  for (std::size_t k = 0; k < 10; ++k) {
    const FeatureGuard& g = r->report->features[order[k]];
    ASSERT_EQ(rows[k + 1].size(), rows[0].size());
    EXPECT_EQ(rows[k + 1][0], g.feature);
    EXPECT_EQ(rows[k + 1][rows[0].size() - 2], g.flagged ? "1" : "0");
    EXPECT_EQ(std::stod(rows[k + 1][rows[0].size() - 3]), g.biology_lost);
    EXPECT_EQ(g.flagged, !rows[k + 1].back().empty());
  }
}

// The scanner metadata that `features --manifest` adds (slice thickness, pixel
// spacing...) is numeric but never a feature, as in `harmonia-cli combat`.
TEST_F(HarmonizationSessionTest, ManifestMetadataColumnsAreNotFeatures) {
  std::ifstream in(path_.toStdString());
  std::string header;
  std::getline(in, header);
  std::ostringstream withMetadata;
  withMetadata << header << ",slice_thickness_mm,pixel_spacing_mm\n";
  for (std::string line; std::getline(in, line);) withMetadata << line << ",3,0.98\n";
  in.close();
  const QString path = dir_.filePath(QStringLiteral("with-metadata.csv"));
  std::ofstream(path.toStdString()) << withMetadata.str();
  ASSERT_TRUE(session_.open(path)) << session_.message().toStdString();
  session_.setLabelColumn(QStringLiteral("disease"));
  session_.setCovariates({QStringLiteral("age")}, {});
  const QStringList features = session_.featureColumns();
  EXPECT_EQ(features.size(), 10);
  EXPECT_FALSE(features.contains(QStringLiteral("slice_thickness_mm")));
  EXPECT_FALSE(features.contains(QStringLiteral("pixel_spacing_mm")));
}

TEST_F(HarmonizationSessionTest, BadInputGetsAClearMessageAndStartsNothing) {
  EXPECT_FALSE(session_.run());
  EXPECT_TRUE(session_.message().contains(QStringLiteral("open a feature table")));
  EXPECT_FALSE(session_.open(dir_.filePath(QStringLiteral("missing.csv"))));
  EXPECT_TRUE(session_.message().contains(QStringLiteral("missing.csv")));

  openConfigured();
  session_.setSiteColumn(QString());
  EXPECT_FALSE(session_.run());
  EXPECT_TRUE(session_.message().contains(QStringLiteral("choose the site column")));

  session_.setSiteColumn(QStringLiteral("scan"));
  session_.setLabelColumn(QStringLiteral("scan"));
  EXPECT_FALSE(session_.run());
  EXPECT_TRUE(session_.message().contains(QStringLiteral("label column cannot be the site")));

  session_.setSiteColumn(QStringLiteral("site"));
  session_.setLabelColumn(QStringLiteral("disease"));
  session_.setCovariates({QStringLiteral("disease")}, {});  // text, not marked categorical
  EXPECT_FALSE(session_.run());
  EXPECT_TRUE(session_.message().contains(QStringLiteral("categorical")));

  session_.setCovariates({}, {});
  session_.setFitWhere(QStringLiteral("disease"));
  EXPECT_FALSE(session_.run());
  EXPECT_TRUE(session_.message().contains(QStringLiteral("COLUMN=VALUE")));
  session_.setFitWhere(QStringLiteral("disease=nobody"));
  EXPECT_FALSE(session_.run());
  EXPECT_TRUE(session_.message().contains(QStringLiteral("nobody")));
  EXPECT_EQ(runner_.runningCount(), 0);

  // One site only.
  test::TestCohort one = cohort_;
  for (auto& s : one.sites) s = "siteA";
  const QString onePath = dir_.filePath(QStringLiteral("one.csv"));
  test::writeCohortCsv(one, onePath.toStdString());
  ASSERT_TRUE(session_.open(onePath));
  EXPECT_FALSE(session_.run());
  EXPECT_TRUE(session_.message().contains(QStringLiteral("only one site")));

  // A text cell in a feature column.
  std::string text = readText(path_);
  text.insert(text.rfind(',', text.size() - 1) + 1, "oops");  // the last scan's feat_9
  const QString badPath = dir_.filePath(QStringLiteral("bad.csv"));
  { std::ofstream(badPath.toStdString()) << text; }
  ASSERT_TRUE(session_.open(badPath));
  EXPECT_FALSE(session_.run());
  EXPECT_TRUE(session_.message().contains(QStringLiteral("feat_9")));
  EXPECT_TRUE(session_.message().contains(QStringLiteral("not a number")));

  // A ragged row.
  const QString raggedPath = dir_.filePath(QStringLiteral("ragged.csv"));
  { std::ofstream(raggedPath.toStdString()) << "site,a\nx,1\ny\n"; }
  EXPECT_FALSE(session_.open(raggedPath));
  EXPECT_TRUE(session_.message().contains(QStringLiteral("row 2")));
  EXPECT_EQ(runner_.runningCount(), 0);
}

TEST_F(HarmonizationSessionTest, NeuroCombatDataMatchesTheCoreFunctions) {
  const test::TestCohort nc = test::readNeuroCombatCohort();
  if (nc.sites.empty()) GTEST_SKIP() << "no ../shared/data/combat/testdata.csv";
  const QString path = dir_.filePath(QStringLiteral("neurocombat.csv"));
  test::writeCohortCsv(nc, path.toStdString());
  ASSERT_TRUE(session_.open(path));
  session_.setLabelColumn(QStringLiteral("disease"));
  EXPECT_EQ(session_.featureColumns().size(), nc.feature_names.size() + 1);  // + age
  session_.setIgnoredColumns({QStringLiteral("age")});                       // not a feature here
  EXPECT_EQ(session_.featureColumns().size(), nc.feature_names.size());
  for (const bool protect : {false, true}) {
    session_.setCovariates(protect ? QStringList{QStringLiteral("disease")} : QStringList{},
                           {QStringLiteral("disease")});
    ASSERT_TRUE(session_.run()) << session_.message().toStdString();
    ASSERT_TRUE(finishCohortJobs(runner_));
    const auto r = session_.result();
    ASSERT_NE(r, nullptr) << session_.message().toStdString();
    ComBatCovariates covariates;
    if (protect) covariates.categorical.push_back({"disease", nc.disease, std::nullopt});
    const ComBatFitResult fit = fitComBat(nc.data, nc.feature_names, nc.sites, covariates, {});
    EXPECT_LE(maxAbsDiff(r->after, fit.harmonized), kSame) << "protect " << protect;
    const HarmonizationReport report =
        makeHarmonizationReport(nc.data, fit.harmonized, nc.feature_names, nc.sites,
                                CategoricalCovariate{"disease", nc.disease, std::nullopt}, {});
    ASSERT_TRUE(r->report.has_value());
    EXPECT_EQ(r->report->flagged_count, report.flagged_count) << "protect " << protect;
    EXPECT_EQ(r->pca_after.scores.rows(), 10);
  }
}

}  // namespace
}  // namespace harmonia
