// Lower bounds on the objective of every table that completes a partial
// table, for the exact search's branch and bound.
//
// The exact search fixes the table from the outside in: the DRAM row, the
// chips (X times Y), the global-buffer row, the PE array, the MAC array,
// and the local-buffer row takes what remains. As soon as the groups a
// cost term depends on are fixed, the term is computed exactly. Until then
// it is bounded from below by relations that hold for every completion:
//   * access counts only grow through the global-buffer bypass adjustment,
//     so the DRAM counts after the read-once rule bound the final ones;
//   * a level's tile times the number of instances or iterations that
//     split it covers at least the undivided tile (for inputs, with the
//     halo minimized over every split of P, R and Q, S);
//   * the iterations inside the local buffer times all active instances
//     equal the layer's MAC count, and the unknown arrays can add at most
//     their installed size or the remaining factors, whichever is smaller.
// Every bound is at most the cost the CostModel computes for any
// completion (tests check this exhaustively on small layers).

#ifndef NEUROSPECTOR_CORE_SEARCH_EXACT_BOUNDS_H_
#define NEUROSPECTOR_CORE_SEARCH_EXACT_BOUNDS_H_

#include <array>
#include <cstdint>
#include <vector>

#include "core/accelerator.h"
#include "core/cost_model.h"
#include "core/layer.h"
#include "core/search/dataflows.h"
#include "core/types.h"

namespace neurospector {

using ParamVector = std::array<uint64_t, kNumParams>;

// A table fixed from the outside in. Groups not yet fixed are ignored;
// groups the accelerator does not search count as fixed all-ones vectors.
struct PartialTable {
  ParamVector dram{1, 1, 1, 1, 1, 1, 1, 1};   // row 9
  ParamVector chips{1, 1, 1, 1, 1, 1, 1, 1};  // rows 7 x 8, per parameter
  ParamVector gb{1, 1, 1, 1, 1, 1, 1, 1};     // row 6
  ParamVector pe{1, 1, 1, 1, 1, 1, 1, 1};     // rows 4 x 5
  ParamVector mac{1, 1, 1, 1, 1, 1, 1, 1};    // rows 1 x 2
  bool chips_fixed = false;
  bool gb_fixed = false;
  bool pe_fixed = false;
  bool mac_fixed = false;
};

class ExactBound {
 public:
  // Bounds for `layer` on `accelerator` under `metric` and `dataflows`.
  // Groups the accelerator does not search are all ones in every table.
  ExactBound(const CostModel& model, const Accelerator& accelerator,
             const Layer& layer, Metric metric,
             const DataflowCombination& dataflows);

  // Lower bound on the objective (metric) of every valid completion of
  // `table`: OuterObjective + InnerObjective. `table.dram` must be fixed.
  double LowerBound(const PartialTable& table) const;

  // The terms of the DRAM, the global buffer and the local buffer's refills
  // (which do not depend on the MAC array).
  double OuterObjective(const PartialTable& table) const;

  // The MAC energy, the traffic between the local buffer and the MACs, and
  // the MAC and local-buffer cycles.
  double InnerObjective(const PartialTable& table) const;

  // The fixed groups as the inner terms see them.
  struct InnerShape {
    ParamVector remaining_vector{1, 1, 1, 1, 1, 1, 1, 1};  // open rows
    uint64_t remaining = 1;      // product of the open rows
    uint64_t remaining_crs = 1;  // their C*R*S product
    double spatial = 1;          // active instances of the fixed arrays
    double spatial_crs = 1;      // C*R*S unrolled by the fixed arrays
    uint64_t other_open = 1;     // installed instances of open non-MAC arrays
  };

  // KnownShape(table) once per parent, then InnerObjectiveWithMac for each
  // MAC-array vector: InnerObjective of the table with that MAC array.
  InnerShape KnownShape(const PartialTable& table) const;
  double InnerObjectiveWithMac(InnerShape known,
                               const ParamVector& mac_values) const;

 private:
  struct Terms;

  // A MAC-array shape: its instances, C*R*S unrolling, tile per MAC and
  // tiles sent to it (lower bounds when the MAC array is open).
  struct MacShape {
    uint64_t macs = 1;
    uint64_t crs = 1;
    std::array<double, kNumDataTypes> per_mac = {1, 1, 1};
    TileSizes tile = {1, 1, 1};
  };

  uint64_t InputBound(const ParamVector& v) const;
  AccessCounts DramCountsAfterReadOnce(const ParamVector& dram) const;
  void AddOuterTerms(const PartialTable& table, Terms* terms) const;
  double InnerObjectiveFor(const InnerShape& known, const MacShape& mac) const;

  const CostModel& model_;
  ParamVector params_;
  uint64_t stride_;
  double mac_count_;
  Metric metric_;
  double static_per_cycle_;
  Dataflow gb_dataflow_;
  Dataflow lb_dataflow_;
  // Installed instances of each array the search may use (1 if none).
  uint64_t chip_instances_;
  uint64_t pe_instances_;
  uint64_t mac_instances_;
  // min over splits (a | P, b | R) of a * b * ((P/a - 1) * stride + R/b),
  // indexed by the divisor indices of P and R (and likewise Q, S).
  std::vector<uint32_t> p_divisors_, r_divisors_, q_divisors_, s_divisors_;
  std::vector<uint64_t> min_height_, min_width_;
  std::vector<uint32_t> mac_bpq_candidates_, mac_crs_candidates_;
};

// Component-wise quotient a / b of vectors (b divides a).
inline ParamVector Divide(const ParamVector& a, const ParamVector& b) {
  ParamVector out;
  for (int p = 0; p < kNumParams; ++p) out[p] = a[p] / b[p];
  return out;
}

inline uint64_t Product(const ParamVector& v) {
  uint64_t product = 1;
  for (uint64_t value : v) product *= value;
  return product;
}

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_SEARCH_EXACT_BOUNDS_H_
