// Control-flow op constructors: NoOp (grouping), and the TF1 dataflow
// control-flow primitives (Switch/Merge/Enter/Exit/NextIteration/LoopCond)
// that tf.compat.v1 cond and while_loop lower to. A loop is closed with
// Graph::UpdateInput (Merge's second input becomes the NextIteration).
//
//   Operation init = ops::NoOp(scope.WithOpName("init").WithControlDependencies({a, b}));
//   ops::SwitchOutputs sw = ops::Switch(scope, x, pred);
//
// Errors follow scope.h. Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_CONTROL_FLOW_OPS_H_
#define TF1HUB_GRAPH_CONTROL_FLOW_OPS_H_

#include <cstdint>
#include <span>
#include <string>

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"

namespace tf1hub::ops {

Operation NoOp(const Scope& scope);

struct SwitchOutputs {
  Output output_false, output_true;
};
SwitchOutputs Switch(const Scope& scope, const Output& data, const Output& pred);
struct MergeOutputs {
  Output output, value_index;
};
MergeOutputs Merge(const Scope& scope, std::span<const Output> inputs);
struct EnterAttrs {
  bool is_constant = false;
  int64_t parallel_iterations = 10;
};
Output Enter(const Scope& scope, const Output& data, const std::string& frame_name,
             const EnterAttrs& attrs = {});
Output Exit(const Scope& scope, const Output& data);
Output NextIteration(const Scope& scope, const Output& data);
Output LoopCond(const Scope& scope, const Output& input);

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_CONTROL_FLOW_OPS_H_
