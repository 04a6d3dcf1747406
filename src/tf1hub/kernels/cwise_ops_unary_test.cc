// Tests of the element-wise unary kernels. Expected values: by hand, from
// the C library (an independent implementation of exp, log, ...), or
// (marked "TF 2.15.1") pasted from TensorFlow 2.15.1 in the oracle venv.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <vector>

#include "tf1hub/kernels/cwise_test_util.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using namespace cwise_test;  // NOLINT(build/namespaces)

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

std::vector<float> Apply(const std::vector<float>& x, double (*f)(double)) {
  std::vector<float> out;
  for (float v : x) out.push_back(static_cast<float>(f(v)));
  return out;
}

TEST(CwiseUnaryTest, NegAbsSquare) {
  EXPECT_THAT(Values<float>(RunOp("Neg", {Vec<float>({1, -2.5, 0})}).value()),
              ElementsAre(-1, 2.5, 0));
  EXPECT_TRUE(std::signbit(RunOp("Neg", {Vec<float>({0})}).value().flat<float>()[0]));
  // TF 2.15.1: int8 abs(-128) and neg(-128) wrap to -128.
  EXPECT_THAT(Values<int8_t>(RunOp("Abs", {Vec<int8_t>({-128, 5, -5})}).value()),
              ElementsAre(-128, 5, 5));
  EXPECT_THAT(Values<int8_t>(RunOp("Neg", {Vec<int8_t>({-128, 5})}).value()),
              ElementsAre(-128, -5));
  EXPECT_THAT(Values<int32_t>(
                  RunOp("Neg", {Vec<int32_t>({std::numeric_limits<int32_t>::min(), 3})}).value()),
              ElementsAre(std::numeric_limits<int32_t>::min(), -3));
  EXPECT_THAT(Values<float>(RunOp("Abs", {Vec<float>({-0.0f, -3, 2})}).value()),
              ElementsAre(0, 3, 2));
  EXPECT_THAT(Values<int32_t>(RunOp("Square", {Vec<int32_t>({-3, 65536})}).value()),
              ElementsAre(9, 0));
  EXPECT_THAT(Values<uint8_t>(RunOp("Square", {Vec<uint8_t>({16, 3})}).value()), ElementsAre(0, 9));
  using C = std::complex<double>;
  EXPECT_EQ(Values<C>(RunOp("Square", {Vec<C>({{1, 2}})}).value())[0], C(-3, 4));
}

TEST(CwiseUnaryTest, SqrtRsqrtReciprocal) {
  // TF 2.15.1: sqrt [-1, 0, -0] = [nan, 0, -0]; rsqrt [-1, 0, -0, 4] =
  // [nan, inf, -inf, 0.5].
  Tensor s = RunOp("Sqrt", {Vec<float>({4, 2.25, -1, -0.0f})}).value();
  ExpectNear(Values<float>(s), {2, 1.5, kNaN, 0});
  EXPECT_TRUE(std::signbit(s.flat<float>()[3]));
  ExpectNear(Values<float>(RunOp("Rsqrt", {Vec<float>({-1, 0, -0.0f, 4, 0.01f})}).value()),
             {kNaN, kInf, -kInf, 0.5, 10});
  ExpectNear(Values<float>(RunOp("Reciprocal", {Vec<float>({0, 2, -4})}).value()),
             {kInf, 0.5, -0.25});
  std::vector<double> d = Values<double>(RunOp("Sqrt", {Vec<double>({2})}).value());
  EXPECT_DOUBLE_EQ(d[0], std::sqrt(2.0));
}

TEST(CwiseUnaryTest, TranscendentalsMatchTheCLibrary) {
  // 37 values: more than one SIMD packet plus a scalar tail.
  std::vector<float> x;
  for (int i = 0; i < 37; ++i) x.push_back(-9.0f + 0.5f * i);
  std::vector<float> pos;
  for (int i = 0; i < 37; ++i) pos.push_back(0.01f + 0.75f * i);
  ExpectNear(Values<float>(RunOp("Exp", {Vec(x)}).value()), Apply(x, std::exp));
  ExpectNear(Values<float>(RunOp("Tanh", {Vec(x)}).value()), Apply(x, std::tanh));
  ExpectNear(Values<float>(RunOp("Sigmoid", {Vec(x)}).value()),
             Apply(x, [](double v) { return 1.0 / (1.0 + std::exp(-v)); }));
  ExpectNear(Values<float>(RunOp("Cos", {Vec(x)}).value()), Apply(x, std::cos));
  ExpectNear(Values<float>(RunOp("Sin", {Vec(x)}).value()), Apply(x, std::sin));
  ExpectNear(Values<float>(RunOp("Log", {Vec(pos)}).value()), Apply(pos, std::log));
  ExpectNear(Values<float>(RunOp("Log1p", {Vec(pos)}).value()), Apply(pos, std::log1p));
}

