#pragma once
// The keys of every job the UI runs on its JobRunner, in one place. A key
// names one kind of work: starting a job under the key of a running one
// cancels the older (JobRunner.h), so two models must never share a key by
// accident, and a model that cancels or polls its job must use the very key
// it started it with. Write keys only through these names.

#include <QString>
#include <QStringList>

namespace harmonia::jobkey {

// Application (ui/MainWindow).
inline const QString kDemoPhantom = QStringLiteral("demo/phantom");
/// Reading a file into the document of `role` (one job per document role).
inline QString openDocument(const QString& role) { return QStringLiteral("open/") + role; }

// Composite workspace.
inline const QString kPasteSolve = QStringLiteral("paste/solve");
inline const QString kPasteComposite = QStringLiteral("paste/composite");
inline const QString kCompositeTargetHistograms = QStringLiteral("composite/target-histograms");
inline const QString kCompositeSourceHistograms = QStringLiteral("composite/source-histograms");
inline const QString kCompositeMask = QStringLiteral("composite/mask");
/// Exporting the composite to `path` (one job per file).
inline QString compositeExport(const QString& path) {
  return QStringLiteral("composite/export:") + path;
}

// Compare workspace.
inline const QString kCompareCommonGrid = QStringLiteral("compare/common-grid");
inline const QString kCompareHistograms = QStringLiteral("compare/histograms");
inline const QString kCompareMeasure = QStringLiteral("compare/measure");
inline const QString kCompareHarmonize = QStringLiteral("compare/harmonize");
inline const QString kCompareExport = QStringLiteral("compare/export");
inline const QString kCompareFeatures = QStringLiteral("features:compare");

// Studies workspace and the DICOM library.
inline const QString kStudyLoad = QStringLiteral("study:load");
inline const QString kStudyRois = QStringLiteral("study:rois");
inline const QString kStudyFeatures = QStringLiteral("features:studies");
inline const QString kDicomDetails = QStringLiteral("dicom-details");
/// Scanning a DICOM folder.
inline QString dicomScan(const QString& folder) { return QStringLiteral("dicom-scan:") + folder; }
/// Scanning a set of DICOM files.
inline QString dicomScanFiles(const QStringList& files) {
  return QStringLiteral("dicom-scan-files:") + files.join(QLatin1Char('|'));
}
/// True for the keys dicomScan() and dicomScanFiles() make.
inline bool isDicomScan(const QString& key) { return key.startsWith(QStringLiteral("dicom-scan")); }

// Features workspace.
inline const QString kCombat = QStringLiteral("features/combat");

// Phantom workspace.
inline const QString kPhantomTruth = QStringLiteral("phantom:truth");
inline const QString kPhantomProtocol = QStringLiteral("phantom:protocol");
/// Scanning the phantom with scanner `i`.
inline QString phantomScan(int i) { return QStringLiteral("phantom:scan:%1").arg(i); }
/// Measuring `what` ("psf", "noise", "nema", "values") on scan `i`.
inline QString phantomMeasure(const char* what, int i) {
  return QStringLiteral("phantom:measure:%1:%2").arg(QLatin1String(what)).arg(i);
}

}  // namespace harmonia::jobkey
