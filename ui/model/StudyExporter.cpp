#include "ui/model/StudyExporter.h"

#include <QRegularExpression>
#include <QStringList>
#include <algorithm>
#include <filesystem>
#include <set>
#include <vector>

#include "core/io/ImageIO.h"
#include "core/util/Error.h"
#include "ui/jobs/JobKeys.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompareSession.h"
#include "ui/model/VectorText.h"

namespace harmonia {

namespace fs = std::filesystem;

namespace {

constexpr int kSeriesDescriptionBytes = 64;  // LO

// Offsets below this are the arithmetic of equal centres, not a move.
bool moves(const Eigen::Vector3d& offset_mm) { return offset_mm.cwiseAbs().maxCoeff() > 1e-6; }

fs::path pathOf(const QString& path) { return fs::path(path.toStdString()); }

fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? p.lexically_normal() : c;
}

// True when `inner` is `outer` or lies inside it (both canonical).
bool within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

// A NIfTI export must not replace what the entry was read from, nor go into
// a DICOM source series' folder.
void checkNiftiTarget(const fs::path& target, const VolumeEntry& entry, const QString& role) {
  const fs::path out = resolved(target);
  std::vector<fs::path> inputs;
  if (!entry.source.isEmpty()) inputs.push_back(pathOf(entry.source));
  for (const QString& f : entry.source_files) inputs.push_back(pathOf(f));
  for (const fs::path& in : inputs) {
    if (resolved(in) == out) {
      throw InputError(target, "is the file " + role.toStdString() +
                                   " was read from: inputs are never overwritten; choose "
                                   "another name");
    }
  }
  std::set<fs::path> folders;
  for (const QString& f : entry.source_files) folders.insert(resolved(pathOf(f).parent_path()));
  for (const fs::path& folder : folders) {
    if (within(out.parent_path(), folder)) {
      throw InputError(target, "lies in the source series' folder '" + folder.string() +
                                   "': exports are written beside a source series, never into "
                                   "it; choose another folder");
    }
  }
}

struct Written {
  std::optional<DerivedSeriesReport> series;
};

}  // namespace

StudyExporter::StudyExporter(CompareSession* session, JobRunner* runner, QObject* parent)
    : QObject(parent), session_(session), runner_(runner) {}

bool StudyExporter::canExport(int study, Format format) const {
  const std::shared_ptr<const VolumeEntry>& e = session_->study(std::clamp(study, 0, 1))->entry();
  if (!e || !e->volume || e->volume->empty()) return false;
  return format == Format::Nifti || !e->source_files.isEmpty();
}

