// GraphState: the checked, indexed form of a session's GraphDef that plans
// are compiled from (internal to the runtime).
//
// Building it does what TensorFlow does when a session gets a graph: every
// node's op must be known (OpRegistry), default attrs are filled in, attrs
// validated, the node's input/output dtypes computed, and every input must
// name an existing node output of a matching dtype. Extending it (Session::
// Extend) adds nodes and returns a new state; states are immutable, so runs
// keep using the state they started with.
//
// Thread safety: immutable after Create/Extend.
#ifndef TF1HUB_RUNTIME_GRAPH_STATE_H_
#define TF1HUB_RUNTIME_GRAPH_STATE_H_

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/proto/graph.pb.h"
#include "tf1hub/proto/node_def.pb.h"
#include "tf1hub/proto/op_def.pb.h"
#include "tf1hub/status.h"

namespace tf1hub {

// One end of a data edge: output `index` of node `node` (an index into
// GraphState::nodes()).
struct Endpoint {
  int node = -1;
  int index = 0;
  friend bool operator==(const Endpoint& a, const Endpoint& b) {
    return a.node == b.node && a.index == b.index;
  }
};

struct NodeInfo {
  tensorflow::NodeDef def;  // default attrs filled in
  const tensorflow::OpDef* op_def = nullptr;
  std::vector<DataType> input_types, output_types;  // base types
  std::vector<bool> input_is_ref, output_is_ref;
  std::vector<Endpoint> inputs;     // data inputs, in slot order
  std::vector<int> control_inputs;  // node indices
};

// Parses "node", "node:3" into (name, index); InvalidArgument for "", "a:",
// "a:x", "^a" and negative or huge indices. `what` names the string's role
// in messages ("fetch", "feed", "input 2 of node 'x'").
struct TensorId {
  std::string node;
  int index = 0;
  std::string ToString() const { return node + ":" + std::to_string(index); }
};
StatusOr<TensorId> ParseTensorName(std::string_view name, std::string_view what);

class GraphState {
 public:
  // Takes the nodes of `graph` (pass an rvalue to avoid copying them).
  static StatusOr<std::shared_ptr<const GraphState>> Create(tensorflow::GraphDef graph);
  // A new state with `graph`'s nodes added (names must be new).
  StatusOr<std::shared_ptr<const GraphState>> Extend(tensorflow::GraphDef graph) const;

  int num_nodes() const { return static_cast<int>(nodes_.size()); }
  const NodeInfo& node(int i) const { return *nodes_[i]; }
  // Index of the node named `name`, or -1.
  int FindNode(std::string_view name) const;

  // The endpoint of tensor name `name` ("x", "x:1"); NotFound in Python's
  // words if the node or output does not exist.
  StatusOr<Endpoint> ResolveTensor(std::string_view name) const;

 private:
  GraphState() = default;
  // Adds and checks graph's nodes; nodes already present were checked.
  Status AddNodes(tensorflow::GraphDef* graph);

  // Shared between states (Extend copies pointers, not nodes).
  std::vector<std::shared_ptr<const NodeInfo>> nodes_;
  std::unordered_map<std::string, int> by_name_;
};

}  // namespace tf1hub

#endif  // TF1HUB_RUNTIME_GRAPH_STATE_H_
