#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <zlib.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "TestSupport.h"
#include "core/io/ImageIO.h"
#include "core/util/Error.h"

using namespace harmonia;
using harmonia::test::ScratchDir;

namespace {

Image2D gradientImage(int channels, SampleType type) {
  Image2D img(37, 23, channels, type);
  for (int y = 0; y < img.height(); ++y) {
    for (int x = 0; x < img.width(); ++x) {
      for (int c = 0; c < channels; ++c) {
        const double v = (x * 7 + y * 3 + c * 50) % 256;
        switch (type) {
          case SampleType::UInt8:
            img.mat().ptr<std::uint8_t>(y)[x * channels + c] = static_cast<std::uint8_t>(v);
            break;
          case SampleType::UInt16:
            img.mat().ptr<std::uint16_t>(y)[x * channels + c] = static_cast<std::uint16_t>(v * 250);
            break;
          case SampleType::Float32:
            img.mat().ptr<float>(y)[x * channels + c] = static_cast<float>(v / 3.0 - 10.0);
            break;
        }
      }
    }
  }
  return img;
}

double maxAbsDiff(const Image2D& a, const Image2D& b) {
  cv::Mat da, db;
  a.mat().convertTo(da, CV_64F);
  b.mat().convertTo(db, CV_64F);
  return cv::norm(da, db, cv::NORM_INF);
}

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// Appends `value` as `n` bytes, big- or little-endian.
void put(std::vector<unsigned char>& b, std::uint64_t value, int n, bool little) {
  for (int i = 0; i < n; ++i) {
    const int shift = 8 * (little ? i : n - 1 - i);
    b.push_back(static_cast<unsigned char>((value >> shift) & 0xFF));
  }
}

// A TIFF of one image file directory and no pixel data: entries are
// {tag, type (3 SHORT, 4 LONG), count, value or offset}.
std::vector<unsigned char> tiffHeader(bool little,
                                      const std::vector<std::array<std::uint32_t, 4>>& entries,
                                      const std::vector<unsigned char>& tail = {}) {
  std::vector<unsigned char> b;
  if (little) {
    b = {'I', 'I', 42, 0};
  } else {
    b = {'M', 'M', 0, 42};
  }
  put(b, 8, 4, little);
  put(b, entries.size(), 2, little);
  for (const auto& e : entries) {
    put(b, e[0], 2, little);
    put(b, e[1], 2, little);
    put(b, e[2], 4, little);
    if (e[1] == 3 && e[2] == 1) {  // one SHORT sits in the first two bytes of the field
      put(b, e[3], 2, little);
      put(b, 0, 2, little);
    } else {
      put(b, e[3], 4, little);
    }
  }
  put(b, 0, 4, little);  // no next directory
  b.insert(b.end(), tail.begin(), tail.end());
  return b;
}

std::string decodeError(const std::vector<unsigned char>& bytes, const char* name) {
  return errorOf([&] { decodeImage2D(bytes, name); });
}

}  // namespace

struct RoundTripCase {
  const char* extension;
  int channels;
  SampleType type;
  double tolerance;  // lossless formats: 0; JPEG: quantisation error
};

class ImageRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(ImageRoundTrip, WritesAndReadsBackSameSamples) {
  const RoundTripCase p = GetParam();
  ScratchDir dir;
  const Image2D original = gradientImage(p.channels, p.type);
  const auto path = dir / (std::string("img") + p.extension);
  writeImage2D(original, path);
  const Image2D back = readImage2D(path);
  EXPECT_EQ(back.channels(), p.channels);
  EXPECT_EQ(back.sampleType(), p.type);
  ASSERT_EQ(back.width(), original.width());
  ASSERT_EQ(back.height(), original.height());
  EXPECT_LE(maxAbsDiff(original, back), p.tolerance);
  EXPECT_EQ(harmonia::test::entryCount(dir.path()), 1u) << "temporary file left behind";
}

INSTANTIATE_TEST_SUITE_P(
    Formats, ImageRoundTrip,
    ::testing::Values(RoundTripCase{".png", 1, SampleType::UInt8, 0},
                      RoundTripCase{".png", 3, SampleType::UInt8, 0},
                      RoundTripCase{".png", 4, SampleType::UInt8, 0},
                      RoundTripCase{".png", 1, SampleType::UInt16, 0},
                      RoundTripCase{".png", 3, SampleType::UInt16, 0},
                      RoundTripCase{".tif", 3, SampleType::UInt8, 0},
                      RoundTripCase{".tiff", 1, SampleType::UInt16, 0},
                      RoundTripCase{".tif", 3, SampleType::Float32, 0},
                      // JPEG at OpenCV's default quality 95 on a smooth gradient.
                      RoundTripCase{".jpg", 1, SampleType::UInt8, 12}));

