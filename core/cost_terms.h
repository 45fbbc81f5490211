// Building blocks of the cost model shared by CostModel and the searches'
// bounds: row factor products, access counts, tile sizes, transfer energy
// and level cycles. Header-only so that they inline into the inner loops.

#ifndef NEUROSPECTOR_CORE_COST_TERMS_H_
#define NEUROSPECTOR_CORE_COST_TERMS_H_

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/cost_model.h"
#include "core/types.h"

namespace neurospector {

// Per temporal row: the row's K, G, B*P*Q and C*R*S products.
struct RowFactors {
  uint64_t k = 1, g = 1, bpq = 1, crs = 1;
};

inline RowFactors FactorsOf(const RowValues& row) {
  return RowFactors{row[kK], row[kG], uint64_t{row[kB]} * row[kP] * row[kQ],
                    uint64_t{row[kC]} * row[kR] * row[kS]};
}

inline RowFactors operator*(const RowFactors& a, const RowFactors& b) {
  return RowFactors{a.k * b.k, a.g * b.g, a.bpq * b.bpq, a.crs * b.crs};
}

// "Irrelevant" loop product of a row for the data type a dataflow keeps
// stationary: K for inputs (or, when K is 1, the larger of B*P*Q and C*R*S),
// B*P*Q for weights, C*R*S for outputs.
inline uint64_t IrrelevantProduct(const RowFactors& row, DataType type) {
  switch (type) {
    case kInput:
      if (row.k != 1) return row.k;
      return row.bpq > row.crs ? row.bpq : row.crs;
    case kWeight:
      return row.bpq;
    case kOutput:
      return row.crs;
  }
  return 1;
}

// Access counts of the level at temporal row `x`, whose own row has
// factors `own`, `outer` is the product of the temporal rows outside it and
// `dram_crs` the C*R*S product of the DRAM row. The divisions of the model
// (iterations / irrelevant product) are exact, so they are done by leaving
// the irrelevant factor out of the product.
inline AccessCounts LevelCounts(const RowFactors& own, const RowFactors& outer,
                                uint64_t dram_crs, Dataflow dataflow,
                                bool is_dram) {
  const RowFactors all = own * outer;
  const uint64_t outer_product = outer.k * outer.g * outer.bpq * outer.crs;
  const uint64_t iterations = all.k * all.g * all.bpq * all.crs;

  AccessCounts counts;
  counts.input_reads = iterations;
  counts.weight_reads = iterations;
  counts.output_writes = iterations;
  const uint64_t output_base = all.g * all.k * all.bpq;
  counts.output_reads = output_base * (all.crs - 1);

  switch (dataflow) {
    case Dataflow::kInputStationary:
      // own_product / IrrelevantProduct(own, kInput), without a division.
      counts.input_reads =
          outer_product * own.g *
          (own.k != 1 ? own.bpq * own.crs : std::min(own.bpq, own.crs));
      break;
    case Dataflow::kWeightStationary:
      counts.weight_reads = outer_product * own.k * own.crs * own.g;
      break;
    case Dataflow::kOutputStationary:
      counts.output_writes = outer_product * own.k * own.bpq * own.g;
      counts.output_reads = is_dram ? 0 : output_base * (dram_crs - 1);
      break;
    case Dataflow::kNone:
      break;
  }
  return counts;
}

// Converts an integer to double. The layer checks keep every count and
// tile below 2^63, so the cheaper signed conversion is exact in the same
// cases as the unsigned one.
inline double Real(uint64_t value) {
  return static_cast<double>(static_cast<int64_t>(value));
}

// std::ceil for non-negative values, without a library call on x86-64
// baselines that lack SSE4.1.
inline double CeilNonNegative(double value) {
  if (!(value < 4503599627370496.0)) return value;  // 2^52: integral
  const double truncated = static_cast<double>(static_cast<int64_t>(value));
  return truncated < value ? truncated + 1 : truncated;
}

inline double PerTransfer(double words, const BufferConstants& buffer) {
  return buffer.exact_inverse != 0 ? words * buffer.exact_inverse
                                   : words / buffer.words_per_cycle;
}

inline double Max3(double a, double b, double c) {
  double m = a > b ? a : b;
  return c > m ? c : m;
}

// Dynamic energy of moving `tile` `counts` times at unit energies `energy`.
inline double TransferEnergy(const TileSizes& tile, const AccessCounts& counts,
                             const std::array<double, kNumDataTypes>& energy) {
  const double input =
      Real(tile[kInput]) * Real(counts.input_reads) * energy[kInput];
  const double weight =
      Real(tile[kWeight]) * Real(counts.weight_reads) * energy[kWeight];
  const double output = Real(tile[kOutput]) *
                        Real(counts.output_reads + counts.output_writes) *
                        energy[kOutput];
  return (input + weight) + output;
}

// (a) A data type whose tile the DRAM row does not grow is moved once.
inline void ApplyDramReadOnce(const TileSizes& dram_alloc,
                              const TileSizes& dram_sent, AccessCounts* dram) {
  if (dram_alloc[kInput] == dram_sent[kInput]) dram->input_reads = 1;
  if (dram_alloc[kWeight] == dram_sent[kWeight]) dram->weight_reads = 1;
  if (dram_alloc[kOutput] == dram_sent[kOutput]) {
    dram->output_reads = 0;
    dram->output_writes = 1;
  }
}

// (b) Likewise at the global buffer, which then moves the type as often as
// DRAM does (the DRAM counts after (a), before (c)).
inline void ApplyGlobalBufferReadOnce(const TileSizes& gb_alloc,
                                      const TileSizes& gb_sent,
                                      const AccessCounts& dram,
                                      AccessCounts* gb) {
  if (gb_alloc[kInput] == gb_sent[kInput]) gb->input_reads = dram.input_reads;
  if (gb_alloc[kWeight] == gb_sent[kWeight]) {
    gb->weight_reads = dram.weight_reads;
  }
  if (gb_alloc[kOutput] == gb_sent[kOutput]) {
    gb->output_reads = dram.output_reads;
    gb->output_writes = dram.output_writes;
  }
}

// (c) A type that bypasses the global buffer cannot stay on chip across
// the DRAM iterations of its irrelevant loops. Only the first matching
// case applies, and the input case scales the DRAM output writes, as in
// the reference model. These adjustments only ever raise counts.
inline void ApplyGlobalBufferBypass(
    const std::array<bool, kNumDataTypes>& bypass, const RowFactors& dram_row,
    const std::array<TileSizes, kNumLevels>& allocated,
    const std::array<TileSizes, kNumLevels>& sent, AccessCounts* dram) {
  const auto qualifies = [&](DataType type) {
    return bypass[type] && allocated[kDram][type] == sent[kDram][type] &&
           allocated[kGlobalBuffer][type] != sent[kGlobalBuffer][type];
  };
  if (qualifies(kInput)) {
    dram->output_writes *= IrrelevantProduct(dram_row, kInput);
  } else if (qualifies(kWeight)) {
    dram->weight_reads *= IrrelevantProduct(dram_row, kWeight);
  } else if (qualifies(kOutput)) {
    const uint64_t irrelevant = IrrelevantProduct(dram_row, kOutput);
    dram->output_reads = irrelevant - 1;
    dram->output_writes *= irrelevant;
  }
}

// Writes the tile sizes (I, W, O) of a column-product vector `v` for
// stride `stride` into `tile`, element by element: in the evaluation loop,
// building a temporary and copying it can stall store forwarding.
inline void WriteTiles(const std::array<uint64_t, kNumParams>& v,
                       uint64_t stride, TileSizes* tile) {
  const uint64_t height = (v[kP] - 1) * stride + v[kR];
  const uint64_t width = (v[kQ] - 1) * stride + v[kS];
  (*tile)[kInput] = v[kB] * v[kC] * v[kG] * height * width;
  (*tile)[kWeight] = v[kK] * v[kC] * v[kR] * v[kS] * v[kG];
  (*tile)[kOutput] = v[kK] * v[kB] * v[kP] * v[kQ] * v[kG];
}

// Tile sizes (I, W, O) of a column-product vector `v` for stride `stride`.
inline TileSizes TilesOf(const std::array<uint64_t, kNumParams>& v,
                         uint64_t stride) {
  TileSizes tile;
  WriteTiles(v, stride, &tile);
  return tile;
}

// Transfers needed to move `words` words: ceil(words / words_per_cycle).
// Below 2^53 words with a power-of-two bandwidth the double computation
// is exact, so integer shifts give the same result faster.
inline double CeilTransfers(uint64_t words, const BufferConstants& buffer) {
  constexpr uint64_t kExactLimit = uint64_t{1} << 53;
  if (buffer.words_shift >= 0 && words < kExactLimit) {
    const uint64_t round_up = (uint64_t{1} << buffer.words_shift) - 1;
    return Real((words + round_up) >> buffer.words_shift);
  }
  return CeilNonNegative(PerTransfer(Real(words), buffer));
}

// Like CeilTransfers(tile * count), with the product taken in doubles (as
// the model does) when it does not fit the integer path.
inline double CeilTransfers(uint64_t tile, uint64_t count,
                            const BufferConstants& buffer) {
  uint64_t words = 0;
  if (buffer.words_shift >= 0 && !__builtin_mul_overflow(tile, count, &words)) {
    return CeilTransfers(words, buffer);
  }
  return CeilNonNegative(PerTransfer(Real(tile) * Real(count), buffer));
}

// Returns the cycles of one level. The local buffer rounds up per tile and
// then multiplies by the count, because its PEs work in parallel. The
// global buffer and DRAM round up the whole volume.
inline double LevelCycles(const BufferConstants& buffer, const TileSizes& tile,
                          const AccessCounts& counts, bool per_tile,
                          bool summed) {
  const std::array<uint64_t, kNumDataTypes> count = {
      counts.input_reads, counts.weight_reads,
      counts.output_reads + counts.output_writes};
  std::array<double, kNumDataTypes> cycles;
  for (int type = 0; type < kNumDataTypes; ++type) {
    const double transfers =
        per_tile ? CeilTransfers(tile[type], buffer) * Real(count[type])
                 : CeilTransfers(tile[type], count[type], buffer);
    cycles[type] = transfers * buffer.unit_cycles[type];
  }
  return summed ? (cycles[kInput] + cycles[kWeight]) + cycles[kOutput]
                : Max3(cycles[kInput], cycles[kWeight], cycles[kOutput]);
}

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_COST_TERMS_H_
