// init_from_checkpoint (tensorflow/python/training/checkpoint_utils.py) for
// module variables: each variable's initializer becomes a restore from the
// checkpoint, so the global variables initializer loads the stored values.
//
// Nodes per variable (part), as TF 2.15 names them in the current name
// scope, all on "/device:CPU:0" except the assign:
//   checkpoint_initializer/prefix            Const string, the resolved prefix
//   checkpoint_initializer/tensor_names      Const string [1]
//   checkpoint_initializer/shape_and_slices  Const string [1] ("" or "4 2 0,2:0,2")
//   checkpoint_initializer                   RestoreV2
//   resource: Identity, AssignVariableOp(handle, Identity)
//   ref:      Assign(ref, restored), colocated with the variable
#include <map>
#include <string>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/graph/array_ops.h"
#include "tf1hub/graph/io_ops.h"
#include "tf1hub/graph/state_ops.h"
#include "tf1hub/hub/module_impl.h"

namespace tf1hub::hub {
namespace {

std::string PythonList(const std::vector<int64_t>& dims) {
  std::string out = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(dims[i]);
  }
  return out + "]";
}

// reader.get_variable_to_shape_map() as Python prints it (sorted here).
std::string ShapeMapString(const CheckpointReader& reader) {
  std::string out = "{";
  bool first = true;
  for (const CheckpointEntryInfo& e : reader.Entries()) {
    if (!first) out += ", ";
    first = false;
    out += "'" + e.name + "': " + PythonList(e.shape.dims());
  }
  return out + "}";
}

bool IsCompatible(const PartialTensorShape& var_shape, const TensorShape& ckpt_shape) {
  return var_shape.IsCompatibleWith(ckpt_shape);
}

// SaveSliceInfo.spec: "<full dims> <offset,len:offset,len...>".
std::string SliceSpec(const tensorflow::VariableDef& def) {
  if (!def.has_save_slice_info_def()) return "";
  const tensorflow::SaveSliceInfoDef& info = def.save_slice_info_def();
  std::string out;
  for (int64_t d : info.full_shape()) out += std::to_string(d) + " ";
  for (int i = 0; i < info.var_offset_size() && i < info.var_shape_size(); ++i) {
    if (i > 0) out += ":";
    out += std::to_string(info.var_offset(i)) + "," + std::to_string(info.var_shape(i));
  }
  return out;
}

// Rewrites the VariableDefs of `handle_node` in every collection of the
// graph (TF sets variable._initializer_op / _initial_value on the one
// Python object that all collections share).
Status PointInitializerAt(Graph* graph, const std::string& variable_name,
                          const std::string& initializer, const std::string& initial_value) {
  for (const std::string& key : graph->CollectionKeys()) {
    const tensorflow::CollectionDef* c = graph->GetCollection(key);
    if (c == nullptr || !c->has_bytes_list()) continue;
    bool touched = false;
    std::vector<std::string> values(c->bytes_list().value().begin(), c->bytes_list().value().end());
    for (std::string& bytes : values) {
      tensorflow::VariableDef def;
      if (!def.ParseFromString(bytes) || def.variable_name() != variable_name) continue;
      def.set_initializer_name(initializer);
      def.set_initial_value_name(initial_value);
      bytes = def.SerializeAsString();
      touched = true;
    }
    if (!touched) continue;
    graph->ClearCollection(key);
    for (std::string& bytes : values) RETURN_IF_ERROR(graph->AddBytesToCollection(key, bytes));
  }
  return Status::OK();
}

Status SetCheckpointInitializer(const Scope& scope, const ModuleVariable& part,
                                const std::string& ckpt_file, const std::string& tensor_name) {
  const Variable& var = part.variable;
  const tensorflow::NodeDef* handle_node = scope.graph()->FindNode(var.name());
  const std::string device = handle_node != nullptr ? handle_node->device() : "";
  Scope cpu = scope.ClearColocation().WithDevice(device).WithDevice("/cpu:0");
  OpNameScope restore(cpu, "checkpoint_initializer");
  Output prefix = ops::Const(restore.inputs().WithOpName("prefix"), ckpt_file);
  Output names = ops::Const(restore.inputs().WithOpName("tensor_names"),
                            std::vector<std::string>{tensor_name});
  Output slices = ops::Const(restore.inputs().WithOpName("shape_and_slices"),
                             std::vector<std::string>{SliceSpec(part.def)});
  const DataType dtypes[] = {var.dtype()};
  std::vector<Output> restored = ops::RestoreV2(restore.op(), prefix, names, slices, dtypes);
  if (!scope.ok()) return scope.status();
  std::string initializer;
  if (var.is_resource()) {
    Scope on_handle = scope.ClearColocation().WithNoDevice().WithDevice(device);
    Output value = ops::Identity(on_handle, restored[0]);
    initializer = ops::AssignVariableOp(on_handle, var.handle(), value).name;
  } else {
    initializer = ops::Assign(scope.ColocateWith(var.handle()), var.handle(), restored[0]).node;
  }
  if (!scope.ok()) return scope.status();
  return PointInitializerAt(scope.graph(), var.handle().ToString(), initializer,
                            restored[0].ToString());
}

}  // namespace

Status InitFromCheckpoint(const Scope& scope, const std::string& ckpt_dir_or_file,
                          const std::map<std::string, std::vector<ModuleVariable>>& assignment) {
  ASSIGN_OR_RETURN(std::unique_ptr<CheckpointReader> reader,
                   CheckpointReader::Open(ckpt_dir_or_file));
  for (const auto& [tensor_name, parts] : assignment) {
    StatusOr<CheckpointEntryInfo> info = reader->GetInfo(tensor_name);
    if (!info.ok()) {
      return InvalidArgumentError("Tensor " + tensor_name + " is not found in " +
                                  ckpt_dir_or_file + " checkpoint " + ShapeMapString(*reader));
    }
    if (parts.size() == 1 && !parts[0].def.has_save_slice_info_def() &&
        !IsCompatible(parts[0].variable.shape(), info->shape)) {
      return InvalidArgumentError(
          "Shape of variable " + parts[0].variable.handle().ToString() + " (" +
          PythonShapeString(parts[0].variable.shape()) + ") doesn't match with shape of tensor " +
          tensor_name + " (" + PythonList(info->shape.dims()) + ") from checkpoint reader.");
    }
    for (const ModuleVariable& part : parts) {
      RETURN_IF_ERROR(SetCheckpointInitializer(scope, part, reader->prefix(), tensor_name));
    }
  }
  return Status::OK();
}

}  // namespace tf1hub::hub
