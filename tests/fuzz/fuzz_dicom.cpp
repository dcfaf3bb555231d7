// One DICOM file through every reader that takes user files: the structure
// walk (in memory and on the file), the header read, the tag dump, the
// RTSTRUCT reader, and the series load that decodes the pixels through GDCM
// behind the codec check (core/dicom/CodecCheck.h).
#include "FuzzSupport.h"
#include "core/dicom/DicomHeader.h"
#include "core/dicom/DicomScanner.h"
#include "core/dicom/DicomStructure.h"
#include "core/dicom/RtStruct.h"
#include "core/dicom/SeriesLoader.h"
#include "core/dicom/TagDump.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace harmonia;
  static const bool silenced = (silenceGdcm(), true);
  (void)silenced;
  const std::string_view bytes = fuzz::asText(data, size);
  fuzz::expectCleanResult([&] { checkDicomStructure("fuzz.dcm", bytes); });
  const auto file = fuzz::scratchFile("fuzz.dcm", bytes);
  fuzz::expectCleanResult([&] { dumpTags(file); });
  bool rtStruct = false;
  fuzz::expectCleanResult([&] { rtStruct = readDicomHeader(file).isRtStruct(); });
  if (rtStruct) {
    fuzz::expectCleanResult([&] { readRtStruct(file); });
    return 0;
  }
  fuzz::expectCleanResult([&] {
    const DicomScan scan = scanDicomFiles({file});
    if (scan.series.size() == 1) loadSeries(scan.series.front());
  });
  return 0;
}
