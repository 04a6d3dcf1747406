// Module creation: state scope, state import, collections, variable_map.
// Expected names mirror real tensorflow_hub 0.15 on TF 2.15.1 (hub.Module of
// the same module_fn in the oracle venv; HUB_SEMANTICS.md §2.2-2.4).
#include "tf1hub/hub/module.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/graph/regularizers.h"
#include "tf1hub/hub/module_test_util.h"

namespace tf1hub::hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeSpec;
using testing::SeedModuleFn;
using testing::SmallDenseFn;

std::vector<std::string> Keys(const std::map<std::string, std::vector<Variable>>& map) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : map) keys.push_back(key);
  return keys;
}

std::vector<std::string> CollectionVarNames(const Graph& graph, const char* key) {
  std::vector<std::string> names;
  auto vars = CollectionVariables(graph, key);
  if (!vars.ok()) return {"<error>"};
  for (const Variable& v : *vars) names.push_back(v.name());
  return names;
}

TEST(ModuleTest, SeedModuleStateImport) {
  auto spec = MakeSpec(SeedModuleFn);
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ((*m)->scope_name(), "module");
  EXPECT_THAT(Keys((*m)->variable_map()),
              ElementsAre("dense/bias", "dense/kernel", "dense_1/bias", "dense_1/kernel"));
  EXPECT_EQ((*m)->variable_map().at("dense/kernel")[0].name(), "module/dense/kernel");
  EXPECT_EQ((*m)->variable_map().at("dense/kernel")[0].shape(), testing::Shape({50, 200}));
  std::vector<std::string> ordered;
  for (const Variable& v : (*m)->variables()) ordered.push_back(v.name());
  EXPECT_THAT(ordered, ElementsAre("module/dense/bias", "module/dense/kernel",
                                   "module/dense_1/bias", "module/dense_1/kernel"));

  const tensorflow::NodeDef* kernel = root.graph()->FindNode("module/dense/kernel");
  ASSERT_NE(kernel, nullptr);
  EXPECT_EQ(kernel->op(), "VarHandleOp");
  // prefix_shared_name_attributes: "dense/kernel" -> "module/dense/kernel".
  EXPECT_EQ(kernel->attr().at("shared_name").s(), "module/dense/kernel");
  EXPECT_NE(root.graph()->FindNode("module/Placeholder"), nullptr);
  EXPECT_NE(root.graph()->FindNode("module/dense_1/BiasAdd"), nullptr);

  // trainable=False: global variables only.
  EXPECT_THAT(CollectionVarNames(*root.graph(), graph_keys::kGlobalVariables),
              ElementsAre("module/dense/kernel", "module/dense/bias", "module/dense_1/kernel",
                          "module/dense_1/bias"));
  EXPECT_EQ(root.graph()->GetCollection(graph_keys::kTrainableVariables), nullptr);
}

TEST(ModuleTest, TrainableImportsTrainableVariablesAndRegularizationLosses) {
  auto spec = MakeSpec([](ModuleFnContext& ctx) {
    const Scope& s = ctx.scope();
    Output x = ops::Placeholder(s, DataType::kFloat, {.shape = testing::Shape({-1, 2})});
    Output y = layers::Dense(s, x, 2, {.kernel_regularizer = regularizers::L2(0.5)});
    ctx.AddSignature("default", x, y);
    return s.status();
  });
  {
    Scope root = Scope::NewRootScope();
    ASSERT_TRUE(Module::Create(root, spec, {.trainable = true}).ok());
    EXPECT_THAT(CollectionVarNames(*root.graph(), graph_keys::kTrainableVariables),
                ElementsAre("module/dense/kernel", "module/dense/bias"));
    const tensorflow::CollectionDef* losses =
        root.graph()->GetCollection(graph_keys::kRegularizationLosses);
    ASSERT_NE(losses, nullptr);
    ASSERT_EQ(losses->node_list().value_size(), 1);
    EXPECT_THAT(losses->node_list().value(0), ::testing::StartsWith("module/dense/kernel/Regularizer/"));
  }
  {
    Scope root = Scope::NewRootScope();
    ASSERT_TRUE(Module::Create(root, spec, {.trainable = false}).ok());
    EXPECT_EQ(root.graph()->GetCollection(graph_keys::kTrainableVariables), nullptr);
    EXPECT_EQ(root.graph()->GetCollection(graph_keys::kRegularizationLosses), nullptr);
  }
}

