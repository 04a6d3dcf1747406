// SparseSegmentSum, SparseSegmentMean, SparseSegmentSqrtN and their
// *WithNumSegments variants, with TensorFlow 2.15's CPU semantics; the
// reduction itself (numbers, checks, messages) is in segment_reduction.h.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/kernel_registry.h"
#include "tf1hub/kernels/segment_reduction.h"
#include "tf1hub/kernels/sparse_family.h"

namespace tf1hub {

namespace segment {

Status ValidateInputs(const Inputs& in, int data_rank) {
  if (in.num_segments != nullptr) {
    if (in.num_segments->shape().rank() != 0) {
      return InvalidArgumentError("num_segments should be a scalar, not shape " +
                                  in.num_segments->shape().DebugString());
    }
    if (array::IndexScalar(*in.num_segments) < 0) {
      return InvalidArgumentError("segment ids must be >= 0");
    }
  }
  if (in.indices->shape().rank() != 1) return InvalidArgumentError("indices should be a vector.");
  if (in.segment_ids->shape().rank() != 1) {
    return InvalidArgumentError("segment_ids should be a vector.");
  }
  if (in.indices->NumElements() != in.segment_ids->NumElements()) {
    return InvalidArgumentError("segment_ids and indices should have same size.");
  }
  if (data_rank < 1) return InvalidArgumentError("Shape must be at least rank 1");
  return Status::OK();
}

}  // namespace segment

namespace {

using segment::Combiner;

template <typename T, typename Index, typename SegmentId>
class SparseSegmentReductionOp : public OpKernel {
 public:
  SparseSegmentReductionOp(const KernelConstruction& c, Combiner comb, bool has_num_segments)
      : OpKernel(c), comb_(comb), has_num_segments_(has_num_segments) {}

  Status Compute(OpKernelContext* ctx) override {
    using E = typename EigenType<T>::type;
    const Tensor& data = ctx->input(0);
    segment::Inputs in;
    in.indices = &ctx->input(1);
    in.segment_ids = &ctx->input(2);
    if (has_num_segments_) in.num_segments = &ctx->input(3);
    std::vector<int64_t> dims = data.shape().dims();
    int64_t num_col = 1;
    for (size_t i = 1; i < dims.size(); ++i) num_col *= dims[i];
    const E* rows = reinterpret_cast<const E*>(data.raw_data());
    return segment::Reduce<T, Index, SegmentId>(
        ctx, comb_, in, std::move(dims),
        [rows, num_col](int64_t r) { return rows + r * num_col; }, 0);
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
