// Neural-network op constructors (include/tf1hub/graph/nn_ops.h).
#include "tf1hub/graph/nn_ops.h"

#include <span>

#include "tf1hub/graph/node_builder.h"

namespace tf1hub::ops {
namespace {

Output Unary(const Scope& scope, const char* op, const Output& x) {
  return NodeBuilder(scope, op).Input(x).FinalizeOutput();
}

std::span<const int64_t> Ints(const std::vector<int64_t>& v) { return v; }

}  // namespace

Output BiasAdd(const Scope& s, const Output& value, const Output& bias, const BiasAddAttrs& a) {
  return NodeBuilder(s, "BiasAdd").Input(value).Input(bias).Attr("data_format", a.data_format).FinalizeOutput();
}

Output Relu(const Scope& s, const Output& x) { return Unary(s, "Relu", x); }
Output Relu6(const Scope& s, const Output& x) { return Unary(s, "Relu6", x); }
Output Elu(const Scope& s, const Output& x) { return Unary(s, "Elu", x); }
Output Selu(const Scope& s, const Output& x) { return Unary(s, "Selu", x); }
Output Softplus(const Scope& s, const Output& x) { return Unary(s, "Softplus", x); }
Output Softmax(const Scope& s, const Output& x) { return Unary(s, "Softmax", x); }
Output LogSoftmax(const Scope& s, const Output& x) { return Unary(s, "LogSoftmax", x); }
Output L2Loss(const Scope& s, const Output& x) { return Unary(s, "L2Loss", x); }

Output Conv2D(const Scope& s, const Output& input, const Output& filter,
              const std::vector<int64_t>& strides, const std::string& padding,
              const Conv2DAttrs& a) {
  return NodeBuilder(s, "Conv2D")
      .Input(input)
      .Input(filter)
      .Attr("strides", Ints(strides))
      .Attr("use_cudnn_on_gpu", a.use_cudnn_on_gpu)
      .Attr("padding", padding)
      .Attr("explicit_paddings", Ints(a.explicit_paddings))
      .Attr("data_format", a.data_format)
      .Attr("dilations", Ints(a.dilations))
      .FinalizeOutput();
}

Output DepthwiseConv2dNative(const Scope& s, const Output& input, const Output& filter,
                             const std::vector<int64_t>& strides, const std::string& padding,
                             const Conv2DAttrs& a) {
  return NodeBuilder(s, "DepthwiseConv2dNative")
      .Input(input)
      .Input(filter)
      .Attr("strides", Ints(strides))
      .Attr("padding", padding)
      .Attr("explicit_paddings", Ints(a.explicit_paddings))
      .Attr("data_format", a.data_format)
      .Attr("dilations", Ints(a.dilations))
      .FinalizeOutput();
}

Output MaxPool(const Scope& s, const Output& input, const std::vector<int64_t>& ksize,
               const std::vector<int64_t>& strides, const std::string& padding,
               const PoolAttrs& a) {
  return NodeBuilder(s, "MaxPool")
      .Input(input)
      .Attr("ksize", Ints(ksize))
      .Attr("strides", Ints(strides))
      .Attr("padding", padding)
      .Attr("explicit_paddings", Ints(a.explicit_paddings))
      .Attr("data_format", a.data_format)
      .FinalizeOutput();
}

Output AvgPool(const Scope& s, const Output& value, const std::vector<int64_t>& ksize,
               const std::vector<int64_t>& strides, const std::string& padding,
               const PoolAttrs& a) {
  return NodeBuilder(s, "AvgPool")
      .Input(value)
      .Attr("ksize", Ints(ksize))
      .Attr("strides", Ints(strides))
      .Attr("padding", padding)
      .Attr("data_format", a.data_format)
      .FinalizeOutput();
}

FusedBatchNormV3Outputs FusedBatchNormV3(const Scope& s, const Output& x, const Output& scale,
                                         const Output& offset, const Output& mean,
                                         const Output& variance, const FusedBatchNormAttrs& a) {
  std::vector<Output> out = NodeBuilder(s, "FusedBatchNormV3")
                                .Input(x)
                                .Input(scale)
                                .Input(offset)
                                .Input(mean)
                                .Input(variance)
                                .Attr("epsilon", a.epsilon)
                                .Attr("exponential_avg_factor", a.exponential_avg_factor)
                                .Attr("data_format", a.data_format)
                                .Attr("is_training", a.is_training)
                                .FinalizeOutputs();
  if (out.size() != 6) return {};
  return {out[0], out[1], out[2], out[3], out[4], out[5]};
}

}  // namespace tf1hub::ops
