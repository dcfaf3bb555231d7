#include "core/io/ImageIO.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/image/MetaDataKeys.h"
#include "core/io/AtomicFile.h"
#include "core/io/TextFile.h"
#include "core/util/AsciiCase.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

namespace fs = std::filesystem;

std::string lowerName(const fs::path& path) { return asciiLower(path.filename().string()); }

enum class Format2D { Png, Jpeg, Tiff, Unknown };

Format2D formatOf(const fs::path& path) {
  const std::string name = lowerName(path);
  if (name.ends_with(".png")) return Format2D::Png;
  if (name.ends_with(".jpg") || name.ends_with(".jpeg")) return Format2D::Jpeg;
  if (name.ends_with(".tif") || name.ends_with(".tiff")) return Format2D::Tiff;
  return Format2D::Unknown;
}

Format2D sniff(const std::vector<unsigned char>& b) {
  static constexpr std::array<unsigned char, 8> kPng{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (b.size() >= 8 && std::equal(kPng.begin(), kPng.end(), b.begin())) return Format2D::Png;
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return Format2D::Jpeg;
  if (b.size() >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) ||
                        (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
    return Format2D::Tiff;
  }
  return Format2D::Unknown;
}

const char* formatName(Format2D f) {
  switch (f) {
    case Format2D::Png:
      return "PNG";
    case Format2D::Jpeg:
      return "JPEG";
    case Format2D::Tiff:
      return "TIFF";
    case Format2D::Unknown:
      break;
  }
  return "unknown";
}

// Decoders fill a truncated image with grey and only warn, so completeness
// is checked here: a PNG ends with its IEND chunk, a JPEG with EOI (FFD9).
void checkComplete(const fs::path& path, const std::vector<unsigned char>& b, Format2D format) {
  if (format == Format2D::Png) {
    static constexpr std::array<unsigned char, 8> kIend{'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    auto it = std::search(b.begin(), b.end(), kIend.begin(), kIend.end());
    if (it == b.end()) throw InputError(path, "truncated PNG (no IEND chunk)");
  } else if (format == Format2D::Jpeg) {
    std::size_t end = b.size();
    while (end > 2 && b[end - 1] == 0) --end;  // some writers pad with zeros
    if (end < 4 || b[end - 2] != 0xFF || b[end - 1] != 0xD9) {
      throw InputError(path, "truncated JPEG (no end-of-image marker)");
    }
  }
}

// What a file's header says the decoded image will be. OpenCV's decoders
// allocate the whole image a header claims before reading a pixel (up to 2^30
// pixels: a 100-byte TIFF made it allocate 4.3 GB, found by fuzz_image2d), so
// the header is read here first and absurd sizes are refused before decoding.
struct DeclaredSize {
  std::uint64_t width = 0;
  std::uint64_t height = 0;
  std::uint64_t channels = 0;
  std::uint64_t bytes_per_sample = 0;
  /// The smallest file that can hold such an image (0: no bound known).
  double min_file_bytes = 0;
};

std::uint32_t bigEndian(const std::vector<unsigned char>& b, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | b[at + static_cast<std::size_t>(i)];
  return v;
}

// PNG: the IHDR chunk comes first (PNG spec, section 11.2.2). Palette and
// grey+alpha images are expanded to 4 channels at most by the decoder.
std::optional<DeclaredSize> pngSize(const std::vector<unsigned char>& b) {
  if (b.size() < 29 || std::string(b.begin() + 12, b.begin() + 16) != "IHDR") return std::nullopt;
  const unsigned bitDepth = b[24];
  const unsigned colourType = b[25];
  const std::uint64_t channels = colourType == 0 ? 1 : colourType == 2 ? 3 : 4;
  DeclaredSize size{bigEndian(b, 16, 4), bigEndian(b, 20, 4), channels, bitDepth > 8 ? 2U : 1U};
  // The samples as stored (palette: one index; grey+alpha: two) inflate from
  // the IDAT data at most 1032:1 (deflate's bound, RFC 1951 section 3.2.5).
  static constexpr std::array<double, 7> kStored{1, 1, 3, 1, 2, 1, 4};
  const double stored = colourType < kStored.size() ? kStored[colourType] : 1;
  size.min_file_bytes = static_cast<double>(size.width) * static_cast<double>(size.height) *
                        stored * bitDepth / 8.0 / 1032.0;
  return size;
}

// JPEG: the first start-of-frame segment (SOF0..SOF15 except DHT C4, JPG C8,
// DAC CC) gives precision, height, width and components (ITU T.81, B.2.2).
std::optional<DeclaredSize> jpegSize(const std::vector<unsigned char>& b) {
  std::size_t at = 2;
  while (at + 4 <= b.size()) {
    if (b[at] != 0xFF) {  // libjpeg skips stray bytes between segments: so do we
      ++at;
      continue;
    }
    const unsigned marker = b[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) {  // no length
      at += 2;
      continue;
    }
    const std::size_t length = bigEndian(b, at + 2, 2);
    const bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (at + 10 > b.size()) return std::nullopt;
      DeclaredSize size{bigEndian(b, at + 7, 2), bigEndian(b, at + 5, 2),
                        std::max<std::uint64_t>(b[at + 9], 1), b[at + 4] > 8 ? 2U : 1U};
      // Huffman coding (SOF0-3, 5-7) spends at least one bit on each 8x8
      // block of the full-resolution component (its DC difference code);
      // arithmetic coding (SOF9 on) has no such floor.
      if (marker <= 0xC7) {
        size.min_file_bytes =
            static_cast<double>(size.width) * static_cast<double>(size.height) / 64.0 / 8.0;
      }
      return size;
    }
    if (marker == 0xDA) return std::nullopt;  // scan data before any frame
    // A length under 2 (it counts itself) is read by libjpeg as an empty segment.
    at += 2 + std::max<std::size_t>(length, 2);
  }
  return std::nullopt;
}

// TIFF: the first image file directory's ImageWidth (256), ImageLength (257),
// BitsPerSample (258) and SamplesPerPixel (277) (TIFF 6.0, section 8).
std::optional<DeclaredSize> tiffSize(const std::vector<unsigned char>& b) {
  const bool little = b[0] == 'I';
  auto read = [&](std::size_t at, int n) -> std::uint64_t {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) {
      const unsigned char byte = b[at + static_cast<std::size_t>(little ? n - 1 - i : i)];
      v = (v << 8) | byte;
    }
    return v;
  };
  if (b.size() < 8) return std::nullopt;
  const std::uint64_t ifd = read(4, 4);
  if (ifd + 2 > b.size()) return std::nullopt;
  const std::uint64_t count = read(ifd, 2);
  DeclaredSize size{0, 0, 1, 1};
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t entry = ifd + 2 + 12 * i;
    if (entry + 12 > b.size()) break;
    const std::uint64_t tag = read(entry, 2);
    const std::uint64_t type = read(entry + 2, 2);
    const std::uint64_t n = read(entry + 4, 4);
    // SHORT (3) or LONG (4); the first value sits in the entry when it fits
    // (BitsPerSample with one value per channel may point elsewhere: its
    // first value is what matters, read where it is).
    if (type != 3 && type != 4) continue;
    const int width = type == 3 ? 2 : 4;
    std::uint64_t at = entry + 8;
    if (n * static_cast<std::uint64_t>(width) > 4) at = read(entry + 8, 4);
    if (at + static_cast<std::uint64_t>(width) > b.size()) continue;
    const std::uint64_t value = read(at, width);
    if (tag == 256) size.width = value;
    if (tag == 257) size.height = value;
    if (tag == 258) size.bytes_per_sample = std::max<std::uint64_t>((value + 7) / 8, 1);
    if (tag == 277) size.channels = std::max<std::uint64_t>(value, 1);
  }
  return size;
}

