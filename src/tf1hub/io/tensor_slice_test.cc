#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/io/tensor_slice_util.h"

namespace tf1hub {
namespace {

using ::testing::HasSubstr;

TensorShape Shape(std::initializer_list<int64_t> dims) { return *TensorShape::Create(dims); }

TensorSlice Slice(std::vector<SliceExtent> extents) { return TensorSlice{std::move(extents)}; }

constexpr SliceExtent kFull{0, -1};

TEST(TensorSliceTest, DebugString) {
  EXPECT_EQ(Slice({{0, 5}, kFull}).DebugString(), "0,5:-");
  EXPECT_EQ(Slice({kFull}).DebugString(), "-");
  EXPECT_EQ(Slice({{3, 2}, {10, 7}, kFull}).DebugString(), "3,2:10,7:-");
  EXPECT_EQ(Slice({}).DebugString(), "");
}

TEST(ParseShapeAndSliceTest, ParsesFullShapeAndSlice) {
  TensorShape shape;
  TensorSlice slice;
  ASSERT_TRUE(ParseShapeAndSlice("10 20 0,5:-", &shape, &slice).ok());
  EXPECT_EQ(shape.dims(), (std::vector<int64_t>{10, 20}));
  EXPECT_EQ(slice, Slice({{0, 5}, kFull}));
}

TEST(ParseShapeAndSliceTest, ParsesWhatPartitionedVariablesWrite) {
  // Python's SaveSliceInfo.spec for part 1 of a [10,20] variable split in 2.
  TensorShape shape;
  TensorSlice slice;
  ASSERT_TRUE(ParseShapeAndSlice("10 20 5,5:0,20", &shape, &slice).ok());
  EXPECT_EQ(shape.dims(), (std::vector<int64_t>{10, 20}));
  EXPECT_EQ(slice, Slice({{5, 5}, {0, 20}}));
}

TEST(ParseShapeAndSliceTest, LargeNumbers) {
  TensorShape shape;
  TensorSlice slice;
  // (TensorFlow also accepts 2^60 elements; TensorShape stops at 2^59.)
  ASSERT_TRUE(ParseShapeAndSlice("1099511627776 262144 1099511627775,1:262143,1", &shape,
                                 &slice).ok());
  EXPECT_EQ(shape.dims(), (std::vector<int64_t>{1099511627776, 262144}));
  EXPECT_EQ(slice, Slice({{1099511627775, 1}, {262143, 1}}));
}

TEST(ParseShapeAndSliceTest, RejectsMalformedSpecs) {
  const char* bad[] = {
      "",                     // empty
      "10",                   // no slice
      "-",                    // no dims, and a slice of rank 1 against rank 0
      "10 20 0,5",            // rank mismatch (1 extent, 2 dims)
      "10 0,5:-",             // rank mismatch (2 extents, 1 dim)
      "10 20 0,5:-:-",        // rank mismatch
      "10 20 0,5::-",         // empty extent
      "10 20 0,5:",           // empty extent
      "10  20 0,5:-",         // empty dimension
      "10 x 0,5:-",           // non-numeric dimension
      "10 -20 0,5:-",         // negative dimension
      "10 20 -1,5:-",         // negative start
      "10 20 0,0:-",          // zero length
      "10 20 0,-1:-",         // negative length
      "10 20 0,5,1:-",        // three numbers
      "10 20 a,5:-",          // non-numeric start
      "10 20 +1,5:-",         // sign not allowed
      "10 20 0,11:-",         // extent beyond the dimension
      "10 20 8,5:-",          // extent beyond the dimension
      "10 20 0,5:20,1",       // start at the end
      "99999999999999999999 0,1",               // dimension overflows int64
      "10 9223372036854775807,9223372036854775807",  // start + length overflows
      "4611686018427387904 4611686018427387904 -:-",  // element count overflows
  };
  for (const char* spec : bad) {
    TensorShape shape;
    TensorSlice slice;
    Status s = ParseShapeAndSlice(spec, &shape, &slice);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << "spec '" << spec << "': " << s.ToString();
  }
}

TEST(ParseShapeAndSliceTest, ErrorNamesTheSpec) {
  TensorShape shape;
  TensorSlice slice;
  Status s = ParseShapeAndSlice("10 20 0,11:-", &shape, &slice);
  EXPECT_THAT(s.message(), HasSubstr("10 20 0,11:-"));
  EXPECT_THAT(s.message(), HasSubstr("exceeds dimension size 10"));
}

TEST(SliceUtilTest, ValidateAndShape) {
  const TensorShape full = Shape({10, 20});
  EXPECT_TRUE(ValidateSlice(Slice({{0, 5}, kFull}), full).ok());
  EXPECT_TRUE(ValidateSlice(Slice({{9, 1}, {0, 20}}), full).ok());
  EXPECT_FALSE(ValidateSlice(Slice({{0, 5}}), full).ok());
  EXPECT_FALSE(ValidateSlice(Slice({{3, -1}, kFull}), full).ok());  // -1 needs start 0
  EXPECT_FALSE(ValidateSlice(Slice({{0, 5}, {19, 2}}), full).ok());
  EXPECT_FALSE(ValidateSlice(Slice({{INT64_MAX, 1}, kFull}), full).ok());
  StatusOr<TensorShape> s = SliceShape(Slice({{2, 3}, kFull}), full);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->dims(), (std::vector<int64_t>{3, 20}));
  EXPECT_EQ(SliceVolume(Slice({{2, 3}, kFull}), full), 60);
  EXPECT_EQ(SliceVolume(FullSlice(2), full), 200);
}

TEST(SliceUtilTest, FullSlices) {
  const TensorShape full = Shape({4, 3});
  EXPECT_EQ(FullSlice(2), Slice({kFull, kFull}));
  EXPECT_TRUE(IsFullSlice(FullSlice(2), full));
  EXPECT_TRUE(IsFullSlice(Slice({{0, 4}, kFull}), full));
  EXPECT_FALSE(IsFullSlice(Slice({{0, 3}, kFull}), full));
  EXPECT_EQ(CanonicalizeSlice(Slice({{0, 4}, {1, 2}}), full), Slice({kFull, {1, 2}}));
}

TEST(SliceUtilTest, Intersect) {
  EXPECT_EQ(IntersectSlices(Slice({{0, 5}, kFull}), Slice({{3, 4}, {2, 2}})),
            Slice({{3, 2}, {2, 2}}));
  EXPECT_EQ(IntersectSlices(Slice({kFull}), Slice({kFull})), Slice({kFull}));
  EXPECT_EQ(IntersectSlices(Slice({kFull, {1, 1}}), Slice({{7, 3}, kFull})),
            Slice({{7, 3}, {1, 1}}));
  // Touching but not overlapping.
  EXPECT_EQ(IntersectSlices(Slice({{0, 5}}), Slice({{5, 5}})), std::nullopt);
  // Overlap in one dimension only.
  EXPECT_EQ(IntersectSlices(Slice({{0, 5}, {0, 1}}), Slice({{0, 5}, {1, 1}})), std::nullopt);
  // Different ranks.
  EXPECT_EQ(IntersectSlices(Slice({kFull}), Slice({kFull, kFull})), std::nullopt);
  // Rank 0: the scalar intersects itself.
  EXPECT_EQ(IntersectSlices(Slice({}), Slice({})), Slice({}));
}

TEST(SliceUtilTest, Covers) {
  const TensorShape full = Shape({10, 20});
  EXPECT_TRUE(SliceCovers(FullSlice(2), Slice({{2, 3}, {4, 5}}), full));
  EXPECT_TRUE(SliceCovers(Slice({{0, 10}, {0, 20}}), FullSlice(2), full));
  EXPECT_TRUE(SliceCovers(Slice({{2, 3}, kFull}), Slice({{2, 3}, {4, 5}}), full));
  EXPECT_FALSE(SliceCovers(Slice({{2, 3}, kFull}), Slice({{1, 3}, kFull}), full));
  EXPECT_FALSE(SliceCovers(Slice({{0, 5}, kFull}), FullSlice(2), full));
}

// A float tensor of `shape` whose element at full-tensor coordinates (i, j)
// of a [rows, cols] tensor is i * 100 + j, for the slice starting at
// (row0, col0).
Tensor Grid(int64_t rows, int64_t cols, int64_t row0, int64_t col0) {
  Tensor t = *Tensor::Create(DataType::kFloat, Shape({rows, cols}));
  auto v = t.mutable_flat<float>();
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) v[i * cols + j] = float((row0 + i) * 100 + (col0 + j));
  }
  return t;
}

