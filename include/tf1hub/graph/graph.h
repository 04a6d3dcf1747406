// Graph: a TF1 computation graph under construction. It owns a
// tensorflow::GraphDef plus the indexes TensorFlow's Python Graph keeps:
// name -> node, the per-node output dtypes, the names in use (for unique
// naming), and the graph collections.
//
// Nodes are added through op constructors (tf1hub/graph/ops.h) via a Scope,
// by ImportGraphDef (tf1hub/graph/import.h), or directly with AddNode. Every
// node is checked against its OpDef the way TensorFlow's importer checks a
// GraphDef, so whatever Graph holds imports in TensorFlow.
//
// Inside the Graph every node carries all of its OpDef's attrs (defaults
// filled in), as TensorFlow's in-memory graph does; ToGraphDef can strip
// default-valued attrs as export_meta_graph(strip_default_attrs=True) does.
// Both forms import in TensorFlow.
//
//   Scope root = Scope::NewRootScope();
//   Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat);
//   Output y = ops::Relu(root, x);
//   tensorflow::GraphDef def = root.graph()->ToGraphDef();
//   // def.node: x (Placeholder), Relu (Relu, input "x")
//
// Thread safety: const methods may run concurrently; mutation must be
// serialised by the caller (a graph is built by one thread, then read).
#ifndef TF1HUB_GRAPH_GRAPH_H_
#define TF1HUB_GRAPH_GRAPH_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/proto/graph.pb.h"
#include "tf1hub/proto/meta_graph.pb.h"
#include "tf1hub/proto/op_def.pb.h"
#include "tf1hub/status.h"

namespace tf1hub {

// TensorFlow 2.15's GRAPH_DEF_VERSION: tf.compat.v1 graphs it builds carry
// versions { producer: 1645 } (min_consumer 0).
inline constexpr int kGraphDefVersion = 1645;

// Collection keys, with the strings of tf.compat.v1.GraphKeys.
namespace graph_keys {
inline constexpr char kGlobalVariables[] = "variables";
inline constexpr char kLocalVariables[] = "local_variables";
inline constexpr char kMetricVariables[] = "metric_variables";
inline constexpr char kModelVariables[] = "model_variables";
inline constexpr char kTrainableVariables[] = "trainable_variables";
inline constexpr char kSummaries[] = "summaries";
inline constexpr char kQueueRunners[] = "queue_runners";
inline constexpr char kTableInitializers[] = "table_initializer";
inline constexpr char kAssetFilepaths[] = "asset_filepaths";
inline constexpr char kMovingAverageVariables[] = "moving_average_variables";
inline constexpr char kRegularizationLosses[] = "regularization_losses";
inline constexpr char kConcatenatedVariables[] = "concatenated_variables";
inline constexpr char kSavers[] = "savers";
inline constexpr char kWeights[] = "weights";
inline constexpr char kBiases[] = "biases";
inline constexpr char kActivations[] = "activations";
inline constexpr char kUpdateOps[] = "update_ops";
inline constexpr char kLosses[] = "losses";
inline constexpr char kSaveableObjects[] = "saveable_objects";
inline constexpr char kResources[] = "resources";
inline constexpr char kLocalResources[] = "local_resources";
inline constexpr char kTrainableResourceVariables[] = "trainable_resource_variables";
inline constexpr char kInitOp[] = "init_op";
inline constexpr char kLocalInitOp[] = "local_init_op";
inline constexpr char kReadyOp[] = "ready_op";
inline constexpr char kReadyForLocalInitOp[] = "ready_for_local_init_op";
inline constexpr char kSummaryOp[] = "summary_op";
inline constexpr char kGlobalStep[] = "global_step";
inline constexpr char kEvalStep[] = "eval_step";
inline constexpr char kTrainOp[] = "train_op";
inline constexpr char kCondContext[] = "cond_context";
inline constexpr char kWhileContext[] = "while_context";
}  // namespace graph_keys

struct GraphDefOptions {
  // Drop attrs whose value equals the OpDef default (TF2-era exports and
  // hub modules do; TF1 as_graph_def() does not).
  bool strip_default_attrs = false;
};

class Graph {
 public:
  Graph();
  ~Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  // ---- Nodes ------------------------------------------------------------

  int num_nodes() const { return graph_def_.node_size(); }
  // The node called `name`, or nullptr.
  const tensorflow::NodeDef* FindNode(std::string_view name) const;
  // The graph as held: nodes in creation order, all attrs present.
  const tensorflow::GraphDef& graph_def() const { return graph_def_; }
  // A copy for export.
  tensorflow::GraphDef ToGraphDef(const GraphDefOptions& options = {}) const;

  const tensorflow::VersionDef& versions() const { return graph_def_.versions(); }
  void set_versions(const tensorflow::VersionDef& versions) {
    *graph_def_.mutable_versions() = versions;
  }

  // Adds a node, checked as TensorFlow's importer checks one: a valid name
  // ([A-Za-z0-9.][A-Za-z0-9_./-]*) not used by another node; a registered
  // op (NotFound otherwise); attrs complete after filling defaults, known
  // and of the right types; data inputs ("x", "x:N") then control inputs
  // ("^x"), all naming existing nodes; the number of data inputs and their
  // dtypes (ref-ness included) matching the OpDef. The name is marked as
  // used for UniqueName. Op constructors and ImportGraphDef call this.
  Status AddNode(tensorflow::NodeDef node);

