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
