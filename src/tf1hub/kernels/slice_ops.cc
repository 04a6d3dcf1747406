// Slice and StridedSlice.
//
// Both resolve to a strided view of the input (first element, element step
// per output dim) copied with array::CopyStrided; a slice that takes every
// element shares the input buffer instead. StridedSlice's spec handling is
// in strided_slice_spec.cc.
//
// Unlike TensorFlow, which has Eigen code for ranks 1 to 8 only
// ("Unhandled input dimensions"), any rank works here.
#include <memory>
#include <string>
#include <vector>

#include "tf1hub/kernels/array_ops_util.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/strided_slice_spec.h"

namespace tf1hub {
namespace {

// Copies input[begin + i * strides] over `dims` (one entry per input dim)
// into `out`.
template <typename S>
void CopySlice(const OpKernelContext* ctx, const Tensor& input, const std::vector<int64_t>& begin,
               const std::vector<int64_t>& strides, const std::vector<int64_t>& dims, Tensor* out) {
  const std::vector<int64_t> in_strides = array::RowMajorStrides(input.shape().dims());
  array::StridedView view;
  view.dims = dims;
  for (size_t k = 0; k < dims.size(); ++k) {
    view.steps.push_back(strides[k] * in_strides[k]);
    view.offset += begin[k] * in_strides[k];
  }
  array::CopyStrided(ctx, array::Data<S>(input), std::move(view), array::MutableData<S>(out));
}

template <typename S>
class SliceOp : public OpKernel {
 public:
  explicit SliceOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const Tensor& begin_t = ctx->input(1);
    const Tensor& size_t_ = ctx->input(2);
    const int rank = input.shape().rank();
    if (begin_t.shape().rank() != 1 || size_t_.shape().rank() != 1 ||
        begin_t.NumElements() != rank || size_t_.NumElements() != rank) {
      return InvalidArgumentError("Expected begin and size arguments to be 1-D tensors of size " +
                                  std::to_string(rank) + ", but got shapes " +
                                  begin_t.shape().DebugString() + " and " +
                                  size_t_.shape().DebugString() + " instead.");
    }
    std::vector<int64_t> begin = array::IndexValues(begin_t);
    std::vector<int64_t> size = array::IndexValues(size_t_);
    bool is_identity = true;
    for (int i = 0; i < rank; ++i) {
      const int64_t dim = input.shape().dim(i);
      const int64_t b = begin[i];
      int64_t& s = size[i];
      if (s == -1) s = dim - b;  // -1: everything from begin on
      const std::string is = std::to_string(i);
      if (dim == 0) {
        if (b != 0 || s != 0) {
          return InvalidArgumentError("Expected begin[" + is + "] == 0 (got " + std::to_string(b) +
                                      ") and size[" + is + "] == 0 (got " + std::to_string(s) +
                                      ") when input.dim_size(" + is + ") == 0");
        }
      } else {
        if (b < 0 || b > dim) {
          return InvalidArgumentError("Expected begin[" + is + "] in [0, " + std::to_string(dim) +
                                      "], but got " + std::to_string(b));
        }
        if (s < 0 || s > dim - b) {
          return InvalidArgumentError("Expected size[" + is + "] in [0, " +
                                      std::to_string(dim - b) + "], but got " + std::to_string(s));
        }
      }
      is_identity &= b == 0 && s == dim;
    }
    if (is_identity) {
      ctx->set_output(0, input);
      return Status::OK();
    }
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(size));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    CopySlice<S>(ctx, input, begin, std::vector<int64_t>(rank, 1), size, out);
    return Status::OK();
  }
};

template <typename S>
class StridedSliceOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    StridedSliceMasks m;
    RETURN_IF_ERROR(c.GetAttr("begin_mask", &m.begin));
    RETURN_IF_ERROR(c.GetAttr("end_mask", &m.end));
    RETURN_IF_ERROR(c.GetAttr("ellipsis_mask", &m.ellipsis));
    RETURN_IF_ERROR(c.GetAttr("new_axis_mask", &m.new_axis));
    RETURN_IF_ERROR(c.GetAttr("shrink_axis_mask", &m.shrink_axis));
    return std::unique_ptr<OpKernel>(new StridedSliceOp(c, m));
  }
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    ASSIGN_OR_RETURN(
        StridedSliceSpec spec,
        ResolveStridedSlice(input.shape(), ctx->input(1), ctx->input(2), ctx->input(3), masks_));
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(spec.final_dims));
    if (spec.is_identity) {
      ASSIGN_OR_RETURN(Tensor out, input.Reshaped(shape));
      ctx->set_output(0, std::move(out));
      return Status::OK();
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    CopySlice<S>(ctx, input, spec.begin, spec.strides, spec.processing_dims, out);
    return Status::OK();
  }

 private:
  StridedSliceOp(const KernelConstruction& c, const StridedSliceMasks& m)
      : OpKernel(c), masks_(m) {}
  const StridedSliceMasks masks_;
};

}  // namespace

void RegisterSliceKernels(KernelRegistry* r) {
  array::RegisterBySize<SliceOp>(r, "Slice");
  array::RegisterBySize<StridedSliceOp>(r, "StridedSlice");
}

}  // namespace tf1hub