void checkDeclaredSize(const fs::path& path, const std::vector<unsigned char>& b, Format2D format) {
  std::optional<DeclaredSize> size;
  if (format == Format2D::Png) size = pngSize(b);
  if (format == Format2D::Jpeg) size = jpegSize(b);
  if (format == Format2D::Tiff) size = tiffSize(b);
  // No readable header: refused rather than handed to a decoder that may
  // read the damage differently (and allocate what it then finds).
  if (!size) {
    throw InputError(path,
                     std::string("corrupt ") + formatName(format) + ": " +
                         (format == Format2D::Png    ? "no IHDR chunk first"
                          : format == Format2D::Jpeg ? "no frame header (SOF) before the scan"
                                                     : "its first directory is outside the file"));
  }
  const std::string dims = std::to_string(size->width) + " x " + std::to_string(size->height);
  if (size->width == 0 || size->height == 0) {
    throw InputError(
        path, std::string(formatName(format)) + " header declares an empty image (" + dims + ")");
  }
  // Width and height are below 2^32 (the headers store at most 32 bits),
  // channels and sample bytes below 2^16: with the pixel count checked first,
  // the product stays far below 2^64.
  const std::uint64_t pixels = size->width * size->height;
  if (pixels > kMax2DPixels ||
      pixels * size->channels * size->bytes_per_sample > kMax2DDecodedBytes) {
    char gib[32];
    std::snprintf(gib, sizeof gib, "%.1f GiB",
                  static_cast<double>(pixels) * static_cast<double>(size->channels) *
                      static_cast<double>(size->bytes_per_sample) /
                      static_cast<double>(1ULL << 30));
    throw InputError(path, std::string(formatName(format)) + " header declares a " + dims +
                               " image with " + std::to_string(size->channels) + " channel(s), " +
                               gib +
                               " once decoded: too large (Harmonia opens 2-D images up to 2 GiB "
                               "decoded; corrupt header?)");
  }
  if (static_cast<double>(b.size()) < size->min_file_bytes) {
    throw InputError(path, std::string(formatName(format)) + " header declares a " + dims +
                               " image, which a file of " + std::to_string(b.size()) +
                               " bytes cannot hold (corrupt header or truncated file)");
  }
}

