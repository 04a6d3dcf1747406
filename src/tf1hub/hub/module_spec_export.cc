// ModuleSpec::Export (hub's ModuleSpec.export): instantiate the spec in a
// fresh graph, point its variables' initializers at a checkpoint, run them
// and export.
#include <functional>
#include <memory>
#include <string>

#include "tf1hub/hub/module.h"
#include "tf1hub/hub/module_impl.h"

namespace tf1hub::hub {

Status ExportModuleFromCheckpoint(std::shared_ptr<const ModuleSpec> spec, const TagSet& tags,
                                  const std::string& path, const std::string& checkpoint_path,
                                  const std::function<std::string(const std::string&)>& transform) {
  Scope root = Scope::NewRootScope();
  ASSIGN_OR_RETURN(std::unique_ptr<Module> module,
                   Module::Create(root, std::move(spec), {.tags = tags}));
  ASSIGN_OR_RETURN(auto variables, GetModuleVariables(*root.graph(), *module));
  std::map<std::string, std::vector<ModuleVariable>> assignment;
  for (const auto& [key, parts] : variables) {
    assignment[transform ? transform(key) : key] = parts;
  }
  RETURN_IF_ERROR(InitFromCheckpoint(root, checkpoint_path, assignment));
  Operation init = GlobalVariablesInitializer(root);
  if (!root.ok()) return root.status();
  ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::Create(root.graph()->graph_def()));
  RETURN_IF_ERROR_WITH_CONTEXT(session->Run({}, {}, {init.name}).status(),
                               "restoring the module's variables from " + checkpoint_path);
  return module->Export(path, *session);
}

Status ModuleSpec::Export(const std::string& path, const std::string& checkpoint_path,
                          const std::function<std::string(const std::string&)>& name_transform)
    const {
  if (checkpoint_path.empty()) {
    return InvalidArgumentError("Missing mandatory `checkpoint_path` parameter");
  }
  // The Module lives only inside this call, so it may borrow `this`.
  std::shared_ptr<const ModuleSpec> self(this, [](const ModuleSpec*) {});
  return ExportModuleFromCheckpoint(std::move(self), {}, path, checkpoint_path, name_transform);
}

}  // namespace tf1hub::hub
