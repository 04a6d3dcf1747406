// Transpose.
//
// Like TensorFlow: an identity permutation (or rank <= 1) returns the input,
// a permutation that keeps every dim larger than 1 in order is a reshape
// (same buffer); otherwise size-1 dims are dropped and runs of dims that
// stay adjacent are merged, and the reduced problem runs as an Eigen
// shuffle (blocked, multi-threaded) for ranks 2..8 or a strided copy above.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "tf1hub/kernels/array_ops_util.h"
#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"

namespace tf1hub {
namespace {

// True if the dims larger than 1 appear in the output in input order.
bool NonSingletonDimsAlign(const TensorShape& shape, const std::vector<int>& perm) {
  int last = -1;
  for (int d : perm) {
    if (shape.dim(d) == 1) continue;
    if (d < last) return false;
    last = d;
  }
  return true;
}

// Drops size-1 dims and merges input dims that stay adjacent in the output:
// the same transpose on fewer, larger dims.
void ReduceTranspose(const TensorShape& shape, const std::vector<int>& perm,
                     std::vector<int64_t>* dims, std::vector<int>* new_perm) {
  const int rank = shape.rank();
  // Relabel the input dims that are not 1.
  std::vector<int> label(rank, -1);
  std::vector<int64_t> kept_dims;
  for (int d = 0; d < rank; ++d) {
    if (shape.dim(d) != 1) {
      label[d] = static_cast<int>(kept_dims.size());
      kept_dims.push_back(shape.dim(d));
    }
  }
  std::vector<int> p;
  for (int d : perm) {
    if (label[d] >= 0) p.push_back(label[d]);
  }
  // Group runs p[i], p[i] + 1, ... into one dim.
  std::vector<int> group_of(kept_dims.size(), -1);
  std::vector<int> run_starts;
  for (size_t i = 0; i < p.size(); ++i) {
    if (i == 0 || p[i] != p[i - 1] + 1) run_starts.push_back(p[i]);
  }
  // Input-order numbering of the runs.
  std::vector<int> sorted = run_starts;
  std::sort(sorted.begin(), sorted.end());
  dims->clear();
  for (int start : sorted) {
    int64_t size = 1;
    int d = start;
    do {
      size *= kept_dims[d];
      ++d;
    } while (d < static_cast<int>(kept_dims.size()) &&
             std::find(run_starts.begin(), run_starts.end(), d) == run_starts.end());
    dims->push_back(size);
  }
  new_perm->clear();
  for (int start : run_starts) {
    new_perm->push_back(
        static_cast<int>(std::lower_bound(sorted.begin(), sorted.end(), start) - sorted.begin()));
  }
}

template <typename S, int N>
void EigenTranspose(const OpKernelContext* ctx, const S* in, const std::vector<int64_t>& dims,
                    const std::vector<int>& perm, S* out) {
  Eigen::DSizes<Eigen::DenseIndex, N> in_d, out_d;
  Eigen::array<Eigen::DenseIndex, N> p;
  for (int k = 0; k < N; ++k) {
    in_d[k] = dims[k];
    out_d[k] = dims[perm[k]];
    p[k] = perm[k];
  }
  Eigen::TensorMap<Eigen::Tensor<const S, N, Eigen::RowMajor, Eigen::DenseIndex>> x(in, in_d);
  Eigen::TensorMap<Eigen::Tensor<S, N, Eigen::RowMajor, Eigen::DenseIndex>> y(out, out_d);
  y.device(ctx->eigen_device()) = x.shuffle(p);
}

template <typename S>
void DoTranspose(const OpKernelContext* ctx, const Tensor& input, const std::vector<int>& perm,
                 Tensor* out) {
  std::vector<int64_t> dims;
  std::vector<int> p;
  ReduceTranspose(input.shape(), perm, &dims, &p);
  const S* in = array::Data<S>(input);
  S* o = array::MutableData<S>(out);
  switch (dims.size()) {
    case 0:
    case 1:
      array::CopyN(in, input.NumElements(), o);
      return;
    case 2:
      EigenTranspose<S, 2>(ctx, in, dims, p, o);
      return;
    case 3:
      EigenTranspose<S, 3>(ctx, in, dims, p, o);
      return;
    case 4:
      EigenTranspose<S, 4>(ctx, in, dims, p, o);
      return;
    case 5:
      EigenTranspose<S, 5>(ctx, in, dims, p, o);
      return;
    case 6:
      EigenTranspose<S, 6>(ctx, in, dims, p, o);
      return;
    case 7:
      EigenTranspose<S, 7>(ctx, in, dims, p, o);
      return;
    case 8:
      EigenTranspose<S, 8>(ctx, in, dims, p, o);
      return;
    default:
      break;
  }
  const std::vector<int64_t> in_strides = array::RowMajorStrides(dims);
  array::StridedView view;
  for (int d : p) {
    view.dims.push_back(dims[d]);
    view.steps.push_back(in_strides[d]);
  }
  array::CopyStrided(ctx, in, std::move(view), o);
}

template <typename S>
class TransposeOp : public OpKernel {
 public:
  explicit TransposeOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const Tensor& perm_t = ctx->input(1);
    if (perm_t.shape().rank() != 1) {
      return InvalidArgumentError("perm must be rank 1, got shape " + perm_t.shape().DebugString());
    }
    const int rank = input.shape().rank();
    if (perm_t.NumElements() != rank) {
      return InvalidArgumentError("transpose expects a vector of size " + std::to_string(rank) +
                                  ". But input(1) is a vector of size " +
                                  std::to_string(perm_t.NumElements()));
    }
    // TensorFlow narrows the permutation to int32.
    std::vector<int> perm;
    for (int64_t v : array::IndexValues(perm_t)) perm.push_back(static_cast<int32_t>(v));
    std::vector<bool> seen(rank, false);
    std::vector<int64_t> out_dims;
    bool is_identity = true;
    for (int i = 0; i < rank; ++i) {
      int d = perm[i];
      if (d < 0) {
        d += rank;
        perm[i] = d;
      }
      if (d < 0 || d >= rank) {
        return InvalidArgumentError(std::to_string(d) + " is out of range [0 .. " +
                                    std::to_string(rank) + ")");
      }
      seen[d] = true;
      out_dims.push_back(input.shape().dim(d));
      is_identity &= d == i;
    }
    for (int i = 0; i < rank; ++i) {
      if (!seen[i]) {
        return InvalidArgumentError(std::to_string(i) + " is missing from {" +
                                    array::JoinInts(perm, ",") + "}.");
      }
    }
    if (rank <= 1 || is_identity) {
      ctx->set_output(0, input);
      return Status::OK();
    }
    ASSIGN_OR_RETURN(TensorShape shape, array::ShapeOf(out_dims));
    if (NonSingletonDimsAlign(input.shape(), perm)) {
      ASSIGN_OR_RETURN(Tensor out, input.Reshaped(shape));
      ctx->set_output(0, std::move(out));
      return Status::OK();
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    if (shape.num_elements() > 0) DoTranspose<S>(ctx, input, perm, out);
    return Status::OK();
  }
};

}  // namespace

void RegisterTransposeKernels(KernelRegistry* r) {
  array::RegisterBySize<TransposeOp>(r, "Transpose");
}

}  // namespace tf1hub