TEST(CopySliceDataTest, CopiesOverlapOfTwoSlices) {
  const TensorShape full = Shape({6, 8});
  const TensorSlice src_slice = Slice({{1, 4}, {2, 5}});  // rows 1..4, cols 2..6
  const TensorSlice dst_slice = Slice({{3, 3}, kFull});   // rows 3..5, all cols
  Tensor src = Grid(4, 5, 1, 2);
  Tensor dst = *Tensor::Create(DataType::kFloat, Shape({3, 8}));
  for (float& x : dst.mutable_flat<float>()) x = -1;
  StatusOr<int64_t> n = CopySliceData(src, src_slice, &dst, dst_slice, full);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2 * 5);  // rows 3..4, cols 2..6
  auto v = dst.flat<float>();
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t j = 0; j < 8; ++j) {
      const int64_t row = 3 + i;
      const bool inside = row <= 4 && j >= 2 && j <= 6;
      EXPECT_EQ(v[i * 8 + j], inside ? float(row * 100 + j) : -1.0f) << i << "," << j;
    }
  }
}

TEST(CopySliceDataTest, AssemblesWholeTensorFromRowPartitions) {
  const TensorShape full = Shape({5, 3});
  Tensor whole = *Tensor::Create(DataType::kFloat, full);
  int64_t total = 0;
  for (auto [start, len] : {std::pair<int64_t, int64_t>{0, 3}, {3, 2}}) {
    Tensor part = Grid(len, 3, start, 0);
    StatusOr<int64_t> n =
        CopySliceData(part, Slice({{start, len}, {0, 3}}), &whole, FullSlice(2), full);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    total += *n;
  }
  EXPECT_EQ(total, 15);
  EXPECT_TRUE(BitwiseEqual(whole, Grid(5, 3, 0, 0)));
}

