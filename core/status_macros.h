// Early-return helpers for absl::Status and absl::StatusOr. Abseil 20220623
// (Debian 12) does not ship its own status macros.

#ifndef NEUROSPECTOR_CORE_STATUS_MACROS_H_
#define NEUROSPECTOR_CORE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function unless it is OK.
#define NS_RETURN_IF_ERROR(expr)                \
  do {                                          \
    ::absl::Status ns_status_internal = (expr); \
    if (!ns_status_internal.ok()) {             \
      return ns_status_internal;                \
    }                                           \
  } while (false)

#define NS_STATUS_MACROS_CONCAT_INNER(a, b) a##b
#define NS_STATUS_MACROS_CONCAT(a, b) NS_STATUS_MACROS_CONCAT_INNER(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>), returns its status from the
// enclosing function on error, and otherwise moves the value into `lhs`,
// which may be a declaration such as `auto value`.
#define NS_ASSIGN_OR_RETURN(lhs, rexpr) \
  NS_ASSIGN_OR_RETURN_IMPL(             \
      NS_STATUS_MACROS_CONCAT(ns_status_or_internal_, __LINE__), lhs, rexpr)

#define NS_ASSIGN_OR_RETURN_IMPL(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                             \
  if (!statusor.ok()) {                                \
    return std::move(statusor).status();               \
  }                                                    \
  lhs = *std::move(statusor)

#endif  // NEUROSPECTOR_CORE_STATUS_MACROS_H_
