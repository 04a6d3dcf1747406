// Tile, BroadcastTo (a tile of the size-1 dims) and Pad.
//
// Tiling: output element (o_0, ..., o_n) is input element
// (o_0 mod d_0, ..., o_n mod d_n). Dims are first simplified (a dim that is
// not repeated merges into the dim before it), then the output is written
// as copies of whole input rows, split across the intra-op pool.
// Padding writes each output row once: pad values, the input row, pad
// values.
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

// out = input tiled `mults` times per dim (in_dims.size() == mults.size() >= 1,
// output not empty).
template <typename S>
void TileInto(const OpKernelContext* ctx, const S* in, const std::vector<int64_t>& in_dims_full,
              const std::vector<int64_t>& mults_full, S* out) {
  // Merge dim k + 1 into dim k when k + 1 is not repeated: the pair then
  // indexes the input like one dim of size d_k * d_{k+1} repeated m_k times.
  std::vector<int64_t> dims, mults;
  for (size_t k = 0; k < in_dims_full.size(); ++k) {
    if (!dims.empty() && mults_full[k] == 1) {
      dims.back() *= in_dims_full[k];
      continue;
    }
    dims.push_back(in_dims_full[k]);
    mults.push_back(mults_full[k]);
  }
  const int rank = static_cast<int>(dims.size());
  const int64_t inner_in = dims[rank - 1];
  const int64_t inner_reps = mults[rank - 1];
  const int64_t inner_out = inner_in * inner_reps;
  int64_t rows = 1;  // output rows
  for (int k = 0; k + 1 < rank; ++k) rows *= dims[k] * mults[k];
  // Row strides of the input (in rows) for the outer dims.
  std::vector<int64_t> in_row_strides(rank > 1 ? rank - 1 : 0);
  int64_t s = 1;
  for (int k = rank - 2; k >= 0; --k) {
    in_row_strides[k] = s;
    s *= dims[k];
  }
  // One unit: a whole output row when input rows are one element (a fill),
  // else one copy of an input row.
  const bool fill_rows = inner_in == 1;
  const int64_t units = fill_rows ? rows : rows * inner_reps;
  const int64_t unit_cost = CopyCost<S>(fill_rows ? inner_out : inner_in);
  ctx->ParallelFor(units, unit_cost, [&](int64_t begin, int64_t end) {
    int64_t row = fill_rows ? begin : begin / inner_reps;
    int64_t rep = fill_rows ? 0 : begin % inner_reps;
    // Odometer over the outer output dims, and the input row it reads.
    std::vector<int64_t> idx(in_row_strides.size());
    int64_t in_row = 0;
    int64_t rest = row;
    for (int k = rank - 2; k >= 0; --k) {
      const int64_t od = dims[k] * mults[k];
      idx[k] = rest % od;
      rest /= od;
      in_row += (idx[k] % dims[k]) * in_row_strides[k];
    }
    for (int64_t u = begin; u < end; ++u) {
      const S* src = in + in_row * inner_in;
      S* dst = out + row * inner_out;
      if (fill_rows) {
        std::fill(dst, dst + inner_out, src[0]);
      } else {
        CopyN(src, inner_in, dst + rep * inner_in);
        if (++rep < inner_reps) continue;
        rep = 0;
      }
      ++row;
      for (int k = rank - 2; k >= 0; --k) {
        if (++idx[k] < dims[k] * mults[k]) {
          in_row = 0;
          for (int j = 0; j < rank - 1; ++j) in_row += (idx[j] % dims[j]) * in_row_strides[j];
          break;
        }
        idx[k] = 0;
      }
    }
  });
}

