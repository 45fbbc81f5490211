#include "core/search/exact_combination.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "core/search/exact_bounds.h"
#include "core/search/factor_space.h"
#include "core/search/factorization.h"
#include "core/search/spatial_split.h"
#include "tbb/blocked_range.h"
#include "tbb/enumerable_thread_specific.h"
#include "tbb/parallel_reduce.h"

namespace neurospector::exact_internal {
namespace {

// Nodes between two looks at the clock and the stop token.
constexpr uint64_t kCheckInterval = 256;

using DivisorLists = std::array<std::vector<uint32_t>, kNumParams>;

// Shape of a search: the groups of rows it assigns and the array
// dimensions (rows) it may use. The innermost searched group takes what
// remains.
struct SearchShape {
  bool chips = false, gb = false, pe = false, mac = false, lb = false;
  std::array<bool, kNumRows> usable{};  // row is not skippable

  explicit SearchShape(const Accelerator& accelerator) {
    for (int row = 0; row < kNumRows; ++row) {
      usable[row] = row != kRegisterRow && !accelerator.IsSkippable(row);
    }
    chips = usable[kChipXRow] || usable[kChipYRow];
    gb = usable[kGlobalBufferRow];
    pe = usable[kPeXRow] || usable[kPeYRow];
    mac = usable[kMacXRow] || usable[kMacYRow];
    lb = usable[kLocalBufferRow];
  }
};

// A partial table and the product of its open rows.
struct Node {
  PartialTable partial;
  Mapping table;
  ParamVector remaining;
};

// Calls visit(v) for each divisor vector v of `remaining` (v[p] divides
// remaining[p]) with allowed(p, v[p]) for every p and a product of at most
// `max_product`, in lexicographic order (K first).
template <typename Allowed, typename Visit>
void ForEachDivisorVector(const ParamVector& remaining,
                          const DivisorLists& divisors, uint64_t max_product,
                          const Allowed& allowed, const Visit& visit) {
  ParamVector v{};
  const auto recurse = [&](const auto& self, int param,
                           uint64_t product) -> void {
    if (param == kNumParams) {
      visit(v);
      return;
    }
    for (uint32_t d : divisors[param]) {
      if (d > remaining[param] || product * d > max_product) break;
      if (remaining[param] % d != 0 || !allowed(param, d)) continue;
      v[param] = d;
      self(self, param + 1, product * d);
    }
  };
  recurse(recurse, 0, 1);
}

// Key of the memoized best inner objective over the MAC-array vectors of a
// PE-array node: the open rows and the unrolling fixed so far.
struct InnerKey {
  ParamVector remaining;
  double spatial;
  double spatial_crs;

  friend bool operator==(const InnerKey&, const InnerKey&) = default;
  template <typename H>
  friend H AbslHashValue(H state, const InnerKey& key) {
    return H::combine(std::move(state), key.remaining, key.spatial,
                      key.spatial_crs);
  }
};
using InnerMemo = absl::flat_hash_map<InnerKey, double>;

// Per-thread memos are cleared beyond this many entries.
constexpr size_t kMaxMemoEntries = 1 << 18;

// Records `values` as the vector of `group` in `partial`.
void SetGroupValues(int group, const ParamVector& values,
                    PartialTable* partial) {
  switch (group) {
    case 0:
      partial->dram = values;
      break;
    case 1:
      partial->chips = values;
      partial->chips_fixed = true;
      break;
    case 2:
      partial->gb = values;
      partial->gb_fixed = true;
      break;
    case 3:
      partial->pe = values;
      partial->pe_fixed = true;
      break;
    case 4:
      partial->mac = values;
      partial->mac_fixed = true;
      break;
    default:
      break;
  }
}

class CombinationSearch {
 public:
  CombinationSearch(const Accelerator& accelerator, const CostModel& model,
                    const Layer& layer, Metric metric, int combination_index,
                    const DataflowCombination& combination,
                    PruneThreshold* threshold, SearchControl* control)
      : accelerator_(accelerator),
        model_(model),
        layer_(layer),
        metric_(metric),
        combination_index_(combination_index),
        shape_(accelerator),
        bound_(model, accelerator, layer, metric, combination),
        threshold_(threshold),
        control_(control) {
    for (Param param : kAllParams) {
      divisors_[param] = Divisors(layer.params[param]);
    }
    root_.table = Mapping();
    root_.table.dataflows = combination;
    for (Param param : kAllParams) root_.remaining[param] = layer.params[param];
    root_.partial.chips_fixed = !shape_.chips;
    root_.partial.gb_fixed = !shape_.gb;
    root_.partial.pe_fixed = !shape_.pe;
    root_.partial.mac_fixed = !shape_.mac;

    const std::array<std::pair<Group, bool>, 6> groups = {{
        {Group::kDram, true},
        {Group::kChips, shape_.chips},
        {Group::kGlobalBuffer, shape_.gb},
        {Group::kPe, shape_.pe},
        {Group::kMac, shape_.mac},
        {Group::kLocalBuffer, shape_.lb},
    }};
    PartialTable open;
    open.chips_fixed = !shape_.chips;
    open.gb_fixed = !shape_.gb;
    open.pe_fixed = !shape_.pe;
    open.mac_fixed = !shape_.mac;
    inner_floor_ = bound_.InnerObjective(open);

    for (const auto& [group, searched] : groups) {
      if (!searched) continue;
      last_group_ = group;
      if (group <= Group::kChips) gb_tile_known_after_ = group;
      if (group <= Group::kPe) lb_tile_known_after_ = group;
    }
  }

