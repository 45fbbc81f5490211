#include "core/table_file.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/accelerator_parser.h"
#include "core/inputs.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace neurospector {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr RowValues kOnes = {1, 1, 1, 1, 1, 1, 1, 1};

std::string SourcePath(absl::string_view relative) {
  return absl::StrCat(NEUROSPECTOR_SOURCE_DIR, "/", relative);
}

Accelerator Builtin(absl::string_view name) {
  absl::StatusOr<Accelerator> accelerator = LoadAccelerator(name);
  EXPECT_TRUE(accelerator.ok()) << accelerator.status();
  return accelerator.ok() ? *std::move(accelerator) : Accelerator();
}

// The built-in eyeriss with its text edited by `replacements`.
Accelerator EditedEyeriss(
    const std::vector<std::pair<std::string, std::string>>& replacements) {
  const std::string text =
      absl::StrReplaceAll(*BuiltinAcceleratorText("eyeriss"), replacements);
  absl::StatusOr<Accelerator> accelerator =
      ParseAcceleratorText(text, "edited.cfg");
  EXPECT_TRUE(accelerator.ok()) << accelerator.status();
  return accelerator.ok() ? *std::move(accelerator) : Accelerator();
}

// The rows of eyeriss_sample.cfg (CONV_1 of resnet50 on eyeriss).
constexpr char kEyerissRows[] =
    "LOCAL_BUFFER =16,1,1,1,1,1,7,1\n"  // 4
    "PE_ARRAY(X)  =1,1,1,2,1,7,1,1\n"   // 5
    "PE_ARRAY(Y)  =4,1,1,1,3,1,1,1\n"   // 6
    "GLOBAL_BUFFER=1,1,28,8,1,1,1,1\n"  // 7
    "DRAM         =1,1,4,7,1,1,1,1\n";  // 8

std::string EyerissTable(absl::string_view extra_rows = "") {
  return absl::StrCat("[LAYER]\nlayer_name=CONV_1\n[SCHEDULING_TABLE]\n",
                      kEyerissRows, extra_rows);
}

TEST(TableFile, LoadsEveryShippedTable) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           SourcePath("configs/scheduling_tables"))) {
    // Files are named <accelerator>_<description>.cfg.
    const std::string file_name = entry.path().filename();
    SCOPED_TRACE(file_name);
    const Accelerator accelerator =
        Builtin(file_name.substr(0, file_name.find('_')));

    const absl::StatusOr<TableFile> table =
        ReadTableFile(entry.path(), accelerator);

    ASSERT_TRUE(table.ok()) << table.status();
    ++count;
  }
  EXPECT_EQ(count, 1);
}

TEST(TableFile, ParsesEyerissSample) {
  const std::string path =
      SourcePath("configs/scheduling_tables/eyeriss_sample.cfg");

  const absl::StatusOr<TableFile> table =
      ReadTableFile(path, Builtin("eyeriss"));

  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->source, path);
  EXPECT_EQ(table->layer_name, "CONV_1");
  EXPECT_EQ(table->layer_name_location,
            absl::StrCat(path, ":2: layer_name=CONV_1"));
  const Mapping& mapping = table->mapping;
  EXPECT_THAT(mapping.rows[kLocalBufferRow],
              ElementsAre(16, 1, 1, 1, 1, 1, 7, 1));
  EXPECT_THAT(mapping.rows[kPeXRow], ElementsAre(1, 1, 1, 2, 1, 7, 1, 1));
  EXPECT_THAT(mapping.rows[kPeYRow], ElementsAre(4, 1, 1, 1, 3, 1, 1, 1));
  EXPECT_THAT(mapping.rows[kGlobalBufferRow],
              ElementsAre(1, 1, 28, 8, 1, 1, 1, 1));
  EXPECT_THAT(mapping.rows[kDramRow], ElementsAre(1, 1, 4, 7, 1, 1, 1, 1));
  for (int row : {kRegisterRow, kMacXRow, kMacYRow, kChipXRow, kChipYRow}) {
    EXPECT_EQ(mapping.rows[row], kOnes) << "row " << row;
  }
  for (Dataflow dataflow : mapping.dataflows) {
    EXPECT_EQ(dataflow, Dataflow::kNone);
  }

  const absl::StatusOr<Network> resnet50 = LoadNetwork("resnet50");
  ASSERT_TRUE(resnet50.ok()) << resnet50.status();
  EXPECT_TRUE(
      CheckColumnProducts(mapping, resnet50->layers.front(), path).ok());
}