TEST(CopySliceDataTest, ThreeDimensionsAndStrings) {
  const TensorShape full = Shape({3, 4, 2});
  // src holds [0:3, 1:3, :], dst holds [1:2, :, 1:2].
  const TensorSlice src_slice = Slice({kFull, {1, 2}, kFull});
  const TensorSlice dst_slice = Slice({{1, 1}, kFull, {1, 1}});
  Tensor src = *Tensor::Create(DataType::kString, Shape({3, 2, 2}));
  auto s = src.mutable_flat<std::string>();
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 2; ++k)
        s[(i * 2 + j) * 2 + k] = std::to_string(i) + std::to_string(j + 1) + std::to_string(k);
  Tensor dst = *Tensor::Create(DataType::kString, Shape({1, 4, 1}));
  StatusOr<int64_t> n = CopySliceData(src, src_slice, &dst, dst_slice, full);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  auto d = dst.flat<std::string>();
  EXPECT_EQ(std::vector<std::string>(d.begin(), d.end()),
            (std::vector<std::string>{"", "111", "121", ""}));
}

TEST(CopySliceDataTest, DisjointSlicesCopyNothing) {
  const TensorShape full = Shape({4});
  Tensor src = *Tensor::FromVector<int32_t>({1, 2}, Shape({2}));
  Tensor dst = *Tensor::FromVector<int32_t>({7, 7}, Shape({2}));
  StatusOr<int64_t> n = CopySliceData(src, Slice({{0, 2}}), &dst, Slice({{2, 2}}), full);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(dst.flat<int32_t>()[0], 7);
}

TEST(CopySliceDataTest, Scalar) {
  Tensor src = Tensor::Scalar<double>(2.5);
  Tensor dst = Tensor::Scalar<double>(0);
  StatusOr<int64_t> n = CopySliceData(src, Slice({}), &dst, Slice({}), TensorShape());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(dst.scalar<double>(), 2.5);
}

TEST(CopySliceDataTest, RejectsMismatches) {
  const TensorShape full = Shape({4});
  Tensor f = *Tensor::Create(DataType::kFloat, Shape({2}));
  Tensor i = *Tensor::Create(DataType::kInt32, Shape({2}));
  Tensor f3 = *Tensor::Create(DataType::kFloat, Shape({3}));
  EXPECT_EQ(CopySliceData(f, Slice({{0, 2}}), &i, Slice({{0, 2}}), full).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CopySliceData(f, Slice({{0, 2}}), &f3, Slice({{0, 2}}), full).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CopySliceData(f, Slice({{3, 2}}), &f3, Slice({{0, 3}}), full).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CopySliceData(f, Slice({{0, 2}}), nullptr, Slice({{0, 2}}), full).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tf1hub
