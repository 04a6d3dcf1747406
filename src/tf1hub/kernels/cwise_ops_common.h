// Shared machinery of the element-wise kernels (cwise_ops_binary.cc,
// cwise_ops_unary.cc, cwise_ops_compare.cc, cwise_ops_select.cc,
// cwise_ops_cast.cc): kernel templates for unary and binary ops, the
// broadcasting plan, in-place forwarding and registration helpers.
//
// A binary op is planned from its input shapes (PlanBinary, shared code)
// into one of:
//   * kSame: same element count and no broadcasting: out[i] = f(x[i], y[i]);
//   * kScalarX / kScalarY: one side has one element: a vector op against a
//     constant;
//   * kBroadcast: TensorFlow's reduced-rank broadcast (BCast). The output is
//     walked in runs along its innermost reduced dim, where each input is
//     either contiguous or one repeated element, so every run is again one
//     of the three vector forms above. This covers every rank with the same
//     three loops; TensorFlow's limit of 5 reduced dims is kept as its error.
// Vector forms run as Eigen expressions (SIMD through the functor's
// packetOp) when the functor vectorises, as plain loops otherwise (bool
// results, strings, integer division), split over the intra-op pool.
// Outputs reuse an input's buffer when the executor hands over its only
// reference (same dtype and element count).
//
// Thread safety: kernels keep no mutable state.
#ifndef TF1HUB_KERNELS_CWISE_OPS_COMMON_H_
#define TF1HUB_KERNELS_CWISE_OPS_COMMON_H_

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/kernels/broadcast.h"
#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {
namespace cwise {

// ---- Data access with Eigen element types.

template <typename E>
const E* Data(const Tensor& t) {
  return static_cast<const E*>(t.raw_data());
}
template <typename E>
E* MutableData(Tensor* t) {
  return static_cast<E*>(t->mutable_raw_data());
}

// ---- Vector primitives.

template <typename F, typename In, typename Out>
inline constexpr bool kVectorizable =
    std::is_same_v<In, Out>&& bool(Eigen::internal::functor_traits<F>::PacketAccess) &&
    bool(Eigen::internal::packet_traits<In>::Vectorizable);

template <typename E>
using ConstVecMap = Eigen::TensorMap<Eigen::Tensor<const E, 1, Eigen::RowMajor, Eigen::DenseIndex>>;
template <typename E>
using VecMap = Eigen::TensorMap<Eigen::Tensor<E, 1, Eigen::RowMajor, Eigen::DenseIndex>>;

// out[i] = f(in[i]), i < n. `out` may alias `in`.
template <typename F, typename In, typename Out>
void ApplyUnary(const F& f, const In* in, Out* out, int64_t n) {
  if constexpr (kVectorizable<F, In, Out>) {
    VecMap<Out>(out, n) = ConstVecMap<In>(in, n).unaryExpr(f);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = f(in[i]);
  }
}
// out[i] = f(x[i], y[i]).
template <typename F, typename In, typename Out>
void ApplyVV(const F& f, const In* x, const In* y, Out* out, int64_t n) {
  if constexpr (kVectorizable<F, In, Out>) {
    VecMap<Out>(out, n) = ConstVecMap<In>(x, n).binaryExpr(ConstVecMap<In>(y, n), f);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = f(x[i], y[i]);
  }
}
// out[i] = f(x, y[i]).
template <typename F, typename In, typename Out>
void ApplySV(const F& f, const In& x, const In* y, Out* out, int64_t n) {
  if constexpr (kVectorizable<F, In, Out>) {
    ConstVecMap<In> ym(y, n);
    VecMap<Out>(out, n) = ym.constant(x).binaryExpr(ym, f);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = f(x, y[i]);
  }
}
// out[i] = f(x[i], y).
template <typename F, typename In, typename Out>
void ApplyVS(const F& f, const In* x, const In& y, Out* out, int64_t n) {
  if constexpr (kVectorizable<F, In, Out>) {
    ConstVecMap<In> xm(x, n);
    VecMap<Out>(out, n) = xm.binaryExpr(xm.constant(y), f);
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = f(x[i], y);
  }
}

// Rough cycles per element for ParallelFor.
template <typename F>
constexpr int64_t CostPerElement() {
  return std::max<int64_t>(1, Eigen::internal::functor_traits<F>::Cost) + 1;
}

// ---- Shapes and outputs (cwise_ops_common.cc).

struct BinaryPlan {
  enum Kind { kSame, kScalarX, kScalarY, kBroadcast, kIncompatible };
  Kind kind = kSame;
  TensorShape out_shape;
  // kBroadcast: the reduced output dims and each input's element stride per
  // reduced dim (0 where it is broadcast).
  std::vector<int64_t> dims, x_strides, y_strides;
};

// Plans out = f(x, y). Invalid broadcasts give kind kIncompatible (the
// kernel chooses the error or Equal's incompatible_shape_error=false
// result); more than 5 reduced dims with a non-empty output give
// TensorFlow's Unimplemented "Broadcast between [..] and [..] is not
// supported yet.".
Status PlanBinary(const TensorShape& x, const TensorShape& y, BinaryPlan* plan);

// Output 0 of `shape`, reusing the first of `inputs` whose buffer can be
// written in place (only reference, same dtype and element count).
StatusOr<Tensor*> ForwardOrAllocate(OpKernelContext* ctx, std::initializer_list<int> inputs,
                                    const TensorShape& shape);

// Walks output elements [begin, end) of a kBroadcast plan in runs along the
// innermost reduced dim; calls run(out_offset, x_offset, x_step, y_offset,
// y_step, length) with steps 0 (repeated element) or 1 (contiguous).
template <typename Run>
void ForEachBroadcastRun(const BinaryPlan& p, int64_t begin, int64_t end, const Run& run) {
  const int rank = static_cast<int>(p.dims.size());
  const int64_t inner = p.dims[rank - 1];
  const int64_t x_step = p.x_strides[rank - 1] == 0 ? 0 : 1;
  const int64_t y_step = p.y_strides[rank - 1] == 0 ? 0 : 1;
  int64_t i = begin;
  while (i < end) {
    int64_t row = i / inner;
    const int64_t col = i - row * inner;
    const int64_t len = std::min(inner - col, end - i);
    int64_t xo = col * x_step, yo = col * y_step;
    for (int d = rank - 2; d >= 0 && row > 0; --d) {
      const int64_t idx = row % p.dims[d];
      row /= p.dims[d];
      xo += idx * p.x_strides[d];
      yo += idx * p.y_strides[d];
    }
    run(i, xo, x_step, yo, y_step, len);
    i += len;
  }
}

// out = f(x, y) for a planned binary op with non-empty output.
template <typename F, typename In, typename Out>
void RunBinary(OpKernelContext* ctx, const F& f, const BinaryPlan& p, const In* x, const In* y,
               Out* out, int64_t n) {
  constexpr int64_t kCost = CostPerElement<F>();
  switch (p.kind) {
    case BinaryPlan::kSame:
      ctx->ParallelFor(n, kCost,
                       [&](int64_t b, int64_t e) { ApplyVV(f, x + b, y + b, out + b, e - b); });
      return;
    case BinaryPlan::kScalarX: {
      const In xs = x[0];
      ctx->ParallelFor(n, kCost,
                       [&](int64_t b, int64_t e) { ApplySV(f, xs, y + b, out + b, e - b); });
      return;
    }
    case BinaryPlan::kScalarY: {
      const In ys = y[0];
      ctx->ParallelFor(n, kCost,
                       [&](int64_t b, int64_t e) { ApplyVS(f, x + b, ys, out + b, e - b); });
      return;
    }
    case BinaryPlan::kBroadcast:
      ctx->ParallelFor(n, kCost, [&](int64_t b, int64_t e) {
        ForEachBroadcastRun(
            p, b, e, [&](int64_t o, int64_t xo, int64_t xs, int64_t yo, int64_t ys, int64_t len) {
              if (xs == 0) {
                ApplySV(f, x[xo], y + yo, out + o, len);
              } else if (ys == 0) {
                ApplyVS(f, x + xo, y[yo], out + o, len);
              } else {
                ApplyVV(f, x + xo, y + yo, out + o, len);
              }
            });
      });
      return;
    case BinaryPlan::kIncompatible:
      return;
  }
}

// ---- Checks on the right operand before computing (integer division and
// powers), run only when the output is not empty.

struct NoCheck {
  template <typename E>
  static Status Run(const E*, int64_t) {
    return Status::OK();
  }
};
struct NonZeroDivisor {
  template <typename E>
  static Status Run(const E* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      if (y[i] == E(0)) return InvalidArgumentError("Integer division by zero");
    }
    return Status::OK();
  }
};
struct NonNegativeExponent {
  template <typename E>
  static Status Run(const E* y, int64_t n) {
    if constexpr (std::is_signed_v<E>) {
      for (int64_t i = 0; i < n; ++i) {
        if (y[i] < 0)
          return InvalidArgumentError("Integers to negative integer powers are not allowed");
      }
    }
    return Status::OK();
  }
};

