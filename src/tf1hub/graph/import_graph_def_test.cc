#include "tf1hub/graph/import.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/ops.h"

namespace tf1hub {
namespace {

tensorflow::GraphDef Parse(const std::string& text) {
  tensorflow::GraphDef def;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &def)) << text;
  return def;
}

std::vector<std::string> Inputs(const Graph& g, const std::string& node) {
  const tensorflow::NodeDef* n = g.FindNode(node);
  if (n == nullptr) return {"<missing " + node + ">"};
  return {n->input().begin(), n->input().end()};
}

std::vector<std::string> NodeNames(const Graph& g) {
  std::vector<std::string> names;
  for (const auto& n : g.graph_def().node()) names.push_back(n.name());
  return names;
}

// foo = Const; foo_1 = Identity(foo); bar = Identity(foo_1);
// ctl = Identity(bar) with control dependency on foo.
tensorflow::GraphDef SmallGraph() {
  Scope s = Scope::NewRootScope();
  Output foo = ops::Const(s.WithOpName("foo"), 1.0f);
  Output foo1 = ops::Identity(s.WithOpName("foo_1"), foo);
  Output bar = ops::Identity(s.WithOpName("bar"), foo1);
  ops::Identity(s.WithOpName("ctl").WithControlDependencies(foo), bar);
  EXPECT_TRUE(s.ok());
  return s.graph()->ToGraphDef({.strip_default_attrs = true});
}

// The same steps in TF 2.15.1 (tf.compat.v1.import_graph_def) gave nodes
// foo, foo_2, foo_1 ['foo_2'], bar ['foo_1'], ctl ['bar', '^foo_2'],
// foo_2_1, outer/import/{foo, foo_1, bar, ctl}, x, m/foo, m/foo_1 ['x'],
// m/bar ['m/foo_1'], m/ctl ['m/bar', '^x'], and these errors:
//   input_map {"nonexist:0", "zz"}: Attempted to map inputs that were not
//     found in graph_def: [...]
//   input_map {"foo:3"}: ... [foo:3]
//   input_map {"foo:0": int32 Const}: Input 0 of node m_3/foo_1 was passed
//     int32 from Const:0 incompatible with expected float.
//   return_elements ["nope"]: Requested return node 'nope' not found in graph def
TEST(ImportGraphDefTest, PrefixesUniquifiesAndMapsLikeTensorFlow) {
  const tensorflow::GraphDef def = SmallGraph();
  Scope root = Scope::NewRootScope();
  const Graph& g = *root.graph();
  ops::Const(root.WithOpName("foo"), 1.0f);
  root.NewSubScope("bar");  // a used name scope does not rename imported nodes

  ImportGraphDefOptions plain;
  plain.name = "";
  auto r = ImportGraphDef(root, def, plain);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->prefix, "");
  EXPECT_EQ(r->node_names.at("foo"), "foo_2");
  EXPECT_EQ(Inputs(g, "foo_1"), (std::vector<std::string>{"foo_2"}));
  EXPECT_EQ(Inputs(g, "bar"), (std::vector<std::string>{"foo_1"}));
  EXPECT_EQ(Inputs(g, "ctl"), (std::vector<std::string>{"bar", "^foo_2"}));
  EXPECT_EQ(ops::Const(root.WithOpName("foo_2"), 1.0f).node, "foo_2_1");

  ImportGraphDefOptions returns;
  returns.return_elements = {"bar:0", "ctl"};
  r = ImportGraphDef(root.NewSubScope("outer"), def, returns);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->prefix, "outer/import");
  ASSERT_EQ(r->return_tensors.size(), 1u);
  EXPECT_EQ(r->return_tensors[0].ToString(), "outer/import/bar:0");
  ASSERT_EQ(r->return_operations.size(), 1u);
  EXPECT_EQ(r->return_operations[0].name, "outer/import/ctl");
  EXPECT_EQ(Inputs(g, "outer/import/ctl"),
            (std::vector<std::string>{"outer/import/bar", "^outer/import/foo"}));

  Output x = ops::Const(root.WithOpName("x"), 5.0f);
  ImportGraphDefOptions mapped;
  mapped.name = "m";
  mapped.input_map = {{"foo:0", x}, {"^foo", x}};
  mapped.return_elements = {"foo_1:0", "foo:0"};
  r = ImportGraphDef(root, def, mapped);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(Inputs(g, "m/foo").empty());
  EXPECT_EQ(Inputs(g, "m/foo_1"), (std::vector<std::string>{"x"}));
  EXPECT_EQ(Inputs(g, "m/bar"), (std::vector<std::string>{"m/foo_1"}));
  EXPECT_EQ(Inputs(g, "m/ctl"), (std::vector<std::string>{"m/bar", "^x"}));
  EXPECT_EQ(r->return_tensors[0].ToString(), "m/foo_1:0");
  EXPECT_EQ(r->return_tensors[1].ToString(), "x:0");  // a mapped tensor returns its replacement

  const int before = g.num_nodes();
  ImportGraphDefOptions unused;
  unused.name = "m";
  unused.input_map = {{"nonexist:0", x}, {"zz", x}};
  r = ImportGraphDef(root, def, unused);
  EXPECT_EQ(r.status().message(),
            "Attempted to map inputs that were not found in graph_def: [nonexist:0, zz:0]");
  unused.input_map = {{"foo:3", x}};
  r = ImportGraphDef(root, def, unused);
  EXPECT_EQ(r.status().message(),
            "Attempted to map inputs that were not found in graph_def: [foo:3]");
  unused.input_map = {{"foo:0", ops::Const(root, 1)}};
  r = ImportGraphDef(root, def, unused);
  EXPECT_EQ(r.status().message(),
            "Input 0 of node m_3/foo_1 was passed int32 from Const:0 incompatible with expected "
            "float.");
  ImportGraphDefOptions bad_return;
  bad_return.name = "m";
  bad_return.return_elements = {"nope"};
  r = ImportGraphDef(root, def, bad_return);
  EXPECT_EQ(r.status().message(), "Requested return node 'nope' not found in graph def");
  bad_return.return_elements = {"foo:1"};
  r = ImportGraphDef(root, def, bad_return);
  EXPECT_EQ(r.status().message(), "Invalid return output 1 of node 'foo', which has 1 output(s)");
  // Failed imports add nothing (beyond the int32 Const made for the test).
  EXPECT_EQ(g.num_nodes(), before + 1);
  EXPECT_EQ(ops::Const(root.WithOpName("m"), 1.0f).node, "m_6");
  EXPECT_TRUE(root.ok());
}

