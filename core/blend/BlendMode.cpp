#include "core/blend/BlendMode.h"

#include "core/util/Error.h"

namespace harmonia {

const char* toString(BlendMode mode) {
  switch (mode) {
    case BlendMode::Normal:
      return "normal";
    case BlendMode::Mixed:
      return "mixed";
    case BlendMode::Monochrome:
      return "monochrome";
    case BlendMode::Alpha:
      return "alpha";
  }
  return "normal";
}

BlendMode blendModeFromString(const std::string& name) {
  for (BlendMode m :
       {BlendMode::Normal, BlendMode::Mixed, BlendMode::Monochrome, BlendMode::Alpha}) {
    if (name == toString(m)) return m;
  }
  throw ParameterError("unknown blend mode '" + name +
                       "' (expected normal, mixed, monochrome or alpha)");
}

}  // namespace harmonia
