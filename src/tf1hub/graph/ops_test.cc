// Op constructors compared with the NodeDefs TensorFlow builds for the same
// ops (tf.raw_ops in a tf.Graph, TF 2.15.1, as_graph_def()).
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/ops.h"

namespace tf1hub {
namespace {

// One line per node, printed with text_format.MessageToString(as_one_line=True)
// from this TF 2.15.1 program (tf1 = tf.compat.v1, in a tf.Graph()):
//   x = tf1.placeholder(tf.float32, shape=[None, 3], name="x")
//   w = tf1.constant(np.array([[1,2],[3,4],[5,6]], np.float32), name="w")
//   m = tf.raw_ops.MatMul(a=x, b=w);  b = tf1.constant([0.5, -1.0], name="b")
//   ba = tf.raw_ops.BiasAdd(value=m, bias=b);  r = tf.raw_ops.Relu(features=ba)
//   ax = tf1.constant(1, name="axis");  s = tf.raw_ops.Sum(input=r, axis=ax, keep_dims=True)
//   c = tf.raw_ops.ConcatV2(values=[r, r], axis=ax);  sq = tf.raw_ops.Squeeze(input=s)
//   v = tf.raw_ops.VariableV2(shape=[2], dtype=tf.float32, name="v")
//   a = tf.raw_ops.Assign(ref=v, value=b);  cast = tf.raw_ops.Cast(x=ax, DstT=tf.float32)
//   u = tf.raw_ops.Unpack(value=c, num=4, axis=1);  st = tf1.constant(["a", "bc"], name="strs")
//   h = tf.raw_ops.HashTableV2(key_dtype=tf.string, value_dtype=tf.int64, shared_name="t")
constexpr const char* kTensorFlowNodes[] = {
    R"pb(name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: -1 } dim { size: 3 } } } })pb",
    R"pb(name: "w" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 3 } dim { size: 2 } } tensor_content: "\000\000\200?\000\000\000@\000\000@@\000\000\200@\000\000\240@\000\000\300@" } } })pb",
    R"pb(name: "MatMul" op: "MatMul" input: "x" input: "w" attr { key: "T" value { type: DT_FLOAT } } attr { key: "transpose_a" value { b: false } } attr { key: "transpose_b" value { b: false } })pb",
    R"pb(name: "b" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } tensor_content: "\000\000\000?\000\000\200\277" } } })pb",
    R"pb(name: "BiasAdd" op: "BiasAdd" input: "MatMul" input: "b" attr { key: "T" value { type: DT_FLOAT } } attr { key: "data_format" value { s: "NHWC" } })pb",
    R"pb(name: "Relu" op: "Relu" input: "BiasAdd" attr { key: "T" value { type: DT_FLOAT } })pb",
    R"pb(name: "axis" op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { } int_val: 1 } } })pb",
    R"pb(name: "Sum" op: "Sum" input: "Relu" input: "axis" attr { key: "T" value { type: DT_FLOAT } } attr { key: "Tidx" value { type: DT_INT32 } } attr { key: "keep_dims" value { b: true } })pb",
    R"pb(name: "ConcatV2" op: "ConcatV2" input: "Relu" input: "Relu" input: "axis" attr { key: "N" value { i: 2 } } attr { key: "T" value { type: DT_FLOAT } } attr { key: "Tidx" value { type: DT_INT32 } })pb",
    R"pb(name: "Squeeze" op: "Squeeze" input: "Sum" attr { key: "T" value { type: DT_FLOAT } } attr { key: "squeeze_dims" value { list { } } })pb",
    R"pb(name: "v" op: "VariableV2" attr { key: "container" value { s: "" } } attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 2 } } } } attr { key: "shared_name" value { s: "" } })pb",
    R"pb(name: "Assign" op: "Assign" input: "v" input: "b" attr { key: "T" value { type: DT_FLOAT } } attr { key: "_class" value { list { s: "loc:@v" } } } attr { key: "use_locking" value { b: true } } attr { key: "validate_shape" value { b: true } })pb",
    R"pb(name: "Cast" op: "Cast" input: "axis" attr { key: "DstT" value { type: DT_FLOAT } } attr { key: "SrcT" value { type: DT_INT32 } } attr { key: "Truncate" value { b: false } })pb",
    R"pb(name: "Unpack" op: "Unpack" input: "ConcatV2" attr { key: "T" value { type: DT_FLOAT } } attr { key: "axis" value { i: 1 } } attr { key: "num" value { i: 4 } })pb",
    R"pb(name: "strs" op: "Const" attr { key: "dtype" value { type: DT_STRING } } attr { key: "value" value { tensor { dtype: DT_STRING tensor_shape { dim { size: 2 } } string_val: "a" string_val: "bc" } } })pb",
    R"pb(name: "HashTableV2" op: "HashTableV2" attr { key: "container" value { s: "" } } attr { key: "key_dtype" value { type: DT_STRING } } attr { key: "shared_name" value { s: "t" } } attr { key: "use_node_name_sharing" value { b: false } } attr { key: "value_dtype" value { type: DT_INT64 } })pb",
};

void BuildSameGraph(const Scope& root) {
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat,
                              {.shape = *PartialTensorShape::Create(std::vector<int64_t>{-1, 3})});
  Output w = ops::Const(root.WithOpName("w"), std::vector<float>{1, 2, 3, 4, 5, 6}, {3, 2});
  Output m = ops::MatMul(root, x, w);
  Output b = ops::Const(root.WithOpName("b"), std::vector<float>{0.5f, -1.0f});
  Output r = ops::Relu(root, ops::BiasAdd(root, m, b));
  Output axis = ops::Const(root.WithOpName("axis"), 1);
  Output s = ops::Sum(root, r, axis, {.keep_dims = true});
  std::vector<Output> rr = {r, r};
  Output c = ops::ConcatV2(root, rr, axis);
  ops::Squeeze(root, s);
  Output v = ops::VariableV2(root.WithOpName("v"), *PartialTensorShape::Create(std::vector<int64_t>{2}),
                             DataType::kFloat);
  ops::Assign(root, v, b);
  ops::Cast(root, axis, DataType::kFloat);
  std::vector<Output> u = ops::Unpack(root, c, 4, {.axis = 1});
  EXPECT_EQ(u.size(), 4u);
  ops::Const(root.WithOpName("strs"), std::vector<std::string>{"a", "bc"});
  ops::HashTableV2(root, DataType::kString, DataType::kInt64, {.shared_name = "t"});
}

TEST(OpsTest, NodeDefsMatchTensorFlow) {
  Scope root = Scope::NewRootScope();
  BuildSameGraph(root);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  const tensorflow::GraphDef def = root.graph()->ToGraphDef();
  ASSERT_EQ(def.node_size(), static_cast<int>(std::size(kTensorFlowNodes)));
  EXPECT_EQ(def.versions().producer(), 1645);
  for (int i = 0; i < def.node_size(); ++i) {
    tensorflow::NodeDef want;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kTensorFlowNodes[i], &want)) << i;
    std::string diff;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differ.Compare(want, def.node(i))) << want.name() << ":\n" << diff;
  }
}

