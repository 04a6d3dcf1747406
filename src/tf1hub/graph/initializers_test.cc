// Initializers and seeds (initializers.h) compared with TensorFlow 2.15.1.
#include "tf1hub/graph/initializers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tf1hub/graph/layers_test_util.h"
#include "tf1hub/graph/ops.h"
#include "tf1hub/graph/variables.h"

namespace tf1hub {
namespace {

using testing::ExpectNodesLikeTensorFlow;
using ::testing::HasSubstr;
using testing::NodeAttr;

TensorShape Dims(std::vector<int64_t> dims) { return *TensorShape::Create(dims); }

// The Initializer/... nodes (and the variables' own nodes for a, b, e, f, n)
// of this TF 2.15.1 program (tf1 = tf.compat.v1, tf.Graph()):
//   tf1.set_random_seed(5)
//   tf1.get_variable("a", [2, 3], initializer=tf1.random_uniform_initializer(-0.5, 0.5, seed=3))
//   tf1.get_variable("b", [3], initializer=tf1.truncated_normal_initializer(0.1, 0.2, seed=4))
//   tf1.get_variable("e", [2, 2], initializer=tf1.constant_initializer([1, 2, 3, 4]))
//   tf1.get_variable("f", [50, 40], initializer=tf1.zeros_initializer())
//   tf1.get_variable("n", [2], initializer=tf1.random_normal_initializer(0.5, 2.0, seed=9))
//   tf1.get_variable("g", [3, 2], initializer=tf1.glorot_normal_initializer(seed=11))
constexpr const char* kInitializerNodes[] = {
    R"pb(name: "a/Initializer/random_uniform/shape"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@a" } }
         }
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
               tensor_content: "\002\000\000\000\003\000\000\000"
             }
           }
         })pb",
    R"pb(name: "a/Initializer/random_uniform/min"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@a" } }
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
               float_val: -0.5
             }
           }
         })pb",
    R"pb(name: "a/Initializer/random_uniform/max"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@a" } }
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
               float_val: 0.5
             }
           }
         })pb",
    R"pb(name: "a/Initializer/random_uniform/RandomUniform"
         op: "RandomUniform"
         input: "a/Initializer/random_uniform/shape"
         attr {
           key: "T"
           value { type: DT_INT32 }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@a" } }
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
           value { i: 3 }
         })pb",
    R"pb(name: "a/Initializer/random_uniform/sub"
         op: "Sub"
         input: "a/Initializer/random_uniform/max"
         input: "a/Initializer/random_uniform/min"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@a" } }
         })pb",
    R"pb(name: "a/Initializer/random_uniform/mul"
         op: "Mul"
         input: "a/Initializer/random_uniform/RandomUniform"
         input: "a/Initializer/random_uniform/sub"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@a" } }
         })pb",
    R"pb(name: "a/Initializer/random_uniform"
         op: "AddV2"
         input: "a/Initializer/random_uniform/mul"
         input: "a/Initializer/random_uniform/min"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@a" } }
         })pb",
    R"pb(name: "a/IsInitialized/VarIsInitializedOp" op: "VarIsInitializedOp" input: "a")pb",
    R"pb(name: "a/Assign"
         op: "AssignVariableOp"
         input: "a"
         input: "a/Initializer/random_uniform"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "a/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "a"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "b/Initializer/truncated_normal/shape"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@b" } }
         }
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
               int_val: 3
             }
           }
         })pb",
    R"pb(name: "b/Initializer/truncated_normal/mean"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@b" } }
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
    R"pb(name: "b/Initializer/truncated_normal/stddev"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@b" } }
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
               float_val: 0.2
             }
           }
         })pb",
    R"pb(name: "b/Initializer/truncated_normal/TruncatedNormal"
         op: "TruncatedNormal"
         input: "b/Initializer/truncated_normal/shape"
         attr {
           key: "T"
           value { type: DT_INT32 }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@b" } }
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
           value { i: 4 }
         })pb",
    R"pb(name: "b/Initializer/truncated_normal/mul"
         op: "Mul"
         input: "b/Initializer/truncated_normal/TruncatedNormal"
         input: "b/Initializer/truncated_normal/stddev"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@b" } }
         })pb",
    R"pb(name: "b/Initializer/truncated_normal"
         op: "AddV2"
         input: "b/Initializer/truncated_normal/mul"
         input: "b/Initializer/truncated_normal/mean"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@b" } }
         })pb",
    R"pb(name: "b/IsInitialized/VarIsInitializedOp" op: "VarIsInitializedOp" input: "b")pb",
    R"pb(name: "b/Assign"
         op: "AssignVariableOp"
         input: "b"
         input: "b/Initializer/truncated_normal"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "b/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "b"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "e/Initializer/Const"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@e" } }
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
                 dim { size: 2 }
               }
               tensor_content: "\000\000\200?\000\000\000@\000\000@@\000\000\200@"
             }
           }
         })pb",
    R"pb(name: "e/IsInitialized/VarIsInitializedOp" op: "VarIsInitializedOp" input: "e")pb",
    R"pb(name: "e/Assign"
         op: "AssignVariableOp"
         input: "e"
         input: "e/Initializer/Const"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "e/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "e"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "f/Initializer/zeros/shape_as_tensor"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@f" } }
         }
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
               tensor_content: "2\000\000\000(\000\000\000"
             }
           }
         })pb",
    R"pb(name: "f/Initializer/zeros/Const"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@f" } }
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
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "f/Initializer/zeros"
         op: "Fill"
         input: "f/Initializer/zeros/shape_as_tensor"
         input: "f/Initializer/zeros/Const"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@f" } }
         }
         attr {
           key: "index_type"
           value { type: DT_INT32 }
         })pb",
    R"pb(name: "f/IsInitialized/VarIsInitializedOp" op: "VarIsInitializedOp" input: "f")pb",
    R"pb(name: "f/Assign"
         op: "AssignVariableOp"
         input: "f"
         input: "f/Initializer/zeros"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "f/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "f"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "n/Initializer/random_normal/shape"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@n" } }
         }
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
               int_val: 2
             }
           }
         })pb",
    R"pb(name: "n/Initializer/random_normal/mean"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@n" } }
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
               float_val: 0.5
             }
           }
         })pb",
    R"pb(name: "n/Initializer/random_normal/stddev"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@n" } }
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
               float_val: 2.0
             }
           }
         })pb",
    R"pb(name: "n/Initializer/random_normal/RandomStandardNormal"
         op: "RandomStandardNormal"
         input: "n/Initializer/random_normal/shape"
         attr {
           key: "T"
           value { type: DT_INT32 }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@n" } }
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
           value { i: 9 }
         })pb",
    R"pb(name: "n/Initializer/random_normal/mul"
         op: "Mul"
         input: "n/Initializer/random_normal/RandomStandardNormal"
         input: "n/Initializer/random_normal/stddev"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@n" } }
         })pb",
    R"pb(name: "n/Initializer/random_normal"
         op: "AddV2"
         input: "n/Initializer/random_normal/mul"
         input: "n/Initializer/random_normal/mean"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@n" } }
         })pb",
    R"pb(name: "n/IsInitialized/VarIsInitializedOp" op: "VarIsInitializedOp" input: "n")pb",
    R"pb(name: "n/Assign"
         op: "AssignVariableOp"
         input: "n"
         input: "n/Initializer/random_normal"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         }
         attr {
           key: "validate_shape"
           value { b: false }
         })pb",
    R"pb(name: "n/Read/ReadVariableOp"
         op: "ReadVariableOp"
         input: "n"
         attr {
           key: "dtype"
           value { type: DT_FLOAT }
         })pb",
    R"pb(name: "g/Initializer/truncated_normal/shape"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@g" } }
         }
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
               tensor_content: "\003\000\000\000\002\000\000\000"
             }
           }
         })pb",
    R"pb(name: "g/Initializer/truncated_normal/mean"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@g" } }
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
               float_val: 0.0
             }
           }
         })pb",
    R"pb(name: "g/Initializer/truncated_normal/stddev"
         op: "Const"
         attr {
           key: "_class"
           value { list { s: "loc:@g" } }
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
               float_val: 0.71900535
             }
           }
         })pb",
    R"pb(name: "g/Initializer/truncated_normal/TruncatedNormal"
         op: "TruncatedNormal"
         input: "g/Initializer/truncated_normal/shape"
         attr {
           key: "T"
           value { type: DT_INT32 }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@g" } }
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
           value { i: 11 }
         })pb",
    R"pb(name: "g/Initializer/truncated_normal/mul"
         op: "Mul"
         input: "g/Initializer/truncated_normal/TruncatedNormal"
         input: "g/Initializer/truncated_normal/stddev"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@g" } }
         })pb",
    R"pb(name: "g/Initializer/truncated_normal"
         op: "AddV2"
         input: "g/Initializer/truncated_normal/mul"
         input: "g/Initializer/truncated_normal/mean"
         attr {
           key: "T"
           value { type: DT_FLOAT }
         }
         attr {
           key: "_class"
           value { list { s: "loc:@g" } }
         })pb",
};

