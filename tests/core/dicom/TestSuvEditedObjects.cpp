// SUV cases of the OncoRay SUV manual that the shared reference objects do not
// cover, made at run time by editing copies of DRO_0_0 (Units BQML, Decay
// Correction START, values decay-corrected to 11:00): every copy must still
// give SUVbw min / median / max 0.20 / 1.00 / 4.00 in DRO_mask.nii.gz. The
// edits and the expected values follow the manual's formulas, computed here
// from the object's own attributes, independently of core/dicom.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "TestSupport.h"
#include "core/dicom/SeriesLoader.h"
#include "core/image/MaskOnGrid.h"
#include "core/io/ImageIO.h"
#include "core/stats/Summary.h"
#include "dicom/DicomEditSupport.h"

using namespace harmonia;
using namespace harmonia::test;

namespace {

const gdcm::Tag kSeriesTime(0x0008, 0x0031);
const gdcm::Tag kAcquisitionTime(0x0008, 0x0032);
const gdcm::Tag kPatientSize(0x0010, 0x1020);
const gdcm::Tag kPatientWeight(0x0010, 0x1030);
const gdcm::Tag kActualFrameDuration(0x0018, 0x1242);
const gdcm::Tag kStartTime(0x0018, 0x1072);
const gdcm::Tag kTotalDose(0x0018, 0x1074);
const gdcm::Tag kHalfLifeTag(0x0018, 0x1075);
const gdcm::Tag kRescaleSlope(0x0028, 0x1053);
const gdcm::Tag kUnits(0x0054, 0x1001);
const gdcm::Tag kSuvType(0x0054, 0x1006);
const gdcm::Tag kFrameReferenceTime(0x0054, 0x1300);

// The reference object's decay data, read from its first slice.
struct Decay {
  double weight_g = 0.0;
  double height_cm = 0.0;
  double dose_bq = 0.0;
  double lambda_per_s = 0.0;
  double reference_s = 0.0;  ///< Series Time (== Acquisition Time in DRO_0_0), s of day
  double injection_s = 0.0;
  double frame_s = 0.0;  ///< Actual Frame Duration
  /// The dose at the reference time: D e^(-lambda (t_ref - t_adm)) (manual,
  /// "Decay correction = START").
  [[nodiscard]] double decayedDose() const {
    return dose_bq * std::exp(-lambda_per_s * (reference_s - injection_s));
  }
};

Decay readDecay(const std::filesystem::path& file) {
  gdcm::Reader r;
  r.SetFileName(file.string().c_str());
  if (!r.Read()) throw std::runtime_error("cannot read " + file.string());
  const gdcm::DataSet& ds = r.GetFile().GetDataSet();
  Decay d;
  d.weight_g = attributeNumber(ds, kPatientWeight) * 1000.0;
  d.height_cm = attributeNumber(ds, kPatientSize) * 100.0;
  d.dose_bq = attributeNumber(ds, kTotalDose);
  d.lambda_per_s = std::log(2.0) / attributeNumber(ds, kHalfLifeTag);
  d.reference_s = secondsOfDay(*attributeText(ds, kSeriesTime));
  EXPECT_EQ(*attributeText(ds, kSeriesTime), *attributeText(ds, kAcquisitionTime))
      << "DRO_0_0 is expected to be decay-corrected to its (unmodified) Series Time";
  d.injection_s = secondsOfDay(*radiopharmaceuticalText(ds, kStartTime));
  d.frame_s = attributeNumber(ds, kActualFrameDuration) / 1000.0;
  return d;
}

// The manual's Du Bois formula (section "Units = CM2ML"): BSA in m2 from the
// height H in cm and the weight W in kg.
double duBois_m2(double weight_kg, double height_cm) {
  return 0.007184 * std::pow(height_cm, 0.725) * std::pow(weight_kg, 0.425);
}

// The manual's average count-rate time within a frame of duration T (section
// "Decay correction = START", option 4): (1/lambda) ln(lambda T / (1 - e^(-lambda T))).
double averageCountTime_s(double lambda, double T) {
  return std::log(lambda * T / (1.0 - std::exp(-lambda * T))) / lambda;
}

struct Summary {
  ValueSummary values;
  LoadedSeries loaded;
};

Summary summarize(const std::filesystem::path& pt, const std::filesystem::path& maskFile) {
  Summary s{{}, loadDicomFolder(pt)};
  const MaskVolume mask = maskOnGrid(readMask(maskFile), s.loaded.volume.geometry());
  s.values = summarizeValues(s.loaded.volume, &mask);
  return s;
}

void expectReferenceValues(const Summary& s, const char* what) {
  std::printf("  %s: SUVbw min %.4f median %.4f max %.4f (%llu voxels)\n", what, s.values.min,
              s.values.median, s.values.max, static_cast<unsigned long long>(s.values.count));
  EXPECT_EQ(s.loaded.volume.units(), "SUVbw g/ml");
  ASSERT_GT(s.values.count, 1000u);
  // As TestSuvDro: 0.5%, tighter than the manual's two decimals at 4.00; the
  // wrong answers the issue reports are 1.5% away.
  const std::string why = s.loaded.conversion.explanation();
  EXPECT_NEAR(s.values.min, 0.20, 0.20 * 0.005) << why;
  EXPECT_NEAR(s.values.median, 1.00, 1.00 * 0.005) << why;
  EXPECT_NEAR(s.values.max, 4.00, 4.00 * 0.005) << why;
}

// A patient for the CM2ML copies: 0 keeps the object's weight / height.
struct Patient {
  const char* name;
  double weight_kg;
  double height_m;
  const char* suv_type;  ///< SUV Type (0054,1006) of the copy; "" removes it
};

void PrintTo(const Patient& p, std::ostream* os) { *os << p.name; }

class SuvCm2ml : public ::testing::TestWithParam<Patient> {};

// Units CM2ML: the copy stores SUVbsa = A BSA[cm2] / D (A the object's Bq/ml,
// D the decayed dose), by rescaling each slice's Rescale Slope; the manual
// converts back with SUVbw = m P W / (BSA 10^4), W in g, BSA in m2.
TEST_P(SuvCm2ml, BodySurfaceAreaValuesGiveTheReferenceSuvbw) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto dro = data / "suv_dro" / "DRO_0_0";
  const auto files = dicomFilesIn(dro / "PT");
  ASSERT_EQ(files.size(), 20u);
  const Decay d = readDecay(files.front());
  const Patient p = GetParam();
  const double weight_kg = p.weight_kg > 0 ? p.weight_kg : d.weight_g / 1000.0;
  const double height_m = p.height_m > 0 ? p.height_m : d.height_cm / 100.0;
  const double bsa_cm2 = duBois_m2(weight_kg, height_m * 100.0) * 1e4;
  // SUVbw of the object (its weight) = A W0 / D; SUVbsa = SUVbw BSA / W (the
  // copy's patient), so that converting back with the copy's W gives SUVbw.
  const double suvbsaPerActivity = d.weight_g / d.decayedDose() * bsa_cm2 / (weight_kg * 1000.0);
  ScratchDir dir;
  const auto pt = dir / "PT";
  std::filesystem::create_directories(pt);
  for (const auto& f : files) {
    editedCopy(f, pt / f.filename(), [&](gdcm::DataSet& ds) {
      const double m = attributeNumber(ds, kRescaleSlope);
      setString(ds, kUnits, "CM2ML", gdcm::VR::CS);
      // The manual: "The SUVType (0054,1006) should be set to "BSA" in this
      // case"; the other copies have it empty, or contradicting the units.
      if (*p.suv_type) {
        setString(ds, kSuvType, p.suv_type, gdcm::VR::CS);
      } else {
        ds.Remove(kSuvType);
      }
      setString(ds, kRescaleSlope, decimalString(m * suvbsaPerActivity), gdcm::VR::DS);
      setString(ds, kPatientWeight, decimalString(weight_kg), gdcm::VR::DS);
      setString(ds, kPatientSize, decimalString(height_m), gdcm::VR::DS);
    });
  }
  expectReferenceValues(summarize(pt, dro / "mask" / "DRO_mask.nii.gz"), p.name);
}

