// Module::Apply: names, shared state, values, and hub's error messages
// (messages copied from real tensorflow_hub 0.15 / TF 2.15.1 in the oracle
// venv, tf.compat.v1 graph mode with TF 2.15's default V2 behaviour, which
// prints unknown dims as None; see HUB_SEMANTICS.md §2.5).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/hub/module.h"
#include "tf1hub/hub/module_test_util.h"

namespace tf1hub::hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::FloatTensor;
using testing::MakeSpec;
using testing::NewSession;
using testing::SeedModuleFn;
using testing::Shape;
using testing::SmallDenseFn;
using testing::Values;

TEST(ModuleApplyTest, SeedModuleTwiceSharesVariablesAndComputesTheLayers) {
  auto spec = MakeSpec(SeedModuleFn);
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 50})});
  auto first = (*m)->ApplyAsDict(root, x);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = (*m)->Apply(root, x);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  const Output y1 = std::get<Output>(first->at("default"));
  const Output h1 = std::get<Output>(first->at("hidden_activations"));
  EXPECT_EQ(y1.ToString(), "module_apply_default/dense_1/BiasAdd:0");
  EXPECT_EQ(h1.ToString(), "module_apply_default/dense/BiasAdd:0");
  EXPECT_EQ(second->ToString(), "module_apply_default_1/dense_1/BiasAdd:0");

  // The copies hold no state: their VarHandleOps became resource Placeholders
  // and their reads use the state import's handles.
  const tensorflow::NodeDef* copy = root.graph()->FindNode("module_apply_default/dense/kernel");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->op(), "Placeholder");
  EXPECT_EQ(copy->attr().at("dtype").type(), tensorflow::DT_RESOURCE);
  const tensorflow::NodeDef* read =
      root.graph()->FindNode("module_apply_default_1/dense/MatMul/ReadVariableOp");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->input(0), "module/dense/kernel");
  EXPECT_EQ(root.graph()->FindNode("module_apply_default/Placeholder")->op(), "Placeholder");

  Operation init = GlobalVariablesInitializer(root);
  auto session = NewSession(root);
  ASSERT_NE(session, nullptr);
  ASSERT_TRUE(session->Run({}, {}, {init.name}).ok());
  std::vector<float> input(2 * 50);
  for (size_t i = 0; i < input.size(); ++i) input[i] = 0.01f * static_cast<float>(i % 17) - 0.05f;
  auto out = session->Run({{"x:0", FloatTensor(input, {2, 50})}},
                          {y1.ToString(), h1.ToString(), second->ToString(),
                           "module/dense/kernel/Read/ReadVariableOp:0",
                           "module/dense/bias/Read/ReadVariableOp:0",
                           "module/dense_1/kernel/Read/ReadVariableOp:0",
                           "module/dense_1/bias/Read/ReadVariableOp:0"},
                          {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::vector<double> h = testing::Affine(input, Values((*out)[3]), Values((*out)[4]), 2, 50, 200);
  const std::vector<float> hf(h.begin(), h.end());
  const std::vector<double> y = testing::Affine(hf, Values((*out)[5]), Values((*out)[6]), 2, 200, 100);
  const std::vector<float> got_h = Values((*out)[1]), got_y = Values((*out)[0]),
                           got_y2 = Values((*out)[2]);
  ASSERT_EQ(got_h.size(), h.size());
  ASSERT_EQ(got_y.size(), y.size());
  for (size_t i = 0; i < h.size(); ++i) EXPECT_NEAR(got_h[i], h[i], 1e-4);
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(got_y[i], y[i], 1e-4);
  EXPECT_EQ(got_y, got_y2);
  // Kernels were initialized from glorot_uniform: not all zero.
  EXPECT_NE(Values((*out)[3]), std::vector<float>(50 * 200, 0.0f));
}

TEST(ModuleApplyTest, AppliesInTheCallersNameScopeAndSharesAssignedValues) {
  auto spec = MakeSpec(SmallDenseFn);
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 3})});
  auto a = (*m)->Apply(root.NewSubScope("outer"), x);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto b = (*m)->Apply(root, {{"default", x}});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->node, "outer/module_apply_default/dense/BiasAdd");
  EXPECT_EQ(b->node, "module_apply_default/dense/BiasAdd");

  // Assigning the state changes both applications.
  const Variable& kernel = (*m)->variable_map().at("dense/kernel")[0];
  const Variable& bias = (*m)->variable_map().at("dense/bias")[0];
  Operation set_kernel = ops::AssignVariableOp(
      root, kernel.handle(), ops::Const(root, std::vector<float>{1, 2, 3, 4, 5, 6}, {3, 2}));
  Operation set_bias =
      ops::AssignVariableOp(root, bias.handle(), ops::Const(root, std::vector<float>{10, 20}));
  Operation init = GlobalVariablesInitializer(root);
  auto session = NewSession(root);
  ASSERT_TRUE(session->Run({}, {}, {init.name}).ok());
  ASSERT_TRUE(session->Run({}, {}, {set_kernel.name, set_bias.name}).ok());
  auto out = session->Run({{"x:0", FloatTensor({1, 1, 1, 2, 0, -1}, {2, 3})}},
                          {a->ToString(), b->ToString()}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // [1,1,1]·K + b = [1+3+5+10, 2+4+6+20]; [2,0,-1]·K + b = [2-5+10, 4-6+20].
  EXPECT_EQ(Values((*out)[0]), (std::vector<float>{19, 32, 7, 18}));
  EXPECT_EQ(Values((*out)[1]), (std::vector<float>{19, 32, 7, 18}));
}

