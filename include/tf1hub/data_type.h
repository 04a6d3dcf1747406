// DataType: TensorFlow's element types, with the same enum numbers as
// tensorflow/core/framework/types.proto, and facts about each.
//
//   DataTypeName(DataType::kFloat)      == "float32"   (Python spelling)
//   DataTypeSize(DataType::kComplex64)  == 8
//   ParseDataTypeName("int64")          -> DataType::kInt64
//
// Thread safety: all functions are pure.
#ifndef TF1HUB_DATA_TYPE_H_
#define TF1HUB_DATA_TYPE_H_

#include <complex>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tf1hub {

enum class DataType : int {
  kInvalid = 0,
  kFloat = 1,
  kDouble = 2,
  kInt32 = 3,
  kUint8 = 4,
  kInt16 = 5,
  kInt8 = 6,
  kString = 7,
  kComplex64 = 8,
  kInt64 = 9,
  kBool = 10,
  kQint8 = 11,
  kQuint8 = 12,
  kQint32 = 13,
  kBfloat16 = 14,
  kQint16 = 15,
  kQuint16 = 16,
  kUint16 = 17,
  kComplex128 = 18,
  kHalf = 19,
  kResource = 20,
  kVariant = 21,
  kUint32 = 22,
  kUint64 = 23,
};

// Reference types are the base type + 100 (DT_FLOAT_REF = 101).
inline constexpr int kDataTypeRefOffset = 100;

// 16-bit floating point storage types. Arithmetic lives in the kernels; these
// only carry the bits (IEEE binary16 and bfloat16, little-endian in memory).
struct Half {
  uint16_t bits = 0;
};
struct BFloat16 {
  uint16_t bits = 0;
};
using Complex64 = std::complex<float>;
using Complex128 = std::complex<double>;

// True for the types tf1hub can hold in a Tensor: every numeric type, bool,
// string, and the quantized types (stored as their integer representation).
bool IsSupportedTensorType(DataType dtype);

// True for types whose elements are plain bytes (everything but string,
// resource and variant).
bool IsMemcpyable(DataType dtype);

// Bytes per element for memcpy-able types; 0 for string, resource, variant
// and invalid values.
size_t DataTypeSize(DataType dtype);

// Python spelling as numpy/TensorFlow print it: "float32", "float16",
// "bfloat16", "int64", "string", "bool", "complex64", "qint8", "resource"...
// Unknown values give "dtype(<number>)".
std::string DataTypeName(DataType dtype);

// Proto enum spelling: "DT_FLOAT", "DT_STRING", ...
std::string DataTypeEnumName(DataType dtype);

// Parses either spelling ("float32" or "DT_FLOAT"; also "float", "half",
// "double"). Returns nullopt for anything else.
std::optional<DataType> ParseDataTypeName(std::string_view name);

// True if `value` is a DataType enum number tf1hub knows (0 excluded).
bool IsValidDataTypeValue(int value);

// Maps C++ element types to DataType.
template <typename T>
struct DataTypeOf;
#define TF1HUB_DATA_TYPE_OF_(T, DT) \
  template <>                       \
  struct DataTypeOf<T> {            \
    static constexpr DataType value = DataType::DT; \
  };
TF1HUB_DATA_TYPE_OF_(float, kFloat)
TF1HUB_DATA_TYPE_OF_(double, kDouble)
TF1HUB_DATA_TYPE_OF_(int32_t, kInt32)
TF1HUB_DATA_TYPE_OF_(uint8_t, kUint8)
TF1HUB_DATA_TYPE_OF_(int16_t, kInt16)
TF1HUB_DATA_TYPE_OF_(int8_t, kInt8)
TF1HUB_DATA_TYPE_OF_(std::string, kString)
TF1HUB_DATA_TYPE_OF_(Complex64, kComplex64)
TF1HUB_DATA_TYPE_OF_(int64_t, kInt64)
TF1HUB_DATA_TYPE_OF_(bool, kBool)
TF1HUB_DATA_TYPE_OF_(BFloat16, kBfloat16)
TF1HUB_DATA_TYPE_OF_(uint16_t, kUint16)
TF1HUB_DATA_TYPE_OF_(Complex128, kComplex128)
TF1HUB_DATA_TYPE_OF_(Half, kHalf)
TF1HUB_DATA_TYPE_OF_(uint32_t, kUint32)
TF1HUB_DATA_TYPE_OF_(uint64_t, kUint64)
#undef TF1HUB_DATA_TYPE_OF_

}  // namespace tf1hub

#endif  // TF1HUB_DATA_TYPE_H_
