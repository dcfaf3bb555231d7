// The harmonization plan: the proposal against hand-computed targets and extra
// blurs, the JSON round trip and its errors, and applying a plan to two
// synthetic scans of one object (blurred in this file with two known
// anisotropic Gaussians, then given different gains and offsets) that must
// then agree far better than before, and match the object blurred to the
// target resolution.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ReferenceBlur.h"
#include "core/measure/HarmonizationPlan.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {

// Three objects of different values, at least 10 voxels from every face, on a
// 40^3 grid of 1 mm voxels.
Volume truthVolume() {
  Geometry3D g;
  g.size = {40, 40, 40};
  g.spacing_mm = {1, 1, 1};
  g.origin_mm = {-20, 5, 3};
  Volume v(g, 0.0f);
  for (int k = 0; k < 40; ++k)
    for (int j = 0; j < 40; ++j)
      for (int i = 0; i < 40; ++i) {
        float value = 0;
        if ((Eigen::Vector3d(i, j, k) - Eigen::Vector3d(21, 20, 19)).norm() <= 7.0) value = 100;
        if (i >= 12 && i <= 16 && j >= 11 && j <= 17 && k >= 22 && k <= 28) value = 50;
        if ((Eigen::Vector3d(i, j, k) - Eigen::Vector3d(26, 13, 25)).norm() <= 3.0) value = 200;
        v.at(i, j, k) = value;
      }
  return v;
}

// The reference blur (ReferenceBlur.h): sampled Gaussians, float64.
Volume blur(const Volume& in, const Eigen::Vector3d& fwhm_mm) {
  return test::referenceBlur(in, fwhm_mm);
}

Volume gainOffset(const Volume& in, double gain, double offset) {
  Volume r = in;
  for (float& v : r.voxels()) v = static_cast<float>(gain * v + offset);
  return r;
}

struct Diff {
  double rms = 0, max = 0;
};

Diff difference(const Volume& a, const Volume& b) {
  EXPECT_TRUE(a.geometry().sameGrid(b.geometry()));
  Diff d;
  double sum2 = 0;
  for (std::size_t i = 0; i < a.voxelCount(); ++i) {
    const double e = static_cast<double>(a.voxels()[i]) - b.voxels()[i];
    sum2 += e * e;
    d.max = std::max(d.max, std::abs(e));
  }
  d.rms = std::sqrt(sum2 / static_cast<double>(a.voxelCount()));
  return d;
}

const Eigen::Vector3d kFwhmA{2.0, 2.0, 4.0};
const Eigen::Vector3d kFwhmB{3.0, 2.5, 2.0};

std::vector<ScannerMeasurement> twoScanners() {
  return {{"A", kFwhmA, {1.0, 1.0, 1.0}, std::nullopt},
          {"B", kFwhmB, {1.0, 1.0, 1.0}, std::nullopt}};
}

std::filesystem::path tempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("harmonia_plan_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
          "_" + name);
}

}  // namespace

TEST(HarmonizationPlan, ProposesTheWorstFwhmPerAxisAndTheQuadratureExtraBlur) {
  const std::vector<ScannerMeasurement> m = {
      {"CT1", {3.0, 4.0, 5.0}, {0.7, 0.7, 2.5}, std::nullopt},
      {"CT2", {5.0, 4.0, 2.0}, {0.9, 0.9, 1.0}, std::nullopt},
      {"CT3", {4.0, 2.5, 3.0}, {1.2, 1.2, 0.8}, std::nullopt}};
  const HarmonizationPlan plan = proposePlan(m);
  EXPECT_EQ(plan.version, 1);
  EXPECT_EQ(plan.intensity, IntensityStep::ZScore);
  EXPECT_EQ(plan.target_fwhm_mm, Eigen::Vector3d(5.0, 4.0, 5.0));
  EXPECT_DOUBLE_EQ(plan.spacing_mm, 2.5);  // the coarsest spacing over scanners and axes
  ASSERT_EQ(plan.scanners.size(), 3u);
  // sqrt(5^2 - 3^2) = 4, sqrt(4^2 - 4^2) = 0, sqrt(5^2 - 5^2) = 0.
  EXPECT_NEAR(plan.scanners[0].extra_fwhm_mm[0], 4.0, 1e-12);
  EXPECT_NEAR(plan.scanners[0].extra_fwhm_mm[1], 0.0, 1e-12);
  EXPECT_NEAR(plan.scanners[0].extra_fwhm_mm[2], 0.0, 1e-12);
  // 0, 0, sqrt(25 - 4) = sqrt(21).
  EXPECT_NEAR(plan.scanners[1].extra_fwhm_mm[0], 0.0, 1e-12);
  EXPECT_NEAR(plan.scanners[1].extra_fwhm_mm[2], std::sqrt(21.0), 1e-12);
  // sqrt(25 - 16) = 3, sqrt(16 - 6.25) = sqrt(9.75), sqrt(25 - 9) = 4.
  EXPECT_NEAR(plan.scanners[2].extra_fwhm_mm[0], 3.0, 1e-12);
  EXPECT_NEAR(plan.scanners[2].extra_fwhm_mm[1], std::sqrt(9.75), 1e-12);
  EXPECT_NEAR(plan.scanners[2].extra_fwhm_mm[2], 4.0, 1e-12);
  EXPECT_EQ(plan.scanners[1].name, "CT2");
  EXPECT_EQ(plan.scanners[1].fwhm_mm, m[1].fwhm_mm);

  EXPECT_DOUBLE_EQ(proposePlan(m, IntensityStep::None, 1.5).spacing_mm, 1.5);
}

