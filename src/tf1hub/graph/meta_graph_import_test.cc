// ImportMetaGraph (meta_graph.h): names, input_map and collections as
// tf.compat.v1.train.import_meta_graph(meta_graph, import_scope=...) gives
// them in TensorFlow 2.15.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/graph/meta_graph.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A MetaGraphDef of the graph built by `root` (nodes and collections only).
tensorflow::MetaGraphDef MetaGraphOf(const Scope& root) {
  tensorflow::MetaGraphDef meta;
  *meta.mutable_graph_def() = root.graph()->ToGraphDef();
  for (const auto& [key, collection] : root.graph()->collections()) {
    (*meta.mutable_collection_def())[key] = collection;
  }
  return meta;
}

// In TF: x = placeholder; w = get_variable("w", [2]) (resource);
// y = x * w; add_to_collection("outs", y); add_to_collection("ints", 7).
tensorflow::MetaGraphDef SmallModule() {
  Scope root = Scope::NewRootScope();
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat);
  Variable w = GetVariable(root, "w", *TensorShape::Create({2}));
  Output y = ops::Mul(root.WithOpName("y"), x, w.Read(root));
  EXPECT_TRUE(root.graph()->AddToCollection("outs", "y:0").ok());
  EXPECT_TRUE(root.graph()->AddToCollection("ctl", "^y").ok());
  EXPECT_TRUE(root.graph()->AddInt64ToCollection("ints", 7).ok());
  EXPECT_TRUE(root.ok()) << root.status().ToString();
  return MetaGraphOf(root);
}

std::vector<std::string> NodeList(const Graph& graph, const std::string& key) {
  const tensorflow::CollectionDef* c = graph.GetCollection(key);
  if (c == nullptr) return {};
  return {c->node_list().value().begin(), c->node_list().value().end()};
}

TEST(ImportMetaGraphTest, PrefixesNodesAndCollections) {
  Scope root = Scope::NewRootScope();
  MetaGraphImportOptions options;
  options.import_scope = "module";
  auto r = ImportMetaGraph(root, SmallModule(), options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->graph.prefix, "module");
  const Graph& g = *root.graph();
  ASSERT_NE(g.FindNode("module/w"), nullptr);
  ASSERT_NE(g.FindNode("module/y"), nullptr);
  EXPECT_THAT(NodeList(g, "outs"), ElementsAre("module/y:0"));
  EXPECT_THAT(NodeList(g, "ctl"), ElementsAre("^module/y"));
  ASSERT_NE(g.GetCollection("ints"), nullptr);
  EXPECT_THAT(g.GetCollection("ints")->int64_list().value(), ElementsAre(7));

  // VariableDefs name the imported nodes (Variable.from_proto(import_scope)).
  std::optional<Variable> w = FindVariable(g, "module/w");
  ASSERT_TRUE(w.has_value());
  tensorflow::VariableDef def = w->ToProto();
  EXPECT_EQ(def.variable_name(), "module/w:0");
  EXPECT_EQ(def.initializer_name(), "module/w/Assign");
  EXPECT_EQ(def.snapshot_name(), "module/w/Read/ReadVariableOp:0");
  EXPECT_EQ(def.initial_value_name(), "module/w/Initializer/random_uniform:0");
  auto trainable = CollectionVariables(g, graph_keys::kTrainableVariables);
  ASSERT_TRUE(trainable.ok());
  ASSERT_EQ(trainable->size(), 1u);
  EXPECT_EQ((*trainable)[0].name(), "module/w");
}

