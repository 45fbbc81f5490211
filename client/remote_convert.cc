#include "client/remote_convert.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "core/config_file.h"
#include "core/status_macros.h"

namespace neurospector::cli {
namespace {

bool IsRegularFile(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error);
}

absl::StatusOr<pb::ConfigText> FileText(const std::string& path) {
  NS_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  pb::ConfigText cfg;
  cfg.set_text(std::move(text));
  cfg.set_source_name(path);
  return cfg;
}

std::optional<std::string> DataflowName(pb::Dataflow dataflow) {
  switch (dataflow) {
    case pb::DATAFLOW_INPUT_STATIONARY:
      return "IS";
    case pb::DATAFLOW_WEIGHT_STATIONARY:
      return "WS";
    case pb::DATAFLOW_OUTPUT_STATIONARY:
      return "OS";
    default:
      return std::nullopt;
  }
}

absl::Status InvalidResponse(absl::string_view problem) {
  return absl::InternalError(
      absl::StrCat("the server sent an invalid response: ", problem));
}

}  // namespace

absl::StatusOr<pb::Accelerator> AcceleratorArgument(
    const std::string& argument) {
  pb::Accelerator accelerator;
  if (IsRegularFile(argument)) {
    NS_ASSIGN_OR_RETURN(*accelerator.mutable_cfg(), FileText(argument));
  } else {
    accelerator.set_builtin_name(argument);
  }
  return accelerator;
}

absl::StatusOr<pb::Network> NetworkArgument(const std::string& argument) {
  pb::Network network;
  if (IsRegularFile(argument)) {
    NS_ASSIGN_OR_RETURN(*network.mutable_cfg(), FileText(argument));
  } else {
    network.set_builtin_name(argument);
  }
  return network;
}

absl::StatusOr<pb::ConfigText> TableArgument(const std::string& path) {
  return FileText(path);
}

pb::SearchOptions ToProto(const SearchOptions& options) {
  pb::SearchOptions proto;
  proto.set_metric(options.metric == Metric::kCycle ? pb::METRIC_CYCLE
                                                    : pb::METRIC_ENERGY);
  proto.set_dataflow_mode(options.dataflow_mode == DataflowMode::kFlexible
                              ? pb::DATAFLOW_MODE_FLEXIBLE
                              : pb::DATAFLOW_MODE_FIXED);
  proto.set_algorithm(options.algorithm == SearchAlgorithm::kExact
                          ? pb::SEARCH_ALGORITHM_EXACT
                          : pb::SEARCH_ALGORITHM_BOTTOM_UP);
  if (options.time_limit != absl::InfiniteDuration()) {
    proto.set_time_limit_seconds(absl::ToDoubleSeconds(options.time_limit));
  }
  return proto;
}

absl::StatusOr<EvaluationView> ToView(const std::string& accelerator_name,
                                      const pb::LayerInfo& layer,
                                      const pb::SchedulingTable& table,
                                      const pb::CostReport& report) {
  EvaluationView view;
  view.accelerator = accelerator_name;
  view.layer_name = layer.layer().name();
  view.layer_index = static_cast<int>(layer.index());
  const pb::Layer& shape = layer.layer();
  view.shape =
      LayerShape{shape.k(), shape.b(), shape.p(), shape.q(),     shape.c(),
                 shape.r(), shape.s(), shape.g(), shape.stride()};

  for (const pb::TableRow& row : table.rows()) {
    if (row.values_size() != kNumParams) {
      return InvalidResponse(absl::StrCat("table row ", row.name(), " has ",
                                          row.values_size(), " values"));
    }
    TableRowView row_view{row.name(), {}, DataflowName(row.dataflow())};
    for (int i = 0; i < kNumParams; ++i) {
      row_view.values[i] = static_cast<uint32_t>(row.values(i));
    }
    view.table.push_back(std::move(row_view));
  }

  view.valid = report.valid();
  view.violations.assign(report.violations().begin(),
                         report.violations().end());
  for (const pb::ResultValue& result : report.results()) {
    ResultView result_view;
    result_view.key = result.key();
    result_view.is_integer = result.has_count();
    result_view.integer = result.count();
    result_view.value = result.has_count() ? static_cast<double>(result.count())
                                           : result.number();
    view.results.push_back(std::move(result_view));
  }
  return view;
}

absl::StatusOr<LayerScheduleView> ToView(const std::string& accelerator_name,
                                         const pb::LayerSchedule& schedule) {
  LayerScheduleView view;
  NS_ASSIGN_OR_RETURN(view.evaluation,
                      ToView(accelerator_name, schedule.layer(),
                             schedule.table(), schedule.report()));
  view.strategy = schedule.strategy();
  view.optimal = schedule.optimal();
  view.evaluated = schedule.statistics().tables_evaluated();
  view.pruned = schedule.statistics().tables_pruned();
  view.seconds = schedule.statistics().search_seconds();
  return view;
}

}  // namespace neurospector::cli
