// The analytical cost model: turns a scheduling table into tile sizes,
// access counts, validity, energy (pJ) and cycles.
//
// It follows NeuroSpector v1.5, including its modelling choices:
//   * a level's dataflow only changes the access counts of the next outer
//     level;
//   * the input-stationary count falls back to the larger of the row's
//     B*P*Q and C*R*S products when the row's K is 1;
//   * the read-once and bypass adjustments of the DRAM and global-buffer
//     counts apply, with the input-bypass case scaling the DRAM output
//     writes and only the first matching bypass case applied;
//   * the cycles of the levels add up without overlap.
// Unlike the reference, integers are 64-bit and real values are doubles,
// so large layers neither wrap nor lose precision, and capacities are
// compared exactly.

#ifndef NEUROSPECTOR_CORE_COST_MODEL_H_
#define NEUROSPECTOR_CORE_COST_MODEL_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/accelerator.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/types.h"

namespace neurospector {

// The three modelled buffer levels.
enum Level : int { kLocalBuffer = 0, kGlobalBuffer = 1, kDram = 2 };
inline constexpr int kNumLevels = 3;

// Table row of each level.
inline constexpr std::array<int, kNumLevels> kLevelRows = {
    kLocalBufferRow, kGlobalBufferRow, kDramRow};

// Tile sizes in elements, indexed by DataType.
using TileSizes = std::array<uint64_t, kNumDataTypes>;

// Access counts of one level, in units of one sent tile of that level.
struct AccessCounts {
  uint64_t input_reads = 0;
  uint64_t weight_reads = 0;
  uint64_t output_reads = 0;
  uint64_t output_writes = 0;
};

// Reasons a table is invalid. A table may have several.
enum class Violation : uint32_t {
  kRegisterRow = 0,     // the register row is not all ones
  kMacArraySize,        // more MAC units used than the array has
  kMacArrayConstraint,  // a parameter unrolled that CONSTRAINT_X/Y excludes
  kPeArraySize,
  kPeArrayConstraint,
  kMultiChipsSize,
  kMultiChipsConstraint,
  kLocalBufferCapacity,  // a tile does not fit (or a unit row is not ones)
  kGlobalBufferCapacity,
  kLocalBufferConstraint,  // a row value differs from CONSTRAINT
  kGlobalBufferConstraint,
  kDramConstraint,
};
inline constexpr int kNumViolations = 12;

// snake_case name of a violation ("local_buffer_capacity", ...).
absl::string_view ViolationName(Violation violation);

// Names of the violations set in `mask`, in enum order.
std::vector<absl::string_view> ViolationNames(uint32_t mask);

constexpr uint32_t ViolationBit(Violation violation) {
  return uint32_t{1} << static_cast<uint32_t>(violation);
}

// Everything the model computes for one table. Energies in pJ, cycles in
// clock cycles. Trivially copyable.
struct Evaluation {
  // Per level (Level index): the tile handed to everything inside the level
  // in one access, and the tile the level must hold.
  std::array<TileSizes, kNumLevels> sent_tiles;
  std::array<TileSizes, kNumLevels> allocated_tiles;
  std::array<AccessCounts, kNumLevels> counts;

  // Active instances of each array (product of the X and Y rows).
  uint64_t active_macs = 1;
  uint64_t active_pes = 1;
  uint64_t active_chips = 1;

  uint32_t violations = 0;  // bit set of Violation

  double mac_dynamic_energy = 0;
  double lb_upper_energy = 0;  // local buffer <-> MACs
  double lb_lower_energy = 0;  // local buffer refills from the global buffer
  double gb_upper_energy = 0;  // global buffer <-> PE array
  double gb_lower_energy = 0;  // global buffer refills from DRAM
  double dram_dynamic_energy = 0;

  double mac_static_energy = 0;
  double lb_static_energy = 0;
  double gb_static_energy = 0;
  double dram_static_energy = 0;

  double mac_cycles = 0;
  double lb_cycles = 0;
  double gb_cycles = 0;
  double dram_cycles = 0;
  double total_cycles = 0;

