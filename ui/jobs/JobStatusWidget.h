#pragma once
// Status-bar widget showing the running job of a JobRunner.
//
// Shows the newest running job's title and progress, "(+N more)" when several
// run, and a Cancel button that cancels the job shown. Hidden while idle.

#include <QPointer>
#include <QString>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace harmonia {

class JobRunner;

/// Progress bar, job title and Cancel button bound to a JobRunner.
class JobStatusWidget : public QWidget {
  Q_OBJECT

 public:
  /// Creates the widget, bound to `runner` when given (see setRunner).
  explicit JobStatusWidget(JobRunner* runner = nullptr, QWidget* parent = nullptr);
  ~JobStatusWidget() override;
  JobStatusWidget(const JobStatusWidget&) = delete;
  JobStatusWidget& operator=(const JobStatusWidget&) = delete;

  /// Follows `runner`'s jobs (null: none; the widget hides).
  void setRunner(JobRunner* runner);
  /// The runner followed, or null.
  [[nodiscard]] JobRunner* runner() const { return runner_; }
  /// Key of the job shown ("" when idle).
  [[nodiscard]] const QString& shownKey() const { return shownKey_; }
  /// The text shown next to the progress bar.
  [[nodiscard]] QString titleText() const;
  /// The progress bar's value in [0, 1000].
  [[nodiscard]] int progressValue() const;

 public slots:
  /// Re-reads the runner's running jobs and shows the newest one.
  void refresh();
  /// Cancels the job shown.
  void cancelShown();

 private:
  void onProgress(const QString& key, const QString& title, double fraction);

  QPointer<JobRunner> runner_;
  QString shownKey_;
  QLabel* title_ = nullptr;
  QProgressBar* bar_ = nullptr;
  QToolButton* cancel_ = nullptr;
};

}  // namespace harmonia
