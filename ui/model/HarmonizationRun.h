#pragma once
// The work of one Features-workspace run, without Qt objects: checking the settings against
// the table and building ComBat's inputs (on the GUI thread, quick), then ComBat, the guard,
// the site effect and the PCA (in a worker). See HarmonizationSession.h.

#include <string>
#include <vector>

#include "core/job/Progress.h"
#include "ui/model/HarmonizationSession.h"

namespace harmonia {

/// ComBat's and the guard's inputs, taken from the table.
struct HarmonizationInput {
  HarmonizationSettings settings;
  std::vector<std::string> feature_names;
  std::vector<std::size_t> feature_columns;
  Eigen::MatrixXd data;  ///< features × scans
  std::vector<std::string> sites;
  ComBatCovariates covariates;
  std::optional<BiologicalLabel> label;
  std::vector<std::size_t> fit_scans;  ///< the scans the model is fitted on (all without fit-where)
};

/// The feature columns of `table` under `settings` (see HarmonizationSession.h).
std::vector<std::size_t> featureColumnsOf(const CohortTable& table,
                                          const HarmonizationSettings& settings);

/// Checks the settings and reads the inputs. Throws InputError with a message for the user.
HarmonizationInput prepareHarmonization(const CohortTable& table,
                                        const HarmonizationSettings& settings);

/// Runs ComBat, the guard, the site effect and the PCA. Honours `progress` cancellation.
HarmonizationResult computeHarmonization(const HarmonizationInput& input, Progress& progress);

/// Per-site five-number summaries of one row of `values` (features × scans).
std::vector<SiteBox> siteBoxesOf(const Eigen::MatrixXd& values, int feature,
                                 const std::vector<std::string>& siteLevels,
                                 const std::vector<std::size_t>& siteOf);

}  // namespace harmonia
