#include "ui/model/MaskModel.h"

#include <QUndoStack>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "core/image/Mask2D.h"
#include "ui/model/CompositeCommands.h"

namespace harmonia {

namespace {

/// Fixed-point bits for OpenCV's sub-pixel drawing.
constexpr int kShift = 4;
constexpr double kScale = 1 << kShift;

cv::Point fixedPoint(const QPointF& p) {
  return {static_cast<int>(std::lround(p.x() * kScale)),
          static_cast<int>(std::lround(p.y() * kScale))};
}

QRect toQRect(const cv::Rect& r) { return {r.x, r.y, r.width, r.height}; }
cv::Rect toCvRect(const QRect& r) { return {r.x(), r.y(), r.width(), r.height()}; }

}  // namespace

MaskModel::MaskModel(QUndoStack* undo, QObject* parent) : QObject(parent), undo_(undo) {}

void MaskModel::reset(const QSize& size) {
  editing_ = false;
  mask_ = cv::Mat::zeros(std::max(0, size.height()), std::max(0, size.width()), CV_8UC1);
  emit changed(QRect(QPoint(0, 0), size));
  emit edited();
}

bool MaskModel::isEmpty() const { return mask_.empty() || cv::countNonZero(mask_) == 0; }

QRect MaskModel::boundingRect() const {
  if (mask_.empty()) return {};
  return toQRect(cv::boundingRect(mask_));
}

std::vector<QPolygonF> MaskModel::outline() const {
  std::vector<QPolygonF> paths;
  if (mask_.empty()) return paths;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask_.clone(), contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  paths.reserve(contours.size());
  for (const auto& contour : contours) {
    QPolygonF path;
    path.reserve(static_cast<int>(contour.size()));
    for (const cv::Point& p : contour) path << QPointF(p.x, p.y);
    paths.push_back(std::move(path));
  }
  return paths;
}

Image2D MaskModel::toImage() const { return Image2D::wrap(mask_.clone()); }

void MaskModel::beginEdit(const QString& text) {
  if (editing_ || mask_.empty()) return;
  editing_ = true;
  editText_ = text;
  before_ = mask_.clone();
  dirty_ = QRect();
}

void MaskModel::endEdit() {
  if (!editing_) return;
  editing_ = false;
  const QRect rect = dirty_ & QRect(QPoint(0, 0), size());
  if (rect.isEmpty()) {
    before_.release();
    return;
  }
  const cv::Mat before = before_(toCvRect(rect)).clone();
  const cv::Mat after = region(rect);
  before_.release();
  if (cv::countNonZero(before != after) == 0) return;  // nothing actually changed
  if (undo_ != nullptr) undo_->push(new MaskEditCommand(this, rect, before, after, editText_));
  emit edited();
}

void MaskModel::cancelEdit() {
  if (!editing_) return;
  editing_ = false;
  const QRect rect = dirty_ & QRect(QPoint(0, 0), size());
  if (!rect.isEmpty()) {
    before_(toCvRect(rect)).copyTo(mask_(toCvRect(rect)));
    emit changed(rect);
  }
  before_.release();
}

void MaskModel::touch(const QRect& rect) {
  const QRect r = rect & QRect(QPoint(0, 0), size());
  if (r.isEmpty()) return;
  dirty_ |= r;
  emit changed(r);
}

void MaskModel::stroke(const QPointF& from, const QPointF& to, double radius, bool erase) {
  if (mask_.empty()) return;
  const bool ownEdit = !editing_;
  if (ownEdit) beginEdit(erase ? tr("Erase") : tr("Brush"));
  radius = std::max(0.5, radius);
  const cv::Scalar value(erase ? 0 : 255);
  const int r = static_cast<int>(std::lround(radius * kScale));
  // A round brush swept along the segment: two discs joined by a quadrilateral.
  cv::circle(mask_, fixedPoint(from), r, value, cv::FILLED, cv::LINE_8, kShift);
  cv::circle(mask_, fixedPoint(to), r, value, cv::FILLED, cv::LINE_8, kShift);
  const QPointF d = to - from;
  const double length = std::hypot(d.x(), d.y());
  if (length > 1e-6) {
    const QPointF n(-d.y() / length * radius, d.x() / length * radius);
    const cv::Point quad[4] = {fixedPoint(from + n), fixedPoint(to + n), fixedPoint(to - n),
                               fixedPoint(from - n)};
    cv::fillConvexPoly(mask_, quad, 4, value, cv::LINE_8, kShift);
  }
  const int pad = static_cast<int>(std::ceil(radius)) + 2;
  const QRectF box = QRectF(from, to).normalized();
  touch(QRect(static_cast<int>(std::floor(box.left())) - pad,
              static_cast<int>(std::floor(box.top())) - pad,
              static_cast<int>(std::ceil(box.width())) + 2 * pad + 1,
              static_cast<int>(std::ceil(box.height())) + 2 * pad + 1));
  if (ownEdit) endEdit();
}

void MaskModel::wholeEdit(const QString& text, const std::function<void(cv::Mat&)>& op) {
  if (mask_.empty()) return;
  const bool ownEdit = !editing_;
  if (ownEdit) beginEdit(text);
  op(mask_);
  touch(QRect(QPoint(0, 0), size()));
  if (ownEdit) endEdit();
}

void MaskModel::fillPolygon(const QPolygonF& polygon, MaskOp op, const QString& text) {
  if (polygon.size() < 3) return;
  std::vector<cv::Point> points;
  points.reserve(polygon.size());
  for (const QPointF& p : polygon) points.push_back(fixedPoint(p));
  wholeEdit(text, [&](cv::Mat& m) {
    cv::Mat shape = cv::Mat::zeros(m.size(), CV_8UC1);
    const cv::Point* pts = points.data();
    const int n = static_cast<int>(points.size());
    cv::fillPoly(shape, &pts, &n, 1, cv::Scalar(255), cv::LINE_8, kShift);
    switch (op) {
      case MaskOp::Replace:
        shape.copyTo(m);
        break;
      case MaskOp::Add:
        cv::bitwise_or(m, shape, m);
        break;
      case MaskOp::Subtract:
        m.setTo(0, shape);
        break;
    }
  });
}

void MaskModel::fillEllipse(const QPointF& centre, double rx, double ry, MaskOp op,
                            const QString& text) {
  QPolygonF polygon;
  constexpr int kSegments = 180;
  for (int i = 0; i < kSegments; ++i) {
    const double a = 2.0 * std::numbers::pi * i / kSegments;
    polygon << centre + QPointF(rx * std::cos(a), ry * std::sin(a));
  }
  fillPolygon(polygon, op, text);
}

void MaskModel::invert() {
  wholeEdit(tr("Invert mask"), [](cv::Mat& m) { cv::bitwise_not(m, m); });
}

void MaskModel::clear() {
  wholeEdit(tr("Clear mask"), [](cv::Mat& m) { m.setTo(0); });
}

void MaskModel::selectAll() {
  wholeEdit(tr("Select all"), [](cv::Mat& m) { m.setTo(255); });
}

bool MaskModel::load(const Image2D& image, QString* error) {
  if (image.width() != mask_.cols || image.height() != mask_.rows) {
    if (error != nullptr) {
      *error = tr("the mask is %1 x %2 pixels but the source is %3 x %4")
                   .arg(image.width())
                   .arg(image.height())
                   .arg(mask_.cols)
                   .arg(mask_.rows);
    }
    return false;
  }
  const cv::Mat binary = maskInside(image);  // 0/1, the one rule for 2-D masks
  wholeEdit(tr("Load mask"), [&](cv::Mat& m) { m = binary * 255; });
  return true;
}

cv::Mat MaskModel::region(const QRect& rect) const { return mask_(toCvRect(rect)).clone(); }

void MaskModel::restoreRegion(const QRect& rect, const cv::Mat& pixels) {
  if (mask_.empty() || !QRect(QPoint(0, 0), size()).contains(rect)) return;
  pixels.copyTo(mask_(toCvRect(rect)));
  emit changed(rect);
  emit edited();
}

}  // namespace harmonia
