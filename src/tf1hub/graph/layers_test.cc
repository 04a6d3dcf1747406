// Layers (layers.h) compared with what TensorFlow 2.15.1's tf.compat.v1.layers
// builds (with tf.compat.v1.disable_control_flow_v2() for tensor flags).
#include "tf1hub/graph/layers.h"

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

PartialTensorShape Shape(std::vector<int64_t> dims) { return *PartialTensorShape::Create(dims); }

Output X(const Scope& root, std::vector<int64_t> dims = {-1, 4}) {
  return ops::Placeholder(root.WithOpName("x"), DataType::kFloat, {.shape = Shape(dims)});
}
Output T(const Scope& root) {
  return ops::Placeholder(root.WithOpName("t"), DataType::kBool, {.shape = Shape({})});
}

// TF 2.15.1 (tf1 = tf.compat.v1, tf.Graph()):
//   x = tf1.placeholder(tf.float32, [None, 4], name="x")
//   tf1.layers.dense(x, 3, activation=tf.nn.relu, kernel_initializer=tf1.ones_initializer(),
//                    kernel_regularizer=tf.keras.regularizers.l2(0.1))
constexpr const char* kDense[] = {
    R"pb(name: "x"
         op: "Placeholder"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value {
             shape {
               dim { size: -1 }
               dim { size: 4 }
             }
           }
         })pb",
    R"pb(name: "dense/kernel/Initializer/ones"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@dense/kernel" } }
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
                 dim { size: 4 }
                 dim { size: 3 }
               }
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "dense/kernel"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@dense/kernel" } }
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
           value { s: "dense/kernel/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value {
             shape {
               dim { size: 4 }
               dim { size: 3 }
             }
           }
         }
         attr {
           key: "shared_name"
           value { s: "dense/kernel" }
         })pb",
    R"pb(name: "dense/kernel/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "dense/kernel")pb",
    R"pb(name: "dense/kernel/Assign"
         op: "AssignVariableOp"
         input: "dense/kernel"
         input: "dense/kernel/Initializer/ones"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "dense/kernel/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "dense/kernel"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dense/kernel/Regularizer/L2Loss/ReadVariableOp"
         op: "ReadVariableOp"
         input: "dense/kernel"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dense/kernel/Regularizer/L2Loss"
         op: "L2Loss"
         input: "dense/kernel/Regularizer/L2Loss/ReadVariableOp"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dense/kernel/Regularizer/mul/x"
         op: "Const"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 0.2
             }
           }
         })pb",
    R"pb(name: "dense/kernel/Regularizer/mul"
         op: "Mul"
         input: "dense/kernel/Regularizer/mul/x"
         input: "dense/kernel/Regularizer/L2Loss"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dense/bias/Initializer/zeros"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@dense/bias" } }
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
               tensor_shape { dim { size: 3 } }
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "dense/bias"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@dense/bias" } }
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
           value { s: "dense/bias/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 3 } } }
         }
         attr {
           key: "shared_name"
           value { s: "dense/bias" }
         })pb",
    R"pb(name: "dense/bias/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "dense/bias")pb",
    R"pb(name: "dense/bias/Assign"
         op: "AssignVariableOp"
         input: "dense/bias"
         input: "dense/bias/Initializer/zeros"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "dense/bias/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "dense/bias"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dense/MatMul/ReadVariableOp"
         op: "ReadVariableOp"
         input: "dense/kernel"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dense/MatMul"
         op: "MatMul"
         input: "x"
         input: "dense/MatMul/ReadVariableOp"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "transpose_a"
           value { b: false }
         }
         attr {
           key: "transpose_b"
           value { b: false }
         })pb",
    R"pb(name: "dense/BiasAdd/ReadVariableOp"
         op: "ReadVariableOp"
         input: "dense/bias"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dense/BiasAdd"
         op: "BiasAdd"
         input: "dense/MatMul"
         input: "dense/BiasAdd/ReadVariableOp"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "data_format"
           value { s: "NHWC" }
         })pb",
    R"pb(name: "dense/Relu"
         op: "Relu"
         input: "dense/BiasAdd"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
};

TEST(DenseTest, NodesAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  Output y = layers::Dense(root, X(root), 3,
                           {.activation = layers::Activation::kRelu,
                            .kernel_initializer = initializers::Ones(),
                            .kernel_regularizer = regularizers::L2(0.1)});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(y.node, "dense/Relu");
  ExpectNodesLikeTensorFlow(*root.graph(), kDense);
  EXPECT_THAT(CollectionNames(*root.graph(), "regularization_losses"),
              ElementsAre("dense/kernel/Regularizer/mul:0"));
}

TEST(DenseTest, NamesScopesAndReuse) {
  Scope root = Scope::NewRootScope();
  Output x = X(root);
  layers::Dense(root, x, 2);
  Output second = layers::Dense(root, x, 2);
  Scope outer = root.NewSubScope("outer").WithVariableScope("outer");
  Output fc = layers::Dense(outer, x, 2, {.name = "fc"});
  Output fc_again = layers::Dense(outer, x, 2, {.name = "fc", .reuse = VariableReuse::kReuse});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  // TF: dense_1/BiasAdd; outer/fc/... and, reusing, ops in outer/fc_1 reading outer/fc/kernel.
  EXPECT_EQ(second.node, "dense_1/BiasAdd");
  EXPECT_EQ(fc.node, "outer/fc/BiasAdd");
  EXPECT_EQ(fc_again.node, "outer/fc_1/BiasAdd");
  EXPECT_THAT(NodeInputs(*root.graph(), "outer/fc_1/MatMul/ReadVariableOp"),
              ElementsAre("outer/fc/kernel"));
  EXPECT_EQ(root.graph()->FindNode("outer/fc_1/kernel"), nullptr);

  // Same name without reuse: TF's "Variable fc/kernel already exists".
  Scope dup = Scope::NewRootScope();
  layers::Dense(dup, X(dup), 2, {.name = "fc"});
  layers::Dense(dup, *ParseTensorName("x:0"), 2, {.name = "fc"});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.status().message(), HasSubstr("Variable fc/kernel already exists"));
}

TEST(DenseTest, RefVariablesReadThroughSnapshots) {
  // variable_scope(use_resource=False): MatMul reads dense/kernel/read.
  Scope root = Scope::NewRootScope();
  layers::Dense(root, X(root), 3, {.use_resource = false});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_THAT(NodeInputs(*root.graph(), "dense/MatMul"), ElementsAre("x", "dense/kernel/read"));
  EXPECT_THAT(NodeInputs(*root.graph(), "dense/BiasAdd"),
              ElementsAre("dense/MatMul", "dense/bias/read"));
  EXPECT_EQ(root.graph()->FindNode("dense/kernel")->op(), "VariableV2");
}