// ---- Kernels. In/Out are Eigen element types.

template <typename In, typename Out, typename F, typename Check = NoCheck>
class BinaryCwiseOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    bool strict = true;
    if (c.HasAttr("incompatible_shape_error")) {
      RETURN_IF_ERROR(c.GetAttr("incompatible_shape_error", &strict));
    }
    return std::unique_ptr<OpKernel>(new BinaryCwiseOp(c, strict, c.op() == "NotEqual"));
  }

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& x = ctx->input(0);
    const Tensor& y = ctx->input(1);
    BinaryPlan plan;
    RETURN_IF_ERROR(PlanBinary(x.shape(), y.shape(), &plan));
    if (plan.kind == BinaryPlan::kIncompatible) {
      if (strict_) return IncompatibleShapesError(x.shape(), y.shape());
      // Equal/NotEqual with incompatible_shape_error=false: a scalar.
      ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, TensorShape()));
      if constexpr (std::is_same_v<Out, bool>) MutableData<bool>(out)[0] = incompatible_value_;
      return Status::OK();
    }
    const int64_t n = plan.out_shape.num_elements();
    if (n > 0) RETURN_IF_ERROR(Check::Run(Data<In>(y), y.NumElements()));
    // Inputs the output may overwrite: those with all of its elements.
    Tensor* out;
    switch (plan.kind) {
      case BinaryPlan::kScalarX: {
        ASSIGN_OR_RETURN(out, ForwardOrAllocate(ctx, {1}, plan.out_shape));
        break;
      }
      case BinaryPlan::kScalarY: {
        ASSIGN_OR_RETURN(out, ForwardOrAllocate(ctx, {0}, plan.out_shape));
        break;
      }
      default: {
        ASSIGN_OR_RETURN(out, ForwardOrAllocate(ctx, {0, 1}, plan.out_shape));
        break;
      }
    }
    if (n == 0) return Status::OK();
    // Read the inputs through pointers taken before any forwarding: the
    // forwarded buffer is the same memory.
    RunBinary(ctx, F(), plan, Data<In>(x), Data<In>(y), MutableData<Out>(out), n);
    return Status::OK();
  }

 private:
  BinaryCwiseOp(const KernelConstruction& c, bool strict, bool incompatible_value)
      : OpKernel(c), strict_(strict), incompatible_value_(incompatible_value) {}

  const bool strict_;
  const bool incompatible_value_;
};

