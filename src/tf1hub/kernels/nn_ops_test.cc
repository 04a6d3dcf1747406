// Tests for nn_ops.cc. Expected values are by hand or from TensorFlow
// 2.15.1 (oracle venv, graph mode), as noted per test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "tf1hub/kernels/kernel_test_util.h"

namespace tf1hub {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

template <typename T>
Tensor Make(const std::vector<T>& v, std::initializer_list<int64_t> dims) {
  return *Tensor::FromVector<T>(v, *TensorShape::Create(dims));
}

Half ToHalf(float v) { return Half{std::bit_cast<uint16_t>(Eigen::half(v))}; }
float FromHalf(Half h) { return static_cast<float>(std::bit_cast<Eigen::half>(h.bits)); }
BFloat16 ToBf16(float v) { return BFloat16{std::bit_cast<uint16_t>(Eigen::bfloat16(v))}; }
float FromBf16(BFloat16 h) { return static_cast<float>(std::bit_cast<Eigen::bfloat16>(h.bits)); }

StatusOr<Tensor> RunUnary(const std::string& op, const Tensor& x) {
  KernelRunner r(op);
  r.Attr("T", x.dtype()).Input(x);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

// Floats equal within 1e-5 relative, NaN matching NaN.
void ExpectFloats(const Tensor& t, const std::vector<float>& want) {
  ASSERT_EQ(t.NumElements(), static_cast<int64_t>(want.size()));
  for (size_t i = 0; i < want.size(); ++i) {
    const float got = t.flat<float>()[i];
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got)) << "element " << i << " = " << got;
    } else if (std::isinf(want[i])) {
      EXPECT_EQ(got, want[i]) << "element " << i;
    } else {
      EXPECT_NEAR(got, want[i], 1e-5 * (1 + std::abs(want[i]))) << "element " << i;
    }
  }
}

// ---- BiasAdd.

