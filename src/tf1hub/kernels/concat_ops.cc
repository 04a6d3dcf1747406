// Joining and splitting along an axis: ConcatV2, Pack, Unpack.
//
// Each is a 2-D problem: the dims before the axis collapse into `rows`, the
// axis and the dims after it into one run per input, so a row of the output
// is the inputs' runs side by side (memcpy per run, rows split across the
// intra-op pool).
#include <memory>
#include <string>
#include <vector>

#include "tf1hub/kernels/array_ops_util.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"

namespace tf1hub {
namespace {

using array::CopyCost;
using array::CopyN;

// out row r = [srcs[0] row r (widths[0] elements), srcs[1] row r, ...].
template <typename S>
void ConcatRows(const OpKernelContext* ctx, const std::vector<const S*>& srcs,
                const std::vector<int64_t>& widths, int64_t rows, S* out) {
  int64_t total = 0;
  for (int64_t w : widths) total += w;
  if (total == 0 || rows == 0) return;
  ctx->ParallelFor(rows, CopyCost<S>(total), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      S* dst = out + r * total;
      for (size_t j = 0; j < srcs.size(); ++j) {
        CopyN(srcs[j] + r * widths[j], widths[j], dst);
        dst += widths[j];
      }
    }
  });
}

template <typename S>
class ConcatV2Op : public OpKernel {
 public:
  explicit ConcatV2Op(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const int n = ctx->num_inputs() - 1;
    const Tensor& axis_t = ctx->input(n);
    const TensorShape& as = axis_t.shape();
    if (!(as.rank() == 0 || (as.rank() == 1 && as.dim(0) == 1))) {
      return InvalidArgumentError("axis tensor should be a scalar integer, but got shape " +
                                  as.DebugString());
    }
    const int64_t concat_dim = array::IndexScalar(axis_t);
    const TensorShape& first = ctx->input(0).shape();
    const int rank = first.rank();
    const int64_t axis = concat_dim < 0 ? concat_dim + rank : concat_dim;
    // Axis 0 passes for scalars so that they get the "use tf.stack" message.
    if (!((0 <= axis && axis < rank) || concat_dim == 0)) {
      return InvalidArgumentError("ConcatOp : Expected concatenating dimensions in the range [" +
                                  std::to_string(-rank) + ", " + std::to_string(rank) +
                                  "), but got " + std::to_string(concat_dim));
    }
    int64_t rows = 1;
    for (int d = 0; d < axis; ++d) rows *= first.dim(d);
    std::vector<const S*> srcs;
    std::vector<int64_t> widths;
    int64_t out_axis_dim = 0;
    for (int i = 0; i < n; ++i) {
      const Tensor& in = ctx->input(i);
      const TensorShape& s = in.shape();
      if (s.rank() == 0) {
        return InvalidArgumentError("ConcatOp : Can't concatenate scalars (use tf.stack instead)");
      }
      if (s.rank() != rank) {
        return InvalidArgumentError(
            "ConcatOp : Ranks of all input tensors should match: shape[0] = " +
            first.DebugString() + " vs. shape[" + std::to_string(i) + "] = " + s.DebugString());
      }
      for (int d = 0; d < rank; ++d) {
        if (d != axis && s.dim(d) != first.dim(d)) {
          return InvalidArgumentError(
              "ConcatOp : Dimension " + std::to_string(d) +
              " in both shapes must be equal: shape[0] = " + first.DebugString() + " vs. shape[" +
              std::to_string(i) + "] = " + s.DebugString());
        }
      }
      if (in.NumElements() > 0) {
        srcs.push_back(array::Data<S>(in));
        widths.push_back(in.NumElements() / rows);
      }
      out_axis_dim += s.dim(static_cast<int>(axis));
    }
    std::vector<int64_t> dims = first.dims();
    dims[axis] = out_axis_dim;
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(dims));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    ConcatRows(ctx, srcs, widths, rows, array::MutableData<S>(out));
    return Status::OK();
  }
};

