// Modules exported by real tensorflow_hub 0.15 / TF 2.15.1 (testdata/):
// instantiated, applied and re-exported by our Module. Expected values are
// what hub computed for the same inputs (see each testdata README).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/checkpoint.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/module_test_util.h"

namespace tf1hub::hub {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using testing::FloatTensor;
using testing::NewSession;
using testing::Shape;
using testing::ScopedTempDir;
using testing::TempDir;
using testing::Values;

const std::string kVarsModule = std::string(TF1HUB_HUB_TESTDATA_DIR) + "/vars_module/module";
const std::string kTinyModule = std::string(TF1HUB_HUB_TESTDATA_DIR) + "/hub_tiny_module";

std::vector<std::string> Keys(const std::map<std::string, std::vector<Variable>>& map) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : map) keys.push_back(key);
  return keys;
}

struct Applied {
  Scope root = Scope::NewRootScope();
  std::unique_ptr<Module> module;
  std::map<std::string, SignatureTensor> outputs;
  std::unique_ptr<Session> session;
};

// Loads `path`, applies `default` to placeholder "x" [?,3] and runs the
// initializers.
std::unique_ptr<Applied> LoadAndApply(const std::string& path) {
  auto a = std::make_unique<Applied>();
  auto spec = LoadModuleSpec(path);
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  if (!spec.ok()) return nullptr;
  auto m = Module::Create(a->root, *spec);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  if (!m.ok()) return nullptr;
  a->module = std::move(*m);
  Output x = ops::Placeholder(a->root.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 3})});
  auto outputs = a->module->ApplyAsDict(a->root, {{"x", x}});
  EXPECT_TRUE(outputs.ok()) << outputs.status().ToString();
  if (!outputs.ok()) return nullptr;
  a->outputs = std::move(*outputs);
  Operation init = GlobalVariablesInitializer(a->root);
  a->session = NewSession(a->root);
  Status ran = a->session->Run({}, {}, {init.name}).status();
  EXPECT_TRUE(ran.ok()) << ran.ToString();
  return a;
}

std::vector<Tensor> RunOutputs(Applied& a, const std::vector<std::string>& keys) {
  std::vector<std::string> fetches;
  for (const std::string& key : keys) fetches.push_back(std::get<Output>(a.outputs.at(key)).ToString());
  auto out = a.session->Run({{"x:0", FloatTensor({1, 1, 1}, {1, 3})}}, fetches, {});
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : std::vector<Tensor>{};
}

