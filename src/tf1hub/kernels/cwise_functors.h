// Element functors for the element-wise math kernels (cwise_ops_*.cc), on
// Eigen scalar types (Eigen::half, Eigen::bfloat16, float, double, integers,
// std::complex, bool, std::string).
//
// Each functor has `operator()` on scalars; those that Eigen can vectorise
// also have `packetOp` and an Eigen::internal::functor_traits specialization
// with PacketAccess. Where Eigen already has the functor TensorFlow uses
// (scalar_exp_op, scalar_tanh_op, scalar_logistic_op, ...) the kernels use
// Eigen's directly, so float results match TensorFlow's. The functors here
// cover what Eigen lacks or gets differently from TensorFlow:
//   * signed integer +, -, *, negation, abs and powers wrap around (two's
//     complement) instead of being undefined behaviour;
//   * integer division and modulo: truncating (Div), flooring (FloorDiv,
//     FloorMod), with INT_MIN / -1 == INT_MIN and INT_MIN mod -1 == 0; the
//     kernels reject zero divisors before calling them;
//   * Sign of NaN is NaN; SquaredDifference, DivNoNan, floating FloorMod.
//
// Thread safety: functors are stateless values.
#ifndef TF1HUB_KERNELS_CWISE_FUNCTORS_H_
#define TF1HUB_KERNELS_CWISE_FUNCTORS_H_

#include <cmath>
#include <complex>
#include <limits>
#include <string>
#include <type_traits>

#include "tf1hub/kernels/eigen_support.h"

