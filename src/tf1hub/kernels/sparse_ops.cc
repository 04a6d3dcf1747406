// SparseFillEmptyRows and Where, with TensorFlow 2.15's CPU semantics, and
// RegisterSparseKernels (the family list: sparse_family.h).
//
// SparseFillEmptyRows: every row of the dense shape that no index names gets
// one entry [row, 0, ..., 0] = default_value. Output entries are grouped by
// row in row order; within a row they keep their input order (TensorFlow
// does not sort columns). When every row has an entry and rows are already
// non-decreasing, the outputs are the inputs themselves.
//
// Where: the coordinates of the true (non-zero) elements, row-major, as an
// int64 [num_true, rank] matrix.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tf1hub/kernels/array_ops_util.h"
#include "tf1hub/kernels/eigen_support.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/register_all.h"
#include "tf1hub/kernels/sparse_family.h"

namespace tf1hub {
namespace {

// ---------------------------------------------------------------------------
// SparseFillEmptyRows.

// Input checks, in TensorFlow's order and words.
Status ValidateFillEmptyRows(const Tensor& indices, const Tensor& values, const Tensor& dense_shape,
                             const Tensor& default_value) {
  if (dense_shape.shape().rank() != 1) {
    return InvalidArgumentError("dense_shape must be a vector, saw: " +
                                dense_shape.shape().DebugString());
  }
  if (indices.shape().rank() != 2) {
    return InvalidArgumentError("indices must be a matrix, saw: " + indices.shape().DebugString());
  }
  if (values.shape().rank() != 1) {
    return InvalidArgumentError("values must be a vector, saw: " + values.shape().DebugString());
  }
  if (indices.shape().dim(0) != values.shape().dim(0)) {
    return InvalidArgumentError("The length of `values` (" + std::to_string(values.shape().dim(0)) +
                                ") must match the first dimension of `indices` (" +
                                std::to_string(indices.shape().dim(0)) + ").");
  }
  if (dense_shape.shape().dim(0) != indices.shape().dim(1)) {
    return InvalidArgumentError("The length of `dense_shape` (" +
                                std::to_string(dense_shape.shape().dim(0)) +
                                ") must match the second dimension of `indices` (" +
                                std::to_string(indices.shape().dim(1)) + ").");
  }
  if (default_value.shape().rank() != 0) {
    return InvalidArgumentError("default_value must be a scalar, saw: " +
                                default_value.shape().DebugString());
  }
  if (dense_shape.NumElements() == 0) return InvalidArgumentError("Dense shape cannot be empty.");
  return Status::OK();
}

// S: a storage type of the value dtype's size (array_ops_util.h).
template <typename S>
class SparseFillEmptyRowsOp : public OpKernel {
 public:
  explicit SparseFillEmptyRowsOp(const KernelConstruction& c) : OpKernel(c) {}

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& indices_t = ctx->input(0);
    const Tensor& values_t = ctx->input(1);
    RETURN_IF_ERROR(ValidateFillEmptyRows(indices_t, values_t, ctx->input(2), ctx->input(3)));
    const int64_t n = indices_t.shape().dim(0);
    const int64_t rank = indices_t.shape().dim(1);
    const int64_t dense_rows = ctx->input(2).flat<int64_t>()[0];
    const int64_t* indices = indices_t.flat<int64_t>().data();
    const S* values = array::Data<S>(values_t);
    const S& default_value = *array::Data<S>(ctx->input(3));

    if (dense_rows < 0) {
      return InvalidArgumentError("Expected shape dimensions to be non-negative, got " +
                                  std::to_string(dense_rows));
    }
    ASSIGN_OR_RETURN(Tensor * empty_t,
                     ctx->allocate_output(2, TensorShape::Create({dense_rows}).value()));
    ASSIGN_OR_RETURN(Tensor * reverse_t, ctx->allocate_output(3, TensorShape::Create({n}).value()));
    bool* empty_row = empty_t->mutable_flat<bool>().data();
    int64_t* reverse_index_map = reverse_t->mutable_flat<int64_t>().data();

