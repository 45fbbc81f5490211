#include "client/args.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace neurospector::cli {

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& words,
                                 const std::set<std::string>& value_options,
                                 const std::set<std::string>& switches) {
  Args args;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.rfind("--", 0) != 0 || word.size() == 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", word,
                       "\"; options are written --name VALUE"));
    }
    std::string name = word.substr(2);
    std::optional<std::string> value;
    const size_t equals = name.find('=');
    if (equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    }

    if (switches.count(name) > 0) {
      if (value.has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat("option --", name, " takes no value"));
      }
      value = "true";
    } else if (value_options.count(name) > 0) {
      if (!value.has_value()) {
        if (i + 1 >= words.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("option --", name, " needs a value"));
        }
        value = words[++i];
      }
    } else {
      std::set<std::string> all = value_options;
      all.insert(switches.begin(), switches.end());
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option --", name, "; expected one of --",
                       absl::StrJoin(all, ", --")));
    }

    if (!args.values_.emplace(name, *value).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("option --", name, " is given twice"));
    }
  }
  return args;
}

std::optional<std::string> Args::Get(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::GetOr(const std::string& name,
                        const std::string& fallback) const {
  return Get(name).value_or(fallback);
}

}  // namespace neurospector::cli
