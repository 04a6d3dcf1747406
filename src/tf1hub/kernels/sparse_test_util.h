// Helpers for the sparse/segment family's tests (segment_ops_test.cc,
// sparse_ops_test.cc, unique_ops_test.cc, resource_gather_ops_test.cc).
#ifndef TF1HUB_KERNELS_SPARSE_TEST_UTIL_H_
#define TF1HUB_KERNELS_SPARSE_TEST_UTIL_H_

#include <cstdint>
#include <vector>

#include "tf1hub/kernels/array_test_util.h"
#include "tf1hub/kernels/eigen_support.h"

namespace tf1hub {
namespace sparse_test {

using namespace array_test;  // NOLINT(build/namespaces)

// Half / bfloat16 tensors from floats (rounded to nearest even), and back.
inline Tensor HalfTensor(const std::vector<float>& values, const std::vector<int64_t>& dims) {
  std::vector<Half> h;
  for (float v : values) h.push_back(Half{Eigen::numext::bit_cast<uint16_t>(Eigen::half(v))});
  return Make<Half>(h, dims);
}
inline Tensor BFloat16Tensor(const std::vector<float>& values, const std::vector<int64_t>& dims) {
  std::vector<BFloat16> h;
  for (float v : values) {
    h.push_back(BFloat16{Eigen::numext::bit_cast<uint16_t>(Eigen::bfloat16(v))});
  }
  return Make<BFloat16>(h, dims);
}
inline std::vector<float> FloatsOf(const Tensor& t) {
  std::vector<float> out;
  if (t.dtype() == DataType::kHalf) {
    for (Half h : t.flat<Half>()) {
      out.push_back(static_cast<float>(Eigen::numext::bit_cast<Eigen::half>(h.bits)));
    }
  } else if (t.dtype() == DataType::kBfloat16) {
    for (BFloat16 h : t.flat<BFloat16>()) {
      out.push_back(static_cast<float>(Eigen::numext::bit_cast<Eigen::bfloat16>(h.bits)));
    }
  } else if (t.dtype() == DataType::kDouble) {
    for (double v : t.flat<double>()) out.push_back(static_cast<float>(v));
  } else {
    for (float v : t.flat<float>()) out.push_back(v);
  }
  return out;
}

}  // namespace sparse_test
}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_SPARSE_TEST_UTIL_H_
