#include "core/report.h"

#include <limits>

namespace neurospector {
namespace {

constexpr std::array<absl::string_view, kNumLevels> kLevelPrefix = {"lb", "gb",
                                                                    "dram"};
constexpr std::array<absl::string_view, kNumDataTypes> kTypeLetter = {"i", "w",
                                                                      "o"};

// Static storage for the generated key names, so that ResultField can hold
// string_views.
const std::vector<std::string>& GeneratedKeys() {
  static const auto* keys = [] {
    auto* out = new std::vector<std::string>;
    for (absl::string_view level : kLevelPrefix) {
      for (absl::string_view type : kTypeLetter) {
        out->push_back(std::string(level) + "_" + std::string(type) +
                       "_tile_size");
      }
    }
    for (absl::string_view level : kLevelPrefix) {
      for (absl::string_view type : kTypeLetter) {
        out->push_back(std::string(level) + "_" + std::string(type) +
                       "_read_access_count");
      }
      out->push_back(std::string(level) + "_o_write_access_count");
    }
    for (absl::string_view level : {"lb", "gb"}) {
      for (absl::string_view type : kTypeLetter) {
        out->push_back(std::string(level) + "_" + std::string(type) +
                       "_buffer_utilization");
      }
    }
    return out;
  }();
  return *keys;
}

absl::string_view TileKey(int level, int type) {
  return GeneratedKeys()[level * 3 + type];
}
absl::string_view CountKey(int level, int index) {
  return GeneratedKeys()[9 + level * 4 + index];
}
absl::string_view UtilizationKey(int level, int type) {
  return GeneratedKeys()[21 + level * 3 + type];
}

// Applies the report-only zeroing of bypassed, zero-energy data types.
void ZeroUnstoredTypes(const Accelerator& accelerator,
                       std::array<TileSizes, kNumLevels>* tiles,
                       std::array<AccessCounts, kNumLevels>* counts) {
  for (int level : {kLocalBuffer, kGlobalBuffer}) {
    const MemoryLevel& memory = accelerator.Memory(kLevelRows[level]);
    for (int type = 0; type < kNumDataTypes; ++type) {
      if (!memory.bypass[type] || memory.access_energy_pj[type] != 0) continue;
      (*tiles)[level][type] = 0;
      AccessCounts& c = (*counts)[level];
      if (type == kInput) c.input_reads = 0;
      if (type == kWeight) c.weight_reads = 0;
      if (type == kOutput) c.output_reads = c.output_writes = 0;
    }
  }
}

ResultField IntegerField(absl::string_view key, uint64_t value) {
  return ResultField{key, static_cast<double>(value), true, value};
}

ResultField RealField(absl::string_view key, double value) {
  return ResultField{key, value, false, 0};
}

double Percent(double used, double capacity) {
  if (capacity == 0) return std::numeric_limits<double>::infinity();
  return used / capacity * 100.0;
}

void AddUtilization(const Accelerator& accelerator, int level,
                    const TileSizes& tile, std::vector<ResultField>* fields) {
  const MemoryLevel& memory = accelerator.Memory(kLevelRows[level]);
  if (memory.organization == BufferOrganization::kSeparate) {
    for (int type = 0; type < kNumDataTypes; ++type) {
      if (memory.bypass[type]) continue;
      fields->push_back(RealField(UtilizationKey(level, type),
                                  Percent(static_cast<double>(tile[type]),
                                          memory.private_capacity[type])));
    }
    return;
  }
  uint64_t used = 0;
  for (int type = 0; type < kNumDataTypes; ++type) {
    if (!memory.bypass[type]) used += tile[type];
  }
  fields->push_back(
      RealField(level == kLocalBuffer ? "local_buffer_utilization"
                                      : "global_buffer_utilization",
                Percent(static_cast<double>(used), memory.shared_capacity)));
}

}  // namespace

std::vector<ResultField> BuildResultFields(const Accelerator& accelerator,
                                           const Evaluation& e) {
  std::array<TileSizes, kNumLevels> tiles = e.allocated_tiles;
  std::array<AccessCounts, kNumLevels> counts = e.counts;
  ZeroUnstoredTypes(accelerator, &tiles, &counts);

  std::vector<ResultField> fields;
  fields.reserve(52);
  for (int level = 0; level < kNumLevels; ++level) {
    for (int type = 0; type < kNumDataTypes; ++type) {
      fields.push_back(IntegerField(TileKey(level, type), tiles[level][type]));
    }
  }
  for (int level = 0; level < kNumLevels; ++level) {
    const AccessCounts& c = counts[level];
    const std::array<uint64_t, 4> values = {c.input_reads, c.weight_reads,
                                            c.output_reads, c.output_writes};
    for (int i = 0; i < 4; ++i) {
      fields.push_back(IntegerField(CountKey(level, i), values[i]));
    }
  }
  fields.push_back(IntegerField("num_active_mac_array", e.active_macs));
  fields.push_back(IntegerField("num_active_pe_array", e.active_pes));
  fields.push_back(IntegerField("num_active_multi_chips", e.active_chips));

  AddUtilization(accelerator, kLocalBuffer, tiles[kLocalBuffer], &fields);
  AddUtilization(accelerator, kGlobalBuffer, tiles[kGlobalBuffer], &fields);
  const auto array_percent = [](uint64_t active, const SpatialArray& array) {
    return Percent(static_cast<double>(active),
                   static_cast<double>(array.Instances()));
  };
  fields.push_back(
      RealField("mac_array_utilization",
                array_percent(e.active_macs, accelerator.mac_array)));
  fields.push_back(
      RealField("pe_array_utilization",
                array_percent(e.active_pes, accelerator.pe_array)));
  fields.push_back(RealField("multi_chips_utilization",
                             array_percent(e.active_chips, accelerator.chips)));

  fields.push_back(RealField("mac_dynamic_energy", e.mac_dynamic_energy));
  fields.push_back(RealField("lb_dynamic_energy", e.lb_dynamic_energy()));
  fields.push_back(RealField("gb_dynamic_energy", e.gb_dynamic_energy()));
  fields.push_back(RealField("dram_dynamic_energy", e.dram_dynamic_energy));
  fields.push_back(RealField("mac_static_energy", e.mac_static_energy));
  fields.push_back(RealField("lb_static_energy", e.lb_static_energy));
  fields.push_back(RealField("gb_static_energy", e.gb_static_energy));
  fields.push_back(RealField("dram_static_energy", e.dram_static_energy));
  fields.push_back(
      RealField("mac_energy", e.mac_dynamic_energy + e.mac_static_energy));
  fields.push_back(
      RealField("lb_energy", e.lb_dynamic_energy() + e.lb_static_energy));
  fields.push_back(
      RealField("gb_energy", e.gb_dynamic_energy() + e.gb_static_energy));
  fields.push_back(
      RealField("dram_energy", e.dram_dynamic_energy + e.dram_static_energy));
  fields.push_back(RealField("mac_cycle", e.mac_cycles));
  fields.push_back(RealField("lb_cycle", e.lb_cycles));
  fields.push_back(RealField("gb_cycle", e.gb_cycles));
  fields.push_back(RealField("dram_cycle", e.dram_cycles));
  fields.push_back(RealField("total_dynamic_energy", e.total_dynamic_energy()));
  fields.push_back(RealField("total_static_energy", e.total_static_energy()));
  fields.push_back(RealField("total_energy", e.total_energy()));
  fields.push_back(RealField("total_cycle", e.total_cycles));
  return fields;
}

const std::vector<absl::string_view>& AllResultKeys() {
  static const auto* keys = [] {
    auto* out = new std::vector<absl::string_view>;
    for (int i = 0; i < 21; ++i) out->push_back(GeneratedKeys()[i]);
    for (absl::string_view key : {"num_active_mac_array", "num_active_pe_array",
                                  "num_active_multi_chips"}) {
      out->push_back(key);
    }
    for (int type = 0; type < kNumDataTypes; ++type) {
      out->push_back(UtilizationKey(kLocalBuffer, type));
    }
    out->push_back("local_buffer_utilization");
    for (int type = 0; type < kNumDataTypes; ++type) {
      out->push_back(UtilizationKey(kGlobalBuffer, type));
    }
    for (absl::string_view key : {"global_buffer_utilization",
                                  "mac_array_utilization",
                                  "pe_array_utilization",
                                  "multi_chips_utilization",
                                  "mac_dynamic_energy",
                                  "lb_dynamic_energy",
                                  "gb_dynamic_energy",
                                  "dram_dynamic_energy",
                                  "mac_static_energy",
                                  "lb_static_energy",
                                  "gb_static_energy",
                                  "dram_static_energy",
                                  "mac_energy",
                                  "lb_energy",
                                  "gb_energy",
                                  "dram_energy",
                                  "mac_cycle",
                                  "lb_cycle",
                                  "gb_cycle",
                                  "dram_cycle",
                                  "total_dynamic_energy",
                                  "total_static_energy",
                                  "total_energy",
                                  "total_cycle"}) {
      out->push_back(key);
    }
    return out;
  }();
  return *keys;
}

}  // namespace neurospector
