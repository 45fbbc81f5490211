#include "server/result_cache.h"

#include <atomic>
#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace neurospector::server {
namespace {

Fingerprint128 Key(uint64_t value) { return Fingerprint128{0, value}; }

SharedResult Result(const std::string& strategy, bool optimal = true) {
  auto result = std::make_shared<LayerResult>();
  result->strategy = strategy;
  result->optimal = optimal;
  return result;
}

const auto kMayLead = [] { return true; };

// Runs a lookup that leads, then finishes it with `result`.
void Store(ResultCache& cache, uint64_t key, SharedResult result,
           SearchAlgorithm algorithm = SearchAlgorithm::kBottomUp) {
  ResultCache::Claim claim = cache.Lookup(Key(key), Key(key), kMayLead);
  ASSERT_TRUE(claim.leader);
  cache.Finish(Key(key), Key(key), claim.flight, result, algorithm);
}

TEST(ResultCache, SecondLookupHits) {
  ResultCache cache(10);
  Store(cache, 1, Result("PM-PM"));
  const ResultCache::Claim claim = cache.Lookup(Key(1), Key(1), kMayLead);
  ASSERT_NE(claim.cached, nullptr);
  EXPECT_EQ(claim.cached->strategy, "PM-PM");
  EXPECT_FALSE(claim.leader);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(ResultCache, EvictsLeastRecentlyUsed) {
  ResultCache cache(2);
  Store(cache, 1, Result("one"));
  Store(cache, 2, Result("two"));
  // Touch 1, so 2 is the least recently used when 3 arrives.
  ASSERT_NE(cache.Lookup(Key(1), Key(1), kMayLead).cached, nullptr);
  Store(cache, 3, Result("three"));

  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.Lookup(Key(1), Key(1), kMayLead).cached, nullptr);
  EXPECT_NE(cache.Lookup(Key(3), Key(3), kMayLead).cached, nullptr);
  ResultCache::Claim evicted = cache.Lookup(Key(2), Key(2), kMayLead);
  EXPECT_EQ(evicted.cached, nullptr);
  EXPECT_TRUE(evicted.leader);
}

TEST(ResultCache, ZeroEntriesStoresNothing) {
  ResultCache cache(0);
  Store(cache, 1, Result("one"));
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.Lookup(Key(1), Key(1), kMayLead).cached, nullptr);
}

TEST(ResultCache, StoresOnlyFinalResults) {
  struct Case {
    const char* name;
    SearchAlgorithm algorithm;
    bool optimal;
    bool stored;
  };
  const Case cases[] = {
      {"bottom-up", SearchAlgorithm::kBottomUp, false, true},
      {"exact, proven optimal", SearchAlgorithm::kExact, true, true},
      {"exact, stopped by its time limit", SearchAlgorithm::kExact, false,
       false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ResultCache cache(10);
    Store(cache, 1, Result("x", c.optimal), c.algorithm);
    EXPECT_EQ(cache.size(), c.stored ? 1u : 0u);
  }
}

TEST(ResultCache, ErrorsAreNotStored) {
  ResultCache cache(10);
  ResultCache::Claim claim = cache.Lookup(Key(1), Key(1), kMayLead);
  cache.Finish(Key(1), Key(1), claim.flight,
               absl::CancelledError("the search was cancelled"),
               SearchAlgorithm::kBottomUp);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_TRUE(cache.Lookup(Key(1), Key(1), kMayLead).leader);
}

TEST(ResultCache, FollowerSharesTheLeadersResult) {
  ResultCache cache(10);
  ResultCache::Claim leader = cache.Lookup(Key(1), Key(1), kMayLead);
  ResultCache::Claim follower = cache.Lookup(Key(1), Key(1), kMayLead);
  ASSERT_TRUE(leader.leader);
  ASSERT_FALSE(follower.leader);
  ASSERT_EQ(follower.flight, leader.flight);

  std::thread finisher([&] {
    absl::SleepFor(absl::Milliseconds(20));
    cache.Finish(Key(1), Key(1), leader.flight, Result("shared"),
                 SearchAlgorithm::kBottomUp);
  });
  std::optional<absl::StatusOr<SharedResult>> shared =
      follower.flight->Wait(StopToken());
  finisher.join();
  ASSERT_TRUE(shared.has_value());
  ASSERT_TRUE(shared->ok());
  EXPECT_EQ((**shared)->strategy, "shared");
}

TEST(ResultCache, NonFinalResultNotStored) {
  ResultCache cache(10);
  ResultCache::Claim leader = cache.Lookup(Key(1), Key(7), kMayLead);
  ResultCache::Claim follower = cache.Lookup(Key(1), Key(7), kMayLead);
  cache.Finish(Key(1), Key(7), leader.flight, Result("best found", false),
               SearchAlgorithm::kExact);
  std::optional<absl::StatusOr<SharedResult>> shared =
      follower.flight->Wait(StopToken());
  ASSERT_TRUE(shared.has_value());
  ASSERT_TRUE(shared->ok());
  EXPECT_EQ((**shared)->strategy, "best found");
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ResultCache, FlightKeysSeparateSearches) {
  ResultCache cache(10);
  ResultCache::Claim first = cache.Lookup(Key(1), Key(10), kMayLead);
  ResultCache::Claim second = cache.Lookup(Key(1), Key(11), kMayLead);
  EXPECT_TRUE(first.leader);
  EXPECT_TRUE(second.leader);
  EXPECT_NE(first.flight, second.flight);
}

TEST(ResultCache, WaitStopsOnCancellation) {
  ResultCache cache(10);
  ResultCache::Claim leader = cache.Lookup(Key(1), Key(1), kMayLead);
  std::atomic<bool> cancelled{false};
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(30));
    cancelled = true;
  });
  const absl::Time start = absl::Now();
  std::optional<absl::StatusOr<SharedResult>> shared =
      leader.flight->Wait(StopToken(&cancelled, absl::InfiniteFuture()));
  canceller.join();
  EXPECT_FALSE(shared.has_value());
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));
}

TEST(ResultCache, LeadershipRejectedWhenExhausted) {
  ResultCache cache(10);
  Store(cache, 1, Result("one"));
  const auto reject = [] { return false; };
  // A hit needs no leadership.
  EXPECT_NE(cache.Lookup(Key(1), Key(1), reject).cached, nullptr);
  const ResultCache::Claim claim = cache.Lookup(Key(2), Key(2), reject);
  EXPECT_TRUE(claim.exhausted);
  EXPECT_EQ(claim.flight, nullptr);
  // Nothing was registered, so the next caller may lead.
  EXPECT_TRUE(cache.Lookup(Key(2), Key(2), kMayLead).leader);
}

}  // namespace
}  // namespace neurospector::server
