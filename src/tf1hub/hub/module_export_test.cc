// Restoring module variables from a checkpoint (init_from_checkpoint),
// Module::Export, ModuleSpec::Export and the state round trip. Node names
// and messages are those real TF 2.15.1 + hub 0.15 give for the same
// module (oracle venv: hub.Module of an exported module, as_graph_def()).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tf1hub/checkpoint.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/module_test_util.h"

namespace tf1hub::hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::FloatTensor;
using testing::MakeSpec;
using testing::NewSession;
using testing::Shape;
using testing::SmallDenseFn;
using testing::ScopedTempDir;
using testing::TempDir;
using testing::Values;

// Writes kernel [3,2] = 1..6 and bias [2] = {10, 20} under `prefix` + names.
void WriteSmallCheckpoint(const std::string& path, const std::string& prefix = "",
                          std::vector<int64_t> kernel_dims = {3, 2}) {
  auto writer = CheckpointWriter::Create(path);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Add(prefix + "dense/bias", FloatTensor({10, 20}, {2})).ok());
  std::vector<float> kernel(static_cast<size_t>(kernel_dims[0] * kernel_dims[1]));
  for (size_t i = 0; i < kernel.size(); ++i) kernel[i] = static_cast<float>(i + 1);
  ASSERT_TRUE((*writer)->Add(prefix + "dense/kernel", FloatTensor(kernel, kernel_dims)).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
}

std::shared_ptr<const ModuleSpec> WithCheckpoint(const ModuleSpec& spec, const std::string& ckpt) {
  return std::make_shared<const ModuleSpec>(spec.saved_model(), "", ckpt);
}

// Runs the default signature of a fresh instance of `spec` on
// x = [[1,1,1],[2,0,-1]] after the global variables initializer.
std::vector<float> RunSmall(std::shared_ptr<const ModuleSpec> spec) {
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  if (!m.ok()) return {};
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 3})});
  auto y = (*m)->Apply(root, x);
  EXPECT_TRUE(y.ok()) << y.status().ToString();
  Operation init = GlobalVariablesInitializer(root);
  auto session = NewSession(root);
  EXPECT_TRUE(session->Run({}, {}, {init.name}).ok());
  auto out = session->Run({{"x:0", FloatTensor({1, 1, 1, 2, 0, -1}, {2, 3})}}, {y->ToString()}, {});
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? Values((*out)[0]) : std::vector<float>{};
}

TEST(ModuleCheckpointTest, InitializersRestoreFromTheSpecsCheckpoint) {
  const ScopedTempDir tmp = TempDir("restore");
  const std::string dir = tmp.path();
  WriteSmallCheckpoint(dir + "/variables");
  auto spec = WithCheckpoint(*MakeSpec(SmallDenseFn), dir + "/variables");
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Graph& g = *root.graph();
  // Sorted by variable: dense/bias first.
  const tensorflow::NodeDef* restore = g.FindNode("checkpoint_initializer");
  ASSERT_NE(restore, nullptr);
  EXPECT_EQ(restore->op(), "RestoreV2");
  EXPECT_EQ(restore->device(), "/device:CPU:0");
  EXPECT_THAT(restore->input(), ElementsAre("checkpoint_initializer/prefix",
                                            "checkpoint_initializer/tensor_names",
                                            "checkpoint_initializer/shape_and_slices"));
  EXPECT_EQ(g.FindNode("checkpoint_initializer/prefix")->attr().at("value").tensor().string_val(0),
            dir + "/variables");
  EXPECT_EQ(
      g.FindNode("checkpoint_initializer/tensor_names")->attr().at("value").tensor().string_val(0),
      "dense/bias");
  EXPECT_EQ(g.FindNode("checkpoint_initializer_1/tensor_names")
                ->attr().at("value").tensor().string_val(0),
            "dense/kernel");
  EXPECT_EQ(g.FindNode("Identity")->input(0), "checkpoint_initializer");
  EXPECT_THAT(g.FindNode("AssignVariableOp_1")->input(),
              ElementsAre("module/dense/kernel", "Identity_1"));
  auto kernel = FindVariable(g, "module/dense/kernel");
  ASSERT_TRUE(kernel.has_value());
  EXPECT_EQ(kernel->initializer().name, "AssignVariableOp_1");
  EXPECT_EQ(kernel->initial_value().ToString(), "checkpoint_initializer_1:0");

  // [1,1,1]·[[1,2],[3,4],[5,6]] + [10,20] = [19, 32]; [2,0,-1] -> [7, 18].
  EXPECT_EQ(RunSmall(spec), (std::vector<float>{19, 32, 7, 18}));
}