TEST(ImportMetaGraphTest, ScopeIsTakenExactlyAndNestedScopesWork) {
  Scope root = Scope::NewRootScope();
  // The name scope "a" is used already: import_meta_graph(import_scope="a/b")
  // still puts nodes under exactly "a/b".
  ops::Const(root.NewSubScope("a").WithOpName("c"), 1.0f);
  MetaGraphImportOptions options;
  options.import_scope = "a/b";
  auto r = ImportMetaGraph(root, SmallModule(), options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(root.graph()->FindNode("a/b/w"), nullptr);
  EXPECT_THAT(NodeList(*root.graph(), "outs"), ElementsAre("a/b/y:0"));
}

TEST(ImportMetaGraphTest, CollectionFilterKeepsOnlyChosenKeys) {
  Scope root = Scope::NewRootScope();
  MetaGraphImportOptions options;
  options.import_scope = "m";
  options.collection_filter = [](const std::string& key) { return key == "variables"; };
  ASSERT_TRUE(ImportMetaGraph(root, SmallModule(), options).ok());
  EXPECT_THAT(root.graph()->CollectionKeys(), ElementsAre("variables"));
}

TEST(ImportMetaGraphTest, InputMapRewiresConsumersAndReturnElements) {
  Scope root = Scope::NewRootScope();
  Output feed = ops::Const(root.WithOpName("feed"), std::vector<float>{1, 2});
  MetaGraphImportOptions options;
  options.import_scope = "m";
  options.input_map["x:0"] = feed;
  options.return_elements = {"y:0", "x:0"};
  auto r = ImportMetaGraph(root, SmallModule(), options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const tensorflow::NodeDef* y = root.graph()->FindNode("m/y");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->input(0), "feed");
  ASSERT_EQ(r->graph.return_tensors.size(), 2u);
  EXPECT_EQ(r->graph.return_tensors[0].ToString(), "m/y:0");
  EXPECT_EQ(r->graph.return_tensors[1].ToString(), "feed:0");
}

TEST(ImportMetaGraphTest, NoScopeKeepsNames) {
  Scope root = Scope::NewRootScope();
  auto r = ImportMetaGraph(root, SmallModule());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(root.graph()->FindNode("w"), nullptr);
  EXPECT_THAT(NodeList(*root.graph(), "outs"), ElementsAre("y:0"));
}

TEST(ImportMetaGraphTest, RenamedOnClashCollectionsFollowTheImporter) {
  Scope root = Scope::NewRootScope();
  // "m/y" exists: the importer makes the module's y "m/y_1".
  ops::Const(root.WithOpName("m/y/"), 1.0f);
  MetaGraphImportOptions options;
  options.import_scope = "m";
  auto r = ImportMetaGraph(root, SmallModule(), options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->graph.node_names.at("y"), "m/y_1");
  EXPECT_THAT(NodeList(*root.graph(), "outs"), ElementsAre("m/y_1:0"));
}

// TF 2.15: import_graph_def of {a/b (Const), a = Identity(a/b)} under "m"
// gives m/a/b and m/a (the importer's own nodes do not make "m/a" taken).
TEST(ImportMetaGraphTest, NodeBeforeItsPrefixKeepsItsName) {
  Scope def_scope = Scope::NewRootScope();
  Output ab = ops::Const(def_scope.WithOpName("a/b/"), 1.0f);
  ops::Identity(def_scope.WithOpName("a/"), ab);
  ASSERT_TRUE(def_scope.ok()) << def_scope.status().ToString();
  Scope root = Scope::NewRootScope();
  MetaGraphImportOptions options;
  options.import_scope = "m";
  auto r = ImportMetaGraph(root, MetaGraphOf(def_scope), options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->graph.node_names.at("a"), "m/a");
  EXPECT_EQ(r->graph.node_names.at("a/b"), "m/a/b");
}

TEST(ImportMetaGraphTest, SaveSliceInfoFullNameIsPrefixed) {
  tensorflow::MetaGraphDef meta = SmallModule();
  tensorflow::CollectionDef& vars = (*meta.mutable_collection_def())["variables"];
  tensorflow::VariableDef def;
  ASSERT_TRUE(def.ParseFromString(vars.bytes_list().value(0)));
  def.mutable_save_slice_info_def()->set_full_name("p");
  def.mutable_save_slice_info_def()->add_full_shape(4);
  def.mutable_save_slice_info_def()->add_var_offset(2);
  def.mutable_save_slice_info_def()->add_var_shape(2);
  vars.mutable_bytes_list()->set_value(0, def.SerializeAsString());
  Scope root = Scope::NewRootScope();
  MetaGraphImportOptions options;
  options.import_scope = "m";
  ASSERT_TRUE(ImportMetaGraph(root, meta, options).ok());
  tensorflow::VariableDef got;
  ASSERT_TRUE(got.ParseFromString(
      root.graph()->GetCollection("variables")->bytes_list().value(0)));
  EXPECT_EQ(got.variable_name(), "m/w:0");
  EXPECT_EQ(got.save_slice_info_def().full_name(), "m/p");
  EXPECT_THAT(got.save_slice_info_def().var_offset(), ElementsAre(2));
}

TEST(ImportMetaGraphTest, MalformedVariableDefIsAnError) {
  tensorflow::MetaGraphDef meta = SmallModule();
  (*meta.mutable_collection_def())["variables"].mutable_bytes_list()->set_value(0, "\xff\xff");
  Scope root = Scope::NewRootScope();
  auto r = ImportMetaGraph(root, meta);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("importing collection 'variables'"));
  EXPECT_THAT(r.status().message(), HasSubstr("not a valid VariableDef"));
}

TEST(ImportMetaGraphTest, GraphErrorsPropagate) {
  tensorflow::MetaGraphDef meta = SmallModule();
  meta.mutable_graph_def()->mutable_node(0)->set_op("NoSuchOp");
  Scope root = Scope::NewRootScope();
  auto r = ImportMetaGraph(root, meta);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("NoSuchOp"));
}

}  // namespace
}  // namespace tf1hub
