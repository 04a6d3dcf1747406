// ParseTensorInfo / BuildTensorInfo / ConstantValueAsShape, and the
// Python spellings used in hub's messages.
#include "tf1hub/hub/tensor_info.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "tf1hub/graph/ops.h"
#include "tf1hub/hub/python_repr.h"

namespace tf1hub::hub {
namespace {

PartialTensorShape Shape(std::vector<int64_t> dims) {
  return PartialTensorShape::Create(dims).value();
}

tensorflow::TensorInfo FromText(const std::string& text) {
  tensorflow::TensorInfo info;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &info)) << text;
  return info;
}

TEST(ParseTensorInfoTest, Dense) {
  auto parsed = ParseTensorInfo(FromText(R"pb(name: "x:0"
                                              dtype: DT_FLOAT
                                              tensor_shape {
                                                dim { size: -1 }
                                                dim { size: 50 }
                                              })pb"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->dtype, DataType::kFloat);
  EXPECT_EQ(parsed->shape, Shape({-1, 50}));
  EXPECT_FALSE(parsed->is_sparse);
  EXPECT_FALSE(parsed->is_composite);
  EXPECT_EQ(parsed->proto.name(), "x:0");
}

TEST(ParseTensorInfoTest, CooSparse) {
  // As build_tensor_info writes a SparseTensor (TF 2.15).
  auto parsed = ParseTensorInfo(FromText(R"pb(
    coo_sparse {
      values_tensor_name: "Placeholder:0"
      indices_tensor_name: "Placeholder_1:0"
      dense_shape_tensor_name: "PlaceholderWithDefault:0"
    }
    dtype: DT_INT64
    tensor_shape {
      dim { size: -1 }
      dim { size: 5 }
    })pb"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->dtype, DataType::kInt64);
  EXPECT_EQ(parsed->shape, Shape({-1, 5}));
  EXPECT_TRUE(parsed->is_sparse);
}

TEST(ParseTensorInfoTest, RaggedComposite) {
  // build_tensor_info of tf.compat.v1.ragged.placeholder(tf.float32, 1, [None, 3]).
  auto parsed = ParseTensorInfo(FromText(R"pb(
    composite_tensor {
      type_spec {
        type_spec_class: RAGGED_TENSOR_SPEC
        type_state {
          tuple_value {
            values {
              tensor_shape_value {
                dim { size: -1 }
                dim { size: -1 }
                dim { size: -1 }
                dim { size: 3 }
              }
            }
            values { tensor_dtype_value: DT_FLOAT }
            values { int64_value: 1 }
            values { tensor_dtype_value: DT_INT64 }
          }
        }
        type_spec_class_name: "RaggedTensorSpec"
        num_flat_components: 2
      }
      components { name: "RaggedPlaceholder/flat_values:0" dtype: DT_FLOAT }
      components { name: "RaggedPlaceholder/row_splits_0:0" dtype: DT_INT64 }
    })pb"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(parsed->is_composite);
  EXPECT_FALSE(parsed->is_sparse);
  EXPECT_EQ(parsed->dtype, DataType::kFloat);
  EXPECT_EQ(parsed->shape, Shape({-1, -1, -1, 3}));
}

TEST(ParseTensorInfoTest, HostileProtos) {
  auto none = ParseTensorInfo(FromText("dtype: DT_FLOAT"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "Unsupported TensorInfo encoding None");
  auto bad_dtype = ParseTensorInfo(FromText("name: \"x:0\" dtype: 12345"));
  ASSERT_FALSE(bad_dtype.ok());
  EXPECT_EQ(bad_dtype.status().message(), "TensorInfo has invalid dtype 12345");
  EXPECT_FALSE(ParseTensorInfo(FromText(R"pb(name: "x:0"
                                             dtype: DT_FLOAT
                                             tensor_shape { dim { size: -5 } })pb"))
                   .ok());
  EXPECT_FALSE(ParseTensorInfo(FromText(
                                   R"pb(name: "x:0"
                                        dtype: DT_FLOAT
                                        tensor_shape {
                                          unknown_rank: true
                                          dim { size: 1 }
                                        })pb"))
                   .ok());
}

TEST(ConstantValueAsShapeTest, Sources) {
  Scope s = Scope::NewRootScope();
  Output c = ops::Const(s, std::vector<int64_t>{-1, 5, 7});
  Output x = ops::Placeholder(s, DataType::kFloat, {.shape = Shape({-1, 4})});
  Output shape_of_x = ops::Shape(s, x, {.out_type = DataType::kInt64});
  Output free = ops::Placeholder(s, DataType::kInt64, {.shape = Shape({2})});
  Output unknown = ops::Placeholder(s, DataType::kInt64);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ShapeInference shapes(*s.graph());
  EXPECT_EQ(ConstantValueAsShape(*s.graph(), shapes, c).value(), Shape({-1, 5, 7}));
  EXPECT_EQ(ConstantValueAsShape(*s.graph(), shapes, shape_of_x).value(), Shape({-1, 4}));
  EXPECT_EQ(ConstantValueAsShape(*s.graph(), shapes, free).value(), Shape({-1, -1}));
  EXPECT_TRUE(ConstantValueAsShape(*s.graph(), shapes, unknown).value().unknown_rank());
}

TEST(BuildTensorInfoTest, DenseAndErrors) {
  Scope s = Scope::NewRootScope();
  Output x = ops::Placeholder(s.WithOpName("x"), DataType::kInt32, {.shape = Shape({2, 3})});
  Output f = ops::Placeholder(s.WithOpName("f"), DataType::kFloat);
  ASSERT_TRUE(s.ok());
  ShapeInference shapes(*s.graph());
  auto info = BuildTensorInfo(*s.graph(), shapes, x);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->name(), "x:0");
  EXPECT_EQ(info->dtype(), tensorflow::DT_INT32);
  EXPECT_EQ(info->tensor_shape().dim_size(), 2);
  EXPECT_FALSE(BuildTensorInfo(*s.graph(), shapes, Output{"nope", 0}).ok());
  EXPECT_FALSE(BuildTensorInfo(*s.graph(), shapes, Output{}).ok());
  // Sparse components must be int64 where TF requires it.
  auto bad = BuildTensorInfo(*s.graph(), shapes, SparseOutput{x, f, x});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "SparseTensor indices and dense_shape must be int64, got int32 and int32");
}

TEST(PythonReprTest, Spellings) {
  EXPECT_EQ(PySetRepr({}), "set()");
  EXPECT_EQ(PySetRepr({"train", "b"}), "{'b', 'train'}");
  EXPECT_EQ(PyFrozenSetRepr({}), "frozenset()");
  EXPECT_EQ(PyFrozenSetRepr({"a"}), "frozenset({'a'})");
  EXPECT_EQ(PyBytesListRepr({"loc:@c", "loc:@d"}), "[b'loc:@c', b'loc:@d']");
  EXPECT_EQ(PyStrListRepr({"foo", "bar"}), "['foo', 'bar']");
  EXPECT_EQ(PyShapeStr(PartialTensorShape()), "<unknown>");
  EXPECT_EQ(PyShapeStr(Shape({})), "()");
  EXPECT_EQ(PyShapeStr(Shape({3})), "(3,)");
  EXPECT_EQ(PyShapeStr(Shape({-1, 3})), "(None, 3)");
  EXPECT_EQ(PyTensorRepr("x:0", Shape({-1, 3}), DataType::kFloat),
            "Tensor(\"x:0\", shape=(None, 3), dtype=float32)");
}

}  // namespace
}  // namespace tf1hub::hub
