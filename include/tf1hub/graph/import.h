// ImportGraphDef: copies a GraphDef into a Graph, as
// tf.compat.v1.import_graph_def does.
//
//   * Names get a prefix: options.name (default "import") made unique in the
//     Scope's name scope ("import", "import_1", "outer/import"); "" means no
//     prefix. The prefix applies to node names, inputs and "loc:@" colocation
//     entries. A prefixed (or unprefixed) name that still collides with the
//     graph is made unique the way TF's importer does (name_1, name_2, ...).
//   * input_map replaces tensors of the GraphDef by existing outputs:
//     {"x:0" (or "x") -> Output}, and control inputs: {"^x" -> Output whose
//     node replaces x}. Keys that name no node/output of the GraphDef are an
//     error, as in TF ("Attempted to map inputs that were not found in
//     graph_def: [...]").
//   * Every node is checked against its OpDef after filling default attrs:
//     unknown ops are NotFound (naming the op); unknown inputs, wrong input
//     counts or dtypes, bad attrs, duplicate names, malformed names and
//     cycles (other than NextIteration -> Merge loops) are InvalidArgument.
//   * Nodes are added in TF's import order (topological, lowest GraphDef
//     index first). Devices: a node's own device merged over the Scope's
//     device; nodes colocated with another node take that node's device.
//   * The graph's versions become min(producer), max(min_consumer) and the
//     union of bad_consumers; a GraphDef whose min_consumer is above
//     kGraphDefVersion, or that lists it as bad, is rejected.
//   * Import is all-or-nothing: on error no node is added (TF may leave
//     partial imports behind; only the prefix name stays reserved, as in TF).
//   * No control dependencies of the Scope are applied (TF applies none).
//
//   ImportGraphDefOptions options;
//   options.name = "m";
//   options.input_map["x:0"] = my_input;
//   options.return_elements = {"y:0", "init"};
//   ASSIGN_OR_RETURN(ImportGraphDefResults r, ImportGraphDef(scope, graph_def, options));
//   Output y = r.return_tensors[0];          // "m/y:0"
//   Operation init = r.return_operations[0]; // "m/init"
//
// Thread safety: as Scope (mutates the Scope's Graph).
#ifndef TF1HUB_GRAPH_IMPORT_H_
#define TF1HUB_GRAPH_IMPORT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/proto/graph.pb.h"
#include "tf1hub/status.h"

namespace tf1hub {

struct ImportGraphDefOptions {
  // Name scope for the imported nodes; nullopt = "import"; "" = none. A
  // trailing "/" takes the scope exactly (not made unique).
  std::optional<std::string> name = std::nullopt;
  std::map<std::string, Output> input_map = {};
  // "node:N" asks for a tensor (the input_map replacement if the tensor was
  // mapped), "node" for an operation.
  std::vector<std::string> return_elements = {};
};

struct ImportGraphDefResults {
  std::string prefix;  // "" or e.g. "import_1" (no trailing slash)
  std::vector<Output> return_tensors;         // in return_elements order
  std::vector<Operation> return_operations;   // in return_elements order
  // GraphDef node name -> name in the graph.
  std::map<std::string, std::string> node_names;
};

// Fails without touching the graph if the Scope is in error.
StatusOr<ImportGraphDefResults> ImportGraphDef(const Scope& scope,
                                               const tensorflow::GraphDef& graph_def,
                                               const ImportGraphDefOptions& options = {});

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_IMPORT_H_