TEST(ModuleApplyTest, RefVariablesAreFedFromTheState) {
  auto spec = MakeSpec(SmallDenseFn, {.tags_and_args = {{{}, {{"use_resource", false}}}}});
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 3})});
  auto y = (*m)->Apply(root, x);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(root.graph()->FindNode("module/dense/kernel")->op(), "VariableV2");
  const tensorflow::NodeDef* read = root.graph()->FindNode("module_apply_default/dense/kernel/read");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->input(0), "module/dense/kernel");
  Operation init = GlobalVariablesInitializer(root);
  auto session = NewSession(root);
  ASSERT_TRUE(session->Run({}, {}, {init.name}).ok());
  auto out = session->Run({{"x:0", FloatTensor({0, 0, 0}, {1, 3})}}, {y->ToString()}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Values((*out)[0]), (std::vector<float>{0, 0}));  // zero bias
}

// x [?,3] and y [?,3] -> {"sum": x + y, "x": x}; no "default" output.
Status TwoInputsFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 3})});
  Output y = ops::Placeholder(s.WithOpName("y"), DataType::kFloat, {.shape = Shape({-1, 3})});
  ctx.AddSignature("pair", {{"x", x}, {"y", y}}, {{"sum", ops::AddV2(s, x, y)}, {"x", x}});
  ctx.AddSignature("none", SignatureTensors{}, {{"default", ops::Const(s, 1.0f)}});
  return s.status();
}

TEST(ModuleApplyTest, OutputThatIsAnInputComesFromTheInputs) {
  auto spec = MakeSpec(TwoInputsFn);
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Output a = ops::Placeholder(root.WithOpName("a"), DataType::kFloat, {.shape = Shape({2, 3})});
  auto out = (*m)->ApplyAsDict(root, {{"x", a}, {"y", a}}, "pair");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(std::get<Output>(out->at("x")).ToString(), "a:0");
  EXPECT_EQ(std::get<Output>(out->at("sum")).ToString(), "module_apply_pair/AddV2:0");
  auto none = (*m)->ApplyAsDict(root, SignatureTensors{}, "none");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
}

TEST(ModuleApplyTest, InputErrorsUseHubsMessages) {
  auto spec = MakeSpec(TwoInputsFn);
  auto seed = MakeSpec(SeedModuleFn);
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  auto s = Module::Create(root, seed);
  ASSERT_TRUE(m.ok() && s.ok());
  Output a = ops::Placeholder(root.WithOpName("Placeholder"), DataType::kFloat,
                              {.shape = Shape({-1, 3})});
  Output i = ops::Placeholder(root.WithOpName("i"), DataType::kInt64, {.shape = Shape({-1, 50})});
  auto message = [](const auto& result) { return std::string(result.status().message()); };

  auto r = (*m)->ApplyAsDict(root, {{"x", a}, {"z", a}}, "pair");
  EXPECT_EQ(message(r), "Cannot convert dict_inputs: missing ['y'], extra given ['z']");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(message((*m)->ApplyAsDict(root, a, "pair")),
            "Signature expects multiple inputs. Use a dict.");
  EXPECT_EQ(message((*m)->ApplyAsDict(root, a, "none")), "Signature expects no inputs.");
  EXPECT_EQ(message((*m)->Apply(root, {{"x", a}, {"y", a}}, "pair")),
            "There is no output named 'default'. Use as_dict=True.");
  EXPECT_EQ(message((*m)->Apply(root, a, "nope")), "Signature 'nope' is missing from meta graph.");
  // Same texts as hub in the oracle (TF1 graph mode).
  EXPECT_EQ(message((*s)->Apply(root, a)),
            "Can't convert 'default': Got TensorSpec(shape=(None, 3), dtype=tf.float32, "
            "name='Placeholder'). Expected TensorSpec(shape=(None, 50), dtype=tf.float32, "
            "name=None).");
  EXPECT_EQ(message((*s)->Apply(root, i)),
            "Incompatible tensor conversion requested to `dtype` float32 for `value` "
            "(Tensor(\"i:0\", shape=(None, 50), dtype=int64)) with dtype int64.");
  SparseOutput sparse{ops::Placeholder(root, DataType::kInt64), ops::Placeholder(root, DataType::kFloat),
                      ops::Placeholder(root, DataType::kInt64)};
  EXPECT_EQ(message((*s)->Apply(root, {{"default", sparse}})),
            "Can't convert 'default': Got SparseTensor. Expected Tensor.");

  Scope other = Scope::NewRootScope();
  Output o = ops::Placeholder(other, DataType::kFloat, {.shape = Shape({-1, 50})});
  auto wrong_graph = (*s)->Apply(other, o);
  EXPECT_EQ(wrong_graph.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(message(wrong_graph), "Module must be applied in the graph it was instantiated for.");
  // Unknown dims are compatible with anything.
  Output u = ops::Placeholder(root, DataType::kFloat);
  EXPECT_TRUE((*s)->Apply(root, u).ok());
}

// Sparse input: values * 2 as a dense output.
Status SparseFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  SparseOutput in{
      ops::Placeholder(s.WithOpName("indices"), DataType::kInt64, {.shape = Shape({-1, 2})}),
      ops::Placeholder(s.WithOpName("values"), DataType::kFloat, {.shape = Shape({-1})}),
      ops::Placeholder(s.WithOpName("shape"), DataType::kInt64, {.shape = Shape({2})})};
  ctx.AddSignature("default", {{"sp", in}}, {{"default", ops::Mul(s, in.values, ops::Const(s, 2.0f))}});
  return s.status();
}

