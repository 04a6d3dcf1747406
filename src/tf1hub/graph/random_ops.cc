// Random op constructors (include/tf1hub/graph/random_ops.h).
#include "tf1hub/graph/random_ops.h"

#include "tf1hub/graph/node_builder.h"

namespace tf1hub::ops {
namespace {

Output RandomOp(const Scope& s, const char* op, const Output& shape, DataType dtype,
                const RandomAttrs& a) {
  return NodeBuilder(s, op)
      .Input(shape)
      .Attr("seed", a.seed)
      .Attr("seed2", a.seed2)
      .Attr("dtype", dtype)
      .FinalizeOutput();
}

}  // namespace

Output RandomUniform(const Scope& s, const Output& shape, DataType dtype, const RandomAttrs& a) {
  return RandomOp(s, "RandomUniform", shape, dtype, a);
}
Output RandomStandardNormal(const Scope& s, const Output& shape, DataType dtype,
                            const RandomAttrs& a) {
  return RandomOp(s, "RandomStandardNormal", shape, dtype, a);
}
Output TruncatedNormal(const Scope& s, const Output& shape, DataType dtype, const RandomAttrs& a) {
  return RandomOp(s, "TruncatedNormal", shape, dtype, a);
}

}  // namespace tf1hub::ops
