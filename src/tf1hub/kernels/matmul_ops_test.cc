// Tests for MatMul and BatchMatMulV2 (matmul_ops.cc, matmul_math.cc).
// Expected values come from naive reference loops in this file, by-hand
// arithmetic, or TensorFlow 2.15.1 (oracle venv), as noted per test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <bit>
#include <cmath>
#include <complex>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tf1hub/kernels/kernel_test_util.h"

namespace tf1hub {
namespace {

template <typename T>
Tensor Make(const std::vector<T>& v, std::initializer_list<int64_t> dims) {
  return *Tensor::FromVector<T>(v, *TensorShape::Create(dims));
}
template <typename T>
Tensor MakeShaped(const std::vector<T>& v, const std::vector<int64_t>& dims) {
  return *Tensor::FromVector<T>(v, *TensorShape::Create(dims));
}

std::vector<float> Random(int64_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(gen);
  return v;
}

// Reference op(a) * op(b) in double; a is [m,k] (or [k,m] when ta).
std::vector<double> Reference(const std::vector<float>& a, const std::vector<float>& b, int64_t m,
                              int64_t n, int64_t k, bool ta, bool tb) {
  std::vector<double> c(static_cast<size_t>(m * n), 0.0);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (int64_t p = 0; p < k; ++p) {
        const double av = ta ? a[p * m + i] : a[i * k + p];
        const double bv = tb ? b[j * k + p] : b[p * n + j];
        s += av * bv;
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

void ExpectNear(const Tensor& t, const std::vector<double>& want) {
  ASSERT_EQ(t.NumElements(), static_cast<int64_t>(want.size()));
  const float* got = t.flat<float>().data();
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_NEAR(got[i], want[i], 1e-5 * (1 + std::abs(want[i]))) << "element " << i;
  }
}

StatusOr<std::vector<Tensor>> RunMatMul(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  KernelRunner r("MatMul");
  r.Attr("T", a.dtype()).Attr("transpose_a", ta).Attr("transpose_b", tb).Input(a).Input(b);
  return r.Run();
}

StatusOr<std::vector<Tensor>> RunBatch(const Tensor& x, const Tensor& y, bool adj_x, bool adj_y) {
  KernelRunner r("BatchMatMulV2");
  r.Attr("T", x.dtype()).Attr("adj_x", adj_x).Attr("adj_y", adj_y).Input(x).Input(y);
  return r.Run();
}

TEST(MatMulTest, SmallByHand) {
  // [[1,2,3],[4,5,6]] * [[1,0],[0,1],[1,1]] = [[4,5],[10,11]].
  auto out = RunMatMul(Make<float>({1, 2, 3, 4, 5, 6}, {2, 3}),
                       Make<float>({1, 0, 0, 1, 1, 1}, {3, 2}), false, false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].shape().DebugString(), "[2,2]");
  EXPECT_THAT((*out)[0].flat<float>(), ::testing::ElementsAre(4, 5, 10, 11));
}

// Every transpose combination, for shapes that take the gemv paths (m or
// n == 1), the single-call path and the split-over-threads path.
TEST(MatMulTest, TransposesAndShapesAgainstReference) {
  struct Case {
    int64_t m, n, k;
  };
  for (const Case& c : {Case{1, 200, 50}, Case{1, 100, 200}, Case{7, 1, 13}, Case{5, 9, 3},
                        Case{64, 48, 40}, Case{1024, 200, 50}, Case{20, 700, 90}}) {
    for (bool ta : {false, true}) {
      for (bool tb : {false, true}) {
        const std::vector<float> a = Random(c.m * c.k, 1), b = Random(c.k * c.n, 2);
        const Tensor at = ta ? MakeShaped(a, {c.k, c.m}) : MakeShaped(a, {c.m, c.k});
        const Tensor bt = tb ? MakeShaped(b, {c.n, c.k}) : MakeShaped(b, {c.k, c.n});
        auto out = RunMatMul(at, bt, ta, tb);
        ASSERT_TRUE(out.ok()) << out.status().ToString();
        SCOPED_TRACE("m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) +
                     " k=" + std::to_string(c.k) + " ta=" + std::to_string(ta) +
                     " tb=" + std::to_string(tb));
        EXPECT_EQ((*out)[0].shape().DebugString(),
                  "[" + std::to_string(c.m) + "," + std::to_string(c.n) + "]");
        ExpectNear((*out)[0], Reference(a, b, c.m, c.n, c.k, ta, tb));
      }
    }
  }
}

TEST(MatMulTest, DoubleAgainstReference) {
  const std::vector<float> a = Random(6 * 4, 3), b = Random(4 * 5, 4);
  std::vector<double> ad(a.begin(), a.end()), bd(b.begin(), b.end());
  auto out = RunMatMul(MakeShaped(ad, {6, 4}), MakeShaped(bd, {5, 4}), false, true);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::vector<double> want = Reference(a, b, 6, 5, 4, false, true);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR((*out)[0].flat<double>()[i], want[i], 1e-12);
}

TEST(MatMulTest, EmptyProducts) {
  // k == 0: zeros, as TensorFlow gives.
  auto out = RunMatMul(Make<float>({}, {2, 0}), Make<float>({}, {0, 3}), false, false);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].shape().DebugString(), "[2,3]");
  EXPECT_THAT((*out)[0].flat<float>(), ::testing::Each(0.0f));
  out = RunMatMul(Make<float>({}, {0, 4}), Make<float>(std::vector<float>(12, 1), {4, 3}), false,
                  false);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].shape().DebugString(), "[0,3]");
}