// export_meta_graph(strip_default_attrs=True) of the same TF graph kept these
// attrs (besides _output_shapes), and listed these ops in stripped_op_list.
TEST(OpsTest, StrippedFormMatchesExportMetaGraph) {
  Scope root = Scope::NewRootScope();
  BuildSameGraph(root);
  ASSERT_TRUE(root.ok());
  const std::map<std::string, std::vector<std::string>> kept = {
      {"x", {"dtype", "shape"}},        {"w", {"dtype", "value"}},
      {"MatMul", {"T"}},                {"b", {"dtype", "value"}},
      {"BiasAdd", {"T"}},               {"Relu", {"T"}},
      {"axis", {"dtype", "value"}},     {"Sum", {"T", "keep_dims"}},
      {"ConcatV2", {"N", "T"}},         {"Squeeze", {"T"}},
      {"v", {"dtype", "shape"}},        {"Assign", {"T", "_class"}},
      {"Cast", {"DstT", "SrcT"}},       {"Unpack", {"T", "axis", "num"}},
      {"strs", {"dtype", "value"}},     {"HashTableV2", {"key_dtype", "shared_name", "value_dtype"}},
  };
  tensorflow::GraphDef def = root.graph()->ToGraphDef({.strip_default_attrs = true});
  for (const tensorflow::NodeDef& node : def.node()) {
    std::vector<std::string> attrs;
    for (const auto& [k, v] : node.attr()) attrs.push_back(k);
    std::sort(attrs.begin(), attrs.end());
    EXPECT_EQ(attrs, kept.at(node.name())) << node.name();
  }
  tensorflow::OpList ops = root.graph()->StrippedOpList();
  std::vector<std::string> names;
  for (const auto& op : ops.op()) names.push_back(op.name());
  EXPECT_EQ(names, (std::vector<std::string>{"Assign", "BiasAdd", "Cast", "ConcatV2", "Const",
                                             "HashTableV2", "MatMul", "Placeholder", "Relu",
                                             "Squeeze", "Sum", "Unpack", "VariableV2"}));
  EXPECT_TRUE(ops.op(0).summary().empty());
  EXPECT_TRUE(ops.op(0).input_arg(0).is_ref());
}

