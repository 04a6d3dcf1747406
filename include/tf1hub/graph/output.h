// Operation and Output: handles to a node of a Graph and to one of its
// output tensors, by name (like tf.Operation and tf.Tensor in a TF1 graph).
//
// An Output renders the way TensorFlow spells tensors:
//   Output{"dense/MatMul", 0}.ToString()    == "dense/MatMul:0"  (TensorInfo, feeds)
//   Output{"dense/MatMul", 0}.InputString() == "dense/MatMul"    (NodeDef.input)
//   Output{"split", 1}.InputString()        == "split:1"
// An Operation renders as its name, and as "^name" when used as a control
// input. Op constructors return an empty handle (empty name) when their
// Scope is in an error state.
//
//   Output w = ops::Const(scope, 1.0f);
//   Operation init = ops::NoOp(scope.WithControlDependencies({w.op()}));
//
// Thread safety: plain values.
#ifndef TF1HUB_GRAPH_OUTPUT_H_
#define TF1HUB_GRAPH_OUTPUT_H_

#include <compare>
#include <string>
#include <string_view>

#include "tf1hub/status.h"

namespace tf1hub {

struct Output;

// A node of a Graph, by name.
struct Operation {
  std::string name;

  bool empty() const { return name.empty(); }
  // Output `index` of this node.
  Output output(int index = 0) const;
  // "^name", the control-input spelling.
  std::string ControlInputString() const { return "^" + name; }

  friend auto operator<=>(const Operation&, const Operation&) = default;
};

// Output `index` of the node `node`.
struct Output {
  std::string node;
  int index = 0;

  bool empty() const { return node.empty(); }
  Operation op() const { return Operation{node}; }
  // "node:index" (always with the index), as in TensorInfo.name and feeds.
  std::string ToString() const { return node + ":" + std::to_string(index); }
  // "node" for output 0, else "node:index", as in NodeDef.input.
  std::string InputString() const {
    return index == 0 ? node : node + ":" + std::to_string(index);
  }

  friend auto operator<=>(const Output&, const Output&) = default;
};

inline Output Operation::output(int index) const { return Output{name, index}; }

// Parses "node", "node:N" (N a non-negative decimal without leading zeros)
// into an Output. Control inputs ("^node") and malformed names are
// InvalidArgument.
StatusOr<Output> ParseTensorName(std::string_view name);

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_OUTPUT_H_
