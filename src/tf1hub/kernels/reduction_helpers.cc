#include "tf1hub/kernels/reduction_helpers.h"

#include <cstdint>
#include <string>
#include <vector>

#include "tf1hub/data_type.h"

namespace tf1hub {
namespace reduction {
namespace {

int64_t AxisValue(const Tensor& axes, int64_t i) {
  return axes.dtype() == DataType::kInt64 ? axes.flat<int64_t>()[i]
                                          : int64_t{axes.flat<int32_t>()[i]};
}

struct Bytes16 {
  uint64_t lo, hi;
};

template <typename U>
void TransposeImpl(const std::vector<int64_t>& dims, const std::vector<int>& perm, const U* in,
                   U* out) {
  const int n = static_cast<int>(dims.size());
  std::vector<int64_t> in_stride(n, 1);
  for (int d = n - 2; d >= 0; --d) in_stride[d] = in_stride[d + 1] * dims[d + 1];
  std::vector<int64_t> out_dims(n), step(n);
  int64_t total = 1;
  for (int j = 0; j < n; ++j) {
    out_dims[j] = dims[perm[j]];
    step[j] = in_stride[perm[j]];
    total *= out_dims[j];
  }
  // Walk the output in order; the input offset follows an odometer over
  // every output dim but the last, which the inner loop covers.
  const int64_t inner = out_dims[n - 1];
  const int64_t inner_step = step[n - 1];
  std::vector<int64_t> idx(n, 0);
  int64_t offset = 0;
  for (int64_t o = 0; o < total; o += inner) {
    for (int64_t j = 0; j < inner; ++j) out[o + j] = in[offset + j * inner_step];
    for (int d = n - 2; d >= 0; --d) {
      offset += step[d];
      if (++idx[d] < out_dims[d]) break;
      offset -= step[d] * out_dims[d];
      idx[d] = 0;
    }
  }
}

}  // namespace

StatusOr<Plan> PlanReduction(const TensorShape& input, const Tensor& axes, bool keep_dims) {
  const int rank = input.rank();
  std::vector<bool> reduce(rank, false);
  for (int64_t i = 0; i < axes.NumElements(); ++i) {
    const int64_t index = AxisValue(axes, i);
    if (index < -rank || index >= rank) {
      return InvalidArgumentError("Invalid reduction dimension (" + std::to_string(index) +
                                  " for input with " + std::to_string(rank) + " dimension(s)");
    }
    const int dim = static_cast<int>(index < 0 ? index + rank : index);
    if (reduce[dim]) {
      return InvalidArgumentError(
          "Invalid reduction arguments: Axes contains duplicate dimension: " + std::to_string(dim));
    }
    reduce[dim] = true;
  }

  Plan plan;
  std::vector<int64_t> out_dims;
  for (int i = 0; i < rank; ++i) {
    if (!reduce[i]) {
      out_dims.push_back(input.dim(i));
    } else if (keep_dims) {
      out_dims.push_back(1);
    }
  }
  ASSIGN_OR_RETURN(plan.out_shape, TensorShape::Create(out_dims));

  // Merge dims into alternating runs of reduced and kept dims. Size-1 dims
  // join their left neighbour's run; leading size-1 dims are dropped.
  int i = 0;
  while (i < rank && input.dim(i) == 1) ++i;
  if (i == rank) return plan;  // a scalar in disguise: kCopy
  plan.reduce_first_run = reduce[i];
  plan.runs.push_back(input.dim(i));
  for (++i; i < rank; ++i) {
    const int64_t size = input.dim(i);
    if (size == 1) reduce[i] = reduce[i - 1];
    if (reduce[i] != reduce[i - 1]) {
      plan.runs.push_back(size);
    } else {
      plan.runs.back() *= size;
    }
  }

  const std::vector<int64_t>& r = plan.runs;
  const size_t n = r.size();
  if (n == 1) {
    if (plan.reduce_first_run) {
      plan.form = Plan::kAll;
      plan.reduced = r[0];
    }  // else kCopy
  } else if (n == 2 && plan.reduce_first_run) {
    plan.form = Plan::kOuter;
    plan.reduced = r[0];
    plan.inner = r[1];
  } else if (n == 2) {
    plan.form = Plan::kInner;
    plan.outer = r[0];
    plan.reduced = r[1];
  } else if (n == 3 && !plan.reduce_first_run) {
    plan.form = Plan::kMiddle;
    plan.outer = r[0];
    plan.reduced = r[1];
    plan.inner = r[2];
  } else {
    plan.form = Plan::kGeneral;
    for (size_t j = 0; j < n; ++j) {
      const bool reduced = (j % 2 == 0) == plan.reduce_first_run;
      (reduced ? plan.reduced : plan.outer) *= r[j];
    }
  }
  return plan;
}

void TransposeKeptFirst(const Plan& plan, const void* in, void* out, size_t elem_size) {
  const int n = static_cast<int>(plan.runs.size());
  std::vector<int> perm;
  // Kept runs are the odd ones when the first run is reduced, else the even.
  for (int pass = 0; pass < 2; ++pass) {
    const bool want_reduced = pass == 1;
    for (int j = 0; j < n; ++j) {
      const bool reduced = (j % 2 == 0) == plan.reduce_first_run;
      if (reduced == want_reduced) perm.push_back(j);
    }
  }
  switch (elem_size) {
    case 1:
      TransposeImpl(plan.runs, perm, static_cast<const uint8_t*>(in), static_cast<uint8_t*>(out));
      break;
    case 2:
      TransposeImpl(plan.runs, perm, static_cast<const uint16_t*>(in), static_cast<uint16_t*>(out));
      break;
    case 4:
      TransposeImpl(plan.runs, perm, static_cast<const uint32_t*>(in), static_cast<uint32_t*>(out));
      break;
    case 8:
      TransposeImpl(plan.runs, perm, static_cast<const uint64_t*>(in), static_cast<uint64_t*>(out));
      break;
    default:
      TransposeImpl(plan.runs, perm, static_cast<const Bytes16*>(in), static_cast<Bytes16*>(out));
      break;
  }
}

}  // namespace reduction
}  // namespace tf1hub
