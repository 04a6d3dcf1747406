// ArgMax and ArgMin: the index of the largest (smallest) element along one
// axis, as TensorFlow's Eigen tuple reducers find it:
//   * the scan starts from (index 0, lowest() for ArgMax / highest() for
//     ArgMin) and takes an element only when it is strictly better, so ties
//     give the first index and NaNs are never taken (an all-NaN row gives 0);
//   * half and bfloat16 compare as float, bool as 0/1.
// `dimension` is a scalar of type Tidx (int16, int32 or int64); the output
// dtype is output_type (int16, uint16, int32 or int64).
#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/reduction_helpers.h"

namespace tf1hub {
namespace reduction {
namespace {

// The comparison value of an element.
template <typename T>
auto Key(T v) {
  if constexpr (std::is_same_v<T, Half>) {
    return static_cast<float>(std::bit_cast<Eigen::half>(v.bits));
  } else if constexpr (std::is_same_v<T, BFloat16>) {
    return static_cast<float>(std::bit_cast<Eigen::bfloat16>(v.bits));
  } else if constexpr (std::is_same_v<T, bool>) {
    return static_cast<int>(v);
  } else {
    return v;
  }
}

template <typename T>
using KeyType = decltype(Key(T{}));

template <typename T, bool kMax>
struct ArgScan {
  using K = KeyType<T>;
  static K Start() {
    if constexpr (std::is_same_v<T, bool>) {
      return kMax ? 0 : 1;
    } else if constexpr (std::is_same_v<T, Half>) {
      return kMax ? -65504.0f : 65504.0f;
    } else if constexpr (std::is_same_v<T, BFloat16>) {
      // bfloat16's lowest/highest (+-3.3895314e38).
      constexpr float kBf16Max = 3.38953139e38f;
      return kMax ? -kBf16Max : kBf16Max;
    } else {
      return kMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
    }
  }
  static bool Better(K candidate, K best) { return kMax ? candidate > best : candidate < best; }
};

// in is [outer, reduced, inner]; out is [outer, inner].
template <typename T, bool kMax, typename Out>
void ArgReduce(OpKernelContext* ctx, const T* in, Out* out, int64_t outer, int64_t reduced,
               int64_t inner) {
  using Scan = ArgScan<T, kMax>;
  using K = typename Scan::K;
  ctx->ParallelFor(outer, reduced * inner, [&](int64_t b, int64_t e) {
    std::vector<K> best(static_cast<size_t>(inner));
    std::vector<int64_t> index(static_cast<size_t>(inner));
    for (int64_t o = b; o < e; ++o) {
      const T* block = in + o * reduced * inner;
      std::fill(best.begin(), best.end(), Scan::Start());
      std::fill(index.begin(), index.end(), 0);
      for (int64_t r = 0; r < reduced; ++r) {
        const T* row = block + r * inner;
        for (int64_t i = 0; i < inner; ++i) {
          const K v = Key(row[i]);
          if (Scan::Better(v, best[i])) {
            best[i] = v;
            index[i] = r;
          }
        }
      }
      Out* dst = out + o * inner;
      for (int64_t i = 0; i < inner; ++i) dst[i] = static_cast<Out>(index[i]);
    }
  });
}

template <typename T, bool kMax>
class ArgMinMaxOp : public OpKernel {
 public:
  explicit ArgMinMaxOp(const KernelConstruction& c) : OpKernel(c) {}

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const Tensor& dim_t = ctx->input(1);
    if (dim_t.shape().rank() != 0) {
      return InvalidArgumentError("dim must be a scalar, but received tensor of shape: " +
                                  dim_t.shape().DebugString());
    }
    int64_t dim = 0;
    switch (dim_t.dtype()) {
      case DataType::kInt16:
        dim = dim_t.scalar<int16_t>();
        break;
      case DataType::kInt32:
        dim = dim_t.scalar<int32_t>();
        break;
      default:
        dim = dim_t.scalar<int64_t>();
        break;
    }
    const int rank = in.shape().rank();
    const int64_t axis = dim < 0 ? dim + rank : dim;
    if (axis < 0 || axis >= rank) {
      return InvalidArgumentError("Expected dimension in the range [" + std::to_string(-rank) +
                                  ", " + std::to_string(rank) + "), but got " +
                                  std::to_string(dim));
    }
    if (in.shape().dim(static_cast<int>(axis)) == 0) {
      return InvalidArgumentError("Reduction axis " + std::to_string(dim) + " is empty in shape " +
                                  in.shape().DebugString());
    }
    std::vector<int64_t> out_dims;
    int64_t outer = 1, inner = 1;
    for (int i = 0; i < rank; ++i) {
      if (i == axis) continue;
      out_dims.push_back(in.shape().dim(i));
      (i < axis ? outer : inner) *= in.shape().dim(i);
    }
    ASSIGN_OR_RETURN(TensorShape out_shape, TensorShape::Create(out_dims));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, out_shape));
    if (out->NumElements() == 0) return Status::OK();
    const T* src = in.flat<T>().data();
    const int64_t reduced = in.shape().dim(static_cast<int>(axis));
    switch (out->dtype()) {
      case DataType::kInt16:
        ArgReduce<T, kMax>(ctx, src, out->mutable_flat<int16_t>().data(), outer, reduced, inner);
        break;
      case DataType::kUint16:
        ArgReduce<T, kMax>(ctx, src, out->mutable_flat<uint16_t>().data(), outer, reduced, inner);
        break;
      case DataType::kInt32:
        ArgReduce<T, kMax>(ctx, src, out->mutable_flat<int32_t>().data(), outer, reduced, inner);
        break;
      default:
        ArgReduce<T, kMax>(ctx, src, out->mutable_flat<int64_t>().data(), outer, reduced, inner);
        break;
    }
    return Status::OK();
  }
};

template <typename T>
void RegisterType(KernelRegistry* r) {
  r->Register("ArgMax", {{"T", {DataTypeOf<T>::value}}}, MakeKernelFactory<ArgMinMaxOp<T, true>>());
  r->Register("ArgMin", {{"T", {DataTypeOf<T>::value}}},
              MakeKernelFactory<ArgMinMaxOp<T, false>>());
}

}  // namespace

void RegisterArgMinMaxKernels(KernelRegistry* registry) {
  RegisterType<float>(registry);
  RegisterType<double>(registry);
  RegisterType<Half>(registry);
  RegisterType<BFloat16>(registry);
  RegisterType<int8_t>(registry);
  RegisterType<int16_t>(registry);
  RegisterType<int32_t>(registry);
  RegisterType<int64_t>(registry);
  RegisterType<uint8_t>(registry);
  RegisterType<uint16_t>(registry);
  RegisterType<uint32_t>(registry);
  RegisterType<uint64_t>(registry);
  RegisterType<bool>(registry);
}

}  // namespace reduction
}  // namespace tf1hub
