// tf1hub_write_layer_graphs OUT_DIR: writes MetaGraphDefs built with the
// variables / initializers / regularizers / layers API, for
// interop/test_graph_layers_to_tf.py, which builds the same graphs with
// TensorFlow 2.15's tf.compat.v1 (control flow v1) and compares node by
// node, imports ours into TensorFlow and runs them. Keep both in step.
//
//   <case>.meta.pb  MetaGraphDef: graph_def, collection_def (as held by the
//                   Graph), meta_info_def.stripped_op_list
//
// Cases:
//   variables   get_variable with every initializer, ref and resource
//   dense       dense layers: activations, regularizers, scopes, reuse, ref vars
//   dropout     dropout with constant and tensor training flags
//   batch_norm  batch_normalization: inference, training, tensor flag, options
//   batch_norm_fused
//               rank 4 and 5 inputs (FusedBatchNormV3), and fused=false
//   mlp_const_{t,train,eval}
//               dense -> batch_norm -> dropout -> dense [logits], constant
//               kernels; training flags: the bool placeholder t / true / false
//               (dropout stays off in the const cases: deterministic).
//               Feeds x (and t); fetches out, loss; update_ops for training.
//   mlp_seeded_{t,train}
//               the same with seeded glorot kernels and seeded dropout
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "tf1hub/graph/initializers.h"
#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/regularizers.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/proto/meta_graph.pb.h"

