#pragma once
// Free-form key/value metadata carried by images and volumes (modality,
// units, scanner, how values were converted...).

#include <map>
#include <string>

namespace harmonia {

/// Ordered string map; keys are documented where they are set.
using MetaData = std::map<std::string, std::string>;

}  // namespace harmonia
