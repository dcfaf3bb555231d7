#include "ui/model/CompositeSession.h"

#include <QFileInfo>
#include <opencv2/core.hpp>

#include "core/io/ImageIO.h"
#include "ui/jobs/JobKeys.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompositeCommands.h"
#include "ui/model/MaskModel.h"
#include "ui/model/PasteController.h"

namespace harmonia {

namespace {

/// The composite in the bit depth asked for (alpha, if any, kept).
Image2D withDepth(const Image2D& image, CompositeSession::ExportDepth depth) {
  const bool eight = depth == CompositeSession::ExportDepth::Bits8;
  const int wanted = eight ? CV_8U : CV_16U;
  if (image.mat().depth() == wanted) return image;
  double scale = 1.0;
  switch (image.sampleType()) {
    case SampleType::UInt8:
      scale = 257.0;  // 255 -> 65535
      break;
    case SampleType::UInt16:
      scale = 1.0 / 257.0;
      break;
    case SampleType::Float32:
      scale = eight ? 255.0 : 65535.0;  // float images hold 0..1
      break;
  }
  cv::Mat converted;
  image.mat().convertTo(converted, CV_MAKETYPE(wanted, image.channels()), scale);
  Image2D out = Image2D::wrap(converted);
  out.setSpacing(image.spacing_mm());
  out.setOrigin(image.origin_mm());
  out.setDirection(image.direction());
  out.metadata() = image.metadata();
  return out;
}

/// The path as it is compared against the inputs.
QString comparablePath(const QString& path) {
  const QFileInfo info(path);
  return info.exists() ? info.canonicalFilePath() : info.absoluteFilePath();
}

}  // namespace

CompositeSession::CompositeSession(JobRunner* runner, QObject* parent)
    : QObject(parent),
      runner_(runner),
      target_(new Document(tr("Target"), this)),
      source_(new Document(tr("Source"), this)),
      undo_(new QUndoStack(this)),
      mask_(new MaskModel(undo_, this)),
      paste_(new PasteController(this)) {
  connect(target_, &Document::changed, this, &CompositeSession::onTargetChanged);
  connect(source_, &Document::changed, this, &CompositeSession::onSourceChanged);
  connect(mask_, &MaskModel::edited, this, [this] {
    updatePasteInputs();
    // A first mask on a target with no paste yet: show it, centred.
    if (!paste_->placement() && paste_->isReady()) {
      const QSize t = paste_->targetSize();
      paste_->setPlacement(paste_->placementCentredAt(QPointF(t.width() / 2.0, t.height() / 2.0)));
    }
  });
}

CompositeSession::~CompositeSession() = default;

void CompositeSession::onTargetChanged() {
  rememberInput(target_->source());
  recompute(target_, &targetHistograms_, jobkey::kCompositeTargetHistograms);
  // Undo steps refer to the old image; "apply" keeps them (it is one itself).
  if (!replacingTarget_) undo_->clear();
  updatePasteInputs();
}

void CompositeSession::onSourceChanged() {
  rememberInput(source_->source());
  recompute(source_, &sourceHistograms_, jobkey::kCompositeSourceHistograms);
  undo_->clear();
  const auto& image = source_->image();
  mask_->reset(image ? QSize(image->width(), image->height()) : QSize());
}

void CompositeSession::updatePasteInputs() {
  std::shared_ptr<const Image2D> mask;
  if (!mask_->isEmpty()) mask = std::make_shared<const Image2D>(mask_->toImage());
  paste_->setInputs(target_->image(), source_->image(), std::move(mask));
}

void CompositeSession::rememberInput(const QString& path) {
  if (path.isEmpty() || path.startsWith(QLatin1Char(':'))) return;
  const QFileInfo info(path);
  if (!info.exists()) return;
  const QString canonical = info.canonicalFilePath();
  if (!inputs_.contains(canonical)) inputs_ << canonical;
}

bool CompositeSession::isInputFile(const QString& path) const {
  return inputs_.contains(comparablePath(path));
}

void CompositeSession::recompute(Document* document, std::vector<Histogram>* out,
                                 const QString& key) {
  const std::shared_ptr<const Image2D>& image = document->image();
  if (!image) {
    runner_->cancel(key);
    out->clear();
    emit histogramsChanged();
    return;
  }
  runner_->run(
      key, tr("Computing histograms"),
      [image](Progress& progress) {
        std::vector<Histogram> result;
        HistogramParams params;
        params.bins = 256;
        switch (image->sampleType()) {
          case SampleType::UInt8:
            params.range = std::make_pair(0.0, 256.0);
            break;
          case SampleType::UInt16:
            params.range = std::make_pair(0.0, 65536.0);
            break;
          case SampleType::Float32:
            break;  // the data's own range
        }
        const int colourChannels = image->channels() == 4 ? 3 : image->channels();  // not alpha
        for (int c = 0; c < colourChannels; ++c) {
          SubProgress sub(progress, double(c) / colourChannels, double(c + 1) / colourChannels);
          result.push_back(computeHistogram(*image, c, params, sub));
        }
        return result;
      },
      [this, out](std::vector<Histogram> result) {
        *out = std::move(result);
        emit histogramsChanged();
      });
}

void CompositeSession::placeAt(std::optional<Placement> at, const QString& text) {
  if (at) at = paste_->clamped(*at);
  const std::optional<Placement> before = paste_->placement();
  if (at == before) return;
  undo_->push(new PlacementCommand(paste_, before, at, text));
}

void CompositeSession::finishDrag(std::optional<Placement> from) {
  const std::optional<Placement> now = paste_->placement();
  if (now == from) return;
  undo_->push(new PlacementCommand(paste_, from, now, tr("Move paste")));
}

void CompositeSession::nudge(int dx, int dy) {
  const std::optional<Placement> before = paste_->placement();
  if (!before) return;
  const Placement after = paste_->clamped({before->x + dx, before->y + dy});
  if (after == *before) return;
  undo_->push(new PlacementCommand(paste_, before, after, tr("Nudge paste"), true));
}

void CompositeSession::setBlendParams(const CompositeParams& params) { paste_->setParams(params); }

void CompositeSession::apply() {
  const std::shared_ptr<const Image2D> before = target_->image();
  const std::optional<Placement> at = paste_->placement();
  if (!before || !at || !paste_->isReady()) return;
  paste_->composite(
      [this, before, at](Image2D composite) {
        if (target_->image() != before) return;  // the target changed meanwhile
        undo_->push(new ApplyCommand(this, before,
                                     std::make_shared<const Image2D>(std::move(composite)), at));
      },
      [this](const QString& error) { emit errorOccurred(tr("Apply failed: %1").arg(error)); });
}

void CompositeSession::replaceTarget(std::shared_ptr<const Image2D> image,
                                     std::optional<Placement> placement) {
  if (!placement) paste_->setPlacement(std::nullopt);  // no solve on the new target
  replacingTarget_ = true;
  target_->setImage(std::move(image), target_->name(), target_->source());
  replacingTarget_ = false;
  if (placement) paste_->setPlacement(placement);
}

void CompositeSession::seedDemoPaste() {
  if (!source_->image() || !target_->image()) return;
  // The astronaut's face in the 512 x 512 demo photograph.
  mask_->fillEllipse(QPointF(255.0, 160.0), 80.0, 100.0, MaskOp::Replace, tr("Demo mask"));
  undo_->clear();
  // On the table, right of the saucer of the 600 x 400 coffee photograph.
  paste_->setPlacement(paste_->placementCentredAt(QPointF(505.0, 200.0)));
}

bool CompositeSession::exportComposite(const QString& path, ExportDepth depth, QString* error) {
  auto fail = [error](const QString& message) {
    if (error != nullptr) *error = message;
    return false;
  };
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix != QLatin1String("png") && suffix != QLatin1String("tif") &&
      suffix != QLatin1String("tiff")) {
    return fail(tr("%1: export writes PNG (.png) or TIFF (.tif, .tiff) files").arg(path));
  }
  if (!target_->image()) return fail(tr("There is no target image to export."));
  if (isInputFile(path)) {
    return fail(tr("%1 is one of the input images; it is never overwritten. Choose another name.")
                    .arg(path));
  }
  ++exportsRunning_;
  const std::string file = path.toStdString();
  paste_->composite(
      [this, path, file, depth](Image2D composite) {
        runner_->run(
            jobkey::compositeExport(path), tr("Exporting %1").arg(path),
            [file, depth, image = std::move(composite)](Progress&) {
              writeImage2D(withDepth(image, depth), file);  // atomic
            },
            [this, path] {
              --exportsRunning_;
              emit exportFinished(path, true, QString());
            },
            [this, path](const QString& message) {
              --exportsRunning_;
              emit exportFinished(path, false, message);
            });
      },
      [this, path](const QString& message) {
        --exportsRunning_;
        emit exportFinished(path, false, message);
      });
  return true;
}

void CompositeSession::loadMaskFile(const QString& path) {
  const std::string file = path.toStdString();
  runner_->run(
      jobkey::kCompositeMask, tr("Reading mask %1").arg(QFileInfo(path).fileName()),
      [file](Progress&) { return readImage2D(file); },
      [this, path](const Image2D& image) {
        rememberInput(path);
        QString error;
        if (!mask_->load(image, &error)) emit errorOccurred(tr("%1: %2").arg(path, error));
      },
      [this](const QString& error) { emit errorOccurred(error); });
}

bool CompositeSession::isIdle() const { return paste_->isIdle() && exportsRunning_ == 0; }

}  // namespace harmonia
