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
  for (const auto& t : report.label_terms) {
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
    addCell(out, std::to_string(g.samples_used));
    for (const double v :
         {g.before.fisher_ratio, g.after.fisher_ratio, g.fisher_change, g.before.site_f,
          g.after.site_f, g.before.site_p, g.after.site_p, g.before.ks_max, g.after.ks_max}) {
      addCell(out, cell(v));
    }
    for (std::size_t t = 0; t < report.label_terms.size(); ++t) {
      for (const GuardMeasures* m : {&g.before, &g.after}) {
        if (t < m->coefficients.size()) {
          const auto& c = m->coefficients[t];
          for (const double v : {c.estimate, c.ci_lower, c.ci_upper, c.p}) {
            addCell(out, cell(v));
          }
        } else {
          out += ",,,,";
        }
      }
    }
    addCell(out, cell(g.biology_lost));
    addCell(out, g.flagged ? "1" : "0");
    addCell(out, csvCell(flagReasonsText(g)));
    out += '\n';
  }
  return out;
}

std::string flagReasonsText(const FeatureGuard& g) {
  std::string s;
  for (const auto& r : g.flag_reasons) {
    if (!s.empty()) {
      s += "; ";
    }
    s += r;
  }
  return s;
}

}  // namespace harmonia