TEST(InitializersTest, NodesAsTensorFlow) {
  Scope root = Scope::NewRootScope();
  SetRandomSeed(root.graph(), 5);
  namespace init = initializers;
  GetVariable(root, "a", Dims({2, 3}), {.initializer = init::RandomUniform(-0.5, 0.5, 3)});
  GetVariable(root, "b", Dims({3}), {.initializer = init::TruncatedNormal(0.1, 0.2, 4)});
  GetVariable(root, "e", Dims({2, 2}), {.initializer = init::Constant({1, 2, 3, 4})});
  GetVariable(root, "f", Dims({50, 40}), {.initializer = init::Zeros()});
  GetVariable(root, "n", Dims({2}), {.initializer = init::RandomNormal(0.5, 2.0, 9)});
  GetVariable(root, "g", Dims({3, 2}), {.initializer = init::GlorotNormal(11)});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  ClearGraphRandomState(root.graph());
  ExpectNodesLikeTensorFlow(*root.graph(), kInitializerNodes, /*exact=*/false);
}

TEST(InitializersTest, GetSeedFollowsTensorFlow) {
  // random_seed.get_seed in TF 2.15.1.
  Scope none = Scope::NewRootScope();
  EXPECT_EQ(GetSeed(none.graph(), std::nullopt).seed, 0);
  EXPECT_EQ(GetSeed(none.graph(), std::nullopt).seed2, 0);
  ops::RandomAttrs op_only = GetSeed(none.graph(), 7);
  EXPECT_EQ(op_only.seed, 87654321);  // DEFAULT_GRAPH_SEED
  EXPECT_EQ(op_only.seed2, 7);

  Scope seeded = Scope::NewRootScope();
  SetRandomSeed(seeded.graph(), 5);
  ASSERT_EQ(GetRandomSeed(seeded.graph()), 5);
  ops::RandomAttrs both = GetSeed(seeded.graph(), 3);
  EXPECT_EQ(both.seed, 5);
  EXPECT_EQ(both.seed2, 3);
  // Graph seed only: the per-graph count of seedless ops, from 0.
  EXPECT_EQ(GetSeed(seeded.graph(), std::nullopt).seed2, 0);
  EXPECT_EQ(GetSeed(seeded.graph(), std::nullopt).seed2, 1);
  EXPECT_EQ(GetSeed(seeded.graph(), 9).seed2, 9);  // seeded ops do not count
  EXPECT_EQ(GetSeed(seeded.graph(), std::nullopt).seed2, 2);
  // Seeds are taken modulo 2^31 - 1.
  EXPECT_EQ(GetSeed(seeded.graph(), int64_t{1} << 31).seed2, 1);
  ClearGraphRandomState(seeded.graph());
  EXPECT_EQ(GetRandomSeed(seeded.graph()), std::nullopt);

  // (0, 0) becomes (0, 2^31 - 1).
  Scope zero = Scope::NewRootScope();
  SetRandomSeed(zero.graph(), 0);
  ops::RandomAttrs z = GetSeed(zero.graph(), 0);
  EXPECT_EQ(z.seed, 0);
  EXPECT_EQ(z.seed2, 2147483647);
  ClearGraphRandomState(zero.graph());
}

