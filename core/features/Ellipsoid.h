#pragma once
// Ellipsoids and boxes enclosing a ROI (IBSI 1, docs/04_Image_features.rst,
// "Area density - approximate enclosing ellipsoid", "Volume density -
// minimum volume enclosing ellipsoid", "Volume density - oriented minimum
// bounding box").

#include <array>
#include <vector>

#include <Eigen/Core>

namespace harmonia::features {

/// Surface area of the ellipsoid with semi-axes a >= b >= c, by the IBSI
/// Legendre series 4 pi a b sum_nu (alpha beta)^nu / (1 - 4 nu^2)
/// P_nu((alpha^2 + beta^2) / (2 alpha beta)), stopped at nu = `maxDegree`
/// (IBSI default: 20), with IBSI's alpha = sqrt(1 - b^2/a^2) and
/// beta = sqrt(1 - c^2/a^2). As written this series is not the exact area of
/// a non-spherical ellipsoid (the exact one has alpha = sqrt(1 - c^2/a^2),
/// beta = sqrt(1 - c^2/b^2)), but the IBSI reference values of the area
/// density (AEE) follow it, so it is kept as IBSI defines it.
double ellipsoidSurfaceArea(double a, double b, double c, int maxDegree = 20);

/// Semi-axes (descending) of the minimum volume enclosing ellipsoid of
/// `points`, by Khachiyan's barycentric coordinate descent with stopping
/// tolerance `tolerance` (IBSI default 0.001). Zeros when the points do not
/// span 3-D.
Eigen::Vector3d mveeSemiAxes(const std::vector<Eigen::Vector3d>& points, double tolerance = 0.001);

/// Edge lengths of an oriented bounding box of small volume: for every
/// distinct face plane of the convex hull, the box with one face on it and
/// the minimum-area rectangle (rotating calipers) of the hull projected onto
/// it; the smallest volume wins. This is the usual face-flush approximation
/// of O'Rourke's exact minimum box (IBSI names approximations acceptable).
Eigen::Vector3d orientedBoundingBox(const std::vector<Eigen::Vector3d>& hullVertices,
                                    const std::vector<Eigen::Vector3d>& faceNormals);

}  // namespace harmonia::features
