#include "core/dicom/SuvCalculator.h"

#include <algorithm>
#include <cmath>

#include "core/dicom/DicomDateTime.h"
#include "core/stats/Quantiles.h"
#include "core/util/AsciiCase.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

constexpr double kDay = 86400.0;

std::string seconds(double s) { return formatNumber(s, 7) + " s"; }

char sexOf(const DicomHeader& h) {
  const std::string s = asciiUpper(h.text(tag::PatientSex));
  return s == "M" || s == "F" ? s[0] : 'O';
}

// Everything read from the series' first header, with its provenance.
class SuvInputs {
 public:
  SuvInputs(const std::vector<DicomSlice>& slices, ValueConversion& c)
      : slices_(slices), h_(*slices.front().header), c_(c) {}

  const DicomHeader& header() const { return h_; }

  InputError missing(const DicomTag& t, const std::string& why) const {
    return InputError(h_.file, t.label() + " " + why);
  }

  double weight_kg() {
    if (weight_) return *weight_;
    const auto w = h_.number(tag::PatientWeight);
    if (!w || *w <= 0) {
      throw missing(tag::PatientWeight, "is missing or zero: SUV needs the patient's weight");
    }
    weight_ = *w;
    if (*w > 1000) {
      weight_ = *w / 1000.0;
      c_.add(
          "Patient weight", formatNumber(*weight_) + " kg",
          tag::PatientWeight.label() + " = " + formatNumber(*w) + ": above 1000, taken as grams");
    } else {
      c_.add("Patient weight", formatNumber(*w) + " kg", tag::PatientWeight.label());
    }
    return *weight_;
  }

  std::optional<double> height_cm() {
    if (heightRead_) return height_;
    heightRead_ = true;
    const auto h = h_.number(tag::PatientSize);
    if (!h || *h <= 0) return std::nullopt;
    if (*h > 3.0) {
      height_ = *h;
      c_.add("Patient height", formatNumber(*h) + " cm",
             tag::PatientSize.label() + " = " + formatNumber(*h) + ": above 3, taken as cm");
    } else {
      height_ = *h * 100.0;
      c_.add("Patient height", formatNumber(*h) + " m", tag::PatientSize.label());
    }
    return height_;
  }

  double requireHeight_cm(const std::string& forWhat) {
    const auto h = height_cm();
    if (!h) throw missing(tag::PatientSize, "is missing or zero: " + forWhat + " needs the height");
    return *h;
  }

  char sex(bool record) {
    const char s = sexOf(h_);
    if (record) {
      c_.add("Patient sex",
             s == 'O' ? "other/unknown: mean of the male and female formulas" : std::string(1, s),
             tag::PatientSex.label());
    }
    return s;
  }

  double dose_Bq(double mbqBelow) {
    const auto d = h_.number(tag::RadionuclideTotalDose);
    if (!d || *d <= 0) {
      throw missing(tag::RadionuclideTotalDose,
                    "is missing or zero (Radiopharmaceutical Information Sequence (0054,0016)): "
                    "SUV needs the injected dose");
    }
    if (*d < mbqBelow) {
      c_.add("Injected dose", formatNumber(*d) + " MBq = " + formatNumber(*d * 1e6) + " Bq",
             tag::RadionuclideTotalDose.label() + " = " + formatNumber(*d) + ": below " +
                 formatNumber(mbqBelow) + ", taken as MBq");
      return *d * 1e6;
    }
    c_.add("Injected dose", formatNumber(*d) + " Bq", tag::RadionuclideTotalDose.label());
    return *d;
  }

  double halfLife_s() {
    if (const auto t = h_.number(tag::RadionuclideHalfLife); t && *t > 0) {
      c_.add("Half-life", seconds(*t), tag::RadionuclideHalfLife.label());
      return *t;
    }
    const std::string code = h_.text(tag::RadionuclideCodeSequence);
    if (const auto t = halfLifeOfRadionuclide(code)) {
      c_.add("Half-life", seconds(*t),
             "Radionuclide Half Life (0018,1075) absent; from Radionuclide Code Sequence "
             "(0054,0300) '" +
                 code + "'");
      return *t;
    }
    throw missing(tag::RadionuclideHalfLife,
                  "is missing and the Radionuclide Code Sequence (0054,0300) names no known "
                  "nuclide: the decay correction needs the half-life");
  }

