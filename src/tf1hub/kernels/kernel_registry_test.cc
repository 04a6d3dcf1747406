#include "tf1hub/kernels/kernel_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/graph/attr_util.h"

namespace tf1hub {
namespace {

using ::testing::HasSubstr;

template <int kTag>
class TaggedKernel : public OpKernel {
 public:
  explicit TaggedKernel(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext*) override { return Status::OK(); }
  static constexpr int tag = kTag;
};

tensorflow::NodeDef Node(const std::string& op, tensorflow::DataType t) {
  tensorflow::NodeDef def;
  def.set_name("n");
  def.set_op(op);
  (*def.mutable_attr())["T"] = AttrType(t);
  return def;
}

TEST(KernelRegistryTest, FindsByTypeConstraint) {
  KernelRegistry r;
  r.Register("Op", {{"T", {DataType::kFloat, DataType::kDouble}}},
             MakeKernelFactory<TaggedKernel<1>>());
  r.Register("Op", {{"T", {DataType::kInt32}}}, MakeKernelFactory<TaggedKernel<2>>());
  ASSERT_TRUE(r.status().ok()) << r.status().ToString();
  StatusOr<const KernelFactory*> f1 = r.Find(Node("Op", tensorflow::DT_DOUBLE));
  StatusOr<const KernelFactory*> f2 = r.Find(Node("Op", tensorflow::DT_INT32));
  ASSERT_TRUE(f1.ok());
  ASSERT_TRUE(f2.ok());
  EXPECT_NE(*f1, *f2);
  EXPECT_TRUE(r.HasKernelsFor("Op"));
  EXPECT_FALSE(r.HasKernelsFor("Other"));
}

TEST(KernelRegistryTest, NoMatchNamesOpNodeAndDtype) {
  KernelRegistry r;
  r.Register("Op", {{"T", {DataType::kFloat}}}, MakeKernelFactory<TaggedKernel<1>>());
  StatusOr<const KernelFactory*> f = r.Find(Node("Op", tensorflow::DT_STRING));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(f.status().message(),
              HasSubstr("No registered 'Op' OpKernel for 'CPU' devices compatible with node "
                        "{{node n}}"));
  EXPECT_THAT(f.status().message(), HasSubstr("Requested Attributes: T=DT_STRING"));
  EXPECT_THAT(f.status().message(), HasSubstr("device='CPU'; T in [DT_FLOAT]"));

  StatusOr<const KernelFactory*> none = r.Find(Node("Nope", tensorflow::DT_FLOAT));
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.status().message(),
              HasSubstr("No OpKernel was registered to support Op 'Nope' used by {{node n}}"));
}

TEST(KernelRegistryTest, ListTypeAttrsMatchEveryElement) {
  KernelRegistry r;
  r.Register("Op", {{"T", {DataType::kFloat, DataType::kInt32}}},
             MakeKernelFactory<TaggedKernel<1>>());
  tensorflow::NodeDef def;
  def.set_name("n");
  def.set_op("Op");
  std::vector<tensorflow::DataType> ok = {tensorflow::DT_FLOAT, tensorflow::DT_INT32};
  (*def.mutable_attr())["T"] = AttrTypeList(ok);
  EXPECT_TRUE(r.Find(def).ok());
  std::vector<tensorflow::DataType> bad = {tensorflow::DT_FLOAT, tensorflow::DT_STRING};
  (*def.mutable_attr())["T"] = AttrTypeList(bad);
  EXPECT_FALSE(r.Find(def).ok());
}

TEST(KernelRegistryTest, OverlapsAreErrors) {
  {
    KernelRegistry r;
    r.Register("Op", {{"T", {DataType::kFloat, DataType::kDouble}}},
               MakeKernelFactory<TaggedKernel<1>>());
    r.Register("Op", {{"T", {DataType::kDouble}}}, MakeKernelFactory<TaggedKernel<2>>());
    EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
    EXPECT_THAT(r.status().message(), HasSubstr("'Op'"));
  }
  {
    KernelRegistry r;  // an unconstrained registration overlaps everything
    r.Register("Op", {}, MakeKernelFactory<TaggedKernel<1>>());
    r.Register("Op", {{"T", {DataType::kDouble}}}, MakeKernelFactory<TaggedKernel<2>>());
    EXPECT_FALSE(r.status().ok());
  }
  {
    KernelRegistry r;  // different attrs could match one node
    r.Register("Op", {{"T", {DataType::kFloat}}}, MakeKernelFactory<TaggedKernel<1>>());
    r.Register("Op", {{"Tidx", {DataType::kInt32}}}, MakeKernelFactory<TaggedKernel<2>>());
    EXPECT_FALSE(r.status().ok());
  }
  {
    KernelRegistry r;
    r.Register("Op", {{"T", {}}}, MakeKernelFactory<TaggedKernel<1>>());
    EXPECT_FALSE(r.status().ok());
  }
}

TEST(KernelRegistryTest, GlobalRegistryIsConsistent) {
  const KernelRegistry& r = KernelRegistry::Global();
  EXPECT_TRUE(r.status().ok()) << r.status().ToString();
  EXPECT_TRUE(r.HasKernelsFor("Const"));
  EXPECT_TRUE(r.HasKernelsFor("VariableV2"));
  std::vector<std::string> lines = r.DebugStrings();
  EXPECT_THAT(lines, ::testing::Contains("AssignAdd: T in [float]"));
  EXPECT_THAT(lines, ::testing::Contains("Identity: any"));
}

}  // namespace
}  // namespace tf1hub
