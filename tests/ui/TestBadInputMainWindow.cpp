// The main window under bad input: File > Open (through its dialog), the
// command line's file list, Open Recent, File > Open DICOM Folder, Compare's
// pair of studies (--compare), Composite's Open target and Load mask, and
// files dropped on the window or the study browser. Each bad input (a
// truncated PNG, NIfTI files with a wrong header, a DICOM folder of broken
// files, an empty folder, 0-byte files, folders named like files) must give
// one message that names the file and the problem, leave what was loaded in
// place (another open still works), and change no file.

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QDropEvent>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QUrl>
#include <memory>

#include "TestBadInputSupport.h"
#include "UiTestSupport.h"
#include "dicom/DicomTestSupport.h"
#include "ui/MainWindow.h"
#include "ui/model/CompareSession.h"
#include "ui/model/CompositeSession.h"
#include "ui/model/DicomLibrary.h"
#include "ui/model/Document.h"
#include "ui/model/MaskModel.h"
#include "ui/model/StudySession.h"
#include "ui/widgets/StudyBrowser.h"
#include "ui/workspaces/composite/CompositeWorkspace.h"
#include "ui/workspaces/studies/StudyWorkspace.h"

namespace harmonia {
namespace {

namespace fs = std::filesystem;
using test::BadInput;
using test::kWaitMs;

using test::qpath;

/// A DICOM folder of three good synthetic CT slices.
void writeGoodDicom(const fs::path& folder) {
  fs::create_directories(folder);
  for (int i = 0; i < 3; ++i) {
    test::SyntheticSlice s;
    s.instance_number = i + 1;
    s.position = {0, 0, 2.0 * i};
    s.fill = static_cast<std::int16_t>(100 + i);
    test::writeSyntheticSlice(s, folder / ("IM" + std::to_string(i) + ".dcm"));
  }
}

/// Sends a drop of `paths` (as local-file URLs) onto `target` at its centre.
void dropPaths(QWidget& target, const QStringList& paths) {
  QMimeData mime;
  QList<QUrl> urls;
  for (const QString& p : paths) urls << QUrl::fromLocalFile(p);
  mime.setUrls(urls);
  const QPointF centre(target.width() / 2.0, target.height() / 2.0);
  QDragEnterEvent enter(centre.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&target, &enter);
  QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&target, &drop);
}

class BadInputMainWindow : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
    QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs, true);
    test::useScratchSettings();
    QSettings().remove(QStringLiteral("recentFiles"));
    window_ = std::make_unique<MainWindow>(false);
  }
  void TearDown() override {
    if (window_) {
      (void)takeMessages();
      window_.reset();
    }
    QSettings().remove(QStringLiteral("recentFiles"));
  }

  MainWindow& window() { return *window_; }
  /// Waits for every job to end and returns the error messages shown, closing them.
  QStringList takeMessages() {
    EXPECT_TRUE(window_->settle(kWaitMs));
    QStringList out;
    for (QMessageBox* box : window_->findChildren<QMessageBox*>(QStringLiteral("errorBox"))) {
      out << box->text();
      box->setObjectName(QString());
      box->close();
    }
    QApplication::processEvents();
    return out;
  }
  /// Expects exactly one error message, clear about `input`.
  void expectOneClearMessage(const BadInput& input) {
    const QStringList messages = takeMessages();
    ASSERT_EQ(messages.size(), 1) << "messages: '" << messages.join("' | '").toStdString() << "'";
    EXPECT_TRUE(test::isClearMessage(messages.front(), input));
  }
  /// Loads good images into Target and Source and good volumes into Study A and B.
  void loadGoodDocuments() {
    window().openFileInto(qpath(inputs_.good("a.png")), window().compositeSession()->target());
    window().openFileInto(qpath(inputs_.good("b.png")), window().compositeSession()->source());
    window().openFileInto(qpath(inputs_.good("a.nii.gz")), window().compareSession()->study(0));
    window().openFileInto(qpath(inputs_.good("b.nii.gz")), window().compareSession()->study(1));
    ASSERT_TRUE(takeMessages().isEmpty());
    expectGoodDocuments();
  }
  /// The good documents are still loaded.
  void expectGoodDocuments() {
    EXPECT_EQ(window().compositeSession()->target()->source(), qpath(inputs_.good("a.png")));
    EXPECT_EQ(window().compositeSession()->source()->source(), qpath(inputs_.good("b.png")));
    EXPECT_TRUE(window().compositeSession()->source()->image());
    for (int i = 0; i < 2; ++i) {
      const Document* study = window().compareSession()->study(i);
      EXPECT_TRUE(study->volume());
      EXPECT_EQ(study->name(), i == 0 ? QStringLiteral("a.nii.gz") : QStringLiteral("b.nii.gz"));
    }
  }
  /// Another open still works: c.png replaces Source, c.nii replaces Study B.
  void expectStillUsable() {
    window().openFileInto(qpath(inputs_.good("c.png")), window().compositeSession()->source());
    window().openFileInto(qpath(inputs_.good("c.nii")), window().compareSession()->study(1));
    EXPECT_TRUE(takeMessages().isEmpty());
    EXPECT_EQ(window().compositeSession()->source()->source(), qpath(inputs_.good("c.png")));
    EXPECT_EQ(window().compareSession()->study(1)->name(), QStringLiteral("c.nii"));
  }
  /// No bad input was added to Open Recent.
  void expectNoBadRecentFile() {
    for (const QString& f : QSettings().value(QStringLiteral("recentFiles")).toStringList()) {
      EXPECT_FALSE(f.contains(QStringLiteral("/bad/"))) << f.toStdString();
    }
  }
  std::vector<BadInput> fileInputs() const {
    std::vector<BadInput> all = inputs_.images();
    for (const BadInput& v : inputs_.volumes()) all.push_back(v);
    return all;
  }

  test::BadInputs inputs_;
  std::unique_ptr<MainWindow> window_;
};