struct RowCase {
  std::string name;
  Accelerator accelerator;
  std::string rows;  // lines of [SCHEDULING_TABLE]
  // Rows expected to hold non-one values; all others must be ones.
  std::vector<std::pair<int, RowValues>> expected;
};

// A unit row is read under its bare section name and, for an array
// dimension, also under the suffixed name.
TEST(TableFile, ReadsUnitRowsUnderBothNames) {
  const std::string maeri_rows =
      "LOCAL_BUFFER=1,1,1,1,1,1,1,1\nPE_ARRAY(X)=64,1,1,1,1,1,1,1\n"
      "GLOBAL_BUFFER=1,1,1,1,1,1,1,1\nDRAM=1,1,112,112,3,7,1,1\n";
  const std::string one_by_one_rows =
      "LOCAL_BUFFER=1,1,1,1,1,1,1,1\nGLOBAL_BUFFER=1,1,1,1,1,1,1,1\n"
      "DRAM=64,1,112,112,3,7,7,1\n";
  const Accelerator one_by_one =
      EditedEyeriss({{"SIZE_X=14", "SIZE_X=1"}, {"SIZE_Y=12", "SIZE_Y=1"}});
  const RowValues seven = {1, 1, 1, 1, 1, 1, 7, 1};

  const RowCase cases[] = {
      {"maeri_bare_name",
       Builtin("maeri"),
       absl::StrCat(maeri_rows, "PE_ARRAY=1,1,1,1,1,1,7,1\n"),
       {{kPeXRow, {64, 1, 1, 1, 1, 1, 1, 1}},
        {kPeYRow, seven},
        {kDramRow, {1, 1, 112, 112, 3, 7, 1, 1}}}},
      {"maeri_suffixed_name",
       Builtin("maeri"),
       absl::StrCat(maeri_rows, "PE_ARRAY(Y)=1,1,1,1,1,1,7,1\n"),
       {{kPeXRow, {64, 1, 1, 1, 1, 1, 1, 1}},
        {kPeYRow, seven},
        {kDramRow, {1, 1, 112, 112, 3, 7, 1, 1}}}},
      {"maeri_lower_case",
       Builtin("maeri"),
       absl::StrCat(maeri_rows, "pe_array=1,1,1,1,1,1,7,1\n"),
       {{kPeXRow, {64, 1, 1, 1, 1, 1, 1, 1}},
        {kPeYRow, seven},
        {kDramRow, {1, 1, 112, 112, 3, 7, 1, 1}}}},
      {"tpu_unit_local_buffer",
       Builtin("tpu"),
       "LOCAL_BUFFER=1,1,1,1,1,1,7,1\nPE_ARRAY(X)=64,1,1,1,1,1,1,1\n"
       "PE_ARRAY(Y)=1,1,1,1,1,1,1,1\nGLOBAL_BUFFER=1,1,1,1,1,1,1,1\n"
       "DRAM=1,1,112,112,3,7,1,1\n",
       {{kLocalBufferRow, seven},
        {kPeXRow, {64, 1, 1, 1, 1, 1, 1, 1}},
        {kDramRow, {1, 1, 112, 112, 3, 7, 1, 1}}}},
      // With both dimensions of size one, the bare name fills both rows.
      {"both_dimensions_bare_name",
       one_by_one,
       absl::StrCat(one_by_one_rows, "PE_ARRAY=1,1,1,1,1,1,1,1\n"),
       {{kDramRow, {64, 1, 112, 112, 3, 7, 7, 1}}}},
      {"both_dimensions_suffixed_names",
       one_by_one,
       absl::StrCat(one_by_one_rows, "PE_ARRAY(X)=1,1,1,1,1,1,1,1\n",
                    "PE_ARRAY(Y)=1,1,1,1,1,1,1,1\n"),
       {{kDramRow, {64, 1, 112, 112, 3, 7, 7, 1}}}},
  };
  for (const RowCase& row_case : cases) {
    SCOPED_TRACE(row_case.name);
    const std::string text =
        absl::StrCat("[SCHEDULING_TABLE]\n", row_case.rows);

    const absl::StatusOr<TableFile> table =
        ParseTableText(text, "table.cfg", row_case.accelerator);

    ASSERT_TRUE(table.ok()) << table.status();
    EXPECT_EQ(table->layer_name, std::nullopt);
    std::array<RowValues, kNumRows> expected;
    expected.fill(kOnes);
    for (const auto& [row, values] : row_case.expected) expected[row] = values;
    EXPECT_EQ(table->mapping.rows, expected);
  }
}

