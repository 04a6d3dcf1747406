// Weight regularizers: a Regularizer builds a scalar loss from a variable,
// in the scope it is given (layers pass "<layer>/<weight>/Regularizer",
// GetVariable "<var>/Regularizer"), and the caller adds the result to the
// `regularization_losses` collection.
//
// Two families, with TensorFlow's node names:
//
//   Keras (tf.keras.regularizers, what TF 2.15's tf.compat.v1.layers take):
//     L2(l)      mul = Mul(mul/x = float32(2*l), L2Loss(w))      = l * sum(w^2)
//     L1(l)      mul = Mul(mul/x = l, Sum(Abs(w), Const = all axes))
//     L1L2(a, b) Const = 0; add = Const + a*sum|w|; add_1 = add + 2b*L2Loss(w)
//                (terms with a zero factor are left out, as Keras does)
//   tf.contrib.layers / tf_slim (TF1):
//     L2Regularizer(s)  l2_regularizer = Mul(l2_regularizer/scale = s, L2Loss(w))
//                                                            = s * sum(w^2) / 2
//     L1Regularizer(s)  l1_regularizer = Mul(scale, Sum(Abs(w), Const))
//     (scale 0 disables the regularizer: no nodes, no loss)
//
// Variable reads inside are named like TF's ("L2Loss/ReadVariableOp").
//
//   layers::Dense(scope, x, 3, {.kernel_regularizer = regularizers::L2(0.01)});
//
// Thread safety: immutable values.
#ifndef TF1HUB_GRAPH_REGULARIZERS_H_
#define TF1HUB_GRAPH_REGULARIZERS_H_

#include <functional>

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub {

class Variable;

class Regularizer {
 public:
  // Builds the loss of `weights` in `scope`; an empty Output means "no loss"
  // (errors go to the scope's sticky status).
  using BuildFn = std::function<Output(const Scope& scope, const Variable& weights)>;

  Regularizer() = default;  // none
  explicit Regularizer(BuildFn build) : build_(std::move(build)) {}

  bool empty() const { return !build_; }
  Output operator()(const Scope& scope, const Variable& weights) const;

 private:
  BuildFn build_;
};

namespace regularizers {

// Keras regularizers (factors are float32, as Keras casts them to floatx).
Regularizer L1(double l1 = 0.01);
Regularizer L2(double l2 = 0.01);
Regularizer L1L2(double l1 = 0.0, double l2 = 0.0);

// tf.contrib.layers / tf_slim l1_regularizer(scale) and l2_regularizer(scale).
// A negative scale is an error when the regularizer is applied.
Regularizer L1Regularizer(double scale);
Regularizer L2Regularizer(double scale);

}  // namespace regularizers
}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_REGULARIZERS_H_