template <typename S>
class TileOp : public OpKernel {
 public:
  explicit TileOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const Tensor& multiples = ctx->input(1);
    if (multiples.shape().rank() != 1) {
      return InvalidArgumentError("Expected multiples to be 1-D, but got shape " +
                                  multiples.shape().DebugString());
    }
    const int rank = input.shape().rank();
    if (multiples.NumElements() != rank) {
      return InvalidArgumentError("Expected multiples argument to be a vector of length " +
                                  std::to_string(rank) + " but got length " +
                                  std::to_string(multiples.NumElements()));
    }
    if (rank == 0) {
      ctx->set_output(0, input);
      return Status::OK();
    }
    const std::vector<int64_t> mults = array::IndexValues(multiples);
    std::vector<int64_t> dims;
    int64_t elements = 1;
    for (int i = 0; i < rank; ++i) {
      if (mults[i] < 0) {
        return InvalidArgumentError("Expected multiples[" + std::to_string(i) + "] >= 0, but got " +
                                    std::to_string(mults[i]));
      }
      const int64_t size = static_cast<int64_t>(static_cast<uint64_t>(input.shape().dim(i)) *
                                                static_cast<uint64_t>(mults[i]));
      RETURN_IF_ERROR(array::AddDimChecked(size, &dims, &elements));
    }
    if (dims == input.shape().dims()) {
      ctx->set_output(0, input);
      return Status::OK();
    }
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(dims));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    if (elements > 0) {
      TileInto(ctx, array::Data<S>(input), input.shape().dims(), mults, array::MutableData<S>(out));
    }
    return Status::OK();
  }
};

template <typename S>
class BroadcastToOp : public OpKernel {
 public:
  explicit BroadcastToOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const Tensor& shape_t = ctx->input(1);
    if (shape_t.shape().rank() != 1) {
      return InvalidArgumentError("shape must be a vector of {int32,int64}, got shape " +
                                  shape_t.shape().DebugString());
    }
    ASSIGN_OR_RETURN(TensorShape out_shape, array::MakeShape(array::IndexValues(shape_t)));
    const TensorShape& in_shape = input.shape();
    if (out_shape == in_shape) {
      ctx->set_output(0, input);
      return Status::OK();
    }
    const int out_rank = out_shape.rank();
    const int in_rank = in_shape.rank();
    if (in_rank > out_rank) {
      return InvalidArgumentError("Rank of input (" + std::to_string(in_rank) +
                                  ") must be no greater than rank of output shape (" +
                                  std::to_string(out_rank) + ").");
    }
    // Input dims aligned on the right, padded with 1s.
    std::vector<int64_t> in_dims(out_rank - in_rank, 1);
    for (int64_t d : in_shape.dims()) in_dims.push_back(d);
    std::vector<int64_t> mults(out_rank, 1);
    bool incompatible = false, shrinks = false;
    for (int k = 0; k < out_rank; ++k) {
      const int64_t x = in_dims[k], y = out_shape.dim(k);
      if (x == y) continue;
      if (x == 1) {
        mults[k] = y;
      } else if (y == 1) {
        shrinks = true;  // numpy would broadcast the other way
      } else {
        incompatible = true;
      }
    }
    if (in_rank > 0 && incompatible) {
      return InvalidArgumentError("Incompatible shapes: " + in_shape.DebugString() + " vs. " +
                                  out_shape.DebugString());
    }
    if (in_rank > 0 && shrinks) {
      return InvalidArgumentError("Unable to broadcast tensor of shape " + in_shape.DebugString() +
                                  " to tensor of shape " + out_shape.DebugString());
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, out_shape));
    if (out_shape.num_elements() == 0) return Status::OK();
    if (out_rank == 0) {
      *array::MutableData<S>(out) = *array::Data<S>(input);
      return Status::OK();
    }
    TileInto(ctx, array::Data<S>(input), in_dims, mults, array::MutableData<S>(out));
    return Status::OK();
  }
};