// TF 2.15.1 imported this GraphDef (c, b, e, a, d) under "p" in the order
// p/e, p/a, p/b, p/c, p/d, and kept its Const without adding attrs.
TEST(ImportGraphDefTest, TopologicalOrderLowestIndexFirst) {
  const tensorflow::GraphDef def = Parse(R"pb(
    node { name: "c" op: "Identity" input: "b" attr { key: "T" value { type: DT_FLOAT } } }
    node { name: "b" op: "Identity" input: "a" attr { key: "T" value { type: DT_FLOAT } } }
    node { name: "e" op: "NoOp" }
    node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
           attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1 } } } }
    node { name: "d" op: "Identity" input: "a" input: "^e" attr { key: "T" value { type: DT_FLOAT } } }
    versions { producer: 1645 })pb");
  Scope root = Scope::NewRootScope();
  ImportGraphDefOptions o;
  o.name = "p";
  ASSERT_TRUE(ImportGraphDef(root, def, o).ok());
  EXPECT_EQ(NodeNames(*root.graph()),
            (std::vector<std::string>{"p/e", "p/a", "p/b", "p/c", "p/d"}));
}

// A child imported before its parent ("r/shape" feeds "r", as in every
// random_uniform initializer) keeps the parent's name; TF 2.15.1 imports
// this GraphDef as r/shape, r (also under prefix "m": m/r/shape, m/r). A
// name that is a prefix of a node already in the graph is still renamed.
TEST(ImportGraphDefTest, ChildBeforeParentKeepsNames) {
  const tensorflow::GraphDef def = Parse(R"pb(
    node { name: "r" op: "Identity" input: "r/shape" attr { key: "T" value { type: DT_FLOAT } } }
    node { name: "r/shape" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
           attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1 } } } }
    versions { producer: 1645 })pb");
  Scope root = Scope::NewRootScope();
  ImportGraphDefOptions none;
  none.name = "";
  ASSERT_TRUE(ImportGraphDef(root, def, none).ok());
  ImportGraphDefOptions m;
  m.name = "m";
  ASSERT_TRUE(ImportGraphDef(root, def, m).ok());
  EXPECT_EQ(NodeNames(*root.graph()),
            (std::vector<std::string>{"r/shape", "r", "m/r/shape", "m/r"}));
  EXPECT_EQ(Inputs(*root.graph(), "m/r"), std::vector<std::string>{"m/r/shape"});

  Scope other = Scope::NewRootScope();
  ops::Const(other.WithOpName("r/existing"), 2.0f);
  ASSERT_TRUE(ImportGraphDef(other, def, none).ok());
  EXPECT_EQ(NodeNames(*other.graph()),
            (std::vector<std::string>{"r/existing", "r/shape", "r_1"}));
}

