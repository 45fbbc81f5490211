// The incremental re-evaluations of CostModel and the bottom-up search's
// level costs: the parts of the model that the searches' inner loops call
// after a few rows change.

#include <array>
#include <cstdint>

#include "core/cost_model.h"
#include "core/cost_terms.h"

namespace neurospector {

namespace {

constexpr std::array<int, 6> kSpanStart = {0, 3, 4, 6, 7, 9};
constexpr std::array<int, 6> kSpanEnd = {2, 3, 5, 6, 8, 9};

// Rebuilds the column products of span `kSpan` from those of the span
// below it, and its tiles. The row range is fixed at compile time so that
// the loops unroll. Values go element by element: copying whole arrays
// just written in registers goes through the stack and stalls store
// forwarding.
template <int kSpan>
void RebuildSpan(const Mapping& mapping, uint64_t stride,
                 EvaluationState* state) {
  std::array<uint64_t, kNumParams> running;
  for (int param = 0; param < kNumParams; ++param) {
    running[param] = mapping.rows[kSpanStart[kSpan]][param];
    if constexpr (kSpan > 0) running[param] *= state->spans[kSpan - 1][param];
  }
  for (int row = kSpanStart[kSpan] + 1; row <= kSpanEnd[kSpan]; ++row) {
    for (int param = 0; param < kNumParams; ++param) {
      running[param] *= mapping.rows[row][param];
    }
  }
  for (int param = 0; param < kNumParams; ++param) {
    state->spans[kSpan][param] = running[param];
  }
  Evaluation& out = state->evaluation;
  WriteTiles(running, stride,
             &(kSpan % 2 == 0 ? out.sent_tiles
                              : out.allocated_tiles)[kSpan / 2]);
}

}  // namespace

// Spans ending below first_row or at last_row and above keep their
// products; the others are rebuilt from the last unchanged span below.
void CostModel::RecomputeSpans(const Mapping& mapping, int first_row,
                               int last_row, EvaluationState* state) const {
  int span = 0;
  while (span < 6 && kSpanEnd[span] < first_row) ++span;
  for (; span < 6 && kSpanEnd[span] < last_row; ++span) {
    switch (span) {
      case 0:
        RebuildSpan<0>(mapping, stride_, state);
        break;
      case 1:
        RebuildSpan<1>(mapping, stride_, state);
        break;
      case 2:
        RebuildSpan<2>(mapping, stride_, state);
        break;
      case 3:
        RebuildSpan<3>(mapping, stride_, state);
        break;
      case 4:
        RebuildSpan<4>(mapping, stride_, state);
        break;
      default:
        RebuildSpan<5>(mapping, stride_, state);
        break;
    }
  }
}

void CostModel::ReevaluateRows(const Mapping& mapping, int first_row,
                               int last_row, EvaluationState* state) const {
  Evaluation* out = &state->evaluation;
  RecomputeSpans(mapping, first_row, last_row, state);

  const auto touches = [&](int x_row) {
    return x_row + 1 >= first_row && x_row <= last_row;
  };
  if (touches(kMacXRow)) {
    out->active_macs =
        mapping.RowProduct(kMacXRow) * mapping.RowProduct(kMacYRow);
  }
  if (touches(kPeXRow)) {
    out->active_pes = mapping.RowProduct(kPeXRow) * mapping.RowProduct(kPeYRow);
  }
  if (touches(kChipXRow)) {
    out->active_chips =
        mapping.RowProduct(kChipXRow) * mapping.RowProduct(kChipYRow);
  }

  ComputeCounts(mapping, out);
  AdjustCounts(mapping, out);
  ComputeEnergy(out);
  ComputeCycles(out);
}

// Updates the spans, active counts and access counts of a row-pair move
// (see ReevaluateRowPair) and returns whether the MAC and local-buffer
// terms toward the MACs are unchanged.
bool CostModel::UpdateRowPair(const Mapping& mapping, int row_a, int row_b,
                              EvaluationState* state) const {
  Evaluation* out = &state->evaluation;
  RecomputeSpans(mapping, row_a, row_b, state);

  bool active_changed = false;
  const auto moved = [&](int x_row) {
    return row_a == x_row || row_a == x_row + 1 || row_b == x_row ||
           row_b == x_row + 1;
  };
  if (moved(kMacXRow)) {
    out->active_macs =
        mapping.RowProduct(kMacXRow) * mapping.RowProduct(kMacYRow);
    active_changed = true;
  }
  if (moved(kPeXRow)) {
    out->active_pes = mapping.RowProduct(kPeXRow) * mapping.RowProduct(kPeYRow);
    active_changed = true;
  }
  if (moved(kChipXRow)) {
    out->active_chips =
        mapping.RowProduct(kChipXRow) * mapping.RowProduct(kChipYRow);
    active_changed = true;
  }

  // The local buffer's counts depend on its own row and on the product of
  // the global-buffer and DRAM rows: moving factors between those two rows
  // keeps the product. Its traffic to the MACs also needs the tile sent
  // from rows 0..2 and the active PEs and chips.
  const auto outer_temporal = [](int row) {
    return row == kGlobalBufferRow || row == kDramRow;
  };
  const bool lb_counts_kept =
      row_a != kLocalBufferRow && row_b != kLocalBufferRow &&
      outer_temporal(row_a) == outer_temporal(row_b);

  const RowFactors dram = FactorsOf(mapping.rows[kDramRow]);
  const RowFactors gb = FactorsOf(mapping.rows[kGlobalBufferRow]);
  if (!lb_counts_kept) {
    out->counts[kLocalBuffer] =
        LevelCounts(FactorsOf(mapping.rows[kLocalBufferRow]), gb * dram,
                    dram.crs, Dataflow::kNone, false);
  }
  out->counts[kGlobalBuffer] = LevelCounts(
      gb, dram, dram.crs, mapping.dataflows[kLocalBufferRow], false);
  out->counts[kDram] = LevelCounts(dram, RowFactors{}, dram.crs,
                                   mapping.dataflows[kGlobalBufferRow], true);
  AdjustCounts(mapping, out);
  return lb_counts_kept && row_a > kMacYRow && !active_changed;
}

void CostModel::ReevaluateRowPair(const Mapping& mapping, int row_a,
                                  int row_b, EvaluationState* state) const {
  const bool inner_kept = UpdateRowPair(mapping, row_a, row_b, state);
  ComputeEnergy(&state->evaluation,
                inner_kept ? kAllEnergyTerms & ~kMacAndLbUpper
                           : kAllEnergyTerms);
  ComputeCycles(&state->evaluation, !inner_kept);
}

double CostModel::ReevaluateRowPairCost(const Mapping& mapping, int row_a,
                                        int row_b, Metric metric,
                                        EvaluationState* state) const {
  const bool inner_kept = UpdateRowPair(mapping, row_a, row_b, state);
  uint32_t terms = LevelCostTerms(row_b, metric);
  if (inner_kept) terms &= ~kMacAndLbUpper;
  ComputeEnergy(&state->evaluation, terms);
  ComputeCycles(&state->evaluation, !inner_kept);
  return LevelCost(state->evaluation, row_b, metric);
}

// The dynamic energy terms that LevelCost(row, metric) adds up.
uint32_t CostModel::LevelCostTerms(int row, Metric metric) const {
  if (metric == Metric::kCycle) return 0;
  switch (row) {
    case kDramRow:
      return kDramDynamic | kGbLower;
    case kGlobalBufferRow:
      return single_mac_ ? kGbUpper | kLbLower | kMacAndLbUpper
                         : kGbUpper | kLbLower;
    default:
      return kMacAndLbUpper;
  }
}

double CostModel::LevelCost(const Evaluation& e, int row, Metric metric) const {
  if (metric == Metric::kCycle) {
    switch (row) {
      case kDramRow:
        return e.dram_cycles + e.mac_cycles;
      case kGlobalBufferRow:
        return (e.gb_cycles + e.lb_cycles) + e.mac_cycles;
      default:
        return e.lb_cycles + e.mac_cycles;
    }
  }
  switch (row) {
    case kDramRow:
      return ((e.dram_dynamic_energy + e.gb_lower_energy) +
              e.dram_static_energy) +
             e.mac_static_energy;
    case kGlobalBufferRow:
      if (!single_mac_) {
        return ((e.gb_upper_energy + e.lb_lower_energy) + e.gb_static_energy) +
               e.mac_static_energy;
      }
      return ((((e.gb_upper_energy + e.lb_lower_energy) + e.lb_upper_energy) +
               e.gb_static_energy) +
              e.lb_static_energy) +
             e.mac_static_energy;
    default:
      return (e.lb_upper_energy + e.lb_static_energy) + e.mac_static_energy;
  }
}

}  // namespace neurospector
