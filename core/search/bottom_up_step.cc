#include "core/search/bottom_up_step.h"

#include <algorithm>
#include <cfloat>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "core/search/factorization.h"
#include "tbb/parallel_for.h"

namespace neurospector::bottom_up_internal {

// Best table of the primary strategy so far.
struct PrimaryBest {
  bool found = false;
  RankCost cost = FLT_MAX;
  uint64_t row_product = 0;
  uint64_t irrelevant = 0;
  Mapping table;
};

// A table that may change the supplementary choice (see ChunkResult).
struct SupplementaryEvent {
  uint64_t degree = 0;
  RankCost cost = 0;
  Mapping table;
};

struct ChunkResult {
  PrimaryBest primary;
  // Valid tables of the chunk in order, except those that cannot affect
  // the supplementary choice whatever came before the chunk. Left out are
  // tables whose degree is below the chunk's running maximum, and tables
  // of the maximum degree that do not lower the running minimum cost of
  // the tables of that degree after the first one.
  std::vector<SupplementaryEvent> events;
  uint64_t evaluated = 0;
  uint64_t pruned = 0;
};

// One scored table of an inner enumeration: the inner row's values, its
// factorization degree and the ranked cost (16 bytes).
struct InnerRecord {
  // Index of each inner-row value in the divisor list of its parameter.
  std::array<uint8_t, kNumParams> divisor_index;
  uint32_t degree;
  RankCost cost;
};
static_assert(sizeof(InnerRecord) == 16);

// Summary of kRecordBlock consecutive records: their lowest cost and
// highest degree. A replay skips a block whose records cannot change the
// choices made so far (on ResNet-50, fewer than 1 % of replayed records
// can).
struct RecordBlock {
  RankCost min_cost;
  uint32_t max_degree;
};
constexpr size_t kRecordBlock = 16;

// The scored tables of one inner enumeration, in order, their block
// summaries, and how many candidates it rejected as invalid.
struct InnerRecords {
  std::vector<InnerRecord> scored;
  std::vector<RecordBlock> blocks;
  uint64_t pruned = 0;

  void Summarize() {
    blocks.clear();
    for (size_t begin = 0; begin < scored.size(); begin += kRecordBlock) {
      const size_t end = std::min(begin + kRecordBlock, scored.size());
      RecordBlock block{scored[begin].cost, scored[begin].degree};
      for (size_t i = begin + 1; i < end; ++i) {
        block.min_cost = std::min(block.min_cost, scored[i].cost);
        block.max_degree = std::max(block.max_degree, scored[i].degree);
      }
      blocks.push_back(block);
    }
  }
};

// Outer assignments that differ only in how an array's X and Y rows share
// the same per-parameter products give the same costs to every inner
// split. The cache keeps the scored inner sequence of the first such
// assignment for the others to replay. Shared by the chunks of one step.
class InnerCache {
 public:
  std::shared_ptr<const InnerRecords> Find(const std::vector<uint32_t>& key) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second;
  }

  void Insert(std::vector<uint32_t> key,
              std::shared_ptr<const InnerRecords> records) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (records_ + records->scored.size() > kMaxRecords) return;
    records_ += records->scored.size();
    map_.emplace(std::move(key), std::move(records));
  }

 private:
  // About 32 MB of records per step at most.
  static constexpr size_t kMaxRecords = 2000000;

  std::mutex mutex_;
  absl::flat_hash_map<std::vector<uint32_t>,
                      std::shared_ptr<const InnerRecords>>
      map_;
  size_t records_ = 0;
};

// Product of the loops of row `e` irrelevant to the data type the buffer
// at `inner_row` keeps stationary (1 without a dataflow).
uint64_t IrrelevantOfRow(const Mapping& table, int e, int inner_row) {
  const RowValues& row = table.rows[e];
  switch (table.dataflows[inner_row]) {
    case Dataflow::kInputStationary:
      return row[kK];
    case Dataflow::kWeightStationary:
      return uint64_t{row[kB]} * row[kP] * row[kQ];
    case Dataflow::kOutputStationary:
      return uint64_t{row[kC]} * row[kR] * row[kS];
    case Dataflow::kNone:
      break;
  }
  return 1;
}