// Swaps channels 0 and 2 of every pixel of `src` into `dst` (same size and
// type; may be `src`): OpenCV's BGR(A) order <-> our RGB(A). Rows in
// parallel: for a 3000x2000 RGB image on two cores, 3 ms where cv::cvtColor
// takes 15 ms (it is on the read and write paths of bench_cli_io's blend).
template <typename T>
void swapRedBlueAs(const cv::Mat& src, cv::Mat& dst) {
  const int channels = src.channels();
  const int columns = src.cols;
  tbb::parallel_for(tbb::blocked_range<int>(0, src.rows, 16),
                    [&](const tbb::blocked_range<int>& rows) {
                      for (int y = rows.begin(); y != rows.end(); ++y) {
                        const T* in = src.ptr<T>(y);
                        T* out = dst.ptr<T>(y);
                        for (int x = 0; x < columns; ++x, in += channels, out += channels) {
                          const T first = in[0];
                          out[0] = in[2];
                          out[1] = in[1];
                          out[2] = first;
                          if (channels == 4) out[3] = in[3];
                        }
                      }
                    });
}

// `src` with red and blue swapped, in `dst` (allocated here unless it is
// `src`). 3- or 4-channel images of 8-bit, 16-bit or float samples.
void swapRedBlue(const cv::Mat& src, cv::Mat& dst) {
  if (dst.data != src.data) dst.create(src.size(), src.type());
  switch (src.depth()) {
    case CV_8U:
      swapRedBlueAs<std::uint8_t>(src, dst);
      break;
    case CV_16U:
      swapRedBlueAs<std::uint16_t>(src, dst);
      break;
    case CV_32F:
      swapRedBlueAs<float>(src, dst);
      break;
    default:
      cv::cvtColor(src, dst, src.channels() == 4 ? cv::COLOR_BGRA2RGBA : cv::COLOR_BGR2RGB);
  }
}

}  // namespace

FileKind fileKindOf(const fs::path& path) {
  const std::string name = lowerName(path);
  if (name.ends_with(".nii") || name.ends_with(".nii.gz")) return FileKind::Volume;
  if (formatOf(path) != Format2D::Unknown) return FileKind::Image2D;
  return FileKind::Unknown;
}

Image2D readImage2D(const fs::path& path) {
  if (formatOf(path) == Format2D::Unknown) {
    throw InputError(path, "unsupported file type '" + path.extension().string() +
                               "' (2-D images: .png .jpg .jpeg .tif .tiff)");
  }
  Image2D image = decodeImage2D(readFileBytes(path, "image file"), path);
  image.metadata()[metakey::kSource] = path.string();
  return image;
}

