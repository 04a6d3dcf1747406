// Internal: the state of a Module instance and the helpers its parts share
// (state import, checkpoint initializers, apply, export).
#ifndef TF1HUB_HUB_MODULE_IMPL_H_
#define TF1HUB_HUB_MODULE_IMPL_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/module.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/proto/meta_graph.pb.h"
#include "tf1hub/proto/variable.pb.h"
#include "tf1hub/status.h"

namespace tf1hub::hub {

// One variable of the module as imported: the graph handle plus the
// VariableDef (for save_slice_info of partitioned variables).
struct ModuleVariable {
  Variable variable;
  tensorflow::VariableDef def;
};

class Module::Impl {
 public:
  Graph* graph = nullptr;
  std::shared_ptr<const ModuleSpec> spec;
  const tensorflow::MetaGraphDef* meta_graph = nullptr;  // owned by spec
  bool trainable = false;
  TagSet tags;
  // Relative name ("module_1") and absolute state scope ("vs/module_1").
  std::string name;
  std::string scope_name;
  // "<node>:0" of the module graph -> the state import's tensor.
  std::map<std::string, Output> state_map;
  // Module-relative key -> variable parts (one unless partitioned, then
  // ordered by slice offset).
  std::map<std::string, std::vector<ModuleVariable>> variables;
  // The same as Variables, as module.h returns it.
  std::map<std::string, std::vector<Variable>> variable_map;
};

// Op types of `graph_def` that are registered, stateful and have no inputs
// (hub's list_registered_stateful_ops_without_inputs).
std::vector<std::string> StateOpTypes(const tensorflow::GraphDef& graph_def);

// Imports the state graph into impl->graph and fills state_map / variables
// (Module creation steps 2-5 of HUB_SEMANTICS §2.3).
Status CreateStateGraph(const Scope& scope, const std::string& requested_name, Module::Impl* impl);

// A Module's variable map with each part's VariableDef (from `graph`'s
// `variables` collection).
StatusOr<std::map<std::string, std::vector<ModuleVariable>>> GetModuleVariables(
    const Graph& graph, const Module& module);

// Builds a Module of `spec` (variant `tags`) in a fresh graph, restores its
// variables from `checkpoint_path` under transform(module-relative name)
// (identity if empty) and exports it to `path` (ModuleSpec.export).
Status ExportModuleFromCheckpoint(std::shared_ptr<const ModuleSpec> spec, const TagSet& tags,
                                  const std::string& path, const std::string& checkpoint_path,
                                  const std::function<std::string(const std::string&)>& transform);

// tf.compat.v1.train.init_from_checkpoint(ckpt, assignment): for every
// entry (checkpoint tensor name -> variable parts) adds a RestoreV2
// "checkpoint_initializer" + assign in `scope` and makes it the variable's
// initializer in every variable collection of the graph. `ckpt_dir_or_file`
// is a prefix or a directory with a `checkpoint` state file. Errors as TF's
// ("Tensor X is not found in P checkpoint {...}", "Shape of variable ...").
Status InitFromCheckpoint(const Scope& scope, const std::string& ckpt_dir_or_file,
                          const std::map<std::string, std::vector<ModuleVariable>>& assignment);

// Writes the bundle of `impl`'s variables with their values in `session`
// to `prefix` (module-relative names; slices for partitioned variables).
// Writes nothing when the module has no variables.
Status WriteModuleVariables(const Module::Impl& impl, Session& session, const std::string& prefix);

// Python spellings used in hub's messages, as TF 2.15 prints shapes by
// default (V2 behaviour, also inside tf.Graph().as_default()): str gives
// "(None, 50)", "(3,)", "<unknown>"; repr gives "TensorShape([None, 5])".
std::string PythonShapeString(const PartialTensorShape& shape);
std::string PythonTensorShapeRepr(const PartialTensorShape& shape);

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_MODULE_IMPL_H_
