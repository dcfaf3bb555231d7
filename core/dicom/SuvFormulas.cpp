// The patient-size formulas, radionuclide half-lives and names of the SUV
// normalisations (declared in SuvCalculator.h), as the OncoRay SUV manual
// (../shared/data/suv_dro/suv_manual.md, "Units = GML" and "Units = CM2ML")
// gives them: W in kg, H in cm.

#include <cmath>

#include "core/dicom/SuvCalculator.h"
#include "core/util/AsciiCase.h"

namespace harmonia {
namespace {

// Mean of the male and female value for sex 'O' (the manual's suggestion).
template <typename F>
double bySex(char sex, F f) {
  if (sex == 'M' || sex == 'F') return f(sex);
  return 0.5 * (f('M') + f('F'));
}

}  // namespace

std::string suvUnits(SuvType type) {
  switch (type) {
    case SuvType::BodyWeight:
      return "SUVbw g/ml";
    case SuvType::LeanBodyMassJames:
      return "SUVlbm(James) g/ml";
    case SuvType::LeanBodyMassJanmahasatian:
      return "SUVlbm(Janmahasatian) g/ml";
    case SuvType::BodySurfaceArea:
      return "SUVbsa cm2/ml";
    case SuvType::IdealBodyWeight:
      return "SUVibw g/ml";
  }
  return "SUV";
}

std::string suvName(SuvType type) {
  switch (type) {
    case SuvType::BodyWeight:
      return "bw";
    case SuvType::LeanBodyMassJames:
      return "lbm-james";
    case SuvType::LeanBodyMassJanmahasatian:
      return "lbm-janma";
    case SuvType::BodySurfaceArea:
      return "bsa";
    case SuvType::IdealBodyWeight:
      return "ibw";
  }
  return "bw";
}

std::optional<SuvType> parseSuvName(const std::string& name) {
  for (SuvType t :
       {SuvType::BodyWeight, SuvType::LeanBodyMassJames, SuvType::LeanBodyMassJanmahasatian,
        SuvType::BodySurfaceArea, SuvType::IdealBodyWeight}) {
    if (suvName(t) == name) return t;
  }
  return std::nullopt;
}

double leanBodyMassJames(double w, double h, char sex) {
  return bySex(sex, [&](char s) {
    return s == 'M' ? 1.10 * w - 128.0 * (w / h) * (w / h) : 1.07 * w - 148.0 * (w / h) * (w / h);
  });
}

double leanBodyMassMorgan(double w, double h, char sex) {
  return bySex(sex, [&](char s) {
    return s == 'M' ? 1.10 * w - 120.0 * (w / h) * (w / h) : 1.07 * w - 148.0 * (w / h) * (w / h);
  });
}

double leanBodyMassJanmahasatian(double w, double h, char sex) {
  const double bmi = w / ((h / 100.0) * (h / 100.0));
  return bySex(sex, [&](char s) {
    return s == 'M' ? 9270.0 * w / (6680.0 + 216.0 * bmi) : 9270.0 * w / (8780.0 + 244.0 * bmi);
  });
}

// SUV manual, "Units = CM2ML": the Du Bois formula "BSA = 0.007184 H^0.725
// W^0.425 where H is height in cm, and W is weight in kg"; BSA in m2.
double bodySurfaceAreaDuBois(double w_kg, double h_cm) {
  return 0.007184 * std::pow(h_cm, 0.725) * std::pow(w_kg, 0.425);
}

double idealBodyWeight(double h, char sex) {
  return bySex(sex, [&](char s) {
    return s == 'M' ? 48.0 + 1.06 * (h - 152.0) : 45.5 + 0.91 * (h - 152.0);
  });
}

std::optional<double> halfLifeOfRadionuclide(const std::string& codeOrMeaning) {
  struct Nuclide {
    const char* code;
    const char* element;
    const char* mass;
    double half_life_s;
  };
  static const Nuclide table[] = {
      {"C-111A1", "FLUORINE", "18", 6586.2},  {"C-105A1", "CARBON", "11", 1223.4},
      {"C-107A1", "NITROGEN", "13", 597.9},   {"C-B1038", "OXYGEN", "15", 122.24},
      {"C-131A3", "GALLIUM", "68", 4057.74},  {"C-159A2", "RUBIDIUM", "82", 76.38},
      {"C-127A2", "COPPER", "64", 45721.1},   {"C-1018C", "ZIRCONIUM", "89", 282276.0},
      {"C-114A4", "IODINE", "124", 360806.0}, {"C-128A2", "GERMANIUM", "68", 23410080.0},
  };
  const std::string s = asciiUpper(codeOrMeaning);
  if (s.empty() || s == "^") return std::nullopt;
  for (const Nuclide& n : table) {
    if (s.rfind(std::string(n.code) + "^", 0) == 0 || s == n.code) return n.half_life_s;
  }
  for (const Nuclide& n : table) {
    if (s.find(n.element) != std::string::npos && s.find(n.mass) != std::string::npos) {
      return n.half_life_s;
    }
  }
  return std::nullopt;
}

}  // namespace harmonia
