#include "tf1hub/kernels/embedding_fusion.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "tf1hub/kernels/array_ops_util.h"
#include "tf1hub/kernels/resource_gather.h"
#include "tf1hub/kernels/segment_reduction.h"

namespace tf1hub {
namespace {

using segment::Combiner;

// The reduction ops, their combiner and whether they take num_segments.
bool ReductionOf(std::string_view op, Combiner* comb, bool* has_num_segments) {
  struct Known {
    std::string_view op;
    Combiner comb;
    bool has_num_segments;
  };
  static constexpr Known kKnown[] = {
      {"SparseSegmentSum", Combiner::kSum, false},
      {"SparseSegmentMean", Combiner::kMean, false},
      {"SparseSegmentSqrtN", Combiner::kSqrtN, false},
      {"SparseSegmentSumWithNumSegments", Combiner::kSum, true},
      {"SparseSegmentMeanWithNumSegments", Combiner::kMean, true},
      {"SparseSegmentSqrtNWithNumSegments", Combiner::kSqrtN, true},
  };
  for (const Known& k : kKnown) {
    if (k.op == op) {
      *comb = k.comb;
      *has_num_segments = k.has_num_segments;
      return true;
    }
  }
  return false;
}

bool IsIndexType(DataType t) { return t == DataType::kInt32 || t == DataType::kInt64; }

// What the executor appends to a node's error (runtime/plan.h's
// AttachNodeName).
Status Named(const Status& s, const std::string& node) {
  if (s.ok()) return s;
  return Status(s.code(), s.message() + "\n\t [[{{node " + node + "}}]]");
}

// Unique's first occurrences of x's values, in order (its output y).
template <typename I>
StatusOr<Tensor> FirstOccurrences(const Tensor& x) {
  std::unordered_set<I> seen;
  std::vector<I> y;
  for (I v : x.flat<I>()) {
    if (seen.insert(v).second) y.push_back(v);
  }
  ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create({static_cast<int64_t>(y.size())}));
  return Tensor::FromVector(y, shape);
}

// The nodes a fused step stands for, to name them in errors.
struct FusedNodes {
  std::string unique;  // empty: Unique not folded in
  std::string gather;
};

// T: value type; I: gather indices; Index: reduction indices; SegmentId.
template <typename T, typename I, typename Index, typename SegmentId>
class FusedGatherSegmentReductionOp : public OpKernel {
 public:
  FusedGatherSegmentReductionOp(const KernelConstruction& c, FusedNodes nodes, Combiner comb,
                                bool has_num_segments)
      : OpKernel(c), nodes_(std::move(nodes)), comb_(comb), has_num_segments_(has_num_segments) {}

  Status Compute(OpKernelContext* ctx) override {
    if (!nodes_.unique.empty()) return ComputeFromUniqueInput(ctx);
    ResourceGatherRows g;
    Status s = PrepareResourceGather<I>(ctx, DataTypeOf<T>::value,
                                        /*batch_dims=*/0, &g);
    if (!s.ok()) return Named(s, nodes_.gather);
    segment::Inputs in;
    in.indices = &ctx->input(2);
    in.segment_ids = &ctx->input(3);
    if (has_num_segments_) in.num_segments = &ctx->input(4);
    const T* params = g.params.flat<T>().data();
    const int64_t row_size = g.row_size;
    if (ctx->input(1).shape().rank() == 1) {
      // Row r of the gather's output is params' row g.rows[r].
      const int64_t* rows = g.rows.data();
      s = segment::Reduce<T, Index, SegmentId>(
          ctx, comb_, in, g.shape.dims(),
          [params, rows, row_size](int64_t r) { return params + rows[r] * row_size; }, 0);
      return Named(s, name());
    }
    // Other index ranks: the gather's output, materialized.
    StatusOr<Tensor> gathered = Tensor::Create(DataTypeOf<T>::value, g.shape);
    if (!gathered.ok()) return Named(gathered.status(), nodes_.gather);
    T* dst = gathered->mutable_flat<T>().data();
    for (size_t i = 0; i < g.rows.size(); ++i) {
      array::CopyN(params + g.rows[i] * row_size, row_size, dst + i * row_size);
    }
    std::vector<int64_t> dims = g.shape.dims();
    int64_t num_col = 1;
    for (size_t i = 1; i < dims.size(); ++i) num_col *= dims[i];
    const T* data = gathered->flat<T>().data();
    s = segment::Reduce<T, Index, SegmentId>(
        ctx, comb_, in, std::move(dims), [data, num_col](int64_t r) { return data + r * num_col; },
        0);
    return Named(s, name());
  }

