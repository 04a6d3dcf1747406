// `tf1hub run MODULE [--tags a,b] [--signature NAME] --input KEY=FILE.npy ...
//  [--out DIR] [--json]`: runs one signature of a TF1 Hub module on .npy
// inputs, as a TF1 program with hub.Module would:
//
//   spec = hub::LoadModuleSpec(MODULE)
//   in a fresh graph: hub::Module::Create(spec, tags), one Placeholder per
//   signature input (the signature's dtype and shape), ApplyAsDict;
//   a Session over the graph runs the global variables initializer (which
//   restores the module's variables) and the `table_initializer` ops, then
//   the signature with the .npy values fed.
//
// Each output KEY is written to DIR/KEY.npy; a sparse output to
// DIR/KEY.indices.npy, DIR/KEY.values.npy and DIR/KEY.dense_shape.npy.
// --json prints {"KEY": {"dtype": "float32", "shape": [2,100],
// "values": [[...], [...]]}, ...} (values nested as numpy's tolist();
// float32/float16/bfloat16 in the shortest form that reads back as the same
// value, as numpy prints float32; NaN and infinities as the strings "nan",
// "inf", "-inf"; complex numbers as
// [real, imag]; strings as UTF-8 with invalid bytes replaced).
// At least one of --out and --json is needed.
//
// Inputs are checked before anything runs: every signature input must be
// given once and nothing else (hub's "Cannot convert dict_inputs: missing
// [...], extra given [...]"), each .npy must hold the signature's dtype
// exactly (no casting) and a shape compatible with the signature's.
// Sparse and composite inputs cannot be given as .npy (Unimplemented).
#ifndef TF1HUB_TOOLS_HUB_RUN_H_
#define TF1HUB_TOOLS_HUB_RUN_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tf1hub/hub/module_spec.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tf1hub::cli {

// An input value and where it came from (named in errors).
struct SignatureInput {
  Tensor value;
  std::string source;  // e.g. the .npy path
};

// Checks `inputs` against the signature's inputs (keys, dtypes, shapes).
Status CheckSignatureInputs(const std::map<std::string, hub::ParsedTensorInfo>& expected,
                            const std::map<std::string, SignatureInput>& inputs,
                            std::string_view signature);

// Runs `signature` of `spec` (variant `tags`) on `inputs`. Returns the
// outputs sorted by key; a sparse output KEY gives KEY.indices, KEY.values
// and KEY.dense_shape.
StatusOr<std::vector<std::pair<std::string, Tensor>>> RunModuleSignature(
    std::shared_ptr<const hub::ModuleSpec> spec, const hub::TagSet& tags,
    std::string_view signature, const std::map<std::string, SignatureInput>& inputs);

struct HubRunArgs {
  std::string module;
  std::string tags;                   // --tags a,b ("" = the default variant)
  std::string signature = "default";  // --signature
  std::vector<std::string> inputs;    // --input KEY=FILE.npy
  std::string out_dir;                // --out DIR ("" = none)
  bool json = false;                  // --json
};

// The whole command: loads the module, reads the inputs, runs, writes the
// .npy files, and with --json sets *json_text to the JSON document.
Status RunHubCommand(const HubRunArgs& args, std::string* json_text);

// {"dtype", "shape", "values"} for one tensor (see the file comment).
nlohmann::ordered_json TensorJson(const Tensor& tensor);

}  // namespace tf1hub::cli

#endif  // TF1HUB_TOOLS_HUB_RUN_H_
