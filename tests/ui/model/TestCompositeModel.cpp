// The Composite workspace's model without widgets: mask edits undo and redo
// exactly, export is atomic and never overwrites an input, and "apply" is
// undoable (the paste controller has its own tests, TestPasteController.cpp).
//
// Tolerances: the session drives the very same Compositor calls as the direct
// reference, so results must be bit-identical (0).

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QUndoStack>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "CompositeTestImages.h"
#include "UiTestSupport.h"
#include "core/blend/Compositor.h"
#include "core/io/ImageIO.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompositeSession.h"
#include "ui/model/MaskModel.h"
#include "ui/model/PasteController.h"

namespace harmonia {
namespace {

using test::kWaitMs;

using test::differingPixels;

TEST(MaskModel, BrushEraserInvertAndUndoRestoreExactly) {
  QUndoStack undo;
  MaskModel mask(&undo);
  mask.reset(QSize(100, 80));
  EXPECT_TRUE(mask.isEmpty());
  int edited = 0;
  QObject::connect(&mask, &MaskModel::edited, [&] { ++edited; });

  mask.beginEdit(QStringLiteral("stroke"));
  mask.stroke(QPointF(20, 40), QPointF(60, 40), 5.0, false);
  mask.stroke(QPointF(60, 40), QPointF(60, 60), 5.0, false);
  mask.endEdit();
  EXPECT_EQ(edited, 1);
  EXPECT_EQ(undo.count(), 1);
  EXPECT_EQ(mask.mask().at<std::uint8_t>(40, 40), 255);
  EXPECT_EQ(mask.mask().at<std::uint8_t>(44, 60), 255);
  EXPECT_EQ(mask.mask().at<std::uint8_t>(10, 10), 0);
  const cv::Mat afterBrush = mask.mask().clone();

  mask.stroke(QPointF(40, 40), QPointF(40, 40), 3.0, true);  // eraser dab, its own step
  EXPECT_EQ(mask.mask().at<std::uint8_t>(40, 40), 0);
  EXPECT_EQ(mask.mask().at<std::uint8_t>(40, 30), 255);
  mask.invert();
  EXPECT_EQ(mask.mask().at<std::uint8_t>(10, 10), 255);
  EXPECT_EQ(mask.mask().at<std::uint8_t>(40, 30), 0);
  EXPECT_EQ(undo.count(), 3);

  undo.undo();  // invert
  undo.undo();  // eraser
  EXPECT_EQ(differingPixels(mask.mask(), afterBrush), 0);
  undo.undo();  // brush
  EXPECT_TRUE(mask.isEmpty());
  undo.redo();
  EXPECT_EQ(differingPixels(mask.mask(), afterBrush), 0);
}

TEST(MaskModel, PolygonReplacesAddsAndSubtracts) {
  QUndoStack undo;
  MaskModel mask(&undo);
  mask.reset(QSize(100, 100));
  const QPolygonF left{QPointF(10, 10), QPointF(40, 10), QPointF(40, 90), QPointF(10, 90)};
  const QPolygonF right{QPointF(60, 10), QPointF(90, 10), QPointF(90, 90), QPointF(60, 90)};
  const QPolygonF middle{QPointF(0, 45), QPointF(99, 45), QPointF(99, 55), QPointF(0, 55)};
  mask.fillPolygon(left, MaskOp::Replace, QStringLiteral("a"));
  mask.fillPolygon(right, MaskOp::Replace, QStringLiteral("b"));
  EXPECT_EQ(mask.mask().at<std::uint8_t>(50, 20), 0);  // replaced
  EXPECT_EQ(mask.mask().at<std::uint8_t>(50, 70), 255);
  mask.fillPolygon(left, MaskOp::Add, QStringLiteral("c"));
  EXPECT_EQ(mask.mask().at<std::uint8_t>(50, 20), 255);
  mask.fillPolygon(middle, MaskOp::Subtract, QStringLiteral("d"));
  EXPECT_EQ(mask.mask().at<std::uint8_t>(50, 20), 0);
  EXPECT_EQ(mask.mask().at<std::uint8_t>(20, 20), 255);
  EXPECT_EQ(mask.boundingRect(), QRect(10, 10, 81, 81));
  EXPECT_EQ(mask.outline().size(), 4u);  // two rectangles, each cut in two
}

TEST(MaskModel, LoadRefusesAnotherSize) {
  MaskModel mask(nullptr);
  mask.reset(QSize(50, 40));
  QString error;
  EXPECT_FALSE(mask.load(Image2D(10, 10, 1, SampleType::UInt8), &error));
  EXPECT_TRUE(error.contains(QStringLiteral("50 x 40"))) << error.toStdString();
  Image2D half(50, 40, 1, SampleType::UInt16);
  half.mat()(cv::Rect(0, 0, 25, 40)).setTo(40000);  // above half of full scale
  half.mat()(cv::Rect(25, 0, 25, 40)).setTo(30000);
  EXPECT_TRUE(mask.load(half));
  EXPECT_EQ(cv::countNonZero(mask.mask()), 25 * 40);
}

/// A session with real files as inputs, as the user would have it.
class CompositeSessionFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.isValid());
    targetPath_ = dir_.filePath(QStringLiteral("target.png"));
    sourcePath_ = dir_.filePath(QStringLiteral("source.png"));
    writeImage2D(*test::compositeTarget(), targetPath_.toStdString());
    writeImage2D(*test::compositeSource(), sourcePath_.toStdString());
    session_.target()->setImage(
        std::make_shared<const Image2D>(readImage2D(targetPath_.toStdString())),
        QStringLiteral("target.png"), targetPath_);
    session_.source()->setImage(
        std::make_shared<const Image2D>(readImage2D(sourcePath_.toStdString())),
        QStringLiteral("source.png"), sourcePath_);
    session_.mask()->fillEllipse(QPointF(60, 50), 30, 25, MaskOp::Replace, QStringLiteral("m"));
    session_.paste()->setPlacement(Placement{70, 40});
    ASSERT_TRUE(settle());
  }

  bool settle() {
    return test::waitUntil(
        [this] {
          runner_.waitForAll(10);
          return runner_.runningCount() == 0 && session_.isIdle();
        },
        kWaitMs);
  }

  QByteArray bytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
  }

  QTemporaryDir dir_;
  QString targetPath_;
  QString sourcePath_;
  JobRunner runner_;
  CompositeSession session_{&runner_};
};