TEST(DenseTest, NonTrainableAndNoBias) {
  Scope root = Scope::NewRootScope();
  Output y = layers::Dense(
      root, X(root), 3,
      {.activation = layers::Activation::kTanh, .use_bias = false, .trainable = false});
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(y.node, "dense/Tanh");
  EXPECT_THAT(NodeInputs(*root.graph(), "dense/Tanh"), ElementsAre("dense/MatMul"));
  EXPECT_EQ(root.graph()->GetCollection("trainable_variables"), nullptr);
}

TEST(DenseTest, NeedsAKnownLastDimension) {
  Scope root = Scope::NewRootScope();
  layers::Dense(root, X(root, {-1, -1}), 3);
  EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(root.status().message(), HasSubstr("must have rank 2 with a known last dimension"));
}

TEST(DenseTest, ShapeFlowsThroughLayers) {
  // dense(dense(x, 5), 2): the second kernel is [5, 2].
  Scope root = Scope::NewRootScope();
  Output h = layers::Dense(root, X(root), 5, {.activation = layers::Activation::kSigmoid});
  h = layers::Dropout(root, h, {.rate = 0.5, .training = T(root)});
  layers::Dense(root, h, 2);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(NodeAttr(*root.graph(), "dense_1/kernel", "shape").shape().dim(0).size(), 5);
}

// TF 2.15.1 with control flow v1 (tf1.disable_control_flow_v2()):
//   tf1.set_random_seed(5)
//   x = tf1.placeholder(tf.float32, [None, 4], name="x"); t = tf1.placeholder(tf.bool, [],
//   name="t") tf1.layers.dropout(x, 0.3, training=True, seed=2) tf1.layers.dropout(x, 0.5,
//   training=t)
constexpr const char* kDropout[] = {
    R"pb(name: "x"
         op: "Placeholder"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value {
             shape {
               dim { size: -1 }
               dim { size: 4 }
             }
           }
         })pb",
    R"pb(name: "t"
         op: "Placeholder"
         attr {
           key: "dtype"
           value { type: DT_BOOL }
         }
         attr {
           key: "shape"
           value { shape {} }
         })pb",
    R"pb(name: "dropout/dropout/Const"
         op: "Const"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 1.4285715
             }
           }
         })pb",
    R"pb(name: "dropout/dropout/Mul"
         op: "Mul"
         input: "x"
         input: "dropout/dropout/Const"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dropout/dropout/Shape"
         op: "Shape"
         input: "x"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "out_type"
           value { type: DT_INT32 }
         }
         experimental_type {
           type_id: TFT_PRODUCT
           args {
             type_id: TFT_SHAPE_TENSOR
             args { type_id: TFT_INT32 }
           }
         })pb",
    R"pb(name: "dropout/dropout/random_uniform/RandomUniform"
         op: "RandomUniform"
         input: "dropout/dropout/Shape"
         attr {
           key: "T"
           value { type: DT_INT32 }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "seed"
           value { i: 5 }
         }
         attr {
           key: "seed2"
           value { i: 2 }
         })pb",
    R"pb(name: "dropout/dropout/GreaterEqual/y"
         op: "Const"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 0.3
             }
           }
         })pb",
    R"pb(name: "dropout/dropout/GreaterEqual"
         op: "GreaterEqual"
         input: "dropout/dropout/random_uniform/RandomUniform"
         input: "dropout/dropout/GreaterEqual/y"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dropout/dropout/Const_1"
         op: "Const"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "dropout/dropout/SelectV2"
         op: "SelectV2"
         input: "dropout/dropout/GreaterEqual"
         input: "dropout/dropout/Mul"
         input: "dropout/dropout/Const_1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dropout_1/cond/Switch"
         op: "Switch"
         input: "t"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "dropout_1/cond/switch_t"
         op: "Identity"
         input: "dropout_1/cond/Switch:1"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "dropout_1/cond/switch_f"
         op: "Identity"
         input: "dropout_1/cond/Switch"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "dropout_1/cond/pred_id"
         op: "Identity"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "dropout_1/cond/dropout/Const"
         op: "Const"
         input: "^dropout_1/cond/switch_t"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 2.0
             }
           }
         })pb",
    R"pb(name: "dropout_1/cond/dropout/Mul"
         op: "Mul"
         input: "dropout_1/cond/dropout/Mul/Switch:1"
         input: "dropout_1/cond/dropout/Const"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dropout_1/cond/dropout/Mul/Switch"
         op: "Switch"
         input: "x"
         input: "dropout_1/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@x" } }
         })pb",
    R"pb(name: "dropout_1/cond/dropout/Shape"
         op: "Shape"
         input: "dropout_1/cond/dropout/Mul/Switch:1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "out_type"
           value { type: DT_INT32 }
         }
         experimental_type {
           type_id: TFT_PRODUCT
           args {
             type_id: TFT_SHAPE_TENSOR
             args { type_id: TFT_INT32 }
           }
         })pb",
    R"pb(name: "dropout_1/cond/dropout/random_uniform/RandomUniform"
         op: "RandomUniform"
         input: "dropout_1/cond/dropout/Shape"
         attr {
           key: "T"
           value { type: DT_INT32 }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "seed"
           value { i: 5 }
         }
         attr {
           key: "seed2"
           value { i: 0 }
         })pb",
    R"pb(name: "dropout_1/cond/dropout/GreaterEqual/y"
         op: "Const"
         input: "^dropout_1/cond/switch_t"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 0.5
             }
           }
         })pb",
    R"pb(name: "dropout_1/cond/dropout/GreaterEqual"
         op: "GreaterEqual"
         input: "dropout_1/cond/dropout/random_uniform/RandomUniform"
         input: "dropout_1/cond/dropout/GreaterEqual/y"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dropout_1/cond/dropout/Const_1"
         op: "Const"
         input: "^dropout_1/cond/switch_t"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "dropout_1/cond/dropout/SelectV2"
         op: "SelectV2"
         input: "dropout_1/cond/dropout/GreaterEqual"
         input: "dropout_1/cond/dropout/Mul"
         input: "dropout_1/cond/dropout/Const_1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dropout_1/cond/Identity"
         op: "Identity"
         input: "dropout_1/cond/Identity/Switch"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "dropout_1/cond/Identity/Switch"
         op: "Switch"
         input: "x"
         input: "dropout_1/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@x" } }
         })pb",
    R"pb(name: "dropout_1/cond/Merge"
         op: "Merge"
         input: "dropout_1/cond/Identity"
         input: "dropout_1/cond/dropout/SelectV2"
         attr {
           key: "N"
           value { i: 2 }
         }
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
};