TEST(ImageIO, KeepsRgbOrderAtTheFileBoundary) {
  ScratchDir dir;
  Image2D red(2, 2, 3, SampleType::UInt8);
  red.mat().setTo(cv::Scalar(255, 0, 0));  // R, G, B in our order
  writeImage2D(red, dir / "red.png");
  const cv::Mat bgr = cv::imread((dir / "red.png").string(), cv::IMREAD_UNCHANGED);
  EXPECT_EQ(bgr.at<cv::Vec3b>(0, 0), cv::Vec3b(0, 0, 255));  // OpenCV's own reader sees BGR
  EXPECT_EQ(readImage2D(dir / "red.png").sample(1, 1, 0), 255.0);
}

// Every sample type and channel count that swaps red and blue at the file
// boundary (in parallel rows), on an image taller than one row chunk, with a
// different value in every sample: OpenCV's own reader sees BGR(A), ours
// reads back exactly what was written, and the caller's image is unchanged.
TEST(ImageIO, SwapsRedAndBlueOfEverySampleTypeAndAlpha) {
  ScratchDir dir;
  struct Case {
    SampleType type;
    int cv_depth;
    const char* ext;
  };
  for (const Case c :
       {Case{SampleType::UInt8, CV_8U, ".png"}, Case{SampleType::UInt16, CV_16U, ".png"},
        Case{SampleType::Float32, CV_32F, ".tif"}}) {
    for (const int channels : {3, 4}) {
      SCOPED_TRACE(std::string(toString(c.type)) + " x" + std::to_string(channels));
      Image2D image(37, 53, channels, c.type);
      const auto value = [&](int x, int y, int ch) {
        return static_cast<double>((x * 7 + y * 13 + ch * 61) % 251);
      };
      for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
          for (int ch = 0; ch < channels; ++ch) {
            switch (c.cv_depth) {
              case CV_8U:
                image.mat().ptr<std::uint8_t>(y)[x * channels + ch] =
                    static_cast<std::uint8_t>(value(x, y, ch));
                break;
              case CV_16U:
                image.mat().ptr<std::uint16_t>(y)[x * channels + ch] =
                    static_cast<std::uint16_t>(value(x, y, ch) * 250);
                break;
              default:
                image.mat().ptr<float>(y)[x * channels + ch] =
                    static_cast<float>(value(x, y, ch) / 7);
            }
          }
        }
      }
      const Image2D before = image;
      const std::filesystem::path file =
          dir / (std::string("swap") + std::to_string(channels) + c.ext);
      writeImage2D(image, file);
      EXPECT_EQ(cv::norm(image.mat(), before.mat(), cv::NORM_INF), 0.0)
          << "writing changed the caller's pixels";
      const cv::Mat theirs = cv::imread(file.string(), cv::IMREAD_UNCHANGED);
      ASSERT_EQ(theirs.channels(), channels);
      std::vector<cv::Mat> ourPlanes, theirPlanes;
      cv::split(image.mat(), ourPlanes);
      cv::split(theirs, theirPlanes);
      EXPECT_EQ(cv::norm(ourPlanes[0], theirPlanes[2], cv::NORM_INF), 0.0)
          << "red is not OpenCV's third plane";
      EXPECT_EQ(cv::norm(ourPlanes[1], theirPlanes[1], cv::NORM_INF), 0.0);
      EXPECT_EQ(cv::norm(ourPlanes[2], theirPlanes[0], cv::NORM_INF), 0.0);
      if (channels == 4) {
        EXPECT_EQ(cv::norm(ourPlanes[3], theirPlanes[3], cv::NORM_INF), 0.0);
      }
      const Image2D back = readImage2D(file);
      ASSERT_EQ(back.mat().type(), image.mat().type());
      EXPECT_EQ(cv::norm(back.mat(), image.mat(), cv::NORM_INF), 0.0);
    }
  }
}

