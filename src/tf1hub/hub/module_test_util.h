// Shared pieces of the Module tests: module_fns, session helpers and
// temporary directories.
#ifndef TF1HUB_HUB_MODULE_TEST_UTIL_H_
#define TF1HUB_HUB_MODULE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tf1hub/core/temp_dir_test_util.h"
#include "tf1hub/graph/layers.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/seed_module_fn.h"
#include "tf1hub/session.h"

namespace tf1hub::hub::testing {

using tf1hub::testing::ScopedTempDir;

// A small module: x [?,3] -> dense 2 (kernel "dense/kernel" [3,2], bias [2]).
// With arg use_resource=false the variables are ref variables.
inline Status SmallDenseFn(ModuleFnContext& ctx) {
  const Scope& s = ctx.scope();
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1, 3})});
  Output y = layers::Dense(s, x, 2, {.use_resource = ctx.GetBool("use_resource", true)});
  ctx.AddSignature("default", x, y);
  return s.status();
}

inline std::shared_ptr<const ModuleSpec> MakeSpec(const ModuleFn& fn,
                                                  const CreateModuleSpecOptions& options = {}) {
  StatusOr<std::shared_ptr<const ModuleSpec>> spec = CreateModuleSpec(fn, options);
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  return spec.ok() ? *spec : nullptr;
}

inline std::unique_ptr<Session> NewSession(const Scope& root) {
  StatusOr<std::unique_ptr<Session>> s = Session::Create(root.graph()->graph_def());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

inline std::vector<float> Values(const Tensor& t) {
  std::span<const float> f = t.flat<float>();
  return {f.begin(), f.end()};
}

inline Tensor FloatTensor(std::vector<float> values, std::vector<int64_t> dims) {
  return Tensor::FromVector(values, TensorShape::Create(dims).value()).value();
}

// y = x w + b for row-major x [n,k], w [k,m], b [m], in double.
inline std::vector<double> Affine(const std::vector<float>& x, const std::vector<float>& w,
                                  const std::vector<float>& b, int64_t n, int64_t k, int64_t m) {
  std::vector<double> y(static_cast<size_t>(n * m));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < m; ++j) {
      double acc = b[j];
      for (int64_t l = 0; l < k; ++l) acc += double{x[i * k + l]} * double{w[l * m + j]};
      y[i * m + j] = acc;
    }
  }
  return y;
}

// A fresh empty directory tf1hub_hubmodule_<name>_XXXXXX under the test temp
// dir, removed with its contents when the result goes out of scope:
//   const ScopedTempDir tmp = TempDir("restore");
inline ScopedTempDir TempDir(const std::string& name) {
  return ScopedTempDir("tf1hub_hubmodule_" + name);
}

}  // namespace tf1hub::hub::testing

#endif  // TF1HUB_HUB_MODULE_TEST_UTIL_H_
