// The cohort manifest of `harmonia-cli features --manifest`
// (readFeatureManifest, app/cli/FeatureManifest.cpp): the CSV parser, the
// header's column roles (image, mask, roi, series; a column named twice) and
// the rows. The files a row names are not opened: their readers have targets
// of their own.
#include "FuzzSupport.h"
#include "app/cli/FeatureInputs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace harmonia;
  const auto file = fuzz::scratchFile("manifest.csv", fuzz::asText(data, size));
  fuzz::expectCleanResult([&] { cli::readFeatureManifest(file); });
  return 0;
}
