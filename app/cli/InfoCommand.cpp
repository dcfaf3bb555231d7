// harmonia-cli info FILE [--json]: type, size, spacing and value statistics.

#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli/Cli.h"
#include "app/cli/Json.h"
#include "core/image/MetaDataKeys.h"
#include "core/io/ImageIO.h"
#include "core/stats/Summary.h"
#include "core/util/Error.h"

namespace harmonia::cli {
namespace {

// Count, range, mean and SD (sample, N - 1) of the finite values; a file
// without one still gets its counts reported.
template <typename Summarize>
ValueSummary summaryOf(std::uint64_t values, const Summarize& summarize) {
  try {
    return summarize();
  } catch (const InputError&) {  // no finite value
    ValueSummary s;
    s.non_finite = values;
    return s;
  }
}

Json statsJson(const ValueSummary& s) {
  Json j = Json::object();
  j.set("count", s.count).set("min", s.min).set("max", s.max).set("mean", s.mean);
  j.set("std", s.sd).set("non_finite", s.non_finite);
  return j;
}

std::string vec(const Eigen::VectorXd& v, const char* separator = ", ") {
  std::ostringstream s;
  s << std::setprecision(6);
  for (int i = 0; i < v.size(); ++i) s << (i ? separator : "") << v[i];
  return s.str();
}

Json array(const Eigen::VectorXd& v) {
  Json::Array a;
  for (int i = 0; i < v.size(); ++i) a.emplace_back(v[i]);
  return a;
}

void printStats(std::ostream& out, const std::string& label, const ValueSummary& s,
                const std::string& units) {
  out << std::setprecision(6) << "  " << label << "min " << s.min << ", max " << s.max << ", mean "
      << s.mean << ", std " << s.sd << (units.empty() ? "" : " " + units) << " (" << s.count
      << " values";
  if (s.non_finite) out << ", " << s.non_finite << " NaN/inf skipped";
  out << ")\n";
}

}  // namespace

int runInfo(const Arguments& args, Streams io) {
  args.expectPositionals(1, "harmonia-cli info FILE [--json]");
  const std::filesystem::path path = args.positionals()[0];
  PhaseTimes times;
  const AnyImage image = readAny(path);
  times.markRead();
  Json j = Json::object();
  j.set("file", path.string());
  if (const auto* img = std::get_if<Image2D>(&image)) {
    Json::Array channels;
    j.set("type", "image2d")
        .set("format",
             img->metadata().count(metakey::kFormat) ? img->metadata().at(metakey::kFormat) : "");
    j.set("width", img->width()).set("height", img->height()).set("channels", img->channels());
    j.set("sample_type", toString(img->sampleType()));
    j.set("spacing_mm", array(img->spacing_mm()));
    std::vector<ValueSummary> stats;
    const auto pixels = static_cast<std::uint64_t>(img->width()) * img->height();
    for (int c = 0; c < img->channels(); ++c) {
      stats.push_back(
          summaryOf(pixels, [&] { return summarizeValues(*img, c, SummaryDetail::Moments); }));
      channels.push_back(statsJson(stats.back()));
    }
    j.set("channel_stats", channels);
    times.markCompute();
    if (args.flag("--json")) {
      times.addTo(j);
      io.out << j.dump() << "\n";
      return kSuccess;
    }
    std::ostringstream s;
    s << path.string() << "\n  2-D image, " << img->metadata().at(metakey::kFormat) << ", "
      << img->width() << " x " << img->height() << " pixels, " << img->channels() << " channel"
      << (img->channels() > 1 ? "s" : "") << " of " << toString(img->sampleType()) << "\n";
    static const char* rgba[] = {"R", "G", "B", "A"};
    for (int c = 0; c < img->channels(); ++c) {
      printStats(s, img->channels() == 1 ? "" : std::string(rgba[c]) + ": ", stats[c], "");
    }
    io.out << s.str();
    return kSuccess;
  }
  const Volume& v = std::get<Volume>(image);
  const Geometry3D& g = v.geometry();
  const ValueSummary stats = summaryOf(
      v.voxelCount(), [&] { return summarizeValues(v, nullptr, SummaryDetail::Moments); });
  times.markCompute();
  Json::Array direction;
  for (int c = 0; c < 3; ++c) direction.push_back(array(g.direction.col(c)));
  j.set("type", "volume").set("format", "NIfTI-1");
  j.set("size", Json::Array{g.size[0], g.size[1], g.size[2]});
  j.set("spacing_mm", array(g.spacing_mm)).set("origin_mm", array(g.origin_mm));
  j.set("direction_columns", direction).set("world", "LPS");
  j.set("units", v.units()).set("stats", statsJson(stats));
  if (v.metadata().count(metakey::kNote)) j.set("note", v.metadata().at(metakey::kNote));
  if (args.flag("--json")) {
    times.addTo(j);
    io.out << j.dump() << "\n";
    return kSuccess;
  }
  std::ostringstream s;
  s << path.string() << "\n  volume, NIfTI-1, " << g.size[0] << " x " << g.size[1] << " x "
    << g.size[2] << " voxels of float32\n  spacing " << vec(g.spacing_mm, " x ") << " mm, origin ("
    << vec(g.origin_mm) << ") mm LPS\n";
  for (int c = 0; c < 3; ++c) {
    s << "  axis "
      << "ijk"[c] << " direction (" << vec(g.direction.col(c)) << ")\n";
  }
  printStats(s, "", stats, v.units());
  if (v.metadata().count(metakey::kNote)) {
    s << "  note: " << v.metadata().at(metakey::kNote) << "\n";
  }
  io.out << s.str();
  return kSuccess;
}

}  // namespace harmonia::cli
