// Weight regularizers (include/tf1hub/graph/regularizers.h).
#include "tf1hub/graph/regularizers.h"

#include <string>
#include <vector>

#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/math_ops.h"
#include "tf1hub/graph/nn_ops.h"
#include "tf1hub/graph/variables.h"

namespace tf1hub {
namespace {

// A scalar of the variable's dtype holding `v` (Python floats meet the
// variable's dtype in TF's binary-op conversion).
Output ScalarLike(const Scope& scope, double v, DataType dtype) {
  switch (dtype) {
    case DataType::kFloat:
      return ops::Const(scope, static_cast<float>(v));
    case DataType::kDouble:
      return ops::Const(scope, v);
    default:
      scope.UpdateStatus(InvalidArgumentError("[regularizer] weights of dtype " +
                                              DataTypeName(dtype) +
                                              " are not supported (float or double only)"));
      return Output{};
  }
}

// tf.nn.l2_loss(w): "L2Loss" reading w inside its name scope.
Output L2LossOf(const Scope& scope, const Variable& w) {
  OpNameScope l2(scope, "L2Loss");
  return ops::L2Loss(l2.op(), w.Read(l2.inputs()));
}

// tf.reduce_sum(tf.abs(w)): Abs (reading w), Const (all axes), Sum.
Output SumAbsOf(const Scope& scope, const Variable& w) {
  OpNameScope abs(scope, "Abs");
  Output a = ops::Abs(abs.op(), w.Read(abs.inputs()));
  std::vector<int32_t> axes;
  for (int i = 0; i < w.shape().rank(); ++i) axes.push_back(i);
  Output axis = ops::Const(scope, axes, {static_cast<int64_t>(axes.size())});
  return ops::Sum(scope, a, axis);
}

// `factor * t` as Python's `factor * tensor` builds it: Mul named "mul" with
// the factor as Const "mul/x".
Output ScaleBy(const Scope& scope, double factor, const Output& t, DataType dtype) {
  OpNameScope mul(scope, "mul");
  Output x = ScalarLike(mul.inputs().WithOpName("x"), factor, dtype);
  return ops::Mul(mul.op(), x, t);
}

// `a + b` as Python's tensor + tensor: AddV2 "add".
Output Plus(const Scope& scope, const Output& a, const Output& b) {
  return ops::AddV2(scope.WithOpName("add"), a, b);
}

// Keras casts factors to float32 (backend.cast_to_floatx) and computes
// 2.0 * l2 in float32.
double Float32(double v) { return static_cast<double>(static_cast<float>(v)); }

// tf_slim's l1/l2_regularizer body.
Regularizer SlimRegularizer(double scale, bool l2) {
  return Regularizer([scale, l2](const Scope& scope, const Variable& w) -> Output {
    const char* name = l2 ? "l2_regularizer" : "l1_regularizer";
    if (scale < 0.0) {
      scope.UpdateStatus(InvalidArgumentError(
          std::string("[") + name +
          "] Setting a scale less than 0 on a regularizer: " + std::to_string(scale)));
      return Output{};
    }
    if (scale == 0.0) return Output{};  // "Scale of 0 disables regularizer."
    Scope s = scope.NewSubScope(name);
    Output my_scale = ScalarLike(s.WithOpName("scale"), scale, w.dtype());
    Output term = l2 ? L2LossOf(s, w) : SumAbsOf(s, w);
    return ops::Mul(scope.WithOpName(s.name_scope() + "/"), my_scale, term);
  });
}

}  // namespace

Output Regularizer::operator()(const Scope& scope, const Variable& weights) const {
  if (!build_) {
    scope.UpdateStatus(InvalidArgumentError("calling an empty Regularizer"));
    return Output{};
  }
  if (!scope.ok()) return Output{};
  return build_(scope, weights);
}

namespace regularizers {

Regularizer L1(double l1) {
  return Regularizer([l1](const Scope& scope, const Variable& w) {
    return ScaleBy(scope, Float32(l1), SumAbsOf(scope, w), w.dtype());
  });
}

Regularizer L2(double l2) {
  return Regularizer([l2](const Scope& scope, const Variable& w) {
    Output loss = L2LossOf(scope, w);
    return ScaleBy(scope, static_cast<double>(2.0f * static_cast<float>(l2)), loss, w.dtype());
  });
}

Regularizer L1L2(double l1, double l2) {
  return Regularizer([l1, l2](const Scope& scope, const Variable& w) {
    Output total = ScalarLike(scope.WithOpName("Const"), 0.0, w.dtype());
    if (static_cast<float>(l1) != 0.0f) {
      Output term = ScaleBy(scope, Float32(l1), SumAbsOf(scope, w), w.dtype());
      total = Plus(scope, total, term);
    }
    if (static_cast<float>(l2) != 0.0f) {
      Output loss = L2LossOf(scope, w);
      Output term =
          ScaleBy(scope, static_cast<double>(2.0f * static_cast<float>(l2)), loss, w.dtype());
      total = Plus(scope, total, term);
    }
    return total;
  });
}

Regularizer L1Regularizer(double scale) { return SlimRegularizer(scale, /*l2=*/false); }
Regularizer L2Regularizer(double scale) { return SlimRegularizer(scale, /*l2=*/true); }

}  // namespace regularizers
}  // namespace tf1hub
