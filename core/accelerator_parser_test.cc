#include "core/accelerator_parser.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/inputs.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace neurospector {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string SourcePath(absl::string_view relative) {
  return absl::StrCat(NEUROSPECTOR_SOURCE_DIR, "/", relative);
}

// The .cfg files of a source directory, sorted.
std::vector<std::string> ConfigFiles(absl::string_view directory) {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(SourcePath(directory))) {
    if (entry.path().extension() == ".cfg") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

absl::StatusOr<Accelerator> ReadShipped(absl::string_view file_name) {
  return ReadAcceleratorFile(
      SourcePath(absl::StrCat("configs/accelerators/", file_name)));
}

// Row kinds and names of all ten rows, innermost first.
struct RowLayout {
  std::array<RowKind, kNumRows> kinds;
  std::array<std::string, kNumRows> names;
};

void ExpectRows(const Accelerator& accelerator, const RowLayout& expected) {
  for (int row = 0; row < kNumRows; ++row) {
    SCOPED_TRACE(absl::StrCat("row ", row));
    EXPECT_EQ(accelerator.row_kinds[row], expected.kinds[row]);
    EXPECT_EQ(accelerator.row_names[row], expected.names[row]);
  }
}

constexpr RowKind kVirtual = RowKind::kVirtual;
constexpr RowKind kUnit = RowKind::kUnit;
constexpr RowKind kRegular = RowKind::kRegular;

TEST(AcceleratorParser, LoadsEveryShippedFile) {
  const std::vector<std::string> files = ConfigFiles("configs/accelerators");
  ASSERT_EQ(files.size(), 8u);
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const absl::StatusOr<Accelerator> accelerator = ReadAcceleratorFile(file);
    EXPECT_TRUE(accelerator.ok()) << accelerator.status();
  }
}

// The dataflow variants used by the golden vectors load, except the one the
// reference also rejects: a weight-stationary global buffer that bypasses
// weights.
TEST(AcceleratorParser, LoadsGoldenVariants) {
  const std::vector<std::string> files =
      ConfigFiles("tests/golden/accelerator-variants");
  ASSERT_EQ(files.size(), 14u);
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const absl::StatusOr<Accelerator> accelerator = ReadAcceleratorFile(file);
    if (absl::EndsWith(file, "/eyeriss_lb_ws_gb_ws.cfg")) {
      ASSERT_FALSE(accelerator.ok());
      EXPECT_THAT(accelerator.status().message(),
                  HasSubstr("eyeriss_lb_ws_gb_ws.cfg:26: [GLOBAL_BUFFER] has "
                            "DATAFLOW WS but bypasses weight"));
    } else {
      EXPECT_TRUE(accelerator.ok()) << accelerator.status();
    }
  }
}

TEST(AcceleratorParser, LoadsEveryBuiltinName) {
  const std::vector<std::string> names = BuiltinAcceleratorNames();
  ASSERT_EQ(names.size(), 8u);
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const absl::StatusOr<Accelerator> accelerator = LoadAccelerator(name);
    ASSERT_TRUE(accelerator.ok()) << accelerator.status();
    EXPECT_EQ(accelerator->source, absl::StrCat(name, " (built-in)"));
  }
}

