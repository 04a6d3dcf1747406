// Shared layer pieces (layers_util.h).
#include "tf1hub/graph/layers_util.h"

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/tensor_proto.h"

namespace tf1hub::layers {

LayerScope MakeLayerScope(const Scope& scope, std::string_view name,
                          std::string_view default_name) {
  const std::string& parent_vs = scope.variable_scope();
  auto join = [&](std::string_view leaf) {
    return parent_vs.empty() ? std::string(leaf) : parent_vs + "/" + std::string(leaf);
  };
  if (!name.empty()) {
    // variable_scope(name): the variable scope as given, a unique name scope.
    Scope ops = scope.NewSubScope(name);
    std::string vs = join(name);
    return {ops.WithVariableScope(vs), vs};
  }
  // variable_scope(None, default_name=...): both made unique; we take the
  // name scope's unique leaf for the variable scope too.
  Scope ops = scope.NewSubScope(default_name);
  const std::string& ns = ops.name_scope();
  const std::string& parent_ns = scope.name_scope();
  std::string leaf = parent_ns.empty() ? ns : ns.substr(std::min(ns.size(), parent_ns.size() + 1));
  std::string vs = join(leaf);
  return {ops.WithVariableScope(vs), vs};
}

Variable AddWeight(const LayerScope& layer, std::string_view name, const TensorShape& shape,
                   const GetVariableOptions& options, const Regularizer& regularizer) {
  const Scope& s = layer.ops;
  if (!s.ok()) return Variable{};
  const std::string full = layer.variable_scope.empty()
                               ? std::string(name)
                               : layer.variable_scope + "/" + std::string(name);
  const bool reused = FindVariable(*s.graph(), full).has_value();
  Variable v = GetVariable(s, name, shape, options);
  if (v.empty() || reused || regularizer.empty()) return v;
  // Keras' _handle_weight_regularization: name_scope(name + "/Regularizer")
  // inside the layer's name scope.
  Output loss = regularizer(s.NewSubScope(std::string(name) + "/Regularizer"), v);
  if (!loss.empty()) {
    s.UpdateStatus(s.graph()->AddToCollection(graph_keys::kRegularizationLosses, loss.ToString()));
  }
  return v;
}

std::optional<bool> ConstantTraining(const Scope& scope, const Training& training) {
  if (!training.is_tensor()) return training.value();
  const tensorflow::NodeDef* node = scope.graph()->FindNode(training.tensor().node);
  if (node == nullptr || node->op() != "Const") return std::nullopt;
  const tensorflow::AttrValue* value = FindAttr(*node, "value");
  if (value == nullptr) return std::nullopt;
  StatusOr<Tensor> t = TensorFromProto(value->tensor(), 1 << 10);
  if (!t.ok() || t->dtype() != DataType::kBool || t->NumElements() != 1) return std::nullopt;
  return t->flat<bool>()[0];
}

}  // namespace tf1hub::layers
