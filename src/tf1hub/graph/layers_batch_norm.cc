// tf.compat.v1.layers.batch_normalization (include/tf1hub/graph/layers.h):
// the graphs of TF 2.15's Keras BatchNormalization (V1), unfused and fused.
#include <string>
#include <vector>

#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/layers_cond.h"
#include "tf1hub/graph/layers_static_shape.h"
#include "tf1hub/graph/layers_util.h"
#include "tf1hub/graph/math_ops.h"
#include "tf1hub/graph/nn_ops.h"
#include "tf1hub/graph/state_ops.h"

namespace tf1hub::layers {
namespace {

Output FloatConst(const Scope& scope, double v, DataType dtype) {
  if (dtype == DataType::kDouble) return ops::Const(scope, v);
  return ops::Const(scope, static_cast<float>(v));
}

// A statistic for the normalisation: a tensor, or a variable read where TF
// converts it.
struct Stat {
  Output tensor;
  const Variable* variable = nullptr;
  bool empty() const { return tensor.empty() && variable == nullptr; }
};

// Calls LayerCond::Adopt after each op when building inside a cond branch.
struct Adopter {
  LayerCond* cond = nullptr;
  void operator()() const {
    if (cond != nullptr) cond->Adopt();
  }
};

// tf.nn.moments(x, axes, keepdims=False) in name scope "moments".
std::pair<Output, Output> Moments(const Scope& scope, const Output& x, int rank) {
  Scope m = scope.NewSubScope("moments");
  std::vector<int32_t> axes;
  std::vector<int64_t> axes64;
  for (int i = 0; i + 1 < rank; ++i) {
    axes.push_back(i);
    axes64.push_back(i);
  }
  const std::vector<int64_t> axes_shape = {static_cast<int64_t>(axes.size())};
  OpNameScope mean_op(m, "mean");
  Output mean_axes = ops::Const(mean_op.inputs().WithOpName("reduction_indices"), axes, axes_shape);
  Output mean = ops::Mean(mean_op.op(), x, mean_axes, {.keep_dims = true});
  Output stopped = ops::StopGradient(m, mean);
  Output sq = ops::SquaredDifference(m, x, stopped);
  OpNameScope var_op(m, "variance");
  Output var_axes = ops::Const(var_op.inputs().WithOpName("reduction_indices"), axes, axes_shape);
  Output variance = ops::Mean(var_op.op(), sq, var_axes, {.keep_dims = true});
  Output mean_sq = ops::Squeeze(m, mean, {.axis = axes64});
  Output var_sq = ops::Squeeze(m, variance, {.axis = axes64});
  return {mean_sq, var_sq};
}

// The momentum of a moving-average update: a Python float (the unfused
// layer) or a tensor (the fused layer's convert_to_tensor / smart_cond).
struct Momentum {
  double value = 0.0;
  Output tensor;
};

// Keras' _assign_moving_average(variable, value, momentum) in name scope
// "AssignMovingAvg" of `scope`: returns the AssignSubVariableOp and the
// value read after it (what assign_sub returns).
std::pair<Operation, Output> AssignMovingAverage(const Scope& scope, const Variable& variable,
                                                 const Output& value, const Momentum& momentum,
                                                 const Adopter& adopt) {
  Scope a = scope.NewSubScope("AssignMovingAvg");
  Scope col = a.ColocateWith(variable.handle());
  // decay = convert_to_tensor(1.0 - momentum, name="decay")
  Output decay;
  if (momentum.tensor.empty()) {
    decay = FloatConst(col.WithOpName("decay"), 1.0 - momentum.value, variable.dtype());
    adopt();
  } else {  // 1.0 - tensor: Sub "sub" with x = 1.0 as "sub/x"
    OpNameScope sub(col, "sub");
    Output one = FloatConst(sub.inputs().WithOpName("x"), 1.0, variable.dtype());
    adopt();
    decay = ops::Sub(sub.op(), one, momentum.tensor);
    adopt();
  }
  // (variable - value) * decay: the variable is read first (value()).
  Output read = variable.Read(a);
  adopt();
  Output delta = ops::Sub(col.WithOpName("sub"), read, value);
  adopt();
  Output scaled = ops::Mul(col.WithOpName("mul"), delta, decay);
  adopt();
  Operation assign = ops::AssignSubVariableOp(col, variable.handle(), scaled);
  adopt();
  Output after = ops::ReadVariableOp(col.WithControlDependencies({assign}), variable.handle(),
                                     variable.dtype());
  adopt();
  return {assign, after};
}

// tf.nn.batch_normalization(x, mean, variance, offset, scale, epsilon).
Output Normalize(const Scope& scope, const Output& x, DataType dtype, const Stat& mean,
                 const Stat& variance, const Variable* offset, const Variable* scale,
                 double epsilon) {
  Scope bn = scope.NewSubScope("batchnorm");
  auto value = [&](const Stat& stat) {
    return stat.variable != nullptr ? stat.variable->Read(bn) : stat.tensor;
  };
  // inv = rsqrt(variance + epsilon)
  Output var_value = value(variance);
  OpNameScope add(bn, "add");
  Output eps = FloatConst(add.inputs().WithOpName("y"), epsilon, dtype);
  Output inv = ops::Rsqrt(bn, ops::AddV2(add.op(), var_value, eps));
  if (scale != nullptr) {  // inv *= scale
    OpNameScope mul(bn, "mul");
    inv = ops::Mul(mul.op(), inv, scale->Read(mul.inputs()));
  }
  Output x_inv = ops::Mul(bn.WithOpName("mul"), x, inv);
  Output rhs;
  if (offset != nullptr) {  // offset - mean * inv
    Output mean_inv = ops::Mul(bn.WithOpName("mul"), value(mean), inv);
    rhs = ops::Sub(bn.WithOpName("sub"), offset->Read(bn), mean_inv);
  } else {  // -mean * inv
    rhs = ops::Mul(bn.WithOpName("mul"), ops::Neg(bn, value(mean)), inv);
  }
  return ops::AddV2(bn.WithOpName("add"), x_inv, rhs);
}

// smart_cond(training, lambda: batch_stat, lambda: convert(moving)).
Output SelectStat(const Scope& scope, const Output& training, const Output& batch_stat,
                  const Variable& moving) {
  LayerCond cond(scope.NewSubScope("cond"), training);
  cond.BeginBranch(true);
  Output t = cond.EndBranch(batch_stat);
  cond.BeginBranch(false);
  Output f = cond.EndBranch(moving.Read(cond.scope()));
  return cond.Merge(f, t);
}

// smart_cond(training, lambda: _do_update(moving, value), lambda: moving):
// the cond's Merge (an update op).
Output CondUpdate(const Scope& scope, const Output& training, const Variable& moving,
                  const Output& value, double momentum) {
  LayerCond cond(scope.NewSubScope("cond"), training);
  cond.BeginBranch(true);
  auto [assign, after] = AssignMovingAverage(cond.scope(), moving, value,
                                             {.value = momentum, .tensor = Output{}}, {&cond});
  (void)after;
  // The branch result (assign_sub's unread variable) converted to a tensor:
  // a read after the assignment, without colocation.
  Output t = ops::ReadVariableOp(cond.scope().WithControlDependencies({assign}), moving.handle(),
                                 moving.dtype());
  t = cond.EndBranch(t);
  cond.BeginBranch(false);
  Output f = cond.EndBranch(moving.Read(cond.scope()));
  return cond.Merge(f, t);
}

// Keras' _fused_batch_norm (rank 4 NHWC / rank 5 NDHWC inputs):
// FusedBatchNormV3 in the layer scope, or in both branches of a cond for a
// tensor flag; then, when training, moving averages with a momentum tensor.
Output FusedNormalize(const Scope& s, const Output& x, DataType dtype, int rank,
                      const TensorShape& param_shape, const Variable* gamma, const Variable* beta,
                      const Variable& moving_mean, const Variable& moving_variance,
                      const BatchNormalizationOptions& options, std::optional<bool> constant) {
  Graph* graph = s.graph();
  auto filled = [&](double v) {  // backend.constant(v, shape=param_shape): "Const"
    return dtype == DataType::kDouble
               ? ops::ConstFilled(s, Tensor::Scalar<double>(v), param_shape)
               : ops::ConstFilled(s, Tensor::Scalar<float>(static_cast<float>(v)), param_shape);
  };
  Output beta_const = beta == nullptr ? filled(0.0) : Output{};
  Output gamma_const = gamma == nullptr ? filled(1.0) : Output{};
  const std::string data_format = rank == 4 ? "NHWC" : "NDHWC";

  // tf.compat.v1.nn.fused_batch_norm(x, gamma, beta, mean, variance, ...).
  auto fused = [&](const Scope& scope, bool is_training, const Adopter& adopt) {
    Output scale = gamma != nullptr ? gamma->Read(scope) : gamma_const;
    adopt();
    Output offset = beta != nullptr ? beta->Read(scope) : beta_const;
    adopt();
    OpNameScope op(scope, "FusedBatchNormV3");
    Output mean = moving_mean.Read(op.inputs());
    adopt();
    Output variance = moving_variance.Read(op.inputs());
    adopt();
    ops::FusedBatchNormV3Outputs out =
        ops::FusedBatchNormV3(op.op(), x, scale, offset, mean, variance,
                              {.epsilon = static_cast<float>(options.epsilon),
                               .exponential_avg_factor = 1.0f,
                               .data_format = data_format,
                               .is_training = is_training});
    adopt();
    return out;
  };

  Output y, batch_mean, batch_variance;
  if (constant.has_value()) {
    ops::FusedBatchNormV3Outputs out = fused(s, *constant, {});
    y = out.y;
    batch_mean = out.batch_mean;
    batch_variance = out.batch_variance;
  } else {
    LayerCond cond(s.NewSubScope("cond"), options.training.tensor());
    cond.BeginBranch(true);
    ops::FusedBatchNormV3Outputs t = fused(cond.scope(), true, {&cond});
    cond.EndBranch(t.y);
    cond.BeginBranch(false);
    ops::FusedBatchNormV3Outputs f = fused(cond.scope(), false, {&cond});
    cond.EndBranch(f.y);
    y = cond.Merge(f.y, t.y);
    batch_mean = cond.Merge(f.batch_mean, t.batch_mean);
    batch_variance = cond.Merge(f.batch_variance, t.batch_variance);
  }
  if (constant.has_value() && !*constant) return y;

  // momentum = convert_to_tensor(momentum), or
  // smart_cond(training, lambda: momentum, lambda: 1.0).
  Output momentum;
  if (constant.has_value()) {
    momentum = FloatConst(s, options.momentum, dtype);
  } else {
    LayerCond cond(s.NewSubScope("cond"), options.training.tensor());
    cond.BeginBranch(true);
    Output t = cond.EndBranch(FloatConst(cond.scope(), options.momentum, dtype));
    cond.BeginBranch(false);
    Output f = cond.EndBranch(FloatConst(cond.scope(), 1.0, dtype));
    momentum = cond.Merge(f, t);
  }
  for (auto [var, value] :
       {std::pair{&moving_mean, batch_mean}, std::pair{&moving_variance, batch_variance}}) {
    auto [assign, after] =
        AssignMovingAverage(s, *var, value, {.value = 0.0, .tensor = momentum}, {});
    (void)after;
    s.UpdateStatus(graph->AddToCollection(graph_keys::kUpdateOps, assign.name));
  }
  return y;
}

}  // namespace

Output BatchNormalization(const Scope& scope, const Output& inputs,
                          const BatchNormalizationOptions& options) {
  if (!scope.ok()) return Output{};
  const std::string where = "[batch_normalization] ";
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
  const PartialTensorShape shape = InferStaticShape(*graph, inputs);
  if (shape.rank() < 2 || shape.dims().back() < 0) {
    scope.UpdateStatus(InvalidArgumentError(
        where + "inputs '" + inputs.ToString() +
        "' need a known rank >= 2 and a known last (axis) dimension, got static shape " +
        shape.DebugString()));
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
  const int rank = shape.rank();
  const TensorShape param_shape = *TensorShape::Create({shape.dims().back()});

  LayerScope layer = MakeLayerScope(scope, options.name, "batch_normalization");
  GetVariableOptions weight{
      .dtype = *dtype, .trainable = options.trainable, .reuse = options.reuse};
  Variable gamma, beta;
  if (options.scale) {
    GetVariableOptions o = weight;
    o.initializer =
        options.gamma_initializer.empty() ? initializers::Ones() : options.gamma_initializer;
    gamma = AddWeight(layer, "gamma", param_shape, o, options.gamma_regularizer);
  }
  if (options.center) {
    GetVariableOptions o = weight;
    o.initializer =
        options.beta_initializer.empty() ? initializers::Zeros() : options.beta_initializer;
    beta = AddWeight(layer, "beta", param_shape, o, options.beta_regularizer);
  }
  GetVariableOptions moving = weight;
  moving.trainable = false;
  moving.synchronization = tensorflow::VARIABLE_SYNCHRONIZATION_ON_READ;
  moving.aggregation = tensorflow::VARIABLE_AGGREGATION_MEAN;
  moving.initializer = options.moving_mean_initializer.empty() ? initializers::Zeros()
                                                               : options.moving_mean_initializer;
  Variable moving_mean = AddWeight(layer, "moving_mean", param_shape, moving, {});
  moving.initializer = options.moving_variance_initializer.empty()
                           ? initializers::Ones()
                           : options.moving_variance_initializer;
  Variable moving_variance = AddWeight(layer, "moving_variance", param_shape, moving, {});
  if (!scope.ok()) return Output{};

  const Scope& s = layer.ops;
  const bool fused = options.fused.value_or(rank == 4 || rank == 5);
  if (fused) {
    if (rank != 4 && rank != 5) {
      scope.UpdateStatus(InvalidArgumentError(
          where + "fused batch normalization needs inputs of rank 4 or 5, got rank " +
          std::to_string(rank)));
      return Output{};
    }
    return FusedNormalize(s, inputs, *dtype, rank, param_shape, options.scale ? &gamma : nullptr,
                          options.center ? &beta : nullptr, moving_mean, moving_variance, options,
                          constant);
  }
  Stat mean{.tensor = Output{}, .variable = &moving_mean};
  Stat variance{.tensor = Output{}, .variable = &moving_variance};
  if (!constant.has_value() || *constant) {
    auto [batch_mean, batch_variance] = Moments(s, inputs, rank);
    if (constant.has_value()) {
      mean = {.tensor = batch_mean};
      variance = {.tensor = batch_variance};
      for (auto [var, value] :
           {std::pair{&moving_mean, batch_mean}, std::pair{&moving_variance, batch_variance}}) {
        auto [assign, after] = AssignMovingAverage(
            s, *var, value, {.value = options.momentum, .tensor = Output{}}, {});
        (void)after;
        scope.UpdateStatus(graph->AddToCollection(graph_keys::kUpdateOps, assign.name));
      }
    } else {
      const Output& training = options.training.tensor();
      mean = {.tensor = SelectStat(s, training, batch_mean, moving_mean)};
      variance = {.tensor = SelectStat(s, training, batch_variance, moving_variance)};
      for (auto [var, value] :
           {std::pair{&moving_mean, mean.tensor}, std::pair{&moving_variance, variance.tensor}}) {
        Output update = CondUpdate(s, training, *var, value, options.momentum);
        scope.UpdateStatus(graph->AddToCollection(graph_keys::kUpdateOps, update.node));
      }
    }
  }
  return Normalize(s, inputs, *dtype, mean, variance, options.center ? &beta : nullptr,
                   options.scale ? &gamma : nullptr, options.epsilon);
}

}  // namespace tf1hub::layers
