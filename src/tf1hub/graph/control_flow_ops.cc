// Control-flow op constructors (include/tf1hub/graph/control_flow_ops.h).
#include "tf1hub/graph/control_flow_ops.h"

#include "tf1hub/graph/node_builder.h"

namespace tf1hub::ops {

Operation NoOp(const Scope& s) { return NodeBuilder(s, "NoOp").Finalize(); }

SwitchOutputs Switch(const Scope& s, const Output& data, const Output& pred) {
  std::vector<Output> out = NodeBuilder(s, "Switch").Input(data).Input(pred).FinalizeOutputs();
  if (out.size() != 2) return {};
  return {out[0], out[1]};
}

MergeOutputs Merge(const Scope& s, std::span<const Output> inputs) {
  std::vector<Output> out = NodeBuilder(s, "Merge").InputList(inputs).FinalizeOutputs();
  if (out.size() != 2) return {};
  return {out[0], out[1]};
}

Output Enter(const Scope& s, const Output& data, const std::string& frame_name,
             const EnterAttrs& a) {
  return NodeBuilder(s, "Enter")
      .Input(data)
      .Attr("frame_name", frame_name)
      .Attr("is_constant", a.is_constant)
      .Attr("parallel_iterations", a.parallel_iterations)
      .FinalizeOutput();
}

Output Exit(const Scope& s, const Output& data) {
  return NodeBuilder(s, "Exit").Input(data).FinalizeOutput();
}

Output NextIteration(const Scope& s, const Output& data) {
  return NodeBuilder(s, "NextIteration").Input(data).FinalizeOutput();
}

Output LoopCond(const Scope& s, const Output& input) {
  return NodeBuilder(s, "LoopCond").Input(input).FinalizeOutput();
}

}  // namespace tf1hub::ops
