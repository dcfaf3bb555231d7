// Placeholder until the settings file reader lands.
#include "core/features/FeatureConfig.h"

#include "core/util/Error.h"

namespace harmonia::features {

FeatureSettings readFeatureSettings(const std::filesystem::path& path) {
  throw InputError(path, "feature settings files are not implemented yet");
}
FeatureSettings parseFeatureSettings(const std::string&, const std::string& source) {
  throw InputError(source, "feature settings files are not implemented yet");
}
std::string featureSettingsToJson(const FeatureSettings&) { return "{}"; }

}  // namespace harmonia::features