  // Midnight of the scan day (seconds since 1970), 0 when no date is known.
  double scanDay() const {
    for (const DicomTag& t : {tag::SeriesDate, tag::AcquisitionDate, tag::StudyDate}) {
      if (const auto d = parseDicomDate(h_.text(t))) return *d;
    }
    return 0.0;
  }

  std::optional<double> seriesDateTime() const {
    const auto t = parseDicomTime(h_.text(tag::SeriesTime));
    if (!t) return std::nullopt;
    const auto d = parseDicomDate(h_.text(tag::SeriesDate));
    return (d ? *d : scanDay()) + *t;
  }

  // Acquisition date-time of slice k (frame, file DateTime, or date + time).
  std::optional<double> acquisition(std::size_t k) const {
    const DicomSlice& s = slices_[k];
    if (const auto t = parseDicomDateTime(s.frameHeader().acquisition_date_time)) return t;
    const DicomHeader& h = *s.header;
    if (const auto t = parseDicomDateTime(h.text(tag::AcquisitionDateTime)); t && *t >= kDay) {
      return t;
    }
    const auto t = parseDicomTime(h.text(tag::AcquisitionTime));
    if (!t) return std::nullopt;
    const auto d = parseDicomDate(h.text(tag::AcquisitionDate));
    double v = (d ? *d : scanDay()) + *t;
    // Without an acquisition date, a time long before the series time is on the next day.
    if (!d) {
      if (const auto series = seriesDateTime(); series && v < *series - kDay / 2) v += kDay;
    }
    return v;
  }

  std::optional<double> earliestAcquisition() const {
    std::optional<double> best;
    for (std::size_t k = 0; k < slices_.size(); ++k) {
      const auto t = acquisition(k);
      if (t && (!best || *t < *best)) best = t;
    }
    return best;
  }

  std::optional<double> frameNumber(std::size_t k, const DicomTag& t) const {
    return slices_[k].header->number(t);
  }

  // Administration time; `reference` places a time-only value on its day.
  double administration(double reference) {
    if (const auto dt = parseDicomDateTime(h_.text(tag::RadiopharmaceuticalStartDateTime))) {
      double t = *dt;
      std::string source = tag::RadiopharmaceuticalStartDateTime.label();
      if (scanDay() == 0.0) {  // scan times without dates: compare times of day only
        t = std::fmod(*dt, kDay);
        if (t > reference) t -= kDay;
        source += " (time of day only: the scan times carry no date)";
      }
      c_.add("Injection time", formatDateTime(t), source);
      return t;
    }
    const auto tm = parseDicomTime(h_.text(tag::RadiopharmaceuticalStartTime));
    if (!tm) {
      throw missing(tag::RadiopharmaceuticalStartTime,
                    "and Radiopharmaceutical Start DateTime (0018,1078) are both missing: the "
                    "decay correction needs the injection time");
    }
    double t = std::floor(reference / kDay) * kDay + *tm;
    std::string source = tag::RadiopharmaceuticalStartTime.label() + " on the scan's date";
    if (t > reference) {
      t -= kDay;
      source += "; after the scan time, so the day before (injection before midnight)";
    }
    c_.add("Injection time", formatDateTime(t), source);
    return t;
  }

 private:
  const std::vector<DicomSlice>& slices_;
  const DicomHeader& h_;
  ValueConversion& c_;
  std::optional<double> weight_;
  std::optional<double> height_;
  bool heightRead_ = false;
};

