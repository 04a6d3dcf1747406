#include "tf1hub/kernels/broadcast.h"

#include <algorithm>
#include <limits>

namespace tf1hub {
namespace {

// Product of two non-negative dims, saturating at INT64_MAX (two valid
// shapes may broadcast to more elements than fit; BCastOutputShape then
// reports the overflow).
int64_t MulDims(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::numeric_limits<int64_t>::max();
  return r;
}

}  // namespace

BCastList::BCastList(const std::vector<Vec>& shapes, bool fewer_dims_optimization) {
  const size_t n = shapes.size();
  reshape_.assign(n, {});
  bcast_.assign(n, {});
  grad_reduce_idx_.assign(n, {});
  if (n == 0) {
    valid_ = false;
    return;
  }
  size_t rank = 0;
  bool all_equal = true;
  for (const Vec& s : shapes) {
    rank = std::max(rank, s.size());
    all_equal = all_equal && s == shapes[0];
  }
  broadcasting_required_ = !all_equal;

  if (all_equal && fewer_dims_optimization) {
    // Identical shapes: one flattened dim, nothing to reduce.
    int64_t elements = 1;
    for (int64_t d : shapes[0]) elements = MulDims(elements, d);
    output_ = shapes[0];
    result_ = {elements};
    for (size_t i = 0; i < n; ++i) {
      reshape_[i] = {elements};
      bcast_[i] = {1};
    }
    return;
  }

  // Walk the dims from the innermost (last) outwards; missing leading dims
  // count as 1. Vectors are built innermost-first and reversed at the end.
  auto dim_of = [&](size_t i, size_t j) -> int64_t {
    const Vec& s = shapes[i];
    return j < s.size() ? s[s.size() - 1 - j] : 1;
  };
  std::vector<bool> prev_is_one(n, false), cur_is_one(n, false);
  bool have_prev = false;
  for (size_t j = 0; j < rank; ++j) {
    int64_t out_dim = 1;
    bool out_set = false;
    bool none_is_one = true;
    for (size_t i = 0; i < n; ++i) {
      const int64_t d = dim_of(i, j);
      if (d == 1) {
        cur_is_one[i] = true;
        none_is_one = false;
      } else {
        cur_is_one[i] = false;
        if (!out_set) {
          out_dim = d;
          out_set = true;
        } else if (d != out_dim) {
          valid_ = false;
          return;
        }
      }
    }
    output_.push_back(out_dim);
    const int64_t axis = static_cast<int64_t>(rank - 1 - j);
    if (!out_set) {
      // 1 in every input: dropped from the reduced form (unless asked to keep
      // the rank), summed over by every gradient. The previous state is kept
      // so runs on either side of it may still merge.
      if (!fewer_dims_optimization) {
        for (size_t i = 0; i < n; ++i) {
          reshape_[i].push_back(1);
          bcast_[i].push_back(1);
        }
        result_.push_back(1);
      }
      for (size_t i = 0; i < n; ++i) grad_reduce_idx_[i].push_back(axis);
      continue;
    }
    const bool merge = fewer_dims_optimization && have_prev && cur_is_one == prev_is_one;
    if (merge) {
      result_.back() = MulDims(result_.back(), out_dim);
    } else {
      result_.push_back(out_dim);
    }
    for (size_t i = 0; i < n; ++i) {
      const int64_t d = dim_of(i, j);
      const int64_t b = cur_is_one[i] ? out_dim : 1;
      if (merge) {
        reshape_[i].back() = MulDims(reshape_[i].back(), d);
        bcast_[i].back() = MulDims(bcast_[i].back(), b);
      } else {
        reshape_[i].push_back(d);
        bcast_[i].push_back(b);
      }
      if (cur_is_one[i] && !none_is_one) grad_reduce_idx_[i].push_back(axis);
    }
    have_prev = true;
    prev_is_one = cur_is_one;
  }
  if (result_.empty()) {
    result_.push_back(1);
    for (size_t i = 0; i < n; ++i) {
      reshape_[i].push_back(1);
      bcast_[i].push_back(1);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    std::reverse(reshape_[i].begin(), reshape_[i].end());
    std::reverse(bcast_[i].begin(), bcast_[i].end());
    std::reverse(grad_reduce_idx_[i].begin(), grad_reduce_idx_[i].end());
  }
  std::reverse(result_.begin(), result_.end());
  std::reverse(output_.begin(), output_.end());
}

Status IncompatibleShapesError(const TensorShape& x, const TensorShape& y) {
  return InvalidArgumentError("Incompatible shapes: " + x.DebugString() + " vs. " +
                              y.DebugString());
}

StatusOr<TensorShape> BCastOutputShape(const BCastList& b) {
  if (!b.IsValid()) return InvalidArgumentError("BCastOutputShape of an invalid broadcast");
  return TensorShape::Create(b.output_shape());
}

}  // namespace tf1hub
