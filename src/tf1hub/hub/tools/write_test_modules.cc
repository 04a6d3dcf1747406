// tf1hub_write_test_modules: TF1 Hub modules built and exported with the
// C++ hub API, for the interop suites (interop/test_hub_*.py) to load with
// real tensorflow_hub. The Python tests hard-code what each module holds and
// compute the expected outputs with NumPy from the same known values; keep
// the two in step.
//
//   tf1hub_write_test_modules write OUT_DIR
//       Exports, each into OUT_DIR/<name>/ (see BuildModules below):
//         seed          Placeholder [?,50] -> dense 200 -> dense 100;
//                       signature default: default, hidden_activations
//         multisig      variable v [3] = [2,-4,0.5]; signatures default
//                       (x+v), mul (x*v), div (x/v), affine (sum/diff, two
//                       inputs, no "default" output)
//         two_tags      {"train"} (batch norm + dropout training) and the
//                       default set (inference); dense 3 + batch norm
//         attachments   images [?,2,4,3] -> mean over h,w * scale; signatures
//                       default and image_feature_vector; attached
//                       ImageModuleInfo (2x4) and a TensorShapeProto [7,11]
//         regularizers  dense 2 (relu), kernel L2(0.01), bias L1(0.1)
//         assets        vocab.txt asset: default (string -> line number,
//                       -1 if unknown) and vocab (the vocab path); no variables
//         variables     ref variable ref_w [3,2], resource res_b [2],
//                       resource int64 counter = 42 (not trainable)
//       Every float variable is assigned Pattern(shape, seed) through the
//       session after initialisation (AssignVariableOp / Assign from a
//       Const), except where noted; the module graphs keep their own
//       initializers.
//
//   tf1hub_write_test_modules reexport SRC DST [--tags a,b] [NAME=FILE.npy ...]
//       LoadModuleSpec(SRC) -> Module (tags) -> Session -> initializers ->
//       assigns NAME (module-relative variable name) from each .npy ->
//       Module::Export(DST).
//
//   tf1hub_write_test_modules errors
//       Prints one JSON object per line, {"case", "code", "message"}, for
//       the mistakes hub refuses at create_module_spec or apply time.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/regularizers.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/hub/seed_module_fn.h"
#include "tf1hub/npy.h"
#include "tf1hub/proto/image_module_info.pb.h"
#include "tf1hub/proto/tensor_shape.pb.h"
#include "tf1hub/session.h"

namespace tf1hub {
namespace {

using hub::ModuleFnContext;

using hub::testing::SeedModuleFn;
using hub::testing::Shape;

// Known values: element k of a tensor made with `seed` is
// (((k*37 + seed*11) mod 101) - 50) / 100 in float32. The Python tests
// compute the same numbers (interop/_hub_modules.py: pattern()).
Tensor Pattern(std::vector<int64_t> dims, int seed) {
  Tensor t = *Tensor::Create(DataType::kFloat, *TensorShape::Create(dims));
  std::span<float> f = t.mutable_flat<float>();
  for (size_t k = 0; k < f.size(); ++k) {
    const int64_t v = static_cast<int64_t>((k * 37 + static_cast<size_t>(seed) * 11) % 101) - 50;
    f[k] = static_cast<float>(v) / 100.0f;
  }
  return t;
}

Tensor Map(Tensor t, float (*fn)(float)) {
  for (float& x : t.mutable_flat<float>()) x = fn(x);
  return t;
}

using KnownValues = std::map<std::string, Tensor>;  // module-relative name -> value

// ---- module_fns -------------------------------------------------------------

KnownValues SeedValues() {
  return {{"dense/kernel", Pattern({50, 200}, 1)},
          {"dense/bias", Pattern({200}, 2)},
          {"dense_1/kernel", Pattern({200, 100}, 3)},
          {"dense_1/bias", Pattern({100}, 4)}};
}

Status MultiSigModuleFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Variable v = GetVariable(s, "v", *TensorShape::Create({3}),
                           {.initializer = initializers::Ones()});
  Output x = ops::Placeholder(s.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 3})});
  Output y = ops::Placeholder(s.WithOpName("y"), DataType::kFloat, {.shape = Shape({-1, 3})});
  Output value = v.Read(s);
  Output prod = ops::Mul(s.WithOpName("times_v"), x, value);
  ctx.AddSignature("default", {{"default", x}},
                   {{"default", ops::AddV2(s.WithOpName("plus_v"), x, value)}});
  ctx.AddSignature("mul", {{"x", x}}, {{"default", prod}});
  ctx.AddSignature("div", {{"x", x}}, {{"default", ops::RealDiv(s.WithOpName("over_v"), x, value)}});
  ctx.AddSignature("affine", {{"x", x}, {"y", y}},
                   {{"sum", ops::AddV2(s.WithOpName("sum"), prod, y)},
                    {"diff", ops::Sub(s.WithOpName("diff"), prod, y)}});
  return s.status();
}

