// ComBat (core/combat/ComBat.h) against R's sva::ComBat on the same table, in the same run:
//   (1) 1000 features x 1000 scans, 10 sites, parametric empirical Bayes;
//   (2) 200 features x 1000 scans, 10 sites, non-parametric empirical Bayes.
// The table is written to a temporary folder, Rscript (when installed) runs a small script that
// times sva::ComBat with system.time around the ComBat call only (R's own measurement) and
// writes its output as raw doubles; we compare the outputs (max |ours − sva|, target ≤ 1e-8)
// and print both times and the ratio. Ours: best of 3 runs of fitComBat (fit and harmonize).
// Without Rscript or sva it prints "R not found" / R's message and times ours alone.
// Issue 14's targets: ≥ 10x sva parametric, ≥ 20x non-parametric. Nothing is asserted.

#include <Eigen/Core>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "BenchSupport.h"
#include "core/combat/ComBat.h"

namespace {

using harmonia::ComBatOptions;
using harmonia::EmpiricalBayes;

struct Table {
  Eigen::MatrixXd data;  // features x scans
  std::vector<std::string> sites;
};

// Deterministic cohort: site s shifts every feature by 0.5 (s − 4.5) (1 + f / nf) and scales
// its noise by 0.7 + 0.1 s; features differ in level and spread.
Table makeTable(int features, int scans, int sites) {
  std::mt19937_64 rng(2026);
  std::normal_distribution<double> noise(0.0, 1.0);
  Table t;
  t.data.resize(features, scans);
  for (int j = 0; j < scans; ++j) t.sites.push_back("site" + std::to_string(j % sites));
  for (int j = 0; j < scans; ++j) {
    const int s = j % sites;
    for (int f = 0; f < features; ++f)
      t.data(f, j) = 10.0 + 0.01 * f + 0.5 * (s - 4.5) * (1.0 + static_cast<double>(f) / features) +
                     (0.7 + 0.1 * s) * (0.5 + static_cast<double>(f % 7) / 7.0) * noise(rng);
  }
  return t;
}

bool haveRscript() { return std::system("command -v Rscript >/dev/null 2>&1") == 0; }

// Runs sva::ComBat on `t`; returns R's elapsed seconds (NaN on failure) and its output.
double runSva(const Table& t, bool parametric, const std::filesystem::path& dir,
              Eigen::MatrixXd& out) {
  const auto data = dir / "data.bin";
  const auto batch = dir / "batch.txt";
  const auto result = dir / "out.bin";
  const auto timing = dir / "time.txt";
  const auto script = dir / "combat.R";
  {
    std::ofstream d(data, std::ios::binary);
    d.write(reinterpret_cast<const char*>(t.data.data()),
            static_cast<std::streamsize>(t.data.size() * sizeof(double)));
    std::ofstream b(batch);
    for (const auto& s : t.sites) b << s << "\n";
  }
  std::ofstream(script)
      << "suppressPackageStartupMessages(library(sva))\n"
      << "dat <- matrix(readBin('" << data.string() << "', 'double', n = " << t.data.size()
      << "), nrow = " << t.data.rows() << ")\n"
      << "batch <- readLines('" << batch.string() << "')\n"
      << "tm <- system.time(out <- suppressMessages(ComBat(dat, batch, mod = NULL, par.prior = "
      << (parametric ? "TRUE" : "FALSE") << ")))\n"
      << "writeBin(as.vector(out), '" << result.string() << "')\n"
      << "cat(sprintf('%.6f', tm[['elapsed']]), file = '" << timing.string() << "')\n";
  const std::string cmd = "Rscript " + script.string() + " >" + (dir / "r.log").string() + " 2>&1";
  if (std::system(cmd.c_str()) != 0) {
    std::ifstream log(dir / "r.log");
    std::string line, last;
    while (std::getline(log, line)) last = line;
    std::printf("  R failed: %s\n", last.c_str());
    return std::nan("");
  }
  out.resize(t.data.rows(), t.data.cols());
  std::ifstream r(result, std::ios::binary);
  r.read(reinterpret_cast<char*>(out.data()),
         static_cast<std::streamsize>(out.size() * sizeof(double)));
  double seconds = std::nan("");
  std::ifstream(timing) >> seconds;
  return seconds;
}

void runCase(const char* title, int features, bool parametric, bool withR,
             const std::filesystem::path& dir) {
  std::printf("\n(%s) %d features x 1000 scans, 10 sites, %s\n", title, features,
              parametric ? "parametric" : "non-parametric");
  const Table t = makeTable(features, 1000, 10);
  ComBatOptions options;
  options.empirical_bayes = parametric ? EmpiricalBayes::Parametric : EmpiricalBayes::NonParametric;
  harmonia::ComBatFitResult fit;
  const double ours = harmonia::bench::bestOf(
      3, [&] { fit = harmonia::fitComBat(t.data, {}, t.sites, {}, options); });
  if (!withR) {
    std::printf("  R not found: %-21s %9.4f s\n", "ours (best of 3)", ours);
    return;
  }
  Eigen::MatrixXd sva;
  const double reference = runSva(t, parametric, dir, sva);
  if (std::isnan(reference)) {
    std::printf("  %-34s %9.4f s\n", "ours (best of 3)", ours);
    return;
  }
  const double diff = (fit.harmonized - sva).cwiseAbs().maxCoeff();
  std::printf("  max |ours - sva::ComBat|           %9.3g %s\n", diff,
              diff <= 1e-8 ? "(<= 1e-8)" : "(ABOVE the 1e-8 target)");
  harmonia::bench::printResult("ours: fitComBat (best of 3)", ours, "R sva::ComBat (system.time)",
                               reference);
}

}  // namespace

int main() {
  try {
    harmonia::bench::printHeader("bench_combat: ComBat vs R sva::ComBat", 1);
    const bool withR = haveRscript();
    if (!withR) std::printf("  R not found (Rscript): timing ours alone\n");
    const auto dir = std::filesystem::temp_directory_path() /
                     ("harmonia-bench-combat-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    runCase("1", 1000, true, withR, dir);
    runCase("2", 200, false, withR, dir);
    std::filesystem::remove_all(dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_combat: %s\n", e.what());
    return 1;
  }
  return 0;
}
