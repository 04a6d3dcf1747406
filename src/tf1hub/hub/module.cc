// Module creation and queries (hub.Module.__init__ and its properties).
#include "tf1hub/hub/module.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tf1hub/graph/op_registry.h"
#include "tf1hub/hub/module_impl.h"

namespace tf1hub::hub {
namespace {

// register_ops_if_needed: every op the module lists must be known.
Status CheckOpsRegistered(const tensorflow::MetaGraphDef& meta_graph) {
  std::vector<std::string> missing;
  for (const tensorflow::OpDef& op : meta_graph.meta_info_def().stripped_op_list().op()) {
    if (OpRegistry::Global().Lookup(op.name()) == nullptr) missing.push_back(op.name());
  }
  if (missing.empty()) return Status::OK();
  std::sort(missing.begin(), missing.end());
  std::string set = "{";
  for (size_t i = 0; i < missing.size(); ++i) set += (i > 0 ? ", '" : "'") + missing[i] + "'";
  set += "}";
  return NotFoundError("Graph ops missing from the python registry (" + set +
                       ") are also absent from the c++ registry.");
}

}  // namespace

Module::Module(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Module::~Module() = default;

StatusOr<std::unique_ptr<Module>> Module::Create(const Scope& scope,
                                                 std::shared_ptr<const ModuleSpec> spec,
                                                 const ModuleOptions& options) {
  if (!scope.ok()) return scope.status();
  if (spec == nullptr) return InvalidArgumentError("Module::Create: the spec is null");
  auto impl = std::make_unique<Impl>();
  impl->graph = scope.graph();
  impl->spec = std::move(spec);
  impl->trainable = options.trainable;
  impl->tags = options.tags;
  ASSIGN_OR_RETURN(impl->meta_graph, impl->spec->GetMetaGraph(options.tags));
  RETURN_IF_ERROR(CheckOpsRegistered(*impl->meta_graph));
  RETURN_IF_ERROR(CreateStateGraph(scope, options.name, impl.get()));
  if (!impl->variables.empty() && !impl->spec->checkpoint_path().empty()) {
    // hub runs init_from_checkpoint in the name scope of the state scope's
    // parent (the caller's variable scope).
    const size_t slash = impl->scope_name.rfind('/');
    const std::string parent =
        slash == std::string::npos ? "" : impl->scope_name.substr(0, slash) + "/";
    Scope init_scope = scope.WithNoControlDependencies().NewSubScope(parent);
    RETURN_IF_ERROR_WITH_CONTEXT(
        InitFromCheckpoint(init_scope, impl->spec->checkpoint_path(), impl->variables),
        "restoring the variables of module '" + impl->scope_name + "'");
  }
  return std::unique_ptr<Module>(new Module(std::move(impl)));
}

const std::map<std::string, std::vector<Variable>>& Module::variable_map() const {
  return impl_->variable_map;
}

std::vector<Variable> Module::variables() const {
  std::vector<Variable> out;
  for (const auto& [key, parts] : impl_->variable_map) {
    out.insert(out.end(), parts.begin(), parts.end());
  }
  return out;
}

const std::string& Module::scope_name() const { return impl_->scope_name; }
const ModuleSpec& Module::spec() const { return *impl_->spec; }
const TagSet& Module::tags() const { return impl_->tags; }

StatusOr<std::vector<std::string>> Module::GetSignatureNames() const {
  return impl_->spec->GetSignatureNames(impl_->tags);
}

StatusOr<std::map<std::string, ParsedTensorInfo>> Module::GetInputInfoDict(
    std::string_view signature) const {
  return impl_->spec->GetInputInfoDict(signature, impl_->tags);
}

StatusOr<std::map<std::string, ParsedTensorInfo>> Module::GetOutputInfoDict(
    std::string_view signature) const {
  return impl_->spec->GetOutputInfoDict(signature, impl_->tags);
}

}  // namespace tf1hub::hub
