// harmonia-cli blend: paste a masked source into a target (Poisson or alpha).

#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/cli/Cli.h"
#include "app/cli/Json.h"
#include "core/blend/Compositor.h"
#include "core/io/ImageIO.h"
#include "core/util/Error.h"

namespace harmonia::cli {
namespace {

constexpr const char* kBlendUsage =
    "harmonia-cli blend --target T --source S --mask M --at X,Y "
    "--mode normal|mixed|monochrome|alpha [--feather R] [--solver auto|direct|sor|multigrid] "
    "-o OUT [--json]";

std::string required(const Arguments& args, const std::string& name) {
  if (!args.has(name)) throw UsageError{"missing " + name + "\nusage: " + std::string(kBlendUsage)};
  return args.value(name);
}

Placement parsePlacement(const std::string& text) {
  std::istringstream in(text);
  Placement at;
  char comma = 0;
  if (!(in >> at.x >> comma >> at.y) || comma != ',' || !in.eof()) {
    throw UsageError{"--at expects X,Y in target pixels (e.g. --at 120,-8), got '" + text + "'"};
  }
  return at;
}

double parseFeather(const std::string& text) {
  std::size_t used = 0;
  double r = -1.0;
  try {
    r = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(r >= 0.0)) {
    throw UsageError{"--feather expects a radius in pixels >= 0, got '" + text + "'"};
  }
  return r;
}

// Names the file an input problem is about: the mask, the source, or the target.
[[noreturn]] void rethrowWithFile(const InputError& e, const std::filesystem::path& target,
                                  const std::filesystem::path& source,
                                  const std::filesystem::path& mask) {
  if (!e.file().empty()) throw e;
  const std::string& p = e.problem();
  if (p.find("mask") != std::string::npos) throw InputError(mask, p);
  if (p.find("source") != std::string::npos) throw InputError(source, p);
  throw InputError(target, p);
}

}  // namespace

int runBlend(const Arguments& args, Streams io) {
  args.expectPositionals(0, kBlendUsage);
  const std::filesystem::path targetPath = required(args, "--target");
  const std::filesystem::path sourcePath = required(args, "--source");
  const std::filesystem::path maskPath = required(args, "--mask");
  const std::filesystem::path out = required(args, "-o");
  const Placement at = parsePlacement(required(args, "--at"));
  CompositeParams params;
  params.mode = blendModeFromString(required(args, "--mode"));
  params.solver.kind = solverKindFromString(args.value("--solver", "auto"));
  if (args.has("--feather")) {
    if (params.mode != BlendMode::Alpha) throw UsageError{"--feather only applies to --mode alpha"};
    params.feather_radius_px = parseFeather(args.value("--feather"));
  }
  std::error_code ec;
  for (const auto& in : {targetPath, sourcePath, maskPath}) {
    if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(in, out, ec)) {
      throw InputError(out, "refusing to overwrite an input file; choose another output name");
    }
  }
  if (fileKindOf(out) != FileKind::Image2D) {
    throw InputError(out, "unsupported output type '" + out.extension().string() +
                              "' (supported: .png .jpg .jpeg .tif .tiff)");
  }
  PhaseTimes times;
  Image2D target = readImage2D(targetPath);
  const Image2D source = readImage2D(sourcePath);
  const Image2D mask = readImage2D(maskPath);
  times.markRead();
  CompositeReport report;
  // The target moves into the compositor and its result is written from
  // there: an Image2D copy is a deep copy (18 MB for 3000x2000 RGB).
  std::optional<Compositor> compositor;
  try {
    compositor.emplace(std::move(target), source, mask, params);
    report = compositor->setPlacement(at);
  } catch (const InputError& e) {
    rethrowWithFile(e, targetPath, sourcePath, maskPath);
  }
  times.markCompute();
  writeImage2D(compositor->result(), out);
  times.markWrite();
  const bool poisson = params.mode != BlendMode::Alpha;
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("output", out.string()).set("mode", toString(params.mode));
    j.set("at", Json::Array{at.x, at.y});
    if (poisson) {
      j.set("solver", toString(report.solve.solver)).set("iterations", report.solve.iterations);
      j.set("residual", report.solve.relative_residual);
      j.set("unknowns", static_cast<std::uint64_t>(report.solve.unknowns));
      j.set("solve_seconds", report.solve.seconds);
    } else {
      j.set("feather_radius_px", params.feather_radius_px);
    }
    j.set("total_seconds", report.total_seconds);
    times.addTo(j);
    io.out << j.dump() << "\n";
  } else {
    std::ostringstream s;
    s << "wrote " << out.string();
    if (poisson) {
      s << " (" << toString(report.solve.solver) << ", " << report.solve.iterations
        << " iterations, residual " << std::setprecision(2) << report.solve.relative_residual
        << ", " << std::fixed << std::setprecision(1) << report.solve.seconds * 1e3 << " ms)";
    }
    io.out << s.str() << "\n";
  }
  return kSuccess;
}

}  // namespace harmonia::cli
