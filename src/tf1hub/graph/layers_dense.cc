// tf.compat.v1.layers.dense (include/tf1hub/graph/layers.h).
#include <string>

#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/layers_static_shape.h"
#include "tf1hub/graph/layers_util.h"
#include "tf1hub/graph/math_ops.h"
#include "tf1hub/graph/nn_ops.h"

namespace tf1hub::layers {
namespace {

Output Activate(const Scope& scope, Activation activation, const Output& x) {
  switch (activation) {
    case Activation::kNone:
      return x;
    case Activation::kRelu:
      return ops::Relu(scope, x);
    case Activation::kRelu6:
      return ops::Relu6(scope, x);
    case Activation::kElu:
      return ops::Elu(scope, x);
    case Activation::kSelu:
      return ops::Selu(scope, x);
    case Activation::kSoftplus:
      return ops::Softplus(scope, x);
    case Activation::kTanh:
      return ops::Tanh(scope, x);
    case Activation::kSigmoid:
      return ops::Sigmoid(scope, x);
    case Activation::kSoftmax:
      return ops::Softmax(scope, x);
  }
  return x;
}

}  // namespace

Output Dense(const Scope& scope, const Output& inputs, int64_t units, const DenseOptions& options) {
  if (!scope.ok()) return Output{};
  const std::string where = "[dense] ";
  if (units <= 0) {
    scope.UpdateStatus(
        InvalidArgumentError(where + "units must be positive, got " + std::to_string(units)));
    return Output{};
  }
  Graph* graph = scope.graph();
  StatusOr<DataType> dtype = graph->OutputType(inputs);
  if (!dtype.ok()) {
    scope.UpdateStatus(dtype.status().WithContext(where + "inputs"));
    return Output{};
  }
  const PartialTensorShape shape = InferStaticShape(*graph, inputs);
  if (shape.rank() != 2 || shape.dims()[1] < 0) {
    scope.UpdateStatus(InvalidArgumentError(
        where + "inputs '" + inputs.ToString() + "' must have rank 2 with a known last " +
        "dimension (rank > 2 is not supported yet), got static shape " + shape.DebugString()));
    return Output{};
  }
  const int64_t in_dim = shape.dims()[1];

  LayerScope layer = MakeLayerScope(scope, options.name, "dense");
  GetVariableOptions kernel_options{.dtype = *dtype,
                                    .initializer = options.kernel_initializer,
                                    .trainable = options.trainable,
                                    .use_resource = options.use_resource,
                                    .reuse = options.reuse};
  StatusOr<TensorShape> kernel_shape = TensorShape::Create({in_dim, units});
  if (!kernel_shape.ok()) {
    scope.UpdateStatus(kernel_shape.status().WithContext(where + "kernel shape"));
    return Output{};
  }
  Variable kernel =
      AddWeight(layer, "kernel", *kernel_shape, kernel_options, options.kernel_regularizer);
  Variable bias;
  if (options.use_bias) {
    GetVariableOptions bias_options = kernel_options;
    bias_options.initializer =
        options.bias_initializer.empty() ? initializers::Zeros() : options.bias_initializer;
    bias = AddWeight(layer, "bias", *TensorShape::Create({units}), bias_options,
                     options.bias_regularizer);
  }
  if (!scope.ok()) return Output{};

  const Scope& s = layer.ops;
  OpNameScope matmul(s, "MatMul");
  Output out = ops::MatMul(matmul.op(), inputs, kernel.Read(matmul.inputs()));
  if (options.use_bias) {
    OpNameScope bias_add(s, "BiasAdd");
    out = ops::BiasAdd(bias_add.op(), out, bias.Read(bias_add.inputs()));
  }
  return Activate(s, options.activation, out);
}

}  // namespace tf1hub::layers