TEST_F(CompositeSessionFiles, ExportWritesTheCompositeAtomicallyIn8And16Bits) {
  const QString out8 = dir_.filePath(QStringLiteral("out.png"));
  const QString out16 = dir_.filePath(QStringLiteral("out16.tif"));
  {
    QFile stale(out8);
    ASSERT_TRUE(stale.open(QIODevice::WriteOnly));
    stale.write("old");
  }
  int finished = 0;
  QObject::connect(&session_, &CompositeSession::exportFinished,
                   [&](const QString&, bool ok, const QString& message) {
                     EXPECT_TRUE(ok) << message.toStdString();
                     ++finished;
                   });
  QString error;
  ASSERT_TRUE(session_.exportComposite(out8, CompositeSession::ExportDepth::Bits8, &error))
      << error.toStdString();
  ASSERT_TRUE(session_.exportComposite(out16, CompositeSession::ExportDepth::Bits16, &error))
      << error.toStdString();
  ASSERT_TRUE(settle());
  EXPECT_EQ(finished, 2);

  // The old file was replaced whole, and no temporary file is left beside it.
  const QStringList files = QDir(dir_.path()).entryList(QDir::Files, QDir::Name);
  EXPECT_EQ(files, (QStringList{QStringLiteral("out.png"), QStringLiteral("out16.tif"),
                                QStringLiteral("source.png"), QStringLiteral("target.png")}));
  const Image2D written8 = readImage2D(out8.toStdString());
  const Image2D written16 = readImage2D(out16.toStdString());
  EXPECT_EQ(written8.sampleType(), SampleType::UInt8);
  EXPECT_EQ(written16.sampleType(), SampleType::UInt16);

  // It is the composite: the preview's pixels are in it, the target's are not.
  const PastePreview& preview = session_.paste()->preview();
  const cv::Rect rect(preview.rect.x(), preview.rect.y(), preview.rect.width(),
                      preview.rect.height());
  EXPECT_EQ(differingPixels(written8.mat()(rect), preview.patch), 0);
  EXPECT_GT(differingPixels(written8.mat()(rect), session_.target()->image()->mat()(rect)), 100);
  cv::Mat widened;
  preview.patch.convertTo(widened, CV_16UC3, 257.0);
  EXPECT_EQ(differingPixels(written16.mat()(rect), widened), 0);
}