template <typename In, typename Out, typename F>
class UnaryCwiseOp : public OpKernel {
 public:
  explicit UnaryCwiseOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    const Tensor& x = ctx->input(0);
    const In* in = Data<In>(x);
    ASSIGN_OR_RETURN(Tensor * y, ForwardOrAllocate(ctx, {0}, x.shape()));
    Out* out = MutableData<Out>(y);
    const F f;
    ctx->ParallelFor(x.NumElements(), CostPerElement<F>(),
                     [&](int64_t b, int64_t e) { ApplyUnary(f, in + b, out + b, e - b); });
    return Status::OK();
  }
};

// Output = input, sharing the buffer (Round on integers).
class IdentityCwiseOp : public OpKernel {
 public:
  explicit IdentityCwiseOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext* ctx) override {
    ctx->set_output(0, ctx->input(0));
    return Status::OK();
  }
};

// ---- Registration helpers. `FunctorFor<E>` names the functor for Eigen
// element type E; T is tf1hub's element type (Half, BFloat16, ...).

template <typename... Ts>
struct Types {};

template <template <typename> class FunctorFor, typename... Ts>
void RegisterUnary(KernelRegistry* r, const std::string& op, Types<Ts...>) {
  (r->Register(op, {{"T", {DataTypeOf<Ts>::value}}},
               MakeKernelFactory<UnaryCwiseOp<EigenT<Ts>, EigenT<Ts>, FunctorFor<EigenT<Ts>>>>()),
   ...);
}

template <typename E>
using NoCheckFor = NoCheck;

// Binary ops whose output type is the input type. `CheckFor<E>` picks the
// right-operand check.
template <template <typename> class FunctorFor, template <typename> class CheckFor = NoCheckFor,
          typename... Ts>
void RegisterBinary(KernelRegistry* r, const std::string& op, Types<Ts...>) {
  (r->Register(
       op, {{"T", {DataTypeOf<Ts>::value}}},
       MakeKernelFactory<
           BinaryCwiseOp<EigenT<Ts>, EigenT<Ts>, FunctorFor<EigenT<Ts>>, CheckFor<EigenT<Ts>>>>()),
   ...);
}

// Comparisons: bool output. `dtype` overrides T's dtype (quantized types
// compare as their storage integers).
template <template <typename> class FunctorFor, typename T>
void RegisterCompareOne(KernelRegistry* r, const std::string& op,
                        DataType dtype = DataTypeOf<T>::value) {
  r->Register(op, {{"T", {dtype}}},
              MakeKernelFactory<BinaryCwiseOp<EigenT<T>, bool, FunctorFor<EigenT<T>>>>());
}
template <template <typename> class FunctorFor, typename... Ts>
void RegisterCompare(KernelRegistry* r, const std::string& op, Types<Ts...>) {
  (RegisterCompareOne<FunctorFor, Ts>(r, op), ...);
}

// Common dtype lists (tf1hub element types).
using FloatTypes = Types<Half, BFloat16, float, double>;
using ComplexTypes = Types<Complex64, Complex128>;
using FloatComplexTypes = Types<Half, BFloat16, float, double, Complex64, Complex128>;
using SignedIntTypes = Types<int8_t, int16_t, int32_t, int64_t>;
using UnsignedIntTypes = Types<uint8_t, uint16_t, uint32_t, uint64_t>;
using RealNumberTypes = Types<Half, BFloat16, float, double, int8_t, int16_t, int32_t, int64_t,
                              uint8_t, uint16_t, uint32_t, uint64_t>;

// Families in other files of this group.
void RegisterCastKernel(KernelRegistry* r);     // cwise_ops_cast.cc
void RegisterSelectKernels(KernelRegistry* r);  // cwise_ops_select.cc

}  // namespace cwise
}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_CWISE_OPS_COMMON_H_
