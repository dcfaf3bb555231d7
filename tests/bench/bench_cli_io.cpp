// The CLI end to end against the libraries it competes with, in one run, on
// generated inputs written to a temporary folder:
//   - NIfTI read/write (core/io readVolume/writeVolume) against VTK's
//     vtkNIFTIImageReader/Writer, .nii (512x512x300 float32, 315 MB) and
//     .nii.gz (256x256x128);
//   - PNG and TIFF read/write (readImage2D/writeImage2D) against
//     cv::imread/imwrite (3000x2000 RGB, 8 bit; TIFF uncompressed on both
//     sides, as writeImage2D writes it);
//   - `match-kernel` (runCli in this process: read, blur, write) against VTK's
//     reader + vtkImageGaussianSmooth (same sigma, radius, threads) + writer;
//   - `blend` (runCli: three reads, Poisson solve, write) against cv::imread x3
//     + cv::seamlessClone + cv::imwrite (OpenCV's default TIFF: LZW);
//   - the harmonia-cli process starting (`--version`), which the in-process
//     timings above leave out.
// Each line prints our time, theirs and the ratio with the target:
// I/O within 1.2x of theirs (ratio ours/theirs <= 1.2), match-kernel >= 2x
// faster than VTK, blend >= 4x faster than OpenCV. A program, not a test.
//
// Usage: bench_cli_io [repeats]   (best of `repeats`, default 3;
//        threads: $HARMONIA_BENCH_THREADS, else all cores)

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkImageGaussianSmooth.h>
#include <vtkMatrix4x4.h>
#include <vtkMultiThreader.h>
#include <vtkNIFTIImageReader.h>
#include <vtkNIFTIImageWriter.h>
#include <vtkNew.h>
#include <vtkPointData.h>

#include <cstdio>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/photo.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "BenchSupport.h"
#include "BlendBenchInputs.h"
#include "app/cli/Cli.h"
#include "core/filter/GaussianFilter.h"
#include "core/harmonize/KernelMatching.h"
#include "core/io/ImageIO.h"

extern char** environ;

using namespace harmonia;
namespace fs = std::filesystem;

namespace {

int g_repeats = 3;

double best(const std::function<void()>& f) { return bench::bestOf(g_repeats, f); }

// "ours / theirs", and whether it meets `target` (a bound on ours/theirs).
void printRow(const std::string& what, double ours, double theirs, double maxRatio,
              const char* targetText) {
  const double ratio = ours / theirs;
  std::printf("  %-30s ours %8.3f s  theirs %8.3f s  ours/theirs %5.2f  (target %s: %s)\n",
              what.c_str(), ours, theirs, ratio, targetText, ratio <= maxRatio ? "met" : "NOT met");
}

// Runs harmonia-cli's command line in this process; aborts the benchmark on failure.
void cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  std::vector<std::string> argv{"harmonia-cli"};
  argv.insert(argv.end(), args.begin(), args.end());
  if (cli::runCli(argv, {out, err}) != 0) {
    std::fprintf(stderr, "harmonia-cli %s failed: %s\n", args.front().c_str(), err.str().c_str());
    std::exit(1);
  }
}

// VTK's own NIfTI round trip pieces, set up as a VTK user would.
vtkSmartPointer<vtkImageData> vtkRead(const fs::path& path) {
  vtkNew<vtkNIFTIImageReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  vtkSmartPointer<vtkImageData> image = reader->GetOutput();
  return image;
}

void vtkWrite(vtkImageData* image, const fs::path& path) {
  vtkNew<vtkNIFTIImageWriter> writer;
  vtkNew<vtkMatrix4x4> identity;
  writer->SetInputData(image);
  writer->SetFileName(path.c_str());
  writer->SetQFormMatrix(identity);
  writer->SetSFormMatrix(identity);
  writer->Write();
}

void nifti(const fs::path& dir, const Geometry3D& g, const std::string& ext) {
  const Volume volume = bench::texturedVolume(g);
  const fs::path ours = dir / ("ours" + ext);
  const fs::path theirs = dir / ("theirs" + ext);
  writeVolume(volume, ours);
  vtkSmartPointer<vtkImageData> image = vtkRead(ours);
  const double tWriteOurs = best([&] { writeVolume(volume, ours); });
  const double tWriteVtk = best([&] { vtkWrite(image, theirs); });
  image = nullptr;
  const double tReadOurs = best([&] { (void)readVolume(ours); });
  const double tReadVtk = best([&] { (void)vtkRead(theirs); });
  char size[64];
  std::snprintf(size, sizeof size, " %dx%dx%d", g.size[0], g.size[1], g.size[2]);
  printRow("read " + ext + size, tReadOurs, tReadVtk, 1.2, "<= 1.2");
  printRow("write " + ext + size, tWriteOurs, tWriteVtk, 1.2, "<= 1.2");
  fs::remove(ours);
  fs::remove(theirs);
}

void image2d(const fs::path& dir, const cv::Mat& bgr, const std::string& ext) {
  const fs::path ours = dir / ("ours" + ext);
  const fs::path theirs = dir / ("theirs" + ext);
  std::vector<int> options;
  if (ext == ".tif") options = {cv::IMWRITE_TIFF_COMPRESSION, 1};  // what writeImage2D uses
  cv::imwrite(theirs.string(), bgr, options);
  const Image2D image = readImage2D(theirs);
  const double tWriteOurs = best([&] { writeImage2D(image, ours); });
  const double tWriteCv = best([&] { cv::imwrite(theirs.string(), bgr, options); });
  const double tReadOurs = best([&] { (void)readImage2D(ours); });
  const double tReadCv = best([&] { (void)cv::imread(theirs.string(), cv::IMREAD_UNCHANGED); });
  const std::string size = " " + std::to_string(bgr.cols) + "x" + std::to_string(bgr.rows) + " RGB";
  printRow("read " + ext + size, tReadOurs, tReadCv, 1.2, "<= 1.2");
  printRow("write " + ext + size, tWriteOurs, tWriteCv, 1.2, "<= 1.2");
}