TEST(DropoutTest, NodesAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  SetRandomSeed(root.graph(), 5);
  Output x = X(root);
  Output t = T(root);
  Output a = layers::Dropout(root, x, {.rate = 0.3, .training = true, .seed = 2});
  Output b = layers::Dropout(root, x, {.rate = 0.5, .training = t});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  ClearGraphRandomState(root.graph());
  EXPECT_EQ(a.node, "dropout/dropout/SelectV2");
  EXPECT_EQ(b.node, "dropout_1/cond/Merge");
  ExpectNodesLikeTensorFlow(*root.graph(), kDropout);
}

TEST(DropoutTest, ConstantFalseOrZeroRateIsIdentity) {
  Scope root = Scope::NewRootScope();
  Output x = X(root);
  Output a = layers::Dropout(root, x, {.rate = 0.25, .training = false});
  Output b = layers::Dropout(root, x, {.rate = 0.0, .training = true});
  // A Const bool counts as a constant (smart_cond).
  Output c = layers::Dropout(root, x, {.rate = 0.5, .training = ops::Const(root, false)});
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(a.node, "dropout/Identity");
  EXPECT_EQ(b.node, "dropout_1/Identity");
  EXPECT_EQ(c.node, "dropout_2/Identity");
}

TEST(DropoutTest, StaticShapeGivesConstNoiseShape) {
  // x of shape [2, 4]: dropout/dropout/Shape is a Const [2, 4] in TF.
  Scope root = Scope::NewRootScope();
  layers::Dropout(root, X(root, {2, 4}), {.rate = 0.5, .training = true});
  ASSERT_TRUE(root.ok());
  const tensorflow::NodeDef* shape = root.graph()->FindNode("dropout/dropout/Shape");
  ASSERT_NE(shape, nullptr);
  EXPECT_EQ(shape->op(), "Const");
  EXPECT_EQ(shape->attr().at("value").tensor().tensor_content(),
            std::string("\002\000\000\000\004\000\000\000", 8));
}

TEST(DropoutTest, RejectsBadRates) {
  Scope root = Scope::NewRootScope();
  layers::Dropout(root, X(root), {.rate = 1.0, .training = true});
  EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(root.status().message(), HasSubstr("rate must be a float in the range [0, 1)"));
}

// TF 2.15.1:
//   x = tf1.placeholder(tf.float32, [None, 4], name="x"); t = tf1.placeholder(tf.bool, [],
//   name="t") tf1.layers.batch_normalization(x, training=False, momentum=0.9, epsilon=0.01)
constexpr const char* kBatchNormInference[] = {
    R"pb(name: "x"
         op: "Placeholder"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value {
             shape {
               dim { size: -1 }
               dim { size: 4 }
             }
           }
         })pb",
    R"pb(name: "t"
         op: "Placeholder"
         attr {
           key: "dtype"
           value { type: DT_BOOL }
         }
         attr {
           key: "shape"
           value { shape {} }
         })pb",
    R"pb(name: "batch_normalization/gamma/Initializer/ones"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/gamma" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/gamma"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/gamma" } }
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
           value { s: "batch_normalization/gamma/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/gamma" }
         })pb",
    R"pb(name: "batch_normalization/gamma/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/gamma")pb",
    R"pb(name: "batch_normalization/gamma/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/gamma"
         input: "batch_normalization/gamma/Initializer/ones"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/gamma/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/gamma"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/beta/Initializer/zeros"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/beta" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/beta"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/beta" } }
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
           value { s: "batch_normalization/beta/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/beta" }
         })pb",
    R"pb(name: "batch_normalization/beta/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/beta")pb",
    R"pb(name: "batch_normalization/beta/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/beta"
         input: "batch_normalization/beta/Initializer/zeros"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/beta/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/beta"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/moving_mean/Initializer/zeros"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/moving_mean"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
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
           value { s: "batch_normalization/moving_mean/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/moving_mean" }
         })pb",
    R"pb(name: "batch_normalization/moving_mean/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/moving_mean")pb",
    R"pb(name: "batch_normalization/moving_mean/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/moving_mean/Initializer/zeros"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/moving_mean/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/moving_variance/Initializer/ones"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/moving_variance"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
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
           value { s: "batch_normalization/moving_variance/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/moving_variance" }
         })pb",
    R"pb(name: "batch_normalization/moving_variance/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/moving_variance")pb",
    R"pb(name: "batch_normalization/moving_variance/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/moving_variance/Initializer/ones"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/moving_variance/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/add/y"
         op: "Const"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 0.01
             }
           }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/add"
         op: "AddV2"
         input: "batch_normalization/batchnorm/ReadVariableOp"
         input: "batch_normalization/batchnorm/add/y"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/Rsqrt"
         op: "Rsqrt"
         input: "batch_normalization/batchnorm/add"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/mul/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/gamma"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/mul"
         op: "Mul"
         input: "batch_normalization/batchnorm/Rsqrt"
         input: "batch_normalization/batchnorm/mul/ReadVariableOp"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/mul_1"
         op: "Mul"
         input: "x"
         input: "batch_normalization/batchnorm/mul"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/mul_2"
         op: "Mul"
         input: "batch_normalization/batchnorm/ReadVariableOp_1"
         input: "batch_normalization/batchnorm/mul"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/ReadVariableOp_2"
         op: "ReadVariableOp"
         input: "batch_normalization/beta"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/sub"
         op: "Sub"
         input: "batch_normalization/batchnorm/ReadVariableOp_2"
         input: "batch_normalization/batchnorm/mul_2"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/add_1"
         op: "AddV2"
         input: "batch_normalization/batchnorm/mul_1"
         input: "batch_normalization/batchnorm/sub"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
};

