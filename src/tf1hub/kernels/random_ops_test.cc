// Tests for random_ops.cc: RandomUniform, RandomStandardNormal and
// TruncatedNormal must give TensorFlow's exact numbers.
//
// Expected values: TensorFlow 2.15.1 (oracle venv), graph mode, one
// tf.compat.v1.Session holding every op of the table below, e.g.
//   tf.raw_ops.RandomUniform(shape=[100003], dtype=tf.float32,
//                            seed=87654321, seed2=7)
// run twice with sess.run (first and second run), each value printed as its
// bit pattern (float32 -> uint32, float64 -> uint64, half/bfloat16 ->
// uint16, via numpy .view). Large outputs (1000, 1001 and 100003 values:
// several thread-pool shards, TruncatedNormal's 256-blocks-per-group
// skipping, partial last groups) list the values at the given indices;
// small ones list every value.
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/kernels/kernel_test_util.h"

namespace tf1hub {
namespace {

template <typename T>
Tensor Make(const std::vector<T>& v, std::initializer_list<int64_t> dims) {
  return *Tensor::FromVector<T>(v, *TensorShape::Create(dims));
}

// Element i's bit pattern, whatever the float dtype.
uint64_t Bits(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DataType::kFloat:
      return std::bit_cast<uint32_t>(t.flat<float>()[i]);
    case DataType::kDouble:
      return std::bit_cast<uint64_t>(t.flat<double>()[i]);
    case DataType::kHalf:
      return t.flat<Half>()[i].bits;
    case DataType::kBfloat16:
      return t.flat<BFloat16>()[i].bits;
    default:
      ADD_FAILURE() << "unexpected dtype";
      return 0;
  }
}

KernelRunner& SeededOp(KernelRunner& r, DataType dtype, int64_t seed, int64_t seed2) {
  return r.Attr("dtype", dtype).Attr("T", DataType::kInt32).Attr("seed", seed).Attr("seed2", seed2);
}

struct Case {
  const char* name;
  const char* op;
  DataType dtype;
  int32_t size;
  int64_t seed, seed2;
  std::vector<int64_t> indices;  // empty: every element
  std::vector<uint64_t> run1, run2;
};

// Values from TensorFlow 2.15.1 (see the top of the file).
const std::vector<Case>& TfCases() {
  static const auto* cases = new std::vector<Case>{
    // clang-format off
    {"uniform_f32_big", "RandomUniform", DataType::kFloat, 100003, 87654321, 7,
     {0, 1, 2, 3, 4, 5, 999, 1000, 4096, 50001, 99999, 100000, 100001, 100002},
     {0x3ef7c71c, 0x3f019686, 0x3e82a234, 0x3dff78e0, 0x3f6ed9c0, 0x3f2a23d6, 0x3f15a4ea,
      0x3f40f5de, 0x3e9c77e8, 0x3e876f18, 0x3eb16af8, 0x3f12153a, 0x3d8c7aa0, 0x3edee5bc},
     {0x3c86e1c0, 0x3f76faba, 0x3efe7020, 0x3e3109a0, 0x3ecec3f4, 0x3f37bd88, 0x3f090010,
      0x3f0ed7a0, 0x3ed9d6f0, 0x3f289a88, 0x3f0121ae, 0x3f2c82ee, 0x3f32ea54, 0x3f6663a4}},
    {"uniform_f64", "RandomUniform", DataType::kDouble, 7, 1, 2,
     {},
     {0x3fd0133e33b7174c, 0x3fdc5cd8282bf774, 0x3fd305cf6c12c148, 0x3fd07e44382cf3cc,
      0x3fee7caab50acf66, 0x3fea888cfd3cefa6, 0x3fe17ea4cc7dfe9e},
     {0x3fdd7f712fbce960, 0x3fc10c104a68e928, 0x3fb12ac961fae5e0, 0x3fe3c4faac7524b6,
      0x3fc160ee64884550, 0x3fdfa4b603c80e6c, 0x3feb1518314a7ac0}},
    {"uniform_f16", "RandomUniform", DataType::kHalf, 9, 1, 2,
     {},
     {0x3278, 0x374c, 0x3a6c, 0x3774, 0x35cc, 0x2d20, 0x3b22, 0x3398, 0x38aa},
     {0x39f4, 0x399c, 0x38a8, 0x3a88, 0x3a76, 0x39aa, 0x3524, 0x3a9a, 0x38dc}},
    {"uniform_bf16", "RandomUniform", DataType::kBfloat16, 9, 1, 2,
     {},
     {0x3f1e, 0x3f26, 0x3ed8, 0x3f3a, 0x3f66, 0x3f24, 0x3e08, 0x3f66, 0x3f2a},
     {0x3f74, 0x3f1c, 0x3f28, 0x3f08, 0x3eec, 0x3f2a, 0x3f12, 0x3f1a, 0x3f5c}},
    {"uniform_neg_seed", "RandomUniform", DataType::kFloat, 6, -1, -5,
     {},
     {0x3f26846e, 0x3f3a6a44, 0x3f09ddee, 0x3f6926c0, 0x3f1aa856, 0x3f3f36b4},
     {0x3e1dc798, 0x3f49d2d2, 0x3f28c0ba, 0x3f4cc892, 0x3f75444c, 0x3db29cc0}},
    {"uniform_seed_only", "RandomUniform", DataType::kFloat, 6, 0, 3,
     {},
     {0x3ea42af0, 0x3f312d70, 0x3f3dfd08, 0x3f5e8b8c, 0x3f75bcd4, 0x3f6fb728},
     {0x3d6d2be0, 0x3f18c734, 0x3f54753c, 0x3e991d84, 0x3f53ba72, 0x3eb63fe8}},
    {"normal_f32", "RandomStandardNormal", DataType::kFloat, 1000, 1, 2,
     {0, 1, 2, 3, 4, 5, 6, 7, 500, 997, 998, 999},
     {0xbf85fcdd, 0x3f56f6e1, 0x3f9e2fe3, 0x4004150f, 0x3e9b842a, 0x3fa5edfb, 0x3ef5dbd8,
      0x3f47c36a, 0xbee900d7, 0x3f3eae32, 0xbfb15ef1, 0xc010acff},
     {0x3eecd78d, 0x3f2601e9, 0x3fdfebc5, 0x3f2ea16f, 0x3f6be155, 0xbe93dbac, 0x3eb9c60f,
      0xbd88df91, 0x3f4eaf67, 0xbf689a1b, 0x3fd44b27, 0xbe99ca3e}},
    {"normal_f64", "RandomStandardNormal", DataType::kDouble, 5, 1, 2,
     {},
     {0x3fe298089076cdd3, 0xbff8eb3aca515204, 0x3ff8e4f44037f289, 0xbfb34d61b9fd07a9,
      0xbfd1816ab358dc28},
     {0xbff166ba7b80183f, 0xbff2bf37e220b9b3, 0x3fbedc4b775db77b, 0x3fe4140252f5032c,
      0x3ff0e79b2b0a7438}},
    {"normal_f16", "RandomStandardNormal", DataType::kHalf, 6, 1, 2,
     {},
     {0xbc30, 0x3ab8, 0x3cf1, 0x4021, 0x34dc, 0x3d2f},
     {0x3741, 0x3c5a, 0x3cc4, 0x35d4, 0xb609, 0x4057}},
    {"normal_bf16", "RandomStandardNormal", DataType::kBfloat16, 6, 1, 2,
     {},
     {0xbf86, 0x3f57, 0x3f9e, 0x4004, 0x3e9c, 0x3fa6},
     {0x3ee8, 0x3f8b, 0x3f99, 0x3eba, 0xbec1, 0x400b}},
    {"trunc_f32_big", "TruncatedNormal", DataType::kFloat, 100003, 87654321, 7,
     {0, 1, 2, 3, 4, 5, 999, 1000, 4096, 50001, 99999, 100000, 100001, 100002},
     {0xbd404a1e, 0xbf9a1979, 0x3f955adb, 0x3f95d6e4, 0x3f3774cf, 0x3f1235ce, 0x3ff0939c,
      0xbf6f264e, 0xbf96d232, 0x3ea01e7d, 0xbfc7e5e2, 0xbfcb8157, 0xbec6854c, 0xbf917bd4},
     {0xbf211b3e, 0x3f85f33a, 0x3f0d0299, 0xbfa8d78e, 0xbedb7f86, 0xbf63e92e, 0x3f79e390,
      0xbf34d59a, 0xbe467653, 0xbe8a5fa8, 0xbd43c2e3, 0xbfc69a09, 0xbf041839, 0x3f6c0a59}},
    {"trunc_f64", "TruncatedNormal", DataType::kDouble, 1001, 1, 2,
     {0, 1, 2, 3, 4, 500, 999, 1000},
     {0x3fe298089076cdd3, 0xbff8eb3aca515204, 0xbff212c734d3894d, 0xbfe0803aba843b6c,
      0xbff20bf7ca0d8c29, 0x3fe19e6aab5bc738, 0xbfd7a1582ea22e73, 0xbfccee07cffd3c34},
     {0xbfd210fa6ec2455d, 0xbfc9f225b5b09097, 0x3fd63c454644df53, 0x3ff0da2f64443847,
      0xbfe3f2842a8c6790, 0x3ff210acbaa0e45f, 0xbfea20a9b1468d8b, 0xbf8fd8a5f55e3c47}},
    {"trunc_f16", "TruncatedNormal", DataType::kHalf, 6, 1, 2,
     {},
     {0xbc30, 0x3ab8, 0x3cf1, 0x34dc, 0x3638, 0x3cf2},
     {0x3741, 0x3c5a, 0x3cc4, 0x35d4, 0xbb98, 0x3b0a}},
    {"trunc_bf16", "TruncatedNormal", DataType::kBfloat16, 6, 1, 2,
     {},
     {0xbf86, 0x3f57, 0x3f9e, 0x3e9c, 0x3ec7, 0x3f9e},
     {0x3ee8, 0x3f8b, 0x3f99, 0x3eba, 0xbf73, 0x3f61}},
    // clang-format on
  };
  return *cases;
}

class TfStreamTest : public ::testing::TestWithParam<Case> {};

TEST_P(TfStreamTest, FirstAndSecondRunMatchTensorFlowBitForBit) {
  const Case& c = GetParam();
  KernelRunner r(c.op);
  SeededOp(r, c.dtype, c.seed, c.seed2).Input(Make<int32_t>({c.size}, {1}));
  for (int run = 1; run <= 2; ++run) {
    auto out = r.Run();
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const Tensor& t = out->at(0);
    ASSERT_EQ(t.dtype(), c.dtype);
    ASSERT_EQ(t.NumElements(), c.size);
    const std::vector<uint64_t>& want = run == 1 ? c.run1 : c.run2;
    for (size_t k = 0; k < want.size(); ++k) {
      const int64_t i = c.indices.empty() ? static_cast<int64_t>(k) : c.indices[k];
      EXPECT_EQ(Bits(t, i), want[k]) << "run " << run << " element " << i << std::hex << " got 0x"
                                     << Bits(t, i) << " want 0x" << want[k];
    }
  }
}

INSTANTIATE_TEST_SUITE_P(TensorFlow, TfStreamTest, ::testing::ValuesIn(TfCases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(RandomUniformTest, SmallVectorFirstAndSecondRun) {
  // TF 2.15.1: tf.raw_ops.RandomUniform(shape=[5], dtype=tf.float32, seed=1,
  // seed2=2), first and second Session.run.
  KernelRunner r("RandomUniform");
  SeededOp(r, DataType::kFloat, 1, 2).Input(Make<int32_t>({5}, {1}));
  auto out = r.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_THAT(out->at(0).flat<float>(),
              ::testing::ElementsAre(0.406396746635437f, 0.8575996160507202f, 0.05539584159851074f,
                                     0.08587229251861572f, 0.41215360164642334f));
  out = r.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(out->at(0).flat<float>(),
              ::testing::ElementsAre(0.15982985496520996f, 0.3912637233734131f, 0.9523847103118896f,
                                     0.584368109703064f, 0.7269216775894165f));
}

TEST(RandomStandardNormalTest, WithinOneMillionthOfTensorFlow) {
  // TF 2.15.1: tf.raw_ops.RandomStandardNormal(shape=[5], dtype=tf.float32,
  // seed=1, seed2=2), first run (decimal, as printed by Python).
  KernelRunner r("RandomStandardNormal");
  SeededOp(r, DataType::kFloat, 1, 2).Input(Make<int32_t>({5}, {1}));
  auto out = r.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::vector<double> want = {-1.0467792749404907, 0.8397045731544495, 1.235836386680603,
                                    2.0637853145599365, 0.3037427067756653};
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(out->at(0).flat<float>()[i], want[i], 1e-6 * std::abs(want[i])) << i;
  }
}

TEST(TruncatedNormalTest, SkipsValuesOutsideTwoStandardDeviations) {
  // TF 2.15.1, seed=1, seed2=2, shape [5], first run: the normal stream
  // starts -1.0468, 0.8397, 1.2358, 2.0638, 0.3037, ...; TruncatedNormal
  // drops 2.0638 and takes the next value (0.38869).
  KernelRunner r("TruncatedNormal");
  SeededOp(r, DataType::kFloat, 1, 2).Input(Make<int32_t>({5}, {1}));
  auto out = r.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::vector<double> want = {-1.0467792749404907, 0.8397045731544495, 1.235836386680603,
                                    0.3037427067756653, 0.38869091868400574};
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(out->at(0).flat<float>()[i], want[i], 1e-6 * std::abs(want[i])) << i;
  }
}

TEST(RandomOpsTest, Int64ShapeGivesTheSameStreamAsInt32) {
  for (const char* op : {"RandomUniform", "RandomStandardNormal", "TruncatedNormal"}) {
    KernelRunner a(op), b(op);
    SeededOp(a, DataType::kFloat, 5, 6).Input(Make<int32_t>({3, 7}, {2}));
    b.Attr("dtype", DataType::kFloat).Attr("T", DataType::kInt64).Attr("seed", 5).Attr("seed2", 6);
    b.Input(Make<int64_t>({3, 7}, {2}));
    for (int run = 0; run < 2; ++run) {
      auto x = a.Run();
      auto y = b.Run();
      ASSERT_TRUE(x.ok() && y.ok()) << op;
      ASSERT_EQ(y->at(0).shape().DebugString(), "[3,7]");
      for (int i = 0; i < 21; ++i) EXPECT_EQ(Bits(x->at(0), i), Bits(y->at(0), i)) << op << i;
    }
  }
}

TEST(RandomOpsTest, ShapesOfAnyRank) {
  // An empty shape vector gives a scalar: TF 2.15.1 returns 0.40639675 for
  // seed=1, seed2=2 (the first value of the [5] stream above).
  KernelRunner r("RandomUniform");
  SeededOp(r, DataType::kFloat, 1, 2).Input(Make<int32_t>({}, {0}));
  auto out = r.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->at(0).shape().IsScalar());
  EXPECT_EQ(out->at(0).flat<float>()[0], 0.406396746635437f);

