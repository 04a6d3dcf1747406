// Reduction kernels: Sum, Mean, Prod, Max, Min over `reduction_indices`
// (int32 or int64, scalar or any shape, negative axes allowed), with
// keep_dims. ArgMax/ArgMin live in reduction_ops_argminmax.cc.
//
// Planning (reduction_helpers.h) turns every reduction into a small-rank
// form. Floating and complex types reduce with Eigen (reduction_ops_eigen.cc);
// integers with the loops below, in unsigned arithmetic so sums and
// products wrap modulo 2^bits as TensorFlow's do. Integer Mean sums 8-32 bit
// types in 64 bits and truncates the quotient (TensorFlow's casting
// specialisation), int64 sums wrap.
//
// Empty reductions give the reducer's identity: Sum 0, Prod 1, Max -inf (or
// the lowest integer), Min +inf (or the highest), Mean NaN for half,
// bfloat16, float and double and 0 for integers and complex.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/reduction_helpers.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

using reduction::Plan;
using reduction::Reducer;

// ---- Integer reductions.

// Wide unsigned accumulator: sums and products wrap like T.
template <typename T>
using WrapAcc = std::conditional_t<(sizeof(T) > 4), uint64_t, uint32_t>;

template <typename T, Reducer R>
struct IntReduce {
  using Acc = std::conditional_t<R == Reducer::kMax || R == Reducer::kMin, T,
                                 std::conditional_t<R == Reducer::kMean, uint64_t, WrapAcc<T>>>;
  static Acc Init() {
    if constexpr (R == Reducer::kProd) return Acc{1};
    if constexpr (R == Reducer::kMax) return std::numeric_limits<T>::lowest();
    if constexpr (R == Reducer::kMin) return std::numeric_limits<T>::max();
    return Acc{0};
  }
  static Acc Step(Acc acc, T x) {
    if constexpr (R == Reducer::kProd) return static_cast<Acc>(acc * static_cast<Acc>(x));
    if constexpr (R == Reducer::kMax) return std::max(acc, x);
    if constexpr (R == Reducer::kMin) return std::min(acc, x);
    return static_cast<Acc>(acc + static_cast<Acc>(x));  // kSum, kMean (sign-extended)
  }
  static T Finish(Acc acc, int64_t count) {
    if constexpr (R == Reducer::kMean) {
      if constexpr (std::is_signed_v<T>) {
        return static_cast<T>(static_cast<int64_t>(acc) / count);
      } else {
        return static_cast<T>(acc / static_cast<uint64_t>(count));
      }
    } else {
      return static_cast<T>(acc);
    }
  }
};

template <typename T, Reducer R>
void IntReduceForm(OpKernelContext* ctx, const Plan& p, const T* in, T* out) {
  using Op = IntReduce<T, R>;
  using Acc = typename Op::Acc;
  const int64_t count = p.reduced;
  // [reduced, inner] -> [inner] for columns [c0, c1).
  auto columns = [count](const T* block, T* dst, int64_t inner, int64_t c0, int64_t c1) {
    std::vector<Acc> acc(static_cast<size_t>(c1 - c0), Op::Init());
    for (int64_t r = 0; r < count; ++r) {
      const T* row = block + r * inner;
      for (int64_t c = c0; c < c1; ++c) acc[c - c0] = Op::Step(acc[c - c0], row[c]);
    }
    for (int64_t c = c0; c < c1; ++c) dst[c] = Op::Finish(acc[c - c0], count);
  };
  switch (p.form) {
    case Plan::kAll:
    case Plan::kInner:
    case Plan::kGeneral: {
      const int64_t rows = p.form == Plan::kAll ? 1 : p.outer;
      ctx->ParallelFor(rows, count, [&](int64_t b, int64_t e) {
        for (int64_t o = b; o < e; ++o) {
          const T* row = in + o * count;
          Acc acc = Op::Init();
          for (int64_t r = 0; r < count; ++r) acc = Op::Step(acc, row[r]);
          out[o] = Op::Finish(acc, count);
        }
      });
      break;
    }
    case Plan::kOuter:
      ctx->ParallelFor(p.inner, count,
                       [&](int64_t b, int64_t e) { columns(in, out, p.inner, b, e); });
      break;
    case Plan::kMiddle:
      ctx->ParallelFor(p.outer, count * p.inner, [&](int64_t b, int64_t e) {
        for (int64_t o = b; o < e; ++o) {
          columns(in + o * count * p.inner, out + o * p.inner, p.inner, 0, p.inner);
        }
      });
      break;
    case Plan::kCopy:
      break;
  }
}

// ---- Identities for empty reductions.

