// Optimizer update op constructors (include/tf1hub/graph/training_ops.h).
#include "tf1hub/graph/training_ops.h"

#include "tf1hub/graph/node_builder.h"

namespace tf1hub::ops {

Output ApplyGradientDescent(const Scope& s, const Output& var, const Output& alpha,
                            const Output& delta, const ApplyAttrs& a) {
  return NodeBuilder(s, "ApplyGradientDescent")
      .Input(var)
      .Input(alpha)
      .Input(delta)
      .Attr("use_locking", a.use_locking)
      .FinalizeOutput();
}

Operation ResourceApplyGradientDescent(const Scope& s, const Output& var, const Output& alpha,
                                       const Output& delta, const ApplyAttrs& a) {
  return NodeBuilder(s, "ResourceApplyGradientDescent")
      .Input(var)
      .Input(alpha)
      .Input(delta)
      .Attr("use_locking", a.use_locking)
      .Finalize();
}

Output ApplyMomentum(const Scope& s, const Output& var, const Output& accum, const Output& lr,
                     const Output& grad, const Output& momentum, const ApplyAttrs& a) {
  return NodeBuilder(s, "ApplyMomentum")
      .Input(var)
      .Input(accum)
      .Input(lr)
      .Input(grad)
      .Input(momentum)
      .Attr("use_locking", a.use_locking)
      .Attr("use_nesterov", a.use_nesterov)
      .FinalizeOutput();
}

Operation ResourceApplyMomentum(const Scope& s, const Output& var, const Output& accum,
                                const Output& lr, const Output& grad, const Output& momentum,
                                const ApplyAttrs& a) {
  return NodeBuilder(s, "ResourceApplyMomentum")
      .Input(var)
      .Input(accum)
      .Input(lr)
      .Input(grad)
      .Input(momentum)
      .Attr("use_locking", a.use_locking)
      .Attr("use_nesterov", a.use_nesterov)
      .Finalize();
}

namespace {

NodeBuilder AdamBuilder(const Scope& s, const char* op, const AdamInputs& in, const ApplyAttrs& a) {
  NodeBuilder b(s, op);
  for (const Output* x : {&in.var, &in.m, &in.v, &in.beta1_power, &in.beta2_power, &in.lr,
                          &in.beta1, &in.beta2, &in.epsilon, &in.grad}) {
    b.Input(*x);
  }
  b.Attr("use_locking", a.use_locking).Attr("use_nesterov", a.use_nesterov);
  return b;
}

}  // namespace

Output ApplyAdam(const Scope& s, const AdamInputs& in, const ApplyAttrs& a) {
  return AdamBuilder(s, "ApplyAdam", in, a).FinalizeOutput();
}

Operation ResourceApplyAdam(const Scope& s, const AdamInputs& in, const ApplyAttrs& a) {
  return AdamBuilder(s, "ResourceApplyAdam", in, a).Finalize();
}

}  // namespace tf1hub::ops
