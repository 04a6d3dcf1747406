// MatMul (transpose_a/transpose_b) and BatchMatMulV2 (adj_x/adj_y, batch
// dims broadcast like numpy) kernels. The products are in matmul_math.h.
//
// Error messages: TensorFlow 2.15 on x86 sends float and bfloat16 products
// to oneDNN, whose shape checks word some errors differently from the Eigen
// kernels that handle the other dtypes; we reproduce both, per dtype.
//   MatMul, float/bfloat16:
//     "In[0] ndims must be >= 2" (for any rank but 2)
//   MatMul, other dtypes:
//     "In[0] and In[1] has different ndims: [3] vs. [2,2]"
//     "In[0] and In[1] ndims must be == 2: 3"
//   MatMul, all dtypes:
//     "Matrix size-incompatible: In[0]: [2,3], In[1]: [4,5]"
//   BatchMatMulV2:
//     "In[0] ndims must be >= 2: 1"
//     "In[0] and In[1] must have compatible batch dimensions: [2,2,3] vs. [3,2,4]"
//     "Matrix size-incompatible: In[0]: [2,2,3], In[1]: [2,2,4]"
//     (float/bfloat16 append the adj flags: "... [2,2,4] 0 0").
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "tf1hub/kernels/broadcast.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/matmul_math.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

class ContextSharder : public matmul::Sharder {
 public:
  explicit ContextSharder(const OpKernelContext* ctx) : ctx_(ctx) {}
  int num_threads() const override { return ctx_->num_threads(); }
  void ParallelFor(int64_t total, int64_t cost_per_unit,
                   const std::function<void(int64_t, int64_t)>& work) const override {
    ctx_->ParallelFor(total, cost_per_unit, work);
  }

 private:
  const OpKernelContext* ctx_;
};

template <typename T>
inline constexpr bool kOneDnnMessages = std::is_same_v<T, float> || std::is_same_v<T, BFloat16>;
template <typename T>
inline constexpr bool kIsComplex = std::is_same_v<T, Complex64> || std::is_same_v<T, Complex128>;

// All our element types are zero when all their bytes are.
void FillZero(Tensor* t) { std::memset(t->mutable_raw_data(), 0, t->TotalBytes()); }

Status SizeIncompatible(const TensorShape& a, const TensorShape& b, std::string suffix = "") {
  return InvalidArgumentError("Matrix size-incompatible: In[0]: " + a.DebugString() +
                              ", In[1]: " + b.DebugString() + suffix);
}

template <typename T>
class MatMulOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    bool ta = false, tb = false;
    RETURN_IF_ERROR(c.GetAttr("transpose_a", &ta));
    RETURN_IF_ERROR(c.GetAttr("transpose_b", &tb));
    return std::unique_ptr<OpKernel>(new MatMulOp(c, ta, tb));
  }

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& a = ctx->input(0);
    const Tensor& b = ctx->input(1);
    const TensorShape& as = a.shape();
    const TensorShape& bs = b.shape();
    if constexpr (kOneDnnMessages<T>) {
      if (as.rank() != 2) return InvalidArgumentError("In[0] ndims must be >= 2");
      if (bs.rank() != 2) return InvalidArgumentError("In[1] ndims must be >= 2");
    } else {
      if (as.rank() != bs.rank()) {
        return InvalidArgumentError("In[0] and In[1] has different ndims: " + as.DebugString() +
                                    " vs. " + bs.DebugString());
      }
      if (as.rank() != 2) {
        return InvalidArgumentError("In[0] and In[1] ndims must be == 2: " +
                                    std::to_string(as.rank()));
      }
    }
    matmul::GemmDims d;
    d.trans_a = trans_a_;
    d.trans_b = trans_b_;
    d.m = as.dim(trans_a_ ? 1 : 0);
    d.k = as.dim(trans_a_ ? 0 : 1);
    d.n = bs.dim(trans_b_ ? 0 : 1);
    if (bs.dim(trans_b_ ? 1 : 0) != d.k) return SizeIncompatible(as, bs);
    ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::Create({d.m, d.n}));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, out_shape));
    if (d.m == 0 || d.n == 0) return Status::OK();
    if (d.k == 0) {
      FillZero(out);
      return Status::OK();
    }
    matmul::Gemm<T>(d, a.flat<T>().data(), b.flat<T>().data(), out->mutable_flat<T>().data(),
                    ContextSharder(ctx));
    return Status::OK();
  }

 private:
  MatMulOp(const KernelConstruction& c, bool ta, bool tb)
      : OpKernel(c), trans_a_(ta), trans_b_(tb) {}
  const bool trans_a_;
  const bool trans_b_;
};