// Average count-rate time within a frame of duration T (s): (1/l) ln(l T / (1 - e^-lT)).
double averageCountTime(double lambda, double T) {
  if (T <= 0) return 0.0;
  return std::log(lambda * T / -std::expm1(-lambda * T)) / lambda;
}

// Reference time of Decay Correction START.
double startReferenceTime(SuvInputs& in, const SuvParams& params, double lambda, std::size_t n,
                          ValueConversion& c) {
  const DicomHeader& h = in.header();
  // Option 4: back-computed per frame.
  std::vector<double> backComputed;
  for (std::size_t k = 0; k < n; ++k) {
    const auto acq = in.acquisition(k);
    const auto T = in.frameNumber(k, tag::ActualFrameDuration);
    const auto dt = in.frameNumber(k, tag::FrameReferenceTime);
    if (acq && T && dt) {
      backComputed.push_back(*acq + averageCountTime(lambda, *T / 1000.0) - *dt / 1000.0);
    }
  }
  std::optional<double> option4;
  if (backComputed.size() == n && n > 0) {
    std::vector<double> times = backComputed;
    option4 = medianInPlace(times);
    const auto [lo, hi] = std::minmax_element(backComputed.begin(), backComputed.end());
    if (*hi - *lo > 1.0) {
      c.warnings.push_back("back-computed reference times differ by " + seconds(*hi - *lo) +
                           " between frames; their median is used");
    }
  }
  if (params.reference_time == ReferenceTimeRule::FrameBackComputed) {
    if (!option4) {
      throw InputError(h.file,
                       "the back-computed reference time needs Acquisition Time (0008,0032), "
                       "Actual Frame Duration (0018,1242) and Frame Reference Time (0054,1300) "
                       "in every slice");
    }
    c.add("Reference time", formatDateTime(*option4),
          "back-computed: Acquisition Time + average count time - Frame Reference Time "
          "(median over frames)");
    return *option4;
  }
  // The reference-time rule of the SUV manual (section "Decay correction =
  // START", "Determining the reference time"), QIBA's order with the manual's
  // proposal for a modified Series Time:
  //  1. "Use Series Date (0008,0021) and Series Time (0008,0031) if not
  //     modified during post-processing (in that case, Series Time would be
  //     later than Acquisition Time)."
  //  2. "Use GE private tag (0009,100D) if present" (the manual: "should
  //     therefore be preferred when present").
  //  3. Option 4, back-computed: t_ref = t_acq + T_ave - Frame Reference Time.
  //     The manual's object for a modified Series Time is "DC = START but
  //     SeriesTime after AcquisitionTime (DC = START, option 4)", and its
  //     "Option B" prefers this method because it "is independent of
  //     potential modifications of SeriesTime" and because the "earliest
  //     AcquisitionTime may not represent the start of the acquisition for
  //     cropped images". One reference time (the frames' median) for all
  //     frames: "administered dose is not corrected to the same reference
  //     time among frames" is one of the errors that object detects.
  //  4. Only when a frame lacks Actual Frame Duration or Frame Reference
  //     Time: the earliest Acquisition Date/Time (QIBA's third choice), with
  //     a warning.
  const auto series = in.seriesDateTime();
  const auto earliest = in.earliestAcquisition();
  const bool seriesModified = series && earliest && *series > *earliest + 1e-3;
  const std::string why = !series ? ": no Series Time"
                                  : ": Series Time is after the Acquisition Time (post-processed "
                                    "series)";
  double ref = 0.0;
  if (series && !seriesModified) {
    ref = *series;
    c.add("Reference time", formatDateTime(ref),
          "Series Date/Time (0008,0021/0031)" +
              std::string(earliest ? ", not after the earliest Acquisition Time" : ""));
  } else if (const auto ge = parseDicomDateTime(h.text(tag::GePetScanDateTime))) {
    ref = *ge;
    c.add("Reference time", formatDateTime(ref), tag::GePetScanDateTime.label() + why);
  } else if (option4) {
    ref = *option4;
    c.add("Reference time", formatDateTime(ref),
          "back-computed: Acquisition Time + average count time - Frame Reference Time "
          "(median over frames)" +
              why);
    if (earliest && std::abs(*earliest - ref) > 60.0) {
      c.warnings.push_back("the earliest Acquisition Time (" + formatDateTime(*earliest) +
                           ") differs from the back-computed reference time used by " +
                           seconds(std::abs(*earliest - ref)) + " (cropped series?)");
    }
  } else if (earliest) {
    ref = *earliest;
    c.add("Reference time", formatDateTime(ref),
          "earliest Acquisition Date/Time (0008,0022/0032)" + why +
              ", and no GE private scan time nor Frame Reference Time to back-compute it");
    if (series) {
      c.warnings.push_back(
          "Series Time is after the Acquisition Time and the reference time cannot be "
          "back-computed (Actual Frame Duration / Frame Reference Time missing): the earliest "
          "Acquisition Time is used, which is wrong when the series was cropped");
    }
  } else {
    throw InputError(h.file,
                     "Series Time (0008,0031) and Acquisition Time (0008,0032) are both "
                     "missing: the decay correction (START) needs the scan time");
  }
  if (option4 && std::abs(*option4 - ref) > 60.0) {
    c.warnings.push_back("the reference time back-computed from the frames (" +
                         formatDateTime(*option4) + ") differs from the one used by " +
                         seconds(std::abs(*option4 - ref)));
  }
  return ref;
}

}  // namespace

