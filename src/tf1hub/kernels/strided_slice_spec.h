// StridedSlice's slice specification, resolved against an input shape.
//
// The op's begin/end/strides vectors plus five bit masks form a "sparse"
// spec (like Python's foo[1:-1, ..., tf.newaxis, 3]): an ellipsis stands for
// all dims it skips, new axes add size-1 dims, shrink-axis entries index one
// element and drop the dim. ResolveStridedSlice expands it to one
// begin/end/stride per input dim, clamps them as Python does and computes
// the shape Eigen would walk (processing_dims, one per input dim) and the
// output shape (final_dims), with TensorFlow 2.15's rules and messages
// (tensorflow/core/util/strided_slice_op.cc: ValidateStridedSliceOp):
//
//   * no ellipsis in the spec: one is implied at its end;
//   * an entry whose bit is set in several masks: ellipsis beats new axis,
//     new axis beats everything else;
//   * masked begin/end: the full extent in the stride's direction;
//   * out-of-range begin/end (after adding dim to negatives): clamped to
//     [0, dim] for positive strides, [-1, dim - 1] for negative ones;
//   * shrink-axis entries: begin must index an element (after adding dim to
//     a negative one) and the stride must be positive.
//
// Thread safety: pure function.
#ifndef TF1HUB_KERNELS_STRIDED_SLICE_SPEC_H_
#define TF1HUB_KERNELS_STRIDED_SLICE_SPEC_H_

#include <cstdint>
#include <vector>

#include "tf1hub/status.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

struct StridedSliceMasks {
  int32_t begin = 0;
  int32_t end = 0;
  int32_t ellipsis = 0;
  int32_t new_axis = 0;
  int32_t shrink_axis = 0;
};

struct StridedSliceSpec {
  // Per input dim: first index, end (exclusive, may be -1 for negative
  // strides) and stride, canonical (clamped, masks applied).
  std::vector<int64_t> begin, end, strides;
  // Per input dim: elements taken (shrunk dims count 1).
  std::vector<int64_t> processing_dims;
  // The output shape: processing dims without shrunk ones, plus new axes.
  std::vector<int64_t> final_dims;
  // Every dim taken whole with stride 1: the output is the input reshaped.
  bool is_identity = true;
  // Every stride is 1.
  bool is_simple_slice = true;
};

// `begin`, `end`, `strides`: the op's int16/int32/int64 inputs. Errors are
// InvalidArgument with TensorFlow's messages, e.g.
//   "Expected begin, end, and strides to be 1D equal size tensors, but got
//    shapes [2], [3], and [2] instead."
//   "Multiple ellipses in slice spec not allowed"
//   "Index out of range using input dim 2; input has only 2 dims"
//   "Attempting to slice scalar input."
//   "strides[1] must be non-zero"
//   "only stride 1 allowed on non-range indexing."
//   "slice index 5 of dimension 0 out of bounds."
StatusOr<StridedSliceSpec> ResolveStridedSlice(const TensorShape& input, const Tensor& begin,
                                               const Tensor& end, const Tensor& strides,
                                               const StridedSliceMasks& masks);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_STRIDED_SLICE_SPEC_H_