TEST(HarmonizationPlan, RefusesBadMeasurements) {
  std::vector<ScannerMeasurement> m = twoScanners();
  EXPECT_THROW(proposePlan(std::span<const ScannerMeasurement>{}), ParameterError);
  m[1].name = "A";
  EXPECT_THROW(proposePlan(m), ParameterError);
  m = twoScanners();
  m[0].fwhm_mm[2] = std::nan("");
  EXPECT_THROW(proposePlan(m), ParameterError);
  m = twoScanners();
  m[1].spacing_mm[0] = 0;
  EXPECT_THROW(proposePlan(m), ParameterError);
  m = twoScanners();
  try {
    proposePlan(m, IntensityStep::Linear);  // no linearity fits
    FAIL() << "expected ParameterError";
  } catch (const ParameterError& e) {
    EXPECT_NE(std::string(e.what()).find("'A'"), std::string::npos) << e.what();
  }
}

TEST(HarmonizationPlan, JsonRoundTripIsExact) {
  std::vector<ScannerMeasurement> m = {{"GE Discovery",
                                        {0.1 + 0.2, 1.0 / 3.0, 4.7},
                                        {0.976562, 0.976562, 3.27},
                                        LinearityFit{1.0 / 7.0, -1024.25, 0.99931}},
                                       {"Siemens",
                                        {2.0 / 3.0, 3.14159265358979, 5.1},
                                        {1.5, 1.5, 2.0},
                                        LinearityFit{1.03, 12.5e-3, 1.0}}};
  const HarmonizationPlan plan = proposePlan(m, IntensityStep::Linear);
  const auto check = [&](const HarmonizationPlan& back) {
    EXPECT_EQ(back.version, plan.version);
    EXPECT_EQ(back.intensity, plan.intensity);
    EXPECT_EQ(back.target_fwhm_mm, plan.target_fwhm_mm);  // exact, not near
    EXPECT_EQ(back.spacing_mm, plan.spacing_mm);
    ASSERT_EQ(back.scanners.size(), plan.scanners.size());
    for (std::size_t i = 0; i < plan.scanners.size(); ++i) {
      EXPECT_EQ(back.scanners[i].name, plan.scanners[i].name);
      EXPECT_EQ(back.scanners[i].fwhm_mm, plan.scanners[i].fwhm_mm);
      EXPECT_EQ(back.scanners[i].extra_fwhm_mm, plan.scanners[i].extra_fwhm_mm);
      ASSERT_TRUE(back.scanners[i].values.has_value());
      EXPECT_EQ(back.scanners[i].values->slope, plan.scanners[i].values->slope);
      EXPECT_EQ(back.scanners[i].values->intercept, plan.scanners[i].values->intercept);
      EXPECT_EQ(back.scanners[i].values->r2, plan.scanners[i].values->r2);
    }
  };
  check(planFromJson(planToJson(plan), "memory"));
  const auto path = tempPath("roundtrip.json");
  savePlan(plan, path.string());
  check(loadPlan(path.string()));
  std::filesystem::remove(path);

  // Without values and with another intensity step.
  const HarmonizationPlan none = proposePlan(twoScanners(), IntensityStep::None, 2.0);
  const HarmonizationPlan back = planFromJson(planToJson(none), "memory");
  EXPECT_EQ(back.intensity, IntensityStep::None);
  EXPECT_FALSE(back.scanners[0].values.has_value());
  EXPECT_EQ(back.spacing_mm, 2.0);
}

