// Layer, network, search-option and table requests.

#include <cmath>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "core/config_file.h"
#include "core/inputs.h"
#include "core/status_macros.h"
#include "server/convert.h"

namespace neurospector::server {
namespace {

// The maximum exact-search time limit a request may set: one week.
constexpr double kMaxTimeLimitSeconds = 7 * 24 * 3600;

absl::Status AsInvalidArgument(const absl::Status& status) {
  if (status.ok()) return status;
  return absl::InvalidArgumentError(status.message());
}

absl::Status CheckNameSize(const std::string& name, absl::string_view path) {
  if (name.size() <= kMaxNameBytes) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": ", name.size(), " bytes is too long; the limit is ",
                   kMaxNameBytes));
}

absl::StatusOr<Network> LayerListNetwork(const pb::LayerList& list,
                                         absl::string_view path) {
  NS_RETURN_IF_ERROR(CheckNameSize(list.name(), absl::StrCat(path, ".name")));
  if (list.layers().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".layers is empty; give at least one layer"));
  }
  if (static_cast<size_t>(list.layers_size()) > kMaxNetworkLayers) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".layers has ", list.layers_size(),
                     " layers; the limit is ", kMaxNetworkLayers));
  }

  Network network;
  network.name = absl::AsciiStrToLower(list.name());
  network.source = std::string(path);
  absl::flat_hash_map<std::string, int> index_by_name;
  for (int i = 0; i < list.layers_size(); ++i) {
    const std::string layer_path = absl::StrCat(path, ".layers[", i, "]");
    NS_ASSIGN_OR_RETURN(Layer layer, ToLayer(list.layers(i), layer_path));
    const auto [it, inserted] =
        index_by_name.emplace(absl::AsciiStrToLower(layer.name), i);
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat(layer_path, ".name: \"", layer.name,
                       "\" is already used by ", path, ".layers[", it->second,
                       "]; layer names must be unique (case-insensitive)"));
    }
    layer.index = i + 1;
    network.layers.push_back(std::move(layer));
  }
  return network;
}

// Rows of a table given row by row, as a scheduling-table file: the rows
// under [SCHEDULING_TABLE], their dataflows under [DATAFLOW].
ConfigFile TableRowsFile(const pb::SchedulingTable& table,
                         absl::string_view path) {
  ConfigFile file;
  file.source = std::string(path);
  auto add_line = [&](std::string label) {
    file.line_labels.push_back(std::move(label));
    return static_cast<int>(file.line_labels.size());
  };

  file.sections.push_back(
      ConfigSection{"SCHEDULING_TABLE", add_line(std::string(path)), {}});
  ConfigSection dataflows{"DATAFLOW", add_line(std::string(path)), {}};
  for (int i = 0; i < table.rows_size(); ++i) {
    const pb::TableRow& row = table.rows(i);
    const std::string row_path = absl::StrCat(path, ".rows[", i, "]");
    const std::string key = absl::AsciiStrToUpper(row.name());
    file.sections.front().entries.push_back(ConfigEntry{
        key, row.name(), absl::StrJoin(row.values(), ","), add_line(row_path)});
    if (row.dataflow() == pb::DATAFLOW_UNSPECIFIED) continue;
    std::string word;
    switch (row.dataflow()) {
      case pb::DATAFLOW_INPUT_STATIONARY:
        word = "IS";
        break;
      case pb::DATAFLOW_WEIGHT_STATIONARY:
        word = "WS";
        break;
      case pb::DATAFLOW_OUTPUT_STATIONARY:
        word = "OS";
        break;
      default:
        // Left to the table reader, which names the value and the choices.
        word = absl::StrCat(static_cast<int>(row.dataflow()));
        break;
    }
    dataflows.entries.push_back(ConfigEntry{
        key, row.name(), word, add_line(absl::StrCat(row_path, ".dataflow"))});
  }
  if (!dataflows.entries.empty()) file.sections.push_back(std::move(dataflows));
  return file;
}

}  // namespace

