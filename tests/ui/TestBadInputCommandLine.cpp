// The real `harmonia` application given bad files on its command line, with
// --screenshot so that it exits by itself: it must not crash or hang, must
// print one line per bad input naming the file and the problem, exit 1, and
// write nothing (no screenshot, no input changed).

#include <gtest/gtest.h>

#include <QProcess>
#include <QStringList>

#include "TestBadInputSupport.h"
#include "UiTestSupport.h"

namespace harmonia {
namespace {

namespace fs = std::filesystem;
using test::BadInput;

struct Outcome {
  int exit_code = -1;
  bool crashed = false;
  QString stderr_text;
};

Outcome runHarmonia(const QStringList& args) {
  QProcess p;
  p.start(QStringLiteral(HARMONIA_GUI), args);
  Outcome r;
  // A guard against a hang, not a timing requirement: the runs take seconds.
  if (!p.waitForFinished(180000)) {
    p.kill();
    p.waitForFinished();
    r.stderr_text = QStringLiteral("(killed: still running after 3 minutes)");
    return r;
  }
  r.crashed = p.exitStatus() == QProcess::CrashExit;
  r.exit_code = p.exitCode();
  r.stderr_text = QString::fromLocal8Bit(p.readAllStandardError());
  return r;
}

using test::qpath;

/// The stderr line that names `input`, or empty.
QString lineAbout(const QString& text, const BadInput& input) {
  for (const QString& line : text.split(QLatin1Char('\n'))) {
    if (line.contains(qpath(input.path))) return line;
  }
  return {};
}

class BadInputCommandLine : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::haveGlDisplay()) GTEST_SKIP() << test::kNoDisplay;
  }
  test::BadInputs inputs_;
  test::ScratchDir out_;
};

TEST_F(BadInputCommandLine, BadFilesArePrintedAndTheExitStatusIsOne) {
  const std::vector<BadInput> inputs = {inputs_.images()[0],    // truncated PNG
                                        inputs_.volumes()[0],   // NIfTI with a wrong magic
                                        inputs_.volumes()[3],   // 0-byte NIfTI
                                        inputs_.folders()[0],   // DICOM folder of broken files
                                        inputs_.folders()[1]};  // empty folder
  const auto before = test::snapshot(inputs_.root());
  const fs::path shot = out_ / "shot.png";
  QStringList args = {QStringLiteral("--screenshot"), qpath(shot)};
  for (const BadInput& input : inputs) args << qpath(input.path);
  const Outcome run = runHarmonia(args);
  EXPECT_FALSE(run.crashed) << run.stderr_text.toStdString();
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text.toStdString();
  for (const BadInput& input : inputs) {
    SCOPED_TRACE(input.label);
    const QString line = lineAbout(run.stderr_text, input);
    EXPECT_TRUE(line.startsWith(QStringLiteral("harmonia: "))) << run.stderr_text.toStdString();
    EXPECT_TRUE(test::isClearMessage(line, input));
  }
  EXPECT_EQ(test::entryCount(out_.path()), 0U) << "a screenshot was saved";
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

TEST_F(BadInputCommandLine, CompareWithABadStudyIsPrintedAndTheExitStatusIsOne) {
  const BadInput bad = inputs_.volumes()[1];  // NIfTI with a wrong header size
  const auto before = test::snapshot(inputs_.root());
  const fs::path shot = out_ / "shot.png";
  const Outcome run =
      runHarmonia({QStringLiteral("--screenshot"), qpath(shot), QStringLiteral("--compare"),
                   qpath(inputs_.good("a.nii.gz")), qpath(bad.path)});
  EXPECT_FALSE(run.crashed) << run.stderr_text.toStdString();
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text.toStdString();
  EXPECT_TRUE(test::isClearMessage(lineAbout(run.stderr_text, bad), bad))
      << run.stderr_text.toStdString();
  EXPECT_TRUE(lineAbout(run.stderr_text, {"good", inputs_.good("a.nii.gz"), {}}).isEmpty());
  EXPECT_EQ(test::entryCount(out_.path()), 0U) << "a screenshot was saved";
  EXPECT_EQ(test::snapshot(inputs_.root()), before);
}

}  // namespace
}  // namespace harmonia
