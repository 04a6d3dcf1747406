// Helpers for tensorflow::AttrValue: building values, reading them, and
// checking a value against an OpDef's AttrDef (internal to the graph layer
// and runtime).
//
//   (*node.mutable_attr())["T"] = AttrType(tensorflow::DT_FLOAT);
//   ASSIGN_OR_RETURN(int64_t n, GetIntAttr(node, "N"));
//
// Thread safety: pure functions.
#ifndef TF1HUB_GRAPH_ATTR_UTIL_H_
#define TF1HUB_GRAPH_ATTR_UTIL_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/data_type.h"
#include "tf1hub/proto/attr_value.pb.h"
#include "tf1hub/proto/node_def.pb.h"
#include "tf1hub/proto/op_def.pb.h"
#include "tf1hub/status.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub {

// Largest repeat count accepted for a number_attr (guards hostile graphs
// against huge allocations).
inline constexpr int64_t kMaxArgRepeat = int64_t{1} << 20;

// A DataType enum value that is known, not DT_INVALID and not a *_REF type.
bool IsValidNonRefType(int dtype);

// TensorFlow's C++ DataTypeString spelling used in its error messages:
// "float", "int32", "half", "string", and "float_ref" for ref types.
std::string TfTypeString(tensorflow::DataType dtype, bool is_ref = false);

// Checks `value` against `attr_def`: the kind named by attr_def.type()
// ("int", "list(type)", ...), valid dtypes and shapes, allowed_values and
// has_minimum/minimum. Messages describe the value, the caller adds context.
Status ValidateAttrValue(const tensorflow::AttrValue& value,
                         const tensorflow::OpDef::AttrDef& attr_def);

// Builders.
tensorflow::AttrValue AttrInt(int64_t v);
tensorflow::AttrValue AttrFloat(float v);
tensorflow::AttrValue AttrBool(bool v);
tensorflow::AttrValue AttrString(std::string_view v);
tensorflow::AttrValue AttrType(tensorflow::DataType v);
tensorflow::AttrValue AttrShape(const PartialTensorShape& shape);
tensorflow::AttrValue AttrIntList(std::span<const int64_t> v);
tensorflow::AttrValue AttrFloatList(std::span<const float> v);
tensorflow::AttrValue AttrTypeList(std::span<const tensorflow::DataType> v);
tensorflow::AttrValue AttrStringList(std::span<const std::string> v);
tensorflow::AttrValue AttrShapeList(std::span<const PartialTensorShape> v);

// Shape conversions. The proto form may be hostile: dims below -1, rank above
// kMaxTensorRank, or unknown_rank with dims are InvalidArgument.
tensorflow::TensorShapeProto ShapeToProto(const PartialTensorShape& shape);
StatusOr<PartialTensorShape> ShapeFromProto(const tensorflow::TensorShapeProto& proto);

// Readers: NotFound if the node lacks the attr, InvalidArgument if it has
// another kind. Messages name the node and attr.
StatusOr<int64_t> GetIntAttr(const tensorflow::NodeDef& node, std::string_view name);
StatusOr<float> GetFloatAttr(const tensorflow::NodeDef& node, std::string_view name);
StatusOr<bool> GetBoolAttr(const tensorflow::NodeDef& node, std::string_view name);
StatusOr<std::string> GetStringAttr(const tensorflow::NodeDef& node, std::string_view name);
StatusOr<tensorflow::DataType> GetTypeAttr(const tensorflow::NodeDef& node,
                                           std::string_view name);
StatusOr<PartialTensorShape> GetShapeAttr(const tensorflow::NodeDef& node, std::string_view name);
StatusOr<std::vector<int64_t>> GetIntListAttr(const tensorflow::NodeDef& node,
                                              std::string_view name);
StatusOr<std::vector<std::string>> GetStringListAttr(const tensorflow::NodeDef& node,
                                                     std::string_view name);
StatusOr<std::vector<tensorflow::DataType>> GetTypeListAttr(const tensorflow::NodeDef& node,
                                                            std::string_view name);
// The attr, or nullptr.
const tensorflow::AttrValue* FindAttr(const tensorflow::NodeDef& node, std::string_view name);

}  // namespace tf1hub

#endif  // TF1HUB_GRAPH_ATTR_UTIL_H_
