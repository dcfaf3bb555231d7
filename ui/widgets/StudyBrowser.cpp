#include "ui/widgets/StudyBrowser.h"

#include <QApplication>
#include <QDir>
#include <QDrag>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QMouseEvent>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTreeView>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/dicom/SeriesDetails.h"
#include "ui/model/DicomLibrary.h"

namespace harmonia {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// One row of items, none editable; the first carries the kind and index.
QList<QStandardItem*> makeRow(StudyBrowser::Kind kind, int index, const QStringList& texts) {
  QList<QStandardItem*> row;
  for (int c = 0; c < StudyBrowser::ColumnCount; ++c) {
    auto* item = new QStandardItem(c < texts.size() ? texts[c] : QString());
    item->setEditable(false);
    if (c > 0) item->setToolTip(item->text());  // the full text of a narrowed column
    row.append(item);
  }
  row[0]->setData(static_cast<int>(kind), StudyBrowser::KindRole);
  row[0]->setData(index, StudyBrowser::IndexRole);
  row[0]->setData(texts.join(QLatin1Char(' ')), StudyBrowser::FilterRole);
  return row;
}

// Orders series numbers numerically ("2" before "10"), unnumbered last.
double seriesNumberKey(const std::string& number) {
  try {
    return number.empty() ? 1e300 : std::stod(number);
  } catch (const std::exception&) {
    return 1e300;
  }
}

QString seriesName(const SeriesInfo& s) {
  QString name = q(s.description);
  if (name.isEmpty()) name = StudyBrowser::tr("(no description)");
  return s.series_number.empty() ? name : QStringLiteral("#%1  %2").arg(q(s.series_number), name);
}

// "1 series", "3 studies": English counts (the UI is not translated).
QString count(std::size_t n, const char* one, const char* many) {
  return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

QString studyDateOf(const SeriesInfo& s) {
  if (s.slices.empty()) return {};
  return q(formatDicomDate(s.slices.front().header->text(tag::StudyDate)));
}

}  // namespace

StudyBrowser::StudyBrowser(DicomLibrary* library, QWidget* parent)
    : QWidget(parent),
      library_(library),
      model_(new QStandardItemModel(this)),
      filter_(new QSortFilterProxyModel(this)),
      tree_(new QTreeView),
      filterEdit_(new QLineEdit),
      openButton_(new QPushButton(tr("Open folder..."))),
      loadButton_(new QPushButton(tr("Load"))),
      compareButton_(new QPushButton(tr("Compare"))),
      tabs_(new QTabWidget),
      skippedList_(new QTreeWidget),
      status_(new QLabel) {
  setAcceptDrops(true);
  model_->setHorizontalHeaderLabels({tr("Patient / study / series"), tr("Modality"), tr("Scanner"),
                                     tr("Kernel"), tr("Thickness"), tr("Pixel spacing"),
                                     tr("Images"), tr("Date"), tr("Note")});
  filter_->setSourceModel(model_);
  filter_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  filter_->setFilterKeyColumn(NameColumn);
  filter_->setFilterRole(FilterRole);
  filter_->setRecursiveFilteringEnabled(true);
  filter_->setAutoAcceptChildRows(true);

  tree_->setModel(filter_);
  tree_->setAlternatingRowColors(true);
  tree_->setUniformRowHeights(true);
  tree_->setSelectionMode(QAbstractItemView::SingleSelection);
  tree_->setSelectionBehavior(QAbstractItemView::SelectRows);
  tree_->setExpandsOnDoubleClick(false);  // double-click loads
  tree_->header()->setStretchLastSection(true);
  tree_->header()->setSectionResizeMode(QHeaderView::Interactive);

  filterEdit_->setPlaceholderText(tr("Filter: patient, description, modality, scanner, kernel..."));
  filterEdit_->setClearButtonEnabled(true);
  openButton_->setToolTip(tr("Scan a folder for DICOM series (or drop folders here)"));
  loadButton_->setToolTip(tr("Load the selected series (or double-click it, or press Enter)"));
  loadButton_->setEnabled(false);
  compareButton_->setToolTip(
      tr("Show the selected series in the Compare workspace, as Study A or B"));
  compareButton_->setEnabled(false);
  auto* compareMenu = new QMenu(compareButton_);
  for (int slot = 0; slot < 2; ++slot) {
    QAction* send =
        compareMenu->addAction(slot == 0 ? tr("Send to Compare &A") : tr("Send to Compare &B"),
                               this, [this, slot] { sendCurrentToCompare(slot); });
    send->setObjectName(slot == 0 ? QStringLiteral("sendToCompareA")
                                  : QStringLiteral("sendToCompareB"));
  }
  compareButton_->setMenu(compareMenu);
  tree_->viewport()->installEventFilter(this);
  tree_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(tree_, &QWidget::customContextMenuRequested, this, [this, compareMenu](const QPoint& p) {
    const QModelIndex at = tree_->indexAt(p);
    if (indexOf(at, SeriesRow) < 0) return;
    tree_->setCurrentIndex(at);
    compareMenu->popup(tree_->viewport()->mapToGlobal(p));
  });

  skippedList_->setColumnCount(2);
  skippedList_->setHeaderLabels({tr("File"), tr("Reason")});
  skippedList_->setRootIsDecorated(false);
  skippedList_->setAlternatingRowColors(true);
  skippedList_->setUniformRowHeights(true);

  tabs_->addTab(tree_, tr("Series"));
  tabs_->addTab(skippedList_, tr("Skipped files (0)"));

  auto* bar = new QHBoxLayout;
  bar->addWidget(openButton_);
  bar->addWidget(filterEdit_, 1);
  bar->addWidget(loadButton_);
  bar->addWidget(compareButton_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(bar);
  layout->addWidget(tabs_, 1);
  layout->addWidget(status_);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  connect(openButton_, &QPushButton::clicked, this, &StudyBrowser::chooseFolder);
  connect(loadButton_, &QPushButton::clicked, this, &StudyBrowser::loadCurrent);
  connect(filterEdit_, &QLineEdit::textChanged, this, &StudyBrowser::setFilterText);
  connect(tree_, &QTreeView::activated, this, &StudyBrowser::activate);
  connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) { currentChanged(current); });
  connect(library_, &DicomLibrary::contentsChanged, this, &StudyBrowser::rebuild);
  connect(library_, &DicomLibrary::scanStarted, this, [this](const QString& folder) {
    scanning_ = folder;
    error_.clear();
    updateStatus();
  });
  connect(library_, &DicomLibrary::scanFinished, this, [this] {
    scanning_.clear();
    updateStatus();
  });
  connect(library_, &DicomLibrary::scanFailed, this, [this](const QString& message) {
    scanning_.clear();
    error_ = tr("Could not scan: %1").arg(message);
    updateStatus();
  });
  connect(library_, &DicomLibrary::nothingFound, this, [this](const QString& message) {
    error_ = message;  // shown instead of the counts until the next scan
    updateStatus();
  });
  rebuild();
}

