#include "core/layer.h"

#include <algorithm>
#include <array>
#include <limits>

#include "absl/strings/str_cat.h"

namespace neurospector {
namespace {

using Wide = unsigned __int128;

// Products the model forms are bounded by these limits, which keep every
// intermediate value below 2^63.
constexpr Wide kMaxProduct = Wide{1} << 62;

absl::Status LayerError(absl::string_view context, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(context, ": ", problem));
}

absl::Status CheckRanges(const LayerShape& shape, absl::string_view context) {
  const std::array<std::pair<absl::string_view, uint64_t>, 8> fields = {
      {{"K", shape.k},
       {"B", shape.b},
       {"P", shape.p},
       {"Q", shape.q},
       {"C", shape.c},
       {"R", shape.r},
       {"S", shape.s},
       {"G", shape.g}}};
  for (const auto& [letter, value] : fields) {
    if (value == 0 || value > std::numeric_limits<uint32_t>::max()) {
      return LayerError(context,
                        absl::StrCat(letter, "=", value,
                                     " is invalid; expected an integer from 1 "
                                     "to 4294967295"));
    }
  }
  if (shape.stride > std::numeric_limits<uint32_t>::max()) {
    return LayerError(
        context, absl::StrCat("stride=", shape.stride, " is above 4294967295"));
  }
  for (const auto& [letter, value] :
       {std::pair<absl::string_view, uint64_t>{"K", shape.k},
        std::pair<absl::string_view, uint64_t>{"C", shape.c}}) {
    if (value % shape.g != 0) {
      return LayerError(
          context,
          absl::StrCat(letter, "=", value, " is not divisible by G=", shape.g,
                       "; K and C count the channels of all groups, so both "
                       "must be multiples of the group count G"));
    }
  }
  return absl::OkStatus();
}

// Checks the largest integer products of the model. These are a full-layer
// tile and the product of all mapping values, which bounds the temporal
// iteration counts. The last is that product times one row's
// irrelevant-loop product, from the DRAM count adjustment for data that
// bypasses the global buffer.
absl::Status CheckProducts(const RowValues& params, uint64_t stride,
                           absl::string_view context) {
  Wide all = 1;
  for (uint32_t value : params) all *= value;
  const Wide bpq = Wide{params[kB]} * params[kP] * params[kQ];
  const Wide crs = Wide{params[kC]} * params[kR] * params[kS];
  const Wide largest_row_factor = std::max({Wide{params[kK]}, bpq, crs});

  const Wide height = (Wide{params[kP]} - 1) * stride + params[kR];
  const Wide width = (Wide{params[kQ]} - 1) * stride + params[kS];
  const Wide input_tile =
      Wide{params[kB]} * params[kC] * params[kG] * height * width;

  if (all > kMaxProduct || all * largest_row_factor > kMaxProduct ||
      input_tile > kMaxProduct) {
    return LayerError(
        context,
        absl::StrCat("K=", params[kK], " B=", params[kB], " P=", params[kP],
                     " Q=", params[kQ], " C=", params[kC], " R=", params[kR],
                     " S=", params[kS], " G=", params[kG], " stride=", stride,
                     " (K and C per group) is too large: the cost model's "
                     "products of these values must not exceed 2^62; reduce "
                     "the batch or the layer dimensions"));
  }
  return absl::OkStatus();
}

}  // namespace

uint64_t Layer::MacCount() const {
  uint64_t count = 1;
  for (uint32_t value : params) count *= value;
  return count;
}

absl::StatusOr<Layer> MakeLayer(std::string name, const LayerShape& shape,
                                absl::string_view context) {
  if (absl::Status status = CheckRanges(shape, context); !status.ok()) {
    return status;
  }

  Layer layer;
  layer.name = std::move(name);
  layer.shape = shape;
  layer.stride = static_cast<uint32_t>(shape.stride);
  layer.params = {
      static_cast<uint32_t>(shape.k / shape.g), static_cast<uint32_t>(shape.b),
      static_cast<uint32_t>(shape.p),           static_cast<uint32_t>(shape.q),
      static_cast<uint32_t>(shape.c / shape.g), static_cast<uint32_t>(shape.r),
      static_cast<uint32_t>(shape.s),           static_cast<uint32_t>(shape.g)};

  if (absl::Status status = CheckProducts(layer.params, shape.stride, context);
      !status.ok()) {
    return status;
  }
  return layer;
}

}  // namespace neurospector
