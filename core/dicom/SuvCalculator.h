#pragma once
// PET standardized uptake values (SUV) from DICOM attributes.
//
// Follows the QIBA vendor-neutral algorithm and the extensions of the OncoRay
// SUV manual (../shared/data/suv_dro/suv_manual.md):
//  - Units BQML: SUVbw = (m P + b) W / D, with D the injected dose decayed to
//    the time the values refer to: Decay Correction START (reference time:
//    Series Date/Time unless it is after the earliest Acquisition Date/Time
//    (modified by post-processing), then the GE private scan_datetime
//    (0009,100D), then back-computed from each frame's Acquisition Time,
//    Actual Frame Duration and Frame Reference Time (the manual's "option 4",
//    one median time for all frames), and only when those are missing the
//    earliest Acquisition Date/Time; or, on request, always back-computed),
//    ADMIN (no decay), NONE (each frame decay-corrected from its acquisition
//    time and duration: x lambda T / (1 - exp(-lambda T)) x exp(lambda (t_acq - t_adm))).
//  - Units GML (SUV Type BW, LBM, LBMJAMES128, LBMJANMA, IBW) and CM2ML (BSA
//    whatever SUV Type says): already normalised; converted back to SUVbw
//    with the patient's factors (CM2ML: SUVbw = m P W[g] / (BSA[m2] 10^4),
//    BSA by Du Bois from H in cm and W in kg).
//  - Units CNTS: Philips SUV Scale Factor (7053,1000), else Activity
//    Concentration Scale Factor (7053,1009) then as BQML.
//  - Units CPS: divided by the voxel volume (and x Dose Calibration Factor
//    unless Corrected Image has DCAL), then as BQML.
//  - Rescale Slope/Intercept per slice; dose below 1e5 taken as MBq; weight
//    above 1000 taken as grams; Radiopharmaceutical Start DateTime, or Start
//    Time on the scan's date (the day before when that is after the scan:
//    injection before midnight); half-life from Radionuclide Half Life or,
//    when absent, from the Radionuclide Code Sequence.
// Weight W in g, dose D in Bq, activity in Bq/ml give SUV in g/ml.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/dicom/DicomHeader.h"
#include "core/dicom/ValueConversion.h"

namespace harmonia {

/// Which normalisation the output values use.
enum class SuvType {
  BodyWeight,                 ///< SUVbw, g/ml
  LeanBodyMassJames,          ///< SUVlbm, James (DICOM LBMJAMES128), g/ml
  LeanBodyMassJanmahasatian,  ///< SUVlbm, Janmahasatian (DICOM LBMJANMA), g/ml
  BodySurfaceArea,            ///< SUVbsa, Du Bois, cm2/ml
  IdealBodyWeight,            ///< SUVibw, g/ml
};

/// How the reference time of Decay Correction START is found.
enum class ReferenceTimeRule {
  /// Series time unless modified, else GE private scan time, else back-computed
  /// (option 4), else earliest acquisition time
  Qiba,
  FrameBackComputed,  ///< t_acq + T_ave - Frame Reference Time (the manual's "option B")
};

/// Parameters of the SUV conversion.
struct SuvParams {
  SuvType output = SuvType::BodyWeight;
  ReferenceTimeRule reference_time = ReferenceTimeRule::Qiba;
  /// Radionuclide Total Dose values below this are taken as MBq (real doses
  /// are ~1e8 Bq or ~1e2 MBq).
  double megabecquerel_below = 1e5;
};

/// The conversion of a PET series to SUV.
struct SuvResult {
  ValueConversion conversion;             ///< to params.output, per slice
  std::vector<double> body_weight_scale;  ///< SUVbw = body_weight_scale[k] * (m P + b)
  /// Normalisations the tags allow: SUVx = SUVbw * factor (BodyWeight = 1).
  std::map<SuvType, double> from_body_weight;
};

/// Computes the per-slice SUV conversion of a PET series (slices in volume
/// order). Throws InputError naming the file and the missing or invalid
/// attribute when the tags do not allow it.
SuvResult computeSuv(const std::vector<DicomSlice>& slices, const SuvParams& params = {});

/// Output units of a normalisation ("SUVbw g/ml", "SUVbsa cm2/ml"...).
std::string suvUnits(SuvType type);
/// Short name ("bw", "lbm-james", "lbm-janma", "bsa", "ibw").
std::string suvName(SuvType type);
/// Parses suvName() values; nullopt when unknown.
std::optional<SuvType> parseSuvName(const std::string& name);

/// Lean body mass (kg), James formula as in DICOM LBMJAMES128; sex 'M', 'F',
/// else the mean of both.
double leanBodyMassJames(double weight_kg, double height_cm, char sex);
/// Lean body mass (kg), Morgan's variant of James (DICOM LBM, 120 for men).
double leanBodyMassMorgan(double weight_kg, double height_cm, char sex);
/// Lean body mass (kg), Janmahasatian 2005.
double leanBodyMassJanmahasatian(double weight_kg, double height_cm, char sex);
/// Body surface area (m2), Du Bois: 0.007184 H[cm]^0.725 W[kg]^0.425.
double bodySurfaceAreaDuBois(double weight_kg, double height_cm);
/// Ideal body weight (kg) as in the SUV manual.
double idealBodyWeight(double height_cm, char sex);
/// Half-life (s) of a radionuclide named by its code value or meaning
/// ("C-111A1", "^18^Fluorine"); nullopt when unknown.
std::optional<double> halfLifeOfRadionuclide(const std::string& codeOrMeaning);

}  // namespace harmonia
