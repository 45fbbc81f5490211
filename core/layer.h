// A (grouped) convolution layer and the checks that make its products safe
// in 64-bit arithmetic.

#ifndef NEUROSPECTOR_CORE_LAYER_H_
#define NEUROSPECTOR_CORE_LAYER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/types.h"

namespace neurospector {

// Layer shape as written in a network file: K and C are totals over all
// groups. A stride of 0 (fully connected layers) makes the input height R
// and width S whatever P and Q are.
struct LayerShape {
  uint64_t k = 1, b = 1, p = 1, q = 1, c = 1, r = 1, s = 1, g = 1;
  uint64_t stride = 1;

  friend bool operator==(const LayerShape&, const LayerShape&) = default;
};

struct Layer {
  std::string name;  // as written in the network file
  int index = 0;     // 1-based position in the network, 0 if none
  LayerShape shape;
  // Column totals of every scheduling table for this layer: the shape with
  // K and C divided by G.
  RowValues params = {1, 1, 1, 1, 1, 1, 1, 1};
  uint32_t stride = 1;

  // Number of MAC operations: the product of `params`.
  uint64_t MacCount() const;
};

// Validates `shape` and returns the layer. INVALID_ARGUMENT (message
// prefixed by `context`, e.g. "resnet50.cfg:21: layer CONV_1") when a
// parameter is zero or above 2^32-1, K or C is not divisible by G, or the
// layer is so large that the model's products could overflow 64 bits.
absl::StatusOr<Layer> MakeLayer(std::string name, const LayerShape& shape,
                                absl::string_view context);

}  // namespace neurospector

#endif  // NEUROSPECTOR_CORE_LAYER_H_
