// The partial-shape algebra of TensorFlow's InferenceContext, with its
// error messages, and the static part of StridedSlice's index logic.
#include <algorithm>
#include <array>
#include <climits>
#include <string>

#include "tf1hub/graph/shape_inference_internal.h"

namespace tf1hub::shape_inference {

namespace {
std::string Str(int64_t v) { return std::to_string(v); }
}  // namespace

Shape Shape::FromPartial(const PartialTensorShape& shape) {
  if (shape.unknown_rank()) return Unknown();
  return Of(shape.dims());
}

bool Shape::FullyDefined() const {
  if (!known) return false;
  for (int64_t d : dims) {
    if (d < 0) return false;
  }
  return true;
}

int64_t Shape::NumElements() const {
  if (!known) return kUnknownDim;
  int64_t n = 1;
  bool unknown = false;
  for (int64_t d : dims) {
    if (d == 0) return 0;
    if (d < 0) {
      unknown = true;
    } else if (!unknown) {
      if (n > INT64_MAX / d) return kUnknownDim;
      n *= d;
    }
  }
  return unknown ? kUnknownDim : n;
}

int64_t Shape::Dim(int64_t index) const {
  if (!known) return kUnknownDim;
  if (index < 0) index += static_cast<int64_t>(dims.size());
  if (index < 0 || index >= static_cast<int64_t>(dims.size())) return kUnknownDim;
  return dims[static_cast<size_t>(index)];
}

std::string Shape::ToString() const {
  if (!known) return "?";
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) s += ",";
    s += dims[i] < 0 ? "?" : Str(dims[i]);
  }
  return s + "]";
}

PartialTensorShape Shape::ToPartial() const {
  if (!known) return PartialTensorShape::UnknownRank();
  StatusOr<PartialTensorShape> s = PartialTensorShape::Create(dims);
  return s.ok() ? *s : PartialTensorShape::UnknownRank();
}

Status MergeDim(int64_t a, int64_t b, int64_t* out) {
  if (a < 0) {
    *out = b;
  } else if (b < 0 || a == b) {
    *out = a;
  } else {
    return InvalidArgumentError("Dimensions must be equal, but are " + Str(a) + " and " + Str(b));
  }
  return Status::OK();
}

Status Merge(const Shape& a, const Shape& b, Shape* out) {
  if (!a.known) {
    *out = b;
    return Status::OK();
  }
  if (!b.known) {
    *out = a;
    return Status::OK();
  }
  if (a.dims.size() != b.dims.size()) {
    return InvalidArgumentError("Shapes must be equal rank, but are " + Str(a.rank()) + " and " +
                                Str(b.rank()));
  }
  Shape merged = a;
  for (size_t i = 0; i < a.dims.size(); ++i) {
    if (a.dims[i] >= 0 && b.dims[i] >= 0 && a.dims[i] != b.dims[i]) {
      return InvalidArgumentError("Dimension " + Str(static_cast<int64_t>(i)) +
                                  " in both shapes must be equal, but are " + Str(a.dims[i]) +
                                  " and " + Str(b.dims[i]) + ". Shapes are " + a.ToString() +
                                  " and " + b.ToString() + ".");
    }
    if (merged.dims[i] < 0) merged.dims[i] = b.dims[i];
  }
  *out = std::move(merged);
  return Status::OK();
}

Status WithRank(const Shape& s, int64_t rank, Shape* out) {
  if (!s.known) {
    *out = Shape::UnknownOfRank(rank);
    return Status::OK();
  }
  if (s.rank() != rank) {
    return InvalidArgumentError("Shape must be rank " + Str(rank) + " but is rank " +
                                Str(s.rank()));
  }
  *out = s;
  return Status::OK();
}

Status WithRankAtLeast(const Shape& s, int64_t rank, Shape* out) {
  if (s.known && s.rank() < rank) {
    return InvalidArgumentError("Shape must be at least rank " + Str(rank) + " but is rank " +
                                Str(s.rank()));
  }
  *out = s;
  return Status::OK();
}

Status WithRankAtMost(const Shape& s, int64_t rank, Shape* out) {
  if (s.known && s.rank() > rank) {
    return InvalidArgumentError("Shape must be at most rank " + Str(rank) + " but is rank " +
                                Str(s.rank()));
  }
  *out = s;
  return Status::OK();
}