void StudyBrowser::rebuild() {
  model_->removeRows(0, model_->rowCount());
  const std::vector<SeriesInfo>& series = library_->series();

  std::vector<int> order(series.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  const auto key = [&](int i) {
    const SeriesInfo& s = series[static_cast<std::size_t>(i)];
    return std::make_tuple(s.patient_id, s.patient_name, studyDateOf(s).toStdString(), s.study_uid,
                           seriesNumberKey(s.series_number), s.description, s.id);
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });

  std::map<std::string, QStandardItem*> patients;
  std::map<std::string, QStandardItem*> studies;           // by Study Instance UID
  std::map<QStandardItem*, std::set<QString>> modalities;  // per study
  std::map<std::string, QStandardItem*> studyOfSeriesUid;
  std::map<std::string, QStandardItem*> studyOfFrame;
  std::map<std::string, const SeriesInfo*> seriesOfUid;
  QFont bold = font();
  bold.setBold(true);

  for (int i : order) {
    const SeriesInfo& s = series[static_cast<std::size_t>(i)];
    const std::string patientKey = s.patient_id + '\x1f' + s.patient_name;
    QStandardItem*& patient = patients[patientKey];
    if (!patient) {
      QString name = q(s.patient_name).replace(QLatin1Char('^'), QLatin1Char(' ')).trimmed();
      const QString id = q(s.patient_id);
      if (name.isEmpty()) name = id.isEmpty() ? tr("(unknown patient)") : id;
      if (!id.isEmpty() && id != name) name += QStringLiteral("  (%1)").arg(id);
      QList<QStandardItem*> row = makeRow(PatientRow, -1, {name});
      row[0]->setData(q(s.patient_name) + QLatin1Char(' ') + id, FilterRole);
      row[0]->setFont(bold);
      model_->appendRow(row);
      patient = row[0];
    }
    QStandardItem*& study = studies[s.study_uid + '\x1f' + patientKey];
    if (!study) {
      QString name = q(s.study_description);
      if (name.isEmpty()) name = tr("(study without description)");
      QList<QStandardItem*> row = makeRow(StudyRow, -1, {name});
      row[DateColumn]->setText(studyDateOf(s));
      row[0]->setData(q(s.study_description) + QLatin1Char(' ') + studyDateOf(s), FilterRole);
      row[0]->setToolTip(tr("Study Instance UID %1").arg(q(s.study_uid)));
      patient->appendRow(row);
      study = row[0];
    }
    const SeriesOverview o = overviewOf(s);
    QList<QStandardItem*> row =
        makeRow(SeriesRow, i,
                {seriesName(s), q(s.modality), q(o.scanner), q(o.kernel), q(o.slice_thickness),
                 q(o.pixel_spacing), q(o.images), q(o.date), q(s.split_reason)});
    row[0]->setData(
        QStringList({q(s.series_number), q(s.description), q(s.modality), q(o.scanner), q(o.kernel),
                     q(o.slice_thickness), q(o.pixel_spacing), q(o.date), q(s.split_reason)})
            .join(QLatin1Char(' ')),
        FilterRole);
    QString tip = tr("Series %1").arg(q(s.id));
    if (!s.slices.empty()) {
      tip += QLatin1Char('\n') +
             QDir::toNativeSeparators(q(s.slices.front().header->file.parent_path().string()));
    }
    for (const std::string& issue : s.geometry.issues) tip += QLatin1Char('\n') + q(issue);
    row[0]->setToolTip(tip);
    row[ImagesColumn]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    study->appendRow(row);
    modalities[study].insert(q(s.modality));
    studyOfSeriesUid.emplace(s.series_uid, study);
    if (!s.frame_of_reference_uid.empty()) studyOfFrame.emplace(s.frame_of_reference_uid, study);
    seriesOfUid.emplace(s.series_uid, &s);
  }

  // Structure sets go under the study of the series they were drawn on.
  QStandardItem* orphans = nullptr;
  const std::vector<StructureSetInfo>& sets = library_->structureSets();
  for (std::size_t i = 0; i < sets.size(); ++i) {
    const StructureSetInfo& rs = sets[i];
    QStandardItem* parent = nullptr;
    QString note;
    if (const auto it = studyOfSeriesUid.find(rs.referenced_series_uid);
        it != studyOfSeriesUid.end()) {
      parent = it->second;
      note = tr("drawn on %1").arg(seriesName(*seriesOfUid.at(rs.referenced_series_uid)));
    } else if (const auto f = studyOfFrame.find(rs.frame_of_reference_uid);
               f != studyOfFrame.end()) {
      parent = f->second;
      note = tr("same frame of reference as this study (its series was not found)");
    } else {
      if (!orphans) {
        QList<QStandardItem*> row =
            makeRow(PatientRow, -1, {tr("Structure sets whose images were not found")});
        row[0]->setData(QString(), FilterRole);
        row[0]->setFont(bold);
        model_->appendRow(row);
        orphans = row[0];
      }
      parent = orphans;
      note = tr("drawn on series %1 (not found)").arg(q(rs.referenced_series_uid));
    }
    QString label = q(rs.label);
    if (label.isEmpty()) label = q(rs.file.filename().string());
    QList<QStandardItem*> row = makeRow(StructureSetRow, static_cast<int>(i),
                                        {label,
                                         QStringLiteral("RTSTRUCT"),
                                         {},
                                         {},
                                         {},
                                         {},
                                         count(rs.roi_names.size(), "ROI", "ROIs")});
    row[NoteColumn]->setText(note);
    row[0]->setData(q(rs.label) + QStringLiteral(" RTSTRUCT ") + q(rs.file.filename().string()),
                    FilterRole);
    row[0]->setToolTip(QDir::toNativeSeparators(q(rs.file.string())));
    for (const std::string& roi : rs.roi_names) {
      QList<QStandardItem*> roiRow = makeRow(RoiRow, static_cast<int>(i), {q(roi)});
      roiRow[0]->setData(q(roi), FilterRole);
      roiRow[ModalityColumn]->setText(tr("ROI"));
      row[0]->appendRow(roiRow);
    }
    parent->appendRow(row);
    if (parent != orphans) modalities[parent].insert(QStringLiteral("RTSTRUCT"));
  }

  // Study rows: their modalities and how many series they hold.
  for (const auto& [study, kinds] : modalities) {
    QStringList list(kinds.begin(), kinds.end());
    QStandardItem* parent = study->parent() ? study->parent() : model_->invisibleRootItem();
    parent->child(study->row(), ModalityColumn)->setText(list.join(QStringLiteral(", ")));
    int seriesCount = 0;
    for (int r = 0; r < study->rowCount(); ++r) {
      if (study->child(r)->data(KindRole).toInt() == SeriesRow) ++seriesCount;
    }
    parent->child(study->row(), ImagesColumn)
        ->setText(count(static_cast<std::size_t>(seriesCount), "series", "series"));
  }
  for (const auto& [k, patient] : patients) {
    model_->item(patient->row(), NoteColumn)
        ->setText(count(static_cast<std::size_t>(patient->rowCount()), "study", "studies"));
  }

  tree_->expandAll();
  fitColumns();
  updateSkipped();
  updateStatus();
}

