#include "tf1hub/graph/op_registry.h"

#include <gtest/gtest.h>

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "tf1hub/graph/attr_util.h"

namespace tf1hub {
namespace {

using tensorflow::DataType;

tensorflow::NodeDef MakeNode(const std::string& name, const std::string& op) {
  tensorflow::NodeDef node;
  node.set_name(name);
  node.set_op(op);
  return node;
}

TEST(OpRegistryTest, EmbeddedOpListParsesAndHoldsTheSupportedOps) {
  const OpRegistry& registry = OpRegistry::Global();
  // scripts/gen_op_defs.py asks TF 2.15.1 for 182 ops; all are registered.
  EXPECT_EQ(registry.size(), 182);
  for (const char* op : {"Placeholder", "Const", "MatMul", "VariableV2", "VarHandleOp", "SaveV2",
                         "RestoreV2", "HashTableV2", "Einsum", "FusedBatchNormV3", "Switch",
                         "IsVariableInitialized", "PadV2"}) {
    EXPECT_NE(registry.Lookup(op), nullptr) << op;
  }
  EXPECT_EQ(registry.Lookup("NoSuchOp"), nullptr);
  EXPECT_EQ(registry.Lookup("matmul"), nullptr);  // names are case-sensitive
  std::vector<std::string> names = registry.OpNames();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(names.front(), "Abs");
}

TEST(OpRegistryTest, OpDefsAreTensorFlowsWithoutDescriptions) {
  const tensorflow::OpDef* matmul = OpRegistry::Global().Lookup("MatMul");
  ASSERT_NE(matmul, nullptr);
  EXPECT_TRUE(matmul->summary().empty());
  EXPECT_TRUE(matmul->description().empty());
  ASSERT_EQ(matmul->input_arg_size(), 2);
  EXPECT_EQ(matmul->input_arg(0).name(), "a");
  EXPECT_EQ(matmul->output_arg(0).name(), "product");
  // TF 2.15: transpose_a, transpose_b (default false), T.
  ASSERT_EQ(matmul->attr_size(), 3);
  EXPECT_EQ(matmul->attr(0).name(), "transpose_a");
  EXPECT_FALSE(matmul->attr(0).default_value().b());
  const tensorflow::OpDef* var = OpRegistry::Global().Lookup("VariableV2");
  ASSERT_NE(var, nullptr);
  EXPECT_TRUE(var->is_stateful());
  EXPECT_TRUE(var->output_arg(0).is_ref());
  EXPECT_TRUE(OpRegistry::Global().Lookup("Add")->input_arg(0).description().empty());
  EXPECT_TRUE(OpRegistry::Global().Lookup("AddV2")->is_commutative());
}

TEST(OpRegistryTest, FromTextRejectsBrokenAndDuplicateLists) {
  EXPECT_FALSE(OpRegistry::FromText("op { name: ").ok());
  EXPECT_FALSE(OpRegistry::FromText("op { name: \"A\" } op { name: \"A\" }").ok());
  EXPECT_FALSE(OpRegistry::FromText("op { }").ok());
  auto ok = OpRegistry::FromText("op { name: \"B\" } op { name: \"A\" }");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->OpNames(), (std::vector<std::string>{"A", "B"}));
}

// The build embeds op_defs.pbtxt as binary protobuf: Global() holds exactly
// the OpDefs the text holds.
TEST(OpRegistryTest, EmbeddedBytesAreTheTextOpList) {
  std::ifstream in(TF1HUB_OP_DEFS_PBTXT, std::ios::binary);
  ASSERT_TRUE(in) << TF1HUB_OP_DEFS_PBTXT;
  std::stringstream text;
  text << in.rdbuf();
  auto from_text = OpRegistry::FromText(text.str());
  ASSERT_TRUE(from_text.ok()) << from_text.status().ToString();
  const OpRegistry& global = OpRegistry::Global();
  ASSERT_EQ(global.OpNames(), (*from_text)->OpNames());
  for (const std::string& name : global.OpNames()) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*global.Lookup(name),
                                                                   *(*from_text)->Lookup(name)))
        << name;
  }
}

TEST(OpRegistryTest, FromBinaryRejectsBrokenAndDuplicateLists) {
  EXPECT_FALSE(OpRegistry::FromBinary("\x0a\xff\xff").ok());  // truncated field
  tensorflow::OpList twice;
  twice.add_op()->set_name("A");
  twice.add_op()->set_name("A");
  EXPECT_FALSE(OpRegistry::FromBinary(twice.SerializeAsString()).ok());
  tensorflow::OpList unnamed;
  unnamed.add_op();
  EXPECT_FALSE(OpRegistry::FromBinary(unnamed.SerializeAsString()).ok());
  tensorflow::OpList two;
  two.add_op()->set_name("B");
  two.add_op()->set_name("A");
  auto ok = OpRegistry::FromBinary(two.SerializeAsString());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->OpNames(), (std::vector<std::string>{"A", "B"}));
}