// The same with training=True.
constexpr const char* kBatchNormTraining[] = {
    R"pb(name: "x"
         op: "Placeholder"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value {
             shape {
               dim { size: -1 }
               dim { size: 4 }
             }
           }
         })pb",
    R"pb(name: "t"
         op: "Placeholder"
         attr {
           key: "dtype"
           value { type: DT_BOOL }
         }
         attr {
           key: "shape"
           value { shape {} }
         })pb",
    R"pb(name: "batch_normalization/gamma/Initializer/ones"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/gamma" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/gamma"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/gamma" } }
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
           value { s: "batch_normalization/gamma/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/gamma" }
         })pb",
    R"pb(name: "batch_normalization/gamma/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/gamma")pb",
    R"pb(name: "batch_normalization/gamma/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/gamma"
         input: "batch_normalization/gamma/Initializer/ones"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/gamma/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/gamma"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/beta/Initializer/zeros"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/beta" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/beta"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/beta" } }
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
           value { s: "batch_normalization/beta/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/beta" }
         })pb",
    R"pb(name: "batch_normalization/beta/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/beta")pb",
    R"pb(name: "batch_normalization/beta/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/beta"
         input: "batch_normalization/beta/Initializer/zeros"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/beta/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/beta"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/moving_mean/Initializer/zeros"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/moving_mean"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
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
           value { s: "batch_normalization/moving_mean/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/moving_mean" }
         })pb",
    R"pb(name: "batch_normalization/moving_mean/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/moving_mean")pb",
    R"pb(name: "batch_normalization/moving_mean/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/moving_mean/Initializer/zeros"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/moving_mean/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/moving_variance/Initializer/ones"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/moving_variance"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
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
           value { s: "batch_normalization/moving_variance/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/moving_variance" }
         })pb",
    R"pb(name: "batch_normalization/moving_variance/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/moving_variance")pb",
    R"pb(name: "batch_normalization/moving_variance/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/moving_variance/Initializer/ones"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/moving_variance/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/moments/mean/reduction_indices"
         op: "Const"
         attr {
           key: "dtype"
           value { type: DT_INT32 }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_INT32
               tensor_shape { dim { size: 1 } }
               int_val: 0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/moments/mean"
         op: "Mean"
         input: "x"
         input: "batch_normalization/moments/mean/reduction_indices"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "Tidx"
           value { type: DT_INT32 }
         }
         attr {
           key: "keep_dims"
           value { b: true }
         })pb",
    R"pb(name: "batch_normalization/moments/StopGradient"
         op: "StopGradient"
         input: "batch_normalization/moments/mean"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/moments/SquaredDifference"
         op: "SquaredDifference"
         input: "x"
         input: "batch_normalization/moments/StopGradient"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/moments/variance/reduction_indices"
         op: "Const"
         attr {
           key: "dtype"
           value { type: DT_INT32 }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_INT32
               tensor_shape { dim { size: 1 } }
               int_val: 0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/moments/variance"
         op: "Mean"
         input: "batch_normalization/moments/SquaredDifference"
         input: "batch_normalization/moments/variance/reduction_indices"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "Tidx"
           value { type: DT_INT32 }
         }
         attr {
           key: "keep_dims"
           value { b: true }
         })pb",
    R"pb(name: "batch_normalization/moments/Squeeze"
         op: "Squeeze"
         input: "batch_normalization/moments/mean"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "squeeze_dims"
           value { list { i: 0 } }
         })pb",
    R"pb(name: "batch_normalization/moments/Squeeze_1"
         op: "Squeeze"
         input: "batch_normalization/moments/variance"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "squeeze_dims"
           value { list { i: 0 } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/decay"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
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
               tensor_shape {}
               float_val: 0.1
             }
           }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/sub"
         op: "Sub"
         input: "batch_normalization/AssignMovingAvg/ReadVariableOp"
         input: "batch_normalization/moments/Squeeze"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/mul"
         op: "Mul"
         input: "batch_normalization/AssignMovingAvg/sub"
         input: "batch_normalization/AssignMovingAvg/decay"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/AssignSubVariableOp"
         op: "AssignSubVariableOp"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/AssignMovingAvg/mul"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         input: "^batch_normalization/AssignMovingAvg/AssignSubVariableOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/decay"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
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
               tensor_shape {}
               float_val: 0.1
             }
           }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/sub"
         op: "Sub"
         input: "batch_normalization/AssignMovingAvg_1/ReadVariableOp"
         input: "batch_normalization/moments/Squeeze_1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/mul"
         op: "Mul"
         input: "batch_normalization/AssignMovingAvg_1/sub"
         input: "batch_normalization/AssignMovingAvg_1/decay"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/AssignSubVariableOp"
         op: "AssignSubVariableOp"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/AssignMovingAvg_1/mul"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         input: "^batch_normalization/AssignMovingAvg_1/AssignSubVariableOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/add/y"
         op: "Const"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 0.01
             }
           }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/add"
         op: "AddV2"
         input: "batch_normalization/moments/Squeeze_1"
         input: "batch_normalization/batchnorm/add/y"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/Rsqrt"
         op: "Rsqrt"
         input: "batch_normalization/batchnorm/add"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/mul/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/gamma"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/mul"
         op: "Mul"
         input: "batch_normalization/batchnorm/Rsqrt"
         input: "batch_normalization/batchnorm/mul/ReadVariableOp"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/mul_1"
         op: "Mul"
         input: "x"
         input: "batch_normalization/batchnorm/mul"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/mul_2"
         op: "Mul"
         input: "batch_normalization/moments/Squeeze"
         input: "batch_normalization/batchnorm/mul"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/beta"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/sub"
         op: "Sub"
         input: "batch_normalization/batchnorm/ReadVariableOp"
         input: "batch_normalization/batchnorm/mul_2"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/batchnorm/add_1"
         op: "AddV2"
         input: "batch_normalization/batchnorm/mul_1"
         input: "batch_normalization/batchnorm/sub"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
};

