// Neural-network op constructors: activations, softmax, bias, convolution,
// pooling, fused batch normalization, L2 loss. Named after the TensorFlow
// ops; errors follow scope.h.
//
//   Output h = ops::Relu(scope, ops::BiasAdd(scope, ops::MatMul(scope, x, w), b));
//   Output c = ops::Conv2D(scope, img, filter, {1, 1, 1, 1}, "SAME");
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_NN_OPS_H_
#define TF1HUB_GRAPH_NN_OPS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub::ops {

struct BiasAddAttrs {
  std::string data_format = "NHWC";
};
Output BiasAdd(const Scope& scope, const Output& value, const Output& bias,
               const BiasAddAttrs& attrs = {});

Output Relu(const Scope& scope, const Output& features);
Output Relu6(const Scope& scope, const Output& features);
Output Elu(const Scope& scope, const Output& features);
Output Selu(const Scope& scope, const Output& features);
Output Softplus(const Scope& scope, const Output& features);
Output Softmax(const Scope& scope, const Output& logits);
Output LogSoftmax(const Scope& scope, const Output& logits);
Output L2Loss(const Scope& scope, const Output& t);

struct Conv2DAttrs {
  bool use_cudnn_on_gpu = true;
  std::vector<int64_t> explicit_paddings = {};  // with padding "EXPLICIT"
  std::string data_format = "NHWC";
  std::vector<int64_t> dilations = {1, 1, 1, 1};
};
// padding: "SAME", "VALID" or "EXPLICIT".
Output Conv2D(const Scope& scope, const Output& input, const Output& filter,
              const std::vector<int64_t>& strides, const std::string& padding,
              const Conv2DAttrs& attrs = {});
Output DepthwiseConv2dNative(const Scope& scope, const Output& input, const Output& filter,
                             const std::vector<int64_t>& strides, const std::string& padding,
                             const Conv2DAttrs& attrs = {});

struct PoolAttrs {
  std::string data_format = "NHWC";
  std::vector<int64_t> explicit_paddings = {};  // MaxPool only
};
Output MaxPool(const Scope& scope, const Output& input, const std::vector<int64_t>& ksize,
               const std::vector<int64_t>& strides, const std::string& padding,
               const PoolAttrs& attrs = {});
Output AvgPool(const Scope& scope, const Output& value, const std::vector<int64_t>& ksize,
               const std::vector<int64_t>& strides, const std::string& padding,
               const PoolAttrs& attrs = {});

struct FusedBatchNormAttrs {
  float epsilon = 0.0001f;
  float exponential_avg_factor = 1.0f;
  std::string data_format = "NHWC";
  bool is_training = true;
};
struct FusedBatchNormV3Outputs {
  Output y, batch_mean, batch_variance, reserve_space_1, reserve_space_2, reserve_space_3;
};
FusedBatchNormV3Outputs FusedBatchNormV3(const Scope& scope, const Output& x, const Output& scale,
                                         const Output& offset, const Output& mean,
                                         const Output& variance,
                                         const FusedBatchNormAttrs& attrs = {});

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_NN_OPS_H_
