// ResourceGather: rows of a resource variable's value, with TensorFlow
// 2.15's CPU semantics (tf.nn.embedding_lookup on a resource variable).
//
//   output = params[:b] + indices[b:] + params[b+1:]   (b = batch_dims)
//
// Like TensorFlow, batch_dims > 0 is done by flattening params[:b+1] into
// one gather dimension and adding each batch's offset to its indices; an
// index is only checked against the flattened size (so TensorFlow, and we,
// accept an index past its own batch's rows when the flat position exists),
// and the message shows the offset index: "indices[2,0] = 6 is not in [0, 3)".
// Where TensorFlow 2.15 aborts or reads out of bounds (batch_dims >= rank of
// params, indices' batch dims unlike params', a variable of another dtype)
// we return InvalidArgument instead.
//
// The value is read as a copy-on-write snapshot, so a concurrent assignment
// never blocks on the gather or changes what it sees.
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tf1hub/kernels/array_ops_util.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/resource_mgr.h"
#include "tf1hub/kernels/prefetch.h"
#include "tf1hub/kernels/resource_gather.h"
#include "tf1hub/kernels/sparse_family.h"

namespace tf1hub {
namespace {

// Checks params' and indices' shapes against batch_dims (TensorFlow's
// checks first, then ours for the cases TensorFlow does not survive).
template <typename I>
Status ValidateGather(const TensorShape& ps, const TensorShape& is, int32_t batch_dims) {
  if (ps.rank() < 1) return InvalidArgumentError("params must be at least 1 dimensional");
  if (ps.rank() < batch_dims) {
    return InvalidArgumentError("params must have at least " + std::to_string(batch_dims) +
                                " (batch_dims) dimensions but it has shape " + ps.DebugString());
  }
  if (ps.dim(0) > static_cast<int64_t>(std::numeric_limits<I>::max())) {
    return InvalidArgumentError("params.shape[0] too large for " +
                                TfTypeName(DataTypeOf<I>::value) +
                                " indexing: " + std::to_string(ps.dim(0)) + " > " +
                                std::to_string(std::numeric_limits<I>::max()));
  }
  if (batch_dims >= ps.rank()) {
    return InvalidArgumentError("batch_dims (" + std::to_string(batch_dims) +
                                ") must be less than rank(params) (" + std::to_string(ps.rank()) +
                                ").");
  }
  if (batch_dims > is.rank()) {
    return InvalidArgumentError("batch_dims (" + std::to_string(batch_dims) +
                                ") must be less than or equal to rank(indices) (" +
                                std::to_string(is.rank()) + ").");
  }
  for (int i = 0; i < batch_dims; ++i) {
    if (ps.dim(i) != is.dim(i)) {
      return InvalidArgumentError("params.shape[" + std::to_string(i) + "]: " +
                                  std::to_string(ps.dim(i)) + " should be equal to indices.shape[" +
                                  std::to_string(i) + "]: " + std::to_string(is.dim(i)));
    }
  }
  return Status::OK();
}

}  // namespace

template <typename I>
Status PrepareResourceGather(OpKernelContext* ctx, DataType dtype, int32_t batch_dims,
                             ResourceGatherRows* g) {
  return PrepareResourceGather<I>(ctx, dtype, batch_dims, ctx->input(1), g);
}

template <typename I>
Status PrepareResourceGather(OpKernelContext* ctx, DataType dtype, int32_t batch_dims,
                             const Tensor& indices, ResourceGatherRows* g) {
  const ResourceHandle& h = ctx->resource_input(0);
  ASSIGN_OR_RETURN(std::shared_ptr<Var> var,
                   ctx->resource_manager()->LookupVar(h.container, h.name));
  if (var->dtype() != dtype) {
    return InvalidArgumentError("Trying to read variable with wrong dtype. Expected " +
                                TfTypeName(dtype) + " got " + TfTypeName(var->dtype()));
  }
  std::optional<Tensor> value = var->Snapshot();
  if (!value.has_value()) {
    return FailedPreconditionError("Resource " + h.container + "/" + h.name +
                                   " is uninitialized.");
  }
  g->params = std::move(*value);
  const TensorShape& ps = g->params.shape();
  const TensorShape& is = indices.shape();
  const int b = batch_dims;
  RETURN_IF_ERROR(ValidateGather<I>(ps, is, b));

  std::vector<int64_t> dims;
  for (int i = 0; i < b; ++i) dims.push_back(ps.dim(i));
  for (int i = b; i < is.rank(); ++i) dims.push_back(is.dim(i));
  for (int i = b + 1; i < ps.rank(); ++i) dims.push_back(ps.dim(i));
  ASSIGN_OR_RETURN(g->shape, array::MakeShape(dims));
  const int64_t n = indices.NumElements();
  g->rows.clear();
  g->row_size = 1;
  if (n == 0) return Status::OK();

  // Flat positions in params[:b+1], with the batch offsets added.
  int64_t batch_size = 1, gather_dim = 1, inner = 1;
  for (int i = 0; i < b; ++i) batch_size *= ps.dim(i);
  for (int i = 0; i <= b; ++i) gather_dim *= ps.dim(i);
  for (int i = b + 1; i < ps.rank(); ++i) inner *= ps.dim(i);
  if (batch_size == 0) {
    return InvalidArgumentError(
        "Inner size of indices would result in batch_size of 0 and a division by 0 in the "
        "implementation. This is illegal");
  }
  const I* idx = indices.flat<I>().data();
  const int64_t per_batch = n / batch_size;
  g->rows.resize(static_cast<size_t>(n));
  int64_t* flat = g->rows.data();
  for (int64_t i = 0; i < n; ++i) {
    flat[i] = static_cast<int64_t>(idx[i]) + ps.dim(b) * (i / per_batch);
    if (flat[i] < 0 || flat[i] >= gather_dim) {
      return InvalidArgumentError("indices" + array::CoordinatesString(is, i) + " = " +
                                  std::to_string(flat[i]) + " is not in [0, " +
                                  std::to_string(ps.dim(0)) + ")");
    }
  }
  g->row_size = inner;
  return Status::OK();
}

template Status PrepareResourceGather<int32_t>(OpKernelContext*, DataType, int32_t,
                                               ResourceGatherRows*);
template Status PrepareResourceGather<int64_t>(OpKernelContext*, DataType, int32_t,
                                               ResourceGatherRows*);
template Status PrepareResourceGather<int32_t>(OpKernelContext*, DataType, int32_t, const Tensor&,
                                               ResourceGatherRows*);
template Status PrepareResourceGather<int64_t>(OpKernelContext*, DataType, int32_t, const Tensor&,
                                               ResourceGatherRows*);

namespace {

// S: storage type of the variable's dtype size; I: index type.
template <typename S, typename I>
class ResourceGatherOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    int32_t batch_dims = 0;
    DataType dtype;
    RETURN_IF_ERROR(c.GetAttr("batch_dims", &batch_dims));
    RETURN_IF_ERROR(c.GetAttr("dtype", &dtype));
    if (batch_dims < 0) {
      return KernelConstruction::AttrError("batch_dims is negative (" + std::to_string(batch_dims) +
                                           ")");
    }
    return std::unique_ptr<OpKernel>(new ResourceGatherOp(c, batch_dims, dtype));
  }