TEST_F(BadInputMainWindow, FileOpenDialogReportsEachBadFile) {
  loadGoodDocuments();
  QAction* open = test::childWithText<QAction>(window().menuBar(), QStringLiteral("&Open..."));
  ASSERT_NE(open, nullptr);
  const auto before = test::snapshot(inputs_.root());
  for (const BadInput& input : fileInputs()) {
    if (fs::is_directory(input.path)) continue;  // the dialog opens folders, never returns them
    SCOPED_TRACE(input.label);
    test::answerNextFileDialog(qpath(input.path));
    open->trigger();
    expectOneClearMessage(input);
    expectGoodDocuments();
  }
  expectStillUsable();
  expectNoBadRecentFile();
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputMainWindow, CommandLineFilesReportEachBadInput) {
  // `harmonia FILE...` hands its files to openFiles().
  loadGoodDocuments();
  const auto before = test::snapshot(inputs_.root());
  const std::vector<BadInput> all = inputs_.withRealFolders(fileInputs());
  for (const BadInput& input : all) {
    SCOPED_TRACE(input.label);
    window().openFiles({qpath(input.path)});
    expectOneClearMessage(input);
    expectGoodDocuments();
  }
  expectStillUsable();
  expectNoBadRecentFile();
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputMainWindow, OpenRecentReportsAFileDamagedSinceItWasOpened) {
  loadGoodDocuments();
  // Recent files that went bad since: truncated, emptied, replaced by a folder.
  const fs::path truncated = inputs_.bad("was_good.png");
  const fs::path emptied = inputs_.bad("was_good.nii.gz");
  const fs::path folder = inputs_.bad("was_file.png");
  fs::copy_file(inputs_.good("c.png"), truncated);
  fs::copy_file(inputs_.good("a.nii.gz"), emptied);
  fs::copy_file(inputs_.good("c.png"), folder);
  window().openFiles({qpath(truncated), qpath(emptied)});
  ASSERT_TRUE(takeMessages().isEmpty());
  window().openFiles({qpath(folder)});
  ASSERT_TRUE(takeMessages().isEmpty());
  fs::resize_file(truncated, fs::file_size(truncated) / 2);
  fs::resize_file(emptied, 0);
  fs::remove(folder);
  fs::create_directory(folder);
  loadGoodDocuments();
  const auto before = test::snapshot(inputs_.root());

  const QMenu* recent = nullptr;
  for (const QMenu* m : window().menuBar()->findChildren<QMenu*>()) {
    if (m->title() == QStringLiteral("Open &Recent")) recent = m;
  }
  ASSERT_NE(recent, nullptr);
  const std::vector<BadInput> damaged = {{"truncated since", truncated, {"truncated"}},
                                         {"emptied since", emptied, {"empty"}},
                                         {"now a folder", folder, {"folder"}}};
  for (const BadInput& input : damaged) {
    SCOPED_TRACE(input.label);
    QAction* entry = nullptr;
    for (QAction* a : recent->actions()) {
      if (a->toolTip() == qpath(input.path)) entry = a;
    }
    ASSERT_NE(entry, nullptr) << [&] {
      std::string all;
      for (QAction* a : recent->actions()) all += a->toolTip().toStdString() + "; ";
      return all;
    }();
    entry->trigger();
    expectOneClearMessage(input);
    expectGoodDocuments();
  }
  expectStillUsable();
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputMainWindow, OpenDicomFolderReportsEachBadFolderAndKeepsTheSeries) {
  const fs::path good = inputs_.root() / "good" / "dicom";
  writeGoodDicom(good);
  window().openDicomFolder(qpath(good));
  ASSERT_TRUE(takeMessages().isEmpty());
  ASSERT_EQ(window().dicomLibrary()->series().size(), 1U);
  const auto volume = window().studySession()->volume();
  ASSERT_TRUE(volume);
  const auto before = test::snapshot(inputs_.root());
  std::vector<BadInput> all = inputs_.folders();
  all.push_back({"0-byte NIfTI as a folder", inputs_.bad("empty.nii.gz"), {"not a folder"}});
  for (const BadInput& input : all) {
    SCOPED_TRACE(input.label);
    window().openDicomFolder(qpath(input.path));
    expectOneClearMessage(input);
    EXPECT_EQ(window().dicomLibrary()->series().size(), 1U);
    EXPECT_EQ(window().studySession()->volume(), volume);
    EXPECT_EQ(window().workspace(), MainWindow::Workspace::Studies);
  }
  // Still usable: the good folder opens again (nothing listed twice).
  window().openDicomFolder(qpath(good));
  EXPECT_TRUE(takeMessages().isEmpty());
  EXPECT_EQ(window().dicomLibrary()->series().size(), 1U);
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputMainWindow, CompareOfTwoStudiesReportsTheBadOne) {
  // `harmonia --compare A B` calls openForComparison(A, B).
  loadGoodDocuments();
  const auto before = test::snapshot(inputs_.root());
  std::vector<BadInput> all = inputs_.withRealFolders(inputs_.volumes());
  // 2-D images are not studies, whatever their state.
  all.push_back({"truncated PNG", inputs_.bad("truncated.png"), {"not a volume"}});
  all.push_back({"0-byte PNG", inputs_.bad("empty.png"), {"not a volume"}});
  for (const BadInput& input : all) {
    SCOPED_TRACE(input.label);
    window().openForComparison(qpath(input.path), qpath(inputs_.good("b.nii.gz")));
    expectOneClearMessage(input);
    expectGoodDocuments();
  }
  expectStillUsable();
  expectNoBadRecentFile();
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputMainWindow, CompositeOpenTargetAndLoadMaskReportEachBadImage) {
  loadGoodDocuments();
  const auto before = test::snapshot(inputs_.root());
  for (const BadInput& input : inputs_.images()) {
    SCOPED_TRACE(input.label);
    // "Open the target image..." emits openRequested with the chosen file.
    emit window().compositeWorkspace()->openRequested(qpath(input.path),
                                                      window().compositeSession()->target());
    expectOneClearMessage(input);
    expectGoodDocuments();
    window().compositeSession()->loadMaskFile(qpath(input.path));
    expectOneClearMessage(input);
    EXPECT_TRUE(window().compositeSession()->mask()->isEmpty());
  }
  expectStillUsable();
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputMainWindow, FilesDroppedOnTheWindowReportEachBadInput) {
  loadGoodDocuments();
  const auto before = test::snapshot(inputs_.root());
  const std::vector<BadInput> all = inputs_.withRealFolders(fileInputs());
  for (const BadInput& input : all) {
    SCOPED_TRACE(input.label);
    dropPaths(window(), {qpath(input.path)});
    expectOneClearMessage(input);
    expectGoodDocuments();
  }
  expectStillUsable();
  expectNoBadRecentFile();
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputMainWindow, FilesDroppedOnTheStudyBrowserReportEachBadInput) {
  const fs::path good = inputs_.root() / "good" / "dicom";
  writeGoodDicom(good);
  window().openDicomFolder(qpath(good));
  ASSERT_TRUE(takeMessages().isEmpty());
  ASSERT_EQ(window().dicomLibrary()->series().size(), 1U);
  StudyBrowser* browser = window().studyWorkspace()->browser();
  const auto before = test::snapshot(inputs_.root());
  const std::vector<BadInput> all = {
      inputs_.folders()[0],
      inputs_.folders()[1],
      {"truncated PNG", inputs_.bad("truncated.png"), {"DICOM"}},
      {"NIfTI with a wrong header", inputs_.bad("huge_dims.nii"), {"DICOM"}},
      {"0-byte file", inputs_.bad("empty.png"), {"empty"}}};
  for (const BadInput& input : all) {
    SCOPED_TRACE(input.label);
    dropPaths(*browser, {qpath(input.path)});
    expectOneClearMessage(input);
    EXPECT_TRUE(test::isClearMessage(browser->statusText(), input))
        << browser->statusText().toStdString();
    EXPECT_EQ(window().dicomLibrary()->series().size(), 1U);
  }
  window().openDicomFolder(qpath(good));
  EXPECT_TRUE(takeMessages().isEmpty());
  EXPECT_EQ(window().dicomLibrary()->series().size(), 1U);
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

}  // namespace
}  // namespace harmonia