// Rows of levels the accelerator does not have may be given if all ones;
// the REGISTER row is optional.
TEST(TableFile, AcceptsAllOnesRowsOfAbsentLevels) {
  const std::string extra_rows[] = {
      "",
      "MAC_ARRAY(X)=1,1,1,1,1,1,1,1\n",
      "MULTI_CHIPS(Y)=1,1,1,1,1,1,1,1\n",
      "REGISTER=1,1,1,1,1,1,1,1\n",
      "virtual=1,1,1,1,1,1,1,1\n",
  };
  for (const std::string& extra : extra_rows) {
    SCOPED_TRACE(extra);

    const absl::StatusOr<TableFile> table =
        ParseTableText(EyerissTable(extra), "table.cfg", Builtin("eyeriss"));

    ASSERT_TRUE(table.ok()) << table.status();
    EXPECT_EQ(table->mapping.rows[kMacXRow], kOnes);
  }
}

TEST(TableFile, RegisterRowIsOptional) {
  const Accelerator with_register =
      EditedEyeriss({{"[LOCAL_BUFFER]", "[REGISTER]\nSIZE=6\n[LOCAL_BUFFER]"}});
  ASSERT_EQ(with_register.row_kinds[kRegisterRow], RowKind::kUnit);

  const absl::StatusOr<TableFile> without_row =
      ParseTableText(EyerissTable(), "table.cfg", with_register);
  const absl::StatusOr<TableFile> with_row = ParseTableText(
      EyerissTable("REGISTER=1,1,1,1,1,1,1,2\n"), "table.cfg", with_register);

  ASSERT_TRUE(without_row.ok()) << without_row.status();
  EXPECT_EQ(without_row->mapping.rows[kRegisterRow], kOnes);
  ASSERT_TRUE(with_row.ok()) << with_row.status();
  EXPECT_THAT(with_row->mapping.rows[kRegisterRow],
              ElementsAre(1, 1, 1, 1, 1, 1, 1, 2));
}

TEST(TableFile, NameKeyWinsOverLayerName) {
  const std::string text = absl::StrCat(
      "[LAYER]\nlayer_name=CONV_1\nname=CONV_2\n[SCHEDULING_TABLE]\n",
      kEyerissRows);

  const absl::StatusOr<TableFile> table =
      ParseTableText(text, "table.cfg", Builtin("eyeriss"));

  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->layer_name, "CONV_2");
  EXPECT_EQ(table->layer_name_location, "table.cfg:3: name=CONV_2");
}

struct ErrorCase {
  std::string name;
  std::string text;
  std::string message;
};

