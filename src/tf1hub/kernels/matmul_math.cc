#include "tf1hub/kernels/matmul_math.h"

#include <cblas.h>

#include <Eigen/Core>
#include <algorithm>
#include <bit>
#include <complex>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "tf1hub/data_type.h"

namespace tf1hub {
namespace matmul {
namespace {

// Products with fewer multiply-adds than this run on the calling thread:
// waking another thread costs several microseconds; OpenBLAS does two
// million multiply-adds in ~40 us on one AVX-512 core.
constexpr int64_t kParallelMacs = int64_t{2} << 20;
// Once we decide to split, the pool must not run the blocks serially: its
// cost model shards only work above ~2e5 cycles, so each block claims at
// least this much.
constexpr int64_t kMinBlockCost = int64_t{1} << 20;
// Smallest row/column block worth a thread of its own.
constexpr int64_t kMinBlock = 16;
// Rough multiply-adds per cycle of OpenBLAS on one core (for cost hints).
constexpr int64_t kMacsPerCycle = 8;

// OpenBLAS's own threads would compete with the intra-op pool; we split
// large products ourselves and keep OpenBLAS single-threaded.
void EnsureBlasSingleThreaded() {
  static const bool done = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)done;
}

// ---- BLAS element types.

template <typename T>
inline constexpr bool kIsBlasType = std::is_same_v<T, float> || std::is_same_v<T, double> ||
                                    std::is_same_v<T, Complex64> || std::is_same_v<T, Complex128>;
template <typename T>
inline constexpr bool kIsRealBlasType = std::is_same_v<T, float> || std::is_same_v<T, double>;

void BlasGemmCall(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k,
                  const float* a, blasint lda, const float* b, blasint ldb, float* c, blasint ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
}
void BlasGemmCall(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k,
                  const double* a, blasint lda, const double* b, blasint ldb, double* c,
                  blasint ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, ldc);
}
void BlasGemmCall(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k,
                  const Complex64* a, blasint lda, const Complex64* b, blasint ldb, Complex64* c,
                  blasint ldc) {
  const Complex64 one(1.0f, 0.0f), zero(0.0f, 0.0f);
  cblas_cgemm(CblasRowMajor, ta, tb, m, n, k, &one, a, lda, b, ldb, &zero, c, ldc);
}
void BlasGemmCall(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, blasint m, blasint n, blasint k,
                  const Complex128* a, blasint lda, const Complex128* b, blasint ldb, Complex128* c,
                  blasint ldc) {
  const Complex128 one(1.0, 0.0), zero(0.0, 0.0);
  cblas_zgemm(CblasRowMajor, ta, tb, m, n, k, &one, a, lda, b, ldb, &zero, c, ldc);
}
void BlasGemvCall(CBLAS_TRANSPOSE t, blasint rows, blasint cols, const float* a, blasint lda,
                  const float* x, blasint incx, float* y, blasint incy) {
  cblas_sgemv(CblasRowMajor, t, rows, cols, 1.0f, a, lda, x, incx, 0.0f, y, incy);
}
void BlasGemvCall(CBLAS_TRANSPOSE t, blasint rows, blasint cols, const double* a, blasint lda,
                  const double* x, blasint incx, double* y, blasint incy) {
  cblas_dgemv(CblasRowMajor, t, rows, cols, 1.0, a, lda, x, incx, 0.0, y, incy);
}

CBLAS_TRANSPOSE BlasTrans(bool trans, bool conj) {
  if (!trans) return CblasNoTrans;
  return conj ? CblasConjTrans : CblasTrans;
}

// Rows [r0, r1) x columns [c0, c1) of c, on the calling thread.
template <typename T>
void BlasBlock(const GemmDims& d, const T* a, const T* b, T* c, int64_t r0, int64_t r1, int64_t c0,
               int64_t c1) {
  const blasint m = static_cast<blasint>(r1 - r0);
  const blasint n = static_cast<blasint>(c1 - c0);
  const blasint k = static_cast<blasint>(d.k);
  const blasint lda = static_cast<blasint>(d.trans_a ? d.m : d.k);
  const blasint ldb = static_cast<blasint>(d.trans_b ? d.k : d.n);
  const blasint ldc = static_cast<blasint>(d.n);
  const T* ab = d.trans_a ? a + r0 : a + r0 * d.k;
  const T* bb = d.trans_b ? b + c0 * d.k : b + c0;
  T* cb = c + r0 * d.n + c0;
  if constexpr (kIsRealBlasType<T>) {
    // Vector-matrix products (batch-1 inference) go straight to gemv.
    if (m == 1) {
      const blasint inc_a = d.trans_a ? lda : 1;
      if (d.trans_b) {
        BlasGemvCall(CblasNoTrans, n, k, bb, ldb, ab, inc_a, cb, 1);
      } else {
        BlasGemvCall(CblasTrans, k, n, bb, ldb, ab, inc_a, cb, 1);
      }
      return;
    }
    if (n == 1) {
      const blasint inc_b = d.trans_b ? 1 : ldb;
      if (d.trans_a) {
        BlasGemvCall(CblasTrans, k, m, ab, lda, bb, inc_b, cb, ldc);
      } else {
        BlasGemvCall(CblasNoTrans, m, k, ab, lda, bb, inc_b, cb, ldc);
      }
      return;
    }
  }
  BlasGemmCall(BlasTrans(d.trans_a, d.conj_a), BlasTrans(d.trans_b, d.conj_b), m, n, k, ab, lda, bb,
               ldb, cb, ldc);
}

// Splits c into row (or column) blocks over the pool when the product is
// large enough; each block is one single-threaded BLAS call.
template <typename T>
void BlasGemm(const GemmDims& d, const T* a, const T* b, T* c, const Sharder& sharder) {
  EnsureBlasSingleThreaded();
  const int64_t macs = d.m * d.n * d.k;
  const int threads = sharder.num_threads();
  const bool split_rows = d.m >= d.n || d.m >= threads * kMinBlock;
  const int64_t extent = split_rows ? d.m : d.n;
  const int64_t blocks = std::min<int64_t>(threads, extent / kMinBlock);
  if (threads <= 1 || macs < kParallelMacs || blocks < 2) {
    BlasBlock(d, a, b, c, 0, d.m, 0, d.n);
    return;
  }
  const int64_t per_block = (extent + blocks - 1) / blocks;
  const int64_t cost = std::max(kMinBlockCost, macs / blocks / kMacsPerCycle);
  sharder.ParallelFor(blocks, cost, [&](int64_t first, int64_t last) {
    for (int64_t i = first; i < last; ++i) {
      const int64_t begin = i * per_block;
      const int64_t end = std::min(extent, begin + per_block);
      if (begin >= end) continue;
      if (split_rows) {
        BlasBlock(d, a, b, c, begin, end, 0, d.n);
      } else {
        BlasBlock(d, a, b, c, 0, d.m, begin, end);
      }
    }
  });
}

// True when every dimension and leading dimension fits BLAS's int.
bool FitsBlas(const GemmDims& d) {
  constexpr int64_t kMax = std::numeric_limits<blasint>::max();
  return d.m <= kMax && d.n <= kMax && d.k <= kMax;
}

// ---- The loop kernel (integers, half, and BLAS types too large for int).

template <typename T, typename Enable = void>
struct LoopTraits {
  // Floating/complex fallback: plain arithmetic in T.
  using Acc = T;
  static Acc Load(T v, bool conj) {
    if constexpr (std::is_same_v<T, Complex64> || std::is_same_v<T, Complex128>) {
      return conj ? std::conj(v) : v;
    } else {
      return v;
    }
  }
  static Acc MulAdd(Acc acc, Acc x, Acc y) { return acc + x * y; }
  static T Store(Acc v) { return v; }
};

// Integers wrap modulo 2^bits: unsigned arithmetic at least 32 bits wide
// (narrower unsigned types would promote to int and could overflow).
template <typename T>
struct LoopTraits<T, std::enable_if_t<std::is_integral_v<T>>> {
  using Acc = std::conditional_t<(sizeof(T) > 4), uint64_t, uint32_t>;
  static Acc Load(T v, bool) { return static_cast<Acc>(v); }
  static Acc MulAdd(Acc acc, Acc x, Acc y) { return acc + x * y; }
  static T Store(Acc v) { return static_cast<T>(v); }
};

// Half precision: products are exact in float; each sum is rounded to half.
template <>
struct LoopTraits<Half> {
  using Acc = float;
  static Acc Load(Half v, bool) { return static_cast<float>(std::bit_cast<Eigen::half>(v.bits)); }
  static Acc MulAdd(Acc acc, Acc x, Acc y) { return static_cast<float>(Eigen::half(acc + x * y)); }
  static Half Store(Acc v) { return Half{std::bit_cast<uint16_t>(Eigen::half(v))}; }
};

template <typename T>
void LoopGemm(const GemmDims& d, const T* a, const T* b, T* c, const Sharder& sharder) {
  using Tr = LoopTraits<T>;
  using Acc = typename Tr::Acc;
  const int64_t m = d.m, n = d.n, k = d.k;
  // op(b) as a contiguous [k, n] matrix of accumulator values.
  std::vector<Acc> bk(static_cast<size_t>(k * n));
  for (int64_t p = 0; p < k; ++p) {
    for (int64_t j = 0; j < n; ++j) {
      bk[p * n + j] = Tr::Load(d.trans_b ? b[j * k + p] : b[p * n + j], d.conj_b);
    }
  }
  sharder.ParallelFor(m, std::max<int64_t>(1, k * n), [&](int64_t r0, int64_t r1) {
    std::vector<Acc> acc(static_cast<size_t>(n));
    for (int64_t i = r0; i < r1; ++i) {
      std::fill(acc.begin(), acc.end(), Acc{});
      for (int64_t p = 0; p < k; ++p) {
        const Acc x = Tr::Load(d.trans_a ? a[p * m + i] : a[i * k + p], d.conj_a);
        const Acc* brow = bk.data() + p * n;
        for (int64_t j = 0; j < n; ++j) acc[j] = Tr::MulAdd(acc[j], x, brow[j]);
      }
      T* crow = c + i * n;
      for (int64_t j = 0; j < n; ++j) crow[j] = Tr::Store(acc[j]);
    }
  });
}

// bfloat16: widen to float, multiply with sgemm, round back (nearest-even).
void BFloat16Gemm(const GemmDims& d, const BFloat16* a, const BFloat16* b, BFloat16* c,
                  const Sharder& sharder) {
  auto widen = [](const BFloat16* in, int64_t count) {
    std::vector<float> out(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      out[i] = static_cast<float>(std::bit_cast<Eigen::bfloat16>(in[i].bits));
    }
    return out;
  };
  const std::vector<float> af = widen(a, d.m * d.k);
  const std::vector<float> bf = widen(b, d.k * d.n);
  std::vector<float> cf(static_cast<size_t>(d.m * d.n));
  if (FitsBlas(d)) {
    BlasGemm<float>(d, af.data(), bf.data(), cf.data(), sharder);
  } else {
    LoopGemm<float>(d, af.data(), bf.data(), cf.data(), sharder);
  }
  for (int64_t i = 0; i < d.m * d.n; ++i) {
    c[i] = BFloat16{std::bit_cast<uint16_t>(Eigen::bfloat16(cf[i]))};
  }
}

}  // namespace

