// Select (TensorFlow 1 semantics) and SelectV2 (numpy broadcasting).
//
// Select(condition, t, e): t and e have one shape; condition is a scalar
// (the whole of t or e is chosen), a vector of t's first dim (whole rows
// chosen, when t is not a vector itself) or t's shape (element-wise).
// SelectV2 broadcasts all three to one shape.
//
// Selection only moves elements, so kernels are instantiated per element
// size (1, 2, 4, 8, 16 bytes) plus std::string, not per dtype.
#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "tf1hub/kernels/broadcast.h"
#include "tf1hub/kernels/cwise_ops_common.h"

namespace tf1hub {
namespace cwise {
namespace {

// SelectV2 handles at most 8 reduced dims, as TensorFlow does.
constexpr size_t kMaxSelectRank = 8;

// A 16-byte trivially copyable element (complex128).
struct Bytes16 {
  uint64_t lo, hi;
};

std::string SameSizeError(const TensorShape& t, const TensorShape& e) {
  return "'then' and 'else' must have the same size.  but received: " + t.DebugString() + " vs. " +
         e.DebugString();
}

// out[j] = cond[j * c_step] ? then[j * t_step] : else_[j * e_step], j < n;
// steps are 0 (one repeated element) or 1. `out` may be `then` or `else_`
// (element j is read before it is written). Arguments by value: through
// the kernels' captured references the compiler would reload them per
// element, since stores to `out` may alias them.
template <typename S>
void SelectRun(const bool* cond, int64_t c_step, const S* then, int64_t t_step, const S* else_,
               int64_t e_step, S* out, int64_t n) {
  if (c_step == 1 && t_step == 1 && e_step == 1) {
    // No branch on the condition, which mispredicts on mixed data.
    if constexpr (std::is_unsigned_v<S>) {
      // A mask from each condition byte: the compiler vectorises this.
      const auto* c = reinterpret_cast<const uint8_t*>(cond);
      for (int64_t j = 0; j < n; ++j) {
        const S mask = S(0) - static_cast<S>(c[j] != 0);
        out[j] = (then[j] & mask) | (else_[j] & ~mask);
      }
      return;
    } else if constexpr (std::is_trivially_copyable_v<S>) {
      for (int64_t j = 0; j < n; ++j) {
        const S t = then[j];
        const S e = else_[j];
        out[j] = cond[j] ? t : e;
      }
      return;
    }
  }
  for (int64_t j = 0; j < n; ++j) {
    out[j] = cond[j * c_step] ? then[j * t_step] : else_[j * e_step];
  }
}

template <typename S>
class SelectOp : public OpKernel {
 public:
  explicit SelectOp(const KernelConstruction& c) : OpKernel(c) {}

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& cond = ctx->input(0);
    const Tensor& t = ctx->input(1);
    const Tensor& e = ctx->input(2);
    if (cond.shape().IsScalar()) {
      if (!(t.shape() == e.shape()))
        return InvalidArgumentError(SameSizeError(t.shape(), e.shape()));
      // The whole of one input: share its buffer.
      ctx->set_output(0, cond.scalar<bool>() ? t : e);
      return Status::OK();
    }
    if (cond.shape().rank() == 1 && t.shape().rank() != 1) return ComputeBatch(ctx, cond, t, e);
    return ComputeElementwise(ctx, cond, t, e);
  }

 private:
  // condition[i] picks row i of t or e.
  Status ComputeBatch(OpKernelContext* ctx, const Tensor& cond, const Tensor& t, const Tensor& e) {
    if (t.shape().rank() == 0) {
      return InvalidArgumentError("'then' must be at least a vector, but saw shape: " +
                                  t.shape().DebugString());
    }
    if (t.shape().dim(0) != cond.NumElements()) {
      return InvalidArgumentError(
          "Number of batches of 'then' must match size of 'cond', but saw: " +
          std::to_string(t.shape().dim(0)) + " vs. " + std::to_string(cond.NumElements()));
    }
    if (!(t.shape() == e.shape())) return InvalidArgumentError(SameSizeError(t.shape(), e.shape()));
    const S* tp = Data<S>(t);
    const S* ep = Data<S>(e);
    const bool* cp = Data<bool>(cond);
    ASSIGN_OR_RETURN(Tensor * out, ForwardOrAllocate(ctx, {1, 2}, t.shape()));
    const int64_t n = t.NumElements();
    if (n == 0) return Status::OK();
    const int64_t rows = cond.NumElements();
    const int64_t inner = n / rows;
    S* op = MutableData<S>(out);
    ctx->ParallelFor(rows, inner + 1, [&](int64_t b, int64_t end) {
      for (int64_t r = b; r < end; ++r) {
        const S* src = (cp[r] ? tp : ep) + r * inner;
        S* dst = op + r * inner;
        if (src != dst) std::copy(src, src + inner, dst);
      }
    });
    return Status::OK();
  }

