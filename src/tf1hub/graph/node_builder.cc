#include "tf1hub/graph/node_builder.h"

#include <algorithm>
#include <set>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/op_registry.h"
#include "tf1hub/graph/tensor_proto.h"

namespace tf1hub {

NodeBuilder::NodeBuilder(const Scope& scope, std::string_view op_type)
    : scope_(scope), op_type_(op_type) {
  node_.set_op(std::string(op_type));
}

NodeBuilder& NodeBuilder::Input(const Output& input) {
  arg_inputs_.push_back({input});
  arg_is_list_.push_back(false);
  return *this;
}

NodeBuilder& NodeBuilder::InputList(std::span<const Output> inputs) {
  arg_inputs_.emplace_back(inputs.begin(), inputs.end());
  arg_is_list_.push_back(true);
  return *this;
}

NodeBuilder& NodeBuilder::Attr(std::string_view name, tensorflow::AttrValue value) {
  (*node_.mutable_attr())[std::string(name)] = std::move(value);
  return *this;
}
NodeBuilder& NodeBuilder::Attr(std::string_view name, bool value) {
  return Attr(name, AttrBool(value));
}
NodeBuilder& NodeBuilder::Attr(std::string_view name, int64_t value) {
  return Attr(name, AttrInt(value));
}
NodeBuilder& NodeBuilder::Attr(std::string_view name, float value) {
  return Attr(name, AttrFloat(value));
}
NodeBuilder& NodeBuilder::Attr(std::string_view name, DataType value) {
  return Attr(name, AttrType(ToProtoDataType(value)));
}
NodeBuilder& NodeBuilder::Attr(std::string_view name, std::string_view value) {
  return Attr(name, AttrString(value));
}
NodeBuilder& NodeBuilder::Attr(std::string_view name, const PartialTensorShape& value) {
  return Attr(name, AttrShape(value));
}
NodeBuilder& NodeBuilder::Attr(std::string_view name, std::span<const int64_t> value) {
  return Attr(name, AttrIntList(value));
}
NodeBuilder& NodeBuilder::Attr(std::string_view name, std::span<const DataType> value) {
  std::vector<tensorflow::DataType> types;
  for (DataType t : value) types.push_back(ToProtoDataType(t));
  return Attr(name, AttrTypeList(types));
}

NodeBuilder& NodeBuilder::ControlInput(const Operation& op) {
  extra_controls_.push_back(op);
  return *this;
}

Status NodeBuilder::Build(tensorflow::NodeDef* node, std::vector<int64_t>* frames) {
  Graph* graph = scope_.graph();
  const tensorflow::OpDef* op_def = OpRegistry::Global().Lookup(op_type_);
  if (op_def == nullptr) return NotFoundError("Op type not registered '" + op_type_ + "'");
  const std::string where = "[" + op_type_ + "] ";
  if (static_cast<int>(arg_inputs_.size()) != op_def->input_arg_size()) {
    return InternalError(where + "built with " + std::to_string(arg_inputs_.size()) +
                         " input args, the OpDef has " + std::to_string(op_def->input_arg_size()));
  }
  auto* attrs = node_.mutable_attr();
  std::set<std::string> input_ops;
  // TF's op_def_library colocates an op with the producers of its ref inputs
  // (which also drops the device scope).
  Scope placement = scope_;
  for (int a = 0; a < op_def->input_arg_size(); ++a) {
    const tensorflow::OpDef::ArgDef& arg = op_def->input_arg(a);
    const bool wants_list = !arg.number_attr().empty() || !arg.type_list_attr().empty();
    if (wants_list != arg_is_list_[a]) {
      return InternalError(where + "input '" + arg.name() + "' given as " +
                           (arg_is_list_[a] ? "a list" : "a single tensor"));
    }
    std::vector<tensorflow::DataType> types;
    for (const Output& in : arg_inputs_[a]) {
      if (in.empty()) {
        return InvalidArgumentError(where + "input '" + arg.name() + "' is an empty Output");
      }
      StatusOr<DataType> t = graph->OutputType(in);
      if (!t.ok()) return t.status().WithContext(where + "input '" + arg.name() + "'");
      types.push_back(ToProtoDataType(*t));
      input_ops.insert(in.node);
      node_.add_input(in.InputString());
      if (arg.is_ref()) placement = placement.ColocateWith(in.op());
    }
    if (!arg.number_attr().empty() && attrs->count(arg.number_attr()) == 0) {
      (*attrs)[arg.number_attr()] = AttrInt(static_cast<int64_t>(types.size()));
    }
    if (!arg.type_list_attr().empty() && attrs->count(arg.type_list_attr()) == 0) {
      (*attrs)[arg.type_list_attr()] = AttrTypeList(types);
    }
    if (!arg.type_attr().empty() && attrs->count(arg.type_attr()) == 0) {
      if (types.empty()) {
        return InvalidArgumentError(where + "cannot infer attr '" + arg.type_attr() +
                                    "' from the empty list '" + arg.name() + "'");
      }
      (*attrs)[arg.type_attr()] = AttrType(types[0]);
    }
  }

  node_.set_name(scope_.GetUniqueNameForOp(op_type_));
  // Control dependencies: TF skips a frame when a data input was created in
  // that frame, and never adds an op that is already a data input.
  std::set<std::string> controls;
  for (const Scope::ControlFrame& frame : scope_.control_frames()) {
    frames->push_back(frame.id);
    bool dominated = false;
    for (const std::string& op : input_ops) {
      const Graph::NodeInfo* info = graph->FindInfo(op);
      if (info != nullptr && std::find(info->control_frames.begin(), info->control_frames.end(),
                                       frame.id) != info->control_frames.end()) {
        dominated = true;
        break;
      }
    }
    if (dominated) continue;
    for (const Operation& c : frame.ops) {
      if (input_ops.count(c.name) == 0) controls.insert(c.name);
    }
  }
  for (const Operation& c : extra_controls_) {
    if (c.empty()) return InvalidArgumentError(where + "empty control input");
    controls.insert(c.name);
  }
  for (const std::string& c : controls) node_.add_input("^" + c);

  node_.set_device(placement.EffectiveDevice());
  if (!placement.colocation_groups().empty()) {
    (*attrs)["_class"] = AttrStringList(placement.colocation_groups());
  }
  *node = node_;
  return Status::OK();
}

Operation NodeBuilder::Finalize() {
  if (!scope_.ok()) return Operation{};
  tensorflow::NodeDef node;
  std::vector<int64_t> frames;
  Status s = Build(&node, &frames);
  if (s.ok()) s = scope_.graph()->AddNode(node);
  if (!s.ok()) {
    const std::string name = node.name().empty() ? op_type_ : node.name();
    scope_.UpdateStatus(s.WithContext("adding node '" + name + "' (op " + op_type_ + ")"));
    return Operation{};
  }
  Graph* graph = scope_.graph();
  graph->info_[graph->index_.find(node.name())->second].control_frames = std::move(frames);
  return Operation{node.name()};
}

Output NodeBuilder::FinalizeOutput() {
  Operation op = Finalize();
  if (op.empty()) return Output{};
  return op.output(0);
}

std::vector<Output> NodeBuilder::FinalizeOutputs() {
  Operation op = Finalize();
  if (op.empty()) return {};
  StatusOr<int> n = scope_.graph()->NumOutputs(op.name);
  std::vector<Output> outputs;
  for (int i = 0; i < (n.ok() ? *n : 0); ++i) outputs.push_back(op.output(i));
  return outputs;
}

}  // namespace tf1hub
