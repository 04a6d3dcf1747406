// Random op constructors. `seed`/`seed2` are the op attrs (0, 0 = pick
// non-deterministically), as tf.random.* computes them from graph and op
// seeds. Errors follow scope.h.
//
//   Output r = ops::RandomUniform(scope, ops::Const(scope, std::vector<int32_t>{2, 3}),
//                                 DataType::kFloat, {.seed = 1, .seed2 = 7});
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_RANDOM_OPS_H_
#define TF1HUB_GRAPH_RANDOM_OPS_H_

#include <cstdint>

#include "tf1hub/data_type.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub::ops {

struct RandomAttrs {
  int64_t seed = 0;
  int64_t seed2 = 0;
};
Output RandomUniform(const Scope& scope, const Output& shape, DataType dtype,
                     const RandomAttrs& attrs = {});
Output RandomStandardNormal(const Scope& scope, const Output& shape, DataType dtype,
                            const RandomAttrs& attrs = {});
Output TruncatedNormal(const Scope& scope, const Output& shape, DataType dtype,
                       const RandomAttrs& attrs = {});

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_RANDOM_OPS_H_
