#pragma once
// Covariate coding and design checks of ComBat (internal to core/combat).

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/combat/ComBat.h"

namespace harmonia::combat {

/// Builds the coding from the fit's covariates: numeric columns as given, categorical ones as
/// indicators of every level but the reference (sorted levels; R `model.matrix` with
/// treatment contrasts). Throws ParameterError on sizes, empty names, duplicate names, an
/// unknown reference level.
CovariateCoding makeCoding(const ComBatCovariates& covariates, std::size_t sampleCount);

/// The covariate design, samples x coding.columnCount(), under a coding. Throws InputError on a
/// non-finite numeric value or an unknown level, ParameterError when the covariates do not
/// match the coding's names.
Eigen::MatrixXd encodeCovariates(const CovariateCoding& coding, const ComBatCovariates& covariates,
                                 std::size_t sampleCount);

/// Refuses a covariate column that is collinear with the site columns (or with the covariates
/// before it), naming it. `siteDesign`: samples x sites.
void checkDesignRank(const Eigen::MatrixXd& siteDesign, const Eigen::MatrixXd& covariateDesign,
                     const std::vector<std::string>& columnNames);

}  // namespace harmonia::combat