namespace tf1hub {
namespace cwise {

template <typename T>
inline constexpr bool kIsSignedInt = std::is_integral_v<T>&& std::is_signed_v<T>;
template <typename T>
inline constexpr bool kIsInt = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <typename T>
inline constexpr bool kIsComplex =
    std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>;
// float, double, Eigen::half, Eigen::bfloat16.
template <typename T>
inline constexpr bool kIsReal =
    !kIsInt<T> && !kIsComplex<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, std::string>;

// The unsigned type of the same width (for wrapping signed arithmetic).
template <typename T>
using UnsignedOf = std::make_unsigned_t<T>;

// ---- Wrapping integer arithmetic (Eigen's packet instructions wrap too).

template <typename T>
struct WrapAdd {
  T operator()(const T& a, const T& b) const {
    return static_cast<T>(static_cast<UnsignedOf<T>>(a) + static_cast<UnsignedOf<T>>(b));
  }
  template <typename P>
  P packetOp(const P& a, const P& b) const {
    return Eigen::internal::padd(a, b);
  }
};
template <typename T>
struct WrapSub {
  T operator()(const T& a, const T& b) const {
    return static_cast<T>(static_cast<UnsignedOf<T>>(a) - static_cast<UnsignedOf<T>>(b));
  }
  template <typename P>
  P packetOp(const P& a, const P& b) const {
    return Eigen::internal::psub(a, b);
  }
};
// Multiplication modulo 2^bits; small types are promoted to int by C++, so
// go through the unsigned type of at least int's width.
template <typename T>
struct WrapMul {
  T operator()(const T& a, const T& b) const {
    using U = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, UnsignedOf<T>>;
    return static_cast<T>(static_cast<U>(static_cast<UnsignedOf<T>>(a)) *
                          static_cast<U>(static_cast<UnsignedOf<T>>(b)));
  }
  template <typename P>
  P packetOp(const P& a, const P& b) const {
    return Eigen::internal::pmul(a, b);
  }
};
template <typename T>
struct WrapNeg {
  T operator()(const T& a) const {
    return static_cast<T>(UnsignedOf<T>(0) - static_cast<UnsignedOf<T>>(a));
  }
  template <typename P>
  P packetOp(const P& a) const {
    return Eigen::internal::pnegate(a);
  }
};
template <typename T>
struct WrapAbs {
  T operator()(const T& a) const { return a < 0 ? WrapNeg<T>()(a) : a; }
};
template <typename T>
struct WrapSquare {
  T operator()(const T& a) const { return WrapMul<T>()(a, a); }
  template <typename P>
  P packetOp(const P& a) const {
    return Eigen::internal::pmul(a, a);
  }
};
// (a - b)^2 wrapping.
template <typename T>
struct WrapSquaredDifference {
  T operator()(const T& a, const T& b) const { return WrapSquare<T>()(WrapSub<T>()(a, b)); }
};

// ---- Integer division (the divisor is never 0: kernels check first).

// C division: truncates toward zero. For signed types x / -1 is negation
// (INT_MIN / -1 == INT_MIN, as TensorFlow returns, not a trap).
template <typename T>
struct TruncDivInt {
  T operator()(const T& a, const T& b) const {
    if constexpr (std::is_signed_v<T>) {
      if (b == T(-1)) return WrapNeg<T>()(a);
    }
    return static_cast<T>(a / b);
  }
};
// Rounds the quotient toward negative infinity.
template <typename T>
struct FloorDivInt {
  T operator()(const T& a, const T& b) const {
    if constexpr (std::is_signed_v<T>) {
      if (b == T(-1)) return WrapNeg<T>()(a);
      const T q = static_cast<T>(a / b);
      const T r = static_cast<T>(a % b);
      return (r != 0 && ((r < 0) != (b < 0))) ? static_cast<T>(q - 1) : q;
    } else {
      return static_cast<T>(a / b);
    }
  }
};
// The remainder of FloorDivInt: takes the divisor's sign.
template <typename T>
struct FloorModInt {
  T operator()(const T& a, const T& b) const {
    if constexpr (std::is_signed_v<T>) {
      if (b == T(-1)) return T(0);
      const T r = static_cast<T>(a % b);
      return (r != 0 && ((r < 0) != (b < 0))) ? static_cast<T>(r + b) : r;
    } else {
      return static_cast<T>(a % b);
    }
  }
};

// ---- Floating division variants.

// floor(a / b) in T's arithmetic (half: rounded to half, then floored).
template <typename T>
struct FloorDivReal {
  T operator()(const T& a, const T& b) const { return Eigen::numext::floor(a / b); }
  template <typename P>
  P packetOp(const P& a, const P& b) const {
    return Eigen::internal::pfloor(Eigen::internal::pdiv(a, b));
  }
};
// fmod, moved into the divisor's sign: r = fmod(a, b); r != 0 and
// sign(r) != sign(b) -> r + b. fmod is exact, so computing it in float for
// half/bfloat16 gives the same value.
template <typename T>
struct FloorModReal {
  T operator()(const T& a, const T& b) const {
    T r;
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      r = std::fmod(a, b);
    } else {
      r = T(std::fmod(static_cast<float>(a), static_cast<float>(b)));
    }
    return (r != T(0) && ((b < T(0)) != (r < T(0)))) ? T(r + b) : r;
  }
};
// a / b, or 0 where b == 0 (even when a is NaN or infinite).
template <typename T>
struct DivNoNan {
  T operator()(const T& a, const T& b) const { return b != T(0) ? T(a / b) : T(0); }
  template <typename P>
  P packetOp(const P& a, const P& b) const {
    const P zero = Eigen::internal::pzero(a);
    const P is_zero = Eigen::internal::pcmp_eq(b, zero);
    return Eigen::internal::pselect(is_zero, zero, Eigen::internal::pdiv(a, b));
  }
};
// (a - b) * conj(a - b) for floating and complex types.
template <typename T>
struct SquaredDifference {
  T operator()(const T& a, const T& b) const {
    const T d = a - b;
    if constexpr (kIsComplex<T>) {
      return d * std::conj(d);
    } else {
      return d * d;
    }
  }
  template <typename P>
  P packetOp(const P& a, const P& b) const {
    const P d = Eigen::internal::psub(a, b);
    return Eigen::internal::pmul(d, d);
  }
};

// Integer powers by squaring, wrapping. Negative exponents are rejected by
// the kernel before this runs.
template <typename T>
struct IntPow {
  T operator()(const T& a, const T& b) const {
    using U = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, UnsignedOf<T>>;
    U base = static_cast<U>(static_cast<UnsignedOf<T>>(a));
    U result = 1;
    for (auto e = static_cast<UnsignedOf<T>>(b); e != 0; e >>= 1) {
      if (e & 1) result = static_cast<U>(result * base);
      base = static_cast<U>(base * base);
    }
    return static_cast<T>(static_cast<UnsignedOf<T>>(result));
  }
};

// Powers of floating and complex types with the C library's pow (exact
// special cases such as pow(-0, -1) == -inf, as TensorFlow gives; Eigen
// 3.4's vectorised pow loses the sign there).
template <typename T>
struct FloatPow {
  T operator()(const T& a, const T& b) const { return Eigen::numext::pow(a, b); }
};

// ---- Unary.

// Correctly rounded square root (sqrt(-0) == -0). Eigen 3.4's fast-math
// SSE psqrt is an rsqrt estimate plus a Newton step: off by an ulp and
// +0 for -0, unlike TensorFlow's Eigen.
#if defined(EIGEN_VECTORIZE_AVX)
inline Eigen::internal::Packet8f SqrtPacket(const Eigen::internal::Packet8f& a) {
  return _mm256_sqrt_ps(a);
}
inline Eigen::internal::Packet4d SqrtPacket(const Eigen::internal::Packet4d& a) {
  return _mm256_sqrt_pd(a);
}
#endif
#if defined(EIGEN_VECTORIZE_SSE2)
inline Eigen::internal::Packet4f SqrtPacket(const Eigen::internal::Packet4f& a) {
  return _mm_sqrt_ps(a);
}
inline Eigen::internal::Packet2d SqrtPacket(const Eigen::internal::Packet2d& a) {
  return _mm_sqrt_pd(a);
}
inline constexpr bool kHaveSqrtPacket = true;
#else
inline constexpr bool kHaveSqrtPacket = false;
#endif
template <typename T>
struct Sqrt {
  T operator()(const T& a) const { return Eigen::numext::sqrt(a); }
  template <typename P>
  P packetOp(const P& a) const {
    return SqrtPacket(a);
  }
};

// -1, 0 or 1 with NaN kept (TensorFlow's sign(NaN) is NaN); complex:
// x / |x|, 0 for 0.
template <typename T>
struct Sign {
  T operator()(const T& a) const {
    if constexpr (kIsComplex<T>) {
      using R = typename T::value_type;
      const R m = std::abs(a);
      return m == R(0) ? T(0) : T(a.real() / m, a.imag() / m);
    } else if constexpr (kIsInt<T>) {
      return static_cast<T>((a > T(0)) - (a < T(0)));
    } else {
      if (Eigen::numext::isnan(a)) return a;
      return T(static_cast<float>((a > T(0)) - (a < T(0))));
    }
  }
};

// Round half to even (the default rounding mode's rint), the same as
// Eigen::internal::scalar_rint_op but defined for half types too.
template <typename T>
struct RoundHalfToEven {
  T operator()(const T& a) const {
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      return std::nearbyint(a);
    } else {
      return T(std::nearbyint(static_cast<float>(a)));
    }
  }
  template <typename P>
  P packetOp(const P& a) const {
    return Eigen::internal::print(a);
  }
};

