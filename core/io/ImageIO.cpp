#include "core/io/ImageIO.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "core/image/MetaDataKeys.h"
#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

namespace fs = std::filesystem;

std::string lowerName(const fs::path& path) {
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

enum class Format2D { Png, Jpeg, Tiff, Unknown };

Format2D formatOf(const fs::path& path) {
  const std::string name = lowerName(path);
  if (name.ends_with(".png")) return Format2D::Png;
  if (name.ends_with(".jpg") || name.ends_with(".jpeg")) return Format2D::Jpeg;
  if (name.ends_with(".tif") || name.ends_with(".tiff")) return Format2D::Tiff;
  return Format2D::Unknown;
}

std::vector<unsigned char> readAllBytes(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path, "no such file");
  if (fs::is_directory(path, ec)) throw InputError(path, "is a folder, not an image file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open for reading (permission denied?)");
  // One read of the whole file into a buffer of its size (a stream iterator
  // copies byte by byte and regrows the vector).
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size <= 0) throw InputError(path, "file is empty");
  in.seekg(0, std::ios::beg);
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    throw InputError(path, "cannot read the whole file (changed while reading?)");
  }
  return bytes;
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
  Image2D image = decodeImage2D(readAllBytes(path), path);
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
  if (pixels.channels() == 3) cv::cvtColor(pixels, pixels, cv::COLOR_BGR2RGB);
  if (pixels.channels() == 4) cv::cvtColor(pixels, pixels, cv::COLOR_BGRA2RGBA);
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
  if (image.channels() == 3) cv::cvtColor(image.mat(), out = cv::Mat(), cv::COLOR_RGB2BGR);
  if (image.channels() == 4) cv::cvtColor(image.mat(), out = cv::Mat(), cv::COLOR_RGBA2BGRA);
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
  if (kind != FileKind::Volume)
    throw InputError(path, "a volume must be written as .nii or .nii.gz");
  writeVolume(std::get<Volume>(image), path);
}

}  // namespace harmonia
