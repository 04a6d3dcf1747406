// `tf1hub inspect MODULE [--json]`: what a TF1 Hub module holds — its graph
// variants (tag sets), each variant's signatures with their inputs and
// outputs, attached messages and AssetFileDefs, the module's variables and
// the files in its assets/ folder.
//
// The module is loaded with hub::LoadModuleSpec (so the checks and messages
// are those of loading); variables are read from the `variables` collection
// (VariableDefs, with dtype and shape from the handle nodes' attrs), grouped
// when partitioned, and checked against the bundle index
// <MODULE>/variables/variables.index when it exists. Published modules are
// sometimes copied without their (large) variables/ files: then inspect
// still works and says "variables: not present (N declared)".
//
// Text form (shapes as TensorFlow prints them: [?,50]; <unknown> for an
// unknown rank):
//   module /m (TF1 Hub format 3)
//   graph variant tags=[] (default)
//     signature 'default'
//       input  default: float32 [?,50]
//       output default: float32 [?,100]
//       output hidden_activations: float32 [?,200]
//     attachments: none
//   variables: 4 in variables/variables (161200 bytes)
//     dense/bias: float32 [200]
//     ...
//   assets: none
//
// JSON form (one object; shapes are lists with -1 for an unknown dimension,
// null for an unknown rank):
//   {"path": "/m", "format": 3,
//    "graph_variants": [{"tags": [], "signatures": {"default":
//        {"inputs": {"default": {"dtype": "float32", "shape": [-1, 50]}},
//         "outputs": {...}}},
//      "attachments": {"key": {"bytes": 12}},
//      "asset_file_defs": [{"tensor": "vocab:0", "filename": "tokens.txt"}]}],
//    "variables": {"present": true, "declared": 4, "bundle_bytes": 161200,
//                  "by_name": {"dense/bias": {"dtype": "float32", "shape": [200],
//                              "in_bundle": true}},
//                  "undeclared_in_bundle": []},
//    "assets": {"tokens.txt": {"bytes": 20}}}
// Sparse inputs/outputs carry "sparse": true (shape = dense shape),
// composite ones "composite": true; partitioned variables "partitions": k.
#ifndef TF1HUB_TOOLS_HUB_INSPECT_H_
#define TF1HUB_TOOLS_HUB_INSPECT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tf1hub/data_type.h"
#include "tf1hub/hub/module_spec.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub::cli {

struct InspectedTensor {
  std::string key;
  DataType dtype = DataType::kInvalid;
  PartialTensorShape shape;
  bool is_sparse = false;
  bool is_composite = false;
};

struct InspectedSignature {
  std::string name;
  std::vector<InspectedTensor> inputs;   // sorted by key
  std::vector<InspectedTensor> outputs;  // sorted by key
};

struct InspectedAttachment {
  std::string key;
  uint64_t bytes = 0;  // size of the serialized message
};

struct InspectedAssetFileDef {
  std::string tensor;    // "vocab_file:0"
  std::string filename;  // bare name inside assets/
};

struct InspectedVariant {
  hub::TagSet tags;
  std::vector<InspectedSignature> signatures;  // sorted by name
  std::vector<InspectedAttachment> attachments;  // in stored order
  std::vector<InspectedAssetFileDef> asset_file_defs;
};

struct InspectedVariable {
  std::string name;  // module-relative ("dense/kernel"); partitioned: the full name
  DataType dtype = DataType::kInvalid;
  PartialTensorShape shape;  // partitioned: the full shape
  int partitions = 0;        // 0: not partitioned
  bool in_bundle = false;    // meaningful when the bundle is present
};

struct InspectedFile {
  std::string name;  // relative to assets/
  uint64_t bytes = 0;
};

struct ModuleInspection {
  std::string path;
  int format = 3;
  std::vector<InspectedVariant> variants;  // as hub::ModuleSpec::GetTags orders them
  // Declared by any variant's `variables` collection, sorted by name.
  std::vector<InspectedVariable> variables;
  // True if <path>/variables/variables.index exists (and was read).
  bool variables_present = false;
  uint64_t bundle_bytes = 0;  // index + data files
  // Bundle entries no variant declares.
  std::vector<std::string> undeclared_in_bundle;
  std::vector<InspectedFile> asset_files;  // sorted by name
};

// Loads and inspects the module at `path`.
StatusOr<ModuleInspection> InspectModule(const std::string& path);

std::string InspectionText(const ModuleInspection& inspection);
nlohmann::ordered_json InspectionJson(const ModuleInspection& inspection);

// Helpers shared with the other hub commands.
// "[?,50]" / "<unknown>".
std::string ShapeText(const PartialTensorShape& shape);
// [-1, 50] / null.
nlohmann::ordered_json ShapeJson(const PartialTensorShape& shape);
// "--tags a,b" -> {"a", "b"}; "" -> {} (the default variant). Empty items
// ("a,,b") are InvalidArgument.
StatusOr<hub::TagSet> ParseTagsOption(const std::string& text);

}  // namespace tf1hub::cli

#endif  // TF1HUB_TOOLS_HUB_INSPECT_H_
