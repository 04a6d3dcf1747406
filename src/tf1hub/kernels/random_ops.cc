// Stateful random kernels with TensorFlow's exact streams: RandomUniform,
// RandomStandardNormal, TruncatedNormal (dtype half, bfloat16, float,
// double; shape input int32 or int64).
//
// Each node owns a Philox4x32 generator seeded from its attrs like
// TensorFlow's GuardedPhiloxRandom: (seed, seed2) == (0, 0) means "random
// seeds" (we draw both from std::random_device), anything else seeds the
// generator deterministically (philox_random.h). Every run reserves
// 256 blocks per output value from the node's generator (under a mutex, as
// runs may be concurrent) and fills the output from the reserved start in
// groups (random_distributions.h); so the second run of a node returns
// TensorFlow's second values, and results do not depend on the thread count.
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/philox_random.h"
#include "tf1hub/kernels/random_distributions.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

using random::Philox4x32;

// "[2,3]" for raw dims (which need not form a valid TensorShape).
std::string DimsString(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) s += ",";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

// The shape an op's "shape" input (an int32/int64 vector) asks for, with
// TensorFlow's messages (tensor::MakeShape).
template <typename Index>
StatusOr<TensorShape> ShapeFromVector(const Tensor& t) {
  if (t.shape().rank() != 1) {
    return InvalidArgumentError("shape must be a vector of {int32,int64}, got shape " +
                                t.shape().DebugString());
  }
  std::span<const Index> values = t.flat<Index>();
  const std::vector<int64_t> dims(values.begin(), values.end());
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0) return InvalidArgumentError("Dimension " + std::to_string(d) + " must be >= 0");
    if (__builtin_mul_overflow(count, d, &count)) {
      return InvalidArgumentError("Shape " + DimsString(dims) +
                                  " would have more than 2**63 - 1 elements");
    }
  }
  return TensorShape::Create(dims);
}

// A node's generator: TensorFlow's GuardedPhiloxRandom.
class GuardedPhilox {
 public:
  GuardedPhilox(int64_t seed, int64_t seed2) {
    if (seed == 0 && seed2 == 0) {
      std::random_device rd;
      auto draw64 = [&rd] { return uint64_t{rd()} << 32 | rd(); };
      const uint64_t s1 = draw64();
      gen_ = Philox4x32(s1, draw64());
    } else {
      gen_ = Philox4x32(static_cast<uint64_t>(seed), static_cast<uint64_t>(seed2));
    }
  }

  // The generator at the start of `blocks` fresh blocks, which are skipped
  // for later callers.
  Philox4x32 Reserve(uint64_t blocks) {
    std::lock_guard<std::mutex> lock(mu_);
    const Philox4x32 start = gen_;
    gen_.Skip(blocks);
    return start;
  }

 private:
  std::mutex mu_;
  Philox4x32 gen_;
};

// RandomUniform / RandomStandardNormal / TruncatedNormal for element type T
// (tf1hub's), drawing with Sampler over the Eigen element type, shape input
// of type Index.
template <typename T, template <typename> class Sampler, typename Index>
class PhiloxRandomOp : public OpKernel {
 public:
  static StatusOr<std::unique_ptr<OpKernel>> Create(const KernelConstruction& c) {
    int64_t seed = 0, seed2 = 0;
    RETURN_IF_ERROR(c.GetAttr("seed", &seed));
    RETURN_IF_ERROR(c.GetAttr("seed2", &seed2));
    return std::unique_ptr<OpKernel>(new PhiloxRandomOp(c, seed, seed2));
  }

  Status Compute(OpKernelContext* ctx) override {
    using E = EigenT<T>;
    using S = Sampler<E>;
    ASSIGN_OR_RETURN(TensorShape shape, ShapeFromVector<Index>(ctx->input(0)));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, shape));
    const int64_t size = out->NumElements();
    if (size == 0) return Status::OK();
    const Philox4x32 base = generator_.Reserve(random::BlocksToReserve(size));
    E* data = reinterpret_cast<E*>(out->mutable_raw_data());
    ctx->ParallelFor(random::NumGroups<S>(size), S::kCostPerGroup, [&](int64_t begin, int64_t end) {
      random::FillGroups<S>(base, data, size, begin, end);
    });
    return Status::OK();
  }

 private:
  PhiloxRandomOp(const KernelConstruction& c, int64_t seed, int64_t seed2)
      : OpKernel(c), generator_(seed, seed2) {}

  GuardedPhilox generator_;
};

// Registers `op` for dtype T with both shape index types.
template <typename T, template <typename> class Sampler>
void RegisterDtype(KernelRegistry* r, const char* op) {
  const DataType dtype = DataTypeOf<T>::value;
  r->Register(op, {{"dtype", {dtype}}, {"T", {DataType::kInt32}}},
              MakeKernelFactory<PhiloxRandomOp<T, Sampler, int32_t>>());
  r->Register(op, {{"dtype", {dtype}}, {"T", {DataType::kInt64}}},
              MakeKernelFactory<PhiloxRandomOp<T, Sampler, int64_t>>());
}

template <template <typename> class Sampler>
void RegisterOp(KernelRegistry* r, const char* op) {
  RegisterDtype<Half, Sampler>(r, op);
  RegisterDtype<BFloat16, Sampler>(r, op);
  RegisterDtype<float, Sampler>(r, op);
  RegisterDtype<double, Sampler>(r, op);
}

}  // namespace

void RegisterRandomKernels(KernelRegistry* r) {
  RegisterOp<random::UniformSampler>(r, "RandomUniform");
  RegisterOp<random::NormalSampler>(r, "RandomStandardNormal");
  RegisterOp<random::TruncatedNormalSampler>(r, "TruncatedNormal");
}

}  // namespace tf1hub
