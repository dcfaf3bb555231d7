#include "ui/model/CompositeSession.h"

#include "ui/jobs/JobRunner.h"

namespace harmonia {

CompositeSession::CompositeSession(JobRunner* runner, QObject* parent)
    : QObject(parent),
      runner_(runner),
      target_(new Document(tr("Target"), this)),
      source_(new Document(tr("Source"), this)),
      undo_(new QUndoStack(this)) {
  connect(target_, &Document::changed, this, [this] {
    recompute(target_, &targetHistograms_, QStringLiteral("composite/target-histograms"));
  });
  connect(source_, &Document::changed, this, [this] {
    recompute(source_, &sourceHistograms_, QStringLiteral("composite/source-histograms"));
  });
}

void CompositeSession::recompute(Document* document, std::vector<Histogram>* out,
                                 const QString& key) {
  const std::shared_ptr<const Image2D> image = document->image();
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

}  // namespace harmonia
