#include "tf1hub/graph/scope.h"

#include <gtest/gtest.h>

#include "tf1hub/graph/attr_util.h"
#include "tf1hub/graph/ops.h"

namespace tf1hub {
namespace {

std::vector<std::string> Inputs(const Scope& s, const Output& o) {
  const tensorflow::NodeDef* n = s.graph()->FindNode(o.node);
  return n == nullptr ? std::vector<std::string>{"<missing>"}
                      : std::vector<std::string>(n->input().begin(), n->input().end());
}

std::vector<std::string> ClassAttr(const Scope& s, const std::string& node) {
  const tensorflow::AttrValue* v = FindAttr(*s.graph()->FindNode(node), "_class");
  if (v == nullptr) return {};
  return {v->list().s().begin(), v->list().s().end()};
}

// Expected names: the same sequence run with TF 2.15.1 in a tf.Graph with
// tf.compat.v1.constant(1.0, name=...) and tf.compat.v1.name_scope(...)
// printed ['Const', 'Const_1', 'Const_1_1', 'Const_2', 'scope:dense/',
// 'dense/Const', 'dense/MatMul', 'scope:dense_1/', 'dense_1/Const', 'dense_2',
// 'Dense_3', 'DENSE_3_1', 'scope:Dense_4/', 'scope:outer/inner/',
// 'outer/inner/Const', 'scope:outer/inner_1/', 'abs:dense/', 'dense/Const_1',
// 'a/b', 'a/b_1', 'scope:a/', 'x_1', 'x', 'x_2', 'x_3', 'y', 'y_1', 'y_2',
// 'y_3', 'noscope'].
TEST(ScopeTest, UniqueNamesMatchTensorFlow) {
  Scope root = Scope::NewRootScope();
  auto c = [](const Scope& s) { return ops::Const(s, 1.0f).node; };
  auto named = [](const Scope& s, const char* name) {
    return ops::Const(s.WithOpName(name), 1.0f).node;
  };
  EXPECT_EQ(c(root), "Const");
  EXPECT_EQ(c(root), "Const_1");
  EXPECT_EQ(named(root, "Const_1"), "Const_1_1");
  EXPECT_EQ(c(root), "Const_2");
  Scope dense = root.NewSubScope("dense");
  EXPECT_EQ(dense.name_scope(), "dense");
  EXPECT_EQ(c(dense), "dense/Const");
  EXPECT_EQ(named(dense, "MatMul"), "dense/MatMul");
  Scope dense1 = root.NewSubScope("dense");
  EXPECT_EQ(dense1.name_scope(), "dense_1");
  EXPECT_EQ(c(dense1), "dense_1/Const");
  EXPECT_EQ(named(root, "dense"), "dense_2");
  EXPECT_EQ(named(root, "Dense"), "Dense_3");  // case-insensitive
  EXPECT_EQ(named(root, "DENSE_3"), "DENSE_3_1");
  EXPECT_EQ(root.NewSubScope("Dense").name_scope(), "Dense_4");
  Scope outer = root.NewSubScope("outer");
  Scope inner = outer.NewSubScope("inner");
  EXPECT_EQ(inner.name_scope(), "outer/inner");
  EXPECT_EQ(c(inner), "outer/inner/Const");
  EXPECT_EQ(outer.NewSubScope("inner").name_scope(), "outer/inner_1");
  Scope abs = outer.NewSubScope("dense/");  // absolute re-entry
  EXPECT_EQ(abs.name_scope(), "dense");
  EXPECT_EQ(c(abs), "dense/Const_1");
  EXPECT_EQ(named(root, "a/b"), "a/b");
  EXPECT_EQ(named(root, "a/b"), "a/b_1");
  EXPECT_EQ(root.NewSubScope("a").name_scope(), "a");  // "a/b" does not reserve "a"
  EXPECT_EQ(named(root, "x_1"), "x_1");
  EXPECT_EQ(named(root, "x"), "x");
  EXPECT_EQ(named(root, "x"), "x_2");
  EXPECT_EQ(named(root, "x"), "x_3");
  EXPECT_EQ(named(root, "y"), "y");
  EXPECT_EQ(named(root, "y_1"), "y_1");
  EXPECT_EQ(named(root, "y"), "y_2");
  EXPECT_EQ(named(root, "y"), "y_3");
  EXPECT_EQ(named(inner.NewSubScope(""), "noscope"), "noscope");
  EXPECT_TRUE(root.ok()) << root.status().ToString();
}

TEST(ScopeTest, OpsAreNamedAfterTheirTypeAndExactNamesMayCollide) {
  Scope root = Scope::NewRootScope();
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat);
  EXPECT_EQ(ops::Relu(root, x).node, "Relu");
  EXPECT_EQ(ops::Relu(root, x).node, "Relu_1");
  EXPECT_EQ(ops::Relu(root.WithOpName("exact/"), x).node, "exact");
  EXPECT_TRUE(root.ok());
  // An exact name that is taken is an error (TF: duplicate node name).
  EXPECT_TRUE(ops::Relu(root.WithOpName("exact/"), x).empty());
  EXPECT_EQ(root.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(root.status().message().find("'exact'"), std::string::npos) << root.status().message();
}

// TF 2.15.1: with control_dependencies([zz, mm, aa]) (zz, aa consts, mm a
// NoOp): c = constant -> ['^aa', '^mm', '^zz']; d = identity(zz) -> ['zz',
// '^aa', '^mm']; e = identity(c) -> ['c']; nested control_dependencies([e]):
// f = identity(c) -> ['c', '^e']; control_dependencies(None): h -> ['c'].
TEST(ScopeTest, ControlDependenciesFollowTensorFlow) {
  Scope root = Scope::NewRootScope();
  Output zz = ops::Const(root.WithOpName("zz"), 1.0f);
  Output aa = ops::Const(root.WithOpName("aa"), 2.0f);
  Operation mm = ops::NoOp(root.WithOpName("mm"));
  Scope deps = root.WithControlDependencies({zz.op(), mm, aa.op()});
  Output c = ops::Const(deps.WithOpName("c"), 3.0f);
  Output d = ops::Identity(deps.WithOpName("d"), zz);
  Output e = ops::Identity(deps.WithOpName("e"), c);
  Output f = ops::Identity(deps.WithControlDependencies(e).WithOpName("f"), c);
  Output h = ops::Identity(deps.WithNoControlDependencies().WithOpName("h"), c);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(Inputs(root, c), (std::vector<std::string>{"^aa", "^mm", "^zz"}));
  EXPECT_EQ(Inputs(root, d), (std::vector<std::string>{"zz", "^aa", "^mm"}));
  EXPECT_EQ(Inputs(root, e), (std::vector<std::string>{"c"}));
  EXPECT_EQ(Inputs(root, f), (std::vector<std::string>{"c", "^e"}));
  EXPECT_EQ(Inputs(root, h), (std::vector<std::string>{"c"}));
  // Operations built later outside the frame are unaffected.
  EXPECT_TRUE(Inputs(root, ops::Identity(root, c)) == std::vector<std::string>{"c"});
}

// TF 2.15.1: device("/cpu:0") -> '/device:CPU:0'; nested
// device("/job:w/replica:1") -> '/job:w/replica:1/device:CPU:0'; nested
// device("/gpu:1") -> '/job:w/replica:1/device:GPU:1'; device(None) -> ''.
TEST(ScopeTest, DevicesMergeAndAreCanonical) {
  Scope root = Scope::NewRootScope();
  Scope cpu = root.WithDevice("/cpu:0");
  Scope job = cpu.WithDevice("/job:w/replica:1");
  Scope gpu = job.WithDevice("/gpu:1");
  EXPECT_EQ(cpu.device(), "/device:CPU:0");
  EXPECT_EQ(job.device(), "/job:w/replica:1/device:CPU:0");
  EXPECT_EQ(gpu.device(), "/job:w/replica:1/device:GPU:1");
  EXPECT_EQ(cpu.WithNoDevice().device(), "");
  EXPECT_EQ(cpu.WithDevice("").device(), "/device:CPU:0");
  Output k = ops::Const(gpu.WithOpName("k"), 1.0f);
  EXPECT_EQ(root.graph()->FindNode(k.node)->device(), "/job:w/replica:1/device:GPU:1");
  EXPECT_TRUE(root.ok());
  root.WithDevice("/cpu:0:1:2");  // malformed
  EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
}

// TF 2.15.1: i = const on /device:CPU:0; under device("/device:GPU:0"):
// colocate_with(i): m -> '/device:CPU:0', ['loc:@i']; nested
// colocate_with(aa): o -> '/device:CPU:0', ['loc:@aa', 'loc:@i']; nested
// device("/cpu:1"): p -> '/device:CPU:0', ['loc:@i']; colocate_with(m): q ->
// '/device:CPU:0', ['loc:@i']. Ref inputs colocate too: Assign(v, b) in
// device("/job:x/cpu:1") -> '' and ['loc:@v']; with w on /device:CPU:0 ->
// '/device:CPU:0', ['loc:@w'].
TEST(ScopeTest, ColocationFollowsTensorFlow) {
  Scope root = Scope::NewRootScope();
  Output aa = ops::Const(root.WithOpName("aa"), 2.0f);
  Output i = ops::Const(root.WithDevice("/cpu:0").WithOpName("i"), 1.0f);
  Scope gpu = root.WithDevice("/device:GPU:0");
  Scope col_i = gpu.ColocateWith(i);
  Output m = ops::Const(col_i.WithOpName("m"), 1.0f);
  Output o = ops::Const(col_i.ColocateWith(aa).WithOpName("o"), 1.0f);
  Output p = ops::Const(col_i.WithDevice("/cpu:1").WithOpName("p"), 1.0f);
  Output q = ops::Const(gpu.ColocateWith(m).WithOpName("q"), 1.0f);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  const Graph& g = *root.graph();
  EXPECT_EQ(g.FindNode("m")->device(), "/device:CPU:0");
  EXPECT_EQ(ClassAttr(root, "m"), (std::vector<std::string>{"loc:@i"}));
  EXPECT_EQ(g.FindNode("o")->device(), "/device:CPU:0");
  EXPECT_EQ(ClassAttr(root, "o"), (std::vector<std::string>{"loc:@aa", "loc:@i"}));
  EXPECT_EQ(g.FindNode("p")->device(), "/device:CPU:0");
  EXPECT_EQ(ClassAttr(root, "q"), (std::vector<std::string>{"loc:@i"}));
  EXPECT_TRUE(ClassAttr(root, "i").empty());

  Output v = ops::VariableV2(root.WithOpName("v"), *PartialTensorShape::Create(std::vector<int64_t>{2}),
                             DataType::kFloat);
  Output w = ops::VariableV2(root.WithDevice("/cpu:0").WithOpName("w"),
                             *PartialTensorShape::Create(std::vector<int64_t>{2}), DataType::kFloat);
  Output b = ops::Const(root.WithOpName("b"), std::vector<float>{1, 2});
  Scope dev = root.WithDevice("/job:x/cpu:1");
  ops::Assign(dev.WithOpName("a1"), v, b);
  ops::Assign(dev.WithOpName("a2"), w, b);
  ops::Assign(dev.ColocateWith(b).WithOpName("a3"), v, b);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(g.FindNode("a1")->device(), "");
  EXPECT_EQ(ClassAttr(root, "a1"), (std::vector<std::string>{"loc:@v"}));
  EXPECT_EQ(g.FindNode("a2")->device(), "/device:CPU:0");
  EXPECT_EQ(ClassAttr(root, "a2"), (std::vector<std::string>{"loc:@w"}));
  EXPECT_EQ(g.FindNode("a3")->device(), "");
  EXPECT_EQ(ClassAttr(root, "a3"), (std::vector<std::string>{"loc:@b", "loc:@v"}));
}

TEST(ScopeTest, StickyStatusKeepsTheFirstError) {
  Scope root = Scope::NewRootScope();
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat);
  Output i = ops::Placeholder(root.WithOpName("i"), DataType::kInt32);
  Output bad = ops::MatMul(root, x, i);  // T mismatch
  EXPECT_TRUE(bad.empty());
  ASSERT_FALSE(root.ok());
  const Status first = root.status();
  EXPECT_EQ(first.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(first.message().find("MatMul"), std::string::npos) << first.message();
  EXPECT_NE(first.message().find("was passed int32 from i:0 incompatible with expected float"),
            std::string::npos)
      << first.message();
  // Later ops, on any scope of the family, add nothing and keep the first error.
  const int nodes = root.graph()->num_nodes();
  EXPECT_TRUE(ops::Relu(root.NewSubScope("s"), x).empty());
  EXPECT_TRUE(ops::Const(root, 1.0f).empty());
  ops::Relu(root, bad);
  EXPECT_EQ(root.graph()->num_nodes(), nodes);
  EXPECT_EQ(root.status(), first);
  EXPECT_FALSE(root.ToGraphDef().ok());
}

TEST(ScopeTest, EmptyInputsAndUnknownNodesAreErrors) {
  Scope root = Scope::NewRootScope();
  ops::Relu(root, Output{});
  EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
  Scope other = Scope::NewRootScope();
  ops::Relu(other, Output{"nowhere", 0});
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  Scope third = Scope::NewRootScope();
  third.WithControlDependencies({Operation{"ghost"}});
  EXPECT_EQ(third.status().code(), StatusCode::kNotFound);
  Scope fourth = Scope::NewRootScope();
  fourth.NewSubScope("_bad");  // root scope names start with [A-Za-z0-9.]
  EXPECT_EQ(fourth.status().code(), StatusCode::kInvalidArgument);
}

TEST(ScopeTest, RootScopeForAnExistingGraphSharesItsNames) {
  Graph graph;
  Scope a = Scope::RootScopeFor(&graph);
  ops::Const(a.WithOpName("c"), 1.0f);
  Scope b = Scope::RootScopeFor(&graph);
  EXPECT_EQ(ops::Const(b.WithOpName("c"), 1.0f).node, "c_1");
  EXPECT_EQ(b.NewSubScope("c").name_scope(), "c_2");
  EXPECT_EQ(graph.num_nodes(), 2);
  EXPECT_EQ(b.WithVariableScope("module/").variable_scope(), "module");
}

}  // namespace
}  // namespace tf1hub
