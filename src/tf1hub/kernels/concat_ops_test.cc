// Tests of concat_ops.cc: ConcatV2, Pack, Unpack. Expected values by hand
// (or a naive reference loop); messages marked "TF 2.15.1" come from
// TensorFlow 2.15.1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tf1hub/kernels/array_test_util.h"

namespace tf1hub {
namespace {

using namespace array_test;  // NOLINT(build/namespaces)
using ::testing::ElementsAre;

StatusOr<Tensor> Concat(const std::vector<Tensor>& values, const Tensor& axis) {
  KernelRunner r("ConcatV2");
  r.Attr("T", values[0].dtype()).Attr("N", static_cast<int64_t>(values.size()));
  r.Attr("Tidx", axis.dtype());
  for (const Tensor& v : values) r.Input(v);
  r.Input(axis);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(ConcatV2Test, Axes) {
  const Tensor a = Make<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  const Tensor b = Make<float>({7, 8, 9, 10}, {2, 2});
  Tensor c = Concat({a, b}, Scalar<int32_t>(1)).value();
  EXPECT_EQ(c.shape().DebugString(), "[2,5]");
  EXPECT_THAT(Values<float>(c), ElementsAre(1, 2, 3, 7, 8, 4, 5, 6, 9, 10));
  Tensor d = Concat({a, b}, Scalar<int64_t>(-1)).value();
  EXPECT_THAT(Values<float>(d), ElementsAre(1, 2, 3, 7, 8, 4, 5, 6, 9, 10));
  Tensor e = Concat({a, a, a}, Scalar<int32_t>(0)).value();
  EXPECT_EQ(e.shape().DebugString(), "[6,3]");
  EXPECT_EQ(e.flat<float>()[17], 6);
  // A one-element axis vector is accepted (TF 2.15.1).
  EXPECT_EQ(Concat({a, a}, Vec<int32_t>({0})).value().shape().DebugString(), "[4,3]");
}

TEST(ConcatV2Test, StringsEmptyInputsAndManyRows) {
  Tensor s = Concat({Make<std::string>({"a", "b"}, {2, 1}), Make<std::string>({"c", "d"}, {2, 1})},
                    Scalar<int32_t>(1))
                 .value();
  EXPECT_THAT(Values<std::string>(s), ElementsAre("a", "c", "b", "d"));
  Tensor e = Concat({Iota<int32_t>({0, 3}), Iota<int32_t>({2, 3})}, Scalar<int32_t>(0)).value();
  EXPECT_THAT(Values<int32_t>(e), ElementsAre(0, 1, 2, 3, 4, 5));
  EXPECT_EQ(Concat({Iota<int32_t>({0, 2}), Iota<int32_t>({0, 3})}, Scalar<int32_t>(1))
                .value()
                .shape()
                .DebugString(),
            "[0,5]");
  // 500 rows of 3 + 4 uint16 elements: rows split across threads.
  const Tensor x = Iota<uint16_t>({500, 3}), y = Iota<uint16_t>({500, 4});
  Tensor z = Concat({x, y}, Scalar<int32_t>(1)).value();
  for (int64_t r = 0; r < 500; ++r) {
    for (int64_t k = 0; k < 7; ++k) {
      const uint16_t want =
          k < 3 ? static_cast<uint16_t>(r * 3 + k) : static_cast<uint16_t>(r * 4 + k - 3);
      ASSERT_EQ(z.flat<uint16_t>()[r * 7 + k], want);
    }
  }
}

TEST(ConcatV2Test, ErrorsMatchTensorFlow) {
  const Tensor a = Iota<float>({2, 3});
  EXPECT_EQ(Concat({a, a}, Scalar<int32_t>(2)).status().message(),
            "ConcatOp : Expected concatenating dimensions in the range [-2, 2), but got 2");
  EXPECT_EQ(Concat({a, a}, Scalar<int32_t>(-3)).status().message(),
            "ConcatOp : Expected concatenating dimensions in the range [-2, 2), but got -3");
  EXPECT_EQ(Concat({a, Iota<float>({2, 3, 1})}, Scalar<int32_t>(0)).status().message(),
            "ConcatOp : Ranks of all input tensors should match: shape[0] = [2,3] vs. shape[1] = "
            "[2,3,1]");
  EXPECT_EQ(Concat({a, a, Iota<float>({3, 2})}, Scalar<int32_t>(0)).status().message(),
            "ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [2,3] vs. shape[2] = "
            "[3,2]");
  EXPECT_EQ(Concat({Scalar<float>(1), Scalar<float>(2)}, Scalar<int32_t>(0)).status().message(),
            "ConcatOp : Can't concatenate scalars (use tf.stack instead)");
  EXPECT_EQ(Concat({Iota<float>({2}), Scalar<float>(2)}, Scalar<int32_t>(0)).status().message(),
            "ConcatOp : Can't concatenate scalars (use tf.stack instead)");
  EXPECT_EQ(Concat({Scalar<float>(1), Scalar<float>(2)}, Scalar<int32_t>(5)).status().message(),
            "ConcatOp : Expected concatenating dimensions in the range [0, 0), but got 5");
  EXPECT_EQ(Concat({a, a}, Vec<int32_t>({0, 1})).status().message(),
            "axis tensor should be a scalar integer, but got shape [2]");
}

StatusOr<Tensor> Pack(const std::vector<Tensor>& values, int64_t axis) {
  KernelRunner r("Pack");
  r.Attr("T", values[0].dtype()).Attr("N", static_cast<int64_t>(values.size())).Attr("axis", axis);
  for (const Tensor& v : values) r.Input(v);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(PackTest, Axes) {
  const Tensor a = Make<int64_t>({1, 2, 3, 4, 5, 6}, {2, 3});
  const Tensor b = Make<int64_t>({7, 8, 9, 10, 11, 12}, {2, 3});
  Tensor p0 = Pack({a, b}, 0).value();
  EXPECT_EQ(p0.shape().DebugString(), "[2,2,3]");
  EXPECT_THAT(Values<int64_t>(p0), ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
  Tensor p1 = Pack({a, b}, 1).value();
  EXPECT_EQ(p1.shape().DebugString(), "[2,2,3]");
  EXPECT_THAT(Values<int64_t>(p1), ElementsAre(1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12));
  Tensor p2 = Pack({a, b}, -1).value();
  EXPECT_EQ(p2.shape().DebugString(), "[2,3,2]");
  EXPECT_THAT(Values<int64_t>(p2), ElementsAre(1, 7, 2, 8, 3, 9, 4, 10, 5, 11, 6, 12));
  Tensor s = Pack({Scalar<std::string>("x"), Scalar<std::string>("y")}, 0).value();
  EXPECT_THAT(Values<std::string>(s), ElementsAre("x", "y"));
  Tensor one = Pack({a}, 1).value();
  EXPECT_EQ(one.shape().DebugString(), "[2,1,3]");
  EXPECT_TRUE(one.SharesBufferWith(a));
}

TEST(PackTest, ErrorsMatchTensorFlow) {
  const Tensor a = Iota<float>({2, 3});
  EXPECT_EQ(Pack({a, Iota<float>({3, 2})}, 0).status().message(),
            "Shapes of all inputs must match: values[0].shape = [2,3] != values[1].shape = [3,2]");
  EXPECT_EQ(Pack({a, a, Iota<float>({2})}, 1).status().message(),
            "Shapes of all inputs must match: values[0].shape = [2,3] != values[2].shape = [2]");
  // Checked even when the output is empty (TF 2.15.1).
  EXPECT_EQ(Pack({Iota<float>({0, 3}), Iota<float>({0, 2})}, 0).status().message(),
            "Shapes of all inputs must match: values[0].shape = [0,3] != values[1].shape = [0,2]");
  EXPECT_EQ(Pack({a, a}, 3).status().message(), "axis = 3 not in [-3, 3)");
  EXPECT_EQ(Pack({a, a}, -4).status().message(), "axis = -4 not in [-3, 3)");
}

StatusOr<std::vector<Tensor>> Unpack(const Tensor& x, int64_t num, int64_t axis) {
  KernelRunner r("Unpack");
  r.Attr("T", x.dtype()).Attr("num", num).Attr("axis", axis).Input(x);
  return r.Run();
}

TEST(UnpackTest, Axes) {
  const Tensor x = Iota<float>({2, 3});
  std::vector<Tensor> u0 = Unpack(x, 2, 0).value();
  ASSERT_EQ(u0.size(), 2u);
  EXPECT_THAT(Values<float>(u0[1]), ElementsAre(3, 4, 5));
  std::vector<Tensor> u1 = Unpack(x, 3, 1).value();
  ASSERT_EQ(u1.size(), 3u);
  EXPECT_EQ(u1[2].shape().DebugString(), "[2]");
  EXPECT_THAT(Values<float>(u1[2]), ElementsAre(2, 5));
  std::vector<Tensor> um = Unpack(Iota<double>({3, 2}), 2, -1).value();
  EXPECT_THAT(Values<double>(um[0]), ElementsAre(0, 2, 4));
  EXPECT_THAT(Values<double>(um[1]), ElementsAre(1, 3, 5));
  std::vector<Tensor> s = Unpack(StringIota({2, 2}), 2, 1).value();
  EXPECT_THAT(Values<std::string>(s[1]), ElementsAre("s1", "s3"));
  EXPECT_TRUE(Unpack(Iota<float>({0, 3}), 0, 0).value().empty());
  std::vector<Tensor> e = Unpack(Iota<float>({2, 0}), 2, 0).value();
  EXPECT_EQ(e[1].shape().DebugString(), "[0]");
}

TEST(UnpackTest, ErrorsMatchTensorFlow) {
  const Tensor x = Iota<float>({2, 3});
  EXPECT_EQ(Unpack(x, 3, 0).status().message(), "Input shape axis 0 must equal 3, got shape [2,3]");
  EXPECT_EQ(Unpack(x, 2, 2).status().message(), "axis = 2 not in [-2, 2)");
  EXPECT_EQ(Unpack(x, 2, -3).status().message(), "axis = -3 not in [-2, 2)");
  EXPECT_EQ(Unpack(Scalar<float>(1), 1, 0).status().message(), "axis = 0 not in [0, 0)");
}

}  // namespace
}  // namespace tf1hub