KnownValues MultiSigValues() {
  return {{"v", *Tensor::FromVector(std::vector<float>{2.0f, -4.0f, 0.5f},
                                    *TensorShape::Create({3}))}};
}

Status TwoTagsModuleFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  const bool training = ctx.GetBool("is_training", false);
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1, 4})});
  Output h = layers::Dense(s, x, 3);
  h = layers::BatchNormalization(s, h, {.training = training, .fused = false});
  Output y = layers::Dropout(s, h, {.rate = 0.5, .training = training});
  ctx.AddSignature("default", x, y);
  return s.status();
}

KnownValues TwoTagsValues() {
  return {{"dense/kernel", Pattern({4, 3}, 5)},
          {"dense/bias", Pattern({3}, 6)},
          {"batch_normalization/gamma", Map(Pattern({3}, 7), [](float p) { return 1.0f + p; })},
          {"batch_normalization/beta", Pattern({3}, 8)},
          {"batch_normalization/moving_mean", Pattern({3}, 9)},
          {"batch_normalization/moving_variance",
           Map(Pattern({3}, 10), [](float p) { return 0.5f + std::fabs(p); })}};
}

Status AttachmentsModuleFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output images = ops::Placeholder(s.WithOpName("images"), DataType::kFloat,
                                   {.shape = Shape({-1, 2, 4, 3})});
  Variable scale = GetVariable(s, "scale", *TensorShape::Create({3}),
                               {.initializer = initializers::Ones()});
  Output mean = ops::Mean(s, images, ops::Const(s, std::vector<int32_t>{1, 2}));
  Output features = ops::Mul(s.WithOpName("features"), mean, scale.Read(s));
  ctx.AddSignature("default", {{"images", images}}, {{"default", features}});
  ctx.AddSignature("image_feature_vector", {{"images", images}}, {{"default", features}});
  tensorflow_hub::ImageModuleInfo info;
  info.mutable_default_image_size()->set_height(2);
  info.mutable_default_image_size()->set_width(4);
  RETURN_IF_ERROR(ctx.AttachMessage("image_module_info", info));
  tensorflow::TensorShapeProto custom;
  custom.add_dim()->set_size(7);
  custom.mutable_dim(0)->set_name("seven");
  custom.add_dim()->set_size(11);
  RETURN_IF_ERROR(ctx.AttachMessage("custom_shape", custom));
  return s.status();
}

KnownValues AttachmentsValues() { return {{"scale", Pattern({3}, 13)}}; }

Status RegularizersModuleFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1, 4})});
  Output y = layers::Dense(s, x, 2,
                           {.activation = layers::Activation::kRelu,
                            .kernel_regularizer = regularizers::L2(0.01),
                            .bias_regularizer = regularizers::L1(0.1)});
  ctx.AddSignature("default", x, y);
  return s.status();
}

KnownValues RegularizersValues() {
  return {{"dense/kernel", Pattern({4, 2}, 11)}, {"dense/bias", Pattern({2}, 12)}};
}

// The asset's source file; removed after the export (the module must not
// need it).
std::string g_vocab_source;