TEST(TableFile, RejectsInvalidTables) {
  const std::string header = "[LAYER]\nlayer_name=CONV_1\n[SCHEDULING_TABLE]\n";
  const auto with_row = [&](absl::string_view from, absl::string_view to) {
    return absl::StrReplaceAll(EyerissTable(), {{from, to}});
  };
  const ErrorCase cases[] = {
      {"seven_values", with_row("=16,1,1,1,1,1,7,1", "=16,1,1,1,1,1,7"),
       "table.cfg:4: LOCAL_BUFFER \"16,1,1,1,1,1,7\" has 7 values; expected 8 "
       "(K,B,P,Q,C,R,S,G)"},
      {"nine_values", with_row("=16,1,1,1,1,1,7,1", "=16,1,1,1,1,1,7,1,1"),
       "table.cfg:4: LOCAL_BUFFER \"16,1,1,1,1,1,7,1,1\" has 9 values"},
      {"letter", with_row("=1,1,28,8,", "=1,1,x,8,"),
       "table.cfg:7: GLOBAL_BUFFER \"1,1,x,8,1,1,1,1\" is invalid: value for P "
       "\"x\" must be an integer from 1 to 4294967295"},
      {"zero", with_row("=1,1,4,7,", "=0,1,4,7,"),
       "table.cfg:8: DRAM \"0,1,4,7,1,1,1,1\" is invalid: value for K \"0\""},
      {"fraction", with_row("=1,1,4,7,", "=1.5,1,4,7,"),
       "value for K \"1.5\" must be an integer"},
      {"above_32_bits", with_row("=1,1,4,7,", "=4294967296,1,4,7,"),
       "value for K \"4294967296\" must be an integer from 1 to 4294967295"},
      {"empty_value", with_row("=1,1,4,7,1,1,1,1", "="),
       "table.cfg:8: DRAM \"\" has an empty element at position 1"},
      {"duplicated_row", EyerissTable("DRAM=1,1,4,7,1,1,1,1\n"),
       "table.cfg:9: row DRAM is already given at line 8; give each row once"},
      {"duplicated_absent_row",
       EyerissTable("VIRTUAL=1,1,1,1,1,1,1,1\nMAC_ARRAY(Y)=1,1,1,1,1,1,1,1\n"
                    "mac_array(y)=1,1,1,1,1,1,1,1\n"),
       "table.cfg:11: row mac_array(y) is already given at line 10"},
      {"missing_row", absl::StrCat(header, "LOCAL_BUFFER=16,1,1,1,1,1,7,1\n"),
       "table.cfg: [SCHEDULING_TABLE] is missing row PE_ARRAY(X); expected "
       "rows: LOCAL_BUFFER, PE_ARRAY(X), PE_ARRAY(Y), GLOBAL_BUFFER, DRAM"},
      {"unknown_row", EyerissTable("CACHE=1,1,1,1,1,1,1,1\n"),
       "table.cfg:9: unknown row CACHE for eyeriss (built-in); expected rows: "
       "LOCAL_BUFFER"},
      {"unsuffixed_regular_array_row",
       EyerissTable("PE_ARRAY=1,1,1,1,1,1,1,1\n"),
       "table.cfg:9: unknown row PE_ARRAY"},
      {"absent_level_not_ones", EyerissTable("REGISTER=2,1,1,1,1,1,1,1\n"),
       "table.cfg:9: REGISTER \"2,1,1,1,1,1,1,1\" is a row of a level this "
       "accelerator does not have, so all its values must be 1"},
      {"virtual_not_ones", EyerissTable("VIRTUAL=1,1,1,1,1,1,1,3\n"),
       "table.cfg:9: VIRTUAL \"1,1,1,1,1,1,1,3\" is a row of a level"},
      {"layer_without_name",
       absl::StrCat("[LAYER]\n[SCHEDULING_TABLE]\n", kEyerissRows),
       "table.cfg:1: [LAYER] has neither layer_name= nor name="},
      {"unknown_layer_key",
       absl::StrCat("[LAYER]\nlayer=CONV_1\n[SCHEDULING_TABLE]\n",
                    kEyerissRows),
       "table.cfg:2: unknown key layer in [LAYER]; expected layer_name= (or "
       "name=)"},
      {"layer_name_twice",
       absl::StrCat("[LAYER]\nlayer_name=CONV_1\nlayer_name=CONV_2\n",
                    "[SCHEDULING_TABLE]\n", kEyerissRows),
       "table.cfg:3: layer_name is given twice in [LAYER] (first at line 2)"},
      {"second_layer_section",
       absl::StrCat(EyerissTable(), "[LAYER]\nlayer_name=CONV_2\n"),
       "table.cfg:9: [LAYER] appears twice (first at line 1)"},
      {"second_table_section",
       absl::StrCat(EyerissTable(), "[SCHEDULING_TABLE]\n"),
       "table.cfg:9: [SCHEDULING_TABLE] appears twice (first at line 3)"},
      {"no_table_section", "[LAYER]\nlayer_name=CONV_1\n",
       "table.cfg: missing [SCHEDULING_TABLE] section"},
      {"unknown_section", absl::StrCat(EyerissTable(), "[NOTES]\n"),
       "table.cfg:9: [NOTES] is not a known section; expected [LAYER], "
       "[SCHEDULING_TABLE] and optionally [DATAFLOW]"},
      {"dataflow_of_dram", EyerissTable("[DATAFLOW]\nDRAM=WS\n"),
       "table.cfg:10: unknown buffer DRAM in [DATAFLOW]; expected a buffer of "
       "eyeriss (built-in) with a DATAFLOW: LOCAL_BUFFER, GLOBAL_BUFFER"},
      {"dataflow_of_array", EyerissTable("[DATAFLOW]\nPE_ARRAY(X)=WS\n"),
       "table.cfg:10: unknown buffer PE_ARRAY(X) in [DATAFLOW]"},
      {"dataflow_of_absent_register", EyerissTable("[DATAFLOW]\nREGISTER=WS\n"),
       "table.cfg:10: unknown buffer REGISTER in [DATAFLOW]"},
      {"dataflow_unknown_word", EyerissTable("[DATAFLOW]\nLOCAL_BUFFER=RS\n"),
       "table.cfg:10: LOCAL_BUFFER \"RS\" is not a dataflow; expected IS, WS "
       "or OS"},
      {"dataflow_none", EyerissTable("[DATAFLOW]\nLOCAL_BUFFER=NONE\n"),
       "table.cfg:10: LOCAL_BUFFER \"NONE\" is not a dataflow"},
      {"dataflow_empty", EyerissTable("[DATAFLOW]\nLOCAL_BUFFER=\n"),
       "table.cfg:10: LOCAL_BUFFER \"\" is not a dataflow"},
      {"dataflow_of_bypassed_type",
       EyerissTable("[DATAFLOW]\nGLOBAL_BUFFER=WS\n"),
       "table.cfg:10: GLOBAL_BUFFER \"WS\" keeps weight stationary, but "
       "[GLOBAL_BUFFER] of eyeriss (built-in) bypasses weight; expected a "
       "dataflow whose stationary data type the buffer stores"},
      {"dataflow_buffer_twice",
       EyerissTable("[DATAFLOW]\nLOCAL_BUFFER=IS\nlocal_buffer=OS\n"),
       "table.cfg:11: buffer local_buffer is already given at line 10 in "
       "[DATAFLOW]; give each buffer once"},
      {"second_dataflow_section",
       EyerissTable("[DATAFLOW]\nLOCAL_BUFFER=IS\n[DATAFLOW]\n"),
       "table.cfg:11: [DATAFLOW] appears twice (first at line 9)"},
  };
  for (const ErrorCase& error_case : cases) {
    SCOPED_TRACE(error_case.name);

    const absl::StatusOr<TableFile> table =
        ParseTableText(error_case.text, "table.cfg", Builtin("eyeriss"));

    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(table.status().message(), HasSubstr(error_case.message));
  }
}