  // Replaces data input `index` of `node` by `input` (same dtype), e.g. to
  // close a while loop by feeding NextIteration back into its Merge.
  Status UpdateInput(std::string_view node, int index, const Output& input);

  // Adds the control input "^control" to `node` unless already present;
  // control inputs stay sorted by name after the data inputs, as TF writes.
  Status AddControlInput(std::string_view node, const Operation& control);

  // ---- Output types -----------------------------------------------------

  // The dtype of a node's output (base type; ref outputs give the type they
  // refer to). NotFound for unknown nodes, OutOfRange for bad indexes.
  StatusOr<DataType> OutputType(const Output& output) const;
  // The same for a tensor name: "node:1", or "node" for output 0.
  StatusOr<DataType> TensorType(std::string_view tensor_name) const;
  // True for ref outputs (VariableV2, Assign...).
  StatusOr<bool> IsRefOutput(const Output& output) const;
  StatusOr<int> NumOutputs(std::string_view node) const;

  // ---- Names --------------------------------------------------------------

  // TensorFlow's Graph.unique_name for a full name (name scope included):
  // `name` if unused, else name_1, name_2, ... skipping used names. Names
  // are compared case-insensitively ("Dense" collides with "dense"). With
  // mark_as_used the result is reserved, so later calls do not return it.
  std::string UniqueName(std::string_view name, bool mark_as_used = true);
  // True if `name` was reserved (by a node, a name scope or UniqueName).
  bool IsNameUsed(std::string_view name) const;
  // True if a node is called `name` or has a name under "name/"
  // (case-sensitive; what TF's importer treats as taken). Constant time in
  // the graph's size (kept up to date as nodes are added).
  bool HasNodeOrNodePrefix(std::string_view name) const {
    return node_names_and_prefixes_.count(name) > 0;
  }

  // ---- Collections --------------------------------------------------------
  //
  // Keys are free-form (see graph_keys). A collection holds one kind of value:
  // node or tensor names ("init", "x:0"), serialized protos (VariableDef
  // bytes), int64s or floats, as in MetaGraphDef.collection_def. Adding a
  // value of another kind than the collection holds is InvalidArgument.

  Status AddToCollection(std::string_view key, std::string_view node_or_tensor_name);
  Status AddBytesToCollection(std::string_view key, std::string bytes);
  Status AddInt64ToCollection(std::string_view key, int64_t value);
  Status AddFloatToCollection(std::string_view key, float value);
  // The collection, or nullptr if nothing was added under `key`.
  const tensorflow::CollectionDef* GetCollection(std::string_view key) const;
  void ClearCollection(std::string_view key);
  // Keys in sorted order.
  std::vector<std::string> CollectionKeys() const;
  const std::map<std::string, tensorflow::CollectionDef, std::less<>>& collections() const {
    return collections_;
  }

  // ---- Export -------------------------------------------------------------

  // The OpDefs of every op type used, sorted by name, descriptions stripped:
  // MetaInfoDef.stripped_op_list as export_meta_graph writes it.
  tensorflow::OpList StrippedOpList() const;

 private:
  friend class NodeBuilder;
  friend class GraphImporter;
  friend class Scope;

  struct NodeInfo {
    std::vector<tensorflow::DataType> outputs;
    std::vector<bool> output_is_ref;
    // Control-dependency frames (Scope::WithControlDependencies) the node was
    // created in; TF skips a frame's control inputs for a node whose data
    // input was created in that same frame.
    std::vector<int64_t> control_frames;
  };

  // Checks and completes `node` (defaults, signature) without adding it.
  // `resolve` maps a data input to its dtype and ref-ness; used by AddNode
  // and by the importer (whose inputs may come later in its GraphDef).
  Status PrepareNode(tensorflow::NodeDef* node, NodeInfo* info,
                     std::vector<tensorflow::DataType>* input_types,
                     std::vector<bool>* input_is_ref) const;
  // Appends a prepared node and indexes it; marks its name as used.
  void AppendNode(tensorflow::NodeDef node, NodeInfo info);
  const NodeInfo* FindInfo(std::string_view name) const;
  void MarkNameUsedIfNew(std::string_view name);
  int64_t NewControlFrame() { return next_control_frame_++; }

  tensorflow::GraphDef graph_def_;
  std::map<std::string, int, std::less<>> index_;  // name -> position in graph_def_
  std::vector<NodeInfo> info_;                     // parallel to graph_def_.node
  std::map<std::string, int, std::less<>> names_in_use_;  // lowercased name -> count
  std::map<std::string, tensorflow::CollectionDef, std::less<>> collections_;
  // Every node name and each of its "a", "a/b" prefixes (HasNodeOrNodePrefix).
  std::set<std::string, std::less<>> node_names_and_prefixes_;
  int64_t next_control_frame_ = 1;
};

// Inserts `name` and each of its "a", "a/b" prefixes into `names` (the
// names a node called "a/b/c" makes taken for TF's importer).
void InsertNameAndPrefixes(std::string_view name, std::set<std::string, std::less<>>* names);

// True if `name` is a valid node name for TensorFlow's importer:
// [A-Za-z0-9.][A-Za-z0-9_./-]* (names starting with "_" are internal).
bool IsValidNodeName(std::string_view name);

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_GRAPH_H_
