// ShapeInference: runs the shape functions over a Graph, inputs first,
// without recursion (explicit stacks), memoizing per node; evaluates the
// constant inputs shape functions ask for the way TensorFlow's ShapeRefiner
// does (Const nodes, Shape/Size/Rank of known shapes, small constant
// subgraphs, and the partial shapes of Shape/Pack/ConcatV2/StridedSlice/Cast).
#include "tf1hub/graph/shape_inference.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/shape_inference_impl.h"

namespace tf1hub {

using shape_inference::ConstTensor;
using shape_inference::HandleData;
using shape_inference::InferenceContext;
using shape_inference::Shape;
using shape_inference::ShapeInferenceImpl;

namespace shape_inference {

std::vector<Output> NodeDataInputs(const tensorflow::NodeDef& node) {
  std::vector<Output> inputs;
  for (const std::string& input : node.input()) {
    if (!input.empty() && input[0] == '^') break;
    StatusOr<Output> parsed = ParseTensorName(input);
    inputs.push_back(parsed.ok() ? *parsed : Output{input, 0});
  }
  return inputs;
}

namespace {

std::string SummarizeAttr(const tensorflow::AttrValue& v) {
  switch (v.value_case()) {
    case tensorflow::AttrValue::kType:
      return tensorflow::DataType_Name(v.type());
    case tensorflow::AttrValue::kB:
      return v.b() ? "true" : "false";
    case tensorflow::AttrValue::kI:
      return std::to_string(v.i());
    case tensorflow::AttrValue::kF: {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%g", v.f());
      return buf;
    }
    case tensorflow::AttrValue::kS:
      return "\"" + v.s() + "\"";
    case tensorflow::AttrValue::kShape: {
      StatusOr<PartialTensorShape> s = ShapeFromProto(v.shape());
      return s.ok() ? s->DebugString() : "<shape>";
    }
    case tensorflow::AttrValue::kTensor:
      return "<Tensor>";
    case tensorflow::AttrValue::kList: {
      std::vector<std::string> items;
      for (int64_t i : v.list().i()) items.push_back(std::to_string(i));
      for (int t : v.list().type()) {
        items.push_back(tensorflow::DataType_Name(static_cast<tensorflow::DataType>(t)));
      }
      for (const std::string& s : v.list().s()) items.push_back("\"" + s + "\"");
      for (bool b : v.list().b()) items.push_back(b ? "true" : "false");
      std::string out = "[";
      for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
      return out + "]";
    }
    default:
      return "<value>";
  }
}

}  // namespace

std::string SummarizeNode(const tensorflow::NodeDef& node) {
  std::vector<std::string> names;
  for (const auto& [name, value] : node.attr()) {
    if (!name.empty() && name[0] == '_') continue;
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::string out = "{{node " + node.name() + "}} = " + node.op() + "[";
  for (size_t i = 0; i < names.size(); ++i) {
    out += (i ? ", " : "") + names[i] + "=" + SummarizeAttr(node.attr().at(names[i]));
  }
  out += "](";
  for (int i = 0; i < node.input_size(); ++i) out += (i ? ", " : "") + node.input(i);
  return out + ")";
}

ShapeInferenceImpl::ShapeInferenceImpl(const Graph& graph) : graph_(graph) {}

const ShapeInferenceImpl::NodeResult* ShapeInferenceImpl::Find(std::string_view node) const {
  auto it = results_.find(std::string(node));
  return it == results_.end() ? nullptr : &it->second;
}

const ShapeInferenceImpl::NodeResult& ShapeInferenceImpl::Infer(std::string_view target) {
  if (const NodeResult* done = Find(target)) return *done;
  struct Frame {
    std::string name;
    bool expanded;
  };
  std::vector<Frame> stack;
  stack.push_back({std::string(target), false});
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (results_.count(top.name) > 0) {
      in_progress_.erase(top.name);
      stack.pop_back();
      continue;
    }
    const tensorflow::NodeDef* node = graph_.FindNode(top.name);
    if (node == nullptr) {
      NodeResult& r = results_[top.name];
      r.status = NotFoundError("shape inference: no node named '" + top.name + "' in the graph");
      stack.pop_back();
      continue;
    }
    if (!top.expanded) {
      top.expanded = true;
      in_progress_.insert(top.name);
      const bool is_merge = node->op() == "Merge" || node->op() == "RefMerge";
      std::vector<Output> inputs = NodeDataInputs(*node);
      std::vector<std::string> to_push;
      for (auto it = inputs.rbegin(); it != inputs.rend(); ++it) {
        if (results_.count(it->node) > 0 || in_progress_.count(it->node) > 0) continue;
        if (is_merge) {
          // TF's importer adds a loop's Merge before its NextIteration input,
          // whose shape it leaves unknown.
          const tensorflow::NodeDef* src = graph_.FindNode(it->node);
          if (src != nullptr && src->op() == "NextIteration") continue;
        }
        to_push.push_back(it->node);
      }
      for (std::string& name : to_push) stack.push_back({std::move(name), false});
      continue;
    }
    std::string name = top.name;
    stack.pop_back();
    in_progress_.erase(name);
    NodeResult result = Compute(*node);
    results_[name] = std::move(result);
  }
  return results_[std::string(target)];
}

// TF's importer merges a node's `_output_shapes` attr (which
// export_meta_graph writes) into the inferred shapes, so later nodes see
// them too (GraphConstructor::ValidateShape).
Status ShapeInferenceImpl::MergeRecordedShapes(const tensorflow::NodeDef& node,
                                               std::vector<Shape>* shapes) {
  auto it = node.attr().find("_output_shapes");
  if (it == node.attr().end() || it->second.value_case() != tensorflow::AttrValue::kList ||
      (it->second.list().shape_size() == 0 && !shapes->empty() &&
       (it->second.list().i_size() > 0 || it->second.list().s_size() > 0 ||
        it->second.list().type_size() > 0 || it->second.list().f_size() > 0 ||
        it->second.list().b_size() > 0))) {
    return Status::OK();
  }
  const auto& list = it->second.list();
  if (list.shape_size() < static_cast<int>(shapes->size())) {
    return InvalidArgumentError("Node '" + node.name() + "' has " + std::to_string(shapes->size()) +
                                " outputs but the " +
                                "_output_shapes attribute specifies shapes for " +
                                std::to_string(list.shape_size()) + " outputs");
  }
  for (size_t i = 0; i < shapes->size(); ++i) {
    StatusOr<PartialTensorShape> recorded = ShapeFromProto(list.shape(static_cast<int>(i)));
    if (!recorded.ok()) {
      return InvalidArgumentError(
          "Node '" + node.name() + " has an invalid _output_shapes attribute (shape #" +
          std::to_string(i) + " error:'" + recorded.status().message() + "'");
    }
    Status s = Merge((*shapes)[i], Shape::FromPartial(*recorded), &(*shapes)[i]);
    if (!s.ok()) {
      return InvalidArgumentError("Node '" + node.name() +
                                  "' has an _output_shapes attribute inconsistent with the "
                                  "GraphDef for output #" +
                                  std::to_string(i) + ": " + s.message());
    }
  }
  return Status::OK();
}

ShapeInferenceImpl::NodeResult ShapeInferenceImpl::Compute(const tensorflow::NodeDef& node) {
  NodeResult result;
  StatusOr<int> num_outputs = graph_.NumOutputs(node.name());
  if (!num_outputs.ok()) {
    result.status = num_outputs.status();
    return result;
  }
  std::vector<Shape> inputs;
  std::vector<const HandleData*> handles;
  const bool is_merge = node.op() == "Merge" || node.op() == "RefMerge";
  for (const Output& input : NodeDataInputs(node)) {
    const NodeResult* src = Find(input.node);
    const tensorflow::NodeDef* src_node = graph_.FindNode(input.node);
    if (src == nullptr || (is_merge && src_node != nullptr && src_node->op() == "NextIteration")) {
      inputs.push_back(Shape::Unknown());  // a back edge
      handles.push_back(nullptr);
      continue;
    }
    if (!src->status.ok()) {
      result.status = src->status;
      return result;
    }
    if (input.index < 0 || input.index >= static_cast<int>(src->shapes.size())) {
      result.status = InvalidArgumentError(
          "node '" + node.name() + "' reads output " + std::to_string(input.index) + " of '" +
          input.node + "', which has " + std::to_string(src->shapes.size()) + " outputs");
      return result;
    }
    inputs.push_back(src->shapes[input.index]);
    const HandleData& h = src->handles[input.index];
    handles.push_back(h.empty() ? nullptr : &h);
  }
  InferenceContext c(this, node, inputs, handles, *num_outputs);
  if (ShapeFn fn = LookupShapeFn(node.op()); fn != nullptr) {
    Status s = fn(c);
    if (!s.ok()) {
      std::string shapes;
      for (size_t i = 0; i < inputs.size(); ++i) shapes += (i ? ", " : "") + inputs[i].ToString();
      result.status = InvalidArgumentError(s.message() + " for '" + SummarizeNode(node) +
                                           "' with input shapes: " + shapes + ".");
      return result;
    }
  }
  result.shapes = std::move(c.outputs());
  result.handles = std::move(c.output_handles());
  result.status = MergeRecordedShapes(node, &result.shapes);
  return result;
}

}  // namespace shape_inference

// ---- Public API ---------------------------------------------------------------

ShapeInference::ShapeInference(const Graph& graph)
    : graph_(graph), impl_(std::make_shared<ShapeInferenceImpl>(graph)) {}

StatusOr<std::vector<PartialTensorShape>> ShapeInference::InferNodeShapes(const std::string& node) {
  if (auto it = cache_.find(node); it != cache_.end()) return it->second;
  if (graph_.FindNode(node) == nullptr) {
    return NotFoundError("shape inference: no node named '" + node + "' in the graph");
  }
  const ShapeInferenceImpl::NodeResult& r = impl_->Infer(node);
  if (!r.status.ok()) return r.status;
  std::vector<PartialTensorShape> shapes;
  shapes.reserve(r.shapes.size());
  for (const Shape& s : r.shapes) shapes.push_back(s.ToPartial());
  cache_[node] = shapes;
  return shapes;
}

StatusOr<PartialTensorShape> ShapeInference::InferShape(const Output& output) {
  ASSIGN_OR_RETURN(std::vector<PartialTensorShape> shapes, InferNodeShapes(output.node));
  if (output.index < 0 || output.index >= static_cast<int>(shapes.size())) {
    return OutOfRangeError("shape inference: node '" + output.node + "' has " +
                           std::to_string(shapes.size()) + " outputs, no output " +
                           std::to_string(output.index));
  }
  return shapes[output.index];
}

Status AddOutputShapes(const Graph& graph, tensorflow::GraphDef* graph_def) {
  ShapeInference inference(graph);
  for (tensorflow::NodeDef& node : *graph_def->mutable_node()) {
    if (graph.FindNode(node.name()) == nullptr) {
      return NotFoundError("AddOutputShapes: node '" + node.name() +
                           "' of the GraphDef is not in the graph");
    }
    ASSIGN_OR_RETURN(std::vector<PartialTensorShape> shapes,
                     inference.InferNodeShapes(node.name()));
    if (shapes.empty()) {
      node.mutable_attr()->erase("_output_shapes");
      continue;
    }
    tensorflow::AttrValue value;
    auto* list = value.mutable_list();
    for (const PartialTensorShape& s : shapes) *list->add_shape() = ShapeToProto(s);
    (*node.mutable_attr())["_output_shapes"] = std::move(value);
  }
  return Status::OK();
}

}  // namespace tf1hub
