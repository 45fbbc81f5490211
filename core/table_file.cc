#include "core/table_file.h"

#include <array>
#include <limits>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/config_values.h"
#include "core/status_macros.h"

namespace neurospector {
namespace {

// Rows a key of [SCHEDULING_TABLE] may name.
struct RowTarget {
  std::vector<int> rows;  // rows the values are written to
  bool is_virtual = false;
};

using RowLookup = absl::flat_hash_map<std::string, RowTarget>;

std::string SuffixedName(int row) {
  return absl::StrCat(RowSectionName(row), (row % 3) == 1 ? "(X)" : "(Y)");
}

// Unit rows are found by their bare section name and, for array
// dimensions, also by the suffixed name. When both dimensions of an array are unit the
// bare name fills both rows.
RowLookup BuildRowLookup(const Accelerator& accelerator) {
  RowLookup lookup;
  lookup["VIRTUAL"].is_virtual = true;
  for (int row = 0; row < kNumRows; ++row) {
    const bool spatial = !IsTemporalRow(row);
    switch (accelerator.row_kinds[row]) {
      case RowKind::kRegular:
        lookup[accelerator.row_names[row]].rows.push_back(row);
        break;
      case RowKind::kUnit:
        lookup[std::string(RowSectionName(row))].rows.push_back(row);
        if (spatial) lookup[SuffixedName(row)].rows.push_back(row);
        break;
      case RowKind::kVirtual:
        lookup[spatial ? SuffixedName(row) : std::string(RowSectionName(row))]
            .is_virtual = true;
        break;
    }
  }
  return lookup;
}

std::string ExpectedRows(const Accelerator& accelerator) {
  std::vector<std::string> names;
  for (int row = 0; row < kNumRows; ++row) {
    if (accelerator.row_kinds[row] == RowKind::kVirtual) continue;
    if (!names.empty() && names.back() == accelerator.row_names[row]) continue;
    names.push_back(
        row == kRegisterRow
            ? absl::StrCat(accelerator.row_names[row], " (optional)")
            : accelerator.row_names[row]);
  }
  return absl::StrJoin(names, ", ");
}

absl::StatusOr<RowValues> ParseRowValues(const ConfigFile& file,
                                         const ConfigEntry& entry) {
  NS_ASSIGN_OR_RETURN(std::vector<std::string> fields, SplitList(file, entry));
  if (fields.size() != kNumParams) {
    return EntryError(file, entry,
                      absl::StrCat("has ", fields.size(),
                                   " values; expected 8 (K,B,P,Q,C,R,S,G)"));
  }
  RowValues values;
  for (Param param : kAllParams) {
    NS_ASSIGN_OR_RETURN(
        uint64_t value,
        ParseIntegerField(file, entry, fields[param],
                          absl::StrCat("value for ", ParamName(param)), 1,
                          std::numeric_limits<uint32_t>::max()));
    values[param] = static_cast<uint32_t>(value);
  }
  return values;
}

absl::Status CheckSections(const ConfigFile& file) {
  for (const ConfigSection& section : file.sections) {
    if (section.name != "LAYER" && section.name != "SCHEDULING_TABLE" &&
        section.name != "DATAFLOW") {
      return absl::InvalidArgumentError(absl::StrCat(
          file.Location(section.line), ": [", section.name,
          "] is not a known section; expected [LAYER], [SCHEDULING_TABLE] "
          "and optionally [DATAFLOW]"));
    }
    const ConfigSection* first = file.FindSection(section.name);
    if (first != &section) {
      return absl::InvalidArgumentError(
          absl::StrCat(file.Location(section.line), ": [", section.name,
                       "] appears twice (first at line ", first->line,
                       "); a table file contains the table of one layer"));
    }
  }
  if (file.FindSection("SCHEDULING_TABLE") == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(file.source,
                     ": missing [SCHEDULING_TABLE] section; expected one line "
                     "ROW=K,B,P,Q,C,R,S,G per row of the accelerator"));
  }
  return absl::OkStatus();
}

// Reads name= or layer_name= of [LAYER] (name= wins) into `table`.
absl::Status ReadLayerName(const ConfigFile& file, TableFile* table) {
  const ConfigSection* section = file.FindSection("LAYER");
  if (section == nullptr) return absl::OkStatus();

  for (const ConfigEntry& entry : section->entries) {
    if (entry.key != "NAME" && entry.key != "LAYER_NAME") {
      return absl::InvalidArgumentError(absl::StrCat(
          file.Location(entry.line), ": unknown key ", entry.raw_key,
          " in [LAYER]; expected layer_name= (or name=)"));
    }
    const ConfigEntry* first = section->Find(entry.key);
    if (first != &entry) {
      return absl::InvalidArgumentError(
          absl::StrCat(file.Location(entry.line), ": ", entry.raw_key,
                       " is given twice in [LAYER] (first at line ",
                       first->line, "); name one layer"));
    }
  }

  const ConfigEntry* name = section->Find("NAME");
  if (name == nullptr) name = section->Find("LAYER_NAME");
  if (name == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        file.Location(section->line),
        ": [LAYER] has neither layer_name= nor name=; name the layer the "
        "table is for"));
  }
  table->layer_name = name->value;
  table->layer_name_location = absl::StrCat(file.Location(name->line), ": ",
                                            name->raw_key, "=", name->value);
  return absl::OkStatus();
}

