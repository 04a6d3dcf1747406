// Tests of comparisons, Select and SelectV2. Expected values by hand;
// error messages (marked "TF 2.15.1") pasted from TensorFlow 2.15.1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "tf1hub/kernels/cwise_test_util.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using namespace cwise_test;  // NOLINT(build/namespaces)

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(CwiseCompareTest, OrderingWithNaN) {
  Tensor x = Vec<float>({1, 2, 3, kNaN});
  Tensor y = Vec<float>({2, 2, 2, 0});
  EXPECT_THAT(BoolValues(RunOp("Greater", {x, y}).value()), ElementsAre(false, false, true, false));
  EXPECT_THAT(BoolValues(RunOp("GreaterEqual", {x, y}).value()),
              ElementsAre(false, true, true, false));
  EXPECT_THAT(BoolValues(RunOp("Less", {x, y}).value()), ElementsAre(true, false, false, false));
  EXPECT_THAT(BoolValues(RunOp("LessEqual", {x, y}).value()),
              ElementsAre(true, true, false, false));
  EXPECT_THAT(BoolValues(RunOp("Equal", {x, y}).value()), ElementsAre(false, true, false, false));
  EXPECT_THAT(BoolValues(RunOp("NotEqual", {x, y}).value()), ElementsAre(true, false, true, true));
}

TEST(CwiseCompareTest, BroadcastAndScalar) {
  Tensor out =
      RunOp("Less", {Make<int64_t>({1, 5, 9, 2, 6, 10}, {2, 3}), Make<int64_t>({5, 6}, {2, 1})})
          .value();
  EXPECT_EQ(out.shape(), Shape({2, 3}));
  EXPECT_THAT(BoolValues(out), ElementsAre(true, false, false, true, false, false));
  EXPECT_THAT(
      BoolValues(RunOp("Greater", {Tensor::Scalar<uint8_t>(3), Vec<uint8_t>({1, 3, 200})}).value()),
      ElementsAre(true, false, false));
  EXPECT_THAT(BoolValues(RunOp("Equal", {Halves({1.5, 2}), Halves({1.5, 2.5})}).value()),
              ElementsAre(true, false));
}

TEST(CwiseCompareTest, EqualStringsBoolsQuantized) {
  EXPECT_THAT(BoolValues(RunOp("Equal", {Strings({"a", "b"}, {2}), Strings({"a"}, {})}).value()),
              ElementsAre(true, false));
  EXPECT_THAT(
      BoolValues(RunOp("NotEqual", {Bools({true, false}, {2}), Bools({true, true}, {2})}).value()),
      ElementsAre(false, true));
  // qint8 tensors hold int8 storage.
  Tensor q = Tensor::Create(DataType::kQint8, Shape({2})).value();
  static_cast<int8_t*>(q.mutable_raw_data())[0] = 3;
  static_cast<int8_t*>(q.mutable_raw_data())[1] = -3;
  Tensor r = Tensor::Create(DataType::kQint8, Shape({2})).value();
  static_cast<int8_t*>(r.mutable_raw_data())[0] = 3;
  static_cast<int8_t*>(r.mutable_raw_data())[1] = 3;
  EXPECT_THAT(BoolValues(RunOp("Equal", {q, r}).value()), ElementsAre(true, false));
}

TEST(CwiseCompareTest, IncompatibleShapeErrorAttr) {
  // TF 2.15.1: with incompatible_shape_error=false, Equal of incompatible
  // shapes is the scalar false, NotEqual the scalar true.
  for (const char* op : {"Equal", "NotEqual"}) {
    KernelRunner r(op);
    r.Attr("T", DataType::kInt32).Attr("incompatible_shape_error", false);
    r.Input(Vec<int32_t>({1, 2, 3})).Input(Vec<int32_t>({1, 2}));
    std::vector<Tensor> out = r.Run().value();
    EXPECT_EQ(out[0].shape(), Shape({})) << op;
    EXPECT_EQ(out[0].flat<bool>()[0], std::string(op) == "NotEqual") << op;
  }
  // Compatible shapes still broadcast.
  KernelRunner r("Equal");
  r.Attr("T", DataType::kInt32).Attr("incompatible_shape_error", false);
  r.Input(Vec<int32_t>({1, 2, 3})).Input(Make<int32_t>({1, 2}, {2, 1}));
  std::vector<Tensor> out = r.Run().value();
  EXPECT_EQ(out[0].shape(), Shape({2, 3}));
  EXPECT_THAT(BoolValues(out[0]), ElementsAre(true, false, false, false, true, false));
  // Default: the error.
  Status s = RunOp("Equal", {Vec<int32_t>({1, 2, 3}), Vec<int32_t>({1, 2})}).status();
  EXPECT_EQ(s.message(), "Incompatible shapes: [3] vs. [2]");
}

