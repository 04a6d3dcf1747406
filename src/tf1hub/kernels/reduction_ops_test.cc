// Tests for the reduction kernels (reduction_ops*.cc, reduction_helpers.cc).
// Expected values are by hand, from reference loops in this file, or from
// TensorFlow 2.15.1 (oracle venv, graph mode), as noted per test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "tf1hub/kernels/kernel_test_util.h"
#include "tf1hub/kernels/reduction_helpers.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

template <typename T>
Tensor Make(const std::vector<T>& v, const std::vector<int64_t>& dims) {
  return *Tensor::FromVector<T>(v, *TensorShape::Create(dims));
}
Tensor Axes(const std::vector<int32_t>& v) {
  return Make<int32_t>(v, {static_cast<int64_t>(v.size())});
}

Half ToHalf(float v) { return Half{std::bit_cast<uint16_t>(Eigen::half(v))}; }
float FromHalf(Half h) { return static_cast<float>(std::bit_cast<Eigen::half>(h.bits)); }
BFloat16 ToBf16(float v) { return BFloat16{std::bit_cast<uint16_t>(Eigen::bfloat16(v))}; }
float FromBf16(BFloat16 h) { return static_cast<float>(std::bit_cast<Eigen::bfloat16>(h.bits)); }

StatusOr<Tensor> Reduce(const std::string& op, const Tensor& x, const Tensor& axes,
                        bool keep_dims = false) {
  KernelRunner r(op);
  r.Attr("T", x.dtype())
      .Attr("Tidx", axes.dtype())
      .Attr("keep_dims", keep_dims)
      .Input(x)
      .Input(axes);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

// ---- Planning.

TEST(ReductionPlanTest, Forms) {
  using reduction::Plan;
  auto plan = [](std::vector<int64_t> dims, std::vector<int32_t> axes, bool keep = false) {
    return *reduction::PlanReduction(*TensorShape::Create(dims), Axes(axes), keep);
  };
  Plan p = plan({2, 3, 4}, {0, 1, 2});
  EXPECT_EQ(p.form, Plan::kAll);
  EXPECT_EQ(p.reduced, 24);
  EXPECT_EQ(p.out_shape.DebugString(), "[]");
  p = plan({2, 3, 4}, {2}, true);
  EXPECT_EQ(p.form, Plan::kInner);
  EXPECT_EQ(p.outer, 6);
  EXPECT_EQ(p.reduced, 4);
  EXPECT_EQ(p.out_shape.DebugString(), "[2,3,1]");
  p = plan({2, 3, 4}, {0});
  EXPECT_EQ(p.form, Plan::kOuter);
  EXPECT_EQ(p.reduced, 2);
  EXPECT_EQ(p.inner, 12);
  p = plan({2, 3, 4, 5}, {1, -2});
  EXPECT_EQ(p.form, Plan::kMiddle);
  EXPECT_EQ(p.outer, 2);
  EXPECT_EQ(p.reduced, 12);
  EXPECT_EQ(p.inner, 5);
  // Size-1 dims join their left neighbour: [2,1,3,1,5] over {1,4} is [6,5]
  // reduced over its last dim.
  p = plan({2, 1, 3, 1, 5}, {1, 4});
  EXPECT_EQ(p.form, Plan::kInner);
  EXPECT_EQ(p.outer, 6);
  EXPECT_EQ(p.reduced, 5);
  EXPECT_EQ(p.out_shape.DebugString(), "[2,3,1]");
  p = plan({2, 3, 4}, {0, 2});
  EXPECT_EQ(p.form, Plan::kGeneral);
  EXPECT_EQ(p.outer, 3);
  EXPECT_EQ(p.reduced, 8);
  EXPECT_EQ(plan({2, 3}, {}).form, Plan::kCopy);
  EXPECT_EQ(plan({2, 1}, {1}).form, Plan::kCopy);
  EXPECT_EQ(plan({1, 1}, {0, 1}).form, Plan::kCopy);
}

TEST(ReductionPlanTest, AxisErrors) {
  // TensorFlow's messages (note the unbalanced parenthesis).
  const TensorShape s = *TensorShape::Create({2, 3});
  EXPECT_EQ(reduction::PlanReduction(s, Axes({5}), false).status().message(),
            "Invalid reduction dimension (5 for input with 2 dimension(s)");
  EXPECT_EQ(reduction::PlanReduction(s, Axes({-3}), false).status().message(),
            "Invalid reduction dimension (-3 for input with 2 dimension(s)");
  EXPECT_EQ(reduction::PlanReduction(s, Axes({1, -1}), false).status().message(),
            "Invalid reduction arguments: Axes contains duplicate dimension: 1");
  EXPECT_EQ(reduction::PlanReduction(TensorShape(), Axes({0}), false).status().message(),
            "Invalid reduction dimension (0 for input with 0 dimension(s)");
}

// ---- Sum, Mean, Prod, Max, Min.

TEST(ReductionTest, FloatFormsByHand) {
  const Tensor x = Make<float>({0, 1, 2, 3, 4, 5}, {2, 3});
  auto out = Reduce("Sum", x, Axes({1}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(out->flat<float>(), ElementsAre(3, 12));
  out = Reduce("Sum", x, Axes({0}), true);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape().DebugString(), "[1,3]");
  EXPECT_THAT(out->flat<float>(), ElementsAre(3, 5, 7));
  out = Reduce("Mean", x, Axes({0, 1}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape().DebugString(), "[]");
  EXPECT_FLOAT_EQ(out->flat<float>()[0], 2.5f);
  out = Reduce("Max", x, Make<int64_t>({-1}, {}));  // scalar int64 axis
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(out->flat<float>(), ElementsAre(2, 5));
  out = Reduce("Min", x, Make<int32_t>({0}, {1, 1}));  // axes of any rank
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(out->flat<float>(), ElementsAre(0, 1, 2));
  out = Reduce("Prod", x, Axes({0}));
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(out->flat<float>(), ElementsAre(0, 4, 10));
  // No axes: the input unchanged.
  out = Reduce("Sum", x, Axes({}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape().DebugString(), "[2,3]");
  EXPECT_THAT(out->flat<float>(), ElementsAre(0, 1, 2, 3, 4, 5));
  // TensorFlow: Sum([0..23] as [2,3,4], [0,2], keep_dims) =
  // [[[60],[92],[124]]].
  std::vector<float> v(24);
  for (int i = 0; i < 24; ++i) v[i] = i;
  out = Reduce("Sum", Make<float>(v, {2, 3, 4}), Axes({0, 2}), true);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape().DebugString(), "[1,3,1]");
  EXPECT_THAT(out->flat<float>(), ElementsAre(60, 92, 124));
}

// Every op, form and a general transpose, against a double-precision loop.
TEST(ReductionTest, RandomAgainstReference) {
  const std::vector<int64_t> dims = {3, 4, 5, 6};
  std::vector<float> v(360);
  std::mt19937 gen(11);
  std::uniform_real_distribution<float> dist(0.5f, 1.5f);
  for (float& x : v) x = dist(gen);
  const Tensor x = Make<float>(v, dims);
  const std::vector<std::vector<int32_t>> axes_cases = {{0},    {3},          {1, 2},   {0, 2},
                                                        {1, 3}, {0, 1, 2, 3}, {0, 1, 3}};
  for (const char* op : {"Sum", "Mean", "Prod", "Max", "Min"}) {
    for (const std::vector<int32_t>& axes : axes_cases) {
      auto out = Reduce(op, x, Axes(axes));
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      std::vector<bool> red(4, false);
      for (int a : axes) red[a] = true;
      // Reference: visit every input element, accumulate into its output.
      std::vector<double> acc;
      std::vector<int64_t> count;
      const std::string o = op;
      const double init = o == "Prod" ? 1 : o == "Max" ? -1e300 : o == "Min" ? 1e300 : 0;
      acc.assign(static_cast<size_t>(out->NumElements()), init);
      count.assign(acc.size(), 0);
      for (int64_t i = 0; i < 360; ++i) {
        int64_t rem = i, oi = 0, omul = 1;
        for (int d = 3; d >= 0; --d) {
          const int64_t idx = rem % dims[d];
          rem /= dims[d];
          if (!red[d]) {
            oi += idx * omul;
            omul *= dims[d];
          }
        }
        double& a = acc[oi];
        if (o == "Prod")
          a *= v[i];
        else if (o == "Max")
          a = std::max(a, double(v[i]));
        else if (o == "Min")
          a = std::min(a, double(v[i]));
        else
          a += v[i];
        ++count[oi];
      }
      for (size_t j = 0; j < acc.size(); ++j) {
        const double want = o == "Mean" ? acc[j] / count[j] : acc[j];
        ASSERT_NEAR(out->flat<float>()[j], want, 1e-5 * (1 + std::abs(want)))
            << op << " axes " << ::testing::PrintToString(axes) << " element " << j;
      }
    }
  }
}

TEST(ReductionTest, LargeSumsAreThreadedAndAccurate) {
  std::vector<float> v(1 << 20);
  std::vector<double> row_sum(1024, 0.0), col_sum(1024, 0.0);
  for (size_t i = 0; i < v.size(); ++i) {
    v[i] = static_cast<float>((i * 7919) % 1000) / 1000.0f;
    row_sum[i / 1024] += v[i];
    col_sum[i % 1024] += v[i];
  }
  const Tensor x = Make<float>(v, {1024, 1024});
  auto rows = Reduce("Sum", x, Axes({1}));
  auto cols = Reduce("Sum", x, Axes({0}));
  auto all = Reduce("Mean", x, Axes({0, 1}));
  ASSERT_TRUE(rows.ok() && cols.ok() && all.ok());
  double total = 0;
  for (int i = 0; i < 1024; ++i) {
    ASSERT_NEAR(rows->flat<float>()[i], row_sum[i], 1e-5 * row_sum[i]);
    ASSERT_NEAR(cols->flat<float>()[i], col_sum[i], 1e-5 * col_sum[i]);
    total += row_sum[i];
  }
  EXPECT_NEAR(all->flat<float>()[0], total / v.size(), 1e-5);
}

TEST(ReductionTest, IntegersWrapAndMeanTruncates) {
  // TensorFlow 2.15.1 values.
  auto s = Reduce("Sum", Make<int8_t>({100, 100, 100}, {3}), Axes({0}));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->flat<int8_t>()[0], 44);
  auto m = Reduce("Mean", Make<int8_t>({100, 100, 100}, {3}), Axes({0}));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->flat<int8_t>()[0], 100);  // summed in 64 bits
  m = Reduce("Mean", Make<uint8_t>({255, 255, 1}, {3}), Axes({0}));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->flat<uint8_t>()[0], 170);
  m = Reduce("Mean", Make<int32_t>({1, 2, 2, -7}, {4}), Axes({0}));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->flat<int32_t>()[0], 0);  // -2 / 4 truncates toward zero
  m = Reduce("Mean", Make<int32_t>({-7, 2}, {2}), Axes({0}));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->flat<int32_t>()[0], -2);
  const int64_t big = int64_t{1} << 62;
  m = Reduce("Mean", Make<int64_t>({big, big, big, 3}, {4}), Axes({0}));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->flat<int64_t>()[0], -1152921504606846975);  // int64 sums wrap
  auto p = Reduce("Prod", Make<int32_t>({3, -5, 7, 100, 100, 100}, {2, 3}), Make<int64_t>({1}, {}));
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p->flat<int32_t>(), ElementsAre(-105, 1000000));
  p = Reduce("Prod", Make<int8_t>({3, -5, 7, 100, 100, 100}, {2, 3}), Axes({1}));
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p->flat<int8_t>(), ElementsAre(-105, 64));
  auto mx = Reduce("Max", Make<uint16_t>({3, 9, 7, 1, 65535, 2}, {3, 2}), Axes({0}));
  ASSERT_TRUE(mx.ok());
  EXPECT_THAT(mx->flat<uint16_t>(), ElementsAre(65535, 9));
  auto mn = Reduce("Min", Make<int64_t>({3, 9, 7, 1, -4, 2, 0, 0}, {2, 2, 2}), Axes({1}));
  ASSERT_TRUE(mn.ok());
  EXPECT_THAT(mn->flat<int64_t>(), ElementsAre(3, 1, -4, 0));
}

