// The state graph of a Module: scope selection, import of the variant's
// graph under it, the state map and the variable map (native_module.py's
// _create_state_graph and recover_partitioned_variable_map).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tf1hub/graph/meta_graph.h"
#include "tf1hub/graph/op_registry.h"
#include "tf1hub/hub/module_impl.h"

namespace tf1hub::hub {
namespace {

// TF counts variable scopes in a store we do not have; a scope counts as
// used here when the graph has nodes under it (every hub module and layer
// leaves some), which gives the same `module`, `module_1`, ... sequence.
bool ScopeHasNodes(const Graph& graph, const std::string& scope) {
  const std::string prefix = scope + "/";
  for (const tensorflow::NodeDef& node : graph.graph_def().node()) {
    if (node.name().starts_with(prefix)) return true;
  }
  return false;
}

StatusOr<std::string> ChooseStateScope(const Scope& scope, const std::string& name) {
  if (name.empty() || !IsValidNodeName(name) || name.find('/') != std::string::npos) {
    return InvalidArgumentError("Module name '" + name + "' is not a valid scope name");
  }
  const std::string& parent = scope.variable_scope();
  auto absolute = [&](const std::string& relative) {
    return parent.empty() ? relative : parent + "/" + relative;
  };
  std::string relative = name;
  for (int i = 1; ScopeHasNodes(*scope.graph(), absolute(relative)); ++i) {
    relative = name + "_" + std::to_string(i);
  }
  const std::string chosen = absolute(relative);
  if (scope.graph()->IsNameUsed(chosen)) {
    return FailedPreconditionError("variable_scope " + chosen +
                                   "/ was unused but the corresponding name_scope was already "
                                   "taken.");
  }
  return chosen;
}

bool KeepForState(const std::string& key, bool trainable) {
  static const std::set<std::string> kAlways = {
      graph_keys::kGlobalVariables,   graph_keys::kModelVariables, graph_keys::kTableInitializers,
      graph_keys::kAssetFilepaths,    graph_keys::kCondContext,    graph_keys::kWhileContext};
  if (kAlways.count(key) > 0) return true;
  return trainable && (key == graph_keys::kTrainableVariables ||
                       key == graph_keys::kRegularizationLosses);
}

// recover_partitioned_variable_map: "x/part_N" entries with save_slice_info
// become one key "x" whose parts are ordered by their offset in dim 0.
Status GroupVariables(std::vector<std::pair<std::string, ModuleVariable>> found,
                      std::map<std::string, std::vector<ModuleVariable>>* out) {
  std::map<std::string, std::map<int64_t, ModuleVariable>> parts;
  std::set<std::string> single;
  for (auto& [key, var] : found) {
    if (!var.def.has_save_slice_info_def()) {
      if (parts.count(key) > 0 || single.count(key) > 0) {
        return InternalError("Variable " + key +
                             " exists both as a single and partitioned variable.");
      }
      single.insert(key);
      (*out)[key].push_back(std::move(var));
      continue;
    }
    const size_t slash = key.rfind('/');
    const std::string name = slash == std::string::npos ? key : key.substr(0, slash);
    if (!var.def.save_slice_info_def().full_name().ends_with(name)) {
      return InternalError("Unexpected handling of partitioned variable " + key + ".");
    }
    if (single.count(name) > 0) {
      return InternalError("Variable " + name +
                           " exists both as a single and partitioned variable.");
    }
    const auto& offsets = var.def.save_slice_info_def().var_offset();
    const int64_t offset = offsets.empty() ? 0 : offsets[0];
    if (!parts[name].emplace(offset, std::move(var)).second) {
      return InternalError("Variable map contains duplicate offset " + std::to_string(offset) +
                           " for variable [" + name + "]");
    }
  }
  for (auto& [name, by_offset] : parts) {
    std::vector<ModuleVariable>& list = (*out)[name];
    for (auto& [offset, var] : by_offset) list.push_back(std::move(var));
  }
  return Status::OK();
}

}  // namespace

std::vector<std::string> StateOpTypes(const tensorflow::GraphDef& graph_def) {
  std::set<std::string> types;
  for (const tensorflow::NodeDef& node : graph_def.node()) {
    const tensorflow::OpDef* op_def = OpRegistry::Global().Lookup(node.op());
    if (op_def != nullptr && op_def->is_stateful() && op_def->input_arg_size() == 0) {
      types.insert(node.op());
    }
  }
  return {types.begin(), types.end()};
}

Status CreateStateGraph(const Scope& scope, const std::string& requested_name,
                        Module::Impl* impl) {
  ASSIGN_OR_RETURN(impl->scope_name, ChooseStateScope(scope, requested_name));
  impl->name = impl->scope_name.substr(impl->scope_name.rfind('/') + 1);
  // import_meta_graph enters this name scope, which marks it as used.
  impl->graph->UniqueName(impl->scope_name, /*mark_as_used=*/true);

  tensorflow::MetaGraphDef meta_graph = *impl->meta_graph;
  for (tensorflow::NodeDef& node : *meta_graph.mutable_graph_def()->mutable_node()) {
    auto it = node.mutable_attr()->find("shared_name");
    if (it != node.mutable_attr()->end() && it->second.value_case() == tensorflow::AttrValue::kS &&
        !it->second.s().empty()) {
      it->second.set_s(impl->scope_name + "/" + it->second.s());
    }
  }
  MetaGraphImportOptions options;
  options.import_scope = impl->scope_name;
  const bool trainable = impl->trainable;
  options.collection_filter = [trainable](const std::string& key) {
    return KeepForState(key, trainable);
  };
  // State is created under tf.control_dependencies(None).
  ASSIGN_OR_RETURN(MetaGraphImportResults imported,
                   ImportMetaGraph(scope.WithNoControlDependencies(), meta_graph, options));

  const std::vector<std::string> state_types = StateOpTypes(meta_graph.graph_def());
  for (const tensorflow::NodeDef& node : meta_graph.graph_def().node()) {
    if (!std::binary_search(state_types.begin(), state_types.end(), node.op())) continue;
    const std::string& new_name = imported.graph.node_names.at(node.name());
    ASSIGN_OR_RETURN(int num_outputs, impl->graph->NumOutputs(new_name));
    if (num_outputs != 1) {
      return InvalidArgumentError("Stateful op " + node.op() + " has " +
                                  std::to_string(num_outputs) + " outputs, expected 1");
    }
    impl->state_map[node.name() + ":0"] = Output{new_name, 0};
  }

  // Every global variable under the state scope (hub reads
  // tf.global_variables() of the whole graph).
  std::vector<std::pair<std::string, ModuleVariable>> found;
  if (const tensorflow::CollectionDef* vars =
          impl->graph->GetCollection(graph_keys::kGlobalVariables)) {
    const std::string prefix = impl->scope_name + "/";
    for (const std::string& bytes : vars->bytes_list().value()) {
      ModuleVariable mv;
      if (!mv.def.ParseFromString(bytes)) {
        return InvalidArgumentError("collection 'variables' holds a malformed VariableDef");
      }
      ASSIGN_OR_RETURN(Output handle, ParseTensorName(mv.def.variable_name()));
      if (!handle.node.starts_with(prefix)) continue;
      ASSIGN_OR_RETURN(mv.variable, Variable::FromProto(*impl->graph, mv.def));
      found.emplace_back(handle.node.substr(prefix.size()), std::move(mv));
    }
  }
  RETURN_IF_ERROR(GroupVariables(std::move(found), &impl->variables));
  for (const auto& [key, parts] : impl->variables) {
    std::vector<Variable>& list = impl->variable_map[key];
    for (const ModuleVariable& part : parts) list.push_back(part.variable);
  }
  return Status::OK();
}

StatusOr<std::map<std::string, std::vector<ModuleVariable>>> GetModuleVariables(
    const Graph& graph, const Module& module) {
  std::map<std::string, tensorflow::VariableDef> defs;
  if (const tensorflow::CollectionDef* vars = graph.GetCollection(graph_keys::kGlobalVariables)) {
    for (const std::string& bytes : vars->bytes_list().value()) {
      tensorflow::VariableDef def;
      if (def.ParseFromString(bytes)) defs[def.variable_name()] = def;
    }
  }
  std::map<std::string, std::vector<ModuleVariable>> out;
  for (const auto& [key, parts] : module.variable_map()) {
    for (const Variable& var : parts) {
      auto it = defs.find(var.handle().ToString());
      if (it == defs.end()) {
        return NotFoundError("variable '" + var.name() +
                             "' of the module is not in the graph's `variables` collection");
      }
      out[key].push_back(ModuleVariable{var, it->second});
    }
  }
  return out;
}

}  // namespace tf1hub::hub
