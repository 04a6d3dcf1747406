// LoadModuleSpec: hub.load_module_spec for a module directory
// (native_module.Loader + saved_model_lib.load + _ModuleSpec's checks).
//
// Every file is treated as hostile: sizes are checked against the real file
// size before reading, protobuf parsing is bounded by it, and errors name
// the file. A directory that is not a TF1 Hub module is refused with a
// message saying what it looks like.
#include <google/protobuf/io/coded_stream.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tf1hub/env.h"
#include "tf1hub/hub/assets.h"
#include "tf1hub/hub/attachments.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/hub/python_repr.h"
#include "tf1hub/hub/spec_checks.h"
#include "tf1hub/proto/module_def.pb.h"

namespace tf1hub::hub {
namespace {

constexpr char kModuleDefFile[] = "tfhub_module.pb";
constexpr char kSavedModelFile[] = "saved_model.pb";
// A real tfhub_module.pb is 2 bytes; anything past this is not one.
constexpr uint64_t kMaxModuleDefBytes = 1 << 20;
// Protobuf cannot parse messages of 2 GiB or more.
constexpr uint64_t kMaxSavedModelBytes = INT_MAX;

std::string AbsolutePath(const std::string& path) {
  if (IsAbsolutePath(path)) return path;
  char buf[PATH_MAX];
  if (::getcwd(buf, sizeof(buf)) == nullptr) return path;
  return JoinPath(buf, path);
}

std::string StripTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

StatusOr<std::string> ReadBoundedFile(FileSystem* fs, const std::string& path, uint64_t max_bytes) {
  ASSIGN_OR_RETURN(uint64_t size, fs->GetFileSize(path));
  if (size > max_bytes) {
    return DataLossError("Cannot parse file " + path + ": " + std::to_string(size) +
                         " bytes, more than the " + std::to_string(max_bytes) + " allowed");
  }
  return fs->ReadFileToString(path);
}

// Parses `bytes` (from `path`) with the total size bounded by the data and
// protobuf's default recursion limit.
Status ParseProto(const std::string& path, const std::string& bytes,
                  google::protobuf::Message* message) {
  google::protobuf::io::CodedInputStream stream(reinterpret_cast<const uint8_t*>(bytes.data()),
                                                static_cast<int>(bytes.size()));
  stream.SetTotalBytesLimit(static_cast<int>(bytes.size()));
  if (!message->ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage()) {
    return DataLossError("Cannot parse file " + path + ": not a valid " + message->GetTypeName() +
                         " (" + std::to_string(bytes.size()) + " bytes)");
  }
  return Status::OK();
}

// What a directory without tfhub_module.pb is, for the refusal message.
Status DescribeNonModule(FileSystem* fs, const std::string& dir) {
  const std::string saved_model_path = JoinPath(dir, kSavedModelFile);
  const std::string need =
      "tf1hub needs a TF1 Hub module: a directory with tfhub_module.pb and saved_model.pb, as "
      "written by hub.Module.export";
  if (!fs->FileExists(saved_model_path)) {
    std::string extra;
    if (fs->FileExists(JoinPath(dir, "saved_model.pbtxt"))) {
      extra = " (it has a text saved_model.pbtxt, which hub modules never use)";
    }
    return InvalidArgumentError("not a TF1 Hub module: no tfhub_module.pb or saved_model.pb in " +
                                dir + extra + "; " + need);
  }
  tensorflow::SavedModel saved_model;
  StatusOr<std::string> bytes = ReadBoundedFile(fs, saved_model_path, kMaxSavedModelBytes);
  if (!bytes.ok() || !ParseProto(saved_model_path, *bytes, &saved_model).ok()) {
    return InvalidArgumentError("not a TF1 Hub module: " + dir +
                                " has no tfhub_module.pb, and its saved_model.pb does not parse; " +
                                need);
  }
  bool has_object_graph = false;
  std::vector<std::string> tag_sets;
  for (const tensorflow::MetaGraphDef& meta_graph : saved_model.meta_graphs()) {
    has_object_graph |= meta_graph.has_object_graph_def();
    const auto& tags = meta_graph.meta_info_def().tags();
    tag_sets.push_back(PyStrListRepr(std::vector<std::string>(tags.begin(), tags.end())));
  }
  std::string tags_text = "[";
  for (size_t i = 0; i < tag_sets.size(); ++i) tags_text += (i ? ", " : "") + tag_sets[i];
  tags_text += "]";
  if (has_object_graph) {
    return InvalidArgumentError(
        dir + " is a SavedModel (TF2, has object_graph_def / no hub module def, tag sets " +
        tags_text + ") — load it with hub.load/KerasLayer; " + need +
        " (tf1hub needs a TF1 Hub module with tfhub_module.pb)");
  }
  return InvalidArgumentError(
      dir + " is a TF1 SavedModel (tag sets " + tags_text +
      ") without tfhub_module.pb, not a TF1 Hub module — load it as a SavedModel, or wrap it "
      "with hub.create_module_spec_from_saved_model and export the module; " +
      need);
}

Status CheckModuleDef(FileSystem* fs, const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, ReadBoundedFile(fs, path, kMaxModuleDefBytes));
  tensorflow_hub::ModuleDef module_def;
  RETURN_IF_ERROR(ParseProto(path, bytes, &module_def));
  if (module_def.format() != tensorflow_hub::ModuleDef::FORMAT_V3) {
    return InvalidArgumentError("Unsupported module def format: " +
                                std::to_string(static_cast<int>(module_def.format())))
        .WithContext(path);
  }
  // Format 3 defines no optional features, so any listed one is unknown.
  std::set<std::string> features(module_def.required_features().begin(),
                                 module_def.required_features().end());
  if (!features.empty()) {
    return InvalidArgumentError("Unsupported features: " + PyStrListRepr(std::vector<std::string>(
                                                               features.begin(), features.end())))
        .WithContext(path);
  }
  return Status::OK();
}

bool HasVariables(const tensorflow::SavedModel& saved_model) {
  for (const tensorflow::MetaGraphDef& meta_graph : saved_model.meta_graphs()) {
    auto it = meta_graph.collection_def().find("variables");
    if (it == meta_graph.collection_def().end()) continue;
    const tensorflow::CollectionDef& c = it->second;
    if (c.bytes_list().value_size() > 0 || c.node_list().value_size() > 0) return true;
  }
  return false;
}

}  // namespace

