// The schedule does not depend on the number of worker threads: the same
// command gives the same JSON, search times aside, with one and with two
// threads, and again on a second run.

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace neurospector::testing {
namespace {

using nlohmann::json;

struct DeterminismCase {
  std::string accelerator;
  std::string network;
  std::vector<std::string> options;
};

// The JSON of `schedule` with `threads` worker threads, without the
// "seconds" fields.
json ScheduleWithoutSeconds(const DeterminismCase& run,
                            const std::string& threads) {
  std::vector<std::string> words = {
      "schedule",  "--accelerator", run.accelerator, "--network", run.network,
      "--threads", threads,         "--format",      "json"};
  words.insert(words.end(), run.options.begin(), run.options.end());
  const CliResult result = RunCli(words);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  if (result.exit_code != 0) return json();

  json output = json::parse(result.out);
  output["totals"].erase("seconds");
  for (json& layer : output["layers"]) {
    layer.erase("seconds");
    // The exact search's counters depend on how early the best table is
    // found, which depends on the thread count; its result does not.
    if (output["search"] == "exact") {
      layer.erase("evaluated");
      layer.erase("pruned");
    }
  }
  return output;
}

// Compares layer by layer so that a failure names the layer.
void ExpectSameSchedule(const json& actual, const json& expected) {
  ASSERT_EQ(actual["layers"].size(), expected["layers"].size());
  for (size_t i = 0; i < expected["layers"].size(); ++i) {
    SCOPED_TRACE(expected["layers"][i]["name"].get<std::string>());
    EXPECT_EQ(actual["layers"][i], expected["layers"][i]);
  }
  EXPECT_EQ(actual, expected);
}

TEST(ScheduleDeterminism, SameScheduleForOneAndTwoThreads) {
  const DeterminismCase cases[] = {
      {"eyeriss", "resnet50", {"--metric", "energy"}},
      {"eyeriss", "resnet50", {"--metric", "cycle"}},
      {"eyeriss", "squeezenet", {"--metric", "energy"}},
      {"eyeriss", "squeezenet", {"--metric", "cycle"}},
      {"eyeriss", "squeezenet", {"--dataflow", "flexible"}},
      {"eyeriss", "resnet50", {"--dataflow", "flexible", "--layer", "1"}},
      {"eyeriss", "resnet50", {"--dataflow", "flexible", "--layer", "5"}},
      {"eyeriss", "resnet50", {"--dataflow", "flexible", "--layer", "FC_1"}},
      {"simba",
       "resnet50",
       {"--dataflow", "flexible", "--metric", "cycle", "--layer", "2"}},
      {"eyeriss", "resnet50", {"--search", "exact"}},
      {"eyeriss", "squeezenet", {"--search", "exact", "--metric", "cycle"}},
      {"eyeriss",
       "resnet50",
       {"--search", "exact", "--dataflow", "flexible", "--layer", "3"}},
      {"simba", "resnet50", {"--search", "exact", "--layer", "2"}},
      {"simba", "resnet50", {"--search", "exact", "--layer", "FC_1"}},
  };
  for (const DeterminismCase& run : cases) {
    SCOPED_TRACE(absl::StrJoin(
        {run.accelerator, run.network, absl::StrJoin(run.options, " ")}, " "));

    const json one_thread = ScheduleWithoutSeconds(run, "1");
    const json two_threads = ScheduleWithoutSeconds(run, "2");
    const json two_threads_again = ScheduleWithoutSeconds(run, "2");

    ASSERT_FALSE(one_thread.is_null());
    EXPECT_FALSE(one_thread["layers"].empty());
    ExpectSameSchedule(two_threads, one_thread);
    ExpectSameSchedule(two_threads_again, one_thread);
  }
}

}  // namespace
}  // namespace neurospector::testing
