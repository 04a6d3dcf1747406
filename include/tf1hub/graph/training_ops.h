// Optimizer update op constructors (reference and resource variants), as
// tf.compat.v1.train optimizers emit them. Errors follow scope.h.
//
//   Output step = ops::ApplyGradientDescent(scope, var, lr, grad);
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_TRAINING_OPS_H_
#define TF1HUB_GRAPH_TRAINING_OPS_H_

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub::ops {

struct ApplyAttrs {
  bool use_locking = false;
  bool use_nesterov = false;  // Momentum and Adam only
};

Output ApplyGradientDescent(const Scope& scope, const Output& var, const Output& alpha,
                            const Output& delta, const ApplyAttrs& attrs = {});
Operation ResourceApplyGradientDescent(const Scope& scope, const Output& var, const Output& alpha,
                                       const Output& delta, const ApplyAttrs& attrs = {});
Output ApplyMomentum(const Scope& scope, const Output& var, const Output& accum, const Output& lr,
                     const Output& grad, const Output& momentum, const ApplyAttrs& attrs = {});
Operation ResourceApplyMomentum(const Scope& scope, const Output& var, const Output& accum,
                                const Output& lr, const Output& grad, const Output& momentum,
                                const ApplyAttrs& attrs = {});
struct AdamInputs {
  Output var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad;
};
Output ApplyAdam(const Scope& scope, const AdamInputs& in, const ApplyAttrs& attrs = {});
Operation ResourceApplyAdam(const Scope& scope, const AdamInputs& in, const ApplyAttrs& attrs = {});

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_TRAINING_OPS_H_