// The same with training=t (control flow v1): the batch_normalization/cond*
// nodes.
constexpr const char* kBatchNormTensorFlagConds[] = {
    R"pb(name: "batch_normalization/cond/Switch"
         op: "Switch"
         input: "t"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond/switch_t"
         op: "Identity"
         input: "batch_normalization/cond/Switch:1"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond/switch_f"
         op: "Identity"
         input: "batch_normalization/cond/Switch"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond/pred_id"
         op: "Identity"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond/Switch_1"
         op: "Switch"
         input: "batch_normalization/moments/Squeeze"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moments/Squeeze" } }
         })pb",
    R"pb(name: "batch_normalization/cond/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/cond/ReadVariableOp/Switch"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/ReadVariableOp/Switch"
         op: "Switch"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/cond/Merge"
         op: "Merge"
         input: "batch_normalization/cond/ReadVariableOp"
         input: "batch_normalization/cond/Switch_1:1"
         attr {
           key: "N"
           value { i: 2 }
         }
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_1/Switch"
         op: "Switch"
         input: "t"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_1/switch_t"
         op: "Identity"
         input: "batch_normalization/cond_1/Switch:1"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_1/switch_f"
         op: "Identity"
         input: "batch_normalization/cond_1/Switch"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_1/pred_id"
         op: "Identity"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_1/Switch_1"
         op: "Switch"
         input: "batch_normalization/moments/Squeeze_1"
         input: "batch_normalization/cond_1/pred_id"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moments/Squeeze_1" } }
         })pb",
    R"pb(name: "batch_normalization/cond_1/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/cond_1/ReadVariableOp/Switch"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_1/ReadVariableOp/Switch"
         op: "Switch"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/cond_1/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/cond_1/Merge"
         op: "Merge"
         input: "batch_normalization/cond_1/ReadVariableOp"
         input: "batch_normalization/cond_1/Switch_1:1"
         attr {
           key: "N"
           value { i: 2 }
         }
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_2/Switch"
         op: "Switch"
         input: "t"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_2/switch_t"
         op: "Identity"
         input: "batch_normalization/cond_2/Switch:1"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_2/switch_f"
         op: "Identity"
         input: "batch_normalization/cond_2/Switch"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_2/pred_id"
         op: "Identity"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_2/AssignMovingAvg/decay"
         op: "Const"
         input: "^batch_normalization/cond_2/switch_t"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
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
               tensor_shape {}
               float_val: 0.1
             }
           }
         })pb",
    R"pb(name: "batch_normalization/cond_2/AssignMovingAvg/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/cond_2/AssignMovingAvg/ReadVariableOp/Switch:1"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_2/AssignMovingAvg/ReadVariableOp/Switch"
         op: "Switch"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/cond_2/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/cond_2/AssignMovingAvg/sub"
         op: "Sub"
         input: "batch_normalization/cond_2/AssignMovingAvg/ReadVariableOp"
         input: "batch_normalization/cond_2/AssignMovingAvg/sub/Switch:1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/cond_2/AssignMovingAvg/sub/Switch"
         op: "Switch"
         input: "batch_normalization/cond/Merge"
         input: "batch_normalization/cond_2/pred_id"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/cond/Merge" } }
         })pb",
    R"pb(name: "batch_normalization/cond_2/AssignMovingAvg/mul"
         op: "Mul"
         input: "batch_normalization/cond_2/AssignMovingAvg/sub"
         input: "batch_normalization/cond_2/AssignMovingAvg/decay"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/cond_2/AssignMovingAvg/AssignSubVariableOp"
         op: "AssignSubVariableOp"
         input: "batch_normalization/cond_2/AssignMovingAvg/ReadVariableOp/Switch:1"
         input: "batch_normalization/cond_2/AssignMovingAvg/mul"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_2/AssignMovingAvg/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/cond_2/AssignMovingAvg/ReadVariableOp/Switch:1"
         input: "^batch_normalization/cond_2/AssignMovingAvg/AssignSubVariableOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_2/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/cond_2/AssignMovingAvg/ReadVariableOp/Switch:1"
         input: "^batch_normalization/cond_2/AssignMovingAvg/AssignSubVariableOp"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_2/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/cond_2/ReadVariableOp_1/Switch"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_2/ReadVariableOp_1/Switch"
         op: "Switch"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/cond_2/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/cond_2/Merge"
         op: "Merge"
         input: "batch_normalization/cond_2/ReadVariableOp_1"
         input: "batch_normalization/cond_2/ReadVariableOp"
         attr {
           key: "N"
           value { i: 2 }
         }
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_3/Switch"
         op: "Switch"
         input: "t"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_3/switch_t"
         op: "Identity"
         input: "batch_normalization/cond_3/Switch:1"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_3/switch_f"
         op: "Identity"
         input: "batch_normalization/cond_3/Switch"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_3/pred_id"
         op: "Identity"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_3/AssignMovingAvg/decay"
         op: "Const"
         input: "^batch_normalization/cond_3/switch_t"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
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
               tensor_shape {}
               float_val: 0.1
             }
           }
         })pb",
    R"pb(name: "batch_normalization/cond_3/AssignMovingAvg/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/cond_3/AssignMovingAvg/ReadVariableOp/Switch:1"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_3/AssignMovingAvg/ReadVariableOp/Switch"
         op: "Switch"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/cond_3/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/cond_3/AssignMovingAvg/sub"
         op: "Sub"
         input: "batch_normalization/cond_3/AssignMovingAvg/ReadVariableOp"
         input: "batch_normalization/cond_3/AssignMovingAvg/sub/Switch:1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/cond_3/AssignMovingAvg/sub/Switch"
         op: "Switch"
         input: "batch_normalization/cond_1/Merge"
         input: "batch_normalization/cond_3/pred_id"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/cond_1/Merge" } }
         })pb",
    R"pb(name: "batch_normalization/cond_3/AssignMovingAvg/mul"
         op: "Mul"
         input: "batch_normalization/cond_3/AssignMovingAvg/sub"
         input: "batch_normalization/cond_3/AssignMovingAvg/decay"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/cond_3/AssignMovingAvg/AssignSubVariableOp"
         op: "AssignSubVariableOp"
         input: "batch_normalization/cond_3/AssignMovingAvg/ReadVariableOp/Switch:1"
         input: "batch_normalization/cond_3/AssignMovingAvg/mul"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_3/AssignMovingAvg/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/cond_3/AssignMovingAvg/ReadVariableOp/Switch:1"
         input: "^batch_normalization/cond_3/AssignMovingAvg/AssignSubVariableOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_3/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/cond_3/AssignMovingAvg/ReadVariableOp/Switch:1"
         input: "^batch_normalization/cond_3/AssignMovingAvg/AssignSubVariableOp"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_3/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/cond_3/ReadVariableOp_1/Switch"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_3/ReadVariableOp_1/Switch"
         op: "Switch"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/cond_3/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/cond_3/Merge"
         op: "Merge"
         input: "batch_normalization/cond_3/ReadVariableOp_1"
         input: "batch_normalization/cond_3/ReadVariableOp"
         attr {
           key: "N"
           value { i: 2 }
         }
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
};

Output BatchNorm(const Scope& root, layers::Training training) {
  return layers::BatchNormalization(root, X(root),
                                    {.momentum = 0.9, .epsilon = 0.01, .training = training});
}