TEST(TableFile, ReportsMissingOptionalRegisterRow) {
  const Accelerator with_register =
      EditedEyeriss({{"[LOCAL_BUFFER]", "[REGISTER]\nSIZE=6\n[LOCAL_BUFFER]"}});

  const absl::StatusOr<TableFile> table = ParseTableText(
      "[SCHEDULING_TABLE]\nDRAM=1,1,1,1,1,1,1,1\n", "table.cfg", with_register);

  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.status().message(),
              HasSubstr("is missing row LOCAL_BUFFER; expected rows: REGISTER "
                        "(optional), LOCAL_BUFFER"));
}

TEST(TableFile, ReadsDataflowOverrides) {
  const std::string text =
      EyerissTable("[DATAFLOW]\nlocal_buffer=is\nGLOBAL_BUFFER=IS\n");

  const absl::StatusOr<TableFile> table =
      ParseTableText(text, "table.cfg", Builtin("eyeriss"));

  ASSERT_TRUE(table.ok()) << table.status();
  for (int row = 0; row < kNumRows; ++row) {
    SCOPED_TRACE(row);
    if (row == kLocalBufferRow || row == kGlobalBufferRow) {
      EXPECT_EQ(table->dataflow_overrides[row], Dataflow::kInputStationary);
    } else {
      EXPECT_EQ(table->dataflow_overrides[row], std::nullopt);
    }
  }
}