 private:
  // Unique folded in: input 1 is Unique's input x, then the reduction's
  // segment_ids[, num_segments]. Unique's outputs satisfy y[idx[i]] ==
  // x[i], so reducing gather(params, y) at indices idx is reducing params
  // itself at indices x: that is what runs, with no unique ids, gathered
  // rows or positions made. Errors stay the unfused ones: Unique's check
  // first, then the gather's (variable and shapes checked up front; an id
  // out of range is only found by the reduction, and is then reported as
  // the gather would, naming its position among the unique ids), then the
  // reduction's.
  Status ComputeFromUniqueInput(OpKernelContext* ctx) {
    const Tensor& x = ctx->input(1);
    if (x.shape().rank() != 1) {
      return Named(InvalidArgumentError("unique expects a 1D vector."), nodes_.unique);
    }
    if (x.NumElements() > static_cast<int64_t>(std::numeric_limits<int32_t>::max())) {
      return Named(InvalidArgumentError("unique does not support input tensors larger than " +
                                        std::to_string(std::numeric_limits<int32_t>::max()) +
                                        " elements"),
                   nodes_.unique);
    }
    // The gather's checks of the variable and of the shapes (no ids yet).
    StatusOr<TensorShape> empty = TensorShape::Create({0});
    StatusOr<Tensor> no_ids =
        empty.ok() ? Tensor::Create(DataTypeOf<I>::value, *empty) : StatusOr<Tensor>(empty.status());
    if (!no_ids.ok()) return Named(no_ids.status(), nodes_.gather);
    ResourceGatherRows g;
    Status s = PrepareResourceGather<I>(ctx, DataTypeOf<T>::value, /*batch_dims=*/0, *no_ids, &g);
    if (!s.ok()) return Named(s, nodes_.gather);
    std::vector<int64_t> dims = g.params.shape().dims();
    int64_t row_size = 1;
    for (size_t i = 1; i < dims.size(); ++i) row_size *= dims[i];
    segment::Inputs in;
    in.indices = &x;
    in.segment_ids = &ctx->input(2);
    if (has_num_segments_) in.num_segments = &ctx->input(3);
    const T* params = g.params.flat<T>().data();
    s = segment::Reduce<T, I, SegmentId>(
        ctx, comb_, in, std::move(dims),
        [params, row_size](int64_t r) { return params + r * row_size; }, 0);
    if (s.ok()) return s;
    // Had the gather run, an id out of range would have stopped it first.
    const int64_t rows = g.params.shape().dim(0);
    for (I id : x.flat<I>()) {
      if (id < 0 || id >= rows) {
        StatusOr<Tensor> y = FirstOccurrences<I>(x);
        if (!y.ok()) return Named(y.status(), nodes_.unique);
        ResourceGatherRows unused;
        Status unfused = PrepareResourceGather<I>(ctx, DataTypeOf<T>::value, 0, *y, &unused);
        return Named(unfused.ok() ? s : unfused, nodes_.gather);
      }
    }
    return Named(s, name());
  }

  const FusedNodes nodes_;
  const Combiner comb_;
  const bool has_num_segments_;
};

template <typename T, typename I, typename Index>
std::unique_ptr<OpKernel> MakeForSegmentId(DataType segment_id, const KernelConstruction& c,
                                           const FusedNodes& nodes, Combiner comb, bool has_num) {
  if (segment_id == DataType::kInt32) {
    return std::make_unique<FusedGatherSegmentReductionOp<T, I, Index, int32_t>>(c, nodes, comb,
                                                                                 has_num);
  }
  return std::make_unique<FusedGatherSegmentReductionOp<T, I, Index, int64_t>>(c, nodes, comb,
                                                                               has_num);
}

template <typename T, typename I>
std::unique_ptr<OpKernel> MakeForIndex(DataType index, DataType segment_id,
                                       const KernelConstruction& c, const FusedNodes& nodes,
                                       Combiner comb, bool has_num) {
  if (index == DataType::kInt32) {
    return MakeForSegmentId<T, I, int32_t>(segment_id, c, nodes, comb, has_num);
  }
  return MakeForSegmentId<T, I, int64_t>(segment_id, c, nodes, comb, has_num);
}

template <typename T>
std::unique_ptr<OpKernel> MakeForValue(DataType ids, DataType index, DataType segment_id,
                                       const KernelConstruction& c, const FusedNodes& nodes,
                                       Combiner comb, bool has_num) {
  if (ids == DataType::kInt32) {
    return MakeForIndex<T, int32_t>(index, segment_id, c, nodes, comb, has_num);
  }
  return MakeForIndex<T, int64_t>(index, segment_id, c, nodes, comb, has_num);
}

}  // namespace