TEST(OpsTest, OutputTypesAndMultiOutputOps) {
  Scope root = Scope::NewRootScope();
  Output s = ops::Placeholder(root, DataType::kString);
  ops::StringSplitOutputs split = ops::StringSplitV2(root, s, ops::Const(root, " "));
  Output x = ops::Placeholder(root, DataType::kHalf);
  Output scale = ops::Placeholder(root, DataType::kFloat);
  ops::FusedBatchNormV3Outputs bn =
      ops::FusedBatchNormV3(root, x, scale, scale, scale, scale, {.is_training = false});
  ops::UniqueOutputs u = ops::Unique(root, split.values, {.out_idx = DataType::kInt64});
  std::vector<DataType> dtypes = {DataType::kFloat, DataType::kInt64};
  std::vector<Output> restored = ops::RestoreV2(root, s, s, s, dtypes);
  Output v = ops::VariableV2(root, *PartialTensorShape::Create(std::vector<int64_t>{}), DataType::kDouble);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  const Graph& g = *root.graph();
  EXPECT_EQ(*g.OutputType(split.indices), DataType::kInt64);
  EXPECT_EQ(*g.OutputType(split.values), DataType::kString);
  EXPECT_EQ(bn.reserve_space_3.index, 5);
  EXPECT_EQ(*g.OutputType(bn.y), DataType::kHalf);
  EXPECT_EQ(*g.OutputType(bn.batch_mean), DataType::kFloat);
  EXPECT_EQ(*g.OutputType(u.idx), DataType::kInt64);
  ASSERT_EQ(restored.size(), 2u);
  EXPECT_EQ(*g.OutputType(restored[1]), DataType::kInt64);
  EXPECT_EQ(*g.OutputType(v), DataType::kDouble);
  EXPECT_TRUE(*g.IsRefOutput(v));
  EXPECT_FALSE(*g.IsRefOutput(restored[0]));
  EXPECT_EQ(*g.NumOutputs(bn.y.node), 6);
  EXPECT_EQ(g.OutputType(Output{bn.y.node, 6}).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(g.OutputType(Output{"nope", 0}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Output({"a", 0}).InputString(), "a");
  EXPECT_EQ(Output({"a", 0}).ToString(), "a:0");
  EXPECT_EQ(Output({"a", 2}).InputString(), "a:2");
}

TEST(OpsTest, ResourceVariablesAndNoOutputOps) {
  Scope root = Scope::NewRootScope();
  Output h = ops::VarHandleOp(root.WithOpName("var"), DataType::kFloat,
                              *PartialTensorShape::Create(std::vector<int64_t>{2}), {.shared_name = "var"});
  Output init = ops::Const(root, std::vector<float>{1, 2});
  Operation assign = ops::AssignVariableOp(root, h, init);
  Output read = ops::ReadVariableOp(root.WithControlDependencies({assign}), h, DataType::kFloat);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(assign.name, "AssignVariableOp");
  EXPECT_EQ(*root.graph()->NumOutputs(assign.name), 0);
  const tensorflow::NodeDef* r = root.graph()->FindNode(read.node);
  EXPECT_EQ(std::vector<std::string>(r->input().begin(), r->input().end()),
            (std::vector<std::string>{"var", "^AssignVariableOp"}));
  // Reading with the wrong dtype attr is fine for the graph (the kernel
  // checks); feeding a float into a resource input is not.
  ops::AssignVariableOp(root, init, init);
  EXPECT_FALSE(root.ok());
}

TEST(OpsTest, AttrsOutsideTheOpDefAreRejected) {
  Scope root = Scope::NewRootScope();
  Output x = ops::Placeholder(root, DataType::kString);
  ops::MatMul(root, x, x);  // string not in MatMul's T
  EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(root.status().message().find("DT_STRING is not allowed"), std::string::npos)
      << root.status().message();
  Scope r2 = Scope::NewRootScope();
  Output img = ops::Placeholder(r2, DataType::kFloat);
  ops::Conv2D(r2, img, img, {1, 1, 1, 1}, "SIDEWAYS");
  EXPECT_NE(r2.status().message().find("'SIDEWAYS' is not allowed"), std::string::npos)
      << r2.status().message();
  Scope r3 = Scope::NewRootScope();
  Output a = ops::Const(r3, 1.0f);
  std::vector<Output> one = {a};
  ops::ConcatV2(r3, one, ops::Const(r3, 0));  // N >= 2
  EXPECT_FALSE(r3.ok());
}

TEST(OpsTest, ConstEncodingsInNodes) {
  Scope root = Scope::NewRootScope();
  Output c = ops::ConstFilled(root, Tensor::Scalar<float>(0.5f), *TensorShape::Create({2, 3}));
  Output s = ops::Const(root, "hello");
  Output i = ops::Const(root, std::vector<int64_t>{1, 2, 3});
  ASSERT_TRUE(root.ok());
  const tensorflow::TensorProto& t = FindAttr(*root.graph()->FindNode(c.node), "value")->tensor();
  EXPECT_EQ(t.float_val_size(), 1);
  EXPECT_EQ(t.tensor_shape().dim_size(), 2);
  EXPECT_EQ(FindAttr(*root.graph()->FindNode(s.node), "value")->tensor().string_val(0), "hello");
  EXPECT_EQ(FindAttr(*root.graph()->FindNode(i.node), "value")->tensor().tensor_content().size(), 24u);
  EXPECT_EQ(*root.graph()->OutputType(i), DataType::kInt64);
}

}  // namespace
}  // namespace tf1hub