TEST(InitializersTest, ZerosSwitchesToFillAtOneThousandElements) {
  // array_ops.zeros uses a Const below 1000 elements, Fill from 1000 on.
  Scope root = Scope::NewRootScope();
  GetVariable(root, "small", Dims({3, 333}), {.initializer = initializers::Zeros()});
  GetVariable(root, "big", Dims({4, 250}), {.initializer = initializers::Ones()});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root.graph()->FindNode("small/Initializer/zeros")->op(), "Const");
  EXPECT_EQ(root.graph()->FindNode("big/Initializer/ones")->op(), "Fill");
  EXPECT_EQ(NodeAttr(*root.graph(), "big/Initializer/ones/Const", "value").tensor().float_val(0),
            1.0f);
}

TEST(InitializersTest, ConstantFillsOrMatchesTheShape) {
  Scope root = Scope::NewRootScope();
  GetVariable(root, "d", Dims({2, 2}), {.initializer = initializers::Constant(2.5)});
  GetVariable(root, "i", Dims({3}),
              {.dtype = DataType::kInt32, .initializer = initializers::Constant({1, 2, 3})});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  // tf.constant(2.5, shape=[2, 2]): one float_val and the shape.
  tensorflow::TensorProto d = NodeAttr(*root.graph(), "d/Initializer/Const", "value").tensor();
  EXPECT_EQ(d.float_val_size(), 1);
  EXPECT_EQ(d.float_val(0), 2.5f);
  EXPECT_EQ(d.tensor_shape().dim_size(), 2);
  tensorflow::TensorProto i = NodeAttr(*root.graph(), "i/Initializer/Const", "value").tensor();
  EXPECT_EQ(i.dtype(), tensorflow::DT_INT32);

  Scope bad = Scope::NewRootScope();
  GetVariable(bad, "x", Dims({2, 2}), {.initializer = initializers::Constant({1, 2, 3})});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("3 values do not fill a variable of shape [2,2]"));
}