// For each output batch (row-major over `out_batch`), the index of the
// matrix of an input whose batch dims `in_batch` broadcast to it.
std::vector<int64_t> BatchIndices(const std::vector<int64_t>& in_batch,
                                  const std::vector<int64_t>& out_batch) {
  const size_t rank = out_batch.size();
  const size_t pad = rank - in_batch.size();
  std::vector<int64_t> stride(rank, 0);
  int64_t s = 1;
  for (size_t i = rank; i-- > pad;) {
    const int64_t dim = in_batch[i - pad];
    stride[i] = dim == 1 ? 0 : s;
    s *= dim;
  }
  int64_t total = 1;
  for (int64_t dim : out_batch) total *= dim;
  std::vector<int64_t> indices(static_cast<size_t>(total));
  std::vector<int64_t> idx(rank, 0);
  int64_t offset = 0;
  for (int64_t i = 0; i < total; ++i) {
    indices[i] = offset;
    for (size_t d = rank; d-- > 0;) {
      offset += stride[d];
      if (++idx[d] < out_batch[d]) break;
      offset -= stride[d] * out_batch[d];
      idx[d] = 0;
    }
  }
  return indices;
}

template <typename T>
class BatchMatMulV2Op : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    bool adj_x = false, adj_y = false;
    RETURN_IF_ERROR(c.GetAttr("adj_x", &adj_x));
    RETURN_IF_ERROR(c.GetAttr("adj_y", &adj_y));
    return std::unique_ptr<OpKernel>(new BatchMatMulV2Op(c, adj_x, adj_y));
  }

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& x = ctx->input(0);
    const Tensor& y = ctx->input(1);
    const TensorShape& xs = x.shape();
    const TensorShape& ys = y.shape();
    if (xs.rank() < 2) {
      return InvalidArgumentError("In[0] ndims must be >= 2: " + std::to_string(xs.rank()));
    }
    if (ys.rank() < 2) {
      return InvalidArgumentError("In[1] ndims must be >= 2: " + std::to_string(ys.rank()));
    }
    const std::vector<int64_t> x_batch(xs.dims().begin(), xs.dims().end() - 2);
    const std::vector<int64_t> y_batch(ys.dims().begin(), ys.dims().end() - 2);
    const BCast bcast(x_batch, y_batch, /*fewer_dims_optimization=*/false);
    if (!bcast.IsValid()) {
      return InvalidArgumentError("In[0] and In[1] must have compatible batch dimensions: " +
                                  xs.DebugString() + " vs. " + ys.DebugString());
    }
    matmul::GemmDims d;
    d.trans_a = d.conj_a = adj_x_;
    d.trans_b = d.conj_b = adj_y_;
    if constexpr (!kIsComplex<T>) d.conj_a = d.conj_b = false;
    const int xr = xs.rank(), yr = ys.rank();
    d.m = xs.dim(adj_x_ ? xr - 1 : xr - 2);
    d.k = xs.dim(adj_x_ ? xr - 2 : xr - 1);
    d.n = ys.dim(adj_y_ ? yr - 2 : yr - 1);
    if (ys.dim(adj_y_ ? yr - 1 : yr - 2) != d.k) {
      std::string suffix;
      if constexpr (kOneDnnMessages<T>) {
        suffix = std::string(" ") + (adj_x_ ? "1" : "0") + " " + (adj_y_ ? "1" : "0");
      }
      return SizeIncompatible(xs, ys, suffix);
    }
    std::vector<int64_t> out_dims = bcast.output_shape();
    const size_t batch_rank = out_dims.size();
    out_dims.push_back(d.m);
    out_dims.push_back(d.n);
    ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::Create(out_dims));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, out_shape));
    if (out->NumElements() == 0) return Status::OK();
    if (d.k == 0) {
      FillZero(out);
      return Status::OK();
    }
    const std::vector<int64_t> batch_dims(out_dims.begin(), out_dims.begin() + batch_rank);
    const int64_t batch = out->NumElements() / (d.m * d.n);
    // Inputs that already have every output batch need no index table.
    std::vector<int64_t> x_index, y_index;
    if (x.NumElements() / (d.m * d.k) != batch) x_index = BatchIndices(x_batch, batch_dims);
    if (y.NumElements() / (d.k * d.n) != batch) y_index = BatchIndices(y_batch, batch_dims);
    matmul::BatchGemm<T>(d, batch, x.flat<T>().data(), x_index.empty() ? nullptr : x_index.data(),
                         y.flat<T>().data(), y_index.empty() ? nullptr : y_index.data(),
                         out->mutable_flat<T>().data(), ContextSharder(ctx));
    return Status::OK();
  }

 private:
  BatchMatMulV2Op(const KernelConstruction& c, bool adj_x, bool adj_y)
      : OpKernel(c), adj_x_(adj_x), adj_y_(adj_y) {}
  const bool adj_x_;
  const bool adj_y_;
};

template <template <typename> class K, typename... Ts>
void RegisterEach(KernelRegistry* r, const char* op) {
  (r->Register(op, {{"T", {DataTypeOf<Ts>::value}}}, MakeKernelFactory<K<Ts>>()), ...);
}

}  // namespace

void RegisterMatMulKernels(KernelRegistry* registry) {
  RegisterEach<MatMulOp, BFloat16, Half, float, double, int32_t, int64_t, uint8_t, uint16_t,
               uint32_t, uint64_t, Complex64, Complex128>(registry, "MatMul");
  RegisterEach<BatchMatMulV2Op, BFloat16, Half, float, double, int16_t, int32_t, int64_t, uint8_t,
               uint16_t, uint32_t, uint64_t, Complex64, Complex128>(registry, "BatchMatMulV2");
}

}  // namespace tf1hub
