// readTextFile and JsonReader's parsing: the one way every settings file,
// plan, model, table and manifest is read; requireRegularFile, the check
// every image and volume reader makes first.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>

#include "TestSupport.h"
#include "core/io/ImageIO.h"
#include "core/io/JsonReader.h"
#include "core/io/TextFile.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

// The problem readTextFile reports for `path` (fails the test when it reads).
std::string problemOf(const std::filesystem::path& path) {
  try {
    readTextFile(path, "settings file");
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path);
    return e.problem();
  }
  ADD_FAILURE() << path << " was read";
  return {};
}

TEST(TextFile, ReadsEveryByte) {
  const test::ScratchDir dir;
  std::string bytes = "a,b\r\n1,2\n";
  bytes.push_back('\0');
  bytes += "\xff tail";
  {
    std::ofstream out(dir / "t.csv", std::ios::binary);
    out << bytes;
  }
  EXPECT_EQ(readTextFile(dir / "t.csv", "table"), bytes);
}

TEST(TextFile, RefusesWhatIsNotAReadableNonEmptyFile) {
  const test::ScratchDir dir;
  EXPECT_EQ(problemOf(dir / "absent.json"), "no such file");
  std::filesystem::create_directory(dir / "folder.json");
  EXPECT_EQ(problemOf(dir / "folder.json"), "is a folder, not a settings file");
  { std::ofstream(dir / "empty.json").flush(); }
  EXPECT_EQ(problemOf(dir / "empty.json"), "file is empty (expected a settings file)");
  ASSERT_EQ(mkfifo((dir / "pipe.json").c_str(), 0600), 0);  // would block a reader for ever
  EXPECT_EQ(problemOf(dir / "pipe.json"), "is not a regular file (expected a settings file)");
}

// The problem `read` reports for the FIFO `fifo`. A reader that opens a FIFO
// waits for a writer, perhaps for ever: when `read` has not returned after
// 10 s, the test fails and opens the FIFO's write end (again and again, for a
// reader that opens the file more than once) so that `read` returns.
std::string problemOfFifo(const std::filesystem::path& fifo, const std::function<void()>& read) {
  auto problem = std::async(std::launch::async, [&]() -> std::string {
    try {
      read();
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), fifo);
      return e.problem();
    }
    return "read without an error";
  });
  if (problem.wait_for(std::chrono::seconds(10)) == std::future_status::timeout) {
    ADD_FAILURE() << fifo << ": the reader waited on the FIFO";
    while (problem.wait_for(std::chrono::milliseconds(100)) == std::future_status::timeout) {
      const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
      if (fd >= 0) ::close(fd);
    }
  }
  return problem.get();
}

TEST(RequireRegularFile, ImageAndVolumeReadersRefuseAFifoInsteadOfWaiting) {
  test::ScratchDir dir;
  for (const char* name : {"pipe.png", "pipe.tif", "pipe.nii", "pipe.nii.gz"}) {
    const std::filesystem::path fifo = dir / name;
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    const bool volume = std::string_view(name).find(".nii") != std::string_view::npos;
    const std::string expected = volume ? "is not a regular file (expected a NIfTI file)"
                                        : "is not a regular file (expected an image file)";
    EXPECT_EQ(problemOfFifo(fifo, [&] { readAny(fifo); }), expected);
    if (volume) {
      EXPECT_EQ(problemOfFifo(fifo, [&] { readVolume(fifo); }), expected);
      EXPECT_EQ(problemOfFifo(fifo, [&] { readMask(fifo); }), expected);
    } else {
      EXPECT_EQ(problemOfFifo(fifo, [&] { readImage2D(fifo); }), expected);
    }
  }
}

TEST(JsonReader, ParseErrorsNameTheSource) {
  const JsonReader reader("site/plan.json");
  EXPECT_EQ(reader.parse<nlohmann::json>(R"({"a": [1, 2]})")["a"][1], 2);
  const auto problemOfText = [&](const std::string& text) {
    try {
      reader.parse<nlohmann::ordered_json>(text);
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), "site/plan.json");
      return e.problem();
    }
    ADD_FAILURE() << text << " parsed";
    return std::string();
  };
  EXPECT_EQ(problemOfText("{\"a\": 1,}").rfind("not valid JSON: ", 0), 0u);
  // A number beyond a double's range is out_of_range, not parse_error: refused all the same.
  EXPECT_EQ(problemOfText("[2.19e89023000664]").rfind("not valid JSON: ", 0), 0u);
  EXPECT_EQ(problemOfText("").rfind("not valid JSON: ", 0), 0u);
}

TEST(JsonReader, AtNamesTheMissingKeyByItsPath) {
  const JsonReader reader("m.json");
  const auto j = nlohmann::json::parse(R"({"options": {"meanOnly": true}, "list": [1]})");
  EXPECT_TRUE(reader.at(reader.at(j, "", "options"), "options", "meanOnly").get<bool>());
  try {
    reader.at(j["options"], "options", "referenceSite");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.problem(), "'options.referenceSite' is missing");
  }
  try {
    reader.at(j["list"], "list", "x");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.problem(), "'list' must be an object ({...})");
  }
}

}  // namespace
}  // namespace harmonia
