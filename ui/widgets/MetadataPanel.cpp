#include "ui/widgets/MetadataPanel.h"

#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "core/dicom/SeriesDetails.h"
#include "ui/model/DicomLibrary.h"

namespace harmonia {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString html(const std::string& s) { return q(s).toHtmlEscaped(); }

// The conversion as HTML: method, numbered steps with their sources, warnings.
QString conversionHtml(const SeriesDetails& d) {
  QString h;
  if (!d.conversion) {
    h += QStringLiteral("<p style='color:#b00020'><b>%1</b></p><p>%2</p>")
             .arg(MetadataPanel::tr("Values cannot be converted to physical units."),
                  html(d.conversion_error));
    return h;
  }
  const ValueConversion& c = *d.conversion;
  h += QStringLiteral("<p><b>%1</b></p>").arg(html(c.method));
  h += QStringLiteral("<p>%1 %2</p>")
           .arg(MetadataPanel::tr("Output units:"),
                c.units.empty() ? MetadataPanel::tr("none (scanner values)") : html(c.units));
  if (!c.steps.empty()) {
    h += QStringLiteral("<ol>");
    for (const ConversionStep& s : c.steps) {
      h += QStringLiteral("<li><b>%1</b>: %2").arg(html(s.quantity), html(s.value));
      if (!s.source.empty()) {
        h += QStringLiteral(" <span style='color:#666666'>[%1]</span>").arg(html(s.source));
      }
      h += QStringLiteral("</li>");
    }
    h += QStringLiteral("</ol>");
  }
  for (const std::string& w : c.warnings) {
    h += QStringLiteral("<p style='color:#a05a00'>%1 %2</p>")
             .arg(MetadataPanel::tr("Warning:"), html(w));
  }
  return h;
}

}  // namespace

MetadataPanel::MetadataPanel(DicomLibrary* library, QWidget* parent)
    : QWidget(parent),
      library_(library),
      title_(new QLabel),
      harmonization_(new QTreeWidget),
      tabs_(new QTabWidget),
      search_(new QLineEdit),
      tags_(new QStandardItemModel(this)),
      tagFilter_(new QSortFilterProxyModel(this)),
      tagView_(new QTreeView),
      conversion_(new QTextBrowser) {
  title_->setWordWrap(true);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  harmonization_->setColumnCount(3);
  harmonization_->setHeaderLabels({tr("Harmonization"), tr("Value"), tr("Source")});
  harmonization_->setAlternatingRowColors(true);
  harmonization_->setUniformRowHeights(true);
  harmonization_->setSelectionMode(QAbstractItemView::ExtendedSelection);

  tags_->setHorizontalHeaderLabels({tr("Tag"), tr("Name"), tr("VR"), tr("Value"), tr("Keyword")});
  tagFilter_->setSourceModel(tags_);
  tagFilter_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  tagFilter_->setFilterKeyColumn(-1);
  tagView_->setModel(tagFilter_);
  tagView_->setRootIsDecorated(false);
  tagView_->setUniformRowHeights(true);
  tagView_->setAlternatingRowColors(true);
  tagView_->setColumnHidden(TagKeywordColumn, true);  // searched, not shown
  tagView_->header()->setStretchLastSection(true);
  search_->setPlaceholderText(tr("Search tags: name, keyword, (gggg,eeee), value..."));
  search_->setClearButtonEnabled(true);

  auto* allTags = new QWidget;
  auto* allLayout = new QVBoxLayout(allTags);
  allLayout->setContentsMargins(0, 0, 0, 0);
  allLayout->addWidget(search_);
  allLayout->addWidget(tagView_, 1);
  conversion_->setOpenLinks(false);
  tabs_->addTab(allTags, tr("All tags"));
  tabs_->addTab(conversion_, tr("How values were converted"));

  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(harmonization_);
  split->addWidget(tabs_);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(title_);
  layout->addWidget(split, 1);

  connect(search_, &QLineEdit::textChanged, this, &MetadataPanel::setSearchText);
  connect(library_, &DicomLibrary::detailsReady, this, &MetadataPanel::onDetailsReady);
  connect(library_, &DicomLibrary::detailsFailed, this, &MetadataPanel::onDetailsFailed);
  connect(library_, &DicomLibrary::contentsChanged, this, [this] {
    // Indices changed: whatever was shown belongs to the old list.
    series_ = -1;
    clear();
  });
  clear();
}

