// ResourceGather's checks and row positions (resource_gather_ops.cc), shared
// with the fused embedding lookup (embedding_fusion.cc).
#ifndef TF1HUB_KERNELS_RESOURCE_GATHER_H_
#define TF1HUB_KERNELS_RESOURCE_GATHER_H_

#include <cstdint>
#include <vector>

#include "tf1hub/kernels/kernel.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

// What ResourceGather copies: output row i is params' flat row rows[i]
// (row_size elements each).
struct ResourceGatherRows {
  Tensor params;      // the variable's value (a snapshot)
  TensorShape shape;  // the gather's output shape
  std::vector<int64_t> rows;
  int64_t row_size = 1;  // elements per row (params.shape[batch_dims+1:])
};

// Reads ResourceGather's inputs from `ctx` (0: the variable's handle, 1:
// indices of type I) and does its checks, in TensorFlow's order and words:
// the variable (its dtype must be `dtype`, it must be initialized), shapes
// against batch_dims, then every index. `rows` is empty when there are no
// indices.
template <typename I>
Status PrepareResourceGather(OpKernelContext* ctx, DataType dtype, int32_t batch_dims,
                             ResourceGatherRows* g);

// The same with the indices given (the variable's handle is still input 0).
template <typename I>
Status PrepareResourceGather(OpKernelContext* ctx, DataType dtype, int32_t batch_dims,
                             const Tensor& indices, ResourceGatherRows* g);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_RESOURCE_GATHER_H_
