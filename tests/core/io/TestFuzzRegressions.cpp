// Inputs the fuzz targets (tests/fuzz) found crashing or leaking, fed to the
// same functions: each must now be refused with an InputError naming the
// file. Each input is written by its test where it is a short header, else it
// lives in tests/data/fuzz/<target>/ (run.sh replays those too).
#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "TestSupport.h"
#include "core/dicom/DicomHeader.h"
#include "core/dicom/DicomScanner.h"
#include "core/dicom/SeriesLoader.h"
#include "core/io/ImageIO.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

namespace fs = std::filesystem;

fs::path fuzzInput(const std::string& target, const std::string& name) {
  return fs::path(HARMONIA_TEST_DATA) / "fuzz" / target / name;
}

// Calls `read` and expects an InputError naming `file` whose message holds `problem`.
template <class Read>
void expectRefused(const fs::path& file, const std::string& problem, Read read) {
  try {
    read();
    FAIL() << file << " was read without an error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), file) << e.what();
    EXPECT_NE(std::string(e.what()).find(problem), std::string::npos) << e.what();
  }
}

// fuzz_nifti: datatype and bitpix -5141, vox_offset -5.7e26 made VTK's
// NIfTI reader die of SIGBUS while reading the header.
// The test writes that header itself (NIfTI-1 field offsets: sizeof_hdr 0,
// dim 40, datatype 70, bitpix 72, vox_offset 108, magic 344).
TEST(FuzzRegressions, NiftiWithAWildDatatypeIsRefused) {
  const fs::path file = fs::temp_directory_path() / "harmonia-fuzz-datatype-5141.nii";
  {
    std::array<char, 352> h{};
    auto put = [&h](std::size_t at, const auto& v) { std::memcpy(h.data() + at, &v, sizeof v); };
    put(0, std::int32_t{348});
    const std::array<std::int16_t, 8> dim{3, 4, 4, 4, 1, 1, 1, 1};
    put(40, dim);
    put(70, std::int16_t{-5141});
    put(72, std::int16_t{-5141});
    put(108, -5.7e26F);
    std::memcpy(h.data() + 344, "n+1", 4);
    std::ofstream(file, std::ios::binary).write(h.data(), static_cast<std::streamsize>(h.size()));
  }
  expectRefused(file, "unsupported NIfTI datatype -5141", [&] { readVolume(file); });
  expectRefused(file, "unsupported NIfTI datatype -5141", [&] { readMask(file); });
}

// fuzz_nifti_gz: datatype 8192 behind a valid gzip stream made VTK
// allocate doubles for a huge count and end the program (std::length_error).
// The fuzz input's first byte is odd: the target gzips the rest, as here.
TEST(FuzzRegressions, GzippedNiftiWithAWildDatatypeIsRefused) {
  const std::string input =
      test::fileBytes(fuzzInput("fuzz_nifti_gz", "vtk-terminate-datatype-8192"));
  ASSERT_GT(input.size(), 1U);
  ASSERT_EQ(input[0] & 1, 1);
  test::ScratchDir dir;
  const fs::path file = dir / "wild.nii.gz";
  gzFile gz = gzopen(file.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  ASSERT_EQ(gzwrite(gz, input.data() + 1, static_cast<unsigned>(input.size() - 1)),
            static_cast<int>(input.size() - 1));
  ASSERT_EQ(gzclose(gz), Z_OK);
  expectRefused(file, "unsupported NIfTI datatype 8192", [&] { readVolume(file); });
}

// fuzz_dicom: a JPEG-LS file with shuffled bytes. GDCM's JPEG-LS decoder
// fails on it (and leaks its buffer: tests/sanitizers/lsan.supp); the load
// must report that failure as an InputError naming the file.
TEST(FuzzRegressions, DamagedJpegLsDicomIsRefusedByTheLoader) {
  silenceGdcm();
  const fs::path file = fuzzInput("fuzz_dicom", "gdcm-jpegls-decode-leak.dcm");
  ASSERT_TRUE(fs::exists(file)) << file;
  const DicomScan scan = scanDicomFiles({file});
  ASSERT_EQ(scan.series.size(), 1U);
  expectRefused(file, "", [&] { loadSeries(scan.series.front()); });
}

}  // namespace
}  // namespace harmonia
