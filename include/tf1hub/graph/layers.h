// Layers as tf.compat.v1.layers builds them in TensorFlow 2.15: the same
// variables (names, initializers, collections) and the same nodes.
//
//   Scope root = Scope::NewRootScope();
//   Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat,
//                               {.shape = *PartialTensorShape::Create(std::vector<int64_t>{-1,
//                               4})});
//   Output is_training = ops::Placeholder(root.WithOpName("t"), DataType::kBool,
//                                         {.shape = PartialTensorShape::FromShape({})});
//   Output h = layers::Dense(root, x, 8, {.activation = layers::Activation::kRelu,
//                                         .kernel_regularizer = regularizers::L2(1e-4)});
//   h = layers::BatchNormalization(root, h, {.training = is_training});
//   h = layers::Dropout(root, h, {.rate = 0.3, .training = is_training});
//   Output logits = layers::Dense(root, h, 2, {.name = "logits"});
//   Operation init = GlobalVariablesInitializer(root);
//
// Naming: a layer without a name gets "dense", "dense_1", ... (its name
// scope, made unique in the graph); its variables are
// "<variable scope>/<layer>/<weight>". A layer given a name uses it as
// variable scope as is (so a second layer with the same name fails unless
// reuse is set) and a unique name scope for its ops ("fc", "fc_1"), as TF.
// TF counts default layer names per variable scope; we take them from the
// name scope, which is the same unless names collide across scopes.
//
// Layers read the static shape of their inputs (dense needs the last
// dimension, batch_normalization the rank and last dimension); shapes are
// inferred from placeholders, constants, variables and the usual ops. A
// tensor `training` flag builds TF1 conds (Switch/Merge, as with
// tf.compat.v1.disable_control_flow_v2(); TF 2.15's default builds an If op
// with functions instead). The cond_context collection is not written.
//
// Errors follow scope.h (sticky status, empty Output).
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_LAYERS_H_
#define TF1HUB_GRAPH_LAYERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "tf1hub/graph/initializers.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/regularizers.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/graph/variables.h"

namespace tf1hub::layers {

// Activation functions, applied as tf.nn.* ("dense/Relu", "dense/Tanh").
enum class Activation { kNone, kRelu, kRelu6, kElu, kSelu, kSoftplus, kTanh, kSigmoid, kSoftmax };

// The `training` argument: a constant (as a Python bool) or a bool scalar
// tensor. A Const bool tensor counts as a constant (TF's smart_cond does so).
class Training {
 public:
  Training(bool value) : value_(value) {}                  // NOLINT(runtime/explicit)
  Training(Output tensor) : tensor_(std::move(tensor)) {}  // NOLINT(runtime/explicit)

  bool is_tensor() const { return !tensor_.empty(); }
  bool value() const { return value_; }
  const Output& tensor() const { return tensor_; }

