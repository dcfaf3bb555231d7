// The harmonization commands of the real harmonia-cli writing a derived DICOM
// series when the input is a DICOM folder and OUT is a folder (or --dicom):
// the series reads back as the NIfTI output of the same command within the
// rescale quantum, inputs are unchanged, and a series is never written into
// the input folder.

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "CliTestSupport.h"
#include "TestSupport.h"
#include "core/dicom/SeriesLoader.h"
#include "core/io/ImageIO.h"
#include "dicom/DicomTestSupport.h"

using harmonia::test::entryCount;
using harmonia::test::fileBytes;
using harmonia::test::jsonNumber;
using harmonia::test::ScratchDir;
using namespace harmonia;

using harmonia::test::Result;
using harmonia::test::runCli;

namespace {

namespace fs = std::filesystem;

using harmonia::test::folderBytes;
using harmonia::test::lineCount;

// A synthetic CT series: 8 axial slices of 12 x 10 pixels (0.5 mm), 2 mm
// apart, stored int16 with intercept -1024 and a pattern that varies in
// every direction, so that blurring and resampling give non-integer HU.
fs::path writeCtSeries(const fs::path& folder) {
  fs::create_directories(folder);
  for (int k = 0; k < 8; ++k) {
    test::SyntheticSlice s;
    s.rows = 12;
    s.columns = 10;
    s.instance_number = k + 1;
    s.position = {-2.5, 4.0, 10.0 + 2.0 * k};
    s.intercept = -1024.0;
    s.extra = {{gdcm::Tag(0x0010, 0x0020), "PAT-7"}, {gdcm::Tag(0x0020, 0x0011), "5"}};
    const fs::path file = folder / ("ct" + std::to_string(k) + ".dcm");
    test::writeSyntheticSlice(s, file);
    gdcm::Reader r;
    r.SetFileName(file.string().c_str());
    if (!r.Read()) throw std::runtime_error("cannot read back " + file.string());
    std::vector<std::int16_t> pixels(static_cast<std::size_t>(s.rows * s.columns));
    for (int j = 0; j < s.rows; ++j) {
      for (int i = 0; i < s.columns; ++i) {
        pixels[static_cast<std::size_t>(i + s.columns * j)] =
            static_cast<std::int16_t>(1024 + 400 * std::sin(0.9 * i) * std::cos(0.6 * j) + 150 * k);
      }
    }
    gdcm::DataElement pd(gdcm::Tag(0x7fe0, 0x0010));
    pd.SetVR(gdcm::VR::OW);
    pd.SetByteValue(reinterpret_cast<const char*>(pixels.data()),
                    static_cast<std::uint32_t>(pixels.size() * 2));
    r.GetFile().GetDataSet().Replace(pd);
    gdcm::Writer w;
    w.SetFile(r.GetFile());
    w.SetFileName(file.string().c_str());
    if (!w.Write()) throw std::runtime_error("cannot write " + file.string());
  }
  return folder;
}

// Half a step of a 16-bit rescale over the NIfTI result's range, plus the
// float32 rounding of m * stored + b (see TestDerivedSeriesWriter.cpp).
double quantumBound(const Volume& v) {
  double lo = 1e300, hi = -1e300, maxAbs = 0.0;
  for (float x : v.voxels()) {
    lo = std::min(lo, static_cast<double>(x));
    hi = std::max(hi, static_cast<double>(x));
    maxAbs = std::max(maxAbs, std::abs(static_cast<double>(x)));
  }
  return (hi - lo) / 65535.0 / 2.0 * (1.0 + 1e-9) + 3.0 * FLT_EPSILON * (maxAbs + 1.0);
}

// The NIfTI output and the derived series of the same command agree: grid
// (NIfTI stores geometry as float32, hence 1e-4 mm) and values within the quantum.
void expectSameVolume(const fs::path& nifti, const fs::path& series) {
  const Volume expected = readVolume(nifti);
  const LoadedSeries loaded = loadDicomFolder(series);
  const Volume& got = loaded.volume;
  ASSERT_TRUE(got.geometry().sameGrid(expected.geometry(), 1e-4))
      << "series origin " << got.geometry().origin_mm.transpose() << ", NIfTI "
      << expected.geometry().origin_mm.transpose();
  double worst = 0.0;
  for (std::size_t i = 0; i < got.voxelCount(); ++i) {
    worst = std::max(worst, std::abs(static_cast<double>(got.data()[i]) - expected.data()[i]));
  }
  EXPECT_LE(worst, quantumBound(expected)) << series;
}

}  // namespace

