// Element-wise unary math: Neg, Abs, Square, Sqrt, Rsqrt, Exp, Log, Log1p,
// Tanh, Sigmoid, Sign, Reciprocal, Floor, Ceil, Round, Cos, Sin,
// LogicalNot, plus Cast (cwise_ops_cast.cc). Floating functions are Eigen's
// functors, the ones TensorFlow's kernels use, so float results agree.
// dtypes are TensorFlow 2.15's CPU registrations.
#include <type_traits>

#include "tf1hub/kernels/cwise_functors.h"
#include "tf1hub/kernels/cwise_ops_common.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

using namespace cwise;  // NOLINT(build/namespaces): functor and helper names.
namespace ei = Eigen::internal;

template <typename E>
using NegFor = std::conditional_t<kIsSignedInt<E>, WrapNeg<E>, ei::scalar_opposite_op<E>>;
template <typename E>
using AbsFor = std::conditional_t<kIsSignedInt<E>, WrapAbs<E>, ei::scalar_abs_op<E>>;
template <typename E>
using SquareFor = std::conditional_t<kIsInt<E>, WrapSquare<E>, ei::scalar_square_op<E>>;
template <typename E>
using SqrtFor = Sqrt<E>;
template <typename E>
using RsqrtFor = ei::scalar_rsqrt_op<E>;
template <typename E>
using ExpFor = ei::scalar_exp_op<E>;
template <typename E>
using LogFor = ei::scalar_log_op<E>;
template <typename E>
using Log1pFor = ei::scalar_log1p_op<E>;
template <typename E>
using TanhFor = ei::scalar_tanh_op<E>;
template <typename E>
using SigmoidFor = ei::scalar_logistic_op<E>;
template <typename E>
using SignFor = Sign<E>;
template <typename E>
using ReciprocalFor = ei::scalar_inverse_op<E>;
template <typename E>
using FloorFor = ei::scalar_floor_op<E>;
template <typename E>
using CeilFor = ei::scalar_ceil_op<E>;
template <typename E>
using RoundFor = RoundHalfToEven<E>;
template <typename E>
using CosFor = ei::scalar_cos_op<E>;
template <typename E>
using SinFor = ei::scalar_sin_op<E>;

using NegTypes =
    Types<Half, BFloat16, float, double, Complex64, Complex128, int8_t, int16_t, int32_t, int64_t>;

}  // namespace

void RegisterCwiseUnaryKernels(KernelRegistry* r) {
  RegisterUnary<NegFor>(r, "Neg", NegTypes());
  RegisterUnary<AbsFor>(r, "Abs",
                        Types<Half, BFloat16, float, double, int8_t, int16_t, int32_t, int64_t>());
  RegisterUnary<SquareFor>(
      r, "Square",
      Types<Half, BFloat16, float, double, Complex64, Complex128, int8_t, int16_t, int32_t, int64_t,
            uint8_t, uint16_t, uint32_t, uint64_t>());
  RegisterUnary<SqrtFor>(r, "Sqrt", FloatComplexTypes());
  RegisterUnary<RsqrtFor>(r, "Rsqrt", FloatComplexTypes());
  RegisterUnary<ExpFor>(r, "Exp", FloatComplexTypes());
  RegisterUnary<LogFor>(r, "Log", FloatComplexTypes());
  RegisterUnary<Log1pFor>(r, "Log1p", FloatComplexTypes());
  RegisterUnary<TanhFor>(r, "Tanh", FloatComplexTypes());
  RegisterUnary<SigmoidFor>(r, "Sigmoid", FloatComplexTypes());
  RegisterUnary<SignFor>(r, "Sign", NegTypes());
  RegisterUnary<ReciprocalFor>(r, "Reciprocal", FloatComplexTypes());
  RegisterUnary<FloorFor>(r, "Floor", FloatTypes());
  RegisterUnary<CeilFor>(r, "Ceil", FloatTypes());
  RegisterUnary<RoundFor>(r, "Round", FloatTypes());
  // Integers are already round.
  r->Register("Round", {{"T", {DataType::kInt32, DataType::kInt64}}},
              MakeKernelFactory<IdentityCwiseOp>());
  RegisterUnary<CosFor>(r, "Cos", FloatComplexTypes());
  RegisterUnary<SinFor>(r, "Sin", FloatComplexTypes());
  r->Register("LogicalNot", {}, MakeKernelFactory<UnaryCwiseOp<bool, bool, LogicalNot>>());
  RegisterCastKernel(r);
}

}  // namespace tf1hub
