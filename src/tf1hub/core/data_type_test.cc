#include "tf1hub/data_type.h"

#include <gtest/gtest.h>

namespace tf1hub {
namespace {

// Expected values are tf.dtypes.as_dtype(i).name / .size from TensorFlow
// 2.15.1 and the DT_* names of types.proto.
struct Expected {
  int value;
  const char* name;
  const char* enum_name;
  size_t size;
};
constexpr Expected kExpected[] = {
    {1, "float32", "DT_FLOAT", 4},         {2, "float64", "DT_DOUBLE", 8},
    {3, "int32", "DT_INT32", 4},           {4, "uint8", "DT_UINT8", 1},
    {5, "int16", "DT_INT16", 2},           {6, "int8", "DT_INT8", 1},
    {7, "string", "DT_STRING", 0},         {8, "complex64", "DT_COMPLEX64", 8},
    {9, "int64", "DT_INT64", 8},           {10, "bool", "DT_BOOL", 1},
    {11, "qint8", "DT_QINT8", 1},          {12, "quint8", "DT_QUINT8", 1},
    {13, "qint32", "DT_QINT32", 4},        {14, "bfloat16", "DT_BFLOAT16", 2},
    {15, "qint16", "DT_QINT16", 2},        {16, "quint16", "DT_QUINT16", 2},
    {17, "uint16", "DT_UINT16", 2},        {18, "complex128", "DT_COMPLEX128", 16},
    {19, "float16", "DT_HALF", 2},         {20, "resource", "DT_RESOURCE", 0},
    {21, "variant", "DT_VARIANT", 0},      {22, "uint32", "DT_UINT32", 4},
    {23, "uint64", "DT_UINT64", 8},
};

TEST(DataTypeTest, NamesSizesAndRoundTrips) {
  for (const Expected& e : kExpected) {
    SCOPED_TRACE(e.name);
    const DataType dt = static_cast<DataType>(e.value);
    EXPECT_TRUE(IsValidDataTypeValue(e.value));
    EXPECT_EQ(DataTypeName(dt), e.name);
    EXPECT_EQ(DataTypeEnumName(dt), e.enum_name);
    EXPECT_EQ(DataTypeSize(dt), e.size);
    EXPECT_EQ(ParseDataTypeName(e.name), dt);
    EXPECT_EQ(ParseDataTypeName(e.enum_name), dt);
  }
}

TEST(DataTypeTest, Aliases) {
  EXPECT_EQ(ParseDataTypeName("float"), DataType::kFloat);
  EXPECT_EQ(ParseDataTypeName("double"), DataType::kDouble);
  EXPECT_EQ(ParseDataTypeName("half"), DataType::kHalf);
  EXPECT_EQ(ParseDataTypeName("float32_ref"), static_cast<DataType>(101));
  EXPECT_EQ(ParseDataTypeName("DT_INT64_REF"), static_cast<DataType>(109));
}

TEST(DataTypeTest, RejectsUnknownNames) {
  for (const char* bad : {"", "float128", "FLOAT", "DT_", "DT_float", "int", "_ref", "dt_float"}) {
    EXPECT_EQ(ParseDataTypeName(bad), std::nullopt) << bad;
  }
}

TEST(DataTypeTest, ValidValues) {
  EXPECT_FALSE(IsValidDataTypeValue(0));
  EXPECT_FALSE(IsValidDataTypeValue(-1));
  EXPECT_FALSE(IsValidDataTypeValue(24));
  EXPECT_FALSE(IsValidDataTypeValue(101));
}

TEST(DataTypeTest, UnknownAndReferenceNames) {
  EXPECT_EQ(DataTypeName(static_cast<DataType>(77)), "dtype(77)");
  EXPECT_EQ(DataTypeName(static_cast<DataType>(101)), "float32_ref");  // tf prints this
  EXPECT_EQ(DataTypeEnumName(static_cast<DataType>(107)), "DT_STRING_REF");
  EXPECT_EQ(DataTypeSize(static_cast<DataType>(101)), 0u);
  EXPECT_EQ(DataTypeSize(DataType::kInvalid), 0u);
}

TEST(DataTypeTest, Classification) {
  EXPECT_TRUE(IsSupportedTensorType(DataType::kFloat));
  EXPECT_TRUE(IsSupportedTensorType(DataType::kString));
  EXPECT_TRUE(IsSupportedTensorType(DataType::kQuint8));
  EXPECT_TRUE(IsSupportedTensorType(DataType::kUint64));
  EXPECT_FALSE(IsSupportedTensorType(DataType::kResource));
  EXPECT_FALSE(IsSupportedTensorType(DataType::kVariant));
  EXPECT_FALSE(IsSupportedTensorType(DataType::kInvalid));
  EXPECT_FALSE(IsSupportedTensorType(static_cast<DataType>(101)));

  EXPECT_TRUE(IsMemcpyable(DataType::kBool));
  EXPECT_TRUE(IsMemcpyable(DataType::kComplex128));
  EXPECT_FALSE(IsMemcpyable(DataType::kString));
  EXPECT_FALSE(IsMemcpyable(DataType::kResource));
  EXPECT_FALSE(IsMemcpyable(DataType::kInvalid));
}

TEST(DataTypeTest, DataTypeOfMatchesSizes) {
  EXPECT_EQ(DataTypeOf<float>::value, DataType::kFloat);
  EXPECT_EQ(DataTypeOf<Half>::value, DataType::kHalf);
  EXPECT_EQ(DataTypeOf<std::string>::value, DataType::kString);
  EXPECT_EQ(DataTypeSize(DataTypeOf<Complex64>::value), sizeof(Complex64));
  EXPECT_EQ(DataTypeSize(DataTypeOf<Complex128>::value), sizeof(Complex128));
  EXPECT_EQ(DataTypeSize(DataTypeOf<BFloat16>::value), sizeof(BFloat16));
  EXPECT_EQ(DataTypeSize(DataTypeOf<bool>::value), sizeof(bool));
}

}  // namespace
}  // namespace tf1hub
