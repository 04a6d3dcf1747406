// SparseSegmentSum, SparseSegmentMean, SparseSegmentSqrtN and their
// *WithNumSegments variants, with TensorFlow 2.15's CPU semantics:
//
//   output[s] = combine(data[indices[i]] for every i with segment_ids[i] == s)
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
// bit-identical float results.
//
// Errors are checked in TensorFlow's order with its messages: shapes, then
// the last segment id, then segment by segment (ids increasing, id in range,
// the segment's indices in range).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "tf1hub/kernels/array_ops_util.h"
#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/sparse_family.h"

namespace tf1hub {
namespace {

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

// ---------------------------------------------------------------------------
// Math: one segment.

// out[0, num_col) = combine(rows idx[0..num) of `data`) in TensorFlow's
// grouping (see the top of the file). `chunk` is scratch of num_col values.
// The indices are already checked.
template <typename E, typename A, typename Index>
void ReduceSegment(const E* data, int64_t num_col, const Index* idx, int64_t num, Combiner comb,
                   A* out, A* chunk) {
  auto load = [&](A* dst, Index row) {
    const E* src = data + static_cast<int64_t>(row) * num_col;
    for (int64_t c = 0; c < num_col; ++c) dst[c] = static_cast<A>(src[c]);
  };
  auto add = [&](A* dst, Index row) {
    const E* src = data + static_cast<int64_t>(row) * num_col;
    for (int64_t c = 0; c < num_col; ++c) dst[c] = static_cast<A>(dst[c] + static_cast<A>(src[c]));
  };
  auto divide = [&](A m) {
    for (int64_t c = 0; c < num_col; ++c) out[c] = out[c] / m;
  };
  auto multiply = [&](A m) {
    for (int64_t c = 0; c < num_col; ++c) out[c] = out[c] * m;
  };
  load(out, idx[0]);
  if (num == 1) return;
  int64_t r = num % 8;
  if (r == 0) r = 8;
  if (r == 1) r = 9;
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

// ---------------------------------------------------------------------------
// Kernel.

// One segment to reduce: indices [start, end) into output row `row`.
struct Segment {
  int64_t start;
  int64_t end;
  int64_t row;
};

// TensorFlow's ValidateSparseSegmentReduction, in its order.
Status ValidateInputs(const OpKernelContext* ctx, bool has_num_segments) {
  const Tensor& data = ctx->input(0);
  const Tensor& indices = ctx->input(1);
  const Tensor& segment_ids = ctx->input(2);
  if (has_num_segments) {
    const Tensor& num_segments = ctx->input(3);
    if (num_segments.shape().rank() != 0) {
      return InvalidArgumentError("num_segments should be a scalar, not shape " +
                                  num_segments.shape().DebugString());
    }
    if (array::IndexScalar(num_segments) < 0) {
      return InvalidArgumentError("segment ids must be >= 0");
    }
  }
  if (indices.shape().rank() != 1) return InvalidArgumentError("indices should be a vector.");
  if (segment_ids.shape().rank() != 1) {
    return InvalidArgumentError("segment_ids should be a vector.");
  }
  if (indices.NumElements() != segment_ids.NumElements()) {
    return InvalidArgumentError("segment_ids and indices should have same size.");
  }
  if (data.shape().rank() < 1) return InvalidArgumentError("Shape must be at least rank 1");
  return Status::OK();
}

template <typename T, typename Index, typename SegmentId>
class SparseSegmentReductionOp : public OpKernel {
 public:
  SparseSegmentReductionOp(const KernelConstruction& c, Combiner comb, bool has_num_segments)
      : OpKernel(c), comb_(comb), has_num_segments_(has_num_segments) {}

  Status Compute(OpKernelContext* ctx) override {
    using E = typename EigenType<T>::type;
    using A = typename AccumType<E>::type;
    RETURN_IF_ERROR(ValidateInputs(ctx, has_num_segments_));
    const Tensor& data = ctx->input(0);
    const Tensor& indices = ctx->input(1);
    const int64_t n = indices.NumElements();
    const Index* idx = indices.flat<Index>().data();
    const SegmentId* seg = ctx->input(2).flat<SegmentId>().data();

    // Output rows: the last id + 1, or num_segments.
    const int64_t last = n > 0 ? static_cast<int64_t>(seg[n - 1]) : -1;
    if (last >= static_cast<int64_t>(std::numeric_limits<SegmentId>::max())) {
      return InvalidArgumentError("Last segment id must be < kintmax, got " + std::to_string(last) +
                                  " limit " +
                                  std::to_string(std::numeric_limits<SegmentId>::max()));
    }
    int64_t output_rows = last + 1;
    if (has_num_segments_) {
      output_rows = array::IndexScalar(ctx->input(3));
      if (last >= output_rows) return InvalidArgumentError("segment ids must be < num_segments");
    }
    if (output_rows < 0) return InvalidArgumentError("segment ids must be >= 0");
    std::vector<int64_t> dims = data.shape().dims();
    const int64_t data_rows = dims[0];
    dims[0] = output_rows;
    int64_t num_col = 1;
    for (size_t i = 1; i < dims.size(); ++i) num_col *= dims[i];
    ASSIGN_OR_RETURN(TensorShape out_shape, array::MakeShape(dims));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, out_shape));
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

    const E* in = reinterpret_cast<const E*>(data.raw_data());
    const int64_t per_segment = (n / static_cast<int64_t>(segments.size()) + 1) * num_col;
    ctx->ParallelFor(static_cast<int64_t>(segments.size()), 4 + 2 * per_segment,
                     [&](int64_t begin, int64_t stop) {
                       std::vector<A> chunk(static_cast<size_t>(num_col));
                       std::vector<A> acc;
                       if constexpr (!std::is_same_v<A, E>)
                         acc.resize(static_cast<size_t>(num_col));
                       for (int64_t s = begin; s < stop; ++s) {
                         const Segment& g = segments[s];
                         E* dst = out_data + g.row * num_col;
                         if constexpr (std::is_same_v<A, E>) {
                           ReduceSegment<E, A, Index>(in, num_col, idx + g.start, g.end - g.start,
                                                      comb_, dst, chunk.data());
                         } else {
                           ReduceSegment<E, A, Index>(in, num_col, idx + g.start, g.end - g.start,
                                                      comb_, acc.data(), chunk.data());
                           for (int64_t c = 0; c < num_col; ++c) dst[c] = static_cast<E>(acc[c]);
                         }
                       }
                     });
    return Status::OK();
  }

