// `schedule --write-tables DIR` writes one table file per layer that
// `evaluate --table FILE` reads back to the same table, dataflows and
// figures. Fixed-dataflow files keep the reference's format. Files of
// flexible runs carry a [DATAFLOW] section when the search chose other
// dataflows than the configured ones.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace neurospector::testing {
namespace {

using nlohmann::json;

struct RoundTripCase {
  std::string name;  // also the name of the table directory
  std::string accelerator;
  std::string network;
  std::vector<std::string> options;
  // Whether some written file must have a [DATAFLOW] section (flexible
  // runs). Fixed runs must write none.
  bool expect_dataflow_section = false;
};

std::string FreshDirectory(const std::string& name) {
  const std::filesystem::path directory =
      std::filesystem::path(WriteTempFile("round-trip-marker", ""))
          .parent_path() /
      name;
  std::filesystem::remove_all(directory);
  return directory.string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream stream(path);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

// Runs `schedule` with --write-tables and returns its JSON.
json ScheduleAndWrite(const RoundTripCase& run, const std::string& directory) {
  std::vector<std::string> words = {
      "schedule", "--accelerator", run.accelerator,  "--network", run.network,
      "--format", "json",          "--write-tables", directory};
  words.insert(words.end(), run.options.begin(), run.options.end());
  const CliResult result = RunCli(words);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.exit_code == 0 ? json::parse(result.out) : json();
}

json Evaluate(const RoundTripCase& run, const std::string& table) {
  const CliResult result =
      RunCli({"evaluate", "--accelerator", run.accelerator, "--network",
              run.network, "--table", table, "--format", "json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.exit_code == 0 ? json::parse(result.out) : json();
}

TEST(TableRoundTrip, EvaluateReproducesScheduledLayers) {
  const RoundTripCase cases[] = {
      {"eyeriss_resnet50_fixed", "eyeriss", "resnet50", {}, false},
      {"simba_resnet50_fixed_cycle",
       "simba",
       "resnet50",
       {"--metric", "cycle"},
       false},
      {"maeri_squeezenet_fixed", "maeri", "squeezenet", {}, false},
      {"eyeriss_squeezenet_flexible",
       "eyeriss",
       "squeezenet",
       {"--dataflow", "flexible"},
       true},
      {"maeri_squeezenet_flexible",
       "maeri",
       "squeezenet",
       {"--dataflow", "flexible"},
       true},
      // The local buffer of tpu stores one element of each type (a unit
      // row), yet flexible mode may change its dataflow.
      {"tpu_resnet50_flexible_layer_21",
       "tpu",
       "resnet50",
       {"--dataflow", "flexible", "--layer", "21"},
       true},
  };
  for (const RoundTripCase& run : cases) {
    SCOPED_TRACE(run.name);
    const std::string directory = FreshDirectory(run.name);

    const json schedule = ScheduleAndWrite(run, directory);

    ASSERT_FALSE(schedule.is_null());
    ASSERT_FALSE(schedule["layers"].empty());
    int files_with_dataflows = 0;
    // Files are named <index>_<layer>.cfg, the index zero-padded to the
    // width of the largest one.
    const int width = static_cast<int>(
        absl::StrCat(schedule["layers"].back()["index"].get<int>()).size());
    for (const json& layer : schedule["layers"]) {
      SCOPED_TRACE(layer["name"].get<std::string>());
      const std::string path = absl::StrCat(
          directory, "/",
          absl::StrFormat("%0*d", width, layer["index"].get<int>()), "_",
          layer["name"].get<std::string>(), ".cfg");
      ASSERT_TRUE(std::filesystem::exists(path)) << path;
      const std::string text = ReadFile(path);
      if (absl::StrContains(text, "[DATAFLOW]")) ++files_with_dataflows;

      const json evaluated = Evaluate(run, path);

      ASSERT_FALSE(evaluated.is_null());
      EXPECT_EQ(evaluated["layer"]["name"], layer["name"]);
      EXPECT_EQ(evaluated["scheduling_table"], layer["scheduling_table"])
          << text;
      EXPECT_EQ(evaluated["valid"], layer["valid"]);
      EXPECT_EQ(evaluated["violations"], layer["violations"]);
      EXPECT_EQ(evaluated["results"], layer["results"]);
    }
    if (run.expect_dataflow_section) {
      EXPECT_GT(files_with_dataflows, 0);
    } else {
      EXPECT_EQ(files_with_dataflows, 0);
    }
  }
}

}  // namespace
}  // namespace neurospector::testing
