#include "core/features/FeatureSet.h"

namespace harmonia::features {

void FeatureSet::add(std::string tag, std::string family, std::string aggregation, double value) {
  if (!std::isfinite(value)) {
    addUndefined(std::move(tag), std::move(family), std::move(aggregation),
                 "not finite (division by zero or overflow)");
    return;
  }
  features_.push_back({std::move(tag), std::move(family), std::move(aggregation), value, {}});
}

void FeatureSet::addUndefined(std::string tag, std::string family, std::string aggregation,
                              std::string reason) {
  if (reason.empty()) reason = "undefined";
  features_.push_back({std::move(tag), std::move(family), std::move(aggregation),
                       std::numeric_limits<double>::quiet_NaN(), std::move(reason)});
}

void FeatureSet::append(const FeatureSet& other) {
  features_.insert(features_.end(), other.features_.begin(), other.features_.end());
}

const Feature* FeatureSet::find(std::string_view tag) const {
  for (const Feature& f : features_) {
    if (f.tag == tag) return &f;
  }
  return nullptr;
}

double FeatureSet::value(std::string_view tag) const {
  const Feature* f = find(tag);
  return f != nullptr && f->defined() ? f->value : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace harmonia::features
