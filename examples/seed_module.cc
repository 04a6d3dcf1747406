// The seed guide's module, in C++: "Exporting models in the TF1 Hub format"
// defines it in Python as
//
//   def module_fn():
//     inputs = tf.placeholder(dtype=tf.float32, shape=[None, 50])
//     layer1 = tf.layers.dense(inputs, 200)
//     layer2 = tf.layers.dense(layer1, 100)
//     outputs = dict(default=layer2, hidden_activations=layer1)
//     hub.add_signature(inputs=inputs, outputs=outputs)
//   spec = hub.create_module_spec(module_fn)
//
// This program builds the same module, instantiates it, initializes its
// variables and exports it (Module::Export, the TF1 Hub layout that
// hub.Module in TensorFlow loads); then loads it back as any consumer
// would, runs its default signature on a sample batch and prints the
// outputs and the module's layout.
//
//   tf1hub_seed_module MODULE_DIR [--write-input FILE.npy]
//
// MODULE_DIR must not hold a module already. The kernels get fixed seeds
// (glorot_uniform_initializer(seed=1) and (seed=2)) so the printed numbers
// are the same on every run, and the same in TensorFlow. The sample batch
// is x[i][j] = sin(0.1 * (50*i + j)) for 2 rows of 50; --write-input saves
// it as .npy (for `tf1hub run`).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "tf1hub/env.h"
#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/npy.h"
#include "tf1hub/session.h"

namespace {

using namespace tf1hub;  // NOLINT(build/namespaces): a short example program.

// [None, 50]
PartialTensorShape BatchOf50() {
  return *PartialTensorShape::Create(std::vector<int64_t>{-1, 50});
}

// The guide's module_fn.
Status SeedModuleFn(hub::ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output inputs = ops::Placeholder(s, DataType::kFloat, {.shape = BatchOf50()});
  Output layer1 = layers::Dense(s, inputs, 200, {.kernel_initializer = initializers::GlorotUniform(1)});
  Output layer2 = layers::Dense(s, layer1, 100, {.kernel_initializer = initializers::GlorotUniform(2)});
  ctx.AddSignature("default", {{"default", inputs}},
                   {{"default", layer2}, {"hidden_activations", layer1}});
  return s.status();
}

// Publisher: create the spec, instantiate it, initialize, export.
Status ExportSeedModule(const std::string& dir) {
  ASSIGN_OR_RETURN(std::shared_ptr<const hub::ModuleSpec> spec, hub::CreateModuleSpec(SeedModuleFn));
  Scope root = Scope::NewRootScope();
  ASSIGN_OR_RETURN(std::unique_ptr<hub::Module> module, hub::Module::Create(root, spec));
  Operation init = GlobalVariablesInitializer(root);
  RETURN_IF_ERROR(root.status());
  ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::Create(root.graph()->graph_def()));
  RETURN_IF_ERROR(session->Run({}, {}, {init.name}).status());
  return module->Export(dir, *session);
}

StatusOr<Tensor> SampleBatch() {
  ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create({2, 50}));
  ASSIGN_OR_RETURN(Tensor x, Tensor::Create(DataType::kFloat, shape));
  std::span<float> v = x.mutable_flat<float>();
  for (size_t k = 0; k < v.size(); ++k) v[k] = std::sin(0.1f * static_cast<float>(k));
  return x;
}

void PrintTensor(const std::string& name, const Tensor& t) {
  std::printf("  %-19s %s %s  row 0 starts", name.c_str(), DataTypeName(t.dtype()).c_str(),
              t.shape().DebugString().c_str());
  for (int k = 0; k < 4; ++k) std::printf(" %+.6f", t.flat<float>()[k]);
  std::printf(" ...\n");
}

