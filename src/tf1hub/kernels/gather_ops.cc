// GatherV2 (with axis and batch_dims).
//
// The problem is seen as params[batch, outer, gather_dim, inner] and
// indices[batch, n]: output[b, o, i, :] = params[b, o, indices[b, i], :].
// Indices are checked first (the first bad one, in flat order, is reported
// with TensorFlow's "indices[1,0] = 7 is not in [0, 5)"), then slices of
// `inner` elements are copied, split across the intra-op pool.
#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "tf1hub/kernels/array_ops_util.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"

namespace tf1hub {
namespace {

template <typename S, typename I>
class GatherV2Op : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    int32_t batch_dims = 0;
    RETURN_IF_ERROR(c.GetAttr("batch_dims", &batch_dims));
    return std::unique_ptr<OpKernel>(new GatherV2Op(c, batch_dims));
  }

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& params = ctx->input(0);
    const Tensor& indices = ctx->input(1);
    const Tensor& axis_t = ctx->input(2);
    const TensorShape& ps = params.shape();
    const TensorShape& is = indices.shape();
    if (ps.rank() < 1) return InvalidArgumentError("params must be at least 1 dimensional");
    if (axis_t.shape().rank() != 0) return InvalidArgumentError("axis must be scalar");
    int64_t axis = array::IndexScalar(axis_t);
    const int64_t min_rank = axis < 0 ? -axis : axis + 1;
    if (ps.rank() < min_rank) {
      return InvalidArgumentError("Shape must be at least rank " + std::to_string(min_rank) +
                                  " but is rank " + std::to_string(ps.rank()));
    }
    if (axis < 0) axis += ps.rank();
    int batch_dims = batch_dims_;
    if (batch_dims != 0) {
      if (batch_dims < -is.rank() || batch_dims > is.rank()) {
        return InvalidArgumentError("Expected batch_dims in the range [" +
                                    std::to_string(-is.rank()) + ", " + std::to_string(is.rank()) +
                                    "], but got " + std::to_string(batch_dims));
      }
      if (batch_dims < 0) batch_dims += is.rank();
      if (batch_dims >= ps.rank()) {
        return InvalidArgumentError("batch_dims (" + std::to_string(batch_dims) +
                                    ") must be less than rank(params) (" +
                                    std::to_string(ps.rank()) + ").");
      }
      if (axis < batch_dims) {
        return InvalidArgumentError("batch_dims (" + std::to_string(batch_dims) +
                                    ") must be less than or equal to axis (" +
                                    std::to_string(axis) + ").");
      }
      for (int i = 0; i < batch_dims; ++i) {
        if (ps.dim(i) != is.dim(i)) {
          return InvalidArgumentError("params.shape[" + std::to_string(i) +
                                      "]: " + std::to_string(ps.dim(i)) +
                                      " should be equal to indices.shape[" + std::to_string(i) +
                                      "]: " + std::to_string(is.dim(i)));
        }
      }
    }
    const int64_t gather_dim = ps.dim(static_cast<int>(axis));
    if (gather_dim > std::numeric_limits<I>::max()) {
      return InvalidArgumentError("params.shape[" + std::to_string(axis) + "] too large for " +
                                  TfTypeName(DataTypeOf<I>::value) +
                                  " indexing: " + std::to_string(gather_dim) + " > " +
                                  std::to_string(std::numeric_limits<I>::max()));
    }
    std::vector<int64_t> dims;
    int64_t batch = 1, outer = 1, inner = 1;
    for (int i = 0; i < batch_dims; ++i) {
      dims.push_back(ps.dim(i));
      batch *= ps.dim(i);
    }
    for (int i = batch_dims; i < axis; ++i) {
      dims.push_back(ps.dim(i));
      outer *= ps.dim(i);
    }
    for (int i = batch_dims; i < is.rank(); ++i) dims.push_back(is.dim(i));
    for (int i = static_cast<int>(axis) + 1; i < ps.rank(); ++i) {
      dims.push_back(ps.dim(i));
      inner *= ps.dim(i);
    }
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(dims));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    const int64_t n = indices.NumElements();
    if (n == 0 || inner == 0 || batch * outer == 0) return Status::OK();

    const I* idx = indices.flat<I>().data();
    for (int64_t i = 0; i < n; ++i) {
      if (idx[i] < 0 || idx[i] >= gather_dim) {
        return InvalidArgumentError("indices" + array::CoordinatesString(is, i) + " = " +
                                    std::to_string(idx[i]) + " is not in [0, " +
                                    std::to_string(gather_dim) + ")");
      }
    }
    const int64_t per_batch = n / batch;
    const S* src = array::Data<S>(params);
    S* dst = array::MutableData<S>(out);
    // Unit u = (b, o, i): one slice of `inner` elements.
    const int64_t units = batch * outer * per_batch;
    ctx->ParallelFor(units, array::CopyCost<S>(inner), [&](int64_t begin, int64_t end) {
      int64_t u = begin;
      while (u < end) {
        const int64_t bo = u / per_batch;  // b * outer + o
        const I* batch_idx = idx + (bo / outer) * per_batch;
        const S* slab = src + bo * gather_dim * inner;
        const int64_t stop = std::min(end, (bo + 1) * per_batch);
        for (int64_t i = u - bo * per_batch; u < stop; ++u, ++i) {
          array::CopyN(slab + static_cast<int64_t>(batch_idx[i]) * inner, inner, dst + u * inner);
        }
      }
    });
    return Status::OK();
  }

 private:
  GatherV2Op(const KernelConstruction& c, int32_t batch_dims)
      : OpKernel(c), batch_dims_(batch_dims) {}
  const int32_t batch_dims_;
};

template <typename S>
using GatherI16 = GatherV2Op<S, int16_t>;
template <typename S>
using GatherI32 = GatherV2Op<S, int32_t>;
template <typename S>
using GatherI64 = GatherV2Op<S, int64_t>;

}  // namespace

void RegisterGatherKernels(KernelRegistry* r) {
  array::RegisterBySize<GatherI16>(r, "GatherV2", "Tparams", {{"Tindices", {DataType::kInt16}}});
  array::RegisterBySize<GatherI32>(r, "GatherV2", "Tparams", {{"Tindices", {DataType::kInt32}}});
  array::RegisterBySize<GatherI64>(r, "GatherV2", "Tparams", {{"Tindices", {DataType::kInt64}}});
}

}  // namespace tf1hub
