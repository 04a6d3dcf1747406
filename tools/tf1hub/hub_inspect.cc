// `tf1hub inspect MODULE [--json]`: see hub_inspect.h.
#include "hub_inspect.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/env.h"
#include "tf1hub/proto/meta_graph.pb.h"
#include "tf1hub/proto/module_attachment.pb.h"
#include "tf1hub/proto/saved_model.pb.h"
#include "tf1hub/proto/variable.pb.h"

namespace tf1hub::cli {
namespace {

constexpr char kAttachmentsCollection[] = "hub_module_attachments";
constexpr char kAssetsCollection[] = "saved_model_assets";

PartialTensorShape ShapeFromProto(const tensorflow::TensorShapeProto& proto) {
  if (proto.unknown_rank()) return PartialTensorShape::UnknownRank();
  std::vector<int64_t> dims;
  for (const auto& dim : proto.dim()) dims.push_back(dim.size() < 0 ? -1 : dim.size());
  StatusOr<PartialTensorShape> shape = PartialTensorShape::Create(dims);
  return shape.ok() ? *shape : PartialTensorShape::UnknownRank();
}

std::vector<InspectedTensor> TensorsOf(const std::map<std::string, hub::ParsedTensorInfo>& infos) {
  std::vector<InspectedTensor> tensors;
  for (const auto& [key, info] : infos) {
    tensors.push_back({key, info.dtype, info.shape, info.is_sparse, info.is_composite});
  }
  return tensors;
}

hub::TagSet TagsOf(const tensorflow::MetaGraphDef& meta_graph) {
  const auto& tags = meta_graph.meta_info_def().tags();
  return hub::TagSet(tags.begin(), tags.end());
}

std::vector<InspectedAttachment> AttachmentsOf(const tensorflow::MetaGraphDef& meta_graph) {
  std::vector<InspectedAttachment> attachments;
  auto it = meta_graph.collection_def().find(kAttachmentsCollection);
  if (it == meta_graph.collection_def().end()) return attachments;
  for (const std::string& bytes : it->second.bytes_list().value()) {
    tensorflow_hub::ModuleAttachment attachment;
    if (!attachment.ParseFromString(bytes)) continue;  // LoadModuleSpec checks these
    attachments.push_back({attachment.key(), attachment.value().size()});
  }
  return attachments;
}

// AssetFileDefs as stored on disk (hub's collection form and the
// MetaGraphDef field), since loading rewrites them away.
std::vector<InspectedAssetFileDef> AssetFileDefsOf(const tensorflow::MetaGraphDef& meta_graph) {
  std::vector<InspectedAssetFileDef> defs;
  auto it = meta_graph.collection_def().find(kAssetsCollection);
  if (it != meta_graph.collection_def().end()) {
    for (const google::protobuf::Any& any : it->second.any_list().value()) {
      tensorflow::AssetFileDef def;
      if (any.UnpackTo(&def)) defs.push_back({def.tensor_info().name(), def.filename()});
    }
  }
  for (const tensorflow::AssetFileDef& def : meta_graph.asset_file_def()) {
    InspectedAssetFileDef entry{def.tensor_info().name(), def.filename()};
    const bool seen = std::any_of(defs.begin(), defs.end(), [&](const auto& d) {
      return d.tensor == entry.tensor && d.filename == entry.filename;
    });
    if (!seen) defs.push_back(std::move(entry));
  }
  return defs;
}

// Declared variables of one meta graph, keyed by (full) name.
void CollectVariables(const tensorflow::MetaGraphDef& meta_graph,
                      std::map<std::string, InspectedVariable>* variables) {
  auto it = meta_graph.collection_def().find("variables");
  if (it == meta_graph.collection_def().end()) return;
  std::map<std::string, const tensorflow::NodeDef*> nodes;
  for (const tensorflow::NodeDef& node : meta_graph.graph_def().node()) nodes[node.name()] = &node;
  std::map<std::string, std::set<std::string>> parts;  // full name -> part names
  for (const std::string& bytes : it->second.bytes_list().value()) {
    tensorflow::VariableDef def;
    if (!def.ParseFromString(bytes)) continue;
    std::string node_name = def.variable_name();
    if (const size_t colon = node_name.rfind(':'); colon != std::string::npos) {
      node_name.resize(colon);
    }
    InspectedVariable variable;
    variable.name = node_name;
    if (auto node = nodes.find(node_name); node != nodes.end()) {
      const auto& attrs = node->second->attr();
      if (auto dtype = attrs.find("dtype"); dtype != attrs.end()) {
        variable.dtype = static_cast<DataType>(dtype->second.type());
      }
      if (auto shape = attrs.find("shape"); shape != attrs.end()) {
        variable.shape = ShapeFromProto(shape->second.shape());
      }
    }
    if (!def.save_slice_info_def().full_name().empty()) {
      const tensorflow::SaveSliceInfoDef& slice = def.save_slice_info_def();
      variable.name = slice.full_name();
      StatusOr<PartialTensorShape> full = PartialTensorShape::Create(
          std::vector<int64_t>(slice.full_shape().begin(), slice.full_shape().end()));
      if (full.ok()) variable.shape = *full;
      parts[slice.full_name()].insert(node_name);
      variable.partitions = static_cast<int>(parts[slice.full_name()].size());
      if (auto existing = variables->find(variable.name); existing != variables->end()) {
        existing->second.partitions = std::max(existing->second.partitions, variable.partitions);
        continue;
      }
    }
    variables->emplace(variable.name, std::move(variable));
  }
}

Status ListFiles(FileSystem* fs, const std::string& dir, const std::string& relative,
                 std::vector<InspectedFile>* files) {
  ASSIGN_OR_RETURN(std::vector<std::string> children, fs->GetChildren(dir));
  for (const std::string& child : children) {
    const std::string path = JoinPath(dir, child);
    const std::string name = relative.empty() ? child : relative + "/" + child;
    ASSIGN_OR_RETURN(bool is_dir, fs->IsDirectory(path));
    if (is_dir) {
      RETURN_IF_ERROR(ListFiles(fs, path, name, files));
    } else {
      ASSIGN_OR_RETURN(uint64_t size, fs->GetFileSize(path));
      files->push_back({name, size});
    }
  }
  return Status::OK();
}

Status InspectBundle(const std::string& module_dir, ModuleInspection* inspection) {
  FileSystem* fs = PosixFileSystem();
  const std::string variables_dir = JoinPath(module_dir, "variables");
  const std::string prefix = JoinPath(variables_dir, "variables");
  if (!fs->FileExists(prefix + ".index")) return Status::OK();
  inspection->variables_present = true;
  StatusOr<std::unique_ptr<CheckpointReader>> reader = CheckpointReader::Open(prefix);
  if (!reader.ok()) return reader.status().WithContext("reading the module's variables");
  std::set<std::string> declared;
  for (InspectedVariable& variable : inspection->variables) {
    variable.in_bundle = (*reader)->Contains(variable.name);
    declared.insert(variable.name);
  }
  for (const CheckpointEntryInfo& entry : (*reader)->Entries()) {
    if (!declared.count(entry.name)) inspection->undeclared_in_bundle.push_back(entry.name);
  }
  ASSIGN_OR_RETURN(std::vector<std::string> children, fs->GetChildren(variables_dir));
  for (const std::string& child : children) {
    if (child.rfind("variables.", 0) != 0) continue;
    ASSIGN_OR_RETURN(uint64_t size, fs->GetFileSize(JoinPath(variables_dir, child)));
    inspection->bundle_bytes += size;
  }
  return Status::OK();
}

std::string TensorLine(const char* kind, const InspectedTensor& tensor) {
  std::string line = std::string("    ") + kind + " " + tensor.key + ": " +
                     DataTypeName(tensor.dtype) + " " + ShapeText(tensor.shape);
  if (tensor.is_sparse) line += " (sparse)";
  if (tensor.is_composite) line += " (composite)";
  return line + "\n";
}

nlohmann::ordered_json TensorsJson(const std::vector<InspectedTensor>& tensors) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const InspectedTensor& tensor : tensors) {
    nlohmann::ordered_json entry = {{"dtype", DataTypeName(tensor.dtype)},
                                    {"shape", ShapeJson(tensor.shape)}};
    if (tensor.is_sparse) entry["sparse"] = true;
    if (tensor.is_composite) entry["composite"] = true;
    object[tensor.key] = std::move(entry);
  }
  return object;
}

}  // namespace

