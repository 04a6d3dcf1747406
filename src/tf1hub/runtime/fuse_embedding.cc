#include "tf1hub/runtime/fuse_embedding.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "tf1hub/kernels/embedding_fusion.h"

namespace tf1hub {

void FuseEmbeddingLookups(const GraphState& graph, const std::vector<char>& fetched,
                          std::vector<int>* readers, Plan* plan) {
  if (plan->has_conditionals) return;
  std::vector<PlanStep>& steps = plan->steps;
  const int num_steps = static_cast<int>(steps.size());
  // The step making each slot (-1: a feed), each node's step, and the
  // (step, input) reading each slot (meaningful for slots with one reader).
  std::vector<int> producer(plan->num_slots, -1);
  std::vector<int> step_of_node(graph.num_nodes(), -1);
  std::vector<std::pair<int, int>> reader(plan->num_slots, {-1, -1});
  for (int s = 0; s < num_steps; ++s) {
    const PlanStep& step = steps[s];
    step_of_node[step.node] = s;
    for (int k = 0; k < step.num_outputs; ++k) producer[step.first_output_slot + k] = s;
    for (int i = 0; i < step.num_inputs; ++i)
      reader[plan->inputs[step.first_input + i].slot] = {s, i};
  }
  auto plain_inputs = [&](const PlanStep& step) {
    for (int i = 0; i < step.num_inputs; ++i) {
      if (plan->inputs[step.first_input + i].mode != InputMode::kCopy) return false;
    }
    return true;
  };
  // Control inputs of `step` all run before step `before`.
  auto controls_before = [&](const PlanStep& step, int before) {
    for (int c : graph.node(step.node).control_inputs) {
      if (step_of_node[c] < 0 || step_of_node[c] >= before) return false;
    }
    return true;
  };

  std::vector<char> removed(num_steps, 0);
  // The Unique step whose y is gather gi's ids and whose idx is reduction
  // ri's indices, when nothing else reads or fetches them; else -1.
  auto FoldableUnique = [&](int gi, int ri) {
    const int ids = plan->inputs[steps[gi].first_input + 1].slot;
    const int u = producer[ids];
    if (u < 0 || removed[u]) return -1;
    const PlanStep& step = steps[u];
    if (step.kind != StepKind::kKernel || step.num_outputs != 2 || step.num_inputs != 1 ||
        !plain_inputs(step) || graph.node(step.node).def.op() != "Unique") {
      return -1;
    }
    const int idx = step.first_output_slot + 1;
    if (ids != step.first_output_slot || plan->inputs[steps[ri].first_input + 1].slot != idx) {
      return -1;
    }
    if ((*readers)[ids] != 1 || (*readers)[idx] != 1 || fetched[ids] || fetched[idx]) return -1;
    return u;
  };
  bool fused_any = false;
  for (int gi = 0; gi < num_steps; ++gi) {
    PlanStep& gather = steps[gi];
    if (removed[gi] || gather.kind != StepKind::kKernel || gather.num_outputs != 1 ||
        graph.node(gather.node).def.op() != "ResourceGather" || !plain_inputs(gather)) {
      continue;
    }
    // Follow the gathered rows through Identity steps to the reduction.
    std::vector<int> chain;
    int slot = gather.first_output_slot;
    int reduce_index = -1;
    while (true) {
      if ((*readers)[slot] != 1 || fetched[slot]) break;
      const auto [si, input] = reader[slot];
      if (si <= gi || removed[si] || input != 0) break;
      const PlanStep& next = steps[si];
      if (next.kind != StepKind::kKernel || !plain_inputs(next) || !controls_before(next, gi))
        break;
      const std::string& op = graph.node(next.node).def.op();
      if (op == "Identity" && next.num_outputs == 1) {
        chain.push_back(si);
        slot = next.first_output_slot;
        continue;
      }
      reduce_index = si;
      break;
    }
    if (reduce_index < 0) continue;
    const PlanStep& reduce = steps[reduce_index];
    bool ready = true;  // the reduction's other inputs exist at the gather's place
    for (int i = 1; i < reduce.num_inputs; ++i) {
      if (producer[plan->inputs[reduce.first_input + i].slot] >= gi) ready = false;
    }
    if (!ready) continue;
    const NodeInfo& gn = graph.node(gather.node);
    const NodeInfo& rn = graph.node(reduce.node);
    KernelConstruction gc(gn.def, *gn.op_def, gn.input_types, gn.input_is_ref, gn.output_types,
                          gn.output_is_ref);
    KernelConstruction rc(rn.def, *rn.op_def, rn.input_types, rn.input_is_ref, rn.output_types,
                          rn.output_is_ref);
    if (!CanFuseGatherSegmentReduction(gc, rc)) continue;
    const int unique_index = FoldableUnique(gi, reduce_index);
    std::optional<KernelConstruction> uc;
    if (unique_index >= 0) {
      const NodeInfo& un = graph.node(steps[unique_index].node);
      uc.emplace(un.def, *un.op_def, un.input_types, un.input_is_ref, un.output_types,
                 un.output_is_ref);
      if (!CanFoldUnique(*uc, gc, rc)) uc.reset();
    }
    StatusOr<std::unique_ptr<OpKernel>> kernel =
        CreateFusedGatherSegmentReduction(gc, rc, uc ? &*uc : nullptr);
    if (!kernel.ok()) continue;  // run unfused

    // The fused step takes the gather's place: the gather's inputs (with
    // Unique folded in: the handle and Unique's input), then the
    // reduction's after its data (after its indices with Unique).
    std::vector<PlanInput> ins = {plan->inputs[gather.first_input],
                                  plan->inputs[gather.first_input + 1]};
    int first_reduce_input = 1;
    if (uc) {
      const PlanStep& unique = steps[unique_index];
      ins[1] = plan->inputs[unique.first_input];
      first_reduce_input = 2;
      (*readers)[unique.first_output_slot] = 0;
      (*readers)[unique.first_output_slot + 1] = 0;
      removed[unique_index] = 1;
    }
    for (int i = first_reduce_input; i < reduce.num_inputs; ++i) {
      ins.push_back(plan->inputs[reduce.first_input + i]);
    }
    // The gathered rows (and the Identity steps' views of them) are never
    // made now.
    (*readers)[gather.first_output_slot] = 0;
    for (int s : chain) {
      (*readers)[steps[s].first_output_slot] = 0;
      removed[s] = 1;
    }
    removed[reduce_index] = 1;
    std::shared_ptr<OpKernel> fused(std::move(kernel).value());
    gather.node = reduce.node;
    gather.kernel = fused.get();
    plan->kernels.push_back(std::move(fused));
    gather.first_input = static_cast<int>(plan->inputs.size());
    gather.num_inputs = static_cast<int>(ins.size());
    gather.first_output_slot = reduce.first_output_slot;
    gather.num_outputs = reduce.num_outputs;
    gather.names_own_errors = true;
    plan->inputs.insert(plan->inputs.end(), ins.begin(), ins.end());
    plan->max_step_inputs = std::max(plan->max_step_inputs, gather.num_inputs);
    fused_any = true;
  }
  if (!fused_any) return;
  std::vector<PlanStep> kept;
  kept.reserve(steps.size());
  for (int s = 0; s < num_steps; ++s) {
    if (!removed[s]) kept.push_back(std::move(steps[s]));
  }
  steps = std::move(kept);
}

}  // namespace tf1hub
