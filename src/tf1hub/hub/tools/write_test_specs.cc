// tf1hub_write_test_specs: module specs made by CreateModuleSpec and written
// with WriteModuleDirectory WITHOUT variables bundles, for
// interop/test_hub_spec.py, which builds the same module_fns with real
// tensorflow_hub and compares the two saved_model.pb files, and loads ours
// with hub.load_module_spec. Keep the module_fns in step with the Python
// ones there.
//
//   tf1hub_write_test_specs OUT_DIR
//     OUT_DIR/double     x float [?,3] -> x * 2 (signature default)
//     OUT_DIR/multisig   signatures double (x*2) and square (x*x), input "x"
//                        float [?], outputs "y"
//     OUT_DIR/two_tags   {"train"}: default = x*3 plus signature "extra";
//                        {}: default = x*2; attachment "which"
//                        (ModuleAttachment with key "train" / "serve")
//     OUT_DIR/sparse     SparseTensor input "sp" (int64 indices [?,2], float
//                        values [?], dense shape Const [-1,5]) -> values * 2
//     OUT_DIR/assets     string Const "vocab_path" listed in asset_filepaths
//                        (file OUT_DIR/vocab_src/tokens.txt); default: the
//                        path, as output
//     OUT_DIR/seed       the seed module (x [?,50] -> dense 200 -> dense
//                        100), its variables collection present but no
//                        bundle written (spec-level checks only)
#include <cstdio>
#include <string>

#include "tf1hub/env.h"
#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/hub/module_writer.h"
#include "tf1hub/hub/seed_module_fn.h"
#include "tf1hub/proto/module_attachment.pb.h"

namespace tf1hub::hub {
namespace {

using testing::SeedModuleFn;
using testing::Shape;

Status DoubleFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1, 3})});
  ctx.AddSignature("", x, ops::Mul(s, x, ops::Const(s, 2.0f)));
  return s.status();
}

Status MultiSigFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1})});
  ctx.AddSignature("double", {{"x", x}}, {{"y", ops::Mul(s, x, ops::Const(s, 2.0f))}});
  ctx.AddSignature("square", {{"x", x}}, {{"y", ops::Mul(s, x, x)}});
  return s.status();
}

Status TwoTagsFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  const bool training = ctx.GetBool("is_training", false);
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1, 3})});
  ctx.AddSignature("", x, ops::Mul(s, x, ops::Const(s, training ? 3.0f : 2.0f)));
  if (training) ctx.AddSignature("extra", x, x);
  tensorflow_hub::ModuleAttachment which;
  which.set_key(training ? "train" : "serve");
  RETURN_IF_ERROR(ctx.AttachMessage("which", which));
  return s.status();
}

Status SparseFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output indices =
      ops::Placeholder(s.WithOpName("indices"), DataType::kInt64, {.shape = Shape({-1, 2})});
  Output values =
      ops::Placeholder(s.WithOpName("values"), DataType::kFloat, {.shape = Shape({-1})});
  Output shape = ops::Const(s.WithOpName("dense_shape"), std::vector<int64_t>{-1, 5});
  ctx.AddSignature("", {{"sp", SparseOutput{indices, values, shape}}},
                   {{"default", ops::Mul(s, values, ops::Const(s, 2.0f))}});
  return s.status();
}

ModuleFn AssetsFn(const std::string& vocab) {
  return [vocab](ModuleFnContext& ctx) -> Status {
    const Scope& s = ctx.scope();
    Output path = ops::Const(s.WithOpName("vocab_path"), vocab);
    RETURN_IF_ERROR(s.graph()->AddToCollection("asset_filepaths", path.ToString()));
    Output x = ops::Placeholder(s, DataType::kString, {.shape = Shape({-1})});
    ctx.AddSignature("", {{"default", x}}, {{"default", x}, {"vocab", path}});
    return s.status();
  };
}

Status Write(const std::string& dir, const ModuleFn& fn,
             const CreateModuleSpecOptions& options = {}) {
  ASSIGN_OR_RETURN(auto spec, CreateModuleSpec(fn, options));
  return WriteModuleDirectory(dir, *spec, {});
}

Status Run(const std::string& out) {
  FileSystem* fs = PosixFileSystem();
  RETURN_IF_ERROR(Write(JoinPath(out, "double"), DoubleFn));
  RETURN_IF_ERROR(Write(JoinPath(out, "multisig"), MultiSigFn));
  RETURN_IF_ERROR(Write(JoinPath(out, "two_tags"), TwoTagsFn,
                        {.tags_and_args = {{{"train"}, {{"is_training", true}}}, {{}, {}}}}));
  RETURN_IF_ERROR(Write(JoinPath(out, "sparse"), SparseFn));
  const std::string vocab = JoinPath(JoinPath(out, "vocab_src"), "tokens.txt");
  RETURN_IF_ERROR(fs->RecursivelyCreateDir(std::string(Dirname(vocab))));
  RETURN_IF_ERROR(fs->WriteStringToFile(vocab, "cat\nlizard\ndog\n"));
  RETURN_IF_ERROR(Write(JoinPath(out, "assets"), AssetsFn(vocab)));
  RETURN_IF_ERROR(Write(JoinPath(out, "seed"), SeedModuleFn));
  return Status::OK();
}

}  // namespace
}  // namespace tf1hub::hub

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  tf1hub::Status status = tf1hub::hub::Run(argv[1]);
  if (!status.ok()) {
    std::fprintf(stderr, "tf1hub_write_test_specs: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