TEST(CliDicomExport, MatchKernelToAFolderWritesTheNiftiResultAsDicom) {
  ScratchDir dir;
  const fs::path in = writeCtSeries(dir / "ct");
  const std::string before = folderBytes(in);
  const std::vector<std::string> params = {"--from-fwhm", "0.5,0.5,2", "--to-fwhm", "3"};
  std::vector<std::string> args = {"match-kernel", in.string(), (dir / "k.nii.gz").string()};
  args.insert(args.end(), params.begin(), params.end());
  Result r = runCli(dir, args);
  ASSERT_EQ(r.code, 0) << r.err;
  args[2] = (dir / "out" / "k3").string() + "/";  // a folder: ends in '/'
  r = runCli(dir, args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("derived DICOM series: 8 slices"), std::string::npos) << r.out;
  EXPECT_EQ(entryCount(dir / "out" / "k3"), 8u);
  EXPECT_EQ(entryCount(dir / "out"), 1u) << "a temporary folder was left behind";
  expectSameVolume(dir / "k.nii.gz", dir / "out" / "k3");

  const DicomScan source = scanDicomFolder(in);
  const DicomScan derived = scanDicomFolder(dir / "out" / "k3");
  ASSERT_EQ(derived.series.size(), 1u);
  const SeriesInfo& s = derived.series.front();
  EXPECT_NE(s.series_uid, source.series.front().series_uid);
  EXPECT_EQ(s.study_uid, source.series.front().study_uid);
  EXPECT_EQ(s.patient_id, "PAT-7");
  EXPECT_EQ(s.series_number, "1005");
  EXPECT_EQ(s.description, "Kernel-matched to 3 mm FWHM (Harmonia)");
  EXPECT_EQ(s.slices.front().header->text(tag::ImageType).rfind("DERIVED\\SECONDARY", 0), 0u);

  // What inspect reports of the series is what info reports of the NIfTI file.
  const Result inspect = runCli(dir, {"inspect", (dir / "out" / "k3").string(), "--json"});
  ASSERT_EQ(inspect.code, 0) << inspect.err;
  const Result info = runCli(dir, {"info", (dir / "k.nii.gz").string(), "--json"});
  ASSERT_EQ(info.code, 0) << info.err;
  const double bound = quantumBound(readVolume(dir / "k.nii.gz"));
  EXPECT_NEAR(jsonNumber(inspect.out, "min"), jsonNumber(info.out, "min"), bound);
  EXPECT_NEAR(jsonNumber(inspect.out, "max"), jsonNumber(info.out, "max"), bound);
  EXPECT_NEAR(jsonNumber(inspect.out, "mean"), jsonNumber(info.out, "mean"), bound);
  EXPECT_NE(inspect.out.find("\"HU\""), std::string::npos) << inspect.out;

  // --json reports the series.
  args[2] = (dir / "k3json").string();
  args.push_back("--dicom");
  args.push_back("--json");
  r = runCli(dir, args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(jsonNumber(r.out, "files"), 8.0) << r.out;
  EXPECT_GT(jsonNumber(r.out, "rescale_slope"), 0.0);
  EXPECT_LE(jsonNumber(r.out, "max_error"), jsonNumber(r.out, "quantum"));
  EXPECT_EQ(folderBytes(in), before) << "the input series changed";
}

TEST(CliDicomExport, ResampleToAnExistingFolderAndWithDicomFlag) {
  ScratchDir dir;
  const fs::path in = writeCtSeries(dir / "ct");
  const std::string before = folderBytes(in);
  Result r =
      runCli(dir, {"resample", in.string(), (dir / "r.nii.gz").string(), "--spacing", "0.8"});
  ASSERT_EQ(r.code, 0) << r.err;
  fs::create_directories(dir / "existing");
  r = runCli(dir, {"resample", in.string(), (dir / "existing").string(), "--spacing", "0.8"});
  ASSERT_EQ(r.code, 0) << r.err;
  expectSameVolume(dir / "r.nii.gz", dir / "existing");
  r = runCli(dir,
             {"resample", in.string(), (dir / "flagged").string(), "--spacing", "0.8", "--dicom"});
  ASSERT_EQ(r.code, 0) << r.err;
  expectSameVolume(dir / "r.nii.gz", dir / "flagged");
  const Volume resampled = readVolume(dir / "r.nii.gz");
  EXPECT_EQ(loadDicomFolder(dir / "flagged").volume.nz(), resampled.nz());
  EXPECT_NEAR(resampled.geometry().spacing_mm[2], 0.8, 1e-6);
  EXPECT_EQ(folderBytes(in), before);
}

TEST(CliDicomExport, ZScoreAndHistogramMatchingWriteSeriesToo) {
  ScratchDir dir;
  const fs::path in = writeCtSeries(dir / "ct");
  const Volume ct = loadDicomFolder(in).volume;
  MaskVolume mask(ct.geometry(), 0);
  for (int k = 2; k < 6; ++k)
    for (int j = 3; j < 9; ++j)
      for (int i = 2; i < 8; ++i) mask.at(i, j, k) = 1;
  writeMask(mask, dir / "m.nii.gz");
  writeVolume(ct, dir / "ref.nii.gz");
  const std::string m = (dir / "m.nii.gz").string();
  ASSERT_EQ(runCli(dir, {"zscore", in.string(), (dir / "z.nii.gz").string(), "--mask", m}).code, 0);
  Result r = runCli(dir, {"zscore", in.string(), (dir / "z").string() + "/", "--mask", m});
  ASSERT_EQ(r.code, 0) << r.err;
  // z-scores are not HU: stored with Rescale Type US, and the report says so.
  EXPECT_NE(r.out.find("are not HU"), std::string::npos) << r.out;
  expectSameVolume(dir / "z.nii.gz", dir / "z");
  const DicomScan z = scanDicomFolder(dir / "z");
  ASSERT_EQ(z.series.size(), 1u);
  EXPECT_EQ(z.series.front().slices.front().header->text(tag::RescaleType), "US");

  const std::string ref = (dir / "ref.nii.gz").string();
  ASSERT_EQ(runCli(dir, {"match-histogram", in.string(), ref, (dir / "h.nii.gz").string()}).code,
            0);
  r = runCli(dir, {"match-histogram", in.string(), ref, (dir / "h").string(), "--dicom"});
  ASSERT_EQ(r.code, 0) << r.err;
  expectSameVolume(dir / "h.nii.gz", dir / "h");
}

TEST(CliDicomExport, StandardizeWithDicomWritesOneSeriesPerDicomInput) {
  ScratchDir dir;
  const fs::path in = writeCtSeries(dir / "ct");
  Geometry3D g;
  g.size = {6, 6, 5};
  g.spacing_mm = {1.0, 1.0, 2.0};
  g.origin_mm = {-2.0, 4.0, 10.0};
  writeVolume(Volume(g, 40.0f), dir / "b.nii.gz");
  const std::vector<std::string> common = {"--fwhm",    "0.5,0.5,2", "--fwhm",  "3,3,3",
                                           "--spacing", "1",         "--outdir"};
  std::vector<std::string> args = {"standardize", in.string(), (dir / "b.nii.gz").string()};
  args.insert(args.end(), common.begin(), common.end());
  args.push_back((dir / "nifti").string());
  ASSERT_EQ(runCli(dir, args).code, 0);
  args.back() = (dir / "dicom").string();
  args.push_back("--dicom");
  const Result r = runCli(dir, args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_directory(dir / "dicom" / "ct"));
  EXPECT_TRUE(fs::exists(dir / "dicom" / "b.nii.gz"));  // not DICOM: NIfTI as before
  expectSameVolume(dir / "nifti" / "ct.nii.gz", dir / "dicom" / "ct");
}

TEST(CliDicomExport, RefusesToWriteIntoTheInputFolder) {
  ScratchDir dir;
  const fs::path in = writeCtSeries(dir / "ct");
  const std::string before = folderBytes(in);
  const auto refused = [&](const std::string& out, int code, const std::string& words,
                           std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"match-kernel", in.string(), out, "--from-fwhm", "1",
                                     "--to-fwhm",    "3"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Result r = runCli(dir, args);
    EXPECT_EQ(r.code, code) << out << ": " << r.err;
    EXPECT_EQ(lineCount(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
  };
  refused(in.string(), 1, "is the input DICOM folder");
  refused(in.string() + "/", 1, "is the input DICOM folder");
  refused((in / "derived").string() + "/", 1, "lies inside the input DICOM folder");
  refused((in / "derived").string(), 1, "lies inside the input DICOM folder", {"--dicom"});
  refused(dir.path().string(), 1, "holds the source series");
  ASSERT_EQ(runCli(dir, {"match-kernel", in.string(), (dir / "done").string(), "--from-fwhm", "1",
                         "--to-fwhm", "3", "--dicom"})
                .code,
            0);
  const std::string done = folderBytes(dir / "done");
  refused((dir / "done").string(), 1, "already holds DICOM files");
  EXPECT_EQ(folderBytes(dir / "done"), done);
  EXPECT_EQ(folderBytes(in), before);
  EXPECT_EQ(entryCount(in), 8u);

  // --dicom needs a DICOM input; masks stay NIfTI.
  writeVolume(loadDicomFolder(in).volume, dir / "ct.nii.gz");
  Result r = runCli(dir, {"match-kernel", (dir / "ct.nii.gz").string(), (dir / "x").string(),
                          "--from-fwhm", "1", "--to-fwhm", "3", "--dicom"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not a DICOM folder"), std::string::npos) << r.err;
  r = runCli(dir, {"resample", (dir / "ct.nii.gz").string(), (dir / "y").string(), "--spacing", "1",
                   "--as-mask", "--dicom"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_FALSE(fs::exists(dir / "x"));
  EXPECT_FALSE(fs::exists(dir / "y"));
}

// The issue asks that derived series be readable by GDCM, dcmtk and pydicom:
// dcmtk's dcmdump parses every file without an error, and pydicom (Debian's
// python3-pydicom, run by /usr/bin/python3) decodes the pixels whose rescaled
// values sort to those of the NIfTI output within the rescale quantum.
TEST(CliDicomExport, DerivedSeriesIsReadByDcmtkAndPydicom) {
  if (std::system("command -v dcmdump >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "dcmtk's dcmdump is not installed (packaging/setup.sh installs dcmtk)";
  }
  if (std::system("/usr/bin/python3 -c 'import pydicom, numpy' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3-pydicom is not installed (packaging/setup.sh installs it)";
  }
  ScratchDir dir;
  const fs::path in = writeCtSeries(dir / "ct");
  const std::vector<std::string> params = {"--from-fwhm", "0.5,0.5,2", "--to-fwhm", "3"};
  for (const fs::path& out : {dir / "k.nii.gz", dir / "series" / ""}) {
    std::vector<std::string> args = {"match-kernel", in.string(), out.string()};
    args.insert(args.end(), params.begin(), params.end());
    const Result r = runCli(dir, args);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "series")) {
    const std::string log = (dir / "dcmdump.txt").string();
    const std::string cmd = "dcmdump '" + e.path().string() + "' >'" + log + "' 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << e.path() << ": " << fileBytes(log);
    EXPECT_EQ(fileBytes(log).find("E: "), std::string::npos) << fileBytes(log);
    ++files;
  }
  EXPECT_EQ(files, 8u);

  // pydicom's values, sorted, one per line.
  const fs::path script = dir / "read.py";
  {
    std::ofstream py(script);
    py << "import glob, sys, pydicom, numpy as np\n"
          "v = []\n"
          "for f in sorted(glob.glob(sys.argv[1] + '/*')):\n"
          "    ds = pydicom.dcmread(f)\n"
          "    v.append(ds.pixel_array.astype(np.float64).ravel() * float(ds.RescaleSlope)"
          " + float(ds.RescaleIntercept))\n"
          "for x in np.sort(np.concatenate(v)): print(repr(float(x)))\n";
  }
  const fs::path values = dir / "pydicom.txt";
  const std::string cmd = "/usr/bin/python3 '" + script.string() + "' '" +
                          (dir / "series").string() + "' >'" + values.string() + "' 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << fileBytes(values);
  std::vector<double> theirs;
  {
    std::ifstream text(values);
    for (double x; text >> x;) theirs.push_back(x);
  }
  const Volume ours = readVolume(dir / "k.nii.gz");
  std::vector<double> expected(ours.voxels().begin(), ours.voxels().end());
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(theirs.size(), expected.size()) << fileBytes(values).substr(0, 500);
  double worst = 0.0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    worst = std::max(worst, std::abs(theirs[i] - expected[i]));
  }
  EXPECT_LE(worst, quantumBound(ours));
}

// A series with a truncated file is not harmonized with the rest: the error
// names the file and says what is wrong, and nothing is written.
TEST(CliDicomExport, ASeriesWithATruncatedFileIsRefusedAndNothingIsWritten) {
  ScratchDir dir;
  const fs::path in = writeCtSeries(dir / "ct");
  const fs::path damaged = in / "ct3.dcm";
  const std::string bytes = fileBytes(damaged);
  {
    std::ofstream(damaged, std::ios::binary | std::ios::trunc)
        << bytes.substr(0, bytes.size() - 50);
  }
  const std::string before = folderBytes(in);
  for (const std::string& out : {(dir / "k.nii.gz").string(), (dir / "series").string() + "/"}) {
    const Result r = runCli(
        dir, {"match-kernel", in.string(), out, "--from-fwhm", "0.5,0.5,2", "--to-fwhm", "3"});
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.err.find("ct3.dcm"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
    EXPECT_EQ(lineCount(r.err), 1u) << r.err;
  }
  EXPECT_EQ(entryCount(dir.path()), 1u) << "something was written";
  EXPECT_EQ(folderBytes(in), before) << "the input series changed";
}
