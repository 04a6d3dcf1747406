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
  for (const PlanStep& step : plan.steps) {
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
    if (s.ok()) s = ctx.ValidateOutputs();
    if (!s.ok()) return AttachNodeName(s, graph.node(step.node).def.name());
    // Release inputs now so their buffers can be reused or freed.
    for (int i = 0; i < step.num_inputs; ++i) inputs[i] = TensorValue();
    for (int slot : step.drop_slots) slots[slot] = TensorValue();
  }

  std::vector<Tensor> out;
  out.reserve(plan.fetches.size());
  for (const PlanFetch& f : plan.fetches) {
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
