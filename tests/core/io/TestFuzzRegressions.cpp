// Inputs the fuzz targets (tests/fuzz) found crashing or leaking, fed to the
// same functions: each must now be refused with an InputError naming the
// file. Each test writes its input (no image of ../shared/data is copied into
// the repository); the fuzz targets' own finds stay under build/asan/fuzz/.
#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmImageReader.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "TestSupport.h"
#include "core/dicom/DicomHeader.h"
#include "core/dicom/DicomScanner.h"
#include "core/dicom/SeriesLoader.h"
#include "core/features/FeatureConfig.h"
#include "core/io/ImageIO.h"
#include "core/measure/HarmonizationPlan.h"
#include "core/phantom/Protocol.h"
#include "core/util/Error.h"
#include "dicom/DicomTestSupport.h"

namespace harmonia {
namespace {

namespace fs = std::filesystem;

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

// A NIfTI-1 header (348 bytes and the 4-byte extension flag) with the fields
// the fuzzers found trouble in; everything else zero. Offsets from nifti1.h:
// sizeof_hdr 0, dim 40, datatype 70, bitpix 72, vox_offset 108, magic 344.
std::string niftiHeader(const std::array<std::int16_t, 8>& dim, std::int16_t datatype,
                        std::int16_t bitpix, float voxOffset, const char* magic) {
  std::string h(352, '\0');
  auto put = [&h](std::size_t at, const auto& v) { std::memcpy(h.data() + at, &v, sizeof v); };
  put(0, std::int32_t{348});
  put(40, dim);
  put(70, datatype);
  put(72, bitpix);
  put(108, voxOffset);
  std::memcpy(h.data() + 344, magic, std::strlen(magic));
  return h;
}

// Writes `bytes` to `file` as one gzip stream.
void writeGzipped(const fs::path& file, const std::string& bytes) {
  gzFile gz = gzopen(file.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  ASSERT_EQ(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())),
            static_cast<int>(bytes.size()));
  ASSERT_EQ(gzclose(gz), Z_OK);
}

// Both NIfTI readers (volume and mask) refuse `file`, naming it and `problem`.
void expectNiftiRefused(const fs::path& file, const std::string& problem) {
  expectRefused(file, problem, [&] { readVolume(file); });
  expectRefused(file, problem, [&] { readMask(file); });
}

// fuzz_nifti: datatype and bitpix -5141, vox_offset -5.7e26 made VTK's
// NIfTI reader die of SIGBUS while reading the header.
TEST(FuzzRegressions, NiftiWithAWildDatatypeIsRefused) {
  test::ScratchDir dir;
  const fs::path file = dir / "datatype-5141.nii";
  std::ofstream(file, std::ios::binary)
      << niftiHeader({3, 4, 4, 4, 1, 1, 1, 1}, -5141, -5141, -5.7e26F, "n+1");
  expectNiftiRefused(file, "unsupported NIfTI datatype -5141");
}

// fuzz_nifti_gz: datatype 8192 (bitpix 64, dims {0,0,0,0,0,512,2048,0}, no
// magic) behind a valid gzip stream made VTK allocate doubles for a huge
// count and end the program (std::length_error).
TEST(FuzzRegressions, GzippedNiftiWithAWildDatatypeIsRefused) {
  const std::string header = niftiHeader({0, 0, 0, 0, 0, 512, 2048, 0}, 8192, 64, 0.0F, "");
  test::ScratchDir dir;
  const fs::path file = dir / "wild.nii.gz";
  writeGzipped(file, header);
  expectNiftiRefused(file, "unsupported NIfTI datatype 8192");
}

// fuzz_nifti_gz: a 200-byte .nii.gz declaring 29814 x 17515 x 28005 uint8
// voxels (14.6 TB) made VTK's allocation throw std::bad_alloc through its
// pipeline and end the program. A gzip file cannot inflate to more than 1032
// times its size, so the header is refused before VTK allocates.
TEST(FuzzRegressions, GzippedNiftiDeclaringMoreThanGzipCanHoldIsRefused) {
  const std::string header = niftiHeader({3, 29814, 17515, 28005, 1, 1, 1, 1}, 2, 8, 352.0F, "n+1");
  test::ScratchDir dir;
  const fs::path file = dir / "huge.nii.gz";
  writeGzipped(file, header);
  expectNiftiRefused(file, "more than a gzip file of");
}

// fuzz_settings_json: a number too large for a double ("2.19e89023000664" in
// a plan) made nlohmann::json throw out_of_range, which the feature settings
// reader did not turn into an InputError (it caught parse errors only), so
// the exception ended the program. Every settings reader must refuse it.
TEST(FuzzRegressions, JsonNumberOverflowIsRefusedByEverySettingsReader) {
  const std::string text =
      R"({"format": "harmonia-plan", "scanners": [{"fwhm_mm": [2.19e89023000664]}]})";
  const fs::path file = "overflow.json";
  expectRefused(file, "JSON", [&] { features::parseFeatureSettings(text, file.string()); });
  expectRefused(file, "", [&] { protocolConfigFromJson(text, file.string()); });
  expectRefused(file, "", [&] { planFromJson(text, file.string()); });
  expectRefused(file, "", [&] { measurementFromPsfJson(text, file.string()); });
}

// The bytes of a synthetic 43 x 41 slice that GDCM compressed to `syntax`.
std::string compressedSlice(const fs::path& dir, gdcm::TransferSyntax::TSType syntax) {
  test::SyntheticSlice slice;
  slice.rows = 43;
  slice.columns = 41;
  test::writeSyntheticSlice(slice, dir / "raw.dcm");
  gdcm::ImageReader reader;
  reader.SetFileName((dir / "raw.dcm").c_str());
  EXPECT_TRUE(reader.Read());
  gdcm::ImageChangeTransferSyntax change;
  change.SetTransferSyntax(syntax);
  change.SetInput(reader.GetImage());
  EXPECT_TRUE(change.Change());
  gdcm::ImageWriter writer;
  writer.SetFile(reader.GetFile());
  writer.SetImage(change.GetOutput());
  writer.SetFileName((dir / "compressed.dcm").c_str());
  EXPECT_TRUE(writer.Write());
  return test::fileBytes(dir / "compressed.dcm");
}

// Where `marker` first occurs after the first `header` in a codestream
// (npos when either is missing).
std::size_t findAfter(const std::string& bytes, std::string_view header, std::string_view marker) {
  const std::size_t at = bytes.find(header);
  return at == std::string::npos ? at : bytes.find(marker, at);
}

// Writes `bytes` (a damaged compressed slice) to a folder of its own in
// `dir`; the scanner lists it as a series and loading that series must be
// refused with an error naming the file.
void expectDamagedSliceRefused(const fs::path& dir, const std::string& bytes) {
  fs::create_directory(dir / "damaged");
  const fs::path file = dir / "damaged" / "slice.dcm";
  std::ofstream(file, std::ios::binary) << bytes;
  const DicomScan scan = scanDicomFiles({file});
  ASSERT_EQ(scan.series.size(), 1U);
  expectRefused(file, "cannot decode Pixel Data", [&] { loadSeries(scan.series.front()); });
}

// Where the single-frame compressed slice `bytes` (as GDCM writes it: Pixel
// Data last, of undefined length, an empty offset table item, one fragment
// item, the sequence delimiter) has its fragment's 32-bit little-endian
// length, or npos.
std::size_t fragmentLengthAt(const std::string& bytes) {
  const std::string_view item("\xFE\xFF\x00\xE0", 4);
  const std::size_t table = bytes.find(item, bytes.rfind(std::string_view("\xE0\x7F\x10\x00", 4)));
  if (table == std::string::npos) return table;
  const std::size_t fragment = bytes.find(item, table + 4);
  return fragment == std::string::npos ? fragment : fragment + 4;
}

// fuzz_dicom: a JPEG-LS file (from a PET slice of ../shared/data) whose
// frame had damaged coding parameters. GDCM's JPEG-LS decoder fails on it (and
// leaks its buffer: tests/sanitizers/lsan.supp); the load must report that
// failure as an InputError naming the file. The test makes such a file: a
// synthetic slice compressed to JPEG-LS by GDCM, then its coding thresholds
// put out of order.
TEST(FuzzRegressions, DamagedJpegLsDicomIsRefusedByTheLoader) {
  silenceGdcm();
  test::ScratchDir dir;
  std::string bytes = compressedSlice(dir.path(), gdcm::TransferSyntax::JPEGLSLossless);
  // GDCM writes the preset coding parameters of 16-bit data in an LSE
  // segment (T.87 C.2.4.1.1): FF F8, length 13, id 1, MAXVAL, T1, T2, T3,
  // RESET. T1 = 0x4300 breaks T1 <= T2 <= T3, as the fuzzer's bytes did.
  const std::size_t lse = bytes.find(std::string_view("\xFF\xF8\x00\x0D\x01", 5));
  ASSERT_NE(lse, std::string::npos) << "no LSE segment in GDCM's JPEG-LS stream";
  bytes[lse + 7] = 0x43;
  bytes[lse + 8] = 0x00;
  expectDamagedSliceRefused(dir.path(), bytes);
}

// fuzz_dicom: a JPEG-LS file with one bit flipped in its start-of-scan
// marker (FF DA became FF DE, a marker JPEG-LS does not use). CharLS refuses
// the header, and gdcm::JPEGLSCodec::GetHeaderInfo (GDCM 3.0.21) then leaks
// its copy of the stream (suppressed in lsan.supp); our loader must refuse
// the file.
TEST(FuzzRegressions, DamagedJpegLsHeaderIsRefusedByTheLoader) {
  silenceGdcm();
  test::ScratchDir dir;
  std::string bytes = compressedSlice(dir.path(), gdcm::TransferSyntax::JPEGLSLossless);
  const std::size_t sos =
      findAfter(bytes, std::string_view("\xFF\xD8\xFF\xF7", 4), std::string_view("\xFF\xDA", 2));
  ASSERT_NE(sos, std::string::npos) << "no SOF55 then SOS segment in GDCM's JPEG-LS stream";
  bytes[sos + 1] = '\xDE';
  expectDamagedSliceRefused(dir.path(), bytes);
}

// fuzz_dicom: a JPEG 2000 file whose codestream header was damaged.
// gdcm::JPEG2000Codec::GetHeaderInfo (GDCM 3.0.21) leaks the OpenJPEG codec it
// created when the header does not read (suppressed in lsan.supp); our loader
// must refuse the file. Here GDCM's own JPEG 2000 stream of a synthetic slice
// gets the fuzzer's damage: its COD segment (ISO 15444-1 A.6.1: FF 52, Lcod,
// Scod, SGcod) starts with FF FF FF FF (an undefined progression order and
// 65535 layers), which OpenJPEG refuses while reading the header.
TEST(FuzzRegressions, DamagedJpeg2000DicomIsRefusedByTheLoader) {
  silenceGdcm();
  test::ScratchDir dir;
  std::string bytes = compressedSlice(dir.path(), gdcm::TransferSyntax::JPEG2000Lossless);
  const std::size_t cod =
      findAfter(bytes, std::string_view("\xFF\x4F\xFF\x51", 4), std::string_view("\xFF\x52", 2));
  ASSERT_NE(cod, std::string::npos) << "no SIZ then COD segment in GDCM's JPEG 2000 stream";
  for (std::size_t i = cod + 4; i < cod + 8; ++i) bytes[i] = '\xFF';
  expectDamagedSliceRefused(dir.path(), bytes);
}

// fuzz_dicom: a lossless JPEG file whose stream ended before its EOI.
// GDCM's IJG decoder takes the end of the data for a suspension, and
// gdcm::JPEGBITSCodec::DecodeByStreams (GDCM 3.0.21) returns with the
// decompressor alive, leaking its memory pools (suppressed in lsan.supp); our
// loader must refuse the file. Here GDCM's own JPEG stream of a synthetic
// slice loses the second half of its frame, its fragment length shortened to
// match (PS3.5 A.4: the fragment is an item of even length).
TEST(FuzzRegressions, TruncatedJpegDicomIsRefusedByTheLoader) {
  silenceGdcm();
  test::ScratchDir dir;
  std::string bytes = compressedSlice(dir.path(), gdcm::TransferSyntax::JPEGLosslessProcess14_1);
  const std::size_t at = fragmentLengthAt(bytes);
  ASSERT_NE(at, std::string::npos) << "no Pixel Data fragment in GDCM's JPEG file";
  std::uint32_t length = 0;
  std::memcpy(&length, bytes.data() + at, 4);  // little endian, as GDCM writes it here
  ASSERT_EQ(bytes.size(), at + 4 + length + 8) << "the fragment is not followed by the delimiter";
  // The stream ends with EOI, then a 00 pad byte when its length is odd.
  ASSERT_NE(bytes.substr(at + 4 + length - 3, 3).find(std::string_view("\xFF\xD9", 2)),
            std::string::npos);
  const std::uint32_t kept = (length / 2) & ~1U;
  const std::string delimiter = bytes.substr(at + 4 + length);
  bytes.resize(at + 4 + kept);
  bytes += delimiter;
  std::memcpy(bytes.data() + at, &kept, 4);
  expectDamagedSliceRefused(dir.path(), bytes);
}

// fuzz_dicom: JPEG 2000 files whose tile data were damaged (a tile-part
// index, a code-block length): OpenJPEG reads the header and fails on the
// tile, and gdcm::JPEG2000Codec::DecodeByStreamsCommon (GDCM 3.0.21) then
// leaks the image that the header read made (suppressed in lsan.supp); our
// loader must refuse the file. Here GDCM's own JPEG 2000 stream of a synthetic
// slice gets the first damage: the first SOT segment (ISO 15444-1 A.4.2:
// FF 90, Lsot 10, Isot, Psot, TPsot, TNsot) says tile-part 246 where the
// first tile-part of a tile is 0, as the fuzzer's bytes did.
TEST(FuzzRegressions, Jpeg2000WithADamagedTileIsRefusedByTheLoader) {
  silenceGdcm();
  test::ScratchDir dir;
  std::string bytes = compressedSlice(dir.path(), gdcm::TransferSyntax::JPEG2000Lossless);
  const std::size_t sot = findAfter(bytes, std::string_view("\xFF\x4F\xFF\x51", 4),
                                    std::string_view("\xFF\x90\x00\x0A", 4));
  ASSERT_NE(sot, std::string::npos) << "no SIZ then SOT segment in GDCM's JPEG 2000 stream";
  bytes[sot + 10] = static_cast<char>(246);
  expectDamagedSliceRefused(dir.path(), bytes);
}

}  // namespace
}  // namespace harmonia