Image2D decodeImage2D(const std::vector<unsigned char>& bytes, const fs::path& path) {
  if (bytes.empty()) throw InputError(path, "file is empty");
  const Format2D content = sniff(bytes);
  if (content == Format2D::Unknown) {
    throw InputError(path, "not a PNG, JPEG or TIFF image (unrecognised content)");
  }
  checkComplete(path, bytes, content);
  checkDeclaredSize(path, bytes, content);
  cv::Mat pixels;
  try {
    pixels = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    throw InputError(path, std::string("cannot decode ") + formatName(content) + ": " + e.what());
  }
  if (pixels.empty()) {
    throw InputError(
        path, std::string("cannot decode ") + formatName(content) + " (corrupt or truncated data)");
  }
  if (pixels.depth() == CV_8S || pixels.depth() == CV_16S || pixels.depth() == CV_32S ||
      pixels.depth() == CV_64F) {
    cv::Mat converted;
    pixels.convertTo(converted, CV_32F);
    pixels = converted;
  }
  if (pixels.channels() == 2) {  // gray + alpha -> RGBA
    cv::Mat rgba(pixels.size(), CV_MAKETYPE(pixels.depth(), 4));
    const int fromTo[] = {0, 0, 0, 1, 0, 2, 1, 3};
    cv::mixChannels(&pixels, 1, &rgba, 1, fromTo, 4);
    cv::cvtColor(rgba, pixels, cv::COLOR_RGBA2BGRA);  // undone below, keeps one path
  }
  if (pixels.channels() == 3 || pixels.channels() == 4) swapRedBlue(pixels, pixels);
  Image2D image = Image2D::wrap(pixels);
  image.metadata()[metakey::kFormat] = formatName(content);
  return image;
}

void writeImage2D(const Image2D& image, const fs::path& path) {
  const Format2D format = formatOf(path);
  if (format == Format2D::Unknown) {
    throw InputError(path, "unsupported output type '" + path.extension().string() +
                               "' (2-D images: .png .jpg .jpeg .tif .tiff)");
  }
  if (image.empty()) throw InputError(path, "cannot write an empty image");
  if (format == Format2D::Jpeg && image.sampleType() != SampleType::UInt8) {
    throw InputError(path, std::string("JPEG stores 8-bit samples only; this image is ") +
                               toString(image.sampleType()) + " (use .png or .tif)");
  }
  if (format == Format2D::Png && image.sampleType() == SampleType::Float32) {
    throw InputError(path, "PNG stores 8- or 16-bit samples; this image is float32 (use .tif)");
  }
  // Convert into a new Mat: the caller's pixels must not change.
  cv::Mat out = image.mat();
  if (image.channels() == 3 || image.channels() == 4) swapRedBlue(image.mat(), out = cv::Mat());
  writeAtomically(path, [&](const fs::path& tmp) {
    bool ok = false;
    try {
      // OpenCV stores 3-channel float TIFF as lossy SGILOG unless told otherwise,
      // and LZW (its default otherwise) costs ~15x the time of writing the
      // samples as they are (1.9 s against 0.12 s for 3000x2000 RGB, for a
      // file 1.5x smaller): TIFF is written uncompressed, lossless for every
      // sample type.
      std::vector<int> options;
      if (format == Format2D::Tiff) options = {cv::IMWRITE_TIFF_COMPRESSION, 1};
      ok = cv::imwrite(tmp.string(), out, options);
    } catch (const cv::Exception& e) {
      throw InputError(path, std::string("cannot encode: ") + e.what());
    }
    if (!ok) throw InputError(path, "cannot write (encoder failed or disk full)");
  });
}

AnyImage readAny(const fs::path& path) {
  switch (fileKindOf(path)) {
    case FileKind::Image2D:
      return readImage2D(path);
    case FileKind::Volume:
      return readVolume(path);
    case FileKind::Unknown:
      break;
  }
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path, "no such file");
  throw InputError(path, "unsupported file type '" + path.extension().string() +
                             "' (supported: .png .jpg .jpeg .tif .tiff .nii .nii.gz)");
}

void writeAny(const AnyImage& image, const fs::path& path) {
  const FileKind kind = fileKindOf(path);
  if (const auto* image2d = std::get_if<Image2D>(&image)) {
    if (kind != FileKind::Image2D) {
      throw InputError(path, "a 2-D image must be written as .png, .jpg, .jpeg, .tif or .tiff");
    }
    writeImage2D(*image2d, path);
    return;
  }
  if (kind != FileKind::Volume) {
    throw InputError(path, "a volume must be written as .nii or .nii.gz");
  }
  writeVolume(std::get<Volume>(image), path);
}

}  // namespace harmonia
