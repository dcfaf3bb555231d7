// harmonia-cli measure noise IMAGE --roi x,y,z,hx,hy,hz: SD, CV, NPS and
// uniformity in a box ROI; harmonia-cli measure values IMAGE --insert
// name,x,y,z,r,nominal ...: insert means against nominal and a linearity fit.

#include <iostream>
#include <sstream>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "app/cli/Json.h"
#include "core/measure/InsertValues.h"
#include "core/measure/Noise.h"

namespace harmonia::cli {
namespace {

Json numbers(const std::vector<double>& v) {
  Json::Array a;
  for (double x : v) a.emplace_back(x);
  return a;
}

Json statsJson(const ValueSummary& s) {
  Json j = Json::object();
  j.set("mean", s.mean)
      .set("sd", s.sd)
      .set("cv", coefficientOfVariation(s))
      .set("voxels", std::uint64_t{s.count});
  return j;
}

Json stringsJson(const std::vector<std::string>& v) {
  Json::Array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

int runMeasureNoise(const Arguments& args, Streams io) {
  const std::string usage =
      "harmonia-cli measure noise IMAGE --roi x,y,z,hx,hy,hz [--uniformity-offset MM] "
      "[--no-uniformity] [--series UID] [--json]";
  args.expectPositionals(2, usage);
  if (!args.has("--roi")) throw UsageError{"--roi is required\nusage: " + usage};
  const auto roi = parseNumberList(args.value("--roi"));
  if (!roi || roi->size() != 6 || (*roi)[3] <= 0 || (*roi)[4] <= 0 || (*roi)[5] <= 0) {
    throw UsageError{"--roi expects x,y,z,hx,hy,hz in mm (centre and positive half sizes), got '" +
                     args.value("--roi") + "'"};
  }
  NoiseParams params;
  params.centre_mm = {(*roi)[0], (*roi)[1], (*roi)[2]};
  params.half_size_mm = {(*roi)[3], (*roi)[4], (*roi)[5]};
  params.uniformity = !args.flag("--no-uniformity");
  if (args.has("--uniformity-offset")) {
    params.uniformity_offset_mm =
        parsePositive(args.value("--uniformity-offset"), "--uniformity-offset");
  }
  const std::filesystem::path in = args.positionals()[1];
  PhaseTimes times;
  const Volume image = readVolumeInput(in, "measure noise", args.value("--series"));
  times.markRead();
  NoiseMeasurement m;
  try {
    m = measureNoise(image, params);
  } catch (const InputError& e) {
    rethrowNamingFile(e, {{"", in}});
  }
  times.markCompute();
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("command", "measure noise").set("file", in.string());
    Json r = Json::object();
    r.set("centre_mm", jsonVector(params.centre_mm))
        .set("half_size_mm", jsonVector(params.half_size_mm));
    j.set("roi", r).set("stats", statsJson(m.stats));
    Json nps = Json::object();
    nps.set("x", numbers(m.nps.x)).set("y", numbers(m.nps.y));
    j.set("nps", nps).set("nps_integral", m.nps_integral);
    if (m.uniformity) {
      Json u = Json::object();
      u.set("centre_mean", m.uniformity->centre_mean)
          .set("peripheral_means", numbers(m.uniformity->peripheral_means))
          .set("max_abs_deviation", m.uniformity->max_abs_deviation)
          .set("integral_uniformity_percent", m.uniformity->integral_uniformity_percent)
          .set("offset_mm", m.uniformity->offset_mm);
      j.set("uniformity", u);
    } else {
      j.set("uniformity", nullptr);
    }
    j.set("warnings", stringsJson(m.warnings));
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else {
    io.out << in.string() << ": mean " << m.stats.mean << ", SD " << m.stats.sd << ", CV "
           << 100.0 * coefficientOfVariation(m.stats) << "% (" << m.stats.count
           << " voxels); NPS integral " << m.nps_integral << "\n";
    if (m.uniformity) {
      io.out << "uniformity: centre " << m.uniformity->centre_mean << ", peripheral";
      for (double v : m.uniformity->peripheral_means) io.out << " " << v;
      io.out << " (offset " << m.uniformity->offset_mm << " mm), max deviation "
             << m.uniformity->max_abs_deviation << ", integral uniformity "
             << m.uniformity->integral_uniformity_percent << "%\n";
    }
    for (const auto& w : m.warnings) io.out << "warning: " << w << "\n";
  }
  return kSuccess;
}

int runMeasureValues(const Arguments& args, Streams io) {
  const std::string usage =
      "harmonia-cli measure values IMAGE --insert name,x,y,z,r,nominal [--insert ...] "
      "[--series UID] [--json]";
  args.expectPositionals(2, usage);
  const std::vector<std::string> specs = args.values("--insert");
  if (specs.empty()) throw UsageError{"at least one --insert is required\nusage: " + usage};
  std::vector<InsertRoi> inserts;
  for (const std::string& spec : specs) {
    const auto comma = spec.find(',');
    const auto rest =
        comma == std::string::npos ? std::nullopt : parseNumberList(spec.substr(comma + 1));
    if (comma == 0 || !rest || rest->size() != 5 || (*rest)[3] <= 0) {
      throw UsageError{"--insert expects name,x,y,z,radius,nominal (mm; radius > 0), got '" + spec +
                       "'"};
    }
    inserts.push_back(
        {spec.substr(0, comma), {(*rest)[0], (*rest)[1], (*rest)[2]}, (*rest)[3], (*rest)[4]});
  }
  const std::filesystem::path in = args.positionals()[1];
  PhaseTimes times;
  const Volume image = readVolumeInput(in, "measure values", args.value("--series"));
  times.markRead();
  ValueAccuracy acc;
  try {
    acc = measureValues(image, inserts);
  } catch (const InputError& e) {
    rethrowNamingFile(e, {{"", in}});
  }
  times.markCompute();
  if (args.flag("--json")) {
    Json::Array list;
    for (const InsertValue& v : acc.inserts) {
      Json i = Json::object();
      i.set("name", v.name).set("nominal", v.nominal).set("mean", v.measured.mean);
      i.set("sd", v.measured.sd).set("voxels", std::uint64_t{v.measured.count});
      i.set("error", v.error).set("ratio", v.ratio);
      list.push_back(i);
    }
    Json j = Json::object();
    j.set("command", "measure values").set("file", in.string()).set("inserts", list);
    if (acc.has_fit) {
      Json f = Json::object();
      f.set("slope", acc.fit.slope).set("intercept", acc.fit.intercept).set("r2", acc.fit.r2);
      j.set("fit", f);
    } else {
      j.set("fit", nullptr);
    }
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else {
    for (const InsertValue& v : acc.inserts) {
      io.out << v.name << ": mean " << v.measured.mean << " (SD " << v.measured.sd << ") nominal "
             << v.nominal << ", error " << v.error << "\n";
    }
    if (acc.has_fit) {
      io.out << "fit: measured = " << acc.fit.slope << " * nominal + " << acc.fit.intercept
             << " (r2 " << acc.fit.r2 << ")\n";
    }
  }
  return kSuccess;
}

}  // namespace harmonia::cli