namespace tf1hub {
namespace {

using layers::Activation;

PartialTensorShape Shape(std::vector<int64_t> dims) { return *PartialTensorShape::Create(dims); }
TensorShape Dims(std::vector<int64_t> dims) { return *TensorShape::Create(dims); }

Output FloatInput(const Scope& root, const char* name, std::vector<int64_t> dims) {
  return ops::Placeholder(root.WithOpName(name), DataType::kFloat, {.shape = Shape(dims)});
}
Output BoolInput(const Scope& root, const char* name) {
  return ops::Placeholder(root.WithOpName(name), DataType::kBool, {.shape = Shape({})});
}

void BuildVariables(const Scope& root) {
  SetRandomSeed(root.graph(), 5);
  namespace init = initializers;
  GetVariable(root, "a", Dims({2, 3}), {.initializer = init::RandomUniform(-0.5, 0.5, 3)});
  GetVariable(root, "b", Dims({3}), {.initializer = init::TruncatedNormal(0.1, 0.2, 4)});
  GetVariable(root, "c", Dims({4, 3}), {.initializer = init::GlorotUniform(7)});
  GetVariable(root, "d", Dims({2, 2}), {.initializer = init::Constant(2.5)});
  GetVariable(root, "e", Dims({2, 2}), {.initializer = init::Constant({1, 2, 3, 4})});
  GetVariable(root, "f", Dims({50, 40}), {.initializer = init::Zeros()});
  GetVariable(root, "h", Dims({3}), {.initializer = init::RandomUniform()});
  GetVariable(root, "i", Dims({3}), {.dtype = DataType::kInt32, .initializer = init::Zeros()});
  GetVariable(root, "j", Dims({50, 40}), {.initializer = init::Ones()});
  GetVariable(root, "k", Dims({}),
              {.initializer = init::Constant(3.0),
               .trainable = false,
               .collections = {graph_keys::kGlobalVariables, graph_keys::kModelVariables}});
  GetVariable(root, "n", Dims({2}), {.initializer = init::RandomNormal(0.5, 2.0, 9)});
  GetVariable(root, "g", Dims({3, 2}), {.initializer = init::GlorotNormal(11)});
  GetVariable(root, "r", Dims({2, 3}), {.initializer = init::Ones(), .use_resource = false});
  GetVariable(root, "rg", Dims({4, 2}),
              {.initializer = init::GlorotUniform(), .use_resource = false});
  GetVariable(root.WithVariableScope("scope"), "w", Dims({2}),
              {.initializer = init::Constant({0.5, -0.5}), .regularizer = regularizers::L2(0.1)});
  GlobalVariablesInitializer(root);
}

void BuildDense(const Scope& root) {
  namespace init = initializers;
  Output x = FloatInput(root, "x", {-1, 4});
  Output y = layers::Dense(root, x, 3,
                           {.activation = Activation::kTanh,
                            .use_bias = false,
                            .kernel_initializer = init::GlorotUniform(1)});
  y = layers::Dense(root, y, 2,
                    {.activation = Activation::kSigmoid,
                     .kernel_initializer = init::Constant(0.5),
                     .bias_initializer = init::Constant(0.1),
                     .kernel_regularizer = regularizers::L1(0.01),
                     .bias_regularizer = regularizers::L1L2(0.1, 0.2),
                     .trainable = false});
  Scope outer = root.NewSubScope("outer").WithVariableScope("outer");
  y = layers::Dense(outer, y, 2, {.kernel_initializer = init::Ones(), .name = "fc"});
  layers::Dense(outer, y, 2, {.name = "fc", .reuse = VariableReuse::kReuse});
  layers::Dense(root, x, 2,
                {.activation = Activation::kRelu,
                 .kernel_initializer = init::Ones(),
                 .kernel_regularizer = regularizers::L2(0.1),
                 .name = "outer/fc2"});
  layers::Dense(root, x, 250, {.use_bias = false, .kernel_initializer = init::Zeros()});
  layers::Dense(root, x, 3,
                {.kernel_initializer = init::GlorotUniform(1),
                 .kernel_regularizer = regularizers::L2Regularizer(0.5),
                 .bias_regularizer = regularizers::L1Regularizer(0.25),
                 .use_resource = false,
                 .name = "ref"});
  GlobalVariablesInitializer(root);
}

void BuildDropout(const Scope& root) {
  SetRandomSeed(root.graph(), 5);
  Output x = FloatInput(root, "x", {-1, 4});
  Output xs = FloatInput(root, "xs", {2, 4});
  Output t = BoolInput(root, "t");
  Output a = layers::Dropout(root, x, {.rate = 0.3, .training = true, .seed = 2});
  layers::Dropout(root, a, {.rate = 0.25, .training = false});
  layers::Dropout(root, a, {.rate = 0.5, .training = t});
  layers::Dropout(root, a, {.rate = 0.5, .training = true});
  layers::Dropout(root, xs, {.rate = 0.2, .training = t, .seed = 3});
  layers::Dropout(root, xs, {.rate = 0.0, .training = true});
  layers::Dropout(
      root, xs,
      {.rate = 0.4, .training = ops::Const(root.WithOpName("yes"), true), .name = "drop"});
}

void BuildBatchNorm(const Scope& root) {
  Output x = FloatInput(root, "x", {-1, 4});
  Output t = BoolInput(root, "t");
  Output y = layers::BatchNormalization(root, x, {.training = false});
  y = layers::BatchNormalization(root, y, {.momentum = 0.9, .epsilon = 0.01, .training = true});
  y = layers::BatchNormalization(root, y, {.training = t});
  y = layers::BatchNormalization(root, y, {.center = false, .scale = false, .training = false});
  y = layers::BatchNormalization(root, y, {.center = true, .scale = false, .training = true});
  y = layers::BatchNormalization(
      root, y,
      {.center = false, .gamma_regularizer = regularizers::L2(0.5), .training = t, .name = "bn"});
  GlobalVariablesInitializer(root);
}

void BuildBatchNormFused(const Scope& root) {
  Output x = FloatInput(root, "x", {-1, 5, 5, 4});
  Output x5 = FloatInput(root, "x5", {-1, 2, 3, 3, 4});
  Output t = BoolInput(root, "t");
  Output y = layers::BatchNormalization(root, x, {.training = false});
  y = layers::BatchNormalization(root, y, {.momentum = 0.9, .epsilon = 0.01, .training = true});
  y = layers::BatchNormalization(root, y, {.training = t});
  y = layers::BatchNormalization(root, y, {.center = false, .scale = false, .training = true});
  y = layers::BatchNormalization(root, y, {.scale = false, .training = t});
  layers::BatchNormalization(root, y, {.training = true, .fused = false});
  layers::BatchNormalization(root, x5, {.training = t});
  GlobalVariablesInitializer(root);
}

// dense(8, relu) -> batch_norm -> dropout(0.5, seed 21) -> dense(3) [logits],
// plus the sum of the regularization losses. `training` is "t" (the bool
// placeholder), "true" or "false"; dropout follows it when `with_dropout`.
void BuildMlp(const Scope& root, const Initializer& kernel_init, const std::string& training,
              bool with_dropout) {
  namespace init = initializers;
  Output x = FloatInput(root, "x", {-1, 4});
  Output t = BoolInput(root, "t");
  const layers::Training flag =
      training == "t" ? layers::Training(t) : layers::Training(training == "true");
  Output h = layers::Dense(root, x, 8,
                           {.activation = Activation::kRelu,
                            .kernel_initializer = kernel_init,
                            .bias_initializer = init::Constant(0.05),
                            .kernel_regularizer = regularizers::L2(0.01),
                            .bias_regularizer = regularizers::L1(0.02)});
  h = layers::BatchNormalization(root, h, {.momentum = 0.9, .training = flag});
  h = layers::Dropout(
      root, h,
      {.rate = 0.5, .training = with_dropout ? flag : layers::Training(false), .seed = 21});
  Output logits = layers::Dense(root, h, 3,
                                {.kernel_initializer = kernel_init,
                                 .kernel_regularizer = regularizers::L1L2(0.001, 0.002),
                                 .name = "logits"});
  ops::Identity(root.WithOpName("out"), logits);
  const tensorflow::CollectionDef* losses =
      root.graph()->GetCollection(graph_keys::kRegularizationLosses);
  std::vector<Output> terms;
  for (const std::string& name : losses->node_list().value())
    terms.push_back(*ParseTensorName(name));
  Output total = terms[0];
  for (size_t i = 1; i < terms.size(); ++i) total = ops::AddV2(root, total, terms[i]);
  ops::Identity(root.WithOpName("loss"), total);
  GlobalVariablesInitializer(root);
}

Initializer ConstKernel() {
  // Deterministic kernels: element i is i * 0.01 - 0.1.
  return Initializer([](const Scope& scope, const TensorShape& shape, DataType dtype) -> Output {
    std::vector<double> values;
    for (int64_t i = 0; i < shape.num_elements(); ++i) values.push_back(i * 0.01 - 0.1);
    return initializers::Constant(values)(scope, shape, dtype);
  });
}

std::function<void(const Scope&)> MlpConst(std::string training) {
  return [training](const Scope& root) { BuildMlp(root, ConstKernel(), training, false); };
}

std::function<void(const Scope&)> MlpSeeded(std::string training) {
  return [training](const Scope& root) {
    SetRandomSeed(root.graph(), 42);
    BuildMlp(root, initializers::GlorotUniform(), training, true);
  };
}

bool Write(const std::string& path, const tensorflow::MetaGraphDef& meta) {
  std::ofstream out(path, std::ios::binary);
  return out && meta.SerializeToOstream(&out);
}

}  // namespace
}  // namespace tf1hub

