// Tests of the element-wise binary kernels. Expected values are computed by
// hand, by plain loops in the test, or (marked "TF 2.15.1") pasted from
// TensorFlow 2.15.1 run in the oracle venv.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "tf1hub/kernels/cwise_test_util.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace cwise_test;  // NOLINT(build/namespaces)

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

TEST(CwiseBinaryTest, AddSameShape) {
  Tensor out = RunOp("Add", {Vec<float>({1, 2, 3}), Vec<float>({10, 20, 30.5})}).value();
  EXPECT_EQ(out.shape(), Shape({3}));
  EXPECT_THAT(Values<float>(out), ElementsAre(11, 22, 33.5));
}

TEST(CwiseBinaryTest, AddV2BroadcastsRowVector) {
  Tensor out =
      RunOp("AddV2", {Make<float>({1, 2, 3, 4, 5, 6}, {2, 3}), Vec<float>({10, 20, 30})}).value();
  EXPECT_EQ(out.shape(), Shape({2, 3}));
  EXPECT_THAT(Values<float>(out), ElementsAre(11, 22, 33, 14, 25, 36));
}

TEST(CwiseBinaryTest, MulBroadcastsColumnAndOuterProduct) {
  Tensor col =
      RunOp("Mul", {Make<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3}), Make<int32_t>({10, 100}, {2, 1})})
          .value();
  EXPECT_THAT(Values<int32_t>(col), ElementsAre(10, 20, 30, 400, 500, 600));
  Tensor outer =
      RunOp("Mul", {Make<int32_t>({1, 2}, {2, 1}), Make<int32_t>({3, 4, 5}, {1, 3})}).value();
  EXPECT_EQ(outer.shape(), Shape({2, 3}));
  EXPECT_THAT(Values<int32_t>(outer), ElementsAre(3, 4, 5, 6, 8, 10));
}

TEST(CwiseBinaryTest, SubScalarOnEitherSide) {
  Tensor left = RunOp("Sub", {Tensor::Scalar<float>(10), Vec<float>({1, 2, 3})}).value();
  EXPECT_THAT(Values<float>(left), ElementsAre(9, 8, 7));
  Tensor right = RunOp("Sub", {Make<float>({1, 2, 3}, {3, 1}), Tensor::Scalar<float>(10)}).value();
  EXPECT_EQ(right.shape(), Shape({3, 1}));
  EXPECT_THAT(Values<float>(right), ElementsAre(-9, -8, -7));
  // One element but rank 2: still broadcast to the other side's shape.
  Tensor one = RunOp("Sub", {Vec<float>({1, 2}), Make<float>({5}, {1, 1})}).value();
  EXPECT_EQ(one.shape(), Shape({1, 2}));
  EXPECT_THAT(Values<float>(one), ElementsAre(-4, -3));
}

TEST(CwiseBinaryTest, BroadcastThreeDims) {
  // x [2,1,3] - y [4,1] -> [2,4,3]; expected from a plain loop.
  std::vector<float> x = {1, 2, 3, 4, 5, 6};
  std::vector<float> y = {0.5, 1.5, 2.5, 3.5};
  Tensor out = RunOp("Sub", {Make<float>(x, {2, 1, 3}), Make<float>(y, {4, 1})}).value();
  EXPECT_EQ(out.shape(), Shape({2, 4, 3}));
  std::vector<float> expected;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 4; ++b)
      for (int c = 0; c < 3; ++c) expected.push_back(x[a * 3 + c] - y[b]);
  EXPECT_EQ(Values<float>(out), expected);
}

TEST(CwiseBinaryTest, LargeBroadcastsMatchPlainLoops) {
  // Big enough to be split over threads; rows cut mid-way by shards.
  const int rows = 1001, cols = 257;
  std::vector<float> x(rows * cols), y(cols), z(rows);
  for (int i = 0; i < rows * cols; ++i) x[i] = static_cast<float>(i % 97) * 0.25f;
  for (int j = 0; j < cols; ++j) y[j] = static_cast<float>(j) - 100.0f;
  for (int i = 0; i < rows; ++i) z[i] = static_cast<float>(i % 13) + 1.0f;
  Tensor row = RunOp("Mul", {Make<float>(x, {rows, cols}), Vec<float>(y)}).value();
  Tensor colv = RunOp("RealDiv", {Make<float>(x, {rows, cols}), Make<float>(z, {rows, 1})}).value();
  Tensor same =
      RunOp("Maximum", {Make<float>(x, {rows, cols}), Make<float>(x, {rows, cols})}).value();
  std::span<const float> r = row.flat<float>(), c = colv.flat<float>(), s = same.flat<float>();
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      const int k = i * cols + j;
      ASSERT_EQ(r[k], x[k] * y[j]) << k;
      ASSERT_EQ(c[k], x[k] / z[i]) << k;
      ASSERT_EQ(s[k], x[k]) << k;
    }
  }
}