TEST(MatMulTest, IntegersWrap) {
  // TensorFlow: [[2147483647, 5]] x [[2],[1]] = [[3]] (wraps).
  auto out = RunMatMul(Make<int32_t>({2147483647, 5}, {1, 2}), Make<int32_t>({2, 1}, {2, 1}), false,
                       false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].flat<int32_t>()[0], 3);
  // 200*2 + 100*1 = 500 = 244 (mod 256).
  out = RunMatMul(Make<uint8_t>({200, 100}, {1, 2}), Make<uint8_t>({2, 1}, {2, 1}), false, false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].flat<uint8_t>()[0], 244);
  out = RunMatMul(Make<int64_t>({1, 2, 3, 4}, {2, 2}), Make<int64_t>({5, 6, 7, 8}, {2, 2}), true,
                  false);
  ASSERT_TRUE(out.ok());
  // [[1,3],[2,4]] x [[5,6],[7,8]] = [[26,30],[38,44]].
  EXPECT_THAT((*out)[0].flat<int64_t>(), ::testing::ElementsAre(26, 30, 38, 44));
}

Half ToHalf(float v) { return Half{std::bit_cast<uint16_t>(Eigen::half(v))}; }
float FromHalf(Half h) { return static_cast<float>(std::bit_cast<Eigen::half>(h.bits)); }
BFloat16 ToBf16(float v) { return BFloat16{std::bit_cast<uint16_t>(Eigen::bfloat16(v))}; }
float FromBf16(BFloat16 h) { return static_cast<float>(std::bit_cast<Eigen::bfloat16>(h.bits)); }