Status AssetsModuleFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Graph* g = s.graph();
  Output path = ops::Const(s.WithOpName("vocab_file"), g_vocab_source.c_str());
  RETURN_IF_ERROR(g->AddToCollection(graph_keys::kAssetFilepaths, path.ToString()));
  Output table = ops::HashTableV2(s.WithOpName("vocab_table"), DataType::kString,
                                  DataType::kInt64, {.shared_name = "vocab_table"});
  Operation init = ops::InitializeTableFromTextFileV2(s.WithOpName("vocab_table/init"), table,
                                                      path, /*key_index=*/-2,
                                                      /*value_index=*/-1);
  RETURN_IF_ERROR(g->AddToCollection(graph_keys::kTableInitializers, init.name));
  Output words = ops::Placeholder(s.WithOpName("words"), DataType::kString,
                                  {.shape = Shape({-1})});
  Output ids = ops::LookupTableFindV2(s.WithOpName("ids"), table, words,
                                      ops::Const(s.WithOpName("oov"), int64_t{-1}));
  ctx.AddSignature("default", words, ids);
  ctx.AddSignature("vocab", {}, {{"path", ops::Identity(s.WithOpName("vocab_path"), path)}});
  return s.status();
}

Status VariablesModuleFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s.WithOpName("x"), DataType::kFloat, {.shape = Shape({-1, 3})});
  Variable w = GetVariable(s, "ref_w", *TensorShape::Create({3, 2}), {.use_resource = false});
  Variable b = GetVariable(s, "res_b", *TensorShape::Create({2}),
                           {.initializer = initializers::Zeros()});
  Variable counter = GetVariable(s, "counter", TensorShape(),
                                 {.dtype = DataType::kInt64,
                                  .initializer = initializers::Zeros(),
                                  .trainable = false});
  Output y = ops::AddV2(s.WithOpName("y"), ops::MatMul(s, x, w.Read(s)), b.Read(s));
  ctx.AddSignature("default", {{"default", x}},
                   {{"default", y}, {"count", ops::Identity(s.WithOpName("count"), counter.Read(s))}});
  return s.status();
}

KnownValues VariablesValues() {
  return {{"ref_w", Pattern({3, 2}, 14)},
          {"res_b", Pattern({2}, 15)},
          {"counter", Tensor::Scalar<int64_t>(42)}};
}

// ---- instantiate, assign, export ----------------------------------------------

// The node names of the table initializers in `graph`.
std::vector<std::string> TableInitializers(const Graph& graph) {
  std::vector<std::string> out;
  if (const tensorflow::CollectionDef* c = graph.GetCollection(graph_keys::kTableInitializers)) {
    for (const std::string& name : c->node_list().value()) out.push_back(name);
  }
  return out;
}

// Module(spec, tags) in a new graph; runs the initializers, assigns `values`
// through the session and exports to `out`.
Status InstantiateAssignExport(std::shared_ptr<const hub::ModuleSpec> spec,
                               const KnownValues& values, const std::string& out,
                               const hub::TagSet& tags = {}) {
  Scope root = Scope::NewRootScope();
  ASSIGN_OR_RETURN(std::unique_ptr<hub::Module> module,
                   hub::Module::Create(root, spec, {.tags = tags}));
  std::vector<std::string> assigns;
  Scope assign_scope = root.NewSubScope("known_values");
  for (const auto& [name, value] : values) {
    auto it = module->variable_map().find(name);
    if (it == module->variable_map().end() || it->second.size() != 1) {
      return NotFoundError("module has no (unpartitioned) variable '" + name + "'");
    }
    const Variable& v = it->second[0];
    Output c = ops::Const(assign_scope, value);
    if (v.is_resource()) {
      assigns.push_back(ops::AssignVariableOp(assign_scope, v.handle(), c).name);
    } else {
      assigns.push_back(ops::Assign(assign_scope, v.handle(), c).node);
    }
  }
  Operation init = GlobalVariablesInitializer(root);
  RETURN_IF_ERROR(root.status());
  std::vector<std::string> init_targets = TableInitializers(*root.graph());
  init_targets.push_back(init.name);
  ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::Create(root.graph()->graph_def()));
  RETURN_IF_ERROR(session->Run({}, {}, init_targets).status());
  if (!assigns.empty()) RETURN_IF_ERROR(session->Run({}, {}, assigns).status());
  return module->Export(out, *session);
}

