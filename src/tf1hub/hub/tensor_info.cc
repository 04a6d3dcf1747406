// Signature TensorInfo parsing and building (see tensor_info.h).
#include "tf1hub/hub/tensor_info.h"

#include <string>
#include <vector>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/tensor_proto.h"
#include "tf1hub/proto/struct.pb.h"

namespace tf1hub::hub {
namespace {

StatusOr<DataType> CheckedDtype(int value, std::string_view what) {
  if (!IsValidDataTypeValue(value)) {
    return InvalidArgumentError(std::string(what) + " has invalid dtype " + std::to_string(value));
  }
  return static_cast<DataType>(value);
}

// Reads dtype and shape from a composite TypeSpec whose type_state is a
// tuple starting (shape, dtype, ...), as RaggedTensorSpec and
// SparseTensorSpec serialise themselves. Leaves `info` as is otherwise.
void ReadCompositeTypeState(const tensorflow::TypeSpecProto& spec, ParsedTensorInfo* info) {
  if (!spec.type_state().has_tuple_value()) return;
  for (const tensorflow::StructuredValue& v : spec.type_state().tuple_value().values()) {
    if (v.has_tensor_shape_value() && info->shape.unknown_rank()) {
      StatusOr<PartialTensorShape> shape = ShapeFromProto(v.tensor_shape_value());
      if (shape.ok()) info->shape = *shape;
    } else if (v.kind_case() == tensorflow::StructuredValue::kTensorDtypeValue &&
               info->dtype == DataType::kInvalid &&
               IsValidDataTypeValue(static_cast<int>(v.tensor_dtype_value()))) {
      info->dtype = static_cast<DataType>(static_cast<int>(v.tensor_dtype_value()));
    }
  }
}

}  // namespace

StatusOr<ParsedTensorInfo> ParseTensorInfo(const tensorflow::TensorInfo& proto) {
  ParsedTensorInfo info;
  info.proto = proto;
  switch (proto.encoding_case()) {
    case tensorflow::TensorInfo::kName:
    case tensorflow::TensorInfo::kCooSparse: {
      ASSIGN_OR_RETURN(info.dtype, CheckedDtype(proto.dtype(), "TensorInfo"));
      ASSIGN_OR_RETURN(info.shape, ShapeFromProto(proto.tensor_shape()));
      info.is_sparse = proto.encoding_case() == tensorflow::TensorInfo::kCooSparse;
      // hub's is_composite is also true for SparseTensors; ours (see
      // module_spec.h) flags only the composite_tensor encoding.
      return info;
    }
    case tensorflow::TensorInfo::kCompositeTensor: {
      const tensorflow::TypeSpecProto& spec = proto.composite_tensor().type_spec();
      info.is_composite = true;
      info.is_sparse = spec.type_spec_class() == tensorflow::TypeSpecProto::SPARSE_TENSOR_SPEC;
      ReadCompositeTypeState(spec, &info);
      return info;
    }
    case tensorflow::TensorInfo::ENCODING_NOT_SET:
      break;
  }
  return InvalidArgumentError("Unsupported TensorInfo encoding None");
}

StatusOr<std::map<std::string, ParsedTensorInfo>> ParseTensorInfoMap(
    const google::protobuf::Map<std::string, tensorflow::TensorInfo>& map) {
  std::map<std::string, ParsedTensorInfo> out;
  for (const auto& [key, proto] : map) {
    StatusOr<ParsedTensorInfo> info = ParseTensorInfo(proto);
    if (!info.ok()) return info.status().WithContext("TensorInfo '" + key + "'");
    out.emplace(key, std::move(*info));
  }
  return out;
}

StatusOr<PartialTensorShape> ConstantValueAsShape(const Graph& graph, ShapeInference& shapes,
                                                  const Output& shape_tensor) {
  const tensorflow::NodeDef* node = graph.FindNode(shape_tensor.node);
  if (node == nullptr) {
    return NotFoundError("no node '" + shape_tensor.node + "' in the module's graph");
  }
  // Values of a Const (or of the Const a PlaceholderWithDefault defaults to).
  const tensorflow::NodeDef* value_node = node;
  if (node->op() == "PlaceholderWithDefault" && node->input_size() > 0) {
    StatusOr<Output> in = ParseTensorName(node->input(0));
    if (in.ok()) {
      const tensorflow::NodeDef* def = graph.FindNode(in->node);
      if (def != nullptr && def->op() == "Const") value_node = def;
    }
  }
  if (value_node->op() == "Const" && shape_tensor.index == 0) {
    if (const tensorflow::AttrValue* value = FindAttr(*value_node, "value")) {
      StatusOr<Tensor> t = TensorFromProto(value->tensor());
      if (t.ok() && t->shape().rank() == 1) {
        std::vector<int64_t> dims;
        for (int64_t i = 0; i < t->NumElements(); ++i) {
          int64_t d = t->dtype() == DataType::kInt64   ? t->flat<int64_t>()[i]
                      : t->dtype() == DataType::kInt32 ? t->flat<int32_t>()[i]
                                                       : -2;
          if (d < -1)
            return InvalidArgumentError("bad dense shape entry in '" + node->name() + "'");
          dims.push_back(d);
        }
        return PartialTensorShape::Create(dims);
      }
    }
  }
  if (node->op() == "Shape" && node->input_size() > 0) {
    ASSIGN_OR_RETURN(Output in, ParseTensorName(node->input(0)));
    return shapes.InferShape(in);
  }
  // Otherwise only the rank: the length of the shape vector, if known.
  ASSIGN_OR_RETURN(PartialTensorShape vec, shapes.InferShape(shape_tensor));
  if (vec.rank() == 1 && vec.dims()[0] >= 0) {
    return PartialTensorShape::Create(std::vector<int64_t>(vec.dims()[0], -1));
  }
  return PartialTensorShape::UnknownRank();
}

StatusOr<tensorflow::TensorInfo> BuildTensorInfo(const Graph& graph, ShapeInference& shapes,
                                                 const SignatureTensor& tensor) {
  tensorflow::TensorInfo info;
  if (const Output* dense = std::get_if<Output>(&tensor)) {
    if (dense->empty()) return InvalidArgumentError("empty tensor (an op failed to build?)");
    ASSIGN_OR_RETURN(DataType dtype, graph.OutputType(*dense));
    ASSIGN_OR_RETURN(PartialTensorShape shape, shapes.InferShape(*dense));
    info.set_name(dense->ToString());
    info.set_dtype(ToProtoDataType(dtype));
    *info.mutable_tensor_shape() = ShapeToProto(shape);
    return info;
  }
  const SparseOutput& sparse = std::get<SparseOutput>(tensor);
  if (sparse.values.empty() || sparse.indices.empty() || sparse.dense_shape.empty()) {
    return InvalidArgumentError("empty SparseTensor component (an op failed to build?)");
  }
  ASSIGN_OR_RETURN(DataType dtype, graph.OutputType(sparse.values));
  ASSIGN_OR_RETURN(DataType indices_dtype, graph.OutputType(sparse.indices));
  ASSIGN_OR_RETURN(DataType shape_dtype, graph.OutputType(sparse.dense_shape));
  if (indices_dtype != DataType::kInt64 || shape_dtype != DataType::kInt64) {
    return InvalidArgumentError("SparseTensor indices and dense_shape must be int64, got " +
                                DataTypeName(indices_dtype) + " and " + DataTypeName(shape_dtype));
  }
  ASSIGN_OR_RETURN(PartialTensorShape shape,
                   ConstantValueAsShape(graph, shapes, sparse.dense_shape));
  auto* coo = info.mutable_coo_sparse();
  coo->set_values_tensor_name(sparse.values.ToString());
  coo->set_indices_tensor_name(sparse.indices.ToString());
  coo->set_dense_shape_tensor_name(sparse.dense_shape.ToString());
  info.set_dtype(ToProtoDataType(dtype));
  *info.mutable_tensor_shape() = ShapeToProto(shape);
  return info;
}

}  // namespace tf1hub::hub