const ResolvedAccelerator* BuiltinCatalog::FindAccelerator(
    absl::string_view name) const {
  absl::ConsumeSuffix(&name, ".cfg");
  const auto it = accelerators_.find(name);
  return it == accelerators_.end() ? nullptr : &it->second;
}

std::shared_ptr<const Network> BuiltinCatalog::FindNetwork(
    absl::string_view name) const {
  absl::ConsumeSuffix(&name, ".cfg");
  const auto it = networks_.find(name);
  return it == networks_.end() ? nullptr : it->second;
}

absl::StatusOr<std::string> ConfigTextSource(const pb::ConfigText& cfg,
                                             absl::string_view path,
                                             size_t max_bytes,
                                             absl::string_view kind) {
  if (cfg.text().size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".text: ", cfg.text().size(),
                     " bytes is too large; the limit "
                     "for ",
                     kind == "accelerator" ? "an " : "a ", kind, " file is ",
                     max_bytes, " bytes"));
  }
  NS_RETURN_IF_ERROR(
      CheckNameSize(cfg.source_name(), absl::StrCat(path, ".source_name")));
  return cfg.source_name().empty() ? absl::StrCat(path, ".text")
                                   : cfg.source_name();
}

absl::Status UnknownBuiltinError(absl::string_view path, absl::string_view name,
                                 absl::string_view kind,
                                 const std::vector<std::string>& names) {
  return absl::InvalidArgumentError(absl::StrCat(
      path, ": \"", name.substr(0, kMaxNameBytes), "\" is not a built-in ",
      kind, "; expected one of ", absl::StrJoin(names, ", ")));
}

absl::Status CheckRequestSize(const google::protobuf::Message& request) {
  const size_t size = request.ByteSizeLong();
  if (size <= kMaxRequestBytes) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("the request is ", size,
                                                 " bytes; the limit is ",
                                                 kMaxRequestBytes, " bytes"));
}

absl::StatusOr<Layer> ToLayer(const pb::Layer& layer, absl::string_view path) {
  NS_RETURN_IF_ERROR(CheckNameSize(layer.name(), absl::StrCat(path, ".name")));
  if (!layer.has_stride()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        ".stride is missing; give the convolution stride, or 0 for a "
        "fully connected layer"));
  }
  const LayerShape shape{layer.k(), layer.b(), layer.p(),
                         layer.q(), layer.c(), layer.r(),
                         layer.s(), layer.g(), layer.stride()};
  const std::string context = layer.name().empty()
                                  ? std::string(path)
                                  : absl::StrCat(path, " (", layer.name(), ")");
  absl::StatusOr<Layer> converted = MakeLayer(layer.name(), shape, context);
  if (!converted.ok()) return AsInvalidArgument(converted.status());
  return converted;
}

absl::StatusOr<std::shared_ptr<const Network>> ToNetwork(
    const pb::Network& network, absl::string_view path,
    const BuiltinCatalog& catalog) {
  switch (network.form_case()) {
    case pb::Network::kBuiltinName: {
      std::shared_ptr<const Network> builtin =
          catalog.FindNetwork(network.builtin_name());
      if (builtin == nullptr) {
        return UnknownBuiltinError(absl::StrCat(path, ".builtin_name"),
                                   network.builtin_name(), "network",
                                   BuiltinNetworkNames());
      }
      return builtin;
    }
    case pb::Network::kCfg: {
      NS_ASSIGN_OR_RETURN(
          std::string source,
          ConfigTextSource(network.cfg(), absl::StrCat(path, ".cfg"),
                           kMaxNetworkTextBytes, "network"));
      absl::StatusOr<Network> parsed =
          ParseNetworkText(network.cfg().text(), source);
      if (!parsed.ok()) return AsInvalidArgument(parsed.status());
      if (parsed->layers.size() > kMaxNetworkLayers) {
        return absl::InvalidArgumentError(
            absl::StrCat(source, ": ", parsed->layers.size(),
                         " layers; the limit is ", kMaxNetworkLayers));
      }
      return std::make_shared<const Network>(*std::move(parsed));
    }
    case pb::Network::kLayers: {
      NS_ASSIGN_OR_RETURN(
          Network parsed,
          LayerListNetwork(network.layers(), absl::StrCat(path, ".layers")));
      return std::make_shared<const Network>(std::move(parsed));
    }
    case pb::Network::FORM_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(path, " is missing; set builtin_name, cfg or layers"));
}