Status WriteAll(const std::string& dir) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  struct Entry {
    std::string name;
    hub::ModuleFn fn;
    KnownValues values;
    hub::CreateModuleSpecOptions options;
  };
  std::vector<Entry> entries;
  entries.push_back({"seed", SeedModuleFn, SeedValues(), {}});
  entries.push_back({"multisig", MultiSigModuleFn, MultiSigValues(), {}});
  entries.push_back({"two_tags", TwoTagsModuleFn, TwoTagsValues(),
                     {.tags_and_args = {{{"train"}, {{"is_training", true}}},
                                        {{}, {{"is_training", false}}}}}});
  entries.push_back({"attachments", AttachmentsModuleFn, AttachmentsValues(), {}});
  entries.push_back({"regularizers", RegularizersModuleFn, RegularizersValues(), {}});
  entries.push_back({"assets", AssetsModuleFn, {}, {}});
  entries.push_back({"variables", VariablesModuleFn, VariablesValues(), {}});

  const std::string src_dir = dir + "/_asset_source";
  fs::create_directories(src_dir);
  g_vocab_source = src_dir + "/vocab.txt";
  {
    std::ofstream vocab(g_vocab_source, std::ios::binary);
    vocab << "cat\ndog\nbird\n";
    if (!vocab) return InternalError("cannot write " + g_vocab_source);
  }
  for (const Entry& e : entries) {
    StatusOr<std::shared_ptr<const hub::ModuleSpec>> spec = hub::CreateModuleSpec(e.fn, e.options);
    if (!spec.ok()) return spec.status().WithContext("creating module '" + e.name + "'");
    RETURN_IF_ERROR_WITH_CONTEXT(InstantiateAssignExport(*spec, e.values, dir + "/" + e.name),
                                 "exporting module '" + e.name + "'");
  }
  std::error_code ec;
  fs::remove_all(src_dir, ec);  // the assets module must work without it
  return Status::OK();
}

// ---- reexport -----------------------------------------------------------------

Status Reexport(const std::string& src, const std::string& dst, const hub::TagSet& tags,
                const std::vector<std::string>& assignments) {
  ASSIGN_OR_RETURN(std::shared_ptr<const hub::ModuleSpec> spec, hub::LoadModuleSpec(src));
  KnownValues values;
  for (const std::string& a : assignments) {
    const size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgumentError("expected NAME=FILE.npy, got '" + a + "'");
    }
    ASSIGN_OR_RETURN(Tensor t, ReadNpyFile(a.substr(eq + 1)));
    values[a.substr(0, eq)] = std::move(t);
  }
  return InstantiateAssignExport(spec, values, dst, tags);
}

// ---- errors -------------------------------------------------------------------

nlohmann::json ErrorCase(const std::string& name, const Status& status) {
  return {{"case", name},
          {"code", std::string(StatusCodeName(status.code()))},
          {"message", status.message()}};
}

Status Fine(ModuleFnContext& ctx) {
  Output x = ops::Placeholder(ctx.scope(), DataType::kFloat, {.shape = Shape({-1, 2})});
  ctx.AddSignature("default", x, ops::Identity(ctx.scope(), x));
  return ctx.scope().status();
}