void MetadataPanel::showSeries(int index) {
  series_ = index;
  const SeriesInfo* s = library_->seriesAt(index);
  if (!s) {
    series_ = -1;
    clear();
    return;
  }
  if (const auto d = library_->details(index)) {
    showDetails(*d);
    return;
  }
  waiting_ = true;
  showMessage(tr("Reading the tags of %1...").arg(q(s->description)));
  library_->requestDetails(index);
}

void MetadataPanel::onDetailsReady(int index) {
  if (index != series_) return;
  if (const auto d = library_->details(index)) showDetails(*d);
}

void MetadataPanel::onDetailsFailed(int index, const QString& message) {
  if (index != series_) return;
  waiting_ = false;
  showMessage(tr("Could not read the series: %1").arg(message));
}

void MetadataPanel::showMessage(const QString& message) {
  harmonization_->clear();
  tags_->removeRows(0, tags_->rowCount());
  conversion_->clear();
  title_->setText(message);
}

void MetadataPanel::clear() {
  waiting_ = false;
  showMessage(tr("Select a series to see its metadata."));
  tabs_->setTabText(0, tr("All tags"));
}

void MetadataPanel::showDetails(const SeriesDetails& d) {
  waiting_ = false;
  const SeriesInfo* s = library_->seriesAt(series_);
  QString title = s && s->id == d.series_id
                      ? QStringLiteral("<b>%1</b> %2").arg(html(s->description), html(s->modality))
                      : QStringLiteral("<b>%1</b>").arg(html(d.series_id));
  if (!d.first_file.empty()) {
    title += QStringLiteral("<br><small>%1</small>")
                 .arg(QDir::toNativeSeparators(q(d.first_file.string())).toHtmlEscaped());
  }
  title_->setText(title);

  // Harmonization: one top-level item per section, in first-seen order.
  harmonization_->clear();
  QFont bold = harmonization_->font();
  bold.setBold(true);
  QTreeWidgetItem* section = nullptr;
  for (const KeyAttribute& a : d.key_attributes) {
    if (!section || section->text(0) != q(a.section)) {
      section = new QTreeWidgetItem(harmonization_, {q(a.section)});
      section->setFont(0, bold);
      section->setFirstColumnSpanned(true);
    }
    auto* item = new QTreeWidgetItem(section, {q(a.name), q(a.value), q(a.source)});
    item->setToolTip(1, q(a.value));
    if (!a.present) item->setForeground(1, palette().brush(QPalette::Disabled, QPalette::Text));
  }
  harmonization_->expandAll();
  harmonization_->header()->resizeSections(QHeaderView::ResizeToContents);

  // All tags.
  tags_->removeRows(0, tags_->rowCount());
  if (!d.tags_error.empty()) {
    auto* item = new QStandardItem(tr("Could not read the tags: %1").arg(q(d.tags_error)));
    item->setEditable(false);
    tags_->appendRow(item);
  }
  for (const TagEntry& e : d.tags) {
    const QString indent(2 * e.depth, QLatin1Char(' '));
    QString name = q(e.name);
    if (!e.private_creator.empty()) name += QStringLiteral("  [%1]").arg(q(e.private_creator));
    QList<QStandardItem*> row{new QStandardItem(indent + q(e.tagText())),
                              new QStandardItem(indent + name), new QStandardItem(q(e.vr)),
                              new QStandardItem(q(e.value)), new QStandardItem(q(e.keyword))};
    for (QStandardItem* item : row) item->setEditable(false);
    row[TagValueColumn]->setToolTip(q(e.value));
    tags_->appendRow(row);
  }
  tabs_->setTabText(0, tr("All tags (%1)").arg(d.tags.size()));
  tagView_->header()->resizeSections(QHeaderView::ResizeToContents);

  conversion_->setHtml(conversionHtml(d));
  emit detailsShown();
}

void MetadataPanel::setSearchText(const QString& text) {
  if (search_->text() != text) search_->setText(text);  // comes back here once
  tagFilter_->setFilterFixedString(text);
}

QString MetadataPanel::harmonizationValue(const QString& name) const {
  for (int i = 0; i < harmonization_->topLevelItemCount(); ++i) {
    const QTreeWidgetItem* section = harmonization_->topLevelItem(i);
    for (int k = 0; k < section->childCount(); ++k) {
      if (section->child(k)->text(0) == name) return section->child(k)->text(1);
    }
  }
  return {};
}

QString MetadataPanel::conversionText() const { return conversion_->toPlainText(); }

}  // namespace harmonia