  KernelRunner m("RandomStandardNormal");
  SeededOp(m, DataType::kDouble, 1, 2).Input(Make<int32_t>({2, 1, 3}, {3}));
  out = m.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).shape().DebugString(), "[2,1,3]");
}

TEST(RandomOpsTest, EmptyOutputs) {
  for (const char* op : {"RandomUniform", "RandomStandardNormal", "TruncatedNormal"}) {
    KernelRunner r(op);
    SeededOp(r, DataType::kHalf, 1, 2).Input(Make<int32_t>({4, 0}, {2}));
    auto out = r.Run();
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ(out->at(0).shape().DebugString(), "[4,0]");
  }
}

TEST(RandomOpsTest, ShapeErrorsUseTensorFlowsMessages) {
  // Messages as TF 2.15.1 reports them for a fed shape.
  auto error = [](Tensor shape, DataType index_type) {
    KernelRunner r("RandomUniform");
    r.Attr("dtype", DataType::kFloat).Attr("T", index_type).Attr("seed", 1).Attr("seed2", 2);
    r.Input(std::move(shape));
    auto out = r.Run();
    return out.ok() ? std::string("ok") : out.status().message();
  };
  EXPECT_EQ(error(Make<int32_t>({2}, {1, 1}), DataType::kInt32),
            "shape must be a vector of {int32,int64}, got shape [1,1]");
  EXPECT_EQ(error(Tensor::Scalar<int32_t>(2), DataType::kInt32),
            "shape must be a vector of {int32,int64}, got shape []");
  EXPECT_EQ(error(Make<int32_t>({-1}, {1}), DataType::kInt32), "Dimension -1 must be >= 0");
  EXPECT_EQ(error(Make<int32_t>({-3, 2}, {2}), DataType::kInt32), "Dimension -3 must be >= 0");
  EXPECT_EQ(error(Make<int64_t>({int64_t{1} << 40, int64_t{1} << 40}, {2}), DataType::kInt64),
            "Shape [1099511627776,1099511627776] would have more than 2**63 - 1 elements");
}

