#pragma once
// Bad inputs for the GUI's file-opening tests (TestBadInput*.cpp), made in a
// scratch folder beside good ones, and a snapshot of that folder to show that
// a failed open changed no file and left no new one.
//
// The bad inputs: a truncated PNG, NIfTI files with a wrong header (a bad
// header size, dimensions the data cannot hold), a DICOM folder of broken
// files, an empty folder, 0-byte files and folders named like files.

#include <gtest/gtest.h>

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QLineEdit>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QThread>
#include <QTimer>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "core/image/Volume.h"
#include "core/io/ImageIO.h"

/// Lets GoogleTest print QStrings as text.
inline void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

namespace harmonia::test {

/// One bad input: a label for the trace, the path, and the words a clear
/// message about it must contain (any one of them).
struct BadInput {
  std::string label;
  std::filesystem::path path;
  std::vector<std::string> problem_words;
};

/// The first child of `parent` of type T (QAction, QPushButton) whose text is `text`.
template <class T>
T* childWithText(const QObject* parent, const QString& text) {
  for (T* child : parent->findChildren<T*>()) {
    if (child->text() == text) return child;
  }
  return nullptr;
}

/// A scratch folder holding good and bad inputs.
class BadInputs {
 public:
  BadInputs() {
    namespace fs = std::filesystem;
    fs::create_directories(dir_ / "good");
    fs::create_directories(dir_ / "bad");
    writePng(good("a.png"), 64, 48, 0);
    writePng(good("b.png"), 64, 48, 1);
    writePng(good("c.png"), 64, 48, 2);
    writeNifti(good("a.nii.gz"), 0.0F);
    writeNifti(good("b.nii.gz"), 100.0F);
    writeNifti(good("c.nii"), 200.0F);

    const std::string png = fileBytes(good("a.png"));
    writeBytes(bad("truncated.png"), png.substr(0, png.size() / 2));
    const std::string nii = fileBytes(good("c.nii"));
    std::string badMagic = nii;
    std::memcpy(badMagic.data() + 344, "xyz", 4);  // the magic must be "n+1"
    writeBytes(bad("bad_magic.nii"), badMagic);
    std::string badSize = nii;
    const std::int32_t wrongSize = 1234;  // sizeof_hdr must be 348
    std::memcpy(badSize.data(), &wrongSize, sizeof wrongSize);
    writeBytes(bad("bad_header_size.nii"), badSize);
    std::string huge = nii;
    const std::int16_t dims[3] = {30000, 30000, 30000};  // dim[1..3], 2.7e13 voxels
    std::memcpy(huge.data() + 42, dims, sizeof dims);
    writeBytes(bad("huge_dims.nii"), huge);

    fs::create_directories(bad("broken_dicom"));
    writeBytes(bad("broken_dicom") / "IM0001.dcm", "");
    writeBytes(bad("broken_dicom") / "IM0002.dcm", std::string(128, '\0') + "DICM\x02\x00\x00");
    std::string garbage;
    for (int i = 0; i < 4000; ++i) garbage.push_back(static_cast<char>((i * 7919) % 251));
    writeBytes(bad("broken_dicom") / "IM0003.dcm", garbage);
    fs::create_directories(bad("empty_folder"));
    writeBytes(bad("empty.png"), "");
    writeBytes(bad("empty.nii.gz"), "");
    fs::create_directories(bad("folder.png"));
    fs::create_directories(bad("folder.nii.gz"));
  }

  [[nodiscard]] const std::filesystem::path& root() const { return dir_.path(); }
  [[nodiscard]] std::filesystem::path good(const std::string& name) const {
    return dir_ / "good" / name;
  }
  [[nodiscard]] std::filesystem::path bad(const std::string& name) const {
    return dir_ / "bad" / name;
  }

  /// The 2-D image inputs (opened where a PNG is expected).
  [[nodiscard]] std::vector<BadInput> images() const {
    return {{"truncated PNG", bad("truncated.png"), {"truncated"}},
            {"0-byte PNG", bad("empty.png"), {"empty"}},
            {"folder named .png", bad("folder.png"), {"folder"}}};
  }
  /// The volume inputs (opened where a NIfTI file is expected).
  [[nodiscard]] std::vector<BadInput> volumes() const {
    return {{"NIfTI with a wrong magic", bad("bad_magic.nii"), {"header"}},
            {"NIfTI with a wrong header size", bad("bad_header_size.nii"), {"header"}},
            {"NIfTI whose dimensions exceed its data",
             bad("huge_dims.nii"),
             {"truncated", "dimension", "size", "header", "large"}},
            {"0-byte NIfTI", bad("empty.nii.gz"), {"empty"}},
            {"folder named .nii.gz", bad("folder.nii.gz"), {"folder", "DICOM"}}};
  }
  /// The folder inputs (opened where a DICOM folder is expected).
  [[nodiscard]] std::vector<BadInput> folders() const {
    return {{"DICOM folder of broken files", bad("broken_dicom"), {"DICOM"}},
            {"empty folder", bad("empty_folder"), {"empty", "no DICOM"}},
            {"0-byte file as a folder", bad("empty.png"), {"not a folder"}}};
  }
  /// The folder inputs that are folders (where any path may be opened).
  [[nodiscard]] std::vector<BadInput> realFolders() const {
    std::vector<BadInput> all;
    for (const BadInput& f : folders()) {
      if (std::filesystem::is_directory(f.path)) all.push_back(f);
    }
    return all;
  }
  /// `first` followed by realFolders().
  [[nodiscard]] std::vector<BadInput> withRealFolders(std::vector<BadInput> first) const {
    for (const BadInput& f : realFolders()) first.push_back(f);
    return first;
  }