void StudyBrowser::fitColumns() {
  // Fit the contents, but keep every column on screen in a panel ~1000 px wide:
  // long scanner names and study modality lists are cut (their tooltip has all).
  QHeaderView* header = tree_->header();
  header->resizeSections(QHeaderView::ResizeToContents);
  const int cap[ColumnCount] = {300, 90, 180, 100, 80, 100, 70, 90, 400};
  for (int c = 0; c < ColumnCount; ++c) {
    header->resizeSection(c, std::min(header->sectionSize(c), cap[c]));
  }
}

void StudyBrowser::updateSkipped() {
  skippedList_->clear();
  QList<QTreeWidgetItem*> items;
  for (const SkippedFile& s : library_->skipped()) {
    auto* item = new QTreeWidgetItem({QDir::toNativeSeparators(q(s.file.string())), q(s.reason)});
    item->setToolTip(1, q(s.reason));
    items.append(item);
  }
  skippedList_->addTopLevelItems(items);
  skippedList_->header()->resizeSections(QHeaderView::ResizeToContents);
  tabs_->setTabText(1, tr("Skipped files (%1)").arg(library_->skipped().size()));
}

QString StudyBrowser::statusText() const { return status_->text(); }

void StudyBrowser::updateStatus() {
  QString text;
  if (!scanning_.isEmpty()) {
    text = tr("Scanning %1...").arg(QDir::toNativeSeparators(scanning_));
  } else if (!error_.isEmpty()) {
    text = error_;
  } else if (library_->folders().isEmpty() && library_->series().empty()) {
    text = tr("Open a folder of DICOM files, or drop one here.");
  } else {
    text = count(library_->series().size(), "series", "series") + QStringLiteral(", ") +
           count(library_->structureSets().size(), "structure set", "structure sets") +
           QStringLiteral(", ") +
           count(library_->skipped().size(), "skipped file", "skipped files");
  }
  status_->setText(text);
}

