// `tf1hub graph run GRAPH.pb --feed TENSOR=FILE.npy ... --fetch KEY=TENSOR ...
//  [--target NODE ...] --out DIR`: runs a binary GraphDef (for example a
// frozen graph) in tf1hub's runtime and writes DIR/KEY.npy for each fetch, so
// anyone can compare tf1hub with TensorFlow on their own graph.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "command.h"
#include "tf1hub/env.h"
#include "tf1hub/npy.h"
#include "tf1hub/proto/graph.pb.h"
#include "tf1hub/session.h"

namespace tf1hub::cli {
namespace {

struct GraphRunArgs {
  std::string graph_path;
  std::vector<std::string> feeds;    // TENSOR=FILE.npy
  std::vector<std::string> fetches;  // KEY=TENSOR
  std::vector<std::string> targets;  // node names
  std::string out_dir;
};

// Splits "LEFT=RIGHT" at the last '=' (tensor names never hold '=', file
// paths might). `what` describes the expected form for errors.
StatusOr<std::pair<std::string, std::string>> SplitAssignment(const std::string& arg,
                                                              const char* option,
                                                              const char* form) {
  const size_t eq = arg.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
    return InvalidArgumentError(std::string(option) + " '" + arg + "': expected " + form);
  }
  return std::make_pair(arg.substr(0, eq), arg.substr(eq + 1));
}

// Output keys become file names: keep them to one plain path component.
Status CheckFetchKey(const std::string& key) {
  if (key == "." || key == ".." || key.find('/') != std::string::npos) {
    return InvalidArgumentError("--fetch key '" + key +
                                "' must be a plain file name (it becomes KEY.npy)");
  }
  return Status::OK();
}

StatusOr<tensorflow::GraphDef> ReadGraphDef(const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, PosixFileSystem()->ReadFileToString(path));
  tensorflow::GraphDef graph;
  if (!graph.ParseFromString(bytes)) {
    return DataLossError("'" + path + "' (" + std::to_string(bytes.size()) +
                         " bytes) is not a binary GraphDef");
  }
  return graph;
}

Status RunGraph(const GraphRunArgs& args) {
  std::vector<std::pair<std::string, Tensor>> feeds;
  for (const std::string& feed : args.feeds) {
    ASSIGN_OR_RETURN(auto parts, SplitAssignment(feed, "--feed", "TENSOR=FILE.npy"));
    StatusOr<Tensor> value = ReadNpyFile(parts.second);
    if (!value.ok()) return value.status().WithContext("--feed " + parts.first);
    feeds.emplace_back(parts.first, std::move(value).value());
  }
  std::vector<std::string> keys, fetch_names;
  for (const std::string& fetch : args.fetches) {
    ASSIGN_OR_RETURN(auto parts, SplitAssignment(fetch, "--fetch", "KEY=TENSOR"));
    RETURN_IF_ERROR(CheckFetchKey(parts.first));
    keys.push_back(parts.first);
    fetch_names.push_back(parts.second);
  }

  ASSIGN_OR_RETURN(tensorflow::GraphDef graph, ReadGraphDef(args.graph_path));
  StatusOr<std::unique_ptr<Session>> session = Session::Create(graph);
  if (!session.ok()) return session.status().WithContext("loading '" + args.graph_path + "'");
  StatusOr<std::vector<Tensor>> outputs = (*session)->Run(feeds, fetch_names, args.targets);
  if (!outputs.ok()) return outputs.status().WithContext("running '" + args.graph_path + "'");

  RETURN_IF_ERROR(PosixFileSystem()->RecursivelyCreateDir(args.out_dir));
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string path = JoinPath(args.out_dir, keys[i] + ".npy");
    Status written = WriteNpyFile(path, (*outputs)[i]);
    if (!written.ok()) {
      return written.WithContext("writing fetch '" + keys[i] + "' (" + fetch_names[i] + ")");
    }
  }
  return Status::OK();
}

}  // namespace

void AddGraphRunCommand(CLI::App& graph, int* exit_code) {
  CLI::App* run = graph.add_subcommand("run", "Run a binary GraphDef and save fetches as .npy");
  auto args = std::make_shared<GraphRunArgs>();
  run->add_option("graph", args->graph_path, "Binary GraphDef file (e.g. a frozen graph)")
      ->required();
  run->add_option("--feed", args->feeds, "TENSOR=FILE.npy: value for a tensor (e.g. x:0)");
  run->add_option("--fetch", args->fetches, "KEY=TENSOR: write TENSOR to DIR/KEY.npy");
  run->add_option("--target", args->targets, "Node to run without fetching (e.g. init)");
  run->add_option("--out,-o", args->out_dir, "Output directory")->required();
  SetCommandBody(run, exit_code, [args] { return RunGraph(*args); });
}

}  // namespace tf1hub::cli