TEST(ReductionTest, EmptyReductionsGiveIdentities) {
  // TensorFlow 2.15.1: over axis 0 of a [0,3] float input.
  const Tensor e = Make<float>({}, {0, 3});
  auto check = [&](const char* op, float want) {
    auto out = Reduce(op, e, Axes({0}));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ(out->shape().DebugString(), "[3]");
    for (float v : out->flat<float>()) {
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(v)) << op;
      } else {
        EXPECT_EQ(v, want) << op;
      }
    }
  };
  check("Sum", 0);
  check("Prod", 1);
  check("Max", -kInf);
  check("Min", kInf);
  check("Mean", kNaN);
  auto kept = Reduce("Sum", e, Axes({1}));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->shape().DebugString(), "[0]");
  auto i = Reduce("Max", Make<int32_t>({}, {0}), Axes({0}));
  ASSERT_TRUE(i.ok());
  EXPECT_EQ(i->flat<int32_t>()[0], std::numeric_limits<int32_t>::min());
  i = Reduce("Mean", Make<int32_t>({}, {0}), Axes({0}));
  ASSERT_TRUE(i.ok());
  EXPECT_EQ(i->flat<int32_t>()[0], 0);
  auto u = Reduce("Min", Make<uint8_t>({}, {0}), Axes({0}));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->flat<uint8_t>()[0], 255);
  auto c = Reduce("Mean", Make<Complex64>({}, {0}), Axes({0}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->flat<Complex64>()[0], Complex64(0, 0));
  auto h = Reduce("Mean", Make<BFloat16>({}, {0}), Axes({0}));
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(std::isnan(FromBf16(h->flat<BFloat16>()[0])));
}

