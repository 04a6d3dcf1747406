// Tests of tile_pad_ops.cc: Tile, BroadcastTo, Pad. Tiled results are
// checked against naive index math (out[o] = in[o mod d]); messages marked
// "TF 2.15.1" come from TensorFlow 2.15.1.
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

StatusOr<Tensor> Tile(const Tensor& x, const Tensor& multiples) {
  KernelRunner r("Tile");
  r.Attr("T", x.dtype()).Attr("Tmultiples", multiples.dtype()).Input(x).Input(multiples);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

StatusOr<Tensor> BroadcastTo(const Tensor& x, const Tensor& shape) {
  KernelRunner r("BroadcastTo");
  r.Attr("T", x.dtype()).Attr("Tidx", shape.dtype()).Input(x).Input(shape);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

// Output element o of a tile/broadcast of iota(in_dims) (right-aligned)
// to out_dims is the input element at o mod in_dims.
template <typename T>
void ExpectTiled(const Tensor& y, const std::vector<int64_t>& in_dims_unpadded) {
  const std::vector<int64_t>& out_dims = y.shape().dims();
  std::vector<int64_t> in_dims(out_dims.size() - in_dims_unpadded.size(), 1);
  in_dims.insert(in_dims.end(), in_dims_unpadded.begin(), in_dims_unpadded.end());
  for (int64_t i = 0; i < y.NumElements(); ++i) {
    std::vector<int64_t> c = Coords(i, out_dims);
    for (size_t k = 0; k < c.size(); ++k) c[k] %= in_dims[k];
    ASSERT_EQ(y.flat<T>()[i], static_cast<T>(Flat(c, in_dims))) << "element " << i;
  }
}

TEST(TileTest, Values) {
  Tensor y = Tile(Make<float>({1, 2, 3, 4}, {2, 2}), Vec<int32_t>({1, 2})).value();
  EXPECT_EQ(y.shape().DebugString(), "[2,4]");
  EXPECT_THAT(Values<float>(y), ElementsAre(1, 2, 1, 2, 3, 4, 3, 4));
  const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> cases = {
      {{3}, {4}},
      {{2, 3}, {3, 1}},
      {{2, 3}, {1, 3}},
      {{2, 1, 3}, {2, 5, 2}},
      {{1, 1}, {7, 9}},
      {{4, 1}, {1, 300}},
      {{3, 2, 2}, {1, 1, 3}},
      {{2, 3, 1, 2}, {2, 1, 3, 2}},
      {{50, 7}, {20, 3}},
      {{1, 2, 1, 2, 1, 2, 1, 2, 1}, {2, 1, 2, 1, 2, 1, 2, 1, 2}}};
  for (const auto& [dims, mults] : cases) {
    StatusOr<Tensor> t = Tile(Iota<int32_t>(dims), Vec<int64_t>(mults));
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    for (size_t k = 0; k < dims.size(); ++k) ASSERT_EQ(t->shape().dim(k), dims[k] * mults[k]);
    ExpectTiled<int32_t>(*t, dims);
  }
  Tensor s = Tile(StringIota({2}), Vec<int32_t>({2})).value();
  EXPECT_THAT(Values<std::string>(s), ElementsAre("s0", "s1", "s0", "s1"));
  EXPECT_EQ(Tile(Iota<float>({2, 3}), Vec<int32_t>({0, 2})).value().shape().DebugString(), "[0,6]");
}

TEST(TileTest, SharesWhenNothingRepeats) {
  const Tensor x = Iota<float>({2, 3});
  EXPECT_TRUE(Tile(x, Vec<int32_t>({1, 1})).value().SharesBufferWith(x));
  const Tensor e = Iota<float>({0, 3});
  EXPECT_TRUE(Tile(e, Vec<int32_t>({5, 1})).value().SharesBufferWith(e));
  const Tensor s = Scalar<float>(2);
  EXPECT_TRUE(Tile(s, Vec<int32_t>({})).value().SharesBufferWith(s));
}

TEST(TileTest, ErrorsMatchTensorFlow) {
  const Tensor x = Iota<float>({2, 3});
  EXPECT_EQ(Tile(x, Vec<int32_t>({1})).status().message(),
            "Expected multiples argument to be a vector of length 2 but got length 1");
  EXPECT_EQ(Tile(x, Vec<int32_t>({1, -1})).status().message(),
            "Expected multiples[1] >= 0, but got -1");
  EXPECT_EQ(Tile(x, Make<int32_t>({1, 1}, {1, 2})).status().message(),
            "Expected multiples to be 1-D, but got shape [1,2]");
  EXPECT_EQ(Tile(Iota<float>({2}), Scalar<int32_t>(2)).status().message(),
            "Expected multiples to be 1-D, but got shape []");
  const int64_t big = int64_t{1} << 40;
  EXPECT_EQ(Tile(x, Vec<int64_t>({big, big})).status().message(),
            "Encountered overflow when multiplying 2199023255552 with 3298534883328, result: -1");
}

TEST(BroadcastToTest, Values) {
  const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> cases = {
      {{3}, {2, 3}},    {{2, 1}, {2, 4}},      {{1, 3}, {5, 3}},
      {{}, {2, 2}},     {{1}, {1000}},         {{2, 1, 3}, {4, 2, 5, 3}},
      {{1, 1}, {3, 1}}, {{4, 1}, {2, 4, 600}}, {{1, 2}, {2, 1, 2}}};
  for (const auto& [in, out] : cases) {
    StatusOr<Tensor> y =
        BroadcastTo(Iota<int64_t>(in), Vec<int32_t>(std::vector<int32_t>(out.begin(), out.end())));
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    ASSERT_EQ(y->shape().dims(), out);
    ExpectTiled<int64_t>(*y, in);
  }
  EXPECT_EQ(BroadcastTo(Iota<float>({1, 3}), Vec<int32_t>({0, 3})).value().shape().DebugString(),
            "[0,3]");
  EXPECT_EQ(BroadcastTo(Iota<float>({0, 3}), Vec<int64_t>({5, 0, 3})).value().shape().DebugString(),
            "[5,0,3]");
  const Tensor x = Iota<float>({2, 3});
  EXPECT_TRUE(BroadcastTo(x, Vec<int32_t>({2, 3})).value().SharesBufferWith(x));
  Tensor b = BroadcastTo(Make<bool>({true, false}, {2}), Vec<int32_t>({2, 2})).value();
  EXPECT_THAT(Values<bool>(b), ElementsAre(true, false, true, false));
}

TEST(BroadcastToTest, ErrorsMatchTensorFlow) {
  const Tensor x = Iota<float>({2, 3});
  EXPECT_EQ(BroadcastTo(x, Vec<int32_t>({3, 3})).status().message(),
            "Incompatible shapes: [2,3] vs. [3,3]");
  EXPECT_EQ(BroadcastTo(x, Vec<int32_t>({3})).status().message(),
            "Rank of input (2) must be no greater than rank of output shape (1).");
  EXPECT_EQ(BroadcastTo(x, Vec<int32_t>({-1, 3})).status().message(), "Dimension -1 must be >= 0");
  EXPECT_EQ(BroadcastTo(x, Make<int32_t>({2, 3}, {1, 2})).status().message(),
            "shape must be a vector of {int32,int64}, got shape [1,2]");
  EXPECT_EQ(BroadcastTo(Iota<float>({3}), Scalar<int32_t>(3)).status().message(),
            "shape must be a vector of {int32,int64}, got shape []");
  EXPECT_EQ(BroadcastTo(Iota<float>({0, 3}), Vec<int32_t>({1, 3})).status().message(),
            "Unable to broadcast tensor of shape [0,3] to tensor of shape [1,3]");
  EXPECT_EQ(BroadcastTo(Iota<float>({0, 3}), Vec<int32_t>({2, 3})).status().message(),
            "Incompatible shapes: [0,3] vs. [2,3]");
}

StatusOr<Tensor> Pad(const Tensor& x, const Tensor& paddings) {
  KernelRunner r("Pad");
  r.Attr("T", x.dtype()).Attr("Tpaddings", paddings.dtype()).Input(x).Input(paddings);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(PadTest, Values) {
  Tensor y = Pad(Make<float>({1, 2, 3, 4}, {2, 2}), Make<int32_t>({1, 0, 0, 2}, {2, 2})).value();
  EXPECT_EQ(y.shape().DebugString(), "[3,4]");
  EXPECT_THAT(Values<float>(y), ElementsAre(0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0));
  Tensor s = Pad(Make<std::string>({"a"}, {1}), Make<int64_t>({1, 1}, {1, 2})).value();
  EXPECT_THAT(Values<std::string>(s), ElementsAre("", "a", ""));
  // Against naive index math: rank 3 with padding everywhere.
  const std::vector<int64_t> dims = {3, 4, 5};
  const std::vector<int64_t> pads = {1, 2, 0, 3, 2, 1};
  Tensor p = Pad(Iota<int32_t>(dims), Make<int64_t>(pads, {3, 2})).value();
  const std::vector<int64_t> out_dims = {6, 7, 8};
  ASSERT_EQ(p.shape().dims(), out_dims);
  for (int64_t i = 0; i < p.NumElements(); ++i) {
    std::vector<int64_t> c = Coords(i, out_dims);
    bool inside = true;
    for (int k = 0; k < 3; ++k) {
      c[k] -= pads[2 * k];
      inside &= c[k] >= 0 && c[k] < dims[k];
    }
    ASSERT_EQ(p.flat<int32_t>()[i], inside ? Flat(c, dims) + 0 : 0) << i;
  }
  // Padding an empty dim gives zeros only; padding only empty dims forwards.
  EXPECT_THAT(Values<float>(Pad(Iota<float>({2, 0}), Make<int32_t>({0, 0, 1, 0}, {2, 2})).value()),
              ElementsAre(0, 0));
  EXPECT_EQ(
      Pad(Iota<float>({0, 3}), Make<int32_t>({0, 0, 1, 1}, {2, 2})).value().shape().DebugString(),
      "[0,5]");
  const Tensor x = Iota<float>({2, 3});
  Tensor same = Pad(x, Make<int32_t>({0, 0, 0, 0}, {2, 2})).value();
  EXPECT_TRUE(same.SharesBufferWith(x));
  EXPECT_EQ(Pad(Scalar<float>(2), Make<int32_t>({}, {0, 2})).value().scalar<float>(), 2);
}

TEST(PadTest, ErrorsMatchTensorFlow) {
  const Tensor x = Iota<float>({2, 3});
  EXPECT_EQ(Pad(x, Vec<int32_t>({1, 1})).status().message(),
            "paddings must be a matrix with 2 columns: [2]");
  EXPECT_EQ(Pad(x, Make<int32_t>({1, 1}, {1, 2})).status().message(),
            "The first dimension of paddings must be the rank of inputs[1,2] [2,3]");
  EXPECT_EQ(Pad(x, Make<int32_t>({1, -1, 0, 0}, {2, 2})).status().message(),
            "Paddings must be non-negative: 1 -1");
  EXPECT_EQ(Pad(x, Make<int32_t>({0, 0, 0, 0, 0, 0}, {2, 3})).status().message(),
            "paddings must be a matrix with 2 columns: [2,3]");
  const int64_t q = int64_t{1} << 62;
  EXPECT_EQ(Pad(x, Make<int64_t>({q, q, 0, 0}, {2, 2})).status().message(),
            "Expected a non-negative size, got -9223372036854775806");
  StatusOr<Tensor> nine = Pad(Iota<float>({1, 1, 1, 1, 1, 1, 1, 1, 1}),
                              Make<int32_t>(std::vector<int32_t>(18, 0), {9, 2}));
  EXPECT_EQ(nine.status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(nine.status().message(), "inputs rank not in [0,8]: 9");
}

}  // namespace
}  // namespace tf1hub
