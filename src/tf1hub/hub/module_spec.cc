// ModuleSpec queries (everything but Export, which is in
// module_spec_export.cc): tag sets, signatures, attached messages.
#include "tf1hub/hub/module_spec.h"

#include <algorithm>
#include <string>
#include <utility>

#include "tf1hub/hub/attachments.h"
#include "tf1hub/hub/tensor_info.h"

namespace tf1hub::hub {
namespace {

TagSet TagsOf(const tensorflow::MetaGraphDef& meta_graph) {
  const auto& tags = meta_graph.meta_info_def().tags();
  return TagSet(tags.begin(), tags.end());
}

}  // namespace

ModuleSpec::ModuleSpec(tensorflow::SavedModel saved_model, std::string module_dir,
                       std::string checkpoint_path)
    : saved_model_(std::move(saved_model)),
      module_dir_(std::move(module_dir)),
      checkpoint_path_(std::move(checkpoint_path)) {}

std::vector<TagSet> ModuleSpec::GetTags() const {
  std::vector<TagSet> tags;
  for (const tensorflow::MetaGraphDef& meta_graph : saved_model_.meta_graphs()) {
    tags.push_back(TagsOf(meta_graph));
  }
  std::sort(tags.begin(), tags.end());
  return tags;
}

StatusOr<const tensorflow::MetaGraphDef*> ModuleSpec::GetMetaGraph(const TagSet& tags) const {
  for (const tensorflow::MetaGraphDef& meta_graph : saved_model_.meta_graphs()) {
    if (TagsOf(meta_graph) == tags) return &meta_graph;
  }
  return InvalidArgumentError("No such graph variant: tags=" + TagSetDebugString(tags));
}

StatusOr<std::vector<std::string>> ModuleSpec::GetSignatureNames(const TagSet& tags) const {
  ASSIGN_OR_RETURN(const tensorflow::MetaGraphDef* meta_graph, GetMetaGraph(tags));
  std::vector<std::string> names;
  for (const auto& [name, signature] : meta_graph->signature_def()) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

StatusOr<const tensorflow::SignatureDef*> FindSignature(const tensorflow::MetaGraphDef& meta_graph,
                                                        std::string_view signature) {
  std::string name = signature.empty() ? "default" : std::string(signature);
  auto it = meta_graph.signature_def().find(name);
  if (it == meta_graph.signature_def().end()) {
    return InvalidArgumentError("Signature '" + name + "' is missing from meta graph.");
  }
  return &it->second;
}

}  // namespace

StatusOr<std::map<std::string, ParsedTensorInfo>> ModuleSpec::GetInputInfoDict(
    std::string_view signature, const TagSet& tags) const {
  ASSIGN_OR_RETURN(const tensorflow::MetaGraphDef* meta_graph, GetMetaGraph(tags));
  ASSIGN_OR_RETURN(const tensorflow::SignatureDef* def, FindSignature(*meta_graph, signature));
  return ParseTensorInfoMap(def->inputs());
}

StatusOr<std::map<std::string, ParsedTensorInfo>> ModuleSpec::GetOutputInfoDict(
    std::string_view signature, const TagSet& tags) const {
  ASSIGN_OR_RETURN(const tensorflow::MetaGraphDef* meta_graph, GetMetaGraph(tags));
  ASSIGN_OR_RETURN(const tensorflow::SignatureDef* def, FindSignature(*meta_graph, signature));
  return ParseTensorInfoMap(def->outputs());
}

StatusOr<std::optional<std::string>> ModuleSpec::GetAttachedMessageBytes(std::string_view key,
                                                                         const TagSet& tags,
                                                                         bool required) const {
  ASSIGN_OR_RETURN(const tensorflow::MetaGraphDef* meta_graph, GetMetaGraph(tags));
  ASSIGN_OR_RETURN(auto attachments, ReadAttachments(*meta_graph));
  for (auto& [k, bytes] : attachments) {
    if (k == key) return std::optional<std::string>(std::move(bytes));
  }
  if (required) {
    return NotFoundError("No attached message for key '" + std::string(key) +
                         "' in graph version " + TagSetDebugString(tags) + " of Hub Module");
  }
  return std::optional<std::string>();
}

StatusOr<bool> ModuleSpec::GetAttachedMessage(std::string_view key,
                                              google::protobuf::Message* message,
                                              const TagSet& tags, bool required) const {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, GetAttachedMessageBytes(key, tags, required));
  if (!bytes.has_value()) return false;
  message->Clear();
  if (!message->ParseFromString(*bytes)) {
    return InvalidArgumentError("attached message '" + std::string(key) + "' in graph version " +
                                TagSetDebugString(tags) + " does not parse as " +
                                message->GetTypeName());
  }
  return true;
}

}  // namespace tf1hub::hub
