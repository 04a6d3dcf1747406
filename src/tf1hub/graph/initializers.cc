// Initializers and graph random seeds (include/tf1hub/graph/initializers.h).
#include "tf1hub/graph/initializers.h"

#include <cmath>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/math_ops.h"
#include "tf1hub/graph/random_ops.h"

namespace tf1hub {
namespace {

// ---- Graph seed state ---------------------------------------------------------
//
// TF keeps the graph seed on the Python Graph object and counts seedless
// random ops per graph (random_seed._graph_to_seed_dict). Our Graph has no
// slot for it, so the state lives here, keyed by the graph's address.
struct SeedState {
  std::optional<int64_t> graph_seed;
  int64_t seedless_ops = 0;
};

std::mutex& SeedMutex() {
  static std::mutex* mu = new std::mutex;
  return *mu;
}
std::map<const Graph*, SeedState>& SeedStates() {
  static auto* states = new std::map<const Graph*, SeedState>;
  return *states;
}

constexpr int64_t kMaxInt32 = (int64_t{1} << 31) - 1;

int64_t TruncateSeed(int64_t seed) {
  // Python's seed % _MAXINT32 (non-negative for a positive modulus).
  int64_t r = seed % kMaxInt32;
  return r < 0 ? r + kMaxInt32 : r;
}

// ---- Typed constants ------------------------------------------------------------

template <typename T>
Tensor TypedScalar(double v) {
  return Tensor::Scalar<T>(static_cast<T>(v));
}

StatusOr<Tensor> ScalarOf(double v, DataType dtype) {
  switch (dtype) {
    case DataType::kFloat:
      return TypedScalar<float>(v);
    case DataType::kDouble:
      return TypedScalar<double>(v);
    case DataType::kInt32:
      return TypedScalar<int32_t>(v);
    case DataType::kInt64:
      return TypedScalar<int64_t>(v);
    case DataType::kInt16:
      return TypedScalar<int16_t>(v);
    case DataType::kInt8:
      return TypedScalar<int8_t>(v);
    case DataType::kUint8:
      return TypedScalar<uint8_t>(v);
    case DataType::kUint16:
      return TypedScalar<uint16_t>(v);
    case DataType::kUint32:
      return TypedScalar<uint32_t>(v);
    case DataType::kUint64:
      return TypedScalar<uint64_t>(v);
    case DataType::kBool:
      return Tensor::Scalar<bool>(v != 0.0);
    default:
      return UnimplementedError("initializer constants of dtype " + DataTypeName(dtype) +
                                " are not supported");
  }
}

template <typename T>
StatusOr<Tensor> TypedVector(const std::vector<double>& values, const TensorShape& shape) {
  std::vector<T> typed;
  typed.reserve(values.size());
  for (double v : values) typed.push_back(static_cast<T>(v));
  return Tensor::FromVector(typed, shape);
}

StatusOr<Tensor> VectorOf(const std::vector<double>& values, const TensorShape& shape,
                          DataType dtype) {
  switch (dtype) {
    case DataType::kFloat:
      return TypedVector<float>(values, shape);
    case DataType::kDouble:
      return TypedVector<double>(values, shape);
    case DataType::kInt32:
      return TypedVector<int32_t>(values, shape);
    case DataType::kInt64:
      return TypedVector<int64_t>(values, shape);
    case DataType::kInt16:
      return TypedVector<int16_t>(values, shape);
    case DataType::kInt8:
      return TypedVector<int8_t>(values, shape);
    case DataType::kUint8:
      return TypedVector<uint8_t>(values, shape);
    case DataType::kBool: {
      std::vector<bool> b;
      for (double v : values) b.push_back(v != 0.0);
      StatusOr<Tensor> t = Tensor::Create(DataType::kBool, shape);
      if (!t.ok()) return t.status();
      for (size_t i = 0; i < b.size(); ++i) t->mutable_flat<bool>()[i] = b[i];
      return t;
    }
    default:
      return UnimplementedError("initializer constants of dtype " + DataTypeName(dtype) +
                                " are not supported");
  }
}

// A scalar Const of `dtype` named `name` (TF's convert_to_tensor(v, dtype, name)).
Output ScalarConst(const Scope& scope, double v, DataType dtype) {
  StatusOr<Tensor> t = ScalarOf(v, dtype);
  if (!t.ok()) {
    scope.UpdateStatus(t.status());
    return Output{};
  }
  return ops::Const(scope, *t);
}

// tf.constant(value, dtype, shape=shape) with one value.
Output FilledConst(const Scope& scope, double v, const TensorShape& shape, DataType dtype) {
  if (dtype == DataType::kString) {
    return ops::ConstFilled(scope, Tensor::Scalar<std::string>(""), shape);
  }
  StatusOr<Tensor> t = ScalarOf(v, dtype);
  if (!t.ok()) {
    scope.UpdateStatus(t.status());
    return Output{};
  }
  return ops::ConstFilled(scope, *t, shape);
}

// shape_util.shape_tensor(shape): an int32 Const named "shape".
Output ShapeConst(const Scope& scope, const TensorShape& shape, std::string_view name) {
  std::vector<int32_t> dims(shape.dims().begin(), shape.dims().end());
  return ops::Const(scope.WithOpName(name), dims, {static_cast<int64_t>(dims.size())});
}

bool IsFloating(DataType dtype) {
  return dtype == DataType::kFloat || dtype == DataType::kDouble || dtype == DataType::kHalf ||
         dtype == DataType::kBfloat16;
}

// array_ops.zeros/ones(shape, dtype) as called by zeros_/ones_initializer.
Output ZerosOrOnes(const Scope& scope, const TensorShape& shape, DataType dtype, double value,
                   const char* name) {
  Scope s = scope.NewSubScope(name);
  const std::string exact = s.name_scope() + "/";
  if (shape.num_elements() < 1000) {
    // _constant_if_small: constant(value, shape=shape, name=<scope>).
    return FilledConst(scope.WithOpName(exact), value, shape, dtype);
  }
  Output dims = ShapeConst(s, shape, "shape_as_tensor");
  Output fill_value = dtype == DataType::kString ? ops::Const(s.WithOpName("Const"), std::string())
                                                 : ScalarConst(s.WithOpName("Const"), value, dtype);
  return ops::Fill(scope.WithOpName(exact), dims, fill_value);
}

// random_ops.random_uniform(shape, minval, maxval, dtype, seed) with float
// bounds (always the full min/max/sub/mul/add form).
Output RandomUniformValue(const Scope& scope, const TensorShape& shape, DataType dtype,
                          double minval, double maxval, std::optional<int64_t> seed) {
  if (!IsFloating(dtype)) {
    scope.UpdateStatus(InvalidArgumentError("[random_uniform_initializer] dtype " +
                                            DataTypeName(dtype) + " is not floating point"));
    return Output{};
  }
  Scope s = scope.NewSubScope("random_uniform");
  Output shape_t = ShapeConst(s, shape, "shape");
  Output min = ScalarConst(s.WithOpName("min"), minval, dtype);
  Output max = ScalarConst(s.WithOpName("max"), maxval, dtype);
  Output rnd = ops::RandomUniform(s, shape_t, dtype, GetSeed(scope.graph(), seed));
  Output range = ops::Sub(s.WithOpName("sub"), max, min);
  Output scaled = ops::Mul(s.WithOpName("mul"), rnd, range);
  return ops::AddV2(scope.WithOpName(s.name_scope() + "/"), scaled, min);
}

// random_normal / truncated_normal: shape, mean, stddev, <op>, mul, add.
Output NormalValue(const Scope& scope, const TensorShape& shape, DataType dtype, double mean,
                   double stddev, std::optional<int64_t> seed, bool truncated) {
  const char* name = truncated ? "truncated_normal" : "random_normal";
  if (!IsFloating(dtype)) {
    scope.UpdateStatus(InvalidArgumentError(std::string("[") + name + "_initializer] dtype " +
                                            DataTypeName(dtype) + " is not floating point"));
    return Output{};
  }
  Scope s = scope.NewSubScope(name);
  Output shape_t = ShapeConst(s, shape, "shape");
  Output mean_t = ScalarConst(s.WithOpName("mean"), mean, dtype);
  Output stddev_t = ScalarConst(s.WithOpName("stddev"), stddev, dtype);
  ops::RandomAttrs seeds = GetSeed(scope.graph(), seed);
  Output rnd = truncated ? ops::TruncatedNormal(s, shape_t, dtype, seeds)
                         : ops::RandomStandardNormal(s, shape_t, dtype, seeds);
  Output mul = ops::Mul(s.WithOpName("mul"), rnd, stddev_t);
  return ops::AddV2(scope.WithOpName(s.name_scope() + "/"), mul, mean_t);
}

// init_ops._compute_fans.
std::pair<double, double> ComputeFans(const TensorShape& shape) {
  const auto& d = shape.dims();
  if (d.empty()) return {1.0, 1.0};
  if (d.size() == 1) return {static_cast<double>(d[0]), static_cast<double>(d[0])};
  if (d.size() == 2) return {static_cast<double>(d[0]), static_cast<double>(d[1])};
  double receptive = 1.0;
  for (size_t i = 0; i + 2 < d.size(); ++i) receptive *= static_cast<double>(d[i]);
  return {static_cast<double>(d[d.size() - 2]) * receptive,
          static_cast<double>(d[d.size() - 1]) * receptive};
}

}  // namespace

// ---- Seeds --------------------------------------------------------------------

void SetRandomSeed(Graph* graph, int64_t seed) {
  std::lock_guard<std::mutex> lock(SeedMutex());
  SeedStates()[graph].graph_seed = seed;
}

std::optional<int64_t> GetRandomSeed(const Graph* graph) {
  std::lock_guard<std::mutex> lock(SeedMutex());
  auto it = SeedStates().find(graph);
  return it == SeedStates().end() ? std::nullopt : it->second.graph_seed;
}

void ClearGraphRandomState(const Graph* graph) {
  std::lock_guard<std::mutex> lock(SeedMutex());
  SeedStates().erase(graph);
}

ops::RandomAttrs GetSeed(Graph* graph, std::optional<int64_t> op_seed) {
  std::optional<int64_t> graph_seed;
  {
    std::lock_guard<std::mutex> lock(SeedMutex());
    auto it = SeedStates().find(graph);
    if (it != SeedStates().end() && it->second.graph_seed.has_value()) {
      graph_seed = it->second.graph_seed;
      if (!op_seed.has_value()) op_seed = it->second.seedless_ops++;
    }
  }
  ops::RandomAttrs seeds;
  if (graph_seed.has_value()) {
    seeds = {TruncateSeed(*graph_seed), TruncateSeed(*op_seed)};
  } else if (op_seed.has_value()) {
    seeds = {kDefaultGraphSeed, TruncateSeed(*op_seed)};
  } else {
    return {0, 0};
  }
  if (seeds.seed == 0 && seeds.seed2 == 0) seeds.seed2 = kMaxInt32;
  return seeds;
}

// ---- Initializers ---------------------------------------------------------------

Output Initializer::operator()(const Scope& scope, const TensorShape& shape, DataType dtype) const {
  if (!build_) {
    scope.UpdateStatus(InvalidArgumentError("calling an empty Initializer"));
    return Output{};
  }
  if (!scope.ok()) return Output{};
  return build_(scope, shape, dtype);
}

namespace initializers {

Initializer Zeros() {
  return Initializer([](const Scope& scope, const TensorShape& shape, DataType dtype) {
    return ZerosOrOnes(scope, shape, dtype, 0.0, "zeros");
  });
}

Initializer Ones() {
  return Initializer([](const Scope& scope, const TensorShape& shape, DataType dtype) {
    if (dtype == DataType::kString) {
      scope.UpdateStatus(InvalidArgumentError("[ones_initializer] dtype string has no one"));
      return Output{};
    }
    return ZerosOrOnes(scope, shape, dtype, 1.0, "ones");
  });
}

Initializer Constant(double value) {
  return Initializer([value](const Scope& scope, const TensorShape& shape, DataType dtype) {
    return FilledConst(scope.WithOpName("Const"), value, shape, dtype);
  });
}

Initializer Constant(std::vector<double> values) {
  return Initializer([values = std::move(values)](const Scope& scope, const TensorShape& shape,
                                                  DataType dtype) {
    if (values.size() == 1) return FilledConst(scope.WithOpName("Const"), values[0], shape, dtype);
    if (static_cast<int64_t>(values.size()) != shape.num_elements()) {
      scope.UpdateStatus(
          InvalidArgumentError("[constant_initializer] " + std::to_string(values.size()) +
                               " values do not fill a variable of shape " + shape.DebugString() +
                               " (" + std::to_string(shape.num_elements()) + " elements)"));
      return Output{};
    }
    StatusOr<Tensor> t = VectorOf(values, shape, dtype);
    if (!t.ok()) {
      scope.UpdateStatus(t.status().WithContext("[constant_initializer]"));
      return Output{};
    }
    return ops::Const(scope.WithOpName("Const"), *t);
  });
}

Initializer Constant(Tensor value) {
  return Initializer(
      [value = std::move(value)](const Scope& scope, const TensorShape& shape, DataType dtype) {
        if (value.dtype() != dtype || !(value.shape() == shape)) {
          scope.UpdateStatus(
              InvalidArgumentError("[constant_initializer] value " + DataTypeName(value.dtype()) +
                                   value.shape().DebugString() + " does not match the variable's " +
                                   DataTypeName(dtype) + shape.DebugString()));
          return Output{};
        }
        return ops::Const(scope.WithOpName("Const"), value);
      });
}

Initializer RandomUniform(double minval, double maxval, std::optional<int64_t> seed) {
  return Initializer([=](const Scope& scope, const TensorShape& shape, DataType dtype) {
    return RandomUniformValue(scope, shape, dtype, minval, maxval, seed);
  });
}

Initializer RandomNormal(double mean, double stddev, std::optional<int64_t> seed) {
  return Initializer([=](const Scope& scope, const TensorShape& shape, DataType dtype) {
    return NormalValue(scope, shape, dtype, mean, stddev, seed, /*truncated=*/false);
  });
}

Initializer TruncatedNormal(double mean, double stddev, std::optional<int64_t> seed) {
  return Initializer([=](const Scope& scope, const TensorShape& shape, DataType dtype) {
    return NormalValue(scope, shape, dtype, mean, stddev, seed, /*truncated=*/true);
  });
}

Initializer VarianceScaling(double scale, FanMode mode, Distribution distribution,
                            std::optional<int64_t> seed) {
  return Initializer([=](const Scope& scope, const TensorShape& shape, DataType dtype) {
    if (scale <= 0.0) {
      scope.UpdateStatus(
          InvalidArgumentError("[variance_scaling_initializer] scale must be "
                               "positive, got " +
                               std::to_string(scale)));
      return Output{};
    }
    auto [fan_in, fan_out] = ComputeFans(shape);
    double s = scale;
    switch (mode) {
      case FanMode::kFanIn:
        s /= std::max(1.0, fan_in);
        break;
      case FanMode::kFanOut:
        s /= std::max(1.0, fan_out);
        break;
      case FanMode::kFanAvg:
        s /= std::max(1.0, (fan_in + fan_out) / 2.0);
        break;
    }
    switch (distribution) {
      case Distribution::kTruncatedNormal:
        // 0.879... is the stddev of a unit normal truncated to [-2, 2].
        return NormalValue(scope, shape, dtype, 0.0, std::sqrt(s) / 0.87962566103423978, seed,
                           /*truncated=*/true);
      case Distribution::kUntruncatedNormal:
        return NormalValue(scope, shape, dtype, 0.0, std::sqrt(s), seed, /*truncated=*/false);
      case Distribution::kUniform: {
        const double limit = std::sqrt(3.0 * s);
        return RandomUniformValue(scope, shape, dtype, -limit, limit, seed);
      }
    }
    return Output{};
  });
}

Initializer GlorotUniform(std::optional<int64_t> seed) {
  return VarianceScaling(1.0, FanMode::kFanAvg, Distribution::kUniform, seed);
}

Initializer GlorotNormal(std::optional<int64_t> seed) {
  return VarianceScaling(1.0, FanMode::kFanAvg, Distribution::kTruncatedNormal, seed);
}

}  // namespace initializers
}  // namespace tf1hub
