#include "server/result_cache.h"

#include "absl/time/time.h"

namespace neurospector::server {

void Flight::Complete(absl::StatusOr<SharedResult> result) {
  absl::MutexLock lock(&mutex_);
  result_ = std::move(result);
}

std::optional<absl::StatusOr<SharedResult>> Flight::Wait(
    const StopToken& stop) const {
  absl::MutexLock lock(&mutex_);
  const auto done = [this]() ABSL_SHARED_LOCKS_REQUIRED(mutex_) {
    return result_.has_value();
  };
  while (!mutex_.AwaitWithTimeout(absl::Condition(&done),
                                  absl::Milliseconds(10))) {
    if (stop.StopRequested()) return std::nullopt;
  }
  return result_;
}

bool IsFinalResult(const LayerResult& result, SearchAlgorithm algorithm) {
  return algorithm == SearchAlgorithm::kBottomUp || result.optimal;
}

ResultCache::ResultCache(size_t max_entries) : max_entries_(max_entries) {}

ResultCache::Claim ResultCache::Lookup(const Fingerprint128& key,
                                       const Fingerprint128& flight_key,
                                       const std::function<bool()>& may_lead) {
  absl::MutexLock lock(&mutex_);
  Claim claim;
  if (const auto entry = entries_.find(key); entry != entries_.end()) {
    lru_.splice(lru_.begin(), lru_, entry->second);
    claim.cached = entry->second->second;
    return claim;
  }
  if (const auto flight = flights_.find(flight_key); flight != flights_.end()) {
    claim.flight = flight->second;
    return claim;
  }
  if (!may_lead()) {
    claim.exhausted = true;
    return claim;
  }
  claim.flight = std::make_shared<Flight>();
  claim.leader = true;
  flights_.emplace(flight_key, claim.flight);
  return claim;
}

void ResultCache::Finish(const Fingerprint128& key,
                         const Fingerprint128& flight_key,
                         const std::shared_ptr<Flight>& flight,
                         absl::StatusOr<SharedResult> result,
                         SearchAlgorithm algorithm) {
  {
    absl::MutexLock lock(&mutex_);
    if (const auto it = flights_.find(flight_key);
        it != flights_.end() && it->second == flight) {
      flights_.erase(it);
    }
    const bool store = result.ok() && max_entries_ > 0 &&
                       IsFinalResult(**result, algorithm) &&
                       !entries_.contains(key);
    if (store) {
      lru_.emplace_front(key, *result);
      entries_.emplace(key, lru_.begin());
      if (lru_.size() > max_entries_) {
        entries_.erase(lru_.back().first);
        lru_.pop_back();
      }
    }
  }
  flight->Complete(std::move(result));
}

size_t ResultCache::size() const {
  absl::MutexLock lock(&mutex_);
  return lru_.size();
}

}  // namespace neurospector::server
