#include "tf1hub/kernels/kernel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/tensor_proto.h"
#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/resource_mgr.h"
#include "tf1hub/kernels/thread_pool.h"

namespace tf1hub {
namespace {

using ::testing::HasSubstr;

class NullKernel : public OpKernel {
 public:
  explicit NullKernel(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext*) override { return Status::OK(); }
};

// A hand-made node "n" with one float input and one float output.
struct Fixture {
  Fixture() {
    def.set_name("n");
    def.set_op("Test");
    def.add_input("x:0");
    def.add_input("^ctl");
    construction = std::make_unique<KernelConstruction>(
        def, op_def, std::vector<DataType>{DataType::kFloat}, std::vector<bool>{false},
        std::vector<DataType>{DataType::kFloat}, std::vector<bool>{false});
    kernel = std::make_unique<NullKernel>(*construction);
  }
  OpKernelContext Context() {
    OpKernelContext::Params p;
    p.kernel = kernel.get();
    p.inputs = inputs;
    p.outputs = outputs;
    return OpKernelContext(p);
  }
  tensorflow::NodeDef def;
  tensorflow::OpDef op_def;
  std::unique_ptr<KernelConstruction> construction;
  std::unique_ptr<OpKernel> kernel;
  std::vector<TensorValue> inputs = std::vector<TensorValue>(1);
  std::vector<TensorValue> outputs = std::vector<TensorValue>(1);
};

Tensor Floats(std::vector<float> v) {
  return *Tensor::FromVector<float>(v, *TensorShape::Create({static_cast<int64_t>(v.size())}));
}

TEST(OpKernelTest, RecordsNodeFacts) {
  Fixture f;
  EXPECT_EQ(f.kernel->name(), "n");
  EXPECT_EQ(f.kernel->type_string(), "Test");
  EXPECT_EQ(f.kernel->num_inputs(), 1);
  EXPECT_EQ(f.kernel->requested_input(0), "x:0");  // control inputs excluded
}

TEST(OpKernelContextTest, ForwardsOnlyExclusiveBuffers) {
  Fixture f;
  f.inputs[0].tensor = Floats({1, 2, 3});
  const void* data = f.inputs[0].tensor.raw_data();
  {
    OpKernelContext ctx = f.Context();
    StatusOr<Tensor*> out = ctx.forward_input_or_allocate_output(0, 0, *TensorShape::Create({3}));
    ASSERT_TRUE(out.ok());
    EXPECT_EQ((*out)->raw_data(), data);  // reused in place
  }
  // Someone else holds the buffer: a fresh one.
  f.outputs[0] = TensorValue();
  Tensor other = f.inputs[0].tensor;
  {
    OpKernelContext ctx = f.Context();
    StatusOr<Tensor*> out = ctx.forward_input_or_allocate_output(0, 0, *TensorShape::Create({3}));
    ASSERT_TRUE(out.ok());
    EXPECT_NE((*out)->raw_data(), data);
    EXPECT_EQ((*out)->dtype(), DataType::kFloat);
  }
  // Element count differs: a fresh one with the requested shape.
  f.outputs[0] = TensorValue();
  other = Tensor();
  {
    OpKernelContext ctx = f.Context();
    StatusOr<Tensor*> out = ctx.forward_input_or_allocate_output(0, 0, *TensorShape::Create({2, 2}));
    ASSERT_TRUE(out.ok());
    EXPECT_NE((*out)->raw_data(), data);
    EXPECT_EQ((*out)->shape().DebugString(), "[2,2]");
  }
}

TEST(OpKernelContextTest, NeverForwardsViews) {
  Fixture f;
  std::vector<float> storage = {1, 2};
  f.inputs[0].tensor = *Tensor::CreateView(DataType::kFloat, *TensorShape::Create({2}),
                                           storage.data(), 8, nullptr);
  OpKernelContext ctx = f.Context();
  StatusOr<Tensor*> out = ctx.forward_input_or_allocate_output(0, 0, *TensorShape::Create({2}));
  ASSERT_TRUE(out.ok());
  EXPECT_NE((*out)->raw_data(), storage.data());
}

TEST(OpKernelContextTest, ValidateOutputs) {
  Fixture f;
  {
    OpKernelContext ctx = f.Context();
    Status s = ctx.ValidateOutputs();
    EXPECT_EQ(s.code(), StatusCode::kInternal);
    EXPECT_THAT(s.message(), HasSubstr("did not set output 0"));
  }
  {
    OpKernelContext ctx = f.Context();
    ctx.set_output(0, Tensor::Scalar<int32_t>(1));
    Status s = ctx.ValidateOutputs();
    EXPECT_EQ(s.code(), StatusCode::kInternal);
    EXPECT_THAT(s.message(), HasSubstr("int32 tensor, but the output is float"));
  }
  {
    OpKernelContext ctx = f.Context();
    ASSERT_TRUE(ctx.allocate_output(0, *TensorShape::Create({4})).ok());
    EXPECT_TRUE(ctx.ValidateOutputs().ok());
    EXPECT_EQ(f.outputs[0].tensor.NumElements(), 4);
  }
}

TEST(OpKernelContextTest, EigenDeviceAndParallelFor) {
  Fixture f;
  IntraOpThreadPool pool(2);
  OpKernelContext::Params p;
  p.kernel = f.kernel.get();
  p.thread_pool = &pool;
  OpKernelContext ctx(p);
  EXPECT_EQ(ctx.num_threads(), 2);
  std::vector<int> hits(10000, 0);
  ctx.ParallelFor(10000, 1000, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) ++hits[i];
  });
  for (int h : hits) ASSERT_EQ(h, 1);
  Tensor a = Floats({1, 2, 3, 4});
  Tensor out = Floats({0, 0, 0, 0});
  FlatMap<float>(out).device(ctx.eigen_device()) = FlatMap<float>(a) * 2.0f;
  EXPECT_EQ(out.flat<float>()[3], 8.0f);
}