template <typename T>
T FromFloat(double v) {
  if constexpr (std::is_same_v<T, Half>) {
    return Half{std::bit_cast<uint16_t>(Eigen::half(static_cast<float>(v)))};
  } else if constexpr (std::is_same_v<T, BFloat16>) {
    return BFloat16{std::bit_cast<uint16_t>(Eigen::bfloat16(static_cast<float>(v)))};
  } else {
    return static_cast<T>(v);
  }
}

template <typename T>
inline constexpr bool kIsComplex = std::is_same_v<T, Complex64> || std::is_same_v<T, Complex128>;
template <typename T>
inline constexpr bool kIsFloating =
    std::is_floating_point_v<T> || std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

template <typename T, Reducer R>
T Identity() {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if constexpr (R == Reducer::kProd) return FromFloat<T>(1.0);
  if constexpr (R == Reducer::kMean && kIsFloating<T>) {
    return FromFloat<T>(std::numeric_limits<double>::quiet_NaN());
  }
  if constexpr (R == Reducer::kMax || R == Reducer::kMin) {
    const bool max = R == Reducer::kMax;
    if constexpr (kIsFloating<T>) {
      return FromFloat<T>(max ? -kInf : kInf);
    } else if constexpr (!kIsComplex<T>) {
      return max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
    }
  }
  return FromFloat<T>(0.0);
}

// ---- The kernel.

template <typename T, Reducer R>
class ReductionOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    bool keep_dims = false;
    RETURN_IF_ERROR(c.GetAttr("keep_dims", &keep_dims));
    return std::unique_ptr<OpKernel>(new ReductionOp(c, keep_dims));
  }

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& in = ctx->input(0);
    ASSIGN_OR_RETURN(Plan plan, reduction::PlanReduction(in.shape(), ctx->input(1), keep_dims_));
    if (plan.form == Plan::kCopy) {
      // Nothing to reduce (no axes, or only size-1 dims): share the buffer.
      ASSIGN_OR_RETURN(Tensor out, in.Reshaped(plan.out_shape));
      ctx->set_output(0, std::move(out));
      return Status::OK();
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, plan.out_shape));
    if (out->NumElements() == 0) return Status::OK();
    T* dst = out->mutable_flat<T>().data();
    if (plan.reduced == 0) {
      std::fill(dst, dst + out->NumElements(), Identity<T, R>());
      return Status::OK();
    }
    const T* src = in.flat<T>().data();
    Tensor shuffled;
    if (plan.form == Plan::kGeneral) {
      ASSIGN_OR_RETURN(shuffled, Tensor::Create(in.dtype(), in.shape()));
      reduction::TransposeKeptFirst(plan, src, shuffled.mutable_raw_data(), sizeof(T));
      src = shuffled.flat<T>().data();
    }
    if constexpr (std::is_integral_v<T>) {
      IntReduceForm<T, R>(ctx, plan, src, dst);
    } else {
      reduction::EigenReduce<T>(R, plan, src, dst, ctx->eigen_device());
    }
    return Status::OK();
  }

 private:
  ReductionOp(const KernelConstruction& c, bool keep_dims) : OpKernel(c), keep_dims_(keep_dims) {}
  const bool keep_dims_;
};

template <Reducer R, typename T>
void RegisterOne(KernelRegistry* r, const char* op) {
  r->Register(op, {{"T", {DataTypeOf<T>::value}}}, MakeKernelFactory<ReductionOp<T, R>>());
}

// Every real type TensorFlow's Max/Min allow (quantized types aside).
template <Reducer R>
void RegisterReal(KernelRegistry* r, const char* op) {
  RegisterOne<R, float>(r, op);
  RegisterOne<R, double>(r, op);
  RegisterOne<R, Half>(r, op);
  RegisterOne<R, BFloat16>(r, op);
  RegisterOne<R, int8_t>(r, op);
  RegisterOne<R, int16_t>(r, op);
  RegisterOne<R, int32_t>(r, op);
  RegisterOne<R, int64_t>(r, op);
  RegisterOne<R, uint8_t>(r, op);
  RegisterOne<R, uint16_t>(r, op);
  RegisterOne<R, uint32_t>(r, op);
  RegisterOne<R, uint64_t>(r, op);
}

// Sum, Mean, Prod also take complex types.
template <Reducer R>
void RegisterNumeric(KernelRegistry* r, const char* op) {
  RegisterReal<R>(r, op);
  RegisterOne<R, Complex64>(r, op);
  RegisterOne<R, Complex128>(r, op);
}

}  // namespace

void RegisterReductionKernels(KernelRegistry* registry) {
  RegisterNumeric<Reducer::kSum>(registry, "Sum");
  RegisterNumeric<Reducer::kMean>(registry, "Mean");
  RegisterNumeric<Reducer::kProd>(registry, "Prod");
  RegisterReal<Reducer::kMax>(registry, "Max");
  RegisterReal<Reducer::kMin>(registry, "Min");
  reduction::RegisterArgMinMaxKernels(registry);
}

}  // namespace tf1hub