// A row given twice, possibly under its bare and its suffixed name.
absl::Status RepeatedRowError(const ConfigFile& file, const ConfigEntry& entry,
                              int first_line) {
  return absl::InvalidArgumentError(absl::StrCat(
      file.Location(entry.line), ": row ", entry.raw_key,
      " is already given at line ", first_line, "; give each row once"));
}

absl::Status AssignRow(const ConfigFile& file, const ConfigEntry& entry,
                       const RowTarget& target, const RowValues& values,
                       std::array<int, kNumRows>* assigned_line,
                       Mapping* mapping) {
  if (target.is_virtual) {
    for (uint32_t value : values) {
      if (value != 1) {
        return EntryError(file, entry,
                          "is a row of a level this accelerator does not "
                          "have, so all its values must be 1");
      }
    }
    return absl::OkStatus();
  }
  for (int row : target.rows) {
    if ((*assigned_line)[row] != 0) {
      return RepeatedRowError(file, entry, (*assigned_line)[row]);
    }
    (*assigned_line)[row] = entry.line;
    mapping->rows[row] = values;
  }
  return absl::OkStatus();
}

// Buffer rows whose dataflow [DATAFLOW] may override: the register, local
// buffer and global buffer when present with a configured dataflow.
std::vector<int> OverridableRows(const Accelerator& accelerator) {
  std::vector<int> rows;
  for (int row : {kRegisterRow, kLocalBufferRow, kGlobalBufferRow}) {
    if (accelerator.ConfiguredDataflow(row) != Dataflow::kNone) {
      rows.push_back(row);
    }
  }
  return rows;
}

absl::StatusOr<int> FindDataflowRow(const ConfigFile& file,
                                    const ConfigEntry& entry,
                                    const Accelerator& accelerator) {
  for (int row : {kRegisterRow, kLocalBufferRow, kGlobalBufferRow}) {
    if (accelerator.row_kinds[row] == RowKind::kVirtual ||
        accelerator.row_names[row] != entry.key) {
      continue;
    }
    if (accelerator.ConfiguredDataflow(row) == Dataflow::kNone) {
      return EntryError(
          file, entry,
          absl::StrCat("sets a dataflow, but [", RowSectionName(row), "] of ",
                       accelerator.source,
                       " has no DATAFLOW; only a configured dataflow can be "
                       "overridden"));
    }
    return row;
  }

  std::vector<std::string> names;
  for (int row : OverridableRows(accelerator)) {
    names.push_back(accelerator.row_names[row]);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      file.Location(entry.line), ": unknown buffer ", entry.raw_key,
      " in [DATAFLOW]; expected a buffer of ", accelerator.source,
      " with a DATAFLOW: ",
      names.empty() ? std::string("(none)") : absl::StrJoin(names, ", ")));
}

absl::StatusOr<Dataflow> ParseBufferDataflow(const ConfigFile& file,
                                             const ConfigEntry& entry,
                                             const Accelerator& accelerator,
                                             int row) {
  const std::optional<Dataflow> dataflow = ParseDataflow(entry.value);
  if (!dataflow.has_value() || *dataflow == Dataflow::kNone) {
    return EntryError(file, entry, "is not a dataflow; expected IS, WS or OS");
  }

  static constexpr std::array<absl::string_view, kNumDataTypes> kTypeWords = {
      "input", "weight", "output"};
  const DataType stationary = *StationaryType(*dataflow);
  if (accelerator.Memory(row).bypass[stationary]) {
    return EntryError(
        file, entry,
        absl::StrCat("keeps ", kTypeWords[stationary], " stationary, but [",
                     RowSectionName(row), "] of ", accelerator.source,
                     " bypasses ", kTypeWords[stationary],
                     "; expected a dataflow whose stationary data type the "
                     "buffer stores"));
  }
  return *dataflow;
}

