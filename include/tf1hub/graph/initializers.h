// Variable initializers and random seeds, as tf.compat.v1 builds them.
//
// An Initializer builds a variable's initial value inside the scope it is
// given (GetVariable passes "<var>/Initializer"), with the ops and names of
// TensorFlow 2.15's tf.compat.v1 initializer objects:
//
//   Zeros()/Ones()       "zeros" Const (fewer than 1000 elements), else
//                        zeros/shape_as_tensor + zeros/Const -> "zeros" Fill
//   Constant(v)          "Const"
//   RandomUniform(a, b)  random_uniform/{shape,min,max,RandomUniform,sub,mul}
//                        -> "random_uniform" AddV2 = RandomUniform*(max-min)+min
//   RandomNormal(m, s)   random_normal/{shape,mean,stddev,RandomStandardNormal,mul}
//                        -> "random_normal" AddV2
//   TruncatedNormal(m,s) truncated_normal/{shape,mean,stddev,TruncatedNormal,mul}
//                        -> "truncated_normal" AddV2
//   VarianceScaling      init_ops.VarianceScaling (v1): fans from the shape,
//   GlorotUniform/Normal uniform limit sqrt(3*scale/n), truncated normal
//                        stddev sqrt(scale/n)/0.87962566103423978, built with
//                        the random ops above.
//
//   Scope root = Scope::NewRootScope();
//   SetRandomSeed(root.graph(), 5);
//   Variable w = GetVariable(root, "w", {4, 3}, {.initializer = initializers::GlorotUniform(7)});
//   // w/Initializer/random_uniform/RandomUniform has seed 5, seed2 7.
//
// Seeds follow tf.compat.v1.get_seed: with graph seed G and op seed S the
// random op gets (G, S); with only G, (G, n) where n counts the graph's
// seedless random ops so far (from 0); with only S, (87654321, S); with
// neither, (0, 0); and (0, 0) from a seeded pair becomes (0, 2^31-1). Seeds
// are reduced modulo 2^31-1 as TF does.
//
// Note: TF 2.15's tf.compat.v1.layers.dense uses Keras's glorot_uniform
// (stateless random ops with a random Python seed) when no kernel
// initializer is given; we use tf.compat.v1.glorot_uniform_initializer
// (init_ops, RandomUniform) instead, which is what TF1 built.
//
// Thread safety: initializers are immutable values. The graph seed state is
// per Graph and must be used as the Graph is (one thread at a time).
#ifndef TF1HUB_GRAPH_INITIALIZERS_H_
#define TF1HUB_GRAPH_INITIALIZERS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/random_ops.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

// ---- Random seeds -----------------------------------------------------------

// TensorFlow's DEFAULT_GRAPH_SEED (used when only an op seed is given).
inline constexpr int64_t kDefaultGraphSeed = 87654321;

// tf.compat.v1.set_random_seed(seed) for `graph`. The graph seed is kept
// beside the graph (keyed by its address) until ClearGraphRandomState.
void SetRandomSeed(Graph* graph, int64_t seed);
std::optional<int64_t> GetRandomSeed(const Graph* graph);
// Forgets the seed state of `graph` (call before destroying a graph whose
// seed was set, if another graph may later reuse its address).
void ClearGraphRandomState(const Graph* graph);

// tf.compat.v1.get_seed(op_seed): the seed/seed2 attrs for a new random op.
// Counts a seedless op when only the graph seed is set.
ops::RandomAttrs GetSeed(Graph* graph, std::optional<int64_t> op_seed);

// ---- Initializers -------------------------------------------------------------

class Initializer {
 public:
  // Builds the initial value in `scope` for a variable of `shape`/`dtype`.
  // Errors go to the scope's sticky status (empty Output).
  using BuildFn =
      std::function<Output(const Scope& scope, const TensorShape& shape, DataType dtype)>;

  // No initializer: GetVariable then uses TF's default for the dtype.
  Initializer() = default;
  explicit Initializer(BuildFn build) : build_(std::move(build)) {}

  bool empty() const { return !build_; }
  Output operator()(const Scope& scope, const TensorShape& shape, DataType dtype) const;

 private:
  BuildFn build_;
};

namespace initializers {

// tf.compat.v1.zeros_initializer / ones_initializer (any numeric or bool
// dtype; strings get "" for zeros).
Initializer Zeros();
Initializer Ones();
// tf.compat.v1.constant_initializer(value): one value fills the shape.
Initializer Constant(double value);
// Values in row-major order: exactly one (fills) or one per element.
Initializer Constant(std::vector<double> values);
// A tensor whose shape must equal the variable's (dtype is converted only if
// equal; otherwise the build fails).
Initializer Constant(Tensor value);

// tf.compat.v1.random_uniform_initializer(minval, maxval, seed).
Initializer RandomUniform(double minval = 0.0, double maxval = 1.0,
                          std::optional<int64_t> seed = std::nullopt);
// tf.compat.v1.random_normal_initializer(mean, stddev, seed).
Initializer RandomNormal(double mean = 0.0, double stddev = 1.0,
                         std::optional<int64_t> seed = std::nullopt);
// tf.compat.v1.truncated_normal_initializer(mean, stddev, seed).
Initializer TruncatedNormal(double mean = 0.0, double stddev = 1.0,
                            std::optional<int64_t> seed = std::nullopt);

enum class FanMode { kFanIn, kFanOut, kFanAvg };
enum class Distribution { kTruncatedNormal, kUntruncatedNormal, kUniform };
// tf.compat.v1.variance_scaling_initializer (init_ops.VarianceScaling).
Initializer VarianceScaling(double scale = 1.0, FanMode mode = FanMode::kFanIn,
                            Distribution distribution = Distribution::kTruncatedNormal,
                            std::optional<int64_t> seed = std::nullopt);
// tf.compat.v1.glorot_uniform_initializer / glorot_normal_initializer.
Initializer GlorotUniform(std::optional<int64_t> seed = std::nullopt);
Initializer GlorotNormal(std::optional<int64_t> seed = std::nullopt);

}  // namespace initializers
}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_INITIALIZERS_H_
