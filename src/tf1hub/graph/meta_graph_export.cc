// ExportMetaGraph: tf.compat.v1.train.export_meta_graph on our Graph, minus
// the Saver (hub modules carry no saver_def).
//
// What TensorFlow 2.15 writes, and so what we write:
//   meta_info_def: stripped_op_list (OpDefs of the op types used, sorted by
//     name, descriptions removed), tensorflow_version, tensorflow_git_version,
//     stripped_default_attrs = true only when attrs were stripped;
//     meta_graph_version, tags and any_info stay unset.
//   graph_def: the nodes in creation order, with versions.
//   collection_def: every collection that holds at least one value.
#include <algorithm>
#include <string>

#include "tf1hub/graph/meta_graph.h"
#include "tf1hub/graph/shape_inference.h"

namespace tf1hub {
namespace {

// Number of values a CollectionDef holds, whatever its kind.
int CollectionSize(const tensorflow::CollectionDef& collection) {
  switch (collection.kind_case()) {
    case tensorflow::CollectionDef::kNodeList:
      return collection.node_list().value_size();
    case tensorflow::CollectionDef::kBytesList:
      return collection.bytes_list().value_size();
    case tensorflow::CollectionDef::kInt64List:
      return collection.int64_list().value_size();
    case tensorflow::CollectionDef::kFloatList:
      return collection.float_list().value_size();
    case tensorflow::CollectionDef::kAnyList:
      return collection.any_list().value_size();
    case tensorflow::CollectionDef::KIND_NOT_SET:
      break;
  }
  return 0;
}

}  // namespace

StatusOr<tensorflow::MetaGraphDef> ExportMetaGraph(const Graph& graph,
                                                   const MetaGraphExportOptions& options) {
  tensorflow::MetaGraphDef meta_graph;

  tensorflow::MetaGraphDef::MetaInfoDef* info = meta_graph.mutable_meta_info_def();
  *info->mutable_stripped_op_list() = graph.StrippedOpList();
  info->set_tensorflow_version(kTensorFlowVersion);
  info->set_tensorflow_git_version(kTensorFlowGitVersion);
  if (options.strip_default_attrs) info->set_stripped_default_attrs(true);

  tensorflow::GraphDef* graph_def = meta_graph.mutable_graph_def();
  *graph_def = graph.ToGraphDef({.strip_default_attrs = options.strip_default_attrs});
  if (options.add_output_shapes) {
    RETURN_IF_ERROR_WITH_CONTEXT(AddOutputShapes(graph, graph_def),
                                 "exporting the meta graph (adding _output_shapes)");
  }

  auto& collections = *meta_graph.mutable_collection_def();
  for (const auto& [key, collection] : graph.collections()) {
    if (CollectionSize(collection) == 0) continue;
    if (std::find(options.exclude_collections.begin(), options.exclude_collections.end(), key) !=
        options.exclude_collections.end()) {
      continue;
    }
    collections[key] = collection;
  }
  return meta_graph;
}

}  // namespace tf1hub