TEST(RandomOpsTest, FailedRunsDoNotAdvanceTheGenerator) {
  // A run that fails before drawing leaves the node's stream where it was.
  KernelRunner bad("RandomUniform");
  SeededOp(bad, DataType::kFloat, 1, 2).Input(Make<int32_t>({-1}, {1}));
  EXPECT_FALSE(bad.Run().ok());
  KernelRunner good("RandomUniform");
  SeededOp(good, DataType::kFloat, 1, 2).Input(Make<int32_t>({1}, {1}));
  auto out = good.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).flat<float>()[0], 0.406396746635437f);
}

TEST(RandomOpsTest, ZeroSeedsDrawFreshRandomSeeds) {
  // seed == seed2 == 0: each node gets its own random seeds.
  KernelRunner a("RandomUniform"), b("RandomUniform");
  SeededOp(a, DataType::kFloat, 0, 0).Input(Make<int32_t>({64}, {1}));
  SeededOp(b, DataType::kFloat, 0, 0).Input(Make<int32_t>({64}, {1}));
  auto x = a.Run();
  auto y = b.Run();
  ASSERT_TRUE(x.ok() && y.ok());
  int same = 0;
  for (int i = 0; i < 64; ++i) {
    const float v = x->at(0).flat<float>()[i];
    EXPECT_GE(v, 0.0f);
    EXPECT_LT(v, 1.0f);
    same += v == y->at(0).flat<float>()[i];
  }
  EXPECT_LT(same, 8);
}

TEST(RandomOpsTest, RejectsUnsupportedDtypes) {
  KernelRunner r("RandomUniform");
  SeededOp(r, DataType::kInt32, 1, 2).Input(Make<int32_t>({2}, {1}));
  EXPECT_FALSE(r.Run().ok());
}

}  // namespace
}  // namespace tf1hub
