#include "tf1hub/graph/graph.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "tf1hub/graph/ops.h"

namespace tf1hub {
namespace {

tensorflow::NodeDef Node(const std::string& text) {
  tensorflow::NodeDef node;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &node)) << text;
  return node;
}

constexpr char kConstX[] =
    R"pb(name: "x" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
         attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1 } } })pb";

TEST(GraphTest, NewGraphHasTensorFlowVersions) {
  Graph g;
  EXPECT_EQ(g.versions().producer(), 1645);
  EXPECT_EQ(g.versions().min_consumer(), 0);
  EXPECT_EQ(g.num_nodes(), 0);
}

TEST(GraphTest, AddNodeFillsDefaultsAndIndexes) {
  Graph g;
  ASSERT_TRUE(g.AddNode(Node(kConstX)).ok());
  Status s = g.AddNode(Node(R"pb(name: "m" op: "MatMul" input: "x" input: "x"
                                 attr { key: "T" value { type: DT_FLOAT } })pb"));
  ASSERT_TRUE(s.ok()) << s.ToString();
  const tensorflow::NodeDef* m = g.FindNode("m");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->attr().size(), 3u);  // T, transpose_a, transpose_b
  EXPECT_FALSE(m->attr().at("transpose_a").b());
  EXPECT_TRUE(g.IsNameUsed("M"));
  EXPECT_EQ(g.UniqueName("m"), "m_1");
  EXPECT_EQ(*g.OutputType({"m", 0}), DataType::kFloat);
  EXPECT_EQ(*g.TensorType("m:0"), DataType::kFloat);
  EXPECT_EQ(*g.TensorType("x"), DataType::kFloat);
  EXPECT_EQ(g.TensorType("m:1").status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(g.TensorType("^m").status().code(), StatusCode::kInvalidArgument);
}

TEST(GraphTest, AddNodeRejectsHostileNodes) {
  Graph g;
  ASSERT_TRUE(g.AddNode(Node(kConstX)).ok());
  struct Case {
    const char* text;
    StatusCode code;
    const char* message_part;
  };
  const Case cases[] = {
      {kConstX, StatusCode::kAlreadyExists, "node 'x' already exists"},
      {R"pb(name: "u" op: "FancyNewOp")pb", StatusCode::kNotFound, "'FancyNewOp'"},
      {R"pb(name: "e" op: "")pb", StatusCode::kInvalidArgument, "has no op"},
      {R"pb(name: "_hidden" op: "NoOp")pb", StatusCode::kInvalidArgument, "not valid"},
      {R"pb(name: "a b" op: "NoOp")pb", StatusCode::kInvalidArgument, "not valid"},
      {R"pb(name: "" op: "NoOp")pb", StatusCode::kInvalidArgument, "not valid"},
      {R"pb(name: "r" op: "Relu" input: "missing" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "unknown input node 'missing'"},
      {R"pb(name: "r" op: "Relu" input: "x:1" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "has 1 outputs"},
      {R"pb(name: "r" op: "Relu" input: "x:01" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "malformed input"},
      {R"pb(name: "r" op: "Relu" input: "x:-1" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "malformed input"},
      {R"pb(name: "r" op: "Relu" input: "" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "malformed input"},
      {R"pb(name: "r" op: "Relu" input: "^x" input: "x" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "after a control input"},
      {R"pb(name: "r" op: "Relu" input: "x" input: "^ghost" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "unknown control input node 'ghost'"},
      {R"pb(name: "r" op: "Relu" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "has 0 data inputs, its OpDef and attrs expect 1"},
      {R"pb(name: "r" op: "Relu" input: "x" input: "x" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "has 2 data inputs"},
      {R"pb(name: "r" op: "Relu" input: "x" attr { key: "T" value { type: DT_INT32 } })pb",
       StatusCode::kInvalidArgument, "was passed float from x:0 incompatible with expected int32"},
      {R"pb(name: "r" op: "Relu" input: "x" attr { key: "T" value { s: "float" } })pb",
       StatusCode::kInvalidArgument, "expected a type, got a string"},
      {R"pb(name: "r" op: "Relu" input: "x")pb", StatusCode::kInvalidArgument, "missing attr 'T'"},
      {R"pb(name: "r" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } }
            attr { key: "alpha" value { f: 1 } })pb",
       StatusCode::kInvalidArgument, "attr 'alpha' is not in the OpDef"},
      // A ref input must come from a ref output.
      {R"pb(name: "a" op: "Assign" input: "x" input: "x" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "incompatible with expected float_ref"},
      // Self loop: the node does not exist yet when it is added.
      {R"pb(name: "loop" op: "Relu" input: "loop" attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "unknown input node 'loop'"},
      {R"pb(name: "c" op: "ConcatV2" input: "x" input: "x" attr { key: "N" value { i: 99999999999 } }
            attr { key: "T" value { type: DT_FLOAT } })pb",
       StatusCode::kInvalidArgument, "out of range"},
  };
  for (const Case& c : cases) {
    Status s = g.AddNode(Node(c.text));
    EXPECT_EQ(s.code(), c.code) << c.text << "\n" << s.ToString();
    EXPECT_NE(s.message().find(c.message_part), std::string::npos) << s.message();
  }
  EXPECT_EQ(g.num_nodes(), 1);
}

TEST(GraphTest, ControlInputsAreSortedAndDeduplicated) {
  Graph g;
  ASSERT_TRUE(g.AddNode(Node(kConstX)).ok());
  ASSERT_TRUE(g.AddNode(Node(R"pb(name: "b" op: "NoOp")pb")).ok());
  ASSERT_TRUE(g.AddNode(Node(R"pb(name: "n" op: "NoOp" input: "^x" input: "^b" input: "^x")pb")).ok());
  const tensorflow::NodeDef* n = g.FindNode("n");
  EXPECT_EQ(std::vector<std::string>(n->input().begin(), n->input().end()),
            (std::vector<std::string>{"^b", "^x"}));
  ASSERT_TRUE(g.AddControlInput("n", Operation{"a_missing"}).code() == StatusCode::kNotFound);
  ASSERT_TRUE(g.AddNode(Node(R"pb(name: "a" op: "NoOp")pb")).ok());
  ASSERT_TRUE(g.AddControlInput("n", Operation{"a"}).ok());
  EXPECT_EQ(n->input(0), "^a");
}

TEST(GraphTest, UpdateInputClosesLoops) {
  Scope root = Scope::NewRootScope();
  Output zero = ops::Const(root.WithOpName("zero"), 0);
  Output enter = ops::Enter(root, zero, "loop");
  std::vector<Output> twice = {enter, enter};
  ops::MergeOutputs merge = ops::Merge(root, twice);
  Output next = ops::NextIteration(root, merge.output);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  Graph* g = root.graph();
  ASSERT_TRUE(g->UpdateInput(merge.output.node, 1, next).ok());
  EXPECT_EQ(g->FindNode("Merge")->input(1), "NextIteration");
  Output f = ops::Const(root, 1.0f);
  EXPECT_EQ(g->UpdateInput("Merge", 1, f).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(g->UpdateInput("Merge", 2, next).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(g->UpdateInput("nope", 0, next).code(), StatusCode::kNotFound);
}

TEST(GraphTest, Collections) {
  Graph g;
  ASSERT_TRUE(g.AddToCollection(graph_keys::kTableInitializers, "init_table").ok());
  ASSERT_TRUE(g.AddToCollection(graph_keys::kAssetFilepaths, "Const:0").ok());
  ASSERT_TRUE(g.AddBytesToCollection(graph_keys::kGlobalVariables, "\x0a\x01w").ok());
  ASSERT_TRUE(g.AddBytesToCollection(graph_keys::kGlobalVariables, "\x0a\x01" "b").ok());
  EXPECT_EQ(g.AddToCollection(graph_keys::kGlobalVariables, "x").code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(g.AddInt64ToCollection("counts", 7).ok());
  ASSERT_TRUE(g.AddFloatToCollection("scales", 0.5f).ok());
  EXPECT_EQ(g.CollectionKeys(), (std::vector<std::string>{"asset_filepaths", "counts", "scales",
                                                          "table_initializer", "variables"}));
  EXPECT_EQ(g.GetCollection("variables")->bytes_list().value_size(), 2);
  EXPECT_EQ(g.GetCollection("asset_filepaths")->node_list().value(0), "Const:0");
  EXPECT_EQ(g.GetCollection("nothing"), nullptr);
  g.ClearCollection("counts");
  EXPECT_EQ(g.GetCollection("counts"), nullptr);
  EXPECT_STREQ(graph_keys::kTrainableVariables, "trainable_variables");
  EXPECT_STREQ(graph_keys::kRegularizationLosses, "regularization_losses");
  EXPECT_STREQ(graph_keys::kUpdateOps, "update_ops");
  EXPECT_STREQ(graph_keys::kModelVariables, "model_variables");
}

TEST(GraphTest, ValidNodeNames) {
  EXPECT_TRUE(IsValidNodeName("a"));
  EXPECT_TRUE(IsValidNodeName("dense/kernel/Initializer/random_uniform"));
  EXPECT_TRUE(IsValidNodeName(".hidden-ish_1"));
  EXPECT_TRUE(IsValidNodeName("a>b/c"));
  EXPECT_FALSE(IsValidNodeName(""));
  EXPECT_FALSE(IsValidNodeName("/a"));
  EXPECT_FALSE(IsValidNodeName("a:0"));
  EXPECT_FALSE(IsValidNodeName("a>"));
  EXPECT_FALSE(IsValidNodeName("a\\b"));
}

TEST(OutputTest, ParseTensorName) {
  EXPECT_EQ(*ParseTensorName("a"), (Output{"a", 0}));
  EXPECT_EQ(*ParseTensorName("a/b:12"), (Output{"a/b", 12}));
  EXPECT_FALSE(ParseTensorName("a:").ok());
  EXPECT_FALSE(ParseTensorName(":1").ok());
  EXPECT_FALSE(ParseTensorName("^a").ok());
  EXPECT_FALSE(ParseTensorName("a:x").ok());
  EXPECT_FALSE(ParseTensorName("a:99999999999").ok());
}

}  // namespace
}  // namespace tf1hub
