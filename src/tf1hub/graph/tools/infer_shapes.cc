// tf1hub_infer_shapes: reads a binary GraphDef, imports it into a Graph
// (ImportGraphDef with no name prefix), adds `_output_shapes` to every node
// with outputs (AddOutputShapes) and writes the GraphDef back out. Used by
// interop/test_shape_inference.py to compare our static shapes with the
// ones TensorFlow writes for as_graph_def(add_shapes=True).
//
//   tf1hub_infer_shapes in.pb out.pb [--keep-output-shapes]
//
// By default `_output_shapes` attrs of the input are dropped first; with
// --keep-output-shapes they stay and are merged in, as TF's importer does.
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/import.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/graph/shape_inference.h"

namespace {

tf1hub::Status Run(const std::string& in_path, const std::string& out_path, bool keep) {
  std::ifstream in(in_path, std::ios::binary);
  if (!in) return tf1hub::NotFoundError("cannot open '" + in_path + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  tensorflow::GraphDef graph_def;
  if (!graph_def.ParseFromString(buffer.str())) {
    return tf1hub::DataLossError("'" + in_path + "' is not a binary GraphDef");
  }
  if (!keep) {
    for (tensorflow::NodeDef& node : *graph_def.mutable_node()) {
      node.mutable_attr()->erase("_output_shapes");
    }
  }
  tf1hub::Scope root = tf1hub::Scope::NewRootScope();
  tf1hub::ImportGraphDefOptions options;
  options.name = "";
  ASSIGN_OR_RETURN(tf1hub::ImportGraphDefResults results,
                   tf1hub::ImportGraphDef(root, graph_def, options));
  tensorflow::GraphDef out_def = root.graph()->ToGraphDef();
  RETURN_IF_ERROR(tf1hub::AddOutputShapes(*root.graph(), &out_def));
  // Give the nodes back their GraphDef names, should the importer have
  // renamed any, so the caller can match them.
  std::map<std::string, std::string> original;
  for (const auto& [def_name, graph_name] : results.node_names) original[graph_name] = def_name;
  for (tensorflow::NodeDef& node : *out_def.mutable_node()) {
    auto it = original.find(node.name());
    if (it != original.end()) node.set_name(it->second);
  }
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out || !out_def.SerializeToOstream(&out)) {
    return tf1hub::UnavailableError("cannot write '" + out_path + "'");
  }
  return tf1hub::Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  const bool keep = argc == 4 && std::string(argv[3]) == "--keep-output-shapes";
  if (argc != 3 && !keep) {
    std::fprintf(stderr, "usage: %s IN_GRAPH_DEF.pb OUT_GRAPH_DEF.pb [--keep-output-shapes]\n",
                 argv[0]);
    return 2;
  }
  tf1hub::Status s = Run(argv[1], argv[2], keep);
  if (!s.ok()) {
    std::fprintf(stderr, "tf1hub_infer_shapes: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
