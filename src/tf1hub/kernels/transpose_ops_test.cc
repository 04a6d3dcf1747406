// Tests of transpose_ops.cc. Results are checked against naive index math
// (output[i_0..i_n] = input[j] with j_{perm[k]} = i_k); messages marked
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

StatusOr<Tensor> Transpose(const Tensor& x, const Tensor& perm) {
  KernelRunner r("Transpose");
  r.Attr("T", x.dtype()).Attr("Tperm", perm.dtype()).Input(x).Input(perm);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

// Checks Transpose(iota(dims), perm) element by element.
template <typename T>
void CheckAgainstReference(const std::vector<int64_t>& dims, const std::vector<int64_t>& perm) {
  const Tensor x = Iota<T>(dims);
  StatusOr<Tensor> y = Transpose(x, Vec<int64_t>(perm));
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  std::vector<int64_t> out_dims;
  for (int64_t p : perm) out_dims.push_back(dims[p]);
  ASSERT_EQ(y->shape().dims(), out_dims);
  for (int64_t i = 0; i < y->NumElements(); ++i) {
    const std::vector<int64_t> oc = Coords(i, out_dims);
    std::vector<int64_t> ic(dims.size());
    for (size_t k = 0; k < perm.size(); ++k) ic[perm[k]] = oc[k];
    ASSERT_EQ(y->flat<T>()[i], static_cast<T>(Flat(ic, dims))) << "element " << i;
  }
}

TEST(TransposeTest, Matrix) {
  Tensor y = Transpose(Iota<float>({2, 3}), Vec<int32_t>({1, 0})).value();
  EXPECT_EQ(y.shape().DebugString(), "[3,2]");
  EXPECT_THAT(Values<float>(y), ElementsAre(0, 3, 1, 4, 2, 5));
  CheckAgainstReference<int32_t>({37, 53}, {1, 0});
  CheckAgainstReference<double>({300, 70}, {1, 0});  // large enough to use threads
}

TEST(TransposeTest, HigherRanksAndDtypes) {
  CheckAgainstReference<float>({2, 3, 4}, {2, 0, 1});
  CheckAgainstReference<int8_t>({4, 5, 6}, {1, 2, 0});
  CheckAgainstReference<uint16_t>({3, 4, 5, 6}, {3, 1, 0, 2});
  CheckAgainstReference<int64_t>({2, 3, 4, 5, 2}, {4, 3, 2, 1, 0});
  // Size-1 dims and adjacent runs are reduced away before the shuffle.
  CheckAgainstReference<float>({2, 1, 3, 4, 1, 5}, {3, 4, 5, 0, 1, 2});
  CheckAgainstReference<float>({3, 1, 4, 2}, {2, 3, 1, 0});
  // Rank 9 with no reducible dims: the strided-copy path.
  CheckAgainstReference<int32_t>({2, 3, 2, 3, 2, 3, 2, 3, 2}, {8, 6, 4, 2, 0, 1, 3, 5, 7});
  Tensor c =
      Transpose(Make<Complex128>({{1, 2}, {3, 4}, {5, 6}, {7, 8}}, {2, 2}), Vec<int32_t>({1, 0}))
          .value();
  EXPECT_EQ(c.flat<Complex128>()[1], Complex128(5, 6));
  Tensor s = Transpose(StringIota({2, 3}), Vec<int32_t>({1, 0})).value();
  EXPECT_THAT(Values<std::string>(s), ElementsAre("s0", "s3", "s1", "s4", "s2", "s5"));
}

TEST(TransposeTest, SharesWhenNothingMoves) {
  const Tensor x = Iota<float>({2, 3});
  EXPECT_TRUE(Transpose(x, Vec<int32_t>({0, 1})).value().SharesBufferWith(x));
  // Negative entries count from the end (TF 2.15.1): {0, -1} is {0, 1}.
  EXPECT_TRUE(Transpose(x, Vec<int32_t>({0, -1})).value().SharesBufferWith(x));
  const Tensor y = Iota<float>({1, 4, 1, 3});
  Tensor z = Transpose(y, Vec<int32_t>({2, 1, 0, 3})).value();
  EXPECT_EQ(z.shape().DebugString(), "[1,4,1,3]");
  EXPECT_TRUE(z.SharesBufferWith(y));
  EXPECT_EQ(Transpose(Iota<float>({0, 3}), Vec<int32_t>({1, 0})).value().shape().DebugString(),
            "[3,0]");
}

TEST(TransposeTest, ErrorsMatchTensorFlow) {
  const Tensor x = Iota<float>({2, 3});
  EXPECT_EQ(Transpose(x, Vec<int32_t>({0, 0})).status().message(), "1 is missing from {0,0}.");
  EXPECT_EQ(Transpose(x, Vec<int32_t>({0, 2})).status().message(), "2 is out of range [0 .. 2)");
  EXPECT_EQ(Transpose(x, Vec<int64_t>({0, -3})).status().message(), "-1 is out of range [0 .. 2)");
  EXPECT_EQ(Transpose(x, Vec<int32_t>({0, 1, 2})).status().message(),
            "transpose expects a vector of size 2. But input(1) is a vector of size 3");
  EXPECT_EQ(Transpose(x, Make<int32_t>({1, 0}, {1, 2})).status().message(),
            "perm must be rank 1, got shape [1,2]");
}

}  // namespace
}  // namespace tf1hub
