// Cast: converts every element from SrcT to DstT, as TensorFlow 2.15's CPU
// kernel does.
//
//   * Same dtype: the output shares the input's buffer.
//   * Float -> integer truncates toward zero. Values outside the target's
//     range (and NaN) have no C++ meaning; TensorFlow gives what x86's
//     conversion instructions give on its scalar path, and so do we:
//     int32 and narrower go through a 32-bit conversion (out of range ->
//     INT32_MIN) and keep the low bits; int64 out of range -> INT64_MIN;
//     uint32 keeps the low bits of the 64-bit conversion; uint64 converts
//     values >= 2^63 through v - 2^63. (TensorFlow's vectorised path
//     saturates some of these instead; only out-of-range values differ.)
//   * To bool: x != 0 (NaN -> true). From bool: 0 or 1.
//   * Complex -> real: the real part, then as above; real -> complex:
//     imaginary part 0.
//   * Float -> half/bfloat16/float rounds to nearest even; Truncate=true
//     first zeroes the source mantissa bits the target lacks (TensorFlow's
//     LSBZeroSetter, for the same dtype pairs), so it rounds toward zero.
//   * Quantized dtypes cast as their storage integers.
//   * string to or from anything else: Unimplemented
//     "Cast string to int32 is not supported".
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>

#include "tf1hub/kernels/cwise_functors.h"
#include "tf1hub/kernels/cwise_ops_common.h"

namespace tf1hub {
namespace cwise {
namespace {

template <typename T>
inline constexpr bool kIsFloatLike =
    std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, Eigen::half> ||
    std::is_same_v<T, Eigen::bfloat16>;

// Float -> integer with x86 conversion semantics (see the file comment).
inline int64_t ToInt64(double v) {
  if (v >= -9223372036854775808.0 && v < 9223372036854775808.0) return static_cast<int64_t>(v);
  return std::numeric_limits<int64_t>::min();
}
inline int32_t ToInt32(double v) {
  if (v > -2147483649.0 && v < 2147483648.0) return static_cast<int32_t>(v);
  return std::numeric_limits<int32_t>::min();
}
template <typename D>
D FloatToInt(double v) {
  if constexpr (std::is_same_v<D, int64_t>) {
    return ToInt64(v);
  } else if constexpr (std::is_same_v<D, uint64_t>) {
    const int64_t a = ToInt64(v);
    if (a >= 0) return static_cast<uint64_t>(a);
    return static_cast<uint64_t>(a) | static_cast<uint64_t>(ToInt64(v - 9223372036854775808.0));
  } else if constexpr (std::is_same_v<D, uint32_t>) {
    return static_cast<uint32_t>(static_cast<uint64_t>(ToInt64(v)));
  } else {
    return static_cast<D>(ToInt32(v));
  }
}

template <typename T>
double AsDouble(const T& v) {
  if constexpr (std::is_same_v<T, Eigen::half> || std::is_same_v<T, Eigen::bfloat16>) {
    return static_cast<double>(static_cast<float>(v));
  } else {
    return static_cast<double>(v);
  }
}

// One element S -> D (Eigen element types).
template <typename D, typename S>
D Convert(const S& s) {
  if constexpr (std::is_same_v<D, S>) {
    return s;
  } else if constexpr (kIsComplex<S>) {
    if constexpr (kIsComplex<D>) {
      using R = typename D::value_type;
      return D(static_cast<R>(s.real()), static_cast<R>(s.imag()));
    } else {
      return Convert<D>(s.real());
    }
  } else if constexpr (kIsComplex<D>) {
    using R = typename D::value_type;
    return D(Convert<R>(s), R(0));
  } else if constexpr (std::is_same_v<D, bool>) {
    if constexpr (kIsFloatLike<S>) {
      return AsDouble(s) != 0.0;
    } else {
      return s != 0;
    }
  } else if constexpr (std::is_same_v<S, bool>) {
    return s ? D(1) : D(0);
  } else if constexpr (kIsFloatLike<D>) {
    if constexpr (std::is_same_v<D, float> || std::is_same_v<D, double>) {
      if constexpr (kIsFloatLike<S> && !std::is_same_v<S, double> && !std::is_same_v<S, float>) {
        return static_cast<D>(static_cast<float>(s));
      } else {
        return static_cast<D>(s);
      }
    } else {
      // half/bfloat16 from anything: through float, as Eigen does.
      return D(static_cast<float>(s));
    }
  } else if constexpr (kIsFloatLike<S>) {
    return FloatToInt<D>(AsDouble(s));
  } else {
    return static_cast<D>(s);  // integer -> integer: modulo 2^bits
  }
}

// Mantissa bits with the hidden bit (TensorFlow's MantissaWidth).
template <typename T>
constexpr int MantissaWidth() {
  if constexpr (std::is_same_v<T, Eigen::half>) {
    return 11;
  } else if constexpr (std::is_same_v<T, Eigen::bfloat16>) {
    return 8;
  } else if constexpr (kIsComplex<T>) {
    return std::numeric_limits<typename T::value_type>::digits;
  } else {
    return std::numeric_limits<T>::digits;
  }
}

// Zeroes the `bits` low mantissa bits of a non-NaN float or double.
template <typename R>
R ZeroLowBits(R v, int bits) {
  if (std::isnan(v)) return v;
  using U = std::conditional_t<sizeof(R) == 8, uint64_t, uint32_t>;
  U u;
  std::memcpy(&u, &v, sizeof(u));
  u &= ~U(0) << bits;
  std::memcpy(&v, &u, sizeof(u));
  return v;
}

// The dtype pairs TensorFlow truncates when Truncate=true.
template <typename D, typename S>
constexpr bool TruncatesPair() {
  using C64 = std::complex<float>;
  using C128 = std::complex<double>;
  return (std::is_same_v<D, float> && (std::is_same_v<S, double> || std::is_same_v<S, C128>)) ||
         (std::is_same_v<D, C64> && (std::is_same_v<S, double> || std::is_same_v<S, C128>)) ||
         (std::is_same_v<D, Eigen::half> &&
          (std::is_same_v<S, double> || std::is_same_v<S, float> || std::is_same_v<S, C128> ||
           std::is_same_v<S, C64>)) ||
         (std::is_same_v<D, Eigen::bfloat16> && std::is_same_v<S, float>);
}

template <typename D, typename S>
S Truncated(const S& s) {
  constexpr int bits = MantissaWidth<S>() - MantissaWidth<D>();
  if constexpr (kIsComplex<S>) {
    return S(ZeroLowBits(s.real(), bits), ZeroLowBits(s.imag(), bits));
  } else {
    return ZeroLowBits(s, bits);
  }
}

using CastFn = void (*)(OpKernelContext*, const Tensor&, Tensor*, bool);

template <typename D, typename S>
void CastLoop(OpKernelContext* ctx, const Tensor& in, Tensor* out, bool truncate) {
  const S* src = Data<S>(in);
  D* dst = MutableData<D>(out);
  if constexpr (TruncatesPair<D, S>()) {
    if (truncate) {
      ctx->ParallelFor(in.NumElements(), 4, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) dst[i] = Convert<D>(Truncated<D>(src[i]));
      });
      return;
    }
  }
  ctx->ParallelFor(in.NumElements(), 2, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) dst[i] = Convert<D>(src[i]);
  });
}

