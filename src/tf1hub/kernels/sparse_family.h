// Internal registration list of the sparse/segment family (the ops behind
// tf.nn.embedding_lookup_sparse and tf.sparse_fill_empty_rows).
// RegisterSparseKernels (sparse_ops.cc, declared in register_all.h) calls
// the functions below; each is defined in the file named beside it.
#ifndef TF1HUB_KERNELS_SPARSE_FAMILY_H_
#define TF1HUB_KERNELS_SPARSE_FAMILY_H_

namespace tf1hub {

class KernelRegistry;

// SparseSegmentSum, SparseSegmentMean, SparseSegmentSqrtN and their
// *WithNumSegments variants (segment_ops.cc).
void RegisterSegmentKernels(KernelRegistry* r);
// Unique, UniqueWithCounts (unique_ops.cc).
void RegisterUniqueKernels(KernelRegistry* r);
// ResourceGather (resource_gather_ops.cc).
void RegisterResourceGatherKernels(KernelRegistry* r);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_SPARSE_FAMILY_H_
