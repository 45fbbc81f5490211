// The neurospector command line, callable in-process (tests use it that
// way) as well as from main().

#ifndef NEUROSPECTOR_CLIENT_CLI_H_
#define NEUROSPECTOR_CLIENT_CLI_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace neurospector::cli {

// Exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitInvalidInput = 2;

// Runs `words` (the command line without the program name). Results go to
// `out`, warnings and errors to `err`. Returns kExitOk, kExitInvalidInput
// for usage errors and invalid input files or values, or kExitFailure.
int Run(const std::vector<std::string>& words, std::ostream& out,
        std::ostream& err);

// kExitInvalidInput for INVALID_ARGUMENT, NOT_FOUND, OUT_OF_RANGE and
// FAILED_PRECONDITION; kExitFailure for other errors; kExitOk for OK.
int ExitCodeFor(const absl::Status& status);

// Prints "error: <message>" to `err` and returns ExitCodeFor(status).
int ReportError(const absl::Status& status, std::ostream& err);

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_CLI_H_
