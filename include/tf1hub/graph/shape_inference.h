// Static shape inference: the shapes TensorFlow's Python graph gives a
// tensor (tensor.shape, and the `_output_shapes` attr of
// as_graph_def(add_shapes=True)), computed from a Graph's nodes.
//
// Shapes are partial: unknown rank, or known rank with unknown dims (-1),
// exactly as TensorFlow's C++ shape functions produce them for the same
// graph. Constant inputs that shape functions read (Reshape's shape,
// ExpandDims' axis, reduction indices, Fill's dims, ...) are evaluated when
// they come from Const nodes (and, as TF does, from Shape/Pack/... of
// known shapes where TF's ConstantValue evaluation would succeed).
//
//   ShapeInference shapes(graph);
//   ASSIGN_OR_RETURN(PartialTensorShape s, shapes.InferShape(Output{"dense/BiasAdd", 0}));
//   // s == [?,200]
//
// A node carrying an `_output_shapes` attr (GraphDefs written by
// export_meta_graph, e.g. imported hub modules) has those shapes merged into
// the inferred ones, as TF's importer does; a conflict is InvalidArgument.
// Shapes that TF's Python layer adds with set_shape (e.g. tensordot in
// dense layers on rank-3 inputs) are not known here unless recorded so.
// LookupTableFindV2 on a HashTableV2 gives the keys' shape, as Python's
// table.lookup does.
//
// An op without a shape function here gives an unknown shape for each
// output (never an error); a graph whose shapes are inconsistent (MatMul of
// [2,3] by [4,5]) is InvalidArgument naming the node, as TF's
// "Dimensions must be equal" errors do.
//
// Thread safety: one ShapeInference per thread; it caches results and
// reads the Graph, which must not change while it is used.
#ifndef TF1HUB_GRAPH_SHAPE_INFERENCE_H_
#define TF1HUB_GRAPH_SHAPE_INFERENCE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

namespace shape_inference {
class ShapeInferenceImpl;
}  // namespace shape_inference

class ShapeInference {
 public:
  explicit ShapeInference(const Graph& graph);

  // The static shape of `output`.
  StatusOr<PartialTensorShape> InferShape(const Output& output);
  // The shapes of every output of `node`.
  StatusOr<std::vector<PartialTensorShape>> InferNodeShapes(const std::string& node);

 private:
  const Graph& graph_;
  std::map<std::string, std::vector<PartialTensorShape>, std::less<>> cache_;
  // Per-node results, handle data and evaluated constants (internal).
  std::shared_ptr<shape_inference::ShapeInferenceImpl> impl_;
};

// Adds (or replaces) the `_output_shapes` attr on every node of `graph_def`
// that has outputs, as export_meta_graph / as_graph_def(add_shapes=True)
// does. `graph` is the graph the nodes come from.
Status AddOutputShapes(const Graph& graph, tensorflow::GraphDef* graph_def);

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_SHAPE_INFERENCE_H_
