#include <gtest/gtest.h>

#include "tf1hub/graph/meta_graph.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"

namespace tf1hub {
namespace {

const tensorflow::AttrValue* Attr(const tensorflow::NodeDef& node, const std::string& name) {
  auto it = node.attr().find(name);
  return it == node.attr().end() ? nullptr : &it->second;
}

const tensorflow::NodeDef* Node(const tensorflow::GraphDef& def, const std::string& name) {
  for (const auto& node : def.node()) {
    if (node.name() == name) return &node;
  }
  return nullptr;
}

TEST(ExportMetaGraphTest, MetaInfoAsTensorFlowWritesIt) {
  Scope root = Scope::NewRootScope();
  Output x = ops::Placeholder(root, DataType::kFloat, {.shape = PartialTensorShape::UnknownRank()});
  Output w = ops::Const(root, std::vector<float>{1, 2, 3, 4}, {2, 2});
  ops::MatMul(root, x, w);
  ASSERT_TRUE(root.ok()) << root.status().ToString();

  StatusOr<tensorflow::MetaGraphDef> mg = ExportMetaGraph(*root.graph());
  ASSERT_TRUE(mg.ok()) << mg.status().ToString();
  const auto& info = mg->meta_info_def();
  // Values TF 2.15.1 writes (seen in a module exported by real hub 0.15).
  EXPECT_EQ(info.tensorflow_version(), "2.15.1");
  EXPECT_EQ(info.tensorflow_git_version(), "v2.15.0-11-g63f5a65c7cd");
  EXPECT_TRUE(info.stripped_default_attrs());
  EXPECT_TRUE(info.meta_graph_version().empty());
  EXPECT_EQ(info.tags_size(), 0);
  ASSERT_EQ(info.stripped_op_list().op_size(), 3);
  EXPECT_EQ(info.stripped_op_list().op(0).name(), "Const");
  EXPECT_EQ(info.stripped_op_list().op(1).name(), "MatMul");
  EXPECT_EQ(info.stripped_op_list().op(2).name(), "Placeholder");
  EXPECT_EQ(mg->graph_def().versions().producer(), 1645);
  EXPECT_FALSE(mg->has_saver_def());
  EXPECT_EQ(mg->signature_def_size(), 0);

  // Default-valued attrs are gone: MatMul keeps only T; Placeholder keeps
  // dtype and its non-default shape (unknown rank is the default).
  const tensorflow::NodeDef* matmul = Node(mg->graph_def(), "MatMul");
  ASSERT_NE(matmul, nullptr);
  EXPECT_EQ(Attr(*matmul, "transpose_a"), nullptr);
  EXPECT_EQ(Attr(*matmul, "transpose_b"), nullptr);
  EXPECT_NE(Attr(*matmul, "T"), nullptr);
  const tensorflow::NodeDef* placeholder = Node(mg->graph_def(), "Placeholder");
  ASSERT_NE(placeholder, nullptr);
  EXPECT_EQ(Attr(*placeholder, "shape"), nullptr);
  EXPECT_EQ(Attr(*placeholder, "_output_shapes"), nullptr);
}

TEST(ExportMetaGraphTest, KeepsDefaultAttrsWhenAsked) {
  Scope root = Scope::NewRootScope();
  Output x = ops::Placeholder(root, DataType::kFloat);
  ops::MatMul(root, x, x);
  ASSERT_TRUE(root.ok());
  StatusOr<tensorflow::MetaGraphDef> mg =
      ExportMetaGraph(*root.graph(), {.strip_default_attrs = false});
  ASSERT_TRUE(mg.ok());
  EXPECT_FALSE(mg->meta_info_def().stripped_default_attrs());
  const tensorflow::NodeDef* matmul = Node(mg->graph_def(), "MatMul");
  ASSERT_NE(matmul, nullptr);
  ASSERT_NE(Attr(*matmul, "transpose_a"), nullptr);
  EXPECT_FALSE(Attr(*matmul, "transpose_a")->b());
}

TEST(ExportMetaGraphTest, WritesNonEmptyCollectionsOnly) {
  Scope root = Scope::NewRootScope();
  Variable v = GetVariable(root, "v", TensorShape::Create({2}).value());
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  Graph& g = *root.graph();
  ASSERT_TRUE(g.AddToCollection("my_nodes", "x:0").ok());
  ASSERT_TRUE(g.AddToCollection("emptied", "x:0").ok());
  g.ClearCollection("emptied");
  ASSERT_TRUE(g.AddInt64ToCollection("ints", 7).ok());
  ASSERT_TRUE(g.AddToCollection("excluded", "x").ok());

  StatusOr<tensorflow::MetaGraphDef> mg = ExportMetaGraph(g, {.exclude_collections = {"excluded"}});
  ASSERT_TRUE(mg.ok()) << mg.status().ToString();
  const auto& c = mg->collection_def();
  EXPECT_EQ(c.size(), 4u);  // variables, trainable_variables, my_nodes, ints
  EXPECT_EQ(c.count("emptied"), 0u);
  EXPECT_EQ(c.count("excluded"), 0u);
  ASSERT_EQ(c.count("my_nodes"), 1u);
  EXPECT_EQ(c.at("my_nodes").node_list().value(0), "x:0");
  ASSERT_EQ(c.count("ints"), 1u);
  EXPECT_EQ(c.at("ints").int64_list().value(0), 7);
  ASSERT_EQ(c.count("variables"), 1u);
  ASSERT_EQ(c.at("variables").bytes_list().value_size(), 1);
  tensorflow::VariableDef def;
  ASSERT_TRUE(def.ParseFromString(c.at("variables").bytes_list().value(0)));
  EXPECT_EQ(def.variable_name(), "v:0");
  EXPECT_EQ(def.initializer_name(), "v/Assign");
  EXPECT_EQ(c.count("trainable_variables"), 1u);
}

TEST(ExportMetaGraphTest, AddsOutputShapesWhenAsked) {
  Scope root = Scope::NewRootScope();
  ops::Placeholder(root.WithOpName("x"), DataType::kFloat,
                   {.shape = PartialTensorShape::Create(std::vector<int64_t>{-1, 50}).value()});
  ASSERT_TRUE(root.ok());
  StatusOr<tensorflow::MetaGraphDef> mg =
      ExportMetaGraph(*root.graph(), {.add_output_shapes = true});
  ASSERT_TRUE(mg.ok()) << mg.status().ToString();
  const tensorflow::NodeDef* x = Node(mg->graph_def(), "x");
  ASSERT_NE(x, nullptr);
  const tensorflow::AttrValue* shapes = Attr(*x, "_output_shapes");
  ASSERT_NE(shapes, nullptr);
  ASSERT_EQ(shapes->list().shape_size(), 1);
  ASSERT_EQ(shapes->list().shape(0).dim_size(), 2);
  EXPECT_EQ(shapes->list().shape(0).dim(0).size(), -1);
  EXPECT_EQ(shapes->list().shape(0).dim(1).size(), 50);
}

}  // namespace
}  // namespace tf1hub
