// `tf1hub export-latest ...`: see hub_export_latest.h.
#include "hub_export_latest.h"

#include <memory>
#include <string>

#include "hub_inspect.h"
#include "tf1hub/hub/latest_module_exporter.h"
#include "tf1hub/hub/module_spec.h"

namespace tf1hub::cli {
StatusOr<std::string> ExportLatest(const ExportLatestArgs& args) {
  if (args.keep <= 0) {
    return InvalidArgumentError("--keep must be a positive number of exports to keep (got " +
                                std::to_string(args.keep) + ")");
  }
  if (args.name.empty() || args.name == "." || args.name == ".." ||
      args.name.find('/') != std::string::npos) {
    return InvalidArgumentError("--name '" + args.name +
                                "' must be a plain folder name (the export goes to "
                                "BASE/<seconds>/NAME)");
  }
  ASSIGN_OR_RETURN(hub::TagSet tags, ParseTagsOption(args.tags));
  StatusOr<std::shared_ptr<const hub::ModuleSpec>> spec = hub::LoadModuleSpec(args.spec);
  if (!spec.ok()) return spec.status().WithContext("--spec '" + args.spec + "'");
  hub::LatestModuleExporterOptions options;
  options.export_name = args.name;
  options.scope_prefix = args.scope;
  options.exports_to_keep = args.keep;
  options.tags = tags;
  hub::LatestModuleExporter exporter("tf1hub", *spec, options);
  return exporter.Export(args.model_dir, args.export_dir);
}

}  // namespace tf1hub::cli
