// LatestModuleExporter: publishes a module from the newest checkpoint of a
// training directory, as hub.LatestModuleExporter does for an Estimator.
//
// Export(model_dir, export_path) resolves the newest checkpoint from
// <model_dir>/checkpoint (tf.train.latest_checkpoint), builds a Module of
// the spec in a fresh graph, restores every module variable from that
// checkpoint under options.scope_prefix + its module-relative name, exports
// to <export_path>/temp-<seconds>/<export_name>, renames temp-<seconds> to
// <export_path>/<seconds> (10-digit Unix seconds; if that folder exists it
// waits a second and retries, at most 10 times), and deletes all but the
// newest `exports_to_keep` 10-digit folders of export_path.
//
//   hub::LatestModuleExporter exporter("tf_hub", spec, {.exports_to_keep = 3});
//   ASSIGN_OR_RETURN(std::string dir, exporter.Export("/train", "/train/export/tf_hub"));
//   // dir == "/train/export/tf_hub/1764120000", holding "module/"
//
// Thread safety: Export calls on one exporter must be serialised.
#ifndef TF1HUB_HUB_LATEST_MODULE_EXPORTER_H_
#define TF1HUB_HUB_LATEST_MODULE_EXPORTER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tf1hub/hub/module_spec.h"
#include "tf1hub/status.h"

namespace tf1hub::hub {

struct LatestModuleExporterOptions {
  // Sub-folder of each timestamped export (register_module_for_export's
  // export_name).
  std::string export_name = "module";
  // Prefix of the module's variables in the training checkpoint
  // ("" = module-relative names; "tower/" finds "tower/dense/kernel").
  std::string scope_prefix = "";
  // Newest exports kept; nullopt keeps all. Must be > 0.
  std::optional<int> exports_to_keep = 5;
  TagSet tags = {};
  // Seconds since the epoch (tests replace it).
  std::function<int64_t()> clock = {};
};

class LatestModuleExporter {
 public:
  LatestModuleExporter(std::string name, std::shared_ptr<const ModuleSpec> spec,
                       LatestModuleExporterOptions options = {});
  const std::string& name() const { return name_; }

  // Returns the timestamped export folder. `checkpoint_path` empty: the
  // latest checkpoint of model_dir (FailedPrecondition if there is none).
  StatusOr<std::string> Export(const std::string& model_dir, const std::string& export_path,
                               const std::string& checkpoint_path = "");

 private:
  std::string name_;
  std::shared_ptr<const ModuleSpec> spec_;
  LatestModuleExporterOptions options_;
};

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_LATEST_MODULE_EXPORTER_H_
