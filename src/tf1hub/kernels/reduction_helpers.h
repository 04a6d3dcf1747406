// Shared pieces of the reduction kernels (reduction_ops*.cc): planning a
// reduction from the input shape and the axes tensor, and the math entry
// points each file provides.
//
// A reduction is planned the way TensorFlow's ReductionHelper does it:
// dims of size 1 join the run of their left neighbour, leading size-1 dims
// are dropped, and consecutive dims that are all reduced (or all kept) merge
// into one. What remains alternates reduced and kept runs, so every
// reduction is one of a few small-rank forms:
//   kCopy    nothing is reduced (the output is the input, reshaped)
//   kAll     [reduced]                 -> []
//   kInner   [outer, reduced]          -> [outer]
//   kOuter   [reduced, inner]          -> [inner]
//   kMiddle  [outer, reduced, inner]   -> [outer, inner]
//   kGeneral anything else: transposed to [kept..., reduced...] first, then
//            reduced as kInner.
//
// Thread safety: pure functions.
#ifndef TF1HUB_KERNELS_REDUCTION_HELPERS_H_
#define TF1HUB_KERNELS_REDUCTION_HELPERS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tf1hub/status.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace Eigen {
struct ThreadPoolDevice;
}  // namespace Eigen

namespace tf1hub {

class KernelRegistry;

namespace reduction {

enum class Reducer { kSum, kMean, kProd, kMax, kMin };

struct Plan {
  enum Form { kCopy, kAll, kInner, kOuter, kMiddle, kGeneral };
  Form form = kCopy;
  // The op's output shape (reduced dims dropped, or 1 with keep_dims).
  TensorShape out_shape;
  // Sizes of the form's dims (1 where the form has no such dim). For
  // kGeneral: outer = kept elements, reduced = reduced elements per output.
  int64_t outer = 1;
  int64_t reduced = 1;
  int64_t inner = 1;
  // The merged runs and whether the first one is reduced (kGeneral needs
  // them for the transpose).
  std::vector<int64_t> runs;
  bool reduce_first_run = false;
};

// Plans reducing `input` over `axes` (an int32 or int64 tensor of any
// shape; values may be negative). Errors as TensorFlow's:
//   InvalidArgument "Invalid reduction dimension (5 for input with 2 dimension(s)"
//   InvalidArgument "Invalid reduction arguments: Axes contains duplicate dimension: 0"
StatusOr<Plan> PlanReduction(const TensorShape& input, const Tensor& axes, bool keep_dims);

// For kGeneral: copies `in` (laid out as plan.runs) to `out` with all kept
// runs first and all reduced runs last. `elem_size` is 1, 2, 4, 8 or 16.
void TransposeKeptFirst(const Plan& plan, const void* in, void* out, size_t elem_size);

// Reduces `in` (laid out as the plan's form; kGeneral already transposed)
// into `out`, for T in float, double, Half, BFloat16, Complex64, Complex128
// (reduction_ops_eigen.cc). Requires plan.reduced > 0 and a non-empty
// output. Max/Min are not defined for complex types.
template <typename T>
void EigenReduce(Reducer reducer, const Plan& plan, const T* in, T* out,
                 const Eigen::ThreadPoolDevice& device);

// ArgMax and ArgMin (reduction_ops_argminmax.cc).
void RegisterArgMinMaxKernels(KernelRegistry* registry);

}  // namespace reduction
}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_REDUCTION_HELPERS_H_
