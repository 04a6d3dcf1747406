// Variables (variables.h) compared with what TensorFlow 2.15.1 builds.
#include "tf1hub/graph/variables.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/graph/layers_test_util.h"
#include "tf1hub/graph/ops.h"

namespace tf1hub {
namespace {

using testing::CollectionNames;
using ::testing::ElementsAre;
using testing::ExpectNodesLikeTensorFlow;
using ::testing::HasSubstr;
using testing::NodeAttr;
using testing::NodeInputs;

TensorShape Dims(std::vector<int64_t> dims) { return *TensorShape::Create(dims); }

tensorflow::VariableDef ParseDef(const std::string& bytes) {
  tensorflow::VariableDef def;
  EXPECT_TRUE(def.ParseFromString(bytes));
  return def;
}

// as_graph_def() of this TF 2.15.1 program (tf1 = tf.compat.v1, tf.Graph()),
// one node per line, text_format.MessageToString(as_one_line=True):
//   tf1.get_variable("w", shape=[2, 3], initializer=tf1.zeros_initializer())
//   tf1.get_variable("r", shape=[2, 3], initializer=tf1.ones_initializer(), use_resource=False)
//   tf1.global_variables_initializer()
constexpr const char* kResourceAndRefVariables[] = {
    R"pb(name: "w/Initializer/zeros"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@w" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {
                 dim { size: 2 }
                 dim { size: 3 }
               }
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "w"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@w" } }
         }
         attr {
           key: "allowed_devices"
           value { list {} }
         }
         attr {
           key: "container"
           value { s: "" }
         }
         attr {
           key: "debug_name"
           value { s: "w/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value {
             shape {
               dim { size: 2 }
               dim { size: 3 }
             }
           }
         }
         attr {
           key: "shared_name"
           value { s: "w" }
         })pb",
    R"pb(name: "w/IsInitialized/VarIsInitializedOp" op: "VarIsInitializedOp" input: "w")pb",
    R"pb(name: "w/Assign"
         op: "AssignVariableOp"
         input: "w"
         input: "w/Initializer/zeros"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "w/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "w"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "r/Initializer/ones"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@r" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {
                 dim { size: 2 }
                 dim { size: 3 }
               }
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "r"
         op: "VariableV2"
         attr {
           key: "_class"
           value { list { s: "loc:@r" } }
         }
         attr {
           key: "container"
           value { s: "" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value {
             shape {
               dim { size: 2 }
               dim { size: 3 }
             }
           }
         }
         attr {
           key: "shared_name"
           value { s: "" }
         })pb",
    R"pb(name: "r/Assign"
         op: "Assign"
         input: "r"
         input: "r/Initializer/ones"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@r" } }
         }
         attr {
           key: "use_locking"
           value { b: true }
         }
         attr {
           key: "validate_shape"
           value { b: true }
         })pb",
    R"pb(name: "r/read"
         op: "Identity"
         input: "r"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@r" } }
         })pb",
    R"pb(name: "init" op: "NoOp" input: "^r/Assign" input: "^w/Assign")pb",
};

TEST(VariablesTest, ResourceAndRefVariablesAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  Variable w = GetVariable(root, "w", Dims({2, 3}), {.initializer = initializers::Zeros()});
  Variable r = GetVariable(root, "r", Dims({2, 3}),
                           {.initializer = initializers::Ones(), .use_resource = false});
  Operation init = GlobalVariablesInitializer(root);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(init.name, "init");
  ExpectNodesLikeTensorFlow(*root.graph(), kResourceAndRefVariables);

  EXPECT_EQ(w.name(), "w");
  EXPECT_TRUE(w.is_resource());
  EXPECT_EQ(w.snapshot().ToString(), "w/Read/ReadVariableOp:0");
  EXPECT_EQ(r.snapshot().ToString(), "r/read:0");
  EXPECT_FALSE(r.is_resource());
}

