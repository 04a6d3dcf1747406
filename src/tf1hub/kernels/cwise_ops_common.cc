#include "tf1hub/kernels/cwise_ops_common.h"

#include "tf1hub/kernels/broadcast.h"

namespace tf1hub {
namespace cwise {
namespace {

// TensorFlow's BinaryOp handles at most 5 reduced dims.
constexpr size_t kMaxBroadcastRank = 5;

// Element strides of an input seen with reduced dims `reshape` inside
// output dims `dims`: 0 where it is broadcast.
std::vector<int64_t> BroadcastStrides(const std::vector<int64_t>& reshape,
                                      const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size());
  int64_t stride = 1;
  for (size_t k = dims.size(); k-- > 0;) {
    strides[k] = (reshape[k] == 1 && dims[k] != 1) ? 0 : stride;
    stride *= reshape[k];
  }
  return strides;
}

}  // namespace

Status PlanBinary(const TensorShape& x, const TensorShape& y, BinaryPlan* plan) {
  if (x == y) {
    plan->kind = BinaryPlan::kSame;
    plan->out_shape = x;
    return Status::OK();
  }
  const BCast b(x.dims(), y.dims());
  if (!b.IsValid()) {
    plan->kind = BinaryPlan::kIncompatible;
    return Status::OK();
  }
  ASSIGN_OR_RETURN(plan->out_shape, BCastOutputShape(b));
  const int64_t n = plan->out_shape.num_elements();
  const std::vector<int64_t>& dims = b.result_shape();
  if (dims.size() <= 1) {
    // Like TensorFlow: a one-element right side first, then the left side.
    if (y.num_elements() == 1) {
      plan->kind = BinaryPlan::kScalarY;
    } else if (x.num_elements() == 1) {
      plan->kind = BinaryPlan::kScalarX;
    } else {
      plan->kind = BinaryPlan::kSame;
    }
    return Status::OK();
  }
  if (n > 0 && dims.size() > kMaxBroadcastRank) {
    return UnimplementedError("Broadcast between " + x.DebugString() + " and " + y.DebugString() +
                              " is not supported yet.");
  }
  plan->kind = BinaryPlan::kBroadcast;
  plan->dims = dims;
  plan->x_strides = BroadcastStrides(b.x_reshape(), dims);
  plan->y_strides = BroadcastStrides(b.y_reshape(), dims);
  return Status::OK();
}

StatusOr<Tensor*> ForwardOrAllocate(OpKernelContext* ctx, std::initializer_list<int> inputs,
                                    const TensorShape& shape) {
  const DataType dtype = ctx->op_kernel().output_type(0);
  for (int i : inputs) {
    const TensorValue& v = ctx->input_value(i);
    if (v.ref == nullptr && v.tensor.dtype() == dtype &&
        v.tensor.NumElements() == shape.num_elements() && shape.num_elements() > 0 &&
        HoldsExclusiveBuffer(v.tensor)) {
      return ctx->forward_input_or_allocate_output(i, 0, shape);
    }
  }
  return ctx->allocate_output(0, shape);
}

}  // namespace cwise
}  // namespace tf1hub