TEST(ReductionTest, MaxMinPropagateNaN) {
  // TensorFlow 2.15.1: NaN wins wherever it is.
  for (const std::vector<float>& v :
       {std::vector<float>{1, kNaN, 3}, std::vector<float>{kNaN, 1, 3},
        std::vector<float>{1, 3, kNaN}}) {
    auto mx = Reduce("Max", Make<float>(v, {3}), Axes({0}));
    auto mn = Reduce("Min", Make<float>(v, {3}), Axes({0}));
    ASSERT_TRUE(mx.ok() && mn.ok());
    EXPECT_TRUE(std::isnan(mx->flat<float>()[0]));
    EXPECT_TRUE(std::isnan(mn->flat<float>()[0]));
  }
  std::vector<float> big(101, 1.0f);
  big[50] = kNaN;
  auto mx = Reduce("Max", Make<float>(big, {101}), Axes({0}));
  ASSERT_TRUE(mx.ok());
  EXPECT_TRUE(std::isnan(mx->flat<float>()[0]));
}

TEST(ReductionTest, HalfAndBFloat16SumInFloat) {
  // TensorFlow 2.15.1: 5000 ones sum to 5000 (half) and 4992 (bfloat16);
  // 3000 x bfloat16(0.1) sums to 300 and averages to 0.0996094.
  auto h = Reduce("Sum", Make<Half>(std::vector<Half>(5000, ToHalf(1)), {5000}), Axes({0}));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(FromHalf(h->flat<Half>()[0]), 5000.0f);
  auto b = Reduce("Sum", Make<BFloat16>(std::vector<BFloat16>(5000, ToBf16(1)), {5000}), Axes({0}));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(FromBf16(b->flat<BFloat16>()[0]), 4992.0f);
  const Tensor tenths = Make<BFloat16>(std::vector<BFloat16>(3000, ToBf16(0.1f)), {3000});
  b = Reduce("Sum", tenths, Axes({0}));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(FromBf16(b->flat<BFloat16>()[0]), 300.0f);
  b = Reduce("Mean", tenths, Axes({0}));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(FromBf16(b->flat<BFloat16>()[0]), 0.099609375f);
  auto m = Reduce("Max", Make<Half>({ToHalf(1), ToHalf(-3), ToHalf(2.5f)}, {3}), Axes({0}));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(FromHalf(m->flat<Half>()[0]), 2.5f);
}

