#include "tf1hub/tensor_shape.h"

#include <gtest/gtest.h>

#include <vector>

namespace tf1hub {
namespace {

TEST(TensorShapeTest, ScalarByDefault) {
  TensorShape s;
  EXPECT_EQ(s.rank(), 0);
  EXPECT_TRUE(s.IsScalar());
  EXPECT_EQ(s.num_elements(), 1);
  EXPECT_EQ(s.DebugString(), "[]");
}

TEST(TensorShapeTest, CreateCountsElements) {
  StatusOr<TensorShape> s = TensorShape::Create({2, 3, 4});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rank(), 3);
  EXPECT_EQ(s->dim(1), 3);
  EXPECT_EQ(s->num_elements(), 24);
  EXPECT_EQ(s->DebugString(), "[2,3,4]");
  EXPECT_EQ(s->dims(), (std::vector<int64_t>{2, 3, 4}));
}

TEST(TensorShapeTest, ZeroDimensionGivesEmpty) {
  StatusOr<TensorShape> s = TensorShape::Create({5, 0, 7});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->num_elements(), 0);
  EXPECT_EQ(s->DebugString(), "[5,0,7]");
}

TEST(TensorShapeTest, RejectsNegativeDimension) {
  StatusOr<TensorShape> s = TensorShape::Create({2, -3});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(), "[TensorShape] dimension 1 is -3; dimensions must be >= 0");
}

TEST(TensorShapeTest, RejectsTooManyElements) {
  // 2^59 exactly is allowed; one more doubling is not.
  StatusOr<TensorShape> ok = TensorShape::Create({int64_t{1} << 30, int64_t{1} << 29});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->num_elements(), int64_t{1} << 59);

  StatusOr<TensorShape> big = TensorShape::Create({int64_t{1} << 30, int64_t{1} << 30});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().message(),
            "[TensorShape] shape [1073741824,1073741824] has more than 2^59 elements");
}

TEST(TensorShapeTest, RejectsInt64Overflow) {
  const int64_t huge = int64_t{1} << 62;
  StatusOr<TensorShape> s = TensorShape::Create({huge, huge, 4});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  // Even with a zero dimension the other dimensions must not overflow.
  EXPECT_FALSE(TensorShape::Create({huge, huge, 0}).ok());
  EXPECT_TRUE(TensorShape::Create({huge >> 3, 0}).ok());
}

TEST(TensorShapeTest, RankLimit) {
  std::vector<int64_t> dims(254, 1);
  EXPECT_TRUE(TensorShape::Create(dims).ok());
  dims.push_back(1);
  StatusOr<TensorShape> s = TensorShape::Create(dims);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "[TensorShape] rank 255 exceeds the maximum of 254");
}

TEST(TensorShapeTest, Equality) {
  EXPECT_EQ(*TensorShape::Create({2, 3}), *TensorShape::Create({2, 3}));
  EXPECT_FALSE(*TensorShape::Create({2, 3}) == *TensorShape::Create({3, 2}));
  EXPECT_FALSE(*TensorShape::Create({1}) == TensorShape());
}

TEST(PartialTensorShapeTest, UnknownRank) {
  PartialTensorShape p;
  EXPECT_TRUE(p.unknown_rank());
  EXPECT_EQ(p.rank(), -1);
  EXPECT_FALSE(p.IsFullyDefined());
  EXPECT_EQ(p.DebugString(), "<unknown>");
  EXPECT_TRUE(p.IsCompatibleWith(*TensorShape::Create({7, 8})));
  EXPECT_TRUE(p.IsCompatibleWith(TensorShape()));
  EXPECT_EQ(p, PartialTensorShape::UnknownRank());
}

TEST(PartialTensorShapeTest, UnknownDims) {
  StatusOr<PartialTensorShape> p = PartialTensorShape::Create(std::vector<int64_t>{-1, 50});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rank(), 2);
  EXPECT_FALSE(p->IsFullyDefined());
  EXPECT_EQ(p->DebugString(), "[?,50]");
  EXPECT_TRUE(p->IsCompatibleWith(*TensorShape::Create({3, 50})));
  EXPECT_TRUE(p->IsCompatibleWith(*TensorShape::Create({0, 50})));
  EXPECT_FALSE(p->IsCompatibleWith(*TensorShape::Create({3, 49})));
  EXPECT_FALSE(p->IsCompatibleWith(*TensorShape::Create({50})));
}

TEST(PartialTensorShapeTest, ScalarIsKnownRankZero) {
  StatusOr<PartialTensorShape> p = PartialTensorShape::Create(std::vector<int64_t>{});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rank(), 0);
  EXPECT_TRUE(p->IsFullyDefined());
  EXPECT_EQ(p->DebugString(), "[]");
  EXPECT_TRUE(p->IsCompatibleWith(TensorShape()));
  EXPECT_FALSE(p->IsCompatibleWith(*TensorShape::Create({1})));
  EXPECT_FALSE(*p == PartialTensorShape::UnknownRank());
}

TEST(PartialTensorShapeTest, RejectsBadDims) {
  StatusOr<PartialTensorShape> p = PartialTensorShape::Create(std::vector<int64_t>{4, -2});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("dimension 1 is -2"), std::string::npos);
  EXPECT_FALSE(PartialTensorShape::Create(std::vector<int64_t>(255, -1)).ok());
}

TEST(PartialTensorShapeTest, FromShape) {
  PartialTensorShape p = PartialTensorShape::FromShape(*TensorShape::Create({4, 5}));
  EXPECT_TRUE(p.IsFullyDefined());
  EXPECT_EQ(p.dims(), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(p, *PartialTensorShape::Create(std::vector<int64_t>{4, 5}));
}

}  // namespace
}  // namespace tf1hub