StatusOr<Tensor> RunBiasAdd(const Tensor& x, const Tensor& b, const char* format = "NHWC") {
  KernelRunner r("BiasAdd");
  r.Attr("T", x.dtype()).Attr("data_format", format).Input(x).Input(b);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(BiasAddTest, NhwcAddsAlongLastDim) {
  auto out = RunBiasAdd(Make<float>({0, 1, 2, 3, 4, 5}, {2, 3}), Make<float>({10, 20, 30}, {3}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(out->flat<float>(), ::testing::ElementsAre(10, 21, 32, 13, 24, 35));
  // Rank 6, NHWC: TensorFlow gives [[10,20]] per position.
  out = RunBiasAdd(Make<float>({0, 0, 0, 0}, {1, 2, 1, 1, 1, 2}), Make<float>({10, 20}, {2}));
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(out->flat<float>(), ::testing::ElementsAre(10, 20, 10, 20));
}

TEST(BiasAddTest, NchwAddsAlongDimOneFromRankThree) {
  // TensorFlow: a matrix is [N, C] in both formats.
  auto out =
      RunBiasAdd(Make<float>({0, 1, 2, 3, 4, 5}, {2, 3}), Make<float>({10, 20, 30}, {3}), "NCHW");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(out->flat<float>(), ::testing::ElementsAre(10, 21, 32, 13, 24, 35));
  // [1,2,3]: channel dim 1.
  out = RunBiasAdd(Make<float>({0, 0, 0, 1, 1, 1}, {1, 2, 3}), Make<float>({10, 20}, {2}), "NCHW");
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(out->flat<float>(), ::testing::ElementsAre(10, 10, 10, 21, 21, 21));
  // [2,2,1,2].
  out = RunBiasAdd(Make<float>({0, 1, 2, 3, 4, 5, 6, 7}, {2, 2, 1, 2}),
                   Make<float>({100, 200}, {2}), "NCHW");
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(out->flat<float>(), ::testing::ElementsAre(100, 101, 202, 203, 104, 105, 206, 207));
}

TEST(BiasAddTest, IntegersWrapAndOtherTypes) {
  // TensorFlow: int8 120 + 10 = -126.
  auto out = RunBiasAdd(Make<int8_t>({120}, {1, 1}), Make<int8_t>({10}, {1}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->flat<int8_t>()[0], -126);
  auto h = RunBiasAdd(Make<Half>({ToHalf(1.5f), ToHalf(-2)}, {1, 2}),
                      Make<Half>({ToHalf(0.25f), ToHalf(1)}, {2}));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(FromHalf(h->flat<Half>()[0]), 1.75f);
  EXPECT_EQ(FromHalf(h->flat<Half>()[1]), -1.0f);
  auto c = RunBiasAdd(Make<Complex128>({{1, 2}}, {1, 1}), Make<Complex128>({{0.5, -1}}, {1}));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->flat<Complex128>()[0], Complex128(1.5, 1));
}

TEST(BiasAddTest, EmptyAndErrors) {
  auto out = RunBiasAdd(Make<float>({}, {0, 3}), Make<float>({1, 2, 3}, {3}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape().DebugString(), "[0,3]");
  // Messages as TensorFlow 2.15 prints them.
  EXPECT_EQ(RunBiasAdd(Make<float>({1, 2, 3}, {3}), Make<float>({1, 2, 3}, {3})).status().message(),
            "Input tensor must be at least 2D: [3]");
  EXPECT_EQ(
      RunBiasAdd(Make<float>({1, 2, 3}, {1, 3}), Make<float>({1, 2, 3}, {1, 3})).status().message(),
      "Biases must be 1D: [1,3]");
  EXPECT_EQ(RunBiasAdd(Make<float>(std::vector<float>(6), {2, 3}), Make<float>({1, 2, 3, 4}, {4}))
                .status()
                .message(),
            "Must provide as many biases as the last dimension of the input "
            "tensor: [4] vs. [2,3]");
  EXPECT_EQ(RunBiasAdd(Make<float>(std::vector<float>(24), {2, 3, 4}),
                       Make<float>({1, 2, 3, 4}, {4}), "NCHW")
                .status()
                .message(),
            "Must provide as many biases as the last dimension of the input "
            "tensor: [4] vs. [2,3,4]");
}

// ---- Activations.

TEST(ActivationTest, ReluAndRelu6KeepNaN) {
  // TensorFlow: Relu([nan,-1,2,inf,-inf]) = [nan,0,2,inf,0].
  auto out = RunUnary("Relu", Make<float>({kNaN, -1, 2, kInf, -kInf}, {5}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectFloats(*out, {kNaN, 0, 2, kInf, 0});
  out = RunUnary("Relu6", Make<float>({kNaN, -1, 2, 7, kInf, -kInf}, {6}));
  ASSERT_TRUE(out.ok());
  ExpectFloats(*out, {kNaN, 0, 2, 6, 6, 0});
  // A long input takes the vectorised path.
  std::vector<float> many(1000, kNaN);
  many[3] = -5;
  out = RunUnary("Relu", Make<float>(many, {1000}));
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(std::isnan(out->flat<float>()[999]));
  EXPECT_EQ(out->flat<float>()[3], 0.0f);
}

TEST(ActivationTest, IntegerRelu) {
  auto out = RunUnary("Relu", Make<int32_t>({-3, 0, 9}, {3}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(out->flat<int32_t>(), ::testing::ElementsAre(0, 0, 9));
  auto u = RunUnary("Relu6", Make<uint8_t>({1, 0, 9}, {3}));
  ASSERT_TRUE(u.ok());
  EXPECT_THAT(u->flat<uint8_t>(), ::testing::ElementsAre(1, 0, 6));
}

TEST(ActivationTest, EluSeluSoftplusMatchTensorFlow) {
  // Values from TensorFlow 2.15.1 (float32).
  auto elu = RunUnary("Elu", Make<float>({-3, -0.5f, 0.5f, 3, -1e-8f, -100, kNaN}, {7}));
  ASSERT_TRUE(elu.ok()) << elu.status().ToString();
  ExpectFloats(*elu, {-0.95021296f, -0.39346933f, 0.5f, 3, 0, -1, kNaN});
  auto selu = RunUnary("Selu", Make<float>({-3, -0.5f, 0.5f, 3, -100}, {5}));
  ASSERT_TRUE(selu.ok());
  ExpectFloats(*selu, {-1.6705687f, -0.69175816f, 0.5253505f, 3.152103f, -1.7580993f});
  auto sp = RunUnary(
      "Softplus",
      Make<float>({-20, -14, -13, -0.5f, 0.5f, 13, 14, 20, -100, kInf, -kInf, kNaN}, {12}));
  ASSERT_TRUE(sp.ok());
  ExpectFloats(*sp, {2.0611537e-09f, 8.3152872e-07f, 2.2603269e-06f, 4.7407699e-01f, 9.7407693e-01f,
                     1.3000002e+01f, 1.4000000e+01f, 2.0000000e+01f, 0, kInf, 0, kNaN});
}

TEST(ActivationTest, HalfAndDoubleSoftplus) {
  // TensorFlow 2.15.1 float16: [4.542e-05, 3.355e-04, 9.112e-04, 4.741e-01,
  // 9.741e-01, 7, 8, 10].
  const std::vector<float> in = {-10, -8, -7, -0.5f, 0.5f, 7, 8, 10};
  const std::vector<float> want = {4.542e-05f, 3.355e-04f, 9.112e-04f, 4.741e-01f,
                                   9.741e-01f, 7,          8,          10};
  std::vector<Half> h;
  for (float v : in) h.push_back(ToHalf(v));
  auto out = RunUnary("Softplus", Make<Half>(h, {8}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(FromHalf(out->flat<Half>()[i]), want[i], 1e-3 * (1 + std::abs(want[i]))) << i;
  }
  // float64: softplus(-36) = 2.31952283e-16, softplus(36) = 36 (TensorFlow).
  auto d = RunUnary("Softplus", Make<double>({-36, 36, -1}, {3}));
  ASSERT_TRUE(d.ok());
  EXPECT_NEAR(d->flat<double>()[0], 2.31952283e-16, 1e-24);
  EXPECT_EQ(d->flat<double>()[1], 36.0);
  EXPECT_NEAR(d->flat<double>()[2], 0.313261687518, 1e-12);
}

// ---- Softmax.

TEST(SoftmaxTest, MatchesTensorFlow) {
  // TensorFlow 2.15.1 float32.
  const Tensor x = Make<float>({1, 2, 3, 4, -1, 0, 1, 100}, {2, 4});
  auto sm = RunUnary("Softmax", x);
  ASSERT_TRUE(sm.ok()) << sm.status().ToString();
  ExpectFloats(*sm, {0.0320586f, 0.08714432f, 0.23688284f, 0.6439142f, 0, 0, 0, 1});
  auto lsm = RunUnary("LogSoftmax", x);
  ASSERT_TRUE(lsm.ok());
  ExpectFloats(*lsm, {-3.4401896f, -2.4401896f, -1.4401897f, -0.4401897f, -101, -100, -99, 0});
  // Rank 1 and rank 3 run along the last axis.
  auto v = RunUnary("Softmax", Make<float>({1, 2, 3}, {3}));
  ASSERT_TRUE(v.ok());
  ExpectFloats(*v, {0.09003057f, 0.24472848f, 0.6652409f});
  auto r3 = RunUnary("Softmax", Make<float>({0, 1, 2, 3, 4, 5, 6, 7}, {2, 2, 2}));
  ASSERT_TRUE(r3.ok());
  ExpectFloats(*r3, {0.26894143f, 0.73105854f, 0.26894143f, 0.73105854f, 0.26894143f, 0.73105854f,
                     0.26894143f, 0.73105854f});
}

TEST(SoftmaxTest, InfinitiesAndNaNAsTensorFlowsEigenKernel) {
  // TensorFlow 2.15.1 (float64/float16 kernels; float32 goes through oneDNN
  // there and differs on the first and third rows).
  const Tensor x = Make<float>({kInf, 1, -kInf, 1, kNaN, 1, -kInf, -kInf, 1000, 0}, {5, 2});
  auto sm = RunUnary("Softmax", x);
  ASSERT_TRUE(sm.ok());
  ExpectFloats(*sm, {kNaN, kNaN, 0, 1, kNaN, kNaN, kNaN, kNaN, 1, 0});
  auto lsm = RunUnary("LogSoftmax", x);
  ASSERT_TRUE(lsm.ok());
  ExpectFloats(*lsm, {kNaN, kNaN, -kInf, 0, kNaN, kNaN, kNaN, kNaN, 0, -1000});
}

TEST(SoftmaxTest, HalfComputesInHalf) {
  // TensorFlow 2.15.1: softmax([1e-3, 2.5, -3, 7.25]) in float16 =
  // [7.03e-04, 8.57e-03, 3.50e-05, 9.90e-01] (float math would round to
  // 9.907e-01 for the last).
  auto out = RunUnary("Softmax",
                      Make<Half>({ToHalf(1e-3f), ToHalf(2.5f), ToHalf(-3), ToHalf(7.25f)}, {4}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::vector<float> want = {7.03e-04f, 8.57e-03f, 3.50e-05f, 9.90e-01f};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(FromHalf(out->flat<Half>()[i]), want[i], 1e-3 * want[i] + 1e-7) << i;
  }
}

TEST(SoftmaxTest, EmptyAndScalar) {
  auto out = RunUnary("Softmax", Make<float>({}, {0, 3}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape().DebugString(), "[0,3]");
  out = RunUnary("LogSoftmax", Make<float>({}, {3, 0}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->shape().DebugString(), "[3,0]");
  EXPECT_EQ(RunUnary("LogSoftmax", Make<float>({1}, {})).status().message(),
            "logits must have >= 1 dimension, got []");
}

// ---- L2Loss.

TEST(L2LossTest, Values) {
  // (0.25 + 2.25 + 5.0625) / 2 = 3.78125.
  auto out = RunUnary("L2Loss", Make<float>({0.5f, -1.5f, 2.25f}, {3}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->shape().DebugString(), "[]");
  EXPECT_FLOAT_EQ(out->flat<float>()[0], 3.78125f);
  out = RunUnary("L2Loss", Make<float>({}, {0}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->flat<float>()[0], 0.0f);
  // TensorFlow 2.15.1: 5000 ones give 2500 in float16 and 2496 in bfloat16.
  auto h = RunUnary("L2Loss", Make<Half>(std::vector<Half>(5000, ToHalf(1)), {5000}));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(FromHalf(h->flat<Half>()[0]), 2500.0f);
  auto b = RunUnary("L2Loss", Make<BFloat16>(std::vector<BFloat16>(5000, ToBf16(1)), {5000}));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(FromBf16(b->flat<BFloat16>()[0]), 2496.0f);
}

}  // namespace
}  // namespace tf1hub
