#include "core/cost_model.h"

#include <algorithm>
#include <cmath>

#include "core/cost_terms.h"

namespace neurospector {
namespace {

// Column products F_p(0, row) for the rows that bound a level: rows 0..2
// (sent to the local buffer), 0..3, 0..5, 0..6, 0..8 and 0..9.
enum ProductSpan : int {
  kSentLb = 0,
  kAllocLb,
  kSentGb,
  kAllocGb,
  kSentDram,
  kAllocDram,
};

uint32_t CheckArrayRows(const RowValues& x_row, const RowValues& y_row,
                        uint32_t size_x, uint32_t size_y, uint8_t allowed_x,
                        uint8_t allowed_y, Violation size_violation,
                        Violation constraint_violation, uint64_t* active) {
  uint64_t ax = 1;
  uint64_t ay = 1;
  uint32_t violations = 0;
  for (Param param : kAllParams) {
    ax *= x_row[param];
    ay *= y_row[param];
    const bool x_excluded = !(allowed_x & (1u << param)) && x_row[param] != 1;
    const bool y_excluded = !(allowed_y & (1u << param)) && y_row[param] != 1;
    if (x_excluded || y_excluded) {
      violations |= ViolationBit(constraint_violation);
    }
  }
  if (ax > size_x || ay > size_y) violations |= ViolationBit(size_violation);
  *active = ax * ay;
  return violations;
}

}  // namespace

struct CostModel::Products {
  std::array<std::array<uint64_t, kNumParams>, 6> spans;
};

absl::string_view ViolationName(Violation violation) {
  static constexpr std::array<absl::string_view, kNumViolations> kNames = {
      "register_row",
      "mac_array_size",
      "mac_array_constraint",
      "pe_array_size",
      "pe_array_constraint",
      "multi_chips_size",
      "multi_chips_constraint",
      "local_buffer_capacity",
      "global_buffer_capacity",
      "local_buffer_constraint",
      "global_buffer_constraint",
      "dram_constraint"};
  return kNames[static_cast<int>(violation)];
}

std::vector<absl::string_view> ViolationNames(uint32_t mask) {
  std::vector<absl::string_view> names;
  for (int i = 0; i < kNumViolations; ++i) {
    if (mask & (uint32_t{1} << i)) {
      names.push_back(ViolationName(static_cast<Violation>(i)));
    }
  }
  return names;
}

CostModel::CostModel(const Accelerator& accelerator, const Layer& layer)
    : stride_(layer.stride),
      mac_count_(layer.MacCount()),
      mac_count_real_(static_cast<double>(layer.MacCount())),
      mac_energy_pj_(accelerator.mac_energy_pj) {
  const double precision = accelerator.precision_bits;
  for (int level = 0; level < kNumLevels; ++level) {
    const int row = kLevelRows[level];
    const MemoryLevel& memory = accelerator.Memory(row);
    BufferConstants& buffer = buffers_[level];
    buffer.organization = memory.organization;
    buffer.shared_capacity = memory.shared_capacity;
    buffer.private_capacity = memory.private_capacity;
    buffer.bypass = memory.bypass;
    buffer.access_energy_pj = memory.access_energy_pj;
    buffer.unit_cycles = memory.unit_cycles;
    buffer.words_per_cycle = memory.bandwidth_bits / precision;
    int exponent = 0;
    if (std::frexp(buffer.words_per_cycle, &exponent) == 0.5) {
      buffer.exact_inverse = 1.0 / buffer.words_per_cycle;
      if (exponent >= 1 && exponent <= 53) buffer.words_shift = exponent - 1;
    }
    buffer.unit = accelerator.row_kinds[row] == RowKind::kUnit;
    buffer.constraint = memory.constraint;
    buffer.has_constraint = memory.HasConstraint();
  }

  const SpatialArray* arrays[3] = {&accelerator.mac_array,
                                   &accelerator.pe_array, &accelerator.chips};
  for (int i = 0; i < 3; ++i) {
    arrays_[i] = ArrayConstants{arrays[i]->size_x, arrays[i]->size_y,
                                arrays[i]->allowed_x, arrays[i]->allowed_y};
  }
  single_mac_ = accelerator.mac_array.Instances() == 1;

  // Static energy per cycle: power (mW) times the clock period (ns) gives
  // pJ, for every installed instance whether active or not.
  const double clock_ns = 1000.0 / accelerator.frequency_mhz;
  const auto sum = [](const std::array<double, kNumDataTypes>& power) {
    return (power[kInput] + power[kWeight]) + power[kOutput];
  };
  const double chips = static_cast<double>(accelerator.chips.Instances());
  mac_static_per_cycle_ = accelerator.mac_static_mw * clock_ns *
                          static_cast<double>(accelerator.InstalledMacs());
  lb_static_per_cycle_ =
      sum(accelerator.local_buffer.static_power_mw) * clock_ns *
      static_cast<double>(accelerator.pe_array.Instances()) * chips;
  gb_static_per_cycle_ =
      sum(accelerator.global_buffer.static_power_mw) * clock_ns * chips;
  dram_static_per_cycle_ = sum(accelerator.dram.static_power_mw) * clock_ns;
}

void CostModel::ComputeTiles(const Products& products, Evaluation* out) const {
  for (int level = 0; level < kNumLevels; ++level) {
    out->sent_tiles[level] = TilesOf(products.spans[2 * level], stride_);
    out->allocated_tiles[level] =
        TilesOf(products.spans[2 * level + 1], stride_);
  }
}

void CostModel::ComputeCounts(const Mapping& mapping, Evaluation* out) const {
  const RowFactors dram = FactorsOf(mapping.rows[kDramRow]);
  const RowFactors gb = FactorsOf(mapping.rows[kGlobalBufferRow]);
  const RowFactors lb = FactorsOf(mapping.rows[kLocalBufferRow]);
  const RowFactors none;

  // The local buffer's own dataflow never changes its own counts; each
  // buffer's dataflow governs the counts of the next outer level.
  out->counts[kLocalBuffer] =
      LevelCounts(lb, gb * dram, dram.crs, Dataflow::kNone, false);
  out->counts[kGlobalBuffer] = LevelCounts(
      gb, dram, dram.crs, mapping.dataflows[kLocalBufferRow], false);
  out->counts[kDram] = LevelCounts(dram, none, dram.crs,
                                   mapping.dataflows[kGlobalBufferRow], true);
}

// Read-once and bypass adjustments of the DRAM and global-buffer counts.
void CostModel::AdjustCounts(const Mapping& mapping, Evaluation* out) const {
  AccessCounts& dram = out->counts[kDram];
  AccessCounts& gb = out->counts[kGlobalBuffer];
  ApplyDramReadOnce(out->allocated_tiles[kDram], out->sent_tiles[kDram], &dram);
  ApplyGlobalBufferReadOnce(out->allocated_tiles[kGlobalBuffer],
                            out->sent_tiles[kGlobalBuffer], dram, &gb);
  ApplyGlobalBufferBypass(buffers_[kGlobalBuffer].bypass,
                          FactorsOf(mapping.rows[kDramRow]),
                          out->allocated_tiles, out->sent_tiles, &dram);
}

uint32_t CostModel::CheckArrays(const Mapping& mapping, Evaluation* out) const {
  uint32_t violations = 0;
  const auto& rows = mapping.rows;
  violations |= CheckArrayRows(
      rows[kMacXRow], rows[kMacYRow], arrays_[0].size_x, arrays_[0].size_y,
      arrays_[0].allowed_x, arrays_[0].allowed_y, Violation::kMacArraySize,
      Violation::kMacArrayConstraint, &out->active_macs);
  violations |= CheckArrayRows(rows[kPeXRow], rows[kPeYRow], arrays_[1].size_x,
                               arrays_[1].size_y, arrays_[1].allowed_x,
                               arrays_[1].allowed_y, Violation::kPeArraySize,
                               Violation::kPeArrayConstraint, &out->active_pes);
  violations |= CheckArrayRows(
      rows[kChipXRow], rows[kChipYRow], arrays_[2].size_x, arrays_[2].size_y,
      arrays_[2].allowed_x, arrays_[2].allowed_y, Violation::kMultiChipsSize,
      Violation::kMultiChipsConstraint, &out->active_chips);
  if (mapping.RowProduct(kRegisterRow) != 1) {
    violations |= ViolationBit(Violation::kRegisterRow);
  }
  return violations;
}

bool CostModel::TilesFit(int level, const TileSizes& tile,
                         uint64_t row_product) const {
  const BufferConstants& buffer = buffers_[level];
  if (buffer.unit && row_product != 1) return false;
  if (buffer.organization != BufferOrganization::kSeparate) {
    uint64_t shared = 0;
    for (int type = 0; type < kNumDataTypes; ++type) {
      if (!buffer.bypass[type]) shared += tile[type];
    }
    if (Real(shared) > buffer.shared_capacity) return false;
  }
  for (int type = 0; type < kNumDataTypes; ++type) {
    const bool private_check =
        buffer.organization == BufferOrganization::kSeparate
            ? !buffer.bypass[type]
            : buffer.organization == BufferOrganization::kPartiallyShared &&
                  buffer.bypass[type];
    if (private_check && Real(tile[type]) > buffer.private_capacity[type]) {
      return false;
    }
  }
  return true;
}

uint32_t CostModel::CheckBuffers(const Mapping& mapping,
                                 const Evaluation& eval) const {
  static constexpr std::array<Violation, kNumLevels> kCapacity = {
      Violation::kLocalBufferCapacity, Violation::kGlobalBufferCapacity,
      Violation::kDramConstraint};
  static constexpr std::array<Violation, kNumLevels> kConstraint = {
      Violation::kLocalBufferConstraint, Violation::kGlobalBufferConstraint,
      Violation::kDramConstraint};

  uint32_t violations = 0;
  for (int level = 0; level < kNumLevels; ++level) {
    const BufferConstants& buffer = buffers_[level];
    const RowValues& row = mapping.rows[kLevelRows[level]];
    if (buffer.has_constraint) {
      for (Param param : kAllParams) {
        if (buffer.constraint[param] != 0 &&
            row[param] != buffer.constraint[param]) {
          violations |= ViolationBit(kConstraint[level]);
        }
      }
    }
    if (level == kDram) break;

    const bool fits =
        TilesFit(level, eval.allocated_tiles[level],
                 buffer.unit ? mapping.RowProduct(kLevelRows[level]) : 1);
    if (!fits) violations |= ViolationBit(kCapacity[level]);
  }
  return violations;
}

// Computes the dynamic energies selected by `terms` (EnergyTerm bits); the
// others keep their previous values.
void CostModel::ComputeEnergy(Evaluation* out, uint32_t terms) const {
  const double pes_and_chips = Real(out->active_pes * out->active_chips);
  const double chips = Real(out->active_chips);
  const auto& lb = buffers_[kLocalBuffer].access_energy_pj;
  const auto& gb = buffers_[kGlobalBuffer].access_energy_pj;
  const auto& dram = buffers_[kDram].access_energy_pj;

  if (terms & kMacAndLbUpper) {
    out->mac_dynamic_energy = mac_count_real_ * mac_energy_pj_;
    out->lb_upper_energy = TransferEnergy(out->sent_tiles[kLocalBuffer],
                                          out->counts[kLocalBuffer], lb) *
                           pes_and_chips;
  }
  if (terms & kLbLower) {
    out->lb_lower_energy = TransferEnergy(out->allocated_tiles[kLocalBuffer],
                                          out->counts[kGlobalBuffer], lb) *
                           pes_and_chips;
  }
  if (terms & kGbUpper) {
    out->gb_upper_energy = TransferEnergy(out->sent_tiles[kGlobalBuffer],
                                          out->counts[kGlobalBuffer], gb) *
                           chips;
  }
  if (terms & kGbLower) {
    out->gb_lower_energy = TransferEnergy(out->allocated_tiles[kGlobalBuffer],
                                          out->counts[kDram], gb) *
                           chips;
  }
  if (terms & kDramDynamic) {
    out->dram_dynamic_energy =
        TransferEnergy(out->sent_tiles[kDram], out->counts[kDram], dram);
  }
}

// With `inner_changed` false the MAC and local-buffer cycles are kept from
// the previous table.
void CostModel::ComputeCycles(Evaluation* out, bool inner_changed) const {
  const auto summed = [this](int level) {
    return buffers_[level].organization != BufferOrganization::kSeparate;
  };
  if (inner_changed) {
    const double active =
        Real(out->active_macs * out->active_pes * out->active_chips);
    out->mac_cycles = mac_count_real_ / active;
    out->lb_cycles =
        LevelCycles(buffers_[kLocalBuffer], out->sent_tiles[kLocalBuffer],
                    out->counts[kLocalBuffer], true, summed(kLocalBuffer));
  }
  out->gb_cycles =
      LevelCycles(buffers_[kGlobalBuffer], out->sent_tiles[kGlobalBuffer],
                  out->counts[kGlobalBuffer], false, summed(kGlobalBuffer));
  out->dram_cycles = LevelCycles(buffers_[kDram], out->sent_tiles[kDram],
                                 out->counts[kDram], false, true);

  out->total_cycles =
      ((out->mac_cycles + out->lb_cycles) + out->gb_cycles) + out->dram_cycles;

  out->mac_static_energy = mac_static_per_cycle_ * out->total_cycles;
  out->lb_static_energy = lb_static_per_cycle_ * out->total_cycles;
  out->gb_static_energy = gb_static_per_cycle_ * out->total_cycles;
  out->dram_static_energy = dram_static_per_cycle_ * out->total_cycles;
}

void CostModel::ComputeProducts(const Mapping& mapping, Products* products) {
  static constexpr std::array<int, 6> kSpanEnd = {2, 3, 5, 6, 8, 9};
  std::array<uint64_t, kNumParams> running;
  running.fill(1);
  int span = 0;
  for (int row = 0; row < kNumRows; ++row) {
    for (Param param : kAllParams) running[param] *= mapping.rows[row][param];
    if (row == kSpanEnd[span]) products->spans[span++] = running;
  }
}

void CostModel::Evaluate(const Mapping& mapping, Evaluation* out) const {
  Products products;
  ComputeProducts(mapping, &products);
  ComputeTiles(products, out);
  ComputeCounts(mapping, out);
  AdjustCounts(mapping, out);

  out->violations = CheckArrays(mapping, out) | CheckBuffers(mapping, *out);

  ComputeEnergy(out);
  ComputeCycles(out);
}

bool CostModel::EvaluateIfValid(const Mapping& mapping, Evaluation* out) const {
  Products products;
  ComputeProducts(mapping, &products);
  ComputeTiles(products, out);
  out->violations = CheckArrays(mapping, out) | CheckBuffers(mapping, *out);
  if (out->violations != 0) return false;

  ComputeCounts(mapping, out);
  AdjustCounts(mapping, out);
  ComputeEnergy(out);
  ComputeCycles(out);
  return true;
}

bool CostModel::ArrayFits(int array, const Mapping& mapping) const {
  const ArrayConstants& a = arrays_[array];
  const int x_row = 1 + 3 * array;
  uint64_t active = 0;
  return CheckArrayRows(mapping.rows[x_row], mapping.rows[x_row + 1], a.size_x,
                        a.size_y, a.allowed_x, a.allowed_y,
                        Violation::kMacArraySize,
                        Violation::kMacArrayConstraint, &active) == 0;
}

bool CostModel::BufferFits(int level, const Mapping& mapping) const {
  const int last_row = kLevelRows[level];
  std::array<uint64_t, kNumParams> v;
  v.fill(1);
  for (int row = 0; row <= last_row; ++row) {
    for (Param param : kAllParams) v[param] *= mapping.rows[row][param];
  }
  if (buffers_[level].unit && mapping.RowProduct(last_row) != 1) return false;
  return ProductsFit(level, v);
}

bool CostModel::ProductsFit(int level,
                            const std::array<uint64_t, kNumParams>& v) const {
  return TilesFit(level, TilesOf(v, stride_), 1);
}

void CostModel::EvaluateValid(const Mapping& mapping, Evaluation* out) const {
  Products products;
  EvaluateValidFrom(mapping, &products, out);
}

void CostModel::EvaluateValid(const Mapping& mapping,
                              EvaluationState* state) const {
  Products products;
  EvaluateValidFrom(mapping, &products, &state->evaluation);
  state->spans = products.spans;
}

void CostModel::EvaluateValidFrom(const Mapping& mapping, Products* products,
                                  Evaluation* out) const {
  ComputeProducts(mapping, products);
  ComputeTiles(*products, out);
  out->violations = 0;
  out->active_macs =
      mapping.RowProduct(kMacXRow) * mapping.RowProduct(kMacYRow);
  out->active_pes = mapping.RowProduct(kPeXRow) * mapping.RowProduct(kPeYRow);
  out->active_chips =
      mapping.RowProduct(kChipXRow) * mapping.RowProduct(kChipYRow);
  ComputeCounts(mapping, out);
  AdjustCounts(mapping, out);
  ComputeEnergy(out);
  ComputeCycles(out);
}

uint32_t CostModel::Violations(const Mapping& mapping) const {
  Products products;
  ComputeProducts(mapping, &products);
  Evaluation evaluation;
  ComputeTiles(products, &evaluation);
  return CheckArrays(mapping, &evaluation) | CheckBuffers(mapping, evaluation);
}

}  // namespace neurospector
