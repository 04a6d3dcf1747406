// Test helpers for the element-wise kernel tests (cwise_ops_*_test.cc):
// building tensors from values and running one-node kernels.
#ifndef TF1HUB_KERNELS_CWISE_TEST_UTIL_H_
#define TF1HUB_KERNELS_CWISE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel_test_util.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub {
namespace cwise_test {

inline TensorShape Shape(std::vector<int64_t> dims) { return TensorShape::Create(dims).value(); }

template <typename T>
Tensor Make(std::vector<T> values, std::vector<int64_t> dims) {
  return Tensor::FromVector<T>(values, Shape(dims)).value();
}
template <typename T>
Tensor Vec(std::vector<T> values) {
  const int64_t n = static_cast<int64_t>(values.size());
  return Make<T>(std::move(values), {n});
}
inline Tensor Strings(std::vector<std::string> values, std::vector<int64_t> dims) {
  return Make<std::string>(std::move(values), std::move(dims));
}
inline Tensor Bools(std::vector<bool> values, std::vector<int64_t> dims) {
  Tensor t = Tensor::Create(DataType::kBool, Shape(dims)).value();
  for (size_t i = 0; i < values.size(); ++i) t.mutable_flat<bool>()[i] = values[i];
  return t;
}
// Half / bfloat16 tensors from floats (rounded to nearest even).
inline Tensor Halves(const std::vector<float>& values) {
  std::vector<Half> h;
  for (float v : values) h.push_back(Half{Eigen::half(v).x});
  return Vec<Half>(h);
}
inline Tensor BFloats(const std::vector<float>& values) {
  std::vector<BFloat16> h;
  for (float v : values)
    h.push_back(BFloat16{Eigen::numext::bit_cast<uint16_t>(Eigen::bfloat16(v))});
  return Vec<BFloat16>(h);
}
inline std::vector<float> HalfValues(const Tensor& t) {
  std::vector<float> out;
  for (Half h : t.flat<Half>())
    out.push_back(static_cast<float>(Eigen::numext::bit_cast<Eigen::half>(h.bits)));
  return out;
}
inline std::vector<float> BFloatValues(const Tensor& t) {
  std::vector<float> out;
  for (BFloat16 h : t.flat<BFloat16>()) {
    out.push_back(static_cast<float>(Eigen::numext::bit_cast<Eigen::bfloat16>(h.bits)));
  }
  return out;
}

template <typename T>
std::vector<T> Values(const Tensor& t) {
  std::span<const T> s = t.flat<T>();
  return std::vector<T>(s.begin(), s.end());
}
inline std::vector<bool> BoolValues(const Tensor& t) {
  std::vector<bool> out;
  for (bool b : t.flat<bool>()) out.push_back(b);
  return out;
}

// Runs `op` with attr T = dtype of the first input (unless `t_attr` is
// false) on `inputs`; returns output 0.
inline StatusOr<Tensor> RunOp(const std::string& op, std::vector<Tensor> inputs,
                              bool t_attr = true) {
  KernelRunner r(op);
  if (t_attr) r.Attr("T", inputs.back().dtype());
  for (Tensor& t : inputs) r.Input(std::move(t));
  ASSIGN_OR_RETURN(std::vector<Tensor> out, r.Run());
  return out.at(0);
}

// float32 tolerance of these tests: 1e-5 * (1 + |expected|); NaN matches NaN.
inline void ExpectNear(const std::vector<float>& actual, const std::vector<float>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(actual[i])) << "element " << i << ": " << actual[i];
    } else if (std::isinf(expected[i])) {
      EXPECT_EQ(actual[i], expected[i]) << "element " << i;
    } else {
      EXPECT_NEAR(actual[i], expected[i], 1e-5 * (1 + std::fabs(expected[i]))) << "element " << i;
    }
  }
}

}  // namespace cwise_test
}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_CWISE_TEST_UTIL_H_