TEST(InitializersTest, GlorotUniformLimit) {
  // glorot_uniform_initializer for [4, 3]: limit sqrt(3 / ((4 + 3) / 2)),
  // printed by TF 2.15.1 as max 0.925820112.
  Scope root = Scope::NewRootScope();
  GetVariable(root, "c", Dims({4, 3}), {.initializer = initializers::GlorotUniform(7)});
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(
      NodeAttr(*root.graph(), "c/Initializer/random_uniform/max", "value").tensor().float_val(0),
      0.925820112f);
  EXPECT_EQ(
      NodeAttr(*root.graph(), "c/Initializer/random_uniform/min", "value").tensor().float_val(0),
      -0.925820112f);
  EXPECT_EQ(NodeAttr(*root.graph(), "c/Initializer/random_uniform/RandomUniform", "seed").i(),
            87654321);
  EXPECT_EQ(NodeAttr(*root.graph(), "c/Initializer/random_uniform/RandomUniform", "seed2").i(), 7);
}

TEST(InitializersTest, VarianceScalingFans) {
  // init_ops._compute_fans for a conv kernel [3, 3, 4, 8]: fan_in 36, fan_out 72.
  // fan_in mode, uniform: limit sqrt(3 / 36) = 0.28867513.
  Scope root = Scope::NewRootScope();
  GetVariable(root, "k", Dims({3, 3, 4, 8}),
              {.initializer = initializers::VarianceScaling(1.0, initializers::FanMode::kFanIn,
                                                            initializers::Distribution::kUniform)});
  ASSERT_TRUE(root.ok());
  EXPECT_FLOAT_EQ(
      NodeAttr(*root.graph(), "k/Initializer/random_uniform/max", "value").tensor().float_val(0),
      0.28867513f);
}

TEST(InitializersTest, RandomInitializersNeedFloatingDtypes) {
  Scope root = Scope::NewRootScope();
  GetVariable(root, "i", Dims({2}),
              {.dtype = DataType::kInt32, .initializer = initializers::RandomUniform()});
  EXPECT_EQ(root.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(root.status().message(), HasSubstr("not floating point"));
}

}  // namespace
}  // namespace tf1hub