// Consumer: load the module from disk, apply it, run the default signature.
Status RunSeedModule(const std::string& dir, const Tensor& x) {
  ASSIGN_OR_RETURN(std::shared_ptr<const hub::ModuleSpec> spec, hub::LoadModuleSpec(dir));
  Scope root = Scope::NewRootScope();
  ASSIGN_OR_RETURN(std::unique_ptr<hub::Module> module, hub::Module::Create(root, spec));
  Output input = ops::Placeholder(root, DataType::kFloat, {.shape = BatchOf50()});
  ASSIGN_OR_RETURN(auto outputs, module->ApplyAsDict(root, input));
  Operation init = GlobalVariablesInitializer(root);  // restores from variables/
  RETURN_IF_ERROR(root.status());

  ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::Create(root.graph()->graph_def()));
  RETURN_IF_ERROR(session->Run({}, {}, {init.name}).status());
  std::vector<std::string> keys, fetches;
  for (const auto& [key, tensor] : outputs) {
    keys.push_back(key);
    fetches.push_back(std::get<Output>(tensor).ToString());
  }
  ASSIGN_OR_RETURN(std::vector<Tensor> values, session->Run({{input.ToString(), x}}, fetches, {}));
  std::printf("default signature on x[i][j] = sin(0.1*(50i+j)), %s:\n",
              x.shape().DebugString().c_str());
  for (size_t i = 0; i < keys.size(); ++i) PrintTensor(keys[i], values[i]);
  return Status::OK();
}

Status PrintFiles(const std::string& dir, const std::string& relative) {
  FileSystem* fs = PosixFileSystem();
  ASSIGN_OR_RETURN(std::vector<std::string> children, fs->GetChildren(JoinPath(dir, relative)));
  std::sort(children.begin(), children.end());
  for (const std::string& child : children) {
    const std::string name = relative.empty() ? child : JoinPath(relative, child);
    ASSIGN_OR_RETURN(bool is_dir, fs->IsDirectory(JoinPath(dir, name)));
    if (is_dir) {
      std::printf("  %s/\n", name.c_str());
      RETURN_IF_ERROR(PrintFiles(dir, name));
    } else {
      ASSIGN_OR_RETURN(uint64_t size, fs->GetFileSize(JoinPath(dir, name)));
      std::printf("  %-40s %8llu bytes\n", name.c_str(), static_cast<unsigned long long>(size));
    }
  }
  return Status::OK();
}

Status PrintLayout(const std::string& dir) {
  std::printf("module layout of %s:\n", dir.c_str());
  RETURN_IF_ERROR(PrintFiles(dir, ""));
  ASSIGN_OR_RETURN(std::shared_ptr<const hub::ModuleSpec> spec, hub::LoadModuleSpec(dir));
  for (const hub::TagSet& tags : spec->GetTags()) {
    std::printf("graph variant tags=%s\n", hub::TagSetDebugString(tags).c_str());
    ASSIGN_OR_RETURN(std::vector<std::string> names, spec->GetSignatureNames(tags));
    for (const std::string& name : names) {
      std::printf("  signature '%s'\n", name.c_str());
      ASSIGN_OR_RETURN(auto inputs, spec->GetInputInfoDict(name, tags));
      ASSIGN_OR_RETURN(auto outputs, spec->GetOutputInfoDict(name, tags));
      for (const auto& [key, info] : inputs) {
        std::printf("    input  %s: %s %s\n", key.c_str(), DataTypeName(info.dtype).c_str(),
                    info.shape.DebugString().c_str());
      }
      for (const auto& [key, info] : outputs) {
        std::printf("    output %s: %s %s\n", key.c_str(), DataTypeName(info.dtype).c_str(),
                    info.shape.DebugString().c_str());
      }
    }
  }
  return Status::OK();
}

Status Main(const std::string& dir, const std::string& input_npy) {
  RETURN_IF_ERROR(ExportSeedModule(dir));
  std::printf("exported the seed module to %s\n\n", dir.c_str());
  ASSIGN_OR_RETURN(Tensor x, SampleBatch());
  if (!input_npy.empty()) {
    RETURN_IF_ERROR(WriteNpyFile(input_npy, x));
    std::printf("wrote the sample batch to %s\n\n", input_npy.c_str());
  }
  RETURN_IF_ERROR(RunSeedModule(dir, x));
  std::printf("\n");
  return PrintLayout(dir);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string usage = "usage: tf1hub_seed_module MODULE_DIR [--write-input FILE.npy]\n";
  if (!(argc == 2 || (argc == 4 && std::string(argv[2]) == "--write-input"))) {
    std::fputs(usage.c_str(), stderr);
    return 2;
  }
  tf1hub::Status status = Main(argv[1], argc == 4 ? argv[3] : "");
  if (!status.ok()) {
    std::fprintf(stderr, "tf1hub_seed_module: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
