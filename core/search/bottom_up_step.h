// One step of the bottom-up search: refining one candidate table for one
// level pair (b, e). See bottom_up.h for the search as a whole.

#ifndef NEUROSPECTOR_CORE_SEARCH_BOTTOM_UP_STEP_H_
#define NEUROSPECTOR_CORE_SEARCH_BOTTOM_UP_STEP_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/accelerator.h"
#include "core/cost_model.h"
#include "core/mapping.h"
#include "core/search/factor_space.h"
#include "core/search/search_types.h"

namespace neurospector::bottom_up_internal {

// The reference ranks candidates by binary32 costs; rounding ours the same
// way reproduces its ties.
using RankCost = float;

struct Candidate {
  Mapping table;
  std::vector<std::string> strategy;
};

// Divisors of each layer parameter, ascending. Every table value is a
// divisor of its column's parameter, so these lists serve every split.
using DivisorLists = std::array<std::vector<uint32_t>, kNumParams>;

// For each divisor of DivisorLists, ReferencePrimeFactorCount + 1: its
// factor in a row's factorization degree.
using DegreeLists = std::array<std::vector<uint64_t>, kNumParams>;

struct ChunkState;
struct InnerRecords;
struct RecordBlock;

// One bottom-up step (b, e) applied to one candidate. The outer
// enumeration splits row e over the non-skippable rows of (b, e]; for each
// valid split, the inner enumeration splits row e again between rows b
// and e. Both walk their spaces in the reference's order, depth first over
// the parameters K..G, skipping subtrees whose partial tables already
// exceed an array or a buffer below row e (those limits only tighten as
// more factors move below row e).
class StepSearch {
 public:
  StepSearch(const Accelerator& accelerator, const CostModel& model,
             const DivisorLists& divisors, const DegreeLists& degree_factors,
             Metric metric, int b, int e, const StopToken& stop,
             std::atomic<bool>* stopped)
      : accelerator_(accelerator),
        model_(model),
        divisors_(divisors),
        degree_factors_(degree_factors),
        metric_(metric),
        b_(b),
        e_(e),
        stop_(stop),
        stopped_(stopped),
        constrained_(accelerator.Memory(b).HasConstraint() ||
                     accelerator.Memory(e).HasConstraint()),
        e_is_unit_(accelerator.row_kinds[e] == RowKind::kUnit) {
    // The common case: row b's buffer is the only one the inner split can
    // overflow, and its tiles follow from the column products of rows 0..b.
    single_inner_buffer_ = b == kLocalBufferRow || b == kGlobalBufferRow;
    for (int row = b + 1; row < e; ++row) {
      if (row == kLocalBufferRow || row == kGlobalBufferRow) {
        single_inner_buffer_ = false;
      }
    }
    inner_level_ = b == kGlobalBufferRow ? kGlobalBuffer : kLocalBuffer;
    inner_buffer_unit_ = accelerator.row_kinds[b] == RowKind::kUnit;

    // Replaying pays off only where an array has two searched dimensions
    // between b and e.
    for (int x_row : {kMacXRow, kPeXRow, kChipXRow}) {
      if (x_row > b && x_row + 1 < e && !accelerator.IsSkippable(x_row) &&
          !accelerator.IsSkippable(x_row + 1) && b != 0) {
        use_cache_ = true;
      }
    }
    // Records keep divisor indices in one byte.
    for (const std::vector<uint32_t>& list : divisors) {
      if (list.size() > 256) use_cache_ = false;
    }
  }

  // Returns the PM candidate and, if it differs, the SP candidate.
  std::vector<Candidate> Run(const Candidate& input, uint64_t* evaluated,
                             uint64_t* pruned) const;

 private:
  std::vector<int> OuterRows() const;
  void OuterDepthFirst(const FactorSpace& outer, int param,
                       FactorSpace::Digits* digits, Mapping* table,
                       ChunkState* state) const;
  void OuterLeaf(const FactorSpace& outer, const FactorSpace::Digits& digits,
                 Mapping* table, ChunkState* state) const;
  void InnerDepthFirst(int param, const RowValues& outer_values, bool all_first,
                       uint64_t degree,
                       std::array<uint64_t, kNumParams>* products,
                       Mapping* table, ChunkState* state) const;
  int NextInnerParam(int param, const RowValues& outer_values) const;
  bool InnerFits(const Mapping& table,
                 const std::array<uint64_t, kNumParams>& products) const;
  void VisitOuter(Mapping* table, ChunkState* state) const;
  bool CannotChange(const RecordBlock& block, const ChunkState& state) const;
  void Replay(const InnerRecords& records, Mapping* table,
              ChunkState* state) const;
  bool ShouldStop() const;
  void Visit(const Mapping& table, uint64_t degree, ChunkState* state) const;
  std::optional<double> Evaluate(const Mapping& table,
                                 ChunkState* state) const;
  template <typename TableSource>
  void Score(const TableSource& table, uint64_t degree, RankCost cost,
             ChunkState* state) const;
  std::vector<uint32_t> CacheKey(const Mapping& table) const;
  void SearchInnerSplits(Mapping* table, ChunkState* state) const;
  bool PartialFits(const Mapping& table, int first_row) const;

  const Accelerator& accelerator_;
  const CostModel& model_;
  const DivisorLists& divisors_;
  const DegreeLists& degree_factors_;
  const Metric metric_;
  const int b_;
  const int e_;
  const StopToken& stop_;
  std::atomic<bool>* stopped_;
  // Whether rows b or e carry memory CONSTRAINTs the inner split must obey.
  const bool constrained_;
  const bool e_is_unit_;
  bool single_inner_buffer_ = false;
  bool use_cache_ = false;
  int inner_level_ = kLocalBuffer;
  bool inner_buffer_unit_ = false;
};

}  // namespace neurospector::bottom_up_internal

#endif  // NEUROSPECTOR_CORE_SEARCH_BOTTOM_UP_STEP_H_
