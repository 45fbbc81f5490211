#include "core/canonical.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/accelerator_parser.h"
#include "core/inputs.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace neurospector {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Accelerator Builtin(absl::string_view name) {
  absl::StatusOr<Accelerator> accelerator = LoadAccelerator(name);
  EXPECT_TRUE(accelerator.ok()) << accelerator.status();
  return *accelerator;
}

TEST(Canonical, Fnv1a128MatchesPublishedVectors) {
  struct Case {
    std::string input;
    std::string hex;
  };
  const std::vector<Case> cases = {
      {"", "6c62272e07bb014262b821756295c58d"},
      {"a", "d228cb696f1a8caf78912b704e4a8964"},
      {"foobar", "343e1662793c64bf6f0d3597ba446f18"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(Fnv1a128(c.input).ToHex(), c.hex);
  }
}

constexpr char kSmallAccelerator[] = R"([ACCELERATOR]
NAME=small
PRECISION=INT8
FREQUENCY=100
UNIT_MAC_ENERGY=0.5
[LOCAL_BUFFER]
BUFFER_SIZE=64
DATAFLOW=OS
BANDWIDTH=8
UNIT_ACCESS_ENERGY=0.1,0.2,0.3
UNIT_CYCLE=1,1,1
[PE_ARRAY]
SIZE_X=4
SIZE_Y=2
CONSTRAINT_X=K,C
[GLOBAL_BUFFER]
BUFFER_SIZE=1024,512
BYPASS=WEIGHT
BANDWIDTH=32
UNIT_CYCLE=1,1,1
[DRAM]
BANDWIDTH=64
UNIT_ACCESS_ENERGY=100,100,100
UNIT_CYCLE=4,4,4
)";

TEST(Canonical, FingerprintIsPinned) {
  // The canonical text and its hash must not change between builds,
  // processes or machines. The expected value was computed from the
  // canonical text by a separate Python implementation of FNV-1a 128. If
  // this fails after an intended change of the serialization, bump the
  // format version in canonical.cc.
  absl::StatusOr<Accelerator> accelerator =
      ParseAcceleratorText(kSmallAccelerator, "small.cfg");
  ASSERT_TRUE(accelerator.ok()) << accelerator.status();
  EXPECT_EQ(AcceleratorFingerprint(*accelerator).ToHex(),
            "b163d9189dd58c880d6ffc0ecbf0d24c");
}

TEST(Canonical, IgnoresNameSourceAndLayout) {
  const Accelerator builtin = Builtin("eyeriss");
  std::string text(*BuiltinAcceleratorText("eyeriss"));
  // Another NAME, comments, blank lines, other spacing and key order.
  text =
      absl::StrReplaceAll(text, {{"NAME=EYERISS", "NAME = my_chip"},
                                 {"BANDWIDTH=16", "# note\n\nBANDWIDTH = 16"},
                                 {"DATAFLOW=WS\n", ""},
                                 {"TYPE=TEMPORAL\n", "TYPE=TEMPORAL\n"}});
  text = absl::StrReplaceAll(
      text, {{"[LOCAL_BUFFER]\n", "[LOCAL_BUFFER]\ndataflow=ws\n"}});
  absl::StatusOr<Accelerator> rewritten =
      ParseAcceleratorText(text, "elsewhere.cfg");
  ASSERT_TRUE(rewritten.ok()) << rewritten.status();
  ASSERT_NE(rewritten->name, builtin.name);

  EXPECT_EQ(CanonicalAccelerator(*rewritten), CanonicalAccelerator(builtin));
  EXPECT_EQ(AcceleratorFingerprint(*rewritten),
            AcceleratorFingerprint(builtin));
  EXPECT_THAT(CanonicalAccelerator(builtin), Not(HasSubstr("eyeriss")));
}

