// Tests of sparse_ops.cc (SparseFillEmptyRows, Where). Values by hand, or
// marked "TF 2.15.1" (TensorFlow 2.15.1 in the oracle venv, same inputs).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "tf1hub/kernels/sparse_test_util.h"

namespace tf1hub {
namespace {

using namespace sparse_test;  // NOLINT(build/namespaces)
using ::testing::ElementsAre;
using ::testing::IsEmpty;

StatusOr<std::vector<Tensor>> Fill(const Tensor& indices, const Tensor& values,
                                   const Tensor& dense_shape, const Tensor& default_value) {
  KernelRunner r("SparseFillEmptyRows");
  r.Attr("T", values.dtype()).Input(indices).Input(values).Input(dense_shape).Input(default_value);
  return r.Run();
}

std::string FillError(const Tensor& indices, const Tensor& values, const Tensor& dense_shape,
                      const Tensor& default_value) {
  StatusOr<std::vector<Tensor>> out = Fill(indices, values, dense_shape, default_value);
  return out.ok() ? std::string("OK") : std::string(out.status().message());
}

TEST(SparseFillEmptyRowsTest, UnsortedInputGroupsByRowKeepingInputOrder) {
  // TF 2.15.1.
  std::vector<Tensor> out = Fill(Make<int64_t>({3, 1, 0, 2, 3, 0, 1, 1}, {4, 2}),
                                 Vec<float>({1, 2, 3, 4}), Vec<int64_t>({5, 4}), Scalar<float>(9))
                                .value();
  EXPECT_EQ(out[0].shape().DebugString(), "[6,2]");
  EXPECT_THAT(Values<int64_t>(out[0]), ElementsAre(0, 2, 1, 1, 2, 0, 3, 1, 3, 0, 4, 0));
  EXPECT_THAT(Values<float>(out[1]), ElementsAre(2, 4, 9, 1, 3, 9));
  EXPECT_THAT(Values<bool>(out[2]), ElementsAre(false, false, true, false, true));
  EXPECT_THAT(Values<int64_t>(out[3]), ElementsAre(3, 0, 4, 1));
}

TEST(SparseFillEmptyRowsTest, FullOrderedInputIsPassedThrough) {
  const Tensor indices = Make<int64_t>({0, 1, 1, 7}, {2, 2});
  const Tensor values = Vec<float>({1, 2});
  std::vector<Tensor> out = Fill(indices, values, Vec<int64_t>({2, 4}), Scalar<float>(9)).value();
  EXPECT_TRUE(out[0].SharesBufferWith(indices));
  EXPECT_TRUE(out[1].SharesBufferWith(values));
  EXPECT_THAT(Values<bool>(out[2]), ElementsAre(false, false));
  EXPECT_THAT(Values<int64_t>(out[3]), ElementsAre(0, 1));
  // Full but rows out of order: regrouped (TF 2.15.1).
  out = Fill(Make<int64_t>({1, 1, 0, 7}, {2, 2}), values, Vec<int64_t>({2, 4}), Scalar<float>(9))
            .value();
  EXPECT_THAT(Values<int64_t>(out[0]), ElementsAre(0, 7, 1, 1));
  EXPECT_THAT(Values<float>(out[1]), ElementsAre(2, 1));
  EXPECT_THAT(Values<int64_t>(out[3]), ElementsAre(1, 0));
}

TEST(SparseFillEmptyRowsTest, OrderedInputWithEmptyRowsGetsDefaultsInserted) {
  // Rows 0, 2, 5 and 6 of 7 are empty; rows 1 and 3 have several entries.
  std::vector<Tensor> out =
      Fill(Make<int64_t>({1, 0, 1, 3, 3, 1, 3, 0, 3, 2, 4, 7}, {6, 2}),
           Vec<int64_t>({10, 11, 12, 13, 14, 15}), Vec<int64_t>({7, 8}), Scalar<int64_t>(-1))
          .value();
  EXPECT_EQ(out[0].shape().DebugString(), "[10,2]");
  EXPECT_THAT(Values<int64_t>(out[0]),
              ElementsAre(0, 0, 1, 0, 1, 3, 2, 0, 3, 1, 3, 0, 3, 2, 4, 7, 5, 0, 6, 0));
  EXPECT_THAT(Values<int64_t>(out[1]), ElementsAre(-1, 10, 11, -1, 12, 13, 14, 15, -1, -1));
  EXPECT_THAT(Values<bool>(out[2]), ElementsAre(true, false, true, false, false, true, true));
  EXPECT_THAT(Values<int64_t>(out[3]), ElementsAre(1, 2, 4, 5, 6, 7));
  // Strings and rank 3 on the same path.
  out = Fill(Make<int64_t>({1, 5, 6, 1, 5, 7}, {2, 3}), Vec<std::string>({"x", "y"}),
             Vec<int64_t>({3, 9, 9}), Scalar<std::string>("d"))
            .value();
  EXPECT_THAT(Values<int64_t>(out[0]), ElementsAre(0, 0, 0, 1, 5, 6, 1, 5, 7, 2, 0, 0));
  EXPECT_THAT(Values<std::string>(out[1]), ElementsAre("d", "x", "y", "d"));
  EXPECT_THAT(Values<int64_t>(out[3]), ElementsAre(1, 2));
}

TEST(SparseFillEmptyRowsTest, LargeInputMatchesRowByRowConstruction) {
  // 1000 rows, every 37th empty, 1 to 20 entries per other row; in row
  // order, then with two rows swapped (the unordered path).
  for (bool swap : {false, true}) {
    const int64_t rows = 1000;
    std::vector<std::vector<int64_t>> cols(rows);
    for (int64_t r = 0; r < rows; ++r) {
      if (r % 37 == 5) continue;
      for (int64_t c = 0; c < 1 + (r * 7) % 20; ++c) cols[r].push_back(c * 3);
    }
    std::vector<int64_t> order(rows);
    for (int64_t r = 0; r < rows; ++r) order[r] = r;
    if (swap) std::swap(order[10], order[900]);
    std::vector<int64_t> idx, val;
    std::vector<int64_t> input_pos(rows);  // first input entry of each row
    for (int64_t r : order) {
      input_pos[r] = static_cast<int64_t>(val.size());
      for (int64_t c : cols[r]) {
        idx.push_back(r);
        idx.push_back(c);
        val.push_back(r * 1000 + c);
      }
    }
    const int64_t n = static_cast<int64_t>(val.size());
    std::vector<int64_t> want_idx, want_val, want_reverse(n);
    std::vector<bool> want_empty;
    for (int64_t r = 0; r < rows; ++r) {
      want_empty.push_back(cols[r].empty());
      if (cols[r].empty()) {
        want_idx.insert(want_idx.end(), {r, 0});
        want_val.push_back(-7);
      }
      for (size_t k = 0; k < cols[r].size(); ++k) {
        want_reverse[input_pos[r] + k] = static_cast<int64_t>(want_val.size());
        want_idx.insert(want_idx.end(), {r, cols[r][k]});
        want_val.push_back(r * 1000 + cols[r][k]);
      }
    }
    std::vector<Tensor> out = Fill(Make<int64_t>(idx, {n, 2}), Vec<int64_t>(val),
                                   Vec<int64_t>({rows, 60}), Scalar<int64_t>(-7))
                                  .value();
    EXPECT_EQ(Values<int64_t>(out[0]), want_idx) << "swap " << swap;
    EXPECT_EQ(Values<int64_t>(out[1]), want_val) << "swap " << swap;
    EXPECT_EQ(Values<bool>(out[2]), want_empty) << "swap " << swap;
    EXPECT_EQ(Values<int64_t>(out[3]), want_reverse) << "swap " << swap;
  }
}

TEST(SparseFillEmptyRowsTest, EmptyAndAllEmpty) {
  // No entries, three rows: all default (TF 2.15.1).
  std::vector<Tensor> out =
      Fill(Make<int64_t>({}, {0, 2}), Vec<float>({}), Vec<int64_t>({3, 4}), Scalar<float>(9))
          .value();
  EXPECT_THAT(Values<int64_t>(out[0]), ElementsAre(0, 0, 1, 0, 2, 0));
  EXPECT_THAT(Values<float>(out[1]), ElementsAre(9, 9, 9));
  EXPECT_THAT(Values<bool>(out[2]), ElementsAre(true, true, true));
  EXPECT_THAT(Values<int64_t>(out[3]), IsEmpty());
  // Zero rows.
  out = Fill(Make<int64_t>({}, {0, 2}), Vec<float>({}), Vec<int64_t>({0, 4}), Scalar<float>(9))
            .value();
  EXPECT_EQ(out[0].shape().DebugString(), "[0,2]");
  EXPECT_EQ(out[1].shape().DebugString(), "[0]");
  EXPECT_EQ(out[2].shape().DebugString(), "[0]");
  EXPECT_EQ(out[3].shape().DebugString(), "[0]");
  // Trailing empty rows; a negative column bound is not checked (TF 2.15.1).
  out =
      Fill(Make<int64_t>({0, 1}, {1, 2}), Vec<float>({1}), Vec<int64_t>({3, -4}), Scalar<float>(9))
          .value();
  EXPECT_THAT(Values<int64_t>(out[0]), ElementsAre(0, 1, 1, 0, 2, 0));
  EXPECT_THAT(Values<float>(out[1]), ElementsAre(1, 9, 9));
}

TEST(SparseFillEmptyRowsTest, OtherValueTypesAndRanks) {
  // TF 2.15.1.
  const Tensor idx = Make<int64_t>({0, 1, 2, 1}, {2, 2});
  std::vector<Tensor> s =
      Fill(idx, Vec<std::string>({"a", "b"}), Vec<int64_t>({4, 4}), Scalar<std::string>("zz"))
          .value();
  EXPECT_THAT(Values<std::string>(s[1]), ElementsAre("a", "zz", "b", "zz"));
  std::vector<Tensor> b = Fill(Make<int64_t>({0, 2}, {2, 1}), Vec<bool>({true, true}),
                               Vec<int64_t>({4}), Scalar<bool>(false))
                              .value();
  EXPECT_THAT(Values<int64_t>(b[0]), ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(Values<bool>(b[1]), ElementsAre(true, false, true, false));
  std::vector<Tensor> h = Fill(Make<int64_t>({0, 1, 2, 2, 1, 1}, {2, 3}), HalfTensor({1, 2}, {2}),
                               Vec<int64_t>({4, 4, 3}), HalfTensor({0}, {}))
                              .value();
  EXPECT_THAT(Values<int64_t>(h[0]), ElementsAre(0, 1, 2, 1, 0, 0, 2, 1, 1, 3, 0, 0));
  EXPECT_THAT(FloatsOf(h[1]), ElementsAre(1, 0, 2, 0));
  std::vector<Tensor> i =
      Fill(idx, Vec<int32_t>({1, 2}), Vec<int64_t>({4, 4}), Scalar<int32_t>(7)).value();
  EXPECT_THAT(Values<int32_t>(i[1]), ElementsAre(1, 7, 2, 7));
  EXPECT_THAT(Values<int64_t>(i[3]), ElementsAre(0, 2));
}

TEST(SparseFillEmptyRowsTest, Errors) {
  // Messages and precedence: TF 2.15.1.
  const Tensor idx = Make<int64_t>({0, 1}, {1, 2});
  const Tensor val = Vec<float>({1});
  const Tensor dflt = Scalar<float>(9);
  EXPECT_EQ(FillError(Make<int64_t>({5, 1}, {1, 2}), val, Vec<int64_t>({5, 4}), dflt),
            "indices(0, 0) is invalid: 5 >= 5");
  EXPECT_EQ(FillError(Make<int64_t>({0, 1, -1, 1}, {2, 2}), Vec<float>({1, 2}),
                      Vec<int64_t>({5, 4}), dflt),
            "indices(1, 0) is invalid: -1 >= 5");
  // The first offending entry, whatever the order around it.
  EXPECT_EQ(FillError(Make<int64_t>({3, 0, 1, 0, 7, 0, -2, 0}, {4, 2}), Vec<float>({1, 2, 3, 4}),
                      Vec<int64_t>({5, 4}), dflt),
            "indices(2, 0) is invalid: 7 >= 5");
  EXPECT_EQ(FillError(Make<int64_t>({0, 0, 9223372036854775807, 0, -2, 0, 1, 0}, {4, 2}),
                      Vec<float>({1, 2, 3, 4}), Vec<int64_t>({5, 4}), dflt),
            "indices(1, 0) is invalid: 9223372036854775807 >= 5");
  EXPECT_EQ(FillError(idx, val, Vec<int64_t>({0, 4}), dflt),
            "Received SparseTensor with dense_shape[0] = 0 but indices.shape[0] = 1");
  EXPECT_EQ(FillError(idx, val, Vec<int64_t>({-3, 4}), dflt),
            "Expected shape dimensions to be non-negative, got -3");
  EXPECT_EQ(FillError(idx, val, Vec<int64_t>({}), dflt),
            "The length of `dense_shape` (0) must match the second dimension of `indices` (2).");
  EXPECT_EQ(FillError(idx, Vec<float>({1, 2}), Vec<int64_t>({3, 4}), dflt),
            "The length of `values` (2) must match the first dimension of `indices` (1).");
  EXPECT_EQ(FillError(idx, val, Vec<int64_t>({3, 4}), Vec<float>({9})),
            "default_value must be a scalar, saw: [1]");
  EXPECT_EQ(FillError(Vec<int64_t>({0, 1}), val, Vec<int64_t>({3, 4}), dflt),
            "indices must be a matrix, saw: [2]");
  EXPECT_EQ(FillError(idx, Make<float>({1}, {1, 1}), Vec<int64_t>({3, 4}), dflt),
            "values must be a vector, saw: [1,1]");
  EXPECT_EQ(FillError(idx, val, Make<int64_t>({3, 4}, {1, 2}), dflt),
            "dense_shape must be a vector, saw: [1,2]");
  EXPECT_EQ(FillError(Make<int64_t>({}, {0, 0}), Vec<float>({}), Vec<int64_t>({}), dflt),
            "Dense shape cannot be empty.");
  // Precedence.
  EXPECT_EQ(FillError(Vec<int64_t>({0, 1}), Make<float>({1}, {1, 1}), Make<int64_t>({3, 4}, {1, 2}),
                      Vec<float>({9})),
            "dense_shape must be a vector, saw: [1,2]");
  EXPECT_EQ(FillError(idx, Vec<float>({1, 2}), Vec<int64_t>({3}), dflt),
            "The length of `values` (2) must match the first dimension of `indices` (1).");
  EXPECT_EQ(FillError(idx, val, Vec<int64_t>({3}), Vec<float>({9})),
            "The length of `dense_shape` (1) must match the second dimension of `indices` (2).");
  EXPECT_EQ(FillError(Make<int64_t>({}, {0, 0}), Vec<float>({}), Vec<int64_t>({}), Vec<float>({9})),
            "default_value must be a scalar, saw: [1]");
}

// ---------------------------------------------------------------------------
// Where.

StatusOr<Tensor> Where(const Tensor& x) {
  KernelRunner r("Where");
  r.Attr("T", x.dtype()).Input(x);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(WhereTest, CoordinatesInRowMajorOrder) {
  Tensor a = Where(Make<bool>({true, false, false, true}, {2, 2})).value();
  EXPECT_EQ(a.shape().DebugString(), "[2,2]");
  EXPECT_THAT(Values<int64_t>(a), ElementsAre(0, 0, 1, 1));
  // NaN is true, -0.0 is false (TF 2.15.1).
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor b = Where(Make<float>({0.f, -0.f, nan, 1.f}, {2, 2})).value();
  EXPECT_THAT(Values<int64_t>(b), ElementsAre(1, 0, 1, 1));
  Tensor c = Where(BFloat16Tensor({0.f, -0.f, nan, 1.f}, {2, 2})).value();
  EXPECT_THAT(Values<int64_t>(c), ElementsAre(1, 0, 1, 1));
  Tensor d = Where(Make<Complex64>({{0, 0}, {0, 1}, {1, 0}, {0, 0}}, {2, 2})).value();
  EXPECT_THAT(Values<int64_t>(d), ElementsAre(0, 1, 1, 0));
  Tensor e = Where(Make<uint64_t>(std::vector<uint64_t>(6, 1), {2, 1, 3})).value();
  EXPECT_THAT(Values<int64_t>(e),
              ElementsAre(0, 0, 0, 0, 0, 1, 0, 0, 2, 1, 0, 0, 1, 0, 1, 1, 0, 2));
  Tensor f = Where(Vec<int8_t>({0, 3, 0, -1})).value();
  EXPECT_EQ(f.shape().DebugString(), "[2,1]");
  EXPECT_THAT(Values<int64_t>(f), ElementsAre(1, 3));
  Tensor g = Where(Make<int32_t>({}, {2, 0, 3})).value();
  EXPECT_EQ(g.shape().DebugString(), "[0,3]");
  Tensor h = Where(Make<int32_t>({1}, {1, 1, 1, 1, 1, 1, 1, 1})).value();
  EXPECT_EQ(h.shape().DebugString(), "[1,8]");
}

TEST(WhereTest, LargeInputAcrossBlocks) {
  // Every 7th element of a 3 x 50000 tensor is true.
  std::vector<int32_t> v(150000, 0);
  std::vector<int64_t> expected;
  for (int64_t i = 0; i < 150000; i += 7) {
    v[i] = 1;
    expected.push_back(i / 50000);
    expected.push_back(i % 50000);
  }
  Tensor out = Where(Make<int32_t>(v, {3, 50000})).value();
  EXPECT_EQ(Values<int64_t>(out), expected);
}

TEST(WhereTest, Errors) {
  // TF 2.15.1.
  EXPECT_EQ(Where(Scalar<bool>(true)).status().message(),
            "WhereOp : Unhandled input dimensions: 0");
  EXPECT_EQ(Where(Make<int32_t>({1}, {1, 1, 1, 1, 1, 1, 1, 1, 1})).status().message(),
            "WhereOp : Unhandled input dimensions: 9");
  EXPECT_EQ(Where(HalfTensor({1}, {1})).status().message(),
            "No WhereOp available for float16/half type on CPU; dying in CPU WhereOp to avoid "
            "silently creating costly copies from device.");
}

}  // namespace
}  // namespace tf1hub