void StudyExporter::exportStudy(int study, Format format, const QString& path) {
  const int s = std::clamp(study, 0, 1);
  const QString role = session_->study(s)->role();
  const std::shared_ptr<const VolumeEntry> entry = session_->study(s)->entry();
  if (!entry || !entry->volume || entry->volume->empty()) {
    emit failed(tr("%1 is empty: nothing to export").arg(role));
    return;
  }
  if (path.trimmed().isEmpty()) {
    emit failed(tr("No file or folder given to export %1 to").arg(role));
    return;
  }
  if (format == Format::DicomSeries && entry->source_files.isEmpty()) {
    emit failed(
        tr("%1 (%2) does not come from a DICOM series: export it as NIfTI").arg(role, entry->name));
    return;
  }
  // Only B is moved in the comparison.
  const Eigen::Vector3d offset = s == 1 ? session_->offset() : Eigen::Vector3d::Zero();
  fs::path target = pathOf(path);
  if (format == Format::Nifti && fileKindOf(target) != FileKind::Volume) target += ".nii.gz";
  const ExportDescription description = describe(*entry, offset);
  lastSeries_.reset();
  runner_->run(
      jobkey::kCompareExport, tr("Exporting %1").arg(role),
      [entry, offset, target, format, description, role](Progress& progress) {
        progress.throwIfCancelled();
        // Copy the voxels only when the geometry changes.
        std::optional<Volume> moved;
        if (moves(offset)) moved = exportedVolume(*entry, offset);
        const Volume& volume = moved ? *moved : *entry->volume;
        Written written;
        if (format == Format::Nifti) {
          checkNiftiTarget(target, *entry, role);
          writeVolume(volume, target);
          progress.report(1.0);
          return written;
        }
        std::vector<fs::path> files;
        for (const QString& f : entry->source_files) files.push_back(pathOf(f));
        DerivedSeriesParams params;
        params.output_folder = target;
        params.series_description = description.series_description.toStdString();
        params.derivation_description = description.derivation_description.toStdString();
        try {
          written.series = writeDerivedSeries(volume, files, params, progress);
        } catch (const InputError& e) {
          if (e.file().empty()) throw InputError(target, e.problem());  // name the output
          throw;
        }
        return written;
      },
      [this, role, target, offset](Written written) {
        lastPath_ = QString::fromStdString(target.string());
        QString message;
        if (written.series) {
          const DerivedSeriesReport& r = *written.series;
          message = tr("Exported %1 as a DICOM series: %2 slices in %3 (%4, error at most %5)")
                        .arg(role)
                        .arg(r.files.size())
                        .arg(QString::fromStdString(r.folder.string()),
                             QString::fromStdString(r.stored_units))
                        .arg(r.encoding.quantum(), 0, 'g', 3);
          for (const std::string& w : r.warnings) {
            message += QStringLiteral("; ") + QString::fromStdString(w);
          }
        } else {
          message = tr("Exported %1 to %2").arg(role, lastPath_);
        }
        if (moves(offset)) {
          message += tr("; moved by B's offset (%1) mm").arg(vectorText(offset, 'g', 4));
        }
        lastSeries_ = std::move(written.series);
        emit exported(message);
      },
      [this, role](const QString& error) {
        emit failed(tr("%1 not exported: %2").arg(role, error));
      });
}

void StudyExporter::cancel() { runner_->cancel(jobkey::kCompareExport); }

bool StudyExporter::isRunning() const { return runner_->isRunning(jobkey::kCompareExport); }

QString StudyExporter::suggestedFileName(int study) const {
  const std::shared_ptr<const VolumeEntry>& e = session_->study(std::clamp(study, 0, 1))->entry();
  if (!e) return {};
  QString name = e->name;
  name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
  name.replace(QRegularExpression(QStringLiteral("^[_.]+|_+$")), QString());
  if (name.isEmpty()) name = QStringLiteral("study");
  return name + QStringLiteral(".nii.gz");
}

Volume StudyExporter::exportedVolume(const VolumeEntry& entry, const Eigen::Vector3d& offset_mm) {
  Volume v = *entry.volume;
  // B moved by the offset shows at p what it holds at p - offset: its grid moves by +offset.
  if (moves(offset_mm)) v.setOrigin(v.geometry().origin_mm + offset_mm);
  return v;
}

ExportDescription StudyExporter::describe(const VolumeEntry& entry,
                                          const Eigen::Vector3d& offset_mm) {
  QString what = entry.derivation.simplified();
  if (what.isEmpty()) what = tr("Exported from %1").arg(entry.name.simplified());
  QString moved;
  ExportDescription d;
  d.derivation_description = what;
  if (moves(offset_mm)) {
    moved = tr(", moved %1 mm").arg(vectorText(offset_mm, 'g', 4));
    d.derivation_description +=
        tr("; moved by (%1) mm (LPS), the offset it was compared with in Harmonia: origin "
           "shifted, voxels unchanged")
            .arg(vectorText(offset_mm, 'g', 10));
  }
  // The offset and the suffix stay whole; what was done is shortened if need be.
  const QString suffix = moved + QStringLiteral(" (Harmonia)");
  const auto bytes = [](const QString& s) { return static_cast<int>(s.toUtf8().size()); };
  QString head = what;
  if (bytes(head + suffix) > kSeriesDescriptionBytes) {
    while (!head.isEmpty() &&
           bytes(head + QStringLiteral("...") + suffix) > kSeriesDescriptionBytes) {
      head.chop(1);
    }
    head = head.trimmed() + QStringLiteral("...");
  }
  d.series_description = head + suffix;
  return d;
}

}  // namespace harmonia