TEST(BatchNormalizationTest, InferenceAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  T(root);
  Output y = BatchNorm(root, false);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(y.node, "batch_normalization/batchnorm/add_1");
  ExpectNodesLikeTensorFlow(*root.graph(), kBatchNormInference);
  EXPECT_TRUE(CollectionNames(*root.graph(), "update_ops").empty());
}

TEST(BatchNormalizationTest, TrainingAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  T(root);
  BatchNorm(root, true);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  ExpectNodesLikeTensorFlow(*root.graph(), kBatchNormTraining);
  EXPECT_THAT(CollectionNames(*root.graph(), "update_ops"),
              ElementsAre("batch_normalization/AssignMovingAvg/AssignSubVariableOp",
                          "batch_normalization/AssignMovingAvg_1/AssignSubVariableOp"));
}

TEST(BatchNormalizationTest, TensorFlagAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  Output t = T(root);
  BatchNorm(root, t);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  ExpectNodesLikeTensorFlow(*root.graph(), kBatchNormTensorFlagConds, /*exact=*/true,
                            "batch_normalization/cond");
  EXPECT_THAT(CollectionNames(*root.graph(), "update_ops"),
              ElementsAre("batch_normalization/cond_2/Merge", "batch_normalization/cond_3/Merge"));
  EXPECT_THAT(
      NodeInputs(*root.graph(), "batch_normalization/batchnorm/add"),
      ElementsAre("batch_normalization/cond_1/Merge", "batch_normalization/batchnorm/add/y"));
}

TEST(BatchNormalizationTest, MovingStatisticsAreOnReadMeanAndNotTrainable) {
  Scope root = Scope::NewRootScope();
  BatchNorm(root, false);
  ASSERT_TRUE(root.ok());
  StatusOr<std::vector<Variable>> trainable =
      CollectionVariables(*root.graph(), "trainable_variables");
  ASSERT_TRUE(trainable.ok());
  ASSERT_EQ(trainable->size(), 2u);
  EXPECT_EQ((*trainable)[0].name(), "batch_normalization/gamma");
  EXPECT_EQ((*trainable)[1].name(), "batch_normalization/beta");
  StatusOr<std::vector<Variable>> all = CollectionVariables(*root.graph(), "variables");
  ASSERT_EQ(all->size(), 4u);
  tensorflow::VariableDef mean = (*all)[2].ToProto();
  EXPECT_EQ(mean.variable_name(), "batch_normalization/moving_mean:0");
  EXPECT_EQ(mean.synchronization(), tensorflow::VARIABLE_SYNCHRONIZATION_ON_READ);
  EXPECT_EQ(mean.aggregation(), tensorflow::VARIABLE_AGGREGATION_MEAN);
  EXPECT_FALSE(mean.trainable());
}

TEST(BatchNormalizationTest, WithoutCenterAndScale) {
  // TF: batchnorm/{ReadVariableOp, add/y, add, Rsqrt, mul, ReadVariableOp_1,
  // Neg, mul_1, add_1}: x * inv + (-moving_mean * inv).
  Scope root = Scope::NewRootScope();
  Output y = layers::BatchNormalization(root, X(root),
                                        {.center = false, .scale = false, .training = false});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  const Graph& g = *root.graph();
  EXPECT_EQ(y.node, "batch_normalization/batchnorm/add_1");
  EXPECT_THAT(NodeInputs(g, "batch_normalization/batchnorm/mul"),
              ElementsAre("x", "batch_normalization/batchnorm/Rsqrt"));
  EXPECT_THAT(NodeInputs(g, "batch_normalization/batchnorm/Neg"),
              ElementsAre("batch_normalization/batchnorm/ReadVariableOp_1"));
  EXPECT_THAT(
      NodeInputs(g, "batch_normalization/batchnorm/mul_1"),
      ElementsAre("batch_normalization/batchnorm/Neg", "batch_normalization/batchnorm/Rsqrt"));
  EXPECT_EQ(g.FindNode("batch_normalization/gamma"), nullptr);
  EXPECT_EQ(g.FindNode("batch_normalization/beta"), nullptr);
  // TF's default epsilon: batchnorm/add/y = 0.001.
  EXPECT_EQ(NodeAttr(g, "batch_normalization/batchnorm/add/y", "value").tensor().float_val(0),
            0.001f);
}

