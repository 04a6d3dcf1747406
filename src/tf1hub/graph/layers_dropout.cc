// tf.compat.v1.layers.dropout (include/tf1hub/graph/layers.h).
#include <string>
#include <vector>

#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/layers_cond.h"
#include "tf1hub/graph/layers_static_shape.h"
#include "tf1hub/graph/layers_util.h"
#include "tf1hub/graph/math_ops.h"
#include "tf1hub/graph/random_ops.h"

namespace tf1hub::layers {
namespace {

// A scalar Const of the inputs' float dtype.
Output FloatConst(const Scope& scope, double v, DataType dtype) {
  if (dtype == DataType::kDouble) return ops::Const(scope, v);
  return ops::Const(scope, static_cast<float>(v));
}

// tf.nn.dropout(x, rate, seed=seed) (nn_ops.dropout_v2) in name scope
// "dropout" of `scope`. `cond`, when building inside a cond branch, adopts
// each op as it is made.
Output DropoutOps(const Scope& scope, const Output& x, DataType dtype,
                  const PartialTensorShape& static_shape, double rate, std::optional<int64_t> seed,
                  LayerCond* cond) {
  auto adopt = [cond] {
    if (cond != nullptr) cond->Adopt();
  };
  Scope s = scope.NewSubScope("dropout");
  // scale = 1 / (1 - rate), a Python float converted to the dtype.
  Output scale = FloatConst(s, 1.0 / (1.0 - rate), dtype);
  adopt();
  Output scaled = ops::Mul(s, x, scale);
  adopt();
  Output noise_shape;
  if (static_shape.IsFullyDefined()) {
    std::vector<int32_t> dims(static_shape.dims().begin(), static_shape.dims().end());
    noise_shape = ops::Const(s.WithOpName("Shape"), dims, {static_cast<int64_t>(dims.size())});
  } else {
    noise_shape = ops::Shape(s, x);
  }
  adopt();
  // random_uniform(noise_shape, seed=seed) with int bounds 0 and 1: only the
  // RandomUniform op, in name scope "random_uniform".
  Output random = ops::RandomUniform(s.NewSubScope("random_uniform"), noise_shape, dtype,
                                     GetSeed(scope.graph(), seed));
  adopt();
  // random >= rate: GreaterEqual with the rate as "GreaterEqual/y".
  OpNameScope ge(s, "GreaterEqual");
  Output rate_t = FloatConst(ge.inputs().WithOpName("y"), rate, dtype);
  adopt();
  Output keep = ops::GreaterEqual(ge.op(), random, rate_t);
  adopt();
  Output zero = FloatConst(s.WithOpName("Const"), 0.0, dtype);
  adopt();
  Output out = ops::SelectV2(s, keep, scaled, zero);
  adopt();
  return out;
}

}  // namespace

Output Dropout(const Scope& scope, const Output& inputs, const DropoutOptions& options) {
  if (!scope.ok()) return Output{};
  const std::string where = "[dropout] ";
  if (!(options.rate >= 0.0 && options.rate < 1.0)) {
    scope.UpdateStatus(InvalidArgumentError(
        where + "rate must be a float in the range [0, 1), got " + std::to_string(options.rate)));
    return Output{};
  }
  Graph* graph = scope.graph();
  StatusOr<DataType> dtype = graph->OutputType(inputs);
  if (!dtype.ok()) {
    scope.UpdateStatus(dtype.status().WithContext(where + "inputs"));
    return Output{};
  }
  if (*dtype != DataType::kFloat && *dtype != DataType::kDouble) {
    scope.UpdateStatus(InvalidArgumentError(where + "inputs must be float or double, got " +
                                            DataTypeName(*dtype)));
    return Output{};
  }
  std::optional<bool> constant = ConstantTraining(scope, options.training);
  if (options.training.is_tensor() && !constant.has_value()) {
    StatusOr<DataType> t = graph->OutputType(options.training.tensor());
    if (!t.ok() || *t != DataType::kBool) {
      scope.UpdateStatus(InvalidArgumentError(where + "the training tensor '" +
                                              options.training.tensor().ToString() +
                                              "' must be a bool scalar"));
      return Output{};
    }
  }
  const PartialTensorShape static_shape = InferStaticShape(*graph, inputs);
  LayerScope layer = MakeLayerScope(scope, options.name, "dropout");
  const Scope& s = layer.ops;

  if (options.rate == 0.0 || (constant.has_value() && !*constant)) {
    return ops::Identity(s, inputs);
  }
  if (constant.has_value()) {
    return DropoutOps(s, inputs, *dtype, static_shape, options.rate, options.seed, nullptr);
  }
  // smart_cond(training, dropped_inputs, lambda: tf.identity(inputs)).
  LayerCond cond(s.NewSubScope("cond"), options.training.tensor());
  cond.BeginBranch(true);
  Output dropped = cond.EndBranch(
      DropoutOps(cond.scope(), inputs, *dtype, static_shape, options.rate, options.seed, &cond));
  cond.BeginBranch(false);
  Output kept = ops::Identity(cond.scope(), inputs);
  kept = cond.EndBranch(kept);
  return cond.Merge(kept, dropped);
}

}  // namespace tf1hub::layers