TEST(CwiseSelectTest, ScalarConditionPicksWholeInput) {
  Tensor t = Vec<float>({1, 2});
  Tensor e = Vec<float>({3, 4});
  EXPECT_THAT(Values<float>(RunOp("Select", {Bools({true}, {}), t, e}).value()), ElementsAre(1, 2));
  EXPECT_THAT(Values<float>(RunOp("Select", {Bools({false}, {}), t, e}).value()),
              ElementsAre(3, 4));
  // TF 2.15.1.
  Status s =
      RunOp("Select", {Bools({true}, {}), Vec<int32_t>({1, 2}), Vec<int32_t>({1, 2, 3})}).status();
  EXPECT_EQ(s.message(), "'then' and 'else' must have the same size.  but received: [2] vs. [3]");
}

TEST(CwiseSelectTest, VectorConditionPicksRows) {
  Tensor out = RunOp("Select", {Bools({true, false}, {2}), Make<int32_t>({1, 2, 3, 4}, {2, 2}),
                                Make<int32_t>({5, 6, 7, 8}, {2, 2})})
                   .value();
  EXPECT_THAT(Values<int32_t>(out), ElementsAre(1, 2, 7, 8));
  Tensor strings = RunOp("Select", {Bools({false, true}, {2}), Strings({"a", "b"}, {2, 1}),
                                    Strings({"c", "d"}, {2, 1})})
                       .value();
  EXPECT_THAT(Values<std::string>(strings), ElementsAre("c", "b"));
  // TF 2.15.1 messages.
  Tensor m3 = Make<int32_t>({1, 2, 1, 2, 1, 2}, {3, 2});
  EXPECT_EQ(RunOp("Select", {Bools({true, false}, {2}), m3, m3}).status().message(),
            "Number of batches of 'then' must match size of 'cond', but saw: 3 vs. 2");
  EXPECT_EQ(RunOp("Select", {Bools({true, false}, {2}), Make<int32_t>({1, 2, 3, 4}, {2, 2}),
                             Make<int32_t>({1, 2, 3, 4, 5, 6}, {2, 3})})
                .status()
                .message(),
            "'then' and 'else' must have the same size.  but received: [2,2] vs. [2,3]");
  EXPECT_EQ(
      RunOp("Select", {Bools({true}, {1}), Tensor::Scalar<int32_t>(1), Tensor::Scalar<int32_t>(2)})
          .status()
          .message(),
      "'then' must be at least a vector, but saw shape: []");
}

TEST(CwiseSelectTest, ElementwiseCondition) {
  Tensor out =
      RunOp("Select", {Bools({true, false, false, true}, {2, 2}),
                       Make<double>({1, 2, 3, 4}, {2, 2}), Make<double>({5, 6, 7, 8}, {2, 2})})
          .value();
  EXPECT_THAT(Values<double>(out), ElementsAre(1, 6, 7, 4));
  // A vector condition with vector branches is element-wise too.
  EXPECT_THAT(Values<int64_t>(RunOp("Select", {Bools({false, true}, {2}), Vec<int64_t>({1, 2}),
                                               Vec<int64_t>({3, 4})})
                                  .value()),
              ElementsAre(3, 2));
  // TF 2.15.1 (the node is called "node" here).
  EXPECT_EQ(RunOp("Select", {Bools({true, false}, {1, 2}), Make<int32_t>({1, 2, 3}, {1, 3}),
                             Make<int32_t>({1, 2, 3}, {1, 3})})
                .status()
                .message(),
            "Inputs to operation node of type Select must have the same size and shape.  "
            "Input 0: [1,2] != input 1: [1,3]");
  EXPECT_EQ(
      RunOp("Select", {Bools({true, false}, {2}), Vec<int32_t>({1, 2, 3}), Vec<int32_t>({1, 2, 3})})
          .status()
          .message(),
      "Inputs to operation node of type Select must have the same size and shape.  "
      "Input 0: [2] != input 1: [3]");
}

