#pragma once
// The built-in demo: one digital phantom imaged by two virtual scanners that
// differ in gain, offset, resolution (FWHM), voxel grid and noise, the way two
// sites' CT scanners differ. Used by the GUI's demo and by tests.

#include <array>

#include "core/phantom/DigitalPhantom.h"

namespace harmonia {

/// The two demo scanners: a sharp, finely sampled "Site A" and a smoother,
/// coarser "Site B" with different gain and offset.
std::array<ScannerParams, 2> demoScanners();

/// The demo phantom's parameters (160 x 160 x 80 mm field of view).
PhantomParams demoPhantom();

/// Two studies of the demo phantom, one per demo scanner.
struct DemoStudies {
  Volume site_a;
  Volume site_b;
};

/// Generates the phantom and scans it with both demo scanners.
DemoStudies makeDemoStudies(Progress& progress = noProgress());

}  // namespace harmonia
