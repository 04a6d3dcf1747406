// LatestModuleExporter (hub/estimator.py and the helpers of tf_utils.py:
// get_timestamped_export_dir, get_temp_export_dir, garbage_collect_exports).
#include "tf1hub/hub/latest_module_exporter.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/env.h"
#include "tf1hub/hub/module_impl.h"

namespace tf1hub::hub {
namespace {

constexpr int kMaxDirectoryCreationAttempts = 10;

bool IsVersionFolderName(const std::string& name) {
  return name.size() == 10 &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// garbage_collect_exports: keep the newest `keep` 10-digit folders.
Status GarbageCollectExports(FileSystem* fs, const std::string& export_path, int keep) {
  ASSIGN_OR_RETURN(std::vector<std::string> children, fs->GetChildren(export_path));
  std::vector<std::pair<int64_t, std::string>> versions;
  for (const std::string& name : children) {
    if (IsVersionFolderName(name)) versions.emplace_back(std::stoll(name), name);
  }
  std::sort(versions.begin(), versions.end());
  if (static_cast<int>(versions.size()) <= keep) return Status::OK();
  versions.resize(versions.size() - static_cast<size_t>(keep));
  for (const auto& [version, name] : versions) {
    Status deleted = fs->DeleteRecursively(JoinPath(export_path, name));
    // hub logs a NotFound and goes on (another process may have removed it).
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) return deleted;
  }
  return Status::OK();
}

}  // namespace

LatestModuleExporter::LatestModuleExporter(std::string name,
                                           std::shared_ptr<const ModuleSpec> spec,
                                           LatestModuleExporterOptions options)
    : name_(std::move(name)), spec_(std::move(spec)), options_(std::move(options)) {}

StatusOr<std::string> LatestModuleExporter::Export(const std::string& model_dir,
                                                   const std::string& export_path,
                                                   const std::string& checkpoint_path) {
  if (options_.exports_to_keep.has_value() && *options_.exports_to_keep <= 0) {
    return InvalidArgumentError("`exports_to_keep`, if provided, must be a positive number");
  }
  if (spec_ == nullptr) return InvalidArgumentError("LatestModuleExporter: the spec is null");
  std::string checkpoint = checkpoint_path;
  if (checkpoint.empty()) {
    StatusOr<std::string> latest = LatestCheckpoint(model_dir);
    if (!latest.ok()) {
      return FailedPreconditionError("no checkpoint to export in '" + model_dir +
                                     "': " + latest.status().message());
    }
    checkpoint = *latest;
  }

  FileSystem* fs = PosixFileSystem();
  const bool fake_clock = static_cast<bool>(options_.clock);
  auto now = [&]() -> int64_t {
    if (fake_clock) return options_.clock();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  // get_timestamped_export_dir: a folder name not taken yet; on a clash wait
  // a second (the injected clock stands for time, so tests do not sleep).
  std::string timestamp;
  for (int attempt = 0;; ++attempt) {
    if (attempt == kMaxDirectoryCreationAttempts) {
      return UnavailableError("Failed to obtain a unique export directory name after " +
                              std::to_string(kMaxDirectoryCreationAttempts) + " attempts.");
    }
    const std::string candidate = std::to_string(now());
    if (!fs->FileExists(JoinPath(export_path, candidate))) {
      timestamp = candidate;
      break;
    }
    if (!fake_clock) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  const std::string export_dir = JoinPath(export_path, timestamp);
  const std::string temp_dir = JoinPath(export_path, "temp-" + timestamp);

  const std::string prefix = options_.scope_prefix;
  auto transform = [&prefix](const std::string& name) { return prefix + name; };
  Status exported = ExportModuleFromCheckpoint(
      spec_, options_.tags, JoinPath(temp_dir, options_.export_name), checkpoint, transform);
  if (!exported.ok()) {
    return exported.WithContext("exporting module '" + name_ + "' from " + checkpoint);
  }
  RETURN_IF_ERROR(fs->RenameFile(temp_dir, export_dir));
  if (options_.exports_to_keep.has_value()) {
    RETURN_IF_ERROR(GarbageCollectExports(fs, export_path, *options_.exports_to_keep));
  }
  return export_dir;
}

}  // namespace tf1hub::hub