TEST(ReductionTest, NarrowColumnSumsDriftLikeTensorFlow) {
  // x[r][c] = 0.1 + ((7r + 3c) % 19) * 0.1, shape [300, 2], reduced over
  // axis 0. TensorFlow 2.15.1 gives: bfloat16 Mean [1.0234375, 1.0234375]
  // (accumulated in bfloat16; the float mean is ~0.9974), bfloat16 Sum
  // [300, 300] (float accumulation), float16 Sum [299.25, 300].
  std::vector<BFloat16> b;
  std::vector<Half> h;
  for (int r = 0; r < 300; ++r) {
    for (int c = 0; c < 2; ++c) {
      const float v = static_cast<float>(0.1 + ((r * 7 + c * 3) % 19) * 0.1);
      b.push_back(ToBf16(v));
      h.push_back(ToHalf(v));
    }
  }
  auto mean = Reduce("Mean", Make<BFloat16>(b, {300, 2}), Axes({0}));
  ASSERT_TRUE(mean.ok()) << mean.status().ToString();
  EXPECT_EQ(FromBf16(mean->flat<BFloat16>()[0]), 1.0234375f);
  EXPECT_EQ(FromBf16(mean->flat<BFloat16>()[1]), 1.0234375f);
  auto sum = Reduce("Sum", Make<BFloat16>(b, {300, 2}), Axes({0}));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(FromBf16(sum->flat<BFloat16>()[0]), 300.0f);
  EXPECT_EQ(FromBf16(sum->flat<BFloat16>()[1]), 300.0f);
  auto hs = Reduce("Sum", Make<Half>(h, {300, 2}), Axes({0}));
  ASSERT_TRUE(hs.ok());
  EXPECT_EQ(FromHalf(hs->flat<Half>()[0]), 299.25f);
  EXPECT_EQ(FromHalf(hs->flat<Half>()[1]), 300.0f);
}

