// Matrix products on raw row-major buffers, for MatMul and BatchMatMulV2
// (matmul_ops.cc). Knows nothing about kernels: the caller validates shapes
// and passes a Sharder for parallelism.
//
//   GemmDims d{.m = 2, .n = 4, .k = 3};  // c[2,4] = a[2,3] * b[3,4]
//   Gemm<float>(d, a, b, c, sharder);
//
// How each dtype is computed (chosen to follow TensorFlow's CPU results):
//   * float, double, complex64, complex128: OpenBLAS (cblas_?gemm / ?gemv),
//     single-threaded per call; large products are split into row or column
//     blocks run on the caller's intra-op pool, so OpenBLAS never starts
//     threads of its own (we set its thread count to 1 on first use).
//   * bfloat16: widened to float, one sgemm, rounded back to bfloat16
//     (TensorFlow's oneDNN path accumulates bfloat16 products in float).
//   * half: accumulated in half precision, one rounding per multiply-add
//     (TensorFlow's Eigen contraction accumulates in half: 4096 products of
//     1 * 1 sum to 2048).
//   * integers: exact products and sums that wrap modulo 2^bits, as
//     TensorFlow's int32/int64 MatMul does (computed in unsigned arithmetic).
//
// Thread safety: the functions are reentrant; concurrent calls are fine.
#ifndef TF1HUB_KERNELS_MATMUL_MATH_H_
#define TF1HUB_KERNELS_MATMUL_MATH_H_

#include <cstdint>
#include <functional>

namespace tf1hub {
namespace matmul {

// c[m, n] = op(a) * op(b) where op(a) is [m, k] and op(b) is [k, n].
// a is stored [m, k] row-major, or [k, m] when trans_a; b is stored [k, n],
// or [n, k] when trans_b. conj_* (complex types only) conjugate an operand
// as well (BatchMatMulV2's adj_x/adj_y = conjugate transpose).
struct GemmDims {
  int64_t m = 0;
  int64_t n = 0;
  int64_t k = 0;
  bool trans_a = false;
  bool trans_b = false;
  bool conj_a = false;
  bool conj_b = false;
};

// Parallelism as the kernel's context provides it.
class Sharder {
 public:
  virtual ~Sharder() = default;
  virtual int num_threads() const = 0;
  // Runs work(begin, end) over disjoint ranges covering [0, total);
  // cost_per_unit is roughly the cycles one unit takes.
  virtual void ParallelFor(int64_t total, int64_t cost_per_unit,
                           const std::function<void(int64_t, int64_t)>& work) const = 0;
};

// A Sharder that runs everything on the calling thread.
class InlineSharder : public Sharder {
 public:
  int num_threads() const override { return 1; }
  void ParallelFor(int64_t total, int64_t cost_per_unit,
                   const std::function<void(int64_t, int64_t)>& work) const override {
    if (total > 0) work(0, total);
  }
};

// c = op(a) * op(b). Requires m, n, k > 0 (callers handle empty products:
// an empty output needs nothing, k == 0 gives zeros). T is tf1hub's element
// type (float, double, Complex64, Complex128, Half, BFloat16, int16_t,
// int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t).
template <typename T>
void Gemm(const GemmDims& d, const T* a, const T* b, T* c, const Sharder& sharder);

// Batched products: for i in [0, batch), c + i*m*n = op(a_i) * op(b_i) with
// a_i = a + a_index[i] * (m*k) and b_i = b + b_index[i] * (k*n) (index
// arrays may be null: identity). Same requirements as Gemm.
template <typename T>
void BatchGemm(const GemmDims& d, int64_t batch, const T* a, const int64_t* a_index, const T* b,
               const int64_t* b_index, T* c, const Sharder& sharder);

}  // namespace matmul
}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_MATMUL_MATH_H_
