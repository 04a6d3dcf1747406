#include "tf1hub/data_type.h"

#include <array>

namespace tf1hub {
namespace {

struct TypeInfo {
  DataType dtype;
  const char* python_name;  // numpy / tf.DType.name spelling
  const char* enum_name;    // types.proto spelling
  size_t size;              // bytes per element; 0 if not memcpy-able
};

// Indexed by enum value; facts from tensorflow/core/framework/types.proto and
// tf.dtypes (python/framework/dtypes.py).
constexpr std::array<TypeInfo, 24> kTypes = {{
    {DataType::kInvalid, "invalid", "DT_INVALID", 0},
    {DataType::kFloat, "float32", "DT_FLOAT", 4},
    {DataType::kDouble, "float64", "DT_DOUBLE", 8},
    {DataType::kInt32, "int32", "DT_INT32", 4},
    {DataType::kUint8, "uint8", "DT_UINT8", 1},
    {DataType::kInt16, "int16", "DT_INT16", 2},
    {DataType::kInt8, "int8", "DT_INT8", 1},
    {DataType::kString, "string", "DT_STRING", 0},
    {DataType::kComplex64, "complex64", "DT_COMPLEX64", 8},
    {DataType::kInt64, "int64", "DT_INT64", 8},
    {DataType::kBool, "bool", "DT_BOOL", 1},
    {DataType::kQint8, "qint8", "DT_QINT8", 1},
    {DataType::kQuint8, "quint8", "DT_QUINT8", 1},
    {DataType::kQint32, "qint32", "DT_QINT32", 4},
    {DataType::kBfloat16, "bfloat16", "DT_BFLOAT16", 2},
    {DataType::kQint16, "qint16", "DT_QINT16", 2},
    {DataType::kQuint16, "quint16", "DT_QUINT16", 2},
    {DataType::kUint16, "uint16", "DT_UINT16", 2},
    {DataType::kComplex128, "complex128", "DT_COMPLEX128", 16},
    {DataType::kHalf, "float16", "DT_HALF", 2},
    {DataType::kResource, "resource", "DT_RESOURCE", 0},
    {DataType::kVariant, "variant", "DT_VARIANT", 0},
    {DataType::kUint32, "uint32", "DT_UINT32", 4},
    {DataType::kUint64, "uint64", "DT_UINT64", 8},
}};

constexpr int kFirstValid = 1;
constexpr int kLastValid = 23;

// Info for a base (non-reference) value, or nullptr.
const TypeInfo* BaseInfo(int value) {
  if (value < kFirstValid || value > kLastValid) return nullptr;
  return &kTypes[value];
}

}  // namespace

bool IsValidDataTypeValue(int value) { return BaseInfo(value) != nullptr; }

bool IsSupportedTensorType(DataType dtype) {
  return IsValidDataTypeValue(static_cast<int>(dtype)) && dtype != DataType::kResource &&
         dtype != DataType::kVariant;
}

bool IsMemcpyable(DataType dtype) {
  const TypeInfo* info = BaseInfo(static_cast<int>(dtype));
  return info != nullptr && info->size > 0;
}

size_t DataTypeSize(DataType dtype) {
  const TypeInfo* info = BaseInfo(static_cast<int>(dtype));
  return info == nullptr ? 0 : info->size;
}

std::string DataTypeName(DataType dtype) {
  const int value = static_cast<int>(dtype);
  if (value == 0) return "invalid";
  if (const TypeInfo* info = BaseInfo(value)) return info->python_name;
  // Reference types print as "<base>_ref", like tf.DType.name.
  if (const TypeInfo* info = BaseInfo(value - kDataTypeRefOffset)) {
    return std::string(info->python_name) + "_ref";
  }
  return "dtype(" + std::to_string(value) + ")";
}

std::string DataTypeEnumName(DataType dtype) {
  const int value = static_cast<int>(dtype);
  if (value == 0) return "DT_INVALID";
  if (const TypeInfo* info = BaseInfo(value)) return info->enum_name;
  if (const TypeInfo* info = BaseInfo(value - kDataTypeRefOffset)) {
    return std::string(info->enum_name) + "_REF";
  }
  return "DT_UNKNOWN_" + std::to_string(value);
}

std::optional<DataType> ParseDataTypeName(std::string_view name) {
  bool is_ref = false;
  if (name.ends_with("_ref")) {
    is_ref = true;
    name.remove_suffix(4);
  } else if (name.starts_with("DT_") && name.ends_with("_REF")) {
    is_ref = true;
    name.remove_suffix(4);
  }
  std::optional<DataType> base;
  if (name == "float") {
    base = DataType::kFloat;
  } else if (name == "double") {
    base = DataType::kDouble;
  } else if (name == "half") {
    base = DataType::kHalf;
  } else {
    for (int v = kFirstValid; v <= kLastValid; ++v) {
      if (name == kTypes[v].python_name || name == kTypes[v].enum_name) {
        base = kTypes[v].dtype;
        break;
      }
    }
  }
  if (!base) return std::nullopt;
  if (is_ref) return static_cast<DataType>(static_cast<int>(*base) + kDataTypeRefOffset);
  return base;
}

}  // namespace tf1hub