TEST(MatMulTest, HalfAccumulatesInHalfBFloat16InFloat) {
  // TensorFlow 2.15: 4096 products of 1*1 sum to 2048 in half (2048 + 1
  // rounds back to 2048) and to 4096 in bfloat16 (float accumulation).
  auto out = RunMatMul(MakeShaped(std::vector<Half>(4096, ToHalf(1)), {1, 4096}),
                       MakeShaped(std::vector<Half>(4096, ToHalf(1)), {4096, 1}), false, false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(FromHalf((*out)[0].flat<Half>()[0]), 2048.0f);
  auto bf = RunMatMul(MakeShaped(std::vector<BFloat16>(4096, ToBf16(1)), {1, 4096}),
                      MakeShaped(std::vector<BFloat16>(4096, ToBf16(1)), {4096, 1}), false, false);
  ASSERT_TRUE(bf.ok()) << bf.status().ToString();
  EXPECT_EQ(FromBf16((*bf)[0].flat<BFloat16>()[0]), 4096.0f);
}

TEST(MatMulTest, ComplexHasNoConjugation) {
  // TensorFlow: [[1+2j, 3-1j]] x [[2-1j], [1j]] = [[5+6j]].
  using C = Complex64;
  auto out = RunMatMul(Make<C>({C(1, 2), C(3, -1)}, {1, 2}), Make<C>({C(2, -1), C(0, 1)}, {2, 1}),
                       false, false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].flat<C>()[0], C(5, 6));
}

TEST(MatMulTest, ShapeErrorsWordedPerDtype) {
  // Messages as TensorFlow 2.15 prints them (oneDNN for float/bfloat16).
  auto s = RunMatMul(Make<float>({1, 2, 3}, {3}), Make<float>({1, 2, 3, 4}, {2, 2}), false, false);
  EXPECT_EQ(s.status().message(), "In[0] ndims must be >= 2");
  s = RunMatMul(Make<float>({1, 2, 3, 4}, {2, 2}), Make<float>(std::vector<float>(8), {2, 2, 2}),
                false, false);
  EXPECT_EQ(s.status().message(), "In[1] ndims must be >= 2");
  s = RunMatMul(Make<double>({1, 2, 3}, {3}), Make<double>({1, 2, 3, 4}, {2, 2}), false, false);
  EXPECT_EQ(s.status().message(), "In[0] and In[1] has different ndims: [3] vs. [2,2]");
  s = RunMatMul(Make<double>(std::vector<double>(8), {2, 2, 2}),
                Make<double>(std::vector<double>(8), {2, 2, 2}), false, false);
  EXPECT_EQ(s.status().message(), "In[0] and In[1] ndims must be == 2: 3");
  s = RunMatMul(Make<float>(std::vector<float>(6), {2, 3}),
                Make<float>(std::vector<float>(20), {4, 5}), true, false);
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(), "Matrix size-incompatible: In[0]: [2,3], In[1]: [4,5]");
}

// ---- BatchMatMulV2.

TEST(BatchMatMulV2Test, BroadcastsBatchDimsAgainstReference) {
  // x [2,1,2,3] * y [3,3,4] -> [2,3,2,4]; x's batch [2,1] broadcasts with [3].
  const std::vector<float> x = Random(2 * 1 * 2 * 3, 5), y = Random(3 * 3 * 4, 6);
  for (bool adj_y : {false, true}) {
    const Tensor yt = adj_y ? MakeShaped(y, {3, 4, 3}) : MakeShaped(y, {3, 3, 4});
    auto out = RunBatch(MakeShaped(x, {2, 1, 2, 3}), yt, false, adj_y);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ((*out)[0].shape().DebugString(), "[2,3,2,4]");
    std::vector<double> want;
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 3; ++j) {
        const std::vector<float> xi(x.begin() + i * 6, x.begin() + i * 6 + 6);
        const std::vector<float> yj(y.begin() + j * 12, y.begin() + j * 12 + 12);
        const std::vector<double> c = Reference(xi, yj, 2, 4, 3, false, adj_y);
        want.insert(want.end(), c.begin(), c.end());
      }
    }
    ExpectNear((*out)[0], want);
  }
}