TEST(KernelConstructionTest, GetAttr) {
  tensorflow::NodeDef def;
  def.set_name("n");
  auto& attrs = *def.mutable_attr();
  attrs["i"] = AttrInt(7);
  attrs["big"] = AttrInt(int64_t{1} << 40);
  attrs["f"] = AttrFloat(1.5f);
  attrs["b"] = AttrBool(true);
  attrs["s"] = AttrString("hi");
  attrs["t"] = AttrType(tensorflow::DT_INT64);
  attrs["shape"] = AttrShape(*PartialTensorShape::Create(std::vector<int64_t>{-1, 3}));
  attrs["full"] = AttrShape(*PartialTensorShape::Create(std::vector<int64_t>{2, 3}));
  std::vector<int64_t> ints = {1, 2};
  attrs["li"] = AttrIntList(ints);
  std::vector<tensorflow::DataType> types = {tensorflow::DT_FLOAT, tensorflow::DT_BOOL};
  attrs["lt"] = AttrTypeList(types);
  *attrs["tensor"].mutable_tensor() = *TensorToProto(Floats({4, 5}));
  tensorflow::OpDef op_def;
  KernelConstruction c(def, op_def, {}, {}, {}, {});

  int64_t i64 = 0;
  int32_t i32 = 0;
  float f = 0;
  bool b = false;
  std::string s;
  DataType t = DataType::kInvalid;
  PartialTensorShape ps;
  TensorShape ts;
  std::vector<int64_t> li;
  std::vector<int32_t> li32;
  std::vector<DataType> lt;
  Tensor tensor;
  ASSERT_TRUE(c.GetAttr("i", &i64).ok());
  EXPECT_EQ(i64, 7);
  ASSERT_TRUE(c.GetAttr("i", &i32).ok());
  EXPECT_EQ(i32, 7);
  EXPECT_EQ(c.GetAttr("big", &i32).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(c.GetAttr("f", &f).ok());
  EXPECT_EQ(f, 1.5f);
  ASSERT_TRUE(c.GetAttr("b", &b).ok());
  EXPECT_TRUE(b);
  ASSERT_TRUE(c.GetAttr("s", &s).ok());
  EXPECT_EQ(s, "hi");
  ASSERT_TRUE(c.GetAttr("t", &t).ok());
  EXPECT_EQ(t, DataType::kInt64);
  ASSERT_TRUE(c.GetAttr("shape", &ps).ok());
  EXPECT_EQ(ps.DebugString(), "[?,3]");
  EXPECT_EQ(c.GetAttr("shape", &ts).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(c.GetAttr("full", &ts).ok());
  EXPECT_EQ(ts.DebugString(), "[2,3]");
  ASSERT_TRUE(c.GetAttr("li", &li).ok());
  EXPECT_EQ(li, (std::vector<int64_t>{1, 2}));
  ASSERT_TRUE(c.GetAttr("li", &li32).ok());
  EXPECT_EQ(li32, (std::vector<int32_t>{1, 2}));
  ASSERT_TRUE(c.GetAttr("lt", &lt).ok());
  EXPECT_EQ(lt, (std::vector<DataType>{DataType::kFloat, DataType::kBool}));
  ASSERT_TRUE(c.GetAttr("tensor", &tensor).ok());
  EXPECT_EQ(tensor.flat<float>()[1], 5.0f);
  EXPECT_EQ(c.GetAttr("missing", &i64).code(), StatusCode::kNotFound);
  EXPECT_EQ(c.GetAttr("s", &i64).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(c.HasAttr("i"));
  EXPECT_FALSE(c.HasAttr("missing"));
}

TEST(TfTypeNameTest, MatchesTensorFlowSpelling) {
  EXPECT_EQ(TfTypeName(DataType::kFloat), "float");
  EXPECT_EQ(TfTypeName(DataType::kHalf), "half");
  EXPECT_EQ(TfTypeName(DataType::kString), "string");
  EXPECT_EQ(TfTypeName(static_cast<DataType>(101)), "float_ref");
  EXPECT_EQ(TfTypeName(static_cast<DataType>(77)), "unknown dtype enum (77)");
}

}  // namespace
}  // namespace tf1hub