// Applies the primary-strategy update rule to `best` with `candidate`
// (visited after every table `best` has seen).
void UpdatePrimary(const PrimaryBest& candidate, PrimaryBest* best) {
  if (!candidate.found) return;
  bool take = !best->found || candidate.cost < best->cost;
  if (!take && candidate.cost == best->cost) {
    take = candidate.row_product < best->row_product ||
           (candidate.row_product == best->row_product &&
            candidate.irrelevant > best->irrelevant);
  }
  if (take) *best = candidate;
}

// Exact supplementary-strategy state of the reference, including its stale
// cost threshold.
struct SupplementaryState {
  uint64_t best_degree = 0;
  RankCost cost = FLT_MAX;
  const Mapping* table = nullptr;

  void Update(const SupplementaryEvent& event) {
    if (event.degree > best_degree) {
      best_degree = event.degree;
      table = &event.table;
    } else if (event.degree == best_degree && event.cost < cost) {
      cost = event.cost;
      table = &event.table;
    }
  }
};

// Mutable state of one enumeration chunk.
struct ChunkState {
  ChunkResult result;
  uint64_t running_degree = 0;
  RankCost running_min = 0;
  bool have_degree = false;
  Evaluation evaluation;
  // Every table of a step differs from the others only in rows b..e, with
  // the same column products there, so after the first full evaluation
  // the chunk re-evaluates just those rows.
  EvaluationState evaluation_state;
  bool has_evaluation_state = false;
  // Outer assignment being visited, and the one evaluation_state was last
  // evaluated in: within one, tables differ only in rows b and e.
  uint64_t outer_serial = 0;
  uint64_t evaluated_serial = 0;
  InnerRecords* recording = nullptr;  // where Visit records scored tables
  // Divisor index of each inner-row value of the table being visited.
  std::array<uint8_t, kNumParams> divisor_index{};
  InnerCache* cache = nullptr;  // this step's cache, if it has one
};

// Checks the arrays and buffers whose rows lie in [first_row, e): the
// limits a split of row e over rows below it can break.
bool StepSearch::PartialFits(const Mapping& table, int first_row) const {
  for (int array = 0; array < 3; ++array) {
    const int x_row = 1 + 3 * array;
    if (x_row >= first_row && x_row < e_ && !model_.ArrayFits(array, table)) {
      return false;
    }
  }
  for (int level : {kLocalBuffer, kGlobalBuffer}) {
    const int row = kLevelRows[level];
    if (row >= first_row && row < e_ && !model_.BufferFits(level, table)) {
      return false;
    }
  }
  return true;
}

// Non-skippable rows strictly between b and e, then e itself (-1 when e is
// skippable: its factor is then dropped and the row keeps its values).
std::vector<int> StepSearch::OuterRows() const {
  std::vector<int> rows;
  for (int row = b_ + 1; row < e_; ++row) {
    if (!accelerator_.IsSkippable(row)) rows.push_back(row);
  }
  rows.push_back(accelerator_.IsSkippable(e_) ? -1 : e_);
  return rows;
}

// Scores one table of the inner enumeration.
void StepSearch::Visit(const Mapping& table, uint64_t degree,
                       ChunkState* state) const {
  ChunkResult& out = state->result;
  const std::optional<double> level_cost = Evaluate(table, state);
  if (!level_cost.has_value()) {
    ++out.pruned;
    return;
  }
  ++out.evaluated;
  const RankCost cost = static_cast<RankCost>(*level_cost);
  if (state->recording != nullptr) {
    state->recording->scored.push_back(
        {state->divisor_index, static_cast<uint32_t>(degree), cost});
  }
  Score([&table]() -> const Mapping& { return table; }, degree, cost, state);
}

// Returns the level cost of `table`, or nullopt when it is invalid (only
// a split of a unit row e can still be invalid here).
std::optional<double> StepSearch::Evaluate(const Mapping& table,
                                           ChunkState* state) const {
  const bool same_outer = state->evaluated_serial == state->outer_serial;
  state->evaluated_serial = state->outer_serial;
  if (e_is_unit_) {
    if (!model_.EvaluateIfValid(table, &state->evaluation)) {
      return std::nullopt;
    }
    return model_.LevelCost(state->evaluation, e_, metric_);
  }

  EvaluationState* evaluation_state = &state->evaluation_state;
  if (!state->has_evaluation_state) {
    model_.EvaluateValid(table, evaluation_state);
    state->has_evaluation_state = true;
  } else if (b_ != 0 && same_outer) {
    return model_.ReevaluateRowPairCost(table, b_, e_, metric_,
                                        evaluation_state);
  } else {
    model_.ReevaluateRows(table, b_, e_, evaluation_state);
  }
  return model_.LevelCost(evaluation_state->evaluation, e_, metric_);
}

