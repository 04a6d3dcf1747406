#include "tf1hub/graph/op_registry.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>

#include "tf1hub/graph/attr_util.h"

namespace tf1hub {

// Defined in the .cc file the build generates from op_defs.pbtxt
// (embed_op_defs.cc): the OpList's binary serialization.
extern const unsigned char kEmbeddedOpDefs[];
extern const std::size_t kEmbeddedOpDefsSize;

namespace {

// Keeps the first text-format error instead of letting protobuf log it.
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (error_.empty()) {
      error_ = "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) +
               ": " + message;
    }
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

std::string NodeContext(const tensorflow::NodeDef& node, const tensorflow::OpDef& op_def) {
  return "node '" + node.name() + "' (op '" + op_def.name() + "')";
}

}  // namespace

StatusOr<std::unique_ptr<OpRegistry>> OpRegistry::FromText(std::string_view text) {
  std::unique_ptr<OpRegistry> registry(new OpRegistry());
  google::protobuf::TextFormat::Parser parser;
  FirstErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &registry->ops_)) {
    return InvalidArgumentError("op registry: the OpList text does not parse: " + errors.error());
  }
  RETURN_IF_ERROR(registry->Index());
  return registry;
}

StatusOr<std::unique_ptr<OpRegistry>> OpRegistry::FromBinary(std::string_view bytes) {
  std::unique_ptr<OpRegistry> registry(new OpRegistry());
  if (!registry->ops_.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return InvalidArgumentError("op registry: the OpList bytes do not parse");
  }
  RETURN_IF_ERROR(registry->Index());
  return registry;
}

Status OpRegistry::Index() {
  for (const tensorflow::OpDef& op : ops_.op()) {
    if (op.name().empty()) return InvalidArgumentError("op registry: an OpDef has no name");
    if (!by_name_.emplace(op.name(), &op).second) {
      return InvalidArgumentError("op registry: op '" + op.name() + "' is defined twice");
    }
  }
  return Status::OK();
}

const OpRegistry& OpRegistry::Global() {
  static const OpRegistry* const registry = [] {
    StatusOr<std::unique_ptr<OpRegistry>> parsed = FromBinary(std::string_view(
        reinterpret_cast<const char*>(kEmbeddedOpDefs), kEmbeddedOpDefsSize));
    if (!parsed.ok()) {
      std::fprintf(stderr, "tf1hub: embedded op_defs.pbtxt is broken: %s\n",
                   parsed.status().ToString().c_str());
      return new OpRegistry();
    }
    return std::move(parsed).value().release();
  }();
  return *registry;
}

