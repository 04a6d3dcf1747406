// Regularizers (regularizers.h) compared with TensorFlow 2.15.1.
#include "tf1hub/graph/regularizers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/graph/layers_test_util.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"

namespace tf1hub {
namespace {

using testing::ExpectNodesLikeTensorFlow;
using ::testing::HasSubstr;

// From this TF 2.15.1 program (tf1 = tf.compat.v1, tf.Graph()), nodes under
// keras/ and slim/; slim_l2 / slim_l1 are tf_slim's l2_regularizer /
// l1_regularizer bodies (interop/_layer_graphs_tf.py), which TF 2.15 lacks:
//   w = tf1.get_variable("w", [2, 3], initializer=tf1.ones_initializer())
//   with tf1.name_scope("keras"): tf.keras.regularizers.L1L2(0.1, 0.2)(w)
//   with tf1.name_scope("slim"): slim_l2(0.5)(w); slim_l1(0.25)(w)
constexpr const char* kRegularizerNodes[] = {
    R"pb(name: "keras/Const"
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
    R"pb(name: "keras/Abs/ReadVariableOp"
         op: "ReadVariableOp"
         input: "w"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "keras/Abs"
         op: "Abs"
         input: "keras/Abs/ReadVariableOp"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "keras/Const_1"
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
               tensor_shape { dim { size: 2 } }
               tensor_content: "\000\000\000\000\001\000\000\000"
             }
           }
         })pb",
    R"pb(name: "keras/Sum"
         op: "Sum"
         input: "keras/Abs"
         input: "keras/Const_1"
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
           value { b: false }
         })pb",
    R"pb(name: "keras/mul/x"
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
               float_val: 0.1
             }
           }
         })pb",
    R"pb(name: "keras/mul"
         op: "Mul"
         input: "keras/mul/x"
         input: "keras/Sum"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "keras/add"
         op: "AddV2"
         input: "keras/Const"
         input: "keras/mul"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "keras/L2Loss/ReadVariableOp"
         op: "ReadVariableOp"
         input: "w"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "keras/L2Loss"
         op: "L2Loss"
         input: "keras/L2Loss/ReadVariableOp"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "keras/mul_1/x"
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
               float_val: 0.4
             }
           }
         })pb",
    R"pb(name: "keras/mul_1"
         op: "Mul"
         input: "keras/mul_1/x"
         input: "keras/L2Loss"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "keras/add_1"
         op: "AddV2"
         input: "keras/add"
         input: "keras/mul_1"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "slim/l2_regularizer/scale"
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
               float_val: 0.5
             }
           }
         })pb",
    R"pb(name: "slim/l2_regularizer/L2Loss/ReadVariableOp"
         op: "ReadVariableOp"
         input: "w"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "slim/l2_regularizer/L2Loss"
         op: "L2Loss"
         input: "slim/l2_regularizer/L2Loss/ReadVariableOp"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "slim/l2_regularizer"
         op: "Mul"
         input: "slim/l2_regularizer/scale"
         input: "slim/l2_regularizer/L2Loss"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "slim/l1_regularizer/scale"
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
               float_val: 0.25
             }
           }
         })pb",
    R"pb(name: "slim/l1_regularizer/Abs/ReadVariableOp"
         op: "ReadVariableOp"
         input: "w"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "slim/l1_regularizer/Abs"
         op: "Abs"
         input: "slim/l1_regularizer/Abs/ReadVariableOp"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "slim/l1_regularizer/Const"
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
               tensor_shape { dim { size: 2 } }
               tensor_content: "\000\000\000\000\001\000\000\000"
             }
           }
         })pb",
    R"pb(name: "slim/l1_regularizer/Sum"
         op: "Sum"
         input: "slim/l1_regularizer/Abs"
         input: "slim/l1_regularizer/Const"
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
           value { b: false }
         })pb",
    R"pb(name: "slim/l1_regularizer"
         op: "Mul"
         input: "slim/l1_regularizer/scale"
         input: "slim/l1_regularizer/Sum"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         })pb",
};

TEST(RegularizersTest, NodesAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  Variable w =
      GetVariable(root, "w", *TensorShape::Create({2, 3}), {.initializer = initializers::Ones()});
  Output keras = regularizers::L1L2(0.1, 0.2)(root.NewSubScope("keras"), w);
  Scope slim = root.NewSubScope("slim");
  Output l2 = regularizers::L2Regularizer(0.5)(slim, w);
  Output l1 = regularizers::L1Regularizer(0.25)(slim, w);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(keras.node, "keras/add_1");
  EXPECT_EQ(l2.node, "slim/l2_regularizer");
  EXPECT_EQ(l1.node, "slim/l1_regularizer");
  ExpectNodesLikeTensorFlow(*root.graph(), kRegularizerNodes, /*exact=*/true, "keras/");
  ExpectNodesLikeTensorFlow(*root.graph(), kRegularizerNodes, /*exact=*/true, "slim/");
}

TEST(RegularizersTest, KerasFactorsAreFloat32) {
  // Keras: l2 -> 2 * float32(l2) * L2Loss; 2 * float32(0.3) = 0.6 in float32.
  Scope root = Scope::NewRootScope();
  Variable w =
      GetVariable(root, "w", *TensorShape::Create({2}), {.initializer = initializers::Ones()});
  regularizers::L2(0.3)(root.NewSubScope("r"), w);
  ASSERT_TRUE(root.ok());
  const tensorflow::NodeDef* x = root.graph()->FindNode("r/mul/x");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->attr().at("value").tensor().float_val(0), 2.0f * 0.3f);
}

TEST(RegularizersTest, KerasL1L2LeavesOutZeroTerms) {
  Scope root = Scope::NewRootScope();
  Variable w =
      GetVariable(root, "w", *TensorShape::Create({2}), {.initializer = initializers::Ones()});
  Output only_l2 = regularizers::L1L2(0.0, 0.5)(root.NewSubScope("r"), w);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(only_l2.node, "r/add");
  EXPECT_EQ(root.graph()->FindNode("r/Abs"), nullptr);
}

TEST(RegularizersTest, SlimScaleZeroDisablesNegativeFails) {
  Scope root = Scope::NewRootScope();
  Variable w =
      GetVariable(root, "w", *TensorShape::Create({2}), {.initializer = initializers::Ones()});
  const int before = root.graph()->num_nodes();
  EXPECT_TRUE(regularizers::L2Regularizer(0.0)(root, w).empty());
  EXPECT_EQ(root.graph()->num_nodes(), before);
  ASSERT_TRUE(root.ok());
  regularizers::L1Regularizer(-1.0)(root, w);
  EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(root.status().message(), HasSubstr("Setting a scale less than 0 on a regularizer"));
}

}  // namespace
}  // namespace tf1hub
