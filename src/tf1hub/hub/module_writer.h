// Internal: writes a TF1 Hub module directory in hub's order, for
// Module::Export and the exporters.
//
//   1. <path>/assets/ created; every asset of every variant (collection
//      asset_filepaths) copied there under its export name (basename, with
//      a numeric suffix on clashes: hello.txt, hello.txt0, ...), refusing to
//      overwrite an existing file; asset Consts set to "SAVEDMODEL-ASSET"
//      and AssetFileDefs put in collection saved_model_assets.
//   2. <path>/variables/ created; write_variables("<path>/variables/variables")
//      called (it writes the bundle, or nothing if there are no variables).
//   3. <path>/saved_model.pb written atomically (temp file + rename, replacing).
//   4. <path>/tfhub_module.pb (bytes 08 03) written atomically, last, and
//      refused if it exists already.
#ifndef TF1HUB_HUB_MODULE_WRITER_H_
#define TF1HUB_HUB_MODULE_WRITER_H_

#include <functional>
#include <string>

#include "tf1hub/hub/module_spec.h"
#include "tf1hub/status.h"

namespace tf1hub::hub {

Status WriteModuleDirectory(
    const std::string& path, const ModuleSpec& spec,
    const std::function<Status(const std::string& variables_prefix)>& write_variables);

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_MODULE_WRITER_H_
