// Sparse op constructors: filling empty rows and sparse segment reductions
// (what embedding-bag style text modules use). Errors follow scope.h.
//
//   Output bag = ops::SparseSegmentSqrtN(scope, embeddings, ids, segment_ids);
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_SPARSE_OPS_H_
#define TF1HUB_GRAPH_SPARSE_OPS_H_

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub::ops {

struct SparseFillEmptyRowsOutputs {
  Output output_indices, output_values, empty_row_indicator, reverse_index_map;
};
SparseFillEmptyRowsOutputs SparseFillEmptyRows(const Scope& scope, const Output& indices,
                                               const Output& values, const Output& dense_shape,
                                               const Output& default_value);

struct SparseSegmentAttrs {
  bool sparse_gradient = false;
};
Output SparseSegmentSum(const Scope& scope, const Output& data, const Output& indices,
                        const Output& segment_ids, const SparseSegmentAttrs& attrs = {});
Output SparseSegmentMean(const Scope& scope, const Output& data, const Output& indices,
                         const Output& segment_ids, const SparseSegmentAttrs& attrs = {});
Output SparseSegmentSqrtN(const Scope& scope, const Output& data, const Output& indices,
                          const Output& segment_ids, const SparseSegmentAttrs& attrs = {});

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_SPARSE_OPS_H_