// Reads the optional [DATAFLOW] section into `table`.
absl::Status ReadDataflows(const ConfigFile& file,
                           const Accelerator& accelerator, TableFile* table) {
  const ConfigSection* section = file.FindSection("DATAFLOW");
  if (section == nullptr) return absl::OkStatus();

  for (const ConfigEntry& entry : section->entries) {
    NS_ASSIGN_OR_RETURN(int row, FindDataflowRow(file, entry, accelerator));

    const ConfigEntry* first = section->Find(entry.key);
    if (first != &entry) {
      return absl::InvalidArgumentError(
          absl::StrCat(file.Location(entry.line), ": buffer ", entry.raw_key,
                       " is already given at line ", first->line,
                       " in [DATAFLOW]; give each buffer once"));
    }

    NS_ASSIGN_OR_RETURN(Dataflow dataflow,
                        ParseBufferDataflow(file, entry, accelerator, row));
    table->dataflow_overrides[row] = dataflow;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TableFile> ParseTableFile(const ConfigFile& file,
                                         const Accelerator& accelerator) {
  NS_RETURN_IF_ERROR(CheckSections(file));

  TableFile table;
  table.source = file.source;
  NS_RETURN_IF_ERROR(ReadLayerName(file, &table));

  const RowLookup lookup = BuildRowLookup(accelerator);
  const ConfigSection& rows = *file.FindSection("SCHEDULING_TABLE");
  std::array<int, kNumRows> assigned_line{};
  for (const ConfigEntry& entry : rows.entries) {
    const auto it = lookup.find(entry.key);
    if (it == lookup.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          file.Location(entry.line), ": unknown row ", entry.raw_key, " for ",
          accelerator.source, "; expected rows: ", ExpectedRows(accelerator)));
    }
    // A repeated key is rejected here because AssignRow does not record
    // the rows of absent levels.
    const ConfigEntry* first = rows.Find(entry.key);
    if (first != &entry) {
      return RepeatedRowError(file, entry, first->line);
    }
    NS_ASSIGN_OR_RETURN(RowValues values, ParseRowValues(file, entry));
    NS_RETURN_IF_ERROR(AssignRow(file, entry, it->second, values,
                                 &assigned_line, &table.mapping));
  }

  // The register row may be omitted because a valid table has it all ones,
  // which is the default.
  for (int row = kRegisterRow + 1; row < kNumRows; ++row) {
    if (accelerator.row_kinds[row] != RowKind::kVirtual &&
        assigned_line[row] == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(file.source, ": [SCHEDULING_TABLE] is missing row ",
                       accelerator.row_names[row],
                       "; expected rows: ", ExpectedRows(accelerator)));
    }
  }

  NS_RETURN_IF_ERROR(ReadDataflows(file, accelerator, &table));
  return table;
}

absl::StatusOr<TableFile> ParseTableText(absl::string_view text,
                                         absl::string_view source,
                                         const Accelerator& accelerator) {
  NS_ASSIGN_OR_RETURN(ConfigFile file, ParseConfigText(text, source));
  return ParseTableFile(file, accelerator);
}

absl::StatusOr<TableFile> ReadTableFile(const std::string& path,
                                        const Accelerator& accelerator) {
  NS_ASSIGN_OR_RETURN(ConfigFile file, ReadConfigFile(path));
  return ParseTableFile(file, accelerator);
}

void ApplyDataflowOverrides(const TableFile& table, Mapping* mapping) {
  for (int row = 0; row < kNumRows; ++row) {
    if (table.dataflow_overrides[row].has_value()) {
      mapping->dataflows[row] = *table.dataflow_overrides[row];
    }
  }
}

absl::Status CheckColumnProducts(const Mapping& mapping, const Layer& layer,
                                 absl::string_view source) {
  for (Param param : kAllParams) {
    unsigned __int128 product = 1;
    for (const RowValues& row : mapping.rows) {
      product *= row[param];
      if (product > std::numeric_limits<uint64_t>::max()) break;
    }
    if (product != layer.params[param]) {
      const std::string product_text =
          product > std::numeric_limits<uint64_t>::max()
              ? std::string("more than 2^64")
              : absl::StrCat(static_cast<uint64_t>(product));
      const bool per_group =
          (param == kK || param == kC) && layer.params[kG] > 1;
      return absl::InvalidArgumentError(absl::StrCat(
          source, ": column ", ParamName(param), " multiplies to ",
          product_text, " but layer ", layer.name, " has ", ParamName(param),
          "=", layer.params[param], per_group ? " per group" : "",
          "; the values of each column must multiply to the layer "
          "parameter"));
    }
  }
  return absl::OkStatus();
}

}  // namespace neurospector
