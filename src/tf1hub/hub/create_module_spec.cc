// CreateModuleSpec: hub.create_module_spec in C++ (see create_module_spec.h).
//
// Per (tags, args), in order, as native_module.create_module_spec and
// SavedModelHandler.add_graph_copy do:
//   1. module_fn on a fresh graph; its Status and the scope's sticky error
//      (including add_signature / attach_message errors) propagate;
//   2. drop_collections emptied;
//   3. state-holding ops may only be colocated with state-holding ops;
//   4. export_meta_graph(strip_default_attrs=True), which writes
//      `_output_shapes` and only non-empty collections;
//   5. tags (only for a non-empty set), signatures ("No signatures present"
//      if none), attachments (collection written only if any).
// Then over all variants: unique tag sets, supported collections.
#include "tf1hub/hub/create_module_spec.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tf1hub/graph/meta_graph.h"
#include "tf1hub/graph/shape_inference.h"
#include "tf1hub/hub/attachments.h"
#include "tf1hub/hub/python_repr.h"
#include "tf1hub/hub/spec_checks.h"
#include "tf1hub/hub/tensor_info.h"

namespace tf1hub::hub {
namespace {

Status AddTensorInfos(const Graph& graph, ShapeInference& shapes, const SignatureTensors& tensors,
                      google::protobuf::Map<std::string, tensorflow::TensorInfo>* out,
                      const std::string& what) {
  for (const auto& [key, tensor] : tensors) {
    StatusOr<tensorflow::TensorInfo> info = BuildTensorInfo(graph, shapes, tensor);
    if (!info.ok()) return info.status().WithContext(what + " '" + key + "'");
    (*out)[key] = std::move(*info);
  }
  return Status::OK();
}

// One graph variant: runs module_fn and turns its graph into a MetaGraphDef.
StatusOr<tensorflow::MetaGraphDef> BuildVariant(const ModuleFn& module_fn,
                                                const TagsAndArgs& variant,
                                                const std::vector<std::string>& drop_collections,
                                                bool report_tags) {
  Scope root = Scope::NewRootScope();
  ModuleFnContext context(root, variant.args);
  Status status = module_fn(context);
  if (status.ok()) status = root.status();
  if (!status.ok()) return status;

  Graph& graph = *root.graph();
  for (const std::string& key : drop_collections) graph.ClearCollection(key);

  RETURN_IF_ERROR(CheckStateOpColocation(
      graph, report_tags ? std::optional<TagSet>(variant.tags) : std::nullopt));

  ASSIGN_OR_RETURN(
      tensorflow::MetaGraphDef meta_graph,
      ExportMetaGraph(graph, {.strip_default_attrs = true, .add_output_shapes = true}));
  for (const std::string& tag : variant.tags) meta_graph.mutable_meta_info_def()->add_tags(tag);

  if (context.signatures().empty()) {
    return InvalidArgumentError(
        "No signatures present. Please call hub.add_signature(...)at least once in the "
        "module_fn.");
  }
  ShapeInference shapes(graph);
  for (const ModuleFnContext::Signature& signature : context.signatures()) {
    tensorflow::SignatureDef& def = (*meta_graph.mutable_signature_def())[signature.name];
    const std::string where = "signature '" + signature.name + "'";
    RETURN_IF_ERROR(
        AddTensorInfos(graph, shapes, signature.inputs, def.mutable_inputs(), where + ", input"));
    RETURN_IF_ERROR(AddTensorInfos(graph, shapes, signature.outputs, def.mutable_outputs(),
                                   where + ", output"));
  }
  WriteAttachments(context.attachments(), &meta_graph);
  return meta_graph;
}

}  // namespace

const std::vector<std::string>& SupportedCollections() {
  // hub's _SUPPORTED_COLLECTIONS (native_module.py), sorted.
  static const std::vector<std::string> kSupported = {
      "asset_filepaths",
      "cond_context",
      "hub_module_attachments",
      "model_variables",
      "regularization_losses",
      "table_initializer",
      "trainable_variables",
      "update_ops",
      "variables",
      "while_context",
  };
  return kSupported;
}

std::vector<std::string> GetUnsupportedCollections(const std::vector<std::string>& keys) {
  const std::vector<std::string>& supported = SupportedCollections();
  std::set<std::string> unsupported;
  for (const std::string& key : keys) {
    if (std::find(supported.begin(), supported.end(), key) == supported.end()) {
      unsupported.insert(key);
    }
  }
  return std::vector<std::string>(unsupported.begin(), unsupported.end());
}

StatusOr<std::shared_ptr<const ModuleSpec>> CreateModuleSpec(
    const ModuleFn& module_fn, const CreateModuleSpecOptions& options) {
  if (!module_fn) return InvalidArgumentError("CreateModuleSpec: module_fn is empty");
  std::vector<TagsAndArgs> variants = options.tags_and_args;
  const bool report_tags = !variants.empty();
  if (variants.empty()) variants.push_back({});

  tensorflow::SavedModel saved_model;
  for (const TagsAndArgs& variant : variants) {
    ASSIGN_OR_RETURN(tensorflow::MetaGraphDef meta_graph,
                     BuildVariant(module_fn, variant, options.drop_collections, report_tags));
    *saved_model.add_meta_graphs() = std::move(meta_graph);
  }
  RETURN_IF_ERROR(CheckUniqueTags(saved_model));
  RETURN_IF_ERROR(CheckCollectionsSupported(saved_model));
  return std::shared_ptr<const ModuleSpec>(
      std::make_shared<ModuleSpec>(std::move(saved_model), "", ""));
}

}  // namespace tf1hub::hub
