#include "core/config_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace neurospector {
namespace {

std::string RemoveWhitespace(absl::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

absl::Status LineError(absl::string_view source, int line,
                       absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ":", line, ": ", message));
}

}  // namespace

const ConfigEntry* ConfigSection::Find(absl::string_view key) const {
  for (const ConfigEntry& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

const ConfigSection* ConfigFile::FindSection(absl::string_view name) const {
  for (const ConfigSection& section : sections) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

std::string ConfigFile::Location(int line) const {
  if (line >= 1 && static_cast<size_t>(line) <= line_labels.size()) {
    return line_labels[line - 1];
  }
  return absl::StrCat(source, ":", line);
}

absl::StatusOr<ConfigFile> ParseConfigText(absl::string_view text,
                                           absl::string_view source) {
  ConfigFile file;
  file.source = std::string(source);

  // Editors on some systems start UTF-8 files with a byte-order mark, which
  // would otherwise make the first line unreadable.
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");

  int line_number = 0;
  for (absl::string_view raw_line : absl::StrSplit(text, '\n')) {
    ++line_number;
    // A '#' starts a comment anywhere on a line.
    std::string line = RemoveWhitespace(raw_line);
    line.resize(std::min(line.size(), line.find('#')));
    if (line.empty()) continue;
    // Messages quote the line as written, without its comment.
    const absl::string_view written = absl::StripAsciiWhitespace(
        raw_line.substr(0, std::min(raw_line.size(), raw_line.find('#'))));

    if (line[0] == '[') {
      if (line.size() < 3 || line.back() != ']') {
        return LineError(source, line_number,
                         absl::StrCat("invalid section header \"", written,
                                      "\"; expected [NAME]"));
      }
      file.sections.push_back(
          ConfigSection{absl::AsciiStrToUpper(line.substr(1, line.size() - 2)),
                        line_number,
                        {}});
      continue;
    }

    const size_t equals = line.find('=');
    if (equals == std::string::npos) {
      return LineError(source, line_number,
                       absl::StrCat("invalid line \"", written,
                                    "\"; expected KEY=VALUE or [SECTION]"));
    }
    if (equals == 0) {
      return LineError(
          source, line_number,
          absl::StrCat("missing key before '=' in \"", written, "\""));
    }
    if (file.sections.empty()) {
      return LineError(source, line_number,
                       absl::StrCat("\"", written,
                                    "\" appears before any [SECTION] header; "
                                    "put it under the section it belongs to"));
    }

    std::string value = line.substr(equals + 1);
    std::string raw_key = line.substr(0, equals);
    std::string key = absl::AsciiStrToUpper(raw_key);
    file.sections.back().entries.push_back(ConfigEntry{
        std::move(key), std::move(raw_key), std::move(value), line_number});
  }
  return file;
}

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    return absl::NotFoundError(absl::StrCat("cannot read file \"", path,
                                            "\": ", std::strerror(errno)));
  }
  std::ostringstream contents;
  contents << stream.rdbuf();
  return contents.str();
}

absl::StatusOr<ConfigFile> ReadConfigFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ParseConfigText(*text, path);
}

}  // namespace neurospector
