// Creation-time graph checks of hub (see spec_checks.h).
#include "tf1hub/hub/spec_checks.h"

#include <algorithm>
#include <set>

#include "tf1hub/graph/op_registry.h"
#include "tf1hub/graph/shape_inference.h"
#include "tf1hub/hub/python_repr.h"

namespace tf1hub::hub {
namespace {

constexpr std::string_view kLocPrefix = "loc:@";

// repr of a signature input as Python prints it in hub's message.
std::string InputRepr(const Graph& graph, ShapeInference& shapes, const Output& t) {
  StatusOr<PartialTensorShape> shape = shapes.InferShape(t);
  StatusOr<DataType> dtype = graph.OutputType(t);
  return PyTensorRepr(t.ToString(), shape.ok() ? *shape : PartialTensorShape(),
                      dtype.ok() ? *dtype : DataType::kInvalid);
}

}  // namespace

std::vector<std::string> ColocationGroups(const tensorflow::NodeDef& node) {
  std::vector<std::string> groups;
  auto it = node.attr().find("_class");
  if (it != node.attr().end()) {
    for (const std::string& s : it->second.list().s()) {
      if (s.rfind(kLocPrefix, 0) == 0) groups.push_back(s);
    }
  }
  if (groups.empty()) groups.push_back(std::string(kLocPrefix) + node.name());
  return groups;
}

bool IsStateHoldingOp(const std::string& op) {
  const tensorflow::OpDef* def = OpRegistry::Global().Lookup(op);
  return def != nullptr && def->is_stateful() && def->input_arg_size() == 0;
}

Status CheckStateOpColocation(const Graph& graph, const std::optional<TagSet>& reported_tags) {
  std::set<std::string, std::less<>> state_nodes;
  for (const tensorflow::NodeDef& node : graph.graph_def().node()) {
    if (IsStateHoldingOp(node.op())) state_nodes.insert(node.name());
  }
  for (const tensorflow::NodeDef& node : graph.graph_def().node()) {
    if (!state_nodes.contains(node.name())) continue;
    std::vector<std::string> groups = ColocationGroups(node);
    for (const std::string& group : groups) {
      if (group.rfind(kLocPrefix, 0) == 0 &&
          state_nodes.contains(std::string_view(group).substr(kLocPrefix.size()))) {
        continue;
      }
      std::string tags_prefix =
          reported_tags ? "in the graph for tags " + PySetRepr(*reported_tags) + ", " : "";
      return InvalidArgumentError(
          "A state-holding node x of a module's graph (e.g., a Variable op) must not be "
          "subject to a tf.colocate_with(y) constraint unless y is also a state-holding "
          "node.\nDetails: " +
          tags_prefix + "node '" + node.name() + "' has op '" + node.op() +
          "', which counts as state-holding, but Operation.colocation_groups() == " +
          PyBytesListRepr(groups) + ". ");
    }
  }
  return Status::OK();
}

Status CheckSignatureInputColocation(const Graph& graph, const std::string& signature,
                                     const SignatureTensors& inputs) {
  for (const auto& [input_name, tensor] : inputs) {
    std::vector<Output> components;
    if (const Output* dense = std::get_if<Output>(&tensor)) {
      components.push_back(*dense);
    } else {
      const SparseOutput& sparse = std::get<SparseOutput>(tensor);
      components = {sparse.indices, sparse.values, sparse.dense_shape};
    }
    for (const Output& component : components) {
      const tensorflow::NodeDef* node = graph.FindNode(component.node);
      if (node == nullptr) continue;  // reported when the signature is built
      std::vector<std::string> groups = ColocationGroups(*node);
      if (groups.size() == 1 && groups[0] == std::string(kLocPrefix) + node->name()) continue;
      ShapeInference shapes(graph);
      std::string repr;
      if (components.size() == 1) {
        repr = InputRepr(graph, shapes, component);
      } else {
        repr = "SparseTensor(indices=" + InputRepr(graph, shapes, components[0]) +
               ", values=" + InputRepr(graph, shapes, components[1]) +
               ", dense_shape=" + InputRepr(graph, shapes, components[2]) + ")";
      }
      return InvalidArgumentError(
          "A tensor x used as input in a signature must not be subject to a "
          "tf.colocate_with(y) constraint. (The reverse would be allowed.)\nDetails: tensor '" +
          repr + "' appears " + (components.size() == 1 ? "as" : "in") + " input '" + input_name +
          "' of signature '" + signature +
          "' but has Tensor.op.colocation_groups() == " + PyBytesListRepr(groups));
    }
  }
  return Status::OK();
}

Status CheckUniqueTags(const tensorflow::SavedModel& saved_model) {
  std::vector<TagSet> all;
  for (const tensorflow::MetaGraphDef& meta_graph : saved_model.meta_graphs()) {
    const auto& tags = meta_graph.meta_info_def().tags();
    all.emplace_back(tags.begin(), tags.end());
  }
  std::sort(all.begin(), all.end());
  for (size_t i = 1; i < all.size(); ++i) {
    if (all[i] == all[i - 1]) {
      return InvalidArgumentError("Tags " + PyFrozenSetRepr(all[i]) + " used repeatedly");
    }
  }
  return Status::OK();
}

Status CheckCollectionsSupported(const tensorflow::SavedModel& saved_model) {
  for (const tensorflow::MetaGraphDef& meta_graph : saved_model.meta_graphs()) {
    std::vector<std::string> keys;
    for (const auto& [key, collection] : meta_graph.collection_def()) keys.push_back(key);
    std::vector<std::string> unsupported = GetUnsupportedCollections(keys);
    if (!unsupported.empty()) {
      return InvalidArgumentError(
          "Unsupported collections in graph: " + PyStrListRepr(unsupported) +
          "\nUse hub.create_module_spec(..., drop_collections=[...]) "
          "as appropriate.");
    }
  }
  return Status::OK();
}

}  // namespace tf1hub::hub
