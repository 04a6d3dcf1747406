// OpRegistry: the OpDefs (op schemas) tf1hub knows, and the NodeDef checks
// that follow from them (internal API of the graph layer, also used by the
// runtime and kernels).
//
// The OpDefs are facts from TensorFlow 2.15: scripts/gen_op_defs.py writes
// them into op_defs.pbtxt (descriptions stripped), which the build embeds
// as the OpList's binary serialization (embed_op_defs.cc); the global
// registry parses it once, on first use.
//
//   const tensorflow::OpDef* op_def = OpRegistry::Global().Lookup("MatMul");
//   if (op_def == nullptr) return NotFoundError("unknown op 'MatMul'");
//   RETURN_IF_ERROR(AddDefaultAttrs(*op_def, &node));
//   RETURN_IF_ERROR(ValidateNodeAttrs(node, *op_def));
//   ASSIGN_OR_RETURN(NodeSignature sig, ComputeNodeSignature(node, *op_def));
//
// Thread safety: the registry is immutable after construction; Global() is
// safe to call from any thread (a function-local static). The free functions
// are pure apart from the NodeDef they are given.
#ifndef TF1HUB_GRAPH_OP_REGISTRY_H_
#define TF1HUB_GRAPH_OP_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/proto/node_def.pb.h"
#include "tf1hub/proto/op_def.pb.h"
#include "tf1hub/status.h"

namespace tf1hub {

class OpRegistry {
 public:
  // The registry of the embedded op_defs.pbtxt. If that text failed to parse
  // (a build defect, caught by op_registry_test) the registry is empty.
  static const OpRegistry& Global();

  // Parses an OpList in protobuf text format (for tests and tools), or its
  // binary serialization. Fails on syntax errors, unnamed ops and duplicate
  // names.
  static StatusOr<std::unique_ptr<OpRegistry>> FromText(std::string_view text);
  static StatusOr<std::unique_ptr<OpRegistry>> FromBinary(std::string_view bytes);

  // The OpDef named `op`, or nullptr if unknown.
  const tensorflow::OpDef* Lookup(std::string_view op) const;

  // All op names, sorted.
  std::vector<std::string> OpNames() const;

  int size() const { return static_cast<int>(by_name_.size()); }

  OpRegistry(const OpRegistry&) = delete;
  OpRegistry& operator=(const OpRegistry&) = delete;

 private:
  OpRegistry() = default;
  // Fills by_name_ from ops_, checking names.
  Status Index();

  tensorflow::OpList ops_;
  std::map<std::string, const tensorflow::OpDef*, std::less<>> by_name_;
};

// Adds every attr of `op_def` that has a default value and is missing from
// `node` (what TensorFlow's importer does before validating).
Status AddDefaultAttrs(const tensorflow::OpDef& op_def, tensorflow::NodeDef* node);

// Removes every attr of `node` whose value equals the OpDef's default (what
// export_meta_graph(strip_default_attrs=True) does). Attrs the OpDef does not
// know, and underscore attrs, are kept.
Status StripDefaultAttrs(const tensorflow::OpDef& op_def, tensorflow::NodeDef* node);

// The per-slot dtypes of a node's inputs and outputs: number_attr args are
// repeated N times, type_list_attr args expand to their list, type_attr args
// take the attr's type, fixed-type args their type. Dtypes are the base types
// (never *_REF); ref args are flagged in input_is_ref / output_is_ref.
struct NodeSignature {
  std::vector<tensorflow::DataType> inputs, outputs;
  std::vector<bool> input_is_ref, output_is_ref;
};

// Needs the attrs the args refer to (call AddDefaultAttrs first for imported
// nodes). Fails with InvalidArgument naming the node, op and attr.
StatusOr<NodeSignature> ComputeNodeSignature(const tensorflow::NodeDef& node,
                                             const tensorflow::OpDef& op_def);

// Checks the node's attrs against the OpDef: every OpDef attr present, every
// non-underscore attr known, values of the declared type, within
// allowed_values, and at least `minimum` (ints) or `minimum` long (lists).
Status ValidateNodeAttrs(const tensorflow::NodeDef& node, const tensorflow::OpDef& op_def);

// True if two AttrValues are equal in the sense TF uses for defaults
// (same oneof case and same value; lists compared element-wise).
bool AttrValuesEqual(const tensorflow::AttrValue& a, const tensorflow::AttrValue& b);

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_OP_REGISTRY_H_
