#include "tf1hub/graph/scope.h"

#include <algorithm>
#include <cctype>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/device_spec.h"

namespace tf1hub {
namespace {

// TF's _VALID_SCOPE_NAME_REGEX ([A-Za-z0-9_.\\/>-]*) and, at the root,
// _VALID_OP_NAME_REGEX (first character [A-Za-z0-9.]).
bool IsValidScopeName(std::string_view name, bool at_root) {
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter_digit_dot = std::isalnum(static_cast<unsigned char>(c)) || c == '.';
    if (i == 0 && at_root) {
      if (!letter_digit_dot) return false;
      continue;
    }
    if (!letter_digit_dot && c != '_' && c != '\\' && c != '/' && c != '>' && c != '-') {
      return false;
    }
  }
  return true;
}

// "'name'" (built by appending: GCC 12 warns falsely on "'" + std::string).
std::string Quoted(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('\'');
  out.append(name);
  out.push_back('\'');
  return out;
}

std::string Join(const std::string& scope, std::string_view name) {
  return scope.empty() ? std::string(name) : scope + "/" + std::string(name);
}

}  // namespace

Scope::Scope(std::shared_ptr<Shared> shared, Graph* graph)
    : shared_(std::move(shared)), graph_(graph) {}

Scope Scope::NewRootScope() {
  auto shared = std::make_shared<Shared>();
  shared->owned_graph = std::make_unique<Graph>();
  Graph* graph = shared->owned_graph.get();
  return Scope(std::move(shared), graph);
}

Scope Scope::RootScopeFor(Graph* graph) { return Scope(std::make_shared<Shared>(), graph); }

void Scope::UpdateStatus(const Status& status) const {
  if (!status.ok() && shared_->status.ok()) shared_->status = status;
}

Scope Scope::NewSubScope(std::string_view name) const {
  Scope s = *this;
  s.op_name_.clear();
  if (name.empty()) {
    s.name_scope_.clear();
    return s;
  }
  if (!IsValidScopeName(name, name_scope_.empty())) {
    UpdateStatus(InvalidArgumentError(Quoted(name) + " is not a valid " +
                                      (name_scope_.empty() ? "root " : "") + "scope name"));
    return s;
  }
  if (name.back() == '/') {
    s.name_scope_ = std::string(name.substr(0, name.size() - 1));
  } else {
    s.name_scope_ = graph_->UniqueName(Join(name_scope_, name));
  }
  return s;
}

Scope Scope::WithOpName(std::string_view name) const {
  Scope s = *this;
  if (name.empty() || !IsValidScopeName(name, name_scope_.empty())) {
    UpdateStatus(InvalidArgumentError(Quoted(name) + " is not a valid op name"));
    return s;
  }
  s.op_name_ = std::string(name);
  return s;
}

std::string Scope::GetUniqueNameForOp(std::string_view default_name) const {
  if (!op_name_.empty() && op_name_.back() == '/') {
    // TF: a name ending in "/" is taken exactly (Graph.create_op strips it).
    return op_name_.substr(0, op_name_.size() - 1);
  }
  return graph_->UniqueName(Join(name_scope_, op_name_.empty() ? default_name : op_name_));
}

std::string Scope::UniqueName(std::string_view name, bool mark_as_used) const {
  return graph_->UniqueName(Join(name_scope_, name), mark_as_used);
}

Scope Scope::WithVariableScope(std::string_view variable_scope) const {
  Scope s = *this;
  s.variable_scope_ = std::string(variable_scope);
  while (!s.variable_scope_.empty() && s.variable_scope_.back() == '/') s.variable_scope_.pop_back();
  return s;
}

Scope Scope::WithControlDependencies(std::span<const Operation> ops) const {
  Scope s = *this;
  ControlFrame frame{graph_->NewControlFrame(), {}};
  for (const Operation& op : ops) {
    if (op.empty()) continue;  // from a failed constructor; the error is already recorded
    if (graph_->FindNode(op.name) == nullptr) {
      UpdateStatus(NotFoundError("control dependency on unknown node '" + op.name + "'"));
      return s;
    }
    frame.ops.push_back(op);
  }
  s.control_frames_.push_back(std::move(frame));
  return s;
}

Scope Scope::WithNoControlDependencies() const {
  Scope s = *this;
  s.control_frames_.clear();
  return s;
}

Scope Scope::WithDevice(std::string_view device) const {
  Scope s = *this;
  if (device.empty()) return s;
  StatusOr<DeviceSpec> current = DeviceSpec::Parse(device_);
  StatusOr<DeviceSpec> added = DeviceSpec::Parse(device);
  if (!added.ok()) {
    UpdateStatus(added.status());
    return s;
  }
  DeviceSpec merged = current.ok() ? *current : DeviceSpec();
  merged.MergeFrom(*added);
  s.device_ = merged.ToString();
  return s;
}

Scope Scope::WithNoDevice() const {
  Scope s = *this;
  s.device_.clear();
  return s;
}

Scope Scope::ColocateWith(const Operation& op) const {
  Scope s = *this;
  if (op.empty()) return s;
  const tensorflow::NodeDef* node = graph_->FindNode(op.name);
  if (node == nullptr) {
    UpdateStatus(NotFoundError("colocation with unknown node '" + op.name + "'"));
    return s;
  }
  std::vector<std::string> groups;
  if (const tensorflow::AttrValue* cls = FindAttr(*node, "_class")) {
    for (const std::string& g : cls->list().s()) {
      if (g.starts_with("loc:@")) groups.push_back(g);
    }
  }
  if (groups.empty()) groups.push_back("loc:@" + node->name());
  s.colocation_groups_.insert(s.colocation_groups_.end(), groups.begin(), groups.end());
  std::sort(s.colocation_groups_.begin(), s.colocation_groups_.end());
  s.colocation_groups_.erase(std::unique(s.colocation_groups_.begin(), s.colocation_groups_.end()),
                             s.colocation_groups_.end());
  // TF clears the device scope inside colocate_with; the newest colocation
  // target with a device decides the device.
  s.device_.clear();
  if (!node->device().empty()) s.colocation_device_ = node->device();
  return s;
}

Scope Scope::ClearColocation() const {
  Scope s = *this;
  s.colocation_groups_.clear();
  s.colocation_device_.clear();
  return s;
}

StatusOr<tensorflow::GraphDef> Scope::ToGraphDef(const GraphDefOptions& options) const {
  if (!ok()) return status();
  return graph_->ToGraphDef(options);
}

}  // namespace tf1hub