TEST(ReductionTest, ComplexSumAndMean) {
  // TensorFlow 2.15.1: Mean([1+1j, 2-3j]) = 1.5-1j.
  auto m = Reduce("Mean", Make<Complex64>({{1, 1}, {2, -3}}, {2}), Axes({0}));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->flat<Complex64>()[0], Complex64(1.5f, -1));
  auto p = Reduce("Prod", Make<Complex128>({{0, 1}, {0, 1}}, {2}), Axes({0}));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->flat<Complex128>()[0], Complex128(-1, 0));
}

TEST(ReductionTest, Errors) {
  EXPECT_EQ(Reduce("Sum", Make<float>({1, 2}, {2}), Axes({0, 0})).status().message(),
            "Invalid reduction arguments: Axes contains duplicate dimension: 0");
  EXPECT_EQ(Reduce("Max", Make<float>({1}, {}), Axes({-1})).status().message(),
            "Invalid reduction dimension (-1 for input with 0 dimension(s)");
}

// ---- ArgMax / ArgMin.

StatusOr<Tensor> Arg(const std::string& op, const Tensor& x, const Tensor& dim,
                     DataType out = DataType::kInt64) {
  KernelRunner r(op);
  r.Attr("T", x.dtype()).Attr("Tidx", dim.dtype()).Attr("output_type", out).Input(x).Input(dim);
  ASSIGN_OR_RETURN(std::vector<Tensor> o, r.Run());
  return o[0];
}
Tensor Dim(int32_t d) { return Tensor::Scalar<int32_t>(d); }

