// Module: a ModuleSpec instantiated into a Graph, as hub.Module does in
// TF1 graph mode.
//
// Creating a Module imports the variant's graph once for its state under a
// uniquified scope ("module", "module_1", ...; stateful-op shared_names get
// that prefix) together with the collections hub keeps (variables,
// model_variables, table_initializer, asset_filepaths; plus
// trainable_variables and regularization_losses when trainable). For a
// loaded spec each variable's initializer is replaced by a restore from the
// module's bundle (RestoreV2 "checkpoint_initializer" + assign), so running
// the global variables initializer loads the published values.
//
// Apply imports the variant's graph again under "<name>_apply_<signature>"
// (uniquified, in the caller's name scope) with its state ops replaced by
// the state import's tensors and its signature inputs by the given tensors,
// so every application shares one set of variables. Update ops are added to
// `update_ops` per application when trainable.
//
//   Scope root = Scope::NewRootScope();
//   ASSIGN_OR_RETURN(auto spec, hub::LoadModuleSpec(dir));
//   ASSIGN_OR_RETURN(auto module, hub::Module::Create(root, spec));
//   Output x = ops::Placeholder(root, DataType::kFloat);
//   ASSIGN_OR_RETURN(Output y, module->Apply(root, x));  // "default" -> "default"
//   Operation init = GlobalVariablesInitializer(root);
//   ASSIGN_OR_RETURN(auto session, Session::Create(root.graph()->graph_def()));
//   RETURN_IF_ERROR(session->Run({}, {}, {init.name}).status());
//   ... session->Run({{x.ToString(), batch}}, {y.ToString()}, {}) ...
//   RETURN_IF_ERROR(module->Export("/tmp/exported", *session));
//
// Errors use hub's wording, e.g.
//   InvalidArgument: Signature 'foo' is missing from meta graph.
//   InvalidArgument: Cannot convert dict_inputs: missing ['x'], extra given ['y']
//   InvalidArgument: Signature expects multiple inputs. Use a dict.
//   InvalidArgument: Can't convert 'x': Got TensorSpec(shape=(None, 3),
//     dtype=tf.float32, name='x'). Expected TensorSpec(shape=(None, 50),
//     dtype=tf.float32, name=None).
//   InvalidArgument: Incompatible tensor conversion requested to `dtype`
//     float32 for `value` (Tensor("i:0", shape=(None, 50), dtype=int64))
//     with dtype int64.
//   InvalidArgument: There is no output named 'default'. Use as_dict=True.
//   FailedPrecondition: Module must be applied in the graph it was instantiated for.
//
// Differences from hub.Module, by design or for now: no throwaway `save/`
// and `save_1/` Saver nodes are built (Export reads the variables through
// the session instead); colocation constraints of an applied copy that
// name a replaced state node or input keep pointing at the copy's
// (unused) placeholder instead of being rewritten to the replacement
// (hub's fix_colocation_after_import; placement-only, the CPU runtime
// ignores it); cond/while context collections are copied without renaming.
//
// Thread safety: as Scope (a Module mutates its Graph when applied); Export
// may run concurrently with Session::Run on the same session.
#ifndef TF1HUB_HUB_MODULE_H_
#define TF1HUB_HUB_MODULE_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/graph/variables.h"
#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/session.h"
#include "tf1hub/status.h"

namespace tf1hub::hub {

struct ModuleOptions {
  bool trainable = false;
  std::string name = "module";
  TagSet tags = {};
};

class Module {
 public:
  // hub.Module(spec, trainable, name, tags), in scope.graph(). The state
  // scope is made unique in scope's variable scope (`name`, `name_1`, ...).
  static StatusOr<std::unique_ptr<Module>> Create(const Scope& scope,
                                                  std::shared_ptr<const ModuleSpec> spec,
                                                  const ModuleOptions& options = {});
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // m(inputs, signature=..., as_dict=True): every output of the signature.
  // signature "" means "default".
  StatusOr<std::map<std::string, SignatureTensor>> ApplyAsDict(
      const Scope& scope, const SignatureTensors& inputs, std::string_view signature = "default");
  // The same with a single input (the signature must have exactly one).
  StatusOr<std::map<std::string, SignatureTensor>> ApplyAsDict(
      const Scope& scope, const Output& input, std::string_view signature = "default");
  // m(inputs, signature=...): the output named "default" (must be dense).
  StatusOr<Output> Apply(const Scope& scope, const SignatureTensors& inputs,
                         std::string_view signature = "default");
  StatusOr<Output> Apply(const Scope& scope, const Output& input,
                         std::string_view signature = "default");

  // Module-relative variable name ("dense/kernel") -> the variable(s) in the
  // graph (several for a partitioned variable, ordered by slice offset).
  const std::map<std::string, std::vector<Variable>>& variable_map() const;
  // Every variable, ordered by key.
  std::vector<Variable> variables() const;
  // The state scope, e.g. "module_1" (no trailing slash).
  const std::string& scope_name() const;
  const ModuleSpec& spec() const;
  const TagSet& tags() const;

  // Interface queries for this instance's tags.
  StatusOr<std::vector<std::string>> GetSignatureNames() const;
  StatusOr<std::map<std::string, ParsedTensorInfo>> GetInputInfoDict(
      std::string_view signature = "default") const;
  StatusOr<std::map<std::string, ParsedTensorInfo>> GetOutputInfoDict(
      std::string_view signature = "default") const;

  // Module.export(path, session): writes the spec's graphs with the
  // variables' current values in `session` (a session over this module's
  // graph) as a TF1 Hub module in `path`.
  Status Export(const std::string& path, Session& session) const;

  class Impl;

 private:
  explicit Module(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_MODULE_H_
