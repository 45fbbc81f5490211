// Turns the cancellation of gRPC calls into the flags that StopTokens
// poll. The synchronous gRPC API reports a cancelled call only through
// ServerContext::IsCancelled(), so one thread polls every registered call.

#ifndef NEUROSPECTOR_SERVER_CANCELLATION_H_
#define NEUROSPECTOR_SERVER_CANCELLATION_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace neurospector::server {

class CancellationWatcher {
 public:
  // Starts the polling thread, which checks every call each `period`.
  explicit CancellationWatcher(absl::Duration period = absl::Milliseconds(10));
  // Stops the polling thread.
  ~CancellationWatcher();

  CancellationWatcher(const CancellationWatcher&) = delete;
  CancellationWatcher& operator=(const CancellationWatcher&) = delete;

  // Sets `*flag` once `is_cancelled()` returns true, until the returned
  // registration is destroyed. `is_cancelled` must be thread-safe.
  class Registration {
   public:
    Registration(CancellationWatcher* watcher, uint64_t id)
        : watcher_(watcher), id_(id) {}
    ~Registration() { watcher_->Remove(id_); }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

   private:
    CancellationWatcher* watcher_;
    uint64_t id_;
  };
  Registration Watch(std::function<bool()> is_cancelled,
                     std::atomic<bool>* flag);

 private:
  struct Watched {
    std::function<bool()> is_cancelled;
    std::atomic<bool>* flag;
  };

  void Remove(uint64_t id);
  void Poll();

  const absl::Duration period_;
  absl::Mutex mutex_;
  uint64_t next_id_ ABSL_GUARDED_BY(mutex_) = 0;
  absl::flat_hash_map<uint64_t, Watched> watched_ ABSL_GUARDED_BY(mutex_);
  absl::Notification stopping_;
  std::thread thread_;
};

}  // namespace neurospector::server

#endif  // NEUROSPECTOR_SERVER_CANCELLATION_H_
