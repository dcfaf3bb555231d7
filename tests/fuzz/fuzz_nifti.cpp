// NIfTI-1 (.nii) through readVolume and readMask (core/io/NiftiIO.cpp, VTK's reader).
#include "FuzzSupport.h"
#include "core/io/ImageIO.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace harmonia;
  const auto file = fuzz::scratchFile("fuzz.nii", fuzz::asText(data, size));
  fuzz::expectCleanResult([&] { readVolume(file); });
  fuzz::expectCleanResult([&] { readMask(file); });
  return 0;
}
