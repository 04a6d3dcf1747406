// Tests of slice_ops.cc and strided_slice_spec.cc: Slice, StridedSlice.
// Values marked "TF 2.15.1" were produced by TensorFlow 2.15.1 (oracle
// venv) on the same inputs; others by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tf1hub/kernels/array_test_util.h"
#include "tf1hub/kernels/strided_slice_spec.h"

namespace tf1hub {
namespace {

using namespace array_test;  // NOLINT(build/namespaces)
using ::testing::ElementsAre;

// ---- Slice.

StatusOr<Tensor> Slice(const Tensor& x, const Tensor& begin, const Tensor& size) {
  KernelRunner r("Slice");
  r.Attr("T", x.dtype()).Attr("Index", begin.dtype()).Input(x).Input(begin).Input(size);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(SliceTest, Values) {
  const Tensor x = Iota<float>({3, 4});
  Tensor a = Slice(x, Vec<int32_t>({1, 1}), Vec<int32_t>({2, 2})).value();
  EXPECT_EQ(a.shape().DebugString(), "[2,2]");
  EXPECT_THAT(Values<float>(a), ElementsAre(5, 6, 9, 10));
  Tensor b = Slice(x, Vec<int64_t>({1, 1}), Vec<int64_t>({-1, -1})).value();
  EXPECT_THAT(Values<float>(b), ElementsAre(5, 6, 7, 9, 10, 11));
  Tensor c = Slice(x, Vec<int32_t>({1, 0}), Vec<int32_t>({1, -1})).value();
  EXPECT_THAT(Values<float>(c), ElementsAre(4, 5, 6, 7));
  Tensor whole = Slice(x, Vec<int32_t>({0, 0}), Vec<int32_t>({-1, 4})).value();
  EXPECT_TRUE(whole.SharesBufferWith(x));
  EXPECT_EQ(Slice(x, Vec<int32_t>({3, 0}), Vec<int32_t>({0, 1})).value().shape().DebugString(),
            "[0,1]");
  EXPECT_EQ(Slice(Scalar<float>(3), Vec<int32_t>({}), Vec<int32_t>({})).value().scalar<float>(), 3);
  Tensor s = Slice(StringIota({2, 3}), Vec<int32_t>({0, 1}), Vec<int32_t>({2, 1})).value();
  EXPECT_THAT(Values<std::string>(s), ElementsAre("s1", "s4"));
  // Empty dim: begin 0 and size -1 (TF 2.15.1).
  EXPECT_EQ(Slice(Iota<float>({0, 3}), Vec<int32_t>({0, 0}), Vec<int32_t>({-1, 1}))
                .value()
                .shape()
                .DebugString(),
            "[0,1]");
}

TEST(SliceTest, ManyDimsAgainstReference) {
  // Rank 9 (above TensorFlow's 8): checked against naive index math.
  const std::vector<int64_t> dims = {2, 3, 2, 3, 2, 2, 3, 2, 4};
  const std::vector<int64_t> begin = {1, 0, 1, 1, 0, 1, 2, 0, 1};
  const std::vector<int64_t> size = {1, 2, 1, 2, 2, 1, 1, 2, 3};
  const Tensor x = Iota<int32_t>(dims);
  Tensor y = Slice(x, Vec<int64_t>(begin), Vec<int64_t>(size)).value();
  ASSERT_EQ(y.NumElements(), 48);
  for (int64_t i = 0; i < y.NumElements(); ++i) {
    std::vector<int64_t> c = Coords(i, size);
    for (size_t k = 0; k < c.size(); ++k) c[k] += begin[k];
    ASSERT_EQ(y.flat<int32_t>()[i], Flat(c, dims)) << i;
  }
}

TEST(SliceTest, ErrorsMatchTensorFlow) {
  const Tensor x = Iota<float>({2, 3});
  EXPECT_EQ(Slice(x, Vec<int32_t>({0, 1}), Vec<int32_t>({2, 3})).status().message(),
            "Expected size[1] in [0, 2], but got 3");
  EXPECT_EQ(Slice(x, Vec<int32_t>({0, 1}), Vec<int32_t>({2, -2})).status().message(),
            "Expected size[1] in [0, 2], but got -2");
  EXPECT_EQ(Slice(x, Vec<int32_t>({-1, 1}), Vec<int32_t>({1, 1})).status().message(),
            "Expected begin[0] in [0, 2], but got -1");
  EXPECT_EQ(Slice(x, Vec<int32_t>({3, 0}), Vec<int32_t>({-1, 1})).status().message(),
            "Expected begin[0] in [0, 2], but got 3");
  EXPECT_EQ(Slice(x, Vec<int64_t>({0, int64_t{1} << 40}), Vec<int64_t>({1, 1})).status().message(),
            "Expected begin[1] in [0, 3], but got 1099511627776");
  EXPECT_EQ(Slice(x, Vec<int32_t>({0}), Vec<int32_t>({2})).status().message(),
            "Expected begin and size arguments to be 1-D tensors of size 2, but got shapes [1] and "
            "[1] instead.");
  EXPECT_EQ(Slice(x, Make<int32_t>({0, 0}, {1, 2}), Vec<int32_t>({2, 1})).status().message(),
            "Expected begin and size arguments to be 1-D tensors of size 2, but got shapes [1,2] "
            "and [2] instead.");
  EXPECT_EQ(
      Slice(Iota<float>({0, 3}), Vec<int32_t>({1, 0}), Vec<int32_t>({0, 1})).status().message(),
      "Expected begin[0] == 0 (got 1) and size[0] == 0 (got 0) when input.dim_size(0) == 0");
  EXPECT_EQ(
      Slice(Iota<float>({0, 3}), Vec<int32_t>({0, 0}), Vec<int32_t>({1, 1})).status().message(),
      "Expected begin[0] == 0 (got 0) and size[0] == 0 (got 1) when input.dim_size(0) == 0");
}

// ---- StridedSlice.

StatusOr<Tensor> StridedSlice(const Tensor& x, const Tensor& begin, const Tensor& end,
                              const Tensor& strides, const StridedSliceMasks& m = {}) {
  KernelRunner r("StridedSlice");
  r.Attr("T", x.dtype()).Attr("Index", begin.dtype());
  r.Attr("begin_mask", m.begin).Attr("end_mask", m.end).Attr("ellipsis_mask", m.ellipsis);
  r.Attr("new_axis_mask", m.new_axis).Attr("shrink_axis_mask", m.shrink_axis);
  r.Input(x).Input(begin).Input(end).Input(strides);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

struct StridedCase {
  std::vector<int32_t> begin, end, strides;
  int begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask;
  std::string shape;
  std::vector<int32_t> values;
};

// TF 2.15.1: tf.raw_ops.StridedSlice on np.arange(60).reshape(3, 4, 5) (int32).
// clang-format off
const StridedCase kCases[] = {
    {{0,0,0}, {3,4,5}, {1,1,1}, 0, 0, 0, 0, 0, "[3,4,5]", {0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59}},
    {{1,1,1}, {3,3,4}, {1,1,1}, 0, 0, 0, 0, 0, "[2,2,3]", {26,27,28,31,32,33,46,47,48,51,52,53}},
    {{2,3,4}, {0,0,0}, {-1,-1,-1}, 0, 0, 0, 0, 0, "[2,3,4]", {59,58,57,56,54,53,52,51,49,48,47,46,39,38,37,36,34,33,32,31,29,28,27,26}},
    {{-1,-1,-1}, {-4,-5,-6}, {-1,-2,-2}, 0, 0, 0, 0, 0, "[3,2,3]", {59,57,55,49,47,45,39,37,35,29,27,25,19,17,15,9,7,5}},
    {{0,0,0}, {0,0,0}, {1,1,1}, 7, 7, 0, 0, 0, "[3,4,5]", {0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59}},
    {{0,0,0}, {0,0,0}, {-1,-1,-1}, 7, 7, 0, 0, 0, "[3,4,5]", {59,58,57,56,55,54,53,52,51,50,49,48,47,46,45,44,43,42,41,40,39,38,37,36,35,34,33,32,31,30,29,28,27,26,25,24,23,22,21,20,19,18,17,16,15,14,13,12,11,10,9,8,7,6,5,4,3,2,1,0}},
    {{1}, {2}, {1}, 0, 0, 0, 0, 1, "[4,5]", {20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39}},
    {{-1}, {0}, {1}, 0, 0, 0, 0, 1, "[4,5]", {40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59}},
    {{0,2}, {0,3}, {1,1}, 0, 0, 1, 0, 2, "[3,4]", {2,7,12,17,22,27,32,37,42,47,52,57}},
    {{1,0,3}, {2,0,4}, {1,1,1}, 0, 0, 2, 0, 5, "[4]", {23,28,33,38}},
    {{0,0}, {1,1}, {1,1}, 0, 0, 0, 1, 0, "[1,1,4,5]", {0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19}},
    {{0,0,0}, {1,2,3}, {1,1,1}, 0, 0, 0, 2, 0, "[1,1,3,5]", {0,1,2,3,4,5,6,7,8,9,10,11,12,13,14}},
    {{0,0,0}, {1,1,5}, {1,1,2}, 0, 0, 2, 1, 0, "[1,3,4,3]", {0,2,4,5,7,9,10,12,14,15,17,19,20,22,24,25,27,29,30,32,34,35,37,39,40,42,44,45,47,49,50,52,54,55,57,59}},
    {{1,-2}, {3,100}, {1,1}, 0, 0, 0, 0, 0, "[2,2,5]", {30,31,32,33,34,35,36,37,38,39,50,51,52,53,54,55,56,57,58,59}},
    {{-100,1}, {100,3}, {1,2}, 0, 0, 0, 0, 0, "[3,1,5]", {5,6,7,8,9,25,26,27,28,29,45,46,47,48,49}},
    {{5,1}, {-100,3}, {-2,1}, 0, 0, 0, 0, 0, "[2,2,5]", {45,46,47,48,49,50,51,52,53,54,5,6,7,8,9,10,11,12,13,14}},
    {{0,3}, {3,0}, {1,-1}, 1, 2, 0, 0, 0, "[3,4,5]", {15,16,17,18,19,10,11,12,13,14,5,6,7,8,9,0,1,2,3,4,35,36,37,38,39,30,31,32,33,34,25,26,27,28,29,20,21,22,23,24,55,56,57,58,59,50,51,52,53,54,45,46,47,48,49,40,41,42,43,44}},
    {{2,0,0,0}, {3,0,0,4}, {1,1,1,1}, 0, 0, 4, 2, 0, "[1,1,4,4]", {40,41,42,43,45,46,47,48,50,51,52,53,55,56,57,58}},
    {{0,0,1}, {0,0,3}, {1,1,1}, 0, 0, 1, 2, 0, "[3,4,1,2]", {1,2,6,7,11,12,16,17,21,22,26,27,31,32,36,37,41,42,46,47,51,52,56,57}},
    {{1,2,3}, {2,3,4}, {1,1,1}, 0, 0, 0, 0, 7, "[]", {33}},
    {{1,2,3}, {2,3,4}, {1,1,1}, 0, 0, 0, 0, 5, "[1]", {33}},
    {{0}, {0}, {1}, 0, 0, 1, 0, 0, "[3,4,5]", {0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59}},
    {{0,0}, {0,0}, {1,1}, 0, 0, 1, 0, 0, "[3,4,0]", {}},
    {{1,1}, {3,4}, {5,7}, 0, 0, 0, 0, 0, "[1,1,5]", {25,26,27,28,29}},
    {{3,4}, {0,0}, {1,1}, 0, 0, 0, 0, 0, "[0,0,5]", {}},
    {{1}, {1}, {1}, 0, 0, 0, 0, 0, "[0,4,5]", {}},
    {{0,0,0,0}, {2,2,2,2}, {1,1,1,1}, 0, 0, 0, 4, 0, "[2,2,1,2]", {0,1,5,6,20,21,25,26}},
    {{-2,0}, {0,0}, {1,-1}, 2, 0, 0, 0, 0, "[0,3,5]", {}},
    {{0,0,-1}, {0,0,-6}, {1,1,-1}, 3, 3, 0, 0, 0, "[3,4,5]", {4,3,2,1,0,9,8,7,6,5,14,13,12,11,10,19,18,17,16,15,24,23,22,21,20,29,28,27,26,25,34,33,32,31,30,39,38,37,36,35,44,43,42,41,40,49,48,47,46,45,54,53,52,51,50,59,58,57,56,55}},
    {{1,1,1,1}, {2,2,2,2}, {1,1,1,1}, 0, 0, 0, 1, 1, "[1,1,1,1]", {26}},
};
// clang-format on

TEST(StridedSliceTest, MaskCombinationsMatchTensorFlow) {
  const Tensor x = Iota<int32_t>({3, 4, 5});
  int n = 0;
  for (const StridedCase& c : kCases) {
    StridedSliceMasks m{c.begin_mask, c.end_mask, c.ellipsis_mask, c.new_axis_mask,
                        c.shrink_axis_mask};
    StatusOr<Tensor> y =
        StridedSlice(x, Vec<int32_t>(c.begin), Vec<int32_t>(c.end), Vec<int32_t>(c.strides), m);
    ASSERT_TRUE(y.ok()) << "case " << n << ": " << y.status().ToString();
    EXPECT_EQ(y->shape().DebugString(), c.shape) << "case " << n;
    EXPECT_EQ(Values<int32_t>(*y), c.values) << "case " << n;
    // The same slice with int64 and int16 index tensors.
    auto widen = [](const std::vector<int32_t>& v) {
      return std::vector<int64_t>(v.begin(), v.end());
    };
    auto narrow = [](const std::vector<int32_t>& v) {
      return std::vector<int16_t>(v.begin(), v.end());
    };
    StatusOr<Tensor> y64 = StridedSlice(x, Vec<int64_t>(widen(c.begin)), Vec<int64_t>(widen(c.end)),
                                        Vec<int64_t>(widen(c.strides)), m);
    ASSERT_TRUE(y64.ok());
    EXPECT_EQ(Values<int32_t>(*y64), c.values) << "case " << n;
    StatusOr<Tensor> y16 =
        StridedSlice(x, Vec<int16_t>(narrow(c.begin)), Vec<int16_t>(narrow(c.end)),
                     Vec<int16_t>(narrow(c.strides)), m);
    ASSERT_TRUE(y16.ok());
    EXPECT_EQ(Values<int32_t>(*y16), c.values) << "case " << n;
    ++n;
  }
}

TEST(StridedSliceTest, IdentitySharesAndStringsCopy) {
  const Tensor x = Iota<float>({2, 3});
  Tensor same = StridedSlice(x, Vec<int32_t>({0}), Vec<int32_t>({2}), Vec<int32_t>({1})).value();
  EXPECT_TRUE(same.SharesBufferWith(x));
  // x[tf.newaxis] is the identity plus a reshape.
  Tensor na =
      StridedSlice(x, Vec<int32_t>({0}), Vec<int32_t>({0}), Vec<int32_t>({1}), {0, 0, 0, 1, 0})
          .value();
  EXPECT_EQ(na.shape().DebugString(), "[1,2,3]");
  EXPECT_TRUE(na.SharesBufferWith(x));
  Tensor s = StridedSlice(StringIota({2, 3}), Vec<int32_t>({0, -1}), Vec<int32_t>({2, 0}),
                          Vec<int32_t>({1, -2}))
                 .value();
  EXPECT_THAT(Values<std::string>(s), ElementsAre("s2", "s5"));
  Tensor scalar =
      StridedSlice(Scalar<float>(3), Vec<int32_t>({}), Vec<int32_t>({}), Vec<int32_t>({})).value();
  EXPECT_EQ(scalar.scalar<float>(), 3);
}

TEST(StridedSliceTest, ColumnOfLongMatrix) {
  // x[:, 0] and x[::-2, 1] of an [n, 2] int64 matrix (a sparse tensor's
  // row ids, as the text-embedding graph takes them).
  const int64_t n = 4099;
  std::vector<int64_t> v(2 * n);
  for (int64_t i = 0; i < 2 * n; ++i) v[i] = i * 5 - 7;
  const Tensor x = Make<int64_t>(v, {n, 2});
  Tensor col = StridedSlice(x, Vec<int32_t>({0, 0}), Vec<int32_t>({0, 1}), Vec<int32_t>({1, 1}),
                            {1, 1, 0, 0, 2})
                   .value();
  ASSERT_EQ(col.shape().DebugString(), "[4099]");
  std::vector<int64_t> got = Values<int64_t>(col);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(got[i], v[2 * i]) << i;
  Tensor back = StridedSlice(x, Vec<int32_t>({0, 1}), Vec<int32_t>({0, 2}), Vec<int32_t>({-2, 1}),
                             {1, 1, 0, 0, 2})
                    .value();
  ASSERT_EQ(back.shape().DebugString(), "[2050]");
  got = Values<int64_t>(back);
  for (int64_t k = 0; k < 2050; ++k) ASSERT_EQ(got[k], v[2 * (n - 1 - 2 * k) + 1]) << k;
}

TEST(StridedSliceTest, ErrorsMatchTensorFlow) {
  // TF 2.15.1 messages.
  const Tensor x = Iota<float>({2, 3});
  auto error = [&](std::vector<int32_t> b, std::vector<int32_t> e, std::vector<int32_t> s,
                   StridedSliceMasks m = {}) {
    return std::string(
        StridedSlice(x, Vec<int32_t>(b), Vec<int32_t>(e), Vec<int32_t>(s), m).status().message());
  };
  EXPECT_EQ(error({0, 0}, {1, 1}, {1, 1}, {0, 0, 3, 0, 0}),
            "Multiple ellipses in slice spec not allowed");
  EXPECT_EQ(error({0, 0}, {1, 1}, {1, 0}), "strides[1] must be non-zero");
  EXPECT_EQ(error({2, 0}, {3, 1}, {1, 1}, {0, 0, 0, 0, 1}),
            "slice index 2 of dimension 0 out of bounds.");
  EXPECT_EQ(error({0, -4}, {1, 1}, {1, 1}, {0, 0, 0, 0, 2}),
            "slice index -1 of dimension 1 out of bounds.");
  EXPECT_EQ(error({0, 1}, {1, 1}, {1, -1}, {0, 0, 0, 0, 2}),
            "only stride 1 allowed on non-range indexing.");
  EXPECT_EQ(error({0, 0, 0}, {1, 1, 1}, {1, 1, 1}),
            "Index out of range using input dim 2; input has only 2 dims");
  EXPECT_EQ(
      error({0, 0}, {1, 1, 1}, {1, 1}),
      "Expected begin, end, and strides to be 1D equal size tensors, but got shapes [2], [3], "
      "and [2] instead.");
  EXPECT_EQ(
      std::string(
          StridedSlice(x, Vec<int32_t>({0, 0}), Vec<int32_t>({1, 1}), Make<int32_t>({1, 1}, {1, 2}))
              .status()
              .message()),
      "Expected begin, end, and strides to be 1D equal size tensors, but got shapes [2], [2], "
      "and [1,2] instead.");
  const std::vector<int32_t> zeros(32, 0), ones(32, 1);
  EXPECT_EQ(error(zeros, ones, ones),
            "Expected begin, end, and strides to be 1D equal size tensors, but got shapes [32], "
            "[32], and [32] instead.");
  for (int new_axis : {0, 1}) {
    EXPECT_EQ(StridedSlice(Scalar<float>(3), Vec<int32_t>({0, 0}), Vec<int32_t>({1, 1}),
                           Vec<int32_t>({1, 1}), {0, 0, 0, new_axis, 0})
                  .status()
                  .message(),
              "Attempting to slice scalar input.");
  }
  // Shrinking with stride 2 is allowed: one element (TF 2.15.1).
  EXPECT_THAT(Values<float>(StridedSlice(x, Vec<int32_t>({0, 1}), Vec<int32_t>({1, 1}),
                                         Vec<int32_t>({1, 2}), {0, 0, 0, 0, 2})
                                .value()),
              ElementsAre(1));
}

TEST(StridedSliceSpecTest, ProcessingAndFinalShapes) {
  // x[1:, ..., tf.newaxis, ::-2] on [4,3,5]: processing [3,3,3], final
  // [3,3,1,3]; begin of the reversed dim is its last element.
  StatusOr<StridedSliceSpec> spec =
      ResolveStridedSlice(Shape({4, 3, 5}), Vec<int32_t>({1, 0, 0, 0}), Vec<int32_t>({0, 0, 0, 0}),
                          Vec<int32_t>({1, 1, 1, -2}), {0b1000, 0b1001, 0b0010, 0b0100, 0});
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_THAT(spec->processing_dims, ElementsAre(3, 3, 3));
  EXPECT_THAT(spec->final_dims, ElementsAre(3, 3, 1, 3));
  EXPECT_THAT(spec->begin, ElementsAre(1, 0, 4));
  EXPECT_THAT(spec->end, ElementsAre(4, 3, -1));
  EXPECT_FALSE(spec->is_identity);
  EXPECT_FALSE(spec->is_simple_slice);
}

}  // namespace
}  // namespace tf1hub
