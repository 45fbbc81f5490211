// Every analyzer vector recorded from the reference implementation, run
// through `neurospector evaluate --format json`.

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace neurospector::testing {
namespace {

using nlohmann::json;

constexpr double kRelativeTolerance = 1e-5;
constexpr double kZeroTolerance = 1e-9;

CliResult EvaluateVector(const json& vector) {
  const std::string table =
      WriteTempFile(absl::StrCat(vector["id"].get<std::string>(), ".cfg"),
                    vector["scheduling_table_file"].get<std::string>());
  return RunCli({"evaluate", "--accelerator",
                 AcceleratorPath(vector["accelerator"]), "--network",
                 NetworkPath(vector["network_file"]), "--table", table,
                 "--format", "json"});
}

std::vector<json> VectorsWithStatus(const std::string& status) {
  std::vector<json> selected;
  for (json& vector : ReadGoldenLines("analyzer.jsonl")) {
    if (vector["status"] == status) selected.push_back(std::move(vector));
  }
  return selected;
}

TEST(GoldenAnalyzer, ValidVectorsMatchEveryOutput) {
  const std::vector<json> vectors = VectorsWithStatus("valid");
  ASSERT_EQ(vectors.size(), 558u);
  for (const json& vector : vectors) {
    SCOPED_TRACE(vector["id"].get<std::string>());
    const CliResult result = EvaluateVector(vector);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const json output = json::parse(result.out);
    EXPECT_TRUE(output["valid"].get<bool>()) << output["violations"];

    const json& expected = vector["outputs"];
    const json& actual = output["results"];
    EXPECT_EQ(actual.size(), expected.size());
    for (const auto& [key, value] : expected.items()) {
      SCOPED_TRACE(key);
      ASSERT_TRUE(actual.contains(key));
      ASSERT_TRUE(actual[key].is_number()) << actual[key];
      EXPECT_TRUE(NearlyEqual(actual[key].get<double>(), value.get<double>(),
                              kRelativeTolerance, kZeroTolerance))
          << "actual " << actual[key] << ", reference " << value;
    }
  }
}

TEST(GoldenAnalyzer, InvalidVectorsHaveSameViolations) {
  const std::vector<json> vectors = VectorsWithStatus("invalid");
  ASSERT_EQ(vectors.size(), 61u);
  for (const json& vector : vectors) {
    SCOPED_TRACE(vector["id"].get<std::string>());
    const CliResult result = EvaluateVector(vector);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const json output = json::parse(result.out);
    EXPECT_FALSE(output["valid"].get<bool>());
    EXPECT_EQ(output["violations"].get<std::set<std::string>>(),
              vector["violations"].get<std::set<std::string>>());
  }
}

// The part of our message that names the problem the reference reported.
std::string ExpectedMessagePart(const json& vector) {
  if (vector["status"] == "crash") return "missing [GLOBAL_BUFFER] section";
  const std::string reference = vector["stderr_message"];
  const auto between = [&](const std::string& open, const std::string& close) {
    const size_t start = reference.find(open) + open.size();
    return reference.substr(start, reference.find(close, start) - start);
  };
  if (absl::StrContains(reference, "Violate parameter constraint")) {
    return absl::StrCat("column ", between("(column ", ")"));
  }
  if (absl::StrContains(reference, "Please enter mapping values of ")) {
    return absl::StrCat("missing row ",
                        between("values of ", " in scheduling"));
  }
  if (absl::StrContains(reference, "invalid layer name")) {
    return absl::AsciiStrToUpper(between("`", "`"));
  }
  if (absl::StrContains(reference, "Invalid bypass setting")) {
    return absl::StrCat("[", between("`", "`"), "] has DATAFLOW");
  }
  return reference;
}

TEST(GoldenAnalyzer, ErrorAndCrashVectorsGiveClearErrors) {
  std::vector<json> vectors = VectorsWithStatus("error");
  for (json& vector : VectorsWithStatus("crash")) vectors.push_back(vector);
  ASSERT_EQ(vectors.size(), 21u);
  for (const json& vector : vectors) {
    SCOPED_TRACE(vector["id"].get<std::string>());
    const CliResult result = EvaluateVector(vector);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_TRUE(result.out.empty()) << result.out;
    EXPECT_THAT(absl::AsciiStrToUpper(result.err),
                ::testing::HasSubstr(
                    absl::AsciiStrToUpper(ExpectedMessagePart(vector))));
  }
}

}  // namespace
}  // namespace neurospector::testing