bool CanFuseGatherSegmentReduction(const KernelConstruction& gather,
                                   const KernelConstruction& reduce) {
  Combiner comb = Combiner::kSum;
  bool has_num = false;
  if (gather.op() != "ResourceGather" || !ReductionOf(reduce.op(), &comb, &has_num)) return false;
  int32_t batch_dims = -1;
  DataType dtype = DataType::kInvalid;
  if (!gather.GetAttr("batch_dims", &batch_dims).ok() || batch_dims != 0) return false;
  if (!gather.GetAttr("dtype", &dtype).ok()) return false;
  if (dtype != DataType::kFloat && dtype != DataType::kDouble) return false;
  if (gather.num_inputs() != 2 || gather.num_outputs() != 1 ||
      reduce.num_inputs() != (has_num ? 4 : 3) || reduce.num_outputs() != 1) {
    return false;
  }
  if (reduce.input_type(0) != dtype || reduce.output_type(0) != dtype) return false;
  for (int i = 0; i < gather.num_inputs(); ++i) {
    if (gather.input_is_ref(i)) return false;
  }
  for (int i = 0; i < reduce.num_inputs(); ++i) {
    if (reduce.input_is_ref(i)) return false;
  }
  return IsIndexType(gather.input_type(1)) && IsIndexType(reduce.input_type(1)) &&
         IsIndexType(reduce.input_type(2));
}

bool CanFoldUnique(const KernelConstruction& unique, const KernelConstruction& gather,
                   const KernelConstruction& reduce) {
  if (!CanFuseGatherSegmentReduction(gather, reduce)) return false;
  if (unique.op() != "Unique" || unique.num_inputs() != 1 || unique.num_outputs() != 2 ||
      unique.input_is_ref(0)) {
    return false;
  }
  // y feeds the gather's indices, idx the reduction's.
  return unique.input_type(0) == gather.input_type(1) &&
         unique.output_type(0) == gather.input_type(1) &&
         unique.output_type(1) == reduce.input_type(1);
}

StatusOr<std::unique_ptr<OpKernel>> CreateFusedGatherSegmentReduction(
    const KernelConstruction& gather, const KernelConstruction& reduce,
    const KernelConstruction* unique) {
  if (unique != nullptr ? !CanFoldUnique(*unique, gather, reduce)
                        : !CanFuseGatherSegmentReduction(gather, reduce)) {
    return InvalidArgumentError("cannot fuse " + gather.op() + " node " + gather.name() + " into " +
                                reduce.op() + " node " + reduce.name());
  }
  Combiner comb = Combiner::kSum;
  bool has_num = false;
  ReductionOf(reduce.op(), &comb, &has_num);
  // The handle and the ids; then the reduction's inputs after data
  // (without indices when Unique is folded in: they are positions).
  std::vector<DataType> inputs = {DataType::kResource, gather.input_type(1)};
  for (int i = unique != nullptr ? 2 : 1; i < reduce.num_inputs(); ++i) {
    inputs.push_back(reduce.input_type(i));
  }
  KernelConstruction c(reduce.def(), reduce.op_def(), inputs,
                       std::vector<bool>(inputs.size(), false), reduce.output_types(),
                       reduce.output_refs());
  const DataType ids = gather.input_type(1), index = reduce.input_type(1),
                 segment_id = reduce.input_type(2);
  const FusedNodes nodes{unique != nullptr ? unique->name() : std::string(), gather.name()};
  if (reduce.input_type(0) == DataType::kFloat) {
    return MakeForValue<float>(ids, index, segment_id, c, nodes, comb, has_num);
  }
  return MakeForValue<double>(ids, index, segment_id, c, nodes, comb, has_num);
}

}  // namespace tf1hub
