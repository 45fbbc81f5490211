// Thin line-oriented logger writing to stderr. Abseil 20220623 (Debian 12)
// has no absl/log, so services and tools log through this header.
//
//   NS_LOG(INFO) << "listening on " << address;
//
// Each statement emits one line, "I 2026-12-04T22:00:41.123Z file.cc:42] ...",
// written with a single call so that lines from different threads never
// interleave. Thread-safe.

#ifndef NEUROSPECTOR_CORE_LOGGING_H_
#define NEUROSPECTOR_CORE_LOGGING_H_

#include <sstream>

namespace neurospector {

enum class LogSeverity : int { kInfo = 0, kWarning = 1, kError = 2 };

// Drops messages below `severity`. Process-wide; INFO by default.
void SetMinLogSeverity(LogSeverity severity);

namespace logging_internal {

// Collects one log line and writes it to stderr when destroyed.
class LogMessage {
 public:
  LogMessage(LogSeverity severity, const char* file, int line);
  LogMessage(const LogMessage&) = delete;
  LogMessage& operator=(const LogMessage&) = delete;
  ~LogMessage();

  std::ostream& stream() { return stream_; }

 private:
  LogSeverity severity_;
  std::ostringstream stream_;
};

inline constexpr LogSeverity kSeverityINFO = LogSeverity::kInfo;
inline constexpr LogSeverity kSeverityWARNING = LogSeverity::kWarning;
inline constexpr LogSeverity kSeverityERROR = LogSeverity::kError;

}  // namespace logging_internal
}  // namespace neurospector

#define NS_LOG(severity)                                               \
  ::neurospector::logging_internal::LogMessage(                        \
      ::neurospector::logging_internal::kSeverity##severity, __FILE__, \
      __LINE__)                                                        \
      .stream()

#endif  // NEUROSPECTOR_CORE_LOGGING_H_
