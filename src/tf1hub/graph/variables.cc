// Variables (include/tf1hub/graph/variables.h).
#include "tf1hub/graph/variables.h"

#include <algorithm>
#include <map>
#include <utility>

#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/control_flow_ops.h"
#include "tf1hub/graph/node_builder.h"
#include "tf1hub/graph/state_ops.h"
#include "tf1hub/graph/tensor_proto.h"

namespace tf1hub {

// Fills Variable's private fields (friend of Variable).
class VariableAccess {
 public:
  static Variable Make(std::string name, DataType dtype, PartialTensorShape shape, bool is_resource,
                       bool trainable, Output initial_value, Operation initializer, Output snapshot,
                       tensorflow::VariableSynchronization synchronization,
                       tensorflow::VariableAggregation aggregation) {
    Variable v;
    v.name_ = std::move(name);
    v.dtype_ = dtype;
    v.shape_ = std::move(shape);
    v.is_resource_ = is_resource;
    v.trainable_ = trainable;
    v.initial_value_ = std::move(initial_value);
    v.initializer_ = std::move(initializer);
    v.snapshot_ = std::move(snapshot);
    v.synchronization_ = synchronization;
    v.aggregation_ = aggregation;
    return v;
  }
};

namespace {

std::string Quoted(std::string_view s) {
  std::string out = "'";
  out.append(s);
  out.push_back('\'');
  return out;
}

bool IsFloatingType(DataType dtype) {
  return dtype == DataType::kFloat || dtype == DataType::kDouble || dtype == DataType::kHalf ||
         dtype == DataType::kBfloat16;
}

bool IsIntegerOrBoolOrString(DataType dtype) {
  switch (dtype) {
    case DataType::kInt8:
    case DataType::kInt16:
    case DataType::kInt32:
    case DataType::kInt64:
    case DataType::kUint8:
    case DataType::kUint16:
    case DataType::kUint32:
    case DataType::kUint64:
    case DataType::kBool:
    case DataType::kString:
      return true;
    default:
      return false;
  }
}

// _VariableStore._get_default_initializer.
StatusOr<Initializer> DefaultInitializer(std::string_view name, DataType dtype) {
  if (IsFloatingType(dtype)) return initializers::GlorotUniform();
  if (IsIntegerOrBoolOrString(dtype)) return initializers::Zeros();
  return InvalidArgumentError("An initializer for variable " + std::string(name) + " of " +
                              DataTypeName(dtype) + " is required");
}

// The handle node: VarHandleOp or VariableV2 named exactly `name`, carrying
// `_class: loc:@name` as TF's _attr_scope puts it.
Output MakeHandle(const Scope& scope, const std::string& name, const TensorShape& shape,
                  const GetVariableOptions& options) {
  const std::string loc = "loc:@" + name;
  NodeBuilder b(scope.WithOpName(name + "/"), options.use_resource ? "VarHandleOp" : "VariableV2");
  b.Attr("shape", PartialTensorShape::FromShape(shape))
      .Attr("dtype", options.dtype)
      .Attr("container", "")
      .Attr("_class", AttrStringList(std::vector<std::string>{loc}));
  if (options.use_resource) {
    b.Attr("shared_name", std::string_view(name))
        .Attr("debug_name", std::string_view(name + "/"))
        .Attr("allowed_devices", AttrStringList(std::vector<std::string>{}));
  } else {
    b.Attr("shared_name", "");
  }
  return b.FinalizeOutput();
}

Variable CreateVariable(const Scope& scope, const std::string& full_name, const TensorShape& shape,
                        const GetVariableOptions& options) {
  Graph* graph = scope.graph();
  // TF resets the name scope (variables are named by variable scope only)
  // and builds them in init_scope (no control dependencies).
  const Scope root = scope.NewSubScope("").WithNoControlDependencies();
  const Scope var_scope = root.NewSubScope(full_name);
  if (!scope.ok()) return Variable{};
  const std::string& name = var_scope.name_scope();

  Initializer init = options.initializer;
  if (init.empty()) {
    StatusOr<Initializer> d = DefaultInitializer(full_name, options.dtype);
    if (!d.ok()) {
      scope.UpdateStatus(d.status());
      return Variable{};
    }
    init = *d;
  }

  Output handle = MakeHandle(root, name, shape, options);
  if (handle.empty()) return Variable{};
  const std::string device = graph->FindNode(name)->device();
  Output initial_value =
      init(var_scope.NewSubScope("Initializer").ColocateWith(handle), shape, options.dtype);
  if (initial_value.empty()) {
    scope.UpdateStatus(
        InternalError("initializer of variable " + Quoted(full_name) + " built nothing"));
    return Variable{};
  }
  StatusOr<DataType> value_type = graph->OutputType(initial_value);
  if (value_type.ok() && *value_type != options.dtype) {
    scope.UpdateStatus(InvalidArgumentError("variable " + Quoted(full_name) +
                                            ": the initializer gives " + DataTypeName(*value_type) +
                                            ", the variable is " + DataTypeName(options.dtype)));
    return Variable{};
  }

  Operation initializer;
  Output snapshot;
  if (options.use_resource) {
    ops::VarIsInitializedOp(var_scope.NewSubScope("IsInitialized"), handle);
    // name_scope("Assign") + colocate_with(None) + device(handle.device).
    const std::string assign_name = var_scope.NewSubScope("Assign").name_scope();
    initializer = ops::AssignVariableOp(
        var_scope.ClearColocation().WithDevice(device).WithOpName(assign_name + "/"), handle,
        initial_value);
    snapshot = ops::ReadVariableOp(var_scope.NewSubScope("Read").WithDevice(device), handle,
                                   options.dtype);
  } else {
    initializer = ops::Assign(var_scope, handle, initial_value).op();
    snapshot = ops::Identity(var_scope.ColocateWith(handle).WithOpName("read"), handle);
  }
  if (!scope.ok()) return Variable{};

  Variable v =
      VariableAccess::Make(name, options.dtype, PartialTensorShape::FromShape(shape),
                           options.use_resource, options.trainable, initial_value, initializer,
                           snapshot, options.synchronization, options.aggregation);
  std::vector<std::string> collections = options.collections;
  if (collections.empty()) collections.push_back(graph_keys::kGlobalVariables);
  if (options.trainable && std::find(collections.begin(), collections.end(),
                                     graph_keys::kTrainableVariables) == collections.end()) {
    collections.push_back(graph_keys::kTrainableVariables);
  }
  const std::string bytes = v.ToProto().SerializeAsString();
  for (const std::string& key : collections) {
    scope.UpdateStatus(graph->AddBytesToCollection(key, bytes));
  }

  if (!options.regularizer.empty()) {
    // _get_single_variable: colocate_with(v), name_scope(name + "/Regularizer/").
    Scope reg_scope = root.NewSubScope(name + "/Regularizer/").ColocateWith(handle);
    Output loss = options.regularizer(reg_scope, v);
    if (!loss.empty()) {
      scope.UpdateStatus(
          graph->AddToCollection(graph_keys::kRegularizationLosses, loss.ToString()));
    }
  }
  if (!scope.ok()) return Variable{};
  return v;
}

StatusOr<tensorflow::VariableDef> ParseVariableDef(const std::string& bytes, std::string_view key) {
  tensorflow::VariableDef def;
  if (!def.ParseFromString(bytes)) {
    return DataLossError("collection " + Quoted(key) + ": a value is not a VariableDef");
  }
  return def;
}

}  // namespace

// ---- Variable -------------------------------------------------------------------

Output Variable::Read(const Scope& scope) const {
  if (empty()) {
    scope.UpdateStatus(InvalidArgumentError("reading an empty Variable"));
    return Output{};
  }
  if (!is_resource_) return snapshot_;
  return ops::ReadVariableOp(scope.ClearColocation(), handle(), dtype_);
}

tensorflow::VariableDef Variable::ToProto() const {
  tensorflow::VariableDef def;
  def.set_variable_name(handle().ToString());
  if (!initial_value_.empty()) def.set_initial_value_name(initial_value_.ToString());
  def.set_initializer_name(initializer_.name);
  def.set_snapshot_name(snapshot_.ToString());
  def.set_is_resource(is_resource_);
  def.set_trainable(trainable_);
  def.set_synchronization(synchronization_);
  def.set_aggregation(aggregation_);
  return def;
}

StatusOr<Variable> Variable::FromProto(const Graph& graph, const tensorflow::VariableDef& def) {
  const std::string where = "VariableDef " + Quoted(def.variable_name());
  auto find_tensor = [&](const std::string& tensor, const char* field) -> StatusOr<Output> {
    StatusOr<Output> out = ParseTensorName(tensor);
    if (!out.ok()) return out.status().WithContext(where + " " + field);
    if (graph.FindNode(out->node) == nullptr) {
      return NotFoundError(where + ": " + field + " " + Quoted(tensor) +
                           " names no node of the graph");
    }
    return out;
  };
  ASSIGN_OR_RETURN(Output handle, find_tensor(def.variable_name(), "variable_name"));
  ASSIGN_OR_RETURN(Output snapshot, find_tensor(def.snapshot_name(), "snapshot_name"));
  Output initial_value;
  if (!def.initial_value_name().empty()) {
    ASSIGN_OR_RETURN(initial_value, find_tensor(def.initial_value_name(), "initial_value_name"));
  }
  if (graph.FindNode(def.initializer_name()) == nullptr) {
    return NotFoundError(where + ": initializer_name " + Quoted(def.initializer_name()) +
                         " names no node of the graph");
  }
  const tensorflow::NodeDef& node = *graph.FindNode(handle.node);
  StatusOr<tensorflow::DataType> dtype = GetTypeAttr(node, "dtype");
  if (!dtype.ok()) return dtype.status().WithContext(where);
  PartialTensorShape shape = PartialTensorShape::UnknownRank();
  if (FindAttr(node, "shape") != nullptr) {
    ASSIGN_OR_RETURN(shape, GetShapeAttr(node, "shape"));
  }
  return VariableAccess::Make(handle.node, FromProtoDataType(*dtype), std::move(shape),
                              def.is_resource(), def.trainable(), initial_value,
                              Operation{def.initializer_name()}, snapshot, def.synchronization(),
                              def.aggregation());
}

// ---- Creation and lookup ----------------------------------------------------------

Variable GetVariable(const Scope& scope, std::string_view name, const TensorShape& shape,
                     const GetVariableOptions& options) {
  if (!scope.ok()) return Variable{};
  if (name.empty()) {
    scope.UpdateStatus(InvalidArgumentError("[get_variable] empty variable name"));
    return Variable{};
  }
  const std::string full_name = scope.variable_scope().empty()
                                    ? std::string(name)
                                    : scope.variable_scope() + "/" + std::string(name);
  std::optional<Variable> existing = FindVariable(*scope.graph(), full_name);
  if (existing.has_value()) {
    if (options.reuse == VariableReuse::kCreate) {
      scope.UpdateStatus(
          AlreadyExistsError("Variable " + full_name +
                             " already exists, disallowed. Did you mean to set reuse=True or "
                             "reuse=tf.AUTO_REUSE in VarScope?"));
      return Variable{};
    }
    if (!existing->shape().IsCompatibleWith(shape) || existing->shape().rank() != shape.rank()) {
      scope.UpdateStatus(InvalidArgumentError(
          "Trying to share variable " + full_name + ", but specified shape " + shape.DebugString() +
          " and found shape " + existing->shape().DebugString() + "."));
      return Variable{};
    }
    if (existing->dtype() != options.dtype) {
      scope.UpdateStatus(InvalidArgumentError("Trying to share variable " + full_name +
                                              ", but specified dtype " +
                                              DataTypeName(options.dtype) + " and found dtype " +
                                              DataTypeName(existing->dtype()) + "."));
      return Variable{};
    }
    return *existing;
  }
  if (options.reuse == VariableReuse::kReuse) {
    scope.UpdateStatus(NotFoundError(
        "Variable " + full_name +
        " does not exist, or was not created with tf.get_variable(). Did you mean to set "
        "reuse=tf.AUTO_REUSE in VarScope?"));
    return Variable{};
  }
  return CreateVariable(scope, full_name, shape, options);
}

std::optional<Variable> FindVariable(const Graph& graph, std::string_view full_name) {
  const std::string tensor = std::string(full_name) + ":0";
  for (const char* key : {graph_keys::kGlobalVariables, graph_keys::kLocalVariables}) {
    const tensorflow::CollectionDef* c = graph.GetCollection(key);
    if (c == nullptr || !c->has_bytes_list()) continue;
    for (const std::string& bytes : c->bytes_list().value()) {
      StatusOr<tensorflow::VariableDef> def = ParseVariableDef(bytes, key);
      if (!def.ok() || def->variable_name() != tensor) continue;
      StatusOr<Variable> v = Variable::FromProto(graph, *def);
      if (v.ok()) return *v;
    }
  }
  return std::nullopt;
}

StatusOr<std::vector<Variable>> CollectionVariables(const Graph& graph, std::string_view key) {
  std::vector<Variable> out;
  const tensorflow::CollectionDef* c = graph.GetCollection(key);
  if (c == nullptr) return out;
  if (!c->has_bytes_list()) {
    return InvalidArgumentError("collection " + Quoted(key) + " does not hold VariableDefs");
  }
  for (const std::string& bytes : c->bytes_list().value()) {
    ASSIGN_OR_RETURN(tensorflow::VariableDef def, ParseVariableDef(bytes, key));
    ASSIGN_OR_RETURN(Variable v, Variable::FromProto(graph, def));
    out.push_back(std::move(v));
  }
  return out;
}

// ---- Initializers -----------------------------------------------------------------

Operation VariablesInitializer(const Scope& scope, const std::vector<Variable>& variables,
                               std::string_view name) {
  if (!scope.ok()) return Operation{};
  if (variables.empty()) return ops::NoOp(scope.WithOpName(name));
  // control_flow_ops.group: name scope `name`, initializers grouped by device.
  Graph* graph = scope.graph();
  const Scope group = scope.NewSubScope(name);
  std::map<std::string, std::vector<Operation>> by_device;
  for (const Variable& v : variables) {
    const tensorflow::NodeDef* node = graph->FindNode(v.initializer().name);
    if (node == nullptr) {
      scope.UpdateStatus(NotFoundError("initializer " + Quoted(v.initializer().name) +
                                       " of variable " + Quoted(v.name()) +
                                       " is not in the graph"));
      return Operation{};
    }
    by_device[node->device()].push_back(v.initializer());
  }
  const Scope exact = scope.WithOpName(group.name_scope() + "/");
  if (by_device.size() == 1) {
    const auto& [device, deps] = *by_device.begin();
    return ops::NoOp(exact.WithDevice(device).WithControlDependencies(deps));
  }
  std::vector<Operation> per_device;
  for (const auto& [device, deps] : by_device) {  // std::map: sorted by device
    per_device.push_back(ops::NoOp(group.WithDevice(device).WithControlDependencies(deps)));
  }
  return ops::NoOp(exact.WithControlDependencies(per_device));
}

Operation GlobalVariablesInitializer(const Scope& scope) {
  if (!scope.ok()) return Operation{};
  StatusOr<std::vector<Variable>> vars =
      CollectionVariables(*scope.graph(), graph_keys::kGlobalVariables);
  if (!vars.ok()) {
    scope.UpdateStatus(vars.status().WithContext("[global_variables_initializer]"));
    return Operation{};
  }
  return VariablesInitializer(scope, *vars, "init");
}

// ---- OpNameScope ------------------------------------------------------------------

OpNameScope::OpNameScope(const Scope& scope, std::string_view op_name)
    : inputs_(scope), op_(scope) {
  if (!scope.ok()) return;
  const std::string name = scope.GetUniqueNameForOp(op_name);
  inputs_ = scope.NewSubScope(name + "/");
  op_ = scope.WithOpName(name + "/");
}

}  // namespace tf1hub