TEST(CwiseSelectTest, SelectV2Broadcasts) {
  Tensor out = RunOp("SelectV2", {Bools({true, false}, {2, 1}), Vec<int32_t>({1, 2, 3}),
                                  Tensor::Scalar<int32_t>(0)})
                   .value();
  EXPECT_EQ(out.shape(), Shape({2, 3}));
  EXPECT_THAT(Values<int32_t>(out), ElementsAre(1, 2, 3, 0, 0, 0));
  // Condition broadcast along the inner dim, branches along the outer.
  Tensor out2 = RunOp("SelectV2", {Bools({true, false, true}, {3}), Make<float>({1, 2}, {2, 1}),
                                   Make<float>({10, 20, 30, 40, 50, 60}, {2, 3})})
                    .value();
  EXPECT_THAT(Values<float>(out2), ElementsAre(1, 20, 1, 2, 50, 2));
  // TF 2.15.1.
  EXPECT_EQ(RunOp("SelectV2",
                  {Bools({true, false}, {2}), Vec<int32_t>({1, 2, 3}), Vec<int32_t>({1, 2, 3})})
                .status()
                .message(),
            "condition [2], then [3], and else [3] must be broadcastable");
  Tensor empty =
      RunOp("SelectV2", {Bools({}, {0}), Vec<float>({}), Tensor::Scalar<float>(1)}).value();
  EXPECT_EQ(empty.shape(), Shape({0}));
}

TEST(CwiseSelectTest, LargeSelectV2MatchesPlainLoop) {
  const int rows = 517, cols = 301;
  std::vector<bool> c(cols);
  std::vector<int32_t> t(rows * cols), e(rows);
  for (int j = 0; j < cols; ++j) c[j] = (j % 3) == 0;
  for (int i = 0; i < rows * cols; ++i) t[i] = i;
  for (int i = 0; i < rows; ++i) e[i] = -i;
  Tensor out = RunOp("SelectV2", {Bools(c, {cols}), Make<int32_t>(t, {rows, cols}),
                                  Make<int32_t>(e, {rows, 1})})
                   .value();
  std::span<const int32_t> o = out.flat<int32_t>();
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) ASSERT_EQ(o[i * cols + j], c[j] ? t[i * cols + j] : e[i]);
}

// Same-shape condition and branches, mixed conditions, for each element
// size class (bool/int8, 16, 32, 64 bits, strings); Select and SelectV2.
template <typename T>
void ExpectElementwiseSelect(const std::vector<T>& t, const std::vector<T>& e) {
  const int64_t n = static_cast<int64_t>(t.size());
  std::vector<bool> c(n);
  for (int64_t i = 0; i < n; ++i) c[i] = i % 3 == 0 || i % 7 == 1;
  for (const char* op : {"Select", "SelectV2"}) {
    Tensor out = RunOp(op, {Bools(c, {n}), Make<T>(t, {n}), Make<T>(e, {n})}).value();
    std::vector<T> got = Values<T>(out);
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(got[i], c[i] ? t[i] : e[i]) << op << " " << i;
  }
}

TEST(CwiseSelectTest, ElementwiseMixedConditionsEveryElementSize) {
  const int n = 1003;
  std::vector<int8_t> t8(n), e8(n);
  std::vector<int16_t> t16(n), e16(n);
  std::vector<float> t32(n), e32(n);
  std::vector<int64_t> t64(n), e64(n);
  std::vector<std::string> ts(n), es(n);
  for (int i = 0; i < n; ++i) {
    t8[i] = static_cast<int8_t>(i);
    e8[i] = static_cast<int8_t>(-i);
    t16[i] = static_cast<int16_t>(i * 3);
    e16[i] = static_cast<int16_t>(-i);
    t32[i] = i + 0.5f;
    e32[i] = -i - 0.25f;
    t64[i] = (int64_t{1} << 40) + i;
    e64[i] = -(int64_t{1} << 50) - i;
    ts[i] = "t" + std::to_string(i);
    es[i] = "e" + std::to_string(i);
  }
  ExpectElementwiseSelect(t8, e8);
  ExpectElementwiseSelect(t16, e16);
  ExpectElementwiseSelect(t32, e32);
  ExpectElementwiseSelect(t64, e64);
  ExpectElementwiseSelect(ts, es);
}

}  // namespace
}  // namespace tf1hub