TEST(OpRegistryTest, AddAndStripDefaultAttrs) {
  const tensorflow::OpDef& op = *OpRegistry::Global().Lookup("MatMul");
  tensorflow::NodeDef node = MakeNode("m", "MatMul");
  (*node.mutable_attr())["T"] = AttrType(tensorflow::DT_FLOAT);
  (*node.mutable_attr())["transpose_b"] = AttrBool(true);
  (*node.mutable_attr())["_class"] = AttrStringList(std::vector<std::string>{"loc:@x"});
  ASSERT_TRUE(AddDefaultAttrs(op, &node).ok());
  ASSERT_EQ(node.attr().size(), 4u);
  EXPECT_FALSE(node.attr().at("transpose_a").b());
  EXPECT_TRUE(node.attr().at("transpose_b").b());  // explicit value kept
  ASSERT_TRUE(StripDefaultAttrs(op, &node).ok());
  EXPECT_EQ(node.attr().count("transpose_a"), 0u);
  EXPECT_EQ(node.attr().count("transpose_b"), 1u);  // not the default
  EXPECT_EQ(node.attr().count("T"), 1u);            // no default
  EXPECT_EQ(node.attr().count("_class"), 1u);       // not an OpDef attr

  // Empty-list defaults (Squeeze squeeze_dims = []).
  const tensorflow::OpDef& squeeze = *OpRegistry::Global().Lookup("Squeeze");
  tensorflow::NodeDef sq = MakeNode("s", "Squeeze");
  ASSERT_TRUE(AddDefaultAttrs(squeeze, &sq).ok());
  ASSERT_EQ(sq.attr().count("squeeze_dims"), 1u);
  EXPECT_EQ(sq.attr().at("squeeze_dims").value_case(), tensorflow::AttrValue::kList);
  ASSERT_TRUE(StripDefaultAttrs(squeeze, &sq).ok());
  EXPECT_EQ(sq.attr().count("squeeze_dims"), 0u);
}

TEST(OpRegistryTest, SignatureExpandsNumberTypeListAndRefArgs) {
  const OpRegistry& r = OpRegistry::Global();
  tensorflow::NodeDef concat = MakeNode("c", "ConcatV2");
  (*concat.mutable_attr())["N"] = AttrInt(3);
  (*concat.mutable_attr())["T"] = AttrType(tensorflow::DT_FLOAT);
  ASSERT_TRUE(AddDefaultAttrs(*r.Lookup("ConcatV2"), &concat).ok());
  auto sig = ComputeNodeSignature(concat, *r.Lookup("ConcatV2"));
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ(sig->inputs, (std::vector<DataType>{tensorflow::DT_FLOAT, tensorflow::DT_FLOAT,
                                                tensorflow::DT_FLOAT, tensorflow::DT_INT32}));
  EXPECT_EQ(sig->outputs, (std::vector<DataType>{tensorflow::DT_FLOAT}));
  EXPECT_EQ(sig->input_is_ref, (std::vector<bool>{false, false, false, false}));

  tensorflow::NodeDef idn = MakeNode("i", "IdentityN");
  (*idn.mutable_attr())["T"] = AttrTypeList(
      std::vector<DataType>{tensorflow::DT_STRING, tensorflow::DT_INT64});
  sig = ComputeNodeSignature(idn, *r.Lookup("IdentityN"));
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->inputs, (std::vector<DataType>{tensorflow::DT_STRING, tensorflow::DT_INT64}));
  EXPECT_EQ(sig->outputs, sig->inputs);

  tensorflow::NodeDef assign = MakeNode("a", "Assign");
  (*assign.mutable_attr())["T"] = AttrType(tensorflow::DT_DOUBLE);
  sig = ComputeNodeSignature(assign, *r.Lookup("Assign"));
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->inputs, (std::vector<DataType>{tensorflow::DT_DOUBLE, tensorflow::DT_DOUBLE}));
  EXPECT_EQ(sig->input_is_ref, (std::vector<bool>{true, false}));
  EXPECT_EQ(sig->output_is_ref, (std::vector<bool>{true}));

  // Fixed types: SaveV2(prefix: string, tensor_names: string,
  // shape_and_slices: string, tensors: dtypes) -> no outputs.
  tensorflow::NodeDef save = MakeNode("save", "SaveV2");
  (*save.mutable_attr())["dtypes"] = AttrTypeList(std::vector<DataType>{tensorflow::DT_FLOAT});
  sig = ComputeNodeSignature(save, *r.Lookup("SaveV2"));
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->inputs, (std::vector<DataType>{tensorflow::DT_STRING, tensorflow::DT_STRING,
                                                tensorflow::DT_STRING, tensorflow::DT_FLOAT}));
  EXPECT_TRUE(sig->outputs.empty());
}

