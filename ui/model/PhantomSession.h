#pragma once
// The Phantom workspace's model: a phantom scan per scanner (two, A and B),
// generated (a ground-truth phantom imaged by a virtual scanner whose every
// parameter is editable) or loaded (NIfTI file or DICOM folder); the ROIs of
// the measurements (edge/sphere object, uniform region, NEMA spheres: set by
// coordinates or left to auto-detection); the measurements per scanner
// (resolution: ESF/LSF/MTF; noise: NPS and uniformity; NEMA recovery with the
// EARL verdicts); the validation protocol's result; and the export of the
// results table. No widgets.
//
// Computing runs in the application's JobRunner: the ground truth (job
// "phantom:truth"), each scan ("phantom:scan:N", debounced: parameter edits
// within debounceMs() make one scan; a new scan cancels the running one, whose
// result is never delivered), each measurement ("phantom:measure:WHAT:N") and
// the protocol ("phantom:protocol"). A scan that changes clears that
// scanner's measurements: results always belong to the scan shown.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "core/measure/InsertValues.h"
#include "core/measure/NemaRecovery.h"
#include "core/measure/Noise.h"
#include "core/measure/Resolution.h"
#include "core/phantom/DigitalPhantom.h"
#include "core/phantom/PhysicsPhantoms.h"
#include "core/phantom/Protocol.h"

namespace harmonia {

class Document;
class JobRunner;

/// What the generator images.
enum class PhantomKind {
  Edge,     ///< a slanted cube and a sphere (resolution, noise in the cube)
  Nema,     ///< NEMA NU 2 / IEC body-like: six hot spheres (recovery, noise)
  Texture,  ///< the demo's textured body (makePhantom; the protocol's phantom)
};
/// "edge", "nema" or "texture".
QString phantomKindName(PhantomKind kind);
/// The kind named (see phantomKindName), or nothing.
std::optional<PhantomKind> phantomKindFromName(const QString& name);

/// The measurements of one scanner's scan (absent: not measured since the scan changed).
struct PhantomScanResults {
  std::optional<PsfMeasurement> psf;
  std::optional<NoiseMeasurement> noise;
  std::optional<NemaResult> nema;
  std::optional<ValueAccuracy> values;
};

/// A region drawn on the slice views.
struct PhantomRoiMarker {
  enum class Shape { Sphere, Box };
  QString name;
  Shape shape = Shape::Sphere;
  Eigen::Vector3d centre_mm{0, 0, 0};
  Eigen::Vector3d half_size_mm{1, 1, 1};  ///< Box; Sphere: x is the radius
  bool detected = false;                  ///< placed by auto-detection (not by the user)
};

/// Phantom scans of two scanners, their ROIs, measurements and the protocol.
class PhantomSession : public QObject {
  Q_OBJECT

 public:
  static constexpr int kScanners = 2;
  /// The measurements.
  enum class Measurement { Psf, Noise, Nema, Values };
  /// The movable ROIs: the PSF object, the uniform region, the six NEMA spheres,
  /// then the value inserts (Insert0 + k for insert k).
  enum Roi { PsfObject = 0, NoiseRegion = 1, NemaSphere0 = 2, Insert0 = 8 };

  /// Uses `runner` (not owned) for all computing.
  explicit PhantomSession(JobRunner* runner, QObject* parent = nullptr);
  ~PhantomSession() override;

  // --- Phantom and scanners -------------------------------------------------
  /// Chooses the generated phantom; scanners and ROIs get the kind's defaults
  /// and both generated scans are redone.
  void setKind(PhantomKind kind);
  [[nodiscard]] PhantomKind kind() const { return kind_; }
  /// Sampling of the ground truth (mm; default 0.5). Regenerates.
  void setFineSpacing(double mm);
  [[nodiscard]] double fineSpacing() const { return fineSpacing_; }
  /// The ground truth (null until generated).
  [[nodiscard]] const std::shared_ptr<const Volume>& truth() const { return truth_; }
  /// The default scanners of a kind: A sharp and fine, B smoother and coarser.
  static std::array<ScannerParams, 2> defaultScanners(PhantomKind kind);

  /// Scanner `i`'s parameters.
  [[nodiscard]] const ScannerParams& scanner(int i) const;
  /// Changes scanner `i`; its scan is regenerated after debounceMs() (and a
  /// loaded scan is replaced by a generated one).
  void setScanner(int i, const ScannerParams& params);
  /// Milliseconds parameter edits are gathered before a scan starts (default 300).
  void setDebounceMs(int ms);
  [[nodiscard]] int debounceMs() const { return debounceMs_; }
  /// Generates (or regenerates) every scan now.
  void generate();

  /// The document showing scanner `i`'s scan.
  [[nodiscard]] Document* scan(int i) const { return scans_[static_cast<std::size_t>(i)]; }
  /// True when scanner `i`'s scan was loaded from a file (not generated).
  [[nodiscard]] bool isLoaded(int i) const { return loaded_[static_cast<std::size_t>(i)]; }
  /// Loads scanner `i`'s scan from a NIfTI file or a DICOM folder, in a worker.
  void loadScan(int i, const QString& path);

