// Tests of unique_ops.cc (Unique, UniqueWithCounts). Values by hand, or
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

StatusOr<std::vector<Tensor>> Unique(const Tensor& x, DataType out_idx = DataType::kInt32,
                                     bool with_counts = false) {
  KernelRunner r(with_counts ? "UniqueWithCounts" : "Unique");
  r.Attr("T", x.dtype()).Attr("out_idx", out_idx).Input(x);
  return r.Run();
}

TEST(UniqueTest, FirstOccurrenceOrder) {
  std::vector<Tensor> out = Unique(Vec<int64_t>({7, 3, 7, 7, -2, 3})).value();
  EXPECT_THAT(Values<int64_t>(out[0]), ElementsAre(7, 3, -2));
  EXPECT_THAT(Values<int32_t>(out[1]), ElementsAre(0, 1, 0, 0, 2, 1));
  out = Unique(Vec<std::string>({"b", "", "a", "b", ""}), DataType::kInt64).value();
  EXPECT_THAT(Values<std::string>(out[0]), ElementsAre("b", "", "a"));
  EXPECT_THAT(Values<int64_t>(out[1]), ElementsAre(0, 1, 2, 0, 1));
  out = Unique(Vec<bool>({true, true, false})).value();
  EXPECT_THAT(Values<bool>(out[0]), ElementsAre(true, false));
  out = Unique(Vec<uint8_t>({255, 0, 255})).value();
  EXPECT_THAT(Values<uint8_t>(out[0]), ElementsAre(255, 0));
  EXPECT_THAT(Values<int32_t>(out[1]), ElementsAre(0, 1, 0));
}

TEST(UniqueTest, EmptyAndLarge) {
  std::vector<Tensor> out = Unique(Vec<int32_t>({})).value();
  EXPECT_THAT(Values<int32_t>(out[0]), IsEmpty());
  EXPECT_THAT(Values<int32_t>(out[1]), IsEmpty());
  // 100000 elements over 1000 values, first seen in order 0..999.
  std::vector<int64_t> x;
  for (int i = 0; i < 100000; ++i) x.push_back((i * 7919) % 1000);
  out = Unique(Vec<int64_t>(x)).value();
  ASSERT_EQ(out[0].NumElements(), 1000);
  std::vector<int64_t> y = Values<int64_t>(out[0]);
  std::vector<int32_t> idx = Values<int32_t>(out[1]);
  for (int i = 0; i < 100000; ++i) ASSERT_EQ(y[idx[i]], x[i]);
  for (int j = 0; j < 1000; ++j) ASSERT_EQ(y[j], (j * 7919) % 1000);
}

TEST(UniqueTest, FloatZerosAndNaNs) {
  // TF 2.15.1: float/double merge 0.0 and -0.0 (first one kept); every NaN
  // is its own value.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<Tensor> out = Unique(Vec<float>({-0.f, 0.f, nan, nan, 1.f, -0.f})).value();
  std::vector<float> y = Values<float>(out[0]);
  ASSERT_EQ(y.size(), 4u);
  EXPECT_TRUE(std::signbit(y[0]));
  EXPECT_TRUE(std::isnan(y[1]) && std::isnan(y[2]));
  EXPECT_EQ(y[3], 1.f);
  EXPECT_THAT(Values<int32_t>(out[1]), ElementsAre(0, 0, 1, 2, 3, 0));
  out = Unique(Vec<double>({0.0, -0.0, 2.0})).value();
  EXPECT_THAT(Values<int32_t>(out[1]), ElementsAre(0, 0, 1));
  // TF 2.15.1: half and bfloat16 keep 0.0 and -0.0 apart.
  out = Unique(HalfTensor({0.f, -0.f, nan, nan, 1.f, -0.f}, {6})).value();
  EXPECT_EQ(out[0].NumElements(), 5);
  EXPECT_THAT(Values<int32_t>(out[1]), ElementsAre(0, 1, 2, 3, 4, 1));
  out = Unique(BFloat16Tensor({-0.f, 0.f, nan, nan, 1.f, -0.f}, {6})).value();
  EXPECT_EQ(out[0].NumElements(), 5);
  EXPECT_THAT(Values<int32_t>(out[1]), ElementsAre(0, 1, 2, 3, 4, 0));
}

TEST(UniqueTest, WithCounts) {
  // TF 2.15.1.
  std::vector<Tensor> out = Unique(Vec<int64_t>({3, 1, 3, 3, 2}), DataType::kInt32, true).value();
  EXPECT_THAT(Values<int64_t>(out[0]), ElementsAre(3, 1, 2));
  EXPECT_THAT(Values<int32_t>(out[1]), ElementsAre(0, 1, 0, 0, 2));
  EXPECT_THAT(Values<int32_t>(out[2]), ElementsAre(3, 1, 1));
  out = Unique(Vec<std::string>({"x", "", "x"}), DataType::kInt64, true).value();
  EXPECT_THAT(Values<std::string>(out[0]), ElementsAre("x", ""));
  EXPECT_THAT(Values<int64_t>(out[2]), ElementsAre(2, 1));
}

TEST(UniqueTest, Errors) {
  // TF 2.15.1.
  EXPECT_EQ(Unique(Make<int32_t>({1, 2, 1, 2}, {2, 2})).status().message(),
            "unique expects a 1D vector.");
  EXPECT_EQ(Unique(Scalar<int32_t>(1)).status().message(), "unique expects a 1D vector.");
  EXPECT_EQ(Unique(Make<int32_t>({1}, {1, 1}), DataType::kInt32, true).status().message(),
            "unique expects a 1D vector.");
  // TensorFlow has no CPU kernel for complex.
  EXPECT_FALSE(Unique(Vec<Complex64>({{1, 0}})).ok());
}

}  // namespace
}  // namespace tf1hub