SuvResult computeSuv(const std::vector<DicomSlice>& slices, const SuvParams& params) {
  if (slices.empty()) throw ParameterError("computeSuv: no slices");
  SuvResult r;
  ValueConversion& c = r.conversion;
  SuvInputs in(slices, c);
  const DicomHeader& h = in.header();
  const std::size_t n = slices.size();

  const std::string units = asciiUpper(h.text(tag::Units));
  if (units.empty()) {
    throw in.missing(tag::Units, "is missing: cannot tell what the PET values measure");
  }
  c.add("Units", units, tag::Units.label());
  for (const DicomSlice& s : slices) {
    if (s.frameHeader().rescale_intercept != 0.0) {
      c.warnings.push_back("Rescale Intercept is not 0 in " + s.header->file.filename().string() +
                           " (PET requires 0; applied anyway)");
      break;
    }
  }
  const std::string corrected = asciiUpper(h.text(tag::CorrectedImage));
  if (!corrected.empty() && corrected.find("ATTN") == std::string::npos) {
    c.warnings.push_back(
        "Corrected Image (0028,0051) lacks ATTN: not attenuation corrected, "
        "SUV is not quantitative");
  }

  // bw[k]: SUVbw per rescaled value (m P + b) of slice k.
  std::vector<double> bw(n, 1.0);
  std::string method;
  if (units == "GML" || units == "CM2ML") {
    std::string type = asciiUpper(h.text(tag::SuvType));
    if (units == "CM2ML") {
      // SUV manual, "Units = CM2ML": "The unit square centimeters per
      // milliliter (Units="CM2ML") corresponds to images normalized to body
      // surface area (BSA) [...] The SUVType (0054,1006) should be set to
      // "BSA" in this case." cm2/ml is a BSA normalisation whatever SUV Type
      // says (BW, LBM and IBW give g/ml).
      if (type.empty()) {
        c.add("SUV type", "BSA", tag::SuvType.label() + " empty: Units CM2ML is SUVbsa");
      } else if (type != "BSA") {
        c.add("SUV type", "BSA",
              tag::SuvType.label() + " '" + type + "' contradicts Units CM2ML: taken as BSA");
        c.warnings.push_back(tag::SuvType.label() + " '" + type +
                             "' contradicts Units CM2ML (cm2/ml, body surface area): SUVbsa "
                             "assumed");
      } else {
        c.add("SUV type", type, tag::SuvType.label());
      }
      type = "BSA";
    } else if (type.empty()) {
      type = "BW";
      c.add("SUV type", type, tag::SuvType.label() + " empty: taken as BW");
    } else {
      c.add("SUV type", type, tag::SuvType.label());
    }
    double factor = 1.0;
    if (type == "BW") {
      method = "PET " + units + " (SUVbw already): SUVbw = m P + b";
    } else if (type == "BSA") {
      const double w = in.weight_kg();
      const double hcm = in.requireHeight_cm("SUV type BSA");
      // SUV manual, "Units = CM2ML": "BSA = 0.007184 H^0.725 W^0.425 where H
      // is height in cm, and W is weight in kg" (Du Bois), and "SUVbw =
      // m P W / (BSA 10^4)": W in g (SUVbw = A W / D, W "in g"), BSA in m2,
      // 10^4 cm2 per m2. Patient's Size (0010,1020) is in m ("Height of the
      // patient in m"; height_cm() converts).
      const double bsa = bodySurfaceAreaDuBois(w, hcm);
      c.add("Body surface area", formatNumber(bsa) + " m2",
            "Du Bois: 0.007184 H[cm]^0.725 W[kg]^0.425");
      factor = w * 1000.0 / (bsa * 1e4);
      method = "PET " + units + " (SUVbsa): SUVbw = (m P + b) W[g] / (BSA[m2] 1e4)";
    } else if (type == "LBM" || type == "LBMJAMES128" || type == "LBMJANMA" || type == "IBW") {
      const double w = in.weight_kg();
      const double hcm = in.requireHeight_cm("SUV type " + type);
      const char sex = in.sex(true);
      const double x = type == "LBM"           ? leanBodyMassMorgan(w, hcm, sex)
                       : type == "LBMJAMES128" ? leanBodyMassJames(w, hcm, sex)
                       : type == "LBMJANMA"    ? leanBodyMassJanmahasatian(w, hcm, sex)
                                               : idealBodyWeight(hcm, sex);
      c.add(type == "IBW" ? "Ideal body weight" : "Lean body mass", formatNumber(x) + " kg", type);
      if (x <= 0) throw InputError(h.file, "the " + type + " formula gives a mass <= 0");
      factor = w / x;
      method = "PET " + units + " (SUV " + type + "): SUVbw = (m P + b) W / " + type;
    } else {
      throw InputError(h.file, tag::SuvType.label() + " '" + type +
                                   "' is not one of BW, BSA, LBM, LBMJAMES128, LBMJANMA, IBW");
    }
    std::fill(bw.begin(), bw.end(), factor);
  } else {
    // act[k]: Bq/ml per rescaled value of slice k.
    std::vector<double> act(n, 1.0);
    bool direct = false;
    if (units == "CNTS") {
      bool allSuv = true;
      bool allAct = true;
      for (std::size_t k = 0; k < n; ++k) {
        const auto f = slices[k].header->number(tag::PhilipsSuvScaleFactor);
        const auto a = slices[k].header->number(tag::PhilipsActivityScaleFactor);
        if (!f || *f == 0.0) allSuv = false;
        if (!a || *a == 0.0) allAct = false;
        bw[k] = f.value_or(0.0);
        act[k] = a.value_or(0.0);
      }
      if (allSuv) {
        direct = true;
        c.add("SUV scale factor",
              formatNumber(bw.front()) +
                  (n > 1 && bw.front() != bw.back() ? " (first slice; per slice)" : ""),
              tag::PhilipsSuvScaleFactor.label());
        method = "PET CNTS (Philips): SUVbw = (m P + b) x SUV Scale Factor";
      } else if (allAct) {
        c.add("Activity concentration scale factor", formatNumber(act.front()) + " Bq/ml per count",
              tag::PhilipsActivityScaleFactor.label());
        method = "PET CNTS (Philips): activity = (m P + b) x Activity Concentration Scale Factor; ";
      } else {
        throw InputError(h.file,
                         "Units CNTS but no non-zero Philips SUV Scale Factor (7053,1000) or "
                         "Activity Concentration Scale Factor (7053,1009): counts cannot be "
                         "converted to SUV");
      }
    } else if (units == "CPS") {
      const FrameHeader& f = slices.front().frameHeader();
      const auto thickness = h.number(tag::SliceThickness);
      if (!f.pixel_spacing_mm || !thickness) {
        throw in.missing(tag::SliceThickness,
                         "or Pixel Spacing (0028,0030) is missing: CPS needs "
                         "the voxel volume");
      }
      const double voxel_ml =
          (*f.pixel_spacing_mm)[0] * (*f.pixel_spacing_mm)[1] * *thickness / 1000.0;
      double per = 1.0 / voxel_ml;
      std::string how = "CPS / voxel volume (" + formatNumber(voxel_ml) + " ml)";
      if (corrected.find("DCAL") == std::string::npos) {
        const auto dcf = h.number(tag::DoseCalibrationFactor);
        if (!dcf || *dcf == 0.0) {
          throw in.missing(tag::DoseCalibrationFactor,
                           "is missing and Corrected Image (0028,0051) lacks DCAL: CPS cannot be "
                           "converted to activity");
        }
        per *= *dcf;
        how += " x Dose Calibration Factor (" + formatNumber(*dcf) + ")";
      }
      std::fill(act.begin(), act.end(), per);
      c.add("Activity per CPS", formatNumber(per) + " Bq/ml", how);
      c.warnings.push_back("Units CPS: converted as the SUV manual describes; check the result");
      method = "PET CPS: activity = (m P + b) x calibration / voxel volume; ";
    } else if (units == "BQML") {
      method = "PET BQML: ";
    } else {
      throw InputError(h.file, tag::Units.label() + " '" + units +
                                   "' cannot be converted to SUV (supported: BQML, CNTS, CPS, "
                                   "GML, CM2ML)");
    }
    if (!direct) {
      const double w = in.weight_kg();
      const std::string dc = asciiUpper(h.text(tag::DecayCorrection));
      if (dc.empty()) {
        throw in.missing(tag::DecayCorrection, "is missing: cannot tell when the dose applies");
      }
      c.add("Decay correction", dc, tag::DecayCorrection.label());
      const double dose = in.dose_Bq(params.megabecquerel_below);
      if (const auto df = h.number(tag::DecayFactor)) {
        c.add("Decay factor (informative)", formatNumber(*df), tag::DecayFactor.label());
      }
      if (dc == "ADMIN") {
        for (std::size_t k = 0; k < n; ++k) bw[k] = act[k] * w * 1000.0 / dose;
        method += "SUVbw = A W / D (decay-corrected to the injection: no dose decay)";
      } else if (dc == "START") {
        const double halfLife = in.halfLife_s();
        const double lambda = std::log(2.0) / halfLife;
        const double ref = startReferenceTime(in, params, lambda, n, c);
        const double tAdm = in.administration(ref);
        const double decay = ref - tAdm;
        if (decay < 0) {
          throw InputError(h.file, "the injection (" + formatDateTime(tAdm) +
                                       ") is after the scan reference time (" +
                                       formatDateTime(ref) + ")");
        }
        const double decayed = dose * std::exp(-lambda * decay);
        c.add("Decay time", seconds(decay), "reference time - injection time");
        c.add("Decayed dose", formatNumber(decayed) + " Bq", "D x 2^(-t / T1/2)");
        for (std::size_t k = 0; k < n; ++k) bw[k] = act[k] * w * 1000.0 / decayed;
        method += "SUVbw = A W / (D 2^(-(t_ref - t_inj) / T1/2))";
      } else if (dc == "NONE") {
        const double halfLife = in.halfLife_s();
        const double lambda = std::log(2.0) / halfLife;
        const auto first = in.earliestAcquisition();
        const auto series = in.seriesDateTime();
        const double tAdm = in.administration(first ? *first : series.value_or(0.0));
        double fMin = 1e300;
        double fMax = -1e300;
        for (std::size_t k = 0; k < n; ++k) {
          const auto acq = in.acquisition(k);
          const auto T = in.frameNumber(k, tag::ActualFrameDuration);
          const auto dt = in.frameNumber(k, tag::FrameReferenceTime);
          double f = 0.0;
          if (acq && T && *T > 0) {
            const double Ts = *T / 1000.0;
            f = lambda * Ts / -std::expm1(-lambda * Ts) * std::exp(lambda * (*acq - tAdm));
          } else if (series && dt) {
            f = std::exp(lambda * (*series + *dt / 1000.0 - tAdm));
          } else {
            throw InputError(slices[k].header->file,
                             "Decay Correction NONE needs Acquisition Time (0008,0032) and Actual "
                             "Frame Duration (0018,1242) (or Series Time and Frame Reference "
                             "Time (0054,1300)) in every slice");
          }
          fMin = std::min(fMin, f);
          fMax = std::max(fMax, f);
          bw[k] = act[k] * w * 1000.0 / dose * f;
        }
        c.add("Per-frame decay factor",
              fMin == fMax ? formatNumber(fMin) : formatNumber(fMin) + " to " + formatNumber(fMax),
              "lambda T / (1 - e^(-lambda T)) x e^(lambda (t_acq - t_inj)), from Acquisition Time "
              "and Actual Frame Duration");
        method += "SUVbw = A W / D x per-frame decay (not decay-corrected)";
      } else {
        throw InputError(h.file, tag::DecayCorrection.label() + " '" + dc +
                                     "' is not one of START, ADMIN, NONE");
      }
      if (dc != "NONE" && !corrected.empty() && corrected.find("DECY") == std::string::npos) {
        c.warnings.push_back(
            "Corrected Image (0028,0051) lacks DECY although Decay Correction is " + dc);
      }
    }
  }

  // Other normalisations where the tags allow them.
  r.from_body_weight[SuvType::BodyWeight] = 1.0;
  const auto weight = in.header().number(tag::PatientWeight);
  const auto hcm = in.height_cm();
  if (weight && *weight > 0 && hcm) {
    const double w = *weight > 1000 ? *weight / 1000.0 : *weight;
    const char sex = sexOf(h);
    r.from_body_weight[SuvType::LeanBodyMassJames] = leanBodyMassJames(w, *hcm, sex) / w;
    r.from_body_weight[SuvType::LeanBodyMassJanmahasatian] =
        leanBodyMassJanmahasatian(w, *hcm, sex) / w;
    r.from_body_weight[SuvType::BodySurfaceArea] =
        bodySurfaceAreaDuBois(w, *hcm) * 1e4 / (w * 1000.0);
    r.from_body_weight[SuvType::IdealBodyWeight] = idealBodyWeight(*hcm, sex) / w;
  }
  const auto ratio = r.from_body_weight.find(params.output);
  if (ratio == r.from_body_weight.end()) {
    throw InputError(h.file, suvUnits(params.output) +
                                 " needs Patient's Weight (0010,1030) and Patient's Size "
                                 "(0010,1020)");
  }
  r.body_weight_scale = bw;
  c.units = suvUnits(params.output);
  c.method = method;
  if (params.output != SuvType::BodyWeight) {
    c.method += "; then x " + formatNumber(ratio->second) + " for " + suvUnits(params.output);
  }
  const auto [lo, hi] = std::minmax_element(bw.begin(), bw.end());
  c.add("SUVbw per rescaled value",
        *lo == *hi ? formatNumber(*lo) : formatNumber(*lo) + " to " + formatNumber(*hi),
        "per slice, before Rescale Slope");
  for (std::size_t k = 0; k < n; ++k) {
    const FrameHeader& f = slices[k].frameHeader();
    c.slice_scale.push_back(f.rescale_slope * bw[k] * ratio->second);
    c.slice_offset.push_back(f.rescale_intercept * bw[k] * ratio->second);
  }
  return r;
}

}  // namespace harmonia