  // Searches every table of this combination; returns the best one found.
  SearchBest Run();

 private:
  enum class Group { kDram, kChips, kGlobalBuffer, kPe, kMac, kLocalBuffer };

  Group NextGroup(Group group) const;
  bool IsRemainder(Group group) const;
  void Expand(const Node& node, Group group, SearchBest* best) const;
  bool Assign(Group group, const ParamVector& values, Node* node) const;
  void Leaf(Node* node, SearchBest* best) const;
  std::vector<std::pair<double, Node>> Children(const Node& node, Group group,
                                                SearchBest* best) const;
  SearchBest ExpandInParallel(
      const std::vector<std::pair<double, Node>>& children, Group group) const;
  bool Allowed(Group group, int param, uint32_t value) const;
  static void SetGroup(Group group, const ParamVector& values,
                       PartialTable* partial) {
    SetGroupValues(static_cast<int>(group), values, partial);
  }
  uint64_t MaxProduct(Group group) const;
  void Count() const;
  double MinInnerOverMac(const ExactBound::InnerShape& known) const;

  const Accelerator& accelerator_;
  const CostModel& model_;
  const Layer& layer_;
  const Metric metric_;
  const int combination_index_;
  const SearchShape shape_;
  const ExactBound bound_;
  PruneThreshold* threshold_;
  SearchControl* control_;
  DivisorLists divisors_;
  Node root_;
  mutable tbb::enumerable_thread_specific<InnerMemo> inner_memo_;
  // The inner objective with nothing fixed: a floor for every table.
  double inner_floor_ = 0;
  // The innermost searched group, which takes the remaining factors, and
  // the groups after which the global- and local-buffer tiles are known.
  Group last_group_ = Group::kDram;
  Group gb_tile_known_after_ = Group::kDram;
  Group lb_tile_known_after_ = Group::kDram;
};

CombinationSearch::Group CombinationSearch::NextGroup(Group group) const {
  switch (group) {
    case Group::kDram:
      if (shape_.chips) return Group::kChips;
      [[fallthrough]];
    case Group::kChips:
      if (shape_.gb) return Group::kGlobalBuffer;
      [[fallthrough]];
    case Group::kGlobalBuffer:
      if (shape_.pe) return Group::kPe;
      [[fallthrough]];
    case Group::kPe:
      if (shape_.mac) return Group::kMac;
      [[fallthrough]];
    case Group::kMac:
      if (shape_.lb) return Group::kLocalBuffer;
      [[fallthrough]];
    case Group::kLocalBuffer:
      break;
  }
  return Group::kLocalBuffer;
}

bool CombinationSearch::IsRemainder(Group group) const {
  return group == last_group_;
}

bool CombinationSearch::Allowed(Group group, int param, uint32_t value) const {
  const Param p = static_cast<Param>(param);
  switch (group) {
    case Group::kDram:
      return FactorAllowed(accelerator_, kDramRow, p, value);
    case Group::kGlobalBuffer:
      return FactorAllowed(accelerator_, kGlobalBufferRow, p, value);
    case Group::kLocalBuffer:
      return FactorAllowed(accelerator_, kLocalBufferRow, p, value);
    case Group::kChips:
    case Group::kPe:
    case Group::kMac: {
      // Either dimension may take the parameter.
      const int x_row = group == Group::kChips ? kChipXRow
                        : group == Group::kPe  ? kPeXRow
                                               : kMacXRow;
      return value == 1 ||
             (shape_.usable[x_row] &&
              FactorAllowed(accelerator_, x_row, p, value)) ||
             (shape_.usable[x_row + 1] &&
              FactorAllowed(accelerator_, x_row + 1, p, value));
    }
  }
  return false;
}

uint64_t CombinationSearch::MaxProduct(Group group) const {
  const auto instances = [&](int x_row) {
    const SpatialArray& array = accelerator_.ArrayOf(x_row);
    return (shape_.usable[x_row] ? uint64_t{array.size_x} : 1) *
           (shape_.usable[x_row + 1] ? uint64_t{array.size_y} : 1);
  };
  switch (group) {
    case Group::kChips:
      return instances(kChipXRow);
    case Group::kPe:
      return instances(kPeXRow);
    case Group::kMac:
      return instances(kMacXRow);
    default:
      return std::numeric_limits<uint64_t>::max();
  }
}

// Writes `values` into the rows of `group`, updates what is known and
// checks the limits that became decidable. Returns false if they fail.
bool CombinationSearch::Assign(Group group, const ParamVector& values,
                               Node* node) const {
  const auto write_row = [&](int row) {
    for (Param p : kAllParams) {
      node->table.rows[row][p] = static_cast<uint32_t>(values[p]);
    }
  };
  const auto write_split = [&](int x_row, ParamVector* slot) {
    RowValues combined;
    for (Param p : kAllParams) combined[p] = static_cast<uint32_t>(values[p]);
    const std::optional<SpatialSplit> split =
        CanonicalSplit(combined, accelerator_.ArrayOf(x_row),
                       shape_.usable[x_row], shape_.usable[x_row + 1]);
    if (!split.has_value()) return false;
    node->table.rows[x_row] = split->x;
    node->table.rows[x_row + 1] = split->y;
    *slot = values;
    return true;
  };

  node->remaining = Divide(node->remaining, values);
  switch (group) {
    case Group::kDram:
      write_row(kDramRow);
      node->partial.dram = values;
      break;
    case Group::kChips:
      if (!write_split(kChipXRow, &node->partial.chips)) return false;
      node->partial.chips_fixed = true;
      break;
    case Group::kGlobalBuffer:
      write_row(kGlobalBufferRow);
      node->partial.gb = values;
      node->partial.gb_fixed = true;
      break;
    case Group::kPe:
      if (!write_split(kPeXRow, &node->partial.pe)) return false;
      node->partial.pe_fixed = true;
      break;
    case Group::kMac:
      if (!write_split(kMacXRow, &node->partial.mac)) return false;
      node->partial.mac_fixed = true;
      break;
    case Group::kLocalBuffer:
      write_row(kLocalBufferRow);
      break;
  }

  // The global buffer stores the tile of the rows below the chips, and the
  // local buffer that of the rows below the PE array. So their capacities
  // can be checked once the groups outside them are fixed.
  if (group == gb_tile_known_after_ &&
      !model_.ProductsFit(kGlobalBuffer, node->remaining)) {
    return false;
  }
  if (group == lb_tile_known_after_ &&
      !model_.ProductsFit(kLocalBuffer, node->remaining)) {
    return false;
  }
  return true;
}

std::vector<std::pair<double, Node>> CombinationSearch::Children(
    const Node& node, Group group, SearchBest* best) const {
  std::vector<std::pair<double, Node>> children;
  const double threshold = threshold_->value();

  // The MAC array does not enter the outer terms, so for its candidates
  // the outer terms and the known inner shape are computed once.
  const bool mac_group = group == Group::kMac;
  const double outer = mac_group ? bound_.OuterObjective(node.partial) : 0;
  const ExactBound::InnerShape known =
      mac_group ? bound_.KnownShape(node.partial) : ExactBound::InnerShape();
  // With the MAC array searched after the PE array, a PE candidate's bound
  // takes the best MAC array outright.
  const bool expand_mac =
      shape_.mac && last_group_ != Group::kMac && last_group_ != Group::kPe;

  ForEachDivisorVector(
      node.remaining, divisors_, MaxProduct(group),
      [&](int param, uint32_t value) { return Allowed(group, param, value); },
      [&](const ParamVector& values) {
        double bound = 0;
        if (mac_group) {
          bound = outer + bound_.InnerObjectiveWithMac(known, values);
        } else {
          PartialTable partial = node.partial;
          SetGroup(group, values, &partial);
          // The outer terms alone often decide; the inner terms are then
          // never smaller than their value with everything open.
          bound = bound_.OuterObjective(partial);
          if (bound + inner_floor_ <= threshold) {
            bound += group == Group::kPe && expand_mac
                         ? MinInnerOverMac(bound_.KnownShape(partial))
                         : bound_.InnerObjective(partial);
          } else {
            bound += inner_floor_;
          }
        }
        if (bound > threshold) {
          ++best->pruned;
          return;
        }
        Node child = node;
        if (!Assign(group, values, &child)) {
          ++best->pruned;
          return;
        }
        children.emplace_back(bound, std::move(child));
      });
  // Most promising first, so the threshold drops early. The order
  // does not affect the result (see the header).
  std::stable_sort(
      children.begin(), children.end(),
      [](const auto& a, const auto& b) { return a.first < b.first; });
  return children;
}

// The smallest inner objective over every MAC-array vector that fits the
// open rows: with the PE array fixed, a bound as tight as expanding the MAC
// array, and memoized because many PE nodes share it.
double CombinationSearch::MinInnerOverMac(
    const ExactBound::InnerShape& known) const {
  InnerMemo& memo = inner_memo_.local();
  const InnerKey key{known.remaining_vector, known.spatial, known.spatial_crs};
  if (const auto it = memo.find(key); it != memo.end()) return it->second;

  double best = std::numeric_limits<double>::infinity();
  ForEachDivisorVector(
      known.remaining_vector, divisors_, MaxProduct(Group::kMac),
      [&](int param, uint32_t value) {
        return Allowed(Group::kMac, param, value);
      },
      [&](const ParamVector& values) {
        best = std::min(best, bound_.InnerObjectiveWithMac(known, values));
      });
  if (memo.size() >= kMaxMemoEntries) memo.clear();
  memo.emplace(key, best);
  return best;
}

void CombinationSearch::Count() const {
  // Per thread, because tasks are often shorter than the interval.
  thread_local uint64_t since_poll = 0;
  if (++since_poll < kCheckInterval) return;
  since_poll = 0;
  control_->Poll();
}

void CombinationSearch::Leaf(Node* node, SearchBest* best) const {
  Evaluation evaluation;
  if (!model_.EvaluateIfValid(node->table, &evaluation)) {
    ++best->pruned;
    return;
  }
  ++best->evaluated;
  const double cost = evaluation.Objective(metric_);
  if (best->Offer(cost, node->table, combination_index_)) {
    threshold_->Lower(cost);
  }
}

void CombinationSearch::Expand(const Node& node, Group group,
                               SearchBest* best) const {
  if (control_->ShouldQuit()) return;
  Count();

  if (IsRemainder(group)) {
    // The full validity check of the leaf covers the remainder's own
    // CONSTRAINT and capacity.
    Node leaf = node;
    if (!Assign(group, node.remaining, &leaf)) {
      ++best->pruned;
      return;
    }
    Leaf(&leaf, best);
    return;
  }

  std::vector<std::pair<double, Node>> children = Children(node, group, best);
  const Group next = NextGroup(group);
  // The outer groups fan out into large subtrees of uneven size: expand
  // them in parallel. The inner groups are cheap and stay serial.
  if (group == Group::kPe || group == Group::kMac || children.size() < 2) {
    for (auto& [bound, child] : children) {
      if (bound > threshold_->value()) {
        ++best->pruned;
        continue;
      }
      Expand(child, next, best);
    }
    return;
  }
  best->Merge(ExpandInParallel(children, next));
}

// Expands `children` in parallel and reduces their best tables.
SearchBest CombinationSearch::ExpandInParallel(
    const std::vector<std::pair<double, Node>>& children, Group group) const {
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, children.size(), 1), SearchBest(),
      [&](const tbb::blocked_range<size_t>& range, SearchBest best) {
        for (size_t i = range.begin(); i != range.end(); ++i) {
          if (children[i].first > threshold_->value()) {
            ++best.pruned;
          } else {
            Expand(children[i].second, group, &best);
          }
        }
        return best;
      },
      [](SearchBest left, const SearchBest& right) {
        left.Merge(right);
        return left;
      });
}

SearchBest CombinationSearch::Run() {
  SearchBest best;
  if (IsRemainder(Group::kDram)) {
    Expand(root_, Group::kDram, &best);
    return best;
  }
  const std::vector<std::pair<double, Node>> tops =
      Children(root_, Group::kDram, &best);
  best.Merge(ExpandInParallel(tops, NextGroup(Group::kDram)));
  return best;
}

}  // namespace

SearchBest SearchCombination(const Accelerator& accelerator,
                             const CostModel& model, const Layer& layer,
                             Metric metric, int combination_index,
                             const DataflowCombination& combination,
                             PruneThreshold* threshold,
                             SearchControl* control) {
  CombinationSearch search(accelerator, model, layer, metric, combination_index,
                           combination, threshold, control);
  return search.Run();
}

}  // namespace neurospector::exact_internal