  Status Compute(OpKernelContext* ctx) override {
    ResourceGatherRows g;
    RETURN_IF_ERROR(PrepareResourceGather<I>(ctx, dtype_, batch_dims_, &g));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, g.shape));
    const int64_t n = static_cast<int64_t>(g.rows.size());
    const int64_t inner = g.row_size;
    const std::vector<int64_t>& flat = g.rows;
    if (inner == 0) return Status::OK();
    if (n == 0) return Status::OK();
    const S* src = array::Data<S>(g.params);
    S* dst = array::MutableData<S>(out);
    // Rows are scattered over params (an embedding matrix far larger than
    // the caches): prefetching a few rows ahead overlaps their misses.
    const int64_t row_bytes = inner * static_cast<int64_t>(sizeof(S));
    constexpr int64_t kAhead = 4;
    ctx->ParallelFor(n, array::CopyCost<S>(inner), [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        if (i + kAhead < end) PrefetchBytes(src + flat[i + kAhead] * inner, row_bytes);
        array::CopyN(src + flat[i] * inner, inner, dst + i * inner);
      }
    });
    return Status::OK();
  }

 private:
  ResourceGatherOp(const KernelConstruction& c, int32_t batch_dims, DataType dtype)
      : OpKernel(c), batch_dims_(batch_dims), dtype_(dtype) {}
  const int32_t batch_dims_;
  const DataType dtype_;
};

// Distinct names matter: g++ mangles an alias template passed as a template
// template argument by its name alone, so a same-named alias in another
// file's anonymous namespace (gather_ops.cc has GatherI32) would make the
// linker merge the two RegisterBySize instantiations.
template <typename S>
using ResourceGatherI32 = ResourceGatherOp<S, int32_t>;
template <typename S>
using ResourceGatherI64 = ResourceGatherOp<S, int64_t>;

}  // namespace

void RegisterResourceGatherKernels(KernelRegistry* r) {
  array::RegisterBySize<ResourceGatherI32>(r, "ResourceGather", "dtype",
                                           {{"Tindices", {DataType::kInt32}}});
  array::RegisterBySize<ResourceGatherI64>(r, "ResourceGather", "dtype",
                                           {{"Tindices", {DataType::kInt64}}});
}

}  // namespace tf1hub
