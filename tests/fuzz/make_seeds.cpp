// Writes small, well-formed seed inputs for the fuzz targets with our own
// writers (make_corpus.sh adds real files from ../shared/data and tests/data).
// Usage: harmonia_fuzz_seeds CORPUS_DIR  (creates CORPUS_DIR/<target>/seed-*).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/combat/ComBat.h"
#include "core/combat/ComBatModel.h"
#include "core/features/FeatureConfig.h"
#include "core/io/ImageIO.h"
#include "core/measure/HarmonizationPlan.h"
#include "core/phantom/Protocol.h"

namespace {

namespace fs = std::filesystem;
using namespace harmonia;

void writeText(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

std::string readBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void images(const fs::path& dir) {
  Image2D rgb(16, 12, 3, SampleType::UInt8);
  Image2D gray16(9, 7, 1, SampleType::UInt16);
  Image2D gray32(5, 4, 1, SampleType::Float32);
  for (int y = 0; y < 12; ++y) {
    for (int x = 0; x < 16; ++x) {
      rgb.mat().at<cv::Vec3b>(y, x) =
          cv::Vec3b(static_cast<unsigned char>(16 * x), static_cast<unsigned char>(20 * y), 128);
      if (x < 9 && y < 7)
        gray16.mat().at<std::uint16_t>(y, x) = static_cast<std::uint16_t>(7000 * x + y);
      if (x < 5 && y < 4) gray32.mat().at<float>(y, x) = 0.25F * static_cast<float>(x - y);
    }
  }
  writeImage2D(rgb, dir / "seed-rgb.png");
  writeImage2D(gray16, dir / "seed-gray16.png");
  writeImage2D(rgb, dir / "seed-rgb.jpg");
  writeImage2D(gray16, dir / "seed-gray16.tif");
  writeImage2D(gray32, dir / "seed-float.tif");
}

void volumes(const fs::path& plain, const fs::path& gz) {
  Geometry3D g;
  g.size = {4, 3, 2};
  g.spacing_mm = {0.8, 0.9, 2.5};
  g.origin_mm = {-10, 5, 30};
  Volume v(g);
  MaskVolume m(g);
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    v.data()[i] = static_cast<float>(i) - 7.5F;
    m.data()[i] = static_cast<std::uint8_t>(i % 3 == 0);
  }
  writeVolume(v, plain / "seed-float.nii");
  writeMask(m, plain / "seed-mask.nii");
  writeVolume(v, gz / "seed-float.nii.gz");
  // fuzz_nifti_gz gzips inputs whose first byte is odd: a plain file behind one such byte.
  writeText(gz / "seed-wrapped-float", "\x01" + readBytes(plain / "seed-float.nii"));
  writeText(gz / "seed-wrapped-mask", "\x01" + readBytes(plain / "seed-mask.nii"));
}

void settings(const fs::path& dir) {
  writeText(dir / "seed-features-default.json", features::featureSettingsToJson({}));
  for (const auto& name : features::ibsiPresetNames()) {
    writeText(dir / ("seed-features-" + name + ".json"),
              features::featureSettingsToJson(features::ibsiPreset(name)));
  }
  writeText(dir / "seed-protocol.json", protocolConfigToJson(defaultProtocolConfig()));
  std::vector<ScannerMeasurement> scanners(2);
  scanners[0] = {"A", {2.5, 2.6, 5.1}, {0.8, 0.8, 3}, std::nullopt};
  scanners[1] = {"B", {3.5, 3.4, 4.0}, {1.0, 1.0, 2}, std::nullopt};
  writeText(dir / "seed-plan.json", planToJson(proposePlan(scanners)));
  writeText(dir / "seed-psf.json",
            R"({"command":"measure psf","file":"siteA.nii.gz","method":"edge",)"
            R"("centre_mm":[0,0,0],"spacing_mm":[0.8,0.8,3],"fwhm_mm":[2.5,2.6,5.1],)"
            R"("fwhm_stderr_mm":[0.01,0.01,0.05],"warnings":[]})");
}

void combat(const fs::path& models, const fs::path& tables) {
  const int features = 3;
  const int samples = 8;
  Eigen::MatrixXd data(features, samples);
  std::vector<std::string> sites;
  std::string csv = "id,site,age,f1,f2,f3\n";
  for (int s = 0; s < samples; ++s) {
    sites.push_back(s < 4 ? "siteA" : "siteB");
    csv += "p" + std::to_string(s) + "," + sites.back() + "," + std::to_string(40 + 3 * s);
    for (int f = 0; f < features; ++f) {
      data(f, s) = 10.0 * f + 0.7 * ((s * 7 + f * 3) % 5) + (s < 4 ? 0.0 : 2.0);
      csv += "," + std::to_string(data(f, s));
    }
    csv += "\n";
  }
  ComBatCovariates covariates;
  covariates.numeric.push_back({"age", {40, 43, 46, 49, 52, 55, 58, 61}});
  saveComBatModel(fitComBat(data, {"f1", "f2", "f3"}, sites, covariates, {}).model,
                  models / "seed-model.json");
  ComBatOptions meanOnly;
  meanOnly.mean_only = true;
  meanOnly.empirical_bayes = EmpiricalBayes::None;
  saveComBatModel(fitComBat(data, {}, sites, {}, meanOnly).model,
                  models / "seed-model-meanonly.json");
  writeText(tables / "seed-cohort.csv", csv);
  writeText(tables / "seed-quoted.csv",
            "\xEF\xBB\xBF\"name, quoted\",\"x \"\"y\"\"\"\r\na,NA\r\n\"multi\nline\",+1e3\r\n");
}

// Cohort manifests as the README's features section shows them.
void manifests(const fs::path& dir) {
  writeText(dir / "seed-manifest-masks.csv",
            "id,site,image,mask\np1,A,scans/p1.nii.gz,masks/p1.nii.gz\n"
            "p2,B,/data/p2.nii,/data/p2-mask.nii\n");
  writeText(
      dir / "seed-manifest-dicom.csv",
      "patient,image,series,roi\r\n\"P 1\",dicom/p1,1.2.3.4,GTV\r\nP2,dicom/p2,,\"GTV, left\"\r\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];
  for (const char* target :
       {"fuzz_image2d", "fuzz_nifti", "fuzz_nifti_gz", "fuzz_settings_json", "fuzz_combat_model",
        "fuzz_cohort_csv", "fuzz_dicom", "fuzz_feature_manifest"}) {
    fs::create_directories(root / target);
  }
  try {
    images(root / "fuzz_image2d");
    volumes(root / "fuzz_nifti", root / "fuzz_nifti_gz");
    settings(root / "fuzz_settings_json");
    combat(root / "fuzz_combat_model", root / "fuzz_cohort_csv");
    manifests(root / "fuzz_feature_manifest");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "harmonia_fuzz_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
