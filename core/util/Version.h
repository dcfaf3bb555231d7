#pragma once
// Versions of Harmonia and the libraries it was built with (About box, --version).

#include <string>
#include <utility>
#include <vector>

namespace harmonia {

/// Harmonia's own version ("0.1.0").
std::string version();
/// (library, version) pairs for the core libraries: OpenCV, VTK, Eigen, TBB, GDCM.
std::vector<std::pair<std::string, std::string>> coreLibraryVersions();

}  // namespace harmonia
