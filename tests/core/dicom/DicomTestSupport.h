#pragma once
// Helpers for the DICOM tests: synthetic slices written with GDCM, copies of
// real files with attributes removed, and the shared data folders.

#include <gdcmAttribute.h>
#include <gdcmDataSet.h>
#include <gdcmImage.h>
#include <gdcmImageWriter.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmUIDGenerator.h>
#include <gdcmWriter.h>

#include <sys/wait.h>
#include <unistd.h>

#include <Eigen/Core>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "TestSupport.h"
#include "core/dicom/DicomHeader.h"
#include "core/util/Error.h"

namespace harmonia::test {

/// A synthetic single-frame slice.
struct SyntheticSlice {
  int rows = 8;
  int columns = 10;
  std::string modality = "CT";
  std::string series_uid = "1.2.826.0.1.3680043.2.1143.1";
  std::string study_uid = "1.2.826.0.1.3680043.2.1143.2";
  std::string sop_instance_uid;  ///< generated when empty
  int instance_number = 1;
  Eigen::Vector3d position{0, 0, 0};
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};
  double pixel_spacing = 0.5;  ///< both directions
  double slope = 1.0;
  double intercept = 0.0;
  std::int16_t fill = 100;                               ///< every pixel
  std::vector<std::pair<gdcm::Tag, std::string>> extra;  ///< more string attributes
};

inline void setString(gdcm::DataSet& ds, const gdcm::Tag& t, const std::string& v,
                      gdcm::VR vr = gdcm::VR::INVALID) {
  gdcm::DataElement de(t);
  if (vr != gdcm::VR::INVALID) de.SetVR(vr);
  std::string padded = v;
  if (padded.size() % 2) padded += vr == gdcm::VR::UI ? '\0' : ' ';
  de.SetByteValue(padded.data(), static_cast<std::uint32_t>(padded.size()));
  ds.Replace(de);
}

inline std::string decimal(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%.6g", v);
  return s;
}

/// Writes `s` to `path` (explicit VR little endian, int16 pixels).
inline void writeSyntheticSlice(const SyntheticSlice& s, const std::filesystem::path& path) {
  gdcm::ImageWriter w;
  gdcm::Image& image = w.GetImage();
  image.SetNumberOfDimensions(2);
  image.SetDimension(0, static_cast<unsigned int>(s.columns));
  image.SetDimension(1, static_cast<unsigned int>(s.rows));
  image.SetPixelFormat(gdcm::PixelFormat(gdcm::PixelFormat::INT16));
  image.SetPhotometricInterpretation(gdcm::PhotometricInterpretation::MONOCHROME2);
  image.SetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);
  // ImageWriter writes position, orientation, spacing and rescale from the image.
  const double origin[3] = {s.position[0], s.position[1], s.position[2]};
  image.SetOrigin(origin);
  image.SetDirectionCosines(s.orientation.data());
  image.SetSpacing(0, s.pixel_spacing);
  image.SetSpacing(1, s.pixel_spacing);
  image.SetSlope(s.slope);
  image.SetIntercept(s.intercept);
  std::vector<std::int16_t> pixels(static_cast<std::size_t>(s.rows * s.columns), s.fill);
  gdcm::DataElement pd(gdcm::Tag(0x7fe0, 0x0010));
  pd.SetByteValue(reinterpret_cast<const char*>(pixels.data()),
                  static_cast<std::uint32_t>(pixels.size() * 2));
  image.SetDataElement(pd);
  gdcm::DataSet& ds = w.GetFile().GetDataSet();
  const std::string sopClass = s.modality == "PT"   ? "1.2.840.10008.5.1.4.1.1.128"
                               : s.modality == "MR" ? "1.2.840.10008.5.1.4.1.1.4"
                                                    : "1.2.840.10008.5.1.4.1.1.2";
  gdcm::UIDGenerator uid;
  setString(ds, gdcm::Tag(0x0008, 0x0016), sopClass, gdcm::VR::UI);
  setString(ds, gdcm::Tag(0x0008, 0x0018),
            s.sop_instance_uid.empty() ? uid.Generate() : s.sop_instance_uid, gdcm::VR::UI);
  setString(ds, gdcm::Tag(0x0008, 0x0060), s.modality, gdcm::VR::CS);
  setString(ds, gdcm::Tag(0x0020, 0x000D), s.study_uid, gdcm::VR::UI);
  setString(ds, gdcm::Tag(0x0020, 0x000E), s.series_uid, gdcm::VR::UI);
  setString(ds, gdcm::Tag(0x0020, 0x0013), std::to_string(s.instance_number), gdcm::VR::IS);
  setString(ds, gdcm::Tag(0x0020, 0x0032),
            decimal(s.position[0]) + "\\" + decimal(s.position[1]) + "\\" + decimal(s.position[2]),
            gdcm::VR::DS);
  std::string o;
  for (std::size_t i = 0; i < 6; ++i) {
    if (i) o += '\\';
    o += decimal(s.orientation[i]);
  }
  setString(ds, gdcm::Tag(0x0020, 0x0037), o, gdcm::VR::DS);
  setString(ds, gdcm::Tag(0x0028, 0x0030),
            decimal(s.pixel_spacing) + "\\" + decimal(s.pixel_spacing), gdcm::VR::DS);
  setString(ds, gdcm::Tag(0x0028, 0x1052), decimal(s.intercept), gdcm::VR::DS);
  setString(ds, gdcm::Tag(0x0028, 0x1053), decimal(s.slope), gdcm::VR::DS);
  for (const auto& [t, v] : s.extra) setString(ds, t, v);
  w.SetFileName(path.string().c_str());
  if (!w.Write()) throw std::runtime_error("cannot write " + path.string());
  // ImageWriter writes a 2-D image's position without its z: set it again.
  gdcm::Reader r;
  r.SetFileName(path.string().c_str());
  if (!r.Read()) throw std::runtime_error("cannot read back " + path.string());
  setString(r.GetFile().GetDataSet(), gdcm::Tag(0x0020, 0x0032),
            decimal(s.position[0]) + "\\" + decimal(s.position[1]) + "\\" + decimal(s.position[2]),
            gdcm::VR::DS);
  gdcm::Writer fix;
  fix.SetFile(r.GetFile());
  fix.SetFileName(path.string().c_str());
  if (!fix.Write()) throw std::runtime_error("cannot write " + path.string());
}