int main(int argc, char** argv) {
  using namespace tf1hub;  // NOLINT(build/namespaces)
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::vector<std::pair<const char*, std::function<void(const Scope&)>>> cases = {
      {"variables", BuildVariables},
      {"dense", BuildDense},
      {"dropout", BuildDropout},
      {"batch_norm", BuildBatchNorm},
      {"batch_norm_fused", BuildBatchNormFused},
      {"mlp_const_t", MlpConst("t")},
      {"mlp_const_train", MlpConst("true")},
      {"mlp_const_eval", MlpConst("false")},
      {"mlp_seeded_t", MlpSeeded("t")},
      {"mlp_seeded_train", MlpSeeded("true")},
  };
  for (const auto& [name, build] : cases) {
    Scope root = Scope::NewRootScope();
    build(root);
    StatusOr<tensorflow::GraphDef> graph = root.ToGraphDef();
    if (!graph.ok()) {
      std::fprintf(stderr, "%s: %s\n", name, graph.status().ToString().c_str());
      return 1;
    }
    tensorflow::MetaGraphDef meta;
    *meta.mutable_graph_def() = *graph;
    *meta.mutable_meta_info_def()->mutable_stripped_op_list() = root.graph()->StrippedOpList();
    for (const auto& [key, collection] : root.graph()->collections()) {
      (*meta.mutable_collection_def())[key] = collection;
    }
    ClearGraphRandomState(root.graph());
    const std::string path = dir + "/" + name + ".meta.pb";
    if (!Write(path, meta)) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}