template <typename T>
void Gemm(const GemmDims& d, const T* a, const T* b, T* c, const Sharder& sharder) {
  if constexpr (kIsBlasType<T>) {
    if (FitsBlas(d)) {
      BlasGemm<T>(d, a, b, c, sharder);
      return;
    }
    LoopGemm<T>(d, a, b, c, sharder);
  } else if constexpr (std::is_same_v<T, BFloat16>) {
    BFloat16Gemm(d, a, b, c, sharder);
  } else {
    LoopGemm<T>(d, a, b, c, sharder);
  }
}

template <typename T>
void BatchGemm(const GemmDims& d, int64_t batch, const T* a, const int64_t* a_index, const T* b,
               const int64_t* b_index, T* c, const Sharder& sharder) {
  const int64_t a_size = d.m * d.k, b_size = d.k * d.n, c_size = d.m * d.n;
  const int64_t macs = d.m * d.n * d.k;
  auto one = [&](int64_t i, const Sharder& s) {
    const int64_t ai = a_index == nullptr ? i : a_index[i];
    const int64_t bi = b_index == nullptr ? i : b_index[i];
    Gemm<T>(d, a + ai * a_size, b + bi * b_size, c + i * c_size, s);
  };
  const InlineSharder inline_sharder;
  if (batch == 1 || macs >= 4 * kParallelMacs || sharder.num_threads() <= 1 ||
      macs * batch < kParallelMacs) {
    // One product at a time; each large one is split by Gemm itself.
    for (int64_t i = 0; i < batch; ++i) one(i, sharder);
    return;
  }
  // Many small products: spread whole products over the pool.
  sharder.ParallelFor(batch, std::max<int64_t>(1, macs / kMacsPerCycle),
                      [&](int64_t first, int64_t last) {
                        for (int64_t i = first; i < last; ++i) one(i, inline_sharder);
                      });
}

