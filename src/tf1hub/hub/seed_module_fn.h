// The seed guide's module_fn, shared by the hub tests and the tools that
// write test modules (header-only, no test framework).
//
//   auto spec = CreateModuleSpec(testing::SeedModuleFn);
#ifndef TF1HUB_HUB_SEED_MODULE_FN_H_
#define TF1HUB_HUB_SEED_MODULE_FN_H_

#include <cstdint>
#include <vector>

#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/hub/create_module_spec.h"

namespace tf1hub::hub::testing {

// A partial shape from dims (-1: unknown); the dims must be valid.
inline PartialTensorShape Shape(std::vector<int64_t> dims) {
  return PartialTensorShape::Create(dims).value();
}

// x float32 [?,50] -> dense 200 -> dense 100; signature "default" with
// outputs default (layer 2) and hidden_activations (layer 1).
inline Status SeedModuleFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1, 50})});
  Output h = layers::Dense(s, x, 200);
  Output y = layers::Dense(s, h, 100);
  ctx.AddSignature("default", {{"default", x}}, {{"default", y}, {"hidden_activations", h}});
  return s.status();
}

}  // namespace tf1hub::hub::testing

#endif  // TF1HUB_HUB_SEED_MODULE_FN_H_