Status WithValue(int64_t dim, int64_t value, int64_t* out) {
  if (dim >= 0 && dim != value) {
    return InvalidArgumentError("Dimension must be " + Str(value) + " but is " + Str(dim));
  }
  *out = value;
  return Status::OK();
}

Status Subshape(const Shape& s, int64_t start, int64_t end, int64_t stride, Shape* out) {
  const int64_t orig_start = start, orig_end = end;
  if (start == 0 && stride == 1 && ((s.known && end >= s.rank()) || end == INT64_MAX)) {
    *out = s;
    return Status::OK();
  }
  if (!s.known) {
    *out = Shape::Unknown();
    return Status::OK();
  }
  const int64_t rank = s.rank();
  if (start > rank) start = rank;
  if (end > rank) end = rank;
  if (stride < 0 && start == rank) --start;
  if (start < 0) {
    start += rank;
    if (start < 0) {
      return InvalidArgumentError("Subshape start out of bounds: " + Str(orig_start) +
                                  ", for shape with rank " + Str(rank));
    }
  }
  if (end < 0) {
    end += rank;
    if (end < 0) {
      return InvalidArgumentError("Subshape end out of bounds: " + Str(orig_end) +
                                  ", for shape with rank " + Str(rank));
    }
  }
  if (stride > 0 && start > end) {
    return InvalidArgumentError("Subshape must have computed start <= end, but is " + Str(start) +
                                " and " + Str(end) + " (computed from start " + Str(orig_start) +
                                " and end " + Str(orig_end) + " over shape with rank " + Str(rank) +
                                ")");
  }
  if (stride < 0 && start < end) {
    return InvalidArgumentError(
        "Subshape must have computed start >= end since stride is negative, but is " + Str(start) +
        " and " + Str(end) + " (computed from start " + Str(orig_start) + " and end " +
        Str(orig_end) + " over shape with rank " + Str(rank) + " and stride" + Str(stride) + ")");
  }
  std::vector<int64_t> dims;
  for (int64_t i = start; stride > 0 ? i < end : i > end; i += stride) {
    dims.push_back(s.dims[static_cast<size_t>(i)]);
  }
  *out = Shape::Of(std::move(dims));
  return Status::OK();
}

Shape Concatenate(const Shape& a, const Shape& b) {
  if (!a.known || !b.known) return Shape::Unknown();
  Shape out = a;
  out.dims.insert(out.dims.end(), b.dims.begin(), b.dims.end());
  return out;
}

Status AddDims(int64_t a, int64_t b, int64_t* out) {
  if (a == 0) {
    *out = b;
  } else if (b == 0) {
    *out = a;
  } else if (a < 0 || b < 0) {
    *out = kUnknownDim;
  } else {
    if (a > INT64_MAX - b) {
      return InvalidArgumentError("Dimension size overflow from adding " + Str(a) + " and " +
                                  Str(b));
    }
    *out = a + b;
  }
  return Status::OK();
}

Status SubtractDims(int64_t a, int64_t b, int64_t* out) {
  if (b == 0) {
    *out = a;
  } else if (a < 0 || b < 0) {
    *out = kUnknownDim;
  } else {
    if (a < b) {
      return InvalidArgumentError("Negative dimension size caused by subtracting " + Str(b) +
                                  " from " + Str(a));
    }
    *out = a - b;
  }
  return Status::OK();
}

Status MultiplyDims(int64_t a, int64_t b, int64_t* out) {
  if (a == 1) {
    *out = b;
  } else if (b == 1) {
    *out = a;
  } else if (a == 0 || b == 0) {
    *out = 0;
  } else if (a < 0 || b < 0) {
    *out = kUnknownDim;
  } else {
    if (a > INT64_MAX / b) {
      return InvalidArgumentError("Negative dimension size caused by overflow when multiplying " +
                                  Str(a) + " and " + Str(b));
    }
    *out = a * b;
  }
  return Status::OK();
}

Status DivideDim(int64_t dividend, int64_t divisor, bool evenly_divisible, int64_t* out) {
  if (divisor == 1) {
    *out = dividend;
    return Status::OK();
  }
  if (divisor <= 0) {
    return InvalidArgumentError("Divisor must be positive but is " + Str(divisor));
  }
  if (dividend < 0) {
    *out = kUnknownDim;
    return Status::OK();
  }
  if (evenly_divisible && dividend % divisor != 0) {
    return InvalidArgumentError("Dimension size must be evenly divisible by " + Str(divisor) +
                                " but is " + Str(dividend));
  }
  *out = dividend / divisor;
  return Status::OK();
}

