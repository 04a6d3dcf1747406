// Variables of a TF1 graph, as tf.compat.v1.get_variable builds them.
//
// GetVariable(scope, "w", shape) creates, with the names TensorFlow 2.15
// gives (use_resource=true, the default):
//   w/Initializer/...              initial value (see initializers.h), _class loc:@w
//   w                              VarHandleOp (shared_name "w", debug_name "w/"), _class loc:@w
//   w/IsInitialized/VarIsInitializedOp
//   w/Assign                       AssignVariableOp(w, initial value)
//   w/Read/ReadVariableOp          the snapshot
// and with use_resource=false:
//   w/Initializer/...              _class loc:@w
//   w                              VariableV2, _class loc:@w
//   w/Assign                       Assign (colocated with w)
//   w/read                         Identity, the snapshot (colocated with w)
// (TF builds the initial value before the variable node; we build the
// variable node first so the initializer can be colocated with it. Names,
// ops and attrs are the same; only the GraphDef order differs.)
//
// The variable's name is "<variable scope>/<name>" (Scope::WithVariableScope;
// the name scope does not matter, as in TF). Its VariableDef goes into the
// `variables` collection (or options.collections) and, if trainable, into
// `trainable_variables`; a regularizer adds "<name>/Regularizer/..." to
// `regularization_losses` (TF 2.15 builds that loss lazily, when the
// collection is first used; we build it at once). Asking again for an
// existing name is an error unless options.reuse says otherwise.
//
//   Scope root = Scope::NewRootScope();
//   Variable w = GetVariable(root.WithVariableScope("dense"), "kernel", {4, 3},
//                            {.initializer = initializers::GlorotUniform(1)});
//   Output y = ops::MatMul(root, x, w.Read(root));   // root/ReadVariableOp
//   Operation init = GlobalVariablesInitializer(root); // NoOp "init"
//
// Reading a resource variable as an op input adds a ReadVariableOp where TF
// adds one; OpNameScope gives TF's names ("dense/MatMul/ReadVariableOp"):
//
//   OpNameScope mm(scope, "MatMul");
//   Output y = ops::MatMul(mm.op(), x, w.Read(mm.inputs()));
//
// Errors follow scope.h (sticky status; an empty Variable).
//
// Thread safety: as Scope. Variable is a plain value.
#ifndef TF1HUB_GRAPH_VARIABLES_H_
#define TF1HUB_GRAPH_VARIABLES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/graph/graph.h"
#include "tf1hub/graph/initializers.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/regularizers.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/proto/variable.pb.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

// A variable of a graph: the names of its nodes plus its type.
class Variable {
 public:
  Variable() = default;  // empty (as returned on error)

  bool empty() const { return name_.empty(); }
  // "dense/kernel" (the handle / VariableV2 node).
  const std::string& name() const { return name_; }
  DataType dtype() const { return dtype_; }
  // Fully defined for variables made by GetVariable; may be partial for
  // variables read from a VariableDef.
  const PartialTensorShape& shape() const { return shape_; }
  bool is_resource() const { return is_resource_; }
  bool trainable() const { return trainable_; }

  // The VarHandleOp (DT_RESOURCE) or VariableV2 (ref) output.
  Output handle() const { return Output{name_, 0}; }
  Output initial_value() const { return initial_value_; }
  Operation initializer() const { return initializer_; }
  // "w/Read/ReadVariableOp:0" or "w/read:0".
  Output snapshot() const { return snapshot_; }

  // The value for use as an op input, as TF converts a variable: resource
  // variables get a new ReadVariableOp in `scope` (named "ReadVariableOp",
  // colocation cleared, as ResourceVariable.value() does); ref variables
  // give their snapshot ("w/read") and build nothing.
  Output Read(const Scope& scope) const;

  // VariableDef as Variable.to_proto writes it.
  tensorflow::VariableDef ToProto() const;
  // Variable.from_proto: every name the VariableDef gives must exist in
  // `graph` (NotFound otherwise); dtype and shape come from the handle node.
  static StatusOr<Variable> FromProto(const Graph& graph, const tensorflow::VariableDef& def);

 private:
  friend class VariableAccess;  // variables.cc fills the fields
  std::string name_;
  DataType dtype_ = DataType::kInvalid;
  PartialTensorShape shape_;
  bool is_resource_ = true;
  bool trainable_ = true;
  Output initial_value_;
  Operation initializer_;
  Output snapshot_;
  tensorflow::VariableSynchronization synchronization_ = tensorflow::VARIABLE_SYNCHRONIZATION_AUTO;
  tensorflow::VariableAggregation aggregation_ = tensorflow::VARIABLE_AGGREGATION_NONE;
};

// variable_scope's reuse: kCreate (reuse=None: the name must be new), kReuse
// (reuse=True: the variable must exist; shape and dtype must match) and kAuto
// (tf.compat.v1.AUTO_REUSE: reuse if it exists, else create).
enum class VariableReuse { kCreate, kReuse, kAuto };

struct GetVariableOptions {
  DataType dtype = DataType::kFloat;
  // Empty: TF's default, glorot_uniform for floating dtypes, zeros otherwise.
  Initializer initializer = {};
  // Empty: none. Built as "<name>/Regularizer/..." colocated with the variable.
  Regularizer regularizer = {};
  bool trainable = true;
  bool use_resource = true;
  // Empty: {"variables"}. trainable_variables is added when trainable.
  std::vector<std::string> collections = {};
  // What to do if the variable exists already (see VariableReuse).
  VariableReuse reuse = VariableReuse::kCreate;
  tensorflow::VariableSynchronization synchronization = tensorflow::VARIABLE_SYNCHRONIZATION_AUTO;
  tensorflow::VariableAggregation aggregation = tensorflow::VARIABLE_AGGREGATION_NONE;
};

// tf.compat.v1.get_variable(name, shape, ...): see the file comment. Control
// dependencies of `scope` are not applied (TF builds variables in
// init_scope); the device is.
Variable GetVariable(const Scope& scope, std::string_view name, const TensorShape& shape,
                     const GetVariableOptions& options = {});

// The variable called `full_name` ("dense/kernel") recorded in the graph's
// variable collections (variables, local_variables), or nullopt.
std::optional<Variable> FindVariable(const Graph& graph, std::string_view full_name);

// The variables whose VariableDefs are in collection `key` ("variables",
// "trainable_variables", "model_variables", ...), in collection order.
StatusOr<std::vector<Variable>> CollectionVariables(const Graph& graph, std::string_view key);

// tf.compat.v1.variables_initializer(vars, name): a NoOp with a control input
// on every initializer (one NoOp per device under "<name>/" when the
// initializers sit on several devices, as control_flow_ops.group does).
Operation VariablesInitializer(const Scope& scope, const std::vector<Variable>& variables,
                               std::string_view name = "init");
// tf.compat.v1.global_variables_initializer(): over the `variables` collection.
Operation GlobalVariablesInitializer(const Scope& scope);

// TF's naming for an op with variable inputs: entering the op's name scope
// reserves its unique name ("dense/MatMul"); inputs converted inside are
// named under it ("dense/MatMul/ReadVariableOp"); the op takes the name.
class OpNameScope {
 public:
  // `op_name`: the op type or the name asked for (made unique).
  OpNameScope(const Scope& scope, std::string_view op_name);
  // Scope for input conversions (name scope "<op>").
  const Scope& inputs() const { return inputs_; }
  // Scope that builds the op itself with the reserved name.
  const Scope& op() const { return op_; }

 private:
  Scope inputs_;
  Scope op_;
};

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_VARIABLES_H_