 private:
  static void writeBytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  static void writePng(const std::filesystem::path& path, int width, int height, int seed) {
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) image.setPixel(x, y, qRgb(x * 4, y * 5, 60 * seed));
    }
    image.save(QString::fromStdString(path.string()), "PNG");
  }
  static void writeNifti(const std::filesystem::path& path, float offset) {
    Geometry3D g;
    g.size = {8, 7, 6};
    Volume v(g);
    for (int k = 0; k < 6; ++k) {
      for (int j = 0; j < 7; ++j) {
        for (int i = 0; i < 8; ++i) v.at(i, j, k) = offset + static_cast<float>(i + 8 * j + 56 * k);
      }
    }
    writeVolume(v, path);
  }

  ScratchDir dir_;
};

/// Every file and folder under `root`, with its size, modification time and content.
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string rel = fs::relative(e.path(), root).string();
    if (e.is_directory()) {
      out[rel] = "folder";
      continue;
    }
    std::ostringstream s;
    s << e.file_size() << " bytes, mtime " << e.last_write_time().time_since_epoch().count()
      << ", content hash " << std::hash<std::string>{}(fileBytes(e.path()));
    out[rel] = s.str();
  }
  return out;
}

/// True when `message` names `path` (its file name) and contains one of `words`.
inline ::testing::AssertionResult isClearMessage(const QString& message, const BadInput& input) {
  const QString name = QString::fromStdString(input.path.filename().string());
  if (!message.contains(name)) {
    return ::testing::AssertionFailure() << "message does not name " << name.toStdString() << ": '"
                                         << message.toStdString() << "'";
  }
  // The problem is said in words, not only in the file's name ("folder.csv").
  QString problem = message;
  problem.remove(QString::fromStdString(input.path.string()));
  problem.remove(name);
  for (const std::string& w : input.problem_words) {
    if (problem.contains(QString::fromStdString(w), Qt::CaseInsensitive)) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure()
         << "message does not say the problem (" << input.problem_words.front() << "...): '"
         << message.toStdString() << "'";
}

/// Keeps QSettings (recent files, last folders) of the tests away from the
/// user's: every QSettings of this process reads and writes a scratch folder.
inline void useScratchSettings() {
  static ScratchDir settings;
  const QString path = QString::fromStdString(settings.path().string());
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, path);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, path);
}

/// Answers the next file dialog with `path`, as a user typing it and pressing
/// Open (needs Qt::AA_DontUseNativeDialogs).
inline void answerNextFileDialog(const QString& path) {
  auto* timer = new QTimer;
  timer->setInterval(10);
  // Answered only from inside the dialog's own event loop: accepted while it
  // is still being shown, exec() would wait for ever.
  const int level = QThread::currentThread()->loopLevel();
  QObject::connect(timer, &QTimer::timeout, [timer, path, level] {
    if (QThread::currentThread()->loopLevel() <= level) return;
    for (QWidget* w : QApplication::topLevelWidgets()) {
      auto* dialog = qobject_cast<QFileDialog*>(w);
      if (dialog == nullptr || !dialog->isVisible()) continue;
      // selectFile() leaves the file name field alone once that field has
      // the focus (it gets it when the window manager activates the dialog,
      // sooner or later), and accept() with an empty field does nothing: the
      // dialog then waited for ever (seen under load). So the field is
      // typed into, and the answer is repeated until the dialog has closed.
      dialog->setDirectory(QFileInfo(path).absolutePath());
      if (auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"))) {
        name->setText(QFileInfo(path).fileName());
      }
      dialog->selectFile(path);
      static_cast<QDialog*>(dialog)->accept();  // QFileDialog::accept(), as Open does
      if (!dialog->isVisible()) {
        timer->stop();
        timer->deleteLater();
      }
      return;
    }
  });
  timer->start();
}

}  // namespace harmonia::test
