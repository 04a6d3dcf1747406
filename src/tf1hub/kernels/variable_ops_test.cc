#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/kernels/kernel_test_util.h"
#include "tf1hub/kernels/resource_mgr.h"

namespace tf1hub {
namespace {

using ::testing::HasSubstr;

Tensor Floats(std::vector<float> v) {
  return *Tensor::FromVector<float>(v, *TensorShape::Create({static_cast<int64_t>(v.size())}));
}

std::shared_ptr<const ResourceHandle> Handle(ResourceMgr* rm, DataType dtype) {
  KernelRunner r("VarHandleOp", "v");
  r.WithResourceMgr(rm)
      .Attr("dtype", dtype)
      .Attr("shape", PartialTensorShape())
      .Attr("shared_name", "v");
  EXPECT_TRUE(r.Run().ok());
  return r.resource_output(0);
}

TEST(VariableOpsTest, VarHandleOpDescribesTheVariable) {
  ResourceMgr rm;
  auto h = Handle(&rm, DataType::kFloat);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->container, "localhost");
  EXPECT_EQ(h->name, "v");
  EXPECT_EQ(h->dtype, DataType::kFloat);
}

TEST(VariableOpsTest, ResourceAssignReadUpdate) {
  ResourceMgr rm;
  auto h = Handle(&rm, DataType::kInt32);
  KernelRunner assign("AssignVariableOp");
  assign.WithResourceMgr(&rm).Attr("dtype", DataType::kInt32).ResourceInput(h).Input(
      *Tensor::FromVector<int32_t>({1, 2}, *TensorShape::Create({2})));
  ASSERT_TRUE(assign.Run().ok());
  KernelRunner add("AssignAddVariableOp");
  add.WithResourceMgr(&rm).Attr("dtype", DataType::kInt32).ResourceInput(h).Input(
      *Tensor::FromVector<int32_t>({10, 20}, *TensorShape::Create({2})));
  ASSERT_TRUE(add.Run().ok());
  ASSERT_TRUE(add.Run().ok());
  KernelRunner sub("AssignSubVariableOp");
  sub.WithResourceMgr(&rm).Attr("dtype", DataType::kInt32).ResourceInput(h).Input(
      *Tensor::FromVector<int32_t>({1, 1}, *TensorShape::Create({2})));
  ASSERT_TRUE(sub.Run().ok());
  KernelRunner read("ReadVariableOp");
  read.WithResourceMgr(&rm).Attr("dtype", DataType::kInt32).ResourceInput(h);
  StatusOr<std::vector<Tensor>> out = read.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].flat<int32_t>()[0], 1 + 20 - 1);
  EXPECT_EQ((*out)[0].flat<int32_t>()[1], 2 + 40 - 1);
  KernelRunner is_init("VarIsInitializedOp");
  is_init.WithResourceMgr(&rm).ResourceInput(h);
  EXPECT_TRUE((*is_init.Run())[0].scalar<bool>());
}

TEST(VariableOpsTest, HalfUpdatesUseHalfArithmetic) {
  ResourceMgr rm;
  auto h = Handle(&rm, DataType::kHalf);
  // IEEE binary16: 1.0 = 0x3C00, 2.0 = 0x4000, 3.0 = 0x4200.
  Tensor one = Tensor::Scalar<Half>(Half{0x3C00});
  Tensor two = Tensor::Scalar<Half>(Half{0x4000});
  KernelRunner assign("AssignVariableOp");
  assign.WithResourceMgr(&rm).Attr("dtype", DataType::kHalf).ResourceInput(h).Input(one);
  ASSERT_TRUE(assign.Run().ok());
  KernelRunner add("AssignAddVariableOp");
  add.WithResourceMgr(&rm).Attr("dtype", DataType::kHalf).ResourceInput(h).Input(two);
  ASSERT_TRUE(add.Run().ok());
  EXPECT_EQ((*rm.LookupVar("", "v"))->Snapshot()->scalar<Half>().bits, 0x4200);
}

TEST(VariableOpsTest, AssignDoesNotChangeEarlierReads) {
  ResourceMgr rm;
  auto h = Handle(&rm, DataType::kFloat);
  KernelRunner assign("AssignVariableOp");
  assign.WithResourceMgr(&rm).Attr("dtype", DataType::kFloat).ResourceInput(h).Input(Floats({1}));
  ASSERT_TRUE(assign.Run().ok());
  KernelRunner read("ReadVariableOp");
  read.WithResourceMgr(&rm).Attr("dtype", DataType::kFloat).ResourceInput(h);
  Tensor before = (*read.Run())[0];
  KernelRunner add("AssignAddVariableOp");
  add.WithResourceMgr(&rm).Attr("dtype", DataType::kFloat).ResourceInput(h).Input(Floats({1}));
  ASSERT_TRUE(add.Run().ok());
  EXPECT_EQ(before.flat<float>()[0], 1.0f);
  EXPECT_EQ((*read.Run())[0].flat<float>()[0], 2.0f);
}

