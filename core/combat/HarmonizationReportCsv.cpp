#include <cmath>
#include <string>

#include "core/combat/CohortTable.h"
#include "core/combat/HarmonizationReport.h"
#include "core/io/Csv.h"

namespace harmonia {

namespace {

// A finite value as the shortest text that reads back to it; "" otherwise.
std::string cell(double v) { return std::isfinite(v) ? formatRoundTrip(v) : std::string(); }

void addCell(std::string& out, const std::string& text) {
  out += ',';
  out += text;
}

}  // namespace

std::string harmonizationReportCsv(const HarmonizationReport& report) {
  std::string out =
      "feature,samples,fisher_before,fisher_after,fisher_change,site_f_before,site_f_after,"
      "site_p_before,site_p_after,ks_max_before,ks_max_after";
  for (const auto& t : report.labelTerms) {
    for (const char* when : {"before", "after"}) {
      for (const char* q : {"coef", "ci_lower", "ci_upper", "p"}) {
        addCell(out, csvCell(std::string(q) + "_" + t + "_" + when));
      }
    }
  }
  out += ",biology_lost,flagged,reasons\n";
  for (const auto i : report.orderByBiologyLost()) {
    const FeatureGuard& g = report.features[i];
    out += csvCell(g.feature);
    addCell(out, std::to_string(g.samplesUsed));
    for (const double v :
         {g.before.fisherRatio, g.after.fisherRatio, g.fisherChange, g.before.siteF, g.after.siteF,
          g.before.siteP, g.after.siteP, g.before.ksMax, g.after.ksMax}) {
      addCell(out, cell(v));
    }
    for (std::size_t t = 0; t < report.labelTerms.size(); ++t) {
      for (const GuardMeasures* m : {&g.before, &g.after}) {
        if (t < m->coefficients.size()) {
          const auto& c = m->coefficients[t];
          for (const double v : {c.estimate, c.ciLower, c.ciUpper, c.p}) {
            addCell(out, cell(v));
          }
        } else {
          out += ",,,,";
        }
      }
    }
    addCell(out, cell(g.biologyLost));
    addCell(out, g.flagged ? "1" : "0");
    addCell(out, csvCell(flagReasonsText(g)));
    out += '\n';
  }
  return out;
}

std::string flagReasonsText(const FeatureGuard& g) {
  std::string s;
  for (const auto& r : g.flagReasons) {
    if (!s.empty()) {
      s += "; ";
    }
    s += r;
  }
  return s;
}

}  // namespace harmonia
