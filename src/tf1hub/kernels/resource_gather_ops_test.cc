// Tests of resource_gather_ops.cc (ResourceGather). Values by hand, or
// marked "TF 2.15.1" (TensorFlow 2.15.1 in the oracle venv, same inputs).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tf1hub/kernels/sparse_test_util.h"

namespace tf1hub {
namespace {

using namespace sparse_test;  // NOLINT(build/namespaces)
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::shared_ptr<const ResourceHandle> Handle(const std::string& name, DataType dtype) {
  auto h = std::make_shared<ResourceHandle>();
  h->container = "localhost";
  h->name = name;
  h->dtype = dtype;
  return h;
}

// Stores `value` as resource variable "v" in `rm`.
void SetVar(ResourceMgr* rm, const Tensor& value) {
  std::shared_ptr<Var> v =
      rm->LookupOrCreateVar("", "v", value.dtype(), PartialTensorShape()).value();
  std::lock_guard<std::mutex> l(v->mu());
  *v->mutable_tensor() = value;
  v->set_initialized();
}

StatusOr<Tensor> Gather(ResourceMgr* rm, const Tensor& indices, DataType dtype,
                        int64_t batch_dims = 0, const std::string& name = "v") {
  KernelRunner r("ResourceGather");
  r.WithResourceMgr(rm).Attr("dtype", dtype).Attr("Tindices", indices.dtype());
  r.Attr("batch_dims", batch_dims).ResourceInput(Handle(name, dtype)).Input(indices);
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out[0];
}

TEST(ResourceGatherTest, Rows) {
  ResourceMgr rm;
  SetVar(&rm, Iota<float>({3, 2}));
  Tensor a = Gather(&rm, Vec<int64_t>({2, 0}), DataType::kFloat).value();
  EXPECT_EQ(a.shape().DebugString(), "[2,2]");
  EXPECT_THAT(Values<float>(a), ElementsAre(4, 5, 0, 1));
  Tensor b = Gather(&rm, Make<int32_t>({2, 0, 1, 1}, {2, 2}), DataType::kFloat).value();
  EXPECT_EQ(b.shape().DebugString(), "[2,2,2]");
  EXPECT_THAT(Values<float>(b), ElementsAre(4, 5, 0, 1, 2, 3, 2, 3));
  Tensor c = Gather(&rm, Scalar<int64_t>(1), DataType::kFloat).value();
  EXPECT_EQ(c.shape().DebugString(), "[2]");
  EXPECT_THAT(Values<float>(c), ElementsAre(2, 3));
  Tensor d = Gather(&rm, Vec<int32_t>({}), DataType::kFloat).value();
  EXPECT_EQ(d.shape().DebugString(), "[0,2]");
}

TEST(ResourceGatherTest, OtherDtypes) {
  ResourceMgr rm;
  SetVar(&rm, Vec<std::string>({"a", "b"}));
  EXPECT_THAT(Values<std::string>(Gather(&rm, Vec<int32_t>({1, 1}), DataType::kString).value()),
              ElementsAre("b", "b"));
  ResourceMgr rm2;
  SetVar(&rm2, HalfTensor({1, 2, 3}, {3, 1}));
  EXPECT_THAT(FloatsOf(Gather(&rm2, Vec<int32_t>({2}), DataType::kHalf).value()), ElementsAre(3.f));
}

TEST(ResourceGatherTest, BatchDims) {
  // TF 2.15.1.
  ResourceMgr rm;
  SetVar(&rm, Iota<float>({3, 2, 2}));
  Tensor a = Gather(&rm, Make<int64_t>({1, 0, 0, 0, 1, 1}, {3, 2}), DataType::kFloat, 1).value();
  EXPECT_EQ(a.shape().DebugString(), "[3,2,2]");
  EXPECT_THAT(Values<float>(a), ElementsAre(2, 3, 0, 1, 4, 5, 4, 5, 10, 11, 10, 11));
  // TensorFlow only checks the flattened position: index 2 of batch 0 reads
  // batch 1's row 0 (TF 2.15.1 does the same).
  Tensor b = Gather(&rm, Make<int64_t>({2, 0, 0, 0, 1, 1}, {3, 2}), DataType::kFloat, 1).value();
  EXPECT_THAT(Values<float>(b), ElementsAre(4, 5, 0, 1, 4, 5, 4, 5, 10, 11, 10, 11));
  EXPECT_EQ(Gather(&rm, Make<int64_t>({1, 0, 0, 0, 2, 1}, {3, 2}), DataType::kFloat, 1)
                .status()
                .message(),
            "indices[2,0] = 6 is not in [0, 3)");
}

TEST(ResourceGatherTest, Errors) {
  ResourceMgr rm;
  // TF 2.15.1.
  EXPECT_EQ(Gather(&rm, Vec<int64_t>({1}), DataType::kFloat).status().message(),
            "Container localhost does not exist. (Could not find resource: localhost/v)");
  SetVar(&rm, Iota<float>({3, 2}));
  EXPECT_EQ(Gather(&rm, Vec<int64_t>({3, 0}), DataType::kFloat).status().message(),
            "indices[0] = 3 is not in [0, 3)");
  EXPECT_EQ(Gather(&rm, Make<int64_t>({0, 3}, {1, 2}), DataType::kFloat).status().message(),
            "indices[0,1] = 3 is not in [0, 3)");
  EXPECT_EQ(Gather(&rm, Vec<int32_t>({0, -1}), DataType::kFloat).status().message(),
            "indices[1] = -1 is not in [0, 3)");
  EXPECT_THAT(
      std::string(Gather(&rm, Vec<int32_t>({0}), DataType::kFloat, 0, "w").status().message()),
      HasSubstr("localhost/w"));
  // TensorFlow 2.15 aborts on these; we return errors.
  EXPECT_EQ(Gather(&rm, Vec<int32_t>({0}), DataType::kDouble).status().message(),
            "Trying to read variable with wrong dtype. Expected double got float");
  EXPECT_EQ(Gather(&rm, Make<int64_t>({0, 0}, {1, 2}), DataType::kFloat, 2).status().message(),
            "batch_dims (2) must be less than rank(params) (2).");
  EXPECT_EQ(Gather(&rm, Make<int64_t>({0, 0}, {2, 1}), DataType::kFloat, 1).status().message(),
            "params.shape[0]: 3 should be equal to indices.shape[0]: 2");
  EXPECT_EQ(Gather(&rm, Vec<int64_t>({0}), DataType::kFloat, -1).status().message(),
            "batch_dims is negative (-1)");
  ResourceMgr scalar;
  SetVar(&scalar, Scalar<float>(3));
  EXPECT_EQ(Gather(&scalar, Vec<int64_t>({1}), DataType::kFloat).status().message(),
            "params must be at least 1 dimensional");
  ResourceMgr empty;
  SetVar(&empty, Make<float>({}, {0, 2}));
  EXPECT_EQ(Gather(&empty, Vec<int32_t>({0}), DataType::kFloat).status().message(),
            "indices[0] = 0 is not in [0, 0)");
  ResourceMgr no_cols;
  SetVar(&no_cols, Make<float>({}, {3, 0}));
  EXPECT_EQ(Gather(&no_cols, Vec<int64_t>({5}), DataType::kFloat).status().message(),
            "indices[0] = 5 is not in [0, 3)");
  ResourceMgr no_batch;
  SetVar(&no_batch, Make<float>({}, {0, 3, 2}));
  EXPECT_EQ(Gather(&no_batch, Make<int64_t>({}, {0, 1}), DataType::kFloat, 1)
                .value()
                .shape()
                .DebugString(),
            "[0,1,2]");
}

}  // namespace
}  // namespace tf1hub
