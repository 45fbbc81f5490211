// Reader for the section/key=value text format shared by the accelerator,
// network and scheduling-table files.
//
// Rules: a UTF-8 byte-order mark at the start is ignored. All white space
// (spaces, tabs, carriage returns) is removed from each line. Text from a
// '#' to the end of the line is a comment, and lines left empty are
// skipped.
// "[NAME]" opens a section (names are upper-cased). Any other line is
// KEY=VALUE and belongs to the most recent section. Keys are upper-cased,
// values are kept as written.

#ifndef NEUROSPECTOR_CORE_CONFIG_FILE_H_
#define NEUROSPECTOR_CORE_CONFIG_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace neurospector {

struct ConfigEntry {
  std::string key;      // upper case
  std::string raw_key;  // as written, white space removed
  std::string value;    // as written, white space removed
  int line = 0;         // 1-based line number in the source
};

struct ConfigSection {
  std::string name;  // upper case, without brackets
  int line = 0;      // line of the "[NAME]" header
  std::vector<ConfigEntry> entries;

  // Returns the first entry with `key` (upper case), or nullptr.
  const ConfigEntry* Find(absl::string_view key) const;
};

struct ConfigFile {
  // Name used in error messages: the path, or "<name> (built-in)".
  std::string source;
  std::vector<ConfigSection> sections;
  // Optional names of the lines, indexed by line - 1, that replace
  // "source:line" in messages. Files built from structured input (such as
  // the server's protobuf fields) give each line the path of the field it
  // came from, e.g. "accelerator.spec.dram.bandwidth_bits".
  std::vector<std::string> line_labels;

  // Returns the first section called `name` (upper case), or nullptr.
  const ConfigSection* FindSection(absl::string_view name) const;

  // Formats "source:line" (or the line's label) for error messages.
  std::string Location(int line) const;
};

// Parses `text`. Errors (INVALID_ARGUMENT) name `source` and the line.
absl::StatusOr<ConfigFile> ParseConfigText(absl::string_view text,
                                           absl::string_view source);

// Reads and parses the file at `path`. NOT_FOUND if it cannot be read.
absl::StatusOr<ConfigFile> ReadConfigFile(const std::string& path);

// Reads the whole file at `path` into a string. NOT_FOUND if it cannot be
// read.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_CONFIG_FILE_H_