std::vector<nlohmann::json> ErrorCases() {
  std::vector<nlohmann::json> out;
  auto status_of = [](const StatusOr<std::shared_ptr<const hub::ModuleSpec>>& r) {
    return r.status();
  };
  out.push_back(ErrorCase("no_signature", status_of(hub::CreateModuleSpec([](ModuleFnContext& ctx) {
    ops::Placeholder(ctx.scope(), DataType::kFloat);
    return ctx.scope().status();
  }))));
  out.push_back(ErrorCase(
      "repeated_tags",
      status_of(hub::CreateModuleSpec(Fine, {.tags_and_args = {{{"a", "b"}, {}}, {{"b", "a"}, {}}}}))));
  auto custom_collections = [](ModuleFnContext& ctx) {
    RETURN_IF_ERROR(Fine(ctx));
    Graph* g = ctx.scope().graph();
    Output c = ops::Const(ctx.scope().WithOpName("c"), 1.0f);
    RETURN_IF_ERROR(g->AddToCollection("my_collection", c.ToString()));
    return g->AddToCollection(graph_keys::kLosses, c.ToString());
  };
  out.push_back(ErrorCase("unsupported_collections",
                          status_of(hub::CreateModuleSpec(custom_collections))));
  out.push_back(ErrorCase(
      "unsupported_collections_dropped",
      status_of(hub::CreateModuleSpec(
          custom_collections, {.drop_collections = {"my_collection", graph_keys::kLosses}}))));
  out.push_back(ErrorCase("malformed_key", status_of(hub::CreateModuleSpec([](ModuleFnContext& ctx) {
    RETURN_IF_ERROR(Fine(ctx));
    tensorflow::TensorShapeProto msg;
    return ctx.AttachMessage("9lives", msg);
  }))));

  // Apply-time mistakes on the multisig module.
  StatusOr<std::shared_ptr<const hub::ModuleSpec>> spec = hub::CreateModuleSpec(MultiSigModuleFn);
  if (!spec.ok()) {
    out.push_back(ErrorCase("multisig", spec.status()));
    return out;
  }
  Scope root = Scope::NewRootScope();
  StatusOr<std::unique_ptr<hub::Module>> m = hub::Module::Create(root, *spec);
  if (!m.ok()) {
    out.push_back(ErrorCase("multisig", m.status()));
    return out;
  }
  Output f3 = ops::Placeholder(root, DataType::kFloat, {.shape = Shape({-1, 3})});
  Output f5 = ops::Placeholder(root, DataType::kFloat, {.shape = Shape({-1, 5})});
  Output i3 = ops::Placeholder(root, DataType::kInt32, {.shape = Shape({-1, 3})});
  auto apply = [&](const hub::SignatureTensors& in, std::string_view sig) {
    return (*m)->ApplyAsDict(root, in, sig).status();
  };
  out.push_back(ErrorCase("missing_input", apply({{"x", f3}}, "affine")));
  out.push_back(ErrorCase("missing_and_extra_input", apply({{"x", f3}, {"z", f3}}, "affine")));
  out.push_back(ErrorCase("multiple_inputs_need_dict",
                          (*m)->ApplyAsDict(root, f3, "affine").status()));
  out.push_back(ErrorCase("wrong_dtype", apply({{"x", i3}}, "mul")));
  out.push_back(ErrorCase("incompatible_shape", apply({{"x", f5}}, "mul")));
  out.push_back(ErrorCase("missing_signature", apply({{"x", f3}}, "nope")));
  out.push_back(ErrorCase("no_default_output",
                          (*m)->Apply(root, {{"x", f3}, {"y", f3}}, "affine").status()));
  return out;
}

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s write OUT_DIR\n"
               "       %s reexport SRC DST [--tags a,b] [NAME=FILE.npy ...]\n"
               "       %s errors\n",
               argv0, argv0, argv0);
  return 2;
}

}  // namespace
}  // namespace tf1hub

int main(int argc, char** argv) {
  using tf1hub::Status;
  if (argc < 2) return tf1hub::Usage(argv[0]);
  const std::string mode = argv[1];
  Status status;
  if (mode == "write" && argc == 3) {
    status = tf1hub::WriteAll(argv[2]);
  } else if (mode == "reexport" && argc >= 4) {
    tf1hub::hub::TagSet tags;
    std::vector<std::string> assignments;
    for (int i = 4; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--tags" && i + 1 < argc) {
        std::string list = argv[++i];
        size_t start = 0;
        while (start <= list.size()) {
          const size_t comma = std::min(list.find(',', start), list.size());
          if (comma > start) tags.insert(list.substr(start, comma - start));
          start = comma + 1;
        }
      } else {
        assignments.push_back(arg);
      }
    }
    status = tf1hub::Reexport(argv[2], argv[3], tags, assignments);
  } else if (mode == "errors" && argc == 2) {
    for (const nlohmann::json& j : tf1hub::ErrorCases()) std::printf("%s\n", j.dump().c_str());
    return 0;
  } else {
    return tf1hub::Usage(argv[0]);
  }
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", argv[0], status.ToString().c_str());
    return 1;
  }
  return 0;
}
