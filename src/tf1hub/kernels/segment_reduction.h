// The sparse segment reductions (SparseSegmentSum/Mean/SqrtN and their
// *WithNumSegments variants) as a function over "data rows" given by a
// callback, shared by their kernels (segment_ops.cc) and by the fused
// ResourceGather + reduction of embedding lookups (embedding_fusion.cc),
// whose rows are read straight out of the embedding variable.
//
//   output[s] = combine(row(indices[i]) for every i with segment_ids[i] == s)
//
// segment_ids must be sorted; output has rows [0, segment_ids[-1] + 1) (or
// num_segments rows); rows no segment names are zero. Mean divides by the
// segment's size, SqrtN by its square root.
//
// Numbers: TensorFlow sums a segment of n rows in a fixed grouping — the
// first n % 8 rows (8 or 9 rows when n % 8 is 0 or 1), multiplied by 1/n
// (or 1/sqrt(n)) when n < 10, then each following group of 8 rows summed on
// its own and added, then divided by n (or sqrt(n)) when n >= 10 — and
// half/bfloat16 accumulate in float. Following the same steps gives
// bit-identical float results (columns are independent, so the loops over
// columns may be vectorised freely).
//
// Errors are checked in TensorFlow's order with its messages: shapes, then
// the last segment id, then segment by segment (ids increasing, id in range,
// the segment's indices in range).
#ifndef TF1HUB_KERNELS_SEGMENT_REDUCTION_H_
#define TF1HUB_KERNELS_SEGMENT_REDUCTION_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "tf1hub/kernels/array_ops_util.h"
#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/prefetch.h"

namespace tf1hub {
namespace segment {

enum class Combiner { kSum, kMean, kSqrtN };

// The type segments are summed in: float for half/bfloat16 (as TensorFlow
// does), unsigned for integers (wrap-around on overflow, like TensorFlow's,
// without undefined behaviour), the element type otherwise.
template <typename E, bool kIntegral = std::is_integral_v<E>>
struct AccumType {
  using type = E;
};
template <typename E>
struct AccumType<E, true> {
  using type = std::make_unsigned_t<E>;
};
template <>
struct AccumType<Eigen::half, false> {
  using type = float;
};
template <>
struct AccumType<Eigen::bfloat16, false> {
  using type = float;
};

// out[0, num_col) = combine(row_at(idx[0..num))) in TensorFlow's grouping
// (see the top of the file). row_at(i) returns a `const E*` to num_col
// values; `chunk` is scratch of num_col values. Indices are already
// checked.
template <typename E, typename A, typename Index, typename RowAt>
void ReduceSegment(const RowAt& row_at, int64_t num_col, const Index* idx, int64_t num,
                   Combiner comb, A* __restrict out, A* __restrict chunk) {
  auto load = [&](A* __restrict dst, Index row) {
    const E* __restrict src = row_at(row);
    for (int64_t c = 0; c < num_col; ++c) dst[c] = static_cast<A>(src[c]);
  };
  auto add = [&](A* __restrict dst, Index row) {
    const E* __restrict src = row_at(row);
    for (int64_t c = 0; c < num_col; ++c) dst[c] = static_cast<A>(dst[c] + static_cast<A>(src[c]));
  };
  auto divide = [&](A m) {
    for (int64_t c = 0; c < num_col; ++c) out[c] = out[c] / m;
  };
  auto multiply = [&](A m) {
    for (int64_t c = 0; c < num_col; ++c) out[c] = out[c] * m;
  };
  int64_t r = num % 8;
  if (r == 0) r = 8;
  if (r == 1) r = 9;
  load(out, idx[0]);
  if (num == 1) return;
  for (int64_t j = 1; j < r; ++j) add(out, idx[j]);
  if constexpr (!std::is_integral_v<A>) {
    // Short segments: TensorFlow's result is the sum times the reciprocal
    // of the divisor (computed in A), not the quotient (TF 2.15.1, checked
    // bit for bit on random data).
    if (num < 10 && comb == Combiner::kMean) multiply(A(1) / static_cast<A>(num));
    if (num < 10 && comb == Combiner::kSqrtN) multiply(A(1) / static_cast<A>(std::sqrt(num)));
  }
  for (; r < num; r += 8) {
    load(chunk, idx[r]);
    for (int64_t j = 1; j < 8; ++j) add(chunk, idx[r + j]);
    for (int64_t c = 0; c < num_col; ++c) out[c] = static_cast<A>(out[c] + chunk[c]);
  }
  if constexpr (!std::is_integral_v<A>) {
    if (num >= 10 && comb == Combiner::kMean) divide(static_cast<A>(num));
    if (num >= 10 && comb == Combiner::kSqrtN) divide(static_cast<A>(std::sqrt(num)));
  }
}

// The inputs of one reduction besides its data.
struct Inputs {
  const Tensor* indices = nullptr;
  const Tensor* segment_ids = nullptr;
  const Tensor* num_segments = nullptr;  // null: no num_segments input
};

// TensorFlow's ValidateSparseSegmentReduction, in its order.
Status ValidateInputs(const Inputs& in, int data_rank);

// The whole reduction: checks, allocates output `output_index` (data_dims
// with dims[0] replaced by the number of output rows), zeroes rows no
// segment names and reduces the others in parallel. data_dims[0] is the
// number of data rows; row_at(r) points at data row r's num_col values.
template <typename T, typename Index, typename SegmentId, typename RowAt>
Status Reduce(OpKernelContext* ctx, Combiner comb, const Inputs& in, std::vector<int64_t> dims,
              const RowAt& row_at, int output_index) {
  using E = typename EigenType<T>::type;
  using A = typename AccumType<E>::type;
  RETURN_IF_ERROR(ValidateInputs(in, static_cast<int>(dims.size())));
  const int64_t n = in.indices->NumElements();
  const Index* idx = in.indices->flat<Index>().data();
  const SegmentId* seg = in.segment_ids->flat<SegmentId>().data();

  // Output rows: the last id + 1, or num_segments.
  const int64_t last = n > 0 ? static_cast<int64_t>(seg[n - 1]) : -1;
  if (last >= static_cast<int64_t>(std::numeric_limits<SegmentId>::max())) {
    return InvalidArgumentError("Last segment id must be < kintmax, got " + std::to_string(last) +
                                " limit " + std::to_string(std::numeric_limits<SegmentId>::max()));
  }
  int64_t output_rows = last + 1;
  if (in.num_segments != nullptr) {
    output_rows = array::IndexScalar(*in.num_segments);
    if (last >= output_rows) return InvalidArgumentError("segment ids must be < num_segments");
  }
  if (output_rows < 0) return InvalidArgumentError("segment ids must be >= 0");
  const int64_t data_rows = dims[0];
  dims[0] = output_rows;
  int64_t num_col = 1;
  for (size_t i = 1; i < dims.size(); ++i) num_col *= dims[i];
  ASSIGN_OR_RETURN(TensorShape out_shape, array::MakeShape(dims));
  ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(output_index, out_shape));
  E* out_data = reinterpret_cast<E*>(out->mutable_raw_data());
  auto zero_rows = [&](int64_t begin, int64_t end) {
    if (end > begin && num_col > 0) {
      std::memset(static_cast<void*>(out_data + begin * num_col), 0,
                  static_cast<size_t>((end - begin) * num_col) * sizeof(E));
    }
  };
  if (n == 0) {
    zero_rows(0, output_rows);
    return Status::OK();
  }
  if (output_rows <= 0) return InvalidArgumentError("segment ids must be >= 0");