// TF 2.15.1, rank-4 input (fused by default):
//   x = tf1.placeholder(tf.float32, [None, 5, 5, 4], name="x"); t = tf1.placeholder(tf.bool, [],
//   name="t") tf1.layers.batch_normalization(x, training=True, momentum=0.9, epsilon=0.01,
//   scale=False)
constexpr const char* kFusedBatchNormTraining[] = {
    R"pb(name: "x"
         op: "Placeholder"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value {
             shape {
               dim { size: -1 }
               dim { size: 5 }
               dim { size: 5 }
               dim { size: 4 }
             }
           }
         })pb",
    R"pb(name: "t"
         op: "Placeholder"
         attr {
           key: "dtype"
           value { type: DT_BOOL }
         }
         attr {
           key: "shape"
           value { shape {} }
         })pb",
    R"pb(name: "batch_normalization/beta/Initializer/zeros"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/beta" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/beta"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/beta" } }
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
           value { s: "batch_normalization/beta/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/beta" }
         })pb",
    R"pb(name: "batch_normalization/beta/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/beta")pb",
    R"pb(name: "batch_normalization/beta/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/beta"
         input: "batch_normalization/beta/Initializer/zeros"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/beta/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/beta"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/moving_mean/Initializer/zeros"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/moving_mean"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
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
           value { s: "batch_normalization/moving_mean/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/moving_mean" }
         })pb",
    R"pb(name: "batch_normalization/moving_mean/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/moving_mean")pb",
    R"pb(name: "batch_normalization/moving_mean/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/moving_mean/Initializer/zeros"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/moving_mean/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/moving_variance/Initializer/ones"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
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
               tensor_shape { dim { size: 4 } }
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/moving_variance"
         op: "VarHandleOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
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
           value { s: "batch_normalization/moving_variance/" }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "shape"
           value { shape { dim { size: 4 } } }
         }
         attr {
           key: "shared_name"
           value { s: "batch_normalization/moving_variance" }
         })pb",
    R"pb(name: "batch_normalization/moving_variance/IsInitialized/VarIsInitializedOp"
         op: "VarIsInitializedOp"
         input: "batch_normalization/moving_variance")pb",
    R"pb(name: "batch_normalization/moving_variance/Assign"
         op: "AssignVariableOp"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/moving_variance/Initializer/ones"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/moving_variance/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/Const"
         op: "Const"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape { dim { size: 4 } }
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/beta"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/FusedBatchNormV3/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/FusedBatchNormV3/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/FusedBatchNormV3"
         op: "FusedBatchNormV3"
         input: "x"
         input: "batch_normalization/Const"
         input: "batch_normalization/ReadVariableOp"
         input: "batch_normalization/FusedBatchNormV3/ReadVariableOp"
         input: "batch_normalization/FusedBatchNormV3/ReadVariableOp_1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "U"
           value { type: DT_FLOAT }
         }
         attr {
           key: "data_format"
           value { s: "NHWC" }
         }
         attr {
           key: "epsilon"
           value { f: 0.01 }
         }
         attr {
           key: "exponential_avg_factor"
           value { f: 1.0 }
         }
         attr {
           key: "is_training"
           value { b: true }
         })pb",
    R"pb(name: "batch_normalization/Const_1"
         op: "Const"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 0.9
             }
           }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/sub/x"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
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
               tensor_shape {}
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/sub"
         op: "Sub"
         input: "batch_normalization/AssignMovingAvg/sub/x"
         input: "batch_normalization/Const_1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/sub_1"
         op: "Sub"
         input: "batch_normalization/AssignMovingAvg/ReadVariableOp"
         input: "batch_normalization/FusedBatchNormV3:1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/mul"
         op: "Mul"
         input: "batch_normalization/AssignMovingAvg/sub_1"
         input: "batch_normalization/AssignMovingAvg/sub"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/AssignSubVariableOp"
         op: "AssignSubVariableOp"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/AssignMovingAvg/mul"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         input: "^batch_normalization/AssignMovingAvg/AssignSubVariableOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/sub/x"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
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
               tensor_shape {}
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/sub"
         op: "Sub"
         input: "batch_normalization/AssignMovingAvg_1/sub/x"
         input: "batch_normalization/Const_1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/sub_1"
         op: "Sub"
         input: "batch_normalization/AssignMovingAvg_1/ReadVariableOp"
         input: "batch_normalization/FusedBatchNormV3:2"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/mul"
         op: "Mul"
         input: "batch_normalization/AssignMovingAvg_1/sub_1"
         input: "batch_normalization/AssignMovingAvg_1/sub"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/AssignSubVariableOp"
         op: "AssignSubVariableOp"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/AssignMovingAvg_1/mul"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         input: "^batch_normalization/AssignMovingAvg_1/AssignSubVariableOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
};

// The same with training=t and scale=True (control flow v1): the nodes under
// batch_normalization/cond* and batch_normalization/AssignMovingAvg*.
constexpr const char* kFusedBatchNormTensorFlag[] = {
    R"pb(name: "batch_normalization/cond/Switch"
         op: "Switch"
         input: "t"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond/switch_t"
         op: "Identity"
         input: "batch_normalization/cond/Switch:1"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond/switch_f"
         op: "Identity"
         input: "batch_normalization/cond/Switch"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond/pred_id"
         op: "Identity"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/cond/ReadVariableOp/Switch:1"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/ReadVariableOp/Switch"
         op: "Switch"
         input: "batch_normalization/gamma"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/gamma" } }
         })pb",
    R"pb(name: "batch_normalization/cond/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/cond/ReadVariableOp_1/Switch:1"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/ReadVariableOp_1/Switch"
         op: "Switch"
         input: "batch_normalization/beta"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/beta" } }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/cond/FusedBatchNormV3/ReadVariableOp/Switch:1"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3/ReadVariableOp/Switch"
         op: "Switch"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/cond/FusedBatchNormV3/ReadVariableOp_1/Switch:1"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3/ReadVariableOp_1/Switch"
         op: "Switch"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3"
         op: "FusedBatchNormV3"
         input: "batch_normalization/cond/FusedBatchNormV3/Switch:1"
         input: "batch_normalization/cond/ReadVariableOp"
         input: "batch_normalization/cond/ReadVariableOp_1"
         input: "batch_normalization/cond/FusedBatchNormV3/ReadVariableOp"
         input: "batch_normalization/cond/FusedBatchNormV3/ReadVariableOp_1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "U"
           value { type: DT_FLOAT }
         }
         attr {
           key: "data_format"
           value { s: "NHWC" }
         }
         attr {
           key: "epsilon"
           value { f: 0.01 }
         }
         attr {
           key: "exponential_avg_factor"
           value { f: 1.0 }
         }
         attr {
           key: "is_training"
           value { b: true }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3/Switch"
         op: "Switch"
         input: "x"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@x" } }
         })pb",
    R"pb(name: "batch_normalization/cond/ReadVariableOp_2"
         op: "ReadVariableOp"
         input: "batch_normalization/cond/ReadVariableOp_2/Switch"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/ReadVariableOp_2/Switch"
         op: "Switch"
         input: "batch_normalization/gamma"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/gamma" } }
         })pb",
    R"pb(name: "batch_normalization/cond/ReadVariableOp_3"
         op: "ReadVariableOp"
         input: "batch_normalization/cond/ReadVariableOp_3/Switch"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/ReadVariableOp_3/Switch"
         op: "Switch"
         input: "batch_normalization/beta"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/beta" } }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3_1/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/cond/FusedBatchNormV3_1/ReadVariableOp/Switch"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3_1/ReadVariableOp/Switch"
         op: "Switch"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3_1/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/cond/FusedBatchNormV3_1/ReadVariableOp_1/Switch"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3_1/ReadVariableOp_1/Switch"
         op: "Switch"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_RESOURCE }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3_1"
         op: "FusedBatchNormV3"
         input: "batch_normalization/cond/FusedBatchNormV3_1/Switch"
         input: "batch_normalization/cond/ReadVariableOp_2"
         input: "batch_normalization/cond/ReadVariableOp_3"
         input: "batch_normalization/cond/FusedBatchNormV3_1/ReadVariableOp"
         input: "batch_normalization/cond/FusedBatchNormV3_1/ReadVariableOp_1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "U"
           value { type: DT_FLOAT }
         }
         attr {
           key: "data_format"
           value { s: "NHWC" }
         }
         attr {
           key: "epsilon"
           value { f: 0.01 }
         }
         attr {
           key: "exponential_avg_factor"
           value { f: 1.0 }
         }
         attr {
           key: "is_training"
           value { b: false }
         })pb",
    R"pb(name: "batch_normalization/cond/FusedBatchNormV3_1/Switch"
         op: "Switch"
         input: "x"
         input: "batch_normalization/cond/pred_id"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@x" } }
         })pb",
    R"pb(name: "batch_normalization/cond/Merge"
         op: "Merge"
         input: "batch_normalization/cond/FusedBatchNormV3_1"
         input: "batch_normalization/cond/FusedBatchNormV3"
         attr {
           key: "N"
           value { i: 2 }
         }
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/Merge_1"
         op: "Merge"
         input: "batch_normalization/cond/FusedBatchNormV3_1:1"
         input: "batch_normalization/cond/FusedBatchNormV3:1"
         attr {
           key: "N"
           value { i: 2 }
         }
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond/Merge_2"
         op: "Merge"
         input: "batch_normalization/cond/FusedBatchNormV3_1:2"
         input: "batch_normalization/cond/FusedBatchNormV3:2"
         attr {
           key: "N"
           value { i: 2 }
         }
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/cond_1/Switch"
         op: "Switch"
         input: "t"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_1/switch_t"
         op: "Identity"
         input: "batch_normalization/cond_1/Switch:1"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_1/switch_f"
         op: "Identity"
         input: "batch_normalization/cond_1/Switch"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_1/pred_id"
         op: "Identity"
         input: "t"
         attr {
           key: "T"
           value { type: DT_BOOL }
         })pb",
    R"pb(name: "batch_normalization/cond_1/Const"
         op: "Const"
         input: "^batch_normalization/cond_1/switch_t"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 0.9
             }
           }
         })pb",
    R"pb(name: "batch_normalization/cond_1/Const_1"
         op: "Const"
         input: "^batch_normalization/cond_1/switch_f"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "value"
           value {
             tensor {
               dtype: DT_FLOAT
               tensor_shape {}
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/cond_1/Merge"
         op: "Merge"
         input: "batch_normalization/cond_1/Const_1"
         input: "batch_normalization/cond_1/Const"
         attr {
           key: "N"
           value { i: 2 }
         }
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/sub/x"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
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
               tensor_shape {}
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/sub"
         op: "Sub"
         input: "batch_normalization/AssignMovingAvg/sub/x"
         input: "batch_normalization/cond_1/Merge"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/sub_1"
         op: "Sub"
         input: "batch_normalization/AssignMovingAvg/ReadVariableOp"
         input: "batch_normalization/cond/Merge_1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/mul"
         op: "Mul"
         input: "batch_normalization/AssignMovingAvg/sub_1"
         input: "batch_normalization/AssignMovingAvg/sub"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/AssignSubVariableOp"
         op: "AssignSubVariableOp"
         input: "batch_normalization/moving_mean"
         input: "batch_normalization/AssignMovingAvg/mul"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_mean"
         input: "^batch_normalization/AssignMovingAvg/AssignSubVariableOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_mean" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/sub/x"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
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
               tensor_shape {}
               float_val: 1.0
             }
           }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/sub"
         op: "Sub"
         input: "batch_normalization/AssignMovingAvg_1/sub/x"
         input: "batch_normalization/cond_1/Merge"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/ReadVariableOp"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/sub_1"
         op: "Sub"
         input: "batch_normalization/AssignMovingAvg_1/ReadVariableOp"
         input: "batch_normalization/cond/Merge_2"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/mul"
         op: "Mul"
         input: "batch_normalization/AssignMovingAvg_1/sub_1"
         input: "batch_normalization/AssignMovingAvg_1/sub"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/AssignSubVariableOp"
         op: "AssignSubVariableOp"
         input: "batch_normalization/moving_variance"
         input: "batch_normalization/AssignMovingAvg_1/mul"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "batch_normalization/AssignMovingAvg_1/ReadVariableOp_1"
         op: "ReadVariableOp"
         input: "batch_normalization/moving_variance"
         input: "^batch_normalization/AssignMovingAvg_1/AssignSubVariableOp"
         attr {
           key: "_class"
           value { list { s: "loc:@batch_normalization/moving_variance" } }
         }
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
};

