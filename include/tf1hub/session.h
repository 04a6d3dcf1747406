// Session: runs a TensorFlow graph (a GraphDef) on the CPU, the way
// TensorFlow 1's tf.Session does.
//
// Run(feeds, fetches, targets) computes only what the fetches and targets
// need: fed tensors replace their producers, every other node the fetches
// depend on runs once, in an order that respects data and control edges.
// The first Run with a given (feeds, fetches, targets) signature compiles a
// plan (pruning, ordering, kernels, buffer lifetimes); later Runs with the
// same signature reuse it and do no graph work.
//
// Variables (both ref variables, VariableV2, and resource variables,
// VarHandleOp) live in the session and keep their values across Runs.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Session> session, Session::Create(graph_def));
//   RETURN_IF_ERROR(session->Run({}, {}, {"init"}).status());   // initializers
//   ASSIGN_OR_RETURN(std::vector<Tensor> out,
//                    session->Run({{"x:0", x}}, {"logits:0"}, {}));
//
// Tensor names are "node:index" ("node" alone means "node:0"); targets are
// node names (a trailing ":0" is not allowed, as in TensorFlow).
//
// Errors follow TensorFlow's wording, e.g.
//   INVALID_ARGUMENT: You must feed a value for placeholder tensor 'x' with
//     dtype float and shape [?,50]\n\t [[{{node x}}]]
//   FAILED_PRECONDITION: Attempting to use uninitialized value w\n\t [[{{node w/read}}]]
//   NOT_FOUND: Op type not registered 'Foo' in binary ...
//
// Thread safety: Run may be called concurrently from any number of threads
// (each Run has its own intermediate values; variables are locked per
// access). Extend is safe concurrently with Run.
#ifndef TF1HUB_SESSION_H_
#define TF1HUB_SESSION_H_

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tf1hub/status.h"
#include "tf1hub/tensor.h"

namespace tensorflow {
class GraphDef;
}  // namespace tensorflow

namespace tf1hub {

struct SessionOptions {
  // Threads kernels may use within one op. 0: share the process-wide pool
  // (one thread per hardware thread). 1: run every op on the calling thread.
  int intra_op_threads = 0;
  // Most compiled plans kept; beyond it the cache starts over (plans are
  // cheap to rebuild; kernels are kept per node regardless).
  size_t max_cached_plans = 1024;
};

class Session {
 public:
  // Checks the graph: known ops (OpDef registry), default attrs filled in,
  // attrs valid, unique node names, inputs naming existing nodes and
  // outputs with matching dtypes. Kernels are created on first use.
  static StatusOr<std::unique_ptr<Session>> Create(const tensorflow::GraphDef& graph,
                                                   const SessionOptions& options = {});
  // The same, taking the nodes over instead of copying them (large Const
  // nodes are then held once by the session, not twice).
  static StatusOr<std::unique_ptr<Session>> Create(tensorflow::GraphDef&& graph,
                                                   const SessionOptions& options = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Feeds `feeds` (tensor name -> value), runs what `fetches` (tensor names)
  // and `targets` (node names) need, and returns the fetched values in
  // order. A tensor may be fetched more than once; fetching a fed tensor
  // returns the fed value.
  StatusOr<std::vector<Tensor>> Run(const std::vector<std::pair<std::string, Tensor>>& feeds,
                                    const std::vector<std::string>& fetches,
                                    const std::vector<std::string>& targets);

  // Adds the nodes of `graph` (as TensorFlow's Session.Extend: new names
  // only; they may use the existing nodes as inputs). Cached plans stay valid.
  Status Extend(const tensorflow::GraphDef& graph);

  // Number of compiled plans currently cached (for tests and monitoring).
  size_t num_cached_plans() const;

  class Impl;

 private:
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tf1hub

#endif  // TF1HUB_SESSION_H_
