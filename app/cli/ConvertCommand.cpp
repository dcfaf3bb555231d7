// harmonia-cli convert IN OUT [--series ID] [--json]: between PNG, JPEG, TIFF and NIfTI;
// IN may be a DICOM folder (values converted to HU/SUV, irregular grids resampled).

#include <iostream>

#include "app/cli/Cli.h"
#include "app/cli/Json.h"
#include "core/dicom/SeriesLoader.h"
#include "core/io/ImageIO.h"
#include "core/util/Error.h"

namespace harmonia::cli {

int runConvert(const Arguments& args, Streams io) {
  args.expectPositionals(2, "harmonia-cli convert IN OUT [--series ID] [--json]");
  const std::filesystem::path in = args.positionals()[0];
  const std::filesystem::path out = args.positionals()[1];
  std::error_code ec;
  if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(in, out, ec)) {
    throw InputError(out, "refusing to overwrite the input file; choose another output name");
  }
  if (fileKindOf(out) == FileKind::Unknown) {
    throw InputError(out, "unsupported output type '" + out.extension().string() +
                              "' (supported: .png .jpg .jpeg .tif .tiff .nii .nii.gz)");
  }
  PhaseTimes times;
  LoadParams dicom;
  dicom.resample_if_irregular = true;  // NIfTI holds only orthogonal, uniform grids
  const AnyImage image = std::filesystem::is_directory(in, ec)
                             ? AnyImage(loadDicomFolder(in, args.value("--series"), dicom).volume)
                             : readAny(in);
  times.markRead();
  writeAny(image, out);
  times.markWrite();
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("input", in.string()).set("output", out.string());
    j.set("type", std::holds_alternative<Image2D>(image) ? "image2d" : "volume");
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else {
    io.out << "wrote " << out.string() << "\n";
  }
  return kSuccess;
}

}  // namespace harmonia::cli
