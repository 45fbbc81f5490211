#include "client/cli.h"

#include "absl/strings/str_cat.h"
#include "client/evaluate_command.h"
#include "client/list_command.h"
#include "client/schedule_command.h"

namespace neurospector::cli {
namespace {

constexpr char kUsage[] =
    "usage: neurospector <command> [options]\n"
    "\n"
    "commands:\n"
    "  evaluate  evaluate one scheduling table (the analyzer)\n"
    "            --accelerator NAME|FILE --network NAME|FILE --table FILE\n"
    "            [--layer NAME|INDEX] [--format text|json]\n"
    "  schedule  find the best table for each layer (the optimizer)\n"
    "            --accelerator NAME|FILE --network NAME|FILE\n"
    "            [--layer NAME|INDEX] [--metric energy|cycle]\n"
    "            [--dataflow fixed|flexible] [--search bottom-up|exact]\n"
    "            [--time-limit SECONDS] [--threads N]\n"
    "            [--format text|json|csv] [--verbose] [--write-tables DIR]\n"
    "  list      list the built-in accelerators and networks\n"
    "            [--format text|json]\n"
    "\n"
    "--server HOST:PORT runs evaluate, schedule or list on a\n"
    "neurospector-server instead of in this process; the output is the same.\n"
    "Accelerators and networks are files or built-in names (eyeriss, simba,\n"
    "resnet50, ...). Exit status: 0 on success (also for an invalid table),\n"
    "2 for invalid input, 1 for other failures.\n";

}  // namespace

int ExitCodeFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return kExitOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
      return kExitInvalidInput;
    default:
      return kExitFailure;
  }
}

int ReportError(const absl::Status& status, std::ostream& err) {
  err << "error: " << status.message() << "\n";
  return ExitCodeFor(status);
}

int Run(const std::vector<std::string>& words, std::ostream& out,
        std::ostream& err) {
  if (words.empty() || words[0] == "--help" || words[0] == "help" ||
      words[0] == "-h") {
    (words.empty() ? err : out) << kUsage;
    return words.empty() ? kExitInvalidInput : kExitOk;
  }

  const std::string& command = words[0];
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  if (command == "evaluate") return RunEvaluate(rest, out, err);
  if (command == "schedule") return RunSchedule(rest, out, err);
  if (command == "list") return RunList(rest, out, err);

  err << "error: unknown command \"" << command << "\"\n\n" << kUsage;
  return kExitInvalidInput;
}

}  // namespace neurospector::cli