TEST(VariableOpsTest, AssignVariableWrongDtype) {
  ResourceMgr rm;
  auto h = Handle(&rm, DataType::kFloat);
  KernelRunner assign("AssignVariableOp");
  assign.WithResourceMgr(&rm).Attr("dtype", DataType::kFloat).ResourceInput(h).Input(Floats({1}));
  ASSERT_TRUE(assign.Run().ok());
  KernelRunner bad("AssignVariableOp");
  bad.WithResourceMgr(&rm).Attr("dtype", DataType::kInt32).ResourceInput(h).Input(
      Tensor::Scalar<int32_t>(1));
  Status s = bad.Run().status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Trying to assign variable with wrong dtype. Expected float got int32");
  KernelRunner bad_add("AssignAddVariableOp");
  bad_add.WithResourceMgr(&rm).Attr("dtype", DataType::kInt32).ResourceInput(h).Input(
      Tensor::Scalar<int32_t>(1));
  EXPECT_EQ(bad_add.Run().status().message(), "DType of variable handle and value does not match.");
}

TEST(VariableOpsTest, RefVariableAssignAndUpdate) {
  KernelRunner var("VariableV2", "w");
  var.Attr("dtype", DataType::kFloat).Attr("shape", *PartialTensorShape::Create(std::vector<int64_t>{2}));
  ASSERT_TRUE(var.Run().ok());
  std::shared_ptr<Var> w = var.raw_outputs()[0].ref;
  ASSERT_NE(w, nullptr);
  EXPECT_FALSE(w->Snapshot().has_value());
  // The kernel keeps returning the same storage.
  ASSERT_TRUE(var.Run().ok());
  EXPECT_EQ(var.raw_outputs()[0].ref, w);

  KernelRunner assign("Assign");
  assign.Attr("T", DataType::kFloat).RefInput(w).Input(Floats({1, 2}));
  StatusOr<std::vector<Tensor>> out = assign.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].flat<float>()[1], 2.0f);

  KernelRunner add("AssignAdd");
  add.Attr("T", DataType::kFloat).RefInput(w).Input(Floats({0.5f, 0.25f}));
  out = add.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].flat<float>()[0], 1.5f);
  EXPECT_EQ((*out)[0].flat<float>()[1], 2.25f);
  KernelRunner sub("AssignSub");
  sub.Attr("T", DataType::kFloat).RefInput(w).Input(Floats({1.5f, 2.25f}));
  out = sub.Run();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].flat<float>()[0], 0.0f);

  KernelRunner bad("AssignAdd");
  bad.Attr("T", DataType::kFloat).RefInput(w).Input(Floats({1}));
  EXPECT_EQ(bad.Run().status().message(), "Parameters and update must be the same size");
}

TEST(VariableOpsTest, AssignValidatesShape) {
  // Unknown-rank declarations validate against a scalar shape (TF 2.15).
  KernelRunner var("VariableV2", "w");
  var.Attr("dtype", DataType::kFloat).Attr("shape", PartialTensorShape());
  ASSERT_TRUE(var.Run().ok());
  std::shared_ptr<Var> w = var.raw_outputs()[0].ref;
  KernelRunner assign("Assign");
  assign.Attr("T", DataType::kFloat).RefInput(w).Input(Floats({1, 2, 3}));
  EXPECT_EQ(assign.Run().status().message(),
            "Assign requires shapes of both tensors to match. lhs shape= [] rhs shape= [3]");
  KernelRunner loose("Assign");
  loose.Attr("T", DataType::kFloat).Attr("validate_shape", false).RefInput(w).Input(Floats({1, 2, 3}));
  ASSERT_TRUE(loose.Run().ok());
  EXPECT_EQ(w->Snapshot()->NumElements(), 3);
}

TEST(VariableOpsTest, PartiallyKnownVariableShapeIsAnError) {
  KernelRunner var("VariableV2", "w");
  var.Attr("dtype", DataType::kFloat).Attr("shape", *PartialTensorShape::Create(std::vector<int64_t>{-1}));
  Status s = var.Run().status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Shape [?] is not fully defined");
}

}  // namespace
}  // namespace tf1hub
