#include "tf1hub/core/checked_math.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace tf1hub {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr uint64_t kUMax = std::numeric_limits<uint64_t>::max();

TEST(CheckedMathTest, Add) {
  int64_t out = 0;
  EXPECT_TRUE(CheckedAdd<int64_t>(kMax - 1, 1, &out));
  EXPECT_EQ(out, kMax);
  EXPECT_FALSE(CheckedAdd<int64_t>(kMax, 1, &out));
  EXPECT_FALSE(CheckedAdd<int64_t>(kMin, -1, &out));
  EXPECT_EQ(CheckedAdd<uint64_t>(kUMax - 5, 5), kUMax);
  EXPECT_EQ(CheckedAdd<uint64_t>(kUMax, 1), std::nullopt);
}

TEST(CheckedMathTest, Sub) {
  EXPECT_EQ(CheckedSub<uint64_t>(3, 4), std::nullopt);
  EXPECT_EQ(CheckedSub<uint64_t>(4, 3), 1u);
  EXPECT_EQ(CheckedSub<int64_t>(kMin, 1), std::nullopt);
}

TEST(CheckedMathTest, Mul) {
  int64_t out = 0;
  EXPECT_TRUE(CheckedMul<int64_t>(int64_t{1} << 31, int64_t{1} << 31, &out));
  EXPECT_EQ(out, int64_t{1} << 62);
  EXPECT_FALSE(CheckedMul<int64_t>(int64_t{1} << 32, int64_t{1} << 31, &out));
  EXPECT_EQ(CheckedMul<int64_t>(-3, 7), -21);
  EXPECT_EQ(CheckedMul<uint64_t>(uint64_t{1} << 63, 2), std::nullopt);
  EXPECT_EQ(CheckedMul<uint64_t>(uint64_t{1} << 32, uint64_t{1} << 31), uint64_t{1} << 63);
}

TEST(CheckedMathTest, Product) {
  EXPECT_EQ(CheckedProduct<int64_t>(std::vector<int64_t>{2, 3, 7}), 42);
  EXPECT_EQ(CheckedProduct<int64_t>(std::vector<int64_t>{}), 1);
  EXPECT_EQ(CheckedProduct<int64_t>(std::vector<int64_t>{2, -1}), std::nullopt);
  EXPECT_EQ(CheckedProduct<int64_t>(std::vector<int64_t>{int64_t{1} << 40, int64_t{1} << 40}),
            std::nullopt);
}

TEST(CheckedMathTest, RangeWithin) {
  EXPECT_TRUE(RangeWithin(0, 10, 10));
  EXPECT_TRUE(RangeWithin(10, 0, 10));
  EXPECT_FALSE(RangeWithin(5, 6, 10));
  EXPECT_FALSE(RangeWithin(11, 0, 10));
  EXPECT_FALSE(RangeWithin(kUMax, 2, kUMax));  // wraps
}

}  // namespace
}  // namespace tf1hub