  Status ComputeElementwise(OpKernelContext* ctx, const Tensor& cond, const Tensor& t,
                            const Tensor& e) {
    for (int i = 1; i < 3; ++i) {
      const TensorShape& s = ctx->input(i).shape();
      if (!(s == cond.shape())) {
        return InvalidArgumentError(
            "Inputs to operation " + name() + " of type " + type_string() +
            " must have the same size and shape.  Input 0: " + cond.shape().DebugString() +
            " != input " + std::to_string(i) + ": " + s.DebugString());
      }
    }
    const S* tp = Data<S>(t);
    const S* ep = Data<S>(e);
    const bool* cp = Data<bool>(cond);
    ASSIGN_OR_RETURN(Tensor * out, ForwardOrAllocate(ctx, {1, 2}, t.shape()));
    S* op = MutableData<S>(out);
    ctx->ParallelFor(t.NumElements(), 2, [&](int64_t b, int64_t end) {
      SelectRun(cp + b, 1, tp + b, 1, ep + b, 1, op + b, end - b);
    });
    return Status::OK();
  }
};

// Strides (0 where broadcast) of each input over the reduced output dims.
std::vector<int64_t> Strides(const std::vector<int64_t>& reshape,
                             const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size());
  int64_t stride = 1;
  for (size_t k = dims.size(); k-- > 0;) {
    strides[k] = (reshape[k] == 1 && dims[k] != 1) ? 0 : stride;
    stride *= reshape[k];
  }
  return strides;
}

template <typename S>
class SelectV2Op : public OpKernel {
 public:
  explicit SelectV2Op(const KernelConstruction& c) : OpKernel(c) {}

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& cond = ctx->input(0);
    const Tensor& t = ctx->input(1);
    const Tensor& e = ctx->input(2);
    const BCastList b({cond.shape().dims(), t.shape().dims(), e.shape().dims()});
    if (!b.IsValid()) {
      return InvalidArgumentError("condition " + cond.shape().DebugString() + ", then " +
                                  t.shape().DebugString() + ", and else " +
                                  e.shape().DebugString() + " must be broadcastable");
    }
    ASSIGN_OR_RETURN(TensorShape shape, BCastOutputShape(b));
    const int64_t n = shape.num_elements();
    const std::vector<int64_t>& dims = b.result_shape();
    if (n > 0 && dims.size() > kMaxSelectRank) {
      return UnimplementedError("Broadcast between " + cond.shape().DebugString() + " and " +
                                t.shape().DebugString() + " is not supported yet.");
    }
    const bool* cp = Data<bool>(cond);
    const S* tp = Data<S>(t);
    const S* ep = Data<S>(e);
    ASSIGN_OR_RETURN(Tensor * out, ForwardOrAllocate(ctx, {1, 2}, shape));
    if (n == 0) return Status::OK();
    S* op = MutableData<S>(out);
    const int rank = static_cast<int>(dims.size());
    const std::vector<int64_t> cs = Strides(b.reshape(0), dims);
    const std::vector<int64_t> ts = Strides(b.reshape(1), dims);
    const std::vector<int64_t> es = Strides(b.reshape(2), dims);
    const int64_t inner = dims[rank - 1];
    const int64_t c_step = cs[rank - 1] ? 1 : 0;
    const int64_t t_step = ts[rank - 1] ? 1 : 0;
    const int64_t e_step = es[rank - 1] ? 1 : 0;
    ctx->ParallelFor(n, 3, [&](int64_t begin, int64_t end) {
      int64_t i = begin;
      while (i < end) {
        int64_t row = i / inner;
        const int64_t col = i - row * inner;
        const int64_t len = std::min(inner - col, end - i);
        int64_t co = col * c_step, to = col * t_step, eo = col * e_step;
        for (int d = rank - 2; d >= 0 && row > 0; --d) {
          const int64_t idx = row % dims[d];
          row /= dims[d];
          co += idx * cs[d];
          to += idx * ts[d];
          eo += idx * es[d];
        }
        SelectRun(cp + co, c_step, tp + to, t_step, ep + eo, e_step, op + i, len);
        i += len;
      }
    });
    return Status::OK();
  }
};

template <typename S>
void RegisterSelectFor(KernelRegistry* r, std::vector<DataType> dtypes) {
  r->Register("Select", {{"T", dtypes}}, MakeKernelFactory<SelectOp<S>>());
  r->Register("SelectV2", {{"T", dtypes}}, MakeKernelFactory<SelectV2Op<S>>());
}

}  // namespace

void RegisterSelectKernels(KernelRegistry* r) {
  RegisterSelectFor<uint8_t>(r, {DataType::kBool, DataType::kInt8, DataType::kUint8});
  RegisterSelectFor<uint16_t>(
      r, {DataType::kInt16, DataType::kUint16, DataType::kHalf, DataType::kBfloat16});
  RegisterSelectFor<uint32_t>(r, {DataType::kFloat, DataType::kInt32, DataType::kUint32});
  RegisterSelectFor<uint64_t>(
      r, {DataType::kDouble, DataType::kInt64, DataType::kUint64, DataType::kComplex64});
  RegisterSelectFor<Bytes16>(r, {DataType::kComplex128});
  RegisterSelectFor<std::string>(r, {DataType::kString});
}

}  // namespace cwise
}  // namespace tf1hub
