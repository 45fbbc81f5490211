// Wall time of scheduling a whole network, and the per-layer gap between
// the bottom-up and the exact search.
//
//   ./bin/search_benchmark --accelerator eyeriss --search exact
//   ./bin/search_benchmark --accelerator simba --network resnet50 --gap
//
// The first form schedules every layer through the Scheduler (as
// `neurospector schedule` does, without output formatting) and prints the
// minimum and median wall time over the repetitions. The second runs both
// searches and prints a Markdown table of each layer's objective under
// each, for the energy and the cycle metric.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "core/inputs.h"
#include "core/search/scheduler.h"

namespace neurospector {
namespace {

struct Options {
  std::string accelerator = "eyeriss";
  std::string network = "resnet50";
  SearchOptions search;
  int threads = 2;
  int repetitions = 5;
  bool gap = false;
};

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const bool has_value = i + 1 < argc;
    if (flag == "--gap") {
      options->gap = true;
    } else if (flag == "--accelerator" && has_value) {
      options->accelerator = argv[++i];
    } else if (flag == "--network" && has_value) {
      options->network = argv[++i];
    } else if (flag == "--search" && has_value) {
      const std::string search = argv[++i];
      options->search.algorithm = search == "exact"
                                      ? SearchAlgorithm::kExact
                                      : SearchAlgorithm::kBottomUp;
    } else if (flag == "--metric" && has_value) {
      options->search.metric = ParseMetric(argv[++i]).value_or(Metric::kEnergy);
    } else if (flag == "--dataflow" && has_value) {
      options->search.dataflow_mode = std::string(argv[++i]) == "flexible"
                                          ? DataflowMode::kFlexible
                                          : DataflowMode::kFixed;
    } else if (flag == "--threads" && has_value) {
      if (!absl::SimpleAtoi(argv[++i], &options->threads)) return false;
    } else if (flag == "--repetitions" && has_value) {
      if (!absl::SimpleAtoi(argv[++i], &options->repetitions)) return false;
    } else {
      std::fprintf(stderr, "unknown or incomplete option %s\n", argv[i]);
      return false;
    }
  }
  return options->repetitions > 0;
}

int RunTiming(const Options& options, const Accelerator& accelerator,
              const Network& network) {
  Scheduler scheduler(options.threads);
  std::vector<double> seconds;
  for (int i = 0; i < options.repetitions; ++i) {
    const absl::Time start = absl::Now();
    absl::StatusOr<std::vector<LayerResult>> results =
        scheduler.ScheduleNetwork(accelerator, network.layers, options.search,
                                  StopToken());
    if (!results.ok()) {
      std::fprintf(stderr, "error: %s\n",
                   std::string(results.status().message()).c_str());
      return 1;
    }
    seconds.push_back(absl::ToDoubleSeconds(absl::Now() - start));
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf(
      "%s %s, %s search, %s dataflow, %s, %d threads: min %.3f s, median "
      "%.3f s over %d runs\n",
      options.accelerator.c_str(), options.network.c_str(),
      std::string(SearchAlgorithmName(options.search.algorithm)).c_str(),
      std::string(DataflowModeName(options.search.dataflow_mode)).c_str(),
      std::string(MetricName(options.search.metric)).c_str(),
      scheduler.threads(), seconds.front(), seconds[seconds.size() / 2],
      options.repetitions);
  return 0;
}

// Objectives of every layer under `algorithm` and `metric`.
absl::StatusOr<std::vector<LayerResult>> Schedule(
    Scheduler* scheduler, const Accelerator& accelerator,
    const Network& network, SearchOptions search, SearchAlgorithm algorithm,
    Metric metric) {
  search.algorithm = algorithm;
  search.metric = metric;
  return scheduler->ScheduleNetwork(accelerator, network.layers, search,
                                    StopToken());
}

int RunGap(const Options& options, const Accelerator& accelerator,
           const Network& network) {
  Scheduler scheduler(options.threads);
  std::printf(
      "| # | layer | energy bottom-up (pJ) | energy exact (pJ) | "
      "gap | cycles bottom-up | cycles exact | gap |\n"
      "|---|---|---|---|---|---|---|---|\n");
  std::vector<std::vector<LayerResult>> runs;
  for (Metric metric : {Metric::kEnergy, Metric::kCycle}) {
    for (SearchAlgorithm algorithm :
         {SearchAlgorithm::kBottomUp, SearchAlgorithm::kExact}) {
      absl::StatusOr<std::vector<LayerResult>> results = Schedule(
          &scheduler, accelerator, network, options.search, algorithm, metric);
      if (!results.ok()) {
        std::fprintf(stderr, "error: %s\n",
                     std::string(results.status().message()).c_str());
        return 1;
      }
      runs.push_back(*std::move(results));
    }
  }

  double totals[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < network.layers.size(); ++i) {
    const double energy_bu = runs[0][i].Objective(Metric::kEnergy);
    const double energy_exact = runs[1][i].Objective(Metric::kEnergy);
    const double cycles_bu = runs[2][i].Objective(Metric::kCycle);
    const double cycles_exact = runs[3][i].Objective(Metric::kCycle);
    totals[0] += energy_bu;
    totals[1] += energy_exact;
    totals[2] += cycles_bu;
    totals[3] += cycles_exact;
    std::printf("| %zu | %s | %.6g | %.6g | %.1f%% | %.0f | %.0f | %.1f%% |\n",
                i + 1, network.layers[i].name.c_str(), energy_bu, energy_exact,
                100 * (energy_bu - energy_exact) / energy_exact, cycles_bu,
                cycles_exact, 100 * (cycles_bu - cycles_exact) / cycles_exact);
  }
  std::printf("| | total | %.6g | %.6g | %.1f%% | %.0f | %.0f | %.1f%% |\n",
              totals[0], totals[1], 100 * (totals[0] - totals[1]) / totals[1],
              totals[2], totals[3], 100 * (totals[2] - totals[3]) / totals[3]);
  return 0;
}

}  // namespace
}  // namespace neurospector

int main(int argc, char** argv) {
  neurospector::Options options;
  if (!neurospector::ParseOptions(argc, argv, &options)) return 2;
  absl::StatusOr<neurospector::Accelerator> accelerator =
      neurospector::LoadAccelerator(options.accelerator);
  absl::StatusOr<neurospector::Network> network =
      neurospector::LoadNetwork(options.network);
  if (!accelerator.ok() || !network.ok()) {
    std::fprintf(stderr, "error: cannot load %s or %s\n",
                 options.accelerator.c_str(), options.network.c_str());
    return 2;
  }
  return options.gap ? neurospector::RunGap(options, *accelerator, *network)
                     : neurospector::RunTiming(options, *accelerator, *network);
}
