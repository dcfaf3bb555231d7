#include "core/blend/GuidanceField.h"

#include "core/util/Error.h"

namespace harmonia {

const char* toString(GuidanceMode mode) {
  switch (mode) {
    case GuidanceMode::Normal:
      return "normal";
    case GuidanceMode::Mixed:
      return "mixed";
    case GuidanceMode::Monochrome:
      return "monochrome";
  }
  return "normal";
}

GuidanceMode guidanceModeFromString(const std::string& name) {
  if (name == "normal") return GuidanceMode::Normal;
  if (name == "mixed") return GuidanceMode::Mixed;
  if (name == "monochrome") return GuidanceMode::Monochrome;
  throw ParameterError("unknown guidance mode '" + name +
                       "' (expected normal, mixed or monochrome)");
}

}  // namespace harmonia
