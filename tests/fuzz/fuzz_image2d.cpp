// PNG, JPEG and TIFF through decodeImage2D (core/io/ImageIO.cpp: our
// completeness checks, then OpenCV's decoders).
#include <vector>

#include "FuzzSupport.h"
#include "core/io/ImageIO.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace harmonia;
  const std::vector<unsigned char> bytes(data, data + size);
  fuzz::expectCleanResult([&] { decodeImage2D(bytes, "fuzz-image"); });
  return 0;
}