namespace {

// An 8-bit gray + alpha PNG (colour type 4, which OpenCV's writer cannot make),
// built chunk by chunk (PNG spec 5.3: length, type, data, CRC-32 of type and
// data; IDAT is the zlib stream of filter-0 scanlines).
std::string grayAlphaPng(const cv::Mat& grayAlpha) {
  const auto bigEndian = [](std::uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  const auto chunk = [&](const std::string& type, const std::string& data) {
    const std::string body = type + data;
    const auto crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
    return bigEndian(static_cast<std::uint32_t>(data.size())) + body + bigEndian(crc);
  };
  std::string raw;
  for (int y = 0; y < grayAlpha.rows; ++y) {
    raw += '\0';  // filter type 0
    raw.append(grayAlpha.ptr<char>(y), static_cast<std::size_t>(grayAlpha.cols) * 2);
  }
  uLongf packedSize = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packedSize, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(packed.data()), &packedSize,
                     reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size())),
            Z_OK);
  packed.resize(packedSize);
  const std::string header = bigEndian(static_cast<std::uint32_t>(grayAlpha.cols)) +
                             bigEndian(static_cast<std::uint32_t>(grayAlpha.rows)) +
                             std::string{8, 4, 0, 0, 0};  // 8 bits, gray + alpha
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", header) + chunk("IDAT", packed) +
         chunk("IEND", "");
}

}  // namespace

// A gray + alpha PNG (a common way to save a mask with soft edges) reads as
// RGBA with red = green = blue = the gray value and the alpha kept.
TEST(ImageIO, GrayAndAlphaReadsAsRgba) {
  ScratchDir dir;
  cv::Mat grayAlpha(5, 7, CV_8UC2);
  for (int y = 0; y < grayAlpha.rows; ++y) {
    for (int x = 0; x < grayAlpha.cols; ++x) {
      grayAlpha.at<cv::Vec2b>(y, x) = cv::Vec2b(static_cast<std::uint8_t>(10 * x + y),
                                                static_cast<std::uint8_t>(200 - 9 * y - x));
    }
  }
  const std::filesystem::path file = dir / "gray-alpha.png";
  std::ofstream(file, std::ios::binary) << grayAlphaPng(grayAlpha);
  const Image2D image = readImage2D(file);
  ASSERT_EQ(image.channels(), 4);
  for (int y = 0; y < grayAlpha.rows; ++y) {
    for (int x = 0; x < grayAlpha.cols; ++x) {
      const cv::Vec2b ga = grayAlpha.at<cv::Vec2b>(y, x);
      for (int ch = 0; ch < 3; ++ch) EXPECT_EQ(image.sample(x, y, ch), ga[0]);
      EXPECT_EQ(image.sample(x, y, 3), ga[1]);
    }
  }
}