template <typename T>
struct Tag {
  using type = T;
};

// Calls f(Tag<E>) for the Eigen element type of a numeric or bool dtype
// (quantized: their storage integers); false for anything else.
template <typename F>
bool VisitNumeric(DataType dtype, F&& f) {
  switch (dtype) {
    case DataType::kFloat:
      f(Tag<float>());
      return true;
    case DataType::kDouble:
      f(Tag<double>());
      return true;
    case DataType::kHalf:
      f(Tag<Eigen::half>());
      return true;
    case DataType::kBfloat16:
      f(Tag<Eigen::bfloat16>());
      return true;
    case DataType::kInt8:
    case DataType::kQint8:
      f(Tag<int8_t>());
      return true;
    case DataType::kInt16:
    case DataType::kQint16:
      f(Tag<int16_t>());
      return true;
    case DataType::kInt32:
    case DataType::kQint32:
      f(Tag<int32_t>());
      return true;
    case DataType::kInt64:
      f(Tag<int64_t>());
      return true;
    case DataType::kUint8:
    case DataType::kQuint8:
      f(Tag<uint8_t>());
      return true;
    case DataType::kUint16:
    case DataType::kQuint16:
      f(Tag<uint16_t>());
      return true;
    case DataType::kUint32:
      f(Tag<uint32_t>());
      return true;
    case DataType::kUint64:
      f(Tag<uint64_t>());
      return true;
    case DataType::kBool:
      f(Tag<bool>());
      return true;
    case DataType::kComplex64:
      f(Tag<std::complex<float>>());
      return true;
    case DataType::kComplex128:
      f(Tag<std::complex<double>>());
      return true;
    default:
      return false;
  }
}

CastFn FindCast(DataType src, DataType dst) {
  CastFn fn = nullptr;
  VisitNumeric(src, [&](auto s) {
    VisitNumeric(dst, [&](auto d) {
      fn = &CastLoop<typename decltype(d)::type, typename decltype(s)::type>;
    });
  });
  return fn;
}

class CastOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    DataType src, dst;
    bool truncate = false;
    RETURN_IF_ERROR(c.GetAttr("SrcT", &src));
    RETURN_IF_ERROR(c.GetAttr("DstT", &dst));
    RETURN_IF_ERROR(c.GetAttr("Truncate", &truncate));
    CastFn fn = nullptr;
    if (src != dst) {
      fn = FindCast(src, dst);
      if (fn == nullptr) {
        return UnimplementedError("Cast " + TfTypeName(src) + " to " + TfTypeName(dst) +
                                  " is not supported");
      }
    }
    return std::unique_ptr<OpKernel>(new CastOp(c, fn, truncate));
  }

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (fn_ == nullptr) {  // SrcT == DstT
      ctx->set_output(0, in);
      return Status::OK();
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, in.shape()));
    if (in.NumElements() > 0) fn_(ctx, in, out, truncate_);
    return Status::OK();
  }

 private:
  CastOp(const KernelConstruction& c, CastFn fn, bool truncate)
      : OpKernel(c), fn_(fn), truncate_(truncate) {}
  const CastFn fn_;
  const bool truncate_;
};

}  // namespace

void RegisterCastKernel(KernelRegistry* r) { r->Register("Cast", {}, MakeKernelFactory<CastOp>()); }

}  // namespace cwise
}  // namespace tf1hub
