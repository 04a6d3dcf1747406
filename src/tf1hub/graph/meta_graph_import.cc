// ImportMetaGraph: tf.compat.v1.train.import_meta_graph without the Saver.
//
// The GraphDef goes in through ImportGraphDef with the scope taken exactly;
// then each collection that passes the filter is added to the graph with
// every name pointing at the imported node. Names are looked up in the
// importer's node_names map (so a node the importer had to rename on a
// clash is still found) and fall back to "<scope>/<name>" for names the
// GraphDef does not have, as TF's prepend_name_scope does.
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tf1hub/graph/meta_graph.h"
#include "tf1hub/proto/variable.pb.h"

namespace tf1hub {
namespace {

// Collections whose bytes are VariableDefs (TF registers VariableDef as their
// proto type with ops.register_proto_function).
bool IsVariableCollection(std::string_view key) {
  return key == graph_keys::kGlobalVariables || key == graph_keys::kLocalVariables ||
         key == graph_keys::kModelVariables || key == graph_keys::kTrainableVariables ||
         key == graph_keys::kMovingAverageVariables || key == graph_keys::kMetricVariables ||
         key == graph_keys::kGlobalStep;
}

class NameMapper {
 public:
  NameMapper(std::string scope, const std::map<std::string, std::string>& node_names)
      : scope_(std::move(scope)), node_names_(node_names) {}

  // A node name of the imported GraphDef -> its name in the graph.
  std::string Node(std::string_view name) const {
    auto it = node_names_.find(std::string(name));
    if (it != node_names_.end()) return it->second;
    return scope_.empty() ? std::string(name) : scope_ + "/" + std::string(name);
  }

  // "x", "x:N" or "^x" (node-list values; VariableDef names).
  std::string Element(std::string_view name) const {
    if (name.empty()) return "";
    if (name[0] == '^') {
      std::string out = "^";  // (built in place: avoids a GCC 12 -Wrestrict false positive)
      out += Node(name.substr(1));
      return out;
    }
    const size_t colon = name.rfind(':');
    if (colon != std::string_view::npos) {
      return Node(name.substr(0, colon)) + std::string(name.substr(colon));
    }
    return Node(name);
  }

  // A name that is not a node (SaveSliceInfoDef.full_name): just prefixed.
  std::string Prefixed(std::string_view name) const {
    if (name.empty() || scope_.empty()) return std::string(name);
    return scope_ + "/" + std::string(name);
  }

 private:
  std::string scope_;
  const std::map<std::string, std::string>& node_names_;
};

StatusOr<std::string> RenameVariableDef(const std::string& key, const std::string& bytes,
                                        const NameMapper& names) {
  tensorflow::VariableDef def;
  if (!def.ParseFromString(bytes)) {
    return InvalidArgumentError("collection '" + key + "': a value is not a valid VariableDef");
  }
  def.set_variable_name(names.Element(def.variable_name()));
  def.set_initial_value_name(names.Element(def.initial_value_name()));
  def.set_initializer_name(names.Element(def.initializer_name()));
  def.set_snapshot_name(names.Element(def.snapshot_name()));
  if (def.has_save_slice_info_def()) {
    tensorflow::SaveSliceInfoDef* slice = def.mutable_save_slice_info_def();
    slice->set_full_name(names.Prefixed(slice->full_name()));
  }
  std::string out;
  def.SerializeToString(&out);
  return out;
}

Status ImportCollection(Graph* graph, const std::string& key,
                        const tensorflow::CollectionDef& collection, const NameMapper& names) {
  using Kind = tensorflow::CollectionDef::KindCase;
  switch (collection.kind_case()) {
    case Kind::kNodeList:
      for (const std::string& value : collection.node_list().value()) {
        RETURN_IF_ERROR(graph->AddToCollection(key, names.Element(value)));
      }
      break;
    case Kind::kBytesList:
      for (const std::string& value : collection.bytes_list().value()) {
        if (IsVariableCollection(key)) {
          ASSIGN_OR_RETURN(std::string renamed, RenameVariableDef(key, value, names));
          RETURN_IF_ERROR(graph->AddBytesToCollection(key, std::move(renamed)));
        } else {
          RETURN_IF_ERROR(graph->AddBytesToCollection(key, value));
        }
      }
      break;
    case Kind::kInt64List:
      for (int64_t value : collection.int64_list().value()) {
        RETURN_IF_ERROR(graph->AddInt64ToCollection(key, value));
      }
      break;
    case Kind::kFloatList:
      for (float value : collection.float_list().value()) {
        RETURN_IF_ERROR(graph->AddFloatToCollection(key, value));
      }
      break;
    case Kind::kAnyList:
      // Graph holds no Any values; TF itself only keeps them as opaque
      // Python objects. Nothing hub keeps uses them.
      break;
    case Kind::KIND_NOT_SET:
      break;
  }
  return Status::OK();
}

}  // namespace

StatusOr<MetaGraphImportResults> ImportMetaGraph(const Scope& scope,
                                                 const tensorflow::MetaGraphDef& meta_graph,
                                                 const MetaGraphImportOptions& options) {
  if (!scope.ok()) return scope.status();
  std::string import_scope = options.import_scope;
  while (!import_scope.empty() && import_scope.back() == '/') import_scope.pop_back();

  ImportGraphDefOptions graph_options;
  graph_options.name = import_scope.empty() ? std::string() : import_scope + "/";
  graph_options.input_map = options.input_map;
  graph_options.return_elements = options.return_elements;
  MetaGraphImportResults results;
  ASSIGN_OR_RETURN(results.graph, ImportGraphDef(scope, meta_graph.graph_def(), graph_options));

  // Sorted keys, as import_meta_graph walks them.
  std::vector<std::string> keys;
  for (const auto& [key, collection] : meta_graph.collection_def()) {
    if (!options.collection_filter || options.collection_filter(key)) keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  const NameMapper names(results.graph.prefix, results.graph.node_names);
  for (const std::string& key : keys) {
    RETURN_IF_ERROR_WITH_CONTEXT(
        ImportCollection(scope.graph(), key, meta_graph.collection_def().at(key), names),
        "importing collection '" + key + "'");
  }
  return results;
}

}  // namespace tf1hub