TEST(TableFile, AppliesOnlyGivenOverrides) {
  const Accelerator eyeriss = Builtin("eyeriss");
  const absl::StatusOr<TableFile> table = ParseTableText(
      EyerissTable("[DATAFLOW]\nGLOBAL_BUFFER=IS\n"), "table.cfg", eyeriss);
  ASSERT_TRUE(table.ok()) << table.status();
  Mapping mapping = table->mapping;
  SetConfiguredDataflows(eyeriss, &mapping);

  ApplyDataflowOverrides(*table, &mapping);

  EXPECT_EQ(mapping.dataflows[kLocalBufferRow], Dataflow::kWeightStationary);
  EXPECT_EQ(mapping.dataflows[kGlobalBufferRow], Dataflow::kInputStationary);
  EXPECT_EQ(mapping.dataflows[kDramRow], Dataflow::kNone);
}

TEST(TableFile, RejectsDataflowOfBufferWithoutOne) {
  const Accelerator without_dataflow =
      EditedEyeriss({{"DATAFLOW=OS", "DATAFLOW=NONE"}});
  ASSERT_EQ(without_dataflow.global_buffer.dataflow, Dataflow::kNone);

  const absl::StatusOr<TableFile> table =
      ParseTableText(EyerissTable("[DATAFLOW]\nGLOBAL_BUFFER=OS\n"),
                     "table.cfg", without_dataflow);

  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(table.status().message(),
              HasSubstr("table.cfg:10: GLOBAL_BUFFER \"OS\" sets a dataflow, "
                        "but [GLOBAL_BUFFER] of edited.cfg has no DATAFLOW; "
                        "only a configured dataflow can be overridden"));
}

struct FormatCase {
  std::string name;
  std::string accelerator;
  Dataflow local_buffer;
  Dataflow global_buffer;
  std::string expected_section;  // "" when the file has no [DATAFLOW]
};

