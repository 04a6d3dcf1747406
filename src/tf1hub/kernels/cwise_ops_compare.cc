// Element-wise comparisons with broadcasting, giving bool: Greater,
// GreaterEqual, Less, LessEqual, Equal, NotEqual (with
// incompatible_shape_error), plus Select and SelectV2
// (cwise_ops_select.cc). NaN compares unequal to everything. dtypes are
// TensorFlow 2.15's CPU registrations.
#include <string>

#include "tf1hub/kernels/cwise_functors.h"
#include "tf1hub/kernels/cwise_ops_common.h"
#include "tf1hub/kernels/register_all.h"

namespace tf1hub {
namespace {

using namespace cwise;  // NOLINT(build/namespaces): functor and helper names.

using EqualityTypes =
    Types<Half, BFloat16, float, double, Complex64, Complex128, int8_t, int16_t, int32_t, int64_t,
          uint8_t, uint16_t, uint32_t, uint64_t, bool, std::string>;

template <template <typename> class FunctorFor>
void RegisterEquality(KernelRegistry* r, const std::string& op) {
  RegisterCompare<FunctorFor>(r, op, EqualityTypes());
  // Quantized types compare as their stored integers.
  RegisterCompareOne<FunctorFor, int8_t>(r, op, DataType::kQint8);
  RegisterCompareOne<FunctorFor, uint8_t>(r, op, DataType::kQuint8);
  RegisterCompareOne<FunctorFor, int16_t>(r, op, DataType::kQint16);
  RegisterCompareOne<FunctorFor, uint16_t>(r, op, DataType::kQuint16);
  RegisterCompareOne<FunctorFor, int32_t>(r, op, DataType::kQint32);
}

}  // namespace

void RegisterCwiseCompareKernels(KernelRegistry* r) {
  RegisterCompare<Greater>(r, "Greater", RealNumberTypes());
  RegisterCompare<GreaterEqual>(r, "GreaterEqual", RealNumberTypes());
  RegisterCompare<Less>(r, "Less", RealNumberTypes());
  RegisterCompare<LessEqual>(r, "LessEqual", RealNumberTypes());
  RegisterEquality<EqualTo>(r, "Equal");
  RegisterEquality<NotEqualTo>(r, "NotEqual");
  RegisterSelectKernels(r);
}

}  // namespace tf1hub