  // --- ROIs -------------------------------------------------------------------
  [[nodiscard]] const PsfParams& psfParams() const { return psf_; }
  /// Sets the resolution measurement's parameters (method, centre or auto, diameter).
  void setPsfParams(const PsfParams& params);
  /// Chooses the PSF method; on a generated phantom the PSF object moves to the
  /// phantom's object of that kind (edge: the cube; sphere: the sphere, with its diameter).
  void setPsfMethod(PsfMethod method);
  [[nodiscard]] const NoiseParams& noiseParams() const { return noise_; }
  void setNoiseParams(const NoiseParams& params);
  [[nodiscard]] const NemaParams& nemaParams() const { return nema_; }
  void setNemaParams(const NemaParams& params);
  /// Moves ROI `roi` to `centre_mm` (a NEMA sphere fixes all six spheres:
  /// the others keep their shown place, detected or set).
  void setRoiCentre(int roi, const Eigen::Vector3d& centre_mm);
  /// Moves ROI `roi` by `delta_mm`, from where it is shown on scanner 0's scan.
  void nudgeRoi(int roi, const Eigen::Vector3d& delta_mm);
  /// Leaves the PSF object's and the NEMA spheres' centres to auto-detection.
  void autoDetectRois();
  /// The value inserts (name, centre, radius, nominal value); a kind's defaults
  /// are its phantom's materials at their known places.
  [[nodiscard]] const std::vector<InsertRoi>& inserts() const { return inserts_; }
  void setInserts(std::vector<InsertRoi> inserts);
  /// Number of ROIs (the fixed ones and the inserts).
  [[nodiscard]] int roiCount() const { return Insert0 + static_cast<int>(inserts_.size()); }
  /// The name of ROI `roi` ("PSF object", "Uniform region", "Sphere 10 mm", an insert's name).
  [[nodiscard]] QString roiName(int roi) const;
  /// Where ROI `roi` is shown for scanner `i`: as set, else as detected by
  /// scanner i's last measurement; nothing when auto and not measured yet.
  [[nodiscard]] std::optional<PhantomRoiMarker> roiMarker(int roi, int i) const;

  // --- Measurements -----------------------------------------------------------
  /// Measures `what` on scanner `i`'s scan in a worker.
  void measure(Measurement what, int i);
  /// Measures what fits the phantom (edge: resolution and noise; NEMA:
  /// recovery and noise; texture: noise), and the inserts' values, on every scan.
  void measureAll();
  /// Scanner `i`'s results.
  [[nodiscard]] const PhantomScanResults& results(int i) const;

  // --- Protocol ---------------------------------------------------------------
  [[nodiscard]] const ProtocolConfig& protocolConfig() const { return protocol_; }
  void setProtocolConfig(const ProtocolConfig& config);
  /// Also runs scanners A and B as a scenario "workspace scanners" (default off).
  void setProtocolIncludesWorkspaceScanners(bool include);
  [[nodiscard]] bool protocolIncludesWorkspaceScanners() const { return protocolWorkspace_; }
  /// Runs the validation protocol in a worker.
  void runProtocol();
  [[nodiscard]] const std::optional<ProtocolResult>& protocolResult() const {
    return protocolResult_;
  }

  // --- Export -----------------------------------------------------------------
  /// Writes the results table (quantity, unit, one column per scanner) as
  /// CSV, atomically. False with message() set on failure.
  bool exportCsv(const QString& path);
  /// Writes the results (table rows, scanner parameters, curves) as JSON, atomically.
  bool exportJson(const QString& path);
  /// The last status or error message.
  [[nodiscard]] const QString& message() const { return message_; }
  /// True while a job of this session runs or a scan waits for its debounce.
  [[nodiscard]] bool isBusy() const;

 signals:
  void kindChanged(harmonia::PhantomKind kind);
  void scannerChanged(int i);
  /// Scanner i's scan was replaced (generated or loaded).
  void scanChanged(int i);
  void roisChanged();
  void resultsChanged(int i);
  void protocolChanged();
  void messageChanged(const QString& message);

 private:
  /// The generator's phantoms sampled at `fine` mm (their other parameters are the defaults).
  static EdgePhantomParams edgePhantomParams(double fine);
  static NemaPhantomParams nemaPhantomParams(double fine);
  void scheduleScan(int i);
  void startScan(int i);
  void startTruth();
  void setMessage(const QString& message);
  void clearResults(int i);
  void setDefaultRois();
  void reportError(const QString& what, const QString& error);
  /// Measures NEMA recovery on scan i; `note` is prepended to the result's warnings.
  void measureNemaOn(int i, const NemaParams& params, const QString& note);

  QPointer<JobRunner> runner_;  ///< may die first (a window's children die in creation order)
  PhantomKind kind_ = PhantomKind::Edge;
  double fineSpacing_ = 0.5;
  std::shared_ptr<const Volume> truth_;
  bool truthRunning_ = false;
  std::array<ScannerParams, kScanners> scanners_;
  std::array<Document*, kScanners> scans_{};
  std::array<bool, kScanners> loaded_{};
  std::array<bool, kScanners> scanWanted_{};
  std::array<QTimer*, kScanners> debounce_{};
  int debounceMs_ = 300;
  PsfParams psf_;
  NoiseParams noise_;
  NemaParams nema_;
  std::vector<InsertRoi> inserts_;
  std::array<PhantomScanResults, kScanners> results_;
  ProtocolConfig protocol_;
  bool protocolWorkspace_ = false;
  std::optional<ProtocolResult> protocolResult_;
  QString message_;
};

}  // namespace harmonia