TEST(OpRegistryTest, SignatureRejectsMissingAndHostileAttrs) {
  const tensorflow::OpDef& concat = *OpRegistry::Global().Lookup("ConcatV2");
  tensorflow::NodeDef node = MakeNode("c", "ConcatV2");
  (*node.mutable_attr())["T"] = AttrType(tensorflow::DT_FLOAT);
  (*node.mutable_attr())["Tidx"] = AttrType(tensorflow::DT_INT32);
  auto sig = ComputeNodeSignature(node, concat);
  ASSERT_FALSE(sig.ok());
  EXPECT_NE(sig.status().message().find("'N'"), std::string::npos) << sig.status().message();
  (*node.mutable_attr())["N"] = AttrInt(-5);
  EXPECT_FALSE(ComputeNodeSignature(node, concat).ok());
  (*node.mutable_attr())["N"] = AttrInt(int64_t{1} << 40);  // would allocate terabytes
  EXPECT_FALSE(ComputeNodeSignature(node, concat).ok());
  (*node.mutable_attr())["N"] = AttrString("2");
  EXPECT_FALSE(ComputeNodeSignature(node, concat).ok());
  (*node.mutable_attr())["N"] = AttrInt(2);
  (*node.mutable_attr())["T"].set_type(static_cast<DataType>(101));  // DT_FLOAT_REF
  EXPECT_FALSE(ComputeNodeSignature(node, concat).ok());
  (*node.mutable_attr())["T"].set_type(static_cast<DataType>(77));
  EXPECT_FALSE(ComputeNodeSignature(node, concat).ok());
}

TEST(OpRegistryTest, ValidateNodeAttrs) {
  const tensorflow::OpDef& concat = *OpRegistry::Global().Lookup("ConcatV2");
  tensorflow::NodeDef node = MakeNode("c", "ConcatV2");
  (*node.mutable_attr())["N"] = AttrInt(2);
  (*node.mutable_attr())["T"] = AttrType(tensorflow::DT_STRING);
  (*node.mutable_attr())["Tidx"] = AttrType(tensorflow::DT_INT64);
  (*node.mutable_attr())["_output_shapes"] = AttrInt(7);  // underscore attrs are free-form
  EXPECT_TRUE(ValidateNodeAttrs(node, concat).ok());

  tensorflow::NodeDef bad = node;
  (*bad.mutable_attr())["N"] = AttrInt(1);  // minimum 2
  Status s = ValidateNodeAttrs(bad, concat);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("node 'c' (op 'ConcatV2'), attr 'N'"), std::string::npos)
      << s.message();

  bad = node;
  (*bad.mutable_attr())["Tidx"] = AttrType(tensorflow::DT_FLOAT);  // not in {int32, int64}
  s = ValidateNodeAttrs(bad, concat);
  EXPECT_NE(s.message().find("DT_FLOAT is not allowed"), std::string::npos) << s.message();

  bad = node;
  bad.mutable_attr()->erase("T");
  s = ValidateNodeAttrs(bad, concat);
  EXPECT_NE(s.message().find("missing attr 'T'"), std::string::npos) << s.message();

  bad = node;
  (*bad.mutable_attr())["bogus"] = AttrInt(1);
  s = ValidateNodeAttrs(bad, concat);
  EXPECT_NE(s.message().find("attr 'bogus' is not in the OpDef"), std::string::npos);

  bad = node;
  (*bad.mutable_attr())["T"] = AttrInt(1);  // wrong kind
  EXPECT_FALSE(ValidateNodeAttrs(bad, concat).ok());

  // list(int) holding floats; list(type) with an unknown dtype.
  const tensorflow::OpDef& squeeze = *OpRegistry::Global().Lookup("Squeeze");
  tensorflow::NodeDef sq = MakeNode("s", "Squeeze");
  (*sq.mutable_attr())["T"] = AttrType(tensorflow::DT_FLOAT);
  (*sq.mutable_attr())["squeeze_dims"] = AttrFloatList(std::vector<float>{1.0f});
  EXPECT_FALSE(ValidateNodeAttrs(sq, squeeze).ok());
  (*sq.mutable_attr())["squeeze_dims"] = AttrIntList(std::vector<int64_t>{0, 2});
  EXPECT_TRUE(ValidateNodeAttrs(sq, squeeze).ok());

  // Shapes: dims below -1 and unknown_rank with dims are rejected.
  const tensorflow::OpDef& ph = *OpRegistry::Global().Lookup("Placeholder");
  tensorflow::NodeDef p = MakeNode("p", "Placeholder");
  (*p.mutable_attr())["dtype"] = AttrType(tensorflow::DT_FLOAT);
  ASSERT_TRUE(AddDefaultAttrs(ph, &p).ok());
  EXPECT_TRUE(ValidateNodeAttrs(p, ph).ok());
  (*p.mutable_attr())["shape"].mutable_shape()->Clear();  // default: unknown rank
  (*p.mutable_attr())["shape"].mutable_shape()->add_dim()->set_size(-2);
  EXPECT_FALSE(ValidateNodeAttrs(p, ph).ok());
  (*p.mutable_attr())["shape"].mutable_shape()->mutable_dim(0)->set_size(-1);
  EXPECT_TRUE(ValidateNodeAttrs(p, ph).ok());
  (*p.mutable_attr())["shape"].mutable_shape()->set_unknown_rank(true);
  EXPECT_FALSE(ValidateNodeAttrs(p, ph).ok());
}

}  // namespace
}  // namespace tf1hub
