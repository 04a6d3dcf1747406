// Element-wise binary arithmetic with broadcasting: Add (numbers and string
// concatenation), AddV2, Sub, Mul, RealDiv, Div, FloorDiv, FloorMod,
// DivNoNan, Maximum, Minimum, Pow, SquaredDifference, LogicalAnd, LogicalOr.
// dtypes are TensorFlow 2.15's CPU registrations.
#include <string>
#include <type_traits>

#include "tf1hub/kernels/cwise_functors.h"
#include "tf1hub/kernels/cwise_ops_common.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

using namespace cwise;  // NOLINT(build/namespaces): functor and helper names.
namespace ei = Eigen::internal;

template <typename E>
using AddFor =
    std::conditional_t<std::is_same_v<E, std::string>, StringConcat,
                       std::conditional_t<kIsSignedInt<E>, WrapAdd<E>, ei::scalar_sum_op<E, E>>>;
template <typename E>
using SubFor = std::conditional_t<kIsSignedInt<E>, WrapSub<E>, ei::scalar_difference_op<E, E>>;
template <typename E>
using MulFor = std::conditional_t<kIsSignedInt<E>, WrapMul<E>, ei::scalar_product_op<E, E>>;
// Div: C division for integers, real division otherwise.
template <typename E>
using DivFor = std::conditional_t<kIsInt<E>, TruncDivInt<E>, ei::scalar_quotient_op<E, E>>;
template <typename E>
using RealDivFor = ei::scalar_quotient_op<E, E>;
template <typename E>
using FloorDivFor = std::conditional_t<kIsInt<E>, FloorDivInt<E>, FloorDivReal<E>>;
template <typename E>
using FloorModFor = std::conditional_t<kIsInt<E>, FloorModInt<E>, FloorModReal<E>>;
template <typename E>
using DivNoNanFor = DivNoNan<E>;
// A NaN on either side gives NaN (TensorFlow's Maximum/Minimum).
template <typename E>
using MaximumFor = std::conditional_t<kIsInt<E>, ei::scalar_max_op<E, E>,
                                      ei::scalar_max_op<E, E, Eigen::PropagateNaN>>;
template <typename E>
using MinimumFor = std::conditional_t<kIsInt<E>, ei::scalar_min_op<E, E>,
                                      ei::scalar_min_op<E, E, Eigen::PropagateNaN>>;
template <typename E>
using PowFor = std::conditional_t<kIsInt<E>, IntPow<E>, FloatPow<E>>;
template <typename E>
using SquaredDifferenceFor =
    std::conditional_t<kIsInt<E>, WrapSquaredDifference<E>, SquaredDifference<E>>;

// Integer division and modulo reject zero divisors; integer powers
// negative exponents.
template <typename E>
using DivisorCheckFor = std::conditional_t<kIsInt<E>, NonZeroDivisor, NoCheck>;
template <typename E>
using ExponentCheckFor = std::conditional_t<kIsInt<E>, NonNegativeExponent, NoCheck>;

using AllNumberTypes = Types<Half, BFloat16, float, double, Complex64, Complex128, int8_t, int16_t,
                             int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t>;
using AddTypes = Types<Half, BFloat16, float, double, Complex64, Complex128, int8_t, int16_t,
                       int32_t, int64_t, uint8_t, std::string>;

}  // namespace

void RegisterCwiseBinaryKernels(KernelRegistry* r) {
  RegisterBinary<AddFor>(r, "Add", AddTypes());
  RegisterBinary<AddFor>(r, "AddV2", AllNumberTypes());
  RegisterBinary<SubFor>(r, "Sub", AllNumberTypes());
  RegisterBinary<MulFor>(r, "Mul", AllNumberTypes());
  RegisterBinary<RealDivFor>(r, "RealDiv", FloatComplexTypes());
  RegisterBinary<DivFor, DivisorCheckFor>(r, "Div", AllNumberTypes());
  RegisterBinary<FloorDivFor, DivisorCheckFor>(r, "FloorDiv", RealNumberTypes());
  RegisterBinary<FloorModFor, DivisorCheckFor>(r, "FloorMod", RealNumberTypes());
  RegisterBinary<DivNoNanFor>(r, "DivNoNan", FloatComplexTypes());
  RegisterBinary<MaximumFor>(r, "Maximum", RealNumberTypes());
  RegisterBinary<MinimumFor>(r, "Minimum", RealNumberTypes());
  RegisterBinary<PowFor, ExponentCheckFor>(r, "Pow",
                                           Types<Half, BFloat16, float, double, Complex64,
                                                 Complex128, int8_t, int16_t, int32_t, int64_t>());
  RegisterBinary<SquaredDifferenceFor>(
      r, "SquaredDifference",
      Types<Half, BFloat16, float, double, Complex64, Complex128, int32_t, int64_t>());
  // No type attr: bool only.
  r->Register("LogicalAnd", {}, MakeKernelFactory<BinaryCwiseOp<bool, bool, LogicalAnd>>());
  r->Register("LogicalOr", {}, MakeKernelFactory<BinaryCwiseOp<bool, bool, LogicalOr>>());
}

}  // namespace tf1hub
