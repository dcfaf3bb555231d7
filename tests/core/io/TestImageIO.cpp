#include <gtest/gtest.h>

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
