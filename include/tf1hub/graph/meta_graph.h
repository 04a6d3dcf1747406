// MetaGraphDef export and import, as tf.compat.v1.train.export_meta_graph
// and tf.compat.v1.train.import_meta_graph do (without the Saver parts).
//
// Export (ExportMetaGraph): the graph's nodes (optionally with default attrs
// stripped and `_output_shapes` added), meta_info_def.stripped_op_list with
// the OpDefs of every op used, tensorflow_version "2.15.1",
// tensorflow_git_version, stripped_default_attrs, and every non-empty
// collection as a CollectionDef (VariableDef bytes for variable
// collections). Empty collections are not written, as TF skips them.
//
// Import (ImportMetaGraph): ImportGraphDef of meta_graph.graph_def under
// options.import_scope with options.input_map, then the collections whose
// keys pass options.collection_filter, with every name rewritten to the
// imported one: node_list entries ("x", "x:0", "^x") get the scope prefix;
// bytes_list entries of variable collections are VariableDefs whose names
// get the prefix (and whose save_slice_info_def.full_name does too);
// other bytes/int64/float/any lists are copied as they are.
//
//   MetaGraphImportOptions options;
//   options.import_scope = "module";
//   ASSIGN_OR_RETURN(MetaGraphImportResults r, ImportMetaGraph(root, meta_graph, options));
//
// Thread safety: as Scope / Graph.
#ifndef TF1HUB_GRAPH_META_GRAPH_H_
#define TF1HUB_GRAPH_META_GRAPH_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/import.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/proto/meta_graph.pb.h"
#include "tf1hub/status.h"

namespace tf1hub {

// The tensorflow_version / tensorflow_git_version we write into
// MetaInfoDef: the TensorFlow release whose behaviour we reproduce.
inline constexpr char kTensorFlowVersion[] = "2.15.1";
inline constexpr char kTensorFlowGitVersion[] = "v2.15.0-11-g63f5a65c7cd";

struct MetaGraphExportOptions {
  bool strip_default_attrs = true;
  // Adds `_output_shapes` to every node with outputs (add_shapes=True).
  bool add_output_shapes = false;
  // Collection keys to leave out (in addition to empty collections).
  std::vector<std::string> exclude_collections = {};
};

// The MetaGraphDef of `graph` (tags, signatures and saver_def left empty).
StatusOr<tensorflow::MetaGraphDef> ExportMetaGraph(const Graph& graph,
                                                  const MetaGraphExportOptions& options = {});

struct MetaGraphImportOptions {
  // Name scope the nodes go under ("" = none). Taken exactly (as
  // import_meta_graph's import_scope), not made unique.
  std::string import_scope;
  std::map<std::string, Output> input_map = {};
  // Which collections to import; empty function = all.
  std::function<bool(const std::string& key)> collection_filter = {};
  std::vector<std::string> return_elements = {};
};

struct MetaGraphImportResults {
  ImportGraphDefResults graph;
};

StatusOr<MetaGraphImportResults> ImportMetaGraph(const Scope& scope,
                                                 const tensorflow::MetaGraphDef& meta_graph,
                                                 const MetaGraphImportOptions& options = {});

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_META_GRAPH_H_