void StudyBrowser::setFilterText(const QString& text) {
  if (filterEdit_->text() != text) filterEdit_->setText(text);  // comes back here once
  filter_->setFilterFixedString(text);
  tree_->expandAll();
}

QModelIndex StudyBrowser::rowOfSeries(int index) const {
  const QModelIndexList found = filter_->match(filter_->index(0, 0), IndexRole, index, -1,
                                               Qt::MatchExactly | Qt::MatchRecursive);
  for (const QModelIndex& i : found) {
    if (i.data(KindRole).toInt() == SeriesRow) return i;
  }
  return {};
}

bool StudyBrowser::selectSeries(int index) {
  const QModelIndex row = rowOfSeries(index);
  if (!row.isValid()) return false;
  tree_->setCurrentIndex(row);
  tree_->scrollTo(row);
  return true;
}

int StudyBrowser::indexOf(const QModelIndex& index, Kind kind) const {
  if (!index.isValid()) return -1;
  const QModelIndex first = index.siblingAtColumn(0);
  const int k = first.data(KindRole).toInt();
  if (k == kind || (kind == StructureSetRow && k == RoiRow)) return first.data(IndexRole).toInt();
  return -1;
}

int StudyBrowser::currentSeries() const { return indexOf(tree_->currentIndex(), SeriesRow); }