    if (dense_rows == 0) {
      if (n != 0) {
        return InvalidArgumentError(
            "Received SparseTensor with dense_shape[0] = 0 but indices.shape[0] = " +
            std::to_string(n));
      }
      RETURN_IF_ERROR(ctx->allocate_output(0, TensorShape::Create({0, rank}).value()).status());
      RETURN_IF_ERROR(ctx->allocate_output(1, TensorShape::Create({0}).value()).status());
      return Status::OK();
    }

    // Per row: its entry count, then (after the loop below) its end offset
    // in the output, counting one default entry for an empty row.
    ASSIGN_OR_RETURN(Tensor row_end_t,
                     Tensor::Create(DataType::kInt64, TensorShape::Create({dense_rows}).value()));
    int64_t* row_end = row_end_t.mutable_flat<int64_t>().data();  // zero-filled
    int64_t bad = 0;
    const RowOrder order = CountEntries(indices, n, rank, dense_rows, row_end, &bad);
    if (order == RowOrder::kOutOfRange) {
      return InvalidArgumentError("indices(" + std::to_string(bad) + ", 0) is invalid: " +
                                  std::to_string(indices[bad * rank]) + " >= " +
                                  std::to_string(dense_rows));
    }
    const bool rows_ordered = order == RowOrder::kOrdered;
    bool all_rows_full = true;
    int64_t end = 0;
    for (int64_t row = 0; row < dense_rows; ++row) {
      const bool empty = row_end[row] == 0;
      empty_row[row] = empty;
      all_rows_full = all_rows_full && !empty;
      end += empty ? 1 : row_end[row];
      row_end[row] = end;
    }

    if (all_rows_full && rows_ordered) {
      ctx->set_output(0, indices_t);
      ctx->set_output(1, values_t);
      for (int64_t i = 0; i < n; ++i) reverse_index_map[i] = i;
      return Status::OK();
    }
    const int64_t n_full = row_end[dense_rows - 1];
    ASSIGN_OR_RETURN(Tensor * out_indices_t,
                     ctx->allocate_output(0, TensorShape::Create({n_full, rank}).value()));
    ASSIGN_OR_RETURN(Tensor * out_values_t,
                     ctx->allocate_output(1, TensorShape::Create({n_full}).value()));
    int64_t* out_indices = out_indices_t->mutable_flat<int64_t>().data();
    S* out_values = array::MutableData<S>(out_values_t);
    if (rows_ordered) {
      FillOrdered(indices, values, n, rank, dense_rows, default_value, empty_row, row_end,
                  out_indices, out_values, reverse_index_map);
    } else {
      FillUnordered(indices, values, n, rank, dense_rows, default_value, empty_row, row_end,
                    out_indices, out_values, reverse_index_map);
    }
    return Status::OK();
  }

 private:
  enum class RowOrder { kOrdered, kUnordered, kOutOfRange };

  // Sets count[row] (zero on entry) to the number of entries in each row,
  // unless some row is out of range [0, dense_rows); then *bad is the first
  // such entry. kOrdered: rows are non-decreasing.
  //
  // Ordered input (the normal case) is counted without a data-dependent
  // branch: each entry stores its position + 1 as its row's end, and the
  // counts are the differences of those ends. (Branching on row changes
  // mispredicts once per row; incrementing count[row] per entry chains the
  // entries of a row through a store and a reload.)
  static RowOrder CountEntries(const int64_t* indices, int64_t n, int64_t rank, int64_t dense_rows,
                               int64_t* count, int64_t* bad) {
    // count[row] = one past the position of the row's last entry.
    bool descending = false;
    int64_t prev = 0;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t row = indices[i * rank];
      if (row < 0 || row >= dense_rows) {
        *bad = i;
        return RowOrder::kOutOfRange;
      }
      descending |= row < prev;
      prev = row;
      count[row] = i + 1;
    }
    if (descending) {
      std::fill(count, count + dense_rows, 0);
      for (int64_t i = 0; i < n; ++i) ++count[indices[i * rank]];
      return RowOrder::kUnordered;
    }
    int64_t row_start = 0;
    for (int64_t row = 0; row < dense_rows; ++row) {
      const int64_t last = count[row];
      count[row] = last == 0 ? 0 : last - row_start;
      row_start = last == 0 ? row_start : last;
    }
    return RowOrder::kOrdered;
  }

