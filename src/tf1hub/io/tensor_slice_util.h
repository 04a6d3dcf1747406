// Internal helpers for tensor slices (partitioned variables in checkpoints).
//
// A TensorSlice (include/tf1hub/checkpoint.h) has one SliceExtent per
// dimension: either "full" (start 0, length -1: the whole dimension, whatever
// its size) or the half-open range [start, start + length) with start >= 0
// and length > 0, as TensorFlow's TensorSlice requires.
//
// (TensorSliceProto conversion lives in bundle_format.h.)
//
// Most helpers take the full shape of the tensor so that full extents can be
// resolved to concrete ranges. Functions that take a TensorSlice and a full
// shape expect a slice that passed ValidateSlice against that shape.
//
//   TensorSlice a = ..., b = ...;  // two stored slices of a [10,20] tensor
//   if (std::optional<TensorSlice> i = IntersectSlices(a, b)) { ... }
//   ASSIGN_OR_RETURN(int64_t n, CopySliceData(src, a, &dst, b, full_shape));
//
// Thread safety: all functions are pure (CopySliceData writes only *dst).
#ifndef TF1HUB_IO_TENSOR_SLICE_UTIL_H_
#define TF1HUB_IO_TENSOR_SLICE_UTIL_H_

#include <cstdint>
#include <optional>

#include "tf1hub/checkpoint.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

// Length value of a full extent.
inline constexpr int64_t kFullExtentLength = -1;

inline bool IsFullExtent(const SliceExtent& e) { return e.length == kFullExtentLength; }

// A slice of `rank` full extents (the whole tensor).
TensorSlice FullSlice(int rank);

// Checks `slice` against `full_shape`: equal ranks; every extent either full
// (start 0, length -1) or start >= 0, length > 0 and start + length <= dim
// (without overflow). InvalidArgument naming the slice, the dimension and the
// shape otherwise.
Status ValidateSlice(const TensorSlice& slice, const TensorShape& full_shape);

// Checks only what can be checked without the full shape (start >= 0,
// length > 0 or a full extent, no int64 overflow of start + length).
Status ValidateSliceExtents(const TensorSlice& slice);

// Shape of the values a slice holds, e.g. "0,5:-" of [10,20] -> [5,20].
// Validates as ValidateSlice does.
StatusOr<TensorShape> SliceShape(const TensorSlice& slice, const TensorShape& full_shape);

// True if every extent covers its whole dimension (full, or [0, dim)).
// Requires a valid slice.
bool IsFullSlice(const TensorSlice& slice, const TensorShape& full_shape);

// The same slice with every extent covering a whole dimension written as a
// full extent (the form TensorFlow's AddSlice compares against).
TensorSlice CanonicalizeSlice(const TensorSlice& slice, const TensorShape& full_shape);

// Concrete [start, end) of extent `d` of a valid slice.
int64_t ExtentBegin(const TensorSlice& slice, const TensorShape& full_shape, int d);
int64_t ExtentEnd(const TensorSlice& slice, const TensorShape& full_shape, int d);

// Number of elements in a valid slice.
int64_t SliceVolume(const TensorSlice& slice, const TensorShape& full_shape);

// The intersection of two slices of the same tensor: full extents act as
// [0, infinity). nullopt if the ranks differ or the intersection is empty in
// some dimension. Full ∩ full stays full.
std::optional<TensorSlice> IntersectSlices(const TensorSlice& a, const TensorSlice& b);

// True if `inner` lies inside `outer` (both valid for `full_shape`).
bool SliceCovers(const TensorSlice& outer, const TensorSlice& inner,
                 const TensorShape& full_shape);

// Copies the elements in the intersection of `src_slice` and `dst_slice`
// (both slices of one tensor of `full_shape`) from `src`, which holds exactly
// the elements of `src_slice`, into `*dst`, which holds `dst_slice`.
// Contiguous runs are copied with memcpy (strings are assigned). Returns the
// number of elements copied (0 if the slices do not intersect).
// InvalidArgument if the dtypes differ, a tensor's shape is not its slice's
// shape, a slice is invalid, or the dtype is neither memcpy-able nor string.
StatusOr<int64_t> CopySliceData(const Tensor& src, const TensorSlice& src_slice, Tensor* dst,
                                const TensorSlice& dst_slice, const TensorShape& full_shape);

}  // namespace tf1hub

#endif  // TF1HUB_IO_TENSOR_SLICE_UTIL_H_
