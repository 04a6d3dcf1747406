#include "hub_test_util.h"

#include <gtest/gtest.h>

#include <memory>

#include "tf1hub/checkpoint.h"
#include "tf1hub/env.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/proto/tensor_shape.pb.h"
#include "tf1hub/session.h"

namespace tf1hub::cli::testing {
namespace {

PartialTensorShape Shape(std::vector<int64_t> dims) { return *PartialTensorShape::Create(dims); }

Status AffineModuleFn(hub::ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 3})});
  Variable w = GetVariable(s, "w", *TensorShape::Create({3, 2}),
                           {.initializer = initializers::Constant(
                                std::vector<double>{1, 2, 3, 4, 5, 6})});
  Variable b = GetVariable(s, "b", *TensorShape::Create({2}),
                           {.initializer = initializers::Constant(std::vector<double>{0.5, -0.5})});
  Output y = ops::AddV2(s, ops::MatMul(s, x, w.Read(s)), b.Read(s));
  if (ctx.GetBool("is_training", false)) y = ops::Mul(s, y, ops::Const(s, 10.0f));
  Output doubled = ops::Mul(s.WithOpName("doubled"), x, ops::Const(s, 2.0f));
  ctx.AddSignature("default", {{"default", x}}, {{"default", y}, {"doubled", doubled}});

  Output a = ops::Placeholder(s.WithOpName("a"), DataType::kFloat, {.shape = Shape({-1, 2})});
  Output c = ops::Placeholder(s.WithOpName("b_in"), DataType::kFloat, {.shape = Shape({-1, 2})});
  ctx.AddSignature("sum", {{"a", a}, {"b", c}}, {{"default", ops::AddV2(s, a, c)}});

  tensorflow::TensorShapeProto info;
  info.add_dim()->set_size(7);
  info.add_dim()->set_size(11);
  RETURN_IF_ERROR(ctx.AttachMessage("info", info));
  return s.status();
}

Status ExportSpec(std::shared_ptr<const hub::ModuleSpec> spec, const std::string& dir) {
  Scope root = Scope::NewRootScope();
  ASSIGN_OR_RETURN(std::unique_ptr<hub::Module> module, hub::Module::Create(root, spec));
  Operation init = GlobalVariablesInitializer(root);
  if (!root.ok()) return root.status();
  ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::Create(root.graph()->graph_def()));
  RETURN_IF_ERROR(session->Run({}, {}, {init.name}).status());
  return module->Export(dir, *session);
}

}  // namespace

ScopedTempDir NewTempDir() { return ScopedTempDir("tf1hub_cli_test"); }

Status ExportAffineModule(const std::string& dir) {
  hub::CreateModuleSpecOptions options;
  options.tags_and_args = {{{"train"}, {{"is_training", true}}}, {{}, {}}};
  ASSIGN_OR_RETURN(auto spec, hub::CreateModuleSpec(AffineModuleFn, options));
  return ExportSpec(spec, dir);
}

Status ExportAssetModule(const std::string& dir) {
  // The export copies the asset, so its source is needed only until then.
  const ScopedTempDir source_dir = NewTempDir();
  const std::string vocab = source_dir.Join("tokens.txt");
  RETURN_IF_ERROR(PosixFileSystem()->WriteStringToFile(vocab, "cat\ndog\n"));
  auto module_fn = [vocab](hub::ModuleFnContext& ctx) -> Status {
    const Scope& s = ctx.scope();
    Output x = ops::Placeholder(s, DataType::kString, {.shape = Shape({-1})});
    Output file = ops::Const(s.WithOpName("vocab_file"), vocab);
    RETURN_IF_ERROR(s.graph()->AddToCollection("asset_filepaths", file.ToString()));
    ctx.AddSignature("default", {{"default", x}},
                     {{"default", ops::Identity(s, x)}, {"vocab", file}});
    return s.status();
  };
  ASSIGN_OR_RETURN(auto spec, hub::CreateModuleSpec(module_fn));
  return ExportSpec(spec, dir);
}

Status WriteFloatCheckpoint(const std::string& prefix,
                            const std::vector<std::pair<std::string, Tensor>>& values) {
  ASSIGN_OR_RETURN(auto writer, CheckpointWriter::Create(prefix));
  for (const auto& [name, value] : values) RETURN_IF_ERROR(writer->Add(name, value));
  return writer->Finish();
}

Tensor FloatTensor(std::vector<int64_t> dims, std::vector<float> values) {
  StatusOr<Tensor> t = Tensor::FromVector(values, *TensorShape::Create(dims));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : Tensor();
}

std::string ReadFileOrDie(const std::string& path) {
  StatusOr<std::string> bytes = PosixFileSystem()->ReadFileToString(path);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : "";
}

void WriteFileOrDie(const std::string& path, const std::string& contents) {
  Status status = PosixFileSystem()->WriteStringToFile(path, contents);
  EXPECT_TRUE(status.ok()) << status.ToString();
}

}  // namespace tf1hub::cli::testing
