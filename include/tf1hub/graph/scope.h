// Scope: where the next op goes and what it carries — the graph, the name
// scope, the op's name, control dependencies, device and colocation — plus
// a sticky error Status shared by every Scope derived from the same root.
//
// Scopes are cheap immutable values; each With*/NewSubScope returns a new
// Scope. Naming follows TensorFlow's Python graph (tf.compat.v1) exactly:
//
//   Scope root = Scope::NewRootScope();
//   Scope dense = root.NewSubScope("dense");        // name scope "dense"
//   ops::MatMul(dense, x, w);                       // node "dense/MatMul"
//   ops::MatMul(dense, x, w);                       // node "dense/MatMul_1"
//   root.NewSubScope("dense");                      // name scope "dense_1"
//   ops::Relu(root.WithOpName("out"), h);           // node "out"
//   root.NewSubScope("dense/");                     // re-enters "dense" exactly
//
// Unique names come from Graph::UniqueName (case-insensitive, shared by
// nodes and name scopes, like tf.Graph.unique_name). An op without
// WithOpName is named after its op type ("MatMul"), as tf.raw_ops names it.
//
// Errors are sticky: the first failing op constructor records its Status in
// the scope family and returns an empty Output; every later op constructor
// on any Scope of that family does nothing. Check once at the end:
//
//   if (!root.ok()) return root.status();
//
// Thread safety: a Scope family (and its Graph) must be used by one thread
// at a time.
#ifndef TF1HUB_GRAPH_SCOPE_H_
#define TF1HUB_GRAPH_SCOPE_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/status.h"

namespace tf1hub {

class Scope {
 public:
  // A root scope over a new Graph that the scope family owns.
  static Scope NewRootScope();
  // A root scope over an existing graph, which must outlive every Scope of
  // the family. Name scopes restart at the root; names already used in
  // `graph` stay used.
  static Scope RootScopeFor(Graph* graph);

  // ---- Names --------------------------------------------------------------

  // A name scope like tf.name_scope(name) entered from this scope:
  //   "dense"  -> unique name scope "<current>/dense" ("dense_1", ... if used);
  //   "a/b/"   -> exactly "a/b" (absolute, not made unique, as in TF);
  //   ""       -> the root name scope.
  // An invalid name (TF's scope-name pattern) puts the family in error.
  Scope NewSubScope(std::string_view name) const;
  // The next op built from the returned scope is called `name` inside the
  // current name scope, made unique ("out", "out_1"). A trailing "/" asks for
  // the exact name (an error if taken).
  Scope WithOpName(std::string_view name) const;
  // The current name scope without trailing slash ("" at the root).
  const std::string& name_scope() const { return name_scope_; }
  // The name the next op of type/default name `default_name` would get, and
  // reserves it (op constructors call this once per node).
  std::string GetUniqueNameForOp(std::string_view default_name) const;
  // Graph::UniqueName of "<name_scope>/<name>" (for layers making their own
  // scopes or variables).
  std::string UniqueName(std::string_view name, bool mark_as_used = true) const;

  // A variable scope, kept apart from the name scope as in TF1 (variables
  // are named by variable scope, ops by name scope). Scope only carries it;
  // layers and variable helpers interpret it. Absolute, no trailing slash.
  Scope WithVariableScope(std::string_view variable_scope) const;
  const std::string& variable_scope() const { return variable_scope_; }

  // ---- Control dependencies -------------------------------------------------

  // Ops built from the returned scope get "^op" control inputs on `ops`
  // (accumulating over nested calls, like tf.control_dependencies), except
  // ops already among their data inputs, and except when a data input was
  // itself built inside the same WithControlDependencies scope (TF's rule:
  // it already carries them). Control inputs are written sorted by name.
  Scope WithControlDependencies(std::span<const Operation> ops) const;
  Scope WithControlDependencies(std::initializer_list<Operation> ops) const {
    return WithControlDependencies(std::span<const Operation>(ops.begin(), ops.size()));
  }
  Scope WithControlDependencies(const Output& output) const {
    return WithControlDependencies({output.op()});
  }
  // tf.control_dependencies(None): drops all inherited control dependencies.
  Scope WithNoControlDependencies() const;

  // ---- Devices and colocation ---------------------------------------------

  // Merges a device spec ("/cpu:0", "/job:w/task:1", "/device:GPU:0") into
  // the current one, the new fields winning, and writes it canonically
  // ("/job:w/replica:1/device:CPU:0") as tf.device does. "" changes nothing.
  // A malformed spec puts the family in error.
  Scope WithDevice(std::string_view device) const;
  // tf.device(None): no device.
  Scope WithNoDevice() const;
  const std::string& device() const { return device_; }

  // tf.compat.v1.colocate_with(op): ops built from the returned scope get
  // `_class: ["loc:@..."]` with op's colocation groups (its own `_class`
  // loc:@ entries, else "loc:@<op>"), merged with any outer colocation,
  // sorted. The device scope is reset; an op then takes the device of the
  // most recent colocation target that has one.
  Scope ColocateWith(const Operation& op) const;
  Scope ColocateWith(const Output& output) const { return ColocateWith(output.op()); }
  // colocate_with(None, ignore_existing=True): no colocation.
  Scope ClearColocation() const;

  // ---- State ----------------------------------------------------------------

  Graph* graph() const { return graph_; }
  bool ok() const { return shared_->status.ok(); }
  const Status& status() const { return shared_->status; }
  // Records `status` if it is an error and the family has none yet.
  void UpdateStatus(const Status& status) const;

  // The graph as a GraphDef, or the sticky error.
  StatusOr<tensorflow::GraphDef> ToGraphDef(const GraphDefOptions& options = {}) const;

  // For op constructors (via NodeBuilder): the pieces applied to a new node.
  struct ControlFrame {
    int64_t id;
    std::vector<Operation> ops;
  };
  const std::vector<ControlFrame>& control_frames() const { return control_frames_; }
  const std::vector<std::string>& colocation_groups() const { return colocation_groups_; }
  const std::string& colocation_device() const { return colocation_device_; }
  // The device a new node gets: the colocation device if any, else device().
  const std::string& EffectiveDevice() const {
    return colocation_device_.empty() ? device_ : colocation_device_;
  }

 private:
  struct Shared {
    std::unique_ptr<Graph> owned_graph;
    Status status;
  };
  Scope(std::shared_ptr<Shared> shared, Graph* graph);

  std::shared_ptr<Shared> shared_;
  Graph* graph_ = nullptr;
  std::string name_scope_;
  std::string op_name_;  // from WithOpName; "" = default name
  std::string variable_scope_;
  std::vector<ControlFrame> control_frames_;
  std::string device_;
  std::vector<std::string> colocation_groups_;  // sorted, unique
  std::string colocation_device_;
};

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_SCOPE_H_
