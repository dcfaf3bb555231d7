#include "core/util/Version.h"

#include <gdcmConfigure.h>
#include <oneapi/tbb/version.h>
#include <vtkVersion.h>

#include <Eigen/Core>
#include <opencv2/core/version.hpp>

namespace harmonia {

std::string version() { return HARMONIA_VERSION; }

std::vector<std::pair<std::string, std::string>> coreLibraryVersions() {
  return {
      {"OpenCV", CV_VERSION},
      {"VTK", vtkVersion::GetVTKVersion()},
      {"Eigen", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
                    "." + std::to_string(EIGEN_MINOR_VERSION)},
      {"oneTBB", TBB_VERSION_STRING},
      {"GDCM", GDCM_VERSION},
  };
}

}  // namespace harmonia