std::string ShapeText(const PartialTensorShape& shape) { return shape.DebugString(); }

nlohmann::ordered_json ShapeJson(const PartialTensorShape& shape) {
  if (shape.unknown_rank()) return nullptr;
  return shape.dims();
}

StatusOr<hub::TagSet> ParseTagsOption(const std::string& text) {
  hub::TagSet tags;
  if (text.empty()) return tags;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string tag = text.substr(start, comma == std::string::npos ? comma : comma - start);
    if (tag.empty()) {
      return InvalidArgumentError("--tags '" + text +
                                  "': expected comma-separated tag names (e.g. train or "
                                  "serve,gpu); an empty string means the default variant");
    }
    tags.insert(tag);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return tags;
}

StatusOr<ModuleInspection> InspectModule(const std::string& path) {
  ASSIGN_OR_RETURN(std::shared_ptr<const hub::ModuleSpec> spec, hub::LoadModuleSpec(path));
  ModuleInspection inspection;
  inspection.path = path;

  // The file as stored, for what loading rewrites (asset definitions).
  FileSystem* fs = PosixFileSystem();
  tensorflow::SavedModel stored;
  {
    const std::string saved_model_path = JoinPath(path, "saved_model.pb");
    ASSIGN_OR_RETURN(std::string bytes, fs->ReadFileToString(saved_model_path));
    if (!stored.ParseFromString(bytes)) {
      return DataLossError("Cannot parse file " + saved_model_path);
    }
  }

  std::map<std::string, InspectedVariable> variables;
  for (const hub::TagSet& tags : spec->GetTags()) {
    InspectedVariant variant;
    variant.tags = tags;
    ASSIGN_OR_RETURN(const tensorflow::MetaGraphDef* meta_graph, spec->GetMetaGraph(tags));
    ASSIGN_OR_RETURN(std::vector<std::string> names, spec->GetSignatureNames(tags));
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      InspectedSignature signature;
      signature.name = name;
      ASSIGN_OR_RETURN(auto inputs, spec->GetInputInfoDict(name, tags));
      ASSIGN_OR_RETURN(auto outputs, spec->GetOutputInfoDict(name, tags));
      signature.inputs = TensorsOf(inputs);
      signature.outputs = TensorsOf(outputs);
      variant.signatures.push_back(std::move(signature));
    }
    variant.attachments = AttachmentsOf(*meta_graph);
    for (const tensorflow::MetaGraphDef& stored_graph : stored.meta_graphs()) {
      if (TagsOf(stored_graph) == tags) variant.asset_file_defs = AssetFileDefsOf(stored_graph);
    }
    CollectVariables(*meta_graph, &variables);
    inspection.variants.push_back(std::move(variant));
  }
  for (auto& [name, variable] : variables) inspection.variables.push_back(std::move(variable));

  RETURN_IF_ERROR(InspectBundle(path, &inspection));

  const std::string assets_dir = JoinPath(path, "assets");
  StatusOr<bool> assets_is_dir = fs->IsDirectory(assets_dir);
  if (assets_is_dir.ok() && *assets_is_dir) {
    RETURN_IF_ERROR(ListFiles(fs, assets_dir, "", &inspection.asset_files));
    std::sort(inspection.asset_files.begin(), inspection.asset_files.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
  }
  return inspection;
}