 private:
  const Combiner comb_;
  const bool has_num_segments_;
};

// Registers `op` (combiner `comb`) for every T in `types` and every
// Tidx/Tsegmentids pair.
template <typename T>
void RegisterFor(KernelRegistry* r, const std::string& op, Combiner comb, bool has_num_segments) {
  auto add = [&]<typename Index, typename SegmentId>() {
    r->Register(op,
                {{"T", {DataTypeOf<T>::value}},
                 {"Tidx", {DataTypeOf<Index>::value}},
                 {"Tsegmentids", {DataTypeOf<SegmentId>::value}}},
                [comb, has_num_segments](
                    const KernelConstruction& c) -> StatusOr<std::unique_ptr<OpKernel>> {
                  return std::unique_ptr<OpKernel>(
                      new SparseSegmentReductionOp<T, Index, SegmentId>(c, comb, has_num_segments));
                });
  };
  add.template operator()<int32_t, int32_t>();
  add.template operator()<int32_t, int64_t>();
  add.template operator()<int64_t, int32_t>();
  add.template operator()<int64_t, int64_t>();
}

template <typename... Ts>
void RegisterAll(KernelRegistry* r, const std::string& name, Combiner comb) {
  (RegisterFor<Ts>(r, name, comb, false), ...);
  (RegisterFor<Ts>(r, name + "WithNumSegments", comb, true), ...);
}

}  // namespace

void RegisterSegmentKernels(KernelRegistry* r) {
  // The dtypes TensorFlow 2.15 registers on CPU (its OpDefs' lists).
  RegisterAll<float, double, int32_t, uint8_t, int16_t, int8_t, int64_t, BFloat16, uint16_t, Half,
              uint32_t, uint64_t>(r, "SparseSegmentSum", Combiner::kSum);
  RegisterAll<BFloat16, Half, float, double>(r, "SparseSegmentMean", Combiner::kMean);
  RegisterAll<BFloat16, Half, float, double>(r, "SparseSegmentSqrtN", Combiner::kSqrtN);
}

}  // namespace tf1hub