TEST(ModuleLoadTest, HubModuleWithResourceRefAndPartitionedVariables) {
  auto a = LoadAndApply(kVarsModule);
  ASSERT_NE(a, nullptr);
  EXPECT_THAT(Keys(a->module->variable_map()), ElementsAre("p", "r", "w"));
  ASSERT_EQ(a->module->variable_map().at("p").size(), 2u);
  EXPECT_EQ(a->module->variable_map().at("p")[1].name(), "module/p/part_1");
  EXPECT_FALSE(a->module->variable_map().at("r")[0].is_resource());
  // The parts restore their slices of "p" (init_from_checkpoint's specs).
  const Graph& g = *a->root.graph();
  EXPECT_EQ(g.FindNode("checkpoint_initializer/tensor_names")->attr().at("value").tensor().string_val(0), "p");
  EXPECT_EQ(g.FindNode("checkpoint_initializer/shape_and_slices")->attr().at("value").tensor().string_val(0),
            "4 2 0,2:0,2");
  EXPECT_EQ(g.FindNode("checkpoint_initializer_1/shape_and_slices")->attr().at("value").tensor().string_val(0),
            "4 2 2,2:0,2");
  std::vector<Tensor> out = RunOutputs(*a, {"default", "p"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(Values(out[0]), (std::vector<float>{19, 32}));  // hub's result
  EXPECT_EQ(Values(out[1]), (std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(ModuleLoadTest, ReExportKeepsAssignedValuesOfAllVariableKinds) {
  const ScopedTempDir tmp = TempDir("reexport");
  const std::string path = tmp.Join("m");
  {
    auto a = LoadAndApply(kVarsModule);
    ASSERT_NE(a, nullptr);
    const auto& vars = a->module->variable_map();
    const Scope& root = a->root;
    std::vector<std::string> targets = {
        ops::AssignVariableOp(root, vars.at("p")[0].handle(),
                              ops::Const(root, std::vector<float>{8, 9, 10, 11}, {2, 2}))
            .name,
        ops::AssignVariableOp(root, vars.at("p")[1].handle(),
                              ops::Const(root, std::vector<float>{12, 13, 14, 15}, {2, 2}))
            .name,
        ops::Assign(root, vars.at("r")[0].handle(), ops::Const(root, std::vector<float>{-1, -2}))
            .node};
    auto session = NewSession(root);
    ASSERT_TRUE(session->Run({}, {}, {"init"}).ok());
    ASSERT_TRUE(session->Run({}, {}, targets).ok());
    Status exported = a->module->Export(path, *session);
    ASSERT_TRUE(exported.ok()) << exported.ToString();
  }
  // The bundle: "p" as two slices of one [4,2] tensor, module-relative names.
  auto reader = CheckpointReader::Open(path + "/variables/variables");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto info = (*reader)->GetInfo("p");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->shape, TensorShape::Create({4, 2}).value());
  EXPECT_EQ(info->slices.size(), 2u);
  EXPECT_EQ(Values((*reader)->Read("p").value()), (std::vector<float>{8, 9, 10, 11, 12, 13, 14, 15}));

  auto b = LoadAndApply(path);
  ASSERT_NE(b, nullptr);
  std::vector<Tensor> out = RunOutputs(*b, {"default", "p"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(Values(out[0]), (std::vector<float>{8, 10}));  // [9,12] + [-1,-2]
  EXPECT_EQ(Values(out[1]), (std::vector<float>{8, 9, 10, 11, 12, 13, 14, 15}));
}

TEST(ModuleLoadTest, TinyHubModuleSignaturesAndVariants) {
  auto a = LoadAndApply(kTinyModule);
  ASSERT_NE(a, nullptr);
  auto out = a->session->Run({{"x:0", FloatTensor({1, 1, 1}, {1, 3})}},
                             {std::get<Output>(a->outputs.at("default")).ToString(),
                              std::get<Output>(a->outputs.at("vocab")).ToString()},
                             {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Values((*out)[0]), (std::vector<float>{1, 2, 3}));  // x * w, w = [1,2,3]
  EXPECT_THAT((*out)[1].scalar<std::string>(), EndsWith("hub_tiny_module/assets/tokens.txt"));

  // Sparse signature: values * 2, indices and shape passed through.
  Output v = ops::Placeholder(a->root.WithOpName("v"), DataType::kFloat, {.shape = Shape({-1})});
  SparseOutput sp{ops::Const(a->root, std::vector<int64_t>{0, 1, 1, 4}, {2, 2}), v,
                  ops::Const(a->root, std::vector<int64_t>{2, 5})};
  auto sparse = a->module->ApplyAsDict(a->root, {{"default", sp}}, "sparse");
  ASSERT_TRUE(sparse.ok()) << sparse.status().ToString();
  const SparseOutput& result = std::get<SparseOutput>(sparse->at("default"));
  auto session = NewSession(a->root);
  auto values = session->Run({{"v:0", FloatTensor({1.5f, -3}, {2})}},
                             {result.values.ToString(), result.dense_shape.ToString()}, {});
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(Values((*values)[0]), (std::vector<float>{3, -6}));
  EXPECT_EQ(result.dense_shape.ToString(), sp.dense_shape.ToString());

  // The {"train"} variant has the extra signature.
  Scope root = Scope::NewRootScope();
  auto train = Module::Create(root, LoadModuleSpec(kTinyModule).value(), {.tags = {"train"}});
  ASSERT_TRUE(train.ok()) << train.status().ToString();
  EXPECT_THAT((*train)->GetSignatureNames().value(), ElementsAre("default", "sparse", "train_only"));
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 3})});
  auto plus_one = (*train)->Apply(root, x, "train_only");
  ASSERT_TRUE(plus_one.ok()) << plus_one.status().ToString();
  auto s = NewSession(root);
  auto r = s->Run({{"x:0", FloatTensor({1, 2, 3}, {1, 3})}}, {plus_one->ToString()}, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Values((*r)[0]), (std::vector<float>{2, 3, 4}));
}

}  // namespace
}  // namespace tf1hub::hub