// ---- Bool, string and comparisons (scalar only).

struct LogicalAnd {
  bool operator()(bool a, bool b) const { return a && b; }
};
struct LogicalOr {
  bool operator()(bool a, bool b) const { return a || b; }
};
struct LogicalNot {
  bool operator()(bool a) const { return !a; }
};
struct StringConcat {
  std::string operator()(const std::string& a, const std::string& b) const { return a + b; }
};

template <typename T>
struct Greater {
  bool operator()(const T& a, const T& b) const { return a > b; }
};
template <typename T>
struct GreaterEqual {
  bool operator()(const T& a, const T& b) const { return a >= b; }
};
template <typename T>
struct Less {
  bool operator()(const T& a, const T& b) const { return a < b; }
};
template <typename T>
struct LessEqual {
  bool operator()(const T& a, const T& b) const { return a <= b; }
};
template <typename T>
struct EqualTo {
  bool operator()(const T& a, const T& b) const { return a == b; }
};
template <typename T>
struct NotEqualTo {
  bool operator()(const T& a, const T& b) const { return a != b; }
};

}  // namespace cwise
}  // namespace tf1hub

// Vectorisation traits of the functors that have packetOp.
namespace Eigen {
namespace internal {

template <typename T>
struct functor_traits<tf1hub::cwise::WrapAdd<T>> {
  enum { Cost = NumTraits<T>::AddCost, PacketAccess = packet_traits<T>::HasAdd };
};
template <typename T>
struct functor_traits<tf1hub::cwise::WrapSub<T>> {
  enum { Cost = NumTraits<T>::AddCost, PacketAccess = packet_traits<T>::HasSub };
};
template <typename T>
struct functor_traits<tf1hub::cwise::WrapMul<T>> {
  enum { Cost = NumTraits<T>::MulCost, PacketAccess = packet_traits<T>::HasMul };
};
template <typename T>
struct functor_traits<tf1hub::cwise::WrapNeg<T>> {
  enum { Cost = NumTraits<T>::AddCost, PacketAccess = packet_traits<T>::HasNegate };
};
template <typename T>
struct functor_traits<tf1hub::cwise::WrapSquare<T>> {
  enum { Cost = NumTraits<T>::MulCost, PacketAccess = packet_traits<T>::HasMul };
};
template <typename T>
struct functor_traits<tf1hub::cwise::FloorDivReal<T>> {
  enum {
    Cost = 2 * NumTraits<T>::MulCost,
    PacketAccess = packet_traits<T>::HasDiv && packet_traits<T>::HasFloor
  };
};
template <typename T>
struct functor_traits<tf1hub::cwise::DivNoNan<T>> {
  enum {
    Cost = 2 * NumTraits<T>::MulCost,
    PacketAccess =
        packet_traits<T>::HasDiv && packet_traits<T>::HasCmp && !tf1hub::cwise::kIsComplex<T>
  };
};
template <typename T>
struct functor_traits<tf1hub::cwise::SquaredDifference<T>> {
  enum {
    Cost = NumTraits<T>::AddCost + NumTraits<T>::MulCost,
    PacketAccess =
        packet_traits<T>::HasSub && packet_traits<T>::HasMul && !tf1hub::cwise::kIsComplex<T>
  };
};
template <typename T>
struct functor_traits<tf1hub::cwise::RoundHalfToEven<T>> {
  enum {
    Cost = NumTraits<T>::AddCost,
    PacketAccess =
        packet_traits<T>::HasRint && (std::is_same_v<T, float> || std::is_same_v<T, double>)
  };
};
template <typename T>
struct functor_traits<tf1hub::cwise::Sqrt<T>> {
  enum {
    Cost = 5 * NumTraits<T>::MulCost,
    PacketAccess =
        tf1hub::cwise::kHaveSqrtPacket && (std::is_same_v<T, float> || std::is_same_v<T, double>)
  };
};
template <typename T>
struct functor_traits<tf1hub::cwise::FloatPow<T>> {
  enum { Cost = 20 * NumTraits<T>::MulCost, PacketAccess = false };
};
template <typename T>
struct functor_traits<tf1hub::cwise::FloorModReal<T>> {
  enum { Cost = 10 * NumTraits<T>::MulCost, PacketAccess = false };
};
template <typename T>
struct functor_traits<tf1hub::cwise::Sign<T>> {
  enum { Cost = 2 * NumTraits<T>::AddCost, PacketAccess = false };
};

}  // namespace internal
}  // namespace Eigen

#endif  // TF1HUB_KERNELS_CWISE_FUNCTORS_H_