absl::StatusOr<SearchOptions> ToSearchOptions(const pb::SearchOptions& options,
                                              absl::string_view path) {
  SearchOptions result;
  switch (options.metric()) {
    case pb::METRIC_UNSPECIFIED:
    case pb::METRIC_ENERGY:
      result.metric = Metric::kEnergy;
      break;
    case pb::METRIC_CYCLE:
      result.metric = Metric::kCycle;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".metric: ", static_cast<int>(options.metric()),
                       " is not a metric; expected METRIC_ENERGY or "
                       "METRIC_CYCLE"));
  }

  switch (options.dataflow_mode()) {
    case pb::DATAFLOW_MODE_UNSPECIFIED:
    case pb::DATAFLOW_MODE_FIXED:
      result.dataflow_mode = DataflowMode::kFixed;
      break;
    case pb::DATAFLOW_MODE_FLEXIBLE:
      result.dataflow_mode = DataflowMode::kFlexible;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          path, ".dataflow_mode: ", static_cast<int>(options.dataflow_mode()),
          " is not a dataflow mode; expected DATAFLOW_MODE_FIXED or "
          "DATAFLOW_MODE_FLEXIBLE"));
  }

  switch (options.algorithm()) {
    case pb::SEARCH_ALGORITHM_UNSPECIFIED:
    case pb::SEARCH_ALGORITHM_BOTTOM_UP:
      result.algorithm = SearchAlgorithm::kBottomUp;
      break;
    case pb::SEARCH_ALGORITHM_EXACT:
      result.algorithm = SearchAlgorithm::kExact;
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          path, ".algorithm: ", static_cast<int>(options.algorithm()),
          " is not a search algorithm; expected SEARCH_ALGORITHM_BOTTOM_UP "
          "or SEARCH_ALGORITHM_EXACT"));
  }

  const double limit = options.time_limit_seconds();
  if (!std::isfinite(limit) || limit < 0 || limit > kMaxTimeLimitSeconds) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ".time_limit_seconds: ", limit,
        " is invalid; expected 0 (no limit) or a number of seconds up to ",
        kMaxTimeLimitSeconds));
  }
  if (limit > 0) result.time_limit = absl::Seconds(limit);
  return result;
}

absl::StatusOr<TableFile> ToTable(const pb::SchedulingTable& table,
                                  absl::string_view path,
                                  const Accelerator& accelerator) {
  for (int i = 0; i < table.rows_size(); ++i) {
    NS_RETURN_IF_ERROR(CheckNameSize(
        table.rows(i).name(), absl::StrCat(path, ".rows[", i, "].name")));
  }
  absl::StatusOr<TableFile> parsed =
      ParseTableFile(TableRowsFile(table, path), accelerator);
  if (!parsed.ok()) return AsInvalidArgument(parsed.status());
  return parsed;
}

absl::StatusOr<TableFile> ToTable(const pb::ConfigText& table,
                                  absl::string_view path,
                                  const Accelerator& accelerator) {
  NS_ASSIGN_OR_RETURN(
      std::string source,
      ConfigTextSource(table, path, kMaxTableTextBytes, "scheduling-table"));
  absl::StatusOr<TableFile> parsed =
      ParseTableText(table.text(), source, accelerator);
  if (!parsed.ok()) return AsInvalidArgument(parsed.status());
  return parsed;
}

absl::StatusOr<std::vector<Layer>> SelectLayers(const Network& network,
                                                absl::string_view selector,
                                                absl::string_view path) {
  if (selector.empty()) return network.layers;
  NS_RETURN_IF_ERROR(CheckNameSize(std::string(selector), path));
  absl::StatusOr<const Layer*> layer = network.FindLayer(selector);
  if (!layer.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", layer.status().message()));
  }
  return std::vector<Layer>{**layer};
}

}  // namespace neurospector::server
