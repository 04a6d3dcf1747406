// FuseEmbeddingLookups: the plan compiler's one rewrite (internal to the
// runtime). tf.nn.embedding_lookup_sparse makes
//
//   ResourceGather(embeddings, unique_ids) [-> Identity ...] ->
//   SparseSegment{Sum,Mean,SqrtN}
//
// (the gather's ids and the reduction's indices being Unique's y and idx)
// and when the gathered rows feed nothing else (not fetched, one reader
// along the chain) the chain runs as one fused step
// (kernels/embedding_fusion.h) at the gather's place in the order, reading
// rows straight from the variable. It is only done when everything else the
// reduction (and the Identity steps) need — data and control inputs — is
// ready by then, no input is a ref, and the plan has no conditionals; the
// results and errors are the unfused ones. When Unique's outputs feed only
// the gather and the reduction, the Unique step is folded in as well (its
// work is not needed: row i is params' row x[i]).
#ifndef TF1HUB_RUNTIME_FUSE_EMBEDDING_H_
#define TF1HUB_RUNTIME_FUSE_EMBEDDING_H_

#include <vector>

#include "tf1hub/runtime/graph_state.h"
#include "tf1hub/runtime/plan.h"

namespace tf1hub {

// Rewrites `plan` (steps and inputs built, every input still kCopy, kDeref
// or kRef; slot lifetimes not yet assigned). `fetched` flags fetched slots;
// `readers` counts each slot's readers and is updated.
void FuseEmbeddingLookups(const GraphState& graph, const std::vector<char>& fetched,
                          std::vector<int>* readers, Plan* plan);

}  // namespace tf1hub

#endif  // TF1HUB_RUNTIME_FUSE_EMBEDDING_H_
