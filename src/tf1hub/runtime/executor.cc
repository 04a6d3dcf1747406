#include "tf1hub/runtime/executor.h"

#include <optional>
#include <utility>

namespace tf1hub {
namespace {

Status UninitializedError(const std::string& value_name) {
  return FailedPreconditionError("Attempting to use uninitialized value " + value_name);
}

// Fills `in` from `slot` as `mode` says.
Status TakeInput(const PlanInput& pi, const OpKernel& kernel, int index, TensorValue& slot,
                 TensorValue* in) {
  switch (pi.mode) {
    case InputMode::kCopy:
      *in = slot;
      return Status::OK();
    case InputMode::kMove:
      *in = std::move(slot);
      slot = TensorValue();
      return Status::OK();
    case InputMode::kDeref: {
      std::optional<Tensor> value = slot.ref->Snapshot();
      if (!value.has_value()) return UninitializedError(kernel.requested_input(index));
      in->tensor = std::move(*value);
      return Status::OK();
    }
    case InputMode::kRef:
      if (pi.check_initialized) {
        std::lock_guard<std::mutex> lock(slot.ref->mu());
        if (!slot.ref->is_initialized()) return UninitializedError(kernel.requested_input(index));
      }
      in->ref = slot.ref;
      return Status::OK();
  }
  return InternalError("unknown input mode");
}

Status CheckFeed(const PlanFeed& feed, const Tensor& value) {
  if (value.dtype() != feed.dtype) {
    return InvalidArgumentError("Cannot feed value of dtype " + TfTypeName(value.dtype()) +
                                " for Tensor " + feed.name + ", which has dtype " +
                                TfTypeName(feed.dtype));
  }
  if (!feed.shape.unknown_rank() && !feed.shape.IsCompatibleWith(value.shape())) {
    return InvalidArgumentError("Cannot feed value of shape " + value.shape().DebugString() +
                                " for Tensor " + feed.name + ", which has shape " +
                                feed.shape.DebugString());
  }
  return Status::OK();
}

// Whether a step runs: dead if any control input is dead, and (Merge) if
// every data input is dead or (others) if any data input is dead. For a
// live Merge, `live_input` is the first live data input.
struct StepDeadness {
  bool dead = false;
  int live_input = -1;
};

StepDeadness Deadness(const Plan& plan, const PlanStep& step, const std::vector<char>& slot_dead,
                      const std::vector<char>& step_dead) {
  StepDeadness d;
  for (int c : step.control_steps) {
    if (step_dead[c]) {
      d.dead = true;
      return d;
    }
  }
  for (int i = 0; i < step.num_inputs; ++i) {
    const bool dead = slot_dead[plan.inputs[step.first_input + i].slot] != 0;
    if (step.kind == StepKind::kMerge) {
      if (!dead && d.live_input < 0) d.live_input = i;
    } else if (dead) {
      d.dead = true;
      return d;
    }
  }
  if (step.kind == StepKind::kMerge && d.live_input < 0) d.dead = true;
  return d;
}

// Drops the step's references to its input slots (kMove inputs), as a run
// step does, so skipped steps free buffers too.
void ReleaseInputs(const Plan& plan, const PlanStep& step, std::vector<TensorValue>& slots) {
  for (int i = 0; i < step.num_inputs; ++i) {
    const PlanInput& pi = plan.inputs[step.first_input + i];
    if (pi.mode == InputMode::kMove) slots[pi.slot] = TensorValue();
  }
}

// Switch: data (input 0) to output 1 if pred (input 1) is true, else to
// output 0; the other output is dead. Merge: the live input to output 0,
// its index (int32) to output 1. Ref values pass through as refs.
Status RunConditionalStep(const Plan& plan, const PlanStep& step, int live_input,
                          std::vector<TensorValue>& slots, std::vector<char>& slot_dead) {
  auto take = [&](int i) {
    const PlanInput& pi = plan.inputs[step.first_input + i];
    TensorValue v = slots[pi.slot];
    if (pi.mode == InputMode::kMove) slots[pi.slot] = TensorValue();
    return v;
  };
  if (step.kind == StepKind::kSwitch) {
    TensorValue pred = take(1);
    if (pred.tensor.dtype() != DataType::kBool || !pred.tensor.shape().dims().empty()) {
      return InvalidArgumentError("The second input must be a scalar, but it has shape " +
                                  pred.tensor.shape().DebugString());
    }
    const int taken = pred.tensor.flat<bool>()[0] ? 1 : 0;
    slots[step.first_output_slot + taken] = take(0);
    slot_dead[step.first_output_slot + 1 - taken] = 1;
    slots[step.first_output_slot + 1 - taken] = TensorValue();
    return Status::OK();
  }
  slots[step.first_output_slot] = take(live_input);
  for (int i = 0; i < step.num_inputs; ++i) {
    if (i != live_input) take(i);
  }
  if (step.num_outputs > 1) {
    slots[step.first_output_slot + 1].tensor = Tensor::Scalar<int32_t>(live_input);
  }
  return Status::OK();
}

}  // namespace

StatusOr<std::vector<Tensor>> ExecutePlan(const Plan& plan,
                                          const std::vector<std::pair<std::string, Tensor>>& feeds,
                                          const ExecutionEnv& env) {
  if (feeds.size() != plan.feeds.size()) {
    return InternalError("ExecutePlan: " + std::to_string(feeds.size()) + " feeds for a plan of " +
                         std::to_string(plan.feeds.size()));
  }
  std::vector<TensorValue> slots(plan.num_slots);
  for (size_t i = 0; i < feeds.size(); ++i) {
    RETURN_IF_ERROR(CheckFeed(plan.feeds[i], feeds[i].second));
    slots[plan.feeds[i].slot].tensor = feeds[i].second;
  }

  std::vector<TensorValue> inputs(plan.max_step_inputs);
  const GraphState& graph = *plan.graph;
  // Dead values (TF1 conditionals): per slot and per step, only when the
  // plan has Switch/Merge steps.
  std::vector<char> slot_dead(plan.has_conditionals ? plan.num_slots : 0, 0);
  std::vector<char> step_dead(plan.has_conditionals ? plan.steps.size() : 0, 0);
  for (size_t s_index = 0; s_index < plan.steps.size(); ++s_index) {
    const PlanStep& step = plan.steps[s_index];
    if (plan.has_conditionals) {
      const StepDeadness d = Deadness(plan, step, slot_dead, step_dead);
      if (d.dead) {
        // Skipped: every output is dead; inputs are released as usual.
        step_dead[s_index] = 1;
        for (int k = 0; k < step.num_outputs; ++k) slot_dead[step.first_output_slot + k] = 1;
        ReleaseInputs(plan, step, slots);
        continue;
      }
      if (step.kind != StepKind::kKernel) {
        Status s = RunConditionalStep(plan, step, d.live_input, slots, slot_dead);
        if (!s.ok()) return AttachNodeName(s, graph.node(step.node).def.name());
        continue;
      }
    }
    OpKernel& kernel = *step.kernel;
    for (int i = 0; i < step.num_inputs; ++i) {
      const PlanInput& pi = plan.inputs[step.first_input + i];
      Status s = TakeInput(pi, kernel, i, slots[pi.slot], &inputs[i]);
      if (!s.ok()) return AttachNodeName(s, graph.node(step.node).def.name());
    }
    OpKernelContext::Params params;
    params.kernel = &kernel;
    params.inputs = std::span<TensorValue>(inputs.data(), step.num_inputs);
    params.outputs = std::span<TensorValue>(slots.data() + step.first_output_slot, step.num_outputs);
    params.resource_mgr = env.resource_mgr;
    params.thread_pool = env.thread_pool;
    OpKernelContext ctx(params);
    Status s = kernel.Compute(&ctx);
    if (!s.ok() && step.names_own_errors) return s;  // a fused step's error names its node
    if (s.ok()) s = ctx.ValidateOutputs();
    if (!s.ok()) return AttachNodeName(s, graph.node(step.node).def.name());
    // Release inputs now so their buffers can be reused or freed.
    for (int i = 0; i < step.num_inputs; ++i) inputs[i] = TensorValue();
    for (int slot : step.drop_slots) slots[slot] = TensorValue();
  }

  std::vector<Tensor> out;
  out.reserve(plan.fetches.size());
  for (size_t i = 0; i < plan.fetches.size(); ++i) {
    const PlanFetch& f = plan.fetches[i];
    if (plan.has_conditionals && slot_dead[f.slot]) {
      // TensorFlow's message for fetching the untaken branch of a cond.
      return InvalidArgumentError("Retval[" + std::to_string(i) + "] does not have value");
    }
    const TensorValue& v = slots[f.slot];
    if (f.deref) {
      std::optional<Tensor> value = v.ref->Snapshot();
      if (!value.has_value()) return AttachNodeName(UninitializedError(f.value_name), f.retval_node);
      out.push_back(std::move(*value));
    } else {
      out.push_back(v.tensor);
    }
  }
  return out;
}

}  // namespace tf1hub
