// Unique and UniqueWithCounts, with TensorFlow 2.15's CPU semantics: for a
// vector x, y holds x's distinct values in order of first occurrence,
// idx[i] is the position of x[i] in y, and count[j] (UniqueWithCounts) how
// often y[j] occurs.
//
// "Distinct" is TensorFlow's hash-map equality: float and double compare
// with == (0.0 and -0.0 are one value; every NaN is a value of its own);
// half and bfloat16 compare bit patterns, except that NaNs never match (so
// 0.0 and -0.0 stay apart, as TensorFlow's bit-pattern hash keeps them).
//
// The table is open addressing over positions in x, sized to twice the
// input, so one pass does it.
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/sparse_family.h"

namespace tf1hub {
namespace {

// ---------------------------------------------------------------------------
// Hashing and equality per element type.

inline uint64_t Mix(uint64_t x) {  // splitmix64's finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

template <typename T>
struct KeyTraits {  // integers and bool
  static uint64_t Hash(const T& v) { return Mix(static_cast<uint64_t>(v)); }
  static bool Equal(const T& a, const T& b) { return a == b; }
};

template <typename F, typename Bits>
struct FloatKeyTraits {  // float, double: == equality
  static uint64_t Hash(const F& v) {
    return v == F(0) ? Mix(0) : Mix(static_cast<uint64_t>(std::bit_cast<Bits>(v)));
  }
  static bool Equal(const F& a, const F& b) { return a == b; }
};
template <>
struct KeyTraits<float> : FloatKeyTraits<float, uint32_t> {};
template <>
struct KeyTraits<double> : FloatKeyTraits<double, uint64_t> {};

template <typename T, uint16_t kExponentMask, uint16_t kMantissaMask>
struct Float16KeyTraits {  // half, bfloat16: bit equality, NaN never equal
  static bool IsNan(uint16_t bits) {
    return (bits & kExponentMask) == kExponentMask && (bits & kMantissaMask) != 0;
  }
  static uint64_t Hash(const T& v) { return Mix(v.bits); }
  static bool Equal(const T& a, const T& b) { return a.bits == b.bits && !IsNan(a.bits); }
};
template <>
struct KeyTraits<Half> : Float16KeyTraits<Half, 0x7c00, 0x03ff> {};
template <>
struct KeyTraits<BFloat16> : Float16KeyTraits<BFloat16, 0x7f80, 0x007f> {};

template <>
struct KeyTraits<std::string> {
  static uint64_t Hash(const std::string& v) { return std::hash<std::string_view>()(v); }
  static bool Equal(const std::string& a, const std::string& b) { return a == b; }
};

// ---------------------------------------------------------------------------
// Math: first-occurrence grouping.

// Fills first[j] (position in x of y[j]'s first occurrence) and idx[i].
template <typename T, typename OutIdx>
void GroupUnique(const T* x, int64_t n, std::vector<int64_t>* first, OutIdx* idx) {
  using Traits = KeyTraits<T>;
  uint64_t capacity = 16;
  while (capacity < static_cast<uint64_t>(n) * 2) capacity <<= 1;
  const uint64_t mask = capacity - 1;
  // Slot: 1 + the unique's number, 0 when free (n < 2^31, checked by the
  // caller, so 32 bits do).
  std::vector<uint32_t> slots(capacity, 0);
  first->resize(static_cast<size_t>(n));  // shrunk to the uniques at the end
  int64_t* firsts = first->data();
  int64_t num_unique = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint64_t s = Traits::Hash(x[i]) & mask;
    while (true) {
      const uint32_t u = slots[s];
      if (u == 0) {
        slots[s] = static_cast<uint32_t>(num_unique + 1);
        idx[i] = static_cast<OutIdx>(num_unique);
        firsts[num_unique++] = i;
        break;
      }
      if (Traits::Equal(x[firsts[u - 1]], x[i])) {
        idx[i] = static_cast<OutIdx>(u - 1);
        break;
      }
      s = (s + 1) & mask;
    }
  }
  first->resize(static_cast<size_t>(num_unique));
}

// ---------------------------------------------------------------------------
// Kernel.

template <typename T, typename OutIdx>
class UniqueOp : public OpKernel {
 public:
  UniqueOp(const KernelConstruction& c, bool with_counts)
      : OpKernel(c), with_counts_(with_counts) {}

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    if (input.shape().rank() != 1) return InvalidArgumentError("unique expects a 1D vector.");
    const int64_t n = input.NumElements();
    if (n > static_cast<int64_t>(std::numeric_limits<int32_t>::max())) {
      return InvalidArgumentError("unique does not support input tensors larger than " +
                                  std::to_string(std::numeric_limits<int32_t>::max()) +
                                  " elements");
    }
    ASSIGN_OR_RETURN(TensorShape idx_shape, TensorShape::Create({n}));
    ASSIGN_OR_RETURN(Tensor * idx_t, ctx->allocate_output(1, idx_shape));
    OutIdx* idx = idx_t->mutable_flat<OutIdx>().data();
    const T* x = input.flat<T>().data();
    std::vector<int64_t> first;
    GroupUnique(x, n, &first, idx);

    const int64_t num_unique = static_cast<int64_t>(first.size());
    ASSIGN_OR_RETURN(TensorShape y_shape, TensorShape::Create({num_unique}));
    ASSIGN_OR_RETURN(Tensor * y_t, ctx->allocate_output(0, y_shape));
    T* y = y_t->mutable_flat<T>().data();
    for (int64_t j = 0; j < num_unique; ++j) y[j] = x[first[j]];
    if (with_counts_) {
      ASSIGN_OR_RETURN(Tensor * count_t, ctx->allocate_output(2, y_shape));
      OutIdx* count = count_t->mutable_flat<OutIdx>().data();
      std::fill(count, count + num_unique, OutIdx{0});
      for (int64_t i = 0; i < n; ++i) ++count[idx[i]];
    }
    return Status::OK();
  }

 private:
  const bool with_counts_;
};

template <typename T>
void RegisterUniqueFor(KernelRegistry* r) {
  auto add = [&]<typename OutIdx>(const char* op, bool with_counts) {
    r->Register(op, {{"T", {DataTypeOf<T>::value}}, {"out_idx", {DataTypeOf<OutIdx>::value}}},
                [with_counts](const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
                  return std::unique_ptr<OpKernel>(new UniqueOp<T, OutIdx>(c, with_counts));
                });
  };
  add.template operator()<int32_t>("Unique", false);
  add.template operator()<int64_t>("Unique", false);
  add.template operator()<int32_t>("UniqueWithCounts", true);
  add.template operator()<int64_t>("UniqueWithCounts", true);
}

}  // namespace

void RegisterUniqueKernels(KernelRegistry* r) {
  // TensorFlow 2.15's CPU dtypes: real numbers, bool and string (no complex).
  RegisterUniqueFor<float>(r);
  RegisterUniqueFor<double>(r);
  RegisterUniqueFor<int32_t>(r);
  RegisterUniqueFor<uint8_t>(r);
  RegisterUniqueFor<int16_t>(r);
  RegisterUniqueFor<int8_t>(r);
  RegisterUniqueFor<int64_t>(r);
  RegisterUniqueFor<BFloat16>(r);
  RegisterUniqueFor<uint16_t>(r);
  RegisterUniqueFor<Half>(r);
  RegisterUniqueFor<uint32_t>(r);
  RegisterUniqueFor<uint64_t>(r);
  RegisterUniqueFor<bool>(r);
  RegisterUniqueFor<std::string>(r);
}

}  // namespace tf1hub
