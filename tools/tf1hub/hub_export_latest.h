// `tf1hub export-latest --spec MODULE --model-dir DIR --export-dir BASE
//  [--name NAME] [--scope PREFIX] [--keep N] [--tags a,b]`: publishes a
// module from the newest checkpoint of a training directory, as
// hub.LatestModuleExporter does at the end of an Estimator evaluation.
//
// The module's graphs come from MODULE (any TF1 Hub module, e.g. an earlier
// export); its variables are read from DIR's latest checkpoint (the
// `checkpoint` state file) under PREFIX + their module-relative names. The
// export goes to BASE/<unix seconds>/NAME (through BASE/temp-<seconds>,
// renamed when complete); only the newest N timestamped exports are kept.
// The command prints the timestamped folder.
#ifndef TF1HUB_TOOLS_HUB_EXPORT_LATEST_H_
#define TF1HUB_TOOLS_HUB_EXPORT_LATEST_H_

#include <string>

#include "tf1hub/status.h"

namespace tf1hub::cli {

struct ExportLatestArgs {
  std::string spec;        // --spec MODULE
  std::string model_dir;   // --model-dir DIR
  std::string export_dir;  // --export-dir BASE
  std::string name = "module";
  std::string scope;       // --scope PREFIX
  int keep = 5;            // --keep N (> 0)
  std::string tags;        // --tags a,b
};

// Checks the arguments, exports, and returns the timestamped folder.
StatusOr<std::string> ExportLatest(const ExportLatestArgs& args);

}  // namespace tf1hub::cli

#endif  // TF1HUB_TOOLS_HUB_EXPORT_LATEST_H_
