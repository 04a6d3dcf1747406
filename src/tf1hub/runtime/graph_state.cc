#include "tf1hub/runtime/graph_state.h"

#include <charconv>
#include <utility>

#include "tf1hub/graph/op_registry.h"
#include "tf1hub/kernels/kernel.h"

namespace tf1hub {
namespace {

std::string TypeString(DataType t, bool is_ref) {
  return TfTypeName(t) + (is_ref ? "_ref" : "");
}

std::string TypeListString(const std::vector<DataType>& types, const std::vector<bool>& refs) {
  std::string out;
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += ", ";
    out += TypeString(types[i], refs[i]);
  }
  return out;
}

}  // namespace

StatusOr<TensorId> ParseTensorName(std::string_view name, std::string_view what) {
  auto bad = [&](std::string_view why) {
    return InvalidArgumentError(std::string(what) + " '" + std::string(name) + "' is not a valid tensor name: " + std::string(why));
  };
  if (name.empty()) return bad("empty");
  if (name[0] == '^') return bad("'^' marks a control input");
  TensorId id;
  const size_t colon = name.rfind(':');
  if (colon == std::string_view::npos) {
    id.node = std::string(name);
    return id;
  }
  std::string_view digits = name.substr(colon + 1);
  if (colon == 0) return bad("no node name before ':'");
  if (digits.empty()) return bad("no output index after ':'");
  int index = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || index < 0) {
    return bad("the output index is not a non-negative integer");
  }
  id.node = std::string(name.substr(0, colon));
  id.index = index;
  return id;
}

StatusOr<std::shared_ptr<const GraphState>> GraphState::Create(tensorflow::GraphDef graph) {
  std::shared_ptr<GraphState> state(new GraphState());
  RETURN_IF_ERROR(state->AddNodes(&graph));
  return std::shared_ptr<const GraphState>(std::move(state));
}

StatusOr<std::shared_ptr<const GraphState>> GraphState::Extend(tensorflow::GraphDef graph) const {
  std::shared_ptr<GraphState> state(new GraphState());
  state->nodes_ = nodes_;
  state->by_name_ = by_name_;
  RETURN_IF_ERROR(state->AddNodes(&graph));
  return std::shared_ptr<const GraphState>(std::move(state));
}

int GraphState::FindNode(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? -1 : it->second;
}

StatusOr<Endpoint> GraphState::ResolveTensor(std::string_view name) const {
  ASSIGN_OR_RETURN(TensorId id, ParseTensorName(name, "tensor"));
  const int node = FindNode(id.node);
  if (node < 0) {
    return NotFoundError("The name '" + id.ToString() +
                         "' refers to a Tensor which does not exist. The operation, '" + id.node +
                         "', does not exist in the graph.");
  }
  const int num_outputs = static_cast<int>(nodes_[node]->output_types.size());
  if (id.index >= num_outputs) {
    return NotFoundError("The name '" + id.ToString() +
                         "' refers to a Tensor which does not exist. The operation, '" + id.node +
                         "', exists but only has " + std::to_string(num_outputs) + " outputs.");
  }
  return Endpoint{node, id.index};
}

Status GraphState::AddNodes(tensorflow::GraphDef* graph) {
  std::vector<std::shared_ptr<NodeInfo>> added;
  // Pass 1: per-node checks and signatures; register names.
  for (tensorflow::NodeDef& def : *graph->mutable_node()) {
    if (def.name().empty()) {
      return InvalidArgumentError("Node with op '" + def.op() + "' has an empty name");
    }
    if (by_name_.count(def.name()) != 0) {
      return InvalidArgumentError("Duplicate node name in graph: '" + def.name() + "'");
    }
    const std::string where = "node '" + def.name() + "' (op '" + def.op() + "')";
    auto info = std::make_shared<NodeInfo>();
    info->def = std::move(def);
    info->op_def = OpRegistry::Global().Lookup(info->def.op());
    if (info->op_def == nullptr) {
      return NotFoundError("Op type not registered '" + info->def.op() +
                           "' in binary running on tf1hub (node '" + info->def.name() +
                           "'). Make sure the Op and Kernel are registered in the binary running "
                           "in this process.");
    }
    RETURN_IF_ERROR_WITH_CONTEXT(AddDefaultAttrs(*info->op_def, &info->def), where);
    RETURN_IF_ERROR_WITH_CONTEXT(ValidateNodeAttrs(info->def, *info->op_def), where);
    StatusOr<NodeSignature> sig = ComputeNodeSignature(info->def, *info->op_def);
    if (!sig.ok()) return sig.status().WithContext(where);
    for (auto t : sig->inputs) info->input_types.push_back(static_cast<DataType>(t));
    for (auto t : sig->outputs) info->output_types.push_back(static_cast<DataType>(t));
    info->input_is_ref = sig->input_is_ref;
    info->output_is_ref = sig->output_is_ref;
    by_name_.emplace(info->def.name(), static_cast<int>(nodes_.size()));
    nodes_.push_back(info);
    added.push_back(std::move(info));
  }
  // Pass 2: resolve inputs (they may name nodes defined later in the list).
  for (size_t k = 0; k < added.size(); ++k) {
    NodeInfo& info = *added[k];
    const std::string& name = info.def.name();
    bool seen_control = false;
    for (const std::string& input : info.def.input()) {
      if (!input.empty() && input[0] == '^') {
        seen_control = true;
        const int src = FindNode(std::string_view(input).substr(1));
        if (src < 0) {
          return InvalidArgumentError("Node '" + name + "': Unknown input node '" + input + "'");
        }
        info.control_inputs.push_back(src);
        continue;
      }
      if (seen_control) {
        return InvalidArgumentError("Node '" + name + "': Control dependencies must come after "
                                    "regular dependencies (input '" + input + "')");
      }
      StatusOr<TensorId> id = ParseTensorName(input, "input of node '" + name + "'");
      if (!id.ok()) return id.status();
      const int src = FindNode(id->node);
      if (src < 0) {
        return InvalidArgumentError("Node '" + name + "': Unknown input node '" + input + "'");
      }
      const NodeInfo& producer = *nodes_[src];
      if (id->index >= static_cast<int>(producer.output_types.size())) {
        return InvalidArgumentError("Node '" + name + "': Connecting to invalid output " +
                                    std::to_string(id->index) + " of source node " + id->node +
                                    " which has " +
                                    std::to_string(producer.output_types.size()) + " outputs.");
      }
      info.inputs.push_back(Endpoint{src, id->index});
    }
    if (info.inputs.size() != info.input_types.size()) {
      return InvalidArgumentError("NodeDef expected inputs '" +
                                  TypeListString(info.input_types, info.input_is_ref) +
                                  "' do not match " + std::to_string(info.inputs.size()) +
                                  " inputs specified; node '" + name + "' (op '" + info.def.op() +
                                  "')");
    }
    for (size_t i = 0; i < info.inputs.size(); ++i) {
      const NodeInfo& producer = *nodes_[info.inputs[i].node];
      const int out = info.inputs[i].index;
      const DataType got = producer.output_types[out];
      const bool got_ref = producer.output_is_ref[out];
      if (got != info.input_types[i] || (info.input_is_ref[i] && !got_ref)) {
        return InvalidArgumentError(
            "Input " + std::to_string(i) + " of node " + name + " was passed " +
            TypeString(got, got_ref) + " from " + producer.def.name() + ":" + std::to_string(out) +
            " incompatible with expected " + TypeString(info.input_types[i], info.input_is_ref[i]) +
            ".");
      }
    }
  }
  return Status::OK();
}

}  // namespace tf1hub