 private:
  bool value_ = false;
  Output tensor_;
};

// ---- dense --------------------------------------------------------------------

struct DenseOptions {
  Activation activation = Activation::kNone;
  bool use_bias = true;
  // Empty: glorot_uniform (tf.compat.v1 init_ops; see initializers.h).
  Initializer kernel_initializer = {};
  // Empty: zeros.
  Initializer bias_initializer = {};
  Regularizer kernel_regularizer = {};
  Regularizer bias_regularizer = {};
  bool trainable = true;
  // false: reference variables (VariableV2, "dense/kernel/read").
  bool use_resource = true;
  std::string name = "";
  VariableReuse reuse = VariableReuse::kCreate;
};

// tf.compat.v1.layers.dense(inputs, units, ...) for rank-2 inputs [batch, in]:
//   dense/kernel [in, units], dense/bias [units] (variables, see variables.h)
//   dense/kernel/Regularizer/..., dense/bias/Regularizer/...  (if asked)
//   dense/MatMul = MatMul(inputs, dense/MatMul/ReadVariableOp)
//   dense/BiasAdd = BiasAdd(MatMul, dense/BiasAdd/ReadVariableOp)
//   dense/Relu (or Tanh, Sigmoid, ...)
// The last dimension of `inputs` must be known statically.
Output Dense(const Scope& scope, const Output& inputs, int64_t units,
             const DenseOptions& options = {});

// ---- dropout ------------------------------------------------------------------

struct DropoutOptions {
  double rate = 0.5;  // fraction dropped, in [0, 1)
  Training training = false;
  std::optional<int64_t> seed = std::nullopt;
  std::string name = "";
};

// tf.compat.v1.layers.dropout(inputs, rate, training=..., seed=...):
//   training false:  dropout/Identity
//   training true:   dropout/dropout/{Const = 1/(1-rate), Mul = x*Const,
//                    Shape (a Const if x's shape is fully known),
//                    random_uniform/RandomUniform, GreaterEqual(rnd, rate),
//                    Const_1 = 0, SelectV2(GreaterEqual, Mul, Const_1)}
//   tensor:          dropout/cond/... with the training ops in the true
//                    branch and Identity(x) in the false one, then Merge.
Output Dropout(const Scope& scope, const Output& inputs, const DropoutOptions& options = {});

// ---- batch_normalization ----------------------------------------------------

struct BatchNormalizationOptions {
  double momentum = 0.99;
  double epsilon = 0.001;
  bool center = true;  // beta
  bool scale = true;   // gamma
  // Empty: zeros (beta, moving_mean) and ones (gamma, moving_variance).
  Initializer beta_initializer = {};
  Initializer gamma_initializer = {};
  Initializer moving_mean_initializer = {};
  Initializer moving_variance_initializer = {};
  Regularizer beta_regularizer = {};
  Regularizer gamma_regularizer = {};
  Training training = false;
  bool trainable = true;
  std::string name = "";
  VariableReuse reuse = VariableReuse::kCreate;
  // TF's `fused`: nullopt = fused for inputs of rank 4 (NHWC) and 5 (NDHWC),
  // as TF; false forces the unfused graph (e.g. for runtimes without a
  // FusedBatchNormV3 kernel); true needs rank 4 or 5.
  std::optional<bool> fused = std::nullopt;
};

// tf.compat.v1.layers.batch_normalization(inputs, axis=-1, ...) for inputs of
// rank 2 or more. Variables gamma (if scale), beta (if center),
// moving_mean, moving_variance (the moving ones not trainable,
// synchronization ON_READ, aggregation MEAN).
//
// Fused (rank 4/5 by default): [beta/gamma Consts when not center/scale],
//   ReadVariableOp (gamma), ReadVariableOp_1 (beta),
//   FusedBatchNormV3/{ReadVariableOp, ReadVariableOp_1} (moving statistics),
//   FusedBatchNormV3 (is_training per flag; a tensor flag puts one in each
//   branch of "cond", merged by Merge/Merge_1/Merge_2); when training, the
//   momentum as "Const" (or "cond_1" picking momentum / 1.0) and
//   AssignMovingAvg{,_1}/{sub/x, sub, ReadVariableOp, sub_1, mul,
//   AssignSubVariableOp, ReadVariableOp_1}, the AssignSubVariableOps in
//   `update_ops`.
//
// Unfused (what TF builds for rank 2, 3):
//   training: moments/{mean, StopGradient, SquaredDifference, variance,
//   Squeeze, Squeeze_1}; AssignMovingAvg{,_1}/{decay, ReadVariableOp, sub,
//   mul, AssignSubVariableOp, ReadVariableOp_1}, whose AssignSubVariableOps
//   go to `update_ops`; tensor flag: cond, cond_1 pick batch or moving
//   statistics, cond_2, cond_3 update (their Merges go to `update_ops`);
//   batchnorm/{add, Rsqrt, mul, mul_1, mul_2, sub, add_1} = x * inv + (beta - mean * inv)
//   with inv = gamma * rsqrt(variance + epsilon).
Output BatchNormalization(const Scope& scope, const Output& inputs,
                          const BatchNormalizationOptions& options = {});

}  // namespace tf1hub::layers

#endif  // TF1HUB_GRAPH_LAYERS_H_