TEST(ImageIO, TruncatedPngIsAnErrorNamingTheFile) {
  ScratchDir dir;
  writeImage2D(gradientImage(3, SampleType::UInt8), dir / "full.png");
  const auto full = harmonia::test::fileBytes(dir / "full.png");
  harmonia::test::writeTruncated(dir / "full.png", dir / "cut.png", full.size() / 2);
  const std::string message = errorOf([&] { readImage2D(dir / "cut.png"); });
  EXPECT_NE(message.find("cut.png"), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
}

TEST(ImageIO, TruncatedJpegIsAnError) {
  ScratchDir dir;
  writeImage2D(gradientImage(3, SampleType::UInt8), dir / "full.jpg");
  const auto size = harmonia::test::fileBytes(dir / "full.jpg").size();
  harmonia::test::writeTruncated(dir / "full.jpg", dir / "cut.jpg", size - 40);
  EXPECT_NE(errorOf([&] { readImage2D(dir / "cut.jpg"); }).find("truncated JPEG"),
            std::string::npos);
}

TEST(ImageIO, BadInputsGiveClearErrors) {
  ScratchDir dir;
  EXPECT_NE(errorOf([&] { readImage2D(dir / "missing.png"); }).find("no such file"),
            std::string::npos);
  { std::ofstream(dir / "garbage.png") << "this is not an image at all"; }
  EXPECT_NE(errorOf([&] { readImage2D(dir / "garbage.png"); }).find("not a PNG, JPEG or TIFF"),
            std::string::npos);
  { std::ofstream(dir / "empty.png"); }
  EXPECT_NE(errorOf([&] { readImage2D(dir / "empty.png"); }).find("empty"), std::string::npos);
  EXPECT_NE(errorOf([&] { readAny(dir / "notes.txt"); }).find("no such file"), std::string::npos);
  { std::ofstream(dir / "notes.txt") << "hello"; }
  EXPECT_NE(errorOf([&] { readAny(dir / "notes.txt"); }).find("unsupported file type '.txt'"),
            std::string::npos);
}

TEST(ImageIO, FailedWriteLeavesDestinationUntouched) {
  ScratchDir dir;
  const auto dest = dir / "keep.png";
  writeImage2D(gradientImage(1, SampleType::UInt8), dest);
  const std::string before = harmonia::test::fileBytes(dest);
  // float32 cannot be stored as PNG: refused before anything is written.
  EXPECT_THROW(writeImage2D(gradientImage(1, SampleType::Float32), dest), InputError);
  EXPECT_THROW(writeImage2D(gradientImage(1, SampleType::UInt16), dir / "x.jpg"), InputError);
  EXPECT_THROW(writeImage2D(gradientImage(1, SampleType::UInt8), dir / "nofolder" / "x.png"),
               InputError);
  EXPECT_EQ(harmonia::test::fileBytes(dest), before);
  EXPECT_EQ(harmonia::test::entryCount(dir.path()), 1u);
}

TEST(ImageIO, FileKindFromExtension) {
  EXPECT_EQ(fileKindOf("a/b.PNG"), FileKind::Image2D);
  EXPECT_EQ(fileKindOf("b.tiff"), FileKind::Image2D);
  EXPECT_EQ(fileKindOf("c.nii.gz"), FileKind::Volume);
  EXPECT_EQ(fileKindOf("c.nii"), FileKind::Volume);
  EXPECT_EQ(fileKindOf("c.gz"), FileKind::Unknown);
  EXPECT_EQ(fileKindOf("c.bmp"), FileKind::Unknown);
}

// OpenCV's decoders allocate the image a header declares before reading any
// pixel (fuzz_image2d: a 222-byte TIFF made it allocate 4.3 GB). Such headers
// are refused from the header alone, with the declared size in the message.
TEST(ImageIO, TiffDeclaringHugeImageIsRefusedBeforeDecoding) {
  // The fuzzer's find: 16390 x 65283 single-channel 32-bit, sizes as SHORTs.
  const auto fuzzFind =
      tiffHeader(true, {{256, 3, 1, 16390}, {257, 3, 1, 65283}, {258, 3, 1, 32}, {277, 3, 1, 1}});
  const std::string message = decodeError(fuzzFind, "huge.tif");
  EXPECT_NE(message.find("huge.tif"), std::string::npos) << message;
  EXPECT_NE(message.find("16390 x 65283 image with 1 channel(s), 4.0 GiB"), std::string::npos)
      << message;
  // Big-endian, LONG sizes, and BitsPerSample stored away from the entry
  // (three SHORTs at offset 8 + 2 + 4*12 + 4 = 62): 50000 x 30000 x 3 x 16-bit.
  std::vector<unsigned char> bits;
  for (int i = 0; i < 3; ++i) put(bits, 16, 2, false);
  const auto bigEndian = tiffHeader(
      false, {{256, 4, 1, 50000}, {257, 4, 1, 30000}, {258, 3, 3, 62}, {277, 3, 1, 3}}, bits);
  EXPECT_NE(decodeError(bigEndian, "be.tif").find("50000 x 30000 image with 3 channel(s), 8.4 GiB"),
            std::string::npos)
      << decodeError(bigEndian, "be.tif");
  const auto empty = tiffHeader(true, {{256, 3, 1, 0}, {257, 3, 1, 10}});
  EXPECT_NE(decodeError(empty, "empty.tif").find("declares an empty image (0 x 10)"),
            std::string::npos);
}

namespace {

// A PNG our writer makes, with its IHDR width and height replaced.
std::vector<unsigned char> pngDeclaring(const ScratchDir& dir, int channels, SampleType type,
                                        std::uint32_t width, std::uint32_t height) {
  writeImage2D(gradientImage(channels, type), dir / "a.png");
  const std::string png = harmonia::test::fileBytes(dir / "a.png");
  std::vector<unsigned char> bytes(png.begin(), png.end());
  std::vector<unsigned char> size;
  put(size, width, 4, false);
  put(size, height, 4, false);
  std::copy(size.begin(), size.end(), bytes.begin() + 16);  // IHDR width, height
  return bytes;
}

// An RGB JPEG our writer makes, with its frame header's sizes replaced; the
// SOF0 marker's offset goes to `sof`.
std::vector<unsigned char> jpegDeclaring(const ScratchDir& dir, std::uint32_t width,
                                         std::uint32_t height, std::size_t& sof) {
  writeImage2D(gradientImage(3, SampleType::UInt8), dir / "b.jpg");
  const std::string jpg = harmonia::test::fileBytes(dir / "b.jpg");
  std::vector<unsigned char> bytes(jpg.begin(), jpg.end());
  sof = jpg.find("\xFF\xC0");
  EXPECT_NE(sof, std::string::npos);
  EXPECT_GT(sof, 2U) << "OpenCV writes segments before the frame header";
  if (sof == std::string::npos) return bytes;
  std::vector<unsigned char> hw;
  put(hw, height, 2, false);  // height first in a JPEG frame header
  put(hw, width, 2, false);
  std::copy(hw.begin(), hw.end(), bytes.begin() + static_cast<std::ptrdiff_t>(sof) + 5);
  return bytes;
}

void expectDecodeError(const std::vector<unsigned char>& bytes, const char* name,
                       const std::string& text) {
  const std::string message = decodeError(bytes, name);
  EXPECT_NE(message.find(text), std::string::npos) << message;
}

}  // namespace

TEST(ImageIO, PngAndJpegDeclaringHugeImagesAreRefusedBeforeDecoding) {
  // Real files written by OpenCV, with the header's sizes changed: the reader
  // must find them behind OpenCV's own chunks and segments.
  ScratchDir dir;
  expectDecodeError(pngDeclaring(dir, 4, SampleType::UInt16, 60000, 40000), "a.png",
                    "60000 x 40000 image with 4 channel(s), 17.9 GiB");
  std::size_t sof = 0;
  expectDecodeError(jpegDeclaring(dir, 60000, 50000, sof), "b.jpg",
                    "60000 x 50000 image with 3 channel(s), 8.4 GiB");
  // The unchanged files decode: a real header is read, not guessed.
  EXPECT_EQ(readImage2D(dir / "a.png").width(), 37);
  EXPECT_EQ(readImage2D(dir / "b.jpg").height(), 23);
}

// A header may declare an image under the size limit that no file of its
// size could hold: PNG data inflates at most 1032:1 (deflate), and Huffman-
// coded JPEG spends at least one bit per 8x8 block. fuzz_image2d: a 214-byte
// JPEG declaring 24592 x 16652 pixels made OpenCV decode 1.2 GB of grey.
TEST(ImageIO, HeadersDeclaringMoreThanTheFileCanHoldAreRefused) {
  ScratchDir dir;
  expectDecodeError(pngDeclaring(dir, 1, SampleType::UInt8, 30000, 30000), "a.png",
                    "30000 x 30000 image, which a file of");
  std::size_t sof = 0;
  std::vector<unsigned char> jpg = jpegDeclaring(dir, 24592, 16652, sof);
  ASSERT_NE(sof, std::string::npos);
  const std::string refusal = "24592 x 16652 image, which a file of";
  expectDecodeError(jpg, "b.jpg", refusal);
  // libjpeg skips stray bytes between segments (the fuzzer's second find had
  // some before its frame header): the header check must find the frame too.
  jpg.insert(jpg.begin() + static_cast<std::ptrdiff_t>(sof), 5, 0x0a);
  expectDecodeError(jpg, "b.jpg", refusal);
  // ... and a segment length under 2 (the third find: APP0 of length 0),
  // which libjpeg reads as an empty segment.
  ASSERT_EQ(jpg[3], 0xE0);
  jpg[4] = 0;
  jpg[5] = 0;
  expectDecodeError(jpg, "b.jpg", refusal);
  // A header the check cannot read is refused, not left to the decoder.
  expectDecodeError({0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x00, 0xFF, 0xD9}, "c.jpg",
                    "no frame header");
}

// The bounds hold for real files that compress as well as files can: a flat
// 4000 x 4000 image as PNG at zlib's best compression, and as JPEG.
TEST(ImageIO, FlatImagesCompressedToTheLimitStillOpen) {
  ScratchDir dir;
  const cv::Mat flat(4000, 4000, CV_8UC1, cv::Scalar(0));
  ASSERT_TRUE(cv::imwrite((dir / "flat.png").string(), flat, {cv::IMWRITE_PNG_COMPRESSION, 9}));
  ASSERT_TRUE(cv::imwrite((dir / "flat.jpg").string(), flat, {cv::IMWRITE_JPEG_QUALITY, 10}));
  std::printf(
      "flat 4000x4000: PNG %ju bytes (bound %.0f), JPEG %ju bytes (bound %.0f)\n",
      static_cast<std::uintmax_t>(std::filesystem::file_size(dir / "flat.png")), 16e6 / 1032.0,
      static_cast<std::uintmax_t>(std::filesystem::file_size(dir / "flat.jpg")), 16e6 / 512.0);
  EXPECT_EQ(readImage2D(dir / "flat.png").width(), 4000);
  EXPECT_EQ(readImage2D(dir / "flat.jpg").height(), 4000);
}
