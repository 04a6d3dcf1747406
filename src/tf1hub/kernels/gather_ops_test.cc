// Tests of gather_ops.cc (GatherV2). Values by hand or marked "TF 2.15.1"
// (TensorFlow 2.15.1 in the oracle venv, same inputs).
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

StatusOr<Tensor> Gather(const Tensor& params, const Tensor& indices, const Tensor& axis,
                        int64_t batch_dims = 0) {
  KernelRunner r("GatherV2");
  r.Attr("Tparams", params.dtype()).Attr("Tindices", indices.dtype()).Attr("Taxis", axis.dtype());
  r.Attr("batch_dims", batch_dims).Input(params).Input(indices).Input(axis);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(GatherV2Test, Axes) {
  const Tensor p = Iota<float>({3, 4});
  Tensor a = Gather(p, Vec<int32_t>({2, 0, 2}), Scalar<int32_t>(0)).value();
  EXPECT_EQ(a.shape().DebugString(), "[3,4]");
  EXPECT_THAT(Values<float>(a), ElementsAre(8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11));
  Tensor b = Gather(p, Make<int64_t>({3, 1, 0, 0}, {2, 2}), Scalar<int32_t>(1)).value();
  EXPECT_EQ(b.shape().DebugString(), "[3,2,2]");
  EXPECT_THAT(Values<float>(b), ElementsAre(3, 1, 0, 0, 7, 5, 4, 4, 11, 9, 8, 8));
  Tensor c = Gather(p, Scalar<int32_t>(1), Scalar<int64_t>(-1)).value();
  EXPECT_EQ(c.shape().DebugString(), "[3]");
  EXPECT_THAT(Values<float>(c), ElementsAre(1, 5, 9));
  // TF 2.15.1: int16 indices, negative int64 axis.
  EXPECT_THAT(
      Values<float>(Gather(Iota<float>({5}), Vec<int16_t>({1, 4}), Scalar<int32_t>(0)).value()),
      ElementsAre(1, 4));
  EXPECT_THAT(
      Values<float>(Gather(Iota<float>({5, 2}), Vec<int64_t>({1, 4}), Scalar<int64_t>(-2)).value()),
      ElementsAre(2, 3, 8, 9));
  Tensor s = Gather(StringIota({3}), Vec<int32_t>({2, 2, 0}), Scalar<int32_t>(0)).value();
  EXPECT_THAT(Values<std::string>(s), ElementsAre("s2", "s2", "s0"));
}

TEST(GatherV2Test, BatchDims) {
  // TF 2.15.1.
  Tensor a =
      Gather(Iota<float>({2, 3, 4}), Make<int32_t>({0, 2, 1, 1}, {2, 2}), Scalar<int32_t>(2), -1)
          .value();
  EXPECT_EQ(a.shape().DebugString(), "[2,3,2]");
  EXPECT_THAT(Values<float>(a), ElementsAre(0, 2, 4, 6, 8, 10, 13, 13, 17, 17, 21, 21));
  Tensor b =
      Gather(Iota<float>({2, 3}), Make<int32_t>({0, 0}, {2, 1}), Scalar<int32_t>(1), -1).value();
  EXPECT_THAT(Values<float>(b), ElementsAre(0, 3));
  Tensor c = Gather(Iota<float>({2, 3}), Vec<int32_t>({0, 2}), Scalar<int32_t>(1), 1).value();
  EXPECT_EQ(c.shape().DebugString(), "[2]");
  EXPECT_THAT(Values<float>(c), ElementsAre(0, 5));
  // batch 2, outer 3 (axis 2 after batch dim 0), indices [2, 2].
  Tensor d = Gather(Iota<int32_t>({2, 3, 4, 2}), Make<int64_t>({3, 0, 1, 2}, {2, 2}),
                    Scalar<int32_t>(2), 1)
                 .value();
  EXPECT_EQ(d.shape().DebugString(), "[2,3,2,2]");
  for (int64_t i = 0; i < d.NumElements(); ++i) {
    const std::vector<int64_t> c4 = Coords(i, {2, 3, 2, 2});
    const int64_t index = std::vector<int64_t>{3, 0, 1, 2}[c4[0] * 2 + c4[2]];
    ASSERT_EQ(d.flat<int32_t>()[i], Flat({c4[0], c4[1], index, c4[3]}, {2, 3, 4, 2})) << i;
  }
}

TEST(GatherV2Test, EmptyCases) {
  EXPECT_EQ(Gather(Iota<float>({0, 3}), Vec<int32_t>({}), Scalar<int32_t>(0))
                .value()
                .shape()
                .DebugString(),
            "[0,3]");
  // TF 2.15.1: no index check when nothing is copied.
  EXPECT_EQ(Gather(Iota<float>({0, 5}), Vec<int32_t>({9}), Scalar<int32_t>(1))
                .value()
                .shape()
                .DebugString(),
            "[0,1]");
  EXPECT_EQ(Gather(Iota<float>({5, 0}), Vec<int32_t>({9}), Scalar<int32_t>(0))
                .value()
                .shape()
                .DebugString(),
            "[1,0]");
}

TEST(GatherV2Test, LargeGather) {
  // 2000 rows of 3: split across threads.
  const Tensor p = Iota<int64_t>({100, 3});
  std::vector<int32_t> idx;
  for (int i = 0; i < 2000; ++i) idx.push_back((i * 37) % 100);
  Tensor g = Gather(p, Vec<int32_t>(idx), Scalar<int32_t>(0)).value();
  for (int i = 0; i < 2000; ++i) {
    for (int k = 0; k < 3; ++k) ASSERT_EQ(g.flat<int64_t>()[i * 3 + k], idx[i] * 3 + k);
  }
}

TEST(GatherV2Test, ErrorsMatchTensorFlow) {
  // TF 2.15.1 messages.
  const Tensor p = Iota<float>({5});
  EXPECT_EQ(Gather(p, Vec<int32_t>({1, 7}), Scalar<int32_t>(0)).status().message(),
            "indices[1] = 7 is not in [0, 5)");
  EXPECT_EQ(Gather(p, Make<int32_t>({1, 2, 3, 7}, {2, 2}), Scalar<int32_t>(0)).status().message(),
            "indices[1,1] = 7 is not in [0, 5)");
  EXPECT_EQ(Gather(p, Vec<int64_t>({1, -1}), Scalar<int32_t>(0)).status().message(),
            "indices[1] = -1 is not in [0, 5)");
  EXPECT_EQ(Gather(p, Scalar<int32_t>(9), Scalar<int32_t>(0)).status().message(),
            "indices = 9 is not in [0, 5)");
  EXPECT_EQ(Gather(Iota<float>({3, 5, 2}), Vec<int32_t>({9, 1, -1}), Scalar<int32_t>(1))
                .status()
                .message(),
            "indices[0] = 9 is not in [0, 5)");
  EXPECT_EQ(Gather(Iota<float>({0, 3}), Vec<int32_t>({0}), Scalar<int32_t>(0)).status().message(),
            "indices[0] = 0 is not in [0, 0)");
  EXPECT_EQ(Gather(p, Vec<int32_t>({1}), Scalar<int32_t>(1)).status().message(),
            "Shape must be at least rank 2 but is rank 1");
  EXPECT_EQ(Gather(p, Vec<int32_t>({1}), Scalar<int32_t>(-2)).status().message(),
            "Shape must be at least rank 2 but is rank 1");
  EXPECT_EQ(Gather(p, Vec<int32_t>({1}), Vec<int32_t>({0})).status().message(),
            "axis must be scalar");
  EXPECT_EQ(Gather(Scalar<float>(1), Scalar<int32_t>(0), Scalar<int32_t>(0)).status().message(),
            "params must be at least 1 dimensional");
  const Tensor m = Iota<float>({2, 3});
  const Tensor z = Make<int32_t>({0, 0}, {2, 1});
  EXPECT_EQ(Gather(m, z, Scalar<int32_t>(1), 2).status().message(),
            "batch_dims (2) must be less than rank(params) (2).");
  EXPECT_EQ(Gather(m, z, Scalar<int32_t>(0), 1).status().message(),
            "batch_dims (1) must be less than or equal to axis (0).");
  EXPECT_EQ(Gather(m, Make<int32_t>({0, 0, 0}, {3, 1}), Scalar<int32_t>(1), 1).status().message(),
            "params.shape[0]: 2 should be equal to indices.shape[0]: 3");
  EXPECT_EQ(Gather(m, z, Scalar<int32_t>(1), -3).status().message(),
            "Expected batch_dims in the range [-2, 2], but got -3");
  EXPECT_EQ(Gather(m, Make<int32_t>({0, 3}, {2, 1}), Scalar<int32_t>(1), 1).status().message(),
            "indices[1,0] = 3 is not in [0, 3)");
  EXPECT_EQ(Gather(Iota<float>({40000}), Vec<int16_t>({1}), Scalar<int32_t>(0)).status().message(),
            "params.shape[0] too large for int16 indexing: 40000 > 32767");
}

}  // namespace
}  // namespace tf1hub