/// Copies a DICOM file, removing `tags` at the top level and inside the first
/// item of the Radiopharmaceutical Information Sequence.
inline void copyWithout(const std::filesystem::path& from, const std::filesystem::path& to,
                        const std::vector<gdcm::Tag>& tags) {
  gdcm::Reader r;
  r.SetFileName(from.string().c_str());
  if (!r.Read()) throw std::runtime_error("cannot read " + from.string());
  gdcm::DataSet& ds = r.GetFile().GetDataSet();
  for (const gdcm::Tag& t : tags) ds.Remove(t);
  const gdcm::Tag rp(0x0054, 0x0016);
  if (ds.FindDataElement(rp)) {
    gdcm::DataElement de = ds.GetDataElement(rp);
    gdcm::SmartPointer<gdcm::SequenceOfItems> sq = de.GetValueAsSQ();
    if (sq && sq->GetNumberOfItems() > 0) {
      gdcm::DataSet& item = sq->GetItem(1).GetNestedDataSet();
      for (const gdcm::Tag& t : tags) item.Remove(t);
      de.SetValue(*sq);
      de.SetVLToUndefined();
      ds.Replace(de);
    }
  }
  gdcm::Writer w;
  w.SetFile(r.GetFile());
  w.SetFileName(to.string().c_str());
  if (!w.Write()) throw std::runtime_error("cannot write " + to.string());
}

/// A DicomSlice over a synthetic header (for tests of the SUV rules).
inline DicomSlice sliceOf(DicomHeader h) {
  if (h.frames.empty()) h.frames.emplace_back();
  if (h.file.empty()) h.file = "synthetic.dcm";
  return DicomSlice{std::make_shared<const DicomHeader>(std::move(h)), 0};
}

/// Runs `body` (returning an exit code) in a forked child process: GDCM aborts
/// on some damaged files, and an abort must show as a test failing, not as the
/// test run dying. Returns "" when the child exited normally with code 0, else
/// what happened (the signal, a timeout after 120 s, the exit code).
template <typename Body>
std::string inChildProcess(Body body) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    alarm(120);  // a hang (or GDCM allocating gigabytes for garbage lengths) fails too
    int code = 0;
    try {
      code = body();
    } catch (...) {
      code = 3;
    }
    std::fflush(nullptr);
    _exit(code);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return "waitpid failed";
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "the child was killed by signal " + std::to_string(sig) +
           (sig == SIGABRT   ? " (abort: a GDCM assertion?)"
            : sig == SIGSEGV ? " (segmentation fault)"
            : sig == SIGALRM ? " (took more than 120 s)"
                             : "");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    return "the child exited with code " + std::to_string(WEXITSTATUS(status));
  }
  return "";
}

/// What a fuzzing loop counted (see fuzzInChildProcess).
struct FuzzCounts {
  int accepted = 0;  ///< reads that succeeded
  int refused = 0;   ///< reads refused with InputError
  /// Runs read(), counting it as accepted, or as refused when it throws
  /// InputError. Any other exception is a failure: printed with `what`, and
  /// false returned (the loop then ends with a non-zero code).
  template <typename Read>
  bool attempt(const std::string& what, Read read) {
    try {
      read();
      ++accepted;
    } catch (const InputError&) {
      ++refused;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: not an InputError: %s\n", what.c_str(), e.what());
      return false;
    }
    return true;
  }
};

/// The outcome of fuzzInChildProcess.
struct FuzzRun {
  FuzzCounts counts;
  double seconds = 0.0;
  std::string failure;  ///< "" when the loop returned 0, else what happened and the last case
};

/// Runs a fuzzing loop in a child process (inChildProcess), so that a reader
/// crashing on a damaged file fails the test instead of ending the run. The
/// loop is called as loop(FuzzCounts&, record) and returns an exit code; it
/// calls record(description) before each read, so that the case a crash
/// happened on can be named. `dir` holds the files passed back.
template <typename Loop>
FuzzRun fuzzInChildProcess(const std::filesystem::path& dir, Loop loop) {
  const auto lastCase = dir / "last_case.txt";
  const auto tally = dir / "tally.txt";
  const auto start = std::chrono::steady_clock::now();
  FuzzRun run;
  run.failure = inChildProcess([&]() -> int {
    FuzzCounts counts;
    const auto record = [&](const std::string& what) {
      std::ofstream(lastCase, std::ios::trunc) << what;
    };
    const int code = loop(counts, record);
    std::ofstream(tally) << counts.accepted << " " << counts.refused;
    return code;
  });
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!run.failure.empty()) run.failure += "; last case: " + fileBytes(lastCase);
  std::ifstream(tally) >> run.counts.accepted >> run.counts.refused;
  return run;
}

}  // namespace harmonia::test