TEST_F(CompositeSessionFiles, ExportRefusesToOverwriteAnInput) {
  const QByteArray original = bytes(targetPath_);
  QString error;
  EXPECT_FALSE(session_.exportComposite(targetPath_, CompositeSession::ExportDepth::Bits8, &error));
  EXPECT_TRUE(error.contains(QStringLiteral("never overwritten"))) << error.toStdString();
  // The same file named another way is still refused.
  const QString sameFile = dir_.path() + QStringLiteral("/./source.png");
  EXPECT_FALSE(session_.exportComposite(sameFile, CompositeSession::ExportDepth::Bits16));
  EXPECT_FALSE(session_.exportComposite(dir_.filePath(QStringLiteral("out.jpg")),
                                        CompositeSession::ExportDepth::Bits8, &error));
  ASSERT_TRUE(settle());
  EXPECT_EQ(bytes(targetPath_), original);
}

TEST_F(CompositeSessionFiles, ApplyIsUndoableAndLeavesTheFilesAlone) {
  const auto original = session_.target()->image();
  const QByteArray onDisk = bytes(targetPath_);
  const PastePreview preview = session_.paste()->preview();
  session_.apply();
  ASSERT_TRUE(settle());
  ASSERT_NE(session_.target()->image(), original);
  EXPECT_FALSE(session_.paste()->placement().has_value());  // anchored
  const cv::Rect rect(preview.rect.x(), preview.rect.y(), preview.rect.width(),
                      preview.rect.height());
  EXPECT_EQ(differingPixels(session_.target()->image()->mat()(rect), preview.patch), 0);
  EXPECT_EQ(bytes(targetPath_), onDisk);

  session_.undoStack()->undo();
  ASSERT_TRUE(settle());
  EXPECT_EQ(session_.target()->image(), original);
  EXPECT_EQ(session_.paste()->placement(), preview.placement);
  // Re-solved cold now, warm-started before: equal within the solver's
  // tolerance, which keeps results within 0.5 of a grey level; rounding may
  // then differ by one.
  cv::Mat diff;
  cv::absdiff(session_.paste()->preview().patch, preview.patch, diff);
  double maxDiff = 0.0;
  cv::minMaxLoc(diff.reshape(1), nullptr, &maxDiff);
  EXPECT_LE(maxDiff, 1.0);
}

TEST_F(CompositeSessionFiles, PlacementsAndNudgesAreUndoSteps) {
  QUndoStack* undo = session_.undoStack();
  const int base = undo->count();
  session_.placeAt(Placement{80, 50}, QStringLiteral("move"));
  session_.nudge(1, 0);
  session_.nudge(1, 0);
  session_.nudge(0, -1);
  EXPECT_EQ(undo->count(), base + 2);  // the nudges merged
  EXPECT_EQ(session_.paste()->placement(), (Placement{82, 49}));
  undo->undo();
  EXPECT_EQ(session_.paste()->placement(), (Placement{80, 50}));
  undo->undo();
  EXPECT_EQ(session_.paste()->placement(), (Placement{70, 40}));
  undo->redo();
  EXPECT_EQ(session_.paste()->placement(), (Placement{80, 50}));
  ASSERT_TRUE(settle());
}

}  // namespace
}  // namespace harmonia
