// ShapeInferenceImpl: the state behind ShapeInference (internal): per-node
// results, the constants evaluated so far, and the evaluation of constant
// and partially constant shape tensors (TF's ShapeRefiner).
//
// Thread safety: none (one per ShapeInference).
#ifndef TF1HUB_GRAPH_SHAPE_INFERENCE_IMPL_H_
#define TF1HUB_GRAPH_SHAPE_INFERENCE_IMPL_H_

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/shape_inference_internal.h"

namespace tf1hub::shape_inference {

// Data inputs of `node` (control inputs dropped).
std::vector<Output> NodeDataInputs(const tensorflow::NodeDef& node);

// "{{node m}} = MatMul[T=DT_FLOAT, ...](a, b)", as TF's SummarizeNodeDef.
std::string SummarizeNode(const tensorflow::NodeDef& node);

class ShapeInferenceImpl {
 public:
  struct NodeResult {
    Status status;
    std::vector<Shape> shapes;
    std::vector<HandleData> handles;
  };

  explicit ShapeInferenceImpl(const Graph& graph);

  // Infers `node` and everything it depends on (iteratively).
  const NodeResult& Infer(std::string_view node);
  // The result if already inferred, else nullptr.
  const NodeResult* Find(std::string_view node) const;

  // The value of `tensor` if TF's shape inference can evaluate it.
  const ConstTensor* EvaluateConstant(const Output& tensor);
  // TF's ShapeRefiner::ConstantPartialShape for the tensor `src`.
  Status ConstantPartialShape(const Output& src, int depth, Shape* out);

  const Graph& graph() const { return graph_; }

 private:
  NodeResult Compute(const tensorflow::NodeDef& node);
  Status MergeRecordedShapes(const tensorflow::NodeDef& node, std::vector<Shape>* shapes);
  // The static shape of `tensor` if already inferred.
  const Shape* KnownShape(const Output& tensor) const;
  // Evaluates a node whose inputs are already evaluated (or not constant).
  std::optional<ConstTensor> EvaluateOne(const Output& tensor);
  std::optional<ConstTensor> DimOfShape(const tensorflow::NodeDef& node, int output,
                                        const std::vector<Output>& inputs);
  Status PartialStridedSliceShape(const tensorflow::NodeDef& slice, int depth, Shape* out);

  const Graph& graph_;
  std::unordered_map<std::string, NodeResult> results_;
  std::unordered_set<std::string> in_progress_;
  // "node:index" -> value (nullopt: not constant).
  std::unordered_map<std::string, std::optional<ConstTensor>> constants_;
};

}  // namespace tf1hub::shape_inference

#endif  // TF1HUB_GRAPH_SHAPE_INFERENCE_IMPL_H_
