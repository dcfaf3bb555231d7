// The JSON settings files, all read with core/io/JsonReader.h: feature
// settings, phantom protocol configurations, harmonization plans and the
// scanner measurements a plan is made from. Every reader gets the same text.
#include "FuzzSupport.h"
#include "core/features/FeatureConfig.h"
#include "core/measure/HarmonizationPlan.h"
#include "core/phantom/Protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace harmonia;
  const std::string text(fuzz::asText(data, size));
  fuzz::expectCleanResult([&] { features::parseFeatureSettings(text, "fuzz.json"); });
  fuzz::expectCleanResult([&] { protocolConfigFromJson(text, "fuzz.json"); });
  fuzz::expectCleanResult([&] { planFromJson(text, "fuzz.json"); });
  fuzz::expectCleanResult([&] { measurementFromPsfJson(text, "fuzz.json"); });
  return 0;
}
