#include "tf1hub/graph/attr_util.h"

#include <algorithm>
#include <cctype>

namespace tf1hub {

bool IsValidNonRefType(int dtype) {
  return dtype > 0 && dtype < kDataTypeRefOffset && tensorflow::DataType_IsValid(dtype);
}

std::string TfTypeString(tensorflow::DataType dtype, bool is_ref) {
  std::string name;
  if (IsValidNonRefType(dtype)) {
    name = tensorflow::DataType_Name(dtype).substr(3);  // drop "DT_"
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    name = "dtype(" + std::to_string(static_cast<int>(dtype)) + ")";
  }
  return is_ref ? name + "_ref" : name;
}

namespace {

std::string DtypeText(int dtype) {
  if (tensorflow::DataType_IsValid(dtype)) {
    return tensorflow::DataType_Name(static_cast<tensorflow::DataType>(dtype));
  }
  return "dtype(" + std::to_string(dtype) + ")";
}

// The oneof case a scalar attr kind ("int", "type", ...) is stored in.
bool KindToCase(std::string_view kind, tensorflow::AttrValue::ValueCase* out) {
  using V = tensorflow::AttrValue;
  if (kind == "string") *out = V::kS;
  else if (kind == "int") *out = V::kI;
  else if (kind == "float") *out = V::kF;
  else if (kind == "bool") *out = V::kB;
  else if (kind == "type") *out = V::kType;
  else if (kind == "shape") *out = V::kShape;
  else if (kind == "tensor") *out = V::kTensor;
  else if (kind == "func") *out = V::kFunc;
  else return false;
  return true;
}

const char* CaseName(tensorflow::AttrValue::ValueCase c) {
  using V = tensorflow::AttrValue;
  switch (c) {
    case V::kS: return "string";
    case V::kI: return "int";
    case V::kF: return "float";
    case V::kB: return "bool";
    case V::kType: return "type";
    case V::kShape: return "shape";
    case V::kTensor: return "tensor";
    case V::kFunc: return "func";
    case V::kList: return "list";
    case V::kPlaceholder: return "placeholder";
    default: return "empty";
  }
}

// Number of elements in each repeated field of a ListValue, and the field
// the kind names.
int ListFieldSize(const tensorflow::AttrValue::ListValue& list, tensorflow::AttrValue::ValueCase c) {
  using V = tensorflow::AttrValue;
  switch (c) {
    case V::kS: return list.s_size();
    case V::kI: return list.i_size();
    case V::kF: return list.f_size();
    case V::kB: return list.b_size();
    case V::kType: return list.type_size();
    case V::kShape: return list.shape_size();
    case V::kTensor: return list.tensor_size();
    case V::kFunc: return list.func_size();
    default: return 0;
  }
}

int ListTotalSize(const tensorflow::AttrValue::ListValue& list) {
  return list.s_size() + list.i_size() + list.f_size() + list.b_size() + list.type_size() +
         list.shape_size() + list.tensor_size() + list.func_size();
}

Status CheckShape(const tensorflow::TensorShapeProto& shape) {
  return ShapeFromProto(shape).status();
}

}  // namespace

Status ValidateAttrValue(const tensorflow::AttrValue& value,
                         const tensorflow::OpDef::AttrDef& attr_def) {
  using V = tensorflow::AttrValue;
  std::string_view kind = attr_def.type();
  const bool is_list = kind.starts_with("list(") && kind.ends_with(")");
  if (is_list) kind = kind.substr(5, kind.size() - 6);
  V::ValueCase want;
  if (!KindToCase(kind, &want)) {
    return InvalidArgumentError("the OpDef declares unknown attr type '" + attr_def.type() + "'");
  }
  if (is_list) {
    if (value.value_case() != V::kList) {
      return InvalidArgumentError(std::string("expected a ") + attr_def.type() + ", got a " +
                                  CaseName(value.value_case()));
    }
    const auto& list = value.list();
    const int n = ListFieldSize(list, want);
    if (ListTotalSize(list) != n) {
      return InvalidArgumentError("expected a " + attr_def.type() +
                                  ", got a list holding other kinds of values");
    }
    if (want == V::kType) {
      for (int t : list.type()) {
        if (!IsValidNonRefType(t)) return InvalidArgumentError("invalid dtype " + DtypeText(t));
      }
    }
    if (want == V::kShape) {
      for (const auto& s : list.shape()) RETURN_IF_ERROR(CheckShape(s));
    }
    if (attr_def.has_minimum() && n < attr_def.minimum()) {
      return InvalidArgumentError("list has " + std::to_string(n) + " values, fewer than the minimum " +
                                  std::to_string(attr_def.minimum()));
    }
    if (attr_def.has_allowed_values()) {
      const auto& allowed = attr_def.allowed_values().list();
      if (want == V::kType) {
        for (int t : list.type()) {
          if (std::find(allowed.type().begin(), allowed.type().end(), t) == allowed.type().end()) {
            return InvalidArgumentError("dtype " + DtypeText(t) + " is not allowed");
          }
        }
      } else if (want == V::kS) {
        for (const std::string& s : list.s()) {
          if (std::find(allowed.s().begin(), allowed.s().end(), s) == allowed.s().end()) {
            return InvalidArgumentError("value '" + s + "' is not allowed");
          }
        }
      }
    }
    return Status::OK();
  }

  if (value.value_case() != want) {
    return InvalidArgumentError("expected a " + attr_def.type() + ", got a " +
                                CaseName(value.value_case()));
  }
  if (want == V::kType && !IsValidNonRefType(value.type())) {
    return InvalidArgumentError("invalid dtype " + DtypeText(value.type()));
  }
  if (want == V::kShape) RETURN_IF_ERROR(CheckShape(value.shape()));
  if (want == V::kI && attr_def.has_minimum() && value.i() < attr_def.minimum()) {
    return InvalidArgumentError("value " + std::to_string(value.i()) + " is below the minimum " +
                                std::to_string(attr_def.minimum()));
  }
  if (attr_def.has_allowed_values()) {
    const auto& allowed = attr_def.allowed_values().list();
    if (want == V::kType &&
        std::find(allowed.type().begin(), allowed.type().end(), value.type()) ==
            allowed.type().end()) {
      return InvalidArgumentError("dtype " + DtypeText(value.type()) + " is not allowed");
    }
    if (want == V::kS &&
        std::find(allowed.s().begin(), allowed.s().end(), value.s()) == allowed.s().end()) {
      return InvalidArgumentError("value '" + value.s() + "' is not allowed");
    }
  }
  return Status::OK();
}

tensorflow::AttrValue AttrInt(int64_t v) {
  tensorflow::AttrValue a;
  a.set_i(v);
  return a;
}
tensorflow::AttrValue AttrFloat(float v) {
  tensorflow::AttrValue a;
  a.set_f(v);
  return a;
}
tensorflow::AttrValue AttrBool(bool v) {
  tensorflow::AttrValue a;
  a.set_b(v);
  return a;
}
tensorflow::AttrValue AttrString(std::string_view v) {
  tensorflow::AttrValue a;
  a.set_s(std::string(v));
  return a;
}
tensorflow::AttrValue AttrType(tensorflow::DataType v) {
  tensorflow::AttrValue a;
  a.set_type(v);
  return a;
}
tensorflow::AttrValue AttrShape(const PartialTensorShape& shape) {
  tensorflow::AttrValue a;
  *a.mutable_shape() = ShapeToProto(shape);
  return a;
}
tensorflow::AttrValue AttrIntList(std::span<const int64_t> v) {
  tensorflow::AttrValue a;
  auto* list = a.mutable_list();
  for (int64_t x : v) list->add_i(x);
  return a;
}
tensorflow::AttrValue AttrFloatList(std::span<const float> v) {
  tensorflow::AttrValue a;
  auto* list = a.mutable_list();
  for (float x : v) list->add_f(x);
  return a;
}
tensorflow::AttrValue AttrTypeList(std::span<const tensorflow::DataType> v) {
  tensorflow::AttrValue a;
  auto* list = a.mutable_list();
  for (tensorflow::DataType x : v) list->add_type(x);
  return a;
}
tensorflow::AttrValue AttrStringList(std::span<const std::string> v) {
  tensorflow::AttrValue a;
  auto* list = a.mutable_list();
  for (const std::string& x : v) list->add_s(x);
  return a;
}
tensorflow::AttrValue AttrShapeList(std::span<const PartialTensorShape> v) {
  tensorflow::AttrValue a;
  auto* list = a.mutable_list();
  for (const PartialTensorShape& x : v) *list->add_shape() = ShapeToProto(x);
  return a;
}

tensorflow::TensorShapeProto ShapeToProto(const PartialTensorShape& shape) {
  tensorflow::TensorShapeProto proto;
  if (shape.unknown_rank()) {
    proto.set_unknown_rank(true);
    return proto;
  }
  for (int64_t d : shape.dims()) proto.add_dim()->set_size(d);
  return proto;
}

StatusOr<PartialTensorShape> ShapeFromProto(const tensorflow::TensorShapeProto& proto) {
  if (proto.unknown_rank()) {
    if (proto.dim_size() > 0) {
      return InvalidArgumentError("shape has unknown_rank set and " +
                                  std::to_string(proto.dim_size()) + " dims");
    }
    return PartialTensorShape::UnknownRank();
  }
  if (proto.dim_size() > kMaxTensorRank) {
    return InvalidArgumentError("shape has rank " + std::to_string(proto.dim_size()) +
                                ", above the maximum " + std::to_string(kMaxTensorRank));
  }
  std::vector<int64_t> dims;
  dims.reserve(proto.dim_size());
  for (const auto& d : proto.dim()) {
    if (d.size() < -1) {
      return InvalidArgumentError("shape has dimension " + std::to_string(d.size()) +
                                  " (must be >= -1)");
    }
    dims.push_back(d.size());
  }
  return PartialTensorShape::Create(dims);
}

const tensorflow::AttrValue* FindAttr(const tensorflow::NodeDef& node, std::string_view name) {
  auto it = node.attr().find(std::string(name));
  return it == node.attr().end() ? nullptr : &it->second;
}

namespace {

StatusOr<const tensorflow::AttrValue*> GetAttrOfCase(const tensorflow::NodeDef& node,
                                                     std::string_view name,
                                                     tensorflow::AttrValue::ValueCase want) {
  const tensorflow::AttrValue* v = FindAttr(node, name);
  if (v == nullptr) {
    return NotFoundError("node '" + node.name() + "' (op '" + node.op() + "') has no attr '" +
                         std::string(name) + "'");
  }
  if (v->value_case() != want) {
    return InvalidArgumentError("node '" + node.name() + "' (op '" + node.op() + "'): attr '" +
                                std::string(name) + "' is a " + CaseName(v->value_case()) +
                                ", expected a " + CaseName(want));
  }
  return v;
}

}  // namespace

StatusOr<int64_t> GetIntAttr(const tensorflow::NodeDef& node, std::string_view name) {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v,
                   GetAttrOfCase(node, name, tensorflow::AttrValue::kI));
  return v->i();
}
StatusOr<float> GetFloatAttr(const tensorflow::NodeDef& node, std::string_view name) {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v,
                   GetAttrOfCase(node, name, tensorflow::AttrValue::kF));
  return v->f();
}
StatusOr<bool> GetBoolAttr(const tensorflow::NodeDef& node, std::string_view name) {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v,
                   GetAttrOfCase(node, name, tensorflow::AttrValue::kB));
  return v->b();
}
StatusOr<std::string> GetStringAttr(const tensorflow::NodeDef& node, std::string_view name) {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v,
                   GetAttrOfCase(node, name, tensorflow::AttrValue::kS));
  return v->s();
}
StatusOr<tensorflow::DataType> GetTypeAttr(const tensorflow::NodeDef& node,
                                           std::string_view name) {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v,
                   GetAttrOfCase(node, name, tensorflow::AttrValue::kType));
  if (!IsValidNonRefType(v->type())) {
    return InvalidArgumentError("node '" + node.name() + "': attr '" + std::string(name) +
                                "' holds invalid dtype " + DtypeText(v->type()));
  }
  return v->type();
}
StatusOr<PartialTensorShape> GetShapeAttr(const tensorflow::NodeDef& node, std::string_view name) {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v,
                   GetAttrOfCase(node, name, tensorflow::AttrValue::kShape));
  StatusOr<PartialTensorShape> shape = ShapeFromProto(v->shape());
  if (!shape.ok()) {
    return shape.status().WithContext("node '" + node.name() + "', attr '" + std::string(name) + "'");
  }
  return shape;
}
StatusOr<std::vector<int64_t>> GetIntListAttr(const tensorflow::NodeDef& node,
                                              std::string_view name) {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v,
                   GetAttrOfCase(node, name, tensorflow::AttrValue::kList));
  return std::vector<int64_t>(v->list().i().begin(), v->list().i().end());
}
StatusOr<std::vector<std::string>> GetStringListAttr(const tensorflow::NodeDef& node,
                                                     std::string_view name) {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v,
                   GetAttrOfCase(node, name, tensorflow::AttrValue::kList));
  return std::vector<std::string>(v->list().s().begin(), v->list().s().end());
}
StatusOr<std::vector<tensorflow::DataType>> GetTypeListAttr(const tensorflow::NodeDef& node,
                                                            std::string_view name) {
  ASSIGN_OR_RETURN(const tensorflow::AttrValue* v,
                   GetAttrOfCase(node, name, tensorflow::AttrValue::kList));
  std::vector<tensorflow::DataType> out;
  for (int t : v->list().type()) {
    if (!IsValidNonRefType(t)) {
      return InvalidArgumentError("node '" + node.name() + "': attr '" + std::string(name) +
                                  "' holds invalid dtype " + DtypeText(t));
    }
    out.push_back(static_cast<tensorflow::DataType>(t));
  }
  return out;
}

}  // namespace tf1hub