TEST(BatchNormalizationTest, FusedTrainingAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  T(root);
  Output y = layers::BatchNormalization(
      root, X(root, {-1, 5, 5, 4}),
      {.momentum = 0.9, .epsilon = 0.01, .scale = false, .training = true});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(y.node, "batch_normalization/FusedBatchNormV3");
  ExpectNodesLikeTensorFlow(*root.graph(), kFusedBatchNormTraining);
  EXPECT_THAT(CollectionNames(*root.graph(), "update_ops"),
              ElementsAre("batch_normalization/AssignMovingAvg/AssignSubVariableOp",
                          "batch_normalization/AssignMovingAvg_1/AssignSubVariableOp"));
}

TEST(BatchNormalizationTest, FusedTensorFlagAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  Output t = T(root);
  Output y = layers::BatchNormalization(root, X(root, {-1, 5, 5, 4}),
                                        {.momentum = 0.9, .epsilon = 0.01, .training = t});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(y.node, "batch_normalization/cond/Merge");
  ExpectNodesLikeTensorFlow(*root.graph(), kFusedBatchNormTensorFlag, /*exact=*/true,
                            "batch_normalization/cond");
  ExpectNodesLikeTensorFlow(*root.graph(), kFusedBatchNormTensorFlag, /*exact=*/true,
                            "batch_normalization/Assign");
}

TEST(BatchNormalizationTest, FusedCanBeTurnedOff) {
  // fused=False on a rank-4 input: moments over axes [0, 1, 2].
  Scope root = Scope::NewRootScope();
  layers::BatchNormalization(root, X(root, {-1, 5, 5, 4}), {.training = true, .fused = false});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root.graph()->FindNode("batch_normalization/FusedBatchNormV3"), nullptr);
  tensorflow::TensorProto axes =
      NodeAttr(*root.graph(), "batch_normalization/moments/mean/reduction_indices", "value")
          .tensor();
  EXPECT_EQ(axes.tensor_content(),
            std::string("\000\000\000\000\001\000\000\000\002\000\000\000", 12));

  Scope bad = Scope::NewRootScope();
  layers::BatchNormalization(bad, X(bad), {.fused = true});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              HasSubstr("fused batch normalization needs inputs of rank 4 or 5"));
}

TEST(BatchNormalizationTest, NeedsKnownAxisDimension) {
  Scope root = Scope::NewRootScope();
  layers::BatchNormalization(root, X(root, {-1, -1}));
  EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(root.status().message(), HasSubstr("known last (axis) dimension"));
}

}  // namespace
}  // namespace tf1hub
