// The SUV rules on synthetic headers: every branch of the QIBA algorithm and
// the manual's extensions, and clear errors for missing attributes.

#include <gtest/gtest.h>

#include <cmath>

#include "core/dicom/SuvCalculator.h"
#include "core/util/Error.h"
#include "dicom/DicomTestSupport.h"

using namespace harmonia;
using harmonia::test::sliceOf;

namespace {

constexpr double kHalfLife = 6586.2;
constexpr double kDose = 368.08e6;

// The default DRO: BQML, START, 70 kg, injected 10:00, scanned 11:00.
DicomHeader baseline() {
  DicomHeader h;
  h.set(tag::Modality, "PT");
  h.set(tag::Units, "BQML");
  h.set(tag::DecayCorrection, "START");
  h.set(tag::PatientWeight, "70.0");
  h.set(tag::PatientSize, "1.75");
  h.set(tag::PatientSex, "M");
  h.set(tag::SeriesDate, "20250101");
  h.set(tag::SeriesTime, "110000.000000");
  h.set(tag::AcquisitionDate, "20250101");
  h.set(tag::AcquisitionTime, "110000.000000");
  h.set(tag::RadiopharmaceuticalStartTime, "100000.000000");
  h.set(tag::RadiopharmaceuticalStartDateTime, "20250101100000.000000");
  h.set(tag::RadionuclideTotalDose, "368080000.0");
  h.set(tag::RadionuclideHalfLife, "6586.2");
  h.set(tag::ActualFrameDuration, "300000");
  h.set(tag::FrameReferenceTime, "150000.0");
  return h;
}

double decayedDose(double seconds) { return kDose * std::pow(2.0, -seconds / kHalfLife); }

double suvScale(const DicomHeader& h, const SuvParams& p = {}) {
  return computeSuv({sliceOf(h)}, p).conversion.slice_scale.at(0);
}

// Relative tolerance: the formulas are exact; 1e-9 covers rounding.
constexpr double kRel = 1e-9;

std::string errorOf(const DicomHeader& h) {
  try {
    (void)computeSuv({sliceOf(h)});
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(SuvCalculator, BqmlStartUsesSeriesTime) {
  const double expected = 70000.0 / decayedDose(3600.0);
  EXPECT_NEAR(suvScale(baseline()), expected, expected * kRel);
  const SuvResult r = computeSuv({sliceOf(baseline())});
  EXPECT_EQ(r.conversion.units, "SUVbw g/ml");
  EXPECT_FALSE(r.conversion.steps.empty());
}

TEST(SuvCalculator, DoseInMegabecquerel) {
  DicomHeader h = baseline();
  h.set(tag::RadionuclideTotalDose, "368.08");
  EXPECT_NEAR(suvScale(h), 70000.0 / decayedDose(3600.0), 1e-6);
  const auto r = computeSuv({sliceOf(h)});
  bool said = false;
  for (const auto& s : r.conversion.steps) said |= s.source.find("MBq") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(SuvCalculator, WeightInGrams) {
  DicomHeader h = baseline();
  h.set(tag::PatientWeight, "70000");
  EXPECT_NEAR(suvScale(h), 70000.0 / decayedDose(3600.0), 1e-9);
}

TEST(SuvCalculator, DecayCorrectionAdminUsesTheInjectedDose) {
  DicomHeader h = baseline();
  h.set(tag::DecayCorrection, "ADMIN");
  EXPECT_NEAR(suvScale(h), 70000.0 / kDose, 70000.0 / kDose * kRel);
}

TEST(SuvCalculator, DecayCorrectionNoneCorrectsEachFrame) {
  DicomHeader h = baseline();
  h.set(tag::DecayCorrection, "NONE");
  const double lambda = std::log(2.0) / kHalfLife;
  const double T = 300.0;
  const double expected =
      70000.0 / kDose * lambda * T / (1 - std::exp(-lambda * T)) * std::exp(lambda * 3600.0);
  EXPECT_NEAR(suvScale(h), expected, expected * kRel);
  // A second frame acquired 10 minutes later decays more.
  DicomHeader later = h;
  later.set(tag::AcquisitionTime, "111000");
  const SuvResult r = computeSuv({sliceOf(h), sliceOf(later)});
  EXPECT_NEAR(r.conversion.slice_scale[1] / r.conversion.slice_scale[0], std::exp(lambda * 600.0),
              1e-9);
}

TEST(SuvCalculator, SeriesTimeAfterAcquisitionUsesGePrivateThenBackComputedThenEarliest) {
  DicomHeader h = baseline();
  h.set(tag::SeriesTime, "120000");  // post-processed: series time later than acquisition
  h.set(tag::GePetScanDateTime, "20250101103000");
  EXPECT_NEAR(suvScale(h), 70000.0 / decayedDose(1800.0), 1e-9);
  h.values.erase(tag::GePetScanDateTime.key());
  // No GE time: the manual's option 4, t_acq + T_ave - Frame Reference Time,
  // the same for a second bed acquired at 11:15 (Frame Reference Time 900 s later).
  const double lambda = std::log(2.0) / kHalfLife;
  const double tave = std::log(lambda * 300.0 / (1 - std::exp(-lambda * 300.0))) / lambda;
  const double backComputed = 70000.0 / decayedDose(3600.0 + tave - 150.0);
  DicomHeader second = h;
  second.set(tag::AcquisitionTime, "111500");
  second.set(tag::FrameReferenceTime, "1050000");
  SuvResult r = computeSuv({sliceOf(second), sliceOf(h)});
  EXPECT_NEAR(r.conversion.slice_scale[0], backComputed, backComputed * kRel);
  EXPECT_NEAR(r.conversion.slice_scale[1], r.conversion.slice_scale[0], 1e-12);
  // A cropped series (first bed at 11:02:30, values still corrected to 11:00):
  // the back-computed time, not the earliest acquisition, with a warning.
  DicomHeader cropped = h;
  cropped.set(tag::AcquisitionTime, "110230");
  cropped.set(tag::FrameReferenceTime, "300000");
  EXPECT_NEAR(suvScale(cropped), backComputed, backComputed * kRel);
  EXPECT_FALSE(computeSuv({sliceOf(cropped)}).conversion.warnings.empty());
  // Without Frame Reference Time: the earliest acquisition (11:00), with a warning.
  h.values.erase(tag::FrameReferenceTime.key());
  second.values.erase(tag::FrameReferenceTime.key());
  r = computeSuv({sliceOf(second), sliceOf(h)});
  EXPECT_NEAR(r.conversion.slice_scale[0], 70000.0 / decayedDose(3600.0), 1e-9);
  EXPECT_NEAR(r.conversion.slice_scale[1], r.conversion.slice_scale[0], 1e-12);
  EXPECT_FALSE(r.conversion.warnings.empty());
}

TEST(SuvCalculator, BackComputedReferenceTime) {
  DicomHeader h = baseline();
  h.set(tag::SeriesTime, "120000");
  SuvParams p;
  p.reference_time = ReferenceTimeRule::FrameBackComputed;
  const double lambda = std::log(2.0) / kHalfLife;
  const double T = 300.0;
  const double tave = std::log(lambda * T / (1 - std::exp(-lambda * T))) / lambda;
  const double expected = 70000.0 / decayedDose(3600.0 + tave - 150.0);
  EXPECT_NEAR(suvScale(h, p), expected, expected * kRel);
}

TEST(SuvCalculator, OnlyStartTimeOrOnlyStartDateTime) {
  DicomHeader timeOnly = baseline();
  timeOnly.values.erase(tag::RadiopharmaceuticalStartDateTime.key());
  DicomHeader dateTimeOnly = baseline();
  dateTimeOnly.values.erase(tag::RadiopharmaceuticalStartTime.key());
  const double expected = 70000.0 / decayedDose(3600.0);
  EXPECT_NEAR(suvScale(timeOnly), expected, expected * kRel);
  EXPECT_NEAR(suvScale(dateTimeOnly), expected, expected * kRel);
}

TEST(SuvCalculator, InjectionBeforeMidnightScanAfter) {
  DicomHeader h = baseline();
  h.values.erase(tag::RadiopharmaceuticalStartDateTime.key());
  h.set(tag::RadiopharmaceuticalStartTime, "233000");
  h.set(tag::SeriesDate, "20250102");
  h.set(tag::AcquisitionDate, "20250102");
  h.set(tag::SeriesTime, "003000");
  h.set(tag::AcquisitionTime, "003000");
  const double expected = 70000.0 / decayedDose(3600.0);
  EXPECT_NEAR(suvScale(h), expected, expected * kRel);
  // With a full DateTime on the previous day the answer is the same.
  h.set(tag::RadiopharmaceuticalStartDateTime, "20250101233000");
  EXPECT_NEAR(suvScale(h), expected, expected * kRel);
}

TEST(SuvCalculator, HalfLifeOfAnyNuclideAndFromTheCode) {
  DicomHeader h = baseline();
  h.set(tag::RadionuclideHalfLife, "4057.74");  // Ga-68
  const double ga = 70000.0 / (kDose * std::pow(2.0, -3600.0 / 4057.74));
  EXPECT_NEAR(suvScale(h), ga, ga * kRel);
  h.values.erase(tag::RadionuclideHalfLife.key());
  h.set(tag::RadionuclideCodeSequence, "C-131A3^^68^Gallium");
  EXPECT_NEAR(suvScale(h), ga, ga * 1e-6);
  EXPECT_NEAR(*halfLifeOfRadionuclide("^18^Fluorine"), 6586.2, 1e-9);
}

TEST(SuvCalculator, PerSliceRescaleSlope) {
  DicomHeader a = baseline();
  a.frames.emplace_back();
  a.frames[0].rescale_slope = 2.0;
  DicomHeader b = baseline();
  b.frames.emplace_back();
  b.frames[0].rescale_slope = 0.5;
  const SuvResult r = computeSuv({sliceOf(a), sliceOf(b)});
  EXPECT_NEAR(r.conversion.slice_scale[0] / r.conversion.slice_scale[1], 4.0, 1e-12);
}

TEST(SuvCalculator, GmlAndCm2mlBackToBodyWeight) {
  DicomHeader h = baseline();
  h.set(tag::Units, "GML");
  EXPECT_DOUBLE_EQ(suvScale(h), 1.0);  // SUV Type empty: BW
  h.set(tag::SuvType, "LBMJAMES128");
  const double lbm = 1.10 * 70 - 128.0 * (70.0 / 175.0) * (70.0 / 175.0);
  EXPECT_NEAR(suvScale(h), 70.0 / lbm, 1e-12);
  h.set(tag::PatientSex, "F");
  h.set(tag::SuvType, "IBW");
  EXPECT_NEAR(suvScale(h), 70.0 / (45.5 + 0.91 * (175 - 152)), 1e-12);
  h.set(tag::PatientSex, "O");
  EXPECT_NEAR(suvScale(h), 70.0 / (0.5 * (45.5 + 0.91 * 23) + 0.5 * (48.0 + 1.06 * 23)), 1e-12);
  h.set(tag::SuvType, "LBMJANMA");
  h.set(tag::PatientSex, "M");
  const double bmi = 70.0 / (1.75 * 1.75);
  EXPECT_NEAR(suvScale(h), 70.0 / (9270.0 * 70 / (6680 + 216 * bmi)), 1e-12);
  h.set(tag::Units, "CM2ML");
  h.values.erase(tag::SuvType.key());
  const double bsa = 0.007184 * std::pow(70.0, 0.425) * std::pow(175.0, 0.725);
  EXPECT_NEAR(suvScale(h), 70000.0 / (bsa * 1e4), 1e-12);
  // Patient's Size in cm (above 3) is the same height.
  h.set(tag::PatientSize, "175");
  EXPECT_NEAR(suvScale(h), 70000.0 / (bsa * 1e4), 1e-12);
  // cm2/ml is SUVbsa even when SUV Type says otherwise (with a warning).
  h.set(tag::SuvType, "BW");
  EXPECT_NEAR(suvScale(h), 70000.0 / (bsa * 1e4), 1e-12);
  EXPECT_FALSE(computeSuv({sliceOf(h)}).conversion.warnings.empty());
}

TEST(SuvCalculator, PhilipsCounts) {
  DicomHeader h = baseline();
  h.set(tag::Units, "CNTS");
  h.set(tag::PhilipsSuvScaleFactor, "0.0005");
  EXPECT_NEAR(suvScale(h), 0.0005, 1e-15);
  h.values.erase(tag::PhilipsSuvScaleFactor.key());
  h.set(tag::PhilipsActivityScaleFactor, "2.5");
  EXPECT_NEAR(suvScale(h), 2.5 * 70000.0 / decayedDose(3600.0), 1e-12);
  h.values.erase(tag::PhilipsActivityScaleFactor.key());
  EXPECT_NE(errorOf(h).find("7053,1000"), std::string::npos) << errorOf(h);
}

TEST(SuvCalculator, OtherNormalisationsWhereTagsAllow) {
  const SuvResult r = computeSuv({sliceOf(baseline())});
  ASSERT_TRUE(r.from_body_weight.count(SuvType::LeanBodyMassJames));
  EXPECT_NEAR(r.from_body_weight.at(SuvType::LeanBodyMassJames),
              leanBodyMassJames(70, 175, 'M') / 70.0, 1e-12);
  SuvParams p;
  p.output = SuvType::BodySurfaceArea;
  const SuvResult bsa = computeSuv({sliceOf(baseline())}, p);
  EXPECT_EQ(bsa.conversion.units, "SUVbsa cm2/ml");
  DicomHeader noHeight = baseline();
  noHeight.values.erase(tag::PatientSize.key());
  EXPECT_EQ(computeSuv({sliceOf(noHeight)}).from_body_weight.size(), 1u);
  EXPECT_THROW((void)computeSuv({sliceOf(noHeight)}, p), InputError);
}

TEST(SuvCalculator, MissingAttributesGiveSpecificErrors) {
  DicomHeader h = baseline();
  h.values.erase(tag::RadionuclideTotalDose.key());
  EXPECT_NE(errorOf(h).find("Radionuclide Total Dose (0018,1074)"), std::string::npos);
  EXPECT_NE(errorOf(h).find("synthetic.dcm"), std::string::npos);
  h = baseline();
  h.set(tag::PatientWeight, "0");
  EXPECT_NE(errorOf(h).find("Patient's Weight (0010,1030)"), std::string::npos);
  h = baseline();
  h.values.erase(tag::RadiopharmaceuticalStartTime.key());
  h.values.erase(tag::RadiopharmaceuticalStartDateTime.key());
  EXPECT_NE(errorOf(h).find("Radiopharmaceutical Start Time (0018,1072)"), std::string::npos);
  h = baseline();
  h.set(tag::Units, "PROPCNTS");
  EXPECT_NE(errorOf(h).find("PROPCNTS"), std::string::npos);
  h = baseline();
  h.values.erase(tag::Units.key());
  EXPECT_NE(errorOf(h).find("Units (0054,1001)"), std::string::npos);
  h = baseline();
  h.values.erase(tag::RadionuclideHalfLife.key());
  EXPECT_NE(errorOf(h).find("Radionuclide Half Life (0018,1075)"), std::string::npos);
}
