#include "ui/model/DicomLibrary.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <filesystem>
#include <set>
#include "ui/jobs/JobKeys.h"

namespace harmonia {
namespace {

const QString& kDetailsKey = jobkey::kDicomDetails;

std::filesystem::path normalized(const std::filesystem::path& p) {
  std::error_code ec;
  const std::filesystem::path a = std::filesystem::absolute(p, ec);
  return (ec ? p : a).lexically_normal();
}

// True when `file` lies in `folder` or below it (both normalised).
bool isUnder(const std::filesystem::path& file, const std::filesystem::path& folder) {
  if (folder.empty()) return false;
  const std::filesystem::path rel = file.lexically_relative(folder);
  return !rel.empty() && *rel.begin() != "..";
}

std::filesystem::path toPath(const QString& s) { return std::filesystem::path(s.toStdString()); }

// Why a scan of `where` found nothing to load, or empty when it found something.
QString nothingFoundMessage(const DicomScan& scan, const QString& where) {
  if (!scan.series.empty() || !scan.structure_sets.empty()) return {};
  const QString place = QDir::toNativeSeparators(where);
  if (scan.files_examined == 0) {
    return DicomLibrary::tr("%1: no DICOM files found (the folder is empty)").arg(place);
  }
  QString message = DicomLibrary::tr("%1: no DICOM series found (%2 file(s) examined, none usable")
                        .arg(place)
                        .arg(scan.files_examined);
  if (!scan.skipped.empty()) {
    const SkippedFile& first = scan.skipped.front();
    message += DicomLibrary::tr("; %1: %2")
                   .arg(QString::fromStdString(first.file.filename().string()),
                        QString::fromStdString(first.reason));
  }
  return message + QStringLiteral(")");
}

}  // namespace

DicomLibrary::DicomLibrary(JobRunner* runner, QObject* parent) : QObject(parent), runner_(runner) {}

DicomLibrary::~DicomLibrary() {
  if (!runner_) return;
  cancelScans();
  runner_->cancel(kDetailsKey);
}

void DicomLibrary::openFolder(const QString& dir) {
  const QString folder = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
  const std::filesystem::path path = toPath(folder);
  startScan(jobkey::dicomScan(folder), folder,
            [path](Progress& p) { return scanDicomFolder(path, p); });
}

void DicomLibrary::openFiles(const QStringList& files) {
  if (files.isEmpty()) return;
  std::vector<std::filesystem::path> paths;
  for (const QString& f : files) paths.push_back(toPath(QFileInfo(f).absoluteFilePath()));
  const QString where = QFileInfo(files.front()).absolutePath();
  // A single dropped file is named in messages; several, their folder.
  const QString shown = files.size() == 1 ? QFileInfo(files.front()).absoluteFilePath() : where;
  startScan(
      jobkey::dicomScanFiles(files), where,
      [paths](Progress& p) { return scanDicomFiles(paths, p); }, shown);
}

void DicomLibrary::startScan(const QString& key, const QString& folder,
                             std::function<DicomScan(Progress&)> work, const QString& shown) {
  if (!runner_) return;
  emit scanStarted(folder);
  runner_->run(
      key, tr("Scanning %1").arg(QDir::toNativeSeparators(folder)), std::move(work),
      [this, folder, shown](DicomScan scan) {
        const QString nothing = nothingFoundMessage(scan, shown.isEmpty() ? folder : shown);
        if (!folders_.contains(folder)) folders_.append(folder);
        merge(std::move(scan));
        emit scanFinished();
        if (!nothing.isEmpty()) emit nothingFound(nothing);
      },
      [this](const QString& message) { emit scanFailed(message); });
}

void DicomLibrary::merge(DicomScan scan) {
  const std::filesystem::path folder =
      scan.folder.empty() ? std::filesystem::path() : normalized(scan.folder);
  std::set<std::string> ids;
  for (const SeriesInfo& s : scan.series) ids.insert(s.id);
  std::set<std::filesystem::path> files;
  for (const StructureSetInfo& s : scan.structure_sets) files.insert(normalized(s.file));
  for (const SkippedFile& s : scan.skipped) files.insert(normalized(s.file));
  const auto replaced = [&](const std::filesystem::path& file) {
    const std::filesystem::path f = normalized(file);
    return isUnder(f, folder) || files.count(f) > 0;
  };

  std::erase_if(series_, [&](const SeriesInfo& s) {
    return ids.count(s.id) > 0 || (!s.slices.empty() && replaced(s.slices.front().header->file));
  });
  std::erase_if(structureSets_, [&](const StructureSetInfo& s) { return replaced(s.file); });
  std::erase_if(skipped_, [&](const SkippedFile& s) { return replaced(s.file); });
  for (SeriesInfo& s : scan.series) series_.push_back(std::move(s));
  for (StructureSetInfo& s : scan.structure_sets) structureSets_.push_back(std::move(s));
  for (SkippedFile& s : scan.skipped) skipped_.push_back(std::move(s));
  filesExamined_ += scan.files_examined;
  details_.clear();
  ++generation_;
  emit contentsChanged();
}

void DicomLibrary::cancelScans() {
  if (!runner_) return;
  for (const JobRunner::JobInfo& job : runner_->runningJobs()) {
    if (jobkey::isDicomScan(job.key)) runner_->cancel(job.key);
  }
}

void DicomLibrary::clear() {
  cancelScans();
  if (runner_) runner_->cancel(kDetailsKey);
  series_.clear();
  structureSets_.clear();
  skipped_.clear();
  folders_.clear();
  filesExamined_ = 0;
  details_.clear();
  ++generation_;
  emit contentsChanged();
}

bool DicomLibrary::isScanning() const {
  if (!runner_) return false;
  const auto jobs = runner_->runningJobs();
  return std::any_of(jobs.begin(), jobs.end(),
                     [](const JobRunner::JobInfo& j) { return jobkey::isDicomScan(j.key); });
}

const SeriesInfo* DicomLibrary::seriesAt(int index) const {
  if (index < 0 || index >= static_cast<int>(series_.size())) return nullptr;
  return &series_[static_cast<std::size_t>(index)];
}

int DicomLibrary::indexOfSeries(const std::string& id) const {
  for (std::size_t i = 0; i < series_.size(); ++i) {
    if (series_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

void DicomLibrary::requestDetails(int index) {
  const SeriesInfo* s = seriesAt(index);
  if (!s || details_.count(index) || !runner_) return;
  if (detailsPending_ == index && runner_->isRunning(kDetailsKey)) return;
  detailsPending_ = index;
  const std::uint64_t generation = generation_;
  runner_->run(
      kDetailsKey, tr("Reading the tags of %1").arg(QString::fromStdString(s->description)),
      [series = *s](Progress& p) { return describeSeries(series, p); },
      [this, index, generation](SeriesDetails d) {
        if (generation != generation_) return;  // the contents changed meanwhile
        if (detailsPending_ == index) detailsPending_ = -1;
        details_[index] = std::make_shared<const SeriesDetails>(std::move(d));
        emit detailsReady(index);
      },
      [this, index, generation](const QString& message) {
        if (generation != generation_) return;
        if (detailsPending_ == index) detailsPending_ = -1;
        emit detailsFailed(index, message);
      });
}

std::shared_ptr<const SeriesDetails> DicomLibrary::details(int index) const {
  const auto it = details_.find(index);
  return it == details_.end() ? nullptr : it->second;
}

}  // namespace harmonia