std::string cm2mlCaseName(const ::testing::TestParamInfo<Patient>& info) {
  static const char* const names[] = {"DroPatient", "Heavy", "SuvTypeEmpty", "SuvTypeContradicts"};
  return names[info.index];
}

INSTANTIATE_TEST_SUITE_P(EditedDro00, SuvCm2ml,
                         ::testing::Values(Patient{"CM2ML, the DRO's 70 kg, 1.75 m", 0, 0, "BSA"},
                                           Patient{"CM2ML, 95 kg, 1.62 m", 95.0, 1.62, "BSA"},
                                           Patient{"CM2ML, SUV Type empty", 0, 0, ""},
                                           Patient{"CM2ML, SUV Type BW contradicting the units", 0,
                                                   0, "BW"}),
                         cm2mlCaseName);

// Decay Correction START with a post-processed series (Series Time an hour
// after the acquisition) whose first bed position was cropped away: the
// slices were acquired at t0 + 150 s and t0 + 450 s (two beds), but the values
// are still decay-corrected to t0, as the Frame Reference Time of each frame
// says (offset of the frame's average count-rate time from the reference
// time). The manual's option 4 gives t_ref = t_acq + T_ave - Frame Reference
// Time = t0 for every frame; the earliest Acquisition Time (t0 + 150 s) is not
// the time the values were corrected to.
TEST(SuvEditedObjects, SeriesTimeAfterAcquisitionUsesTheBackComputedReferenceTime) {
  HARMONIA_REQUIRE_SHARED_DATA(data);
  const auto dro = data / "suv_dro" / "DRO_0_0";
  const auto files = dicomFilesIn(dro / "PT");
  ASSERT_EQ(files.size(), 20u);
  const Decay d = readDecay(files.front());
  const double tave = averageCountTime_s(d.lambda_per_s, d.frame_s);
  ScratchDir dir;
  const auto pt = dir / "PT";
  std::filesystem::create_directories(pt);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const double acquisition = d.reference_s + (i < files.size() / 2 ? 150.0 : 450.0);
    editedCopy(files[i], pt / files[i].filename(), [&](gdcm::DataSet& ds) {
      setString(ds, kSeriesTime, timeOfDay(d.reference_s + 3600.0), gdcm::VR::TM);
      setString(ds, kAcquisitionTime, timeOfDay(acquisition), gdcm::VR::TM);
      setString(ds, kFrameReferenceTime,
                decimalString((acquisition + tave - d.reference_s) * 1000.0), gdcm::VR::DS);
    });
  }
  const Summary s = summarize(pt, dro / "mask" / "DRO_mask.nii.gz");
  expectReferenceValues(s, "DC START, Series Time after Acquisition Time");
  // One reference time, hence one decayed dose, for both bed positions.
  const auto& scale = s.loaded.conversion.slice_scale;
  ASSERT_EQ(scale.size(), files.size());
  const auto [lo, hi] = std::minmax_element(scale.begin(), scale.end());
  EXPECT_NEAR(*hi / *lo, 1.0, 1e-9);
}

}  // namespace
