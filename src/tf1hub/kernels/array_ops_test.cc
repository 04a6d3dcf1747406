// Tests of array_ops.cc: Reshape, Squeeze, ExpandDims, Shape, Size, Rank,
// Fill, ZerosLike, OnesLike, Range. Expected values are worked out by hand;
// error messages and edge-case results marked "TF 2.15.1" were produced by
// TensorFlow 2.15.1 in the oracle venv.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <complex>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "tf1hub/kernels/array_test_util.h"

namespace tf1hub {
namespace {

using namespace array_test;  // NOLINT(build/namespaces)
using ::testing::ElementsAre;

// ---- Reshape.

Tensor Reshape(const Tensor& x, const Tensor& shape, std::string* error = nullptr) {
  KernelRunner r("Reshape");
  r.Attr("T", x.dtype()).Attr("Tshape", shape.dtype()).Input(x).Input(shape);
  if (error != nullptr) {
    *error = RunError(r);
    return Tensor();
  }
  std::vector<Tensor> out = RunOk(r);
  return out.empty() ? Tensor() : out[0];
}

std::string ReshapeError(const std::vector<int64_t>& in_dims, const std::vector<int64_t>& shape) {
  std::string error;
  Reshape(Iota<float>(in_dims), Vec<int64_t>(shape), &error);
  return error;
}

TEST(ReshapeTest, SharesTheInputBuffer) {
  const Tensor x = Iota<float>({2, 3});
  const Tensor y = Reshape(x, Vec<int32_t>({3, 2}));
  EXPECT_EQ(y.shape().DebugString(), "[3,2]");
  EXPECT_TRUE(y.SharesBufferWith(x));
  EXPECT_THAT(Values<float>(y), ElementsAre(0, 1, 2, 3, 4, 5));
  const Tensor s = StringIota({4});
  const Tensor t = Reshape(s, Vec<int64_t>({2, 2}));
  EXPECT_TRUE(t.SharesBufferWith(s));
  EXPECT_EQ(t.flat<std::string>()[3], "s3");
}

TEST(ReshapeTest, InfersOneMinusOne) {
  EXPECT_EQ(Reshape(Iota<float>({2, 3}), Vec<int32_t>({-1})).shape().DebugString(), "[6]");
  EXPECT_EQ(Reshape(Iota<float>({2, 3}), Vec<int32_t>({3, -1})).shape().DebugString(), "[3,2]");
  EXPECT_EQ(Reshape(Iota<float>({2, 3}), Vec<int64_t>({-1, 1, 2})).shape().DebugString(),
            "[3,1,2]");
  // Legacy: a scalar shape is a one-element vector.
  EXPECT_EQ(Reshape(Iota<float>({6}), Scalar<int32_t>(6)).shape().DebugString(), "[6]");
  EXPECT_EQ(Reshape(Iota<float>({1}), Vec<int32_t>({})).shape().DebugString(), "[]");
  EXPECT_EQ(Reshape(Scalar<float>(3), Vec<int32_t>({-1})).shape().DebugString(), "[1]");
}

TEST(ReshapeTest, EmptyTensorsFollowTensorFlow) {
  // TF 2.15.1: zero-sized requested dims are left out of the product, so
  // the -1 is inferred from the input's non-zero dims.
  auto shape_of = [](std::vector<int64_t> in, std::vector<int64_t> s) {
    return Reshape(Iota<float>(in), Vec<int64_t>(s)).shape().DebugString();
  };
  EXPECT_EQ(shape_of({0, 3}, {0, -1}), "[0,3]");
  EXPECT_EQ(shape_of({0, 3}, {-1, 3}), "[0,3]");
  EXPECT_EQ(shape_of({0, 3}, {-1, 0}), "[3,0]");
  EXPECT_EQ(shape_of({0, 2}, {-1}), "[0]");
  EXPECT_EQ(shape_of({0, 2}, {-1, 4}), "[0,4]");
  EXPECT_EQ(shape_of({3, 0, 2}, {0, -1}), "[0,6]");
  EXPECT_EQ(shape_of({3, 0, 2}, {-1, 0, 5}), "[1,0,5]");
  EXPECT_EQ(shape_of({4, 0}, {-1, 0}), "[4,0]");
}

TEST(ReshapeTest, ErrorsMatchTensorFlow) {
  // TF 2.15.1 messages.
  EXPECT_EQ(ReshapeError({6}, {4}),
            "Input to reshape is a tensor with 6 values, but the requested shape has 4");
  EXPECT_EQ(ReshapeError({6}, {4, -1}),
            "Input to reshape is a tensor with 6 values, but the requested shape requires a "
            "multiple of 4");
  EXPECT_EQ(ReshapeError({6}, {-1, -1}), "Only one input size may be -1, not both 0 and 1");
  EXPECT_EQ(ReshapeError({6}, {-2, -3}), "Size 0 must be non-negative, not -2");
  EXPECT_EQ(ReshapeError({6}, {-1, 4, -3}), "Size 2 must be non-negative, not -3");
  EXPECT_EQ(ReshapeError({6}, {0, 6}),
            "Input to reshape is a tensor with 6 values, but the requested shape has 0");
  EXPECT_EQ(ReshapeError({6}, {0, -1}),
            "Input to reshape is a tensor with 6 values, but the requested shape has 0");
  EXPECT_EQ(ReshapeError({6}, {}),
            "Input to reshape is a tensor with 6 values, but the requested shape has 1");
  const int64_t big = int64_t{1} << 40;
  EXPECT_EQ(ReshapeError({6}, {big, big}),
            "Shape [1099511627776, 1099511627776] has too many elements");
  EXPECT_EQ(ReshapeError({6}, {big, big, -2}),
            "Shape [1099511627776, 1099511627776, -2] has too many elements");
  EXPECT_EQ(ReshapeError({0}, {big, big, 0}),
            "Shape [1099511627776, 1099511627776, 0] has too many elements");
  EXPECT_EQ(ReshapeError({6}, {int64_t{1} << 32, int64_t{1} << 31}),
            "Shape [4294967296, 2147483648] has too many elements");
  EXPECT_EQ(ReshapeError({6}, {int64_t{1} << 62, -1}),
            "Input to reshape is a tensor with 6 values, but the requested shape requires a "
            "multiple of 4611686018427387904");
  // A zero before the big dims keeps the running count at 0.
  EXPECT_EQ(ReshapeError({6}, {0, big, big}),
            "Input to reshape is a tensor with 6 values, but the requested shape has 0");
  std::string error;
  Reshape(Iota<float>({6}), Make<int32_t>({-1}, {1, 1}), &error);
  EXPECT_EQ(error, "sizes input must be 1-D, not [1,1]");
}

// ---- Squeeze, ExpandDims.

StatusOr<Tensor> Squeeze(const Tensor& x, const std::vector<int64_t>& dims) {
  KernelRunner r("Squeeze");
  r.Attr("T", x.dtype()).Attr("squeeze_dims", dims).Input(x);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(SqueezeTest, DropsSizeOneDims) {
  const Tensor x = Iota<int32_t>({1, 2, 1, 1});
  Tensor y = Squeeze(x, {}).value();
  EXPECT_EQ(y.shape().DebugString(), "[2]");
  EXPECT_TRUE(y.SharesBufferWith(x));
  EXPECT_EQ(Squeeze(x, {0}).value().shape().DebugString(), "[2,1,1]");
  EXPECT_EQ(Squeeze(x, {-1, 2}).value().shape().DebugString(), "[1,2]");
  EXPECT_EQ(Squeeze(x, {3, -1}).value().shape().DebugString(), "[1,2,1]");  // same dim twice
  EXPECT_EQ(Squeeze(Iota<bool>({1}), {}).value().shape().DebugString(), "[]");
}

TEST(SqueezeTest, ErrorsMatchTensorFlow) {
  // TF 2.15.1 messages.
  EXPECT_EQ(Squeeze(Iota<float>({2, 1}), {0}).status().message(),
            "Can not squeeze dim[0], expected a dimension of 1, got 2");
  EXPECT_EQ(Squeeze(Iota<float>({2, 1}), {3}).status().message(),
            "Tried to squeeze dim index 3 for tensor with 2 dimensions.");
  EXPECT_EQ(Squeeze(Iota<float>({2, 1}), {-3}).status().message(),
            "Tried to squeeze dim index -3 for tensor with 2 dimensions.");
  EXPECT_EQ(Squeeze(Scalar<float>(1), {0}).status().message(),
            "Tried to squeeze dim index 0 for tensor with 0 dimensions.");
}

StatusOr<Tensor> ExpandDims(const Tensor& x, const Tensor& dim) {
  KernelRunner r("ExpandDims");
  r.Attr("T", x.dtype()).Attr("Tdim", dim.dtype()).Input(x).Input(dim);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(ExpandDimsTest, InsertsASizeOneDim) {
  const Tensor x = Iota<float>({2, 3});
  Tensor y = ExpandDims(x, Scalar<int32_t>(0)).value();
  EXPECT_EQ(y.shape().DebugString(), "[1,2,3]");
  EXPECT_TRUE(y.SharesBufferWith(x));
  EXPECT_EQ(ExpandDims(x, Scalar<int32_t>(2)).value().shape().DebugString(), "[2,3,1]");
  EXPECT_EQ(ExpandDims(x, Scalar<int64_t>(-1)).value().shape().DebugString(), "[2,3,1]");
  EXPECT_EQ(ExpandDims(x, Scalar<int32_t>(-3)).value().shape().DebugString(), "[1,2,3]");
  // Any one-element dim tensor works (TF 2.15.1).
  EXPECT_EQ(ExpandDims(x, Make<int32_t>({1}, {1, 1})).value().shape().DebugString(), "[2,1,3]");
  EXPECT_EQ(ExpandDims(Scalar<float>(1), Scalar<int32_t>(-1)).value().shape().DebugString(), "[1]");
}

TEST(ExpandDimsTest, ErrorsMatchTensorFlow) {
  const Tensor x = Iota<float>({2, 1});
  EXPECT_EQ(ExpandDims(x, Scalar<int32_t>(3)).status().message(),
            "Tried to expand dim index 3 for tensor with 2 dimensions.");
  EXPECT_EQ(ExpandDims(x, Scalar<int32_t>(-4)).status().message(),
            "Tried to expand dim index -4 for tensor with 2 dimensions.");
  EXPECT_EQ(ExpandDims(x, Vec<int32_t>({1, 2})).status().message(),
            "'dim' must be a tensor with a single value");
  EXPECT_EQ(ExpandDims(x, Vec<int32_t>({})).status().message(),
            "'dim' must be a tensor with a single value");
}

// ---- Shape, Size, Rank.

TEST(ShapeOpsTest, ShapeSizeRank) {
  const Tensor x = StringIota({2, 3, 4});
  KernelRunner s("Shape");
  s.Attr("T", DataType::kString).Input(x);
  EXPECT_THAT(Values<int32_t>(RunOk(s)[0]), ElementsAre(2, 3, 4));
  KernelRunner s64("Shape");
  s64.Attr("T", DataType::kString).Attr("out_type", DataType::kInt64).Input(x);
  EXPECT_THAT(Values<int64_t>(RunOk(s64)[0]), ElementsAre(2, 3, 4));
  KernelRunner n("Size");
  n.Attr("T", DataType::kString).Input(x);
  EXPECT_EQ(RunOk(n)[0].scalar<int32_t>(), 24);
  KernelRunner n64("Size");
  n64.Attr("T", DataType::kString).Attr("out_type", DataType::kInt64).Input(x);
  EXPECT_EQ(RunOk(n64)[0].scalar<int64_t>(), 24);
  KernelRunner k("Rank");
  k.Attr("T", DataType::kString).Input(x);
  EXPECT_EQ(RunOk(k)[0].scalar<int32_t>(), 3);
  KernelRunner scalar_shape("Shape");
  scalar_shape.Attr("T", DataType::kFloat).Input(Scalar<float>(1));
  EXPECT_EQ(RunOk(scalar_shape)[0].shape().DebugString(), "[0]");
}

TEST(ShapeOpsTest, Int32Overflow) {
  // TF 2.15.1: an empty tensor with a dim above 2^31 - 1.
  const Tensor x = Tensor::Create(DataType::kFloat, Shape({0, 3000000000})).value();
  KernelRunner s("Shape");
  s.Attr("T", DataType::kFloat).Input(x);
  EXPECT_EQ(RunError(s), "Shape output type is 32-bit  but dim 1 is 3000000000");
  KernelRunner s64("Shape");
  s64.Attr("T", DataType::kFloat).Attr("out_type", DataType::kInt64).Input(x);
  EXPECT_THAT(Values<int64_t>(RunOk(s64)[0]), ElementsAre(0, 3000000000));
  KernelRunner n("Size");
  n.Attr("T", DataType::kFloat).Input(x);
  EXPECT_EQ(RunOk(n)[0].scalar<int32_t>(), 0);
}

// ---- Fill, ZerosLike, OnesLike.

StatusOr<Tensor> Fill(const Tensor& dims, const Tensor& value) {
  KernelRunner r("Fill");
  r.Attr("T", value.dtype()).Attr("index_type", dims.dtype()).Input(dims).Input(value);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(FillTest, FillsEveryElement) {
  Tensor f = Fill(Vec<int32_t>({2, 3}), Scalar<float>(1.5f)).value();
  EXPECT_EQ(f.shape().DebugString(), "[2,3]");
  EXPECT_THAT(Values<float>(f), ElementsAre(1.5, 1.5, 1.5, 1.5, 1.5, 1.5));
  Tensor s = Fill(Vec<int64_t>({2}), Scalar<std::string>("ab")).value();
  EXPECT_THAT(Values<std::string>(s), ElementsAre("ab", "ab"));
  Tensor c = Fill(Vec<int32_t>({2}), Scalar<Complex128>({1, -2})).value();
  EXPECT_EQ(c.flat<Complex128>()[1], Complex128(1, -2));
  EXPECT_EQ(Fill(Vec<int32_t>({}), Scalar<int8_t>(-3)).value().scalar<int8_t>(), -3);
  // TF 2.15.1 accepts a scalar dims and a one-element value vector.
  EXPECT_EQ(Fill(Scalar<int32_t>(3), Scalar<float>(1)).value().shape().DebugString(), "[3]");
  EXPECT_THAT(Values<float>(Fill(Vec<int32_t>({2}), Vec<float>({7})).value()), ElementsAre(7, 7));
  const int64_t big = int64_t{1} << 40;
  EXPECT_EQ(Fill(Vec<int64_t>({0, big}), Scalar<float>(1)).value().shape().DebugString(),
            "[0,1099511627776]");
  // 3000 elements: split across threads.
  Tensor large = Fill(Vec<int32_t>({3000}), Scalar<int64_t>(-9)).value();
  for (int64_t v : large.flat<int64_t>()) ASSERT_EQ(v, -9);
}

TEST(FillTest, ErrorsMatchTensorFlow) {
  EXPECT_EQ(Fill(Vec<int32_t>({2, -1}), Scalar<float>(1)).status().message(),
            "Dimension -1 must be >= 0");
  EXPECT_EQ(Fill(Vec<int32_t>({2, 1}), Vec<float>({1, 2})).status().message(),
            "value must represent a scalar, got shape [2]");
  EXPECT_EQ(Fill(Vec<int32_t>({2}), Make<float>({1}, {1, 1})).status().message(),
            "value must represent a scalar, got shape [1,1]");
  EXPECT_EQ(Fill(Make<int32_t>({2}, {1, 1}), Scalar<float>(1)).status().message(),
            "dims must represent a vector, got shape [1,1]");
  const int64_t big = int64_t{1} << 40;
  EXPECT_EQ(Fill(Vec<int64_t>({big, big}), Scalar<float>(1)).status().message(),
            "Shape [1099511627776,1099511627776] would have more than 2**63 - 1 elements");
}

Tensor Like(const std::string& op, const Tensor& x) {
  KernelRunner r(op);
  r.Attr("T", x.dtype()).Input(x);
  std::vector<Tensor> out = RunOk(r);
  return out.empty() ? Tensor() : out[0];
}

TEST(ZerosOnesLikeTest, Values) {
  EXPECT_THAT(Values<float>(Like("ZerosLike", Iota<float>({2, 2}))), ElementsAre(0, 0, 0, 0));
  EXPECT_THAT(Values<std::string>(Like("ZerosLike", StringIota({2}))), ElementsAre("", ""));
  EXPECT_EQ(Like("ZerosLike", Iota<float>({0, 3})).shape().DebugString(), "[0,3]");
  EXPECT_THAT(Values<float>(Like("OnesLike", Iota<float>({3}))), ElementsAre(1, 1, 1));
  EXPECT_THAT(Values<double>(Like("OnesLike", Iota<double>({2}))), ElementsAre(1, 1));
  EXPECT_THAT(Values<int64_t>(Like("OnesLike", Iota<int64_t>({2}))), ElementsAre(1, 1));
  EXPECT_THAT(Values<uint16_t>(Like("OnesLike", Iota<uint16_t>({2}))), ElementsAre(1, 1));
  EXPECT_THAT(Values<bool>(Like("OnesLike", Iota<bool>({2}))), ElementsAre(true, true));
  // IEEE half 1.0 is 0x3C00, bfloat16 1.0 is 0x3F80.
  Tensor h = Like("OnesLike", Tensor::Create(DataType::kHalf, Shape({2})).value());
  EXPECT_EQ(h.flat<Half>()[1].bits, 0x3C00);
  Tensor b = Like("OnesLike", Tensor::Create(DataType::kBfloat16, Shape({2})).value());
  EXPECT_EQ(b.flat<BFloat16>()[1].bits, 0x3F80);
  EXPECT_EQ(Like("OnesLike", Iota<Complex64>({2})).flat<Complex64>()[1], Complex64(1, 0));
  EXPECT_EQ(Like("OnesLike", Iota<Complex128>({2})).flat<Complex128>()[0], Complex128(1, 0));
}

// ---- Range.

template <typename T>
StatusOr<Tensor> Range(T start, T limit, T delta) {
  KernelRunner r("Range");
  r.Attr("Tidx", DataTypeOf<T>::value)
      .Input(Scalar(start))
      .Input(Scalar(limit))
      .Input(Scalar(delta));
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(RangeTest, Integers) {
  EXPECT_THAT(Values<int32_t>(Range<int32_t>(1, 10, 3).value()), ElementsAre(1, 4, 7));
  EXPECT_THAT(Values<int64_t>(Range<int64_t>(5, -1, -2).value()), ElementsAre(5, 3, 1));
  EXPECT_EQ(Range<int32_t>(3, 3, -1).value().NumElements(), 0);
  // TF 2.15.1: limit - start wraps in int32, then |diff| / |delta| rounds up
  // without overflow.
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  EXPECT_THAT(Values<int32_t>(Range<int32_t>(kMin, kMax, 1 << 30).value()), ElementsAre(kMin));
  EXPECT_THAT(Values<int32_t>(Range<int32_t>(0, kMax, 1 << 30).value()), ElementsAre(0, 1 << 30));
  EXPECT_THAT(Values<int32_t>(Range<int32_t>(kMax, kMin, -(1 << 30)).value()), ElementsAre(kMax));
  EXPECT_THAT(Values<int32_t>(Range<int32_t>(0, kMin, -(1 << 30)).value()),
              ElementsAre(0, -(1 << 30)));
  EXPECT_THAT(Values<int32_t>(Range<int32_t>(0, kMin, kMin).value()), ElementsAre(0));
  EXPECT_THAT(Values<int32_t>(Range<int32_t>(-1, kMax, kMax).value()), ElementsAre(-1, kMax - 1));
  EXPECT_THAT(
      Values<int64_t>(
          Range<int64_t>(-5, std::numeric_limits<int64_t>::max(), int64_t{1} << 62).value()),
      ElementsAre(-5, (int64_t{1} << 62) - 5));
}

TEST(RangeTest, FloatsAreStartPlusIndexTimesDelta) {
  // TF 2.15.1 computes start + i * delta (not a running sum): 1429 values.
  const float start = 0.3f, limit = 1000.0f, delta = 0.7f;
  Tensor t = Range<float>(start, limit, delta).value();
  ASSERT_EQ(t.NumElements(), 1429);
  for (int64_t i = 0; i < t.NumElements(); ++i) {
    const float expected = start + static_cast<float>(i) * delta;
    ASSERT_EQ(t.flat<float>()[i], expected) << i;
  }
  EXPECT_THAT(Values<double>(Range<double>(0.5, -3, -0.7).value()),
              ElementsAre(0.5, 0.5 - 0.7, 0.5 - 2 * 0.7, 0.5 - 3 * 0.7, 0.5 - 4 * 0.7));
  EXPECT_EQ(Range<float>(0, 1, 0.1f).value().NumElements(), 10);
}

TEST(RangeTest, ErrorsMatchTensorFlow) {
  EXPECT_EQ(Range<int32_t>(0, 5, 0).status().message(), "Requires delta != 0: 0");
  EXPECT_EQ(Range<int32_t>(0, 5, -1).status().message(),
            "Requires start >= limit when delta < 0: 0/5");
  EXPECT_EQ(Range<int32_t>(5, 0, 1).status().message(),
            "Requires start <= limit when delta > 0: 5/0");
  EXPECT_EQ(Range<int32_t>(0, 10, std::numeric_limits<int32_t>::min()).status().message(),
            "Requires start >= limit when delta < 0: 0/10");
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(Range<float>(0, nan, 1).status().message(),
            "Requires start <= limit when delta > 0: 0/nan");
  EXPECT_EQ(Range<float>(0, 5, nan).status().message(),
            "Requires start >= limit when delta < 0: 0/5");
  EXPECT_EQ(Range<float>(0.1f, 1, -0.3f).status().message(),
            "Requires start >= limit when delta < 0: 0.1/1");
  EXPECT_EQ(Range<float>(0.5f, 1, 0).status().message(), "Requires delta != 0: 0");
  for (auto s : {Range<float>(0, inf, 1).status(), Range<float>(0, 1, 1e-30f).status(),
                 Range<float>(5, 0, nan).status(), Range<double>(0.5, 1, 1e-300).status()}) {
    EXPECT_EQ(s.message(), "Requires ((limit - start) / delta) <= 9223372036854775807");
  }
  KernelRunner r("Range");
  r.Attr("Tidx", DataType::kInt32)
      .Input(Vec<int32_t>({1, 2}))
      .Input(Scalar<int32_t>(5))
      .Input(Scalar<int32_t>(1));
  EXPECT_EQ(RunError(r), "start must be a scalar, not shape [2]");
  // One-element vectors are accepted (TF 2.15.1).
  KernelRunner v("Range");
  v.Attr("Tidx", DataType::kInt32)
      .Input(Vec<int32_t>({0}))
      .Input(Vec<int32_t>({5}))
      .Input(Vec<int32_t>({2}));
  EXPECT_THAT(Values<int32_t>(RunOk(v)[0]), ElementsAre(0, 2, 4));
}

TEST(RangeTest, OnlyTensorFlowsCpuTypes) {
  KernelRunner r("Range");
  r.Attr("Tidx", DataType::kInt8)
      .Input(Scalar<int8_t>(0))
      .Input(Scalar<int8_t>(5))
      .Input(Scalar<int8_t>(1));
  EXPECT_EQ(r.Run().status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tf1hub