// Applies the PM and SP rules to one valid table of cost `cost`.
// `table()` gives the scored table; it is only called when the table may be
// kept, so that replayed tables are built only then.
template <typename TableSource>
void StepSearch::Score(const TableSource& table, uint64_t degree, RankCost cost,
                       ChunkState* state) const {
  ChunkResult& out = state->result;
  if (!out.primary.found || cost <= out.primary.cost) {
    PrimaryBest candidate;
    candidate.found = true;
    candidate.cost = cost;
    candidate.row_product = table().RowProduct(e_);
    candidate.irrelevant = IrrelevantOfRow(table(), e_, b_);
    candidate.table = table();
    UpdatePrimary(candidate, &out.primary);
  }

  if (b_ == 0) return;
  if (!state->have_degree || degree > state->running_degree) {
    state->have_degree = true;
    state->running_degree = degree;
    state->running_min = std::numeric_limits<RankCost>::infinity();
    out.events.push_back({degree, cost, table()});
  } else if (degree == state->running_degree && cost < state->running_min) {
    state->running_min = cost;
    out.events.push_back({degree, cost, table()});
  }
}

// Splits each parameter of row e between rows b (x) and e (v / x), x
// ascending. A larger x only grows the tiles below row e, so the first x
// that overflows a buffer ends the parameter's loop. The all-ones split
// comes first in this order but last in the reference's, so it is visited
// after the others. `degree` accumulates the factorization degree of row
// b and `products` the column products of rows 0..b.
void StepSearch::InnerDepthFirst(int param, const RowValues& outer_values,
                                 bool all_first, uint64_t degree,
                                 std::array<uint64_t, kNumParams>* products,
                                 Mapping* table, ChunkState* state) const {
  param = NextInnerParam(param, outer_values);
  if (param == kNumParams) {
    if (!all_first) Visit(*table, degree, state);
    return;
  }
  const int next = NextInnerParam(param + 1, outer_values);
  const uint32_t value = outer_values[param];
  const uint64_t below = (*products)[param];
  bool first = true;
  const std::vector<uint32_t>& divisors = divisors_[param];
  for (size_t i = 0; i < divisors.size(); ++i) {
    const uint32_t x = divisors[i];
    if (x > value) break;
    if (value % x != 0) continue;
    const Param p = static_cast<Param>(param);
    if (constrained_ && (!FactorAllowed(accelerator_, b_, p, x) ||
                         !FactorAllowed(accelerator_, e_, p, value / x))) {
      first = false;
      continue;
    }
    table->rows[b_][param] = x;
    table->rows[e_][param] = value / x;
    (*products)[param] = below * x;
    // With x = 1 the table below row e is the parent's, already checked.
    if (x != 1 && !InnerFits(*table, *products)) {
      state->result.pruned += 1;
      break;
    }
    state->divisor_index[param] = static_cast<uint8_t>(i);
    const bool child_all_first = all_first && first && x == 1;
    const uint64_t child_degree = degree * degree_factors_[param][i];
    // The last parameter visits its tables here rather than one call down.
    if (next == kNumParams) {
      if (!child_all_first) Visit(*table, child_degree, state);
    } else {
      InnerDepthFirst(next, outer_values, child_all_first, child_degree,
                      products, table, state);
    }
    first = false;
  }
  table->rows[b_][param] = 1;
  table->rows[e_][param] = value;
  (*products)[param] = below;
  state->divisor_index[param] = 0;
}

// The first parameter from `param` on whose inner split has a choice: a
// value of 1 has the single split x = 1, which changes nothing (unless a
// constraint forbids it, so constrained steps visit every parameter).
int StepSearch::NextInnerParam(int param, const RowValues& outer_values) const {
  while (!constrained_ && param < kNumParams && outer_values[param] == 1) {
    ++param;
  }
  return param;
}