TEST(VariablesTest, VariableDefsAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  GetVariable(root, "w", Dims({2, 3}), {.initializer = initializers::Zeros()});
  GetVariable(root, "r", Dims({2, 3}),
              {.initializer = initializers::Ones(), .use_resource = false});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  // w.to_proto() / r.to_proto() in TF 2.15.1.
  const tensorflow::CollectionDef* vars = root.graph()->GetCollection("variables");
  ASSERT_NE(vars, nullptr);
  ASSERT_EQ(vars->bytes_list().value_size(), 2);
  tensorflow::VariableDef w = ParseDef(vars->bytes_list().value(0));
  EXPECT_EQ(w.variable_name(), "w:0");
  EXPECT_EQ(w.initial_value_name(), "w/Initializer/zeros:0");
  EXPECT_EQ(w.initializer_name(), "w/Assign");
  EXPECT_EQ(w.snapshot_name(), "w/Read/ReadVariableOp:0");
  EXPECT_TRUE(w.is_resource());
  EXPECT_TRUE(w.trainable());
  tensorflow::VariableDef r = ParseDef(vars->bytes_list().value(1));
  EXPECT_EQ(r.variable_name(), "r:0");
  EXPECT_EQ(r.initial_value_name(), "r/Initializer/ones:0");
  EXPECT_EQ(r.initializer_name(), "r/Assign");
  EXPECT_EQ(r.snapshot_name(), "r/read:0");
  EXPECT_FALSE(r.is_resource());
  const tensorflow::CollectionDef* trainable = root.graph()->GetCollection("trainable_variables");
  ASSERT_NE(trainable, nullptr);
  EXPECT_EQ(trainable->bytes_list().value_size(), 2);
}

TEST(VariablesTest, CollectionsAndTrainable) {
  Scope root = Scope::NewRootScope();
  // tf1.get_variable("k", [], initializer=constant_initializer(3.0), trainable=False,
  //                  collections=[GLOBAL_VARIABLES, MODEL_VARIABLES])
  GetVariable(root, "k", Dims({}),
              {.initializer = initializers::Constant(3.0),
               .trainable = false,
               .collections = {graph_keys::kGlobalVariables, graph_keys::kModelVariables}});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root.graph()->GetCollection("trainable_variables"), nullptr);
  const tensorflow::CollectionDef* model = root.graph()->GetCollection("model_variables");
  ASSERT_NE(model, nullptr);
  tensorflow::VariableDef k = ParseDef(model->bytes_list().value(0));
  EXPECT_EQ(k.variable_name(), "k:0");
  EXPECT_EQ(k.initial_value_name(), "k/Initializer/Const:0");
  EXPECT_FALSE(k.trainable());
  // TF: k/Initializer/Const holds float_val 3.0 with shape [].
  EXPECT_EQ(NodeAttr(*root.graph(), "k/Initializer/Const", "value").tensor().float_val(0), 3.0f);
}

TEST(VariablesTest, SynchronizationAndAggregationInVariableDef) {
  Scope root = Scope::NewRootScope();
  GetVariable(root, "m", Dims({4}),
              {.initializer = initializers::Zeros(),
               .trainable = false,
               .synchronization = tensorflow::VARIABLE_SYNCHRONIZATION_ON_READ,
               .aggregation = tensorflow::VARIABLE_AGGREGATION_MEAN});
  ASSERT_TRUE(root.ok());
  // batch_normalization/moving_mean.to_proto() in TF 2.15.1 carries both.
  tensorflow::VariableDef m =
      ParseDef(root.graph()->GetCollection("variables")->bytes_list().value(0));
  EXPECT_EQ(m.synchronization(), tensorflow::VARIABLE_SYNCHRONIZATION_ON_READ);
  EXPECT_EQ(m.aggregation(), tensorflow::VARIABLE_AGGREGATION_MEAN);
}

TEST(VariablesTest, NamedByVariableScopeNotNameScope) {
  Scope root = Scope::NewRootScope();
  Scope s = root.NewSubScope("ns").WithVariableScope("vs/inner");
  Variable v = GetVariable(s, "w", Dims({2}), {.initializer = initializers::Zeros()});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(v.name(), "vs/inner/w");
  EXPECT_NE(root.graph()->FindNode("vs/inner/w/Assign"), nullptr);
  // Control dependencies of the scope are not applied (init_scope).
  Operation dep = ops::NoOp(root.WithOpName("dep"));
  Variable u = GetVariable(root.WithControlDependencies({dep}), "u", Dims({1}),
                           {.initializer = initializers::Zeros()});
  ASSERT_TRUE(root.ok());
  EXPECT_THAT(NodeInputs(*root.graph(), "u/Assign"), ElementsAre("u", "u/Initializer/zeros"));
}