void matchKernel(const fs::path& dir, int threads) {
  Geometry3D g;
  g.size = {512, 512, 300};
  g.spacing_mm = {0.8, 0.8, 1.5};
  const fs::path in = dir / "mk_in.nii";
  writeVolume(bench::texturedVolume(g), in);
  const std::string from = "2,2,2", to = "4,4,4";
  const double tOurs = best([&] {
    cli({"match-kernel", in.string(), (dir / "mk_ours.nii").string(), "--from-fwhm", from,
         "--to-fwhm", to});
  });
  KernelMatchParams params;
  params.from_fwhm_mm = {2, 2, 2};
  params.to_fwhm_mm = {4, 4, 4};
  const KernelMatchPlan plan = planKernelMatch(params, g.spacing_mm, 3);
  const double tVtk = best([&] {
    vtkNew<vtkNIFTIImageReader> reader;
    reader->SetFileName(in.c_str());
    vtkNew<vtkImageGaussianSmooth> smooth;
    smooth->SetInputConnection(reader->GetOutputPort());
    smooth->SetDimensionality(3);
    double factors[3];
    for (int a = 0; a < 3; ++a) {
      // VTK's radius is int(sigma * factor): aim at the middle of the integer.
      factors[a] = (plan.radius_voxels[a] + 0.5) / plan.sigma_voxels[a];
    }
    smooth->SetStandardDeviations(plan.sigma_voxels[0], plan.sigma_voxels[1], plan.sigma_voxels[2]);
    smooth->SetRadiusFactors(factors);
    smooth->SetNumberOfThreads(threads);
    vtkNew<vtkNIFTIImageWriter> writer;
    writer->SetInputConnection(smooth->GetOutputPort());
    writer->SetFileName((dir / "mk_vtk.nii").c_str());
    writer->Write();
  });
  std::printf("  match-kernel: FWHM 2 -> 4 mm, sigma (%.2f, %.2f, %.2f) voxels\n",
              plan.sigma_voxels[0], plan.sigma_voxels[1], plan.sigma_voxels[2]);
  printRow("match-kernel 512x512x300", tOurs, tVtk, 0.5, ">= 2x faster");
  for (const char* name : {"mk_in.nii", "mk_ours.nii", "mk_vtk.nii"}) fs::remove(dir / name);
}

void blend(const fs::path& dir) {
  const int tw = 3000, th = 2000, pw = 900, ph = 700;
  const fs::path target = dir / "target.tif", source = dir / "source.tif", mask = dir / "mask.png";
  cv::imwrite(target.string(), bench::texture(tw, th, 1));
  cv::imwrite(source.string(), bench::texture(pw, ph, 2));
  cv::imwrite(mask.string(), bench::ellipseMask(pw, ph));
  const int x = (tw - pw) / 2, y = (th - ph) / 2;
  const double tOurs = best([&] {
    cli({"blend", "--target", target.string(), "--source", source.string(), "--mask", mask.string(),
         "--at", std::to_string(x) + "," + std::to_string(y), "--mode", "normal", "-o",
         (dir / "blend_ours.tif").string()});
  });
  const double tCv = best([&] {
    const cv::Mat t = cv::imread(target.string(), cv::IMREAD_UNCHANGED);
    const cv::Mat s = cv::imread(source.string(), cv::IMREAD_UNCHANGED);
    const cv::Mat m = cv::imread(mask.string(), cv::IMREAD_UNCHANGED);
    cv::Mat out;
    cv::seamlessClone(s, t, m, cv::Point(x + pw / 2, y + ph / 2), out, cv::NORMAL_CLONE);
    cv::imwrite((dir / "blend_cv.tif").string(), out);
  });
  printRow("blend 900x700 into 3000x2000", tOurs, tCv, 0.25, ">= 4x faster");
}

// Wall time of one harmonia-cli process printing its version.
double cliStart() {
  const char* argv[] = {HARMONIA_CLI_PATH, "--version", nullptr};
  return bench::bestOf(5, [&] {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, const_cast<char**>(argv), environ) == 0) {
      int status = 0;
      waitpid(pid, &status, 0);
    }
    posix_spawn_file_actions_destroy(&actions);
  });
}

}  // namespace

int main(int argc, char** argv) {
  g_repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  const int threads = bench::benchThreads();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  cv::setNumThreads(threads);
  vtkMultiThreader::SetGlobalDefaultNumberOfThreads(threads);
  const fs::path dir = fs::temp_directory_path() /
                       ("harmonia_bench_cli_io_" + std::to_string(static_cast<long>(getpid())));
  fs::create_directories(dir);
  bench::printHeader("harmonia-cli end to end and its I/O against VTK and OpenCV, best of " +
                         std::to_string(g_repeats),
                     threads);
  std::printf("  harmonia-cli --version (process start) %.3f s\n", cliStart());
  Geometry3D big;
  big.size = {512, 512, 300};
  big.spacing_mm = {0.8, 0.8, 1.5};
  nifti(dir, big, ".nii");
  Geometry3D small;
  small.size = {256, 256, 128};
  nifti(dir, small, ".nii.gz");
  const cv::Mat picture = bench::texture(3000, 2000, 7);
  image2d(dir, picture, ".png");
  image2d(dir, picture, ".tif");
  matchKernel(dir, threads);
  blend(dir);
  std::printf("  load average %.2f at end\n", bench::loadAverage());
  fs::remove_all(dir);
  return 0;
}