  // Rows in non-decreasing order: the output is the input with one default
  // entry inserted per empty row, so the input is copied in blocks between
  // empty rows. row_end: each row's end offset in the output.
  static void FillOrdered(const int64_t* indices, const S* values, int64_t n, int64_t rank,
                          int64_t dense_rows, const S& default_value, const bool* empty_row,
                          const int64_t* row_end, int64_t* out_indices, S* out_values,
                          int64_t* reverse_index_map) {
    int64_t copied = 0;    // input entries already copied
    int64_t inserted = 0;  // default entries already written
    // Input entries [copied, stop) go to output position + inserted.
    auto copy_block = [&](int64_t stop) {
      const int64_t shift = inserted;
      std::copy(indices + copied * rank, indices + stop * rank,
                out_indices + (copied + shift) * rank);
      std::copy(values + copied, values + stop, out_values + copied + shift);
      for (int64_t i = copied; i < stop; ++i) reverse_index_map[i] = i + shift;
      copied = stop;
    };
    for (int64_t row = 0; row < dense_rows; ++row) {
      if (!empty_row[row]) continue;
      // Output entries before this row: the input entries of earlier rows
      // plus the defaults inserted so far.
      const int64_t out_i = row > 0 ? row_end[row - 1] : 0;
      copy_block(out_i - inserted);
      WriteDefault(row, rank, default_value, out_indices + out_i * rank, out_values + out_i);
      ++inserted;
    }
    copy_block(n);
  }

  // Any row order: entries are scattered to their row's next free slot,
  // keeping input order within a row. row_end is used up: it becomes each
  // row's next free slot.
  static void FillUnordered(const int64_t* indices, const S* values, int64_t n, int64_t rank,
                            int64_t dense_rows, const S& default_value, const bool* empty_row,
                            int64_t* row_end, int64_t* out_indices, S* out_values,
                            int64_t* reverse_index_map) {
    // Each row's first output position (the previous row's end).
    int64_t* next = row_end;
    for (int64_t row = dense_rows - 1; row > 0; --row) next[row] = row_end[row - 1];
    next[0] = 0;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t* src = indices + i * rank;
      const int64_t out_i = next[src[0]]++;
      int64_t* dst = out_indices + out_i * rank;
      for (int64_t k = 0; k < rank; ++k) dst[k] = src[k];
      out_values[out_i] = values[i];
      reverse_index_map[i] = out_i;
    }
    // An empty row's slot is still its first output position.
    for (int64_t row = 0; row < dense_rows; ++row) {
      if (!empty_row[row]) continue;
      const int64_t out_i = next[row];
      WriteDefault(row, rank, default_value, out_indices + out_i * rank, out_values + out_i);
    }
  }

  // Empty row `row`'s entry: index [row, 0, ..., 0], the default value.
  static void WriteDefault(int64_t row, int64_t rank, const S& default_value, int64_t* index,
                           S* value) {
    index[0] = row;
    std::fill(index + 1, index + rank, 0);
    *value = default_value;
  }
};

// ---------------------------------------------------------------------------
// Where.

// TensorFlow's CPU Where handles ranks 1 to 8.
constexpr int kWhereMaxRank = 8;

template <typename T>
bool IsTrue(const T& v) {
  using E = typename EigenType<T>::type;
  return reinterpret_cast<const E&>(v) != E(0);
}

// T: the element type (quantized dtypes use their integer storage).
template <typename T>
class WhereOp : public OpKernel {
 public:
  explicit WhereOp(const KernelConstruction& c) : OpKernel(c) {}

