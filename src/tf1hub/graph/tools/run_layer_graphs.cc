// tf1hub_run_layer_graphs SPEC.json: runs a graph in our Session, several
// Runs in a row on the same session (so variables initialised by one Run are
// there for the next), writing fetched tensors as .npy. Used by
// interop/test_graph_layers_to_tf.py to compare with TensorFlow.
//
//   {
//     "graph": "/tmp/mlp.meta.pb",              MetaGraphDef (or GraphDef with "graph_def")
//     "runs": [
//       {"targets": ["init"]},
//       {"feeds": {"x:0": "/tmp/x.npy", "t:0": "/tmp/t.npy"},
//        "fetches": {"out:0": "/tmp/out.npy"},
//        "targets": ["batch_normalization/AssignMovingAvg/AssignSubVariableOp"]}
//     ]
//   }
//
// Exit status 0 on success; 1 with the Status on stderr otherwise.
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tf1hub/npy.h"
#include "tf1hub/proto/graph.pb.h"
#include "tf1hub/proto/meta_graph.pb.h"
#include "tf1hub/session.h"
#include "tf1hub/status.h"

namespace tf1hub {
namespace {

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

StatusOr<tensorflow::GraphDef> LoadGraph(const nlohmann::json& spec) {
  if (spec.contains("graph")) {
    const std::string path = spec["graph"].get<std::string>();
    ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
    tensorflow::MetaGraphDef meta;
    if (!meta.ParseFromString(bytes)) return DataLossError("'" + path + "' is not a MetaGraphDef");
    return meta.graph_def();
  }
  if (spec.contains("graph_def")) {
    const std::string path = spec["graph_def"].get<std::string>();
    ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
    tensorflow::GraphDef graph;
    if (!graph.ParseFromString(bytes)) return DataLossError("'" + path + "' is not a GraphDef");
    return graph;
  }
  return InvalidArgumentError("the spec needs \"graph\" or \"graph_def\"");
}

Status RunSpec(const nlohmann::json& spec) {
  ASSIGN_OR_RETURN(tensorflow::GraphDef graph, LoadGraph(spec));
  ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::Create(graph));
  int index = 0;
  for (const nlohmann::json& run : spec.value("runs", nlohmann::json::array())) {
    const std::string where = "run " + std::to_string(index++);
    // Locals: items() refers to the json it iterates.
    const nlohmann::json feed_spec = run.value("feeds", nlohmann::json::object());
    const nlohmann::json fetch_spec = run.value("fetches", nlohmann::json::object());
    std::vector<std::pair<std::string, Tensor>> feeds;
    for (const auto& [name, path] : feed_spec.items()) {
      StatusOr<Tensor> t = ReadNpyFile(path.get<std::string>());
      if (!t.ok()) return t.status().WithContext(where + ": feed '" + name + "'");
      feeds.emplace_back(name, std::move(*t));
    }
    std::vector<std::string> fetches, outputs;
    for (const auto& [name, path] : fetch_spec.items()) {
      fetches.push_back(name);
      outputs.push_back(path.get<std::string>());
    }
    std::vector<std::string> targets = run.value("targets", std::vector<std::string>{});
    StatusOr<std::vector<Tensor>> values = session->Run(feeds, fetches, targets);
    if (!values.ok()) return values.status().WithContext(where);
    for (size_t i = 0; i < outputs.size(); ++i) {
      RETURN_IF_ERROR_WITH_CONTEXT(WriteNpyFile(outputs[i], (*values)[i]),
                                   where + ": writing '" + fetches[i] + "'");
    }
  }
  return Status::OK();
}

}  // namespace
}  // namespace tf1hub

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s SPEC.json\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  nlohmann::json spec = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (spec.is_discarded()) {
    std::fprintf(stderr, "%s: not valid JSON\n", argv[1]);
    return 1;
  }
  tf1hub::Status status;
  try {
    status = tf1hub::RunSpec(spec);
  } catch (const nlohmann::json::exception& e) {  // wrong JSON types in the spec
    status = tf1hub::InvalidArgumentError(std::string(argv[1]) + ": " + e.what());
  }
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