// TF 2.15.1: a while-loop GraphDef (merge fed by next) imported as w/zero,
// w/enter, w/merge, w/add, w/next, and the graph's producer became 27; the
// two-node Identity cycle failed with "2 nodes in a cycle"; an unknown op
// failed with NotFound "Op type not registered 'FancyOp' ...".
TEST(ImportGraphDefTest, LoopsCyclesAndUnknownOps) {
  const tensorflow::GraphDef loop = Parse(R"pb(
    node { name: "merge" op: "Merge" input: "enter" input: "next"
           attr { key: "T" value { type: DT_INT32 } } attr { key: "N" value { i: 2 } } }
    node { name: "add" op: "AddV2" input: "merge" input: "merge" attr { key: "T" value { type: DT_INT32 } } }
    node { name: "next" op: "NextIteration" input: "add" attr { key: "T" value { type: DT_INT32 } } }
    node { name: "enter" op: "Enter" input: "zero" attr { key: "T" value { type: DT_INT32 } }
           attr { key: "frame_name" value { s: "f" } } }
    node { name: "zero" op: "Const" attr { key: "dtype" value { type: DT_INT32 } }
           attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape {} int_val: 0 } } } }
    versions { producer: 27 })pb");
  Scope root = Scope::NewRootScope();
  ImportGraphDefOptions o;
  o.name = "w";
  auto r = ImportGraphDef(root, loop, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(NodeNames(*root.graph()),
            (std::vector<std::string>{"w/zero", "w/enter", "w/merge", "w/add", "w/next"}));
  EXPECT_EQ(Inputs(*root.graph(), "w/merge"), (std::vector<std::string>{"w/enter", "w/next"}));
  EXPECT_EQ(root.graph()->versions().producer(), 27);
  // Defaults were filled in (Enter: is_constant, parallel_iterations).
  EXPECT_EQ(FindAttr(*root.graph()->FindNode("w/enter"), "parallel_iterations")->i(), 10);

  const tensorflow::GraphDef cycle = Parse(R"pb(
    node { name: "a" op: "Identity" input: "b" attr { key: "T" value { type: DT_INT32 } } }
    node { name: "b" op: "Identity" input: "a" attr { key: "T" value { type: DT_INT32 } } })pb");
  r = ImportGraphDef(root, cycle);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind("2 nodes in a cycle", 0), 0u) << r.status().message();

  r = ImportGraphDef(root, Parse(R"pb(node { name: "a" op: "FancyOp" })pb"));
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("Op type not registered 'FancyOp'"), std::string::npos);
  EXPECT_EQ(root.graph()->num_nodes(), 5);
}

