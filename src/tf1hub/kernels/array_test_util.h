// Test helpers for the array kernel tests (array_ops_test.cc,
// concat_ops_test.cc, slice_ops_test.cc, ...): tensors from values, naive
// reference index math, and running one node.
#ifndef TF1HUB_KERNELS_ARRAY_TEST_UTIL_H_
#define TF1HUB_KERNELS_ARRAY_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tf1hub/kernels/kernel_test_util.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub {
namespace array_test {

inline TensorShape Shape(const std::vector<int64_t>& dims) {
  return TensorShape::Create(dims).value();
}

template <typename T>
Tensor Make(const std::vector<T>& values, const std::vector<int64_t>& dims) {
  return Tensor::FromVector<T>(values, Shape(dims)).value();
}
template <typename T>
Tensor Vec(const std::vector<T>& values) {
  return Make<T>(values, {static_cast<int64_t>(values.size())});
}
template <typename T>
Tensor Scalar(T v) {
  return Tensor::Scalar<T>(v);
}
// 0, 1, 2, ... in `dims`.
template <typename T>
Tensor Iota(const std::vector<int64_t>& dims) {
  Tensor t = Tensor::Create(DataTypeOf<T>::value, Shape(dims)).value();
  std::span<T> v = t.mutable_flat<T>();
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<T>(i);
  return t;
}
// "s0", "s1", ... in `dims`.
inline Tensor StringIota(const std::vector<int64_t>& dims) {
  Tensor t = Tensor::Create(DataType::kString, Shape(dims)).value();
  std::span<std::string> v = t.mutable_flat<std::string>();
  for (size_t i = 0; i < v.size(); ++i) v[i] = std::string("s").append(std::to_string(i));
  return t;
}

template <typename T>
std::vector<T> Values(const Tensor& t) {
  std::span<const T> s = t.flat<T>();
  return std::vector<T>(s.begin(), s.end());
}

// Row-major coordinates of flat index `i` in `dims`, and back.
inline std::vector<int64_t> Coords(int64_t i, const std::vector<int64_t>& dims) {
  std::vector<int64_t> c(dims.size());
  for (int k = static_cast<int>(dims.size()) - 1; k >= 0; --k) {
    c[k] = i % dims[k];
    i /= dims[k];
  }
  return c;
}
inline int64_t Flat(const std::vector<int64_t>& c, const std::vector<int64_t>& dims) {
  int64_t i = 0;
  for (size_t k = 0; k < dims.size(); ++k) i = i * dims[k] + c[k];
  return i;
}

// Runs the node; expects success; returns its outputs.
inline std::vector<Tensor> RunOk(KernelRunner& r) {
  StatusOr<std::vector<Tensor>> out = r.Run();
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : std::vector<Tensor>{};
}
// Runs the node; returns the error message ("" on success).
inline std::string RunError(KernelRunner& r) {
  StatusOr<std::vector<Tensor>> out = r.Run();
  return out.ok() ? std::string() : std::string(out.status().message());
}

}  // namespace array_test
}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_ARRAY_TEST_UTIL_H_