TEST(CwiseUnaryTest, TranscendentalEdgeCases) {
  // TF 2.15.1.
  ExpectNear(Values<float>(RunOp("Log", {Vec<float>({-1, 0, -0.0f})}).value()),
             {kNaN, -kInf, -kInf});
  ExpectNear(Values<float>(RunOp("Log1p", {Vec<float>({-1, -2, -0.0f})}).value()),
             {-kInf, kNaN, 0});
  ExpectNear(Values<float>(RunOp("Sigmoid", {Vec<float>({-20, 0, 20, 100, kNaN})}).value()),
             {2.0611537e-09f, 0.5, 1, 1, kNaN});
  ExpectNear(Values<float>(RunOp("Tanh", {Vec<float>({-100, -9, 1e-5f, 9, 100, kNaN})}).value()),
             {-1, -1, 1e-5f, 1, 1, kNaN});
  ExpectNear(Values<float>(RunOp("Exp", {Vec<float>({-kInf, kInf, 0})}).value()), {0, kInf, 1});
}

TEST(CwiseUnaryTest, ComplexFunctions) {
  using C = std::complex<float>;
  const C z(0.5f, -1.25f);
  C e = Values<C>(RunOp("Exp", {Vec<C>({z})}).value())[0];
  EXPECT_NEAR(e.real(), std::exp(z).real(), 1e-6);
  EXPECT_NEAR(e.imag(), std::exp(z).imag(), 1e-6);
  C l = Values<C>(RunOp("Log", {Vec<C>({z})}).value())[0];
  EXPECT_NEAR(l.real(), std::log(z).real(), 1e-6);
  EXPECT_NEAR(l.imag(), std::log(z).imag(), 1e-6);
  C s = Values<C>(RunOp("Sigmoid", {Vec<C>({z})}).value())[0];
  const C expected = C(1) / (C(1) + std::exp(-z));
  EXPECT_NEAR(s.real(), expected.real(), 1e-6);
  EXPECT_NEAR(s.imag(), expected.imag(), 1e-6);
}

TEST(CwiseUnaryTest, SignKeepsNaN) {
  // TF 2.15.1: sign [nan, -0, 0, -3, 4, inf] = [nan, 0, 0, -1, 1, 1].
  ExpectNear(Values<float>(RunOp("Sign", {Vec<float>({kNaN, -0.0f, 0, -3, 4, kInf})}).value()),
             {kNaN, 0, 0, -1, 1, 1});
  EXPECT_THAT(Values<int32_t>(RunOp("Sign", {Vec<int32_t>({-7, 0, 9})}).value()),
              ElementsAre(-1, 0, 1));
  // TF 2.15.1: sign(3+4j) = 0.6+0.8j, sign(0) = 0.
  using C = std::complex<float>;
  std::vector<C> c = Values<C>(RunOp("Sign", {Vec<C>({{3, 4}, {0, 0}})}).value());
  EXPECT_NEAR(c[0].real(), 0.6, 1e-6);
  EXPECT_NEAR(c[0].imag(), 0.8, 1e-6);
  EXPECT_EQ(c[1], C(0, 0));
}

TEST(CwiseUnaryTest, FloorCeilRoundHalfToEven) {
  std::vector<float> x = {0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6, kNaN, 3.7, -3.2};
  // TF 2.15.1: round [0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6, nan] =
  // [0, 2, 2, -0, -2, 2, -3, nan].
  Tensor r = RunOp("Round", {Vec(x)}).value();
  ExpectNear(Values<float>(r), {0, 2, 2, -0.0f, -2, 2, -3, kNaN, 4, -3});
  EXPECT_TRUE(std::signbit(r.flat<float>()[3]));
  ExpectNear(Values<float>(RunOp("Floor", {Vec(x)}).value()),
             {0, 1, 2, -1, -2, 2, -3, kNaN, 3, -4});
  ExpectNear(Values<float>(RunOp("Ceil", {Vec(x)}).value()),
             {1, 2, 3, -0.0f, -1, 3, -2, kNaN, 4, -3});
  ExpectNear(HalfValues(RunOp("Round", {Halves({2.5, 3.5, -2.5})}).value()), {2, 4, -2});
  EXPECT_THAT(Values<int64_t>(RunOp("Round", {Vec<int64_t>({7, -3})}).value()), ElementsAre(7, -3));
}

TEST(CwiseUnaryTest, HalfAndBFloat16Exp) {
  ExpectNear(HalfValues(RunOp("Exp", {Halves({0, 1})}).value()), {1, 2.71875});  // e in half
  ExpectNear(BFloatValues(RunOp("Tanh", {BFloats({0, 100})}).value()), {0, 1});
}

TEST(CwiseUnaryTest, LogicalNot) {
  EXPECT_THAT(BoolValues(RunOp("LogicalNot", {Bools({true, false}, {2})}, false).value()),
              ElementsAre(false, true));
}

TEST(CwiseUnaryTest, EmptyInput) {
  Tensor x = Tensor::Create(DataType::kFloat, Shape({0, 4})).value();
  Tensor y = RunOp("Exp", {x}).value();
  EXPECT_EQ(y.shape(), Shape({0, 4}));
}

TEST(CwiseUnaryTest, LargeInputMatchesPlainLoop) {
  std::vector<float> x(100003);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 1000) * 0.01f - 5.0f;
  std::vector<float> out = Values<float>(RunOp("Square", {Vec(x)}).value());
  for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(out[i], x[i] * x[i]) << i;
}

}  // namespace
}  // namespace tf1hub
