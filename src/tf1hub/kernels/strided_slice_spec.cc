#include "tf1hub/kernels/strided_slice_spec.h"

#include <algorithm>
#include <string>

#include "tf1hub/kernels/array_ops_util.h"

namespace tf1hub {
namespace {

// Where a dim of the output comes from.
constexpr int kShrunk = -1;   // an input dim indexed away
constexpr int kNewAxis = -2;  // a size-1 dim not in the input

inline bool Bit(uint32_t mask, int i) { return (mask >> i) & 1u; }

// The sparse spec expanded to one entry per input dim.
struct DenseSpec {
  std::vector<int64_t> begin, end, strides;
  uint32_t begin_mask = 0, end_mask = 0, shrink_mask = 0;
  // Output dims in order: an input dim index, kShrunk or kNewAxis.
  std::vector<int> final_sources;
};

Status Expand(int dense_dims, const std::vector<int64_t>& begin, const std::vector<int64_t>& end,
              const std::vector<int64_t>& strides, const StridedSliceMasks& masks,
              DenseSpec* dense) {
  int sparse_dims = static_cast<int>(strides.size());
  uint32_t ellipsis = static_cast<uint32_t>(masks.ellipsis);
  const uint32_t new_axis = static_cast<uint32_t>(masks.new_axis);
  // New axes after the ellipsis do not consume input dims, so the ellipsis
  // must leave room for them.
  int new_axes_after_ellipsis = 0;
  bool seen = false;
  for (int i = 0; i < sparse_dims; ++i) {
    if (seen && Bit(new_axis, i)) ++new_axes_after_ellipsis;
    if (Bit(ellipsis, i)) seen = true;
  }
  if (!seen) {
    ellipsis |= 1u << sparse_dims;  // sparse_dims <= 31 (checked by the caller)
    ++sparse_dims;
  }
  dense->begin.assign(dense_dims, 0);
  dense->end.assign(dense_dims, 0);
  dense->strides.assign(dense_dims, 0);
  int full = 0;
  for (int i = 0; i < sparse_dims; ++i) {
    if (Bit(ellipsis, i)) {
      const int next =
          std::min(dense_dims - (sparse_dims - i) + 1 + new_axes_after_ellipsis, dense_dims);
      for (; full < next; ++full) {
        dense->strides[full] = 1;
        dense->begin_mask |= 1u << full;
        dense->end_mask |= 1u << full;
        dense->final_sources.push_back(full);
      }
    } else if (Bit(new_axis, i)) {
      dense->final_sources.push_back(kNewAxis);
    } else {
      if (full == dense_dims) {
        if (dense_dims == 0) return InvalidArgumentError("Attempting to slice scalar input.");
        return InvalidArgumentError("Index out of range using input dim " + std::to_string(full) +
                                    "; input has only " + std::to_string(dense_dims) + " dims");
      }
      dense->begin[full] = begin[i];
      dense->end[full] = end[i];
      dense->strides[full] = strides[i];
      if (Bit(static_cast<uint32_t>(masks.begin), i)) dense->begin_mask |= 1u << full;
      if (Bit(static_cast<uint32_t>(masks.end), i)) dense->end_mask |= 1u << full;
      if (Bit(static_cast<uint32_t>(masks.shrink_axis), i)) {
        dense->final_sources.push_back(kShrunk);
        dense->shrink_mask |= 1u << full;
      } else {
        dense->final_sources.push_back(full);
      }
      ++full;
    }
  }
  return Status::OK();
}

}  // namespace

StatusOr<StridedSliceSpec> ResolveStridedSlice(const TensorShape& input, const Tensor& begin_t,
                                               const Tensor& end_t, const Tensor& strides_t,
                                               const StridedSliceMasks& masks) {
  const int64_t n = strides_t.NumElements();
  const bool begin_ok = begin_t.shape().rank() == 1 && begin_t.NumElements() == n &&
                        begin_t.NumElements() < 32;  // the masks have 32 bits
  const bool end_ok = end_t.shape().rank() == 1 && end_t.NumElements() == n;
  if (!begin_ok || !end_ok || strides_t.shape().rank() != 1) {
    return InvalidArgumentError(
        "Expected begin, end, and strides to be 1D equal size tensors, but got shapes " +
        begin_t.shape().DebugString() + ", " + end_t.shape().DebugString() + ", and " +
        strides_t.shape().DebugString() + " instead.");
  }
  const uint32_t ellipsis = static_cast<uint32_t>(masks.ellipsis);
  if ((ellipsis & (ellipsis - 1)) != 0) {
    return InvalidArgumentError("Multiple ellipses in slice spec not allowed");
  }
  const int rank = input.rank();
  DenseSpec dense;
  RETURN_IF_ERROR(Expand(rank, array::IndexValues(begin_t), array::IndexValues(end_t),
                         array::IndexValues(strides_t), masks, &dense));

  StridedSliceSpec spec;
  spec.begin = std::move(dense.begin);
  spec.end = std::move(dense.end);
  spec.strides = std::move(dense.strides);
  for (int i = 0; i < rank; ++i) {
    int64_t& b = spec.begin[i];
    int64_t& e = spec.end[i];
    const int64_t stride = spec.strides[i];
    const int64_t dim = input.dim(i);
    if (stride == 0) {
      return InvalidArgumentError("strides[" + std::to_string(i) + "] must be non-zero");
    }
    const bool shrink = Bit(dense.shrink_mask, i);
    if (shrink && stride <= 0) {
      return InvalidArgumentError("only stride 1 allowed on non-range indexing.");
    }
    spec.is_simple_slice &= stride == 1;
    // The valid index range in the stride's direction: [lo, hi].
    const int64_t lo = stride > 0 ? 0 : -1;
    const int64_t hi = stride > 0 ? dim : dim - 1;
    if (shrink) {
      b = b < 0 ? dim + b : b;
      e = b + 1;
      if (b < 0 || b >= dim) {
        return InvalidArgumentError("slice index " + std::to_string(b) + " of dimension " +
                                    std::to_string(i) + " out of bounds.");
      }
    } else {
      // A masked begin starts at the first element in the stride's
      // direction; a masked end stops past the last one.
      auto canonical = [&](int64_t x, bool masked, bool is_end) {
        if (masked) return (stride > 0) == is_end ? hi : lo;
        const int64_t fwd = x < 0 ? dim + x : x;
        return std::clamp(fwd, lo, hi);
      };
      b = canonical(b, Bit(dense.begin_mask, i), false);
      e = canonical(e, Bit(dense.end_mask, i), true);
    }
    spec.is_identity &= stride == 1 && b == 0 && e == dim;
    const int64_t interval = e - b;
    int64_t size = 0;
    if (interval != 0 && (interval < 0) == (stride < 0)) {
      size = interval / stride + (interval % stride != 0 ? 1 : 0);
    }
    spec.processing_dims.push_back(size);
  }
  for (int source : dense.final_sources) {
    if (source >= 0) {
      spec.final_dims.push_back(spec.processing_dims[source]);
    } else if (source == kNewAxis) {
      spec.final_dims.push_back(1);
    }
  }
  return spec;
}

}  // namespace tf1hub
