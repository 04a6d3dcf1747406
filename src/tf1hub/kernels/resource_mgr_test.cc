#include "tf1hub/kernels/resource_mgr.h"

#include <gtest/gtest.h>

namespace tf1hub {
namespace {

TEST(ResourceMgrTest, VariablesByContainerAndName) {
  ResourceMgr rm;
  auto a = rm.LookupOrCreateVar("", "w", DataType::kFloat, PartialTensorShape());
  ASSERT_TRUE(a.ok());
  auto b = rm.LookupOrCreateVar("localhost", "w", DataType::kInt32, PartialTensorShape());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->get(), b->get());  // "" is "localhost"; the dtype is the creator's
  EXPECT_EQ((*b)->dtype(), DataType::kFloat);
  auto c = rm.LookupOrCreateVar("other", "w", DataType::kFloat, PartialTensorShape());
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->get(), c->get());
  EXPECT_EQ(rm.LookupVar("", "w")->get(), a->get());
}

TEST(ResourceMgrTest, MissingMessagesMatchTensorFlow) {
  ResourceMgr rm;
  Status s = rm.LookupVar("", "w").status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "Container localhost does not exist. (Could not find resource: localhost/w)");
  ASSERT_TRUE(rm.LookupOrCreateVar("", "v", DataType::kFloat, PartialTensorShape()).ok());
  s = rm.LookupVar("", "w").status();
  EXPECT_EQ(s.message(), "Resource localhost/w/N10tensorflow3VarE does not exist.");
}

TEST(ResourceMgrTest, CleanupDropsAContainer) {
  ResourceMgr rm;
  ASSERT_TRUE(rm.LookupOrCreateVar("a", "w", DataType::kFloat, PartialTensorShape()).ok());
  ASSERT_TRUE(rm.LookupOrCreateVar("b", "w", DataType::kFloat, PartialTensorShape()).ok());
  rm.Cleanup("a");
  EXPECT_FALSE(rm.LookupVar("a", "w").ok());
  EXPECT_TRUE(rm.LookupVar("b", "w").ok());
}

struct Table : ResourceBase {
  int value = 0;
  std::string DebugString() const override { return "Table"; }
};

TEST(ResourceMgrTest, GenericResources) {
  ResourceMgr rm;
  int created = 0;
  auto make = [&]() -> StatusOr<std::shared_ptr<Table>> {
    ++created;
    auto t = std::make_shared<Table>();
    t->value = 42;
    return t;
  };
  auto t1 = rm.LookupOrCreate<Table>("", "t", make);
  auto t2 = rm.LookupOrCreate<Table>("", "t", make);
  ASSERT_TRUE(t1.ok() && t2.ok());
  EXPECT_EQ(t1->get(), t2->get());
  EXPECT_EQ(created, 1);
  EXPECT_EQ((*rm.Lookup<Table>("", "t"))->value, 42);
  // A variable of the same name is a different resource.
  EXPECT_FALSE(rm.LookupVar("", "t").ok());
  auto fail = rm.LookupOrCreate<Table>("", "bad", []() -> StatusOr<std::shared_ptr<Table>> {
    return InvalidArgumentError("nope");
  });
  EXPECT_EQ(fail.status().message(), "nope");
  EXPECT_FALSE(rm.Lookup<Table>("", "bad").ok());
}

TEST(VarTest, CopyOnWrite) {
  Var v(DataType::kFloat, PartialTensorShape());
  EXPECT_FALSE(v.Snapshot().has_value());
  {
    std::lock_guard<std::mutex> l(v.mu());
    *v.mutable_tensor() = *Tensor::FromVector<float>({1, 2}, *TensorShape::Create({2}));
    v.set_initialized();
    EXPECT_TRUE(v.CanUpdateInPlace());
  }
  Tensor snap = *v.Snapshot();
  {
    std::lock_guard<std::mutex> l(v.mu());
    EXPECT_FALSE(v.CanUpdateInPlace());
    ASSERT_TRUE(v.PrepareForInPlaceUpdate().ok());
    EXPECT_TRUE(v.CanUpdateInPlace());
    v.mutable_tensor()->mutable_flat<float>()[0] = 5;
  }
  EXPECT_EQ(snap.flat<float>()[0], 1.0f);
  EXPECT_EQ(v.Snapshot()->flat<float>()[0], 5.0f);
}

}  // namespace
}  // namespace tf1hub
