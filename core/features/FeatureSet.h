#pragma once
// The result of a radiomic feature extraction: one value per IBSI feature tag.
//
// Tags are exactly those of the IBSI 1 reference tables (last column of
// ../shared/data/ibsi/reference/*.csv), e.g. "morph_volume", "stat_mean",
// "cm_joint_max_2D_avg", "szm_sze_3D", "vox_dim_x_interp_img". A feature that
// IBSI leaves undefined for this ROI (one grey level, a one-voxel ROI...) is
// kept with a NaN value and a reason, never dropped and never a silent zero.

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace harmonia::features {

/// One feature value.
struct Feature {
  std::string tag;          ///< IBSI tag, e.g. "cm_joint_max_3D_avg"
  std::string family;       ///< family key, see familyKey() in FeatureSettings.h
  std::string aggregation;  ///< "", "2D_avg", "2D_comb", "2_5D_avg", "2_5D_comb", "3D_avg",
                            ///< "3D_comb", "2D", "2_5D" or "3D"
  double value = std::numeric_limits<double>::quiet_NaN();
  std::string reason;  ///< why the value is undefined; empty when it is defined

  [[nodiscard]] bool defined() const { return reason.empty(); }
};

/// An ordered list of features (the order of computation, families in IBSI order).
class FeatureSet {
 public:
  /// Adds a defined value. A non-finite value is stored as undefined with the
  /// reason "not finite (division by zero or overflow)".
  void add(std::string tag, std::string family, std::string aggregation, double value);
  /// Adds an undefined value (NaN) with the reason it is undefined.
  void addUndefined(std::string tag, std::string family, std::string aggregation,
                    std::string reason);
  /// Appends every feature of `other`.
  void append(const FeatureSet& other);

  [[nodiscard]] const std::vector<Feature>& features() const { return features_; }
  [[nodiscard]] std::size_t size() const { return features_.size(); }
  [[nodiscard]] bool empty() const { return features_.empty(); }
  /// The feature with this tag, or nullptr.
  [[nodiscard]] const Feature* find(std::string_view tag) const;
  /// Its value; NaN when absent or undefined.
  [[nodiscard]] double value(std::string_view tag) const;

 private:
  std::vector<Feature> features_;
};

}  // namespace harmonia::features
