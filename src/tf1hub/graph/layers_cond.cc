// TF1 conditionals for the layers (layers_cond.h).
#include "tf1hub/graph/layers_cond.h"

#include <vector>

#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/control_flow_ops.h"

namespace tf1hub {

LayerCond::LayerCond(const Scope& cond_scope, const Output& pred) : scope_(cond_scope) {
  Graph* graph = scope_.graph();
  const int first = graph->num_nodes();
  ops::SwitchOutputs sw = ops::Switch(scope_, pred, pred);
  pivot_t_ = ops::Identity(scope_.WithOpName("switch_t"), sw.output_true).op();
  pivot_f_ = ops::Identity(scope_.WithOpName("switch_f"), sw.output_false).op();
  pred_id_ = ops::Identity(scope_.WithOpName("pred_id"), pred);
  for (int i = first; i < graph->num_nodes(); ++i)
    own_nodes_.insert(graph->graph_def().node(i).name());
  adopted_upto_ = graph->num_nodes();
}

bool LayerCond::IsInternal(const std::string& node) const { return own_nodes_.count(node) != 0; }

void LayerCond::BeginBranch(bool branch) {
  Adopt();
  branch_ = branch;
}

Output LayerCond::SwitchFor(const Output& t, const Scope& name_scope) {
  std::map<std::string, Output>& cache = switched_[branch_ ? 1 : 0];
  auto it = cache.find(t.ToString());
  if (it != cache.end()) return it->second;
  // TF: _SwitchRefOrTensor colocates the Switch with the tensor, ignoring
  // any outer colocation.
  Scope s = name_scope.ClearColocation().ColocateWith(t.op()).WithNoControlDependencies();
  ops::SwitchOutputs sw = ops::Switch(s.WithOpName("Switch"), t, pred_id_);
  Output out = branch_ ? sw.output_true : sw.output_false;
  if (!out.empty()) own_nodes_.insert(out.node);
  cache.emplace(t.ToString(), out);
  return out;
}

void LayerCond::Adopt() {
  if (!scope_.ok()) return;
  Graph* graph = scope_.graph();
  const int end = graph->num_nodes();
  for (int i = adopted_upto_; i < end; ++i) {
    const tensorflow::NodeDef& node = graph->graph_def().node(i);
    const std::string name = node.name();
    if (IsInternal(name)) continue;
    own_nodes_.insert(name);
    std::vector<std::pair<int, Output>> external;
    int data_inputs = 0;
    for (int k = 0; k < node.input_size(); ++k) {
      if (node.input(k).starts_with("^")) break;
      ++data_inputs;
      StatusOr<Output> in = ParseTensorName(node.input(k));
      if (!in.ok()) {
        scope_.UpdateStatus(in.status());
        return;
      }
      if (!IsInternal(in->node)) external.emplace_back(k, *in);
    }
    const Scope op_scope = scope_.NewSubScope(name + "/");
    for (const auto& [k, in] : external) {
      Output sw = SwitchFor(in, op_scope);
      if (sw.empty()) return;
      scope_.UpdateStatus(graph->UpdateInput(name, k, sw));
    }
    if (data_inputs == 0) {
      scope_.UpdateStatus(graph->AddControlInput(name, branch_ ? pivot_t_ : pivot_f_));
    }
  }
  // Switches made above belong to the cond already.
  adopted_upto_ = graph->num_nodes();
}

Output LayerCond::EndBranch(const Output& result) {
  Adopt();
  if (result.empty() || IsInternal(result.node)) return result;
  Output out = SwitchFor(result, scope_);
  adopted_upto_ = scope_.graph()->num_nodes();
  return out;
}

Output LayerCond::Merge(const Output& false_result, const Output& true_result) {
  Adopt();
  std::vector<Output> inputs = {false_result, true_result};
  return ops::Merge(scope_, inputs).output;
}

}  // namespace tf1hub
