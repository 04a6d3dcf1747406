#include "tf1hub/kernels/broadcast.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tf1hub {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Expected reduce indices and output shapes come from TensorFlow 2.15:
// tf.raw_ops.BroadcastGradientArgs and tf.broadcast_static_shape on the same
// shape pairs. Reshape/bcast vectors are worked out by hand from the rules.

TEST(BCastTest, TrailingVector) {
  BCast b({2, 3, 4}, {4});
  ASSERT_TRUE(b.IsValid());
  EXPECT_TRUE(b.IsBroadcastingRequired());
  EXPECT_THAT(b.output_shape(), ElementsAre(2, 3, 4));
  EXPECT_THAT(b.result_shape(), ElementsAre(6, 4));
  EXPECT_THAT(b.x_reshape(), ElementsAre(6, 4));
  EXPECT_THAT(b.x_bcast(), ElementsAre(1, 1));
  EXPECT_THAT(b.y_reshape(), ElementsAre(1, 4));
  EXPECT_THAT(b.y_bcast(), ElementsAre(6, 1));
  EXPECT_THAT(b.grad_x_reduce_idx(), IsEmpty());
  EXPECT_THAT(b.grad_y_reduce_idx(), ElementsAre(0, 1));
}

TEST(BCastTest, IdenticalShapesFlatten) {
  BCast b({2, 3, 4}, {2, 3, 4});
  ASSERT_TRUE(b.IsValid());
  EXPECT_FALSE(b.IsBroadcastingRequired());
  EXPECT_THAT(b.result_shape(), ElementsAre(24));
  EXPECT_THAT(b.x_reshape(), ElementsAre(24));
  EXPECT_THAT(b.y_bcast(), ElementsAre(1));
  EXPECT_THAT(b.output_shape(), ElementsAre(2, 3, 4));
  EXPECT_THAT(b.grad_x_reduce_idx(), IsEmpty());
  EXPECT_THAT(b.grad_y_reduce_idx(), IsEmpty());
}

TEST(BCastTest, Alternating) {
  BCast b({2, 1, 4}, {1, 3, 1});
  ASSERT_TRUE(b.IsValid());
  EXPECT_THAT(b.output_shape(), ElementsAre(2, 3, 4));
  EXPECT_THAT(b.result_shape(), ElementsAre(2, 3, 4));
  EXPECT_THAT(b.x_reshape(), ElementsAre(2, 1, 4));
  EXPECT_THAT(b.x_bcast(), ElementsAre(1, 3, 1));
  EXPECT_THAT(b.y_reshape(), ElementsAre(1, 3, 1));
  EXPECT_THAT(b.y_bcast(), ElementsAre(2, 1, 4));
  EXPECT_THAT(b.grad_x_reduce_idx(), ElementsAre(1));
  EXPECT_THAT(b.grad_y_reduce_idx(), ElementsAre(0, 2));
}

TEST(BCastTest, OnesInBothAreDroppedButReduced) {
  BCast b({5, 1, 1, 3}, {1, 1, 3});
  ASSERT_TRUE(b.IsValid());
  EXPECT_THAT(b.output_shape(), ElementsAre(5, 1, 1, 3));
  EXPECT_THAT(b.result_shape(), ElementsAre(5, 3));
  EXPECT_THAT(b.x_reshape(), ElementsAre(5, 3));
  EXPECT_THAT(b.x_bcast(), ElementsAre(1, 1));
  EXPECT_THAT(b.y_reshape(), ElementsAre(1, 3));
  EXPECT_THAT(b.y_bcast(), ElementsAre(5, 1));
  EXPECT_THAT(b.grad_x_reduce_idx(), ElementsAre(1, 2));
  EXPECT_THAT(b.grad_y_reduce_idx(), ElementsAre(0, 1, 2));
}

TEST(BCastTest, ScalarAndAllOnes) {
  BCast s({}, {3});
  ASSERT_TRUE(s.IsValid());
  EXPECT_THAT(s.output_shape(), ElementsAre(3));
  EXPECT_THAT(s.x_reshape(), ElementsAre(1));
  EXPECT_THAT(s.x_bcast(), ElementsAre(3));
  EXPECT_THAT(s.grad_x_reduce_idx(), ElementsAre(0));
  EXPECT_THAT(s.grad_y_reduce_idx(), IsEmpty());

  BCast ones({1, 1}, {1});
  ASSERT_TRUE(ones.IsValid());
  EXPECT_THAT(ones.output_shape(), ElementsAre(1, 1));
  EXPECT_THAT(ones.result_shape(), ElementsAre(1));
  EXPECT_THAT(ones.x_reshape(), ElementsAre(1));
  EXPECT_THAT(ones.grad_x_reduce_idx(), ElementsAre(0, 1));
  EXPECT_THAT(ones.grad_y_reduce_idx(), ElementsAre(0, 1));

  BCast col({3, 1}, {1, 1});
  EXPECT_THAT(col.grad_x_reduce_idx(), ElementsAre(1));
  EXPECT_THAT(col.grad_y_reduce_idx(), ElementsAre(0, 1));
}

TEST(BCastTest, ZeroSizedDims) {
  BCast b({0, 3}, {1, 3});
  ASSERT_TRUE(b.IsValid());
  EXPECT_THAT(b.output_shape(), ElementsAre(0, 3));
  EXPECT_THAT(b.result_shape(), ElementsAre(0, 3));
  EXPECT_THAT(b.y_bcast(), ElementsAre(0, 1));
  EXPECT_THAT(b.grad_x_reduce_idx(), IsEmpty());
  EXPECT_THAT(b.grad_y_reduce_idx(), ElementsAre(0));
}

TEST(BCastTest, Incompatible) {
  EXPECT_FALSE(BCast({2, 3}, {4}).IsValid());
  EXPECT_FALSE(BCast({2, 3}, {3, 3}).IsValid());
  Status s = IncompatibleShapesError(*TensorShape::Create({2, 3}), *TensorShape::Create({4}));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Incompatible shapes: [2,3] vs. [4]");
}

TEST(BCastTest, FullRankWithoutOptimization) {
  BCast b({2, 3, 4}, {4}, /*fewer_dims_optimization=*/false);
  ASSERT_TRUE(b.IsValid());
  EXPECT_THAT(b.result_shape(), ElementsAre(2, 3, 4));
  EXPECT_THAT(b.x_reshape(), ElementsAre(2, 3, 4));
  EXPECT_THAT(b.y_reshape(), ElementsAre(1, 1, 4));
  EXPECT_THAT(b.y_bcast(), ElementsAre(2, 3, 1));
  EXPECT_THAT(b.grad_y_reduce_idx(), ElementsAre(0, 1));
}

TEST(BCastTest, ThreeWay) {
  BCastList b({{2, 1}, {1, 3}, {}});
  ASSERT_TRUE(b.IsValid());
  EXPECT_THAT(b.output_shape(), ElementsAre(2, 3));
  EXPECT_THAT(b.reshape(2), ElementsAre(1, 1));
  EXPECT_THAT(b.bcast(2), ElementsAre(2, 3));
  EXPECT_THAT(b.grad_reduce_idx(2), ElementsAre(0, 1));
}

TEST(BCastTest, OverflowIsReportedByOutputShape) {
  const int64_t big = int64_t{1} << 40;
  BCast b({big, 1}, {1, big});
  ASSERT_TRUE(b.IsValid());
  EXPECT_FALSE(BCastOutputShape(b).ok());
}

}  // namespace
}  // namespace tf1hub