TEST(AcceleratorParser, RejectsOneLevelAccelerator) {
  const absl::StatusOr<Accelerator> accelerator =
      ReadAcceleratorFile(SourcePath("tests/data/acc_1lv.cfg"));

  ASSERT_FALSE(accelerator.ok());
  EXPECT_EQ(accelerator.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(accelerator.status().message(),
              HasSubstr("acc_1lv.cfg: missing [GLOBAL_BUFFER] section"));
}

TEST(AcceleratorParser, ParsesEyeriss) {
  const absl::StatusOr<Accelerator> eyeriss = ReadShipped("eyeriss.cfg");
  ASSERT_TRUE(eyeriss.ok()) << eyeriss.status();

  EXPECT_EQ(eyeriss->name, "eyeriss");
  EXPECT_EQ(eyeriss->precision_bits, 16u);
  EXPECT_EQ(eyeriss->bytes_per_element, 2u);
  EXPECT_EQ(eyeriss->frequency_mhz, 200u);
  EXPECT_DOUBLE_EQ(eyeriss->mac_energy_pj, 2.2);
  EXPECT_DOUBLE_EQ(eyeriss->mac_static_mw, 0.0132);
  EXPECT_THAT(eyeriss->warnings, IsEmpty());

  const MemoryLevel& lb = eyeriss->local_buffer;
  EXPECT_EQ(lb.organization, BufferOrganization::kSeparate);
  EXPECT_THAT(lb.private_capacity, ElementsAre(12, 224, 24));
  EXPECT_EQ(lb.dataflow, Dataflow::kWeightStationary);
  EXPECT_EQ(lb.bandwidth_bits, 16u);
  EXPECT_THAT(lb.access_energy_pj, ElementsAre(0.19, 0.63, 0.25));
  EXPECT_THAT(lb.unit_cycles, ElementsAre(1, 1, 1));
  EXPECT_THAT(lb.bypass, ElementsAre(false, false, false));
  EXPECT_FALSE(lb.HasConstraint());

  const MemoryLevel& gb = eyeriss->global_buffer;
  EXPECT_EQ(gb.organization, BufferOrganization::kShared);
  EXPECT_DOUBLE_EQ(gb.shared_capacity, 51200);
  EXPECT_EQ(gb.dataflow, Dataflow::kOutputStationary);
  EXPECT_THAT(gb.bypass, ElementsAre(false, true, false));
  EXPECT_THAT(gb.static_power_mw, ElementsAre(0.006047, 0.000387, 0.006047));

  EXPECT_EQ(eyeriss->dram.bandwidth_bits, 64u);
  EXPECT_THAT(eyeriss->dram.unit_cycles, ElementsAre(8, 8, 8));
  EXPECT_EQ(eyeriss->pe_array.size_x, 14u);
  EXPECT_EQ(eyeriss->pe_array.size_y, 12u);
  EXPECT_EQ(eyeriss->pe_array.allowed_x, 0xff);
  EXPECT_FALSE(eyeriss->mac_array.present);
  EXPECT_EQ(eyeriss->InstalledMacs(), 168u);

  ExpectRows(*eyeriss,
             {{kVirtual, kVirtual, kVirtual, kRegular, kRegular, kRegular,
               kRegular, kVirtual, kVirtual, kRegular},
              {"virtual", "virtual", "virtual", "LOCAL_BUFFER", "PE_ARRAY(X)",
               "PE_ARRAY(Y)", "GLOBAL_BUFFER", "virtual", "virtual", "DRAM"}});
}

TEST(AcceleratorParser, ParsesSimba) {
  const absl::StatusOr<Accelerator> simba = ReadShipped("simba.cfg");
  ASSERT_TRUE(simba.ok()) << simba.status();

  EXPECT_EQ(simba->precision_bits, 8u);
  EXPECT_EQ(simba->bytes_per_element, 1u);
  EXPECT_EQ(simba->frequency_mhz, 800u);
  EXPECT_THAT(simba->local_buffer.private_capacity,
              ElementsAre(8192, 32768, 3072));
  EXPECT_DOUBLE_EQ(simba->global_buffer.shared_capacity, 65536);
  EXPECT_THAT(simba->global_buffer.access_energy_pj,
              ElementsAre(2.23, 0.0, 2.23));
  EXPECT_EQ(simba->mac_array.Instances(), 64u);
  EXPECT_EQ(simba->pe_array.Instances(), 16u);
  EXPECT_EQ(simba->chips.Instances(), 36u);
  EXPECT_EQ(simba->InstalledMacs(), 64u * 16u * 36u);

  ExpectRows(*simba,
             {{kVirtual, kRegular, kRegular, kRegular, kRegular, kRegular,
               kRegular, kRegular, kRegular, kRegular},
              {"virtual", "MAC_ARRAY(X)", "MAC_ARRAY(Y)", "LOCAL_BUFFER",
               "PE_ARRAY(X)", "PE_ARRAY(Y)", "GLOBAL_BUFFER", "MULTI_CHIPS(X)",
               "MULTI_CHIPS(Y)", "DRAM"}});
}

// flexflow's global buffer has two sizes: a shared capacity and the private
// capacity of the first bypassed type (weight). The other types keep a
// private capacity of one element.
TEST(AcceleratorParser, ParsesFlexflowPartiallySharedBuffer) {
  const absl::StatusOr<Accelerator> flexflow = ReadShipped("flexflow.cfg");
  ASSERT_TRUE(flexflow.ok()) << flexflow.status();

  const MemoryLevel& gb = flexflow->global_buffer;
  EXPECT_EQ(gb.organization, BufferOrganization::kPartiallyShared);
  EXPECT_DOUBLE_EQ(gb.shared_capacity, 16384);
  EXPECT_THAT(gb.private_capacity, ElementsAre(1, 16384, 1));
  EXPECT_THAT(gb.bypass, ElementsAre(false, true, false));

  const MemoryLevel& lb = flexflow->local_buffer;
  EXPECT_EQ(lb.organization, BufferOrganization::kSeparate);
  EXPECT_THAT(lb.private_capacity, ElementsAre(128, 128, 0));
  EXPECT_THAT(lb.bypass, ElementsAre(false, false, true));

  const uint8_t kbpq = (1 << kK) | (1 << kB) | (1 << kP) | (1 << kQ);
  const uint8_t crs = (1 << kC) | (1 << kR) | (1 << kS);
  EXPECT_EQ(flexflow->pe_array.allowed_x, kbpq);
  EXPECT_EQ(flexflow->pe_array.allowed_y, crs);
  // Its DRAM gives only SIZE_MB, which the model ignores.
  EXPECT_THAT(flexflow->dram.size_bytes, IsEmpty());
}

// maeri's PE array is 256x1, so its Y row is a unit row under the bare
// section name. Its local buffer (2,2,0 bytes at INT16) is not unit: the
// output size is not one element.
TEST(AcceleratorParser, ParsesMaeriUnitArrayRow) {
  const absl::StatusOr<Accelerator> maeri = ReadShipped("maeri.cfg");
  ASSERT_TRUE(maeri.ok()) << maeri.status();

  EXPECT_EQ(maeri->pe_array.size_x, 256u);
  EXPECT_EQ(maeri->pe_array.size_y, 1u);
  EXPECT_THAT(maeri->local_buffer.private_capacity, ElementsAre(1, 1, 0));
  EXPECT_DOUBLE_EQ(maeri->global_buffer.shared_capacity, 65536);
  EXPECT_DOUBLE_EQ(maeri->mac_static_mw, 0);

  ExpectRows(*maeri,
             {{kVirtual, kVirtual, kVirtual, kRegular, kRegular, kUnit,
               kRegular, kVirtual, kVirtual, kRegular},
              {"virtual", "virtual", "virtual", "LOCAL_BUFFER", "PE_ARRAY(X)",
               "PE_ARRAY", "GLOBAL_BUFFER", "virtual", "virtual", "DRAM"}});
}

// tpu's local buffer has room for one element of each type (1,1,1 bytes at
// INT8): a unit row that keeps its dataflow.
TEST(AcceleratorParser, ParsesTpuUnitLocalBuffer) {
  const absl::StatusOr<Accelerator> tpu = ReadShipped("tpu.cfg");
  ASSERT_TRUE(tpu.ok()) << tpu.status();

  EXPECT_EQ(tpu->bytes_per_element, 1u);
  EXPECT_DOUBLE_EQ(tpu->mac_static_mw, 0);
  EXPECT_EQ(tpu->local_buffer.dataflow, Dataflow::kWeightStationary);
  EXPECT_THAT(tpu->local_buffer.static_power_mw, ElementsAre(0, 0, 0));
  EXPECT_DOUBLE_EQ(tpu->global_buffer.shared_capacity, 25165824);
  EXPECT_THAT(tpu->global_buffer.unit_cycles, ElementsAre(2, 2, 2));
  EXPECT_EQ(tpu->global_buffer.bandwidth_bits, 2048u);
  EXPECT_EQ(tpu->ConfiguredDataflow(kLocalBufferRow),
            Dataflow::kWeightStationary);

  ExpectRows(
      *tpu, {{kVirtual, kVirtual, kVirtual, kUnit, kRegular, kRegular, kRegular,
              kVirtual, kVirtual, kRegular},
             {"virtual", "virtual", "virtual", "LOCAL_BUFFER", "PE_ARRAY(X)",
              "PE_ARRAY(Y)", "GLOBAL_BUFFER", "virtual", "virtual", "DRAM"}});
}

// A small accelerator with a MAC array; line numbers matter.
constexpr char kSmallAccelerator[] =
    "[ACCELERATOR]\n"                   // 1
    "NAME=Small\n"                      // 2
    "PRECISION=INT8\n"                  // 3
    "FREQUENCY=500\n"                   // 4
    "[MAC_ARRAY]\n"                     // 5
    "SIZE_X=4\n"                        // 6
    "[LOCAL_BUFFER]\n"                  // 7
    "DATAFLOW=OS\n"                     // 8
    "BUFFER_SIZE=64\n"                  // 9
    "UNIT_ACCESS_ENERGY=0.1,0.1,0.1\n"  // 10
    "UNIT_CYCLE=1,1,1\n"                // 11
    "BANDWIDTH=8\n"                     // 12
    "[GLOBAL_BUFFER]\n"                 // 13
    "DATAFLOW=WS\n"                     // 14
    "BUFFER_SIZE=4096,1024\n"           // 15
    "BYPASS=INPUT,OUTPUT\n"             // 16
    "UNIT_CYCLE=1,1,1\n"                // 17
    "BANDWIDTH=64\n"                    // 18
    "[DRAM]\n"                          // 19
    "UNIT_ACCESS_ENERGY=100,100,100\n"  // 20
    "UNIT_CYCLE=4,4,4\n"                // 21
    "BANDWIDTH=32\n";                   // 22

std::string Replace(const std::string& from, const std::string& to) {
  std::string text = kSmallAccelerator;
  const size_t position = text.find(from);
  EXPECT_NE(position, std::string::npos) << from;
  if (position != std::string::npos) text.replace(position, from.size(), to);
  return text;
}

TEST(AcceleratorParser, ParsesSmallAccelerator) {
  const absl::StatusOr<Accelerator> small =
      ParseAcceleratorText(kSmallAccelerator, "small.cfg");
  ASSERT_TRUE(small.ok()) << small.status();

  EXPECT_EQ(small->name, "small");
  EXPECT_EQ(small->source, "small.cfg");
  EXPECT_DOUBLE_EQ(small->mac_energy_pj, 1.0);
  EXPECT_DOUBLE_EQ(small->local_buffer.shared_capacity, 64);
  // Two bypassed types: only the first (input) gets the private capacity.
  EXPECT_THAT(small->global_buffer.private_capacity, ElementsAre(1024, 1, 1));
  EXPECT_THAT(small->global_buffer.access_energy_pj, ElementsAre(0, 0, 0));
  ExpectRows(*small, {{kVirtual, kRegular, kUnit, kRegular, kVirtual, kVirtual,
                       kRegular, kVirtual, kVirtual, kRegular},
                      {"virtual", "MAC_ARRAY(X)", "MAC_ARRAY", "LOCAL_BUFFER",
                       "virtual", "virtual", "GLOBAL_BUFFER", "virtual",
                       "virtual", "DRAM"}});
}

TEST(AcceleratorParser, ParsesConstraints) {
  const absl::StatusOr<Accelerator> small = ParseAcceleratorText(
      Replace("SIZE_X=4\n",
              "SIZE_X=4\nSIZE_Y=2\nCONSTRAINT_X=k,c\nCONSTRAINT_Y=S\n")
          .append("CONSTRAINT=0,1,0,0,0,0,0,3\n"),
      "small.cfg");
  ASSERT_TRUE(small.ok()) << small.status();

  EXPECT_EQ(small->mac_array.allowed_x, (1 << kK) | (1 << kC));
  EXPECT_EQ(small->mac_array.allowed_y, 1 << kS);
  EXPECT_THAT(small->dram.constraint, ElementsAre(0, 1, 0, 0, 0, 0, 0, 3));
  EXPECT_TRUE(small->dram.HasConstraint());
}

struct WarningCase {
  std::string name;
  std::string text;
  std::vector<std::string> warnings;
};

TEST(AcceleratorParser, RecordsWarnings) {
  // The small accelerator gives no UNIT_MAC_ENERGY, so every case starts
  // with that warning.
  const std::string no_mac_energy =
      "small.cfg:1: [ACCELERATOR] has no UNIT_MAC_ENERGY; using 1 pJ per MAC";
  const WarningCase cases[] = {
      {"one_cost_value",
       Replace("UNIT_ACCESS_ENERGY=0.1,0.1,0.1", "UNIT_ACCESS_ENERGY=0.1"),
       {no_mac_energy,
        "small.cfg:10: UNIT_ACCESS_ENERGY in [LOCAL_BUFFER] has 1 of 3 values "
        "(input, weight, output); the weight and output entries are 0"}},
      {"register_section",
       Replace("[LOCAL_BUFFER]\n", "[REGISTER]\nSIZE=3\n[LOCAL_BUFFER]\n"),
       {no_mac_energy,
        "small.cfg:7: [REGISTER] is accepted but not modelled: its table row "
        "stays all ones and its sizes, energies and constraints are not "
        "used"}},
      {"unknown_key",
       Replace("BANDWIDTH=32", "BANDWIDTH=32\nLATENCY=100"),
       {no_mac_energy,
        "small.cfg:23: unknown key LATENCY in [DRAM] is ignored"}},
      {"ignored_keys",
       Replace("NAME=Small\n", "NAME=Small\nTYPE=X\nUNIT_MUL_ENERGY=1\n"),
       {no_mac_energy}},
      {"missing_precision",
       Replace("PRECISION=INT8\n", ""),
       {"small.cfg:1: [ACCELERATOR] has no PRECISION; using 8 bits per "
        "element",
        no_mac_energy}},
      {"mac_energy_given",
       Replace("NAME=Small\n", "NAME=Small\nUNIT_MAC_ENERGY=0.5\n"),
       {}},
  };
  for (const WarningCase& warning_case : cases) {
    SCOPED_TRACE(warning_case.name);

    const absl::StatusOr<Accelerator> accelerator =
        ParseAcceleratorText(warning_case.text, "small.cfg");

    ASSERT_TRUE(accelerator.ok()) << accelerator.status();
    EXPECT_EQ(accelerator->warnings, warning_case.warnings);
  }
}

// The REGISTER section is accepted; at 3 bytes (INT8) its row is unit.
TEST(AcceleratorParser, RegisterSectionGivesUnitRow) {
  const absl::StatusOr<Accelerator> accelerator = ParseAcceleratorText(
      Replace("[LOCAL_BUFFER]\n", "[REGISTER]\nSIZE=3\n[LOCAL_BUFFER]\n"),
      "small.cfg");
  ASSERT_TRUE(accelerator.ok()) << accelerator.status();

  EXPECT_TRUE(accelerator->register_file.present);
  EXPECT_EQ(accelerator->row_kinds[kRegisterRow], RowKind::kUnit);
  EXPECT_EQ(accelerator->row_names[kRegisterRow], "REGISTER");
}

// Lines are read without white space, a UTF-8 byte-order mark is skipped,
// and a '#' after the value starts a comment.
TEST(AcceleratorParser, AcceptsLooseSyntax) {
  std::string text = absl::StrCat(
      "\xEF\xBB\xBF",
      Replace("BUFFER_SIZE=64\n", "BUFFER_SIZE = 6 4\t# bytes\r\n"));
  text.replace(text.find("[DRAM]\n"), 7, "[DRAM]  # off-chip memory\n");

  const absl::StatusOr<Accelerator> accelerator =
      ParseAcceleratorText(text, "small.cfg");

  ASSERT_TRUE(accelerator.ok()) << accelerator.status();
  EXPECT_DOUBLE_EQ(accelerator->local_buffer.shared_capacity, 64);
}

struct ErrorCase {
  std::string name;
  std::string text;
  std::string message;
};

TEST(AcceleratorParser, RejectsInvalidInput) {
  const ErrorCase cases[] = {
      {"no_accelerator_section", Replace("[ACCELERATOR]\n", "[CHIP]\n"),
       "small.cfg:1: [CHIP] is not a known section"},
      {"misspelled_section", Replace("[DRAM]\n", "[DRAMM]\n"),
       "small.cfg:19: [DRAMM] is not a known section"},
      {"missing_dram",
       Replace("[DRAM]\nUNIT_ACCESS_ENERGY=100,100,100\nUNIT_CYCLE=4,4,4\n"
               "BANDWIDTH=32\n",
               ""),
       "small.cfg: missing [DRAM] section"},
      {"local_buffer_with_two_sizes",
       Replace("BUFFER_SIZE=64", "BUFFER_SIZE=64,64"),
       "small.cfg:9: BUFFER_SIZE \"64,64\" has 2 values; expected 1 (shared) "
       "or 3 (input, weight, output)"},
      {"global_buffer_with_five_sizes",
       Replace("BUFFER_SIZE=4096,1024", "BUFFER_SIZE=1,2,3,4,5"),
       "small.cfg:15: BUFFER_SIZE \"1,2,3,4,5\" has 5 values"},
      {"nine_sizes", Replace("BUFFER_SIZE=64", "BUFFER_SIZE=1,1,1,1,1,1,1,1,1"),
       "small.cfg:9: BUFFER_SIZE \"1,1,1,1,1,1,1,1,1\" has 9 values; expected "
       "1 (shared) or 3"},
      {"size_and_buffer_size",
       Replace("BUFFER_SIZE=64", "SIZE=1\nBUFFER_SIZE=64"),
       "small.cfg:7: [LOCAL_BUFFER] gives both SIZE and BUFFER_SIZE"},
      {"missing_frequency", Replace("FREQUENCY=500\n", ""),
       "small.cfg:1: [ACCELERATOR] is missing FREQUENCY"},
      {"missing_bandwidth", Replace("BANDWIDTH=64\n", ""),
       "small.cfg:13: [GLOBAL_BUFFER] is missing BANDWIDTH"},
      {"missing_unit_cycle", Replace("UNIT_CYCLE=4,4,4\n", ""),
       "small.cfg:19: [DRAM] is missing UNIT_CYCLE"},
      {"zero_bandwidth", Replace("BANDWIDTH=8", "BANDWIDTH=0"),
       "small.cfg:12: BANDWIDTH \"0\" is not an integer from 1 to 2147483647"},
      {"fractional_frequency", Replace("FREQUENCY=500", "FREQUENCY=200.5"),
       "small.cfg:4: FREQUENCY \"200.5\" is not an integer from 1"},
      {"four_cost_values",
       Replace("UNIT_ACCESS_ENERGY=0.1,0.1,0.1", "UNIT_ACCESS_ENERGY=1,1,1,1"),
       "small.cfg:10: UNIT_ACCESS_ENERGY \"1,1,1,1\" has 4 values; expected at "
       "most 3"},
      {"negative_cost_value", Replace("UNIT_CYCLE=1,1,1", "UNIT_CYCLE=1,-1,1"),
       "small.cfg:11: UNIT_CYCLE \"1,-1,1\" has an invalid value \"-1\" at "
       "position 2; expected a non-negative number"},
      {"constraint_with_nine_values",
       Replace("BANDWIDTH=32", "BANDWIDTH=32\nCONSTRAINT=0,0,0,0,0,0,0,0,0"),
       "small.cfg:23: CONSTRAINT \"0,0,0,0,0,0,0,0,0\" has 9 values; expected "
       "8 (K,B,P,Q,C,R,S,G)"},
      {"constraint_with_negative_value",
       Replace("BANDWIDTH=32", "BANDWIDTH=32\nCONSTRAINT=0,0,0,0,0,0,0,-2"),
       "value for G \"-2\" must be an integer from 0 to 4294967295"},
      {"constraint_x_with_word",
       Replace("SIZE_X=4", "SIZE_X=4\nCONSTRAINT_X=KB"),
       "small.cfg:7: CONSTRAINT_X \"KB\" names unknown parameter \"KB\""},
      {"bypass_word", Replace("BYPASS=INPUT,OUTPUT", "BYPASS=INPUT,PSUM"),
       "small.cfg:16: BYPASS \"INPUT,PSUM\" names unknown data type \"PSUM\""},
      {"output_stationary_with_output_bypassed",
       Replace("DATAFLOW=OS\n", "DATAFLOW=OS\nBYPASS=OUTPUT\n"),
       "small.cfg:7: [LOCAL_BUFFER] has DATAFLOW OS but bypasses output"},
      {"input_stationary_with_input_bypassed",
       Replace("DATAFLOW=WS", "DATAFLOW=IS"),
       "small.cfg:13: [GLOBAL_BUFFER] has DATAFLOW IS but bypasses input"},
      {"dram_dataflow", Replace("BANDWIDTH=32", "BANDWIDTH=32\nDATAFLOW=WS"),
       "small.cfg:19: [DRAM] has a DATAFLOW; DRAM is the outermost level"},
      {"dram_bypass", Replace("BANDWIDTH=32", "BANDWIDTH=32\nBYPASS=INPUT"),
       "small.cfg:19: [DRAM] has BYPASS; every data type lives in DRAM"},
      {"precision_without_digits", Replace("INT8", "FLOAT"),
       "small.cfg:3: PRECISION \"FLOAT\" is invalid"},
      {"array_size_word", Replace("SIZE_X=4", "SIZE_X=four"),
       "small.cfg:6: SIZE_X \"four\" is not an integer from 1 to 4294967295"},
      {"unknown_section", Replace("[MAC_ARRAY]", "[MAC_ARRAYS]"),
       "small.cfg:5: [MAC_ARRAYS] is not a known section"},
      {"repeated_key", Replace("SIZE_X=4", "SIZE_X=4\nSIZE_X=8"),
       "small.cfg:7: SIZE_X is given twice in [MAC_ARRAY] (first at line 6)"},
  };
  for (const ErrorCase& error_case : cases) {
    SCOPED_TRACE(error_case.name);

    const absl::StatusOr<Accelerator> accelerator =
        ParseAcceleratorText(error_case.text, "small.cfg");

    ASSERT_FALSE(accelerator.ok());
    EXPECT_EQ(accelerator.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(accelerator.status().message(), HasSubstr(error_case.message));
  }
}

}  // namespace
}  // namespace neurospector
