#include "server/cancellation.h"

#include <utility>

namespace neurospector::server {

CancellationWatcher::CancellationWatcher(absl::Duration period)
    : period_(period), thread_([this] { Poll(); }) {}

CancellationWatcher::~CancellationWatcher() {
  stopping_.Notify();
  thread_.join();
}

CancellationWatcher::Registration CancellationWatcher::Watch(
    std::function<bool()> is_cancelled, std::atomic<bool>* flag) {
  absl::MutexLock lock(&mutex_);
  const uint64_t id = next_id_++;
  watched_.emplace(id, Watched{std::move(is_cancelled), flag});
  return Registration(this, id);
}

void CancellationWatcher::Remove(uint64_t id) {
  absl::MutexLock lock(&mutex_);
  watched_.erase(id);
}

void CancellationWatcher::Poll() {
  while (!stopping_.WaitForNotificationWithTimeout(period_)) {
    absl::MutexLock lock(&mutex_);
    for (auto& [id, watched] : watched_) {
      if (!watched.flag->load(std::memory_order_relaxed) &&
          watched.is_cancelled()) {
        watched.flag->store(true);
      }
    }
  }
}

}  // namespace neurospector::server
