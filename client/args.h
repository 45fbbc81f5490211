// Command-line options of the form --name VALUE, --name=VALUE and --flag.

#ifndef NEUROSPECTOR_CLIENT_ARGS_H_
#define NEUROSPECTOR_CLIENT_ARGS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace neurospector::cli {

class Args {
 public:
  // Parses `words` (the words after the subcommand). `value_options` take a
  // value, `switches` do not. INVALID_ARGUMENT for an unknown option, a
  // missing value, a repeated option or a positional word.
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& words,
                                    const std::set<std::string>& value_options,
                                    const std::set<std::string>& switches);

  // Value of --name, or nullopt if absent.
  std::optional<std::string> Get(const std::string& name) const;

  // Value of --name, or `fallback`.
  std::string GetOr(const std::string& name, const std::string& fallback) const;

  bool Has(const std::string& name) const { return values_.count(name) > 0; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_ARGS_H_
