// Variable op constructors: reference variables (VariableV2, Assign*) and
// resource variables (VarHandleOp, ReadVariableOp, AssignVariableOp, ...).
// These build the nodes only; variable objects, initializers and
// collections are a layer above.
//
//   Output v = ops::VariableV2(scope.WithOpName("w"), *PartialTensorShape::Create(std::vector<int64_t>{2}),
//                              DataType::kFloat);
//   Output init = ops::Assign(scope, v, ops::Const(scope, std::vector<float>{1, 2}));
//
// Errors follow scope.h. Thread safety: as Scope.
#ifndef TF1HUB_GRAPH_STATE_OPS_H_
#define TF1HUB_GRAPH_STATE_OPS_H_

#include <string>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/graph/output.h"
#include "tf1hub/graph/scope.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub::ops {

struct VariableAttrs {
  std::string container = "";
  std::string shared_name = "";
};
// A ref output of `dtype`.
Output VariableV2(const Scope& scope, const PartialTensorShape& shape, DataType dtype,
                  const VariableAttrs& attrs = {});

struct AssignAttrs {
  bool validate_shape = true;
  bool use_locking = true;
};
Output Assign(const Scope& scope, const Output& ref, const Output& value,
              const AssignAttrs& attrs = {});
struct UseLockingAttrs {
  bool use_locking = false;
};
Output AssignAdd(const Scope& scope, const Output& ref, const Output& value,
                 const UseLockingAttrs& attrs = {});
Output AssignSub(const Scope& scope, const Output& ref, const Output& value,
                 const UseLockingAttrs& attrs = {});

struct VarHandleOpAttrs {
  std::string container = "";
  std::string shared_name = "";
  std::string debug_name = "";
  std::vector<std::string> allowed_devices = {};
};
// A DT_RESOURCE handle to a variable of `dtype` and `shape`.
Output VarHandleOp(const Scope& scope, DataType dtype, const PartialTensorShape& shape,
                   const VarHandleOpAttrs& attrs = {});
Output ReadVariableOp(const Scope& scope, const Output& resource, DataType dtype);
struct AssignVariableOpAttrs {
  bool validate_shape = false;
};
Operation AssignVariableOp(const Scope& scope, const Output& resource, const Output& value,
                           const AssignVariableOpAttrs& attrs = {});
Operation AssignAddVariableOp(const Scope& scope, const Output& resource, const Output& value);
Operation AssignSubVariableOp(const Scope& scope, const Output& resource, const Output& value);
Output VarIsInitializedOp(const Scope& scope, const Output& resource);
struct ResourceGatherAttrs {
  int64_t batch_dims = 0;
  bool validate_indices = true;
};
Output ResourceGather(const Scope& scope, const Output& resource, const Output& indices,
                      DataType dtype, const ResourceGatherAttrs& attrs = {});
Operation ResourceScatterAdd(const Scope& scope, const Output& resource, const Output& indices,
                             const Output& updates);

}  // namespace tf1hub::ops

#endif  // TF1HUB_GRAPH_STATE_OPS_H_
