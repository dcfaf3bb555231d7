#include <gtest/gtest.h>

#include <limits>

#include "app/cli/Json.h"

using harmonia::cli::Json;

TEST(Json, EscapesStringsAndWritesNumbers) {
  Json j = Json::object();
  j.set("name", "a \"quoted\"\\path\n").set("n", 3).set("x", 0.5).set("ok", true);
  j.set("nan", std::numeric_limits<double>::quiet_NaN());
  j.set("list", Json::Array{1, 2});
  const std::string s = j.dump();
  EXPECT_NE(s.find(R"("name": "a \"quoted\"\\path\n")"), std::string::npos) << s;
  EXPECT_NE(s.find(R"("n": 3)"), std::string::npos);
  EXPECT_NE(s.find(R"("x": 0.5)"), std::string::npos);
  EXPECT_NE(s.find(R"("nan": null)"), std::string::npos);
  EXPECT_NE(s.find(R"("list": [1, 2])"), std::string::npos);
  j.set("n", 4);
  EXPECT_NE(j.dump().find(R"("n": 4)"), std::string::npos);
  EXPECT_EQ(Json(std::string(1, '\x01')).dump(), "\"\\u0001\"");
}

TEST(Json, LaysOutReportsAndKeepsEveryValueExact) {
  Json j = Json::object();
  j.set("voxels", std::uint64_t{78643200000});  // integers stay integers, all digits
  j.set("fwhm_mm", Json::Array{2.5, 1.0 / 3.0, -0.0});
  Json row = Json::object();
  row.set("k", 1);
  j.set("rows", Json::Array{row, row});
  row.set("k", 2);  // set() stored a copy: the report keeps k = 1
  j.set("empty", Json::Array{}).set("none", Json::object()).set("nothing", nullptr);
  EXPECT_EQ(j.dump(), R"({
  "voxels": 78643200000,
  "fwhm_mm": [2.5, 0.3333333333, -0],
  "rows": [
    {
      "k": 1
    },
    {
      "k": 1
    }
  ],
  "empty": [],
  "none": {},
  "nothing": null
})");
}

TEST(Json, BytesThatAreNotUtf8BecomeTheReplacementCharacter) {
  // A Latin-1 file name ("m\xe9.png"): the report must stay valid JSON (UTF-8).
  EXPECT_EQ(Json(std::string("m\xe9.png")).dump(), "\"m\xef\xbf\xbd.png\"");
  EXPECT_EQ(Json(std::string("caf\xc3\xa9")).dump(), "\"caf\xc3\xa9\"");  // UTF-8 as it is
}

TEST(PhaseTimes, EachMarkAddsToItsOwnPhaseOnly) {
  harmonia::cli::PhaseTimes times;
  times.markRead();
  times.markRead();
  Json j = Json::object();
  times.addTo(j);
  const std::string s = j.dump();
  // Nothing was marked as computing or writing: those phases stay exactly 0.
  EXPECT_NE(s.find(R"("compute_s": 0)"), std::string::npos) << s;
  EXPECT_NE(s.find(R"("write_s": 0)"), std::string::npos) << s;
  const auto at = s.find(R"("read_s": )");
  ASSERT_NE(at, std::string::npos) << s;
  EXPECT_LT(s.find("read_s"), s.find("compute_s"));
  EXPECT_LT(s.find("compute_s"), s.find("write_s"));
  EXPECT_GE(std::stod(s.substr(at + 10)), 0.0);
}
