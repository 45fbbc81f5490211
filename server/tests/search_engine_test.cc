#include "server/search_engine.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/tests/server_test_support.h"

namespace neurospector::server {
namespace {

using ::testing::HasSubstr;
using testing::SlowBackend;

const ResolvedAccelerator& Eyeriss() {
  static const ResolvedAccelerator* eyeriss = [] {
    absl::StatusOr<std::unique_ptr<BuiltinCatalog>> catalog =
        BuiltinCatalog::Create();
    EXPECT_TRUE(catalog.ok());
    return new ResolvedAccelerator(*(*catalog)->FindAccelerator("eyeriss"));
  }();
  return *eyeriss;
}

Layer MakeTestLayer(const std::string& name, uint64_t k, uint64_t stride = 1) {
  absl::StatusOr<Layer> layer =
      MakeLayer(name, LayerShape{k, 1, 8, 8, 16, 3, 3, 1, stride}, name);
  EXPECT_TRUE(layer.ok());
  return *layer;
}

// An engine over a SlowBackend whose searches take `duration`.
struct Fixture {
  explicit Fixture(absl::Duration duration, EngineOptions options = {})
      : backend(new SlowBackend(duration)),
        engine(options, std::unique_ptr<SearchBackend>(backend), &metrics) {}

  ServerMetrics metrics;
  SlowBackend* backend;  // owned by the engine
  SearchEngine engine;
};

TEST(SearchEngine, SecondRequestHitsTheCache) {
  Fixture f(absl::ZeroDuration());
  const Layer layer = MakeTestLayer("a", 16);
  absl::StatusOr<SearchEngine::LayerOutcome> first = f.engine.ScheduleLayer(
      Eyeriss(), layer, SearchOptions(), StopToken(), "ScheduleLayer");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->cache_hit);

  // Another name, same shape: a hit.
  absl::StatusOr<SearchEngine::LayerOutcome> second =
      f.engine.ScheduleLayer(Eyeriss(), MakeTestLayer("b", 16), SearchOptions(),
                             StopToken(), "ScheduleLayer");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->cache_hit);
  EXPECT_EQ(f.backend->started.load(), 1);
  EXPECT_EQ(f.metrics.cache_hits.Value(), 1);
  EXPECT_EQ(f.metrics.cache_misses.Value(), 1);
  EXPECT_EQ(f.metrics.cache_entries.Value(), 1);
}

TEST(SearchEngine, ConcurrentIdenticalRequestsRunOneSearch) {
  Fixture f(absl::Milliseconds(200));
  const Layer layer = MakeTestLayer("a", 16);
  constexpr int kClients = 8;
  std::vector<std::thread> clients;
  std::atomic<int> succeeded{0};
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      absl::StatusOr<SearchEngine::LayerOutcome> outcome =
          f.engine.ScheduleLayer(Eyeriss(), layer, SearchOptions(), StopToken(),
                                 "ScheduleLayer");
      if (outcome.ok()) ++succeeded;
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(succeeded.load(), kClients);
  EXPECT_EQ(f.backend->started.load(), 1);
}

TEST(SearchEngine, NetworkSearchesEachShapeOnce) {
  Fixture f(absl::ZeroDuration());
  const std::vector<Layer> layers = {
      MakeTestLayer("a", 16), MakeTestLayer("b", 32), MakeTestLayer("c", 16),
      MakeTestLayer("d", 16, 2), MakeTestLayer("e", 32)};
  std::vector<int> calls(layers.size(), 0);
  absl::StatusOr<SearchEngine::NetworkStats> stats = f.engine.ScheduleNetwork(
      Eyeriss(), layers, SearchOptions(), StopToken(),
      [&](size_t position, const SearchEngine::LayerOutcome&) {
        ++calls[position];
      });
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->distinct_shapes, 3u);
  EXPECT_EQ(stats->searches_run, 3u);
  EXPECT_EQ(f.backend->started.load(), 3);
  EXPECT_EQ(calls, std::vector<int>(layers.size(), 1));

  // Again: everything from the cache.
  stats = f.engine.ScheduleNetwork(
      Eyeriss(), layers, SearchOptions(), StopToken(),
      [](size_t, const SearchEngine::LayerOutcome& outcome) {
        EXPECT_TRUE(outcome.cache_hit);
      });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->cache_hits, 3u);
  EXPECT_EQ(stats->searches_run, 0u);
  EXPECT_EQ(f.backend->started.load(), 3);
}

