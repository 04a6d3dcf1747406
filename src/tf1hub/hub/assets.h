// Internal: module assets, as hub's saved_model_lib handles them.
//
// In a spec (created or loaded) an asset is a string Const whose value is
// the file's path, listed as "node:0" in collection asset_filepaths. On
// disk the Const holds "SAVEDMODEL-ASSET", the file sits in <module>/assets/
// and collection saved_model_assets (an any_list of AssetFileDef) maps the
// tensor to the file name.
//
//   MakeAssetsKeyCollection: spec -> disk form (hub's
//     _make_assets_key_collection): per meta graph, asset tensors sorted by
//     name; file names are basenames made unique across the whole module by
//     a numeric suffix (hello.txt, hello.txt0, hello.txt1, ...); the same
//     source path maps to one file.
//   MergeAssetsKeyCollection: disk -> spec form (hub's
//     _merge_assets_key_collection): Consts point at <module>/assets/<name>,
//     names that lead outside assets/ are refused, saved_model_assets is
//     removed.
//
// Thread safety: pure functions.
#ifndef TF1HUB_HUB_ASSETS_H_
#define TF1HUB_HUB_ASSETS_H_

#include <string>
#include <vector>

#include "tf1hub/proto/saved_model.pb.h"
#include "tf1hub/status.h"

namespace tf1hub::hub {

inline constexpr char kAssetsCollection[] = "saved_model_assets";
inline constexpr char kAssetPlaceholderValue[] = "SAVEDMODEL-ASSET";
inline constexpr char kAssetFileDefTypeUrl[] = "type.googleapis.com/tensorflow.AssetFileDef";

struct AssetCopy {
  std::string source;       // the path the spec's Const held
  std::string destination;  // <export_path>/assets/<filename>
};

// Rewrites `saved_model` in place; returns the copies to make, in the order
// their names were assigned.
StatusOr<std::vector<AssetCopy>> MakeAssetsKeyCollection(tensorflow::SavedModel* saved_model,
                                                         const std::string& export_path);

Status MergeAssetsKeyCollection(tensorflow::SavedModel* saved_model, const std::string& module_dir);

// <module_dir>/assets/<filename>, lexically normalised; InvalidArgument
// "Asset filename (x) points outside assets_dir" if it is not strictly
// inside the assets directory.
StatusOr<std::string> AssetPath(const std::string& module_dir, const std::string& filename);

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_ASSETS_H_