TEST(HarmonizationPlan, BadPlanFilesNameTheFileAndTheProblem) {
  const std::string good = planToJson(proposePlan(twoScanners()));
  const auto expectError = [](const std::string& text, const std::string& problem) {
    try {
      planFromJson(text, "site/plan.json");
      FAIL() << "expected InputError for " << problem;
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), "site/plan.json");
      EXPECT_NE(std::string(e.what()).find(problem), std::string::npos) << e.what();
    }
  };
  std::string v2 = good;
  v2.replace(v2.find("\"version\": 1"), 12, "\"version\": 2");
  expectError(v2, "unsupported plan version 2");
  expectError("{not json", "not valid JSON");
  expectError("{\"format\":\"harmonia-plan\",\"version\":1}", "target_fwhm_mm");
  expectError(R"({"format":"harmonia-plan","version":1,"target_fwhm_mm":[3,3,3],"spacing_mm":1,)"
              R"("intensity":"none","scanners":[]})",
              "scanners");
  expectError(
      R"({"format":"harmonia-plan","version":1,"target_fwhm_mm":[3,3,3],"spacing_mm":1,)"
      R"("intensity":"none","scanners":[{"name":"A","fwhm_mm":[4,3,3],"extra_fwhm_mm":[0,0,0]}]})",
      "sharpening");
  std::string badStep = good;
  badStep.replace(badStep.find("\"zscore\""), 8, "\"gamma\"");
  expectError(badStep, "intensity");

  // A missing file, and nothing left behind by a failed save.
  const auto missing = tempPath("missing.json");
  try {
    loadPlan(missing.string());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), missing);
  }
  const auto badDir = tempPath("no_such_dir") / "plan.json";
  EXPECT_THROW(savePlan(proposePlan(twoScanners()), badDir.string()), InputError);
  EXPECT_FALSE(std::filesystem::exists(badDir));
}