int StudyBrowser::currentStructureSet() const {
  return indexOf(tree_->currentIndex(), StructureSetRow);
}

void StudyBrowser::chooseFolder() {
  const QString start =
      library_->folders().isEmpty() ? QDir::homePath() : library_->folders().last();
  const QString dir =
      QFileDialog::getExistingDirectory(this, tr("Open a folder of DICOM files"), start);
  if (!dir.isEmpty()) library_->openFolder(dir);
}

void StudyBrowser::loadCurrent() { activate(tree_->currentIndex()); }

bool StudyBrowser::eventFilter(QObject* watched, QEvent* event) {
  if (watched != tree_->viewport()) return QWidget::eventFilter(watched, event);
  if (event->type() == QEvent::MouseButtonPress) {
    auto* me = static_cast<QMouseEvent*>(event);
    pressPos_ = me->position().toPoint();
    pressSeries_ =
        me->button() == Qt::LeftButton ? indexOf(tree_->indexAt(pressPos_), SeriesRow) : -1;
  } else if (event->type() == QEvent::MouseMove && pressSeries_ >= 0) {
    auto* me = static_cast<QMouseEvent*>(event);
    if ((me->buttons() & Qt::LeftButton) &&
        (me->position().toPoint() - pressPos_).manhattanLength() >=
            QApplication::startDragDistance()) {
      // A series dragged onto a Compare view (or the Compare switcher) is sent there.
      auto* mime = new QMimeData;
      mime->setData(QString::fromLatin1(kSeriesMimeType), QByteArray::number(pressSeries_));
      auto* drag = new QDrag(this);
      drag->setMimeData(mime);
      pressSeries_ = -1;
      drag->exec(Qt::CopyAction);
      return true;
    }
  } else if (event->type() == QEvent::MouseButtonRelease) {
    pressSeries_ = -1;
  }
  return QWidget::eventFilter(watched, event);
}

void StudyBrowser::sendCurrentToCompare(int slot) {
  if (const int s = currentSeries(); s >= 0) emit sendToCompareRequested(s, slot);
}

void StudyBrowser::activate(const QModelIndex& index) {
  if (const int s = indexOf(index, SeriesRow); s >= 0) {
    emit seriesActivated(s);
  } else if (const int r = indexOf(index, StructureSetRow); r >= 0) {
    emit structureSetActivated(r);
  } else if (index.isValid()) {
    tree_->setExpanded(index.siblingAtColumn(0), !tree_->isExpanded(index.siblingAtColumn(0)));
  }
}

void StudyBrowser::currentChanged(const QModelIndex& index) {
  const int s = indexOf(index, SeriesRow);
  loadButton_->setEnabled(s >= 0 || indexOf(index, StructureSetRow) >= 0);
  compareButton_->setEnabled(s >= 0);
  emit seriesSelected(s);
}

namespace {

// The local folders and files of a drag, or nothing.
QStringList localPaths(const QMimeData* mime) {
  QStringList paths;
  if (!mime || !mime->hasUrls()) return paths;
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile()) paths.append(url.toLocalFile());
  }
  return paths;
}

}  // namespace

void StudyBrowser::dragEnterEvent(QDragEnterEvent* event) {
  if (!localPaths(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void StudyBrowser::dragMoveEvent(QDragMoveEvent* event) {
  if (!localPaths(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void StudyBrowser::dropEvent(QDropEvent* event) {
  const QStringList paths = localPaths(event->mimeData());
  if (paths.isEmpty()) return;
  QStringList files;
  for (const QString& p : paths) {
    if (QFileInfo(p).isDir()) {
      library_->openFolder(p);
    } else {
      files.append(p);
    }
  }
  if (!files.isEmpty()) library_->openFiles(files);
  event->acceptProposedAction();
}

}  // namespace harmonia
