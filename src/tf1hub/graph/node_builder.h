// NodeBuilder: how op constructors add a node. It collects inputs (one
// entry per OpDef input arg) and attrs, infers type and length attrs from
// the inputs as TensorFlow's op_def_library does (T from the first input of
// a type_attr arg, N from a list's length, list(type) attrs from the list),
// names the node from the Scope, applies the Scope's control dependencies,
// device and colocation (plus, as TF does, colocation with the producers of
// ref inputs), and adds the node through Graph::AddNode (which checks it
// against the OpDef).
//
//   Output MatMul(const Scope& scope, const Output& a, const Output& b) {
//     return NodeBuilder(scope, "MatMul").Input(a).Input(b).FinalizeOutput();
//   }
//
// Errors go to the Scope's sticky status; the Finalize* calls then return
// empty handles. If the Scope already holds an error nothing is built.
//
// Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_NODE_BUILDER_H_
#define TF1HUB_GRAPH_NODE_BUILDER_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/proto/attr_value.pb.h"
#include "tf1hub/proto/node_def.pb.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

class NodeBuilder {
 public:
  NodeBuilder(const Scope& scope, std::string_view op_type);

  // The next input arg: a single tensor, or the list of a number_attr /
  // type_list_attr arg.
  NodeBuilder& Input(const Output& input);
  NodeBuilder& InputList(std::span<const Output> inputs);

  NodeBuilder& Attr(std::string_view name, tensorflow::AttrValue value);
  NodeBuilder& Attr(std::string_view name, bool value);
  NodeBuilder& Attr(std::string_view name, int64_t value);
  NodeBuilder& Attr(std::string_view name, int value) { return Attr(name, int64_t{value}); }
  NodeBuilder& Attr(std::string_view name, float value);
  NodeBuilder& Attr(std::string_view name, DataType value);
  NodeBuilder& Attr(std::string_view name, std::string_view value);
  NodeBuilder& Attr(std::string_view name, const char* value) {
    return Attr(name, std::string_view(value));
  }
  NodeBuilder& Attr(std::string_view name, const PartialTensorShape& value);
  NodeBuilder& Attr(std::string_view name, std::span<const int64_t> value);
  NodeBuilder& Attr(std::string_view name, std::span<const DataType> value);

  // An extra control input besides the Scope's.
  NodeBuilder& ControlInput(const Operation& op);

  // Adds the node; an empty Operation on error.
  Operation Finalize();
  // Finalize() and output 0 (empty on error).
  Output FinalizeOutput();
  // Finalize() and every output (empty vector on error).
  std::vector<Output> FinalizeOutputs();

 private:
  Status Build(tensorflow::NodeDef* node, std::vector<int64_t>* frames);

  Scope scope_;
  std::string op_type_;
  std::vector<std::vector<Output>> arg_inputs_;
  std::vector<bool> arg_is_list_;
  tensorflow::NodeDef node_;
  std::vector<Operation> extra_controls_;
};

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_NODE_BUILDER_H_