// Axis attr checked against the rank at run time: "axis = 3 not in [-3, 3)".
Status AxisError(int64_t axis, int limit) {
  return InvalidArgumentError("axis = " + std::to_string(axis) + " not in [" +
                              std::to_string(-limit) + ", " + std::to_string(limit) + ")");
}

template <typename S>
class PackOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    int64_t axis = 0;
    RETURN_IF_ERROR(c.GetAttr("axis", &axis));
    return std::unique_ptr<OpKernel>(new PackOp(c, axis));
  }
  Status Compute(OpKernelContext* ctx) override {
    const int n = ctx->num_inputs();
    const Tensor& first = ctx->input(0);
    const int expanded = first.shape().rank() + 1;
    const int64_t axis = axis_ < 0 ? axis_ + expanded : axis_;
    if (axis < 0 || axis >= expanded) return AxisError(axis_, expanded);
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(array::InsertDim(
                                            first.shape().dims(), static_cast<int>(axis), n)));
    for (int i = 1; i < n; ++i) {
      if (!(ctx->input(i).shape() == first.shape())) {
        return InvalidArgumentError(
            "Shapes of all inputs must match: values[0].shape = " + first.shape().DebugString() +
            " != values[" + std::to_string(i) + "].shape = " + ctx->input(i).shape().DebugString());
      }
    }
    if (n == 1) {
      ASSIGN_OR_RETURN(Tensor out, first.Reshaped(shape));
      ctx->set_output(0, std::move(out));
      return Status::OK();
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    int64_t rows = 1;
    for (int d = 0; d < axis; ++d) rows *= first.shape().dim(d);
    const int64_t width = rows == 0 ? 0 : first.NumElements() / rows;
    std::vector<const S*> srcs;
    for (int i = 0; i < n; ++i) srcs.push_back(array::Data<S>(ctx->input(i)));
    ConcatRows(ctx, srcs, std::vector<int64_t>(n, width), rows, array::MutableData<S>(out));
    return Status::OK();
  }

 private:
  PackOp(const KernelConstruction& c, int64_t axis) : OpKernel(c), axis_(axis) {}
  const int64_t axis_;
};

template <typename S>
class UnpackOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    int64_t axis = 0;
    RETURN_IF_ERROR(c.GetAttr("axis", &axis));
    return std::unique_ptr<OpKernel>(new UnpackOp(c, axis));
  }
  Status Compute(OpKernelContext* ctx) override {
    const int num = ctx->num_outputs();
    const Tensor& input = ctx->input(0);
    const TensorShape& s = input.shape();
    const int rank = s.rank();
    const int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    if (axis < 0 || axis >= rank) return AxisError(axis_, rank);
    if (s.dim(static_cast<int>(axis)) != num) {
      return InvalidArgumentError("Input shape axis " + std::to_string(axis) + " must equal " +
                                  std::to_string(num) + ", got shape " + s.DebugString());
    }
    ASSIGN_OR_RETURN(TensorShape out_shape,
                     array::ShapeOf(array::RemoveDim(s.dims(), static_cast<int>(axis))));
    int64_t rows = 1;
    for (int d = 0; d < axis; ++d) rows *= s.dim(d);
    const int64_t inner = out_shape.num_elements() / std::max<int64_t>(rows, 1);
    for (int i = 0; i < num; ++i) {
      ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(i, out_shape));
      // Output i is input[rows, i, inner].
      array::StridedView view{{rows, inner}, {num * inner, 1}, i * inner};
      array::CopyStrided(ctx, array::Data<S>(input), view, array::MutableData<S>(out));
    }
    return Status::OK();
  }

 private:
  UnpackOp(const KernelConstruction& c, int64_t axis) : OpKernel(c), axis_(axis) {}
  const int64_t axis_;
};

}  // namespace

void RegisterConcatKernels(KernelRegistry* r) {
  array::RegisterBySize<ConcatV2Op>(r, "ConcatV2");
  array::RegisterBySize<PackOp>(r, "Pack");
  array::RegisterBySize<UnpackOp>(r, "Unpack");
}

}  // namespace tf1hub
