#pragma once
// Feature settings files (JSON). The format is documented in
// docs/feature-settings.md; every key is optional and defaults to the values
// of FeatureSettings. Unknown keys are errors (a typo must not be ignored).

#include <filesystem>
#include <string>

#include "core/features/FeatureSettings.h"

namespace harmonia::features {

/// Reads a settings file. Throws InputError naming the file and the problem.
FeatureSettings readFeatureSettings(const std::filesystem::path& path);
/// Parses settings from JSON text; `source` names it in errors.
FeatureSettings parseFeatureSettings(const std::string& json, const std::string& source);
/// The settings as JSON text (what readFeatureSettings reads back).
std::string featureSettingsToJson(const FeatureSettings& settings);

}  // namespace harmonia::features
