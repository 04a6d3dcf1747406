// A fused embedding lookup: ResourceGather feeding the data input of a
// sparse segment reduction (SparseSegmentSum/Mean/SqrtN, with or without
// num_segments) — the heart of tf.nn.embedding_lookup_sparse, which
// gathers the unique ids' rows and reduces them per example. Fused, the
// reduction reads each row straight out of the embedding variable instead
// of from a gathered copy, so a run does not write and re-read
// (unique ids x dim) values.
//
// The runtime's plan compiler (runtime/plan.cc) checks CanFuse for a gather
// whose output feeds only such a reduction, and replaces the two steps with
// the kernel CreateFusedGatherSegmentReduction returns. That kernel's inputs
// are 0: the variable's handle, 1: the gather's indices, then the
// reduction's inputs after `data` (indices, segment_ids[, num_segments]);
// its output is the reduction's.
//
// Results are bit-identical with running the two ops one after the other
// (the same rows summed in the same order), and so are errors, checked in
// the same order. An error may come from either op, so the fused kernel
// names the node itself, as the executor would: "<message>\n\t [[{{node
// <gather or reduction>}}]]" (the plan marks the step accordingly).
//
// Supported: batch_dims 0; float or double values; int32/int64 indices,
// ids and segment ids. Indices of rank other than 1 (legal, rare) are
// gathered into a temporary first.
#ifndef TF1HUB_KERNELS_EMBEDDING_FUSION_H_
#define TF1HUB_KERNELS_EMBEDDING_FUSION_H_

#include <memory>

#include "tf1hub/kernels/kernel.h"
#include "tf1hub/status.h"

namespace tf1hub {

// True if `gather` (a ResourceGather node) and `reduce` (the node reading
// the gather's output as its data input) can run as one fused kernel.
bool CanFuseGatherSegmentReduction(const KernelConstruction& gather,
                                   const KernelConstruction& reduce);

// The fused kernel (see the top of the file); InvalidArgument unless
// CanFuseGatherSegmentReduction.
StatusOr<std::unique_ptr<OpKernel>> CreateFusedGatherSegmentReduction(
    const KernelConstruction& gather, const KernelConstruction& reduce);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_EMBEDDING_FUSION_H_