TEST(ModuleCheckpointTest, RefVariablesRestoreWithAssign) {
  const ScopedTempDir tmp = TempDir("restore_ref");
  const std::string dir = tmp.path();
  WriteSmallCheckpoint(dir + "/variables");
  auto spec = WithCheckpoint(
      *MakeSpec(SmallDenseFn, {.tags_and_args = {{{}, {{"use_resource", false}}}}}),
      dir + "/variables");
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const tensorflow::NodeDef* assign = root.graph()->FindNode("Assign");
  ASSERT_NE(assign, nullptr);
  EXPECT_THAT(assign->input(), ElementsAre("module/dense/bias", "checkpoint_initializer"));
  EXPECT_THAT(assign->attr().at("_class").list().s(), ElementsAre("loc:@module/dense/bias"));
  EXPECT_EQ(RunSmall(spec), (std::vector<float>{19, 32, 7, 18}));
}

TEST(ModuleCheckpointTest, MissingTensorAndWrongShapeUseTfsMessages) {
  const ScopedTempDir tmp = TempDir("bad_ckpt");
  const std::string dir = tmp.path();
  WriteSmallCheckpoint(dir + "/scoped", "tower/");
  WriteSmallCheckpoint(dir + "/shape", "", {3, 3});
  Scope root = Scope::NewRootScope();
  auto missing = Module::Create(root, WithCheckpoint(*MakeSpec(SmallDenseFn), dir + "/scoped"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(),
              HasSubstr("Tensor dense/bias is not found in " + dir +
                        "/scoped checkpoint {'tower/dense/bias': [2], 'tower/dense/kernel': [3, "
                        "2]}"));
  Scope root2 = Scope::NewRootScope();
  auto shape = Module::Create(root2, WithCheckpoint(*MakeSpec(SmallDenseFn), dir + "/shape"));
  ASSERT_FALSE(shape.ok());
  EXPECT_THAT(shape.status().message(),
              HasSubstr("Shape of variable module/dense/kernel:0 ((3, 2)) doesn't match with shape "
                        "of tensor dense/kernel ([3, 3]) from checkpoint reader."));
}

TEST(ModuleExportTest, StateRoundTripThroughExportAndLoad) {
  const ScopedTempDir tmp = TempDir("roundtrip");
  const std::string dir = tmp.path();
  for (bool use_resource : {true, false}) {
    const std::string path = dir + (use_resource ? "/resource" : "/ref");
    {
      auto spec =
          MakeSpec(SmallDenseFn, {.tags_and_args = {{{}, {{"use_resource", use_resource}}}}});
      Scope root = Scope::NewRootScope();
      auto m = Module::Create(root, spec);
      ASSERT_TRUE(m.ok()) << m.status().ToString();
      const Variable& kernel = (*m)->variable_map().at("dense/kernel")[0];
      const Variable& bias = (*m)->variable_map().at("dense/bias")[0];
      Output k = ops::Const(root, std::vector<float>{1, 2, 3, 4, 5, 6}, {3, 2});
      Output b = ops::Const(root, std::vector<float>{10, 20});
      std::vector<std::string> targets;
      if (use_resource) {
        targets = {ops::AssignVariableOp(root, kernel.handle(), k).name,
                   ops::AssignVariableOp(root, bias.handle(), b).name};
      } else {
        targets = {ops::Assign(root, kernel.handle(), k).node, ops::Assign(root, bias.handle(), b).node};
      }
      Operation init = GlobalVariablesInitializer(root);
      auto session = NewSession(root);
      ASSERT_TRUE(session->Run({}, {}, {init.name}).ok());
      ASSERT_TRUE(session->Run({}, {}, targets).ok());
      Status exported = (*m)->Export(path, *session);
      ASSERT_TRUE(exported.ok()) << exported.ToString();
    }
    // The bundle holds the module-relative names with the assigned values.
    auto reader = CheckpointReader::Open(path + "/variables/variables");
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    std::vector<std::string> names;
    for (const auto& e : (*reader)->Entries()) names.push_back(e.name);
    EXPECT_THAT(names, ElementsAre("dense/bias", "dense/kernel"));
    EXPECT_EQ(Values((*reader)->Read("dense/kernel").value()),
              (std::vector<float>{1, 2, 3, 4, 5, 6}));
    auto loaded = LoadModuleSpec(path);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(RunSmall(*loaded), (std::vector<float>{19, 32, 7, 18}));
  }
}

TEST(ModuleExportTest, ModuleWithoutVariablesWritesNoBundle) {
  auto spec = MakeSpec([](ModuleFnContext& ctx) {
    const Scope& s = ctx.scope();
    Output x = ops::Placeholder(s, DataType::kFloat);
    ctx.AddSignature("default", x, ops::Mul(s, x, x));
    return s.status();
  });
  const ScopedTempDir tmp = TempDir("novars");
  const std::string path = tmp.Join("m");
  Scope root = Scope::NewRootScope();
  auto m = Module::Create(root, spec);
  ASSERT_TRUE(m.ok());
  auto session = NewSession(root);
  ASSERT_TRUE((*m)->Export(path, *session).ok());
  EXPECT_TRUE(std::filesystem::is_directory(path + "/variables"));
  EXPECT_FALSE(std::filesystem::exists(path + "/variables/variables.index"));
  EXPECT_TRUE(std::filesystem::exists(path + "/tfhub_module.pb"));
}

TEST(ModuleSpecExportTest, ExportsFromACheckpointWithNameTransform) {
  const ScopedTempDir tmp = TempDir("spec_export");
  const std::string dir = tmp.path();
  WriteSmallCheckpoint(dir + "/ckpt/model.ckpt-10", "tower/");
  auto spec = MakeSpec(SmallDenseFn);
  Status status = spec->Export(dir + "/out", dir + "/ckpt/model.ckpt-10",
                               [](const std::string& name) { return "tower/" + name; });
  ASSERT_TRUE(status.ok()) << status.ToString();
  auto loaded = LoadModuleSpec(dir + "/out");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(RunSmall(*loaded), (std::vector<float>{19, 32, 7, 18}));
}

TEST(ModuleSpecExportTest, Errors) {
  const ScopedTempDir tmp = TempDir("spec_export_errors");
  const std::string dir = tmp.path();
  WriteSmallCheckpoint(dir + "/model.ckpt", "", {3, 3});
  auto spec = MakeSpec(SmallDenseFn);
  Status missing = spec->Export(dir + "/out", "");
  EXPECT_EQ(missing.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.message(), "Missing mandatory `checkpoint_path` parameter");
  Status shape = spec->Export(dir + "/out", dir + "/model.ckpt");
  EXPECT_THAT(shape.message(), HasSubstr("doesn't match with shape of"));
  Status scope = spec->Export(dir + "/out", dir + "/model.ckpt",
                              [](const std::string& name) { return "wrong/" + name; });
  EXPECT_THAT(scope.message(), HasSubstr("Tensor wrong/dense/bias is not found in"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/tfhub_module.pb"));
}

}  // namespace
}  // namespace tf1hub::hub
