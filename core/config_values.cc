#include "core/config_values.h"

#include <charconv>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace neurospector {
namespace {

std::string RangeText(uint64_t min_value, uint64_t max_value) {
  if (min_value == 0 && max_value == UINT64_MAX) {
    return "a non-negative integer";
  }
  if (min_value == 1 && max_value == UINT64_MAX) return "a positive integer";
  return absl::StrCat("an integer from ", min_value, " to ", max_value);
}

bool ParseDecimal(absl::string_view text, uint64_t* value) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, *value);
  return error == std::errc() && ptr == end;
}

}  // namespace

absl::Status EntryError(const ConfigFile& file, const ConfigEntry& entry,
                        absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(file.Location(entry.line),
                                                 ": ", entry.raw_key, " \"",
                                                 entry.value, "\" ", problem));
}

absl::StatusOr<uint64_t> ParseIntegerField(
    const ConfigFile& file, const ConfigEntry& entry, absl::string_view text,
    absl::string_view what, uint64_t min_value, uint64_t max_value) {
  uint64_t value = 0;
  if (!ParseDecimal(text, &value) || value < min_value || value > max_value) {
    std::string prefix =
        what.empty() ? std::string() : absl::StrCat(what, " \"", text, "\" ");
    return EntryError(file, entry,
                      absl::StrCat("is invalid: ", prefix, "must be ",
                                   RangeText(min_value, max_value)));
  }
  return value;
}

absl::StatusOr<uint64_t> ParseInteger(const ConfigFile& file,
                                      const ConfigEntry& entry,
                                      uint64_t min_value, uint64_t max_value) {
  uint64_t value = 0;
  if (!ParseDecimal(entry.value, &value) || value < min_value ||
      value > max_value) {
    return EntryError(file, entry,
                      absl::StrCat("is not ", RangeText(min_value, max_value)));
  }
  return value;
}

absl::StatusOr<double> ParseNonNegativeNumber(const ConfigFile& file,
                                              const ConfigEntry& entry) {
  double value = 0;
  if (!absl::SimpleAtod(entry.value, &value) || !std::isfinite(value) ||
      value < 0) {
    return EntryError(file, entry, "is not a non-negative number");
  }
  return value;
}

absl::StatusOr<std::vector<std::string>> SplitList(const ConfigFile& file,
                                                   const ConfigEntry& entry) {
  std::vector<std::string> pieces = absl::StrSplit(entry.value, ',');
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (pieces[i].empty()) {
      return EntryError(file, entry,
                        absl::StrCat("has an empty element at position ", i + 1,
                                     "; expected a comma-separated "
                                     "list without empty elements"));
    }
  }
  return pieces;
}

absl::StatusOr<std::vector<double>> ParseNumberList(const ConfigFile& file,
                                                    const ConfigEntry& entry,
                                                    size_t min_count,
                                                    size_t max_count) {
  absl::StatusOr<std::vector<std::string>> pieces = SplitList(file, entry);
  if (!pieces.ok()) return pieces.status();
  if (pieces->size() < min_count || pieces->size() > max_count) {
    return EntryError(
        file, entry,
        absl::StrCat("has ", pieces->size(), " values; expected ",
                     min_count == max_count
                         ? absl::StrCat(min_count)
                         : absl::StrCat(min_count, " to ", max_count)));
  }
  std::vector<double> values;
  for (size_t i = 0; i < pieces->size(); ++i) {
    double value = 0;
    if (!absl::SimpleAtod((*pieces)[i], &value) || !std::isfinite(value) ||
        value < 0) {
      return EntryError(file, entry,
                        absl::StrCat("has an invalid value \"", (*pieces)[i],
                                     "\" at position ", i + 1,
                                     "; expected a non-negative number"));
    }
    values.push_back(value);
  }
  return values;
}

}  // namespace neurospector