TEST(HarmonizationPlan, ReadsTheMeasurePsfJson) {
  const std::string text =
      R"({"command":"measure psf","file":"/data/scans/siteA.nii.gz","method":"edge",)"
      R"("centre_mm":[0,0,0],"spacing_mm":[0.8,0.8,3],"fwhm_mm":[2.5,2.6,5.1],)"
      R"("fwhm_stderr_mm":[0.01,0.01,0.05],"warnings":[]})";
  const ScannerMeasurement m = measurementFromPsfJson(text, "a.json");
  EXPECT_EQ(m.name, "siteA");
  EXPECT_EQ(m.fwhm_mm, Eigen::Vector3d(2.5, 2.6, 5.1));
  EXPECT_EQ(m.spacing_mm, Eigen::Vector3d(0.8, 0.8, 3.0));
  EXPECT_EQ(measurementFromPsfJson(text, "a.json", "CT 1").name, "CT 1");
  try {
    measurementFromPsfJson(R"({"file":"x.nii","fwhm_mm":[1,2],"spacing_mm":[1,1,1]})", "b.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "b.json");
    EXPECT_NE(std::string(e.what()).find("fwhm_mm"), std::string::npos);
  }
  // An axis that was not measured (0) cannot be planned for.
  EXPECT_THROW(measurementFromPsfJson(R"({"file":"x.nii","fwhm_mm":[1,0,2],"spacing_mm":[1,1,1]})",
                                      "c.json"),
               InputError);
}

TEST(HarmonizationPlan, ApplyingThePlanMakesTwoScannersAgree) {
  const Volume truth = truthVolume();
  // Scanner A: FWHM (2, 2, 4) mm, gain 1.3, offset -20; B: (3, 2.5, 2) mm, gain 0.7, offset 55.
  const Volume scanA = gainOffset(blur(truth, kFwhmA), 1.3, -20.0);
  const Volume scanB = gainOffset(blur(truth, kFwhmB), 0.7, 55.0);
  const HarmonizationPlan plan = proposePlan(twoScanners());
  ASSERT_EQ(plan.target_fwhm_mm, Eigen::Vector3d(3.0, 2.5, 4.0));
  ASSERT_EQ(plan.spacing_mm, 1.0);

  const Volume a = applyPlan(scanA, plan, "A");
  const Volume b = applyPlan(scanB, plan, "B");
  ASSERT_TRUE(a.geometry().sameGrid(truth.geometry()));  // 1 mm over the same box
  EXPECT_EQ(a.units(), "z");

  const Diff raw = difference(scanA, scanB);
  const Diff zOnly = difference(test::referenceZScoreWhole(scanA),
                                test::referenceZScoreWhole(scanB));  // intensity step alone
  const Diff after = difference(a, b);
  // The reference: the object blurred to the target resolution, z-scored.
  const Volume reference = test::referenceZScoreWhole(blur(truth, plan.target_fwhm_mm));
  const Diff toReferenceA = difference(a, reference);
  const Diff toReferenceB = difference(b, reference);
  std::cout << "raw rms " << raw.rms << " max " << raw.max << "; z-score only rms " << zOnly.rms
            << " max " << zOnly.max << "; plan rms " << after.rms << " max " << after.max
            << "; to reference max " << toReferenceA.max << ", " << toReferenceB.max << "\n";
  EXPECT_LT(after.rms, raw.rms / 100.0);
  EXPECT_LT(after.rms, zOnly.rms / 10.0);
  EXPECT_LT(after.max, zOnly.max / 10.0);
  EXPECT_LT(toReferenceA.max, 0.05);
  EXPECT_LT(toReferenceB.max, 0.05);
}

TEST(HarmonizationPlan, LinearStepMapsToNominalUnitsAndTheGridFollowsTheSpacing) {
  const Volume truth = truthVolume();
  std::vector<ScannerMeasurement> m = twoScanners();
  m[0].values = LinearityFit{1.3, -20.0, 1.0};
  m[1].values = LinearityFit{0.7, 55.0, 1.0};
  const HarmonizationPlan plan = proposePlan(m, IntensityStep::Linear, 2.0);
  const Volume a = applyPlan(gainOffset(blur(truth, kFwhmA), 1.3, -20.0), plan, "A");
  const Volume b = applyPlan(gainOffset(blur(truth, kFwhmB), 0.7, 55.0), plan, "B");
  // 40 mm at 2 mm: 20 voxels, centred on the same box.
  EXPECT_EQ(a.geometry().size, (std::array<int, 3>{20, 20, 20}));
  EXPECT_EQ(a.geometry().spacing_mm, Eigen::Vector3d(2, 2, 2));
  EXPECT_NEAR(a.geometry().origin_mm.x(), -20.0 - 0.5 + 1.0, 1e-9);
  // Voxel (i,j,k) at 2 mm covers 1 mm voxels 2i, 2i+1: the centre is halfway,
  // so the reference is the mean of the 8 voxels of the target-blurred object.
  const Volume target = blur(truth, plan.target_fwhm_mm);
  double maxErrA = 0, maxErrB = 0, peak = 0;
  for (int k = 0; k < 20; ++k)
    for (int j = 0; j < 20; ++j)
      for (int i = 0; i < 20; ++i) {
        double ref = 0;
        for (int d = 0; d < 8; ++d)
          ref += target.at(2 * i + (d & 1), 2 * j + (d >> 1 & 1), 2 * k + (d >> 2 & 1));
        ref /= 8;
        peak = std::max(peak, ref);
        maxErrA = std::max(maxErrA, std::abs(a.at(i, j, k) - ref));
        maxErrB = std::max(maxErrB, std::abs(b.at(i, j, k) - ref));
      }
  std::cout << "linear: max error A " << maxErrA << ", B " << maxErrB << " of peak " << peak
            << "\n";
  EXPECT_LT(maxErrA, 0.01 * peak);
  EXPECT_LT(maxErrB, 0.01 * peak);
}

TEST(HarmonizationPlan, ZScoreUsesTheRoiWhenGivenAndUnknownScannersAreRefused) {
  const Volume truth = truthVolume();
  const Volume scan = gainOffset(blur(truth, kFwhmA), 2.0, 10.0);
  const HarmonizationPlan plan = proposePlan(twoScanners());
  // ROI: the inner 6 mm of the big sphere, where the blurred value is flat (100).
  MaskVolume roi(scan.geometry(), 0);
  for (int k = 0; k < 40; ++k)
    for (int j = 0; j < 40; ++j)
      for (int i = 0; i < 40; ++i)
        if ((Eigen::Vector3d(i, j, k) - Eigen::Vector3d(21, 20, 19)).norm() <= 2.0)
          roi.at(i, j, k) = 1;
  // Inside the ROI the harmonized image is nearly constant, so the ROI's mean
  // maps to 0 there; the background (0 in the object, 10 in the scan) lies far below.
  const Volume z = applyPlan(scan, plan, "A", &roi);
  EXPECT_NEAR(z.at(21, 20, 19), 0.0, 2.0);
  EXPECT_LT(z.at(2, 2, 2), -50.0);

  try {
    applyPlan(scan, plan, "C");
    FAIL();
  } catch (const ParameterError& e) {
    EXPECT_NE(std::string(e.what()).find("'C'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("A, B"), std::string::npos);
  }
  Geometry3D other = scan.geometry();
  other.size = {10, 10, 10};
  const MaskVolume wrong(other, 1);
  EXPECT_THROW(applyPlan(scan, plan, "A", &wrong), InputError);
}
