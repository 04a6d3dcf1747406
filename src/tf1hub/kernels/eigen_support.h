// Eigen for kernels: includes the Tensor module with thread-pool support and
// names the map types kernels use over tensor buffers.
//
//   auto in = FlatMap<float>(ctx->input(0));   // const Tensor& -> const map
//   auto out = FlatMap<float>(*out_tensor);
//   out.device(ctx->eigen_device()) = in.cwiseMax(0.0f);
//
// EIGEN_USE_THREADS is defined for every target that links tf1hub_kernels
// (CMake), so every translation unit sees the same Eigen definitions.
#ifndef TF1HUB_KERNELS_EIGEN_SUPPORT_H_
#define TF1HUB_KERNELS_EIGEN_SUPPORT_H_

#ifndef EIGEN_USE_THREADS
#error "EIGEN_USE_THREADS must be defined (link tf1hub_kernels in CMake)"
#endif

#include <cstdint>
#include <type_traits>

#include <unsupported/Eigen/CXX11/Tensor>

#include "tf1hub/tensor.h"

namespace tf1hub {

// The Eigen element type for a tf1hub element type: tf1hub's Half and
// BFloat16 only carry bits; Eigen::half / Eigen::bfloat16 have the same
// layout and do the arithmetic (reinterpret the buffer).
template <typename T>
struct EigenType {
  using type = T;
};
template <>
struct EigenType<Half> {
  using type = Eigen::half;
};
template <>
struct EigenType<BFloat16> {
  using type = Eigen::bfloat16;
};
static_assert(sizeof(Eigen::half) == sizeof(Half) && sizeof(Eigen::bfloat16) == sizeof(BFloat16));

// The Eigen type of T (Half -> Eigen::half), const kept.
template <typename T>
using EigenT = std::conditional_t<std::is_const_v<T>,
                                  const typename EigenType<std::remove_const_t<T>>::type,
                                  typename EigenType<T>::type>;

// Rank-N row-major tensor map over a tensor's elements, with Eigen element
// types (EigenT). Maps are unaligned: views over mapped files may not be
// aligned to Eigen's packet size.
template <typename T, int N>
using EigenTensorMap =
    Eigen::TensorMap<Eigen::Tensor<EigenT<T>, N, Eigen::RowMajor, Eigen::DenseIndex>>;

template <typename T>
EigenTensorMap<T, 1> FlatMap(Tensor& t) {
  return EigenTensorMap<T, 1>(reinterpret_cast<EigenT<T>*>(t.mutable_raw_data()),
                              t.NumElements());
}
template <typename T>
EigenTensorMap<const T, 1> FlatMap(const Tensor& t) {
  return EigenTensorMap<const T, 1>(reinterpret_cast<EigenT<const T>*>(t.raw_data()),
                                    t.NumElements());
}

// The tensor seen with `N` dimensions `dims` (same element count, caller
// checks), e.g. the minimal-rank shapes of BCast.
template <typename T, int N>
EigenTensorMap<T, N> ShapedMap(Tensor& t, const Eigen::DSizes<Eigen::DenseIndex, N>& dims) {
  return EigenTensorMap<T, N>(reinterpret_cast<EigenT<T>*>(t.mutable_raw_data()), dims);
}
template <typename T, int N>
EigenTensorMap<const T, N> ShapedMap(const Tensor& t,
                                     const Eigen::DSizes<Eigen::DenseIndex, N>& dims) {
  return EigenTensorMap<const T, N>(reinterpret_cast<EigenT<const T>*>(t.raw_data()), dims);
}

// Eigen dims from a shape-like vector (e.g. BCast::x_reshape()); the vector
// must have N entries.
template <int N, typename Vec>
Eigen::DSizes<Eigen::DenseIndex, N> ToDSizes(const Vec& v) {
  Eigen::DSizes<Eigen::DenseIndex, N> d;
  for (int i = 0; i < N; ++i) d[i] = static_cast<Eigen::DenseIndex>(v[i]);
  return d;
}

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_EIGEN_SUPPORT_H_
