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
  EXPECT_EQ(harmonia::cli::jsonQuote(std::string(1, '\x01')), "\"\\u0001\"");
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
