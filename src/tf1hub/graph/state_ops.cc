// Variable op constructors (include/tf1hub/graph/state_ops.h).
#include "tf1hub/graph/state_ops.h"

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/node_builder.h"

namespace tf1hub::ops {

Output VariableV2(const Scope& s, const PartialTensorShape& shape, DataType dtype,
                  const VariableAttrs& a) {
  return NodeBuilder(s, "VariableV2")
      .Attr("shape", shape)
      .Attr("dtype", dtype)
      .Attr("container", a.container)
      .Attr("shared_name", a.shared_name)
      .FinalizeOutput();
}

Output Assign(const Scope& s, const Output& ref, const Output& value, const AssignAttrs& a) {
  return NodeBuilder(s, "Assign")
      .Input(ref)
      .Input(value)
      .Attr("validate_shape", a.validate_shape)
      .Attr("use_locking", a.use_locking)
      .FinalizeOutput();
}

Output AssignAdd(const Scope& s, const Output& ref, const Output& value, const UseLockingAttrs& a) {
  return NodeBuilder(s, "AssignAdd").Input(ref).Input(value).Attr("use_locking", a.use_locking).FinalizeOutput();
}

Output AssignSub(const Scope& s, const Output& ref, const Output& value, const UseLockingAttrs& a) {
  return NodeBuilder(s, "AssignSub").Input(ref).Input(value).Attr("use_locking", a.use_locking).FinalizeOutput();
}

Output VarHandleOp(const Scope& s, DataType dtype, const PartialTensorShape& shape,
                   const VarHandleOpAttrs& a) {
  return NodeBuilder(s, "VarHandleOp")
      .Attr("container", a.container)
      .Attr("shared_name", a.shared_name)
      .Attr("debug_name", a.debug_name)
      .Attr("dtype", dtype)
      .Attr("shape", shape)
      .Attr("allowed_devices", AttrStringList(a.allowed_devices))
      .FinalizeOutput();
}

Output ReadVariableOp(const Scope& s, const Output& resource, DataType dtype) {
  return NodeBuilder(s, "ReadVariableOp").Input(resource).Attr("dtype", dtype).FinalizeOutput();
}

Operation AssignVariableOp(const Scope& s, const Output& resource, const Output& value,
                           const AssignVariableOpAttrs& a) {
  return NodeBuilder(s, "AssignVariableOp")
      .Input(resource)
      .Input(value)
      .Attr("validate_shape", a.validate_shape)
      .Finalize();
}

Operation AssignAddVariableOp(const Scope& s, const Output& resource, const Output& value) {
  return NodeBuilder(s, "AssignAddVariableOp").Input(resource).Input(value).Finalize();
}

Operation AssignSubVariableOp(const Scope& s, const Output& resource, const Output& value) {
  return NodeBuilder(s, "AssignSubVariableOp").Input(resource).Input(value).Finalize();
}

Output VarIsInitializedOp(const Scope& s, const Output& resource) {
  return NodeBuilder(s, "VarIsInitializedOp").Input(resource).FinalizeOutput();
}

Output ResourceGather(const Scope& s, const Output& resource, const Output& indices, DataType dtype,
                      const ResourceGatherAttrs& a) {
  return NodeBuilder(s, "ResourceGather")
      .Input(resource)
      .Input(indices)
      .Attr("batch_dims", a.batch_dims)
      .Attr("validate_indices", a.validate_indices)
      .Attr("dtype", dtype)
      .FinalizeOutput();
}

Operation ResourceScatterAdd(const Scope& s, const Output& resource, const Output& indices,
                             const Output& updates) {
  return NodeBuilder(s, "ResourceScatterAdd").Input(resource).Input(indices).Input(updates).Finalize();
}

}  // namespace tf1hub::ops
