#include "tf1hub/kernels/embedding_fusion.h"

#include <cstdint>
#include <string>
#include <string_view>
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

// T: value type; I: gather indices; Index: reduction indices; SegmentId.
template <typename T, typename I, typename Index, typename SegmentId>
class FusedGatherSegmentReductionOp : public OpKernel {
 public:
  FusedGatherSegmentReductionOp(const KernelConstruction& c, std::string gather_name, Combiner comb,
                                bool has_num_segments)
      : OpKernel(c),
        gather_name_(std::move(gather_name)),
        comb_(comb),
        has_num_segments_(has_num_segments) {}

  Status Compute(OpKernelContext* ctx) override {
    ResourceGatherRows g;
    Status s = PrepareResourceGather<I>(ctx, DataTypeOf<T>::value,
                                        /*batch_dims=*/0, &g);
    if (!s.ok()) return Named(s, gather_name_);
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
    if (!gathered.ok()) return Named(gathered.status(), gather_name_);
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
  const std::string gather_name_;
  const Combiner comb_;
  const bool has_num_segments_;
};

template <typename T, typename I, typename Index>
std::unique_ptr<OpKernel> MakeForSegmentId(DataType segment_id, const KernelConstruction& c,
                                           const std::string& gather, Combiner comb, bool has_num) {
  if (segment_id == DataType::kInt32) {
    return std::make_unique<FusedGatherSegmentReductionOp<T, I, Index, int32_t>>(c, gather, comb,
                                                                                 has_num);
  }
  return std::make_unique<FusedGatherSegmentReductionOp<T, I, Index, int64_t>>(c, gather, comb,
                                                                               has_num);
}

template <typename T, typename I>
std::unique_ptr<OpKernel> MakeForIndex(DataType index, DataType segment_id,
                                       const KernelConstruction& c, const std::string& gather,
                                       Combiner comb, bool has_num) {
  if (index == DataType::kInt32) {
    return MakeForSegmentId<T, I, int32_t>(segment_id, c, gather, comb, has_num);
  }
  return MakeForSegmentId<T, I, int64_t>(segment_id, c, gather, comb, has_num);
}

template <typename T>
std::unique_ptr<OpKernel> MakeForValue(DataType ids, DataType index, DataType segment_id,
                                       const KernelConstruction& c, const std::string& gather,
                                       Combiner comb, bool has_num) {
  if (ids == DataType::kInt32) {
    return MakeForIndex<T, int32_t>(index, segment_id, c, gather, comb, has_num);
  }
  return MakeForIndex<T, int64_t>(index, segment_id, c, gather, comb, has_num);
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

StatusOr<std::unique_ptr<OpKernel>> CreateFusedGatherSegmentReduction(
    const KernelConstruction& gather, const KernelConstruction& reduce) {
  if (!CanFuseGatherSegmentReduction(gather, reduce)) {
    return InvalidArgumentError("cannot fuse " + gather.op() + " node " + gather.name() + " into " +
                                reduce.op() + " node " + reduce.name());
  }
  Combiner comb = Combiner::kSum;
  bool has_num = false;
  ReductionOf(reduce.op(), &comb, &has_num);
  std::vector<DataType> inputs = {DataType::kResource, gather.input_type(1)};
  for (int i = 1; i < reduce.num_inputs(); ++i) inputs.push_back(reduce.input_type(i));
  KernelConstruction c(reduce.def(), reduce.op_def(), inputs,
                       std::vector<bool>(inputs.size(), false), reduce.output_types(),
                       reduce.output_refs());
  const DataType ids = gather.input_type(1), index = reduce.input_type(1),
                 segment_id = reduce.input_type(2);
  if (reduce.input_type(0) == DataType::kFloat) {
    return MakeForValue<float>(ids, index, segment_id, c, gather.name(), comb, has_num);
  }
  return MakeForValue<double>(ids, index, segment_id, c, gather.name(), comb, has_num);
}

}  // namespace tf1hub