std::string InspectionText(const ModuleInspection& inspection) {
  std::string text = "module " + inspection.path + " (TF1 Hub format " +
                     std::to_string(inspection.format) + ")\n";
  for (const InspectedVariant& variant : inspection.variants) {
    text += "graph variant tags=" + hub::TagSetDebugString(variant.tags) +
            (variant.tags.empty() ? " (default)" : "") + "\n";
    for (const InspectedSignature& signature : variant.signatures) {
      text += "  signature '" + signature.name + "'\n";
      if (signature.inputs.empty()) text += "    (no inputs)\n";
      for (const InspectedTensor& t : signature.inputs) text += TensorLine("input ", t);
      if (signature.outputs.empty()) text += "    (no outputs)\n";
      for (const InspectedTensor& t : signature.outputs) text += TensorLine("output", t);
    }
    if (variant.attachments.empty()) {
      text += "  attachments: none\n";
    } else {
      text += "  attachments:\n";
      for (const InspectedAttachment& a : variant.attachments) {
        text += "    " + a.key + " (" + std::to_string(a.bytes) + " bytes)\n";
      }
    }
    for (const InspectedAssetFileDef& def : variant.asset_file_defs) {
      text += "  asset " + def.filename + " <- " + def.tensor + "\n";
    }
  }

  const size_t declared = inspection.variables.size();
  if (!inspection.variables_present) {
    text += declared == 0 ? "variables: none\n"
                          : "variables: not present (" + std::to_string(declared) + " declared)\n";
  } else {
    text += "variables: " + std::to_string(declared) + " in variables/variables (" +
            std::to_string(inspection.bundle_bytes) + " bytes)\n";
  }
  for (const InspectedVariable& v : inspection.variables) {
    text += "  " + v.name + ": " + DataTypeName(v.dtype) + " " + ShapeText(v.shape);
    if (v.partitions > 0) text += " (" + std::to_string(v.partitions) + " partitions)";
    if (inspection.variables_present && !v.in_bundle) text += " (missing from the bundle)";
    text += "\n";
  }
  for (const std::string& name : inspection.undeclared_in_bundle) {
    text += "  " + name + ": in the bundle but not declared by the graph\n";
  }

  if (inspection.asset_files.empty()) {
    text += "assets: none\n";
  } else {
    text += "assets:\n";
    for (const InspectedFile& file : inspection.asset_files) {
      text += "  " + file.name + " (" + std::to_string(file.bytes) + " bytes)\n";
    }
  }
  return text;
}