Status BroadcastShapes(const Shape& x, const Shape& y, Shape* out) {
  if (!x.known || !y.known) {
    *out = Shape::Unknown();
    return Status::OK();
  }
  const int64_t rank_x = x.rank(), rank_y = y.rank();
  const int64_t rank_out = std::max(rank_x, rank_y);
  std::vector<int64_t> dims;
  dims.reserve(static_cast<size_t>(rank_out));
  for (int64_t i = 0; i < rank_out; ++i) {
    const int64_t dx = i < rank_out - rank_x ? 1 : x.dims[i - (rank_out - rank_x)];
    const bool y_is_one = i < rank_out - rank_y;
    const int64_t dy = y_is_one ? 1 : y.dims[i - (rank_out - rank_y)];
    if (dx < 0 || dy < 0) {
      if (dx > 1) {
        dims.push_back(dx);
      } else if (dy > 1) {
        dims.push_back(dy);
      } else if (dx == 1) {
        dims.push_back(dy);
      } else if (dy == 1) {
        dims.push_back(dx);
      } else {
        dims.push_back(kUnknownDim);
      }
    } else if (dx == 1 || dy == 1) {
      dims.push_back(dx == 1 && !y_is_one ? dy : dx);
    } else {
      int64_t d;
      RETURN_IF_ERROR(MergeDim(dx, dy, &d));
      dims.push_back(d);
    }
  }
  *out = Shape::Of(std::move(dims));
  return Status::OK();
}

// ---- StridedSlice (TF's ValidateStridedSliceOp, shapes only) --------------

namespace {
constexpr int64_t kShrinkAxis = -1;
constexpr int64_t kNewAxis = -2;
}  // namespace