bool StepSearch::InnerFits(
    const Mapping& table,
    const std::array<uint64_t, kNumParams>& products) const {
  if (!single_inner_buffer_) return PartialFits(table, b_);
  if (inner_buffer_unit_) return false;  // x != 1 in a unit buffer row
  return model_.ProductsFit(inner_level_, products);
}

void StepSearch::OuterLeaf(const FactorSpace& outer,
                           const FactorSpace::Digits& digits, Mapping* table,
                           ChunkState* state) const {
  // The all-first assignment comes first in this order but last in the
  // reference's; Run visits it after every chunk.
  if (outer.rotated() && digits == FactorSpace::Digits{}) return;
  VisitOuter(table, state);
}

// Polls the stop token every few outer assignments (each runs at most a
// few thousand evaluations), so a stop takes effect within milliseconds.
bool StepSearch::ShouldStop() const {
  if (stopped_->load(std::memory_order_relaxed)) return true;
  thread_local uint32_t since_poll = 0;
  if (++since_poll < 8) return false;
  since_poll = 0;
  if (!stop_.StopRequested()) return false;
  stopped_->store(true);
  stop_.Cancel();
  return true;
}

void StepSearch::VisitOuter(Mapping* table, ChunkState* state) const {
  if (ShouldStop()) return;
  ++state->outer_serial;
  if (model_.Violations(*table) != 0) {
    ++state->result.pruned;
    return;
  }
  if (b_ == 0) {
    Visit(*table, 1, state);
    return;
  }
  if (state->cache == nullptr) {
    SearchInnerSplits(table, state);
    return;
  }

  std::vector<uint32_t> key = CacheKey(*table);
  if (std::shared_ptr<const InnerRecords> records = state->cache->Find(key)) {
    Replay(*records, table, state);
    return;
  }
  auto records = std::make_shared<InnerRecords>();
  state->recording = records.get();
  const uint64_t pruned_before = state->result.pruned;
  SearchInnerSplits(table, state);
  records->pruned = state->result.pruned - pruned_before;
  records->Summarize();
  state->recording = nullptr;
  state->cache->Insert(std::move(key), std::move(records));
}

// Returns whether no record of `block` can pass the PM or SP rules in
// `state`. That is the case when none costs at most the primary best, and
// none has a higher degree than the running one or its degree with a cost
// below the running minimum.
bool StepSearch::CannotChange(const RecordBlock& block,
                              const ChunkState& state) const {
  const ChunkResult& out = state.result;
  if (!out.primary.found || block.min_cost <= out.primary.cost) return false;
  if (b_ == 0) return true;
  if (!state.have_degree || block.max_degree > state.running_degree) {
    return false;
  }
  return block.max_degree < state.running_degree ||
         block.min_cost >= state.running_min;
}

// Scores the recorded inner splits of an equivalent outer assignment
// again, skipping the blocks that cannot change anything. The counters
// add up as if the splits were evaluated again, so they do not depend on
// which chunk filled the cache.
void StepSearch::Replay(const InnerRecords& records, Mapping* table,
                        ChunkState* state) const {
  const Mapping saved = *table;
  for (size_t block = 0; block < records.blocks.size(); ++block) {
    const size_t begin = block * kRecordBlock;
    const size_t end = std::min(begin + kRecordBlock, records.scored.size());
    state->result.evaluated += end - begin;
    if (CannotChange(records.blocks[block], *state)) continue;

    for (size_t i = begin; i < end; ++i) {
      const InnerRecord& record = records.scored[i];
      const auto replayed = [&]() -> const Mapping& {
        for (Param p : kAllParams) {
          const uint32_t x = divisors_[p][record.divisor_index[p]];
          table->rows[b_][p] = x;
          table->rows[e_][p] = saved.rows[e_][p] / x;
        }
        return *table;
      };
      Score(replayed, record.degree, record.cost, state);
    }
  }
  state->result.pruned += records.pruned;
  *table = saved;
}

// The values that decide the costs of the inner splits: the per-parameter
// products of each array's X and Y rows, and the other rows of (b, e].
std::vector<uint32_t> StepSearch::CacheKey(const Mapping& table) const {
  std::vector<uint32_t> key;
  key.reserve(kNumParams * (e_ - b_));
  for (int row = b_ + 1; row <= e_; ++row) {
    const bool array_pair = !IsTemporalRow(row) && (row % 3) == 1;
    for (Param p : kAllParams) {
      key.push_back(array_pair ? table.rows[row][p] * table.rows[row + 1][p]
                               : table.rows[row][p]);
    }
    if (array_pair) ++row;
  }
  return key;
}

