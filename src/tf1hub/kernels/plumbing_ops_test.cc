#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/kernels/kernel_test_util.h"

namespace tf1hub {
namespace {

Tensor Floats(std::vector<float> v, std::initializer_list<int64_t> dims) {
  return *Tensor::FromVector<float>(v, *TensorShape::Create(dims));
}

TEST(PlumbingOpsTest, ConstSharesOneDecodedTensor) {
  KernelRunner r("Const");
  r.Attr("dtype", DataType::kFloat).Attr("value", Floats({1, 2, 3, 4}, {2, 2}));
  StatusOr<std::vector<Tensor>> a = r.Run();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ((*a)[0].shape().DebugString(), "[2,2]");
  EXPECT_EQ((*a)[0].flat<float>()[3], 4.0f);
  StatusOr<std::vector<Tensor>> b = r.Run();
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE((*a)[0].SharesBufferWith((*b)[0]));
}

TEST(PlumbingOpsTest, ConstDtypeMismatch) {
  KernelRunner r("Const");
  r.Attr("dtype", DataType::kInt32).Attr("value", Floats({1}, {1}));
  Status s = r.Run().status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Type mismatch between value (float) and dtype (int32)");
}

TEST(PlumbingOpsTest, PlaceholderAlwaysAsksForAFeed) {
  KernelRunner r("Placeholder", "x");
  r.Attr("dtype", DataType::kFloat).Attr("shape", *PartialTensorShape::Create(std::vector<int64_t>{-1, 50}));
  Status s = r.Run().status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "You must feed a value for placeholder tensor 'x' with dtype float and shape [?,50]");
}

TEST(PlumbingOpsTest, IdentityFamilySharesBuffers) {
  const Tensor in = Floats({1, 2}, {2});
  for (const char* op : {"Identity", "StopGradient", "Snapshot"}) {
    KernelRunner r(op);
    r.Attr("T", DataType::kFloat).Input(in);
    StatusOr<std::vector<Tensor>> out = r.Run();
    ASSERT_TRUE(out.ok()) << op << ": " << out.status().ToString();
    EXPECT_TRUE((*out)[0].SharesBufferWith(in)) << op;
  }
  KernelRunner d("PlaceholderWithDefault");
  d.Attr("dtype", DataType::kFloat).Attr("shape", *PartialTensorShape::Create(std::vector<int64_t>{2})).Input(in);
  StatusOr<std::vector<Tensor>> out = d.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].flat<float>()[1], 2.0f);
}

TEST(PlumbingOpsTest, IdentityN) {
  KernelRunner r("IdentityN");
  r.Attr("T", std::vector<DataType>{DataType::kFloat, DataType::kInt32})
      .Input(Floats({1}, {1}))
      .Input(Tensor::Scalar<int32_t>(9));
  StatusOr<std::vector<Tensor>> out = r.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].flat<float>()[0], 1.0f);
  EXPECT_EQ((*out)[1].scalar<int32_t>(), 9);
}

TEST(PlumbingOpsTest, NoOp) {
  KernelRunner r("NoOp");
  StatusOr<std::vector<Tensor>> out = r.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->empty());
}

}  // namespace
}  // namespace tf1hub