  bool valid() const { return violations == 0; }
  double lb_dynamic_energy() const { return lb_upper_energy + lb_lower_energy; }
  double gb_dynamic_energy() const { return gb_upper_energy + gb_lower_energy; }
  double total_dynamic_energy() const {
    return ((mac_dynamic_energy + lb_dynamic_energy()) + gb_dynamic_energy()) +
           dram_dynamic_energy;
  }
  double total_static_energy() const {
    return ((mac_static_energy + lb_static_energy) + gb_static_energy) +
           dram_static_energy;
  }
  double total_energy() const {
    return total_dynamic_energy() + total_static_energy();
  }
  // The search objective: total energy (dynamic + static) or total cycles.
  double Objective(Metric metric) const {
    return metric == Metric::kEnergy ? total_energy() : total_cycles;
  }
};

// An evaluation together with the column products its tiles come from, so
// that CostModel::ReevaluateRows can update it when a search changes a few
// rows. Trivially copyable.
struct EvaluationState {
  // Column products of rows 0..2, 0..3, 0..5, 0..6, 0..8 and 0..9.
  std::array<std::array<uint64_t, kNumParams>, 6> spans;
  Evaluation evaluation;
};

// Per-buffer constants of a CostModel, derived from the accelerator.
struct BufferConstants {
  BufferOrganization organization = BufferOrganization::kShared;
  double shared_capacity = 0;  // elements
  std::array<double, kNumDataTypes> private_capacity = {0, 0, 0};
  std::array<bool, kNumDataTypes> bypass = {false, false, false};
  std::array<double, kNumDataTypes> access_energy_pj = {0, 0, 0};
  std::array<double, kNumDataTypes> unit_cycles = {0, 0, 0};
  double words_per_cycle = 1;  // bandwidth / precision
  // 1 / words_per_cycle when that is exact (a power of two), else 0.
  double exact_inverse = 0;
  // log2(words_per_cycle) when words_per_cycle is a power of two from 1
  // to 2^52, else -1: transfers then round up with integer shifts.
  int words_shift = -1;
  bool unit = false;  // a unit row must stay all ones
  RowValues constraint = {0, 0, 0, 0, 0, 0, 0, 0};
  bool has_constraint = false;
};

// Per-array constants of a CostModel.
struct ArrayConstants {
  uint32_t size_x = 1;
  uint32_t size_y = 1;
  uint8_t allowed_x = 0xff;
  uint8_t allowed_y = 0xff;
};

// Per-(accelerator, layer) constants and the evaluation itself. Create one
// per layer and reuse it for every table; Evaluate does no heap allocation.
// Immutable after construction, so concurrent calls are safe.
class CostModel {
 public:
  CostModel(const Accelerator& accelerator, const Layer& layer);

  // Computes every figure of `mapping`, valid or not. The dataflows are
  // taken from mapping.dataflows (local buffer row 3 and global buffer row
  // 6). `mapping` need not satisfy the column products.
  void Evaluate(const Mapping& mapping, Evaluation* out) const;

  // Returns the violations of `mapping` (0 when valid). Cheaper than
  // Evaluate: no energies or cycles.
  uint32_t Violations(const Mapping& mapping) const;

  // Whether array `array` (0: MAC array, 1: PE array, 2: chips) of
  // `mapping` is within its size and its CONSTRAINT_X/Y.
  bool ArrayFits(int array, const Mapping& mapping) const;

  // Whether the allocated tiles of buffer `level` (kLocalBuffer or
  // kGlobalBuffer) fit its capacity (and a unit buffer's row is all ones).
  // Memory CONSTRAINTs are not checked. The tiles only grow when values of
  // rows up to the level's row grow, so searches use this to prune partial
  // tables.
  bool BufferFits(int level, const Mapping& mapping) const;

  // Evaluates `mapping`, which the caller knows to be valid: the checks
  // are skipped and out->violations is 0.
  void EvaluateValid(const Mapping& mapping, Evaluation* out) const;

  // Like EvaluateValid, keeping the column products in `state` for
  // ReevaluateRows.
  void EvaluateValid(const Mapping& mapping, EvaluationState* state) const;

  // Re-evaluates `mapping`, which the caller knows to be valid and which
  // differs from the table last evaluated into `state` only in rows
  // first_row..last_row, with each column's product over those rows
  // unchanged: factors moved between those rows, as the searches do.
  // Recomputes only the column products and tiles of the spans that end
  // inside the range (the others cannot change), the active counts of the
  // arrays with a row in it, and then the counts, energies and cycles.
  // Gives the same results as EvaluateValid.
  void ReevaluateRows(const Mapping& mapping, int first_row, int last_row,
                      EvaluationState* state) const;

