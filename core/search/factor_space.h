// The assignments of a vector of eight values (one per layer parameter) to
// an ordered list of table rows: for each parameter, every ordered
// factorization of its value over the rows. This is the mapping space the
// searches walk.

#ifndef NEUROSPECTOR_CORE_SEARCH_FACTOR_SPACE_H_
#define NEUROSPECTOR_CORE_SEARCH_FACTOR_SPACE_H_

#include <array>
#include <cstdint>
#include <vector>

#include "core/accelerator.h"
#include "core/mapping.h"
#include "core/types.h"

namespace neurospector {

inline constexpr int kMaxSpaceLevels = kNumRows;

// Whether `factor` may go to parameter `param` of table row `row` under the
// accelerator's memory CONSTRAINTs and array CONSTRAINT_X/Y (-1: any).
bool FactorAllowed(const Accelerator& accelerator, int row, Param param,
                   uint32_t factor);

// Assignments of `values` to `rows` (innermost first; level k of a tuple
// goes to rows[k]). A row listed as -1 receives its level's factor
// nowhere: the factor is dropped (the bottom-up search uses this for a
// skippable row that bounds a level pair).
//
// Per-parameter tuples are in lexicographic order (the innermost row's
// factor varies slowest) and the space is a mixed-radix number with G the
// least significant digit. Positions 0..Size()-1 visit mixed-radix indices
// 1, 2, ..., Size()-1 and then 0, as the reference enumerates, unless the
// all-outermost assignment (index 0 before filtering) is excluded by a
// filter, in which case positions visit indices in increasing order.
//
// Tuples that break a memory CONSTRAINT of a target row or unroll a
// parameter that an array's CONSTRAINT_X/Y excludes are filtered out.
// Immutable after construction; concurrent reads are safe.
class FactorSpace {
 public:
  FactorSpace(const RowValues& values, const std::vector<int>& rows,
              const Accelerator& accelerator);

  uint64_t Size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int levels() const { return static_cast<int>(rows_.size()); }

  // Mixed-radix digits of one assignment.
  using Digits = std::array<uint32_t, kNumParams>;

  // Digits of the assignment at enumeration position `position`.
  Digits DigitsAt(uint64_t position) const;

  // Advances `digits` to the next position's assignment (G fastest).
  void Advance(Digits* digits) const;

  // Writes the assignment `digits` into the target rows of `mapping`.
  void Write(const Digits& digits, Mapping* mapping) const;

  // Number of tuples kept for `param`.
  uint32_t Count(Param param) const { return counts_[param]; }

  // Whether positions visit index 0 last (see the class comment).
  bool rotated() const { return rotated_; }

  // Writes tuple `digit` of `param` into the target rows of `mapping`.
  void WriteParam(Param param, uint32_t digit, Mapping* mapping) const {
    const size_t levels = rows_.size();
    const uint32_t* tuple = &tuples_[param][digit * levels];
    for (size_t level = 0; level < levels; ++level) {
      if (rows_[level] >= 0) mapping->rows[rows_[level]][param] = tuple[level];
    }
  }

  // Whether tuple `digit` of `param` puts all of its value on the last
  // level (every other level gets 1).
  bool OnlyLastLevel(Param param, uint32_t digit) const {
    const size_t levels = rows_.size();
    const uint32_t* tuple = &tuples_[param][digit * levels];
    for (size_t level = 0; level + 1 < levels; ++level) {
      if (tuple[level] != 1) return false;
    }
    return true;
  }

  // Value of parameter `param` at level `level` for `digits`.
  uint32_t Factor(const Digits& digits, Param param, int level) const {
    return tuples_[param][digits[param] * rows_.size() + level];
  }

 private:
  std::vector<int> rows_;
  std::array<std::vector<uint32_t>, kNumParams> tuples_;  // flat tuples
  std::array<uint32_t, kNumParams> counts_{};
  uint64_t size_ = 0;
  bool rotated_ = false;
};

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_SEARCH_FACTOR_SPACE_H_