TEST(ModuleApplyTest, SparseInputsAreFedByComponent) {
  auto spec = MakeSpec(SparseFn);
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Output v = ops::Placeholder(root.WithOpName("v"), DataType::kFloat, {.shape = Shape({-1})});
  SparseOutput sp{ops::Const(root, std::vector<int64_t>{0, 1, 1, 0}, {2, 2}), v,
                  ops::Const(root, std::vector<int64_t>{3, 3})};
  auto y = (*m)->Apply(root, {{"sp", sp}});
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  auto session = NewSession(root);
  auto out = session->Run({{"v:0", FloatTensor({1.5f, -2}, {2})}}, {y->ToString()}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Values((*out)[0]), (std::vector<float>{3, -4}));

  Output dense = ops::Placeholder(root, DataType::kFloat, {.shape = Shape({-1, 3})});
  EXPECT_EQ((*m)->Apply(root, dense).status().message(),
            "Can't convert 'sp': Got Tensor. Expected SparseTensor.");
  Output vi = ops::Placeholder(root, DataType::kInt64, {.shape = Shape({-1})});
  SparseOutput wrong{sp.indices, vi, sp.dense_shape};
  EXPECT_THAT(std::string((*m)->Apply(root, {{"sp", wrong}}).status().message()),
              ::testing::StartsWith("Can't convert 'sp': Got SparseTensorSpec(TensorShape(["
                                    "3, 3]), tf.int64). Expected "
                                    "SparseTensorSpec("));
}

// A module whose signature adds an op to update_ops.
Status UpdateOpsFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Variable counter = GetVariable(s, "counter", TensorShape(), {.initializer = initializers::Zeros()});
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({})});
  Operation inc = ops::AssignAddVariableOp(s.WithOpName("increment"), counter.handle(),
                                           ops::Const(s, 1.0f));
  RETURN_IF_ERROR(s.graph()->AddToCollection(graph_keys::kUpdateOps, inc.name));
  ctx.AddSignature("default", x, ops::Identity(s, x));
  return s.status();
}

TEST(ModuleApplyTest, UpdateOpsOnlyForTrainableInstances) {
  auto spec = MakeSpec(UpdateOpsFn);
  Scope root = Scope::NewRootScope();
  auto fixed = Module::Create(root, spec);
  auto trained = Module::Create(root, spec, {.trainable = true, .name = "t"});
  ASSERT_TRUE(fixed.ok() && trained.ok());
  Output x = ops::Placeholder(root, DataType::kFloat, {.shape = Shape({})});
  ASSERT_TRUE((*fixed)->Apply(root, x).ok());
  ASSERT_TRUE((*trained)->Apply(root, x).ok());
  ASSERT_TRUE((*trained)->Apply(root, x).ok());
  const tensorflow::CollectionDef* ops = root.graph()->GetCollection(graph_keys::kUpdateOps);
  ASSERT_NE(ops, nullptr);
  EXPECT_THAT(ops->node_list().value(),
              ElementsAre("t_apply_default/increment", "t_apply_default_1/increment"));
  // The update op increments the one state variable.
  EXPECT_EQ(root.graph()->FindNode("t_apply_default/increment")->input(0), "t/counter");
}

}  // namespace
}  // namespace tf1hub::hub