const tensorflow::OpDef* OpRegistry::Lookup(std::string_view op) const {
  auto it = by_name_.find(op);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<std::string> OpRegistry::OpNames() const {
  std::vector<std::string> names;
  names.reserve(by_name_.size());
  for (const auto& [name, op] : by_name_) names.push_back(name);
  return names;
}

bool AttrValuesEqual(const tensorflow::AttrValue& a, const tensorflow::AttrValue& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

Status AddDefaultAttrs(const tensorflow::OpDef& op_def, tensorflow::NodeDef* node) {
  auto* attrs = node->mutable_attr();
  for (const tensorflow::OpDef::AttrDef& attr : op_def.attr()) {
    if (!attr.has_default_value()) continue;
    if (attrs->find(attr.name()) == attrs->end()) (*attrs)[attr.name()] = attr.default_value();
  }
  return Status::OK();
}

Status StripDefaultAttrs(const tensorflow::OpDef& op_def, tensorflow::NodeDef* node) {
  auto* attrs = node->mutable_attr();
  for (const tensorflow::OpDef::AttrDef& attr : op_def.attr()) {
    if (!attr.has_default_value()) continue;
    auto it = attrs->find(attr.name());
    if (it != attrs->end() && AttrValuesEqual(it->second, attr.default_value())) attrs->erase(it);
  }
  return Status::OK();
}

namespace {

// Appends the dtypes one arg stands for.
Status ExpandArg(const tensorflow::NodeDef& node, const tensorflow::OpDef& op_def,
                 const tensorflow::OpDef::ArgDef& arg, std::vector<tensorflow::DataType>* types,
                 std::vector<bool>* is_ref) {
  const std::string where = NodeContext(node, op_def) + ", arg '" + arg.name() + "'";
  auto find_attr = [&](const std::string& name) -> const tensorflow::AttrValue* {
    auto it = node.attr().find(name);
    return it == node.attr().end() ? nullptr : &it->second;
  };
  auto single_type = [&](tensorflow::DataType* out) -> Status {
    if (!arg.type_attr().empty()) {
      const tensorflow::AttrValue* v = find_attr(arg.type_attr());
      if (v == nullptr) return InvalidArgumentError(where + ": missing attr '" + arg.type_attr() + "'");
      if (v->value_case() != tensorflow::AttrValue::kType) {
        return InvalidArgumentError(where + ": attr '" + arg.type_attr() + "' is not a type");
      }
      *out = v->type();
    } else {
      *out = arg.type();
    }
    if (!IsValidNonRefType(*out)) {
      return InvalidArgumentError(where + ": invalid dtype " + std::to_string(*out));
    }
    return Status::OK();
  };

  if (!arg.number_attr().empty()) {
    const tensorflow::AttrValue* n = find_attr(arg.number_attr());
    if (n == nullptr) return InvalidArgumentError(where + ": missing attr '" + arg.number_attr() + "'");
    if (n->value_case() != tensorflow::AttrValue::kI) {
      return InvalidArgumentError(where + ": attr '" + arg.number_attr() + "' is not an int");
    }
    if (n->i() < 0 || n->i() > kMaxArgRepeat) {
      return InvalidArgumentError(where + ": attr '" + arg.number_attr() + "' = " +
                                  std::to_string(n->i()) + " is out of range [0, " +
                                  std::to_string(kMaxArgRepeat) + "]");
    }
    tensorflow::DataType dtype;
    RETURN_IF_ERROR(single_type(&dtype));
    types->insert(types->end(), static_cast<size_t>(n->i()), dtype);
    is_ref->insert(is_ref->end(), static_cast<size_t>(n->i()), arg.is_ref());
    return Status::OK();
  }
  if (!arg.type_list_attr().empty()) {
    const tensorflow::AttrValue* v = find_attr(arg.type_list_attr());
    if (v == nullptr) {
      return InvalidArgumentError(where + ": missing attr '" + arg.type_list_attr() + "'");
    }
    if (v->value_case() != tensorflow::AttrValue::kList) {
      return InvalidArgumentError(where + ": attr '" + arg.type_list_attr() +
                                  "' is not a list(type)");
    }
    for (int t : v->list().type()) {
      if (!IsValidNonRefType(t)) {
        return InvalidArgumentError(where + ": invalid dtype " + std::to_string(t) + " in attr '" +
                                    arg.type_list_attr() + "'");
      }
      types->push_back(static_cast<tensorflow::DataType>(t));
      is_ref->push_back(arg.is_ref());
    }
    return Status::OK();
  }
  tensorflow::DataType dtype;
  RETURN_IF_ERROR(single_type(&dtype));
  types->push_back(dtype);
  is_ref->push_back(arg.is_ref());
  return Status::OK();
}

}  // namespace

StatusOr<NodeSignature> ComputeNodeSignature(const tensorflow::NodeDef& node,
                                             const tensorflow::OpDef& op_def) {
  NodeSignature sig;
  for (const auto& arg : op_def.input_arg()) {
    RETURN_IF_ERROR(ExpandArg(node, op_def, arg, &sig.inputs, &sig.input_is_ref));
  }
  for (const auto& arg : op_def.output_arg()) {
    RETURN_IF_ERROR(ExpandArg(node, op_def, arg, &sig.outputs, &sig.output_is_ref));
  }
  return sig;
}

Status ValidateNodeAttrs(const tensorflow::NodeDef& node, const tensorflow::OpDef& op_def) {
  const std::string where = NodeContext(node, op_def);
  for (const auto& [name, value] : node.attr()) {
    if (name.empty()) return InvalidArgumentError(where + ": attr with an empty name");
    if (name[0] == '_') continue;
    bool known = std::any_of(op_def.attr().begin(), op_def.attr().end(),
                             [&](const auto& a) { return a.name() == name; });
    if (!known) return InvalidArgumentError(where + ": attr '" + name + "' is not in the OpDef");
  }
  for (const tensorflow::OpDef::AttrDef& attr : op_def.attr()) {
    auto it = node.attr().find(attr.name());
    if (it == node.attr().end()) {
      return InvalidArgumentError(where + ": missing attr '" + attr.name() + "' (type " +
                                  attr.type() + ")");
    }
    RETURN_IF_ERROR_WITH_CONTEXT(ValidateAttrValue(it->second, attr),
                                 where + ", attr '" + attr.name() + "'");
  }
  return Status::OK();
}

}  // namespace tf1hub
