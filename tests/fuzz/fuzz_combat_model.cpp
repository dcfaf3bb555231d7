// A saved ComBat model (JSON) through loadComBatModel (core/combat/ComBatModel.cpp).
#include "FuzzSupport.h"
#include "core/combat/ComBatModel.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace harmonia;
  const auto file = fuzz::scratchFile("fuzz-model.json", fuzz::asText(data, size));
  fuzz::expectCleanResult([&] { loadComBatModel(file); });
  return 0;
}
