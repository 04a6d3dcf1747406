// Sparse op constructors (include/tf1hub/graph/sparse_ops.h).
#include "tf1hub/graph/sparse_ops.h"

#include "tf1hub/graph/node_builder.h"

namespace tf1hub::ops {
namespace {

Output SegmentOp(const Scope& s, const char* op, const Output& data, const Output& indices,
                 const Output& segment_ids, const SparseSegmentAttrs& a) {
  return NodeBuilder(s, op)
      .Input(data)
      .Input(indices)
      .Input(segment_ids)
      .Attr("sparse_gradient", a.sparse_gradient)
      .FinalizeOutput();
}

}  // namespace

SparseFillEmptyRowsOutputs SparseFillEmptyRows(const Scope& s, const Output& indices,
                                               const Output& values, const Output& dense_shape,
                                               const Output& default_value) {
  std::vector<Output> out = NodeBuilder(s, "SparseFillEmptyRows")
                                .Input(indices)
                                .Input(values)
                                .Input(dense_shape)
                                .Input(default_value)
                                .FinalizeOutputs();
  if (out.size() != 4) return {};
  return {out[0], out[1], out[2], out[3]};
}

Output SparseSegmentSum(const Scope& s, const Output& data, const Output& indices,
                        const Output& segment_ids, const SparseSegmentAttrs& a) {
  return SegmentOp(s, "SparseSegmentSum", data, indices, segment_ids, a);
}
Output SparseSegmentMean(const Scope& s, const Output& data, const Output& indices,
                         const Output& segment_ids, const SparseSegmentAttrs& a) {
  return SegmentOp(s, "SparseSegmentMean", data, indices, segment_ids, a);
}
Output SparseSegmentSqrtN(const Scope& s, const Output& data, const Output& indices,
                          const Output& segment_ids, const SparseSegmentAttrs& a) {
  return SegmentOp(s, "SparseSegmentSqrtN", data, indices, segment_ids, a);
}

}  // namespace tf1hub::ops
