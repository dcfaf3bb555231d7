#include "core/dicom/ValueConversion.h"

#include <sstream>

namespace harmonia {

std::string formatNumber(double v, int digits) {
  std::ostringstream s;
  s.precision(digits);
  s << v;
  return s.str();
}

std::string ValueConversion::explanation() const {
  std::ostringstream s;
  s << method << "\n";
  for (const ConversionStep& step : steps) {
    s << "  " << step.quantity << ": " << step.value;
    if (!step.source.empty()) s << "  [" << step.source << "]";
    s << "\n";
  }
  for (const std::string& w : warnings) s << "  warning: " << w << "\n";
  return s.str();
}

}  // namespace harmonia
