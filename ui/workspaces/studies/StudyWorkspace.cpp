#include "ui/workspaces/studies/StudyWorkspace.h"

#include <QHBoxLayout>
#include <QSplitter>
#include <QTabWidget>

#include "ui/jobs/JobKeys.h"
#include "ui/model/DicomLibrary.h"
#include "ui/model/FeaturesModel.h"
#include "ui/model/StudySession.h"
#include "ui/model/VolumeLibrary.h"
#include "ui/widgets/FeaturesPanel.h"
#include "ui/widgets/MetadataPanel.h"
#include "ui/widgets/StudyBrowser.h"
#include "ui/workspaces/studies/StudyViewer.h"

namespace harmonia {

StudyWorkspace::StudyWorkspace(DicomLibrary* library, StudySession* session, QWidget* parent)
    : QWidget(parent),
      library_(library),
      session_(session),
      browser_(new StudyBrowser(library)),
      metadata_(new MetadataPanel(library)),
      viewer_(new StudyViewer),
      featuresModel_(new FeaturesModel(session->runner(), jobkey::kStudyFeatures, this)) {
  featuresModel_->setStudyCount(1);
  features_ = new FeaturesPanel(featuresModel_);
  auto* left = new QSplitter(Qt::Vertical);
  left_ = left;
  left->addWidget(browser_);
  auto* tabs = new QTabWidget;
  tabs->addTab(metadata_, tr("Metadata"));
  tabs->addTab(features_, tr("Features"));
  infoTabs_ = tabs;
  left->addWidget(tabs);
  left->setStretchFactor(0, 1);
  left->setStretchFactor(1, 1);
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(left);
  split->addWidget(viewer_);
  split->setStretchFactor(0, 0);
  split->setStretchFactor(1, 1);
  split->setSizes({560, 840});
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  connect(browser_, &StudyBrowser::seriesSelected, this, [this](int index) {
    if (index >= 0) metadata_->showSeries(index);
  });
  connect(browser_, &StudyBrowser::seriesActivated, this, &StudyWorkspace::loadSeries);
  connect(browser_, &StudyBrowser::sendToCompareRequested, this, &StudyWorkspace::sendToCompare);
  connect(browser_, &StudyBrowser::structureSetActivated, this, [this](int index) {
    const auto& sets = library_->structureSets();
    if (index < 0 || index >= static_cast<int>(sets.size())) return;
    const auto& series = library_->series();
    for (std::size_t i = 0; i < series.size(); ++i) {
      if (series[i].series_uid == sets[static_cast<std::size_t>(index)].referenced_series_uid) {
        loadSeries(static_cast<int>(i));
        return;
      }
    }
    emit errorOccurred(
        tr("%1: the series its contours were drawn on is not open")
            .arg(QString::fromStdString(sets[static_cast<std::size_t>(index)].file.string())));
  });
  connect(library_, &DicomLibrary::scanFailed, this, &StudyWorkspace::errorOccurred);
  connect(library_, &DicomLibrary::scanFinished, this, [this] {
    if (!loadFirstAfterScan_) return;
    loadFirstAfterScan_ = false;
    if (session_->volume()) return;
    const auto& series = library_->series();
    for (std::size_t i = 0; i < series.size(); ++i) {
      if (series[i].sliceCount() > 0) {
        browser_->selectSeries(static_cast<int>(i));
        loadSeries(static_cast<int>(i));
        return;
      }
    }
  });

  connect(session_, &StudySession::loadStarted, this, [this] {
    viewer_->setVolume(session_->volume(), session_->modality(), session_->unit());
    showFeatureStudy();
  });
  connect(session_, &StudySession::slicesChanged, this, [this] {
    viewer_->volumeDataModified();
    emit statusMessage(
        tr("Loading: %1 of %2 slices").arg(session_->slicesArrived()).arg(session_->sliceCount()));
  });
  connect(session_, &StudySession::loaded, this, &StudyWorkspace::showLoadedVolume);
  connect(session_, &StudySession::loadFailed, this, [this](const QString& error) {
    pendingCompareSlot_ = -1;
    emit errorOccurred(error);
  });
  connect(session_, &StudySession::roisChanged, this, [this] {
    viewer_->setRoiOverlays(session_->rois());
    showFeatureStudy();
    for (const QString& w : session_->roiWarnings()) emit statusMessage(w);
  });
}

void StudyWorkspace::openFolder(const QString& folder, bool loadFirst) {
  loadFirstAfterScan_ = loadFirst;
  library_->openFolder(folder);
}

void StudyWorkspace::loadSeries(int index) {
  const SeriesInfo* series = library_->seriesAt(index);
  if (series == nullptr) return;
  pendingCompareSlot_ = -1;
  metadata_->showSeries(index);
  session_->loadSeries(*series, library_->structureSets());
}

void StudyWorkspace::sendToCompare(int index, int slot) {
  const SeriesInfo* series = library_->seriesAt(index);
  if (series == nullptr) return;
  const auto& entry = session_->entry();
  if (entry && entry->series_uid == QString::fromStdString(series->series_uid)) {
    emit compareRequested(entry, slot);
    return;
  }
  loadSeries(index);
  pendingCompareSlot_ = slot;
}

void StudyWorkspace::showFeatures() {
  infoTabs_->setCurrentWidget(features_);
  const int total = left_->height();
  left_->setSizes({total / 4, total * 3 / 4});
  if (!featuresModel_->rois(0).empty()) featuresModel_->compute(FeaturesModel::Target::Both);
}

void StudyWorkspace::showFeatureStudy() {
  // Features are computed on a fully loaded series only.
  const auto& entry = session_->entry();
  if (!session_->isLoaded() || !entry) {
    featuresModel_->setStudy(0, nullptr, QString(), {});
    return;
  }
  featuresModel_->setStudy(0, session_->volume(), entry->name, session_->rois());
}

void StudyWorkspace::showLoadedVolume() {
  showFeatureStudy();
  if (pendingCompareSlot_ >= 0 && session_->entry()) {
    emit compareRequested(session_->entry(), pendingCompareSlot_);
    pendingCompareSlot_ = -1;
  }
  if (viewer_->volume() != session_->volume()) {
    viewer_->setVolume(session_->volume(), session_->modality(), session_->unit());
  } else {
    viewer_->volumeDataModified();
  }
  const auto& details = session_->details();
  QString message = tr("Loaded %1: %2 slices")
                        .arg(QString::fromStdString(details->series.description))
                        .arg(session_->sliceCount());
  if (details->resampled) message += tr(" (resampled onto a uniform grid)");
  emit statusMessage(message);
}

}  // namespace harmonia