StatusOr<std::shared_ptr<const ModuleSpec>> LoadModuleSpec(const std::string& path) {
  if (path.empty()) return InvalidArgumentError("LoadModuleSpec: empty module path");
  FileSystem* fs = PosixFileSystem();
  const std::string dir = StripTrailingSlashes(AbsolutePath(path));
  const std::string context = "loading the module from '" + dir + "'";

  if (!fs->FileExists(dir)) return NotFoundError("module path '" + dir + "' does not exist");
  StatusOr<bool> is_dir = fs->IsDirectory(dir);
  if (!is_dir.ok()) return is_dir.status().WithContext(context);
  if (!*is_dir) {
    return InvalidArgumentError("'" + dir +
                                "' is a file, not a module directory (a TF1 Hub module is a "
                                "directory with tfhub_module.pb and saved_model.pb; unpack "
                                "archives first)");
  }

  const std::string module_def_path = JoinPath(dir, kModuleDefFile);
  if (!fs->FileExists(module_def_path)) return DescribeNonModule(fs, dir);
  RETURN_IF_ERROR_WITH_CONTEXT(CheckModuleDef(fs, module_def_path), context);

  const std::string saved_model_path = JoinPath(dir, kSavedModelFile);
  if (!fs->FileExists(saved_model_path)) {
    return NotFoundError("'" + saved_model_path +
                         "' does not exist (the module has tfhub_module.pb but no saved_model.pb)");
  }
  StatusOr<std::string> bytes = ReadBoundedFile(fs, saved_model_path, kMaxSavedModelBytes);
  if (!bytes.ok()) return bytes.status().WithContext(context);
  tensorflow::SavedModel saved_model;
  RETURN_IF_ERROR_WITH_CONTEXT(ParseProto(saved_model_path, *bytes, &saved_model), context);
  bytes = std::string();
  if (saved_model.meta_graphs_size() == 0) {
    return InvalidArgumentError("'" + saved_model_path + "' holds no meta graph");
  }

  RETURN_IF_ERROR_WITH_CONTEXT(MergeAssetsKeyCollection(&saved_model, dir),
                               context + ": " + saved_model_path);
  RETURN_IF_ERROR_WITH_CONTEXT(CheckUniqueTags(saved_model), context);
  RETURN_IF_ERROR_WITH_CONTEXT(CheckCollectionsSupported(saved_model), context);
  for (const tensorflow::MetaGraphDef& meta_graph : saved_model.meta_graphs()) {
    StatusOr<std::vector<std::pair<std::string, std::string>>> attachments =
        ReadAttachments(meta_graph);
    if (!attachments.ok()) return attachments.status().WithContext(context);
  }

  std::string checkpoint_path =
      HasVariables(saved_model) ? JoinPath(JoinPath(dir, "variables"), "variables") : "";
  return std::shared_ptr<const ModuleSpec>(
      std::make_shared<ModuleSpec>(std::move(saved_model), dir, std::move(checkpoint_path)));
}

}  // namespace tf1hub::hub
