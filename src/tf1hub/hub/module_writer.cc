// WriteModuleDirectory: the TF1 Hub module layout, written in hub's order
// (SavedModelHandler.export then _ModuleSpec._export; see module_writer.h).
#include "tf1hub/hub/module_writer.h"

#include <fcntl.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <string>

#include "tf1hub/env.h"
#include "tf1hub/hub/assets.h"
#include "tf1hub/proto/module_def.pb.h"

namespace tf1hub::hub {
namespace {

// Bytes of a message with map entries in key order, so the same spec always
// gives the same file.
std::string SerializeDeterministically(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

std::string RandomHex() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

// Moves `from` to `to` unless `to` exists (AlreadyExists then), atomically:
// renameat2(RENAME_NOREPLACE) where the file system has it, else link() +
// unlink(), which also fails if `to` exists.
Status RenameNoReplace(const std::string& from, const std::string& to) {
#ifdef RENAME_NOREPLACE
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return Status::OK();
  }
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
    if (errno == EEXIST) return AlreadyExistsError("'" + to + "' already exists");
    return UnknownError("renaming '" + from + "' to '" + to + "': " + std::strerror(errno));
  }
#endif
  if (::link(from.c_str(), to.c_str()) != 0) {
    if (errno == EEXIST) return AlreadyExistsError("'" + to + "' already exists");
    return UnknownError("linking '" + from + "' to '" + to + "': " + std::strerror(errno));
  }
  ::unlink(from.c_str());
  return Status::OK();
}

// tf_utils.atomic_write_string_to_file(overwrite=False): a temp file
// "<path>.tmp<hex>" moved to `path` only if `path` does not exist.
Status WriteStringToFileNoOverwrite(FileSystem* fs, const std::string& path,
                                    const std::string& contents) {
  const std::string tmp = path + ".tmp" + RandomHex();
  Status status = [&]() -> Status {
    ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, fs->NewWritableFile(tmp));
    RETURN_IF_ERROR(file->Append(contents));
    RETURN_IF_ERROR(file->Sync());
    RETURN_IF_ERROR(file->Close());
    return RenameNoReplace(tmp, path);
  }();
  if (!status.ok()) {
    if (fs->FileExists(tmp)) fs->DeleteFile(tmp).IgnoreError();
    return status.WithContext("writing '" + path + "'");
  }
  return Status::OK();
}

Status CopyAssets(FileSystem* fs, const std::string& path, const std::vector<AssetCopy>& copies) {
  const std::string assets_dir = JoinPath(path, "assets");
  RETURN_IF_ERROR(fs->RecursivelyCreateDir(assets_dir));
  for (const AssetCopy& copy : copies) {
    // gfile.Copy(overwrite=False).
    if (fs->FileExists(copy.destination)) {
      return AlreadyExistsError("copying asset '" + copy.source + "' to '" + copy.destination +
                                "': the destination exists already");
    }
    RETURN_IF_ERROR_WITH_CONTEXT(fs->CopyFile(copy.source, copy.destination),
                                 "copying asset '" + copy.source + "'");
  }
  return Status::OK();
}

}  // namespace

Status WriteModuleDirectory(
    const std::string& path, const ModuleSpec& spec,
    const std::function<Status(const std::string& variables_prefix)>& write_variables) {
  FileSystem* fs = PosixFileSystem();
  const std::string context = "exporting the module to '" + path + "'";

  // 1. Assets (on a copy of the spec's SavedModel).
  tensorflow::SavedModel saved_model = spec.saved_model();
  StatusOr<std::vector<AssetCopy>> copies = MakeAssetsKeyCollection(&saved_model, path);
  if (!copies.ok()) return copies.status().WithContext(context);
  RETURN_IF_ERROR_WITH_CONTEXT(CopyAssets(fs, path, *copies), context);

  // 2. Variables.
  const std::string variables_dir = JoinPath(path, "variables");
  RETURN_IF_ERROR_WITH_CONTEXT(fs->RecursivelyCreateDir(variables_dir), context);
  if (write_variables) {
    RETURN_IF_ERROR_WITH_CONTEXT(write_variables(JoinPath(variables_dir, "variables")),
                                 context + ": writing the variables");
  }

  // 3. saved_model.pb, replacing any earlier one atomically.
  RETURN_IF_ERROR_WITH_CONTEXT(
      fs->WriteStringToFileAtomically(JoinPath(path, "saved_model.pb"),
                                      SerializeDeterministically(saved_model)),
      context);

  // 4. tfhub_module.pb last: its presence marks a complete module.
  tensorflow_hub::ModuleDef module_def;
  module_def.set_format(tensorflow_hub::ModuleDef::FORMAT_V3);
  RETURN_IF_ERROR_WITH_CONTEXT(WriteStringToFileNoOverwrite(fs, JoinPath(path, "tfhub_module.pb"),
                                                            module_def.SerializeAsString()),
                               context);
  return Status::OK();
}

}  // namespace tf1hub::hub
