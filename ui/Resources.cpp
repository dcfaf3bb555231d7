#include "ui/Resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initHarmoniaResources() { Q_INIT_RESOURCE(harmonia); }

namespace harmonia {

void initResources() {
  static const bool done = [] {
    initHarmoniaResources();
    return true;
  }();
  (void)done;
}

}  // namespace harmonia