TEST(Canonical, EveryModelFieldChangesTheFingerprint) {
  const Accelerator base = Builtin("eyeriss");
  const Fingerprint128 base_fingerprint = AcceleratorFingerprint(base);
  struct Case {
    std::string name;
    std::function<void(Accelerator&)> change;
  };
  const std::vector<Case> cases = {
      {"precision", [](Accelerator& a) { a.precision_bits = 8; }},
      {"frequency", [](Accelerator& a) { a.frequency_mhz = 201; }},
      {"mac energy", [](Accelerator& a) { a.mac_energy_pj = 2.2000001; }},
      {"mac static", [](Accelerator& a) { a.mac_static_mw = 0; }},
      {"register present",
       [](Accelerator& a) { a.register_file.present = true; }},
      {"lb size", [](Accelerator& a) { a.local_buffer.size_bytes[0] = 25; }},
      {"lb capacity",
       [](Accelerator& a) { a.local_buffer.private_capacity[1] = 1; }},
      {"gb organization",
       [](Accelerator& a) {
         a.global_buffer.organization = BufferOrganization::kSeparate;
       }},
      {"gb shared capacity",
       [](Accelerator& a) { a.global_buffer.shared_capacity += 1; }},
      {"lb dataflow",
       [](Accelerator& a) {
         a.local_buffer.dataflow = Dataflow::kOutputStationary;
       }},
      {"gb bandwidth",
       [](Accelerator& a) { a.global_buffer.bandwidth_bits = 32; }},
      {"dram energy", [](Accelerator& a) { a.dram.access_energy_pj[2] = 127; }},
      {"dram static", [](Accelerator& a) { a.dram.static_power_mw[0] = 1; }},
      {"lb unit cycle",
       [](Accelerator& a) { a.local_buffer.unit_cycles[1] = 2; }},
      {"gb bypass",
       [](Accelerator& a) { a.global_buffer.bypass[kInput] = true; }},
      {"dram constraint", [](Accelerator& a) { a.dram.constraint[kK] = 2; }},
      {"pe size x", [](Accelerator& a) { a.pe_array.size_x = 13; }},
      {"pe size y", [](Accelerator& a) { a.pe_array.size_y = 13; }},
      {"pe allowed x", [](Accelerator& a) { a.pe_array.allowed_x = 0x01; }},
      {"pe allowed y", [](Accelerator& a) { a.pe_array.allowed_y = 0x01; }},
      {"mac array present", [](Accelerator& a) { a.mac_array.present = true; }},
      {"chips present", [](Accelerator& a) { a.chips.present = true; }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Accelerator changed = base;
    c.change(changed);
    EXPECT_NE(AcceleratorFingerprint(changed), base_fingerprint);
  }
}

TEST(Canonical, NegativeZeroEqualsZero) {
  Accelerator positive = Builtin("eyeriss");
  Accelerator negative = positive;
  positive.mac_static_mw = 0.0;
  negative.mac_static_mw = -0.0;
  EXPECT_EQ(AcceleratorFingerprint(positive), AcceleratorFingerprint(negative));
}

TEST(Canonical, SearchKeyCoversShapeAndOptions) {
  const Fingerprint128 accelerator = AcceleratorFingerprint(Builtin("eyeriss"));
  const LayerShape shape{64, 1, 56, 56, 64, 3, 3, 1, 1};
  const SearchOptions options;
  const Fingerprint128 base = SearchResultKey(accelerator, shape, options);

  struct Case {
    std::string name;
    LayerShape shape;
    SearchOptions options;
  };
  LayerShape strided = shape;
  strided.stride = 2;
  LayerShape grouped = shape;
  grouped.g = 2;
  SearchOptions cycle;
  cycle.metric = Metric::kCycle;
  SearchOptions flexible;
  flexible.dataflow_mode = DataflowMode::kFlexible;
  SearchOptions exact;
  exact.algorithm = SearchAlgorithm::kExact;
  const std::vector<Case> cases = {
      {"stride", strided, options}, {"groups", grouped, options},
      {"metric", shape, cycle},     {"dataflow mode", shape, flexible},
      {"algorithm", shape, exact},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_NE(SearchResultKey(accelerator, c.shape, c.options), base);
  }

  const Fingerprint128 other_accelerator =
      AcceleratorFingerprint(Builtin("simba"));
  EXPECT_NE(SearchResultKey(other_accelerator, shape, options), base);
}

TEST(Canonical, SearchKeyIgnoresTimeLimit) {
  const Fingerprint128 accelerator = AcceleratorFingerprint(Builtin("eyeriss"));
  const LayerShape shape{64, 1, 56, 56, 64, 3, 3, 1, 1};
  SearchOptions unlimited;
  unlimited.algorithm = SearchAlgorithm::kExact;
  SearchOptions limited = unlimited;
  limited.time_limit = absl::Seconds(3);
  EXPECT_EQ(SearchResultKey(accelerator, shape, limited),
            SearchResultKey(accelerator, shape, unlimited));
}

}  // namespace
}  // namespace neurospector