TEST(VariablesTest, NodeNameTakenGivesUniqueVariableName) {
  // TF: a node "w" exists, get_variable("w") enters name_scope("w") -> "w_1".
  Scope root = Scope::NewRootScope();
  ops::Placeholder(root.WithOpName("w"), DataType::kFloat);
  Variable v = GetVariable(root, "w", Dims({1}), {.initializer = initializers::Zeros()});
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(v.name(), "w_1");
  EXPECT_EQ(NodeAttr(*root.graph(), "w_1", "shared_name").s(), "w_1");
}

TEST(VariablesTest, ReuseModes) {
  Scope root = Scope::NewRootScope();
  Variable a = GetVariable(root, "a", Dims({2}), {.initializer = initializers::Zeros()});
  ASSERT_TRUE(root.ok());
  Variable again = GetVariable(root, "a", Dims({2}), {.reuse = VariableReuse::kReuse});
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(again.name(), "a");
  EXPECT_EQ(again.initializer().name, "a/Assign");
  Variable created = GetVariable(
      root, "b", Dims({2}), {.initializer = initializers::Zeros(), .reuse = VariableReuse::kAuto});
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(created.name(), "b");

  Scope dup = Scope::NewRootScope();
  GetVariable(dup, "a", Dims({2}), {.initializer = initializers::Zeros()});
  GetVariable(dup, "a", Dims({2}), {.initializer = initializers::Zeros()});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.status().message(),
              HasSubstr("Variable a already exists, disallowed. Did you mean to set reuse=True"));

  Scope missing = Scope::NewRootScope();
  GetVariable(missing, "nope", Dims({2}), {.reuse = VariableReuse::kReuse});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("Variable nope does not exist"));

  Scope shape = Scope::NewRootScope();
  GetVariable(shape, "a", Dims({2}), {.initializer = initializers::Zeros()});
  GetVariable(shape, "a", Dims({3}), {.reuse = VariableReuse::kReuse});
  EXPECT_THAT(shape.status().message(),
              HasSubstr("Trying to share variable a, but specified shape [3] and found shape [2]"));
}

TEST(VariablesTest, DefaultInitializers) {
  Scope root = Scope::NewRootScope();
  GetVariable(root, "f", Dims({4, 3}));
  GetVariable(root, "i", Dims({3}), {.dtype = DataType::kInt64});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  // Floats: glorot_uniform (limit sqrt(6 / (4 + 3)) = 0.9258201 in TF's graph);
  // integers: zeros.
  EXPECT_EQ(root.graph()->FindNode("f/Initializer/random_uniform")->op(), "AddV2");
  EXPECT_FLOAT_EQ(
      NodeAttr(*root.graph(), "f/Initializer/random_uniform/max", "value").tensor().float_val(0),
      0.9258201f);
  EXPECT_EQ(root.graph()->FindNode("i/Initializer/zeros")->op(), "Const");
}

TEST(VariablesTest, ReadNamesLikeTensorFlowOpConversion) {
  // tf.matmul(x, v) under name_scope("dense"): dense/MatMul/ReadVariableOp, dense/MatMul.
  Scope root = Scope::NewRootScope();
  Variable v = GetVariable(root, "v", Dims({3, 2}), {.initializer = initializers::Ones()});
  Output x = ops::Placeholder(root.WithOpName("x"), DataType::kFloat);
  Scope dense = root.NewSubScope("dense");
  OpNameScope mm(dense, "MatMul");
  Output y = ops::MatMul(mm.op(), x, v.Read(mm.inputs()));
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(y.node, "dense/MatMul");
  EXPECT_THAT(NodeInputs(*root.graph(), "dense/MatMul"),
              ElementsAre("x", "dense/MatMul/ReadVariableOp"));
  EXPECT_THAT(NodeInputs(*root.graph(), "dense/MatMul/ReadVariableOp"), ElementsAre("v"));
  // A ref variable converts to its snapshot.
  Variable r = GetVariable(root, "r", Dims({2}),
                           {.initializer = initializers::Ones(), .use_resource = false});
  EXPECT_EQ(r.Read(root).ToString(), "r/read:0");
}