TEST(ImportGraphDefTest, HostileGraphDefsFailCleanly) {
  const char* bad[] = {
      // duplicate names
      R"pb(node { name: "a" op: "NoOp" } node { name: "a" op: "NoOp" })pb",
      // missing input node
      R"pb(node { name: "a" op: "Identity" input: "ghost" attr { key: "T" value { type: DT_FLOAT } } })pb",
      // bad attr type
      R"pb(node { name: "a" op: "Placeholder" attr { key: "dtype" value { i: 1 } } })pb",
      // missing required attr
      R"pb(node { name: "a" op: "Placeholder" })pb",
      // wrong dtype on an edge
      R"pb(node { name: "p" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
           node { name: "a" op: "Relu" input: "p" attr { key: "T" value { type: DT_FLOAT } } })pb",
      // too many inputs
      R"pb(node { name: "p" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
           node { name: "a" op: "Relu" input: "p" input: "p" attr { key: "T" value { type: DT_FLOAT } } })pb",
      // output index out of range
      R"pb(node { name: "p" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
           node { name: "a" op: "Relu" input: "p:3" attr { key: "T" value { type: DT_FLOAT } } })pb",
      // colocation with an unknown node
      R"pb(node { name: "a" op: "NoOp" attr { key: "_class" value { list { s: "loc:@zzz" } } } })pb",
      // a huge number_attr
      R"pb(node { name: "a" op: "IdentityN" attr { key: "T" value { list { type: DT_FLOAT type: 999 } } } })pb",
      // self loop
      R"pb(node { name: "a" op: "Identity" input: "a" attr { key: "T" value { type: DT_FLOAT } } })pb",
      // consumer version too new / bad consumer
      R"pb(versions { producer: 1 min_consumer: 99999 })pb",
      R"pb(versions { producer: 1 bad_consumers: 1645 })pb",
      // function library
      R"pb(library { function { signature { name: "f" } } })pb",
      // invalid device spec
      R"pb(node { name: "a" op: "NoOp" device: "/dev:what:1:2" })pb",
  };
  for (const char* text : bad) {
    Scope root = Scope::NewRootScope();
    auto r = ImportGraphDef(root, Parse(text));
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(root.graph()->num_nodes(), 0) << text;
  }
}

// TF 2.15.1: importing {x: '', y: '/job:z', w: '/device:CPU:3'} under
// device("/job:ps/device:CPU:1") gave imp/x '/job:ps/device:CPU:1',
// imp/y '/job:z/device:CPU:1', imp/w '/job:ps/device:CPU:3'.
TEST(ImportGraphDefTest, DevicesAndColocation) {
  const tensorflow::GraphDef def = Parse(R"pb(
    node { name: "x" op: "NoOp" }
    node { name: "y" op: "NoOp" device: "/job:z" }
    node { name: "w" op: "NoOp" device: "/device:CPU:3" }
    node { name: "c" op: "NoOp" device: "/device:GPU:7"
           attr { key: "_class" value { list { s: "loc:@w" } } } })pb");
  Scope root = Scope::NewRootScope();
  ImportGraphDefOptions o;
  o.name = "imp";
  ASSERT_TRUE(ImportGraphDef(root.WithDevice("/job:ps/device:CPU:1"), def, o).ok());
  const Graph& g = *root.graph();
  EXPECT_EQ(g.FindNode("imp/x")->device(), "/job:ps/device:CPU:1");
  EXPECT_EQ(g.FindNode("imp/y")->device(), "/job:z/device:CPU:1");
  EXPECT_EQ(g.FindNode("imp/w")->device(), "/job:ps/device:CPU:3");
  // Colocated nodes take the device of what they are colocated with, and the
  // colocation names get the prefix.
  EXPECT_EQ(g.FindNode("imp/c")->device(), "/job:ps/device:CPU:3");
  EXPECT_EQ(FindAttr(*g.FindNode("imp/c"), "_class")->list().s(0), "loc:@imp/w");
}

TEST(ImportGraphDefTest, ScopeInErrorImportsNothing) {
  Scope root = Scope::NewRootScope();
  root.UpdateStatus(InternalError("earlier"));
  EXPECT_EQ(ImportGraphDef(root, SmallGraph()).status().message(), "earlier");
  EXPECT_EQ(root.graph()->num_nodes(), 0);
}

}  // namespace
}  // namespace tf1hub