TEST(ModuleTest, StateScopesAreUniquifiedInTheVariableScope) {
  auto spec = MakeSpec(SmallDenseFn);
  Scope root = Scope::NewRootScope();
  auto a = Module::Create(root, spec);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  // Name scopes do not matter (hub test: inside name_scope("foo") -> a_1/).
  auto b = Module::Create(root.NewSubScope("foo"), spec);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto c = Module::Create(root.WithVariableScope("vs"), spec, {.name = "a"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto d = Module::Create(root, spec, {.name = "a"});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ((*a)->scope_name(), "module");
  EXPECT_EQ((*b)->scope_name(), "module_1");
  EXPECT_EQ((*c)->scope_name(), "vs/a");
  EXPECT_EQ((*d)->scope_name(), "a");
  EXPECT_EQ((*c)->variable_map().at("dense/kernel")[0].name(), "vs/a/dense/kernel");
  EXPECT_EQ(root.graph()->FindNode("module_1/dense/kernel")->attr().at("shared_name").s(),
            "module_1/dense/kernel");
}

TEST(ModuleTest, TakenNameScopeIsAnError) {
  auto spec = MakeSpec(SmallDenseFn);
  Scope root = Scope::NewRootScope();
  ops::Const(root.WithOpName("module"), 1.0f);
  auto m = Module::Create(root, spec);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(m.status().message(),
            "variable_scope module/ was unused but the corresponding name_scope was already "
            "taken.");
}

TEST(ModuleTest, StateIgnoresOuterControlDependencies) {
  auto spec = MakeSpec(SmallDenseFn);
  Scope root = Scope::NewRootScope();
  Output c = ops::Const(root.WithOpName("c"), 1.0f);
  auto m = Module::Create(root.WithControlDependencies(c), spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  for (const tensorflow::NodeDef& node : root.graph()->graph_def().node()) {
    for (const std::string& input : node.input()) EXPECT_NE(input, "^c") << node.name();
  }
}

TEST(ModuleTest, UnknownTagsAndNullSpec) {
  auto spec = MakeSpec(SmallDenseFn);
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec, {.tags = {"train"}});
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("No such graph variant"));
  auto n = Module::Create(root, nullptr);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kInvalidArgument);
}

TEST(ModuleTest, OpsMissingFromTheRegistryAreNamed) {
  auto spec = MakeSpec(SmallDenseFn);
  tensorflow::SavedModel sm = spec->saved_model();
  sm.mutable_meta_graphs(0)->mutable_meta_info_def()->mutable_stripped_op_list()->add_op()->set_name(
      "NoSuchOp");
  auto broken = std::make_shared<const ModuleSpec>(sm, "", "");
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, broken);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(m.status().message(),
            "Graph ops missing from the python registry ({'NoSuchOp'}) are also absent from the "
            "c++ registry.");
}

// A module_fn with a partitioned variable "p" [4,2] in two parts, as
// fixed_size_partitioner(2) makes it: p/part_0 (offset 0) and p/part_1
// (offset 2), each VariableDef with save_slice_info_def. The parts are made
// in reverse order to check that variable_map orders them by offset.
Status PartitionedFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Variable p1 = GetVariable(s, "p/part_1", *TensorShape::Create({2, 2}),
                            {.initializer = initializers::Constant(3.0)});
  Variable p0 = GetVariable(s, "p/part_0", *TensorShape::Create({2, 2}),
                            {.initializer = initializers::Constant(1.0)});
  Graph* g = s.graph();
  for (const char* key : {graph_keys::kGlobalVariables, graph_keys::kTrainableVariables}) {
    std::vector<std::string> values(g->GetCollection(key)->bytes_list().value().begin(),
                                    g->GetCollection(key)->bytes_list().value().end());
    g->ClearCollection(key);
    for (std::string& bytes : values) {
      tensorflow::VariableDef def;
      def.ParseFromString(bytes);
      tensorflow::SaveSliceInfoDef* info = def.mutable_save_slice_info_def();
      info->set_full_name("p");
      info->add_full_shape(4);
      info->add_full_shape(2);
      info->add_var_offset(def.variable_name() == "p/part_1:0" ? 2 : 0);
      info->add_var_offset(0);
      info->add_var_shape(2);
      info->add_var_shape(2);
      RETURN_IF_ERROR(g->AddBytesToCollection(key, def.SerializeAsString()));
    }
  }
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = testing::Shape({2})});
  Output y = ops::AddV2(s, x, ops::Identity(s, p0.Read(s)));
  ctx.AddSignature("default", x, y);
  return s.status();
}

TEST(ModuleTest, PartitionedVariablesAreGroupedByOffset) {
  auto spec = MakeSpec(PartitionedFn);
  ASSERT_NE(spec, nullptr);
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_THAT(Keys((*m)->variable_map()), ElementsAre("p"));
  const std::vector<Variable>& parts = (*m)->variable_map().at("p");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name(), "module/p/part_0");
  EXPECT_EQ(parts[1].name(), "module/p/part_1");
}

TEST(ModuleTest, InterfaceQueriesUseTheInstanceTags) {
  auto spec = MakeSpec(SmallDenseFn, {.tags_and_args = {{{"train"}, {}}, {{}, {}}}});
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec, {.tags = {"train"}});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ((*m)->tags(), TagSet{"train"});
  EXPECT_THAT((*m)->GetSignatureNames().value(), ElementsAre("default"));
  auto inputs = (*m)->GetInputInfoDict();
  ASSERT_TRUE(inputs.ok());
  EXPECT_EQ(inputs->at("default").shape, testing::Shape({-1, 3}));
  auto outputs = (*m)->GetOutputInfoDict("");
  ASSERT_TRUE(outputs.ok());
  EXPECT_EQ(outputs->at("default").shape, testing::Shape({-1, 2}));
}

}  // namespace
}  // namespace tf1hub::hub
