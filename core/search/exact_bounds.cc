#include "core/search/exact_bounds.h"

#include <algorithm>
#include <limits>

#include "core/cost_terms.h"
#include "core/search/factorization.h"

namespace neurospector {
namespace {

RowFactors FactorsOfVector(const ParamVector& v) {
  return RowFactors{v[kK], v[kG], v[kB] * v[kP] * v[kQ], v[kC] * v[kR] * v[kS]};
}

uint64_t SearchedInstances(const Accelerator& accelerator, int x_row) {
  const SpatialArray& array = accelerator.ArrayOf(x_row);
  const uint64_t x = accelerator.IsSkippable(x_row) ? 1 : array.size_x;
  const uint64_t y = accelerator.IsSkippable(x_row + 1) ? 1 : array.size_y;
  return x * y;
}

// min over a | extent, b | filter of a * b * ((extent / a - 1) * stride +
// filter / b): the smallest input height (or width) that `a * b` outer
// iterations times a tile can cover.
uint64_t MinCoveredExtent(uint64_t extent, uint64_t filter, uint64_t stride) {
  uint64_t best = std::numeric_limits<uint64_t>::max();
  for (uint32_t a : Divisors(static_cast<uint32_t>(extent))) {
    for (uint32_t b : Divisors(static_cast<uint32_t>(filter))) {
      const uint64_t covered =
          uint64_t{a} * b * ((extent / a - 1) * stride + filter / b);
      best = std::min(best, covered);
    }
  }
  return best;
}

size_t IndexOf(const std::vector<uint32_t>& sorted, uint64_t value) {
  return std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin();
}

uint64_t CrsOf(const ParamVector& v) { return v[kC] * v[kR] * v[kS]; }
uint64_t BpqOf(const ParamVector& v) { return v[kB] * v[kP] * v[kQ]; }

}  // namespace

// Cost terms of a partial table: lower bounds, exact where known.
struct ExactBound::Terms {
  double energy = 0;  // pJ
  double cycles = 0;
};

ExactBound::ExactBound(const CostModel& model, const Accelerator& accelerator,
                       const Layer& layer, Metric metric,
                       const DataflowCombination& dataflows)
    : model_(model),
      stride_(layer.stride),
      mac_count_(static_cast<double>(layer.MacCount())),
      metric_(metric),
      static_per_cycle_(model.static_energy_per_cycle()),
      gb_dataflow_(dataflows[kGlobalBufferRow]),
      lb_dataflow_(dataflows[kLocalBufferRow]),
      chip_instances_(SearchedInstances(accelerator, kChipXRow)),
      pe_instances_(SearchedInstances(accelerator, kPeXRow)),
      mac_instances_(SearchedInstances(accelerator, kMacXRow)) {
  for (Param param : kAllParams) params_[param] = layer.params[param];

  // Candidate B*P*Q and C*R*S unrollings of the MAC array: divisors of
  // the layer's products that fit the array.
  for (uint32_t a : Divisors(static_cast<uint32_t>(std::min<uint64_t>(
           BpqOf(params_), std::numeric_limits<uint32_t>::max())))) {
    if (a <= mac_instances_) mac_bpq_candidates_.push_back(a);
  }
  for (uint32_t c : Divisors(static_cast<uint32_t>(std::min<uint64_t>(
           CrsOf(params_), std::numeric_limits<uint32_t>::max())))) {
    if (c <= mac_instances_) mac_crs_candidates_.push_back(c);
  }

  p_divisors_ = Divisors(layer.params[kP]);
  r_divisors_ = Divisors(layer.params[kR]);
  q_divisors_ = Divisors(layer.params[kQ]);
  s_divisors_ = Divisors(layer.params[kS]);
  for (uint32_t p : p_divisors_) {
    for (uint32_t r : r_divisors_) {
      min_height_.push_back(MinCoveredExtent(p, r, stride_));
    }
  }
  for (uint32_t q : q_divisors_) {
    for (uint32_t s : s_divisors_) {
      min_width_.push_back(MinCoveredExtent(q, s, stride_));
    }
  }
}

// Lower bound of |outer| * Itile(v / outer) over every divisor vector
// `outer` of v (the input a level moves when it is split `outer` ways).
uint64_t ExactBound::InputBound(const ParamVector& v) const {
  const uint64_t height =
      min_height_[IndexOf(p_divisors_, v[kP]) * r_divisors_.size() +
                  IndexOf(r_divisors_, v[kR])];
  const uint64_t width =
      min_width_[IndexOf(q_divisors_, v[kQ]) * s_divisors_.size() +
                 IndexOf(s_divisors_, v[kS])];
  return v[kB] * v[kC] * v[kG] * height * width;
}

AccessCounts ExactBound::DramCountsAfterReadOnce(
    const ParamVector& dram) const {
  const RowFactors row = FactorsOfVector(dram);
  AccessCounts counts =
      LevelCounts(row, RowFactors{}, row.crs, gb_dataflow_, true);
  ApplyDramReadOnce(TilesOf(params_, stride_),
                    TilesOf(Divide(params_, dram), stride_), &counts);
  return counts;
}

// DRAM and global-buffer terms: E_DRAM, E_GB_lower, E_GB_upper, the DRAM
// and global-buffer cycles, and E_LB_lower (which moves the same volume as
// E_GB_upper at the local buffer's energies).
void ExactBound::AddOuterTerms(const PartialTable& t, Terms* terms) const {
  const BufferConstants& lb = model_.buffer(kLocalBuffer);
  const BufferConstants& gb = model_.buffer(kGlobalBuffer);
  const BufferConstants& dram_buffer = model_.buffer(kDram);
  const bool gb_summed = gb.organization != BufferOrganization::kSeparate;

  const ParamVector r9 = Divide(params_, t.dram);
  const std::array<TileSizes, kNumLevels> unused_tiles{};
  std::array<TileSizes, kNumLevels> sent = unused_tiles;
  std::array<TileSizes, kNumLevels> allocated = unused_tiles;
  sent[kDram] = TilesOf(r9, stride_);
  allocated[kDram] = TilesOf(params_, stride_);

  // DRAM counts after the read-once rule; the bypass adjustment, which
  // needs the global-buffer row, can only raise them.
  AccessCounts dram = DramCountsAfterReadOnce(t.dram);
  const uint64_t dram_iterations = Product(t.dram);

  if (t.gb_fixed && t.chips_fixed) {
    // Everything outside the PE array is known: the exact terms.
    const ParamVector r7 = Divide(r9, t.chips);
    const ParamVector r6 = Divide(r7, t.gb);
    allocated[kGlobalBuffer] = TilesOf(r7, stride_);
    sent[kGlobalBuffer] = TilesOf(r6, stride_);
    const RowFactors g = FactorsOfVector(t.gb);
    const RowFactors d = FactorsOfVector(t.dram);
    AccessCounts gbc = LevelCounts(g, d, d.crs, lb_dataflow_, false);
    ApplyGlobalBufferReadOnce(allocated[kGlobalBuffer], sent[kGlobalBuffer],
                              dram, &gbc);
    ApplyGlobalBufferBypass(gb.bypass, d, allocated, sent, &dram);

    const double chips = static_cast<double>(Product(t.chips));
    terms->energy +=
        TransferEnergy(sent[kDram], dram, dram_buffer.access_energy_pj);
    terms->energy +=
        TransferEnergy(allocated[kGlobalBuffer], dram, gb.access_energy_pj) *
        chips;
    terms->energy +=
        TransferEnergy(sent[kGlobalBuffer], gbc, gb.access_energy_pj) * chips;
    terms->cycles += LevelCycles(dram_buffer, sent[kDram], dram, false, true);
    terms->cycles +=
        LevelCycles(gb, sent[kGlobalBuffer], gbc, false, gb_summed);

    if (t.pe_fixed) {
      const TileSizes alloc_lb = TilesOf(Divide(r6, t.pe), stride_);
      terms->energy += TransferEnergy(alloc_lb, gbc, lb.access_energy_pj) *
                       (chips * static_cast<double>(Product(t.pe)));
    } else {
      // |pe| * tile(r6 / pe) covers tile(r6) (inputs: the split bound).
      const TileSizes moved = {InputBound(r6), sent[kGlobalBuffer][kWeight],
                               sent[kGlobalBuffer][kOutput]};
      terms->energy += TransferEnergy(moved, gbc, lb.access_energy_pj) * chips;
    }
    return;
  }

  // The global-buffer row is open. `outer` covers the chips: the chip
  // count times a chip's tile covers the tile of the chips' union.
  const ParamVector r7 = t.chips_fixed ? Divide(r9, t.chips) : r9;
  const double chips =
      t.chips_fixed ? static_cast<double>(Product(t.chips)) : 1.0;
  const TileSizes covered = {InputBound(r7), TilesOf(r7, stride_)[kWeight],
                             TilesOf(r7, stride_)[kOutput]};
  terms->energy +=
      TransferEnergy(sent[kDram], dram, dram_buffer.access_energy_pj);
  terms->cycles += LevelCycles(dram_buffer, sent[kDram], dram, false, true);
  terms->energy += TransferEnergy(covered, dram, gb.access_energy_pj) * chips;

  // The volume the global buffer sends to the PEs is at least the covered
  // tile times the smaller of the DRAM count and the DRAM iterations. The
  // first applies when the row does not change the tile, the second (the
  // global-buffer count) when it does. Input-stationary local buffers
  // divide the input count by a factor this bound does not know, so
  // inputs then count once.
  AccessCounts volume;
  volume.input_reads = lb_dataflow_ == Dataflow::kInputStationary
                           ? 0
                           : std::min(dram.input_reads, dram_iterations);
  volume.weight_reads = std::min(dram.weight_reads, dram_iterations);
  volume.output_writes =
      std::min(dram.output_reads + dram.output_writes, dram_iterations);
  TileSizes gb_moved = covered;
  if (lb_dataflow_ == Dataflow::kInputStationary) gb_moved[kInput] = 0;
  const double volume_energy_gb =
      TransferEnergy(gb_moved, volume, gb.access_energy_pj) * chips;
  const double volume_energy_lb =
      TransferEnergy(gb_moved, volume, lb.access_energy_pj) * chips;
  terms->energy += volume_energy_gb + volume_energy_lb;

  // Global-buffer cycles count one chip's traffic. With the chips open,
  // the covered volume is the union over chips, so divide by the most
  // chips possible.
  const double chip_share =
      t.chips_fixed
          ? 1.0
          : static_cast<double>(std::min(Product(r9), chip_instances_));
  std::array<double, kNumDataTypes> gb_cycles{};
  const std::array<uint64_t, kNumDataTypes> count = {
      volume.input_reads, volume.weight_reads, volume.output_writes};
  for (int type = 0; type < kNumDataTypes; ++type) {
    const double words = static_cast<double>(gb_moved[type]) *
                         static_cast<double>(count[type]) / chip_share;
    gb_cycles[type] =
        CeilNonNegative(PerTransfer(words, gb)) * gb.unit_cycles[type];
  }
  terms->cycles += gb_summed ? (gb_cycles[0] + gb_cycles[1]) + gb_cycles[2]
                             : Max3(gb_cycles[0], gb_cycles[1], gb_cycles[2]);
}

// MAC energy, local-buffer traffic to the MACs, MAC and local-buffer
// cycles: functions of the spatial unrolling. With the MAC array open, the
// bound is minimized over the shapes (B*P*Q, C*R*S and K*G products) the
// MAC array could take, which keeps the trade-off between weight reuse,
// output reuse and parallelism instead of granting all three at once.
ExactBound::InnerShape ExactBound::KnownShape(const PartialTable& t) const {
  // The most specific remaining vector: every open group lies inside it.
  ParamVector remaining = Divide(params_, t.dram);
  ParamVector spatial_known{1, 1, 1, 1, 1, 1, 1, 1};
  uint64_t other_open = 1;  // installed instances of open non-MAC arrays
  if (t.chips_fixed) {
    remaining = Divide(remaining, t.chips);
    for (int p = 0; p < kNumParams; ++p) spatial_known[p] *= t.chips[p];
  } else {
    other_open *= chip_instances_;
  }
  if (t.gb_fixed) remaining = Divide(remaining, t.gb);
  if (t.pe_fixed) {
    remaining = Divide(remaining, t.pe);
    for (int p = 0; p < kNumParams; ++p) spatial_known[p] *= t.pe[p];
  } else {
    other_open *= pe_instances_;
  }

  InnerShape known;
  known.remaining_vector = remaining;
  known.remaining = Product(remaining);
  known.remaining_crs = CrsOf(remaining);
  known.spatial = static_cast<double>(Product(spatial_known));
  known.spatial_crs = static_cast<double>(CrsOf(spatial_known));
  known.other_open = other_open;
  return known;
}

double ExactBound::InnerObjectiveWithMac(InnerShape known,
                                         const ParamVector& mac_values) const {
  const TileSizes tile = TilesOf(mac_values, stride_);
  const uint64_t macs = Product(mac_values);
  const uint64_t crs = CrsOf(mac_values);
  MacShape mac;
  mac.per_mac = {static_cast<double>(tile[kInput]) / macs,
                 static_cast<double>(tile[kWeight]) / macs,
                 static_cast<double>(tile[kOutput]) / macs};
  mac.tile = tile;
  // A fixed (or absent) MAC array is part of the known unrolling.
  known.spatial *= static_cast<double>(macs);
  known.spatial_crs *= static_cast<double>(crs);
  known.remaining /= macs;
  known.remaining_crs /= crs;
  return InnerObjectiveFor(known, mac);
}

double ExactBound::InnerObjective(const PartialTable& t) const {
  const InnerShape known = KnownShape(t);
  if (t.mac_fixed || mac_instances_ == 1) {
    return InnerObjectiveWithMac(known, t.mac);
  }
  const ParamVector& remaining = known.remaining_vector;

  // Shapes of the open MAC array: a = B*P*Q, c = C*R*S (divisors of the
  // remaining products), and as much K*G as the array and the remaining
  // factors allow, which only lowers every term.
  const uint64_t bpq = BpqOf(remaining);
  const uint64_t crs = CrsOf(remaining);
  const uint64_t kg = remaining[kK] * remaining[kG];
  const uint64_t pq = remaining[kP] * remaining[kQ];
  const uint64_t rs = remaining[kR] * remaining[kS];
  double best = std::numeric_limits<double>::infinity();
  for (uint32_t a : mac_bpq_candidates_) {
    if (bpq % a != 0) continue;
    for (uint32_t c : mac_crs_candidates_) {
      if (uint64_t{a} * c > mac_instances_) break;
      if (crs % c != 0) continue;
      const uint64_t room = mac_instances_ / (uint64_t{a} * c);
      const uint64_t r = std::min(kg, room);
      // An input feeds the MACs of the unrolled K, and of P (Q) only
      // together with R (S): with stride s >= 1 a window of P*R MACs
      // reads (P - 1) * s + R rows, so P*R / ((P - 1) * s + R) <=
      // min(P, R). Hence the reuse is at most k * min(P*Q, R*S), and
      // P*Q <= a, R*S <= c. With stride 0 the input is independent of P
      // and Q, so they add full reuse.
      const uint64_t window =
          stride_ == 0 ? std::min<uint64_t>(a, pq)
                       : std::min({uint64_t{a}, uint64_t{c}, pq, rs});
      const double input_reuse =
          static_cast<double>(std::min(remaining[kK], room)) *
          static_cast<double>(window);
      MacShape mac;
      mac.macs = uint64_t{a} * c * r;
      mac.crs = c;
      mac.per_mac = {1.0 / input_reuse, 1.0 / a, 1.0 / c};
      mac.tile = {1, c, a};  // K*C*R*S*G >= c, K*B*P*Q*G >= a
      best = std::min(best, InnerObjectiveFor(known, mac));
    }
  }
  return best;
}

// The inner objective for one MAC shape (exact for a fixed MAC array).
double ExactBound::InnerObjectiveFor(const InnerShape& known,
                                     const MacShape& mac) const {
  const BufferConstants& lb = model_.buffer(kLocalBuffer);

  // Iterations inside the local buffer: the MAC count over all active
  // instances; the open non-MAC arrays add at most what remains.
  const double macs = static_cast<double>(mac.macs);
  const double others = std::min(static_cast<double>(known.remaining) / macs,
                                 static_cast<double>(known.other_open));
  const double inner_iterations = mac_count_ / (known.spatial * macs * others);
  const double crs_temporal =
      static_cast<double>(CrsOf(params_)) /
      (known.spatial_crs *
       static_cast<double>(
           std::min(known.remaining_crs, mac.crs * known.other_open)));
  const double output_factor = 2.0 - 1.0 / std::max(crs_temporal, 1.0);

  const double energy =
      mac_count_ * model_.mac_energy_pj() +
      mac_count_ *
          ((mac.per_mac[kInput] * lb.access_energy_pj[kInput] +
            mac.per_mac[kWeight] * lb.access_energy_pj[kWeight]) +
           mac.per_mac[kOutput] * lb.access_energy_pj[kOutput] * output_factor);

  std::array<double, kNumDataTypes> lb_cycles;
  for (int type = 0; type < kNumDataTypes; ++type) {
    lb_cycles[type] =
        CeilNonNegative(PerTransfer(static_cast<double>(mac.tile[type]), lb)) *
        inner_iterations * (type == kOutput ? output_factor : 1.0) *
        lb.unit_cycles[type];
  }
  const double cycles =
      inner_iterations + (lb.organization == BufferOrganization::kSeparate
                              ? Max3(lb_cycles[0], lb_cycles[1], lb_cycles[2])
                              : (lb_cycles[0] + lb_cycles[1]) + lb_cycles[2]);
  if (metric_ == Metric::kCycle) return cycles;
  return energy + static_per_cycle_ * cycles;
}

double ExactBound::OuterObjective(const PartialTable& table) const {
  Terms terms;
  AddOuterTerms(table, &terms);
  return metric_ == Metric::kCycle
             ? terms.cycles
             : terms.energy + static_per_cycle_ * terms.cycles;
}

double ExactBound::LowerBound(const PartialTable& table) const {
  return OuterObjective(table) + InnerObjective(table);
}

}  // namespace neurospector