// FormatTableFile writes [DATAFLOW] only when a dataflow differs from the
// configured one, and the file reads back to the same rows and dataflows.
TEST(TableFile, FormattedTableReadsBack) {
  const FormatCase cases[] = {
      {"configured", "eyeriss", Dataflow::kWeightStationary,
       Dataflow::kOutputStationary, ""},
      {"local_buffer_changed", "eyeriss", Dataflow::kInputStationary,
       Dataflow::kOutputStationary,
       "[DATAFLOW]\nLOCAL_BUFFER=IS\nGLOBAL_BUFFER=OS\n"},
      {"global_buffer_changed", "simba", Dataflow::kWeightStationary,
       Dataflow::kInputStationary,
       "[DATAFLOW]\nLOCAL_BUFFER=WS\nGLOBAL_BUFFER=IS\n"},
      {"unit_local_buffer_changed", "tpu", Dataflow::kOutputStationary,
       Dataflow::kOutputStationary,
       "[DATAFLOW]\nLOCAL_BUFFER=OS\nGLOBAL_BUFFER=OS\n"},
  };
  for (const FormatCase& format_case : cases) {
    SCOPED_TRACE(format_case.name);
    const Accelerator accelerator = Builtin(format_case.accelerator);
    Mapping mapping;
    mapping.rows[kDramRow] = {2, 1, 3, 5, 7, 1, 1, 1};
    SetConfiguredDataflows(accelerator, &mapping);
    mapping.dataflows[kLocalBufferRow] = format_case.local_buffer;
    mapping.dataflows[kGlobalBufferRow] = format_case.global_buffer;

    const std::string text = FormatTableFile(mapping, accelerator, "CONV_1");
    const absl::StatusOr<TableFile> table =
        ParseTableText(text, "table.cfg", accelerator);

    const size_t section = text.find("[DATAFLOW]");
    EXPECT_EQ(section == std::string::npos ? "" : text.substr(section),
              format_case.expected_section);
    ASSERT_TRUE(table.ok()) << table.status() << "\n" << text;
    EXPECT_EQ(table->layer_name, "CONV_1");
    Mapping read_back = table->mapping;
    SetConfiguredDataflows(accelerator, &read_back);
    ApplyDataflowOverrides(*table, &read_back);
    EXPECT_EQ(read_back, mapping);
  }
}

// A layer L with the given K, P, C and G; every other dimension is 1.
Layer MakeTestLayer(uint64_t k, uint64_t p, uint64_t c, uint64_t g) {
  LayerShape shape;
  shape.k = k;
  shape.p = p;
  shape.c = c;
  shape.g = g;
  absl::StatusOr<Layer> layer = MakeLayer("L", shape, "test");
  EXPECT_TRUE(layer.ok()) << layer.status();
  return layer.ok() ? *std::move(layer) : Layer();
}

TEST(TableFile, ChecksColumnProducts) {
  const Layer plain = MakeTestLayer(4, 2, 1, 1);
  Mapping mapping;
  mapping.rows[kDramRow] = {4, 1, 2, 1, 1, 1, 1, 1};
  EXPECT_TRUE(CheckColumnProducts(mapping, plain, "t.cfg").ok());

  mapping.rows[kLocalBufferRow][kP] = 3;
  const absl::Status mismatch = CheckColumnProducts(mapping, plain, "t.cfg");
  EXPECT_EQ(mismatch.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(mismatch.message(),
              HasSubstr("t.cfg: column P multiplies to 6 but layer L has P=2; "
                        "the values of each column must multiply to the "
                        "layer parameter"));
}

TEST(TableFile, ColumnCheckNamesPerGroupChannels) {
  const Layer grouped = MakeTestLayer(32, 1, 8, 4);
  Mapping mapping;
  mapping.rows[kDramRow] = {32, 1, 1, 1, 2, 1, 1, 4};

  const absl::Status status = CheckColumnProducts(mapping, grouped, "t.cfg");

  EXPECT_THAT(status.message(),
              HasSubstr("column K multiplies to 32 but layer L has K=8 per "
                        "group"));
}

TEST(TableFile, ColumnCheckSurvivesOverflow) {
  const Layer plain = MakeTestLayer(1, 1, 1, 1);
  Mapping mapping;
  for (RowValues& row : mapping.rows) row[kK] = 4294967295u;

  const absl::Status status = CheckColumnProducts(mapping, plain, "t.cfg");

  EXPECT_THAT(status.message(),
              HasSubstr("column K multiplies to more than 2^64 but layer L "
                        "has K=1"));
}

}  // namespace
}  // namespace neurospector
