// Module assets: spec form <-> on-disk form (see assets.h).
#include "tf1hub/hub/assets.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tf1hub/env.h"
#include "tf1hub/proto/meta_graph.pb.h"

namespace tf1hub::hub {
namespace {

constexpr char kAssetFilepathsCollection[] = "asset_filepaths";

// "node:N" -> "node", as hub's _get_node_name_from_tensor.
StatusOr<std::string> NodeNameFromTensor(const std::string& tensor) {
  size_t colon = tensor.rfind(':');
  bool ok = colon != std::string::npos && colon + 1 < tensor.size() && tensor.find(':') == colon;
  for (size_t i = colon + 1; ok && i < tensor.size(); ++i)
    ok = tensor[i] >= '0' && tensor[i] <= '9';
  if (!ok) {
    return InvalidArgumentError(
        "Unexpected format for tensor name. Expected node_name:output_number. Got '" + tensor +
        "'");
  }
  return tensor.substr(0, colon);
}

// hub's _check_asset_node_def.
Status CheckAssetNode(const tensorflow::NodeDef& node) {
  const std::string context = "asset node '" + node.name() + "'";
  if (node.op() != "Const") {
    return InvalidArgumentError("Asset node must be of type constant.").WithContext(context);
  }
  auto dtype = node.attr().find("dtype");
  if (dtype == node.attr().end() || dtype->second.type() != tensorflow::DT_STRING) {
    return InvalidArgumentError("Asset node must be of dtype string.").WithContext(context);
  }
  auto value = node.attr().find("value");
  if (value == node.attr().end() || value->second.tensor().string_val_size() != 1) {
    return InvalidArgumentError("Asset node must be a scalar.").WithContext(context);
  }
  return Status::OK();
}

std::string* AssetValue(tensorflow::NodeDef* node) {
  return (*node->mutable_attr())["value"].mutable_tensor()->mutable_string_val(0);
}

// Lexical normalisation: "." and empty segments dropped, ".." pops.
std::string NormalizePath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!IsAbsolutePath(path)) {
        parts.push_back(part);
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out = IsAbsolutePath(path) ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += "/";
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

}  // namespace

StatusOr<std::string> AssetPath(const std::string& module_dir, const std::string& filename) {
  const std::string assets_dir = NormalizePath(JoinPath(module_dir, "assets"));
  // os.path.join semantics: an absolute filename replaces the directory.
  const std::string joined =
      NormalizePath(IsAbsolutePath(filename) ? filename : assets_dir + "/" + filename);
  if (joined.size() <= assets_dir.size() + 1 ||
      joined.compare(0, assets_dir.size(), assets_dir) != 0 || joined[assets_dir.size()] != '/') {
    return InvalidArgumentError("Asset filename (" + filename + ") points outside assets_dir");
  }
  return joined;
}

StatusOr<std::vector<AssetCopy>> MakeAssetsKeyCollection(tensorflow::SavedModel* saved_model,
                                                         const std::string& export_path) {
  std::vector<AssetCopy> copies;
  std::map<std::string, std::string> export_names;  // source path -> file name
  std::set<std::string> used_names;
  auto export_name = [&](const std::string& source) -> StatusOr<std::string> {
    auto it = export_names.find(source);
    if (it != export_names.end()) return it->second;
    const std::string base(Basename(source));
    std::string name = base;
    for (int index = 0; used_names.contains(name); ++index) name = base + std::to_string(index);
    ASSIGN_OR_RETURN(std::string destination, AssetPath(export_path, name));
    export_names[source] = name;
    used_names.insert(name);
    copies.push_back({source, destination});
    return name;
  };

  for (tensorflow::MetaGraphDef& meta_graph : *saved_model->mutable_meta_graphs()) {
    auto it = meta_graph.collection_def().find(kAssetFilepathsCollection);
    if (it == meta_graph.collection_def().end()) continue;
    if (it->second.kind_case() != tensorflow::CollectionDef::kNodeList) {
      return InvalidArgumentError("MetaGraph collection ASSET_FILEPATHS is not a list of tensors.");
    }
    std::set<std::string> asset_nodes;
    for (const std::string& tensor : it->second.node_list().value()) {
      if (tensor.size() < 2 || tensor.compare(tensor.size() - 2, 2, ":0") != 0) {
        return InvalidArgumentError("Unexpected tensor in ASSET_FILEPATHS collection.")
            .WithContext("asset '" + tensor + "'");
      }
      ASSIGN_OR_RETURN(std::string node, NodeNameFromTensor(tensor));
      asset_nodes.insert(node);
    }
    std::map<std::string, std::string> tensor_to_source;  // sorted by tensor name
    for (tensorflow::NodeDef& node : *meta_graph.mutable_graph_def()->mutable_node()) {
      if (!asset_nodes.contains(node.name())) continue;
      RETURN_IF_ERROR(CheckAssetNode(node));
      std::string* value = AssetValue(&node);
      tensor_to_source[node.name() + ":0"] = *value;
      *value = kAssetPlaceholderValue;  // do not leak the build path
    }
    if (tensor_to_source.empty()) continue;
    auto* any_list = (*meta_graph.mutable_collection_def())[kAssetsCollection].mutable_any_list();
    for (const auto& [tensor, source] : tensor_to_source) {
      tensorflow::AssetFileDef asset;
      ASSIGN_OR_RETURN(std::string name, export_name(source));
      asset.set_filename(name);
      asset.mutable_tensor_info()->set_name(tensor);
      google::protobuf::Any* any = any_list->add_value();
      any->set_type_url(kAssetFileDefTypeUrl);
      any->set_value(asset.SerializeAsString());
    }
  }
  return copies;
}

Status MergeAssetsKeyCollection(tensorflow::SavedModel* saved_model,
                                const std::string& module_dir) {
  for (tensorflow::MetaGraphDef& meta_graph : *saved_model->mutable_meta_graphs()) {
    auto* collections = meta_graph.mutable_collection_def();
    auto it = collections->find(kAssetsCollection);
    if (it == collections->end()) continue;
    std::map<std::string, std::string> node_to_path;
    const auto& values = it->second.any_list().value();
    for (int i = 0; i < values.size(); ++i) {
      const google::protobuf::Any& any = values[i];
      tensorflow::AssetFileDef asset;
      if (any.type_url() != kAssetFileDefTypeUrl || !asset.ParseFromString(any.value())) {
        return InvalidArgumentError("entry " + std::to_string(i) + " of collection " +
                                    kAssetsCollection + " is not an AssetFileDef (type_url '" +
                                    any.type_url() + "')");
      }
      ASSIGN_OR_RETURN(std::string path, AssetPath(module_dir, asset.filename()));
      ASSIGN_OR_RETURN(std::string node, NodeNameFromTensor(asset.tensor_info().name()));
      node_to_path[node] = path;
    }
    collections->erase(it);
    for (tensorflow::NodeDef& node : *meta_graph.mutable_graph_def()->mutable_node()) {
      auto found = node_to_path.find(node.name());
      if (found == node_to_path.end()) continue;
      RETURN_IF_ERROR(CheckAssetNode(node));
      *AssetValue(&node) = found->second;
    }
  }
  return Status::OK();
}

}  // namespace tf1hub::hub