TEST(ArgMinMaxTest, TiesAndNaNAsTensorFlow) {
  // TensorFlow 2.15.1 results in the comments.
  auto a = Arg("ArgMax", Make<float>({1, 3, 3, 3}, {4}), Dim(0));  // 1
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->flat<int64_t>()[0], 1);
  a = Arg("ArgMin", Make<float>({1, 0, 0, 3}, {4}), Dim(0));  // 1
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->flat<int64_t>()[0], 1);
  a = Arg("ArgMax", Make<float>({1, kNaN, 3}, {3}), Dim(0));  // 2
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->flat<int64_t>()[0], 2);
  a = Arg("ArgMax", Make<float>({kNaN, 1, kNaN, 3}, {4}), Dim(0));  // 3
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->flat<int64_t>()[0], 3);
  a = Arg("ArgMin", Make<float>({1, kNaN, 0, 3}, {4}), Dim(0));  // 2
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->flat<int64_t>()[0], 2);
  a = Arg("ArgMax", Make<bool>({false, true, true}, {3}), Dim(0));  // 1
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->flat<int64_t>()[0], 1);
}

TEST(ArgMinMaxTest, AxesAndOutputTypes) {
  // TensorFlow: ArgMax([[1,5,2],[7,0,7]], 0) = [1,0,1]; ArgMin(.., 1) = [0,1].
  const Tensor x = Make<float>({1, 5, 2, 7, 0, 7}, {2, 3});
  auto a = Arg("ArgMax", x, Dim(0));
  ASSERT_TRUE(a.ok());
  EXPECT_THAT(a->flat<int64_t>(), ElementsAre(1, 0, 1));
  a = Arg("ArgMin", x, Make<int64_t>({-1}, {}), DataType::kInt32);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_THAT(a->flat<int32_t>(), ElementsAre(0, 1));
  a = Arg("ArgMax", x, Make<int16_t>({1}, {}), DataType::kInt16);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_THAT(a->flat<int16_t>(), ElementsAre(1, 0));
  a = Arg("ArgMax", x, Dim(1), DataType::kUint16);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_THAT(a->flat<uint16_t>(), ElementsAre(1, 0));
  // Middle axis of [2,3,2].
  a = Arg("ArgMax", Make<int32_t>({0, 9, 5, 1, 5, 9, 3, 3, 4, 2, 3, 3}, {2, 3, 2}), Dim(1));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->shape().DebugString(), "[2,2]");
  EXPECT_THAT(a->flat<int64_t>(), ElementsAre(1, 0, 1, 0));
  auto h =
      Arg("ArgMin",
          Make<Half>({ToHalf(1), ToHalf(5), ToHalf(2), ToHalf(7), ToHalf(0), ToHalf(7)}, {2, 3}),
          Dim(1));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_THAT(h->flat<int64_t>(), ElementsAre(0, 1));
  // Empty output, non-empty axis: fine.
  auto e = Arg("ArgMax", Make<float>({}, {0, 3}), Dim(1));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->shape().DebugString(), "[0]");
}

TEST(ArgMinMaxTest, Errors) {
  // TensorFlow 2.15.1 messages.
  const Tensor x = Make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(Arg("ArgMax", x, Dim(2)).status().message(),
            "Expected dimension in the range [-2, 2), but got 2");
  EXPECT_EQ(Arg("ArgMax", x, Dim(-3)).status().message(),
            "Expected dimension in the range [-2, 2), but got -3");
  EXPECT_EQ(Arg("ArgMax", x, Make<int32_t>({1}, {1})).status().message(),
            "dim must be a scalar, but received tensor of shape: [1]");
  EXPECT_EQ(Arg("ArgMax", Make<float>({1}, {}), Dim(0)).status().message(),
            "Expected dimension in the range [0, 0), but got 0");
  EXPECT_EQ(Arg("ArgMax", Make<float>({}, {0, 3}), Dim(-2)).status().message(),
            "Reduction axis -2 is empty in shape [0,3]");
}

}  // namespace
}  // namespace tf1hub