TEST(BatchMatMulV2Test, ManyBatchesAndLargeBatches) {
  // 300 batches of [4,8]x[8,5] (spread over threads), and 3 of
  // [300,64]x[64,70] (each split).
  struct Case {
    int64_t batch, m, n, k;
  };
  for (const Case& c : {Case{300, 4, 5, 8}, Case{3, 300, 70, 64}}) {
    const std::vector<float> x = Random(c.batch * c.m * c.k, 7), y = Random(c.batch * c.k * c.n, 8);
    auto out = RunBatch(MakeShaped(x, {c.batch, c.k, c.m}), MakeShaped(y, {c.batch, c.k, c.n}),
                        true, false);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    std::vector<double> want;
    for (int64_t b = 0; b < c.batch; ++b) {
      const std::vector<float> xb(x.begin() + b * c.m * c.k, x.begin() + (b + 1) * c.m * c.k);
      const std::vector<float> yb(y.begin() + b * c.k * c.n, y.begin() + (b + 1) * c.k * c.n);
      const std::vector<double> r = Reference(xb, yb, c.m, c.n, c.k, true, false);
      want.insert(want.end(), r.begin(), r.end());
    }
    ExpectNear((*out)[0], want);
  }
}

TEST(BatchMatMulV2Test, AdjointConjugatesComplex) {
  // TensorFlow: adj_x, adj_y of [[[1+2j],[3-1j]]] and [[[2-1j, 1j]]] =
  // [[[5-6j]]].
  using C = Complex64;
  auto out = RunBatch(Make<C>({C(1, 2), C(3, -1)}, {1, 2, 1}),
                      Make<C>({C(2, -1), C(0, 1)}, {1, 1, 2}), true, true);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].shape().DebugString(), "[1,1,1]");
  EXPECT_EQ((*out)[0].flat<C>()[0], C(5, -6));
}

TEST(BatchMatMulV2Test, Int16AndEmpty) {
  auto out =
      RunBatch(Make<int16_t>({1, 2, 3, 4}, {2, 1, 2}), Make<int16_t>({5, 6}, {2, 1}), false, false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].shape().DebugString(), "[2,1,1]");
  EXPECT_THAT((*out)[0].flat<int16_t>(), ::testing::ElementsAre(17, 39));
  // TensorFlow: [0,2,3] x [1,3,4] -> [0,2,4]; [2,1,0] x [1,0,4] -> zeros
  // [2,1,4].
  out = RunBatch(Make<float>({}, {0, 2, 3}), Make<float>(std::vector<float>(12, 1), {1, 3, 4}),
                 false, false);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].shape().DebugString(), "[0,2,4]");
  out = RunBatch(Make<float>({}, {2, 1, 0}), Make<float>({}, {1, 0, 4}), false, false);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].shape().DebugString(), "[2,1,4]");
  EXPECT_THAT((*out)[0].flat<float>(), ::testing::Each(0.0f));
}

TEST(BatchMatMulV2Test, Errors) {
  // Messages as TensorFlow 2.15 prints them.
  auto s = RunBatch(Make<float>({1, 2, 3}, {3}), Make<float>(std::vector<float>(8), {2, 4}), false,
                    false);
  EXPECT_EQ(s.status().message(), "In[0] ndims must be >= 2: 1");
  s = RunBatch(Make<double>(std::vector<double>(12), {2, 2, 3}),
               Make<double>(std::vector<double>(27), {3, 3, 3}), false, false);
  EXPECT_EQ(s.status().message(),
            "In[0] and In[1] must have compatible batch "
            "dimensions: [2,2,3] vs. [3,3,3]");
  s = RunBatch(Make<float>(std::vector<float>(12), {2, 2, 3}),
               Make<float>(std::vector<float>(16), {2, 2, 4}), false, false);
  EXPECT_EQ(s.status().message(), "Matrix size-incompatible: In[0]: [2,2,3], In[1]: [2,2,4] 0 0");
  s = RunBatch(Make<double>(std::vector<double>(30), {5, 2, 3}),
               Make<double>(std::vector<double>(60), {5, 3, 4}), true, false);
  EXPECT_EQ(s.status().message(), "Matrix size-incompatible: In[0]: [5,2,3], In[1]: [5,3,4]");
}

}  // namespace
}  // namespace tf1hub