nlohmann::ordered_json InspectionJson(const ModuleInspection& inspection) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["path"] = inspection.path;
  json["format"] = inspection.format;
  nlohmann::ordered_json variants = nlohmann::ordered_json::array();
  for (const InspectedVariant& variant : inspection.variants) {
    nlohmann::ordered_json v = nlohmann::ordered_json::object();
    v["tags"] = std::vector<std::string>(variant.tags.begin(), variant.tags.end());
    nlohmann::ordered_json signatures = nlohmann::ordered_json::object();
    for (const InspectedSignature& signature : variant.signatures) {
      signatures[signature.name] = {{"inputs", TensorsJson(signature.inputs)},
                                    {"outputs", TensorsJson(signature.outputs)}};
    }
    v["signatures"] = std::move(signatures);
    nlohmann::ordered_json attachments = nlohmann::ordered_json::object();
    for (const InspectedAttachment& a : variant.attachments) {
      attachments[a.key] = {{"bytes", a.bytes}};
    }
    v["attachments"] = std::move(attachments);
    nlohmann::ordered_json assets = nlohmann::ordered_json::array();
    for (const InspectedAssetFileDef& def : variant.asset_file_defs) {
      assets.push_back({{"tensor", def.tensor}, {"filename", def.filename}});
    }
    v["asset_file_defs"] = std::move(assets);
    variants.push_back(std::move(v));
  }
  json["graph_variants"] = std::move(variants);

  nlohmann::ordered_json by_name = nlohmann::ordered_json::object();
  for (const InspectedVariable& variable : inspection.variables) {
    nlohmann::ordered_json v = {{"dtype", DataTypeName(variable.dtype)},
                                {"shape", ShapeJson(variable.shape)}};
    if (variable.partitions > 0) v["partitions"] = variable.partitions;
    if (inspection.variables_present) v["in_bundle"] = variable.in_bundle;
    by_name[variable.name] = std::move(v);
  }
  json["variables"] = {{"present", inspection.variables_present},
                       {"declared", inspection.variables.size()},
                       {"bundle_bytes", inspection.bundle_bytes},
                       {"by_name", std::move(by_name)},
                       {"undeclared_in_bundle", inspection.undeclared_in_bundle}};
  nlohmann::ordered_json assets = nlohmann::ordered_json::object();
  for (const InspectedFile& file : inspection.asset_files) {
    assets[file.name] = {{"bytes", file.bytes}};
  }
  json["assets"] = std::move(assets);
  return json;
}

}  // namespace tf1hub::cli