  Status Compute(OpKernelContext* ctx) override {
    const Tensor& input = ctx->input(0);
    const int rank = input.shape().rank();
    if (rank < 1 || rank > kWhereMaxRank) {
      return InvalidArgumentError("WhereOp : Unhandled input dimensions: " + std::to_string(rank));
    }
    const int64_t size = input.NumElements();
    const T* in = input.flat<T>().data();
    // Count per block in parallel, then write each block's coordinates at
    // its offset.
    const int64_t kBlock = 1 << 14;
    const int64_t blocks = (size + kBlock - 1) / kBlock;
    std::vector<int64_t> counts(static_cast<size_t>(blocks) + 1, 0);
    ctx->ParallelFor(blocks, kBlock, [&](int64_t begin, int64_t end) {
      for (int64_t b = begin; b < end; ++b) {
        int64_t count = 0;
        const int64_t stop = std::min(size, (b + 1) * kBlock);
        for (int64_t i = b * kBlock; i < stop; ++i) count += IsTrue(in[i]) ? 1 : 0;
        counts[b + 1] = count;
      }
    });
    for (int64_t b = 0; b < blocks; ++b) counts[b + 1] += counts[b];
    const int64_t num_true = counts[blocks];
    ASSIGN_OR_RETURN(Tensor * out,
                     ctx->allocate_output(0, TensorShape::Create({num_true, rank}).value()));
    int64_t* coords = out->mutable_flat<int64_t>().data();
    const std::vector<int64_t>& dims = input.shape().dims();
    ctx->ParallelFor(blocks, 2 * kBlock, [&](int64_t begin, int64_t end) {
      std::vector<int64_t> c(static_cast<size_t>(rank));
      for (int64_t b = begin; b < end; ++b) {
        if (counts[b + 1] == counts[b]) continue;
        int64_t* dst = coords + counts[b] * rank;
        // Coordinates of the block's first element, then an odometer.
        int64_t rest = b * kBlock;
        for (int k = rank - 1; k >= 0; --k) {
          c[k] = rest % dims[k];
          rest /= dims[k];
        }
        const int64_t stop = std::min(size, (b + 1) * kBlock);
        for (int64_t i = b * kBlock; i < stop; ++i) {
          if (IsTrue(in[i])) {
            std::copy(c.begin(), c.end(), dst);
            dst += rank;
          }
          for (int k = rank - 1; k >= 0; --k) {
            if (++c[k] < dims[k]) break;
            c[k] = 0;
          }
        }
      }
    });
    return Status::OK();
  }
};

// TensorFlow 2.15 registers Where for half but refuses it on CPU.
class WhereHalfOp : public OpKernel {
 public:
  explicit WhereHalfOp(const KernelConstruction& c) : OpKernel(c) {}
  Status Compute(OpKernelContext*) override {
    return InvalidArgumentError(
        "No WhereOp available for float16/half type on CPU; dying in CPU WhereOp to avoid "
        "silently creating costly copies from device.");
  }
};

void RegisterWhereKernels(KernelRegistry* r) {
  using D = DataType;
  auto reg = [&]<typename T>(std::vector<D> types) {
    r->Register("Where", {{"T", std::move(types)}}, MakeKernelFactory<WhereOp<T>>());
  };
  reg.operator()<float>({D::kFloat});
  reg.operator()<double>({D::kDouble});
  reg.operator()<int32_t>({D::kInt32, D::kQint32});
  reg.operator()<uint8_t>({D::kUint8, D::kQuint8});
  reg.operator()<int16_t>({D::kInt16, D::kQint16});
  reg.operator()<int8_t>({D::kInt8, D::kQint8});
  reg.operator()<Complex64>({D::kComplex64});
  reg.operator()<Complex128>({D::kComplex128});
  reg.operator()<int64_t>({D::kInt64});
  reg.operator()<BFloat16>({D::kBfloat16});
  reg.operator()<uint16_t>({D::kUint16, D::kQuint16});
  reg.operator()<uint32_t>({D::kUint32});
  reg.operator()<uint64_t>({D::kUint64});
  reg.operator()<bool>({D::kBool});
  r->Register("Where", {{"T", {D::kHalf}}}, MakeKernelFactory<WhereHalfOp>());
}

}  // namespace

void RegisterSparseKernels(KernelRegistry* r) {
  array::RegisterBySize<SparseFillEmptyRowsOp>(r, "SparseFillEmptyRows");
  RegisterWhereKernels(r);
  RegisterSegmentKernels(r);
  RegisterUniqueKernels(r);
  RegisterResourceGatherKernels(r);
}

}  // namespace tf1hub