  // Like ReevaluateRows when factors moved between exactly two rows,
  // row_a < row_b (a split of one row between two levels): also keeps the
  // local buffer's counts, its traffic to the MACs and the MAC and
  // local-buffer cycles when the two rows cannot change them.
  void ReevaluateRowPair(const Mapping& mapping, int row_a, int row_b,
                         EvaluationState* state) const;

  // Like ReevaluateRowPair followed by LevelCost(state->evaluation, row_b,
  // metric), and cheaper: it computes only the dynamic energies that the
  // level cost adds up. The other energies of state->evaluation are left
  // stale until the next EvaluateValid or ReevaluateRows into `state`.
  // Successive calls must use the same row_b and metric.
  double ReevaluateRowPairCost(const Mapping& mapping, int row_a, int row_b,
                               Metric metric, EvaluationState* state) const;

  // Whether the tiles of buffer `level` for column products `v` (the
  // products of the rows up to the level's row) fit its capacity. Unit
  // rows and memory CONSTRAINTs are not checked.
  bool ProductsFit(int level, const std::array<uint64_t, kNumParams>& v) const;

  // Evaluates `mapping` fully if it is valid and returns true; otherwise
  // returns false with only out->violations, the tiles and the active
  // counts set. The search's inner loop uses it to skip invalid tables
  // cheaply.
  bool EvaluateIfValid(const Mapping& mapping, Evaluation* out) const;

  // Partial cost the bottom-up search ranks candidates by for the level at
  // `row` (9, 6 or 3): the terms that the rows between that level and the
  // next inner buffer influence, plus the MAC static energy.
  double LevelCost(const Evaluation& evaluation, int row, Metric metric) const;

  uint64_t mac_count() const { return mac_count_; }
  uint32_t stride() const { return stride_; }
  const BufferConstants& buffer(int level) const { return buffers_[level]; }
  const ArrayConstants& array(int index) const { return arrays_[index]; }
  double mac_energy_pj() const { return mac_energy_pj_; }
  // Sum of the static energy per cycle (pJ) of every installed component:
  // the energy metric pays it for every cycle of the run.
  double static_energy_per_cycle() const {
    return ((mac_static_per_cycle_ + lb_static_per_cycle_) +
            gb_static_per_cycle_) +
           dram_static_per_cycle_;
  }

 private:
  struct Products;

  static void ComputeProducts(const Mapping& mapping, Products* products);
  void EvaluateValidFrom(const Mapping& mapping, Products* products,
                         Evaluation* out) const;
  void ComputeTiles(const Products& products, Evaluation* out) const;
  void ComputeCounts(const Mapping& mapping, Evaluation* out) const;
  void AdjustCounts(const Mapping& mapping, Evaluation* out) const;
  uint32_t CheckArrays(const Mapping& mapping, Evaluation* out) const;
  uint32_t CheckBuffers(const Mapping& mapping, const Evaluation& eval) const;
  bool TilesFit(int level, const TileSizes& tile, uint64_t row_product) const;
  // Dynamic energy terms of an Evaluation, as bits for ComputeEnergy.
  enum EnergyTerm : uint32_t {
    kMacAndLbUpper = 1,  // MAC energy and local buffer to MACs
    kLbLower = 2,        // global buffer to local buffers, at the LBs
    kGbUpper = 4,        // global buffer to local buffers, at the GB
    kGbLower = 8,        // DRAM to global buffer, at the GB
    kDramDynamic = 16,
    kAllEnergyTerms = 31,
  };

  bool UpdateRowPair(const Mapping& mapping, int row_a, int row_b,
                     EvaluationState* state) const;
  uint32_t LevelCostTerms(int row, Metric metric) const;
  void ComputeEnergy(Evaluation* out,
                     uint32_t terms = kAllEnergyTerms) const;
  void ComputeCycles(Evaluation* out, bool inner_changed = true) const;
  void RecomputeSpans(const Mapping& mapping, int first_row, int last_row,
                      EvaluationState* state) const;

  uint32_t stride_;
  uint64_t mac_count_;
  double mac_count_real_;
  double mac_energy_pj_;
  std::array<BufferConstants, kNumLevels> buffers_;
  std::array<ArrayConstants, 3> arrays_;  // MAC, PE, chips
  bool single_mac_ = true;                // the MAC array has one instance
  // Static energy per cycle (pJ) of every installed MAC, local buffer,
  // global buffer and DRAM.
  double mac_static_per_cycle_ = 0;
  double lb_static_per_cycle_ = 0;
  double gb_static_per_cycle_ = 0;
  double dram_static_per_cycle_ = 0;
};

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_COST_MODEL_H_