TEST(VariablesTest, FromProtoResolvesEveryName) {
  Scope root = Scope::NewRootScope();
  Variable w = GetVariable(root, "w", Dims({2}), {.initializer = initializers::Zeros()});
  ASSERT_TRUE(root.ok());
  StatusOr<Variable> back = Variable::FromProto(*root.graph(), w.ToProto());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->name(), "w");
  EXPECT_EQ(back->dtype(), DataType::kFloat);
  EXPECT_EQ(back->shape().DebugString(), "[2]");
  EXPECT_EQ(back->ToProto().SerializeAsString(), w.ToProto().SerializeAsString());

  tensorflow::VariableDef bad = w.ToProto();
  bad.set_snapshot_name("w/Read/Nope:0");
  StatusOr<Variable> missing = Variable::FromProto(*root.graph(), bad);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("snapshot_name 'w/Read/Nope:0'"));
}

TEST(VariablesTest, RegularizerBuiltUnderRegularizerScopeColocated) {
  // tf1.get_variable("w", [2], regularizer=tf.keras.regularizers.l2(0.1)) in
  // variable_scope("scope"); TF 2.15.1 materialises the loss as
  // scope/w/Regularizer/{L2Loss/ReadVariableOp, L2Loss, mul/x, mul}, the
  // ops colocated with the variable except the read.
  Scope root = Scope::NewRootScope();
  GetVariable(root.WithVariableScope("scope"), "w", Dims({2}),
              {.initializer = initializers::Zeros(), .regularizer = regularizers::L2(0.1)});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  const Graph& g = *root.graph();
  EXPECT_THAT(CollectionNames(g, "regularization_losses"),
              ElementsAre("scope/w/Regularizer/mul:0"));
  EXPECT_THAT(NodeInputs(g, "scope/w/Regularizer/mul"),
              ElementsAre("scope/w/Regularizer/mul/x", "scope/w/Regularizer/L2Loss"));
  EXPECT_EQ(NodeAttr(g, "scope/w/Regularizer/L2Loss", "_class").list().s(0), "loc:@scope/w");
  EXPECT_EQ(g.FindNode("scope/w/Regularizer/L2Loss/ReadVariableOp")->attr().count("_class"), 0u);
  EXPECT_FLOAT_EQ(NodeAttr(g, "scope/w/Regularizer/mul/x", "value").tensor().float_val(0), 0.2f);
}

TEST(VariablesTest, InitializerGroupsByDevice) {
  // control_flow_ops.group over two devices: init/NoOp, init/NoOp_1 and init.
  Scope root = Scope::NewRootScope();
  GetVariable(root.WithDevice("/cpu:0"), "a", Dims({1}), {.initializer = initializers::Zeros()});
  GetVariable(root.WithDevice("/cpu:1"), "b", Dims({1}), {.initializer = initializers::Zeros()});
  Operation init = GlobalVariablesInitializer(root);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(init.name, "init");
  EXPECT_THAT(NodeInputs(*root.graph(), "init"), ElementsAre("^init/NoOp", "^init/NoOp_1"));
  EXPECT_THAT(NodeInputs(*root.graph(), "init/NoOp"), ElementsAre("^a/Assign"));
  EXPECT_EQ(root.graph()->FindNode("init/NoOp")->device(), "/device:CPU:0");
}

TEST(VariablesTest, EmptyInitializerListGivesPlainNoOp) {
  Scope root = Scope::NewRootScope();
  Operation init = GlobalVariablesInitializer(root);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(init.name, "init");
  EXPECT_TRUE(NodeInputs(*root.graph(), "init").empty());
}

}  // namespace
}  // namespace tf1hub
