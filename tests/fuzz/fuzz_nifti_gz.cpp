// Gzipped NIfTI-1 (.nii.gz) through readVolume (VTK's reader decodes the
// gzip stream). An input whose first byte is odd is gzipped here first, so
// that the fuzzer also reaches the NIfTI header behind a valid gzip stream;
// otherwise the bytes are the .nii.gz file itself (damaged gzip streams).
#include <zlib.h>

#include "FuzzSupport.h"
#include "core/io/ImageIO.h"

namespace {

std::string gzip(std::string_view bytes) {
  z_stream z{};
  // windowBits 15 + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    std::abort();
  }
  std::string out(deflateBound(&z, bytes.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace harmonia;
  std::string_view bytes = fuzz::asText(data, size);
  std::string packed;
  if (!bytes.empty() && (bytes.front() & 1) != 0) {
    packed = gzip(bytes.substr(1));
    bytes = packed;
  }
  const auto file = fuzz::scratchFile("fuzz.nii.gz", bytes);
  fuzz::expectCleanResult([&] { readVolume(file); });
  return 0;
}