Status ComputeStridedSlice(const Shape& input, const std::vector<int64_t>* begin,
                           const std::vector<int64_t>* end, const std::vector<int64_t>& strides,
                           const StridedSliceMasks& masks, StridedSliceDense* out) {
  const int64_t sparse_dims = static_cast<int64_t>(strides.size());
  if ((begin != nullptr && static_cast<int64_t>(begin->size()) != sparse_dims) ||
      (end != nullptr && static_cast<int64_t>(end->size()) != sparse_dims)) {
    return InvalidArgumentError(
        "Expected begin, end, and strides to be 1D equal size tensors, but got " +
        Str(begin ? static_cast<int64_t>(begin->size()) : -1) + ", " +
        Str(end ? static_cast<int64_t>(end->size()) : -1) + ", and " + Str(sparse_dims) +
        " elements");
  }
  if (sparse_dims > 31) {
    return InvalidArgumentError("StridedSlice supports at most 31 slice dimensions, got " +
                                Str(sparse_dims));
  }
  if (masks.ellipsis != 0 && (masks.ellipsis & (masks.ellipsis - 1)) != 0) {
    return InvalidArgumentError("Multiple ellipses in slice spec not allowed");
  }
  // Sparse spec: count new axes after the ellipsis; add an implicit ellipsis
  // at the end when there is none.
  int64_t ellipsis_mask = masks.ellipsis;
  int64_t dims = sparse_dims;
  int64_t num_add_axis_after_ellipsis = 0;
  bool ellipsis_seen = false;
  for (int64_t i = 0; i < sparse_dims; ++i) {
    if (ellipsis_seen && ((int64_t{1} << i) & masks.new_axis) != 0) ++num_add_axis_after_ellipsis;
    if ((int64_t{1} << i) & ellipsis_mask) ellipsis_seen = true;
  }
  if (!ellipsis_seen) {
    ellipsis_mask |= int64_t{1} << dims;
    ++dims;
  }
  // Dense spec over the input's dims.
  const int64_t rank = input.rank();
  std::vector<int64_t> dbegin(rank, 0), dend(rank, 0), dstrides(rank, 1);
  int64_t dbegin_mask = 0, dend_mask = 0, dshrink = 0;
  std::vector<int64_t> gather;  // final shape: dense index, kNewAxis or kShrinkAxis
  int64_t full_index = 0;
  for (int64_t i = 0; i < dims; ++i) {
    const int64_t bit = int64_t{1} << i;
    if (bit & ellipsis_mask) {
      const int64_t next_index =
          std::min(rank - (dims - i) + 1 + num_add_axis_after_ellipsis, rank);
      for (; full_index < next_index; ++full_index) {
        dbegin[full_index] = dend[full_index] = 0;
        dstrides[full_index] = 1;
        dbegin_mask |= int64_t{1} << full_index;
        dend_mask |= int64_t{1} << full_index;
        gather.push_back(full_index);
      }
    } else if (bit & masks.new_axis) {
      gather.push_back(kNewAxis);
    } else {
      if (full_index == rank) {
        return InvalidArgumentError("Index out of range using input dim " + Str(full_index) +
                                    "; input has only " + Str(rank) + " dims");
      }
      if (begin != nullptr) dbegin[full_index] = (*begin)[i];
      if (end != nullptr) dend[full_index] = (*end)[i];
      dstrides[full_index] = strides[i];
      if (masks.begin & bit) dbegin_mask |= int64_t{1} << full_index;
      if (masks.end & bit) dend_mask |= int64_t{1} << full_index;
      if (masks.shrink_axis & bit) {
        gather.push_back(kShrinkAxis);
        dshrink |= int64_t{1} << full_index;
      } else {
        gather.push_back(full_index);
      }
      ++full_index;
    }
  }
  // Canonicalise and compute the processing shape.
  const bool begin_valid = begin != nullptr, end_valid = end != nullptr;
  std::vector<int64_t> processing;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t& begin_i = dbegin[i];
    int64_t& end_i = dend[i];
    const int64_t stride_i = dstrides[i];
    const int64_t dim_i = input.dims[i];
    if (stride_i == 0) return InvalidArgumentError("strides[" + Str(i) + "] must be non-zero");
    const bool shrink_i = (dshrink & (int64_t{1} << i)) != 0;
    if (dim_i < 0) {
      processing.push_back(shrink_i ? 1 : kUnknownDim);
      continue;
    }
    const std::array<bool, 2> masked = {(dbegin_mask & (int64_t{1} << i)) != 0,
                                        (dend_mask & (int64_t{1} << i)) != 0};
    const std::array<int64_t, 2> valid_range = {stride_i > 0 ? 0 : -1,
                                                stride_i > 0 ? dim_i : dim_i - 1};
    auto canonical = [&](int64_t x, int c) {
      if (masked[c]) return stride_i > 0 ? valid_range[c] : valid_range[(c + 1) & 1];
      const int64_t fwd = x < 0 ? dim_i + x : x;
      return fwd < valid_range[0] ? valid_range[0] : fwd > valid_range[1] ? valid_range[1] : fwd;
    };
    if (shrink_i && stride_i <= 0) {
      return InvalidArgumentError("only stride 1 allowed on non-range indexing.");
    }
    const bool both_masked = masked[0] && masked[1];
    if (begin_valid && end_valid) {
      if (shrink_i) {
        const int64_t fwd = begin_i < 0 ? dim_i + begin_i : begin_i;
        begin_i = fwd;
        end_i = begin_i + 1;
        if (fwd < 0 || fwd >= dim_i) {
          return InvalidArgumentError("slice index " + Str(begin_i) + " of dimension " + Str(i) +
                                      " out of bounds.");
        }
      } else {
        begin_i = canonical(begin_i, 0);
        end_i = canonical(end_i, 1);
      }
    }
    int64_t interval = 0;
    bool known_interval = false;
    if (begin_valid && end_valid) {
      interval = end_i - begin_i;
      known_interval = true;
    } else if (shrink_i) {
      interval = 1;
      known_interval = true;
    } else if (both_masked) {
      interval = stride_i < 0 ? -dim_i : dim_i;
      known_interval = true;
    }
    if (known_interval) {
      int64_t size = 0;
      if (interval != 0 && (interval < 0) == (stride_i < 0)) {
        size = interval / stride_i + (interval % stride_i != 0 ? 1 : 0);
      }
      processing.push_back(size);
    } else {
      processing.push_back(kUnknownDim);
    }
  }
  std::vector<int64_t> final_dims;
  for (int64_t g : gather) {
    if (g >= 0) {
      final_dims.push_back(processing[g]);
    } else if (g == kNewAxis) {
      final_dims.push_back(1);
    }
  }
  out->begin = std::move(dbegin);
  out->end = std::move(dend);
  out->strides = std::move(dstrides);
  out->processing = Shape::Of(std::move(processing));
  out->final_shape = Shape::Of(std::move(final_dims));
  return Status::OK();
}

}  // namespace tf1hub::shape_inference
