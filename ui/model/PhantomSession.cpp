#include "ui/model/PhantomSession.h"

#include <QFileInfo>
#include <QSaveFile>
#include <utility>

#include "core/phantom/PhysicsPhantoms.h"
#include "ui/jobs/JobKeys.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/Document.h"
#include "ui/model/PhantomResults.h"
#include "ui/model/VolumeLoading.h"

namespace harmonia {

namespace {

const QString& kTruthJob = jobkey::kPhantomTruth;
const QString& kProtocolJob = jobkey::kPhantomProtocol;

QString scanJob(int i) { return jobkey::phantomScan(i); }

QString measureJob(PhantomSession::Measurement what, int i) {
  const char* names[] = {"psf", "noise", "nema", "values"};
  return jobkey::phantomMeasure(names[static_cast<int>(what)], i);
}

}  // namespace

EdgePhantomParams PhantomSession::edgePhantomParams(double fine) {
  EdgePhantomParams p;
  p.fine_spacing_mm = fine;
  return p;
}

NemaPhantomParams PhantomSession::nemaPhantomParams(double fine) {
  NemaPhantomParams p;
  p.fine_spacing_mm = fine;
  return p;
}

QString phantomKindName(PhantomKind kind) {
  switch (kind) {
    case PhantomKind::Edge:
      return QStringLiteral("edge");
    case PhantomKind::Nema:
      return QStringLiteral("nema");
    case PhantomKind::Texture:
      return QStringLiteral("texture");
  }
  return {};
}

std::optional<PhantomKind> phantomKindFromName(const QString& name) {
  for (PhantomKind k : {PhantomKind::Edge, PhantomKind::Nema, PhantomKind::Texture}) {
    if (phantomKindName(k) == name) return k;
  }
  return std::nullopt;
}

PhantomSession::PhantomSession(JobRunner* runner, QObject* parent)
    : QObject(parent), runner_(runner), protocol_(defaultProtocolConfig()) {
  for (int i = 0; i < kScanners; ++i) {
    const auto u = static_cast<std::size_t>(i);
    scans_[u] = new Document(i == 0 ? tr("Scanner A") : tr("Scanner B"), this);
    debounce_[u] = new QTimer(this);
    debounce_[u]->setSingleShot(true);
    connect(debounce_[u], &QTimer::timeout, this, [this, i] { startScan(i); });
  }
  scanners_ = defaultScanners(kind_);
  setDefaultRois();
}

PhantomSession::~PhantomSession() {
  if (!runner_) return;
  for (int i = 0; i < kScanners; ++i) runner_->cancel(scanJob(i));
  runner_->cancel(kTruthJob);
  runner_->cancel(kProtocolJob);
}

void PhantomSession::setKind(PhantomKind kind) {
  kind_ = kind;
  scanners_ = defaultScanners(kind);
  setDefaultRois();
  truth_.reset();
  emit kindChanged(kind);
  for (int i = 0; i < kScanners; ++i) emit scannerChanged(i);
  emit roisChanged();
  generate();
}

void PhantomSession::setFineSpacing(double mm) {
  if (!(mm > 0.0) || mm == fineSpacing_) return;
  fineSpacing_ = mm;
  truth_.reset();
  generate();
}

const ScannerParams& PhantomSession::scanner(int i) const {
  return scanners_.at(static_cast<std::size_t>(i));
}

void PhantomSession::setScanner(int i, const ScannerParams& params) {
  scanners_.at(static_cast<std::size_t>(i)) = params;
  emit scannerChanged(i);
  scheduleScan(i);
}

void PhantomSession::setDebounceMs(int ms) { debounceMs_ = std::max(0, ms); }

void PhantomSession::scheduleScan(int i) {
  const auto u = static_cast<std::size_t>(i);
  scanWanted_[u] = true;
  debounce_[u]->start(debounceMs_);
}

void PhantomSession::generate() {
  for (int i = 0; i < kScanners; ++i) {
    debounce_[static_cast<std::size_t>(i)]->stop();
    scanWanted_[static_cast<std::size_t>(i)] = true;
    startScan(i);
  }
}

void PhantomSession::startTruth() {
  if (truthRunning_) return;
  truthRunning_ = true;
  const PhantomKind kind = kind_;
  const double fine = fineSpacing_;
  runner_->run(
      kTruthJob, tr("Generating the %1 phantom").arg(phantomKindName(kind)),
      [kind, fine](Progress& p) {
        switch (kind) {
          case PhantomKind::Edge:
            return std::make_shared<const Volume>(makeEdgePhantom(edgePhantomParams(fine), p));
          case PhantomKind::Nema:
            return std::make_shared<const Volume>(makeNemaPhantom(nemaPhantomParams(fine), p));
          case PhantomKind::Texture:
            break;
        }
        PhantomParams t;
        t.fine_spacing_mm = fine;
        return std::make_shared<const Volume>(makePhantom(t, p));
      },
      [this, kind, fine](std::shared_ptr<const Volume> truth) {
        truthRunning_ = false;
        if (kind != kind_ || fine != fineSpacing_) {  // changed meanwhile: again
          startTruth();
          return;
        }
        truth_ = std::move(truth);
        for (int i = 0; i < kScanners; ++i) {
          if (scanWanted_[static_cast<std::size_t>(i)]) startScan(i);
        }
      },
      [this](const QString& error) {
        truthRunning_ = false;
        scanWanted_.fill(false);
        reportError(tr("Generating the phantom"), error);
      });
}

void PhantomSession::startScan(int i) {
  const auto u = static_cast<std::size_t>(i);
  if (!truth_ || truthRunning_) {  // the scan follows when the truth is there
    startTruth();
    return;
  }
  scanWanted_[u] = false;
  const ScannerParams params = scanners_[u];
  const QString name = QString::fromStdString(params.name);
  runner_->run(
      scanJob(i), tr("Scanning with %1").arg(name),
      [truth = truth_, params](Progress& p) {
        return std::make_shared<const Volume>(scanPhantom(*truth, params, p));
      },
      [this, i, u, name](std::shared_ptr<const Volume> scan) {
        loaded_[u] = false;
        clearResults(i);
        scans_[u]->setVolume(
            std::move(scan), name,
            tr("%1 phantom, virtual scanner %2").arg(phantomKindName(kind_), name));
        emit scanChanged(i);
      },
      [this, name](const QString& error) { reportError(tr("Scanning with %1").arg(name), error); });
}

void PhantomSession::loadScan(int i, const QString& path) {
  const auto u = static_cast<std::size_t>(i);
  debounce_[u]->stop();
  scanWanted_[u] = false;
  runner_->cancel(scanJob(i));
  runner_->run(
      scanJob(i), tr("Reading %1").arg(QFileInfo(path).fileName()),
      [path](Progress& p) { return loadVolumeEntry(path, p); },
      [this, i, u](VolumeEntry entry) {
        loaded_[u] = true;
        clearResults(i);
        scans_[u]->setEntry(std::make_shared<const VolumeEntry>(std::move(entry)));
        emit scanChanged(i);
        setMessage(tr("Loaded %1 as scanner %2").arg(scans_[u]->name(), QChar('A' + i)));
      },
      [this, path](const QString& error) { reportError(tr("Reading %1").arg(path), error); });
}

void PhantomSession::setPsfParams(const PsfParams& params) {
  psf_ = params;
  emit roisChanged();
}

void PhantomSession::setPsfMethod(PsfMethod method) {
  if (method == psf_.method) return;
  psf_.method = method;
  const bool generated = !loaded_[0] && !loaded_[1];
  if (generated && kind_ == PhantomKind::Edge) {
    const EdgePhantomParams e = edgePhantomParams(fineSpacing_);
    psf_.centre_mm = method == PsfMethod::Sphere ? e.sphere_centre_mm : e.cube_centre_mm;
    psf_.sphere_diameter_mm.reset();
    if (method == PsfMethod::Sphere) psf_.sphere_diameter_mm = e.sphere_diameter_mm;
  }
  emit roisChanged();
}

void PhantomSession::setNoiseParams(const NoiseParams& params) {
  noise_ = params;
  emit roisChanged();
}

void PhantomSession::setNemaParams(const NemaParams& params) {
  nema_ = params;
  emit roisChanged();
}

void PhantomSession::setInserts(std::vector<InsertRoi> inserts) {
  inserts_ = std::move(inserts);
  emit roisChanged();
}

QString PhantomSession::roiName(int roi) const {
  if (roi == PsfObject) return tr("PSF object");
  if (roi == NoiseRegion) return tr("Uniform region");
  const int s = roi - NemaSphere0;
  if (s >= 0 && s < 6) {
    return tr("Sphere %1 mm").arg(kNemaSphereDiameters_mm[static_cast<std::size_t>(s)]);
  }
  const int k = roi - Insert0;
  if (k >= 0 && k < static_cast<int>(inserts_.size())) {
    return tr("Insert: %1").arg(QString::fromStdString(inserts_[static_cast<std::size_t>(k)].name));
  }
  return {};
}

std::optional<PhantomRoiMarker> PhantomSession::roiMarker(int roi, int i) const {
  const PhantomScanResults& r = results(i);
  PhantomRoiMarker m;
  m.name = roiName(roi);
  if (roi == PsfObject) {
    if (psf_.centre_mm) {
      m.centre_mm = *psf_.centre_mm;
    } else if (r.psf) {
      m.centre_mm = r.psf->centre_mm;
      m.detected = true;
    } else {
      return std::nullopt;
    }
    double radius = psf_.roi_radius_mm > 0 ? psf_.roi_radius_mm : 3.0;
    if (psf_.method == PsfMethod::Sphere && psf_.sphere_diameter_mm) {
      radius = 0.5 * *psf_.sphere_diameter_mm;
    }
    m.half_size_mm = Eigen::Vector3d::Constant(radius);
    return m;
  }
  if (roi == NoiseRegion) {
    m.shape = PhantomRoiMarker::Shape::Box;
    m.centre_mm = noise_.centre_mm;
    m.half_size_mm = noise_.half_size_mm;
    return m;
  }
  if (roi >= Insert0) {
    const int k = roi - Insert0;
    if (k >= static_cast<int>(inserts_.size())) return std::nullopt;
    const InsertRoi& insert = inserts_[static_cast<std::size_t>(k)];
    m.centre_mm = insert.centre_mm;
    m.half_size_mm = Eigen::Vector3d::Constant(insert.radius_mm);
    return m;
  }
  const int s = roi - NemaSphere0;
  if (s < 0 || s >= 6) return std::nullopt;
  const auto su = static_cast<std::size_t>(s);
  if (nema_.sphere_centres_mm.size() == 6) {
    m.centre_mm = nema_.sphere_centres_mm[su];
  } else if (r.nema && r.nema->spheres.size() == 6) {
    m.centre_mm = r.nema->spheres[su].centre_mm;
    m.detected = true;
  } else {
    return std::nullopt;
  }
  m.half_size_mm = Eigen::Vector3d::Constant(0.5 * kNemaSphereDiameters_mm[su]);
  return m;
}

void PhantomSession::setRoiCentre(int roi, const Eigen::Vector3d& centre_mm) {
  if (roi == PsfObject) {
    psf_.centre_mm = centre_mm;
  } else if (roi == NoiseRegion) {
    noise_.centre_mm = centre_mm;
  } else if (roi >= Insert0 && roi < roiCount()) {
    inserts_[static_cast<std::size_t>(roi - Insert0)].centre_mm = centre_mm;
  } else if (roi >= NemaSphere0 && roi < Insert0) {
    if (nema_.sphere_centres_mm.size() != 6) {
      std::vector<Eigen::Vector3d> centres;
      for (int s = 0; s < 6; ++s) {
        const auto m = roiMarker(NemaSphere0 + s, 0);
        centres.push_back(m ? m->centre_mm
                            : nemaPhantomSphereCentre(nemaPhantomParams(fineSpacing_), s));
      }
      nema_.sphere_centres_mm = std::move(centres);
    }
    nema_.sphere_centres_mm[static_cast<std::size_t>(roi - NemaSphere0)] = centre_mm;
  } else {
    return;
  }
  emit roisChanged();
}

void PhantomSession::nudgeRoi(int roi, const Eigen::Vector3d& delta_mm) {
  const auto m = roiMarker(roi, 0);
  if (m) setRoiCentre(roi, m->centre_mm + delta_mm);
}

void PhantomSession::autoDetectRois() {
  psf_.centre_mm.reset();
  nema_.sphere_centres_mm.clear();
  emit roisChanged();
}

void PhantomSession::measure(Measurement what, int i) {
  const auto u = static_cast<std::size_t>(i);
  const std::shared_ptr<const Volume> volume = scans_[u]->volume();
  if (!volume) {
    setMessage(tr("Scanner %1 has no scan to measure").arg(QChar('A' + i)));
    return;
  }
  const QString who = QString(QChar('A' + i));
  auto fail = [this, who](const QString& error) {
    reportError(tr("Measuring scanner %1").arg(who), error);
  };
  switch (what) {
    case Measurement::Psf:
      runner_->run(
          measureJob(what, i), tr("Resolution of %1").arg(who),
          [volume, params = psf_](Progress& p) { return measurePsf(*volume, params, p); },
          [this, i, u](PsfMeasurement m) {
            results_[u].psf = std::move(m);
            emit resultsChanged(i);
            emit roisChanged();
          },
          fail);
      break;
    case Measurement::Noise:
      runner_->run(
          measureJob(what, i), tr("Noise of %1").arg(who),
          [volume, params = noise_](Progress& p) { return measureNoise(*volume, params, p); },
          [this, i, u](NoiseMeasurement m) {
            results_[u].noise = std::move(m);
            emit resultsChanged(i);
          },
          fail);
      break;
    case Measurement::Nema:
      measureNemaOn(i, nema_, {});
      break;
    case Measurement::Values:
      if (inserts_.empty()) {
        setMessage(tr("No inserts to measure"));
        return;
      }
      runner_->run(
          measureJob(what, i), tr("Insert values of %1").arg(who),
          [volume, inserts = inserts_](Progress&) { return measureValues(*volume, inserts); },
          [this, i, u](ValueAccuracy v) {
            results_[u].values = std::move(v);
            emit resultsChanged(i);
          },
          fail);
      break;
  }
}

void PhantomSession::measureNemaOn(int i, const NemaParams& params, const QString& note) {
  const auto u = static_cast<std::size_t>(i);
  const std::shared_ptr<const Volume> volume = scans_[u]->volume();
  const QString who = QString(QChar('A' + i));
  runner_->run(
      measureJob(Measurement::Nema, i), tr("NEMA recovery of %1").arg(who),
      [volume, params](Progress& p) { return measureNema(*volume, params, p); },
      [this, i, u, note](NemaResult m) {
        if (!note.isEmpty()) m.warnings.insert(m.warnings.begin(), note.toStdString());
        results_[u].nema = std::move(m);
        emit resultsChanged(i);
        emit roisChanged();
      },
      [this, i, u, who, params](const QString& error) {
        // Detection can miss the smallest sphere on a coarse, smooth scan. Both
        // scans image one phantom in one world frame: measure at the spheres the
        // other scanner found, or, for a generated phantom, at the known ones.
        if (!params.sphere_centres_mm.empty()) {
          reportError(tr("Measuring scanner %1").arg(who), error);
          return;
        }
        const auto& other = results_[1 - u].nema;
        NemaParams retry = params;
        QString from;
        if (other && other->detected && other->spheres.size() == 6) {
          for (const NemaSphere& s : other->spheres) retry.sphere_centres_mm.push_back(s.centre_mm);
          from = tr("the spheres found on scanner %1").arg(QChar('A' + (1 - i)));
        } else if (!loaded_[u] && kind_ == PhantomKind::Nema) {
          for (int s = 0; s < 6; ++s) {
            retry.sphere_centres_mm.push_back(
                nemaPhantomSphereCentre(nemaPhantomParams(fineSpacing_), s));
          }
          from = tr("the generated phantom's sphere centres");
        } else {
          reportError(tr("Measuring scanner %1").arg(who), error);
          return;
        }
        const QString note = tr("detection failed (%1); measured at %2").arg(error, from);
        setMessage(tr("Scanner %1: %2").arg(who, note));
        measureNemaOn(i, retry, note);
      });
}

void PhantomSession::measureAll() {
  for (int i = 0; i < kScanners; ++i) {
    if (kind_ == PhantomKind::Edge) measure(Measurement::Psf, i);
    if (kind_ == PhantomKind::Nema) measure(Measurement::Nema, i);
    measure(Measurement::Noise, i);
    if (!inserts_.empty()) measure(Measurement::Values, i);
  }
}

const PhantomScanResults& PhantomSession::results(int i) const {
  return results_.at(static_cast<std::size_t>(i));
}

void PhantomSession::clearResults(int i) {
  const auto u = static_cast<std::size_t>(i);
  for (Measurement w :
       {Measurement::Psf, Measurement::Noise, Measurement::Nema, Measurement::Values}) {
    runner_->cancel(measureJob(w, i));
  }
  results_[u] = PhantomScanResults{};
  emit resultsChanged(i);
}

void PhantomSession::setProtocolConfig(const ProtocolConfig& config) {
  protocol_ = config;
  emit protocolChanged();
}

void PhantomSession::setProtocolIncludesWorkspaceScanners(bool include) {
  protocolWorkspace_ = include;
}

void PhantomSession::runProtocol() {
  ProtocolConfig config = protocol_;
  if (protocolWorkspace_) {
    config.scenarios.push_back({"workspace scanners", {scanners_[0], scanners_[1]}});
  }
  runner_->run(
      kProtocolJob, tr("Validation protocol"),
      [config](Progress& p) { return harmonia::runProtocol(config, p); },
      [this](ProtocolResult r) {
        // The images are not shown here; the table needs the numbers only.
        for (ScenarioResult& s : r.scenarios) {
          s.scans.clear();
          s.harmonized.clear();
        }
        protocolResult_ = std::move(r);
        setMessage(tr("Protocol: %1 scenarios run").arg(protocolResult_->scenarios.size()));
        emit protocolChanged();
      },
      [this](const QString& error) { reportError(tr("Protocol"), error); });
}

bool PhantomSession::isBusy() const {
  if (truthRunning_ || runner_->isRunning(kProtocolJob)) return true;
  for (int i = 0; i < kScanners; ++i) {
    const auto u = static_cast<std::size_t>(i);
    if (debounce_[u]->isActive() || scanWanted_[u] || runner_->isRunning(scanJob(i))) return true;
    for (Measurement w :
         {Measurement::Psf, Measurement::Noise, Measurement::Nema, Measurement::Values}) {
      if (runner_->isRunning(measureJob(w, i))) return true;
    }
  }
  return false;
}

namespace {

bool saveText(const QString& path, const std::string& text, QString* error) {
  QSaveFile file(path);  // atomic: written beside, renamed on commit
  if (!file.open(QIODevice::WriteOnly) ||
      file.write(text.data(), static_cast<qint64>(text.size())) !=
          static_cast<qint64>(text.size()) ||
      !file.commit()) {
    *error = QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString());
    return false;
  }
  return true;
}

}  // namespace

bool PhantomSession::exportCsv(const QString& path) {
  QString error;
  if (!saveText(path, phantomResultsCsv(*this), &error)) {
    setMessage(error);
    return false;
  }
  setMessage(tr("Saved %1").arg(path));
  return true;
}

bool PhantomSession::exportJson(const QString& path) {
  QString error;
  if (!saveText(path, phantomResultsJson(*this), &error)) {
    setMessage(error);
    return false;
  }
  setMessage(tr("Saved %1").arg(path));
  return true;
}

void PhantomSession::setMessage(const QString& message) {
  message_ = message;
  emit messageChanged(message);
}

void PhantomSession::reportError(const QString& what, const QString& error) {
  setMessage(tr("%1: %2").arg(what, error));
}

}  // namespace harmonia
