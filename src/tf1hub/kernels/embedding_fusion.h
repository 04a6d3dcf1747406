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
// With `unique` (the Unique node making both the gather's indices, its
// output y, and the reduction's indices, its output idx, when nothing else
// reads them), the Unique step is folded in too: the kernel's inputs are 0:
// the handle, 1: Unique's input x, then segment_ids[, num_segments]. Since
// y[idx[i]] == x[i], row i is read as x[i] names it, and no unique ids are
// made (except to word an index error as the unfused gather would).
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

// True if also `unique` (a Unique node whose y feeds `gather`'s indices and
// whose idx feeds `reduce`'s) can be folded into the fused kernel.
bool CanFoldUnique(const KernelConstruction& unique, const KernelConstruction& gather,
                   const KernelConstruction& reduce);

// The fused kernel (see the top of the file), with `unique` folded in
// unless it is null; InvalidArgument unless CanFuseGatherSegmentReduction
// (CanFoldUnique).
StatusOr<std::unique_ptr<OpKernel>> CreateFusedGatherSegmentReduction(
    const KernelConstruction& gather, const KernelConstruction& reduce,
    const KernelConstruction* unique = nullptr);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_EMBEDDING_FUSION_H_