template <typename S>
class PadOp : public OpKernel {
 public:
  explicit PadOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const Tensor& paddings = ctx->input(1);
    const int rank = input.shape().rank();
    if (rank > 8) {
      return UnimplementedError("inputs rank not in [0,8]: " + std::to_string(rank));
    }
    const TensorShape& ps = paddings.shape();
    if (ps.rank() != 2 || ps.dim(1) != 2) {
      return InvalidArgumentError("paddings must be a matrix with 2 columns: " + ps.DebugString());
    }
    if (ps.dim(0) != rank) {
      return InvalidArgumentError("The first dimension of paddings must be the rank of inputs" +
                                  ps.DebugString() + " " + input.shape().DebugString());
    }
    const std::vector<int64_t> pads = array::IndexValues(paddings);
    std::vector<int64_t> dims;
    int64_t elements = 1;
    for (int d = 0; d < rank; ++d) {
      const int64_t before = pads[2 * d], after = pads[2 * d + 1];
      if (before < 0 || after < 0) {
        return InvalidArgumentError("Paddings must be non-negative: " + std::to_string(before) +
                                    " " + std::to_string(after));
      }
      const uint64_t size = static_cast<uint64_t>(before) +
                            static_cast<uint64_t>(input.shape().dim(d)) +
                            static_cast<uint64_t>(after);
      RETURN_IF_ERROR(array::AddDimChecked(static_cast<int64_t>(size), &dims, &elements));
    }
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(dims));
    // Nothing added (or nothing to hold): the input, reshaped.
    if (elements == input.NumElements()) {
      ASSIGN_OR_RETURN(Tensor out, input.Reshaped(shape));
      ctx->set_output(0, std::move(out));
      return Status::OK();
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    PadInto(ctx, input, pads, dims, array::MutableData<S>(out));
    return Status::OK();
  }

 private:
  // Writes every output row: padding, then (inside the input's extent) the
  // input row between the row's own paddings.
  static void PadInto(const OpKernelContext* ctx, const Tensor& input,
                      const std::vector<int64_t>& pads, const std::vector<int64_t>& out_dims,
                      S* out) {
    const int rank = static_cast<int>(out_dims.size());
    const std::vector<int64_t>& in_dims = input.shape().dims();
    const S* in = array::Data<S>(input);
    const int64_t inner_out = out_dims[rank - 1];
    const int64_t inner_in = in_dims[rank - 1];
    const int64_t lead = pads[2 * (rank - 1)];
    int64_t rows = 1;
    for (int k = 0; k + 1 < rank; ++k) rows *= out_dims[k];
    const std::vector<int64_t> in_strides = array::RowMajorStrides(in_dims);
    const S pad{};
    ctx->ParallelFor(rows, CopyCost<S>(inner_out), [&](int64_t begin, int64_t end) {
      std::vector<int64_t> idx(rank - 1);
      int64_t rest = begin;
      for (int k = rank - 2; k >= 0; --k) {
        idx[k] = rest % out_dims[k];
        rest /= out_dims[k];
      }
      for (int64_t row = begin; row < end; ++row) {
        S* dst = out + row * inner_out;
        bool inside = inner_in > 0;
        int64_t src = 0;
        for (int k = 0; k + 1 < rank && inside; ++k) {
          const int64_t i = idx[k] - pads[2 * k];
          inside = i >= 0 && i < in_dims[k];
          src += i * in_strides[k];
        }
        if (inside) {
          std::fill(dst, dst + lead, pad);
          CopyN(in + src, inner_in, dst + lead);
          std::fill(dst + lead + inner_in, dst + inner_out, pad);
        } else {
          std::fill(dst, dst + inner_out, pad);
        }
        for (int k = rank - 2; k >= 0; --k) {
          if (++idx[k] < out_dims[k]) break;
          idx[k] = 0;
        }
      }
    });
  }
};

}  // namespace

void RegisterTilePadKernels(KernelRegistry* r) {
  array::RegisterBySize<TileOp>(r, "Tile");
  array::RegisterBySize<BroadcastToOp>(r, "BroadcastTo");
  array::RegisterBySize<PadOp>(r, "Pad");
}

}  // namespace tf1hub
