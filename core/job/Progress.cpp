#include "core/job/Progress.h"

namespace harmonia {

Progress& noProgress() {
  static NullProgress instance;
  return instance;
}

}  // namespace harmonia