TEST(CwiseBinaryTest, IncompatibleShapes) {
  Status s = RunOp("Add", {Vec<float>({1, 2, 3}), Vec<float>({1, 2})}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Incompatible shapes: [3] vs. [2]");
}

TEST(CwiseBinaryTest, MoreThanFiveBroadcastDimsIsUnimplemented) {
  // TF 2.15.1: "Broadcast between [2,1,2,1,2,1,2] and [1,2,1,2,1,2,1] is not
  // supported yet."
  Tensor x = Tensor::Create(DataType::kFloat, Shape({2, 1, 2, 1, 2, 1, 2})).value();
  Tensor y = Tensor::Create(DataType::kFloat, Shape({1, 2, 1, 2, 1, 2, 1})).value();
  Status s = RunOp("Add", {x, y}).status();
  EXPECT_EQ(s.code(), StatusCode::kUnimplemented);
  EXPECT_EQ(s.message(),
            "Broadcast between [2,1,2,1,2,1,2] and [1,2,1,2,1,2,1] is not supported yet.");
}

TEST(CwiseBinaryTest, EmptyInputs) {
  Tensor x = Tensor::Create(DataType::kInt32, Shape({0, 3})).value();
  Tensor out = RunOp("Div", {x, Vec<int32_t>({1, 0, 2})}).value();  // no division happens
  EXPECT_EQ(out.shape(), Shape({0, 3}));
}

TEST(CwiseBinaryTest, IntegerArithmeticWraps) {
  // TF 2.15.1: int8 127 + 1 == -128.
  EXPECT_THAT(Values<int8_t>(RunOp("AddV2", {Vec<int8_t>({127}), Vec<int8_t>({1})}).value()),
              ElementsAre(-128));
  const int32_t max32 = std::numeric_limits<int32_t>::max();
  const int32_t min32 = std::numeric_limits<int32_t>::min();
  EXPECT_THAT(Values<int32_t>(
                  RunOp("Add", {Vec<int32_t>({max32, 5, 7, 9, 11}), Vec<int32_t>({1, 1, 1, 1, 1})})
                      .value()),
              ElementsAre(min32, 6, 8, 10, 12));
  EXPECT_THAT(Values<int32_t>(RunOp("Sub", {Vec<int32_t>({min32}), Vec<int32_t>({1})}).value()),
              ElementsAre(max32));
  EXPECT_THAT(Values<int32_t>(
                  RunOp("Mul", {Vec<int32_t>({65536, 3}), Tensor::Scalar<int32_t>(65536)}).value()),
              ElementsAre(0, 196608));
  EXPECT_THAT(
      Values<int64_t>(RunOp("Mul", {Vec<int64_t>({int64_t{1} << 62}), Vec<int64_t>({4})}).value()),
      ElementsAre(0));
  EXPECT_THAT(Values<uint8_t>(RunOp("Sub", {Vec<uint8_t>({1}), Vec<uint8_t>({2})}).value()),
              ElementsAre(255));
}

TEST(CwiseBinaryTest, IntegerDivisionRoundingRules) {
  std::vector<int32_t> x = {7, -7, 7, -7, 0, 1, -1};
  std::vector<int32_t> y = {2, 2, -2, -2, 3, -3, 3};
  // TF 2.15.1.
  EXPECT_THAT(Values<int32_t>(RunOp("Div", {Vec(x), Vec(y)}).value()),
              ElementsAre(3, -3, -3, 3, 0, 0, 0));
  EXPECT_THAT(Values<int32_t>(RunOp("FloorDiv", {Vec(x), Vec(y)}).value()),
              ElementsAre(3, -4, -4, 3, 0, -1, -1));
  EXPECT_THAT(Values<int32_t>(RunOp("FloorMod", {Vec(x), Vec(y)}).value()),
              ElementsAre(1, 1, -1, -1, 0, -2, 2));
  // TF 2.15.1: INT_MIN / -1 == INT_MIN (no trap), INT_MIN mod -1 == 0.
  const int32_t min32 = std::numeric_limits<int32_t>::min();
  EXPECT_THAT(Values<int32_t>(RunOp("Div", {Vec<int32_t>({min32}), Vec<int32_t>({-1})}).value()),
              ElementsAre(min32));
  EXPECT_THAT(
      Values<int32_t>(RunOp("FloorDiv", {Vec<int32_t>({min32}), Vec<int32_t>({-1})}).value()),
      ElementsAre(min32));
  EXPECT_THAT(
      Values<int32_t>(RunOp("FloorMod", {Vec<int32_t>({min32}), Vec<int32_t>({-1})}).value()),
      ElementsAre(0));
  EXPECT_THAT(Values<int8_t>(RunOp("Div", {Vec<int8_t>({-128}), Vec<int8_t>({-1})}).value()),
              ElementsAre(-128));
  EXPECT_THAT(
      Values<uint8_t>(RunOp("FloorMod", {Vec<uint8_t>({7, 200}), Vec<uint8_t>({2, 7})}).value()),
      ElementsAre(1, 4));
}

TEST(CwiseBinaryTest, IntegerDivisionByZero) {
  for (const char* op : {"Div", "FloorDiv", "FloorMod"}) {
    Status s = RunOp(op, {Vec<int64_t>({1, 2}), Vec<int64_t>({1, 0})}).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << op;
    EXPECT_EQ(s.message(), "Integer division by zero") << op;
  }
  Status s = RunOp("FloorDiv", {Vec<uint8_t>({1}), Tensor::Scalar<uint8_t>(0)}).status();
  EXPECT_EQ(s.message(), "Integer division by zero");
}

TEST(CwiseBinaryTest, FloatFloorDivAndFloorMod) {
  std::vector<float> x = {7.5, -7.5, 7.5, -7.5, 0.0, -0.0, 1, 1, kInf, 5, -5};
  std::vector<float> y = {2, 2, -2, -2, 3, 3, 0, -0.0f, 2, kInf, kInf};
  // TF 2.15.1 (values and sign bits).
  Tensor fd = RunOp("FloorDiv", {Vec(x), Vec(y)}).value();
  ExpectNear(Values<float>(fd), {3, -4, -4, 3, 0, -0.0f, kInf, -kInf, kInf, 0, -0.0f});
  EXPECT_TRUE(std::signbit(fd.flat<float>()[5]));
  EXPECT_TRUE(std::signbit(fd.flat<float>()[10]));
  Tensor fm = RunOp("FloorMod", {Vec(x), Vec(y)}).value();
  ExpectNear(Values<float>(fm), {1.5, 0.5, -0.5, -1.5, 0, -0.0f, kNaN, kNaN, kNaN, 5, kInf});
  EXPECT_FALSE(std::signbit(fm.flat<float>()[4]));
  EXPECT_TRUE(std::signbit(fm.flat<float>()[5]));
  // Real division for floats in Div.
  ExpectNear(Values<float>(RunOp("Div", {Vec<float>({1, -1, 7}), Vec<float>({0, 0, 2})}).value()),
             {kInf, -kInf, 3.5});
}

TEST(CwiseBinaryTest, Pow) {
  // TF 2.15.1: wrapping integer powers.
  Tensor p = RunOp("Pow", {Vec<int32_t>({2, 3, -2, 0, 1, -1, 7}),
                           Vec<int32_t>({31, 21, 3, 0, 100, 101, 30})})
                 .value();
  EXPECT_THAT(Values<int32_t>(p), ElementsAre(-2147483648, 1870418611, -8, 1, 1, -1, 1878557649));
  EXPECT_THAT(
      Values<int8_t>(RunOp("Pow", {Vec<int8_t>({2, 3, -2, 0}), Vec<int8_t>({7, 5, 3, 0})}).value()),
      ElementsAre(-128, -13, -8, 1));
  Status s = RunOp("Pow", {Vec<int32_t>({2, 3}), Vec<int32_t>({1, -1})}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Integers to negative integer powers are not allowed");
  // TF 2.15.1 float edge cases.
  Tensor f = RunOp("Pow", {Vec<float>({0, -2, -2, 2, kNaN, 1, 0, -0.0f, 2}),
                           Vec<float>({-1, 0.5, 3, -1, 0, kNaN, 0, -1, 0.5})})
                 .value();
  ExpectNear(Values<float>(f), {kInf, kNaN, -8, 0.5, 1, 1, 1, -kInf, std::sqrt(2.0f)});
}

TEST(CwiseBinaryTest, MaximumMinimumPropagateNaN) {
  std::vector<float> x = {kNaN, 1, kNaN, -0.0f, 0.0f, 3};
  std::vector<float> y = {1, kNaN, kNaN, 0.0f, -0.0f, -3};
  // TF 2.15.1: NaN wins. (Which zero max(-0, 0) gives differs between
  // TensorFlow's own vectorised and scalar paths; not checked.)
  Tensor mx = RunOp("Maximum", {Vec(x), Vec(y)}).value();
  ExpectNear(Values<float>(mx), {kNaN, kNaN, kNaN, 0, 0, 3});
  Tensor mn = RunOp("Minimum", {Vec(x), Vec(y)}).value();
  ExpectNear(Values<float>(mn), {kNaN, kNaN, kNaN, 0, 0, -3});
  // Half goes through the scalar path.
  ExpectNear(HalfValues(RunOp("Maximum", {Halves({kNaN, 1, 2}), Halves({1, kNaN, 1.5})}).value()),
             {kNaN, kNaN, 2});
  EXPECT_THAT(Values<int64_t>(
                  RunOp("Minimum", {Vec<int64_t>({5, -7}), Tensor::Scalar<int64_t>(0)}).value()),
              ElementsAre(0, -7));
}

TEST(CwiseBinaryTest, StringAddConcatenates) {
  Tensor out =
      RunOp("Add", {Strings({"a", "b", "c", "d"}, {2, 2}), Strings({"x", "yz"}, {2})}).value();
  EXPECT_EQ(out.shape(), Shape({2, 2}));
  EXPECT_THAT(Values<std::string>(out), ElementsAre("ax", "byz", "cx", "dyz"));
  Tensor scalar = RunOp("Add", {Strings({"pre-"}, {}), Strings({"1", ""}, {2})}).value();
  EXPECT_THAT(Values<std::string>(scalar), ElementsAre("pre-1", "pre-"));
}

TEST(CwiseBinaryTest, ComplexArithmetic) {
  using C = std::complex<float>;
  Tensor mul = RunOp("Mul", {Vec<C>({{1, 2}}), Vec<C>({{3, 4}})}).value();
  EXPECT_EQ(Values<C>(mul)[0], C(-5, 10));
  // TF 2.15.1: SquaredDifference(1+2j, 0) == 5+0j (times the conjugate).
  Tensor sq = RunOp("SquaredDifference", {Vec<C>({{1, 2}}), Vec<C>({{0, 0}})}).value();
  EXPECT_EQ(Values<C>(sq)[0], C(5, 0));
  Tensor div = RunOp("RealDiv", {Vec<C>({{-5, 10}}), Vec<C>({{3, 4}})}).value();
  EXPECT_NEAR(Values<C>(div)[0].real(), 1, 1e-6);
  EXPECT_NEAR(Values<C>(div)[0].imag(), 2, 1e-6);
}

TEST(CwiseBinaryTest, SquaredDifferenceAndDivNoNan) {
  EXPECT_THAT(
      Values<float>(RunOp("SquaredDifference", {Vec<float>({1, -2}), Vec<float>({4, 2})}).value()),
      ElementsAre(9, 16));
  EXPECT_THAT(
      Values<int32_t>(
          RunOp("SquaredDifference", {Vec<int32_t>({1, 65536}), Vec<int32_t>({4, 0})}).value()),
      ElementsAre(9, 0));
  // TF 2.15.1: [1, nan, 0, 1] / [0, 0, 0, nan] -> [0, 0, 0, nan].
  ExpectNear(Values<float>(
                 RunOp("DivNoNan", {Vec<float>({1, kNaN, 0, 1, 6}), Vec<float>({0, 0, 0, kNaN, 3})})
                     .value()),
             {0, 0, 0, kNaN, 2});
}

TEST(CwiseBinaryTest, HalfAndBFloat16) {
  ExpectNear(HalfValues(RunOp("Add", {Halves({1.5, 1000}), Halves({2.25, 0.25})}).value()),
             {3.75, 1000});  // 1000.25 rounds to 1000 in half
  ExpectNear(BFloatValues(RunOp("Mul", {BFloats({1.5, 3}), BFloats({2, 0.5})}).value()), {3, 1.5});
  ExpectNear(HalfValues(RunOp("FloorMod", {Halves({-7.5}), Halves({2})}).value()), {0.5});
}

TEST(CwiseBinaryTest, LogicalAndOrBroadcast) {
  Tensor a = Bools({true, true, false, false}, {2, 2});
  Tensor b = Bools({true, false}, {2});
  EXPECT_THAT(BoolValues(RunOp("LogicalAnd", {a, b}, /*t_attr=*/false).value()),
              ElementsAre(true, false, false, false));
  EXPECT_THAT(BoolValues(RunOp("LogicalOr", {a, b}, /*t_attr=*/false).value()),
              ElementsAre(true, true, true, false));
}

TEST(CwiseBinaryTest, NoKernelForUnregisteredDtype) {
  // TensorFlow has no CPU RealDiv for integers.
  EXPECT_FALSE(RunOp("RealDiv", {Vec<int32_t>({1}), Vec<int32_t>({1})}).ok());
}

}  // namespace
}  // namespace tf1hub