  // Walk the segments in order, checking as TensorFlow does, zeroing the
  // rows no segment names.
  struct Segment {
    int64_t start, end, row;  // indices [start, end) into output row `row`
  };
  std::vector<Segment> segments;
  int64_t start = 0, end = 1;
  int64_t uninitialized = 0;
  int64_t row = seg[0];
  while (true) {
    int64_t next = 0;
    if (end < n) {
      next = seg[end];
      if (row == next) {
        ++end;
        continue;
      }
      if (!(row < next)) return InvalidArgumentError("segment ids are not increasing");
    }
    if (row < 0 || row >= output_rows) {
      return InvalidArgumentError("Segment id " + std::to_string(row) + " out of range [0, " +
                                  std::to_string(output_rows) +
                                  "), possibly because 'segment_ids' input is not sorted.");
    }
    zero_rows(uninitialized, row);
    for (int64_t i = start; i < end; ++i) {
      if (idx[i] < 0 || idx[i] >= data_rows) {
        return InvalidArgumentError("Bad: indices[" + std::to_string(i) +
                                    "] == " + std::to_string(idx[i]) + " out of range [0, " +
                                    std::to_string(data_rows) + ")");
      }
    }
    segments.push_back({start, end, row});
    start = end;
    ++end;
    uninitialized = row + 1;
    row = next;
    if (end > n) break;
  }
  zero_rows(uninitialized, output_rows);
  if (num_col == 0) return Status::OK();

  const int64_t per_segment = (n / static_cast<int64_t>(segments.size()) + 1) * num_col;
  ctx->ParallelFor(static_cast<int64_t>(segments.size()), 4 + 2 * per_segment,
                   [&](int64_t begin, int64_t stop) {
                     std::vector<A> chunk(static_cast<size_t>(num_col));
                     std::vector<A> acc;
                     if constexpr (!std::is_same_v<A, E>) acc.resize(static_cast<size_t>(num_col));
                     // Rows may be scattered far beyond the caches (an embedding
                     // matrix): the next segment's rows are fetched while one is summed.
                     const int64_t row_bytes = num_col * static_cast<int64_t>(sizeof(E));
                     auto prefetch = [&](int64_t s) {
                       for (int64_t i = segments[s].start; i < segments[s].end; ++i) {
                         PrefetchBytes(row_at(idx[i]), row_bytes);
                       }
                     };
                     if (begin < stop) prefetch(begin);
                     for (int64_t s = begin; s < stop; ++s) {
                       if (s + 1 < stop) prefetch(s + 1);
                       const Segment& g = segments[s];
                       E* dst = out_data + g.row * num_col;
                       if constexpr (std::is_same_v<A, E>) {
                         ReduceSegment<E, A, Index>(row_at, num_col, idx + g.start, g.end - g.start,
                                                    comb, dst, chunk.data());
                       } else {
                         ReduceSegment<E, A, Index>(row_at, num_col, idx + g.start, g.end - g.start,
                                                    comb, acc.data(), chunk.data());
                         for (int64_t c = 0; c < num_col; ++c) dst[c] = static_cast<E>(acc[c]);
                       }
                     }
                   });
  return Status::OK();
}

}  // namespace segment
}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_SEGMENT_REDUCTION_H_
