// `neurospector schedule` as a user sees it: the text, JSON and CSV
// formats, layer selection, --verbose, and the errors for bad option
// values.

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace neurospector::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// Runs `schedule` for a built-in accelerator and network with `options`.
CliResult Schedule(const std::string& accelerator, const std::string& network,
                   const std::vector<std::string>& options) {
  std::vector<std::string> words = {"schedule", "--accelerator", accelerator,
                                    "--network", network};
  words.insert(words.end(), options.begin(), options.end());
  return RunCli(words);
}

json ScheduleJson(const std::string& accelerator, const std::string& network,
                  std::vector<std::string> options) {
  options.insert(options.end(), {"--format", "json"});
  const CliResult result = Schedule(accelerator, network, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.exit_code == 0 ? json::parse(result.out) : json();
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(absl::StripSuffix(text, "\n"), '\n');
}

std::set<std::string> Keys(const json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

// Splits one CSV record, undoing RFC 4180 quoting.
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

double ParseDouble(const std::string& text) {
  double value = 0;
  EXPECT_TRUE(absl::SimpleAtod(text, &value)) << text;
  return value;
}

TEST(ScheduleCommand, TextHasOneLinePerLayerAndTotal) {
  const json expected = ScheduleJson("eyeriss", "squeezenet", {});
  const CliResult result = Schedule("eyeriss", "squeezenet", {});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, IsEmpty());
  const std::vector<std::string> lines = Lines(result.out);
  const size_t layers = expected["layers"].size();
  ASSERT_EQ(layers, 26u);
  // A title, a blank line, the column header, the layers, the total.
  ASSERT_EQ(lines.size(), 3 + layers + 1);
  EXPECT_EQ(lines[0],
            "Accelerator eyeriss, network squeezenet: bottom-up search, fixed "
            "dataflow, minimizing energy");
  EXPECT_THAT(lines[1], IsEmpty());
  EXPECT_THAT(lines[2], HasSubstr("energy (pJ)"));
  for (size_t i = 0; i < layers; ++i) {
    const json& layer = expected["layers"][i];
    SCOPED_TRACE(layer["name"].get<std::string>());
    const std::vector<std::string> fields =
        absl::StrSplit(lines[3 + i], ' ', absl::SkipEmpty());
    ASSERT_GE(fields.size(), 6u);
    EXPECT_EQ(fields[0], std::to_string(layer["index"].get<int>()));
    EXPECT_EQ(fields[1], layer["name"]);
    EXPECT_EQ(fields[4], layer["strategy"]);
  }
  EXPECT_THAT(lines.back(), StartsWith("       total "));
}

TEST(ScheduleCommand, VerbosePrintsEachTable) {
  const CliResult plain = Schedule("eyeriss", "test_network", {});
  const CliResult verbose = Schedule("eyeriss", "test_network", {"--verbose"});
  const json expected = ScheduleJson("eyeriss", "test_network", {});

  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(verbose.exit_code, 0) << verbose.err;
  EXPECT_THAT(plain.out, Not(HasSubstr("GLOBAL_BUFFER")));
  // Each layer's line is followed by its table: a header and one line per
  // row, with the row's values and dataflow.
  const std::vector<std::string> lines = Lines(verbose.out);
  for (const json& layer : expected["layers"]) {
    SCOPED_TRACE(layer["name"].get<std::string>());
    size_t line = 0;
    while (line < lines.size() &&
           !absl::StrContains(lines[line], layer["name"].get<std::string>())) {
      ++line;
    }
    ASSERT_LT(line + 1, lines.size());
    EXPECT_THAT(lines[line + 1], StartsWith("  row "));
    const json& table = layer["scheduling_table"];
    ASSERT_LT(line + 1 + table.size(), lines.size());
    for (size_t row = 0; row < table.size(); ++row) {
      std::vector<std::string> expected_fields = {table[row]["row"]};
      for (const json& value : table[row]["values"]) {
        expected_fields.push_back(std::to_string(value.get<int>()));
      }
      expected_fields.push_back(
          table[row]["dataflow"].is_null()
              ? "-"
              : table[row]["dataflow"].get<std::string>());
      const std::vector<std::string> fields =
          absl::StrSplit(lines[line + 2 + row], ' ', absl::SkipEmpty());
      EXPECT_EQ(fields, expected_fields);
    }
  }
}

TEST(ScheduleCommand, JsonHasExactlyDocumentedKeys) {
  const json output = ScheduleJson("eyeriss", "resnet50", {"--layer", "1"});

  EXPECT_EQ(Keys(output),
            (std::set<std::string>{"accelerator", "network", "metric",
                                   "dataflow", "search", "layers", "totals"}));
  EXPECT_EQ(output["accelerator"], "eyeriss");
  EXPECT_EQ(output["network"], "resnet50");
  EXPECT_EQ(output["metric"], "energy");
  EXPECT_EQ(output["dataflow"], "fixed");
  EXPECT_EQ(output["search"], "bottom-up");
  EXPECT_EQ(Keys(output["totals"]),
            (std::set<std::string>{"total_energy", "total_cycle", "seconds"}));
  ASSERT_EQ(output["layers"].size(), 1u);

  const json& layer = output["layers"][0];
  EXPECT_EQ(Keys(layer), (std::set<std::string>{
                             "index", "name", "layer", "scheduling_table",
                             "valid", "violations", "results", "strategy",
                             "optimal", "evaluated", "pruned", "seconds"}));
  EXPECT_EQ(Keys(layer["layer"]),
            (std::set<std::string>{"K", "B", "P", "Q", "C", "R", "S", "G",
                                   "stride"}));
  for (const json& row : layer["scheduling_table"]) {
    EXPECT_EQ(Keys(row), (std::set<std::string>{"row", "values", "dataflow"}));
    EXPECT_EQ(row["values"].size(), 8u);
  }
  EXPECT_EQ(layer["results"]["total_energy"], output["totals"]["total_energy"]);
  EXPECT_EQ(layer["results"]["total_cycle"], output["totals"]["total_cycle"]);

  // The results have the keys of `evaluate` on the same accelerator.
  const CliResult evaluated = RunCli(
      {"evaluate", "--accelerator", "eyeriss", "--network", "resnet50",
       "--table", SourceDir() + "/configs/scheduling_tables/eyeriss_sample.cfg",
       "--format", "json"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const std::set<std::string> evaluate_keys =
      Keys(json::parse(evaluated.out)["results"]);
  EXPECT_TRUE(evaluate_keys.contains("total_energy"));
  EXPECT_EQ(Keys(layer["results"]), evaluate_keys);
}

TEST(ScheduleCommand, TotalsAddUpLayers) {
  const json output = ScheduleJson("eyeriss", "squeezenet", {});

  double energy = 0;
  double cycles = 0;
  for (const json& layer : output["layers"]) {
    energy += layer["results"]["total_energy"].get<double>();
    cycles += layer["results"]["total_cycle"].get<double>();
  }
  EXPECT_TRUE(NearlyEqual(output["totals"]["total_energy"].get<double>(),
                          energy, 1e-12, 0));
  EXPECT_TRUE(NearlyEqual(output["totals"]["total_cycle"].get<double>(), cycles,
                          1e-12, 0));
}

TEST(ScheduleCommand, CsvHasSameFiguresAsJson) {
  const json expected = ScheduleJson("eyeriss", "squeezenet", {});
  const CliResult result =
      Schedule("eyeriss", "squeezenet", {"--format", "csv"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 1 + expected["layers"].size());
  EXPECT_EQ(lines[0],
            "index,name,K,B,P,Q,C,R,S,G,stride,valid,total_energy,total_cycle,"
            "strategy,optimal,evaluated,pruned,seconds");
  for (size_t i = 0; i < expected["layers"].size(); ++i) {
    const json& layer = expected["layers"][i];
    SCOPED_TRACE(layer["name"].get<std::string>());
    const std::vector<std::string> fields = CsvFields(lines[1 + i]);
    ASSERT_EQ(fields.size(), 19u);
    EXPECT_EQ(fields[0], std::to_string(layer["index"].get<int>()));
    EXPECT_EQ(fields[1], layer["name"]);
    const char* shape[] = {"K", "B", "P", "Q", "C", "R", "S", "G", "stride"};
    for (int column = 0; column < 9; ++column) {
      EXPECT_EQ(fields[2 + column],
                std::to_string(layer["layer"][shape[column]].get<int>()))
          << shape[column];
    }
    EXPECT_EQ(fields[11], layer["valid"].get<bool>() ? "true" : "false");
    EXPECT_EQ(ParseDouble(fields[12]),
              layer["results"]["total_energy"].get<double>());
    EXPECT_EQ(ParseDouble(fields[13]),
              layer["results"]["total_cycle"].get<double>());
    EXPECT_EQ(fields[14], layer["strategy"]);
    EXPECT_EQ(fields[15], layer["optimal"].get<bool>() ? "true" : "false");
    EXPECT_EQ(fields[16], std::to_string(layer["evaluated"].get<uint64_t>()));
    EXPECT_EQ(fields[17], std::to_string(layer["pruned"].get<uint64_t>()));
    EXPECT_GE(ParseDouble(fields[18]), 0);
  }
}

TEST(ScheduleCommand, CsvQuotesCommasAndQuotes) {
  const std::string network =
      WriteTempFile("csv-network.cfg",
                    "[NETWORK]\nname=csv\n[LAYERS]\nA,\"B\"=8,1,4,4,8,1,1,1,1\n"
                    "PLAIN=8,1,4,4,8,1,1,1,1\n");

  const CliResult result = Schedule("eyeriss", network, {"--format", "csv"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[1], StartsWith("1,\"A,\"\"B\"\"\",8,1,4,4,8,"));
  EXPECT_THAT(lines[2], StartsWith("2,PLAIN,8,1,4,4,8,"));
  EXPECT_EQ(CsvFields(lines[1]).size(), 19u);
  EXPECT_EQ(CsvFields(lines[1])[1], "A,\"B\"");
}

// Everything but the search times, which differ from run to run.
json WithoutSeconds(json output) {
  output["totals"].erase("seconds");
  for (json& layer : output["layers"]) layer.erase("seconds");
  return output;
}

TEST(ScheduleCommand, SelectsLayerByNameOrIndex) {
  const json all = ScheduleJson("eyeriss", "squeezenet", {});
  const json by_index = ScheduleJson("eyeriss", "squeezenet", {"--layer", "4"});
  const json by_name =
      ScheduleJson("eyeriss", "squeezenet", {"--layer", "CONV_4-fire2e3"});
  const json by_lower_case_name =
      ScheduleJson("eyeriss", "squeezenet", {"--layer", "conv_4-fire2e3"});

  ASSERT_EQ(by_index["layers"].size(), 1u);
  EXPECT_EQ(by_index["layers"][0]["index"], 4);
  EXPECT_EQ(by_index["layers"][0]["name"], "CONV_4-fire2e3");
  EXPECT_EQ(WithoutSeconds(by_name), WithoutSeconds(by_index));
  EXPECT_EQ(WithoutSeconds(by_lower_case_name), WithoutSeconds(by_index));
  json layer_in_network = all["layers"][3];
  layer_in_network.erase("seconds");
  EXPECT_EQ(WithoutSeconds(by_index)["layers"][0], layer_in_network);
}

struct BadOptionCase {
  std::string name;
  std::vector<std::string> options;
  std::vector<std::string> messages;  // substrings of stderr
};

TEST(ScheduleCommand, BadOptionValuesExitTwo) {
  const std::string file = WriteTempFile("not-a-directory", "");
  const BadOptionCase cases[] = {
      {"metric",
       {"--metric", "power"},
       {"--metric \"power\" is invalid; expected energy or cycle"}},
      {"dataflow",
       {"--dataflow", "x"},
       {"--dataflow \"x\" is invalid; expected fixed or flexible"}},
      {"search",
       {"--search", "y"},
       {"--search \"y\" is invalid; expected bottom-up or exact"}},
      {"negative_time_limit",
       {"--time-limit", "-1"},
       {"--time-limit \"-1\" is invalid; expected a positive number of "
        "seconds"}},
      {"zero_time_limit",
       {"--time-limit", "0"},
       {"--time-limit \"0\" is invalid"}},
      {"word_time_limit",
       {"--time-limit", "soon"},
       {"--time-limit \"soon\" is invalid"}},
      {"time_limit_with_bottom_up",
       {"--search", "bottom-up", "--time-limit", "5"},
       {"--time-limit applies to --search exact only"}},
      {"word_threads",
       {"--threads", "abc"},
       {"--threads \"abc\" is invalid; expected 0 (all cores) to 1024"}},
      {"negative_threads",
       {"--threads", "-1"},
       {"--threads \"-1\" is invalid"}},
      {"format",
       {"--format", "xml"},
       {"--format \"xml\" is invalid; expected text, json or csv"}},
      {"layer_index_out_of_range",
       {"--layer", "99"},
       {"--layer 99: no layer 99 in network resnet50",
        "expected a layer name such as CONV_1 or an index from 1 to 21"}},
      {"layer_index_zero",
       {"--layer", "0"},
       {"--layer 0: no layer 0 in network resnet50"}},
      {"unknown_layer_name",
       {"--layer", "CONV_99"},
       {"--layer CONV_99: no layer \"CONV_99\" in network resnet50"}},
      {"unknown_option", {"--table", "x.cfg"}, {"unknown option --table"}},
      {"write_tables_under_a_file",
       {"--layer", "21", "--write-tables", file + "/tables"},
       {"--write-tables: cannot create directory", "not-a-directory/tables"}},
  };
  for (const BadOptionCase& bad : cases) {
    SCOPED_TRACE(bad.name);

    const CliResult result = Schedule("eyeriss", "resnet50", bad.options);

    EXPECT_EQ(result.exit_code, 2);
    EXPECT_THAT(result.out, IsEmpty());
    EXPECT_THAT(result.err, StartsWith("error: "));
    for (const std::string& message : bad.messages) {
      EXPECT_THAT(result.err, HasSubstr(message));
    }
  }
}

TEST(ScheduleCommand, MissingRequiredOptionExitsTwo) {
  const CliResult result = RunCli({"schedule", "--accelerator", "eyeriss"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.out, IsEmpty());
  EXPECT_THAT(result.err, HasSubstr("schedule needs --network"));
}

}  // namespace
}  // namespace neurospector::testing
