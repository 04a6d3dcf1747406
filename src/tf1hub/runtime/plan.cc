#include "tf1hub/runtime/plan.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <set>
#include <unordered_map>
#include <utility>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/runtime/fuse_embedding.h"

namespace tf1hub {
namespace {

// TF1 loops need frames and iterations, which this executor does not have
// yet; conditionals (Switch/Merge) run (see StepKind).
bool IsLoopOp(const std::string& op) {
  static const std::set<std::string, std::less<>> kLoop = {
      "Enter", "RefEnter", "Exit", "RefExit", "NextIteration", "RefNextIteration", "LoopCond"};
  return kLoop.count(op) != 0;
}

StepKind KindOf(const std::string& op) {
  if (op == "Switch" || op == "RefSwitch") return StepKind::kSwitch;
  if (op == "Merge" || op == "RefMerge") return StepKind::kMerge;
  return StepKind::kKernel;
}

struct EndpointHash {
  size_t operator()(const Endpoint& e) const {
    return std::hash<int64_t>()((static_cast<int64_t>(e.node) << 20) ^ e.index);
  }
};

bool IsPlaceholder(const std::string& op) {
  return op == "Placeholder" || op == "PlaceholderWithDefault" || op == "PlaceholderV2";
}

}  // namespace

Status AttachNodeName(const Status& status, const std::string& node) {
  if (status.ok()) return status;
  // Messages that already name the node the TensorFlow way stay as they are.
  if (status.message().find("{{node " + node + "}}") != std::string::npos) return status;
  return Status(status.code(), status.message() + "\n\t [[{{node " + node + "}}]]");
}

StatusOr<std::shared_ptr<const Plan>> CompilePlan(std::shared_ptr<const GraphState> graph_ptr,
                                                  const std::vector<std::string>& feeds,
                                                  const std::vector<std::string>& fetches,
                                                  const std::vector<std::string>& targets,
                                                  const KernelProvider& kernels) {
  const GraphState& g = *graph_ptr;
  auto plan = std::make_shared<Plan>();
  plan->graph = graph_ptr;

  // ---- Resolve names.
  std::unordered_map<Endpoint, int, EndpointHash> fed;  // endpoint -> feed index
  std::vector<Endpoint> feed_eps;
  for (size_t i = 0; i < feeds.size(); ++i) {
    ASSIGN_OR_RETURN(Endpoint ep, g.ResolveTensor(feeds[i]));
    if (!fed.emplace(ep, static_cast<int>(i)).second) {
      return InvalidArgumentError(g.node(ep.node).def.name() + ":" + std::to_string(ep.index) +
                                  " fed more than once.");
    }
    const NodeInfo& n = g.node(ep.node);
    if (n.output_types[ep.index] == DataType::kResource) {
      return InvalidArgumentError("Cannot feed tensor '" + feeds[i] +
                                  "': feeding DT_RESOURCE tensors is not supported");
    }
    feed_eps.push_back(ep);
  }
  std::vector<Endpoint> fetch_eps;
  for (const std::string& f : fetches) {
    ASSIGN_OR_RETURN(Endpoint ep, g.ResolveTensor(f));
    if (fed.count(ep) == 0 && g.node(ep.node).output_types[ep.index] == DataType::kResource &&
        !g.node(ep.node).output_is_ref[ep.index]) {
      return UnimplementedError("Cannot fetch tensor '" + f +
                                "': fetching DT_RESOURCE tensors is not supported");
    }
    fetch_eps.push_back(ep);
  }
  std::vector<int> target_nodes;
  for (const std::string& t : targets) {
    const int node = g.FindNode(t);
    if (node < 0) {
      if (t.find(':') != std::string::npos && g.FindNode(t.substr(0, t.rfind(':'))) >= 0) {
        return InvalidArgumentError("Target '" + t +
                                    "' is a tensor name; targets are operation names ('" +
                                    t.substr(0, t.rfind(':')) + "')");
      }
      return NotFoundError("The name '" + t + "' refers to an Operation not in the graph.");
    }
    target_nodes.push_back(node);
  }

  // ---- Prune: walk back from what is needed.
  std::vector<char> needed(g.num_nodes(), 0);
  std::vector<int> stack;
  auto need = [&](int node) {
    if (!needed[node]) {
      needed[node] = 1;
      stack.push_back(node);
    }
  };
  for (const Endpoint& ep : fetch_eps) {
    if (fed.count(ep) == 0) need(ep.node);
  }
  for (int node : target_nodes) need(node);
  while (!stack.empty()) {
    const int node = stack.back();
    stack.pop_back();
    const NodeInfo& n = g.node(node);
    for (const Endpoint& in : n.inputs) {
      if (fed.count(in) == 0) need(in.node);
    }
    for (int c : n.control_inputs) need(c);
  }
  std::vector<int> pruned;
  for (int i = 0; i < g.num_nodes(); ++i) {
    if (!needed[i]) continue;
    pruned.push_back(i);
    const NodeInfo& n = g.node(i);
    if (IsLoopOp(n.def.op())) {
      return UnimplementedError("Node '" + n.def.name() + "' uses op '" + n.def.op() +
                                "': TF1 control-flow loops (tf.while_loop in a TF1 graph)"
                                " are not supported by tf1hub's executor yet");
    }
    if (KindOf(n.def.op()) != StepKind::kKernel) plan->has_conditionals = true;
  }

  // ---- Topological order (Kahn), ties by GraphDef order.
  std::vector<int> pending(g.num_nodes(), 0);
  std::vector<std::vector<int>> consumers(g.num_nodes());
  for (int node : pruned) {
    const NodeInfo& n = g.node(node);
    for (const Endpoint& in : n.inputs) {
      if (fed.count(in) != 0) continue;
      ++pending[node];
      consumers[in.node].push_back(node);
    }
    for (int c : n.control_inputs) {
      ++pending[node];
      consumers[c].push_back(node);
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int node : pruned) {
    if (pending[node] == 0) ready.push(node);
  }
  std::vector<int> order;
  order.reserve(pruned.size());
  while (!ready.empty()) {
    const int node = ready.top();
    ready.pop();
    order.push_back(node);
    for (int c : consumers[node]) {
      if (--pending[c] == 0) ready.push(c);
    }
  }
  if (order.size() != pruned.size()) {
    std::string names;
    int listed = 0;
    for (int node : pruned) {
      if (pending[node] == 0 || listed == 10) continue;
      names += (listed++ > 0 ? ", " : "") + g.node(node).def.name();
    }
    return InvalidArgumentError("Graph is invalid, contains a cycle with " +
                                std::to_string(pruned.size() - order.size()) +
                                " nodes, including: " + names);
  }

  // ---- Slots: each step's outputs, then one per feed.
  std::vector<int> first_slot(g.num_nodes(), -1);
  int num_slots = 0;
  for (int node : order) {
    first_slot[node] = num_slots;
    num_slots += static_cast<int>(g.node(node).output_types.size());
  }
  for (size_t i = 0; i < feed_eps.size(); ++i) {
    PlanFeed f;
    f.name = feeds[i];
    f.slot = num_slots++;
    const NodeInfo& n = g.node(feed_eps[i].node);
    f.dtype = n.output_types[feed_eps[i].index];
    if (feed_eps[i].index == 0 && IsPlaceholder(n.def.op())) {
      StatusOr<PartialTensorShape> shape = GetShapeAttr(n.def, "shape");
      if (shape.ok()) f.shape = std::move(shape).value();
    }
    plan->feeds.push_back(std::move(f));
  }
  plan->num_slots = num_slots;
  // Where a consumer reads endpoint `ep`, and whether it holds a ref.
  auto slot_of = [&](const Endpoint& ep, bool* is_ref) {
    auto it = fed.find(ep);
    if (it != fed.end()) {
      *is_ref = false;
      return plan->feeds[it->second].slot;
    }
    *is_ref = g.node(ep.node).output_is_ref[ep.index];
    return first_slot[ep.node] + ep.index;
  };

  // ---- Steps and inputs.
  std::vector<char> fetched(num_slots, 0);
  for (const Endpoint& ep : fetch_eps) {
    bool is_ref = false;
    fetched[slot_of(ep, &is_ref)] = 1;
  }
  std::vector<int> readers(num_slots, 0);
  std::vector<int> step_of(plan->has_conditionals ? g.num_nodes() : 0, -1);
  for (int node : order) {
    const NodeInfo& n = g.node(node);
    PlanStep step;
    step.node = node;
    step.kind = KindOf(n.def.op());
    if (step.kind == StepKind::kKernel) {
      StatusOr<std::shared_ptr<OpKernel>> kernel = kernels(node);
      if (!kernel.ok()) return AttachNodeName(kernel.status(), n.def.name());
      step.kernel = kernel->get();
      plan->kernels.push_back(std::move(kernel).value());
    }
    if (plan->has_conditionals) {
      step_of[node] = static_cast<int>(plan->steps.size());
      for (int c : n.control_inputs) step.control_steps.push_back(step_of[c]);
    }
    step.first_input = static_cast<int>(plan->inputs.size());
    step.num_inputs = static_cast<int>(n.inputs.size());
    step.first_output_slot = first_slot[node];
    step.num_outputs = static_cast<int>(n.output_types.size());
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      PlanInput in;
      bool is_ref = false;
      in.slot = slot_of(n.inputs[i], &is_ref);
      const bool allows_uninit = n.op_def->allows_uninitialized_input();
      if (n.input_is_ref[i]) {
        if (!is_ref) {
          return InvalidArgumentError("Tensor " + g.node(n.inputs[i].node).def.name() + ":" +
                                      std::to_string(n.inputs[i].index) +
                                      " is fed, but node '" + n.def.name() +
                                      "' needs it as a reference (a variable) in input " +
                                      std::to_string(i));
        }
        in.mode = InputMode::kRef;
        in.check_initialized = !allows_uninit;
      } else if (is_ref) {
        in.mode = InputMode::kDeref;
        in.check_initialized = true;
      } else {
        in.mode = InputMode::kCopy;
      }
      ++readers[in.slot];
      plan->inputs.push_back(in);
    }
    plan->max_step_inputs = std::max(plan->max_step_inputs, step.num_inputs);
    plan->max_step_outputs = std::max(plan->max_step_outputs, step.num_outputs);
    plan->steps.push_back(std::move(step));
  }
  FuseEmbeddingLookups(g, fetched, &readers, plan.get());
  // The last plain reader of a slot nobody fetches takes its reference.
  std::vector<int> last_reader(num_slots, -1);  // index into plan->inputs
  for (const PlanStep& step : plan->steps) {
    for (int i = 0; i < step.num_inputs; ++i) {
      const PlanInput& in = plan->inputs[step.first_input + i];
      if (in.mode == InputMode::kCopy) last_reader[in.slot] = step.first_input + i;
    }
  }
  for (int slot = 0; slot < num_slots; ++slot) {
    if (last_reader[slot] >= 0 && !fetched[slot]) plan->inputs[last_reader[slot]].mode = InputMode::kMove;
  }
  for (PlanStep& step : plan->steps) {
    for (int k = 0; k < step.num_outputs; ++k) {
      const int slot = step.first_output_slot + k;
      if (readers[slot] == 0 && !fetched[slot]) step.drop_slots.push_back(slot);
    }
  }

  // ---- Fetches.
  for (size_t i = 0; i < fetch_eps.size(); ++i) {
    PlanFetch f;
    bool is_ref = false;
    f.slot = slot_of(fetch_eps[i], &is_ref);
    f.deref = is_ref;
    const std::string& node_name = g.node(fetch_eps[i].node).def.name();
    f.value_name = fetch_eps[i].index == 0 ? node_name
                                           : node_name + ":" + std::to_string(fetch_eps[i].index);
    f.retval_node = "_retval_" + node_name + "_" + std::to_string(fetch_eps[i].index) + "_" +
                    std::to_string(i);
    plan->fetches.push_back(std::move(f));
  }
  return std::shared_ptr<const Plan>(std::move(plan));
}

}  // namespace tf1hub