void StepSearch::SearchInnerSplits(Mapping* table, ChunkState* state) const {
  const RowValues outer_values = table->rows[e_];
  std::array<uint64_t, kNumParams> products;
  products.fill(1);
  for (int row = 0; row < b_; ++row) {
    for (Param param : kAllParams) products[param] *= table->rows[row][param];
  }
  InnerDepthFirst(0, outer_values, true, 1, &products, table, state);

  // The all-ones inner split, last as in the reference's order.
  Mapping last = *table;
  bool allowed = true;
  for (Param param : kAllParams) {
    allowed = allowed && FactorAllowed(accelerator_, b_, param, 1) &&
              FactorAllowed(accelerator_, e_, param, outer_values[param]);
  }
  if (allowed) Visit(last, FactorizationDegree(last.rows[b_]), state);
}

void StepSearch::OuterDepthFirst(const FactorSpace& outer, int param,
                                 FactorSpace::Digits* digits, Mapping* table,
                                 ChunkState* state) const {
  if (param == kNumParams) {
    OuterLeaf(outer, *digits, table, state);
    return;
  }
  const Param p = static_cast<Param>(param);
  for (uint32_t digit = 0; digit < outer.Count(p); ++digit) {
    (*digits)[param] = digit;
    outer.WriteParam(p, digit, table);
    if (!outer.OnlyLastLevel(p, digit) && !PartialFits(*table, b_ + 1)) {
      ++state->result.pruned;
      continue;
    }
    OuterDepthFirst(outer, param + 1, digits, table, state);
  }
  (*digits)[param] = 0;
  outer.WriteParam(p, 0, table);
}

std::vector<Candidate> StepSearch::Run(const Candidate& input,
                                       uint64_t* evaluated,
                                       uint64_t* pruned) const {
  const FactorSpace outer(input.table.rows[e_], OuterRows(), accelerator_);
  std::vector<ChunkResult> results;
  if (!outer.empty()) {
    // Chunks are the tuples of K; each walks the rest depth first.
    const uint32_t chunks = outer.Count(kK);
    // Per candidate: the inner sequences depend on the candidate's rows.
    InnerCache cache;
    std::vector<ChunkState> states(chunks);
    for (ChunkState& state : states)
      state.cache = use_cache_ ? &cache : nullptr;
    tbb::parallel_for(uint32_t{0}, chunks, [&](uint32_t chunk) {
      if (ShouldStop()) return;
      Mapping table = input.table;
      FactorSpace::Digits digits{};
      for (Param param : kAllParams) outer.WriteParam(param, 0, &table);
      digits[kK] = chunk;
      outer.WriteParam(kK, chunk, &table);
      if (!PartialFits(table, b_ + 1)) {
        ++states[chunk].result.pruned;
        return;
      }
      OuterDepthFirst(outer, kB, &digits, &table, &states[chunk]);
    });
    for (ChunkState& state : states) results.push_back(std::move(state.result));

    if (outer.rotated() && !stopped_->load()) {
      ChunkState last;
      last.cache = use_cache_ ? &cache : nullptr;
      Mapping table = input.table;
      for (Param param : kAllParams) outer.WriteParam(param, 0, &table);
      VisitOuter(&table, &last);
      results.push_back(std::move(last.result));
    }
  }

  PrimaryBest primary;
  SupplementaryState supplementary;
  for (const ChunkResult& result : results) {
    UpdatePrimary(result.primary, &primary);
    for (const SupplementaryEvent& event : result.events) {
      supplementary.Update(event);
    }
    *evaluated += result.evaluated;
    *pruned += result.pruned;
  }

  const Mapping& pm = primary.found ? primary.table : input.table;
  const Mapping& sp =
      supplementary.table != nullptr ? *supplementary.table : input.table;
  std::vector<Candidate> out;
  out.push_back({pm, input.strategy});
  out.back().strategy.push_back("PM");
  if (b_ != 0 && !(sp.rows == pm.rows)) {
    out.push_back({sp, input.strategy});
    out.back().strategy.push_back("SP");
  }
  return out;
}

}  // namespace neurospector::bottom_up_internal
