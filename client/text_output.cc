#include "client/text_output.h"

#include <charconv>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace neurospector::cli {
namespace {

constexpr std::array<absl::string_view, 3> kLevelNames = {
    "local buffer", "global buffer", "DRAM"};
constexpr std::array<absl::string_view, 3> kLevelPrefixes = {"lb", "gb",
                                                             "dram"};

std::string Cell(const EvaluationView& view, const std::string& key) {
  for (const ResultView& result : view.results) {
    if (result.key == key) {
      if (result.is_integer) return absl::StrCat(result.integer);
      return absl::EndsWith(key, "energy") ? FormatEnergy(result.value)
                                           : FormatNumber(result.value);
    }
  }
  return "-";
}

std::string LayerLine(const EvaluationView& view) {
  const LayerShape& s = view.shape;
  return absl::StrFormat(
      "Layer        %s%s: K=%d B=%d P=%d Q=%d C=%d R=%d S=%d G=%d stride=%d\n",
      view.layer_name,
      view.layer_index > 0 ? absl::StrCat(" (#", view.layer_index, ")") : "",
      s.k, s.b, s.p, s.q, s.c, s.r, s.s, s.g, s.stride);
}

std::string TilesAndCounts(const EvaluationView& view) {
  std::string text = absl::StrFormat("\nTile sizes (elements) %12s %12s %12s\n",
                                     "input", "weight", "output");
  for (int level = 0; level < 3; ++level) {
    const std::string prefix(kLevelPrefixes[level]);
    absl::StrAppendFormat(&text, "  %-19s %12s %12s %12s\n", kLevelNames[level],
                          Cell(view, prefix + "_i_tile_size"),
                          Cell(view, prefix + "_w_tile_size"),
                          Cell(view, prefix + "_o_tile_size"));
  }
  absl::StrAppendFormat(&text, "\nAccess counts (tiles) %12s %12s %12s %13s\n",
                        "input reads", "weight reads", "output reads",
                        "output writes");
  for (int level = 0; level < 3; ++level) {
    const std::string prefix(kLevelPrefixes[level]);
    absl::StrAppendFormat(&text, "  %-19s %12s %12s %12s %13s\n",
                          kLevelNames[level],
                          Cell(view, prefix + "_i_read_access_count"),
                          Cell(view, prefix + "_w_read_access_count"),
                          Cell(view, prefix + "_o_read_access_count"),
                          Cell(view, prefix + "_o_write_access_count"));
  }
  return text;
}

std::string Utilization(const EvaluationView& view) {
  std::vector<std::string> parts;
  for (const ResultView& result : view.results) {
    if (result.key.find("utilization") == std::string::npos) continue;
    std::string label = result.key.substr(0, result.key.size() - 12);
    absl::StrAppend(&label, " ", FormatNumber(result.value));
    parts.push_back(std::move(label));
  }
  return absl::StrCat("\nActive units  MAC arrays ",
                      Cell(view, "num_active_mac_array"), ", PE arrays ",
                      Cell(view, "num_active_pe_array"), ", chips ",
                      Cell(view, "num_active_multi_chips"),
                      "\nUtilization (%) ", absl::StrJoin(parts, ", "), "\n");
}

std::string EnergyAndCycles(const EvaluationView& view) {
  std::string text = absl::StrFormat("\nEnergy (pJ) %15s %15s %15s %15s\n",
                                     "dynamic", "static", "total", "cycles");
  constexpr std::array<absl::string_view, 4> kComponents = {"mac", "lb", "gb",
                                                            "dram"};
  constexpr std::array<absl::string_view, 4> kNames = {"MAC", "local buffer",
                                                       "global buffer", "DRAM"};
  for (int i = 0; i < 4; ++i) {
    const std::string c(kComponents[i]);
    absl::StrAppendFormat(&text, "  %-13s %13s %15s %15s %15s\n", kNames[i],
                          Cell(view, c + "_dynamic_energy"),
                          Cell(view, c + "_static_energy"),
                          Cell(view, c + "_energy"), Cell(view, c + "_cycle"));
  }
  absl::StrAppendFormat(&text, "  %-13s %13s %15s %15s %15s\n", "total",
                        Cell(view, "total_dynamic_energy"),
                        Cell(view, "total_static_energy"),
                        Cell(view, "total_energy"), Cell(view, "total_cycle"));
  return text;
}

}  // namespace

std::string FormatEnergy(double value) {
  if (!std::isfinite(value)) return FormatNumber(value);
  return absl::StrFormat("%.6g", value);
}

std::string ShortestNumber(double value) {
  if (!std::isfinite(value)) return FormatNumber(value);
  char buffer[64];
  const std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

std::string FormatNumber(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (std::isnan(value)) return "nan";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrFormat("%.0f", value);
  }
  return absl::StrFormat("%.6g", value);
}

std::string TableText(const std::vector<TableRowView>& rows) {
  std::string text =
      absl::StrFormat("  %-16s %6s %6s %6s %6s %6s %6s %6s %6s  %s\n", "row",
                      "K", "B", "P", "Q", "C", "R", "S", "G", "dataflow");
  for (const TableRowView& row : rows) {
    absl::StrAppendFormat(&text, "  %-16s", row.name);
    for (uint32_t value : row.values)
      absl::StrAppendFormat(&text, " %6d", value);
    absl::StrAppendFormat(&text, "  %s\n", row.dataflow.value_or("-"));
  }
  return text;
}

std::string EvaluationText(const EvaluationView& view) {
  std::string text =
      absl::StrCat("Accelerator  ", view.accelerator, "\n", LayerLine(view),
                   "\nScheduling table\n", TableText(view.table));
  absl::StrAppend(
      &text, "\nValid        ",
      view.valid
          ? "yes"
          : absl::StrCat("no (", absl::StrJoin(view.violations, ", "), ")"),
      "\n");
  absl::StrAppend(&text, TilesAndCounts(view), Utilization(view),
                  EnergyAndCycles(view));
  return text;
}

}  // namespace neurospector::cli