#define TF1HUB_INSTANTIATE_GEMM_(T)                                                        \
  template void Gemm<T>(const GemmDims&, const T*, const T*, T*, const Sharder&);          \
  template void BatchGemm<T>(const GemmDims&, int64_t, const T*, const int64_t*, const T*, \
                             const int64_t*, T*, const Sharder&);
TF1HUB_INSTANTIATE_GEMM_(float)
TF1HUB_INSTANTIATE_GEMM_(double)
TF1HUB_INSTANTIATE_GEMM_(Complex64)
TF1HUB_INSTANTIATE_GEMM_(Complex128)
TF1HUB_INSTANTIATE_GEMM_(Half)
TF1HUB_INSTANTIATE_GEMM_(BFloat16)
TF1HUB_INSTANTIATE_GEMM_(int16_t)
TF1HUB_INSTANTIATE_GEMM_(int32_t)
TF1HUB_INSTANTIATE_GEMM_(int64_t)
TF1HUB_INSTANTIATE_GEMM_(uint8_t)
TF1HUB_INSTANTIATE_GEMM_(uint16_t)
TF1HUB_INSTANTIATE_GEMM_(uint32_t)
TF1HUB_INSTANTIATE_GEMM_(uint64_t)
#undef TF1HUB_INSTANTIATE_GEMM_

}  // namespace matmul
}  // namespace tf1hub