TEST(SearchEngine, RejectsSearchesBeyondTheLimit) {
  EngineOptions options;
  options.max_concurrent_searches = 1;
  Fixture f(absl::Seconds(5), options);
  std::atomic<bool> cancelled{false};
  std::thread busy([&] {
    absl::StatusOr<SearchEngine::LayerOutcome> outcome = f.engine.ScheduleLayer(
        Eyeriss(), MakeTestLayer("a", 16), SearchOptions(),
        StopToken(&cancelled, absl::InfiniteFuture()), "ScheduleLayer");
    EXPECT_EQ(outcome.status().code(), absl::StatusCode::kCancelled);
  });
  while (f.backend->running.load() == 0) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(f.metrics.searches_in_flight.Value(), 1);

  absl::StatusOr<SearchEngine::LayerOutcome> rejected =
      f.engine.ScheduleLayer(Eyeriss(), MakeTestLayer("b", 32), SearchOptions(),
                             StopToken(), "ScheduleLayer");
  EXPECT_EQ(rejected.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(rejected.status().message()),
              HasSubstr("--max-concurrent-searches"));

  cancelled = true;
  busy.join();
  EXPECT_EQ(f.metrics.searches_in_flight.Value(), 0);
}

TEST(SearchEngine, StopEndsTheSearchPromptly) {
  Fixture f(absl::Seconds(30));
  const absl::Time start = absl::Now();
  absl::StatusOr<SearchEngine::LayerOutcome> outcome = f.engine.ScheduleLayer(
      Eyeriss(), MakeTestLayer("a", 16), SearchOptions(),
      StopToken(nullptr, start + absl::Milliseconds(50)), "ScheduleLayer");
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(f.backend->running.load(), 0);
  EXPECT_EQ(f.metrics.searches_in_flight.Value(), 0);
  EXPECT_EQ(f.engine.cache_size(), 0u);
}

TEST(SearchEngine, FollowerSearchesAgainWhenTheLeaderIsCancelled) {
  Fixture f(absl::Milliseconds(300));
  const Layer layer = MakeTestLayer("a", 16);
  std::atomic<bool> leader_cancelled{false};
  std::thread leader([&] {
    absl::StatusOr<SearchEngine::LayerOutcome> outcome = f.engine.ScheduleLayer(
        Eyeriss(), layer, SearchOptions(),
        StopToken(&leader_cancelled, absl::InfiniteFuture()), "ScheduleLayer");
    EXPECT_EQ(outcome.status().code(), absl::StatusCode::kCancelled);
  });
  while (f.backend->running.load() == 0) absl::SleepFor(absl::Milliseconds(1));

  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(50));
    leader_cancelled = true;
  });
  absl::StatusOr<SearchEngine::LayerOutcome> follower = f.engine.ScheduleLayer(
      Eyeriss(), layer, SearchOptions(), StopToken(), "ScheduleLayer");
  leader.join();
  canceller.join();
  ASSERT_TRUE(follower.ok()) << follower.status();
  EXPECT_EQ(f.backend->started.load(), 2);
}

TEST(SearchEngine, TimedOutExactResultNotCached) {
  Fixture f(absl::ZeroDuration());
  f.backend->not_optimal = true;
  SearchOptions options;
  options.algorithm = SearchAlgorithm::kExact;
  options.time_limit = absl::Seconds(1);
  const Layer layer = MakeTestLayer("a", 16);
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<SearchEngine::LayerOutcome> outcome = f.engine.ScheduleLayer(
        Eyeriss(), layer, options, StopToken(), "ScheduleLayer");
    ASSERT_TRUE(outcome.ok());
    EXPECT_FALSE(outcome->cache_hit);
    EXPECT_FALSE(outcome->result->optimal);
  }
  EXPECT_EQ(f.backend->started.load(), 2);
  EXPECT_EQ(f.engine.cache_size(), 0u);

  // A proven optimum is cached and serves any time limit.
  f.backend->not_optimal = false;
  ASSERT_TRUE(f.engine
                  .ScheduleLayer(Eyeriss(), layer, options, StopToken(),
                                 "ScheduleLayer")
                  .ok());
  options.time_limit = absl::Seconds(60);
  absl::StatusOr<SearchEngine::LayerOutcome> hit = f.engine.ScheduleLayer(
      Eyeriss(), layer, options, StopToken(), "ScheduleLayer");
  ASSERT_TRUE(hit.ok());
  EXPECT_TRUE(hit->cache_hit);
  EXPECT_TRUE(hit->result->optimal);
}

}  // namespace
}  // namespace neurospector::server
