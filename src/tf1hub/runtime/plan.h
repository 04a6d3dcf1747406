// Plan: what one Run signature (feeds, fetches, targets) executes, compiled
// once and cached by the session (internal to the runtime).
//
// Compiling prunes the graph to the nodes the fetches and targets need
// (walking back along data and control edges; a fed tensor cuts the edge to
// its producer), rejects cycles and TF1 loops (Switch/Merge conditionals
// run), orders
// the nodes topologically (ties broken by GraphDef order), gets each node's
// kernel, and assigns every value a slot with its lifetime: the last
// consumer of a tensor takes it over (so element-wise kernels can reuse the
// buffer) and values nobody needs are dropped as soon as they are made.
// A ResourceGather whose output only feeds a sparse segment reduction runs
// fused with it (kernels/embedding_fusion.h): same results and errors, no
// gathered copy.
//
// Thread safety: a Plan is immutable; Execute (executor.h) may run one plan
// on many threads at once.
#ifndef TF1HUB_RUNTIME_PLAN_H_
#define TF1HUB_RUNTIME_PLAN_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tf1hub/kernels/kernel.h"
#include "tf1hub/runtime/graph_state.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

// How a step gets one input from its slot.
enum class InputMode : uint8_t {
  kCopy,   // share the tensor; others still need the slot
  kMove,   // last use: take the slot's reference
  kDeref,  // the slot holds a ref variable: snapshot its value
  kRef,    // the input is a ref input: pass the variable
};

struct PlanInput {
  int slot = 0;
  InputMode mode = InputMode::kCopy;
  // For kDeref and kRef: fail with "Attempting to use uninitialized value"
  // when the variable is uninitialized (off for ops that allow it, Assign).
  bool check_initialized = true;
};

// TF1 conditionals, run by the executor itself (no kernel): a Switch
// forwards its data input to output 1 (pred true) or 0 (pred false) and
// marks the other output dead; a Merge forwards its first live input.
// Any other node with a dead input (data or control) is skipped and its
// outputs are dead, as in TensorFlow's executor.
enum class StepKind : uint8_t { kKernel, kSwitch, kMerge };

struct PlanStep {
  int node = 0;                 // GraphState index
  StepKind kind = StepKind::kKernel;
  OpKernel* kernel = nullptr;   // kept alive by Plan::kernels; null unless kKernel
  int first_input = 0;          // into Plan::inputs
  int num_inputs = 0;
  int first_output_slot = 0;    // outputs are consecutive slots
  int num_outputs = 0;
  std::vector<int> drop_slots;  // outputs nobody reads: dropped after Compute
  // Steps (indexes into Plan::steps) this one has control inputs on; only
  // filled when the plan has conditionals (deadness flows along them).
  std::vector<int> control_steps;
  // The kernel's errors already name their node (a fused step, whose error
  // may come from either of its nodes): the executor adds nothing.
  bool names_own_errors = false;
};

struct PlanFeed {
  std::string name;    // as given to Run
  int slot = 0;
  DataType dtype = DataType::kInvalid;
  // The placeholder's declared shape when the fed tensor is a Placeholder's
  // (or PlaceholderWithDefault's) output; unknown rank otherwise.
  PartialTensorShape shape;
};

struct PlanFetch {
  int slot = 0;
  bool deref = false;          // slot holds a ref variable
  std::string value_name;      // for "Attempting to use uninitialized value <name>"
  std::string retval_node;     // TensorFlow's fetch node name, for messages
};

struct Plan {
  std::shared_ptr<const GraphState> graph;
  std::vector<std::shared_ptr<OpKernel>> kernels;
  std::vector<PlanStep> steps;
  std::vector<PlanInput> inputs;
  std::vector<PlanFeed> feeds;
  std::vector<PlanFetch> fetches;
  int num_slots = 0;
  int max_step_inputs = 0;
  int max_step_outputs = 0;
  // True if some step is a Switch or Merge: the executor then tracks dead
  // values (the plain path skips that bookkeeping).
  bool has_conditionals = false;
};

// Returns the kernel of node `node` of the graph (created once per session).
using KernelProvider = std::function<StatusOr<std::shared_ptr<OpKernel>>(int node)>;

StatusOr<std::shared_ptr<const Plan>> CompilePlan(std::shared_ptr<const GraphState> graph,
                                                  const std::vector<std::string>& feeds,
                                                  const std::vector<std::string>& fetches,
                                                  const std::vector<std::string>& targets,
                                                  const KernelProvider& kernels);

// "<message>\n\t [[{{node <name>}}]]", TensorFlow's way of naming the node
// an error happened at.
Status AttachNodeName(const Status& status, const std::string& node);

}  // namespace tf1hub

#endif  // TF1HUB_RUNTIME_PLAN_H_
