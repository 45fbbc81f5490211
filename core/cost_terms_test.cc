// The integer fast path of CeilTransfers gives what the double formula of
// the model gives.

#include "core/cost_terms.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace neurospector {
namespace {

// ceil(words / words_per_cycle) as the model defines it, in doubles.
double DoubleTransfers(double words, const BufferConstants& buffer) {
  return CeilNonNegative(PerTransfer(words, buffer));
}

BufferConstants Buffer(double words_per_cycle, int words_shift) {
  BufferConstants buffer;
  buffer.words_per_cycle = words_per_cycle;
  buffer.exact_inverse = words_shift >= 0 ? 1 / words_per_cycle : 0;
  buffer.words_shift = words_shift;
  return buffer;
}

TEST(CeilTransfers, MatchesDoubleFormula) {
  const std::vector<uint64_t> words = {
      0, 1, 2, 3, 7, 8, 9, 63, 64, 65, 1000, 4095, 4096, 4097,
      (uint64_t{1} << 53) - 1, uint64_t{1} << 53, (uint64_t{1} << 53) + 8};
  for (int shift : {0, 1, 3, 6}) {
    const BufferConstants buffer = Buffer(double(uint64_t{1} << shift), shift);
    for (uint64_t count : words) {
      SCOPED_TRACE(absl::StrCat("shift ", shift, ", words ", count));
      EXPECT_EQ(CeilTransfers(count, buffer),
                DoubleTransfers(Real(count), buffer));
    }
  }
}

TEST(CeilTransfers, ProductMatchesDoubleFormula) {
  const BufferConstants buffer = Buffer(8, 3);
  struct Case {
    uint64_t tile;
    uint64_t count;
  };
  const Case cases[] = {
      {0, 5},
      {3, 5},
      {1000, 1000},
      {uint64_t{1} << 26, (uint64_t{1} << 27) - 1},  // just below 2^53
      {uint64_t{1} << 30, uint64_t{1} << 30},        // 2^60: double path
      {std::numeric_limits<uint64_t>::max() / 2, 3},  // overflows 64 bits
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.tile, " x ", c.count));
    EXPECT_EQ(CeilTransfers(c.tile, c.count, buffer),
              DoubleTransfers(Real(c.tile) * Real(c.count), buffer));
  }
}

TEST(CeilTransfers, NonPowerOfTwoBandwidthUsesDivision) {
  const BufferConstants buffer = Buffer(3, -1);
  EXPECT_EQ(CeilTransfers(7, buffer), 3);
  EXPECT_EQ(CeilTransfers(9, buffer), 3);
  EXPECT_EQ(CeilTransfers(4, 5, buffer), 7);
}

}  // namespace
}  // namespace neurospector
